// The sales browser (issue #12): sales searched across every store's HQ database (`caja-store-<code>`), by
// view keys only, never by loading a store's sales.
//
// - Which stores and days to read: a summary of every store's days (per store and business day: how many
//   sales, their smallest and largest total), kept per HQ process by SalesDays and brought up to date before
//   every answer from the databases whose sequence moved (dbSeqs.ts; `_changes` since the last read). A page
//   is planned on it in the browser's order (business day descending, then store code, then sale id
//   descending): only the stores whose days can fill the page are read, in waves, instead of one query per
//   store per request (design "Reports": not one query per store per request); 200 stores cost what the
//   handful holding the page cost.
// - Store and date range: the `sales_by_date` view ([storeId, businessDate] -> total), read descending with
//   reduce=false over the planned days of each planned store (in parallel, bounded), merged newest day
//   first. The view's value is the total, so an amount range is decided on the rows without fetching a
//   document (and days whose totals cannot match are not planned at all).
// - Receipt number: `receipts_by_number` (one key; the number names its store, so one database).
// - Cashier and customer: no view holds them, so the planned rows are read in order and their documents
//   fetched in chunks until a page is full, at most ROW_BUDGET rows per request (a scan bounded by the date
//   range and the budget). A page cut short by the budget still says where the next one starts, so nothing
//   is skipped: the cursor is a position in the merged order, not an offset.
// - A sale's returns: `returned_qty_milli` keyed [originalSaleId, lineNo] (reduce=false gives the return ids);
//   its void: `voidId(saleId)`, one read.
import { seqNumber, type CouchHandle } from '../../server-kit/couch';
import { getDoc } from '../../server-kit/docs';
import { apiError } from '../../shared/api/errors';
import type { SaleDetail, SalePage, SalesQueryInput, SaleSummary } from '../../shared/api/hqRecords';
import { isBusinessDate, isStoreCode, parseReceiptNumber, parseSaleId, voidId } from '../../shared/model/ids';
import { HQ_DB, PRIVATE_PREFIX, hqStoreDbName } from '../../shared/model/names';
import type { Return, Sale, Void } from '../../shared/model/types';
import { updateSeqs } from './dbSeqs';

/** Rows read per request when a filter needs the documents (cashier, customer) or drops rows (amount). */
const ROW_BUDGET = 2000;
/** Stores read at once in one wave of a page. */
const WAVE_STORES = 16;
/** Void ids are `void:<saleId>`. */
const VOID_PREFIX = 'void:';
/** Changes read per request while catching a store's summary up. */
const CHANGES_BATCH = 1000;
/** A store this many changes behind is summarised again from its view instead of from the changes. */
const RESUMMARISE_AFTER = 5000;
/** Documents fetched per request to _all_docs while filtering. */
const DOC_CHUNK = 200;
/** Store databases queried at once. */
const PARALLEL = 16;

/** A position in the merged order: business day descending, then store code, then sale id descending. */
interface Pos {
  d: string;
  s: string;
  i: string;
}

/** True when `a` comes before `b` in the browser's order. */
function before(a: Pos, b: Pos): boolean {
  if (a.d !== b.d) return a.d > b.d;
  if (a.s !== b.s) return a.s < b.s;
  return a.i > b.i;
}

export function encodeCursor(p: Pos): string {
  return Buffer.from(JSON.stringify([p.d, p.s, p.i])).toString('base64url');
}

export function decodeCursor(text: string): Pos {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    v = null;
  }
  if (!Array.isArray(v) || v.length !== 3 || !isBusinessDate(v[0]) || !isStoreCode(v[1]) || typeof v[2] !== 'string' || v[2].length > 100) {
    throw apiError('invalid_cursor', 'cursor: not a cursor this list gave; start from the first page.');
  }
  return { d: v[0], s: v[1], i: v[2] };
}

