// Property tests of the money rules: whatever the cart, the numbers add up exactly.
import { expect } from 'chai';
import fc from 'fast-check';
import { money } from '../money';
import type { Return, Sale, Special, StoreUser, TaxRate } from '../model/types';
import { addItem, computeTotals, emptyCart, setCartDiscount, setCustomer, setLineDiscount, type Cart } from './cart';
import type { ManualDiscount } from './pricing';
import { buildReturn, computeReturnLines } from './returns';
import { validateDoc } from '../model/validate';
import { buildSale } from './sale';
import { settle, type TenderInput } from './tenders';
import { CARD, CASH, CASHIER, catalog, ctx, GROUPS, m, must, NONE, product, QC, RATES, RED, special, STD, storeConfig, USD, user } from '../../tests/support/posFixtures';

const BOSS: StoreUser = user('u-boss', ['price.override'], 10000);

const lineArb = fc.record({
  price: fc.integer({ min: 0, max: 200_000 }),
  group: fc.constantFrom(STD, RED, QC, NONE),
  weighed: fc.boolean(),
  units: fc.integer({ min: 1, max: 20 }),
  grams: fc.integer({ min: 1, max: 5000 }),
  dept: fc.constantFrom('department:D1', 'department:D2'),
  discount: fc.option(
    fc.oneof(
      fc.record({ kind: fc.constant('percent' as const), percentBp: fc.integer({ min: 0, max: 10000 }) }),
      fc.record({ kind: fc.constant('amount' as const), amount: fc.integer({ min: 0, max: 300_000 }).map(money) }),
    ),
    { nil: undefined },
  ),
});

const specialsArb: fc.Arbitrary<Special[]> = fc.subarray([
  special('P15', 'percent_off', { percentBp: 1500, target: { departmentIds: ['department:D1'] } }),
  special('A1', 'amount_off', { amount: m(100), target: { productIds: ['product:L0', 'product:L2'] } }),
  special('F', 'fixed_price', { amount: m(999), target: { departmentIds: ['department:D2'] } }),
  special('B2G1', 'buy_x_get_y', { buyQty: 2, getQty: 1, target: { departmentIds: ['department:D1', 'department:D2'] } }),
  special('BRK', 'qty_break', { breaks: [{ minQty: 3, unitPrice: m(500) }], target: { productIds: ['product:L1'] } }),
]);

const cartArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 8 }),
  cartDiscount: fc.option(
    fc.oneof(
      fc.record({ kind: fc.constant('percent' as const), percentBp: fc.integer({ min: 0, max: 10000 }) }),
      fc.record({ kind: fc.constant('amount' as const), amount: fc.integer({ min: 0, max: 500_000 }).map(money) }),
    ),
    { nil: undefined },
  ),
  taxMode: fc.constantFrom('exclusive' as const, 'inclusive' as const),
  exempt: fc.boolean(),
  specials: specialsArb,
});

type CartSpec = typeof cartArb extends fc.Arbitrary<infer T> ? T : never;

function makeCart(spec: CartSpec): Cart {
  let c = emptyCart();
  spec.lines.forEach((l, i) => {
    const p = product(`L${i}`, l.price, { group: l.group, weighed: l.weighed, dept: l.dept });
    c = must(addItem(c, p, l.weighed ? l.grams / 1000 : l.units));
    if (l.discount) c = must(setLineDiscount(c, c.lines[c.lines.length - 1]!.lineNo, l.discount as ManualDiscount, BOSS));
  });
  if (spec.cartDiscount) c = must(setCartDiscount(c, spec.cartDiscount as ManualDiscount, BOSS));
  if (spec.exempt) c = setCustomer(c, { _id: 'customer:x', taxExempt: { id: 'EX-1', reason: 'test' } });
  return c;
}

