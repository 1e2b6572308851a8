// One receipt model for sales and returns, built from the document itself (never from the live cart), so a
// reprint at HQ or a week later is the same receipt. Rendered to fixed-width text for 58 mm (32 columns) and
// 80 mm (48 columns) paper; escpos.ts turns the same model into printer bytes.
import type { I18nText, Return, Sale, StoreConfig, TenderKind } from '../model/types';
import { parseSaleId, receiptNumber } from '../model/ids';
import { localDateTime } from './clock';
import { numberLocale } from '../money';
import { decimalSeparator, formatAmount, formatQty, t, type Lang } from './i18n';

export type ReceiptColumns = 32 | 48;

/** A label and a printed amount. */
export interface ReceiptRow {
  label: string;
  amount: string;
  strong?: boolean;
}

export interface ReceiptItem {
  name: string;
  detail: string | null; // "2 x 1.50", or null for a single unit
  amount: string;
  notes: ReceiptRow[]; // discounts taken off this line, restock note of a return
}

export interface ReceiptModel {
  lang: Lang;
  kind: 'sale' | 'return';
  header: string[];
  title: string;
  meta: ReceiptRow[];
  items: ReceiptItem[];
  totals: ReceiptRow[];
  payments: ReceiptRow[];
  barcode: string; // the receipt number, printed as CODE128
  footer: string[];
}

export interface ReceiptOptions {
  /** Tender display names by tender id; the tender kind's generic name is used otherwise. */
  tenderNames?: Record<string, I18nText>;
  /** For a return: the original sale, for product names (a return line carries only the sku). */
  originalSale?: Sale;
  /** For a return whose original sale is not at hand: product names by product id (the catalog's). */
  productNames?: Record<string, I18nText>;
  cashierName?: string;
}

function tenderLabel(tenderId: string, kind: TenderKind, lang: Lang, opts: ReceiptOptions): string {
  return opts.tenderNames?.[tenderId]?.[lang] ?? t(lang, kind);
}

function isSale(doc: Sale | Return): doc is Sale {
  return doc.type === 'sale';
}

/**
 * Builds the printable model of a Sale or a Return: words in the given language, numbers in the store's
 * conventions (its currency's locale), dates in the store's time zone.
 */
