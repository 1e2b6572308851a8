// `caja bench hq`: HQ's speed (issue #12 "Speed", design "Performance targets", suite `hq`), measured over HTTP
// on real servers in this one process: HQ (startHq) on its embedded CouchDB in a temporary data folder, a
// chain built through HQ's own API (stores created, provisioned and heartbeating as relays do) and data
// loaded with `_bulk_docs` in big batches:
//   - product_search_<size>_p99_ms: the console's product search (GET /api/v1/console/products?q=…) by name
//     words in either language, SKU prefix and barcode; baseline: the naive scan (every product read from
//     CouchDB and filtered in JS, per search);
//   - product_api_lookup_<size>_p99_ms: GET /api/v1/products by SKU prefix and by barcode (the module API has
//     no name search); baseline: the same naive scan;
//   - dashboard_<stores>_stores_ms: GET /api/v1/sync/dashboard over every store with a heartbeat and a day of
//     sales, warm (after one untimed answer; a few stores sell between answers), the median of the timed
//     answers; baseline: the naive dashboard,
//     each store's heartbeat and today's sale documents read and summed in JS, one store after another;
//   - chain_dashboard_<stores>_stores_ms: GET /api/v1/dashboard (the chain dashboard: every store's today and
//     the same weekday last week, per store and per currency with hourly sales) from the reports engine's day
//     roll-ups, warm, once the roll-up job has caught up with the loaded year (logged: how long that took), a
//     few stores selling between answers, the median; baseline: the naive chain dashboard, each store's sale
//     documents of both days read (sales_by_date, include_docs) and summed in JS, one store after another;
//   - sales_search_p99_ms: GET /api/v1/sales with the console's sales browser filters (all stores, one store,
//     date ranges, the next page, receipt number, cashier, amount) over a year of sales of every store;
//     baseline: one store's date range and amount answered naively (Mango `_find` without an index, a scan
//     of that store's year).
// The year of sales is generated directly as documents (not rung through tills): FULL_SALES_NOTE says how
// many and why. Views are built before anything is timed (design: the first user never builds a view), by
// the same warming code HQ runs at its start (design-docs/deploy.ts warmDatabase).
//
// All of it shares one Node thread and, here, 2 loaded cores with whatever else runs: figures vary run to run.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server-kit/config';
import type { CajaConfig } from '../../server-kit/config';
import { jsonRequest as http } from '../../server-kit/jsonRequest';
import { memoryLogger } from '../../server-kit/log';
import { waitFor } from '../../server-kit/wait';
import { startHq } from '../../hq/server';
import { warmDatabase } from '../../design-docs/deploy';
import { CATALOG_DB, HQ_DB, heartbeatLocalId, hqStoreDbName } from '../../shared/model/names';
import { shiftId, typePrefix } from '../../shared/model/ids';
import { businessDate } from '../../shared/pos/clock';
import type { Product, Sale } from '../../shared/model/types';
import { generateCatalog } from '../seed';
import { sale as saleFixture, voidOf } from '../seed/documents';
import type { BenchLine, Suite } from './index';
import { percentile, sizedMetric } from './index';

export interface HqSizes {
  products: number;
  stores: number;
  /** Days of sales per store, ending today (today included), and sales per store per day before today. */
  days: number;
  salesPerDay: number;
  /** Today's sales per store (the dashboard's day). */
  todaySales: number;
  terminalsPerStore: number;
  /** Timed requests per metric (the naive baselines take fewer: each is a scan). */
  samples: number;
  baselineSamples: number;
}

/**
 * The full run: 100k products and 200 stores, each with a year of sales: 364 days x 2 sales plus 120 today,
 * about 850 sales a store and 170k sales in all (docs/testing.md says why not a real year's tens of
 * millions: the embedded server indexes a few hundred to a thousand documents a second per view). Few sales
 * a day is the hard case for the chain-wide searches: a page of 50 then spans ~25 stores, where a real day
 * of 100+ sales a store fills it from one.
 */
