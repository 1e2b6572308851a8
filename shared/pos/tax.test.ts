import { expect } from 'chai';
import { money } from '../money';
import { addItem, computeTotals, emptyCart, setCustomer } from './cart';
import { computeLineTaxes, inclusiveShares, taxExclusive, taxInclusive } from './tax';
import { ctx, GST, must, product, QC, QST, STD, VAT21 } from '../../tests/support/posFixtures';

describe('pos/tax', () => {
  it('compound tax: GST 5 % then QST 9.5 % on price + GST (Quebec 2012), half up per rate', () => {
    // 100.00: GST = 100.00 x 5 % = 5.00; QST basis = 105.00, 105.00 x 9.5 % = 9.975 -> 9.98 (half up).
    const a = taxExclusive(money(10000), [GST, QST]);
    expect(a.taxes.map((t) => [t.code, t.basis, t.amount])).to.deep.equal([
      ['GST', 10000, 500],
      ['QST', 10500, 998],
    ]);
    expect(a.taxTotal).to.equal(1498); // total to pay 114.98
    // 19.99: GST = 0.9995 -> 1.00; QST basis = 19.99 + 1.00 = 20.99, x 9.5 % = 1.99405 -> 1.99; total 22.98.
    const b = taxExclusive(money(1999), [GST, QST]);
    expect(b.taxes.map((t) => [t.basis, t.amount])).to.deep.equal([
      [1999, 100],
      [2099, 199],
    ]);
  });

  it('compound tax on a sale: totals and breakdown', () => {
    const cart = must(addItem(emptyCart(), product('Q1', 1999, { group: QC }), 1));
    const t = computeTotals(cart, ctx('exclusive'));
    expect(t.total).to.equal(2298); // 19.99 + 1.00 + 1.99
    expect(t.taxes.map((x) => [x.code, x.amount])).to.deep.equal([
      ['GST', 100],
      ['QST', 199],
    ]);
  });

  it('tax-inclusive pricing backs the tax out exactly: 10.00 incl. 21 % = 8.26 + 1.74', () => {
    // 10.00 x 21/121 = 1.735537... -> 1.74; net = 10.00 - 1.74 = 8.26.
    const r = taxInclusive(money(1000), [VAT21]);
    expect(r.taxes[0]?.amount).to.equal(174);
    expect(r.net).to.equal(826);
    expect(r.net + r.taxTotal).to.equal(1000);
  });

  it('tax-inclusive compound: 114.98 incl. GST+QST backs out to 100.00 + 5.00 + 9.98', () => {
    // Per 1 of net: GST 0.05, QST 1.05 x 0.095 = 0.09975, so the price is 1.14975 x net.
    // GST = 114.98 x 0.05 / 1.14975 = 5.0002 -> 5.00; QST = 114.98 x 0.09975 / 1.14975 = 9.9754 -> 9.98;
    // net = 114.98 - 5.00 - 9.98 = 100.00.
    const s = inclusiveShares([GST, QST]);
    expect(s.den).to.equal(114_975_000n);
    const r = taxInclusive(money(11498), [GST, QST]);
    expect(r.taxes.map((t) => t.amount)).to.deep.equal([500, 998]);
    expect(r.net).to.equal(10000);
    expect(r.taxes[1]?.basis).to.equal(10500); // QST's basis shown as net + GST
  });

  it('inclusive sale totals: total is the shelf price, taxes inside it', () => {
    let cart = must(addItem(emptyCart(), product('A', 1000, { group: STD }), 3));
    cart = must(addItem(cart, product('B', 1999, { group: QC }), 1));
    const t = computeTotals(cart, ctx('inclusive'));
    // A: 30.00 incl. 21 %: 30.00 x 21/121 = 5.2066 -> 5.21. B: 19.99 x 0.05/1.14975 = 0.8693 -> 0.87,
    // 19.99 x 0.09975/1.14975 = 1.7343 -> 1.73.
    expect(t.total).to.equal(4999);
    expect(t.taxes.map((x) => [x.code, x.amount])).to.deep.equal([
      ['VAT21', 521],
      ['GST', 87],
      ['QST', 173],
    ]);
    expect(t.taxTotal).to.equal(781);
  });

  it('an exempt customer pays no tax and the exemption is recorded', () => {
    let cart = must(addItem(emptyCart(), product('A', 1000), 2));
    cart = setCustomer(cart, { _id: 'customer:c1', taxExempt: { id: 'EXEMPT-42', reason: 'diplomat' } });
    const t = computeTotals(cart, ctx('exclusive'));
    expect(t.taxTotal).to.equal(0);
    expect(t.total).to.equal(2000);
    expect(t.taxExemptId).to.equal('EXEMPT-42');
    expect(t.lines[0]?.taxes).to.deep.equal([]);
    expect(computeLineTaxes(money(1000), [VAT21], 'inclusive', true).net).to.equal(1000);
  });
});
