// Money is an integer count of minor units (cents), branded so that a plain number (a quantity, a rate)
// cannot be passed where an amount is expected. Every amount in documents, views and the UI is a Money.

declare const moneyBrand: unique symbol;
/** An integer amount of minor units of the store's currency (e.g. cents). */
export type Money = number & { readonly [moneyBrand]: 'Money' };

/** Brands an integer as Money; throws on a fraction, NaN or an unsafe integer so a float never becomes money. */
export function money(minorUnits: number): Money {
  if (!Number.isSafeInteger(minorUnits)) {
    throw new RangeError(`money must be a safe integer of minor units, got ${minorUnits}`);
  }
  return (minorUnits === 0 ? 0 : minorUnits) as Money; // normalise -0
}

/** Sum of amounts, exact. */
export function sum(amounts: readonly Money[]): Money {
  let total = 0;
  for (const a of amounts) total += a;
  return money(total);
}

/** Rounds a rational number of minor units half away from zero, the one rounding rule of Caja. */
export function roundHalfUp(minorUnits: number): Money {
  const sign = minorUnits < 0 ? -1 : 1;
  // The epsilon absorbs binary representation error (e.g. 0.5 stored as 0.49999999) before rounding.
  return money(sign * Math.floor(Math.abs(minorUnits) + 0.5 + 1e-9));
}

/**
 * The locale whose number conventions a store's money is written in, by the store's currency. A store's
 * configuration holds its language (for words) but no country, and the currency says where the store is: a
 * Mexican store writes 12,345.67 and a Spanish one 12.345,67, whichever language the cashier reads. One table,
 * used by the till's screens and by receipts alike; a currency not listed falls back to en-US conventions.
 */
const CURRENCY_NUMBER_LOCALE: Readonly<Record<string, string>> = {
  MXN: 'es-MX',
  USD: 'en-US',
  CAD: 'en-CA',
  EUR: 'es-ES',
  GTQ: 'es-GT',
  COP: 'es-CO',
  CLP: 'es-CL',
  PEN: 'es-PE',
  ARS: 'es-AR',
};

/** The BCP 47 locale for a store's numbers and money, from its ISO 4217 currency (see the table above). */
export function numberLocale(currency: string): string {
  return CURRENCY_NUMBER_LOCALE[currency.toUpperCase()] ?? 'en-US';
}

/** Formats minor units for display, e.g. 123456 -> "1,234.56" in en, "1.234,56" in es. */
export function formatMoney(amount: Money, currency: string, locale: string, minorDigits = 2): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: minorDigits,
    maximumFractionDigits: minorDigits,
  }).format(amount / 10 ** minorDigits);
}

/** Parses a decimal string typed by a person ("12.5", "12,50") into minor units, or null if it is not money. */
export function parseMoney(text: string, minorDigits = 2): Money | null {
  const cleaned = text.trim().replace(',', '.');
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(cleaned);
  if (!match) return null;
  const frac = match[3] ?? '';
  if (frac.length > minorDigits) return null;
  const units = Number(match[2]) * 10 ** minorDigits + Number(frac.padEnd(minorDigits, '0') || '0');
  return money(match[1] ? -units : units);
}
