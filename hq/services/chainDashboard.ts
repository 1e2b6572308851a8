// The chain dashboard (issue #12, console point 6): every store's business day, in its own time zone, against
// the same weekday a week earlier; and the chain's totals with its sales per local hour, for the chart.
//
// Where the figures come from is ONE function, `dayFigures`. Today it reads each store's HQ database
// (`caja-store-<code>`): one grouped range of `sales_by_hour` per store and day, at most PARALLEL stores at
// once (inParallel), plus, only on a day with voids, `voids_by_date`'s ids and the voided sales themselves.
// Per-day roll-up documents (the reports engine) are to replace its body; nothing else in this file knows how
// the figures are read, so the swap touches that function alone.
//
// Figures are attributed as the X and Z reports attribute them (shared/pos/register.ts): a voided sale is out
// of sales, revenue, tax and discounts and counted under voids; a return counts on the day it was refunded.
//
// Currencies: amounts of stores with different currencies are never added. The chain is answered as one
// block per currency (its stores, totals and hours), the currency with most stores first.
import type { CouchHandle } from '../../server-kit/couch';
import type { ChainCurrencyTotals, ChainDashboard, DashboardStoreRow, DayTotals, HourSales } from '../../shared/api/hqRecords';
import { money, roundHalfUp } from '../../shared/money';
import { parseVoidId } from '../../shared/model/ids';
import { hqStoreDbName } from '../../shared/model/names';
import type { Sale } from '../../shared/model/types';
import { businessDate, localDateTime } from '../../shared/pos/clock';
import type { StoreRecord } from './model';
import { inParallel } from './sales';
import { listStores } from './stores';

/** One store's business day as `dayFigures` reads it: counts and minor units, and sales per local hour. */
export interface StoreDayFigures {
  salesCount: number;
  revenue: number;
  tax: number;
  discounts: number;
  voidsCount: number;
  voidsAmount: number;
  returnsCount: number;
  returnsAmount: number;
  /** 24 entries, local hour 0 to 23: [sales count, revenue]. */
  hours: Array<[number, number]>;
}

/** What `dayFigures` needs to know of a store. */
export type FigureStore = Pick<StoreRecord, 'code' | 'timeZone'>;

/** Store code -> business day -> figures. */
export type FigureTable = Map<string, Map<string, StoreDayFigures>>;

const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

function emptyDay(): StoreDayFigures {
  return {
    salesCount: 0, revenue: 0, tax: 0, discounts: 0, voidsCount: 0, voidsAmount: 0, returnsCount: 0, returnsAmount: 0,
    hours: Array.from({ length: 24 }, (): [number, number] => [0, 0]),
  };
}

/** The local hour of instants in store zones, each (zone, instant) worked out once per request. */
function hourReader(): (instant: number, timeZone: string) => number {
  const seen = new Map<string, number>();
  return (instant, timeZone) => {
    const key = `${timeZone} ${instant}`;
    let hour = seen.get(key);
    if (hour === undefined) {
      hour = Number(localDateTime(new Date(instant), timeZone).slice(11, 13)) % 24;
      seen.set(key, hour);
    }
    return hour;
  };
}

type SumRow = { key: [string, string, number]; value: number[] };

const range = (code: string, day: string) =>
  `startkey=${encodeURIComponent(JSON.stringify([code, day]))}&endkey=${encodeURIComponent(JSON.stringify([code, day, {}]))}`;

/**
 * The day's voided sales, to take out of the sales columns of `sales_by_hour` (a void carries the sale's
 * total but not its tax or discounts). A void always has its sale's business day (shared/pos/returns.ts).
 */
async function voidedSales(couch: CouchHandle, db: string, code: string, day: string): Promise<Sale[]> {
  const voids = await couch.request<{ rows: Array<{ id: string }> }>(`/${db}/_design/voids_by_date/_view/voids_by_date?reduce=false&${range(code, day)}`);
  const keys = voids.rows.flatMap((r) => parseVoidId(r.id)?.saleId ?? []);
  if (!keys.length) return [];
  const res = await couch.request<{ rows: Array<{ doc?: Sale | null }> }>(`/${db}/_all_docs?include_docs=true`, { method: 'POST', body: { keys } });
  // A void that arrived before its sale has nothing to take out yet.
  return res.rows.flatMap((r) => (r.doc && r.doc.type === 'sale' && r.doc.businessDate === day ? [r.doc] : []));
}

async function storeDay(couch: CouchHandle, store: FigureStore, day: string, hourOf: ReturnType<typeof hourReader>): Promise<StoreDayFigures> {
  const db = encodeURIComponent(hqStoreDbName(store.code));
  const res = await couch.request<{ rows: SumRow[] }>(`/${db}/_design/sales_by_hour/_view/sales_by_hour?group_level=3&${range(store.code, day)}`);
  const f = emptyDay();
  const midnight = Date.parse(`${day}T00:00:00Z`);
  for (const { key, value: v } of res.rows) {
    f.salesCount += v[0] ?? 0;
    f.revenue += v[1] ?? 0;
    f.tax += v[2] ?? 0;
    f.discounts += v[3] ?? 0;
    f.voidsCount += v[4] ?? 0;
    f.voidsAmount += v[5] ?? 0;
    f.returnsCount += v[6] ?? 0;
    f.returnsAmount += v[7] ?? 0;
    const h = f.hours[hourOf(midnight + key[2] * QUARTER_MS, store.timeZone)] as [number, number];
    h[0] += v[0] ?? 0;
    h[1] += v[1] ?? 0;
  }
  if (f.voidsCount > 0) {
    for (const s of await voidedSales(couch, db, store.code, day)) {
      f.salesCount -= 1;
      f.revenue -= s.total;
      f.tax -= s.taxTotal;
      f.discounts -= s.discountTotal;
      const h = f.hours[hourOf(Date.parse(s.createdAt), store.timeZone)] as [number, number];
      h[0] -= 1;
      h[1] -= s.total;
    }
  }
  return f;
}

