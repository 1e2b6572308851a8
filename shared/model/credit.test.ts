// The credit ledger (security review: money on customers could be set by any till). Store credit and gift card
// balances are immutable `credit` entries, one writer each; customers carry no money. Ids, shape, ownership,
// immutability, and customers written before the ledger.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  creditHolderPrefix, creditId, creditLinkUnique, customerId, giftCardId, ownerOf, parseCreditId, parseCreditLinkUnique, saleId, returnId,
} from './ids';
import { checkWrite, authorizeWrite, LEDGER_TYPES } from './access';
import type { UserCtx } from './access';
import { readCustomer } from './customers';
import * as fx from '../../scripts/seed/documents';
import { TERMINAL_TYPES, UPSTREAM_TYPES } from './types';
import type { CreditEntry, Customer } from './types';
import { validateDoc } from './validate';

type Loose = Record<string, unknown>;
const errorsOf = (d: unknown): string => validateDoc(d).join('\n');
const ADMIN: UserCtx = { name: 'relay', roles: ['_admin'], db: 'caja-store' };
const storeCtx = (code: string, db = 'caja-store-' + code.toLowerCase()): UserCtx => ({ name: 'store:' + code, roles: ['caja-store', 'store:' + code], db });
const terminalCtx = (code: string, tid: string): UserCtx => ({
  name: 'terminal:' + code + ':' + tid, roles: ['caja-terminal', 'store:' + code, 'terminal:' + code + ':' + tid], db: 'caja-store',
});
const ANA = customerId('cust-1');
const T0 = '2024-05-01T15:04:05.000Z';

/** The fixture redeem with fields replaced (the id is kept, so a test can make it disagree with the body). */
function entry(over: Loose = {}): Loose {
  return { ...fx.credit(), ...over };
}

describe('credit ledger: ids', () => {
  it('builds and parses holder-first ids, with link tokens for entries written with a document', () => {
    expect(giftCardId('6001002003')).to.equal('giftcard:6001002003');
    expect(creditLinkUnique('sale', 42, 1)).to.equal('sale-00000042-1');
    expect(creditId(ANA, 'S001', 'T1', creditLinkUnique('sale', 42, 1))).to.equal('credit:customer:cust-1:S001:T1:sale-00000042-1');
    expect(creditHolderPrefix(giftCardId('77'))).to.equal('credit:giftcard:77:');
    expect(parseCreditId('credit:customer:cust-1:S001:T1:sale-00000042-1')).to.deep.equal({
      holder: ANA, holderType: 'customer', storeId: 'S001', terminalId: 'T1', unique: 'sale-00000042-1', link: { link: 'sale', seq: 42, index: 1 },
    });
    expect(parseCreditId('credit:giftcard:77:S002:T3:9f1c')).to.deep.include({ holder: 'giftcard:77', storeId: 'S002', terminalId: 'T3', link: null });
    // malformed: unknown holder kind, bad store, a token posing as a link token, too few parts
    for (const bad of ['credit:user:u1:S001:T1:x', 'credit:customer:c1:s001:T1:x', 'credit:customer:c1:S001:T1:sale-1-0', 'credit:S001:T1:x']) {
      expect(parseCreditId(bad), bad).to.equal(null);
    }
    expect(() => creditId(ANA, 'S001', 'T1', 'void-oops')).to.throw(RangeError);
    expect(() => creditId('customer:a:b', 'S001', 'T1', 'x')).to.throw(RangeError);
    expect(() => creditLinkUnique('sale', 1, 1000)).to.throw(RangeError);
    expect(() => giftCardId('12 34')).to.throw(RangeError);
  });

  it('names its owner: store and terminal, or only the store for a void (any till of the store voids)', () => {
    expect(ownerOf(fx.credit()._id)).to.deep.equal({ storeId: 'S001', terminalId: 'T1' });
    expect(ownerOf(creditId(ANA, 'S001', 'T1', creditLinkUnique('void', 1, 0)))).to.deep.equal({ storeId: 'S001' });
    expect(ownerOf(fx.giftCardIssue('S002', 'T4')._id)).to.deep.equal({ storeId: 'S002', terminalId: 'T4' });
  });

  it('parsers invert the builders (property)', () => {
    const store = fc.stringMatching(/^[A-Z0-9]{2,12}$/);
    const term = fc.integer({ min: 0, max: 9999 }).map((n) => 'T' + n);
    const link = fc.constantFrom('sale' as const, 'return' as const, 'void' as const);
    fc.assert(fc.property(store, term, link, fc.integer({ min: 1, max: 99999999 }), fc.integer({ min: 0, max: 999 }), (s, t, l, seq, i) => {
      const id = creditId(ANA, s, t, creditLinkUnique(l, seq, i));
      expect(parseCreditId(id)).to.deep.equal({ holder: ANA, holderType: 'customer', storeId: s, terminalId: t, unique: creditLinkUnique(l, seq, i), link: { link: l, seq, index: i } });
      expect(parseCreditLinkUnique(creditLinkUnique(l, seq, i))).to.deep.equal({ link: l, seq, index: i });
    }));
  });
});