/** The day before a YYYY-MM-DD. */
function dayBefore(day: string): string {
  const t = Date.parse(day + 'T00:00:00Z') - 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

interface Row {
  id: string;
  key: [string, string];
  value: number;
  doc?: Sale | null;
}

async function viewRows(couch: CouchHandle, db: string, q: { startkey: unknown; endkey: unknown; limit?: number; docs?: boolean }): Promise<Row[]> {
  const params = new URLSearchParams({ reduce: 'false', descending: 'true', startkey: JSON.stringify(q.startkey), endkey: JSON.stringify(q.endkey) });
  if (q.limit !== undefined) params.set('limit', String(q.limit));
  if (q.docs) params.set('include_docs', 'true');
  const res = await couch.request<{ rows: Row[] }>(`/${encodeURIComponent(db)}/_design/sales_by_date/_view/sales_by_date?${params.toString()}`);
  return res.rows;
}

/** Documents by id from one database, in the order asked (null for a missing one). */
async function docsById<T>(couch: CouchHandle, db: string, ids: string[]): Promise<Array<T | null>> {
  if (!ids.length) return [];
  const res = await couch.request<{ rows: Array<{ key: string; doc?: T | null; value?: { deleted?: boolean }; error?: string }> }>(
    `/${encodeURIComponent(db)}/_all_docs?include_docs=true`,
    { method: 'POST', body: { keys: ids } },
  );
  return res.rows.map((r) => (r.doc && !r.value?.deleted ? r.doc : null));
}

export async function inParallel<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  return out;
}

interface Filters {
  from?: string;
  to?: string;
  cashier?: string;
  customer?: string;
  minTotal?: number;
  maxTotal?: number;
}

const needsDocs = (f: Filters) => f.cashier !== undefined || f.customer !== undefined;
const dropsRows = (f: Filters) => needsDocs(f) || f.minTotal !== undefined || f.maxTotal !== undefined;
const amountOk = (f: Filters, total: number) => (f.minTotal === undefined || total >= f.minTotal) && (f.maxTotal === undefined || total <= f.maxTotal);
const docOk = (f: Filters, s: Sale) => (f.cashier === undefined || s.cashierId === f.cashier) && (f.customer === undefined || s.customerId === f.customer);

// ---------------------------------------------------------------------------------------------------------
// SalesDays: which store sold on which day, and the range of its totals.
// ---------------------------------------------------------------------------------------------------------

/** One store's sales on one business day. */
interface Day {
  count: number;
  min: number;
  max: number;
}

interface StoreSummary {
  /** The store database's sequence the summary includes everything up to. */
  seq: string | number;
  days: Map<string, Day>;
  /** The ids of the store's voided sales (voids are few; each names its sale). */
  voided: Set<string>;
}

/** Where a page plan says to read: each store from the cursor down to its lowest planned day. */
interface Plan {
  stores: Map<string, string>;
  /** The end of the last planned (store, day): rows after it are left to the next wave. */
  end: Pos | null;
}

interface PlanScope {
  stores: Set<string> | null;
  from?: string;
  to?: string;
  after: Pos | null;
  minTotal?: number;
  maxTotal?: number;
}

/**
 * The summary of every store's days, derived from the stores' databases and kept per HQ process (a second
 * instance builds its own; nothing here is needed by another). Built from each store's `sales_by_date`
 * grouped by day (count, min, max from its `_stats`), then kept up to date from the store database's
 * `_changes` since the sequence the summary holds: sales are immutable ledger documents, so a new one only
 * ever adds to its day. refresh() runs before every answer, so a sale stored before a search is in it.
 */
