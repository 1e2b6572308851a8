// The day close. The Z of a store's business day covers every shift opened that day: it closes the ones still
// open (closedBy 'zreport', nothing counted, so their whole expected cash shows as a variance to look at),
// computes the same figures as the X report over all of them, and is written once as `zreport:<store>:<date>`.
// After it exists the day is final: voids of that day are refused (returns.ts checkVoid).
import { money, sum, type Money } from '../money';
import { zreportId } from '../model/ids';
import type { ShiftClose, StoreConfig, ZReport } from '../model/types';
import { CURRENT_SCHEMA } from '../model/types';
import { fail, ok, type Result } from './arith';
import { closeShift, emptyFigures, mergeFigures, registerFigures, type RegisterDocs, type RegisterFigures } from './register';

/** One shift's line on the Z: how its drawer closed. */
export type ZShift = {
  shiftId: string;
  terminalId: string;
  closedBy: string;
  expectedCash: Money;
  countedCash: Money;
  variance: Money;
  alert: boolean;
};

/** What ZReport.totals holds: the X/Z figures of the day plus the drawer closes. */
export type ZTotals = RegisterFigures & { countedCash: Money; variance: Money; shifts: ZShift[] };

export type ZError = { code: 'already_closed'; id: string } | { code: 'invalid_count'; denomination: string };

export interface ZInput extends RegisterDocs {
  config: Pick<StoreConfig, 'storeId' | 'varianceAlert'>;
  businessDate: string;
  now: Date | string;
  /** Closes already written for shifts of the day. */
  closes: readonly ShiftClose[];
  /** Counts for shifts still open, if the manager counted them at the day close. */
  counts?: Record<string, Record<string, number>>;
  /** The Z of this day if one exists: a Z is immutable, there is never a second one. */
  existing?: ZReport | null;
}

/** Runs the day close: the ShiftClose docs for still-open shifts and the immutable ZReport doc. */
export function buildZReport(input: ZInput): Result<{ zreport: ZReport; closes: ShiftClose[] }, ZError> {
  const id = zreportId(input.config.storeId, input.businessDate);
  if (input.existing) return fail({ code: 'already_closed', id });
  const now = new Date(input.now).toISOString();
  const shifts = input.shifts
    .filter((s) => s.storeId === input.config.storeId && s.businessDate === input.businessDate)
    .slice()
    .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  const docs: RegisterDocs = { ...input, shifts };
  const closed = new Map(input.closes.map((c) => [c.shiftId, c]));
  const newCloses: ShiftClose[] = [];
  for (const shift of shifts) {
    if (closed.has(shift._id)) continue;
    const c = closeShift({
      shift,
      figures: registerFigures({ ...docs, shifts: [shift] }),
      counted: input.counts?.[shift._id] ?? {},
      closedBy: 'zreport',
      now,
      varianceAlert: input.config.varianceAlert,
    });
    if (!c.ok) return c;
    newCloses.push(c.value);
    closed.set(shift._id, c.value);
  }
  const zShifts: ZShift[] = shifts.map((s) => {
    const c = closed.get(s._id) as ShiftClose;
    return {
      shiftId: s._id,
      terminalId: s.terminalId,
      closedBy: c.closedBy,
      expectedCash: c.expectedCash,
      countedCash: c.countedCash,
      variance: c.variance,
      alert: c.alert,
    };
  });
  const totals: ZTotals = {
    ...registerFigures(docs),
    countedCash: sum(zShifts.map((s) => s.countedCash)),
    variance: sum(zShifts.map((s) => s.variance)),
    shifts: zShifts,
  };
  const zreport: ZReport = {
    _id: id,
    type: 'zreport',
    schema: CURRENT_SCHEMA,
    storeId: input.config.storeId,
    businessDate: input.businessDate,
    createdAt: now,
    shiftIds: shifts.map((s) => s._id),
    totals,
  };
  return ok({ zreport, closes: newCloses });
}

/** The totals of a Z document (written by buildZReport, so they have the ZTotals shape). */
export function zTotals(z: ZReport): ZTotals {
  // ZReport.totals is typed loosely in the document model; buildZReport is its only writer.
  return z.totals as ZTotals;
}

/** ZZ: the figures of several Z reports (a period, or several stores) summed, with the days it covers. */
export function zzReport(zreports: readonly ZReport[]): {
  from: string | null;
  to: string | null;
  days: number;
  storeIds: string[];
  figures: RegisterFigures;
  countedCash: Money;
  variance: Money;
} {
  const sorted = zreports.slice().sort((a, b) => (a.businessDate < b.businessDate ? -1 : a.businessDate > b.businessDate ? 1 : 0));
  let figures = emptyFigures();
  let counted = 0;
  let variance = 0;
  for (const z of sorted) {
    const t = zTotals(z);
    const { countedCash, variance: v, shifts: _s, ...f } = t;
    figures = mergeFigures(figures, f);
    counted += countedCash;
    variance += v;
  }
  return {
    from: sorted[0]?.businessDate ?? null,
    to: sorted[sorted.length - 1]?.businessDate ?? null,
    days: new Set(sorted.map((z) => z.businessDate)).size,
    storeIds: [...new Set(sorted.map((z) => z.storeId))].sort(),
    figures,
    countedCash: money(counted),
    variance: money(variance),
  };
}
