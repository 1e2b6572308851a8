// The sales browser (issue #12): sales searched across every store's HQ database (`caja-store-<code>`), by
// view keys only, never by loading a store's sales.
//
// - Store and date range: the `sales_by_date` view ([storeId, businessDate] -> total), read descending with
//   reduce=false, one query per store (in parallel, bounded), merged newest day first. The view's value is the
//   total, so an amount range is decided on the rows without fetching a document.
// - Receipt number: `receipts_by_number` (one key; the number names its store, so one database).
// - Cashier and customer: no view holds them, so the rows of the date range are read in order and their
//   documents fetched in chunks until a page is full, at most ROW_BUDGET rows per store per request (a scan
//   bounded by the date range and the budget). A page cut short by the budget still says where the next one
//   starts, so nothing is skipped: the cursor is a position in the merged order, not an offset.
// - A sale's returns: `returned_qty_milli` keyed [originalSaleId, lineNo] (reduce=false gives the return ids);
//   its void: `voidId(saleId)`, one read.
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc } from '../../server-kit/docs';
import { apiError } from '../../shared/api/errors';
import type { SaleDetail, SalePage, SalesQueryInput, SaleSummary } from '../../shared/api/hqRecords';
import { isBusinessDate, isStoreCode, parseReceiptNumber, parseSaleId, voidId } from '../../shared/model/ids';
import { hqStoreDbName } from '../../shared/model/names';
import type { Return, Sale, Void } from '../../shared/model/types';
import { listStores } from './stores';

/** Rows read per store per request when a filter needs the documents (cashier, customer) or drops rows (amount). */
const ROW_BUDGET = 2000;
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

async function viewRows(couch: CouchHandle, db: string, q: { startkey: unknown; endkey: unknown; limit?: number }): Promise<Row[]> {
  const params = new URLSearchParams({ reduce: 'false', descending: 'true', startkey: JSON.stringify(q.startkey), endkey: JSON.stringify(q.endkey) });
  if (q.limit !== undefined) params.set('limit', String(q.limit));
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

/** The rows of one store after `cursor` (or from the top of the range), in the browser's order. */
async function rowsAfter(couch: CouchHandle, store: string, f: Filters, cursor: Pos | null, limit: number): Promise<{ rows: Row[]; exhausted: boolean }> {
  const db = hqStoreDbName(store);
  let head: Row[] = [];
  let startkey: unknown[] = [store, f.to ?? {}];
  if (cursor) {
    if (store === cursor.s) {
      // The rest of the cursor's own day at this store: one day's rows (keys only), then the days before it.
      head = (await viewRows(couch, db, { startkey: [store, cursor.d], endkey: [store, cursor.d] })).filter((r) => r.id < cursor.i);
      head.sort((a, b) => (a.id < b.id ? 1 : -1));
    }
    // `[store, day, {}]` sorts after every key of that day and before the next day's.
    startkey = store <= cursor.s ? [store, dayBefore(cursor.d), {}] : [store, cursor.d];
  }
  // A range that starts before `from` holds nothing (and CouchDB refuses a reversed range).
  const startDay = startkey[1];
  const empty = f.from !== undefined && typeof startDay === 'string' && startDay < f.from;
  const rest = empty ? [] : await viewRows(couch, db, { startkey, endkey: [store, f.from ?? ''], limit: Math.max(limit - head.length, 0) + 1 });
  const rows = [...head, ...rest];
  return { rows: rows.slice(0, limit), exhausted: rows.length <= limit };
}

interface StoreScan {
  matches: Array<{ pos: Pos; row: Row }>;
  /** The last row examined when the store has more after it; null when it has none. */
  frontier: Pos | null;
}

const posOf = (store: string, r: Row): Pos => ({ d: r.key[1], s: store, i: r.id });

/** One store's matching sales after `cursor`: at least `need` of them, or all there are within the budget. */
async function scanStore(couch: CouchHandle, store: string, f: Filters, cursor: Pos | null, need: number): Promise<StoreScan> {
  const { rows, exhausted } = await rowsAfter(couch, store, f, cursor, dropsRows(f) ? ROW_BUDGET : need);
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
  if (matches.length >= need) return { matches, frontier: (matches.at(-1) as { pos: Pos }).pos };
  const last = rows[examined - 1];
  return { matches, frontier: exhausted || !last ? null : posOf(store, last) };
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
async function summaries(couch: CouchHandle, store: string, rows: Row[]): Promise<Map<string, SaleSummary>> {
  const db = hqStoreDbName(store);
  const missing = rows.filter((r) => !r.doc).map((r) => r.id);
  const fetched = new Map((await docsById<Sale>(couch, db, missing)).flatMap((d) => (d ? [[d._id, d] as const] : [])));
  const sales = rows.flatMap((r) => {
    const doc = r.doc ?? fetched.get(r.id);
    return doc ? [doc] : [];
  });
  const voids = await couch.request<{ rows: Array<{ key: string; value?: { deleted?: boolean }; error?: string }> }>(`/${encodeURIComponent(db)}/_all_docs`, {
    method: 'POST',
    body: { keys: sales.map((s) => voidId(s._id)) },
  });
  const voided = new Set(voids.rows.filter((r) => !r.error && r.value && !r.value.deleted).map((r) => r.key));
  return new Map(sales.map((s) => [s._id, summary(s, voided.has(voidId(s._id)))]));
}

/** The one sale a receipt number names, if it passes the other filters. */
async function byReceipt(couch: CouchHandle, q: SalesQueryInput & { receipt: string }, stores: Set<string>): Promise<SalePage> {
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
  const items = await summaries(couch, ref.storeId, [{ id: sale._id, key: [sale.storeId, sale.businessDate], value: sale.total, doc: sale }]);
  return { items: [...items.values()], next: null };
}

/** A page of sales across the chain (or one store) matching the query, newest business day first. */
export async function searchSales(couch: CouchHandle, q: SalesQueryInput): Promise<SalePage> {
  const limit = q.limit ?? 50;
  const known = new Set((await listStores(couch)).map((s) => s.code));
  if (q.store && !known.has(q.store)) throw apiError('store_not_found', `No store with code ${q.store}.`);
  if (q.receipt) return byReceipt(couch, { ...q, receipt: q.receipt }, known);
  const cursor = q.cursor ? decodeCursor(q.cursor) : null;
  const stores = q.store ? [q.store] : [...known].sort();
  const scans = await inParallel(stores, (s) => scanStore(couch, s, q, cursor, limit + 1));
  // Nothing past the earliest frontier may be shown: a store cut short there may have matches before the rest.
  const bound = scans.reduce<Pos | null>((b, s) => (s.frontier && (!b || before(s.frontier, b)) ? s.frontier : b), null);
  const all = scans.flatMap((s) => s.matches).filter((m) => !bound || !before(bound, m.pos));
  all.sort((a, b) => (before(a.pos, b.pos) ? -1 : 1));
  const page = all.slice(0, limit);
  const last = page.at(-1);
  const next = all.length > limit && last ? encodeCursor(last.pos) : bound ? encodeCursor(page.length === limit && last ? last.pos : bound) : null;
  const byStore = new Map<string, Row[]>();
  for (const m of page) byStore.set(m.pos.s, [...(byStore.get(m.pos.s) ?? []), m.row]);
  const found = new Map<string, SaleSummary>();
  for (const [store, rows] of byStore) for (const [id, s] of await summaries(couch, store, rows)) found.set(id, s);
  return { items: page.flatMap((m) => found.get(m.row.id) ?? []), next };
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
