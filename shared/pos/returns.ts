// Voids, returns and exchanges. Ledger documents are immutable, so a void or a return is a new document that
// points at the sale; what is still returnable is derived from the sale and the returns already made.
//
// Refund rule: a returned quantity is refunded pro rata of the line's NET (after its specials, manual discount
// and cart-discount share), taxes pro rata per rate, computed CUMULATIVELY: the k-th return of a line refunds
// round(net * returnedSoFar / sold) - round(net * returnedBefore / sold). Each refund is within one minor unit
// of its exact share, and the returns of a whole line add up to the line exactly, whatever the order.
import { money, sum, type Money } from '../money';
import { CASH_TENDER_ID, EXCHANGE_TENDER_ID, receiptNumber, returnId, saleId, voidId } from '../model/ids';
import type { Approval, LineTax, Return, ReturnLine, Sale, SaleTender, StoreConfig, StoreUser, Tender, Void } from '../model/types';
import { CURRENT_SCHEMA } from '../model/types';
import { divRound, fail, ok, qtyMilli, type Result } from './arith';
import { computeTotals, type Cart } from './cart';
import { businessDate, daysBetween } from './clock';
import { findApproval, type ApprovalRequired } from './pricing';
import { buildSale, totalsContext, type BuildSaleInput } from './sale';
import type { TenderError, TenderInput } from './tenders';

// ---------- voids ----------

export type VoidError =
  | ApprovalRequired
  | { code: 'different_day'; saleDate: string; today: string }
  | { code: 'day_closed'; businessDate: string }
  | { code: 'has_returns' }
  | { code: 'wrong_store' };

export interface VoidCheck {
  config: Pick<StoreConfig, 'storeId' | 'timeZone'>;
  now: Date | string;
  /** True when the Z report of the sale's business day exists: the day is closed and its figures are final. */
  zReportExists: boolean;
  user: Pick<StoreUser, 'permissions'>;
  approval?: Approval;
  /** Returns already made against the sale: a sale with returns is corrected by returns, not voided. */
  returns?: readonly Return[];
}

/** Whether a sale may be voided now: same business day, before its Z, no returns, and 'sale.void' or an approval. */
export function checkVoid(sale: Sale, c: VoidCheck): VoidError | null {
  if (sale.storeId !== c.config.storeId) return { code: 'wrong_store' };
  const today = businessDate(c.now, c.config.timeZone);
  if (today !== sale.businessDate) return { code: 'different_day', saleDate: sale.businessDate, today };
  if (c.zReportExists) return { code: 'day_closed', businessDate: sale.businessDate };
  if ((c.returns ?? []).some((r) => r.originalSaleId === sale._id)) return { code: 'has_returns' };
  if (!c.user.permissions.includes('sale.void') && !findApproval(c.approval ? [c.approval] : [], 'sale.void')) {
    return { code: 'approval_required', action: 'sale.void' };
  }
  return null;
}

/** Builds the Void of a sale (id `void:<saleId>`, so a sale is voided once), after checkVoid's rules. */
export function buildVoid(
  sale: Sale,
  c: VoidCheck & { terminalId: string; shiftId: string; cashierId: string; reason: string },
): Result<Void, VoidError> {
  const err = checkVoid(sale, c);
  if (err) return fail(err);
  const now = typeof c.now === 'string' ? new Date(c.now).toISOString() : c.now.toISOString();
  return ok({
    _id: voidId(sale._id),
    type: 'void',
    schema: CURRENT_SCHEMA,
    storeId: sale.storeId,
    terminalId: c.terminalId,
    saleId: sale._id,
    receiptNumber: sale.receiptNumber,
    businessDate: sale.businessDate,
    createdAt: now,
    shiftId: c.shiftId,
    cashierId: c.cashierId,
    reason: c.reason,
    total: sale.total,
    lines: sale.lines.map((l) => ({ productId: l.productId, qty: l.qty })),
    approvals: c.approval ? [{ ...c.approval }] : [],
  });
}

// ---------- returns ----------

/** What can still be returned of each sale line. */
export interface ReturnableLine {
  lineNo: number;
  productId: string;
  sku: string;
  sold: number;
  returned: number;
  remaining: number;
}

