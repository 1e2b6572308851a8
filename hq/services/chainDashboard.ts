// The chain dashboard (issue #12, console point 6): every store's business day, in its own time zone, against
// the same weekday a week earlier; and the chain's totals with its sales per local hour, for the chart.
//
// Where the figures come from is ONE function, `dayFigures`: the per-store day roll-ups the reports engine
// keeps in HQ's `caja-reports` (`rollup:<store>:<day>`, server-kit/rollupJob.ts, written within about a
// second of a sale reaching HQ), through the dashboard's own small view of them (`_design/dashboard/_view/days`:
// [day, store] -> [totals `t`, sales per local hour `h`, already in the store's zone]). One range per day
// answers every store, and the chain is their sum, instead of a `sales_by_hour` range per store and day (about
// 5 s for 200 stores). A store day without a roll-up (nothing sold, or not rolled up yet) is all zeros.
//
// Figures are attributed as the X and Z reports attribute them (shared/pos/register.ts): a voided sale is out
// of sales, revenue, tax and discounts and counted under voids; a return counts on the day it was refunded.
//
// Currencies: amounts of stores with different currencies are never added. The chain is answered as one
// block per currency (its stores, totals and hours), the currency with most stores first.
import type { CouchHandle } from '../../server-kit/couch';
import type { ChainCurrencyTotals, ChainDashboard, DashboardStoreRow, DayTotals, HourSales } from '../../shared/api/hqRecords';
import { money, roundHalfUp } from '../../shared/money';
import { REPORTS_DB } from '../../shared/model/names';
import { businessDate } from '../../shared/pos/clock';
import { H, H_LEN, HOURS, T } from '../../shared/reports/layout';
import type { StoreRecord } from './model';
import { listStores } from './stores';

/** One store's business day as `dayFigures` reads it: counts and minor units. */
export interface StoreDayFigures {
  salesCount: number;
  revenue: number;
  tax: number;
  discounts: number;
  voidsCount: number;
  voidsAmount: number;
  returnsCount: number;
  returnsAmount: number;
}

/** Sales per local hour: 24 entries, hour 0 to 23, each [sales count, revenue]. */
export type Hours = Array<[number, number]>;

/** Store days whose sales per local hour are added up into one line of a chart (a currency's day, or its last week). */
export type HourGroup = ReadonlyArray<{ code: string; day: string }>;

/** What `dayFigures` needs to know of a store. */
export type FigureStore = Pick<StoreRecord, 'code'>;

/** Store code -> business day -> figures. */
export type FigureTable = Map<string, Map<string, StoreDayFigures>>;

/** `dayFigures`' answer: the table, and the hours of each group asked for, in order. */
export interface Figures {
  table: FigureTable;
  hours: Hours[];
}

const DAY_MS = 86_400_000;
/** The dashboard's own small view of the day roll-ups (design-docs/reports/dashboard/views/days/map.js). */
const DASHBOARD_VIEW = '_design/dashboard/_view/days';

function emptyDay(): StoreDayFigures {
  return { salesCount: 0, revenue: 0, tax: 0, discounts: 0, voidsCount: 0, voidsAmount: 0, returnsCount: 0, returnsAmount: 0 };
}

function emptyHours(): Hours {
  return Array.from({ length: HOURS }, (): [number, number] => [0, 0]);
}

/** A row of the dashboard view: [day, scope] -> [totals (section `t`), sales per local hour (section `h`)]. */
type DayRow = { key: [string, string]; value: [number[], number[]] };

/** A store day's figures from its totals (section `t`, shared/reports/layout.ts T). */
function figuresOf(v: readonly number[]): StoreDayFigures {
  const at = (i: number) => v[i] ?? 0;
  return {
    salesCount: at(T.SALES),
    revenue: at(T.TOTAL),
    tax: at(T.TAX),
    discounts: at(T.DISCOUNTS),
    voidsCount: at(T.VOIDS),
    voidsAmount: at(T.VOIDS_AMOUNT),
    returnsCount: at(T.RETURNS),
    returnsAmount: at(T.RETURNS_AMOUNT),
  };
}

/** Adds sales per local hour (section `h`, layout.ts H) to hours. */
function addHours(hours: Hours, v: readonly number[]): void {
  hours.forEach((h, hour) => {
    h[0] += v[hour * H_LEN + H.SALES] ?? 0;
    h[1] += v[hour * H_LEN + H.TOTAL] ?? 0;
  });
}

/** One day at every store: each store's totals and hours (only stores with figures that day). */
interface DayRead {
  totals: Map<string, number[]>;
  hours: Map<string, number[]>;
}

/** The days at every store: one range of the dashboard view per day. */
async function readDays(couch: CouchHandle, days: readonly string[]): Promise<Map<string, DayRead>> {
  const read = async (day: string): Promise<DayRead> => {
    const q = new URLSearchParams({ startkey: JSON.stringify([day]), endkey: JSON.stringify([day, {}]) });
    const { rows } = await couch.request<{ rows: DayRow[] }>(`/${REPORTS_DB}/${DASHBOARD_VIEW}?${q.toString()}`);
    const out: DayRead = { totals: new Map(), hours: new Map() };
    for (const { key, value } of rows) {
      out.totals.set(key[1], value[0]);
      out.hours.set(key[1], value[1]);
    }
    return out;
  };
  return new Map(await Promise.all(days.map(async (day) => [day, await read(day)] as const)));
}

