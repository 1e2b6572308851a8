// Store credit and gift cards at the checkout, on real PouchDB databases: the balance comes from the credit
// ledger in the terminal's database (never from the caller), the redeem entry is written with the sale under an
// id derived from it, returns and voids give credit back, and a crash between the two writes is repaired.
import { expect } from 'chai';
import { PouchDB } from '../../../../server-kit/replication/pouch';
import { money } from '../../../../shared/money';
import { checkWrite } from '../../../../shared/model/access';
import { creditHolderPrefix, giftCardId } from '../../../../shared/model/ids';
import type { CreditEntry, Product, Sale } from '../../../../shared/model/types';
import { validateDoc } from '../../../../shared/model/validate';
import { addItem, emptyCart, setCustomer, type Cart } from '../../../../shared/pos/cart';
import { saleCreditEntries } from '../../../../shared/pos/credit';
import { buildSale } from '../../../../shared/pos/sale';
import type { TenderInput } from '../../../../shared/pos/tenders';
import { CASH, CREDIT, GIFT, GROUPS, MANAGER, RATES, STD, must, product, storeConfig, user } from '../../../../tests/support/posFixtures';
import { commitShiftOpen } from '../register/register';
import { commitReturn, commitSale, commitVoid, creditBalanceOf } from './commit';
import type { LocalDb } from './localDb';

const CONFIG = storeConfig(); // S001, exclusive tax
const NOW = '2025-03-14T18:00:00.000Z';
const CASHIER = user('u-cashier', ['sale.ring', 'register.open'], 1000);
const CATALOG = { rates: RATES, groups: GROUPS, specials: [] };
const A: Product = product('A', 1000, { group: STD }); // 12.10 with VAT 21 %
const ANA = 'customer:ana';
const CARD77 = giftCardId('77');
const terminalCtx = (tid: string) => ({ name: `terminal:S001:${tid}`, roles: ['caja-terminal', 'store:S001', `terminal:S001:${tid}`], db: 'caja-store' });

let n = 0;
function memoryDb(): PouchDB.Database {
  n += 1;
  return new PouchDB(`credit-${process.pid}-${n}-${Date.now()}`, { adapter: 'memory' });
}

/** The same database behind a new handle: what a restarted renderer sees (no per-handle caches). */
function reopened(db: PouchDB.Database): LocalDb {
  return { get: (id) => db.get(id), put: (d) => db.put(d), allDocs: (o) => db.allDocs(o), info: () => db.info(), changes: (o) => db.changes(o) };
}

function cartFor(customer: string | null, qty = 1): Cart {
  const cart = must(addItem(emptyCart(), A, qty));
  return customer ? setCustomer(cart, { _id: customer, taxExempt: null }) : cart;
}

async function ledger(db: LocalDb, holder: string): Promise<CreditEntry[]> {
  const res = await db.allDocs({ startkey: creditHolderPrefix(holder), endkey: creditHolderPrefix(holder) + '\ufff0', include_docs: true });
  return res.rows.map((r) => r.doc as CreditEntry);
}