describe('credit ledger: validation', () => {
  it('is a ledger type that terminals write and stores replicate up', () => {
    expect(LEDGER_TYPES).to.include('credit');
    expect(TERMINAL_TYPES).to.include('credit');
    expect(UPSTREAM_TYPES).to.include('credit');
  });

  it('accepts a redeem with its sale, a refund with its return, a void refund, and a free-standing issue', () => {
    expect(validateDoc(fx.credit())).to.deep.equal([]);
    expect(validateDoc(fx.giftCardIssue())).to.deep.equal([]);
    const refund: CreditEntry = {
      ...fx.credit(), _id: creditId(ANA, 'S001', 'T1', creditLinkUnique('return', 2, 0)), amount: 812 as CreditEntry['amount'], reason: 'refund', returnId: returnId('S001', 'T1', 2),
    };
    delete refund.saleId;
    expect(validateDoc(refund)).to.deep.equal([]);
    // T2 gives back what sale S001-T1-1 redeemed: the id names the sale's terminal, terminalId the writer.
    const voided = { ...fx.credit(), _id: creditId(ANA, 'S001', 'T1', creditLinkUnique('void', 1, 0)), terminalId: 'T2', amount: 500, reason: 'refund' };
    expect(validateDoc(voided)).to.deep.equal([]);
    const adjust = { ...fx.giftCardIssue(), reason: 'adjust', amount: -250, note: 'card damaged, balance moved', approvals: [{ action: 'customers.edit', approvedBy: 'mgr', approvedAt: T0 }] };
    expect(validateDoc(adjust)).to.deep.equal([]);
  });

  it('refuses wrong signs, float money, a missing or double holder, and an id naming another holder', () => {
    expect(errorsOf(entry({ amount: 500 }))).to.equal('amount: must be negative for redeem (credit spent)');
    expect(errorsOf({ ...fx.giftCardIssue(), amount: -5000 })).to.equal('amount: must be positive for issue (credit given)');
    expect(errorsOf({ ...fx.giftCardIssue(), reason: 'adjust', amount: 0, note: 'x', approvals: [{ action: 'a', approvedBy: 'm', approvedAt: T0 }] })).to.equal('amount: must not be zero');
    expect(errorsOf(entry({ amount: -5.5 }))).to.equal('amount: must be an integer amount of minor units');
    expect(errorsOf(entry({ reason: 'gift' }))).to.equal('reason: must be one of issue, redeem, refund, adjust');
    expect(errorsOf(entry({ reason: 'issue', amount: 500 }))).to.equal('reason: an entry tied to a sale is a redeem');
    expect(errorsOf(entry({ customerId: undefined }))).to.equal('customerId: exactly one of customerId and giftCardId must be set');
    expect(errorsOf(entry({ giftCardId: 'giftcard:1' }))).to.equal('customerId: exactly one of customerId and giftCardId must be set');
    expect(errorsOf(entry({ customerId: 'customer:someone-else' }))).to.equal('_id: must name the holder customer:someone-else');
    expect(errorsOf({ ...fx.giftCardIssue(), giftCardId: '6001002003' })).to.equal('giftCardId: must be a gift card id (giftcard:<number>)');
    expect(errorsOf({ ...fx.giftCardIssue(), reason: 'adjust', amount: 100 })).to.equal('approvals: an adjustment must record its approval\nnote: an adjustment must say why');
  });

  it('ties an entry to the document its id names, so one tender cannot be redeemed under two ids', () => {
    expect(errorsOf(entry({ saleId: saleId('S001', 'T1', 2) }))).to.equal('saleId: must be the sale the id names');
    expect(errorsOf(entry({ saleId: undefined }))).to.equal('saleId: must be the sale the id names');
    // a redeem under a free-standing uuid token would let a retried sale commit redeem twice
    expect(errorsOf(entry({ _id: creditId(ANA, 'S001', 'T1', 'r-1') }))).to.equal('_id: an entry tied to a sale or return takes the link token of that document');
    expect(errorsOf(entry({ _id: creditId(ANA, 'S001', 'T1', 'r-1'), saleId: undefined }))).to.equal('saleId: a redeem pays a sale: it must name it');
    expect(errorsOf({ ...fx.giftCardIssue(), saleId: saleId('S001', 'T1', 1) })).to.equal('_id: an entry tied to a sale or return takes the link token of that document');
    const onReturn = creditId(ANA, 'S001', 'T1', creditLinkUnique('return', 2, 0));
    expect(errorsOf(entry({ _id: onReturn, saleId: undefined, returnId: returnId('S001', 'T1', 2) }))).to.contain('reason: an entry tied to a return is a refund');
    expect(errorsOf(entry({ _id: onReturn, saleId: undefined, reason: 'refund', amount: 100, returnId: returnId('S001', 'T2', 2) }))).to.equal('returnId: must be the return the id names');
    // the id's store and terminal are the document's (and the envelope checks them first)
    expect(errorsOf(entry({ storeId: 'S002' }))).to.equal('storeId: must be S001 (from the id)');
    expect(errorsOf(entry({ terminalId: 'T2' }))).to.equal('terminalId: must be T1 (from the id)');
  });
});

