// Register sessions (shifts): open with a float, cash in/out, X report, close with a count.
// One function, `registerFigures`, computes every figure of the X/Z layout from the documents; the X report,
// the shift close, the Z and the ZZ all use it (or sum its output), so they always agree.
//
// Attribution rules:
// - A sale counts in the shift it was rung in. A voided sale is taken out of its own shift's sales and counted
//   under voids there (voids happen the same business day, before the Z), as if it never happened.
// - A return counts in the shift where it was refunded (its cash left that drawer).
// - Cash expected = opening float + cash kept from sales (cash tenders net of change, less base change given
//   against foreign cash) - cash refunds + cash in - cash out. Foreign cash is reported apart, per currency.
import { money, sum, type Money } from '../money';
import { cashId, shiftCloseId, shiftId as shiftDocId } from '../model/ids';
import type { Approval, CashMovement, Return, Sale, SaleTender, Shift, ShiftClose, StoreConfig, TenderKind, Void } from '../model/types';
import { CURRENT_SCHEMA } from '../model/types';
import { fail, ok, type Result } from './arith';
import { businessDate } from './clock';

/** Money per tender type. */
export type TenderFigure = { tenderId: string; kind: TenderKind; count: number; amount: Money };
/** Tax per rate (sales only; returns have their own total). */
export type TaxFigure = { rateId: string; code: string; basis: Money; amount: Money };
/** What each cashier rang. */
export type CashierFigure = {
  cashierId: string;
  salesCount: number;
  salesTotal: Money;
  returnsCount: number;
  returnsTotal: Money;
  voidsCount: number;
};

/** Every figure of the X and Z layout. Plain JSON (it is stored in ZReport.totals). */
export type RegisterFigures = {
  openingFloat: Money;
  salesCount: number;
  grossSales: Money; // sum of subtotals (before discounts)
  discounts: Money;
  netSales: Money; // gross - discounts: ex-tax in exclusive mode, tax-inclusive in inclusive mode
  netSalesExTax: Money;
  taxes: TaxFigure[];
  taxTotal: Money;
  rounding: Money;
  salesTotal: Money; // what customers paid, rounding included
  tenders: TenderFigure[]; // sales, net of change
  changeGiven: Money;
  returnsCount: number;
  returnsTotal: Money;
  returnsTax: Money;
  refunds: TenderFigure[];
  voidsCount: number;
  voidsTotal: Money;
  cashIn: Money;
  cashOut: Money;
  cashSales: Money;
  cashRefunds: Money;
  foreignCash: { currency: string; amount: Money }[];
  expectedCash: Money;
  cashiers: CashierFigure[];
};

/** The documents a register report is computed from; each list may hold more than the scope, it is filtered. */
export interface RegisterDocs {
  shifts: readonly Shift[];
  sales: readonly Sale[];
  voids: readonly Void[];
  returns: readonly Return[];
  cashMovements: readonly CashMovement[];
}

/** Figures with nothing in them (the identity of mergeFigures). */
export function emptyFigures(): RegisterFigures {
  const z = money(0);
  return {
    openingFloat: z, salesCount: 0, grossSales: z, discounts: z, netSales: z, netSalesExTax: z, taxes: [], taxTotal: z,
    rounding: z, salesTotal: z, tenders: [], changeGiven: z, returnsCount: 0, returnsTotal: z, returnsTax: z, refunds: [],
    voidsCount: 0, voidsTotal: z, cashIn: z, cashOut: z, cashSales: z, cashRefunds: z, foreignCash: [], expectedCash: z,
    cashiers: [],
  };
}

function addTender(list: TenderFigure[], t: Pick<SaleTender, 'tenderId' | 'kind' | 'amount'>, count = 1): void {
  const cur = list.find((x) => x.tenderId === t.tenderId);
  if (cur) {
    cur.count += count;
    cur.amount = money(cur.amount + t.amount);
  } else list.push({ tenderId: t.tenderId, kind: t.kind, count, amount: t.amount });
}

function addTax(list: TaxFigure[], t: TaxFigure): void {
  const cur = list.find((x) => x.rateId === t.rateId);
  if (cur) {
    cur.basis = money(cur.basis + t.basis);
    cur.amount = money(cur.amount + t.amount);
  } else list.push({ rateId: t.rateId, code: t.code, basis: t.basis, amount: t.amount });
}

function cashier(list: CashierFigure[], id: string): CashierFigure {
  let c = list.find((x) => x.cashierId === id);
  if (!c) {
    c = { cashierId: id, salesCount: 0, salesTotal: money(0), returnsCount: 0, returnsTotal: money(0), voidsCount: 0 };
    list.push(c);
  }
  return c;
}