/** Quantities sold, already returned and still returnable per line, from the sale and its earlier returns. */
export function returnable(sale: Sale, previous: readonly Return[]): ReturnableLine[] {
  const returnedMilli = new Map<number, number>();
  for (const r of previous) {
    if (r.originalSaleId !== sale._id) continue;
    for (const l of r.lines) returnedMilli.set(l.lineNo, (returnedMilli.get(l.lineNo) ?? 0) + qtyMilli(l.qty));
  }
  return sale.lines.map((l) => {
    const sold = qtyMilli(l.qty);
    const ret = returnedMilli.get(l.lineNo) ?? 0;
    return { lineNo: l.lineNo, productId: l.productId, sku: l.sku, sold: l.qty, returned: ret / 1000, remaining: (sold - ret) / 1000 };
  });
}

export interface ReturnRequest {
  lineNo: number;
  qty: number;
  restock: boolean;
}

export type ReturnError =
  | ApprovalRequired
  | { code: 'empty' }
  | { code: 'unknown_line'; lineNo: number }
  | { code: 'invalid_qty'; lineNo: number }
  | { code: 'exceeds_sold'; lineNo: number; remaining: number }
  | { code: 'sale_voided' }
  | { code: 'refund_exceeds_paid'; amount: Money; refundable: Money };

/** round(amount * part / whole) on thousandths of quantity, exact. */
function proRata(amount: Money, partMilli: number, wholeMilli: number): number {
  return Number(divRound(BigInt(amount) * BigInt(partMilli), BigInt(wholeMilli)));
}

/** The refund lines for the requested quantities (see the cumulative rule above), or why they cannot be returned. */
export function computeReturnLines(
  sale: Sale,
  previous: readonly Return[],
  requests: readonly ReturnRequest[],
): Result<{ lines: ReturnLine[]; taxTotal: Money; total: Money }, ReturnError> {
  if (requests.length === 0) return fail({ code: 'empty' });
  const state = new Map(returnable(sale, previous).map((r) => [r.lineNo, r]));
  const asked = new Map<number, number>(); // the same line asked twice in one return counts once, summed
  const lines: ReturnLine[] = [];
  for (const req of requests) {
    const line = sale.lines.find((l) => l.lineNo === req.lineNo);
    const st = state.get(req.lineNo);
    if (!line || !st) return fail({ code: 'unknown_line', lineNo: req.lineNo });
    let reqMilli: number;
    try {
      reqMilli = qtyMilli(req.qty);
    } catch {
      return fail({ code: 'invalid_qty', lineNo: req.lineNo });
    }
    if (reqMilli <= 0) return fail({ code: 'invalid_qty', lineNo: req.lineNo });
    const soldMilli = qtyMilli(st.sold);
    const beforeMilli = qtyMilli(st.returned) + (asked.get(req.lineNo) ?? 0);
    if (beforeMilli + reqMilli > soldMilli) {
      return fail({ code: 'exceeds_sold', lineNo: req.lineNo, remaining: (soldMilli - beforeMilli) / 1000 });
    }
    asked.set(req.lineNo, (asked.get(req.lineNo) ?? 0) + reqMilli);
    const after = beforeMilli + reqMilli;
    const share = (a: Money): Money => money(proRata(a, after, soldMilli) - proRata(a, beforeMilli, soldMilli));
    const taxes: LineTax[] = line.taxes.map((t) => ({ rateId: t.rateId, code: t.code, basis: share(t.basis), amount: share(t.amount) }));
    lines.push({
      lineNo: line.lineNo,
      productId: line.productId,
      sku: line.sku,
      qty: req.qty,
      amount: share(line.netAmount),
      taxes,
      restock: req.restock,
    });
  }
  const taxTotal = sum(lines.flatMap((l) => l.taxes.map((t) => t.amount)));
  const net = sum(lines.map((l) => l.amount));
  // As on the sale: in inclusive mode the net amount already holds the tax.
  const total = sale.taxMode === 'inclusive' ? net : money(net + taxTotal);
  return ok({ lines, taxTotal, total });
}

/** How a refund is paid: back to the sale's own tenders, or as store credit. */
export type RefundMethod = { to: 'original' } | { to: 'storecredit'; tender: Tender; reference?: string };

/**
 * Splits a refund over the original tenders: cards, gift cards, store credit and other non-cash tenders first
 * (each up to what it paid, less what earlier returns already put back on it), then base cash, which also
 * takes back what foreign cash paid (the drawer gives base currency).
 */