export function buildReceipt(doc: Sale | Return, config: StoreConfig, lang: Lang, opts: ReceiptOptions = {}): ReceiptModel {
  const loc = numberLocale(config.currency);
  const amt = (m: number): string => formatAmount(m, loc);
  const header = [config.name, ...config.address.split('\n').filter((s) => s.trim() !== '')];
  const meta: ReceiptRow[] = [
    { label: t(lang, 'receipt'), amount: doc.receiptNumber },
    { label: t(lang, 'date'), amount: localDateTime(doc.createdAt, config.timeZone) },
    { label: t(lang, 'cashier'), amount: opts.cashierName ?? doc.cashierId },
  ];
  // A store's own footer often states the return policy already (the default one does, word for word): print
  // each footer line once.
  const footer = [...new Set([config.receiptFooter[lang], t(lang, 'returnPolicy', { days: config.returnDays })].map((s) => s.trim()))].filter((s) => s !== '');

  if (isSale(doc)) {
    if (doc.customerId) meta.push({ label: t(lang, 'customer'), amount: doc.customerId.replace(/^customer:/, '').slice(0, 12) });
    if (doc.taxExemptId) meta.push({ label: t(lang, 'taxExempt'), amount: doc.taxExemptId });
    const items: ReceiptItem[] = doc.lines.map((l) => ({
      name: l.name[lang] || l.sku,
      detail: l.qty === 1 ? null : `${formatQty(l.qty, loc)} x ${amt(l.unitPrice)}`,
      amount: amt(l.grossAmount),
      notes: l.discounts.map((d) => ({
        label: d.kind === 'special' ? `${t(lang, 'special')} ${d.reason ?? ''}`.trim() : discountLabel(lang, loc, d.percentBp),
        amount: amt(-d.amount),
      })),
    }));
    // Subtotal is the gross of the lines; then the line discounts (itemised above) and the cart discounts, each
    // once, so subtotal - discounts - cart discounts (+ taxes when exclusive) + rounding reads as the total.
    const totals: ReceiptRow[] = [{ label: t(lang, 'subtotal'), amount: amt(doc.subtotal) }];
    const cartTotal = doc.cartDiscounts.reduce((a, d) => a + d.amount, 0);
    const lineDiscounts = doc.discountTotal - cartTotal;
    if (lineDiscounts > 0) totals.push({ label: t(lang, 'discounts'), amount: amt(-lineDiscounts) });
    for (const d of doc.cartDiscounts) totals.push({ label: cartDiscountLabel(lang, loc, d.percentBp), amount: amt(-d.amount) });
    const incl = doc.taxMode === 'inclusive' ? ` (${t(lang, 'taxIncluded')})` : '';
    for (const x of doc.taxes) totals.push({ label: `${x.name[lang] || x.code}${incl}`, amount: amt(x.amount) });
    if (doc.rounding !== 0) totals.push({ label: t(lang, 'rounding'), amount: amt(doc.rounding) });
    totals.push({ label: `${t(lang, 'total')} ${doc.currency}`, amount: amt(doc.total), strong: true });
    const payments: ReceiptRow[] = doc.tenders.map((x) => ({
      label: x.foreign
        ? `${tenderLabel(x.tenderId, x.kind, lang, opts)} ${formatAmount(x.foreign.amount, loc)} ${x.foreign.currency}`
        : `${tenderLabel(x.tenderId, x.kind, lang, opts)}${x.reference ? ` ${x.reference}` : ''}`,
      amount: amt(x.tendered),
    }));
    if (doc.change > 0) payments.push({ label: t(lang, 'change'), amount: amt(doc.change) });
    return { lang, kind: 'sale', header, title: t(lang, 'sale'), meta, items, totals, payments, barcode: doc.receiptNumber, footer };
  }

  const original = opts.originalSale;
  // The original sale's number as people read it, also when the sale itself is not at hand (a reprint).
  const ref = parseSaleId(doc.originalSaleId);
  const orig = original?.receiptNumber ?? (ref ? receiptNumber(ref.storeId, ref.terminalId, ref.seq) : doc.originalSaleId);
  meta.push({ label: t(lang, 'originalReceipt'), amount: orig });
  const items: ReceiptItem[] = doc.lines.map((l) => {
    const saleLine = original?.lines.find((s) => s.lineNo === l.lineNo);
    return {
      name: saleLine?.name[lang] || opts.productNames?.[l.productId]?.[lang] || l.sku,
      detail: `${formatQty(l.qty, loc)}${l.restock ? ` (${t(lang, 'restock')})` : ''}`,
      amount: amt(-l.amount),
      notes: [],
    };
  });
  const totals: ReceiptRow[] = [];
  if (doc.taxTotal !== 0) totals.push({ label: t(lang, 'tax'), amount: amt(-doc.taxTotal) });
  totals.push({ label: t(lang, 'refundTotal'), amount: amt(-doc.total), strong: true });
  const payments = doc.refunds.map((x) => ({ label: tenderLabel(x.tenderId, x.kind, lang, opts), amount: amt(-x.amount) }));
  return { lang, kind: 'return', header, title: t(lang, 'return'), meta, items, totals, payments, barcode: doc.receiptNumber, footer };
}

function discountLabel(lang: Lang, locale: string, percentBp: number | undefined): string {
  return percentBp !== undefined ? `${t(lang, 'discount')} ${formatPercent(percentBp, locale)}` : t(lang, 'discount');
}

