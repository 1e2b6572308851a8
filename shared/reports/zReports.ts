// X, Z and ZZ. The X of a shift is computed from its documents now (shared/pos registerFigures: the same
// figures a terminal prints). A Z is the figures its document shows, never recomputed, with the late arrivals
// beside it: what reached the store after the close, as the difference between a Z computed now and the Z
// (rollup.ts keeps both in each closed day's roll-up). A ZZ is the sum of the Zs of a period and of their late
// arrivals, over one store, several or the chain. Pure.
import { apiError } from '../api/errors';
import type { XReport, ZAnswer, ZZAnswer } from '../api/reports';
import { registerFigures } from '../pos/register';
import { load, metaOf, need, rowBucket, seriesGrain, type ReportIO } from './engine';
import { bucketsOf } from './periods';
import type { ReportRequest } from './request';
import type { Row } from './rows';
import type { Entry } from './sections';
import { decodeZ, type ZFigures } from './zfigures';

function entries(rows: readonly Row[]): Entry[] {
  return rows.map((r) => [r.dims, r.value]);
}

/** Z figures of rows and their days (the `v` entry's first field). */
function figuresOf(rows: readonly Row[]): { days: number; figures: ZFigures } {
  return decodeZ(entries(rows));
}

function late(rows: readonly Row[]): { days: number; figures: ZFigures | null } {
  if (rows.length === 0) return { days: 0, figures: null };
  const d = decodeZ(entries(rows));
  return { days: d.days, figures: d.figures };
}

export async function xReport(req: ReportRequest, io: ReportIO): Promise<XReport> {
  const storeId = (req.stores ?? [])[0] as string;
  const docs = await io.shiftDocs(storeId, req.shift ? [req.shift] : null);
  if (!docs) throw apiError('shift_not_found', `shift: ${req.shift ?? ''} is not a register session of ${storeId}`, { field: 'shift' });
  return {
    report: 'x',
    storeId,
    at: req.now.toISOString(),
    shiftIds: docs.shifts.map((s) => s._id).sort(),
    openShiftIds: docs.openShiftIds.slice().sort(),
    figures: registerFigures(docs),
  };
}

export async function zReport(req: ReportRequest, io: ReportIO): Promise<ZAnswer> {
  const meta = metaOf(req);
  const day = { from: req.from, to: req.from };
  const [z = [], l = []] = await load(io, [need(req, 'z', day, 'd'), need(req, 'l', day, 'd')]);
  const closed = figuresOf(z);
  const lateArrivals = late(l);
  const zreports = req.stores && req.stores.length === 1 ? [await io.zreport(req.stores[0] as string, req.from)].flatMap((x) => (x ? [x] : [])) : [];
  return {
    report: 'z',
    ...meta,
    businessDate: req.from,
    closedDays: closed.days,
    figures: closed.figures,
    lateArrivals: lateArrivals.figures,
    lateDays: lateArrivals.days,
    zreports,
  };
}

export async function zzReport(req: ReportRequest, io: ReportIO): Promise<ZZAnswer> {
  const meta = metaOf(req);
  const grain = seriesGrain(req);
  // The period's figures from the fewest roll-ups (months, years); the series from the Zs' headline vectors
  // (`zv`: one row a day or month, where `z` has a dozen), so each bucket's figures have no lines (tenders,
  // taxes, cashiers); the late arrivals are few rows and come whole.
  const [z = [], zv = [], l = [], pz = []] = await load(io, [need(req, 'z', req), need(req, 'zv', req, grain), need(req, 'l', req, grain), need(req, 'z', meta.previous)]);
  // Each row's bucket once (a year by week is ~50 buckets over thousands of rows).
  const byBucket = (rows: readonly Row[]) => {
    const out = new Map<string, Row[]>();
    for (const r of rows) {
      const b = rowBucket(r, req.group);
      const list = out.get(b);
      if (list) list.push(r);
      else out.set(b, [r]);
    }
    return out;
  };
  const zBy = byBucket(zv);
  const lBy = byBucket(l);
  const series = bucketsOf(req.from, req.to, req.group).map((b) => {
    const zb = zBy.get(b) ?? [];
    const lb = late(lBy.get(b) ?? []);
    const f = decodeZ(zb.map((r) => [['v'], r.value]));
    return { bucket: b, closedDays: f.days, figures: f.figures, lateArrivals: lb.figures };
  });
  const closed = figuresOf(z);
  const lateAll = late(l);
  return {
    report: 'zz',
    ...meta,
    closedDays: closed.days,
    figures: closed.figures,
    lateArrivals: lateAll.figures,
    lateDays: lateAll.days,
    previousFigures: figuresOf(pz).figures,
    series,
  };
}