/**
 * THE data access of the dashboard: each store's figures for each of its business days (`dates`: store
 * code -> days), a day with nothing being all zeros. Everything else here works on its answer only.
 */
export async function dayFigures(couch: CouchHandle, stores: readonly FigureStore[], dates: ReadonlyMap<string, readonly string[]>): Promise<FigureTable> {
  const hourOf = hourReader();
  const jobs = stores.flatMap((store) => [...new Set(dates.get(store.code) ?? [])].map((day) => ({ store, day })));
  const days = await inParallel(jobs, ({ store, day }) => storeDay(couch, store, day, hourOf));
  const table: FigureTable = new Map();
  jobs.forEach(({ store, day }, i) => {
    const byDay = table.get(store.code) ?? new Map<string, StoreDayFigures>();
    byDay.set(day, days[i] ?? emptyDay());
    table.set(store.code, byDay);
  });
  return table;
}

// ---------- assembling the answer (independent of how the figures were read) ----------

/** The business day `days` after (or, negative, before) a YYYY-MM-DD. */
function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function add(a: StoreDayFigures, b: StoreDayFigures): StoreDayFigures {
  return {
    salesCount: a.salesCount + b.salesCount,
    revenue: a.revenue + b.revenue,
    tax: a.tax + b.tax,
    discounts: a.discounts + b.discounts,
    voidsCount: a.voidsCount + b.voidsCount,
    voidsAmount: a.voidsAmount + b.voidsAmount,
    returnsCount: a.returnsCount + b.returnsCount,
    returnsAmount: a.returnsAmount + b.returnsAmount,
    hours: a.hours.map((h, i) => [h[0] + (b.hours[i]?.[0] ?? 0), h[1] + (b.hours[i]?.[1] ?? 0)]),
  };
}

function totals(f: StoreDayFigures): DayTotals {
  return {
    salesCount: f.salesCount,
    revenue: money(f.revenue),
    tax: money(f.tax),
    discounts: money(f.discounts),
    voidsCount: f.voidsCount,
    voidsAmount: money(f.voidsAmount),
    returnsCount: f.returnsCount,
    returnsAmount: money(f.returnsAmount),
    averageTicket: f.salesCount > 0 ? roundHalfUp(f.revenue / f.salesCount) : money(0),
  };
}

function hourly(day: StoreDayFigures, lastWeek: StoreDayFigures): HourSales[] {
  return day.hours.map((h, hour) => ({
    hour,
    salesCount: h[0],
    revenue: money(h[1]),
    lastWeekCount: lastWeek.hours[hour]?.[0] ?? 0,
    lastWeekRevenue: money(lastWeek.hours[hour]?.[1] ?? 0),
  }));
}

interface StoreDays {
  store: StoreRecord;
  day: string;
  lastWeekDay: string;
  figures: StoreDayFigures;
  lastWeek: StoreDayFigures;
}

function chainOf(currency: string, rows: StoreDays[]): ChainCurrencyTotals {
  const day = rows.reduce((sum, r) => add(sum, r.figures), emptyDay());
  const lastWeek = rows.reduce((sum, r) => add(sum, r.lastWeek), emptyDay());
  return {
    currency,
    stores: rows.map((r) => r.store.code),
    businessDates: [...new Set(rows.map((r) => r.day))].sort(),
    day: totals(day),
    lastWeek: totals(lastWeek),
    hours: hourly(day, lastWeek),
  };
}

/** The dashboard's answer from the stores and their figures: per store, and the chain per currency. */
export function assemble(stores: readonly StoreRecord[], table: FigureTable, days: ReadonlyMap<string, string>, date: string | null, now: Date): ChainDashboard {
  const rows: StoreDays[] = stores.map((store) => {
    const day = days.get(store.code) ?? '';
    const lastWeekDay = shiftDay(day, -7);
    const of = (d: string) => table.get(store.code)?.get(d) ?? emptyDay();
    return { store, day, lastWeekDay, figures: of(day), lastWeek: of(lastWeekDay) };
  });
  const byCurrency = new Map<string, StoreDays[]>();
  for (const r of rows) byCurrency.set(r.store.currency, [...(byCurrency.get(r.store.currency) ?? []), r]);
  const chain = [...byCurrency.entries()]
    .sort(([a, ra], [b, rb]) => rb.length - ra.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, list]) => chainOf(currency, list));
  const storeRows: DashboardStoreRow[] = rows.map((r) => ({
    code: r.store.code,
    name: r.store.name,
    status: r.store.status,
    timeZone: r.store.timeZone,
    currency: r.store.currency,
    businessDate: r.day,
    lastWeekDate: r.lastWeekDay,
    day: totals(r.figures),
    lastWeek: totals(r.lastWeek),
  }));
  return { generatedAt: now.toISOString(), date, chain, stores: storeRows };
}

/**
 * `GET /dashboard`: the day `date` at every store, or with no date each store's today in its own zone, each
 * against the same weekday a week before. Every store HQ knows is listed (a pending one with zeros).
 */
export async function chainDashboard(couch: CouchHandle, opts: { date?: string | undefined; now?: Date } = {}): Promise<ChainDashboard> {
  const now = opts.now ?? new Date();
  const stores = (await listStores(couch)).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const days = new Map(stores.map((s) => [s.code, opts.date ?? businessDate(now, s.timeZone)]));
  const dates = new Map([...days].map(([code, day]) => [code, [day, shiftDay(day, -7)]]));
  const table = await dayFigures(couch, stores, dates);
  return assemble(stores, table, days, opts.date ?? null, now);
}
