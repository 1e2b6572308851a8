// The roll-up of one store business day: every figure the reports need, computed once from that day's raw
// documents into compact summable sections (layout.ts), and written as the derived document
// `rollup:<store>:<date>` in `caja-reports` by the one roll-up job of that database. Month and year roll-ups
// and the chain's (`rollup:*:<period>`) are sums of these (sections.ts), so every report over any period is
// a sum of a few documents' figures, which the report view adds natively.
//
// Which documents belong to the day: sales, voids, returns and shifts by their own `businessDate` (a return
// counts on the day it was refunded, not on its sale's day; a void shares its sale's day); register closes,
// cash movements, stock moves, transfers out and arrivals in by the local date, in the store's zone, of when
// they were made. Margin uses the product cost the catalog has when the day is rolled up (a later cost change
// does not revalue past days, and a day rolled up again takes the cost of that moment).
import type { Money } from '../money';
import type {
  CashMovement, Return, Sale, Shift, ShiftClose, StockMovement, Transfer, TransferArrival, Void, ZReport,
} from '../model/types';
import { extend, qtyMilli } from '../pos/arith';
import { zoneParts } from '../pos/clock';
import {
  C, C_LEN, DK, DK_LEN, H, H_LEN, HOURS, K, K_LEN, P, P_LEN, R, R_LEN, T, T_LEN, TN, TN_LEN, TX, TX_LEN, ZV, ZV_LEN,
  type Level,
} from './layout';
import { levelOf } from './periods';
import { bump, newAcc, toSections, addSections, diffSections, type Acc, type Sections } from './sections';
import { currentZFigures, encodeZ, zFiguresOf, type ZScope } from './zfigures';

/** What the roll-up knows of a product: its department and cost when the day is rolled up. */
export interface ProductFacts {
  departmentId: string;
  /** Unit cost in minor units; null when the catalog has none (the goods then count at zero cost). */
  cost: number | null;
}

/** The documents of a day and the facts they need. Lists may hold more than the day: they are filtered. */
export interface DayInput {
  storeId: string;
  date: string;
  timeZone: string;
  sales: readonly Sale[];
  voids: readonly Void[];
  returns: readonly Return[];
  shifts: readonly Shift[];
  closes: readonly ShiftClose[];
  cash: readonly CashMovement[];
  moves: readonly StockMovement[];
  transfers: readonly Transfer[];
  arrivals: readonly TransferArrival[];
  /** Sales returned that day (any date), by id: a return's line names its sale's sales rep. */
  originals: Readonly<Record<string, Sale>>;
  /** Shifts whose closes are in the day (any date), by id: a variance counts for who opened the register. */
  shiftsById: Readonly<Record<string, Shift>>;
  products: Readonly<Record<string, ProductFacts>>;
  /** The day's Z and the documents of its scope now, when the day is closed. */
  z?: { zreport: ZReport; scope: ZScope } | null;
}

/** A roll-up document: derived figures of one scope (a store or the chain) over one period. */
export interface RollupDoc {
  _id: string;
  _rev?: string;
  type: 'rollup';
  schema: number;
  /** A store code, or `*` for the chain. */
  scope: string;
  level: Level;
  /** `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
  period: string;
  s: Sections;
}

export const ROLLUP_SCHEMA = 1;
const ROLLUP_PREFIX = 'rollup:';

/** `rollup:<scope>:<period>`: ids sort by scope, then period, so a store's days are one id range. */
export function rollupId(scope: string, period: string): string {
  return ROLLUP_PREFIX + scope + ':' + period;
}

/** The scope and period of a roll-up id, or null. */
export function parseRollupId(id: string): { scope: string; period: string } | null {
  if (!id.startsWith(ROLLUP_PREFIX)) return null;
  const rest = id.slice(ROLLUP_PREFIX.length);
  const i = rest.indexOf(':');
  if (i <= 0) return null;
  const period = rest.slice(i + 1);
  return /^\d{4}(-\d{2}(-\d{2})?)?$/.test(period) ? { scope: rest.slice(0, i), period } : null;
}

/** The document for a scope, a period and its figures. */
export function rollupDoc(scope: string, period: string, s: Sections): RollupDoc {
  return { _id: rollupId(scope, period), type: 'rollup', schema: ROLLUP_SCHEMA, scope, level: levelOf(period), period, s };
}

// ---------- local time ----------

/** The local date and hour of an instant in a zone (shared/pos/clock.ts keeps one formatter per zone). */
export function localDateHour(iso: string, timeZone: string): { date: string; hour: number } {
  const p = zoneParts(iso, timeZone);
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) % HOURS };
}

