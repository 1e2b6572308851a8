// The one runtime validator of Caja documents: app code calls it before a write, and validate_doc_update
// runs the same code inside CouchDB (bundled by design-docs/deploy.ts). So this file stays in a conservative
// subset: ES2017, no classes, no Intl, no regex lookbehind, no Node/DOM globals, imports only pure shared files.
// Each validator returns human-readable errors as `path: problem`; an empty list means the document is valid.
import { roundHalfUp } from '../money';
import { CATALOG_TYPES, CURRENT_SCHEMA, STORE_DOWN_TYPES, UPSTREAM_TYPES } from './types';
import type { DocType } from './types';
import {
  isBusinessDate,
  isIsoUtc,
  isKey,
  isStoreCode,
  isTerminalId,
  MAX_SEQ,
  ownerOf,
  parseAuditId,
  parseCashId,
  parseCreditId,
  parseCustomerId,
  parseGiftCardId,
  parseMoveId,
  parseReturnId,
  parseSaleId,
  parseShiftId,
  parseTransferId,
  receiptNumber,
  returnId,
  saleId,
  shiftId,
  splitId,
  zreportId,
  CONFIG_ID,
} from './ids';

/** Loose shape of a document before it is validated. */
export type Obj = Record<string, unknown>;
/** A validator of one document type: the list of problems, empty when valid. */
export type Validator = (doc: Obj) => string[];

/** Every document type, in the order of design.md's table. */
export const DOC_TYPES: readonly DocType[] = ([] as DocType[]).concat(
  CATALOG_TYPES as unknown as DocType[],
  STORE_DOWN_TYPES as unknown as DocType[],
  UPSTREAM_TYPES as unknown as DocType[],
);

/** True when a value is a plain (non-array, non-null) object. */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True for a known document type name. */
export function isDocType(v: unknown): v is DocType {
  return typeof v === 'string' && DOC_TYPES.indexOf(v as DocType) >= 0;
}

/** True for a quantity: finite, at most 3 decimals (weighed goods are measured to the gram). */
export function isQuantity(v: unknown): v is number {
  return typeof v === 'number' && isFinite(v) && Math.abs(v) < 1e12 && Math.round(v * 1000) / 1000 === v;
}

// ---------- field checkers: each pushes `path: problem` and returns the value when it is usable ----------

type Errs = string[];

function bad(e: Errs, path: string, msg: string): void {
  e.push(path + ': ' + msg);
}

function str(e: Errs, o: Obj, k: string, p: string, allowEmpty?: boolean): string | undefined {
  const v = o[k];
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0)) {
    bad(e, p + k, allowEmpty ? 'must be a string' : 'must be a non-empty string');
    return undefined;
  }
  return v;
}

function optStr(e: Errs, o: Obj, k: string, p: string): void {
  if (o[k] !== undefined) str(e, o, k, p);
}

function bool(e: Errs, o: Obj, k: string, p: string): void {
  if (typeof o[k] !== 'boolean') bad(e, p + k, 'must be true or false');
}

function int(e: Errs, o: Obj, k: string, p: string, min: number, max?: number): number | undefined {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || (max !== undefined && v > max)) {
    bad(e, p + k, 'must be an integer ' + (max === undefined ? '>= ' + min : 'from ' + min + ' to ' + max));
    return undefined;
  }
  return v;
}

/** Money: an integer of minor units; `sign` 'nonneg' rejects negatives, 'pos' also zero. */
function money(e: Errs, o: Obj, k: string, p: string, sign?: 'nonneg' | 'pos'): number | undefined {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    bad(e, p + k, 'must be an integer amount of minor units');
    return undefined;
  }
  if (sign === 'nonneg' && v < 0) {
    bad(e, p + k, 'must not be negative');
    return undefined;
  }
  if (sign === 'pos' && v <= 0) {
    bad(e, p + k, 'must be positive');
    return undefined;
  }
  return v;
}

function optMoney(e: Errs, o: Obj, k: string, p: string, sign?: 'nonneg' | 'pos'): void {
  if (o[k] !== undefined) money(e, o, k, p, sign);
}

function qty(e: Errs, o: Obj, k: string, p: string, sign: 'pos' | 'nonneg' | 'nonzero'): number | undefined {
  const v = o[k];
  if (!isQuantity(v)) {
    bad(e, p + k, 'must be a number with at most 3 decimals');
    return undefined;
  }
  if ((sign === 'pos' && v <= 0) || (sign === 'nonneg' && v < 0) || (sign === 'nonzero' && v === 0)) {
    bad(e, p + k, sign === 'pos' ? 'must be positive' : sign === 'nonneg' ? 'must not be negative' : 'must not be zero');
    return undefined;
  }
  return v;
}

function oneOf(e: Errs, o: Obj, k: string, p: string, values: readonly string[]): string | undefined {
  const v = o[k];
  if (typeof v !== 'string' || values.indexOf(v) < 0) {
    bad(e, p + k, 'must be one of ' + values.join(', '));
    return undefined;
  }
  return v;
}

function iso(e: Errs, o: Obj, k: string, p: string): string | undefined {
  const v = o[k];
  if (!isIsoUtc(v)) {
    bad(e, p + k, 'must be an ISO-8601 UTC timestamp');
    return undefined;
  }
  return v;
}

function bdate(e: Errs, o: Obj, k: string, p: string): string | undefined {
  const v = o[k];
  if (!isBusinessDate(v)) {
    bad(e, p + k, 'must be a YYYY-MM-DD business date');
    return undefined;
  }
  return v;
}

