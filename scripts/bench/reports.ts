// `caja bench reports`: the reports' speed (issue #13 "Speed", suite `reports`), measured over HTTP on real
// servers in this one process: HQ (startHq) on its embedded CouchDB in a temporary data folder, the stores
// created through HQ's API, and a year of every store's ledger (sales, voids, returns, register sessions and
// closes, cash drops, stock moves, transfers, Zs, a late terminal: scripts/seed/ledger.ts) written with
// `_bulk_docs` straight into HQ's `caja-store-<code>` databases, as the relays' replication puts it there.
// HQ's own roll-up job (server-kit/rollupJob.ts) rolls it up while it arrives, as it does in production.
//   - report_views_build_s: from nothing (no ledger document, no index, no roll-up) to every report answering
//     with the whole year: the load itself, the `ledger_by_date` index, the roll-ups of every store day, month
//     and year and of the chain, the report view. Baseline (same run, same data, after the load): the naive
//     design, a design document in every store database whose view maps each raw sale to [store, day] ->
//     total with a JavaScript `function (keys, values, rereduce)` sum, built until it answers. The baseline
//     does not include the load, the metric does (so it is the harsher of the two).
//   - report_query_store_year_p95_ms: every report for the one big store over the whole year, grouped by
//     month, week and day, with filters (department, product, cashier), Zs of several days and X reports;
//     p95 over all of them, a few rounds. Baseline: the naive sales summary, the store's raw sale and void
//     documents of the year read (`_all_docs`, include_docs, pages of 5,000) and summed in JS.
//   - report_query_chain_year_p95_ms: the same for the whole chain (no `store`; the X report is per store and
//     left out). Baseline: that naive summary over every store's database, one after another.
//   - report_freshness_s: a register session and a sale written into a store's database (as replication
//     would) -> visible in today's HQ sales summary of that store; worst of several samples, each on another store.
// Figures vary run to run: everything shares one Node thread and, here, 2 loaded cores.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server-kit/config';
import type { CajaConfig } from '../../server-kit/config';
import { jsonRequest as http } from '../../server-kit/jsonRequest';
import { memoryLogger } from '../../server-kit/log';
import { waitFor } from '../../server-kit/wait';
import { startHq } from '../../hq/server';
import { REPORT_NAMES, type ReportName } from '../../shared/api/reports';
import { CATALOG_DB, hqStoreDbName } from '../../shared/model/names';
import type { Sale, Shift, StoreConfig } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { money } from '../../shared/money';
import { addItem, emptyCart } from '../../shared/pos/cart';
import { businessDate } from '../../shared/pos/clock';
import { openShift } from '../../shared/pos/register';
import { buildSale } from '../../shared/pos/sale';
import { addDays } from '../../shared/reports/periods';
import { generateChainDocs, type ChainData, type LedgerDoc, type StoreSpec } from '../seed/ledger';
import type { BenchLine, Suite } from './index';
import { percentile, profiled } from './index';

export interface ReportsSizes {
  /** Stores of the chain; the first is the big store (the one store's year). */
  stores: number;
  /** Days of ledger per store, ending yesterday. */
  days: number;
  /** The other stores: registers, and sales per register session (fewest, most). */
  terminals: number;
  salesPerShift: readonly [number, number];
  /** The big store. */
  bigTerminals: number;
  bigSalesPerShift: readonly [number, number];
  products: number;
  /** Timed passes over every report request. */
  rounds: number;
  freshnessSamples: number;
  baselineSamples: number;
  /** How long the roll-ups may take to catch up before the run fails. */
  buildTimeoutMs: number;
}

/**
 * The full run, the issue's size: 200 stores x 365 days (ending yesterday). 199 stores have one register
 * selling 1 to 3 sales a session (2 a day), the big store 4 registers selling 8 to 14 each (~16k sales a
 * year): 73,000 store days, ~446k ledger documents. What costs is store DAYS, not sales: HQ's roll-up job
 * shares one Node thread with the embedded CouchDB. About 28 minutes on this 2-core machine with nothing else
 * running (docs/testing.md has the figures); `--stores 20` is a tenth of it.
 */
