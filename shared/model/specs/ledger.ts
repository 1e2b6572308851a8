// Validation of the documents a store or a terminal writes (sales, voids, returns, shifts, cash, stock and
// credit movements, audit): a check for every field of each interface (checks.ts Spec), in the order the errors
// are reported, then the cheap totals over well-formed parts.
import { roundHalfUp } from '../../money';
import type {
  AuditEntry, CashMovement, CreditEntry, CreditReason, Return, ReturnLine, Sale, SaleLine, Shift, ShiftClose, StockMovement, StockReason,
  TaxTotal, Transfer, TransferArrival, Void, ZReport,
} from '../types';
import type { Check, DocRules, Errs, Fields, Obj, Scope, Spec } from '../checks';
import {
  anyObject, bad, bool, businessDate, currencyCode, i18n, int, isObj, isoTime, list, money, oneOf, optional, qty, ref, sameId,
  storeCode, str, stringList, terminalId, then, unchecked,
} from '../checks';
import {
  MAX_SEQ, parseAuditId, parseCashId, parseCreditId, parseCustomerId, parseGiftCardId, parseMoveId, parseReturnId, parseSaleId,
  parseShiftId, parseTransferId, receiptNumber, returnId, saleId, shiftId, zreportId,
} from '../ids';
import { approvals, discounts, idOf, lineTaxes, ownShift, qtyLines, tenders, total } from './parts';

/** The fields a document numbered per terminal (a sale, a return) has. */
interface Numbered {
  storeId: string;
  terminalId: string;
  seq: number;
  receiptNumber: string;
}

/** The number of a sequence: its id derives from store, terminal and seq. */
function seqOf<P extends Numbered>(derive: (storeId: string, terminalId: string, seq: number) => string): Check<number, P> {
  return then<number, P>(int(1, MAX_SEQ), (seq, s) => {
    const { storeId: st, terminalId: t } = s.ok;
    if (st && t && seq !== undefined) sameId(s.errs, s.raw, derive(st, t, seq));
  });
}

/** The receipt number, `<store>-<terminal>-<seq>` of the document. */
function numberedReceipt<P extends Numbered>(v: unknown, path: string, s: Scope<P>): string | undefined {
  const { storeId: st, terminalId: t, seq } = s.ok;
  if (!st || !t || seq === undefined) return undefined;
  const expected = receiptNumber(st, t, seq);
  if (v === expected) return expected;
  bad(s.errs, path, 'must be ' + expected);
  return undefined;
}

const TAX_MODES: ReadonlyArray<Sale['taxMode']> = ['exclusive', 'inclusive'];

const saleLine: Spec<SaleLine> = {
  lineNo: then(int(1), (n, s) => {
    if (n === undefined) return;
    for (let i = 0; i < s.earlier.length; i++) {
      if (s.earlier[i]?.lineNo === n) {
        bad(s.errs, s.at + 'lineNo', 'duplicates line ' + n);
        return;
      }
    }
  }),
  productId: ref('product'),
  sku: then(str, (sku, s) => {
    const pid = s.ok.productId;
    if (pid && sku && pid !== 'product:' + sku) bad(s.errs, s.at + 'productId', 'must be product:' + sku);
  }),
  name: i18n(),
  qty: qty('pos'),
  unitPrice: money('nonneg'),
  priceSource: oneOf(['base', 'store', 'special', 'override']),
  grossAmount: then(money('nonneg'), (gross, s, path) => {
    const q = s.ok.qty;
    const unit = s.ok.unitPrice;
    if (q === undefined || unit === undefined || gross === undefined) return;
    const expected = roundHalfUp(q * unit);
    if (gross !== expected) bad(s.errs, path, 'must be round(qty x unitPrice) = ' + expected);
  }),
  discounts,
  netAmount: money(),
  // Never checked: the figures that matter (netAmount, the totals) are; a stricter check would refuse old sales.
  cartDiscountShare: unchecked(),
  taxGroupId: ref('taxgroup'),
  taxes: lineTaxes,
  salesRepId: optional(str),
};

const taxTotal: Spec<TaxTotal> = {
  rateId: ref('taxrate'),
  code: str,
  name: i18n(),
  basis: money(),
  amount: money(),
};

/** The taxes of every line, added up. */
function lineTaxSum(lines: ReadonlyArray<{ taxes: ReadonlyArray<{ amount: number }> }> | undefined): number {
  return total(lines, (l) => total(l.taxes, (t) => t.amount));
}