function storeCode(e: Errs, o: Obj, k: string, p: string): string | undefined {
  const v = o[k];
  if (!isStoreCode(v)) {
    bad(e, p + k, 'must be a store code (2-12 of A-Z, 0-9)');
    return undefined;
  }
  return v;
}

function terminal(e: Errs, o: Obj, k: string, p: string): string | undefined {
  const v = o[k];
  if (!isTerminalId(v)) {
    bad(e, p + k, 'must be a terminal id (T1..T9999)');
    return undefined;
  }
  return v;
}

/** A reference to another document by id, `<prefix>:<key>`. */
function ref(e: Errs, o: Obj, k: string, p: string, type: string): string | undefined {
  const v = o[k];
  const s = typeof v === 'string' ? splitId(v) : null;
  if (!s || s.type !== type || !isKey(s.key)) {
    bad(e, p + k, 'must be a ' + type + ' id (' + type + ':<key>)');
    return undefined;
  }
  return v as string;
}

function i18n(e: Errs, o: Obj, k: string, p: string, allowEmpty?: boolean): void {
  const v = o[k];
  if (!isObj(v)) {
    bad(e, p + k, 'must be an object with en and es texts');
    return;
  }
  str(e, v, 'en', p + k + '.', allowEmpty);
  str(e, v, 'es', p + k + '.', allowEmpty);
}

function arr(e: Errs, o: Obj, k: string, p: string, minLen: number, each: (item: Obj, path: string) => void): Obj[] {
  const v = o[k];
  if (!Array.isArray(v)) {
    bad(e, p + k, 'must be a list');
    return [];
  }
  if (v.length < minLen) bad(e, p + k, 'must have at least ' + minLen + ' item' + (minLen === 1 ? '' : 's'));
  const out: Obj[] = [];
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    const ip = p + k + '[' + i + ']';
    if (!isObj(item)) {
      bad(e, ip, 'must be an object');
      continue;
    }
    each(item, ip + '.');
    out.push(item);
  }
  return out;
}

function strList(e: Errs, o: Obj, k: string, p: string, check?: (s: string) => boolean, what?: string): void {
  const v = o[k];
  if (!Array.isArray(v)) {
    bad(e, p + k, 'must be a list');
    return;
  }
  for (let i = 0; i < v.length; i++) {
    const s: unknown = v[i];
    if (typeof s !== 'string' || s.length === 0 || (check && !check(s))) bad(e, p + k + '[' + i + ']', 'must be ' + (what || 'a non-empty string'));
  }
}

function optObj(e: Errs, o: Obj, k: string, p: string): void {
  if (o[k] !== undefined && !isObj(o[k])) bad(e, p + k, 'must be an object');
}

/** Sum of one numeric field over items; NaN when any is missing, so a comparison fails loudly. */
function total(items: Obj[], k: string): number {
  let t = 0;
  for (let i = 0; i < items.length; i++) {
    const v = items[i]![k];
    t += typeof v === 'number' ? v : NaN;
  }
  return t;
}

function sameId(e: Errs, doc: Obj, expected: string | null): void {
  if (expected !== null && doc._id !== expected) bad(e, '_id', 'must be ' + expected + ' (derived from the content), got ' + String(doc._id));
}

// ---------- shared sub-shapes ----------

function approvals(e: Errs, o: Obj, p: string): void {
  arr(e, o, 'approvals', p, 0, function (a, ap) {
    str(e, a, 'action', ap);
    str(e, a, 'approvedBy', ap);
    iso(e, a, 'approvedAt', ap);
    optStr(e, a, 'reason', ap);
    if (a.lineNo !== undefined) int(e, a, 'lineNo', ap, 1);
  });
}

function lineTaxes(e: Errs, o: Obj, p: string): Obj[] {
  return arr(e, o, 'taxes', p, 0, function (t, tp) {
    ref(e, t, 'rateId', tp, 'taxrate');
    str(e, t, 'code', tp);
    money(e, t, 'basis', tp);
    money(e, t, 'amount', tp);
  });
}

function discounts(e: Errs, o: Obj, k: string, p: string): Obj[] {
  return arr(e, o, k, p, 0, function (d, dp) {
    oneOf(e, d, 'kind', dp, ['percent', 'amount', 'special']);
    if (d.percentBp !== undefined) int(e, d, 'percentBp', dp, 0, 10000);
    money(e, d, 'amount', dp, 'nonneg');
    if (d.specialId !== undefined) ref(e, d, 'specialId', dp, 'special');
    optStr(e, d, 'reason', dp);
  });
}

const TENDER_KINDS = ['cash', 'card', 'giftcard', 'storecredit', 'foreign', 'other'];

function tenders(e: Errs, o: Obj, k: string, p: string): Obj[] {
  return arr(e, o, k, p, 0, function (t, tp) {
    ref(e, t, 'tenderId', tp, 'tender');
    oneOf(e, t, 'kind', tp, TENDER_KINDS);
    const amount = money(e, t, 'amount', tp, 'nonneg');
    const tendered = money(e, t, 'tendered', tp, 'nonneg');
    const change = money(e, t, 'change', tp, 'nonneg');
    if (amount !== undefined && tendered !== undefined && change !== undefined && amount !== tendered - change) {
      bad(e, tp + 'amount', 'must equal tendered - change (' + (tendered - change) + ')');
    }
    optStr(e, t, 'reference', tp);
    optStr(e, t, 'authCode', tp);
    if (t.foreign !== undefined) {
      if (!isObj(t.foreign)) bad(e, tp + 'foreign', 'must be an object');
      else {
        str(e, t.foreign, 'currency', tp + 'foreign.');
        money(e, t.foreign, 'amount', tp + 'foreign.', 'nonneg');
        int(e, t.foreign, 'rateToBase', tp + 'foreign.', 1);
      }
    }
  });
}