function addForeign(list: { currency: string; amount: Money }[], currency: string, amount: Money): void {
  const cur = list.find((x) => x.currency === currency);
  if (cur) cur.amount = money(cur.amount + amount);
  else list.push({ currency, amount });
}

// Sorted lists make the figures independent of document order, so a Z equals the sum of its X reports field by field.
function normalise(f: RegisterFigures): RegisterFigures {
  f.taxes.sort((a, b) => (a.code === b.code ? cmp(a.rateId, b.rateId) : cmp(a.code, b.code)));
  f.tenders.sort((a, b) => cmp(a.tenderId, b.tenderId));
  f.refunds.sort((a, b) => cmp(a.tenderId, b.tenderId));
  f.foreignCash.sort((a, b) => cmp(a.currency, b.currency));
  f.cashiers.sort((a, b) => cmp(a.cashierId, b.cashierId));
  f.expectedCash = money(f.openingFloat + f.cashSales - f.cashRefunds + f.cashIn - f.cashOut);
  return f;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** All X/Z figures for a set of shifts (see the attribution rules above). Non-destructive: it only reads. */
export function registerFigures(docs: RegisterDocs): RegisterFigures {
  const scope = new Set(docs.shifts.map((s) => s._id));
  const f = emptyFigures();
  f.openingFloat = sum(docs.shifts.map((s) => s.openingFloat));
  const voids = new Map(docs.voids.map((v) => [v.saleId, v]));

  for (const s of docs.sales) {
    if (!scope.has(s.shiftId)) continue;
    const v = voids.get(s._id);
    if (v) {
      f.voidsCount += 1;
      f.voidsTotal = money(f.voidsTotal + s.total);
      cashier(f.cashiers, v.cashierId).voidsCount += 1;
      continue;
    }
    f.salesCount += 1;
    f.grossSales = money(f.grossSales + s.subtotal);
    f.discounts = money(f.discounts + s.discountTotal);
    f.taxTotal = money(f.taxTotal + s.taxTotal);
    const net = s.subtotal - s.discountTotal;
    f.netSales = money(f.netSales + net);
    f.netSalesExTax = money(f.netSalesExTax + net - (s.taxMode === 'inclusive' ? s.taxTotal : 0));
    for (const t of s.taxes) addTax(f.taxes, { rateId: t.rateId, code: t.code, basis: t.basis, amount: t.amount });
    f.rounding = money(f.rounding + s.rounding);
    f.salesTotal = money(f.salesTotal + s.total);
    f.changeGiven = money(f.changeGiven + s.change);
    for (const t of s.tenders) {
      addTender(f.tenders, t);
      if (t.kind === 'cash') f.cashSales = money(f.cashSales + t.amount);
      if (t.kind === 'foreign') {
        f.cashSales = money(f.cashSales - t.change); // change for foreign cash leaves the base drawer
        if (t.foreign) addForeign(f.foreignCash, t.foreign.currency, t.foreign.amount);
      }
    }
    const c = cashier(f.cashiers, s.cashierId);
    c.salesCount += 1;
    c.salesTotal = money(c.salesTotal + s.total);
  }

  for (const r of docs.returns) {
    if (!scope.has(r.shiftId)) continue;
    f.returnsCount += 1;
    f.returnsTotal = money(f.returnsTotal + r.total);
    f.returnsTax = money(f.returnsTax + r.taxTotal);
    for (const t of r.refunds) {
      addTender(f.refunds, t);
      if (t.kind === 'cash') f.cashRefunds = money(f.cashRefunds + t.amount);
    }
    const c = cashier(f.cashiers, r.cashierId);
    c.returnsCount += 1;
    c.returnsTotal = money(c.returnsTotal + r.total);
  }

  for (const m of docs.cashMovements) {
    if (!scope.has(m.shiftId)) continue;
    if (m.direction === 'in') f.cashIn = money(f.cashIn + m.amount);
    else f.cashOut = money(f.cashOut + m.amount);
  }
  return normalise(f);
}

/** Sums two sets of figures (X reports into a Z, Z reports into a ZZ). */
export function mergeFigures(a: RegisterFigures, b: RegisterFigures): RegisterFigures {
  const f = emptyFigures();
  const m = (x: Money, y: Money): Money => money(x + y);
  for (const k of [
    'openingFloat', 'grossSales', 'discounts', 'netSales', 'netSalesExTax', 'taxTotal', 'rounding', 'salesTotal', 'changeGiven',
    'returnsTotal', 'returnsTax', 'voidsTotal', 'cashIn', 'cashOut', 'cashSales', 'cashRefunds',
  ] as const) {
    f[k] = m(a[k], b[k]);
  }
  f.salesCount = a.salesCount + b.salesCount;
  f.returnsCount = a.returnsCount + b.returnsCount;
  f.voidsCount = a.voidsCount + b.voidsCount;
  for (const t of [...a.taxes, ...b.taxes]) addTax(f.taxes, t);
  for (const t of [...a.tenders, ...b.tenders]) addTender(f.tenders, t, t.count);
  for (const t of [...a.refunds, ...b.refunds]) addTender(f.refunds, t, t.count);
  for (const x of [...a.foreignCash, ...b.foreignCash]) addForeign(f.foreignCash, x.currency, x.amount);
  for (const c of [...a.cashiers, ...b.cashiers]) {
    const t = cashier(f.cashiers, c.cashierId);
    t.salesCount += c.salesCount;
    t.salesTotal = money(t.salesTotal + c.salesTotal);
    t.returnsCount += c.returnsCount;
    t.returnsTotal = money(t.returnsTotal + c.returnsTotal);
    t.voidsCount += c.voidsCount;
  }
  return normalise(f);
}

// ---------- documents ----------

/** Opens a register session with a counted float; the business date is the store's local date at `now`. */
export function openShift(input: {
  config: Pick<StoreConfig, 'storeId' | 'timeZone'>;
  terminalId: string;
  n: number;
  openedBy: string;
  openingFloat: Money;
  now: Date | string;
}): Shift {
  const now = new Date(input.now).toISOString();
  return {
    _id: shiftDocId(input.config.storeId, input.terminalId, input.n),
    type: 'shift',
    schema: CURRENT_SCHEMA,
    storeId: input.config.storeId,
    terminalId: input.terminalId,
    n: input.n,
    openedAt: now,
    openedBy: input.openedBy,
    openingFloat: input.openingFloat,
    businessDate: businessDate(now, input.config.timeZone),
  };
}

/** Records cash put into (float top-up) or taken out of (safe drop, payout) the drawer. */
export function cashMovement(input: {
  shift: Pick<Shift, '_id' | 'storeId' | 'terminalId'>;
  uuid: string;
  direction: 'in' | 'out';
  amount: Money;
  reason: string;
  userId: string;
  now: Date | string;
  approvals?: Approval[];
}): Result<CashMovement, { code: 'invalid_amount' | 'missing_reason' }> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) return fail({ code: 'invalid_amount' });
  if (!input.reason.trim()) return fail({ code: 'missing_reason' });
  return ok({
    _id: cashId(input.shift.storeId, input.shift.terminalId, input.uuid),
    type: 'cash',
    schema: CURRENT_SCHEMA,
    storeId: input.shift.storeId,
    terminalId: input.shift.terminalId,
    shiftId: input.shift._id,
    direction: input.direction,
    amount: input.amount,
    reason: input.reason,
    createdAt: new Date(input.now).toISOString(),
    userId: input.userId,
    approvals: (input.approvals ?? []).map((a) => ({ ...a })),
  });
}