export class SalesDays {
  private readonly stores = new Map<string, StoreSummary>();
  /** Business day -> the stores with sales on it. */
  private readonly byDay = new Map<string, Map<string, Day>>();
  /** The days of byDay, newest first. */
  private sortedDays: string[] | null = null;
  private codes: string[] = [];
  private hqSeq: string | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly couch: CouchHandle) {}

  /** Whether a sale of `store` was voided (as of the last refresh). */
  isVoided(store: string, saleId: string): boolean {
    return this.stores.get(store)?.voided.has(saleId) ?? false;
  }

  /** The store codes HQ knows (every status), sorted. */
  storeCodes(): readonly string[] {
    return this.codes;
  }

  /**
   * Brings the summary up to date with every store database. Callers arriving while a refresh runs share
   * the next one, which starts after it: it reads sequences taken after their call.
   */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.catchUp().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.refresh();
      });
    return this.queued;
  }

  private async catchUp(): Promise<void> {
    const dbs = (codes: readonly string[]) => codes.map((c) => hqStoreDbName(c));
    let seqs = await updateSeqs(this.couch, [HQ_DB, ...dbs(this.codes)]);
    if (seqs.get(HQ_DB) !== this.hqSeq) {
      const hqSeq = seqs.get(HQ_DB) ?? null;
      const prefix = PRIVATE_PREFIX.hqStore;
      const keys = await this.couch.nano.use(HQ_DB).list({ startkey: prefix, endkey: `${prefix}\ufff0` });
      this.codes = keys.rows.map((r) => r.id.slice(prefix.length)).sort();
      this.hqSeq = hqSeq;
      const known = new Set(this.codes);
      for (const code of [...this.stores.keys()]) if (!known.has(code)) this.forget(code);
      const unseen = dbs(this.codes).filter((db) => !seqs.has(db));
      if (unseen.length) seqs = new Map([...seqs, ...(await updateSeqs(this.couch, unseen))]);
    }
    const behind = this.codes.filter((code) => {
      const seq = seqs.get(hqStoreDbName(code));
      return seq && String(this.stores.get(code)?.seq) !== seq;
    });
    await inParallel(behind, (code) => this.catchUpStore(code, seqs.get(hqStoreDbName(code)) as string));
  }

  private async catchUpStore(code: string, target: string): Promise<void> {
    const current = this.stores.get(code);
    if (!current || seqNumber(target) - seqNumber(current.seq) > RESUMMARISE_AFTER) return this.summarise(code);
    const db = encodeURIComponent(hqStoreDbName(code));
    for (;;) {
      const since = encodeURIComponent(String(current.seq));
      const res = await this.couch.request<{ results: Array<{ id: string; deleted?: boolean; doc?: Sale }>; last_seq: string | number }>(
        `/${db}/_changes?since=${since}&limit=${CHANGES_BATCH}&include_docs=true`,
      );
      for (const c of res.results) {
        if (c.deleted || !c.doc) continue;
        if (c.doc.type === 'sale') this.add(code, c.doc.businessDate, c.doc.total);
        else if (c.doc.type === 'void') current.voided.add((c.doc as unknown as Void).saleId);
      }
      current.seq = res.last_seq;
      if (res.results.length < CHANGES_BATCH) return;
    }
  }

  /** A store's summary from its view, grouped by day (the view answers with the sequence it reflects). */
  private async summarise(code: string): Promise<void> {
    const params = new URLSearchParams({ group_level: '2', update_seq: 'true', startkey: JSON.stringify([code]), endkey: JSON.stringify([code, {}]) });
    const db = encodeURIComponent(hqStoreDbName(code));
    // The sequence first: a sale stored between the two reads is then read again from `_changes` (and
    // counted twice, which only makes a day look fuller than it is: a plan reads a little more).
    const before = (await updateSeqs(this.couch, [hqStoreDbName(code)])).get(hqStoreDbName(code)) ?? 0;
    const [res, voids] = await Promise.all([
      this.couch.request<{ rows: Array<{ key: [string, string]; value: { count: number; min: number; max: number } }>; update_seq?: string | number }>(
        `/${db}/_design/sales_by_date/_view/sales_by_date?${params.toString()}`,
      ),
      this.couch.request<{ rows: Array<{ id: string }> }>(`/${db}/_all_docs?startkey=${encodeURIComponent(JSON.stringify(VOID_PREFIX))}&endkey=${encodeURIComponent(JSON.stringify(`${VOID_PREFIX}\ufff0`))}`),
    ]);
    this.forget(code);
    const summary: StoreSummary = { seq: res.update_seq ?? before, days: new Map(), voided: new Set(voids.rows.map((r) => r.id.slice(VOID_PREFIX.length))) };
    this.stores.set(code, summary);
    for (const row of res.rows) this.setDay(code, row.key[1], { count: row.value.count, min: row.value.min, max: row.value.max });
  }

  private forget(code: string): void {
    const summary = this.stores.get(code);
    if (!summary) return;
    for (const day of summary.days.keys()) {
      const stores = this.byDay.get(day);
      stores?.delete(code);
      if (stores?.size === 0) {
        this.byDay.delete(day);
        this.sortedDays = null;
      }
    }
    this.stores.delete(code);
  }

  private setDay(code: string, day: string, value: Day): void {
    (this.stores.get(code) as StoreSummary).days.set(day, value);
    let stores = this.byDay.get(day);
    if (!stores) {
      stores = new Map();
      this.byDay.set(day, stores);
      this.sortedDays = null;
    }
    stores.set(code, value);
  }

  private add(code: string, day: string, total: number): void {
    const known = this.stores.get(code)?.days.get(day);
    if (known) {
      known.count += 1;
      known.min = Math.min(known.min, total);
      known.max = Math.max(known.max, total);
    } else this.setDay(code, day, { count: 1, min: total, max: total });
  }

  private days(): string[] {
    this.sortedDays ??= [...this.byDay.keys()].sort().reverse();
    return this.sortedDays;
  }

  /**
   * The stores (and how far down each) to read next for about `want` matching rows after `scope.after`,
   * walking (day, store) in the browser's order, skipping days whose totals cannot match the amount range;
   * at most `maxStores` stores. `estimate(day)` is how many rows of that day are expected to match.
   */
  plan(scope: PlanScope, want: number, maxStores: number, estimate: (d: Day, inRange: boolean) => number): Plan {
    const stores = new Map<string, string>();
    let end: Pos | null = null;
    let expected = 0;
    const top = [scope.to, scope.after?.d].filter((d): d is string => d !== undefined).sort()[0];
    const days = this.days();
    // Days are newest first: start at the first day not after `top` (binary search).
    let lo = 0;
    let hi = days.length;
    while (top !== undefined && lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((days[mid] as string) > top) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < days.length; i++) {
      const day = days[i] as string;
      if (scope.from !== undefined && day < scope.from) break;
      const onDay = this.byDay.get(day) as Map<string, Day>;
      for (const code of [...onDay.keys()].sort()) {
        if (scope.stores && !scope.stores.has(code)) continue;
        // Before the cursor, or the cursor's own (store, day) when it ends there (`i` empty: a plan's end).
        if (scope.after && day === scope.after.d && (code < scope.after.s || (code === scope.after.s && scope.after.i === ''))) continue;
        const d = onDay.get(code) as Day;
        if ((scope.minTotal !== undefined && d.max < scope.minTotal) || (scope.maxTotal !== undefined && d.min > scope.maxTotal)) continue;
        if (!stores.has(code) && stores.size >= maxStores) return { stores, end };
        stores.set(code, day);
        end = { d: day, s: code, i: '' };
        const inRange = (scope.minTotal === undefined || d.min >= scope.minTotal) && (scope.maxTotal === undefined || d.max <= scope.maxTotal);
        expected += estimate(d, inRange);
        if (expected >= want) return { stores, end };
      }
    }
    return { stores, end };
  }
}