/**
 * THE data access of the dashboard: each store's figures for each of its business days (`dates`: store
 * code -> days; a day with nothing is all zeros), and the sales per local hour of each group of store days
 * (`groups`). Everything else here works on its answer only.
 *
 * Per day asked, one range of the dashboard view (every store that day). A group's hours are the sum of its
 * stores' own (24 pairs a store: summing 200 stores costs nothing), so the chart is as fresh as the stores'
 * day roll-ups and never waits for the chain's, which HQ sums a moment later in another database.
 */
export async function dayFigures(couch: CouchHandle, stores: readonly FigureStore[], dates: ReadonlyMap<string, readonly string[]>, groups: readonly HourGroup[] = []): Promise<Figures> {
  const days = [...new Set([...[...dates.values()].flat(), ...groups.flatMap((g) => g.map((x) => x.day))])].sort();
  const reads = await readDays(couch, days);
  const table: FigureTable = new Map();
  for (const store of stores) {
    const byDay = new Map<string, StoreDayFigures>();
    for (const day of dates.get(store.code) ?? []) {
      const t = reads.get(day)?.totals.get(store.code);
      byDay.set(day, t ? figuresOf(t) : emptyDay());
    }
    table.set(store.code, byDay);
  }
  const hours = groups.map((group) => {
    const sum = emptyHours();
    for (const { code, day } of group) addHours(sum, reads.get(day)?.hours.get(code) ?? []);
    return sum;
  });
  return { table, hours };
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

function hourly(day: Hours, lastWeek: Hours): HourSales[] {
  return day.map((h, hour) => ({
    hour,
    salesCount: h[0],
    revenue: money(h[1]),
    lastWeekCount: lastWeek[hour]?.[0] ?? 0,
    lastWeekRevenue: money(lastWeek[hour]?.[1] ?? 0),
  }));
}

interface StoreDays {
  store: StoreRecord;
  day: string;
  lastWeekDay: string;
  figures: StoreDayFigures;
  lastWeek: StoreDayFigures;
}

function chainOf(currency: string, rows: StoreDays[], dayHours: Hours, lastWeekHours: Hours): ChainCurrencyTotals {
  const day = rows.reduce((sum, r) => add(sum, r.figures), emptyDay());
  const lastWeek = rows.reduce((sum, r) => add(sum, r.lastWeek), emptyDay());
  return {
    currency,
    stores: rows.map((r) => r.store.code),
    businessDates: [...new Set(rows.map((r) => r.day))].sort(),
    day: totals(day),
    lastWeek: totals(lastWeek),
    hours: hourly(dayHours, lastWeekHours),
  };
}

/** The chain's currencies and their stores, the currency with most stores first (then by code). */
function currencies<S extends Pick<StoreRecord, 'currency'>>(stores: readonly S[]): Array<[string, S[]]> {
  const byCurrency = new Map<string, S[]>();
  for (const s of stores) byCurrency.set(s.currency, [...(byCurrency.get(s.currency) ?? []), s]);
  return [...byCurrency.entries()].sort(([a, ra], [b, rb]) => rb.length - ra.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** The hour groups of the chart: per currency (in `currencies` order), its stores' days, then their last week's. */
function hourGroups(stores: readonly StoreRecord[], days: ReadonlyMap<string, string>): HourGroup[] {
  return currencies(stores).flatMap(([, list]) => [
    list.map((s) => ({ code: s.code, day: days.get(s.code) ?? '' })),
    list.map((s) => ({ code: s.code, day: shiftDay(days.get(s.code) ?? '', -7) })),
  ]);
}

/** The dashboard's answer from the stores and their figures: per store, and the chain per currency. */
export function assemble(stores: readonly StoreRecord[], figures: Figures, days: ReadonlyMap<string, string>, date: string | null, now: Date): ChainDashboard {
  const { table } = figures;
  const rows: StoreDays[] = stores.map((store) => {
    const day = days.get(store.code) ?? '';
    const lastWeekDay = shiftDay(day, -7);
    const of = (d: string) => table.get(store.code)?.get(d) ?? emptyDay();
    return { store, day, lastWeekDay, figures: of(day), lastWeek: of(lastWeekDay) };
  });
  const chain = currencies(rows.map((r) => ({ ...r, currency: r.store.currency }))).map(([currency, list], i) =>
    chainOf(currency, list, figures.hours[2 * i] ?? emptyHours(), figures.hours[2 * i + 1] ?? emptyHours()),
  );
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
  const figures = await dayFigures(couch, stores, dates, hourGroups(stores, days));
  return assemble(stores, figures, days, opts.date ?? null, now);
}