/** The X report of one or more shifts: the figures now, changing nothing. */
export function xReport(docs: RegisterDocs, now: Date | string): { at: string; shiftIds: string[]; figures: RegisterFigures } {
  return { at: new Date(now).toISOString(), shiftIds: docs.shifts.map((s) => s._id), figures: registerFigures(docs) };
}

/** Total of a denomination count (denomination in minor units -> number of notes/coins), or why it is not one. */
export function countCash(counted: Record<string, number>): Result<Money, { code: 'invalid_count'; denomination: string }> {
  let total = 0;
  for (const [denomination, n] of Object.entries(counted)) {
    if (!/^[1-9][0-9]*$/.test(denomination) || !Number.isSafeInteger(n) || n < 0) return fail({ code: 'invalid_count', denomination });
    total += Number(denomination) * n;
  }
  return ok(money(total));
}

/**
 * Closes a shift: counted cash against the expected cash of its figures; an alert when the variance (either
 * way) is beyond the store's threshold. closedBy 'zreport' with an empty count is the day close's own close.
 */
export function closeShift(input: {
  shift: Shift;
  figures: RegisterFigures;
  counted: Record<string, number>;
  closedBy: string;
  now: Date | string;
  varianceAlert: Money;
}): Result<ShiftClose, { code: 'invalid_count'; denomination: string }> {
  const counted = countCash(input.counted);
  if (!counted.ok) return counted;
  const variance = money(counted.value - input.figures.expectedCash);
  return ok({
    _id: shiftCloseId(input.shift._id),
    type: 'shiftclose',
    schema: CURRENT_SCHEMA,
    storeId: input.shift.storeId,
    terminalId: input.shift.terminalId,
    shiftId: input.shift._id,
    closedAt: new Date(input.now).toISOString(),
    closedBy: input.closedBy,
    counted: { ...input.counted },
    countedCash: counted.value,
    expectedCash: input.figures.expectedCash,
    variance,
    alert: Math.abs(variance) > input.varianceAlert,
  });
}