export const FULL: HqSizes = { products: 100_000, stores: 200, days: 365, salesPerDay: 2, todaySales: 120, terminalsPerStore: 4, samples: 210, baselineSamples: 5 };
export const QUICK: HqSizes = { products: 300, stores: 3, days: 30, salesPerDay: 5, todaySales: 10, terminalsPerStore: 2, samples: 20, baselineSamples: 2 };

const TIME_ZONE = 'America/Mexico_City';
const CASHIERS = ['user:ana', 'user:luis', 'user:maria', 'user:jorge', 'user:sofia'];
/** A void per this many of today's sales (the dashboard shows voids). */
const VOID_EVERY = 25;
/** Documents per `_bulk_docs` request. */
const BULK = 2000;
/** Stores that get a new sale between two timed dashboard answers. */
const TRICKLE_STORES = 5;
/** The design documents whose views the timed routes read (see the warming step). */
const CATALOG_VIEWS = ['products_by_barcode'];
const STORE_VIEWS = ['sales_by_date', 'sales_totals', 'voids_by_date', 'receipts_by_number'];
/** Stores created, provisioned and loaded at once. */
const PARALLEL = 4;

type Log = (message: string) => void;
type Doc = Record<string, unknown> & { _id: string };

const round1 = (n: number) => Math.round(n * 10) / 10;
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const pct = (values: number[], p: number) => round1(percentile(values, p));

/** A bench process's configuration: free loopback ports, the given data folder, its own secrets, quiet logs. */
function benchConfig(dataDir: string, adminPassword: string): CajaConfig {
  return loadConfig(
    { hqPort: 0, relayPort: 0, couchdbPort: 0, couchdbUrl: null, dataDir, jwtSecret: null, couchJwtSecret: null, syncToken: null, hqAdminPassword: adminPassword, logLevel: 'warn' },
    {},
  );
}

async function inParallel<T>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/** Writes documents in `_bulk_docs` batches; `existing` tolerates conflicts (HQ seeds some documents itself). */
async function bulkLoad(couchUrl: string, auth: () => string, db: string, docs: readonly object[], existing = false): Promise<void> {
  for (let i = 0; i < docs.length; i += BULK) {
    const res = await fetch(`${couchUrl}/${encodeURIComponent(db)}/_bulk_docs`, {
      method: 'POST',
      headers: { Authorization: auth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ docs: docs.slice(i, i + BULK) }),
    });
    if (res.status !== 201) throw new Error(`bulk load into ${db}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    const rows = (await res.json()) as Array<{ error?: string; reason?: string }>;
    const bad = rows.find((r) => r.error && !(existing && r.error === 'conflict'));
    if (bad) throw new Error(`bulk load into ${db} refused: ${bad.error}: ${String(bad.reason)}`);
  }
}

/** Times `n` calls of `run(i)`; each must succeed. */
async function timed(n: number, run: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run(i);
    out.push(performance.now() - t);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Sales: valid documents built from the fixture sale, with varied totals, cashiers, terminals and days.
// ---------------------------------------------------------------------------------------------------------

/** The fixture sale with `k` times the first line: a valid sale of another total, paid exactly by card. */
function saleOf(store: string, terminal: string, seq: number, day: string, createdAt: string, k: number, cashierId: string): Sale {
  const s = saleFixture(seq, store, terminal);
  const line = s.lines[0] as Sale['lines'][number];
  const tax = line.taxes[0] as Sale['lines'][number]['taxes'][number];
  const n = <T>(v: number) => v as unknown as T;
  Object.assign(line, { qty: 2 * k, grossAmount: n(500 * k), netAmount: n(500 * k) });
  Object.assign(tax, { basis: n(500 * k), amount: n(80 * k) });
  const total = 500 * k + 500 - 50 + 80 * k + 72;
  Object.assign(s.taxes[0] as object, { basis: n(500 * k + 450), amount: n(80 * k + 72) });
  return {
    ...s,
    businessDate: day,
    createdAt,
    shiftId: shiftId(store, terminal, 1),
    cashierId,
    subtotal: n(500 * k + 500),
    taxTotal: n(80 * k + 72),
    rounding: n(0),
    total: n(total),
    tenders: [{ tenderId: 'tender:CARD', kind: 'card', amount: n(total), tendered: n(total), change: n(0) }],
    change: n(0),
  };
}

/** The store's calendar day `back` days before `today` (YYYY-MM-DD arithmetic in UTC: no zone shifts). */
function dayBefore(today: string, back: number): string {
  return new Date(Date.parse(`${today}T12:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);
}