describe('credit ledger: who may write it', () => {
  it('a terminal writes its own entries at the relay; T2 cannot write T1\'s, nor store B store A\'s', () => {
    expect(checkWrite('relay-store', fx.credit(), null, terminalCtx('S001', 'T1'))).to.equal(null);
    expect(checkWrite('relay-store', fx.credit(), null, terminalCtx('S001', 'T2'))).to.equal(
      'terminal S001:T2 may not write credit credit:customer:cust-1:S001:T1:sale-00000001-0 of terminal T1',
    );
    // relabelling the body to T2 does not help: the id still names T1
    expect(checkWrite('relay-store', { ...fx.credit(), terminalId: 'T2' }, null, terminalCtx('S001', 'T2'))).to.equal(
      'terminal S001:T2 may not write credit:customer:cust-1:S001:T1:sale-00000001-0',
    );
    expect(checkWrite('relay-store', fx.credit(1, 'S002', 'T1'), null, terminalCtx('S001', 'T1'))).to.match(/^store S001 may not write credit /);
    expect(checkWrite('hq-store', fx.credit(), null, storeCtx('S001'))).to.equal(null);
    expect(checkWrite('hq-store', fx.credit(1, 'S002', 'T1'), null, storeCtx('S001'))).to.equal(
      'store S001 may not write credit credit:customer:cust-1:S002:T1:sale-00000001-0 (storeId "S002")',
    );
    expect(checkWrite('hq-store', fx.credit(1, 'S002', 'T1'), null, storeCtx('S002', 'caja-store-s001'))).to.equal('store S002 may not write the database of store S001');
    expect(checkWrite('catalog', fx.credit(), null, storeCtx('S001', 'caja-catalog'))).to.equal('only HQ writes the catalog');
  });

  it('a void refund may come from any till of the store, but only as itself', () => {
    const voided = { ...fx.credit(), _id: creditId(ANA, 'S001', 'T1', creditLinkUnique('void', 1, 0)), terminalId: 'T2', amount: 500, reason: 'refund' };
    expect(checkWrite('relay-store', voided, null, terminalCtx('S001', 'T2'))).to.equal(null);
    expect(checkWrite('relay-store', voided, null, terminalCtx('S001', 'T3'))).to.match(/^terminal S001:T3 may not write credit .* of terminal T2$/);
    expect(checkWrite('relay-store', { ...voided, storeId: 'S002' }, null, terminalCtx('S002', 'T2'))).to.match(/^store S002 may not write /);
  });

  it('entries are immutable and undeletable, even by the terminal that wrote them', () => {
    const old = { ...fx.credit(), _rev: '1-a' };
    const t1 = terminalCtx('S001', 'T1');
    expect(authorizeWrite('relay-store', { ...old, amount: -1 }, old, t1)).to.equal(
      'credit credit:customer:cust-1:S001:T1:sale-00000001-0 is immutable: ledger documents are never edited (write a new document)',
    );
    expect(authorizeWrite('hq-store', { _id: old._id, _rev: '1-a', _deleted: true }, old, storeCtx('S001'))).to.equal(
      'credit credit:customer:cust-1:S001:T1:sale-00000001-0 is a ledger document and cannot be deleted',
    );
    expect(authorizeWrite('relay-store', { _id: old._id, _rev: '1-a', _deleted: true }, null, t1)).to.match(/cannot be deleted$/);
    // replication re-delivering the same revision is not an edit
    expect(authorizeWrite('hq-store', { ...old, _revisions: { start: 1, ids: ['a'] } }, old, ADMIN)).to.equal(null);
  });
});