const salesDays = new WeakMap<CouchHandle, SalesDays>();

/** The process's summary over this CouchDB (built on first use). */
function daysOf(couch: CouchHandle): SalesDays {
  let days = salesDays.get(couch);
  if (!days) {
    days = new SalesDays(couch);
    salesDays.set(couch, days);
  }
  return days;
}

/** Builds the sales browser's summary ahead of the first search (HQ's start calls it in the background). */
export function warmSalesSearch(couch: CouchHandle): Promise<void> {
  return daysOf(couch).refresh();
}

// ---------------------------------------------------------------------------------------------------------
// Reading the planned stores.
// ---------------------------------------------------------------------------------------------------------

/** The rows of one store after `cursor` (or from the top of the range), in the browser's order. */
async function rowsAfter(couch: CouchHandle, store: string, f: Filters, cursor: Pos | null, limit: number, docs: boolean): Promise<{ rows: Row[]; exhausted: boolean }> {
  const db = hqStoreDbName(store);
  let head: Row[] = [];
  let startkey: unknown[] = [store, f.to ?? {}];
  if (cursor) {
    if (store === cursor.s) {
      // The rest of the cursor's own day at this store: one day's rows (keys only), then the days before it.
      head = (await viewRows(couch, db, { startkey: [store, cursor.d], endkey: [store, cursor.d], docs })).filter((r) => r.id < cursor.i);
      head.sort((a, b) => (a.id < b.id ? 1 : -1));
    }
    // `[store, day, {}]` sorts after every key of that day and before the next day's.
    startkey = store <= cursor.s ? [store, dayBefore(cursor.d), {}] : [store, cursor.d];
  }
  // A range that starts before `from` holds nothing (and CouchDB refuses a reversed range).
  const startDay = startkey[1];
  const empty = f.from !== undefined && typeof startDay === 'string' && startDay < f.from;
  const rest = empty ? [] : await viewRows(couch, db, { startkey, endkey: [store, f.from ?? ''], limit: Math.max(limit - head.length, 0) + 1, docs });
  const rows = [...head, ...rest];
  return { rows: rows.slice(0, limit), exhausted: rows.length <= limit };
}