export function allocateRefund(
  sale: Sale,
  previous: readonly Return[],
  amount: Money,
  method: RefundMethod,
  opts: { cashTenderId?: string } = {},
): Result<SaleTender[], ReturnError> {
  if (amount === 0) return ok([]);
  if (method.to === 'storecredit') {
    const t: SaleTender = { tenderId: method.tender._id, kind: method.tender.kind, amount, tendered: amount, change: money(0) };
    if (method.reference) t.reference = method.reference;
    return ok([t]);
  }
  const cashTenderId = opts.cashTenderId ?? CASH_TENDER_ID;
  const key = (t: SaleTender): string => (t.kind === 'cash' || t.kind === 'foreign' ? `cash|${cashTenderId}` : `${t.tenderId}|${t.reference ?? ''}`);
  const refunded = new Map<string, number>();
  for (const r of previous) {
    if (r.originalSaleId !== sale._id) continue;
    for (const t of r.refunds) refunded.set(key(t), (refunded.get(key(t)) ?? 0) + t.amount);
  }
  const pots = new Map<string, { tender: SaleTender; left: number }>();
  for (const t of sale.tenders) {
    const k = key(t);
    const pot = pots.get(k);
    if (pot) pot.left += t.amount;
    else pots.set(k, { tender: t, left: t.amount });
  }
  for (const [k, p] of pots) p.left -= refunded.get(k) ?? 0;
  const ordered = [...pots.entries()].sort(([a], [b]) => Number(a.startsWith('cash|')) - Number(b.startsWith('cash|')));
  const refundable = ordered.reduce((s, [, p]) => s + Math.max(0, p.left), 0);
  // Cash takes whatever the non-cash tenders cannot: a negative cash rounding on the sale can leave the paid total
  // a few cents under the value of its lines, and a full return refunds the lines.
  let left: number = amount;
  const out: SaleTender[] = [];
  for (const [k, p] of ordered) {
    if (left <= 0) break;
    const isCash = k.startsWith('cash|');
    const take = isCash ? left : Math.min(left, Math.max(0, p.left));
    if (take <= 0) continue;
    const t: SaleTender = isCash
      ? { tenderId: cashTenderId, kind: 'cash', amount: money(take), tendered: money(take), change: money(0) }
      : { tenderId: p.tender.tenderId, kind: p.tender.kind, amount: money(take), tendered: money(take), change: money(0) };
    if (!isCash && p.tender.reference) t.reference = p.tender.reference;
    out.push(t);
    left -= take;
  }
  // Only a sale with cash can have been rounded, and cash takes any remainder above, so a remainder here means
  // the refund is larger than what the non-cash tenders paid.
  if (left > 0) return fail({ code: 'refund_exceeds_paid', amount, refundable: money(refundable) });
  return ok(out);
}

export interface BuildReturnInput {
  sale: Sale;
  previous: readonly Return[];
  requests: readonly ReturnRequest[];
  config: Pick<StoreConfig, 'storeId' | 'timeZone' | 'returnDays'>;
  terminalId: string;
  seq: number; // from the terminal's receipt sequence, shared with sales
  shiftId: string;
  cashier: Pick<StoreUser, 'userId' | 'permissions'>;
  refund: RefundMethod;
  now: Date | string;
  approvals?: Approval[];
  /** True when the sale has been voided: nothing is left to return. */
  voided?: boolean;
  cashTenderId?: string;
}

/**
 * Whether the cashier may take this return: 'sale.refund' permission or an approval for it, and an approval for
 * 'return.late' beyond the store's return window.
 */
export function checkReturn(input: Pick<BuildReturnInput, 'sale' | 'config' | 'cashier' | 'now' | 'approvals'>): ApprovalRequired | null {
  const approvals = input.approvals ?? [];
  if (!input.cashier.permissions.includes('sale.refund') && !findApproval(approvals, 'sale.refund')) {
    return { code: 'approval_required', action: 'sale.refund' };
  }
  const today = businessDate(input.now, input.config.timeZone);
  if (daysBetween(input.sale.businessDate, today) > input.config.returnDays && !findApproval(approvals, 'return.late')) {
    return { code: 'approval_required', action: 'return.late' };
  }
  return null;
}