function cartDiscountLabel(lang: Lang, locale: string, percentBp: number | undefined): string {
  return percentBp !== undefined ? `${t(lang, 'cartDiscount')} ${formatPercent(percentBp, locale)}` : t(lang, 'cartDiscount');
}

function formatPercent(bp: number, locale: string): string {
  const whole = Math.floor(bp / 100);
  const frac = bp % 100;
  const sep = decimalSeparator(locale);
  return frac === 0 ? `${whole}%` : `${whole}${sep}${String(frac).padStart(2, '0').replace(/0$/, '')}%`;
}

// ---------- text rendering ----------

/** Printed width of a string: one column per character (code point), as on a receipt printer's code page. */
export function width(s: string): number {
  return [...s].length;
}

function cut(s: string, n: number): string {
  return [...s].slice(0, n).join('');
}

/** Word-wraps text to `cols` columns; a word longer than a line is split. */
export function wrap(text: string, cols: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (width(w) > cols) {
      if (line) {
        out.push(line);
        line = '';
      }
      out.push(cut(w, cols));
      w = [...w].slice(cols).join('');
    }
    if (!line) line = w;
    else if (width(line) + 1 + width(w) <= cols) line += ` ${w}`;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line) out.push(line);
  return out;
}

function center(s: string, cols: number): string {
  const w = width(s);
  if (w >= cols) return cut(s, cols);
  return ' '.repeat(Math.floor((cols - w) / 2)) + s;
}

/** Left text and right-aligned amount on one line; the left side wraps above when both do not fit. */
function twoCol(left: string, right: string, cols: number, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  const r = cut(right, cols);
  const room = cols - width(r) - 1 - indent;
  if (room > 0 && width(left) <= room) return [pad + left + ' '.repeat(cols - indent - width(left) - width(r)) + r];
  const lines = wrap(left, cols - indent).map((l) => pad + l);
  const last = lines[lines.length - 1] ?? '';
  if (lines.length > 0 && width(last) + 1 + width(r) <= cols) {
    lines[lines.length - 1] = last + ' '.repeat(cols - width(last) - width(r)) + r;
  } else lines.push(' '.repeat(cols - width(r)) + r);
  return lines;
}

/** The receipt as text lines around the barcode: what is printed above it and below it. */
export function renderSections(model: ReceiptModel, cols: ReceiptColumns): { top: string[]; bottom: string[] } {
  const rule = '-'.repeat(cols);
  const top: string[] = [];
  for (const h of model.header) for (const l of wrap(h, cols)) top.push(center(l, cols));
  top.push(rule, center(model.title, cols));
  for (const m of model.meta) top.push(...twoCol(`${m.label}:`, m.amount, cols));
  top.push(rule);
  for (const item of model.items) {
    if (item.detail === null) top.push(...twoCol(item.name, item.amount, cols));
    else {
      for (const l of wrap(item.name, cols)) top.push(l);
      top.push(...twoCol(item.detail, item.amount, cols, 2));
    }
    for (const n of item.notes) top.push(...twoCol(n.label, n.amount, cols, 2));
  }
  top.push(rule);
  for (const r of model.totals) top.push(...twoCol(r.label, r.amount, cols));
  if (model.payments.length > 0) top.push(rule);
  for (const r of model.payments) top.push(...twoCol(r.label, r.amount, cols));
  top.push(rule);
  const bottom: string[] = [];
  for (const f of model.footer) for (const l of wrap(f, cols)) bottom.push(center(l, cols));
  return { top, bottom };
}

/** The receipt as plain text for 32 (58 mm) or 48 (80 mm) columns; the barcode shows as its number between bars. */
export function renderText(model: ReceiptModel, cols: ReceiptColumns): string {
  const { top, bottom } = renderSections(model, cols);
  const bar = width(model.barcode) + 4 <= cols ? `|| ${model.barcode} ||` : model.barcode;
  return [...top, center(bar, cols), ...bottom].map((l) => l.replace(/\s+$/, '')).join('\n');
}