describe('customers carry no money', () => {
  // As written by a build before the credit ledger: the balance was a field any till could overwrite.
  const OLD: Customer & { storeCredit: number } = { ...fx.customer(), _rev: '3-c', storeCredit: 5000 };

  it('refuses storeCredit on a new write, by a terminal or a store', () => {
    expect(errorsOf({ ...fx.customer(), storeCredit: 100 })).to.equal('storeCredit: is no longer a customer field: store credit is the credit ledger (credit documents)');
    expect(checkWrite('relay-store', { ...fx.customer(), storeCredit: 100 }, null, terminalCtx('S001', 'T1'))).to.match(/^invalid customer customer:cust-1: storeCredit: is no longer/);
    // raising an old balance is setting money: refused
    expect(checkWrite('relay-store', { ...OLD, storeCredit: 999999 }, OLD, terminalCtx('S001', 'T3'))).to.match(/storeCredit: is no longer/);
    expect(checkWrite('hq-store', { ...OLD, storeCredit: 999999 }, OLD, storeCtx('S002'))).to.match(/storeCredit: is no longer/);
    // negative and float values are refused just the same (no longer "a non-negative amount")
    expect(checkWrite('relay-store', { ...fx.customer(), storeCredit: -1 }, null, terminalCtx('S001', 'T1'))).to.match(/storeCredit: is no longer/);
  });

  it('still loads an old customer document that carries it', () => {
    // the relay (admin) replicating HQ's copy, and HQ itself
    expect(checkWrite('relay-store', OLD, null, ADMIN)).to.equal(null);
    expect(checkWrite('hq-store', OLD, null, { roles: ['_admin'], db: 'caja-store-s001' })).to.equal(null);
    // a till not yet upgraded editing the phone keeps the stored value: inherited, not set
    expect(checkWrite('relay-store', { ...OLD, phone: '555-0100' }, OLD, terminalCtx('S001', 'T1'))).to.equal(null);
    // the rest of the document is still checked
    expect(checkWrite('relay-store', { ...OLD, updatedAt: 'yesterday' }, null, ADMIN)).to.equal('invalid customer customer:cust-1: updatedAt: must be an ISO-8601 UTC timestamp');
  });

  it('readers ignore it: an edit from a read customer validates, and the balance is only the ledger\'s', () => {
    const read = readCustomer(OLD);
    expect(read).to.not.have.property('storeCredit');
    expect(read).to.deep.include({ _id: OLD._id, name: 'Ana', _rev: '3-c' });
    const edited = { ...read, phone: '555-0100' };
    expect(checkWrite('relay-store', edited, OLD, terminalCtx('S001', 'T2'))).to.equal(null);
    expect(OLD.storeCredit).to.equal(5000); // the input is not mutated
  });
});
