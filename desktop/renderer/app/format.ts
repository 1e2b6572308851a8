// Money, quantities and dates as the till shows them: in the store's currency and time zone (from its replicated
// configuration), numbers in the store's conventions (shared/money.ts numberLocale: a Mexican store shows
// $12,345.67 to a cashier reading Spanish, a Spanish store 12.345,67 €), words in the cashier's language, through
// shared/ helpers so the screen and the receipt agree.
import { useMemo } from 'react';
import { numberLocale, parseMoney, type Money } from '../../../shared/money';
import { localDateTime } from '../../../shared/pos/clock';
import { formatQty } from '../../../shared/pos/i18n';
import { useAppSelector } from './store';
import type { Lang } from './uiSlice';

/**
 * The BCP 47 locale for the store's numbers: the store's own (from its currency), whatever the language, since
 * "en-CO" or "es-US" would borrow another country's separators. The language stays in the signature for callers
 * that format numbers next to words.
 */
export function localeOf(_lang: Lang, currency: string): string {
  return numberLocale(currency);
}

export interface Formatters {
  lang: Lang;
  currency: string;
  timeZone: string;
  money(amount: Money | number): string;
  /**
   * An amount in another currency (minor units of `currency`, e.g. US dollars taken in a Mexican store): the
   * store's number style with that currency's symbol as the store's locale writes it ("USD 20.00" in Mexico,
   * "20,00 US$" in Spain), never the narrow "$" that would read as the store's own money.
   */
  foreignMoney(amount: number, currency: string): string;
  /** An amount in minor units as the text of an amount field: the store's decimal mark, no grouping or symbol. */
  amountInput(amount: Money | number): string;
  qty(q: number): string;
  /** YYYY-MM-DD HH:mm in the store's zone (as on receipts). */
  dateTime(iso: string): string;
  /** HH:mm in the store's zone. */
  time(iso: string): string;
  /** Parses an amount typed by the cashier ("12.5", "12,50") into minor units. */
  parseMoney(text: string): Money | null;
}

export function formatters(lang: Lang, currency: string, timeZone: string): Formatters {
  const locale = localeOf(lang, currency);
  // As shared/money.ts formatMoney (Intl over minor units / 100), but with the narrow symbol: a till shows its
  // own currency as "$", where CLDR's English for MXN is "MX$". Foreign money goes through foreignMoney.
  const moneyFmt = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
  const digits = moneyFmt.resolvedOptions().maximumFractionDigits ?? 2;
  const timeFmt = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const foreignFmts = new Map<string, { fmt: Intl.NumberFormat; digits: number }>();
  const foreignFmt = (code: string) => {
    let f = foreignFmts.get(code);
    if (!f) {
      const nf = new Intl.NumberFormat(locale, { style: 'currency', currency: code, currencyDisplay: 'symbol' });
      f = { fmt: nf, digits: nf.resolvedOptions().maximumFractionDigits ?? 2 };
      foreignFmts.set(code, f);
    }
    return f;
  };
  const decimalMark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  const money = (amount: number) => moneyFmt.format(amount / 10 ** digits);
  return {
    lang,
    currency,
    timeZone,
    money,
    foreignMoney: (amount, code) => {
      if (code.toUpperCase() === currency.toUpperCase()) return money(amount);
      const f = foreignFmt(code.toUpperCase());
      return f.fmt.format(amount / 10 ** f.digits);
    },
    // Two decimals, as parseMoney reads them back; integer arithmetic so a float never shows 12.4999.
    amountInput: (amount) => {
      const abs = Math.abs(amount);
      const text = `${Math.floor(abs / 100)}${decimalMark}${String(abs % 100).padStart(2, '0')}`;
      return amount < 0 ? `-${text}` : text;
    },
    qty: (q) => formatQty(q, locale),
    dateTime: (iso) => localDateTime(iso, timeZone),
    time: (iso) => timeFmt.format(new Date(iso)),
    parseMoney: (text) => parseMoney(text),
  };
}

/** Formatters for the current language and the store's configuration (defaults until the config arrives). */
export function useFormat(): Formatters {
  const lang = useAppSelector((s) => s.ui.lang);
  const currency = useAppSelector((s) => s.catalog.config?.currency ?? 'MXN');
  const timeZone = useAppSelector((s) => s.catalog.config?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  return useMemo(() => formatters(lang, currency, timeZone), [lang, currency, timeZone]);
}