interface StoreScan {
  matches: Array<{ pos: Pos; row: Row }>;
  /** The last row examined when the store has more after it; null when it has none. */
  frontier: Pos | null;
  /** Rows examined. */
  examined: number;
}

const posOf = (store: string, r: Row): Pos => ({ d: r.key[1], s: store, i: r.id });

/** One store's matching sales after `cursor`: at least `need` of them, or all there are within `rowLimit` rows. */
async function scanStore(couch: CouchHandle, store: string, f: Filters, cursor: Pos | null, need: number, rowLimit: number): Promise<StoreScan> {
  // Without a filter that drops rows, the rows read are the page's: their documents come with them.
  const { rows, exhausted } = await rowsAfter(couch, store, f, cursor, dropsRows(f) ? rowLimit : need, !dropsRows(f));
  const matches: StoreScan['matches'] = [];
  let examined = 0;
  for (let i = 0; i < rows.length && matches.length < need; i += DOC_CHUNK) {
    const chunk = rows.slice(i, i + DOC_CHUNK).filter((r) => amountOk(f, r.value));
    const docs = needsDocs(f) ? await docsById<Sale>(couch, hqStoreDbName(store), chunk.map((r) => r.id)) : [];
    for (let j = 0; j < chunk.length && matches.length < need; j++) {
      const row = chunk[j] as Row;
      const doc = needsDocs(f) ? docs[j] : undefined;
      if (doc === null || (doc && !docOk(f, doc))) continue;
      matches.push({ pos: posOf(store, row), row: { ...row, ...(doc ? { doc } : {}) } });
    }
    examined = Math.min(i + DOC_CHUNK, rows.length);
  }
  // Stopped early with a full page: the store continues after its last match. Otherwise after its last row.
  if (matches.length >= need) return { matches, frontier: (matches.at(-1) as { pos: Pos }).pos, examined };
  const last = rows[examined - 1];
  return { matches, frontier: exhausted || !last ? null : posOf(store, last), examined };
}

/** What the list shows of a sale. */
function summary(s: Sale, voided: boolean): SaleSummary {
  return {
    id: s._id,
    storeId: s.storeId,
    terminalId: s.terminalId,
    receiptNumber: s.receiptNumber,
    businessDate: s.businessDate,
    createdAt: s.createdAt,
    cashierId: s.cashierId,
    customerId: s.customerId ?? null,
    currency: s.currency,
    total: s.total,
    taxTotal: s.taxTotal,
    discountTotal: s.discountTotal,
    lineCount: s.lines.length,
    voided,
  };
}