export const FULL: ReportsSizes = {
  stores: 200, days: 365, terminals: 1, salesPerShift: [1, 3], bigTerminals: 4, bigSalesPerShift: [8, 14], products: 60,
  rounds: 3, freshnessSamples: 5, baselineSamples: 3, buildTimeoutMs: 90 * 60_000,
};
export const QUICK: ReportsSizes = {
  stores: 3, days: 40, terminals: 1, salesPerShift: [1, 3], bigTerminals: 2, bigSalesPerShift: [3, 6], products: 20,
  rounds: 1, freshnessSamples: 2, baselineSamples: 1, buildTimeoutMs: 180_000,
};

const ZONES = ['America/Mexico_City', 'America/Bogota'];
/** Stores generated together (their transfers go to each other). */
const GROUP = 10;
/** Documents per `_bulk_docs` request. */
const BULK = 2000;
/** Stores loaded at once. */
const PARALLEL = 4;
const NAIVE_DDOC = '_design/bench_naive_sales';
/** The issue sets no target for the build: this is the full run's budget for it (the load included). */
const VIEWS_BUILD_TARGET = '<= 1200';

type Log = (message: string) => void;
type Query = Record<string, string>;
type Api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<T>;
type Totals = { sales: number; total: number };

const round1 = (n: number) => Math.round(n * 10) / 10;
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const pct = (values: number[], p: number) => round1(percentile(values, p));

function benchConfig(dataDir: string, adminPassword: string): CajaConfig {
  return loadConfig(
    { hqPort: 0, relayPort: 0, couchdbPort: 0, couchdbUrl: null, dataDir, jwtSecret: null, couchJwtSecret: null, syncToken: null, hqAdminPassword: adminPassword, logLevel: 'warn' },
    {},
  );
}

async function inParallel<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

const storeCode = (i: number) => `B${String(i + 1).padStart(3, '0')}`;

function storeSpec(sizes: ReportsSizes, i: number): StoreSpec {
  const big = i === 0;
  return {
    storeId: storeCode(i),
    timeZone: ZONES[i % 10 === 9 ? 1 : 0] as string,
    taxMode: i % 4 === 3 ? 'inclusive' : 'exclusive',
    terminals: Array.from({ length: big ? sizes.bigTerminals : sizes.terminals }, (_, t) => `T${t + 1}`),
  };
}

/** Sales that stand (not voided) of the given documents with a business day in [from, to]: count and sum. */
function standing(docs: readonly LedgerDoc[], from: string, to: string, into: Totals): void {
  const voided = new Set(docs.flatMap((d) => (d.type === 'void' ? [d.saleId] : [])));
  for (const d of docs) {
    if (d.type === 'sale' && !voided.has(d._id) && d.businessDate >= from && d.businessDate <= to) {
      into.sales += 1;
      into.total += d.total;
    }
  }
}

/**
 * fetch, tried again when the connection fails before an answer (a kept-alive socket the loaded server closed
 * meanwhile); `retried` says whether a later try was needed.
 */
async function fetchAgain(url: string, init: RequestInit): Promise<{ res: Response; retried: boolean }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { res: await fetch(url, init), retried: attempt > 0 };
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
}

