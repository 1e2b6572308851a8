// Receipt and report strings in the languages a store can print in. A missing key is a type error, so the
// Spanish and English tables cannot drift apart.

export type Lang = 'en' | 'es';

const en = {
  sale: 'SALE',
  return: 'RETURN',
  receipt: 'Receipt',
  date: 'Date',
  cashier: 'Cashier',
  customer: 'Customer',
  taxExempt: 'Tax exempt',
  originalReceipt: 'Original receipt',
  subtotal: 'Subtotal',
  discounts: 'Discounts',
  discount: 'Discount',
  special: 'Offer',
  cartDiscount: 'Cart discount',
  tax: 'Tax',
  taxIncluded: 'incl.',
  rounding: 'Rounding',
  total: 'TOTAL',
  refundTotal: 'REFUND',
  change: 'Change',
  restock: 'restocked',
  returnPolicy: 'Returns within {days} days with this receipt.',
  cash: 'Cash',
  card: 'Card',
  giftcard: 'Gift card',
  storecredit: 'Store credit',
  foreign: 'Foreign cash',
  other: 'Other',
  items: 'Items',
} as const;

export type I18nKey = keyof typeof en;

const es: Record<I18nKey, string> = {
  sale: 'VENTA',
  return: 'DEVOLUCIÓN',
  receipt: 'Ticket',
  date: 'Fecha',
  cashier: 'Cajero',
  customer: 'Cliente',
  taxExempt: 'Exento de impuestos',
  originalReceipt: 'Ticket original',
  subtotal: 'Subtotal',
  discounts: 'Descuentos',
  discount: 'Descuento',
  special: 'Oferta',
  cartDiscount: 'Descuento general',
  tax: 'Impuesto',
  taxIncluded: 'incl.',
  rounding: 'Redondeo',
  total: 'TOTAL',
  refundTotal: 'REEMBOLSO',
  change: 'Cambio',
  restock: 'reingresado',
  returnPolicy: 'Devoluciones dentro de {days} días con este ticket.',
  cash: 'Efectivo',
  card: 'Tarjeta',
  giftcard: 'Tarjeta de regalo',
  storecredit: 'Saldo a favor',
  foreign: 'Divisa',
  other: 'Otro',
  items: 'Artículos',
};

const tables: Record<Lang, Record<I18nKey, string>> = { en, es };

/** The string for `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: I18nKey, vars: Record<string, string | number> = {}): string {
  return tables[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

// Numbers follow a locale, not the reading language: callers pass the store's number locale (shared/money.ts
// numberLocale: es-MX writes 12,345.67, es-ES 12.345,67). A bare 'en' or 'es' is a locale too (en-US style,
// es-ES style). Formatters are kept per locale: building an Intl.NumberFormat costs more than using one.
const wholeFormats = new Map<string, Intl.NumberFormat>();
const qtyFormats = new Map<string, Intl.NumberFormat>();
const separators = new Map<string, string>();

function cached(map: Map<string, Intl.NumberFormat>, locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = map.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, opts);
    map.set(locale, f);
  }
  return f;
}

/** The decimal separator of a locale: "." in en-US and es-MX, "," in es-ES. */
export function decimalSeparator(locale: string): string {
  let sep = separators.get(locale);
  if (sep === undefined) {
    sep = new Intl.NumberFormat(locale, { minimumFractionDigits: 1 }).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
    separators.set(locale, sep);
  }
  return sep;
}

/**
 * Amount in minor units as a receipt number, no currency symbol, in `locale`'s conventions: "12,345.67" (es-MX,
 * en-US), "12.345,67" (es-ES; four-digit amounts are not grouped there: "1234,56").
 */
export function formatAmount(minor: number, locale: string, minorDigits = 2): string {
  // Integer arithmetic for the digits: minor / 100 as a float can sit just below a half and print the wrong cent.
  const abs = Math.abs(minor);
  const scale = 10 ** minorDigits;
  const whole = Math.floor(abs / scale);
  const frac = String(abs % scale).padStart(minorDigits, '0');
  const wholeText = cached(wholeFormats, locale, { maximumFractionDigits: 0, useGrouping: true }).format(whole);
  const text = minorDigits > 0 ? `${wholeText}${decimalSeparator(locale)}${frac}` : wholeText;
  return minor < 0 ? `-${text}` : text;
}

/** A quantity as printed: whole units plainly, weighed goods with their 3 decimals in `locale`'s style. */
export function formatQty(qty: number, locale: string): string {
  if (Number.isInteger(qty)) return String(qty);
  return cached(qtyFormats, locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(qty);
}
