// Issue #11: money and quantities are written in the store's number conventions (its currency's locale), the words
// in the language the cashier or customer reads. A Mexican store in Spanish writes 12,345.67, a Spanish store
// 12.345,67, a US store in Spanish still 12,345.67; receipts follow the same rule as the till's screens.
import { expect } from 'chai';
import { numberLocale } from '../money';
import { addItem, emptyCart } from './cart';
import { decimalSeparator, formatAmount, formatQty } from './i18n';
import { buildReceipt, renderText } from './receipt';
import { buildSale } from './sale';
import { CASH, catalog, m, must, product, storeConfig } from '../../tests/support/posFixtures';

describe('pos/i18n: numbers in the store’s conventions', () => {
  it('maps a store currency to the locale of its country, en-US for one not in the table', () => {
    expect(numberLocale('MXN')).to.equal('es-MX');
    expect(numberLocale('EUR')).to.equal('es-ES');
    expect(numberLocale('USD')).to.equal('en-US');
    expect(numberLocale('cop')).to.equal('es-CO');
    expect(numberLocale('XTS')).to.equal('en-US');
  });

  it('formats amounts by locale, exactly (integer digits, no float rounding)', () => {
    expect(formatAmount(1234567, 'es-MX')).to.equal('12,345.67');
    expect(formatAmount(1234567, 'es-ES')).to.equal('12.345,67');
    expect(formatAmount(1234567, 'en-US')).to.equal('12,345.67');
    expect(formatAmount(1234567, 'es-CO')).to.equal('12.345,67');
    expect(formatAmount(-123456789, 'es-MX')).to.equal('-1,234,567.89');
    expect(formatAmount(5, 'es-ES')).to.equal('0,05');
    expect(formatAmount(100005, 'en-US')).to.equal('1,000.05');
    // A bare language is a locale too: the till's older callers keep en-US / es-ES style.
    expect(formatAmount(1234567, 'en')).to.equal('12,345.67');
    expect(formatAmount(1234567, 'es')).to.equal('12.345,67');
    expect(formatAmount(1234, 'es-CL', 0)).to.equal('1.234');
    expect(decimalSeparator('es-MX')).to.equal('.');
    expect(decimalSeparator('es-ES')).to.equal(',');
  });

  it('formats weighed quantities with three decimals by locale', () => {
    expect(formatQty(2, 'es-ES')).to.equal('2');
    expect(formatQty(1.235, 'es-MX')).to.equal('1.235');
    expect(formatQty(1.235, 'es-ES')).to.equal('1,235');
  });

  for (const [currency, expected] of [
    ['MXN', '12,345.67'],
    ['EUR', '12.345,67'],
    ['USD', '12,345.67'],
  ] as const) {
    it(`a ${currency} store's receipt in Spanish writes ${expected}, its words in Spanish`, () => {
      const config = storeConfig({ currency, taxMode: 'inclusive' });
      const cart = must(addItem(emptyCart(), product('BIG', 1234567, { name: 'Refrigerador' }), 1));
      const sale = must(buildSale({ config, terminalId: 'T1', seq: 1, shiftId: 'shift:S001:T1:1', cashierId: 'u-cashier', cart, catalog: catalog(), tenders: [{ tender: CASH, tendered: m(1234567) }], now: '2025-03-14T18:00:00Z' }));
      expect(sale.total).to.equal(1234567);
      const text = renderText(buildReceipt(sale, config, 'es'), 48);
      expect(text).to.match(new RegExp(`^TOTAL ${currency} +${expected.replace(/\./g, '\\.')}$`, 'm'));
      expect(text).to.contain('VENTA');
      expect(text).to.contain('Efectivo');
      const en = renderText(buildReceipt(sale, config, 'en'), 48);
      expect(en).to.match(new RegExp(`^TOTAL ${currency} +${expected.replace(/\./g, '\\.')}$`, 'm'));
      expect(en).to.contain('SALE');
    });
  }
});