/** An exact fraction, for checking rounded amounts against the rational value they round. */
class Frac {
  constructor(
    readonly n: bigint,
    readonly d: bigint,
  ) {}
  static of(n: number | bigint, d: number | bigint = 1): Frac {
    return new Frac(BigInt(n), BigInt(d));
  }
  add(o: Frac): Frac {
    return new Frac(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  mul(o: Frac): Frac {
    return new Frac(this.n * o.n, this.d * o.d);
  }
  div(o: Frac): Frac {
    return new Frac(this.n * o.d, this.d * o.n);
  }
  /** True when |this - k| <= 1/2 for the integer k. */
  withinHalfOf(k: number): boolean {
    const diff = this.n - BigInt(k) * this.d; // (this - k) * d
    const abs = diff < 0n ? -diff : diff;
    const d = this.d < 0n ? -this.d : this.d;
    return 2n * abs <= d;
  }
}

describe('pos properties', () => {
  it('per-rate taxes sum to the tax total, lines to the totals, for any cart', () => {
    fc.assert(
      fc.property(cartArb, (spec) => {
        const t = computeTotals(makeCart(spec), ctx(spec.taxMode, spec.specials));
        const lineTax = t.lines.reduce((s, l) => s + l.taxes.reduce((a, x) => a + x.amount, 0), 0);
        expect(t.taxes.reduce((s, x) => s + x.amount, 0)).to.equal(t.taxTotal);
        expect(lineTax).to.equal(t.taxTotal);
        expect(t.subtotal).to.equal(t.lines.reduce((s, l) => s + l.grossAmount, 0));
        const net = t.lines.reduce((s, l) => s + l.netAmount, 0);
        expect(t.subtotal - t.discountTotal).to.equal(net);
        expect(t.total).to.equal(spec.taxMode === 'inclusive' ? net : net + t.taxTotal);
        const cartShares = t.lines.reduce((s, l) => s + (l.cartDiscountShare ?? 0), 0);
        expect(cartShares).to.equal(t.cartDiscounts.reduce((s, d) => s + d.amount, 0));
        for (const l of t.lines) {
          expect(l.netAmount).to.be.at.least(0);
          expect(l.netAmount).to.equal(l.grossAmount - l.discounts.reduce((s, d) => s + d.amount, 0) - (l.cartDiscountShare ?? 0));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('rounding never creates or loses more than half a minor unit per line per rate', () => {
    fc.assert(
      fc.property(cartArb, (spec) => {
        const t = computeTotals(makeCart(spec), ctx(spec.taxMode, spec.specials));
        for (const l of t.lines) {
          const rates: TaxRate[] = GROUPS[l.taxGroupId]!.rateIds.map((id) => RATES[id]!);
          if (l.taxes.length === 0) continue;
          if (spec.taxMode === 'exclusive') {
            // Each tax is its basis x rate, exactly, within half a unit; the basis is the net (+ earlier taxes if compound).
            let earlier = 0;
            rates.forEach((r, i) => {
              const tax = l.taxes[i]!;
              expect(tax.basis).to.equal(r.compound ? l.netAmount + earlier : l.netAmount);
              expect(Frac.of(tax.basis * r.rateBp, 10000).withinHalfOf(tax.amount)).to.equal(true);
              earlier += tax.amount;
            });
          } else {
            // The inclusive amount A = net x (1 + s1 + s2 ...), where s_i is rate i on 1 of net (compound on 1 + earlier s).
            const shares: Frac[] = [];
            let earlier = Frac.of(0);
            for (const r of rates) {
              const s = (r.compound ? Frac.of(1).add(earlier) : Frac.of(1)).mul(Frac.of(r.rateBp, 10000));
              shares.push(s);
              earlier = earlier.add(s);
            }
            const whole = Frac.of(1).add(earlier);
            rates.forEach((_r, i) => {
              const exact = Frac.of(l.netAmount).mul(shares[i]!).div(whole);
              expect(exact.withinHalfOf(l.taxes[i]!.amount)).to.equal(true);
            });
            const taxSum = l.taxes.reduce((s, x) => s + x.amount, 0);
            expect(l.taxes[0]!.basis + taxSum).to.equal(l.netAmount); // net + taxes == inclusive amount
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('tenders minus change equals the total, for any cart and any split', () => {
    fc.assert(
      fc.property(
        cartArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom(0, 5, 10, 50),
        fc.constantFrom('cash', 'foreign'),
        (spec, cardShare, extra, cashRounding, last) => {
          const t = computeTotals(makeCart(spec), ctx(spec.taxMode, spec.specials));
          const card = Math.floor(t.total * cardShare);
          const rest = t.total - card;
          const tenders: TenderInput[] = [];
          if (card > 0) tenders.push({ tender: CARD, tendered: m(card), reference: '4242' });
          if (rest > 0) {
            if (last === 'cash') tenders.push({ tender: CASH, tendered: m(rest + extra + cashRounding) });
            else tenders.push({ tender: USD, foreignAmount: m(Math.ceil(rest / 20) + extra) });
          }
          const s = must(settle(t, tenders, { cashRounding }));
          const paid = s.tenders.reduce((a, x) => a + x.amount, 0);
          const tendered = s.tenders.reduce((a, x) => a + x.tendered, 0);
          expect(paid).to.equal(s.total);
          expect(tendered - s.change).to.equal(s.total);
          expect(s.total - t.total).to.equal(s.rounding);
          expect(Math.abs(s.rounding) * 2).to.be.at.most(cashRounding);
          if (cashRounding > 1 && s.rounding !== 0) expect(s.tenders[s.tenders.length - 1]!.kind).to.equal('cash');
          for (const x of s.tenders) if (x.kind === 'card') expect(x.change).to.equal(0);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a sequence of random partial returns never exceeds what was sold, and a full line returns exactly', () => {
    const config = storeConfig();
    fc.assert(
      fc.property(
        cartArb,
        fc.array(fc.record({ line: fc.nat(), qty: fc.integer({ min: 1, max: 8000 }) }), { minLength: 1, maxLength: 25 }),
        (spec, asks) => {
          const cart = makeCart(spec);
          const cat = catalog(spec.specials);
          const sale: Sale = must(
            buildSale({
              config: { ...config, taxMode: spec.taxMode },
              terminalId: 'T1',
              seq: 1,
              shiftId: 'shift:S001:T1:00000001',
              cashierId: 'u',
              cart,
              catalog: cat,
              tenders: [{ tender: CARD, tendered: computeTotals(cart, ctx(spec.taxMode, spec.specials)).total, reference: 'x' }].filter(
                (x) => x.tendered > 0,
              ),
              now: '2025-03-14T18:00:00.000Z',
            }),
          );
          expect(validateDoc(sale)).to.deep.equal([]);
          const done: Return[] = [];
          const returnedMilli = new Map<number, number>();
          for (const a of asks) {
            const line = sale.lines[a.line % sale.lines.length]!;
            const soldMilli = Math.round(line.qty * 1000);
            // Counted goods come back in whole units; weighed goods by the gram.
            const qtyMilli = Number.isInteger(line.qty) ? (a.qty % 4) * 1000 + 1000 : a.qty;
            const before = returnedMilli.get(line.lineNo) ?? 0;
            const requests = [{ lineNo: line.lineNo, qty: qtyMilli / 1000, restock: true }];
            const r = buildReturn({
              sale,
              previous: done,
              requests,
              config,
              terminalId: 'T1',
              seq: done.length + 2,
              shiftId: 'shift:S001:T1:00000001',
              cashier: CASHIER,
              refund: { to: 'original' },
              now: '2025-03-14T19:00:00.000Z',
            });
            if (before + qtyMilli > soldMilli) {
              expect(r.ok).to.equal(false);
              expect(computeReturnLines(sale, done, requests).ok).to.equal(false);
              continue;
            }
            const ret = must(r);
            expect(validateDoc(ret)).to.deep.equal([]);
            returnedMilli.set(line.lineNo, before + qtyMilli);
            done.push(ret);
          }
          for (const line of sale.lines) {
            const back = done.flatMap((d) => d.lines).filter((l) => l.lineNo === line.lineNo);
            const qty = back.reduce((s, l) => s + Math.round(l.qty * 1000), 0);
            expect(qty).to.be.at.most(Math.round(line.qty * 1000));
            const amount = back.reduce((s, l) => s + l.amount, 0);
            expect(amount).to.be.at.most(line.netAmount);
            for (const l of back) expect(l.amount).to.be.at.least(0);
            if (qty === Math.round(line.qty * 1000)) {
              expect(amount).to.equal(line.netAmount);
              line.taxes.forEach((t, i) => expect(back.reduce((s, l) => s + l.taxes[i]!.amount, 0)).to.equal(t.amount));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('totals are identical computed twice and from a JSON round-trip of the inputs (terminal vs HQ)', () => {
    fc.assert(
      fc.property(cartArb, (spec) => {
        const cart = makeCart(spec);
        const c = ctx(spec.taxMode, spec.specials);
        const here = computeTotals(cart, c);
        expect(computeTotals(cart, c)).to.deep.equal(here);
        const there = computeTotals(JSON.parse(JSON.stringify(cart)) as Cart, JSON.parse(JSON.stringify(c)) as typeof c);
        expect(there).to.deep.equal(here);
        expect(JSON.parse(JSON.stringify(here))).to.deep.equal(here); // the result itself survives JSON unchanged
      }),
      { numRuns: 300 },
    );
  });
});