function qtyLines(e: Errs, o: Obj, p: string, sign: 'pos' | 'nonneg' | 'nonzero'): void {
  arr(e, o, 'lines', p, 1, function (l, lp) {
    ref(e, l, 'productId', lp, 'product');
    qty(e, l, 'qty', lp, sign);
  });
}

/** A shift reference that must belong to the same store and terminal as the document. */
function ownShift(e: Errs, o: Obj, k: string, storeId: string | undefined, terminalId: string | undefined): void {
  const v = o[k];
  const s = typeof v === 'string' ? parseShiftId(v) : null;
  if (!s) bad(e, k, 'must be a shift id');
  else if ((storeId && s.storeId !== storeId) || (terminalId && s.terminalId !== terminalId)) {
    bad(e, k, 'must be a shift of the same store and terminal');
  }
}

function currency(e: Errs, o: Obj, k: string): void {
  if (typeof o[k] !== 'string' || !/^[A-Z]{3}$/.test(o[k] as string)) bad(e, k, 'must be an ISO 4217 code');
}

// ---------- catalog and store-down documents ----------

function keyed(e: Errs, doc: Obj, type: string, keyField: string): void {
  const key = str(e, doc, keyField, '');
  if (key !== undefined) {
    if (!isKey(key)) bad(e, keyField, 'must not start with _ or have surrounding spaces');
    else sameId(e, doc, type + ':' + key);
  }
}

function validateDepartment(doc: Obj): string[] {
  const e: Errs = [];
  keyed(e, doc, 'department', 'code');
  i18n(e, doc, 'name', '');
  if (doc.parentId !== null) ref(e, doc, 'parentId', '', 'department');
  if (doc.taxGroupId !== undefined) ref(e, doc, 'taxGroupId', '', 'taxgroup');
  return e;
}

function validateTaxRate(doc: Obj): string[] {
  const e: Errs = [];
  keyed(e, doc, 'taxrate', 'code');
  i18n(e, doc, 'name', '');
  int(e, doc, 'rateBp', '', 0, 1000000);
  bool(e, doc, 'compound', '');
  return e;
}

function validateTaxGroup(doc: Obj): string[] {
  const e: Errs = [];
  keyed(e, doc, 'taxgroup', 'code');
  i18n(e, doc, 'name', '');
  strList(e, doc, 'rateIds', '', function (s) {
    return s.indexOf('taxrate:') === 0;
  }, 'a taxrate id');
  return e;
}

function validateTender(doc: Obj): string[] {
  const e: Errs = [];
  keyed(e, doc, 'tender', 'code');
  i18n(e, doc, 'name', '');
  const kind = oneOf(e, doc, 'kind', '', TENDER_KINDS);
  bool(e, doc, 'allowChange', '');
  bool(e, doc, 'allowOverTender', '');
  bool(e, doc, 'opensDrawer', '');
  bool(e, doc, 'active', '');
  if (kind === 'foreign' || doc.currency !== undefined) currency(e, doc, 'currency');
  if (kind === 'foreign' || doc.rateToBase !== undefined) int(e, doc, 'rateToBase', '', 1);
  return e;
}

function validateSupplier(doc: Obj): string[] {
  const e: Errs = [];
  keyed(e, doc, 'supplier', 'code');
  str(e, doc, 'name', '');
  optObj(e, doc, 'contact', '');
  bool(e, doc, 'active', '');
  return e;
}

function validateProduct(doc: Obj): string[] {
  const e: Errs = [];
  keyed(e, doc, 'product', 'sku');
  i18n(e, doc, 'name', '');
  // Barcodes are not checked for EAN-13 digits here: UPC-A and in-store codes are valid too (see isValidEan13).
  strList(e, doc, 'barcodes', '');
  ref(e, doc, 'departmentId', '', 'department');
  ref(e, doc, 'taxGroupId', '', 'taxgroup');
  if (doc.supplierId !== undefined) ref(e, doc, 'supplierId', '', 'supplier');
  money(e, doc, 'price', '', 'nonneg');
  optMoney(e, doc, 'cost', '', 'nonneg');
  oneOf(e, doc, 'unit', '', ['each', 'kg']);
  bool(e, doc, 'weighed', '');
  bool(e, doc, 'active', '');
  iso(e, doc, 'updatedAt', '');
  return e;
}

function validateSpecial(doc: Obj): string[] {
  const e: Errs = [];
  keyed(e, doc, 'special', 'code');
  i18n(e, doc, 'name', '');
  const kind = oneOf(e, doc, 'kind', '', ['percent_off', 'amount_off', 'fixed_price', 'buy_x_get_y', 'qty_break']);
  if (!isObj(doc.target)) bad(e, 'target', 'must be an object');
  else {
    if (doc.target.productIds !== undefined) strList(e, doc.target, 'productIds', 'target.');
    if (doc.target.departmentIds !== undefined) strList(e, doc.target, 'departmentIds', 'target.');
  }
  if (doc.storeIds !== undefined) strList(e, doc, 'storeIds', '', isStoreCode, 'a store code');
  const starts = iso(e, doc, 'startsAt', '');
  const ends = iso(e, doc, 'endsAt', '');
  if (starts && ends && Date.parse(ends) < Date.parse(starts)) bad(e, 'endsAt', 'must not be before startsAt');
  if (kind === 'percent_off' || doc.percentBp !== undefined) int(e, doc, 'percentBp', '', 0, 10000);
  if (kind === 'amount_off' || kind === 'fixed_price' || doc.amount !== undefined) money(e, doc, 'amount', '', 'nonneg');
  if (kind === 'buy_x_get_y' || doc.buyQty !== undefined) int(e, doc, 'buyQty', '', 1);
  if (kind === 'buy_x_get_y' || doc.getQty !== undefined) int(e, doc, 'getQty', '', 1);
  if (kind === 'qty_break' || doc.breaks !== undefined) {
    arr(e, doc, 'breaks', '', 1, function (b, bp) {
      qty(e, b, 'minQty', bp, 'pos');
      money(e, b, 'unitPrice', bp, 'nonneg');
    });
  }
  bool(e, doc, 'active', '');
  return e;
}