describe('checkout: store credit and gift cards from the ledger', function () {
  const dbs: PouchDB.Database[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.destroy().catch(() => undefined);
  });

  async function setup(terminalId = 'T1') {
    const db = memoryDb();
    dbs.push(db);
    const shift = must(await commitShiftOpen(db, { config: CONFIG, terminalId, user: CASHIER, openingFloat: money(0), now: NOW }));
    const ring = (cart: Cart, tenders: TenderInput[], on: LocalDb = db) =>
      commitSale(on, { config: CONFIG, terminalId, shiftId: shift._id, cashierId: CASHIER.userId, cart, catalog: CATALOG, tenders, now: NOW });
    return { db, shift, ring };
  }

  it('a return to store credit funds the account; a sale spends it with a redeem entry; the caller\'s balance is ignored', async () => {
    const { db, shift, ring } = await setup();
    expect(await creditBalanceOf(db, ANA)).to.equal(0);
    // Ana buys 2 x A in cash, then returns both to store credit (no account named: the sale's customer).
    const bought = must(await ring(cartFor(ANA, 2), [{ tender: CASH, tendered: money(2420) }]));
    const ret = must(await commitReturn(db, {
      config: CONFIG, terminalId: 'T1', shiftId: shift._id, cashier: MANAGER, receipt: bought.receiptNumber,
      requests: [{ lineNo: 1, qty: 2, restock: true }], refund: { to: 'storecredit', tender: CREDIT }, now: NOW,
    }));
    expect(ret.refunds).to.deep.equal([{ tenderId: 'tender:credit', kind: 'storecredit', amount: 2420, tendered: 2420, change: 0, reference: ANA }]);
    expect(await creditBalanceOf(db, ANA)).to.equal(2420);

    // A till that claims a huge balance cannot spend more than the ledger holds.
    const forged = await ring(cartFor(ANA, 3), [{ tender: CREDIT, tendered: money(3630), balance: money(1_000_000) }]);
    expect(forged.ok ? null : forged.error).to.deep.equal({ code: 'insufficient_balance', index: 0, balance: 2420 });

    // 12.10 from store credit: the sale and its redeem entry, the id derived from the sale's tender.
    const paid = must(await ring(cartFor(ANA), [{ tender: CREDIT, tendered: money(1210) }]));
    expect(paid.tenders[0]).to.deep.include({ kind: 'storecredit', amount: 1210, reference: ANA });
    const entries = await ledger(db, ANA);
    expect(entries.map((e) => [e._id, e.amount, e.reason])).to.deep.equal([
      [`credit:customer:ana:S001:T1:return-00000002-0`, 2420, 'refund'],
      [`credit:customer:ana:S001:T1:sale-00000003-0`, -1210, 'redeem'],
    ]);
    for (const e of entries) {
      expect(validateDoc(e), e._id).to.deep.equal([]);
      expect(checkWrite('relay-store', e, null, terminalCtx('T1')), e._id).to.equal(null); // the relay will accept it
    }
    expect(await creditBalanceOf(db, ANA)).to.equal(1210);

    // Two tenders on the same account share its balance.
    const twice = await ring(cartFor(ANA, 2), [{ tender: CREDIT, tendered: money(1210) }, { tender: CREDIT, tendered: money(1210) }]);
    expect(twice.ok ? null : twice.error).to.deep.equal({ code: 'insufficient_balance', index: 1, balance: 0 });
  });

  it('refuses store credit with no account, and gift cards draw on their own number', async () => {
    const { db, ring } = await setup();
    const none = await ring(cartFor(null), [{ tender: CREDIT, tendered: money(1210) }]);
    expect(none.ok ? null : none.error).to.deep.equal({ code: 'credit_account_required', index: 0 });
    // A gift card of 10.00 issued earlier (as the relay would bring it), then 10.00 of it plus 2.10 cash.
    const issue: CreditEntry = {
      _id: `credit:giftcard:77:S001:T9:issue-1`, type: 'credit', schema: 1, storeId: 'S001', terminalId: 'T9', giftCardId: CARD77,
      amount: money(1000), reason: 'issue', createdAt: NOW, userId: 'u-desk', approvals: [],
    };
    expect(validateDoc(issue)).to.deep.equal([]);
    await db.put(issue as CreditEntry & Record<string, unknown>);
    const s = must(await ring(cartFor(null), [{ tender: GIFT, tendered: money(1000), reference: '77' }, { tender: CASH, tendered: money(210) }]));
    expect(saleCreditEntries(s).map((e) => e._id)).to.deep.equal(['credit:giftcard:77:S001:T1:sale-00000001-0']);
    expect(await creditBalanceOf(db, CARD77)).to.equal(0);
    const again = await ring(cartFor(null), [{ tender: GIFT, tendered: money(100), reference: '77' }, { tender: CASH, tendered: money(1110) }]);
    expect(again.ok ? null : again.error).to.deep.equal({ code: 'insufficient_balance', index: 0, balance: 0 });
  });

  it('a void at another till gives the credit back once', async () => {
    const { db, ring } = await setup();
    await db.put({ _id: `credit:customer:ana:S001:T9:gift-1`, type: 'credit', schema: 1, storeId: 'S001', terminalId: 'T9', customerId: ANA, amount: 5000, reason: 'issue', createdAt: NOW, userId: 'u-desk', approvals: [] });
    const s = must(await ring(cartFor(ANA), [{ tender: CREDIT, tendered: money(1210) }]));
    expect(await creditBalanceOf(db, ANA)).to.equal(3790);
    const t2 = must(await commitShiftOpen(db, { config: CONFIG, terminalId: 'T2', user: CASHIER, openingFloat: money(0), now: NOW }));
    const v = must(await commitVoid(db, { config: CONFIG, terminalId: 'T2', shiftId: t2._id, cashier: MANAGER, receipt: s.receiptNumber, reason: 'wrong card', now: NOW }));
    expect(v.terminalId).to.equal('T2');
    const back = (await ledger(db, ANA)).find((e) => e.reason === 'refund');
    expect(back).to.deep.include({ _id: 'credit:customer:ana:S001:T1:void-00000001-0', terminalId: 'T2', amount: 1210, saleId: s._id });
    expect(checkWrite('relay-store', back, null, terminalCtx('T2'))).to.equal(null);
    expect(await creditBalanceOf(db, ANA)).to.equal(5000);
  });

  it('repairs a redeem entry lost to a crash between the sale and its entry', async () => {
    const { db, shift, ring } = await setup();
    await db.put({ _id: `credit:customer:ana:S001:T9:gift-1`, type: 'credit', schema: 1, storeId: 'S001', terminalId: 'T9', customerId: ANA, amount: 5000, reason: 'issue', createdAt: NOW, userId: 'u-desk', approvals: [] });
    // The renderer died after the sale's put: the sale stands, its redeem entry was never written.
    const crashed = must(buildSale({
      config: CONFIG, terminalId: 'T1', seq: 1, shiftId: shift._id, cashierId: CASHIER.userId, cart: cartFor(ANA), catalog: CATALOG,
      tenders: [{ tender: CREDIT, tendered: money(1210), reference: ANA, balance: money(5000) }], now: NOW,
    }));
    await db.put(crashed as Sale & Record<string, unknown>);
    expect(await creditBalanceOf(db, ANA)).to.equal(5000); // not yet taken off
    // After the restart, the first commit writes it (same id as it would have had) before reading balances.
    const restarted = reopened(db);
    const over = await ring(cartFor(ANA, 5), [{ tender: CREDIT, tendered: money(5000) }, { tender: CASH, tendered: money(1050) }], restarted);
    expect(over.ok ? null : over.error).to.deep.equal({ code: 'insufficient_balance', index: 0, balance: 3790 });
    const next = must(await ring(cartFor(ANA, 3), [{ tender: CREDIT, tendered: money(3630) }], restarted));
    expect(next.seq).to.equal(2);
    expect((await ledger(db, ANA)).map((e) => [e._id, e.amount])).to.deep.equal([
      ['credit:customer:ana:S001:T1:sale-00000001-0', -1210],
      ['credit:customer:ana:S001:T1:sale-00000002-0', -3630],
      ['credit:customer:ana:S001:T9:gift-1', 5000],
    ]);
    expect(await creditBalanceOf(db, ANA)).to.equal(160);
  });

  it('a failed entry write leaves the sale standing and is repaired by the next commit', async () => {
    const { db, ring } = await setup();
    await db.put({ _id: `credit:customer:ana:S001:T9:gift-1`, type: 'credit', schema: 1, storeId: 'S001', terminalId: 'T9', customerId: ANA, amount: 5000, reason: 'issue', createdAt: NOW, userId: 'u-desk', approvals: [] });
    let failCredit = true;
    const flaky: LocalDb = {
      ...reopened(db),
      put: async (d) => {
        if (failCredit && d._id.startsWith('credit:')) {
          failCredit = false;
          throw Object.assign(new Error('QuotaExceededError'), { status: 500 });
        }
        return db.put(d);
      },
    };
    const first = must(await ring(cartFor(ANA), [{ tender: CREDIT, tendered: money(1210) }], flaky));
    expect(first.seq).to.equal(1); // the sale is committed; its entry is owed
    expect(await creditBalanceOf(db, ANA)).to.equal(5000);
    must(await ring(cartFor(null), [{ tender: CASH, tendered: money(1210) }], flaky));
    expect(await creditBalanceOf(db, ANA)).to.equal(3790);
  });
});
