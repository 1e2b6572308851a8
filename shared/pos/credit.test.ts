// Store credit and gift cards at the till: accounts resolved from tenders, balances from the ledger only, and
// the credit entries a sale, return or void implies (valid documents, deterministic ids).
import { expect } from 'chai';
import fc from 'fast-check';
import { money } from '../money';
import { checkWrite } from '../model/access';
import { creditId, creditLinkUnique } from '../model/ids';
import type { CreditEntry, Sale } from '../model/types';
import { validateDoc } from '../model/validate';
import { addItem, emptyCart, setCustomer } from './cart';
import {
  creditBalance, creditHolderOf, resolveCreditTenders, returnCreditEntries, saleCreditEntries, voidCreditEntries, withLedgerBalances,
} from './credit';
import { buildReturn, buildVoid } from './returns';
import { buildSale } from './sale';
import type { TenderInput } from './tenders';
import { CARD, CASH, CASHIER, catalog, CREDIT, GIFT, m, MANAGER, must, NOW, product, storeConfig } from '../../tests/support/posFixtures';

const config = storeConfig();
const ANA = 'customer:ana';
const terminal = (tid: string) => ({ name: `terminal:S001:${tid}`, roles: ['caja-terminal', 'store:S001', `terminal:S001:${tid}`], db: 'caja-store' });

/** One item A at 10.00 + VAT 21 % = 12.10, for Ana, paid with `tenders` (Ana and gift card 77 hold 100.00 each). */
function sale(tenders: TenderInput[], seq = 7, terminalId = 'T1'): Sale {
  const cart = setCustomer(must(addItem(emptyCart(), product('A', 1000), 1)), { _id: ANA, taxExempt: null });
  const resolved = must(resolveCreditTenders(tenders, ANA));
  const inputs = withLedgerBalances(resolved.inputs, new Map([[ANA, m(10000)], ['giftcard:77', m(10000)]]));
  return must(buildSale({ config, terminalId, seq, shiftId: `shift:S001:${terminalId}:00000001`, cashierId: 'u-cashier', cart, catalog: catalog(), tenders: inputs, now: NOW }));
}