// ---------- the day ----------

const t = (acc: Acc, i: number, n: number) => bump(acc, 't', [], T_LEN, i, n);
const sum = <X>(list: readonly X[], f: (x: X) => number) => list.reduce((s, x) => s + f(x), 0);
const lineTax = (l: { taxes: readonly { amount: number }[] }) => sum(l.taxes, (x) => x.amount);

/** Whether a return was refunded tax-inclusive: its total is its lines' amounts (the tax is inside them). */
function inclusiveReturn(r: Return): boolean {
  return r.taxTotal > 0 && r.total === sum(r.lines, (l) => l.amount);
}

function costOf(facts: ProductFacts | undefined, qty: number): number {
  return facts && facts.cost !== null ? extend(qty, facts.cost as Money) : 0;
}

function deptOf(facts: ProductFacts | undefined): string {
  return facts ? facts.departmentId : '';
}

/** The approval state of a discount (layout.ts DK). */
function approvalOf(sale: Sale, kind: string, lineNo: number | undefined): string {
  if (kind === 'special') return 'special';
  const approved = sale.approvals.some((a) => a.action === 'discount.over_limit' && a.lineNo === lineNo);
  return approved ? 'approved' : 'within_limit';
}

function addSale(acc: Acc, s: Sale, input: DayInput): void {
  const inclusive = s.taxMode === 'inclusive';
  const net = s.subtotal - s.discountTotal;
  const netEx = net - (inclusive ? s.taxTotal : 0);
  let items = 0;
  let cost = 0;
  for (const l of s.lines) {
    const facts = input.products[l.productId];
    const q = qtyMilli(l.qty);
    const c = costOf(facts, l.qty);
    const tax = lineTax(l);
    const lineNetEx = l.netAmount - (inclusive ? tax : 0);
    const discount = sum(l.discounts, (d) => d.amount) + (l.cartDiscountShare ?? 0);
    items += q;
    cost += c;
    for (const [section, key] of [['p', [l.productId, deptOf(facts)]], ['d', [deptOf(facts)]]] as const) {
      bump(acc, section, [...key], P_LEN, P.QTY_MILLI, q);
      bump(acc, section, [...key], P_LEN, P.GROSS, l.grossAmount);
      bump(acc, section, [...key], P_LEN, P.DISCOUNT, discount);
      bump(acc, section, [...key], P_LEN, P.NET_EX_TAX, lineNetEx);
      bump(acc, section, [...key], P_LEN, P.COST, c);
      bump(acc, section, [...key], P_LEN, P.LINES, 1);
      bump(acc, section, [...key], P_LEN, P.TAX, tax);
    }
    if (l.salesRepId) {
      bump(acc, 'r', [l.salesRepId], R_LEN, R.LINES, 1);
      bump(acc, 'r', [l.salesRepId], R_LEN, R.QTY_MILLI, q);
      bump(acc, 'r', [l.salesRepId], R_LEN, R.NET_EX_TAX, lineNetEx);
    }
    for (const d of l.discounts) {
      bump(acc, 'dk', ['line:' + d.kind, approvalOf(s, d.kind, l.lineNo), s.cashierId], DK_LEN, DK.COUNT, 1);
      bump(acc, 'dk', ['line:' + d.kind, approvalOf(s, d.kind, l.lineNo), s.cashierId], DK_LEN, DK.AMOUNT, d.amount);
    }
    bump(acc, 'k', [l.productId], K_LEN, K.DELTA_MILLI, -q);
  }
  for (const d of s.cartDiscounts) {
    bump(acc, 'dk', ['cart:' + d.kind, approvalOf(s, d.kind, undefined), s.cashierId], DK_LEN, DK.COUNT, 1);
    bump(acc, 'dk', ['cart:' + d.kind, approvalOf(s, d.kind, undefined), s.cashierId], DK_LEN, DK.AMOUNT, d.amount);
  }
  t(acc, T.SALES, 1);
  t(acc, T.GROSS, s.subtotal);
  t(acc, T.DISCOUNTS, s.discountTotal);
  t(acc, T.NET, net);
  t(acc, T.NET_EX_TAX, netEx);
  t(acc, T.TAX, s.taxTotal);
  t(acc, T.ROUNDING, s.rounding);
  t(acc, T.TOTAL, s.total);
  t(acc, T.ITEMS_MILLI, items);
  t(acc, T.LINES, s.lines.length);
  t(acc, T.COST, cost);
  t(acc, T.STOCK_MILLI, -items);
  const hour = localDateHour(s.createdAt, input.timeZone).hour;
  bump(acc, 'h', [], HOURS * H_LEN, hour * H_LEN + H.SALES, 1);
  bump(acc, 'h', [], HOURS * H_LEN, hour * H_LEN + H.TOTAL, s.total);
  bump(acc, 'h', [], HOURS * H_LEN, hour * H_LEN + H.NET_EX_TAX, netEx);
  for (const tender of s.tenders) {
    bump(acc, 'tn', [tender.tenderId], TN_LEN, TN.SALES, 1);
    bump(acc, 'tn', [tender.tenderId], TN_LEN, TN.AMOUNT, tender.amount);
    bump(acc, 'tn', [tender.tenderId], TN_LEN, TN.CHANGE, tender.change);
  }
  for (const x of s.taxes) {
    bump(acc, 'tx', [x.rateId, s.taxMode], TX_LEN, TX.SALES_BASIS, x.basis);
    bump(acc, 'tx', [x.rateId, s.taxMode], TX_LEN, TX.SALES_TAX, x.amount);
  }
  const c = [s.cashierId];
  bump(acc, 'c', c, C_LEN, C.SALES, 1);
  bump(acc, 'c', c, C_LEN, C.TOTAL, s.total);
  bump(acc, 'c', c, C_LEN, C.NET_EX_TAX, netEx);
  bump(acc, 'c', c, C_LEN, C.ITEMS_MILLI, items);
  bump(acc, 'c', c, C_LEN, C.DISCOUNTED_SALES, s.discountTotal > 0 ? 1 : 0);
  bump(acc, 'c', c, C_LEN, C.DISCOUNT_AMOUNT, s.discountTotal);
  bump(acc, 'c', c, C_LEN, C.GROSS, s.subtotal);
}