/** Writes documents in `_bulk_docs` batches; `upsert` overwrites what is there (HQ seeds some catalog documents). */
async function bulkLoad(couchUrl: string, auth: () => string, db: string, docs: readonly object[], upsert = false): Promise<void> {
  const url = `${couchUrl}/${encodeURIComponent(db)}`;
  const headers = { Authorization: auth(), 'Content-Type': 'application/json' };
  for (let i = 0; i < docs.length; i += BULK) {
    let batch = docs.slice(i, i + BULK) as Array<{ _id: string }>;
    if (upsert) {
      const { res } = await fetchAgain(`${url}/_all_docs`, { method: 'POST', headers, body: JSON.stringify({ keys: batch.map((d) => d._id) }) });
      const revs = new Map(((await res.json()) as { rows: Array<{ key: string; value?: { rev: string } }> }).rows.flatMap((r) => (r.value ? [[r.key, r.value.rev] as const] : [])));
      batch = batch.map((d) => (revs.has(d._id) ? { ...d, _rev: revs.get(d._id) } : d));
    }
    const { res, retried } = await fetchAgain(`${url}/_bulk_docs`, { method: 'POST', headers, body: JSON.stringify({ docs: batch }) });
    if (res.status !== 201) throw new Error(`bulk load into ${db}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    // After a lost answer, the first try may have written some: those are ours (same ids, same content).
    const bad = ((await res.json()) as Array<{ error?: string; reason?: string }>).find((r) => r.error && !(retried && r.error === 'conflict'));
    if (bad) throw new Error(`bulk load into ${db} refused: ${bad.error}: ${String(bad.reason)}`);
  }
}

/** The naive sales summary of some store databases: every raw sale and void read, the year's sales summed in JS. */
async function naiveSummary(couchUrl: string, auth: () => string, dbs: readonly string[], from: string, to: string): Promise<Totals> {
  const out: Totals = { sales: 0, total: 0 };
  for (const db of dbs) {
    const read = async (prefix: string) => {
      const docs: LedgerDoc[] = [];
      let startkey = prefix;
      for (;;) {
        const q = new URLSearchParams({ include_docs: 'true', limit: '5000', startkey: JSON.stringify(startkey), endkey: JSON.stringify(`${prefix}\ufff0`), ...(docs.length ? { skip: '1' } : {}) });
        const { res } = await fetchAgain(`${couchUrl}/${encodeURIComponent(db)}/_all_docs?${q.toString()}`, { headers: { Authorization: auth() } });
        const page = ((await res.json()) as { rows: Array<{ id: string; doc: LedgerDoc }> }).rows;
        docs.push(...page.map((r) => r.doc));
        const last = page.at(-1);
        if (page.length < 5000 || !last) return docs;
        startkey = last.id;
      }
    };
    standing([...(await read('sale:')), ...(await read('void:'))], from, to, out);
  }
  return out;
}

/** The naive design: a JavaScript reduce over raw sale documents, deployed to each database and built. */
async function naiveBuild(couchUrl: string, auth: () => string, dbs: readonly string[]): Promise<number> {
  const ddoc = {
    _id: NAIVE_DDOC,
    language: 'javascript',
    views: {
      sales: {
        map: "function (doc) { if (doc.type === 'sale' && typeof doc.businessDate === 'string') { emit([doc.storeId, doc.businessDate], doc.total); } }",
        reduce: 'function (keys, values, rereduce) { var s = 0; for (var i = 0; i < values.length; i++) { s += values[i]; } return s; }',
      },
    },
  };
  const headers = { Authorization: auth(), 'Content-Type': 'application/json' };
  let sum = 0;
  await inParallel(dbs, 2, async (db) => {
    const url = `${couchUrl}/${encodeURIComponent(db)}`;
    const put = await fetch(`${url}/${NAIVE_DDOC}`, { method: 'PUT', headers, body: JSON.stringify(ddoc) });
    if (put.status !== 201) throw new Error(`naive design in ${db}: ${put.status} ${(await put.text()).slice(0, 200)}`);
    const { res } = await fetchAgain(`${url}/${NAIVE_DDOC}/_view/sales`, { headers });
    if (res.status !== 200) throw new Error(`naive view in ${db}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    sum += ((await res.json()) as { rows: Array<{ value: number }> }).rows[0]?.value ?? 0;
  });
  return sum;
}