function validateRole(doc: Obj): string[] {
  const e: Errs = [];
  keyed(e, doc, 'role', 'code');
  i18n(e, doc, 'name', '');
  strList(e, doc, 'permissions', '');
  int(e, doc, 'discountLimitBp', '', 0, 10000);
  return e;
}

function validateUser(doc: Obj): string[] {
  const e: Errs = [];
  keyed(e, doc, 'user', 'userId');
  str(e, doc, 'username', '');
  str(e, doc, 'displayName', '');
  storeCode(e, doc, 'storeId', '');
  strList(e, doc, 'roles', '');
  strList(e, doc, 'permissions', '');
  int(e, doc, 'discountLimitBp', '', 0, 10000);
  if (doc.pin !== null) {
    if (!isObj(doc.pin)) bad(e, 'pin', 'must be a PIN hash or null');
    else {
      oneOf(e, doc.pin, 'algorithm', 'pin.', ['PBKDF2-SHA256']);
      int(e, doc.pin, 'iterations', 'pin.', 1);
      str(e, doc.pin, 'salt', 'pin.');
      str(e, doc.pin, 'hash', 'pin.');
    }
  }
  bool(e, doc, 'active', '');
  return e;
}

function validatePrice(doc: Obj): string[] {
  const e: Errs = [];
  keyed(e, doc, 'price', 'sku');
  storeCode(e, doc, 'storeId', '');
  money(e, doc, 'price', '', 'nonneg');
  iso(e, doc, 'updatedAt', '');
  return e;
}

function validateConfig(doc: Obj): string[] {
  const e: Errs = [];
  sameId(e, doc, CONFIG_ID);
  const s = storeCode(e, doc, 'storeId', '');
  if (s !== undefined && doc.code !== s) bad(e, 'code', 'must equal storeId');
  str(e, doc, 'name', '');
  str(e, doc, 'address', '', true);
  str(e, doc, 'timeZone', '');
  currency(e, doc, 'currency');
  oneOf(e, doc, 'locale', '', ['en', 'es']);
  oneOf(e, doc, 'taxMode', '', ['exclusive', 'inclusive']);
  money(e, doc, 'cashRounding', '', 'nonneg');
  money(e, doc, 'varianceAlert', '', 'nonneg');
  i18n(e, doc, 'receiptFooter', '', true);
  int(e, doc, 'returnDays', '', 0);
  return e;
}

// ---------- transactions ----------