function addReturn(acc: Acc, r: Return, input: DayInput): void {
  const inclusive = inclusiveReturn(r);
  const original = input.originals[r.originalSaleId];
  let returned = 0;
  let netEx = 0;
  let cost = 0;
  let restocked = 0;
  for (const l of r.lines) {
    const facts = input.products[l.productId];
    const q = qtyMilli(l.qty);
    const c = costOf(facts, l.qty);
    const ex = l.amount - (inclusive ? lineTax(l) : 0);
    returned += q;
    netEx += ex;
    cost += c;
    for (const [section, key] of [['p', [l.productId, deptOf(facts)]], ['d', [deptOf(facts)]]] as const) {
      bump(acc, section, [...key], P_LEN, P.RETURNED_MILLI, q);
      bump(acc, section, [...key], P_LEN, P.RETURNED_EX_TAX, ex);
      bump(acc, section, [...key], P_LEN, P.RETURNED_COST, c);
    }
    const rep = original?.lines.find((x) => x.lineNo === l.lineNo)?.salesRepId;
    if (rep) {
      bump(acc, 'r', [rep], R_LEN, R.RETURNED_MILLI, q);
      bump(acc, 'r', [rep], R_LEN, R.RETURNED_EX_TAX, ex);
    }
    for (const x of l.taxes) {
      bump(acc, 'tx', [x.rateId, inclusive ? 'inclusive' : 'exclusive'], TX_LEN, TX.RETURNS_BASIS, x.basis);
      bump(acc, 'tx', [x.rateId, inclusive ? 'inclusive' : 'exclusive'], TX_LEN, TX.RETURNS_TAX, x.amount);
    }
    if (l.restock) {
      bump(acc, 'k', [l.productId], K_LEN, K.DELTA_MILLI, q);
      restocked += q;
    }
  }
  t(acc, T.RETURNS, 1);
  t(acc, T.RETURNS_AMOUNT, r.total);
  t(acc, T.RETURNS_TAX, r.taxTotal);
  t(acc, T.RETURNS_NET_EX_TAX, netEx);
  t(acc, T.RETURNED_MILLI, returned);
  t(acc, T.RETURNS_COST, cost);
  t(acc, T.STOCK_MILLI, restocked);
  for (const tender of r.refunds) {
    bump(acc, 'tn', [tender.tenderId], TN_LEN, TN.REFUNDS, 1);
    bump(acc, 'tn', [tender.tenderId], TN_LEN, TN.REFUND_AMOUNT, tender.amount);
  }
  bump(acc, 'c', [r.cashierId], C_LEN, C.RETURNS, 1);
  bump(acc, 'c', [r.cashierId], C_LEN, C.RETURNS_AMOUNT, r.total);
}