/** One store's year: `salesPerDay` a day before today and `todaySales` today, spread over its terminals. */
function storeSales(sizes: HqSizes, store: string, storeIndex: number, today: string): Doc[] {
  const docs: Doc[] = [];
  const seqs = new Array<number>(sizes.terminalsPerStore).fill(0);
  let n = storeIndex;
  for (let back = sizes.days - 1; back >= 0; back--) {
    const day = dayBefore(today, back);
    const count = back === 0 ? sizes.todaySales : sizes.salesPerDay;
    for (let k = 0; k < count; k++) {
      n += 1;
      const t = k % sizes.terminalsPerStore;
      seqs[t] = (seqs[t] ?? 0) + 1;
      const at = new Date(Date.parse(`${day}T15:00:00Z`) + k * 30_000).toISOString();
      const sale = saleOf(store, `T${t + 1}`, seqs[t], day, at, 1 + (n % 9), CASHIERS[n % CASHIERS.length] as string);
      docs.push(sale as unknown as Doc);
      if (back === 0 && k % VOID_EVERY === VOID_EVERY - 1) docs.push(voidOf(sale, `T${t + 1}`) as unknown as Doc);
    }
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------------------
// The chain: stores created, provisioned and heartbeating through HQ's API.
// ---------------------------------------------------------------------------------------------------------

type Api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, token?: string) => Promise<T>;

function heartbeat(sizes: HqSizes, now: Date) {
  const at = now.toISOString();
  return {
    at,
    intervalS: 3600, // the timed answers must all see the stores connected, however long the load takes
    openRegisters: 2,
    lastSaleAt: at,
    jobs: [
      { id: 'catalog-down', direction: 'pull', state: 'idle', byType: { product: 100, price: 3 }, docsRead: 103, docsWritten: 103, lastSuccessAt: at, pending: 0, lastError: null },
      { id: 'transactions-up', direction: 'push', state: 'idle', byType: { sale: sizes.todaySales }, docsRead: sizes.todaySales, docsWritten: sizes.todaySales, lastSuccessAt: at, pending: 0, lastError: null },
    ],
    terminals: Array.from({ length: sizes.terminalsPerStore }, (_, t) => ({ terminalId: `T${t + 1}`, lastSeenAt: at, pendingUp: 0, dbSizeBytes: 1_000_000 })),
    errors: [{ id: 'e1', at, job: 'transactions-up', type: 'forbidden', message: 'bench error' }],
  };
}

/** Creates a store through the API, provisions it as its relay would, and sends one heartbeat. */
async function openStore(api: Api, sizes: HqSizes, code: string): Promise<void> {
  await api('POST', '/api/v1/stores', { code, name: `Bench ${code}`, address: 'Loopback 1', timeZone: TIME_ZONE });
  const { token } = await api<{ token: string }>('POST', `/api/v1/stores/${code}/provision`, {});
  const { credential } = await api<{ credential: { storeCode: string; credentialId: string; secret: string } }>('POST', '/api/v1/sync/provision', { token }, '');
  const tokens = await api<{ token: string; apiToken: string }>('POST', '/api/v1/sync/token', credential, '');
  await api('POST', '/api/v1/sync/heartbeat', heartbeat(sizes, new Date()), tokens.apiToken);
}

const storeCode = (i: number) => `B${String(i + 1).padStart(3, '0')}`;

// ---------------------------------------------------------------------------------------------------------
// The naive baselines.
// ---------------------------------------------------------------------------------------------------------

/** Every product read from CouchDB (pages of 10,000) and matched in JS: what a search is without an index. */
async function naiveProductScan(couchUrl: string, auth: () => string, match: (p: Product) => boolean): Promise<number> {
  const prefix = typePrefix('product');
  let startkey = prefix;
  let skip = 0;
  let hits = 0;
  for (;;) {
    const params = new URLSearchParams({ include_docs: 'true', limit: '10000', skip: String(skip), startkey: JSON.stringify(startkey), endkey: JSON.stringify(`${prefix}\ufff0`) });
    const res = await fetch(`${couchUrl}/${CATALOG_DB}/_all_docs?${params.toString()}`, { headers: { Authorization: auth() } });
    const page = (await res.json()) as { rows: Array<{ id: string; doc: Product }> };
    for (const r of page.rows) if (match(r.doc)) hits += 1;
    const last = page.rows.at(-1);
    if (page.rows.length < 10000 || !last) return hits;
    startkey = last.id;
    skip = 1;
  }
}

const folded = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

// ---------------------------------------------------------------------------------------------------------
// The suite.
// ---------------------------------------------------------------------------------------------------------

export async function runHqBench(emit: (line: BenchLine) => void, sizes: HqSizes, log: Log): Promise<void> {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'caja-bench-hq-'));
  const adminPassword = randomBytes(12).toString('base64url');
  const hq = await startHq(benchConfig(`${tmpDir}/hq`, adminPassword), memoryLogger('bench'));
  try {
    const couchUrl = hq.couch.url;
    const auth = () => hq.couch.authHeader();
    const signIn = async () => (await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: adminPassword })).body.accessToken;
    // The staff session outlives no full load (the views take long minutes): signed in again when it expired.
    let adminToken = await signIn();
    const api: Api = async <T>(method: string, p: string, body?: unknown, token?: string) => {
      const send = () => http<T>(method, hq.url + p, body, token === '' ? {} : { Authorization: `Bearer ${token ?? adminToken}` });
      let res = await send();
      if (res.status === 401 && token === undefined) {
        adminToken = await signIn();
        res = await send();
      }
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return res.body;
    };
    const get = <T>(p: string) => api<T>('GET', p);

    // ---- data ----
    let t = performance.now();
    const catalog = generateCatalog({ products: sizes.products });
    await bulkLoad(couchUrl, auth, CATALOG_DB, catalog.docs, true);
    log(`loaded ${catalog.docs.length} catalog documents in ${seconds(performance.now() - t)} s`);
    const codes = Array.from({ length: sizes.stores }, (_, i) => storeCode(i));
    t = performance.now();
    await inParallel(codes, PARALLEL, (code) => openStore(api, sizes, code));
    log(`created, provisioned and heard from ${codes.length} stores in ${seconds(performance.now() - t)} s`);
    const today = businessDate(new Date(), TIME_ZONE);
    t = performance.now();
    let salesCount = 0;
    await inParallel(codes, PARALLEL, async (code, i) => {
      const docs = storeSales(sizes, code, i, today);
      salesCount += docs.length;
      await bulkLoad(couchUrl, auth, hqStoreDbName(code), docs);
    });
    log(`loaded ${salesCount} sales and voids (${sizes.days} days) in ${seconds(performance.now() - t)} s`);
    const loadedAt = performance.now();
    // Views built ahead of the first query, by the code HQ warms with after a start (the data came after
    // it here): the views the timed routes read. HQ builds all of them; the embedded server indexes about
    // a thousand documents a second per view, so the others would add long minutes and measure nothing.
    t = performance.now();
    await warmDatabase(couchUrl, CATALOG_DB, 'catalog', auth, { only: CATALOG_VIEWS });
    await inParallel(codes, 2, async (code) => {
      await warmDatabase(couchUrl, hqStoreDbName(code), 'hq-store', auth, { only: STORE_VIEWS });
    });
    log(`built the views read here in ${seconds(performance.now() - t)} s`);
    // The roll-up job has followed every store since it was created: the year loaded in bulk is rolled up
    // (and the report view indexed, by these very reads) before anything is timed.
    type Chain = { stores: Array<{ code: string; day: { salesCount: number; voidsCount: number } }> };
    const voidsToday = Math.floor(sizes.todaySales / VOID_EVERY);
    /** Sales added to today at each store after the load (the dashboards' timed rounds). */
    const trickled = new Map<string, number>();
    const expectSales = (code: string) => sizes.todaySales - voidsToday + (trickled.get(code) ?? 0);
    const caughtUp = (d: Chain) => d.stores.length === sizes.stores && d.stores.every((s) => s.day.salesCount === expectSales(s.code) && s.day.voidsCount === voidsToday);
    await waitFor(async () => caughtUp(await get<Chain>('/api/v1/dashboard')), { timeoutMs: 60 * 60_000, intervalMs: 1000, what: "the roll-ups of every store's today" });
    log(`roll-ups of ${salesCount} sales and the report view ready ${seconds(performance.now() - loadedAt)} s after the load`);

    // ---- product search (the console's) ----
    const products = catalog.products;
    const pick = (i: number) => products[Math.floor((i * 7919) % products.length)] as Product;
    const words = (p: Product) => folded(`${p.name.en} ${p.name.es}`).split(/\s+/).filter((w) => w.length >= 3);
    const searches = Array.from({ length: sizes.samples }, (_, i) => {
      const p = pick(i);
      const w = words(p);
      switch (i % 5) {
        case 0:
          return w[0] ?? p.sku; // one word: many hits, one page
        case 1:
          return w.slice(0, 2).join(' ') || p.sku; // two words
        case 2:
          return p.sku.slice(0, Math.max(2, p.sku.length - 2)); // a SKU prefix
        case 3:
          return p.barcodes[0] ?? p.sku; // a scanned barcode
        default:
          return `${(w.at(-1) ?? p.sku).slice(0, 4)}`; // a word being typed
      }
    });
    t = performance.now();
    await get(`/api/v1/console/products?limit=100&q=${encodeURIComponent(searches[0] ?? 'a')}`); // builds the console's index
    log(`console product index ready in ${seconds(performance.now() - t)} s`);
    const searchMs = await timed(searches.length, async (i) => {
      await get(`/api/v1/console/products?limit=100&q=${encodeURIComponent(searches[i] as string)}`);
    });
    const naiveMs = await timed(sizes.baselineSamples, async (i) => {
      const q = folded(searches[i % searches.length] as string).split(/\s+/);
      await naiveProductScan(couchUrl, auth, (p) => q.every((w) => folded(`${p.name.en} ${p.name.es}`).includes(w)) || p.barcodes.includes(q[0] as string) || p.sku.startsWith(q[0] as string));
    });
    log(`product search p50 ${pct(searchMs, 50)} ms p99 ${pct(searchMs, 99)} ms; naive scan p50 ${pct(naiveMs, 50)} ms`);
    emit({ metric: sizedMetric('product_search_{size}_p99_ms', sizes.products), value: pct(searchMs, 99), unit: 'ms', baseline: pct(naiveMs, 99), target: '<= 300' });

    // The module API: SKU prefix and barcode (no name search there).
    const lookupMs = await timed(sizes.samples, async (i) => {
      const p = pick(i + 1);
      const barcode = p.barcodes[0];
      await get(i % 2 === 0 || !barcode ? `/api/v1/products?limit=50&sku=${encodeURIComponent(p.sku.slice(0, -1))}` : `/api/v1/products?barcode=${encodeURIComponent(barcode)}`);
    });
    emit({ metric: sizedMetric('product_api_lookup_{size}_p99_ms', sizes.products), value: pct(lookupMs, 99), unit: 'ms', baseline: pct(naiveMs, 99), target: '<= 300' });

    // ---- dashboard ----
    type Dash = { stores: Array<{ state: string; today: { salesCount: number } | null }> };
    const first = await get<Dash>('/api/v1/sync/dashboard');
    const counted = first.stores.filter((s) => s.state === 'connected' && (s.today?.salesCount ?? 0) === sizes.todaySales).length;
    if (counted !== sizes.stores) throw new Error(`dashboard: ${counted} of ${sizes.stores} stores connected with today's ${sizes.todaySales} sales`);
    // Between two answers, as between two polls of the console, sales arrive at a few stores (untimed):
    // their day is read again, the rest comes from what the dashboard keeps.
    let trickle = 0;
    /** Times warm answers of a dashboard route, TRICKLE_STORES stores selling once before each. */
    const dashboardRounds = async (route: string): Promise<number[]> => {
      const ms: number[] = [];
      for (let i = 0; i < Math.max(5, Math.round(sizes.samples / 10)); i++) {
        for (let k = 0; k < TRICKLE_STORES; k++) {
          trickle += 1;
          const code = codes[trickle % codes.length] as string;
          trickled.set(code, (trickled.get(code) ?? 0) + 1);
          const sale = saleOf(code, 'T99', trickle, today, new Date().toISOString(), 1, CASHIERS[0] as string);
          await bulkLoad(couchUrl, auth, hqStoreDbName(code), [sale]);
        }
        const t0 = performance.now();
        await get(route);
        ms.push(performance.now() - t0);
      }
      return ms;
    };
    const dashMs = await dashboardRounds('/api/v1/sync/dashboard');
    const naiveDashMs = await timed(sizes.baselineSamples, async () => {
      for (const code of codes) {
        const db = hqStoreDbName(code);
        await hq.couch.request(`/${HQ_DB}/${heartbeatLocalId(code)}`).catch(() => null);
        const key = JSON.stringify([code, today]);
        const res = await hq.couch.request<{ rows: Array<{ doc: Sale }> }>(`/${db}/_design/sales_by_date/_view/sales_by_date?reduce=false&include_docs=true&key=${encodeURIComponent(key)}`);
        res.rows.reduce((sum, r) => sum + r.doc.total, 0);
      }
    });
    log(`dashboard p50 ${pct(dashMs, 50)} ms max ${pct(dashMs, 100)} ms; naive p50 ${pct(naiveDashMs, 50)} ms`);
    emit({ metric: `dashboard_${sizes.stores}_stores_ms`, value: pct(dashMs, 50), unit: 'ms', baseline: pct(naiveDashMs, 50), target: '<= 500' });

    // ---- chain dashboard (from the roll-ups, caught up before anything was timed) ----
    await waitFor(async () => caughtUp(await get<Chain>('/api/v1/dashboard')), { timeoutMs: 60_000, intervalMs: 100, what: "the sync dashboard's trickled sales in the chain dashboard" });
    const chainMs = await dashboardRounds('/api/v1/dashboard');
    // Fresh: how long after the last answer its sales show (logged; hq/dashboard.test.ts bounds it).
    t = performance.now();
    await waitFor(async () => caughtUp(await get<Chain>('/api/v1/dashboard')), { timeoutMs: 60_000, intervalMs: 100, what: 'the trickled sales in the chain dashboard' });
    const freshMs = performance.now() - t;
    const lastWeek = dayBefore(today, 7);
    const naiveChainMs = await timed(sizes.baselineSamples, async () => {
      for (const code of codes) {
        const keys = JSON.stringify([[code, today], [code, lastWeek]]);
        const res = await hq.couch.request<{ rows: Array<{ doc: Sale }> }>(`/${hqStoreDbName(code)}/_design/sales_by_date/_view/sales_by_date?reduce=false&include_docs=true&keys=${encodeURIComponent(keys)}`);
        res.rows.reduce((sum, r) => sum + r.doc.total, 0);
      }
    });
    log(`chain dashboard p50 ${pct(chainMs, 50)} ms max ${pct(chainMs, 100)} ms (trickled sales shown ${Math.round(freshMs)} ms after the last answer); naive p50 ${pct(naiveChainMs, 50)} ms`);
    emit({ metric: `chain_dashboard_${sizes.stores}_stores_ms`, value: pct(chainMs, 50), unit: 'ms', baseline: pct(naiveChainMs, 50), target: '<= 500' });

    // ---- sales search (the console's sales browser) ----
    type Page = { items: Array<{ id: string; receiptNumber: string }>; next: string | null };
    // Day offsets back from today, scaled to the days loaded (a month, a third of a year... at full size).
    const back = (fraction: number, atMost = sizes.days) => dayBefore(today, Math.min(atMost, Math.floor((sizes.days - 1) * fraction)));
    const monthAgo = back(1, 30);
    const yearAgo = back(1);
    const someReceipts = (await get<Page>(`/api/v1/sales?limit=50&store=${codes[0]}&from=${monthAgo}&to=${today}`)).items.map((s) => s.receiptNumber);
    // Where pages 2 to 6 of a year's list start (read untimed; the console follows `next` page by page).
    const cursors: string[] = [];
    while (cursors.length < 5) {
      const after = cursors.at(-1);
      const p = await get<Page>(`/api/v1/sales?limit=50&from=${yearAgo}&to=${back(0.3)}${after ? `&cursor=${encodeURIComponent(after)}` : ''}`);
      if (!p.next) break;
      cursors.push(p.next);
    }
    if (!cursors.length) throw new Error('sales: too few sales for a second page');
    const kinds: Array<[string, (i: number) => Promise<void>]> = [
      [
        'chain',
        async () => {
          const p = await get<Page>('/api/v1/sales?limit=50');
          if (p.items.length !== 50 || !p.next) throw new Error(`sales: the chain's first page has ${p.items.length} sales`);
        },
      ],
      ['chain, month', async () => void (await get<Page>(`/api/v1/sales?limit=50&from=${monthAgo}&to=${back(1, 20)}`))],
      ['chain, year', async () => void (await get<Page>(`/api/v1/sales?limit=50&from=${yearAgo}&to=${back(0.3)}`))],
      ['chain, next page', async (i) => void (await get<Page>(`/api/v1/sales?limit=50&from=${yearAgo}&to=${back(0.3)}&cursor=${encodeURIComponent(cursors[i % cursors.length] as string)}`))],
      ['store, range', async (i) => void (await get<Page>(`/api/v1/sales?limit=50&store=${codes[i % codes.length]}&from=${back(0.55)}&to=${back(0.4)}`))],
      [
        'receipt',
        async (i) => {
          const receipt = someReceipts[i % someReceipts.length] ?? 'none';
          const p = await get<Page>(`/api/v1/sales?limit=50&receipt=${encodeURIComponent(receipt)}`);
          if (p.items[0]?.receiptNumber !== receipt) throw new Error(`sales: receipt ${receipt} not found`);
        },
      ],
      ['store, cashier', async (i) => void (await get<Page>(`/api/v1/sales?limit=50&store=${codes[i % codes.length]}&cashier=${encodeURIComponent(CASHIERS[i % CASHIERS.length] as string)}&from=${monthAgo}`))],
      ['chain, amount', async () => void (await get<Page>(`/api/v1/sales?limit=50&minTotal=5000&maxTotal=6000&from=${monthAgo}`))],
    ];
    const byKind = new Map<string, number[]>();
    const salesMs = await timed(sizes.samples, async (i) => {
      const [name, run] = kinds[i % kinds.length] as [string, (i: number) => Promise<void>];
      const t0 = performance.now();
      await run(i);
      byKind.set(name, [...(byKind.get(name) ?? []), performance.now() - t0]);
    });
    for (const [name, ms] of byKind) log(`sales search ${name}: p50 ${pct(ms, 50)} ms p99 ${pct(ms, 99)} ms`);
    const naiveSalesMs = await timed(sizes.baselineSamples, async (i) => {
      const code = codes[i % codes.length] as string;
      await hq.couch.request(`/${hqStoreDbName(code)}/_find`, {
        method: 'POST',
        body: { selector: { type: 'sale', businessDate: { $gte: back(0.55), $lte: back(0.4) }, total: { $gte: 5000 } }, limit: 50 },
      });
    });
    emit({ metric: 'sales_search_p99_ms', value: pct(salesMs, 99), unit: 'ms', baseline: pct(naiveSalesMs, 99), target: '<= 300' });
  } finally {
    await hq.close().catch(() => undefined);
    await rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** `--products N` and `--days N` change the catalog and the history (e.g. `--products 10000 --days 8`, the size the closing notes measure). */
const suite: Suite = (emit, opts) =>
  runHqBench(emit, { ...(opts.quick ? QUICK : FULL), ...(opts.products ? { products: opts.products } : {}), ...(opts.days ? { days: opts.days } : {}) }, (m) => process.stderr.write(`bench hq: ${m}\n`));
export default suite;