/** Every report's requests over [from, to] for one scope (`{}` the chain, `{store}` one store). */
function reportRequests(scope: Query, from: string, to: string, facts: { dept: string; product: string; cashier: string; zDays: string[]; shiftId: string | null }): Array<[ReportName, Query]> {
  const out: Array<[ReportName, Query]> = [];
  for (const name of REPORT_NAMES) {
    if (name === 'x' || name === 'z') continue;
    for (const group of ['month', 'week', 'day']) out.push([name, { ...scope, from, to, group }]);
  }
  out.push(['product-performance', { ...scope, from, to, department: facts.dept, limit: '20' }]);
  out.push(['profit-margin', { ...scope, from, to, product: facts.product, group: 'month' }]);
  out.push(['department-sales', { ...scope, from, to, department: facts.dept }]);
  out.push(['inventory-value', { ...scope, from, to, department: facts.dept }]);
  out.push(['cashier-performance', { ...scope, from, to, cashier: facts.cashier, group: 'week' }]);
  out.push(['discount-analysis', { ...scope, from, to, cashier: facts.cashier }]);
  for (const day of facts.zDays) out.push(['z', { ...scope, from: day }]);
  if (scope.store) {
    out.push(['x', { ...scope }]);
    if (facts.shiftId) out.push(['x', { ...scope, shift: facts.shiftId }]);
  }
  return out;
}

/** A register session and one sale of today at a store (what a till rings), built by the till's own code. */
function todaysSale(spec: StoreSpec, gen: ChainData, terminalId: string, now: Date): [Shift, Sale] {
  const config: StoreConfig = {
    _id: 'config:hq', type: 'config', schema: CURRENT_SCHEMA, storeId: spec.storeId, code: spec.storeId, name: spec.storeId, address: '', timeZone: spec.timeZone,
    currency: 'MXN', locale: 'es', taxMode: spec.taxMode, cashRounding: money(0), varianceAlert: money(500), receiptFooter: { en: '', es: '' }, returnDays: 30,
  };
  const shift = openShift({ config, terminalId, n: 1, openedBy: 'cash-fresh', openingFloat: money(0), now });
  const product = gen.catalog.products.find((p) => !p.weighed && p.active);
  const cash = gen.catalog.tenders.find((t) => t.code === 'cash');
  if (!product || !cash) throw new Error('freshness: the catalog has no product or no cash tender');
  const cart = addItem(emptyCart(), product, 1);
  if (!cart.ok) throw new Error('freshness: cart');
  const pricing = { rates: Object.fromEntries(gen.catalog.taxRates.map((r) => [r._id, r])), groups: Object.fromEntries(gen.catalog.taxGroups.map((g) => [g._id, g])), specials: [] };
  const sale = buildSale({ config, terminalId, seq: 1, shiftId: shift._id, cashierId: 'cash-fresh', cart: cart.value, catalog: pricing, tenders: [{ tender: cash, tendered: money(10 ** 7) }], now });
  if (!sale.ok) throw new Error(`freshness: sale ${JSON.stringify(sale.error)}`);
  return [shift, sale.value];
}

