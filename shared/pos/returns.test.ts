import { expect } from 'chai';
import { validateDoc } from '../model/validate';
import type { Approval, Return, Sale } from '../model/types';
import { addItem, emptyCart, setCartDiscount, setLineDiscount, type Cart } from './cart';
import { buildExchange, buildReturn, buildVoid, returnable, type BuildReturnInput } from './returns';
import { buildSale } from './sale';
import type { TenderInput } from './tenders';
import { CARD, CASH, CASHIER, catalog, CREDIT, m, MANAGER, must, NOW, product, storeConfig, user } from '../../tests/support/posFixtures';

const config = storeConfig();
const SHIFT = 'shift:S001:T1:00000001';

function ring(cart: Cart, tenders: TenderInput[], seq = 1, now = NOW): Sale {
  return must(buildSale({ config, terminalId: 'T1', seq, shiftId: SHIFT, cashierId: 'u-cashier', cart, catalog: catalog(), tenders, now }));
}

/** 3 x A at 10.00 with 10 % off, 1 x B at 13.00, and 5.00 off the cart; VAT 21 % exclusive. */
function discountedSale(tenders: TenderInput[]): Sale {
  let c = must(addItem(emptyCart(), product('A', 1000), 3));
  c = must(addItem(c, product('B', 1300), 1));
  c = must(setLineDiscount(c, 1, { kind: 'percent', percentBp: 1000 }, CASHIER));
  c = must(setCartDiscount(c, { kind: 'amount', amount: m(500) }, MANAGER));
  return ring(c, tenders);
}

function returnInput(sale: Sale, previous: Return[], qty: number, seq: number, extra: Partial<BuildReturnInput> = {}): BuildReturnInput {
  return {
    sale,
    previous,
    requests: [{ lineNo: 1, qty, restock: true }],
    config,
    terminalId: 'T1',
    seq,
    shiftId: SHIFT,
    cashier: CASHIER,
    refund: { to: 'original' },
    now: NOW,
    ...extra,
  };
}