/** The cheap sale totals: subtotal, discounts, taxes, total and tenders, only over well-formed parts. */
function saleTotals(s: Scope<Fields<Sale>>): void {
  const e = s.errs;
  if (e.length > 0) return;
  const { lines, subtotal, discountTotal, taxTotal: taxSum, taxes, rounding, total: saleTotal, tenders: paid, change, taxMode } = s.ok;
  if (subtotal === undefined || discountTotal === undefined || taxSum === undefined || rounding === undefined) return;
  const gross = total(lines, (l) => l.grossAmount);
  if (subtotal !== gross) bad(e, 'subtotal', 'must equal the sum of line grossAmount (' + gross + ')');
  const net = total(lines, (l) => l.netAmount);
  if (net !== subtotal - discountTotal) bad(e, 'discountTotal', 'must equal subtotal - sum of line netAmount (' + (subtotal - net) + ')');
  const taxesSum = total(taxes, (x) => x.amount);
  if (taxSum !== taxesSum) bad(e, 'taxTotal', 'must equal the sum of taxes[].amount (' + taxesSum + ')');
  const linesTax = lineTaxSum(lines);
  if (taxSum !== linesTax) bad(e, 'taxTotal', 'must equal the sum of the line taxes (' + linesTax + ')');
  const exclusive = taxMode === 'exclusive';
  const expected = subtotal - discountTotal + (exclusive ? taxSum : 0) + rounding;
  if (saleTotal !== expected) bad(e, 'total', 'must equal subtotal - discountTotal' + (exclusive ? ' + taxTotal' : '') + ' + rounding (' + expected + ')');
  const tendered = total(paid, (t) => t.amount);
  if (tendered !== saleTotal) bad(e, 'tenders', 'amounts must add up to total (' + tendered + ' != ' + saleTotal + ')');
  const changeSum = total(paid, (t) => t.change);
  if (change !== changeSum) bad(e, 'change', 'must equal the sum of tender change (' + changeSum + ')');
}

/** A sale, including its cheap totals: subtotal, total, taxes, tenders. */
export const SALE: DocRules<Sale> = {
  fields: {
    storeId: storeCode,
    terminalId,
    seq: seqOf(saleId),
    receiptNumber: numberedReceipt,
    businessDate,
    createdAt: isoTime,
    shiftId: ownShift,
    cashierId: str,
    customerId: optional(idOf(parseCustomerId, 'must be a customer id')),
    taxExemptId: optional(str),
    currency: currencyCode,
    taxMode: oneOf(TAX_MODES),
    lines: list(saleLine, 1),
    cartDiscounts: discounts,
    subtotal: money('nonneg'),
    discountTotal: money('nonneg'),
    taxTotal: money('nonneg'),
    taxes: list(taxTotal),
    rounding: money(),
    total: money('nonneg'),
    tenders,
    change: money('nonneg'),
    approvals,
  },
  after: saleTotals,
};

/** A void: id from the sale id, same store, the sale's receipt number, the sale's quantities. */
export const VOID: DocRules<Void> = {
  fields: {
    storeId: storeCode,
    terminalId,
    saleId: (v, path, s) => {
      const sale = typeof v === 'string' ? parseSaleId(v) : null;
      if (!sale) {
        bad(s.errs, path, 'must be a sale id');
        return undefined;
      }
      sameId(s.errs, s.raw, 'void:' + String(v));
      const st = s.ok.storeId;
      if (st && sale.storeId !== st) {
        bad(s.errs, path, 'must be a sale of store ' + st);
        return undefined;
      }
      return String(v);
    },
    receiptNumber: (v, path, s) => {
      const sale = typeof s.raw.saleId === 'string' ? parseSaleId(s.raw.saleId) : null;
      if (!sale) return undefined;
      const rn = receiptNumber(sale.storeId, sale.terminalId, sale.seq);
      if (v === rn) return rn;
      bad(s.errs, path, 'must be the sale receipt number ' + rn);
      return undefined;
    },
    businessDate,
    createdAt: isoTime,
    shiftId: ownShift,
    cashierId: str,
    reason: str,
    total: money('nonneg'),
    lines: qtyLines('pos'),
    approvals,
  },
};

const returnLine: Spec<ReturnLine> = {
  lineNo: int(1),
  productId: ref('product'),
  sku: str,
  qty: qty('pos'),
  amount: money('nonneg'),
  taxes: lineTaxes,
  restock: bool,
};