export async function runReportsBench(emit: (line: BenchLine) => void, sizes: ReportsSizes, log: Log): Promise<void> {
  // CAJA_BENCH_KEEP=<folder> (for whoever tunes the queries): the data stays there, and a later run with the
  // same folder and sizes only times the queries again over it, skipping the load, the build and the baseline.
  const keepDir = process.env.CAJA_BENCH_KEEP || null;
  const marker = keepDir ? path.join(keepDir, 'bench-reports.json') : '';
  const kept = keepDir !== null && existsSync(marker) ? (JSON.parse(await readFile(marker, 'utf8')) as { adminPassword: string; from: string; to: string }) : null;
  if (keepDir) await mkdir(keepDir, { recursive: true });
  const tmpDir = keepDir ?? (await mkdtemp(path.join(os.tmpdir(), 'caja-bench-reports-')));
  const adminPassword = kept?.adminPassword ?? randomBytes(12).toString('base64url');
  const hqLog = memoryLogger('bench');
  const hq = await startHq(benchConfig(`${tmpDir}/hq`, adminPassword), hqLog);
  try {
    const couchUrl = hq.couch.url;
    const auth = () => hq.couch.authHeader();
    const signIn = async () => (await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: adminPassword })).body.accessToken;
    // The staff session outlives no full load: signed in again when it expired.
    let adminToken = await signIn();
    const api: Api = async <T>(method: string, p: string, body?: unknown) => {
      const send = () => http<T>(method, hq.url + p, body, { Authorization: `Bearer ${adminToken}` });
      let res = await send();
      if (res.status === 401) {
        adminToken = await signIn();
        res = await send();
      }
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return res.body;
    };
    const report = <T = Record<string, unknown>>(name: ReportName, q: Query) => api<T>('GET', `/api/v1/reports/${name}?${new URLSearchParams(q).toString()}`);

    // ---- the chain: stores created through the API (HQ's roll-up job follows each new store's database) ----
    const specs = Array.from({ length: sizes.stores }, (_, i) => storeSpec(sizes, i));
    const big = specs[0] as StoreSpec;
    let t = performance.now();
    if (!kept) await inParallel(specs, PARALLEL, async (s) => {
      await api('POST', '/api/v1/stores', { code: s.storeId, name: `Bench ${s.storeId}`, address: 'Loopback 1', timeZone: s.timeZone, taxMode: s.taxMode });
    });
    // A start over kept data warms every store's views in the background: not timed beside the queries.
    if (kept) await hq.warmed;
    log(kept ? `timing the queries again over the data kept in ${tmpDir} (${kept.from} to ${kept.to})` : `created ${specs.length} stores in ${seconds(performance.now() - t)} s`);
    const today = businessDate(new Date(), big.timeZone);
    const from = kept?.from ?? addDays(today, -sizes.days);
    const to = kept?.to ?? addDays(today, -1);

    // ---- the load: generated in groups of stores (memory), the big store first; roll-ups run meanwhile ----
    const generate = (group: StoreSpec[], seed: string, big: boolean) =>
      generateChainDocs({ seed, catalogSeed: 'bench', stores: group, from, days: sizes.days, products: sizes.products, salesPerShift: big ? sizes.bigSalesPerShift : sizes.salesPerShift });
    const bigGen = generate([big], 'bench-big', true);
    if (!kept) await bulkLoad(couchUrl, auth, CATALOG_DB, [...bigGen.catalog.docs, ...bigGen.catalog.salesReps], true);
    const expectChain: Totals = { sales: 0, total: 0 };
    const expectBig: Totals = { sales: 0, total: 0 };
    let docCount = 0;
    const t0 = performance.now();
    const groups = [[big], ...Array.from({ length: Math.ceil((specs.length - 1) / GROUP) }, (_, g) => specs.slice(1 + g * GROUP, 1 + (g + 1) * GROUP))].filter((g) => g.length);
    for (const [g, group] of groups.entries()) {
      if (kept && g > 0) break; // only the big store's expectation is checked again
      const gen = g === 0 ? bigGen : generate(group, `bench-${g}`, false);
      const all = [...gen.docs, ...gen.late];
      standing(all, from, to, expectChain);
      if (g === 0) standing(all, from, to, expectBig);
      docCount += all.length;
      if (!kept) await inParallel(group, PARALLEL, async (s) => {
        // The late terminal's documents after the rest of its store, as it would reach HQ.
        await bulkLoad(couchUrl, auth, hqStoreDbName(s.storeId), gen.docs.filter((d) => d.storeId === s.storeId));
        await bulkLoad(couchUrl, auth, hqStoreDbName(s.storeId), gen.late.filter((d) => d.storeId === s.storeId));
      });
    }
    const loadMs = performance.now() - t0;
    if (!kept) log(`loaded ${docCount} ledger documents (${expectChain.sales} standing sales, ${expectBig.sales} at ${big.storeId}) in ${seconds(loadMs)} s`);

    // ---- report_views_build_s: until the chain's and the big store's year are rolled up and every report answers ----
    const summary = (q: Query) => report<{ totals: Totals }>('sales-summary', { ...q, from, to, group: 'month' });
    const same = (a: Totals, b: Totals) => a.sales === b.sales && a.total === b.total;
    let lastSeen = '';
    let lastLog = performance.now();
    await waitFor(
      async () => {
        const [chain, one] = [(await summary({})).totals, (await summary({ store: big.storeId })).totals];
        lastSeen = `chain ${chain.sales}/${expectChain.sales} sales, ${big.storeId} ${one.sales}/${expectBig.sales}`;
        if (performance.now() - lastLog > 60_000) {
          lastLog = performance.now();
          log(`rolling up at ${seconds(lastLog - t0)} s: ${lastSeen} in the year's summaries`);
        }
        return (kept !== null || same(chain, expectChain)) && same(one, expectBig);
      },
      { what: 'the year rolled up', timeoutMs: sizes.buildTimeoutMs, intervalMs: 2000 },
    ).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)} (${lastSeen})`);
    });
    const rolledMs = performance.now() - t0;
    if (keepDir && !kept) await writeFile(marker, JSON.stringify({ adminPassword, from, to }));
    const gen0 = bigGen;
    const dept = gen0.catalog.departments.find((d) => d.parentId === null)?._id ?? '';
    const zDays = [10, Math.floor(sizes.days / 2), sizes.days - 9, sizes.days - 5].map((d) => addDays(from, Math.max(0, d)));
    const lastShift = [...gen0.docs].reverse().find((d): d is Shift => d.type === 'shift' && d.storeId === big.storeId);
    const facts = { dept, product: gen0.catalog.products[0]?._id ?? '', cashier: `cash-${big.storeId.toLowerCase()}-1`, zDays, shiftId: lastShift?._id ?? null };
    const storeAsks = reportRequests({ store: big.storeId }, from, to, facts);
    const chainAsks = reportRequests({}, from, to, facts);
    for (const name of REPORT_NAMES) {
      for (const asks of [storeAsks, chainAsks]) {
        const ask = asks.find(([n]) => n === name);
        if (ask) await report(...ask);
      }
    }
    const builtMs = performance.now() - t0;
    if (!kept) log(`rolled up ${seconds(rolledMs - loadMs)} s after the last document arrived; every report answered at ${seconds(builtMs)} s`);

    // ---- queries ----
    const timeAll = async (asks: Array<[ReportName, Query]>, label: string) => {
      const all: number[] = [];
      const byName = new Map<string, number[]>();
      const slow: Array<[number, string]> = [];
      for (let r = 0; r < sizes.rounds; r++) {
        for (const [name, q] of asks) {
          const t1 = performance.now();
          await report(name, q);
          const ms = performance.now() - t1;
          all.push(ms);
          byName.set(name, [...(byName.get(name) ?? []), ms]);
          const { from: _f, to: _t, store: _s, ...rest } = q;
          slow.push([ms, `${name}${Object.keys(rest).length ? ' ' + new URLSearchParams(rest).toString() : ''}`]);
        }
      }
      const slowest = [...byName].map(([n, ms]) => [n, pct(ms, 95)] as const).sort((a, b) => b[1] - a[1]);
      log(`${label}: ${all.length} answers, p50 ${pct(all, 50)} ms p95 ${pct(all, 95)} ms; p95 by report: ${slowest.map(([n, ms]) => `${n} ${ms}`).join(', ')}`);
      log(`${label}: slowest answers: ${slow.sort((a, b) => b[0] - a[0]).slice(0, 8).map(([ms, what]) => `${what} ${round1(ms)}`).join('; ')}`);
      return all;
    };
    const storeMs = await profiled('store', () => timeAll(storeAsks, `store ${big.storeId} year`));
    const naiveStoreMs: number[] = [];
    for (let i = 0; i < sizes.baselineSamples; i++) {
      const t1 = performance.now();
      const naive = await naiveSummary(couchUrl, auth, [hqStoreDbName(big.storeId)], from, to);
      naiveStoreMs.push(performance.now() - t1);
      if (!same(naive, expectBig)) throw new Error(`naive store summary: ${JSON.stringify(naive)}, expected ${JSON.stringify(expectBig)}`);
    }
    emit({ metric: 'report_query_store_year_p95_ms', value: pct(storeMs, 95), unit: 'ms', baseline: pct(naiveStoreMs, 95), target: '<= 300' });

    const chainMs = await profiled('chain', () => timeAll(chainAsks, 'chain year'));
    if (kept) {
      emit({ metric: 'report_query_chain_year_p95_ms', value: pct(chainMs, 95), unit: 'ms', baseline: null, target: '<= 1000' });
    } else {
      t = performance.now();
      const naiveChain = await naiveSummary(couchUrl, auth, specs.map((s) => hqStoreDbName(s.storeId)), from, to);
      const naiveChainMs = performance.now() - t;
      if (!same(naiveChain, expectChain)) throw new Error(`naive chain summary: ${JSON.stringify(naiveChain)}, expected ${JSON.stringify(expectChain)}`);
      log(`naive chain summary (${specs.length} databases) in ${round1(naiveChainMs)} ms`);
      emit({ metric: 'report_query_chain_year_p95_ms', value: pct(chainMs, 95), unit: 'ms', baseline: round1(naiveChainMs), target: '<= 1000' });
    }

    // ---- freshness: a sale written into a store database -> in today's HQ sales summary of that store ----
    // (CAJA_BENCH_PROFILE=freshness profiles this phase; each sample's terminal id is new on kept data too.)
    const freshMs: number[] = [];
    await profiled('freshness', async () => {
      for (let i = 0; i < sizes.freshnessSamples; i++) {
        const spec = specs[(i * 7) % specs.length] as StoreSpec;
        const q = { store: spec.storeId };
        const before = (await report<{ totals: Totals }>('sales-summary', q)).totals.sales;
        const [shift, sale] = todaysSale(spec, bigGen, kept ? `T${9000 + (Date.now() % 900) + i}` : `T${60 + i}`, new Date());
        const t1 = performance.now();
        await bulkLoad(couchUrl, auth, hqStoreDbName(spec.storeId), [shift, sale]);
        await waitFor(async () => (await report<{ totals: Totals }>('sales-summary', q)).totals.sales === before + 1, { what: `the sale at ${spec.storeId} in today's summary`, timeoutMs: 60_000, intervalMs: 50 });
        freshMs.push(performance.now() - t1);
      }
    });
    log(`freshness: ${freshMs.map((ms) => seconds(ms)).join(', ')} s`);
    emit({ metric: 'report_freshness_s', value: round1(Math.max(...freshMs) / 1000), unit: 's', baseline: null, target: '<= 5' });
    if (kept) return;

    // ---- the naive design's build over the same documents (after the timed queries: it would slow them) ----
    t = performance.now();
    const naiveSum = await naiveBuild(couchUrl, auth, specs.map((s) => hqStoreDbName(s.storeId)));
    const naiveBuildMs = performance.now() - t;
    log(`naive JavaScript-reduce view built over ${specs.length} databases in ${seconds(naiveBuildMs)} s (sum ${naiveSum})`);
    emit({ metric: 'report_views_build_s', value: round1(builtMs / 1000), unit: 's', baseline: round1(naiveBuildMs / 1000), target: VIEWS_BUILD_TARGET });
  } finally {
    // CAJA_BENCH_DEBUG=1: the roll-up job's log (what it wrote when, and any failure).
    if (process.env.CAJA_BENCH_DEBUG) for (const l of hqLog.lines) if (String(l.event).startsWith('rollups.')) log(JSON.stringify(l));
    await hq.close().catch(() => undefined);
    if (!keepDir) await rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

const suite: Suite = (emit, opts) => {
  // `--stores N` / `--days N`: a smaller chain or history than the full run (the big store stays the first).
  const sizes = { ...(opts.quick ? QUICK : FULL), ...(opts.stores ? { stores: opts.stores } : {}), ...(opts.days ? { days: opts.days } : {}) };
  return runReportsBench(emit, sizes, (m) => process.stderr.write(`bench reports: ${m}\n`));
};
export default suite;