/** Validates a sale, including its cheap totals: subtotal, total, taxes, tenders. */
export function validateSale(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const t = terminal(e, doc, 'terminalId', '');
  const seq = int(e, doc, 'seq', '', 1, MAX_SEQ);
  if (s && t && seq !== undefined) {
    sameId(e, doc, saleId(s, t, seq));
    if (doc.receiptNumber !== receiptNumber(s, t, seq)) bad(e, 'receiptNumber', 'must be ' + receiptNumber(s, t, seq));
  }
  bdate(e, doc, 'businessDate', '');
  iso(e, doc, 'createdAt', '');
  ownShift(e, doc, 'shiftId', s, t);
  str(e, doc, 'cashierId', '');
  if (doc.customerId !== undefined && (typeof doc.customerId !== 'string' || !parseCustomerId(doc.customerId))) {
    bad(e, 'customerId', 'must be a customer id');
  }
  optStr(e, doc, 'taxExemptId', '');
  currency(e, doc, 'currency');
  const mode = oneOf(e, doc, 'taxMode', '', ['exclusive', 'inclusive']);
  const seen: Record<string, boolean> = {};
  const lineTaxSum = { v: 0 };
  const lines = arr(e, doc, 'lines', '', 1, function (l, lp) {
    const n = int(e, l, 'lineNo', lp, 1);
    if (n !== undefined) {
      if (seen[n]) bad(e, lp + 'lineNo', 'duplicates line ' + n);
      seen[n] = true;
    }
    const pid = ref(e, l, 'productId', lp, 'product');
    const sku = str(e, l, 'sku', lp);
    if (pid && sku && pid !== 'product:' + sku) bad(e, lp + 'productId', 'must be product:' + sku);
    i18n(e, l, 'name', lp);
    const q = qty(e, l, 'qty', lp, 'pos');
    const unit = money(e, l, 'unitPrice', lp, 'nonneg');
    oneOf(e, l, 'priceSource', lp, ['base', 'store', 'special', 'override']);
    const gross = money(e, l, 'grossAmount', lp, 'nonneg');
    if (q !== undefined && unit !== undefined && gross !== undefined) {
      const expected = roundHalfUp(q * unit);
      if (gross !== expected) bad(e, lp + 'grossAmount', 'must be round(qty x unitPrice) = ' + expected);
    }
    discounts(e, l, 'discounts', lp);
    money(e, l, 'netAmount', lp);
    ref(e, l, 'taxGroupId', lp, 'taxgroup');
    lineTaxSum.v += total(lineTaxes(e, l, lp), 'amount');
    optStr(e, l, 'salesRepId', lp);
  });
  discounts(e, doc, 'cartDiscounts', '');
  const subtotal = money(e, doc, 'subtotal', '', 'nonneg');
  const discountTotal = money(e, doc, 'discountTotal', '', 'nonneg');
  const taxTotal = money(e, doc, 'taxTotal', '', 'nonneg');
  const taxes = arr(e, doc, 'taxes', '', 0, function (x, xp) {
    ref(e, x, 'rateId', xp, 'taxrate');
    str(e, x, 'code', xp);
    i18n(e, x, 'name', xp);
    money(e, x, 'basis', xp);
    money(e, x, 'amount', xp);
  });
  const rounding = money(e, doc, 'rounding', '');
  const saleTotal = money(e, doc, 'total', '', 'nonneg');
  const paid = tenders(e, doc, 'tenders', '');
  const change = money(e, doc, 'change', '', 'nonneg');
  approvals(e, doc, '');
  if (e.length > 0) return e; // totals are only meaningful over well-formed parts

  if (subtotal !== total(lines, 'grossAmount')) bad(e, 'subtotal', 'must equal the sum of line grossAmount (' + total(lines, 'grossAmount') + ')');
  const net = total(lines, 'netAmount');
  if (net !== (subtotal as number) - (discountTotal as number)) bad(e, 'discountTotal', 'must equal subtotal - sum of line netAmount (' + ((subtotal as number) - net) + ')');
  if (taxTotal !== total(taxes, 'amount')) bad(e, 'taxTotal', 'must equal the sum of taxes[].amount (' + total(taxes, 'amount') + ')');
  if (taxTotal !== lineTaxSum.v) bad(e, 'taxTotal', 'must equal the sum of the line taxes (' + lineTaxSum.v + ')');
  const expected = (subtotal as number) - (discountTotal as number) + (mode === 'exclusive' ? (taxTotal as number) : 0) + (rounding as number);
  if (saleTotal !== expected) bad(e, 'total', 'must equal subtotal - discountTotal' + (mode === 'exclusive' ? ' + taxTotal' : '') + ' + rounding (' + expected + ')');
  if (total(paid, 'amount') !== saleTotal) bad(e, 'tenders', 'amounts must add up to total (' + total(paid, 'amount') + ' != ' + saleTotal + ')');
  if (change !== total(paid, 'change')) bad(e, 'change', 'must equal the sum of tender change (' + total(paid, 'change') + ')');
  return e;
}

/** Validates a void: id from the sale id, same store, the sale's receipt number, the sale's quantities. */
export function validateVoid(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const t = terminal(e, doc, 'terminalId', '');
  const sale = typeof doc.saleId === 'string' ? parseSaleId(doc.saleId) : null;
  if (!sale) bad(e, 'saleId', 'must be a sale id');
  else {
    sameId(e, doc, 'void:' + String(doc.saleId));
    if (s && sale.storeId !== s) bad(e, 'saleId', 'must be a sale of store ' + s);
    const rn = receiptNumber(sale.storeId, sale.terminalId, sale.seq);
    if (doc.receiptNumber !== rn) bad(e, 'receiptNumber', 'must be the sale receipt number ' + rn);
  }
  bdate(e, doc, 'businessDate', '');
  iso(e, doc, 'createdAt', '');
  ownShift(e, doc, 'shiftId', s, t);
  str(e, doc, 'cashierId', '');
  str(e, doc, 'reason', '');
  money(e, doc, 'total', '', 'nonneg');
  qtyLines(e, doc, '', 'pos');
  approvals(e, doc, '');
  return e;
}

/** Validates a return (refund): id and receipt number from store, terminal and seq; refunds add up to total. */
export function validateReturn(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const t = terminal(e, doc, 'terminalId', '');
  const seq = int(e, doc, 'seq', '', 1, MAX_SEQ);
  if (s && t && seq !== undefined) {
    sameId(e, doc, returnId(s, t, seq));
    if (doc.receiptNumber !== receiptNumber(s, t, seq)) bad(e, 'receiptNumber', 'must be ' + receiptNumber(s, t, seq));
  }
  if (typeof doc.originalSaleId !== 'string' || !parseSaleId(doc.originalSaleId)) bad(e, 'originalSaleId', 'must be a sale id');
  bdate(e, doc, 'businessDate', '');
  iso(e, doc, 'createdAt', '');
  ownShift(e, doc, 'shiftId', s, t);
  str(e, doc, 'cashierId', '');
  const lineTaxSum = { v: 0 };
  arr(e, doc, 'lines', '', 1, function (l, lp) {
    int(e, l, 'lineNo', lp, 1);
    ref(e, l, 'productId', lp, 'product');
    str(e, l, 'sku', lp);
    qty(e, l, 'qty', lp, 'pos');
    money(e, l, 'amount', lp, 'nonneg');
    lineTaxSum.v += total(lineTaxes(e, l, lp), 'amount');
    bool(e, l, 'restock', lp);
  });
  const taxTotal = money(e, doc, 'taxTotal', '', 'nonneg');
  const refundTotal = money(e, doc, 'total', '', 'nonneg');
  const refunds = tenders(e, doc, 'refunds', '');
  if (doc.exchangeSaleId !== undefined && (typeof doc.exchangeSaleId !== 'string' || !parseSaleId(doc.exchangeSaleId))) {
    bad(e, 'exchangeSaleId', 'must be a sale id');
  }
  approvals(e, doc, '');
  if (e.length > 0) return e;
  if (taxTotal !== lineTaxSum.v) bad(e, 'taxTotal', 'must equal the sum of the line taxes (' + lineTaxSum.v + ')');
  if (total(refunds, 'amount') !== refundTotal) bad(e, 'refunds', 'amounts must add up to total (' + total(refunds, 'amount') + ' != ' + refundTotal + ')');
  return e;
}