/** A return (refund): id and receipt number from store, terminal and seq; refunds add up to total. */
export const RETURN: DocRules<Return> = {
  fields: {
    storeId: storeCode,
    terminalId,
    seq: seqOf(returnId),
    receiptNumber: numberedReceipt,
    originalSaleId: idOf(parseSaleId, 'must be a sale id'),
    businessDate,
    createdAt: isoTime,
    shiftId: ownShift,
    cashierId: str,
    lines: list(returnLine, 1),
    taxTotal: money('nonneg'),
    total: money('nonneg'),
    refunds: tenders,
    exchangeSaleId: optional(idOf(parseSaleId, 'must be a sale id')),
    approvals,
  },
  after: (s) => {
    if (s.errs.length > 0) return;
    const linesTax = lineTaxSum(s.ok.lines);
    if (s.ok.taxTotal !== linesTax) bad(s.errs, 'taxTotal', 'must equal the sum of the line taxes (' + linesTax + ')');
    const refunded = total(s.ok.refunds, (t) => t.amount);
    if (refunded !== s.ok.total) bad(s.errs, 'refunds', 'amounts must add up to total (' + refunded + ' != ' + s.ok.total + ')');
  },
};

export const SHIFT: DocRules<Shift> = {
  fields: {
    storeId: storeCode,
    terminalId,
    n: then(int(1, MAX_SEQ), (n, s) => {
      const { storeId: st, terminalId: t } = s.ok;
      if (st && t && n !== undefined) sameId(s.errs, s.raw, shiftId(st, t, n));
    }),
    openedAt: isoTime,
    openedBy: str,
    openingFloat: money('nonneg'),
    businessDate,
  },
};

/** Whether a denomination -> count entry is well formed (a denomination in minor units, a count >= 0). */
function isCount(denomination: string, count: unknown): count is number {
  return /^[1-9][0-9]*$/.test(denomination) && typeof count === 'number' && Number.isSafeInteger(count) && count >= 0;
}

const counted: Check<Record<string, number>> = (v, path, s) => {
  if (!isObj(v)) {
    bad(s.errs, path, 'must map denominations to counts');
    return undefined;
  }
  const before = s.errs.length;
  for (const k in v) {
    if (!isCount(k, v[k])) bad(s.errs, path + '.' + k, 'must be a count (integer >= 0) of a denomination in minor units');
  }
  return s.errs.length === before ? (v as Record<string, number>) : undefined;
};

/** The cash the well-formed entries of a count add up to, and how many there are. */
function countedTotal(v: unknown): { sum: number; entries: number } {
  let sum = 0;
  let entries = 0;
  if (!isObj(v)) return { sum, entries };
  for (const k in v) {
    const c = v[k];
    if (isCount(k, c)) {
      sum += Number(k) * c;
      entries++;
    }
  }
  return { sum, entries };
}

export const SHIFT_CLOSE: DocRules<ShiftClose> = {
  fields: {
    storeId: storeCode,
    terminalId,
    shiftId: then(ownShift, (_v, s) => {
      if (typeof s.raw.shiftId === 'string') sameId(s.errs, s.raw, 'shiftclose:' + s.raw.shiftId);
    }),
    closedAt: isoTime,
    closedBy: str,
    counted,
    countedCash: money('nonneg'),
    expectedCash: money(),
    variance: money(),
    alert: bool,
  },
  after: (s) => {
    const { countedCash, expectedCash, variance } = s.ok;
    if (countedCash !== undefined && expectedCash !== undefined && variance !== undefined && variance !== countedCash - expectedCash) {
      bad(s.errs, 'variance', 'must equal countedCash - expectedCash (' + (countedCash - expectedCash) + ')');
    }
    // An automatic close (by the day close) counts nothing; a counted close must add up.
    const count = countedTotal(s.raw.counted);
    if (countedCash !== undefined && count.entries > 0 && count.sum !== countedCash) bad(s.errs, 'countedCash', 'must equal the counted denominations (' + count.sum + ')');
  },
};