describe('pos/credit', () => {
  it('names the account a tender draws on', () => {
    expect(creditHolderOf({ kind: 'storecredit', reference: ANA })).to.equal(ANA);
    expect(creditHolderOf({ kind: 'giftcard', reference: '6001002003' })).to.equal('giftcard:6001002003');
    expect(creditHolderOf({ kind: 'storecredit', reference: 'ana' })).to.equal(null); // not a customer id
    expect(creditHolderOf({ kind: 'giftcard', reference: '6001 002' })).to.equal(null);
    expect(creditHolderOf({ kind: 'card', reference: '4242' })).to.equal(null);
    expect(creditHolderOf({ kind: 'storecredit' })).to.equal(null);
  });

  it('store credit draws on the cart\'s customer unless another account is named; no account, no tender', () => {
    const r = must(resolveCreditTenders([{ tender: CASH, tendered: m(100) }, { tender: CREDIT, tendered: m(500) }, { tender: GIFT, tendered: m(200), reference: '77' }], ANA));
    expect(r.holders).to.deep.equal([ANA, 'giftcard:77']);
    expect(r.inputs[1]?.reference).to.equal(ANA);
    const none = resolveCreditTenders([{ tender: CREDIT, tendered: m(500) }], undefined);
    expect(!none.ok && none.error).to.deep.equal({ code: 'credit_account_required', index: 0 });
    const card = resolveCreditTenders([{ tender: GIFT, tendered: m(500) }], ANA);
    expect(!card.ok && card.error).to.deep.equal({ code: 'credit_account_required', index: 0 });
  });

  it('takes balances from the ledger, not the caller, and two tenders on one account share it', () => {
    const inputs: TenderInput[] = [
      { tender: CREDIT, tendered: m(600), reference: ANA, balance: m(1_000_000) }, // a forged balance is replaced
      { tender: CREDIT, tendered: m(600), reference: ANA },
      { tender: GIFT, tendered: m(100), reference: '77' },
    ];
    const out = withLedgerBalances(inputs, new Map([[ANA, m(1000)]]));
    expect(out.map((i) => i.balance)).to.deep.equal([1000, 400, 0]);
    // an overdrawn account (two tills spent it offline) offers nothing, never a negative balance
    expect(withLedgerBalances([inputs[1] as TenderInput], new Map([[ANA, m(-300)]]))[0]?.balance).to.equal(0);
  });

  it('a balance is the sum of the holder\'s entries (property: any order, exact integers)', () => {
    const amount = fc.integer({ min: -1_000_000, max: 1_000_000 });
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), amount), { maxLength: 40 }), (rows) => {
      const entries = rows.map(([mine, a]) => (mine ? { customerId: ANA, amount: money(a) } : { giftCardId: 'giftcard:1', amount: money(a) }));
      const expected = rows.filter(([mine]) => mine).reduce((s, [, a]) => s + a, 0);
      expect(creditBalance(entries, ANA)).to.equal(expected);
      expect(creditBalance([...entries].reverse(), ANA)).to.equal(expected);
    }));
  });

  it('a sale paid with store credit and a gift card implies one redeem entry per tender, valid and owned by its terminal', () => {
    const s = sale([{ tender: CREDIT, tendered: m(500) }, { tender: GIFT, tendered: m(410), reference: '77' }, { tender: CASH, tendered: m(300) }]);
    expect(s.tenders.map((t) => [t.kind, t.amount, t.reference])).to.deep.equal([['storecredit', 500, ANA], ['giftcard', 410, '77'], ['cash', 300, undefined]]);
    const entries = saleCreditEntries(s);
    expect(entries.map((e) => [e._id, e.amount, e.reason, e.saleId])).to.deep.equal([
      ['credit:customer:ana:S001:T1:sale-00000007-0', -500, 'redeem', s._id],
      ['credit:giftcard:77:S001:T1:sale-00000007-1', -410, 'redeem', s._id],
    ]);
    for (const e of entries) {
      expect(validateDoc(e), e._id).to.deep.equal([]);
      expect(checkWrite('relay-store', e, null, terminal('T1')), e._id).to.equal(null);
      expect(checkWrite('relay-store', e, null, terminal('T2')), e._id).to.match(/^terminal S001:T2 may not write/);
    }
    // built again (a retried commit), the same ids: a conflict, never a second redeem
    expect(saleCreditEntries(s).map((e) => e._id)).to.deep.equal(entries.map((e) => e._id));
    expect(saleCreditEntries(sale([{ tender: CARD, tendered: m(1210), reference: '4242' }]))).to.deep.equal([]);
  });

  it('a return to store credit and a void give the credit back, as valid refund entries', () => {
    const s = sale([{ tender: CREDIT, tendered: m(1210) }]);
    const ret = must(buildReturn({
      sale: s, previous: [], requests: [{ lineNo: 1, qty: 1, restock: true }], config, terminalId: 'T2', seq: 3, shiftId: 'shift:S001:T2:00000001',
      cashier: CASHIER, refund: { to: 'storecredit', tender: CREDIT, reference: ANA }, now: NOW,
    }));
    const back = returnCreditEntries(ret);
    expect(back.map((e) => [e._id, e.amount, e.reason, e.returnId, e.terminalId])).to.deep.equal([
      ['credit:customer:ana:S001:T2:return-00000003-0', 1210, 'refund', 'return:S001:T2:00000003', 'T2'],
    ]);
    expect(validateDoc(back[0])).to.deep.equal([]);

    const v = must(buildVoid(s, { config, now: NOW, zReportExists: false, user: MANAGER, returns: [], terminalId: 'T3', shiftId: 'shift:S001:T3:00000001', cashierId: MANAGER.userId, reason: 'wrong customer' }));
    const restored = voidCreditEntries(v, s);
    expect(restored).to.have.length(1);
    const e = restored[0] as CreditEntry;
    expect(e._id).to.equal(creditId(ANA, 'S001', 'T1', creditLinkUnique('void', 7, 0))); // names the sale, not the voiding till
    expect([e.amount, e.reason, e.saleId, e.terminalId]).to.deep.equal([1210, 'refund', s._id, 'T3']);
    expect(validateDoc(e)).to.deep.equal([]);
    expect(checkWrite('relay-store', e, null, terminal('T3'))).to.equal(null);
  });
});