describe('pos/returns', () => {
  it('partial returns of a discounted line: pro rata of the net, taxes pro rata, the last one takes the remainder', () => {
    // Line A: 30.00 - 10 % = 27.00; cart 5.00 split 27.00:13.00 -> 3.375 / 1.625 -> 3.38 / 1.62 (tie, earlier line).
    // Net A = 27.00 - 3.38 = 23.62; VAT 23.62 x 21 % = 4.9602 -> 4.96. Sale total 35.00 + 7.35 = 42.35.
    const sale = discountedSale([{ tender: CARD, tendered: m(2000), reference: '4242' }, { tender: CASH, tendered: m(2235) }]);
    expect(sale.lines[0]).to.include({ netAmount: 2362, cartDiscountShare: 338 });
    expect(sale.total).to.equal(4235);

    // 1st unit: 23.62 / 3 = 7.8733 -> 7.87, tax 4.96 / 3 = 1.6533 -> 1.65: refund 9.52.
    const r1 = must(buildReturn(returnInput(sale, [], 1, 2)));
    expect(validateDoc(r1)).to.deep.equal([]);
    expect(r1.lines[0]).to.include({ amount: 787, restock: true });
    expect(r1.taxTotal).to.equal(165);
    expect(r1.total).to.equal(952);
    expect(r1.refunds).to.deep.equal([{ tenderId: 'tender:card', kind: 'card', amount: 952, tendered: 952, change: 0, reference: '4242' }]);
    // 2nd unit: round(23.62 x 2/3) - 7.87 = 15.75 - 7.87 = 7.88; tax round(4.96 x 2/3) - 1.65 = 3.31 - 1.65 = 1.66.
    const r2 = must(buildReturn(returnInput(sale, [r1], 1, 3)));
    expect([r2.lines[0]?.amount, r2.taxTotal, r2.total]).to.deep.equal([788, 166, 954]);
    // 3rd unit: 23.62 - 15.75 = 7.87, tax 4.96 - 3.31 = 1.65. The card had 20.00 - 9.52 - 9.54 = 0.94 left; cash the rest.
    const r3 = must(buildReturn(returnInput(sale, [r1, r2], 1, 4)));
    expect([r3.lines[0]?.amount, r3.taxTotal, r3.total]).to.deep.equal([787, 165, 952]);
    expect(r3.refunds.map((t) => [t.kind, t.amount])).to.deep.equal([
      ['card', 94],
      ['cash', 858],
    ]);
    // The whole line came back exactly.
    expect(787 + 788 + 787).to.equal(2362);
    expect(165 + 166 + 165).to.equal(496);
    // Nothing more to return.
    const r4 = buildReturn(returnInput(sale, [r1, r2, r3], 1, 5));
    expect(!r4.ok && r4.error).to.deep.equal({ code: 'exceeds_sold', lineNo: 1, remaining: 0 });
    expect(returnable(sale, [r1, r2, r3])[0]).to.include({ sold: 3, returned: 3, remaining: 0 });
  });

  it('returns need permission or approval, and a late one needs its own approval', () => {
    const sale = discountedSale([{ tender: CARD, tendered: m(4235), reference: '4242' }]);
    const clerk = user('u-clerk', [], 0);
    const r = buildReturn(returnInput(sale, [], 1, 2, { cashier: clerk }));
    expect(!r.ok && r.error).to.deep.equal({ code: 'approval_required', action: 'sale.refund' });
    const ok = buildReturn(returnInput(sale, [], 1, 2, { cashier: clerk, approvals: [{ action: 'sale.refund', approvedBy: 'u-manager', approvedAt: NOW }] }));
    expect(ok.ok).to.equal(true);
    const late = buildReturn(returnInput(sale, [], 1, 2, { now: '2025-05-01T18:00:00Z' }));
    expect(!late.ok && late.error).to.deep.equal({ code: 'approval_required', action: 'return.late' });
    const credit = must(buildReturn(returnInput(sale, [], 1, 2, { refund: { to: 'storecredit', tender: CREDIT, reference: 'customer:c1' } })));
    expect(credit.refunds).to.deep.equal([{ tenderId: 'tender:credit', kind: 'storecredit', amount: 952, tendered: 952, change: 0, reference: 'customer:c1' }]);
    expect(buildReturn(returnInput(sale, [], 1, 2, { voided: true })).ok).to.equal(false);
  });

  it('void: same business day, before the Z, with permission or approval', () => {
    const sale = discountedSale([{ tender: CASH, tendered: m(5000) }]);
    const base = { config, now: NOW, zReportExists: false, terminalId: 'T1', shiftId: SHIFT, cashierId: 'u-cashier', reason: 'wrong item' };
    const v = must(buildVoid(sale, { ...base, user: MANAGER }));
    expect(validateDoc(v)).to.deep.equal([]);
    expect(v._id).to.equal(`void:${sale._id}`);
    expect(v.lines).to.deep.equal([
      { productId: 'product:A', qty: 3 },
      { productId: 'product:B', qty: 1 },
    ]);
    expect(v.total).to.equal(4235);
    const noPerm = buildVoid(sale, { ...base, user: CASHIER });
    expect(!noPerm.ok && noPerm.error).to.deep.equal({ code: 'approval_required', action: 'sale.void' });
    const approval: Approval = { action: 'sale.void', approvedBy: 'u-manager', approvedAt: NOW };
    expect(must(buildVoid(sale, { ...base, user: CASHIER, approval })).approvals).to.deep.equal([approval]);
    // 06:30 UTC on the 15th is 00:30 local on the 15th: another business day.
    const nextDay = buildVoid(sale, { ...base, user: MANAGER, now: '2025-03-15T06:30:00Z' });
    expect(!nextDay.ok && nextDay.error.code).to.equal('different_day');
    const closed = buildVoid(sale, { ...base, user: MANAGER, zReportExists: true });
    expect(!closed.ok && closed.error.code).to.equal('day_closed');
    const ret = must(buildReturn(returnInput(sale, [], 1, 2)));
    const withReturn = buildVoid(sale, { ...base, user: MANAGER, returns: [ret] });
    expect(!withReturn.ok && withReturn.error.code).to.equal('has_returns');
  });

  it('exchange: a return and a new sale settled together for the net difference', () => {
    // Original: 2 x A at 10.00 + 21 % = 24.20, by card.
    const original = ring(must(addItem(emptyCart(), product('A', 1000), 2)), [{ tender: CARD, tendered: m(2420), reference: '4242' }]);
    const ret = { ...returnInput(original, [], 1, 2) };
    const saleBase = { config, terminalId: 'T1', seq: 3, shiftId: SHIFT, cashierId: 'u-cashier', catalog: catalog(), now: NOW };
    // Dearer: C at 15.00 + 21 % = 18.15; return 12.10; customer pays 6.05 with 10.00 cash, change 3.95.
    const up = must(
      buildExchange({ ret, sale: { ...saleBase, cart: must(addItem(emptyCart(), product('C', 1500), 1)) }, tenders: [{ tender: CASH, tendered: m(1000) }] }),
    );
    expect(up.difference).to.equal(605);
    expect(up.sale.tenders.map((t) => [t.tenderId, t.amount, t.change])).to.deep.equal([
      ['tender:exchange', 1210, 0],
      ['tender:cash', 605, 395],
    ]);
    expect(up.ret.refunds).to.deep.equal([
      { tenderId: 'tender:exchange', kind: 'other', amount: 1210, tendered: 1210, change: 0, reference: up.sale._id },
    ]);
    expect(up.ret.exchangeSaleId).to.equal(up.sale._id);
    expect(validateDoc(up.sale)).to.deep.equal([]);
    expect(validateDoc(up.ret)).to.deep.equal([]);
    // Cheaper: D at 5.00 + 21 % = 6.05; the remaining 6.05 goes back to the card.
    const down = must(buildExchange({ ret, sale: { ...saleBase, cart: must(addItem(emptyCart(), product('D', 500), 1)) }, tenders: [] }));
    expect(down.difference).to.equal(-605);
    expect(down.sale.tenders.map((t) => [t.tenderId, t.amount])).to.deep.equal([['tender:exchange', 605]]);
    expect(down.ret.refunds.map((t) => [t.tenderId, t.amount])).to.deep.equal([
      ['tender:exchange', 605],
      ['tender:card', 605],
    ]);
    expect(down.ret.total).to.equal(1210);
  });
});