export const CASH: DocRules<CashMovement> = {
  fields: {
    storeId: storeCode,
    terminalId: then(terminalId, (t, s) => {
      const idRef = typeof s.raw._id === 'string' ? parseCashId(s.raw._id) : null;
      if (!idRef) bad(s.errs, '_id', 'must be cash:<store>:<terminal>:<uuid>');
      else if (idRef.storeId !== s.ok.storeId || idRef.terminalId !== t) bad(s.errs, '_id', 'must name the document store and terminal');
    }),
    shiftId: ownShift,
    direction: oneOf(['in', 'out']),
    amount: money('pos'),
    reason: str,
    createdAt: isoTime,
    userId: str,
    approvals,
  },
};

export const ZREPORT: DocRules<ZReport> = {
  fields: {
    storeId: storeCode,
    businessDate: then(businessDate, (d, s) => {
      const st = s.ok.storeId;
      if (st && d) sameId(s.errs, s.raw, zreportId(st, d));
    }),
    createdAt: isoTime,
    shiftIds: (v, path, s) => stringList(v, path, s.errs, (x) => {
      const r = parseShiftId(x);
      return r !== null && r.storeId === s.ok.storeId;
    }, 'a shift id of this store'),
    // The figures of the X/Z layout, computed in shared/pos: only their being an object is checked.
    totals: anyObject(),
  },
};

const STOCK_REASONS: readonly StockReason[] = ['adjustment', 'damage', 'receive', 'count', 'theft', 'other'];

export const MOVE: DocRules<StockMovement> = {
  fields: {
    storeId: then(storeCode, (st, s) => {
      const idRef = typeof s.raw._id === 'string' ? parseMoveId(s.raw._id) : null;
      if (!idRef) bad(s.errs, '_id', 'must be move:<store>:<uuid>');
      else if (idRef.storeId !== st) bad(s.errs, '_id', 'must name the document store');
    }),
    reason: oneOf(STOCK_REASONS),
    lines: qtyLines('nonzero'),
    createdAt: isoTime,
    userId: str,
    note: optional(str),
  },
};

export const TRANSFER: DocRules<Transfer> = {
  fields: {
    storeId: then(storeCode, (st, s) => {
      const idRef = typeof s.raw._id === 'string' ? parseTransferId(s.raw._id) : null;
      if (!idRef) bad(s.errs, '_id', 'must be transfer:<from store>:<uuid>');
      else if (idRef.storeId !== st) bad(s.errs, '_id', 'must name the source store');
    }),
    fromStoreId: (v, path, s) => {
      if (v === s.ok.storeId) return s.ok.storeId;
      bad(s.errs, path, 'must equal storeId (the source store writes the transfer)');
      return undefined;
    },
    toStoreId: then(storeCode, (to, s, path) => {
      if (to && to === s.ok.storeId) bad(s.errs, path, 'must differ from the source store');
    }),
    lines: qtyLines('pos'),
    createdAt: isoTime,
    userId: str,
  },
};

export const RECEIPT: DocRules<TransferArrival> = {
  fields: {
    storeId: storeCode,
    transferId: (v, path, s) => {
      const tr = typeof v === 'string' ? parseTransferId(v) : null;
      if (!tr) {
        bad(s.errs, path, 'must be a transfer id');
        return undefined;
      }
      sameId(s.errs, s.raw, 'receipt:' + String(v));
      if (tr.storeId === s.ok.storeId) bad(s.errs, 'storeId', 'must be the destination store, not the source');
      return String(v);
    },
    // Zero is a valid received quantity: the line arrived missing.
    lines: qtyLines('nonneg'),
    createdAt: isoTime,
    userId: str,
  },
};

const CREDIT_REASONS: readonly CreditReason[] = ['issue', 'redeem', 'refund', 'adjust'];

/** The sale or return a credit entry names, undefined when absent, null when it is not such an id. */
function linked<T>(v: unknown, parse: (id: string) => T | null): T | null | undefined {
  return v === undefined ? undefined : typeof v === 'string' ? parse(v) : null;
}

/**
 * The id of a credit entry: it names the holder, the store and (unless a void wrote it) the terminal; an entry
 * tied to a sale, return or void carries that document's id, matching the link token of its own id (so the
 * same tender cannot be redeemed or refunded under two ids).
 */