/** Builds a Return document against a sale: checked quantities, pro rata amounts, refund split over tenders. */
export function buildReturn(input: BuildReturnInput, extraRefunds: SaleTender[] = [], exchangeSaleId?: string): Result<Return, ReturnError> {
  if (input.voided) return fail({ code: 'sale_voided' });
  const need = checkReturn(input);
  if (need) return fail(need);
  const calc = computeReturnLines(input.sale, input.previous, input.requests);
  if (!calc.ok) return calc;
  const extra = sum(extraRefunds.map((t) => t.amount));
  const refunds = allocateRefund(input.sale, input.previous, money(Math.max(0, calc.value.total - extra)), input.refund, {
    cashTenderId: input.cashTenderId,
  });
  if (!refunds.ok) return refunds;
  const now = typeof input.now === 'string' ? new Date(input.now).toISOString() : input.now.toISOString();
  const { storeId } = input.config;
  const doc: Return = {
    _id: returnId(storeId, input.terminalId, input.seq),
    type: 'return',
    schema: CURRENT_SCHEMA,
    storeId,
    terminalId: input.terminalId,
    seq: input.seq,
    receiptNumber: receiptNumber(storeId, input.terminalId, input.seq),
    originalSaleId: input.sale._id,
    businessDate: businessDate(now, input.config.timeZone),
    createdAt: now,
    shiftId: input.shiftId,
    cashierId: input.cashier.userId,
    lines: calc.value.lines,
    taxTotal: calc.value.taxTotal,
    total: calc.value.total,
    refunds: [...extraRefunds, ...refunds.value],
    approvals: (input.approvals ?? []).map((a) => ({ ...a })),
  };
  if (exchangeSaleId) doc.exchangeSaleId = exchangeSaleId;
  return ok(doc);
}

// ---------- exchanges ----------

/** The tender that carries value from the returned goods to the new sale (non-cash, no change, no balance). */
export const EXCHANGE_TENDER: Tender = {
  _id: EXCHANGE_TENDER_ID,
  type: 'tender',
  schema: CURRENT_SCHEMA,
  code: 'exchange',
  name: { en: 'Exchange credit', es: 'Crédito por cambio' },
  kind: 'other',
  allowChange: false,
  allowOverTender: false,
  opensDrawer: false,
  active: true,
};

export interface ExchangeInput {
  ret: Omit<BuildReturnInput, 'refund'> & { refund: RefundMethod };
  sale: Omit<BuildSaleInput, 'tenders'>;
  /** Tenders for the difference when the new goods cost more than the returned ones. */
  tenders: TenderInput[];
  exchangeTender?: Tender;
}

/**
 * An exchange: a Return and a new Sale settled together. The returned value pays the new sale through the
 * exchange tender (on both documents, so it nets to zero in the register); the customer pays any difference
 * with `tenders`, or is refunded it by `ret.refund`.
 */
export function buildExchange(
  input: ExchangeInput,
): Result<{ ret: Return; sale: Sale; difference: Money }, ReturnError | TenderError | { code: 'empty_cart' }> {
  const xt = input.exchangeTender ?? EXCHANGE_TENDER;
  const calc = computeReturnLines(input.ret.sale, input.ret.previous, input.ret.requests);
  if (!calc.ok) return calc;
  const cart: Cart = input.sale.cart;
  if (cart.lines.length === 0) return fail({ code: 'empty_cart' });
  const newTotals = computeTotals(cart, totalsContext(input.sale.config, input.sale.catalog, input.sale.now));
  const credit = money(Math.min(calc.value.total, newTotals.total));
  const difference = money(newTotals.total - calc.value.total);
  const { config } = input.sale;
  const newSaleId = saleId(config.storeId, input.sale.terminalId, input.sale.seq);
  const retId = returnId(input.ret.config.storeId, input.ret.terminalId, input.ret.seq);
  const tenders: TenderInput[] = credit > 0 ? [{ tender: xt, tendered: credit, reference: retId }] : [];
  if (difference > 0) tenders.push(...input.tenders);
  const saleRes = buildSale({ ...input.sale, tenders });
  if (!saleRes.ok) return saleRes;
  const exchangeRefund: SaleTender[] =
    credit > 0
      ? [{ tenderId: xt._id, kind: xt.kind, amount: credit, tendered: credit, change: money(0), reference: newSaleId }]
      : [];
  const ret = buildReturn(input.ret, exchangeRefund, newSaleId);
  if (!ret.ok) return ret;
  return ok({ ret: ret.value, sale: saleRes.value, difference });
}
