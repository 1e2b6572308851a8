// The text a person pastes or uploads to change a store's prices in bulk (issue #12), read into the lines
// PUT /store-prices/:store takes: one `sku,price` a line, the price a decimal in the store's currency (empty:
// remove the store price). Spreadsheets differ by locale, so a line may be split by a tab or a semicolon (then
// a decimal comma is a comma, "24,50"), else by a comma; a header line and blank lines are skipped, cells may
// be quoted and a price may carry a currency sign. What cannot be read is named per line, never guessed at.
// Whether the SKU exists is HQ's to say (POST /store-prices/:store/check). Pure: no I/O.
import type { Money } from '../money';
import { parseMoney } from '../money';
import { MAX_BULK_PRICES } from './hqRecords';

/** One line read: its number in the text (from 1), the SKU and the price in minor units (null: remove). */
export interface PriceCsvLine {
  line: number;
  sku: string;
  price: Money | null;
}

export type PriceCsvProblemKind = 'no_sku' | 'bad_sku' | 'bad_price' | 'columns';

/** A line that could not be read, and why. */
export interface PriceCsvProblem {
  line: number;
  text: string;
  problem: PriceCsvProblemKind;
}

export interface PriceCsv {
  lines: PriceCsvLine[];
  problems: PriceCsvProblem[];
  /** More lines than one request may carry (MAX_BULK_PRICES). */
  tooMany: boolean;
}

/** The largest price the API takes (shared/api/parse.ts moneyOf): ten million in a two-decimal currency. */
const MAX_PRICE = 1_000_000_000;
/** A SKU as the bulk route reads it (shared/api/hqRecords.ts): no spaces or slashes, not starting with `_`. */
const SKU = /^[^_\s/][^\s/]*$/;

/** The cells of a line: split by tab, else semicolon, else comma; surrounding quotes and spaces removed. */
function cells(text: string): string[] {
  const sep = text.includes('\t') ? '\t' : text.includes(';') ? ';' : ',';
  return text.split(sep).map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());
}

/** A price as typed, without a currency sign or code around it ("$24.50", "24.50 MXN"), in minor units. */
function priceOf(text: string, minorDigits: number): Money | null {
  const bare = text.replace(/^[^\d-]*?(?=-?\d)/, '').replace(/\s*[A-Za-z$€£]*$/, '');
  const m = parseMoney(bare, minorDigits);
  return m !== null && m >= 0 && m <= MAX_PRICE ? m : null;
}

/** Reads pasted or uploaded text into price lines and the lines that could not be read. */
export function parsePriceCsv(text: string, minorDigits: number): PriceCsv {
  const lines: PriceCsvLine[] = [];
  const problems: PriceCsvProblem[] = [];
  const rows = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let first = true;
  rows.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    const [sku = '', price = '', ...rest] = cells(raw);
    // A header names its columns: "sku,price", "SKU;Precio".
    if (first && /^sku$/i.test(sku) && !/\d/.test(price)) {
      first = false;
      return;
    }
    first = false;
    const problem: PriceCsvProblemKind | null =
      rest.some((c) => c !== '') ? 'columns' : !sku ? 'no_sku' : !SKU.test(sku) || sku.length > 200 ? 'bad_sku' : price !== '' && priceOf(price, minorDigits) === null ? 'bad_price' : null;
    if (problem) problems.push({ line, text: raw.trim(), problem });
    else lines.push({ line, sku, price: price === '' ? null : priceOf(price, minorDigits) });
  });
  return { lines, problems, tooMany: lines.length > MAX_BULK_PRICES };
}
