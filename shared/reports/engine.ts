// What every report is assembled with: the reads a server provides (ReportIO: reduced view rows, roll-up
// documents, catalog facts, names), the needs of a request (its scopes, the current and previous period, the
// grain a series needs), and the sums of rows by key and by bucket. HQ and the relay implement ReportIO over
// their own CouchDB; the reports themselves (reports*.ts) are the same code. Pure.
import type { I18nText, ZReport } from '../model/types';
import type { ReportMeta, SeriesPoint } from '../api/reports';
import { CHAIN, type Level } from './layout';
import { addArrays, zeros } from './figures';
import { addDays, bucketOf, bucketsOf, previousPeriod } from './periods';
import { planNeeds, type Fetch, type Need } from './plan';
import type { ReportRequest } from './request';
import type { Row } from './rows';
import type { DeptInfo } from './tree';
import type { ZScope } from './zfigures';

/** What reports know of a product: the catalog's current facts. */
export interface ProductInfo {
  sku: string;
  name: I18nText;
  departmentId: string;
  /** Unit cost, or null when the catalog has none. */
  cost: number | null;
  /** Base unit price. */
  price: number;
}

/** The reads a server provides to the reports. */
export interface ReportIO {
  /** Runs reads (plan.ts); one list of rows per read, in order. */
  rows(fetches: readonly Fetch[]): Promise<Row[][]>;
  /** Current catalog facts of these products (unknown ids left out). */
  products(ids: readonly string[]): Promise<Record<string, ProductInfo>>;
  departments(): Promise<Record<string, DeptInfo>>;
  taxRates(): Promise<Record<string, { code: string; name: I18nText }>>;
  salesReps(): Promise<Record<string, { name: string; commissionBp: number }>>;
  /** Display names of staff by user id (unknown ids left out). */
  people(ids: readonly string[]): Promise<Record<string, string>>;
  zreport(storeId: string, date: string): Promise<ZReport | null>;
  /** The given shifts of a store (or its open ones) with everything rung in them; null when a given shift is unknown. */
  shiftDocs(storeId: string, shiftIds: readonly string[] | null): Promise<(ZScope & { openShiftIds: string[] }) | null>;
}

/** A request's scopes: its stores, or the chain. */
export function scopesOf(req: ReportRequest): string[] {
  return req.stores ?? [CHAIN];
}

export function metaOf(req: ReportRequest): ReportMeta {
  return { stores: req.stores, from: req.from, to: req.to, group: req.group, previous: previousPeriod(req.from, req.to), generatedAt: req.now.toISOString() };
}

/** The finest roll-up a series grouped this way needs. */
export function seriesGrain(req: ReportRequest): Level {
  return req.group === 'month' ? 'm' : 'd';
}

/** A need of the request's scopes over a period (`ids`: of a FIRST_KEYED section). */
export function need(req: ReportRequest, section: Need['section'], period: { from: string; to: string }, finest: Level = 'y', ids?: readonly string[]): Need {
  return { section, scopes: scopesOf(req), from: period.from, to: period.to, finest, ...(ids ? { ids } : {}) };
}

/** Reads the needs and gives each its rows. */
export async function load(io: ReportIO, needs: readonly Need[]): Promise<Row[][]> {
  const plan = planNeeds(needs);
  return plan.split(await io.rows(plan.fetches));
}

/** The sum of the rows' values. */
export function total(rows: readonly Row[], len: number, keep: (r: Row) => boolean = () => true): number[] {
  let out = zeros(len);
  for (const r of rows) if (keep(r)) out = addArrays(out, r.value);
  return out;
}

/**
 * The rows' values summed by a key of each row (rows whose key is null are left out). A key whose sum is all
 * zeros is left out too: figures that cancel (a month whose sale was returned the same month) are nothing,
 * however finely they were read.
 */
export function sumBy(rows: readonly Row[], key: (r: Row) => string | null): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === null) continue;
    const cur = out.get(k);
    out.set(k, cur ? addArrays(cur, r.value) : r.value.slice());
  }
  for (const [k, v] of out) if (v.every((x) => x === 0)) out.delete(k);
  return out;
}

/**
 * The bucket of a series a row falls in: a day row's week or month, a block's month (a series by month is the
 * only one read in blocks: plan.ts), a coarser row's own period.
 */
export function rowBucket(r: Row, group: ReportRequest['group']): string {
  if (r.level === 'd') return bucketOf(r.period, group);
  return r.level === 'm' || r.level === 'y' ? r.period : r.period.slice(0, 7);
}

/** A series over a period: every bucket of the group (empty ones too), each the sum of its rows. */
export function seriesOf<F>(rows: readonly Row[], period: { from: string; to: string }, group: ReportRequest['group'], len: number, figures: (v: number[]) => F, keep: (r: Row) => boolean = () => true): SeriesPoint<F>[] {
  const sums = sumBy(rows, (r) => (keep(r) ? rowBucket(r, group) : null));
  return bucketsOf(period.from, period.to, group).map((bucket) => ({ bucket, figures: figures(sums.get(bucket) ?? zeros(len)) }));
}

/** The periods stock is summed over for "as of" each date (ascending): everything up to the first, then between. */
export function stockPeriods(asOf: readonly string[]): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  let from = '1970-01-01';
  for (const d of asOf) {
    out.push({ from, to: d });
    from = addDays(d, 1);
  }
  return out;
}

/** Compares two strings for sorting. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
