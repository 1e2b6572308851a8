import { expect } from 'chai';
import { validateDoc } from '../model/validate';
import { addItem, emptyCart, setCartDiscount, setCustomer, setLineDiscount, type Cart } from './cart';
import { businessDate } from './clock';
import { buildSale, park, recall } from './sale';
import { CARD, CASH, CASHIER, catalog, m, MANAGER, must, product, QC, special, storeConfig } from '../../tests/support/posFixtures';

function cart(): Cart {
  let c = must(addItem(emptyCart(), product('A', 1000), 2, { salesRepId: 'rep-1' }));
  c = must(addItem(c, product('Q', 1999, { group: QC }), 1));
  c = must(setLineDiscount(c, 1, { kind: 'percent', percentBp: 500, reason: 'damaged box' }, CASHIER));
  return must(setCartDiscount(c, { kind: 'amount', amount: m(100) }, MANAGER));
}

describe('pos/sale', () => {
  it('business date is the store-local date of the instant', () => {
    // 03:30 UTC on the 15th is 21:30 on the 14th in Mexico City (UTC-6).
    expect(businessDate('2025-03-15T03:30:00Z', 'America/Mexico_City')).to.equal('2025-03-14');
    expect(businessDate('2025-03-15T03:30:00Z', 'Europe/Madrid')).to.equal('2025-03-15');
  });

  it('buildSale produces one complete, valid Sale document', () => {
    const now = '2025-03-15T03:30:00.000Z';
    const c = setCustomer(cart(), { _id: 'customer:abc', taxExempt: null });
    const sale = must(
      buildSale({
        config: storeConfig({ cashRounding: m(5) }),
        terminalId: 'T1',
        seq: 42,
        shiftId: 'shift:S001:T1:00000001',
        cashierId: 'u-cashier',
        cart: c,
        catalog: catalog([special('OFF', 'percent_off', { percentBp: 1000, target: { productIds: ['product:Q'] } })]),
        tenders: [{ tender: CASH, tendered: m(5000) }],
        now,
      }),
    );
    expect(validateDoc(sale)).to.deep.equal([]);
    expect(sale._id).to.equal('sale:S001:T1:00000042');
    expect(sale.receiptNumber).to.equal('S001-T1-42');
    expect(sale.businessDate).to.equal('2025-03-14');
    expect(sale.createdAt).to.equal(now);
    expect(sale.customerId).to.equal('customer:abc');
    expect(sale.lines[0]?.salesRepId).to.equal('rep-1');
    // A: 20.00 - 5 % (1.00) = 19.00; Q: 19.99 - 10 % special (2.00) = 17.99; cart 1.00 split 19.00:17.99
    // -> 0.5136 / 0.4864 of 100 = 51.36 / 48.64 -> 51 + 49 (largest remainder): A 18.49, Q 17.50.
    expect(sale.lines.map((l) => l.netAmount)).to.deep.equal([1849, 1750]);
    // Tax: A 18.49 x 21 % = 3.8829 -> 3.88; Q GST 17.50 x 5 % = 0.875 -> 0.88, QST 18.38 x 9.5 % = 1.7461 -> 1.75.
    expect(sale.taxes.map((t) => [t.code, t.amount])).to.deep.equal([
      ['VAT21', 388],
      ['GST', 88],
      ['QST', 175],
    ]);
    // 18.49 + 17.50 + 3.88 + 0.88 + 1.75 = 42.50, already a multiple of 0.05: no rounding; change 7.50.
    expect([sale.total, sale.rounding, sale.change]).to.deep.equal([4250, 0, 750]);
    expect(sale.approvals).to.deep.equal([]);
  });

  it('buildSale refuses an empty cart or an unsettled sale', () => {
    const base = {
      config: storeConfig(),
      terminalId: 'T1',
      seq: 1,
      shiftId: 'shift:S001:T1:00000001',
      cashierId: 'u',
      catalog: catalog(),
      now: '2025-03-14T18:00:00Z',
    };
    expect(buildSale({ ...base, cart: emptyCart(), tenders: [] }).ok).to.equal(false);
    const r = buildSale({ ...base, cart: cart(), tenders: [{ tender: CARD, tendered: m(100), reference: '1' }] });
    expect(!r.ok && r.error.code).to.equal('insufficient');
  });

  it('park and recall: a JSON snapshot that comes back as the same cart', () => {
    const c = cart();
    const p = park(c, { id: 'p1', storeId: 'S001', terminalId: 'T1', parkedBy: 'u', now: '2025-03-14T18:00:00Z', label: 'Mrs. Ruiz' });
    const stored = JSON.parse(JSON.stringify(p)) as unknown;
    expect(must(recall(stored))).to.deep.equal(c);
    c.lines[0]!.qty = 99; // the parked copy does not move with the live cart
    expect(p.cart.lines[0]?.qty).to.equal(2);
    expect(recall({ kind: 'parked', version: 1, cart: { lines: [{ lineNo: 1 }] } }).ok).to.equal(false);
    expect(recall(null).ok).to.equal(false);
  });
});