function validateShift(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const t = terminal(e, doc, 'terminalId', '');
  const n = int(e, doc, 'n', '', 1, MAX_SEQ);
  if (s && t && n !== undefined) sameId(e, doc, shiftId(s, t, n));
  iso(e, doc, 'openedAt', '');
  str(e, doc, 'openedBy', '');
  money(e, doc, 'openingFloat', '', 'nonneg');
  bdate(e, doc, 'businessDate', '');
  return e;
}

function validateShiftClose(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const t = terminal(e, doc, 'terminalId', '');
  ownShift(e, doc, 'shiftId', s, t);
  if (typeof doc.shiftId === 'string') sameId(e, doc, 'shiftclose:' + doc.shiftId);
  iso(e, doc, 'closedAt', '');
  str(e, doc, 'closedBy', '');
  let countedSum = 0;
  let denominations = 0;
  if (!isObj(doc.counted)) bad(e, 'counted', 'must map denominations to counts');
  else {
    for (const k in doc.counted) {
      const c = doc.counted[k];
      if (!/^[1-9][0-9]*$/.test(k) || typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) {
        bad(e, 'counted.' + k, 'must be a count (integer >= 0) of a denomination in minor units');
      } else {
        countedSum += Number(k) * c;
        denominations++;
      }
    }
  }
  const counted = money(e, doc, 'countedCash', '', 'nonneg');
  const expected = money(e, doc, 'expectedCash', '');
  const variance = money(e, doc, 'variance', '');
  bool(e, doc, 'alert', '');
  if (counted !== undefined && expected !== undefined && variance !== undefined && variance !== counted - expected) {
    bad(e, 'variance', 'must equal countedCash - expectedCash (' + (counted - expected) + ')');
  }
  // An automatic close (by the day close) counts nothing; a counted close must add up.
  if (counted !== undefined && denominations > 0 && countedSum !== counted) bad(e, 'countedCash', 'must equal the counted denominations (' + countedSum + ')');
  return e;
}

function validateCash(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const t = terminal(e, doc, 'terminalId', '');
  const idRef = typeof doc._id === 'string' ? parseCashId(doc._id) : null;
  if (!idRef) bad(e, '_id', 'must be cash:<store>:<terminal>:<uuid>');
  else if (idRef.storeId !== s || idRef.terminalId !== t) bad(e, '_id', 'must name the document store and terminal');
  ownShift(e, doc, 'shiftId', s, t);
  oneOf(e, doc, 'direction', '', ['in', 'out']);
  money(e, doc, 'amount', '', 'pos');
  str(e, doc, 'reason', '');
  iso(e, doc, 'createdAt', '');
  str(e, doc, 'userId', '');
  approvals(e, doc, '');
  return e;
}

function validateZReport(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const d = bdate(e, doc, 'businessDate', '');
  if (s && d) sameId(e, doc, zreportId(s, d));
  iso(e, doc, 'createdAt', '');
  strList(e, doc, 'shiftIds', '', function (x) {
    const r = parseShiftId(x);
    return r !== null && r.storeId === s;
  }, 'a shift id of this store');
  if (!isObj(doc.totals)) bad(e, 'totals', 'must be an object');
  return e;
}

function validateMove(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const idRef = typeof doc._id === 'string' ? parseMoveId(doc._id) : null;
  if (!idRef) bad(e, '_id', 'must be move:<store>:<uuid>');
  else if (idRef.storeId !== s) bad(e, '_id', 'must name the document store');
  oneOf(e, doc, 'reason', '', ['adjustment', 'damage', 'receive', 'count', 'theft', 'other']);
  qtyLines(e, doc, '', 'nonzero');
  iso(e, doc, 'createdAt', '');
  str(e, doc, 'userId', '');
  optStr(e, doc, 'note', '');
  return e;
}

function validateTransfer(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const idRef = typeof doc._id === 'string' ? parseTransferId(doc._id) : null;
  if (!idRef) bad(e, '_id', 'must be transfer:<from store>:<uuid>');
  else if (idRef.storeId !== s) bad(e, '_id', 'must name the source store');
  if (doc.fromStoreId !== s) bad(e, 'fromStoreId', 'must equal storeId (the source store writes the transfer)');
  const to = storeCode(e, doc, 'toStoreId', '');
  if (to && to === s) bad(e, 'toStoreId', 'must differ from the source store');
  qtyLines(e, doc, '', 'pos');
  iso(e, doc, 'createdAt', '');
  str(e, doc, 'userId', '');
  return e;
}

function validateReceipt(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const tr = typeof doc.transferId === 'string' ? parseTransferId(doc.transferId) : null;
  if (!tr) bad(e, 'transferId', 'must be a transfer id');
  else {
    sameId(e, doc, 'receipt:' + String(doc.transferId));
    if (tr.storeId === s) bad(e, 'storeId', 'must be the destination store, not the source');
  }
  // Zero is a valid received quantity: the line arrived missing.
  qtyLines(e, doc, '', 'nonneg');
  iso(e, doc, 'createdAt', '');
  str(e, doc, 'userId', '');
  return e;
}