function addStock(acc: Acc, lines: readonly { productId: string; qty: number }[], sign: 1 | -1): void {
  for (const l of lines) {
    const q = sign * qtyMilli(l.qty);
    bump(acc, 'k', [l.productId], K_LEN, K.DELTA_MILLI, q);
    t(acc, T.STOCK_MILLI, q);
  }
}

/** The figures of one store business day (see the header for which documents belong to it). */
export function rollupDay(input: DayInput): Sections {
  const { storeId, date, timeZone } = input;
  const acc = newAcc();
  // A day counts (T.DAYS) when the store has any document of its own on it; documents of other stores in
  // its database (a transfer routed to it, its arrival's copy at the source) make no day of their own.
  let any = false;
  const mine = (storeOk: boolean, dayOk: boolean) => {
    const yes = storeOk && dayOk;
    any ||= yes;
    return yes;
  };
  const onDay = (iso: string) => localDateHour(iso, timeZone).date === date;

  const voids = input.voids.filter((v) => mine(v.storeId === storeId, v.businessDate === date));
  const voided = new Set(voids.map((v) => v.saleId));
  for (const s of input.sales) {
    if (!mine(s.storeId === storeId, s.businessDate === date)) continue;
    if (voided.has(s._id)) {
      // The sale's goods left the shelf and came back with the void (as the stock view counts them).
      for (const l of s.lines) bump(acc, 'k', [l.productId], K_LEN, K.DELTA_MILLI, -qtyMilli(l.qty));
      t(acc, T.STOCK_MILLI, -sum(s.lines, (l) => qtyMilli(l.qty)));
      continue;
    }
    addSale(acc, s, input);
  }
  for (const v of voids) {
    t(acc, T.VOIDS, 1);
    t(acc, T.VOIDS_AMOUNT, v.total);
    bump(acc, 'c', [v.cashierId], C_LEN, C.VOIDS, 1);
    bump(acc, 'c', [v.cashierId], C_LEN, C.VOIDS_AMOUNT, v.total);
    addStock(acc, v.lines, 1);
  }
  for (const r of input.returns) if (mine(r.storeId === storeId, r.businessDate === date)) addReturn(acc, r, input);
  for (const s of input.shifts) {
    if (!mine(s.storeId === storeId, s.businessDate === date)) continue;
    t(acc, T.SHIFTS, 1);
    bump(acc, 'c', [s.openedBy], C_LEN, C.SHIFTS, 1);
  }
  for (const c of input.closes) {
    if (!mine(c.storeId === storeId, onDay(c.closedAt))) continue;
    t(acc, T.CASH_VARIANCE, c.variance);
    const who = input.shiftsById[c.shiftId]?.openedBy ?? c.closedBy;
    bump(acc, 'c', [who], C_LEN, C.CASH_VARIANCE, c.variance);
  }
  for (const m of input.cash) {
    if (!mine(m.storeId === storeId, onDay(m.createdAt))) continue;
    t(acc, m.direction === 'in' ? T.CASH_IN : T.CASH_OUT, m.amount);
  }
  for (const m of input.moves) if (mine(m.storeId === storeId, onDay(m.createdAt))) addStock(acc, m.lines, 1);
  for (const x of input.transfers) {
    if (!mine(x.fromStoreId === storeId, onDay(x.createdAt))) continue;
    addStock(acc, x.lines, -1);
  }
  for (const a of input.arrivals) if (mine(a.storeId === storeId, onDay(a.createdAt))) addStock(acc, a.lines, 1);
  const z = input.z && input.z.zreport.storeId === storeId && input.z.zreport.businessDate === date ? input.z : null;
  if (any || z) t(acc, T.DAYS, 1);

  const sections = toSections(acc);
  if (z) {
    const closed = encodeZ(zFiguresOf(z.zreport), 1);
    sections.z = closed;
    const now = currentZFigures(z.scope);
    const late = diffSections({ z: encodeZ(now, 1) }, { z: closed }).z;
    if (late && late.length) {
      // The `v` entry of late arrivals counts the day once, whatever changed.
      const acc2 = newAcc();
      addSections(acc2, { l: late });
      bump(acc2, 'l', ['v'], ZV_LEN, ZV.DAYS, 1);
      sections.l = toSections(acc2).l ?? [];
    }
  }
  return sections;
}
