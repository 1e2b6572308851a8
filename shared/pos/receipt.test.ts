import { expect } from 'chai';
import type { Return, Sale } from '../model/types';
import { addItem, emptyCart, setCartDiscount, setLineDiscount } from './cart';
import { encodeEscPos } from './escpos';
import { formatAmount } from './i18n';
import { buildReceipt, renderText, width, wrap } from './receipt';
import { buildReturn } from './returns';
import { buildSale } from './sale';
import { CARD, CASH, CASHIER, catalog, m, MANAGER, must, product, QC, special, storeConfig, USD } from '../../tests/support/posFixtures';

const config = storeConfig({ cashRounding: m(5) });
const SHIFT = 'shift:S001:T1:00000001';

function sale(): Sale {
  let c = must(addItem(emptyCart(), product('A', 1000, { name: 'Organic whole coffee beans, dark roast 1 kg bag (fair trade, single origin)' }), 2));
  c = must(addItem(c, product('KG', 1299, { weighed: true, name: 'Tomatoes' }), 1.235));
  c = must(addItem(c, product('Q', 1999, { group: QC, name: 'Maple syrup' }), 1));
  c = must(setLineDiscount(c, 1, { kind: 'percent', percentBp: 500 }, CASHIER));
  c = must(setCartDiscount(c, { kind: 'amount', amount: m(100) }, MANAGER));
  const specials = [special('OFF10', 'percent_off', { percentBp: 1000, target: { productIds: ['product:Q'] } })];
  return must(
    buildSale({
      config, terminalId: 'T1', seq: 42, shiftId: SHIFT, cashierId: 'u-cashier', cart: c, catalog: catalog(specials),
      tenders: [{ tender: CARD, tendered: m(3000), reference: '4242' }, { tender: USD, foreignAmount: m(300) }],
      now: '2025-03-15T03:30:00Z', // 21:30 on the 14th in Mexico City
    }),
  );
}

function cashSale(): Sale {
  const c = must(addItem(emptyCart(), product('B', 829, { name: 'Bread' }), 1)); // 8.29 + 1.74 (21 %) = 10.03 -> 10.05 in cash
  return must(buildSale({ config, terminalId: 'T1', seq: 7, shiftId: SHIFT, cashierId: 'u-cashier', cart: c, catalog: catalog(), tenders: [{ tender: CASH, tendered: m(2000) }], now: '2025-03-14T18:00:00Z' }));
}

function ret(s: Sale): Return {
  return must(
    buildReturn({
      sale: s, previous: [], requests: [{ lineNo: 1, qty: 1, restock: true }], config, terminalId: 'T1', seq: 43, shiftId: SHIFT,
      cashier: CASHIER, refund: { to: 'original' }, now: '2025-03-15T04:00:00Z',
    }),
  );
}

describe('pos/receipt', () => {
  for (const lang of ['en', 'es'] as const) {
    for (const cols of [32, 48] as const) {
      it(`sale and return receipts in ${lang} at ${cols} columns fit the paper and carry every part`, () => {
        const s = sale();
        const text = renderText(buildReceipt(s, config, lang, { tenderNames: { 'tender:card': { en: 'Visa', es: 'Visa' } } }), cols);
        const lines = text.split('\n');
        for (const l of lines) expect(width(l), l).to.be.at.most(cols);
        expect(text).to.contain('Caja Centro');
        expect(text).to.contain(lang === 'en' ? 'SALE' : 'VENTA');
        expect(text).to.contain('S001-T1-42');
        expect(text).to.contain('2025-03-14 21:30'); // local time of the store, not UTC
        expect(text).to.contain(lang === 'en' ? 'Subtotal' : 'Subtotal');
        expect(text).to.contain(lang === 'en' ? 'Cart discount' : 'Descuento general');
        expect(text).to.contain('QST 9.5%');
        expect(text).to.match(new RegExp(`TOTAL MXN +${formatAmount(s.total, 'es-MX').replace('.', '\\.')}$`, 'm'));
        expect(text).to.contain('Visa 4242');
        expect(text).to.contain(lang === 'en' ? 'Change' : 'Cambio');
        expect(text).to.contain(lang === 'en' ? 'Returns within 30 days' : 'Devoluciones dentro de 30');
        expect(text).to.contain('1.235 x 12.99'); // a Mexican store's numbers in either language

        const cash = renderText(buildReceipt(cashSale(), config, lang), cols);
        expect(cash).to.match(new RegExp(`^${lang === 'en' ? 'Rounding' : 'Redondeo'} +0\\.02$`, 'm'));
        expect(cash).to.match(new RegExp('^TOTAL MXN +10\\.05$', 'm'));

        const r = renderText(buildReceipt(ret(s), config, lang, { originalSale: s }), cols);
        for (const l of r.split('\n')) expect(width(l), l).to.be.at.most(cols);
        expect(r).to.contain(lang === 'en' ? 'RETURN' : 'DEVOLUCIÓN');
        expect(r).to.contain('S001-T1-43');
        expect(r).to.contain(lang === 'en' ? 'Original receipt' : 'Ticket original');
        expect(r).to.contain('S001-T1-42');
      });
    }
  }

  it('wraps words and splits words longer than a line', () => {
    expect(wrap('a bb ccc dddd', 6)).to.deep.equal(['a bb', 'ccc', 'dddd']);
    expect(wrap('abcdefghij', 4)).to.deep.equal(['abcd', 'efgh', 'ij']);
    expect(formatAmount(-123456, 'en')).to.equal('-1,234.56');
    expect(formatAmount(1234567, 'es')).to.equal('12.345,67');
    expect(formatAmount(1005, 'en')).to.equal('10.05');
  });

  it('ESC/POS bytes hold the initialise command, a CODE128 barcode of the receipt number and a cut', () => {
    const s = sale();
    for (const cols of [32, 48] as const) {
      const bytes = encodeEscPos(buildReceipt(s, config, 'es'), cols);
      expect(bytes).to.be.instanceOf(Uint8Array);
      const hex = Buffer.from(bytes).toString('hex');
      expect(hex.startsWith('1b40')).to.equal(true); // ESC @
      expect(hex).to.contain('1d6b49'); // GS k 73: CODE128
      expect(hex).to.contain(Buffer.from('S001-T1-42').toString('hex')); // its data
      expect(hex).to.match(/1d56(00|01|41|42)/); // GS V: cut
    }
  });
});