function validateCustomer(doc: Obj): string[] {
  const e: Errs = [];
  if (typeof doc._id !== 'string' || !parseCustomerId(doc._id)) bad(e, '_id', 'must be customer:<uuid>');
  str(e, doc, 'name', '');
  optStr(e, doc, 'email', '');
  optStr(e, doc, 'phone', '');
  if (doc.taxExempt !== undefined && doc.taxExempt !== null) {
    if (!isObj(doc.taxExempt)) bad(e, 'taxExempt', 'must be an object or null');
    else {
      str(e, doc.taxExempt, 'id', 'taxExempt.');
      str(e, doc.taxExempt, 'reason', 'taxExempt.');
    }
  }
  // Money on a document every till may overwrite is money any till may set (security review): a balance is
  // the credit ledger. Old documents that carry the field still load (access.ts checkWrite tolerates it where
  // it is inherited, and readers drop it: customers.ts readCustomer); a new write may not set it.
  if (doc.storeCredit !== undefined) bad(e, 'storeCredit', LEGACY_STORE_CREDIT);
  iso(e, doc, 'updatedAt', '');
  return e;
}

/** The refusal of `storeCredit` on a customer, shared with access.ts so a tolerated legacy field is recognised. */
export const LEGACY_STORE_CREDIT = 'is no longer a customer field: store credit is the credit ledger (credit documents)';

const CREDIT_REASONS = ['issue', 'redeem', 'refund', 'adjust'];

/**
 * Validates a credit ledger entry: one holder, named in the id; store and terminal from the id; the sign of the
 * amount from the reason; and an entry tied to a sale, return or void carries that document's id, matching the
 * link token of its own id (so the same tender cannot be redeemed or refunded under two ids).
 */
function validateCredit(doc: Obj): string[] {
  const e: Errs = [];
  const s = storeCode(e, doc, 'storeId', '');
  const t = terminal(e, doc, 'terminalId', '');
  const hasCustomer = doc.customerId !== undefined;
  const hasCard = doc.giftCardId !== undefined;
  let holder: string | undefined;
  if (hasCustomer === hasCard) bad(e, 'customerId', 'exactly one of customerId and giftCardId must be set');
  else if (hasCustomer) {
    if (typeof doc.customerId !== 'string' || !parseCustomerId(doc.customerId)) bad(e, 'customerId', 'must be a customer id');
    else holder = doc.customerId;
  } else if (typeof doc.giftCardId !== 'string' || !parseGiftCardId(doc.giftCardId)) bad(e, 'giftCardId', 'must be a gift card id (giftcard:<number>)');
  else holder = doc.giftCardId;
  const reason = oneOf(e, doc, 'reason', '', CREDIT_REASONS);
  const amount = money(e, doc, 'amount', '');
  if (amount !== undefined && reason !== undefined) {
    if ((reason === 'issue' || reason === 'refund') && amount <= 0) bad(e, 'amount', 'must be positive for ' + reason + ' (credit given)');
    if (reason === 'redeem' && amount >= 0) bad(e, 'amount', 'must be negative for redeem (credit spent)');
    if (reason === 'adjust' && amount === 0) bad(e, 'amount', 'must not be zero');
  }
  const sale = doc.saleId === undefined ? undefined : typeof doc.saleId === 'string' ? parseSaleId(doc.saleId) : null;
  const ret = doc.returnId === undefined ? undefined : typeof doc.returnId === 'string' ? parseReturnId(doc.returnId) : null;
  if (sale === null) bad(e, 'saleId', 'must be a sale id');
  if (ret === null) bad(e, 'returnId', 'must be a return id');
  iso(e, doc, 'createdAt', '');
  str(e, doc, 'userId', '');
  approvals(e, doc, '');
  optStr(e, doc, 'note', '');
  if (reason === 'adjust') {
    // An adjustment moves money with no sale or return behind it: it names who approved it and why.
    if (!Array.isArray(doc.approvals) || doc.approvals.length === 0) bad(e, 'approvals', 'an adjustment must record its approval');
    if (typeof doc.note !== 'string' || doc.note.length === 0) bad(e, 'note', 'an adjustment must say why');
  }

  const id = typeof doc._id === 'string' ? parseCreditId(doc._id) : null;
  if (!id) {
    bad(e, '_id', 'must be credit:<customer|giftcard>:<key>:<store>:<terminal>:<token>');
    return e;
  }
  if (holder !== undefined && id.holder !== holder) bad(e, '_id', 'must name the holder ' + holder);
  if (s && id.storeId !== s) bad(e, '_id', 'must name the document store');
  const link = id.link;
  if (!link) {
    // A free-standing entry (a gift card issued at the desk, an adjustment) belongs to no document.
    if (t && id.terminalId !== t) bad(e, '_id', 'must name the document terminal');
    if (doc.saleId !== undefined || doc.returnId !== undefined) bad(e, '_id', 'an entry tied to a sale or return takes the link token of that document');
    else if (reason === 'redeem') bad(e, 'saleId', 'a redeem pays a sale: it must name it');
    return e;
  }
  if (link.link === 'sale') {
    // Written with the sale, by the terminal that rang it: the credit one of its tenders spent.
    if (t && id.terminalId !== t) bad(e, '_id', 'must name the document terminal');
    if (!sale || sale.storeId !== id.storeId || sale.terminalId !== id.terminalId || sale.seq !== link.seq) bad(e, 'saleId', 'must be the sale the id names');
    if (doc.returnId !== undefined) bad(e, 'returnId', 'must be absent on an entry tied to a sale');
    if (reason !== undefined && reason !== 'redeem') bad(e, 'reason', 'an entry tied to a sale is a redeem');
  } else if (link.link === 'return') {
    if (t && id.terminalId !== t) bad(e, '_id', 'must name the document terminal');
    if (!ret || ret.storeId !== id.storeId || ret.terminalId !== id.terminalId || ret.seq !== link.seq) bad(e, 'returnId', 'must be the return the id names');
    if (doc.saleId !== undefined) bad(e, 'saleId', 'must be absent on an entry tied to a return');
    if (reason !== undefined && reason !== 'refund') bad(e, 'reason', 'an entry tied to a return is a refund');
  } else {
    // A void gives back what the voided sale redeemed; any till of the store may void, so the id names the
    // sale's terminal and `terminalId` the writer (as on the void document itself).
    if (!sale || sale.storeId !== id.storeId || sale.terminalId !== id.terminalId || sale.seq !== link.seq) bad(e, 'saleId', 'must be the voided sale the id names');
    if (doc.returnId !== undefined) bad(e, 'returnId', 'must be absent on an entry tied to a void');
    if (reason !== undefined && reason !== 'refund') bad(e, 'reason', 'an entry tied to a void is a refund');
  }
  return e;
}