/** The summaries of these sales of one store, with whether each was voided (one _all_docs read for the voids). */
/** The summaries of these sales of one store (documents read where the rows lack them), voids from the summary. */
async function summaries(couch: CouchHandle, days: SalesDays, store: string, rows: Row[]): Promise<Map<string, SaleSummary>> {
  const missing = rows.filter((r) => !r.doc).map((r) => r.id);
  const fetched = new Map((await docsById<Sale>(couch, hqStoreDbName(store), missing)).flatMap((d) => (d ? [[d._id, d] as const] : [])));
  const sales = rows.flatMap((r) => {
    const doc = r.doc ?? fetched.get(r.id);
    return doc ? [doc] : [];
  });
  return new Map(sales.map((s) => [s._id, summary(s, days.isVoided(store, s._id))]));
}

/** The one sale a receipt number names, if it passes the other filters. */
async function byReceipt(couch: CouchHandle, days: SalesDays, q: SalesQueryInput & { receipt: string }, stores: Set<string>): Promise<SalePage> {
  const ref = parseReceiptNumber(q.receipt);
  if (!ref || !stores.has(ref.storeId) || (q.store && q.store !== ref.storeId)) return { items: [], next: null };
  const db = hqStoreDbName(ref.storeId);
  const res = await couch.request<{ rows: Array<{ id: string; value: string }> }>(
    `/${encodeURIComponent(db)}/_design/receipts_by_number/_view/receipts_by_number?key=${encodeURIComponent(JSON.stringify(q.receipt))}`,
  );
  const id = res.rows.find((r) => r.value === 'sale')?.id;
  const sale = id ? await getDoc<Sale>(couch, db, id) : null;
  if (!sale) return { items: [], next: null };
  const f: Filters = q;
  const inRange = (!q.from || sale.businessDate >= q.from) && (!q.to || sale.businessDate <= q.to);
  if (!inRange || !amountOk(f, sale.total) || !docOk(f, sale)) return { items: [], next: null };
  const items = await summaries(couch, days, ref.storeId, [{ id: sale._id, key: [sale.storeId, sale.businessDate], value: sale.total, doc: sale }]);
  return { items: [...items.values()], next: null };
}

/** How many of a day's sales a filter is first expected to keep (then learned from the rows read). */
const FIRST_GUESS = { amount: 0.5, documents: 0.25 } as const;

/**
 * A page of sales across the chain (or one store) matching the query, newest business day first. Read in
 * waves: the summary plans which stores hold the next rows (SalesDays.plan), those stores are read over
 * their planned days, and everything up to the earliest point any of them stopped at is exact; the next
 * wave continues from there until the page is full, the rows run out or the row budget is spent.
 */