function creditIdRules(s: Scope<Fields<CreditEntry>>): void {
  const e: Errs = s.errs;
  const doc: Obj = s.raw;
  const { storeId: st, terminalId: t, reason } = s.ok;
  const holder = s.ok.customerId !== undefined ? s.ok.customerId : s.ok.giftCardId;
  const id = typeof doc._id === 'string' ? parseCreditId(doc._id) : null;
  if (!id) {
    bad(e, '_id', 'must be credit:<customer|giftcard>:<key>:<store>:<terminal>:<token>');
    return;
  }
  if (holder !== undefined && id.holder !== holder) bad(e, '_id', 'must name the holder ' + holder);
  if (st && id.storeId !== st) bad(e, '_id', 'must name the document store');
  const sale = linked(doc.saleId, parseSaleId);
  const ret = linked(doc.returnId, parseReturnId);
  const link = id.link;
  if (!link) {
    // A free-standing entry (a gift card issued at the desk, an adjustment) belongs to no document.
    if (t && id.terminalId !== t) bad(e, '_id', 'must name the document terminal');
    if (doc.saleId !== undefined || doc.returnId !== undefined) bad(e, '_id', 'an entry tied to a sale or return takes the link token of that document');
    else if (reason === 'redeem') bad(e, 'saleId', 'a redeem pays a sale: it must name it');
    return;
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
}

/**
 * A credit ledger entry: one holder, named in the id; store and terminal from the id; the sign of the amount
 * from the reason; an adjustment says who approved it and why (creditIdRules for the id).
 */
export const CREDIT: DocRules<CreditEntry> = {
  fields: {
    storeId: storeCode,
    terminalId,
    customerId: (v, path, s) => {
      if ((v !== undefined) === (s.raw.giftCardId !== undefined)) {
        bad(s.errs, path, 'exactly one of customerId and giftCardId must be set');
        return undefined;
      }
      if (v === undefined) return undefined;
      if (typeof v === 'string' && parseCustomerId(v)) return v;
      bad(s.errs, path, 'must be a customer id');
      return undefined;
    },
    giftCardId: (v, path, s) => {
      // Both or neither set was reported at customerId.
      if (v === undefined || s.raw.customerId !== undefined) return undefined;
      if (typeof v === 'string' && parseGiftCardId(v)) return v;
      bad(s.errs, path, 'must be a gift card id (giftcard:<number>)');
      return undefined;
    },
    reason: oneOf(CREDIT_REASONS),
    amount: then(money(), (amount, s, path) => {
      const reason = s.ok.reason;
      if (amount === undefined || reason === undefined) return;
      if ((reason === 'issue' || reason === 'refund') && amount <= 0) bad(s.errs, path, 'must be positive for ' + reason + ' (credit given)');
      if (reason === 'redeem' && amount >= 0) bad(s.errs, path, 'must be negative for redeem (credit spent)');
      if (reason === 'adjust' && amount === 0) bad(s.errs, path, 'must not be zero');
    }),
    saleId: optional(idOf(parseSaleId, 'must be a sale id')),
    returnId: optional(idOf(parseReturnId, 'must be a return id')),
    createdAt: isoTime,
    userId: str,
    approvals,
    note: optional(str),
  },
  after: (s) => {
    if (s.ok.reason === 'adjust') {
      // An adjustment moves money with no sale or return behind it: it names who approved it and why.
      const a = s.raw.approvals;
      const note = s.raw.note;
      if (!Array.isArray(a) || a.length === 0) bad(s.errs, 'approvals', 'an adjustment must record its approval');
      if (typeof note !== 'string' || note.length === 0) bad(s.errs, 'note', 'an adjustment must say why');
    }
    creditIdRules(s);
  },
};

/** The store and time an audit entry's id names. */
function auditIdOf(doc: Obj): { storeId?: string; at: string } | null {
  return typeof doc._id === 'string' ? parseAuditId(doc._id) : null;
}

export const AUDIT: DocRules<AuditEntry> = {
  fields: {
    storeId: (v, path, s) => {
      const a = auditIdOf(s.raw);
      if (!a) {
        bad(s.errs, '_id', 'must be audit:<store|hq>:<iso>:<uuid>');
        return undefined;
      }
      if (a.storeId === undefined && v !== undefined) bad(s.errs, path, 'must be absent on an HQ audit entry');
      if (a.storeId !== undefined && v !== a.storeId) bad(s.errs, path, 'must be ' + a.storeId + ' (from the id)');
      return v === a.storeId ? a.storeId : undefined;
    },
    at: (v, path, s) => {
      const a = auditIdOf(s.raw);
      if (a && v !== a.at) bad(s.errs, path, 'must equal the timestamp in the id');
      return isoTime(v, path, s);
    },
    actor: str,
    action: str,
    target: str,
    from: str,
    detail: optional(anyObject()),
  },
};
