// Issue #11: foreign cash in the payment screen's tender list (and the register report's foreign line, and the
// amount fields) was written with toFixed, not in the store's number style. Foreign money is shown with the store's
// separators and that currency's symbol as the store's locale writes it, never the narrow "$" that reads as the
// store's own; an amount field holds the store's decimal mark and reads back through parseMoney.
import { expect } from 'chai';
import type { formatters as Formatters } from './format';

describe('money on the till’s screens (issue #11)', () => {
  let formatters: typeof Formatters;
  before(async () => {
    // format.ts sits next to the Redux store, whose browser packages look for `self` when loaded.
    (globalThis as { self?: unknown }).self ??= globalThis;
    ({ formatters } = await import('./format'));
  });

  for (const lang of ['en', 'es'] as const) {
    it(`in ${lang}: foreign money in the store’s number style with the tender currency’s symbol`, () => {
      const mx = formatters(lang, 'MXN', 'America/Mexico_City');
      expect(mx.foreignMoney(2000, 'USD')).to.equal('USD\u00a020.00');
      expect(mx.foreignMoney(1234567, 'USD')).to.equal('USD\u00a012,345.67');
      expect(mx.foreignMoney(1234567, 'EUR')).to.equal('EUR\u00a012,345.67');
      // The store's own currency, as every other amount on the screen.
      expect(mx.foreignMoney(1234567, 'MXN')).to.equal(mx.money(1234567)).and.equal('$12,345.67');
      const eu = formatters(lang, 'EUR', 'Europe/Madrid');
      expect(eu.foreignMoney(1234567, 'USD')).to.equal('12.345,67\u00a0US$');
      expect(eu.foreignMoney(1234567, 'EUR')).to.equal(eu.money(1234567));
      // Minor units of the tender's own currency: yen have none.
      expect(mx.foreignMoney(1500, 'JPY')).to.equal('JPY\u00a01,500');
    });
  }

  it('an amount field shows the store’s decimal mark without grouping or symbol, and reads back the same', () => {
    const mx = formatters('es', 'MXN', 'America/Mexico_City');
    const eu = formatters('en', 'EUR', 'Europe/Madrid');
    expect(mx.amountInput(1234567)).to.equal('12345.67');
    expect(eu.amountInput(1234567)).to.equal('12345,67');
    expect(mx.amountInput(5)).to.equal('0.05');
    expect(eu.amountInput(-250)).to.equal('-2,50');
    for (const f of [mx, eu]) for (const v of [0, 5, 99, 100, 1234567, 1001]) expect(f.parseMoney(f.amountInput(v))).to.equal(v);
  });
});