export async function searchSales(couch: CouchHandle, q: SalesQueryInput): Promise<SalePage> {
  const limit = q.limit ?? 50;
  const days = daysOf(couch);
  await days.refresh();
  const known = new Set(days.storeCodes());
  if (q.store && !known.has(q.store)) throw apiError('store_not_found', `No store with code ${q.store}.`);
  if (q.receipt) return byReceipt(couch, days, { ...q, receipt: q.receipt }, known);
  const f: Filters = q;
  const scope: Omit<PlanScope, 'after'> = {
    stores: q.store ? new Set([q.store]) : null,
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
    ...(q.minTotal !== undefined ? { minTotal: q.minTotal } : {}),
    ...(q.maxTotal !== undefined ? { maxTotal: q.maxTotal } : {}),
  };
  // The share of a day's rows expected to match: 1 without a filter that drops rows, else learned.
  let kept = needsDocs(f) ? FIRST_GUESS.documents : dropsRows(f) ? FIRST_GUESS.amount : 1;
  const estimate = (d: Day, inRange: boolean) => (inRange && !needsDocs(f) ? d.count : d.count * kept);
  const found: Array<{ pos: Pos; row: Row }> = [];
  let at = q.cursor ? decodeCursor(q.cursor) : null;
  let examined = 0;
  let matched = 0;
  let bound: Pos | null = null;
  for (;;) {
    const need = limit + 1 - found.length;
    const plan = days.plan({ ...scope, after: at }, need, WAVE_STORES, estimate);
    if (plan.stores.size === 0) {
      bound = null;
      break;
    }
    const budget = Math.max(ROW_BUDGET - examined, DOC_CHUNK);
    const waveAt = at;
    const scans = await inParallel([...plan.stores], ([store, lowest]) => scanStore(couch, store, { ...f, from: f.from !== undefined && f.from > lowest ? f.from : lowest }, waveAt, need, budget));
    // Exact up to the earliest place a store stopped, and never past the plan's end.
    bound = scans.reduce<Pos | null>((b, s) => (s.frontier && (!b || before(s.frontier, b)) ? s.frontier : b), plan.end);
    const wave = scans.flatMap((s) => s.matches).filter((m) => !bound || !before(bound, m.pos));
    wave.sort((a, b) => (before(a.pos, b.pos) ? -1 : 1));
    found.push(...wave);
    examined += scans.reduce((n, s) => n + s.examined, 0);
    matched += wave.length;
    if (dropsRows(f) && examined > 0) kept = Math.max(0.01, matched / examined);
    at = bound;
    if (found.length > limit || !bound) break;
    // The budget is spent: answer what was found, with where the next page starts.
    if (dropsRows(f) && examined >= ROW_BUDGET) break;
  }
  const page = found.slice(0, limit);
  const last = page.at(-1);
  const next = found.length > limit && last ? encodeCursor(last.pos) : bound ? encodeCursor(page.length === limit && last ? last.pos : bound) : null;
  const byStore = new Map<string, Row[]>();
  for (const m of page) byStore.set(m.pos.s, [...(byStore.get(m.pos.s) ?? []), m.row]);
  const perStore = await inParallel([...byStore], ([store, rows]) => summaries(couch, days, store, rows));
  const all = new Map(perStore.flatMap((m) => [...m]));
  return { items: page.flatMap((m) => all.get(m.row.id) ?? []), next };
}

/** One sale with its lines, taxes, tenders and approvals, its void and its returns. */
export async function getSale(couch: CouchHandle, id: string): Promise<SaleDetail> {
  const ref = parseSaleId(id);
  const db = ref ? hqStoreDbName(ref.storeId) : null;
  const sale = db ? await getDoc<Sale>(couch, db, id).catch((err: unknown) => ((err as { statusCode?: number }).statusCode === 404 ? null : Promise.reject(err))) : null;
  if (!db || !sale || sale.type !== 'sale') throw apiError('sale_not_found', `No sale ${id.slice(0, 80)}.`);
  const voidDoc = await getDoc<Void>(couch, db, voidId(id));
  const params = new URLSearchParams({ reduce: 'false', startkey: JSON.stringify([id]), endkey: JSON.stringify([id, {}]) });
  const rows = (await couch.request<{ rows: Array<{ id: string }> }>(`/${encodeURIComponent(db)}/_design/returned_qty_milli/_view/returned_qty_milli?${params.toString()}`)).rows;
  const returns = (await docsById<Return>(couch, db, [...new Set(rows.map((r) => r.id))])).flatMap((r) => (r ? [r] : []));
  returns.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const approvals = [
    ...sale.approvals.map((a) => ({ ...a, on: sale._id })),
    ...(voidDoc ? voidDoc.approvals.map((a) => ({ ...a, on: voidDoc._id })) : []),
    ...returns.flatMap((r) => r.approvals.map((a) => ({ ...a, on: r._id }))),
  ];
  return { sale, void: voidDoc, returns, approvals };
}