function validateAudit(doc: Obj): string[] {
  const e: Errs = [];
  const a = typeof doc._id === 'string' ? parseAuditId(doc._id) : null;
  if (!a) bad(e, '_id', 'must be audit:<store|hq>:<iso>:<uuid>');
  else {
    if (a.storeId === undefined && doc.storeId !== undefined) bad(e, 'storeId', 'must be absent on an HQ audit entry');
    if (a.storeId !== undefined && doc.storeId !== a.storeId) bad(e, 'storeId', 'must be ' + a.storeId + ' (from the id)');
    if (doc.at !== a.at) bad(e, 'at', 'must equal the timestamp in the id');
  }
  iso(e, doc, 'at', '');
  str(e, doc, 'actor', '');
  str(e, doc, 'action', '');
  str(e, doc, 'target', '');
  str(e, doc, 'from', '');
  optObj(e, doc, 'detail', '');
  return e;
}

/** One validator per document type (shape, id derived from content, cheap totals). */
export const VALIDATORS: { [K in DocType]: Validator } = {
  department: validateDepartment,
  taxrate: validateTaxRate,
  taxgroup: validateTaxGroup,
  tender: validateTender,
  supplier: validateSupplier,
  product: validateProduct,
  special: validateSpecial,
  role: validateRole,
  user: validateUser,
  price: validatePrice,
  config: validateConfig,
  sale: validateSale,
  void: validateVoid,
  return: validateReturn,
  shift: validateShift,
  shiftclose: validateShiftClose,
  cash: validateCash,
  zreport: validateZReport,
  move: validateMove,
  transfer: validateTransfer,
  receipt: validateReceipt,
  credit: validateCredit,
  customer: validateCustomer,
  audit: validateAudit,
};

/**
 * Checks only what every schema version keeps: `_id`, `type`, integer `schema`, an id of that type, and
 * `storeId`/`terminalId` agreeing with the owner named in the id. Used alone for a newer schema.
 */
export function validateEnvelope(doc: Obj): string[] {
  const e: Errs = [];
  if (typeof doc._id !== 'string' || doc._id.length === 0) bad(e, '_id', 'must be a non-empty string');
  if (!isDocType(doc.type)) bad(e, 'type', 'must be one of ' + DOC_TYPES.join(', '));
  if (typeof doc.schema !== 'number' || !Number.isSafeInteger(doc.schema) || doc.schema < 1) bad(e, 'schema', 'must be a positive integer');
  if (e.length > 0) return e;
  const id = doc._id as string;
  const split = splitId(id);
  if (!split || split.type !== doc.type) bad(e, '_id', 'must start with ' + String(doc.type) + ':');
  if (doc.storeId !== undefined && !isStoreCode(doc.storeId)) bad(e, 'storeId', 'must be a store code');
  if (doc.terminalId !== undefined && !isTerminalId(doc.terminalId)) bad(e, 'terminalId', 'must be a terminal id');
  const owner = ownerOf(id);
  if (owner.storeId !== undefined && doc.storeId !== owner.storeId) bad(e, 'storeId', 'must be ' + owner.storeId + ' (from the id)');
  // A void may be written at another terminal than the sale's, so its terminal is not the id's.
  if (owner.terminalId !== undefined && doc.type !== 'void' && doc.terminalId !== owner.terminalId) {
    bad(e, 'terminalId', 'must be ' + owner.terminalId + ' (from the id)');
  }
  return e;
}

/**
 * Validates any Caja document: the envelope, then the type's full shape when its schema is one this build
 * knows. A newer schema is opaque here: only the envelope is checked, so a newer client's data is stored and
 * replicated (and set aside by the replication layer) instead of being refused and lost behind a checkpoint.
 * A deletion stub is not validated (authorizeWrite decides who may delete).
 */
export function validateDoc(doc: unknown): string[] {
  if (!isObj(doc)) return ['document: must be an object'];
  if (doc._deleted === true) return typeof doc._id === 'string' ? [] : ['_id: must be a string'];
  const env = validateEnvelope(doc);
  if (env.length > 0) return env;
  if ((doc.schema as number) > CURRENT_SCHEMA) return [];
  const errs = VALIDATORS[doc.type as DocType](doc);
  return errs;
}

/** True when a value passes the validator of its type; a type guard for app code. */
export function isValidDoc(doc: unknown): boolean {
  return validateDoc(doc).length === 0;
}
