import { expect } from 'chai';
import { money } from '../money';
import type { Approval, StorePrice } from '../model/types';
import { allocate, extend } from './arith';
import { addItem, changeQty, computeTotals, emptyCart, overridePrice, removeLine, setCartDiscount, setLineDiscount } from './cart';
import { bestSpecial, resolveUnitPrice, specialDiscount } from './pricing';
import { CASHIER, ctx, m, MANAGER, must, NONE, NOW, product, special } from '../../tests/support/posFixtures';

const approval = (action: string, lineNo?: number): Approval => ({
  action,
  approvedBy: 'u-manager',
  approvedAt: NOW,
  ...(lineNo !== undefined ? { lineNo } : {}),
});

describe('pos/pricing', () => {
  it('effective price: the store price override, else the base price', () => {
    const p = product('P1', 1000);
    const sp: StorePrice = { _id: 'price:P1', type: 'price', schema: 1, storeId: 'S001', sku: 'P1', price: m(950), updatedAt: NOW };
    expect(resolveUnitPrice(p, sp)).to.deep.equal({ unitPrice: 950, priceSource: 'store' });
    expect(resolveUnitPrice(p, null)).to.deep.equal({ unitPrice: 1000, priceSource: 'base' });
  });

  it('weighed goods: gross = qty x price rounded half up; counted goods refuse fractions', () => {
    expect(extend(1.235, m(1299))).to.equal(1604); // 16.04265 -> 16.04
    expect(extend(0.505, m(330))).to.equal(167); // 1.6665 -> 1.67 (half up)
    const kg = product('KG', 330, { weighed: true });
    const cart = must(addItem(emptyCart(), kg, 0.505));
    expect(computeTotals(cart, ctx()).lines[0]?.grossAmount).to.equal(167);
    const r = addItem(emptyCart(), product('EA', 100), 1.5);
    expect(r.ok).to.equal(false);
    expect(addItem(emptyCart(), kg, 0.0005).ok).to.equal(false); // more than 3 decimals
  });

  it('specials: each kind, and the best one wins with a deterministic tie-break', () => {
    const item = { productId: 'product:P', departmentId: 'department:D', qty: 2, unitPrice: m(2000) };
    const pct = special('B-PCT', 'percent_off', { percentBp: 1500, target: { productIds: ['product:P'] } });
    const amt = special('C-AMT', 'amount_off', { amount: m(250), target: { productIds: ['product:P'] } });
    const fix = special('A-FIX', 'fixed_price', { amount: m(1700), target: { departmentIds: ['department:D'] } });
    expect(specialDiscount(pct, item)).to.equal(600); // 40.00 x 15 %
    expect(specialDiscount(amt, item)).to.equal(500); // 2 x 2.50
    expect(specialDiscount(fix, item)).to.equal(600); // 40.00 - 2 x 17.00
    // 6.00 both: the lower code wins, whatever the order they come in.
    const c = { storeId: 'S001', now: NOW, specials: [pct, amt, fix] };
    expect(bestSpecial(item, c)?.special.code).to.equal('A-FIX');
    expect(bestSpecial(item, { ...c, specials: [fix, amt, pct] })?.special.code).to.equal('A-FIX');

    const b2g1 = special('B2G1', 'buy_x_get_y', { buyQty: 2, getQty: 1 });
    expect(specialDiscount(b2g1, { ...item, qty: 7, unitPrice: m(300) })).to.equal(600); // 2 free of 7
    const brk = special('BRK', 'qty_break', { breaks: [{ minQty: 5, unitPrice: m(900) }, { minQty: 10, unitPrice: m(800) }] });
    expect(specialDiscount(brk, { ...item, qty: 12, unitPrice: m(1000) })).to.equal(2400); // 12 x (10.00 - 8.00)
    expect(specialDiscount(brk, { ...item, qty: 4, unitPrice: m(1000) })).to.equal(0);
  });

  it('specials only in their stores and dates, and never on an overridden price', () => {
    const target = { productIds: ['product:P'] };
    const other = special('X1', 'percent_off', { percentBp: 5000, target, storeIds: ['S999'] });
    const later = special('X2', 'percent_off', { percentBp: 5000, target, startsAt: '2025-06-01T00:00:00.000Z' });
    const off = special('X3', 'percent_off', { percentBp: 5000, target, active: false });
    const ok10 = special('X4', 'percent_off', { percentBp: 1000, target });
    let cart = must(addItem(emptyCart(), product('P', 1000), 1));
    const t = computeTotals(cart, ctx('exclusive', [other, later, off, ok10]));
    expect(t.lines[0]?.discounts).to.deep.equal([{ kind: 'special', amount: 100, specialId: 'special:X4', reason: 'X4' }]);
    cart = must(overridePrice(cart, 1, m(800), MANAGER));
    expect(computeTotals(cart, ctx('exclusive', [ok10])).lines[0]?.discounts).to.deep.equal([]);
  });

  it('line discount beyond the role limit needs a manager approval', () => {
    const cart = must(addItem(emptyCart(), product('P', 1000), 2));
    const over = setLineDiscount(cart, 1, { kind: 'percent', percentBp: 1500 }, CASHIER);
    expect(over.ok).to.equal(false);
    if (!over.ok) expect(over.error).to.deep.equal({ code: 'approval_required', action: 'discount.over_limit', lineNo: 1, limitBp: 1000, requestedBp: 1500 });
    // An amount is measured against the line: 2.01 of 20.00 is 10.05 % > 10 %.
    expect(setLineDiscount(cart, 1, { kind: 'amount', amount: m(201) }, CASHIER).ok).to.equal(false);
    expect(setLineDiscount(cart, 1, { kind: 'amount', amount: m(200) }, CASHIER).ok).to.equal(true);
    const ok = must(setLineDiscount(cart, 1, { kind: 'percent', percentBp: 1500 }, CASHIER, approval('discount.over_limit', 1)));
    expect(ok.approvals).to.have.length(1);
    expect(computeTotals(ok, ctx()).lines[0]?.netAmount).to.equal(1700);
    // A manager's own limit (50 %) covers it without an approval.
    expect(setLineDiscount(cart, 1, { kind: 'percent', percentBp: 1500 }, MANAGER).ok).to.equal(true);
  });

  it('cart discount beyond the limit and price override without permission need approvals', () => {
    const cart = must(addItem(emptyCart(), product('P', 1000), 1));
    const r = setCartDiscount(cart, { kind: 'percent', percentBp: 2000 }, CASHIER);
    expect(!r.ok && r.error.code).to.equal('approval_required');
    expect(setCartDiscount(cart, { kind: 'percent', percentBp: 2000 }, CASHIER, approval('discount.over_limit')).ok).to.equal(true);
    const p = overridePrice(cart, 1, m(500), CASHIER);
    expect(!p.ok && p.error).to.deep.equal({ code: 'approval_required', action: 'price.override', lineNo: 1 });
    const withApproval = must(overridePrice(cart, 1, m(500), CASHIER, approval('price.override', 1)));
    expect(withApproval.lines[0]).to.include({ unitPrice: 500, priceSource: 'override', listPrice: 1000 });
    expect(withApproval.approvals[0]?.action).to.equal('price.override');
  });

  it('cart discount is allocated pro rata by net with largest remainder, summing exactly', () => {
    expect(allocate(m(100), [100, 100, 100])).to.deep.equal([34, 33, 33]);
    expect(allocate(m(500), [2700, 1300])).to.deep.equal([338, 162]); // 337.5 / 162.5: tie -> earlier line
    let cart = must(addItem(emptyCart(), product('A', 1000, { group: NONE }), 3));
    cart = must(addItem(cart, product('B', 1300, { group: NONE }), 1));
    cart = must(setLineDiscount(cart, 1, { kind: 'percent', percentBp: 1000 }, CASHIER));
    cart = must(setCartDiscount(cart, { kind: 'amount', amount: m(500) }, MANAGER));
    const t = computeTotals(cart, ctx());
    expect(t.lines.map((l) => [l.grossAmount, l.cartDiscountShare, l.netAmount])).to.deep.equal([
      [3000, 338, 2362], // 30.00 - 3.00 - 3.38
      [1300, 162, 1138],
    ]);
    expect(t.discountTotal).to.equal(800);
    expect(t.total).to.equal(3500);
  });

  it('cart editing: same product merges, qty change, remove, errors', () => {
    let cart = must(addItem(emptyCart(), product('A', 100), 1));
    cart = must(addItem(cart, product('A', 100), 2));
    expect(cart.lines).to.have.length(1);
    expect(cart.lines[0]?.qty).to.equal(3);
    cart = must(addItem(cart, product('B', 100), 1));
    cart = must(changeQty(cart, 2, 5));
    expect(changeQty(cart, 2, 0).ok).to.equal(false);
    expect(changeQty(cart, 99, 1).ok).to.equal(false);
    cart = must(removeLine(cart, 1));
    expect(cart.lines.map((l) => l.lineNo)).to.deep.equal([2]);
    cart = must(addItem(cart, product('C', 100), 1));
    expect(cart.lines.map((l) => l.lineNo)).to.deep.equal([2, 3]); // line numbers are never reused
    expect(money(computeTotals(cart, ctx()).subtotal)).to.equal(600);
  });
});
