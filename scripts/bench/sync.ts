// `caja bench sync`: the replication metrics of the design ("Performance targets", suite `sync`), measured on
// real servers over loopback: HQ (startHq) and a store relay (startRelay), each with its embedded CouchDB in a
// temporary data folder, the store provisioned through HQ's API with a one-time token and a terminal paired
// through the relay's API, as hq/provisioning.test.ts does. The terminal is a Node PouchDB replica on LevelDB in
// this process using the renderer's own sync code (desktop/renderer/data/terminalSync.ts); in the browser build
// the same code runs on the `indexeddb` adapter, which is slower at bulk writes (notes-ecosystem.md).
//
// Processes (issue #14): by default HQ and the relay each run in a process of their own (serverProcess.ts), as
// deployed, and this process is the terminal; `--one-process` runs all three in this one (every hop's CPU on one
// thread, and a CAJA_BENCH_PROFILE profile that covers every server).
//
// Every scenario has a baseline run in the same process over the same servers, with PouchDB's defaults
// (batch_size 100, batches_limit 10, no bootstrap): plain PouchDB replications between the same databases
// (HQ -> a second database on the relay's server -> a second terminal), i.e. the naive wiring of the same
// topology. Sizes are the design's; `--quick` shrinks them so tests run in seconds.
//
// In production HQ, relay and terminal are separate machines; here they share two cores (and in the one-process
// run, one thread). Wall-clock figures on a loaded CI machine vary run to run.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jsonRequest as http } from '../../server-kit/jsonRequest';
import { waitFor } from '../../server-kit/wait';
import { PouchDB, remoteDb } from '../../server-kit/replication/pouch';
import { catalogPullSelector, storePullSelector, upstreamSelector } from '../../shared/sync/selectors';
import { deployDesignDocs, warmDatabase } from '../../design-docs/deploy';
import { startTerminalPull, terminalSyncOptions, terminalTokenSource } from '../../desktop/renderer/data/terminalSync';
import type { Pairing } from '../../desktop/renderer/data/terminalSync';
import { CATALOG_DB, hqStoreDbName, RELAY_STORE_DB, REPORTS_DB } from '../../shared/model/names';
import { rollupFeedCheckpointId } from '../../server-kit/rollupJob';
import { seqNumber } from '../../server-kit/couch';
import { generateCatalog } from '../seed';
import { price as priceFixture, sale as saleFixture } from '../seed/documents';
import type { BenchLine, Suite } from './index';
import { percentile, profiled, sizedMetric } from './index';
import { startServerHere, startServerProcess } from './serverProcess';
import type { BenchServer, ServerSpec } from './serverProcess';
import { priceId, terminalTypePrefix, typePrefix, userDocId } from '../../shared/model/ids';

export interface SyncSizes {
  products: number;
  /** Products in the baseline's catalog run; its time is scaled by products / baselineProducts. */
  baselineProducts: number;
  /** Price changes and sales measured one at a time, per latency metric. */
  samples: number;
  terminals: number;
  days: number;
  salesPerDay: number;
}

export const FULL: SyncSizes = { products: 100_000, baselineProducts: 20_000, samples: 100, terminals: 4, days: 30, salesPerDay: 500 };
export const QUICK: SyncSizes = { products: 2_000, baselineProducts: 1_000, samples: 10, terminals: 4, days: 3, salesPerDay: 50 };

const STORE = 'S001';
const MANAGER = { username: 'bench-manager', password: 'bench-manager-password', pin: '9999' };
const DEFAULTS = { batch_size: 100, batches_limit: 10 } as const;
// Terminal ids of the offline scenario: apart from the paired terminal's, so each scenario counts its own sales.
const OFFLINE_TERMINAL_BASE = 101;

type Doc = Record<string, unknown> & { _id: string; _rev?: string };
type Log = (message: string) => void;

const seconds = (ms: number) => Math.round(ms / 10) / 100;
const round1 = (n: number) => Math.round(n * 10) / 10;

const pct = (values: number[], p: number) => round1(percentile(values, p));
/** A target of several bounds that must all hold: "<= the smallest" (rounded to hundredths). */
const atMost = (...bounds: number[]) => `<= ${Math.round(Math.min(...bounds) * 100) / 100}`;

/** Loads documents; `existing` tolerates conflicts (HQ seeds its default roles itself). */
async function bulkLoad(db: PouchDB.Database, docs: readonly object[], page = 1000, existing = false): Promise<void> {
  for (let i = 0; i < docs.length; i += page) {
    const res = (await db.bulkDocs(docs.slice(i, i + page) as PouchDB.Core.PutDocument<object>[])) as Array<{ error?: unknown; status?: number; reason?: string }>;
    const bad = res.find((r) => r.error && !(existing && r.status === 409));
    if (bad) throw new Error(`bench load refused: ${String(bad.reason ?? bad.error)}`);
  }
}

/** Resolves with the time a document id reaches `rev`-or-later in `db`'s live changes feed. */
class Arrivals {
  private readonly waiting = new Map<string, (at: number) => void>();
  private readonly feed: PouchDB.Core.Changes<object>;

  constructor(db: PouchDB.Database) {
    this.feed = db.changes({ live: true, since: 'now', return_docs: false });
    this.feed.on('change', (c) => {
      const done = this.waiting.get(c.id);
      if (done) {
        this.waiting.delete(c.id);
        done(performance.now());
      }
    });
  }

  next(id: string, timeoutMs = 30_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${id} did not arrive within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(id, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  cancel(): void {
    this.feed.cancel();
  }
}

/**
 * Writes one document at a time through `write` and returns each one's latency until `arrivals` sees it. The
 * first write is a warm-up, not counted: it pays for a chain's initial catch-up and connection set-up.
 */
async function latencies(samples: number, arrivals: Arrivals, write: (i: number) => Promise<string>, idOf: (i: number) => string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i <= samples; i++) {
    const seen = arrivals.next(idOf(i));
    const t0 = performance.now();
    await write(i);
    const ms = (await seen) - t0;
    if (i > 0) out.push(ms);
  }
  return out;
}

function offlineSales(sizes: SyncSizes): Doc[] {
  const out: Doc[] = [];
  const start = Date.parse('2025-03-01T00:00:00Z');
  for (let t = 0; t < sizes.terminals; t++) {
    const terminal = `T${OFFLINE_TERMINAL_BASE + t}`;
    let seq = 0;
    for (let d = 0; d < sizes.days; d++) {
      const businessDate = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
      for (let k = 0; k < sizes.salesPerDay; k++) {
        seq += 1;
        const createdAt = new Date(start + d * 86_400_000 + 9 * 3600_000 + k * 60_000).toISOString();
        out.push({ ...saleFixture(seq, STORE, terminal), businessDate, createdAt });
      }
    }
  }
  return out;
}

/** JSON with object keys sorted: stored documents need not keep their fields' order (`_id` moves). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** lost: written but missing or different at HQ; duplicated: extra ids in those terminals' ranges, or conflicts. */
async function auditSales(hqStore: PouchDB.Database, written: Doc[], terminals: number): Promise<{ lost: number; duplicated: number }> {
  const byId = new Map(written.map((d) => [d._id, d]));
  const seen = new Set<string>();
  let lost = 0;
  let duplicated = 0;
  for (let t = 0; t < terminals; t++) {
    const prefix = terminalTypePrefix('sale', STORE, `T${OFFLINE_TERMINAL_BASE + t}`);
    let after: string | null = null;
    for (;;) {
      const page: PouchDB.Core.AllDocsResponse<object> = await hqStore.allDocs({ startkey: after ?? prefix, endkey: `${prefix}\ufff0`, include_docs: true, conflicts: true, limit: after ? 2001 : 2000 });
      const rows = page.rows.filter((r) => r.id !== after);
      for (const row of rows) {
        const doc = row.doc as unknown as Doc & { _conflicts?: string[] };
        const mine = byId.get(row.id);
        if (!mine) duplicated += 1;
        else {
          seen.add(row.id);
          const { _rev: _r, _conflicts: conflicts, ...content } = doc;
          if (conflicts?.length) duplicated += conflicts.length;
          if (canonical(content) !== canonical(mine)) lost += 1; // arrived, but not as written
        }
      }
      const last = rows[rows.length - 1];
      if (rows.length < 2000 || !last) break;
      after = last.id;
    }
  }
  lost += written.filter((d) => !seen.has(d._id)).length;
  return { lost, duplicated };
}

/** Counts ids in [prefix, prefix\ufff0] without reading documents. */
async function countIds(db: PouchDB.Database, prefixes: string[]): Promise<number> {
  let total = 0;
  for (const prefix of prefixes) total += (await db.allDocs({ startkey: prefix, endkey: `${prefix}\ufff0` })).rows.length;
  return total;
}

/** Resolves once a server's roll-up job has saved its position in `db` at or past that database's last change now. */
async function rollupsCaughtUp(couch: BenchServer['couch'], db: string, what: string, timeoutMs: number): Promise<void> {
  const loaded = seqNumber((await couch.request<{ update_seq: string | number }>(`/${db}`)).update_seq);
  const position = async () => seqNumber((await couch.request<{ seq: string | number }>(`/${REPORTS_DB}/${rollupFeedCheckpointId(db)}`).catch(() => ({ seq: 0 }))).seq);
  await waitFor(async () => (await position()) >= loaded, { what, timeoutMs, intervalMs: 250 });
}

async function createDb(url: string, token: string): Promise<void> {
  const res = await fetch(url, { method: 'PUT', headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 201 && res.status !== 412) throw new Error(`PUT ${url}: ${res.status}`);
}

/** Where the servers run: each in its own process (as deployed), or all in this one. */
export type Processes = 'separate' | 'one';

/**
 * Runs the sync suite with the given sizes; `log` gets progress lines (stderr in the CLI). The servers run in
 * `processes`.
 */
export async function runSyncBench(emit: (line: BenchLine) => void, sizes: SyncSizes, log: Log, processes: Processes = 'separate'): Promise<void> {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'caja-bench-sync-'));
  const tmp = { dir: tmpDir, cleanup: () => rm(tmpDir, { recursive: true, force: true }) };
  const adminPassword = randomBytes(12).toString('base64url');
  const server = (spec: Omit<ServerSpec, 'adminPassword' | 'couchSecret'>): Promise<BenchServer> => {
    const full = { ...spec, adminPassword, couchSecret: randomBytes(32).toString('base64url') };
    return processes === 'one' ? startServerHere(full) : startServerProcess(full);
  };
  const closers: Array<() => Promise<unknown>> = [];
  try {
    log(processes === 'one' ? 'HQ, relay and terminal in this one process' : 'HQ and the relay each in a process of their own; the terminal in this one');
    // ---- HQ with the catalog, a store, a manager (to pair the terminal) and a provisioning token ----
    const hq = await server({ role: 'hq', dataDir: `${tmp.dir}/hq` });
    closers.push(() => hq.close());
    const hqToken = () => hq.couch.authHeader().slice('Bearer '.length);
    const catalog = generateCatalog({ products: sizes.products });
    const catalogCount = catalog.docs.length;
    let t = performance.now();
    await bulkLoad(remoteDb(`${hq.couch.url}/${CATALOG_DB}`, hqToken), catalog.docs, 2000, true);
    log(`loaded ${catalogCount} catalog docs at HQ in ${seconds(performance.now() - t)} s`);
    // A chain's catalog is at HQ long before a store opens, its views built: the load above is seconds old, so
    // HQ's catalog views are built now, before the timed provisioning, instead of during it.
    t = performance.now();
    await warmDatabase(hq.couch.url, CATALOG_DB, 'catalog', () => hq.couch.authHeader());
    log(`HQ built its catalog views in ${seconds(performance.now() - t)} s`);
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: adminPassword });
    const adminToken = login.body.accessToken;
    const api = (method: string, path: string, body?: unknown) => http<Record<string, unknown>>(method, hq.url + path, body, { Authorization: `Bearer ${adminToken}` });
    const created = await api('POST', '/api/v1/stores', { code: STORE, name: 'Bench store', address: 'Loopback 1', timeZone: 'America/Mexico_City' });
    if (created.status !== 201) throw new Error(`store: ${JSON.stringify(created.body)}`);
    const user = await api('POST', '/api/v1/users', MANAGER);
    if (user.status !== 201) throw new Error(`user: ${JSON.stringify(user.body)}`);
    await api('PUT', `/api/v1/users/${String(user.body.id)}/store-roles`, { [STORE]: ['role:store_manager'] });
    const provision = await api('POST', `/api/v1/stores/${STORE}/provision`, {});
    const syncToken = String(provision.body.token);

    // ---- catalog_100k_to_terminal_s: provisioning start -> catalog at the relay -> fresh terminal has it ----
    // Timed: the relay's start with the token until its catalog-down job is live and caught up, plus the
    // terminal's bootstrap and live pull until caught up. Not timed: pairing (a person at the till).
    const relay = await server({ role: 'relay', dataDir: `${tmp.dir}/relay`, syncToken });
    closers.push(() => relay.close());
    const jobOf = async (id: string) => (await relay.jobs()).find((j) => j.id === id);
    await waitFor(
      async () => {
        const job = await jobOf('catalog-down');
        return job?.bootstrap?.state === 'live' && job.state === 'idle';
      },
      { what: 'catalog at the relay', timeoutMs: 600_000, intervalMs: 50 },
    );
    // From the moment the relay began to start (in its own process, or in this one), by the wall clock.
    const relayMs = Date.now() - relay.startingAt;
    log(`relay has the catalog in ${seconds(relayMs)} s`);
    const relayToken = () => relay.couch.authHeader().slice('Bearer '.length);
    const relayDb = remoteDb(`${relay.couch.url}/${RELAY_STORE_DB}`, relayToken);
    await waitFor(async () => (await relayDb.get(userDocId(String(user.body.id))).then(() => true, () => false)), { what: 'manager at the relay', timeoutMs: 60_000 });
    const paired = await http<Pairing>('POST', `${relay.url}/api/v1/terminals/pair`, { username: MANAGER.username, pin: MANAGER.pin, name: 'Bench till' });
    if (paired.status !== 201) throw new Error(`pair: ${JSON.stringify(paired.body)}`);
    const pairing: Pairing = { ...paired.body, relayUrl: relay.url };
    const today = new Date().toISOString().slice(0, 10);
    const termOpts = terminalSyncOptions(STORE, today, pairing.terminalId);
    const terminal = new PouchDB(`${tmp.dir}/terminal`); // LevelDB, as in a Node process
    closers.push(() => terminal.close());
    const terminalRemote = remoteDb(`${pairing.couchdbUrl}/${pairing.db}`, terminalTokenSource(pairing));
    t = performance.now();
    const { replication: pull } = await profiled('catalog_terminal', () => startTerminalPull(terminal, terminalRemote, termOpts.pull));
    closers.push(async () => pull.cancel());
    log(`terminal snapshot copied in ${seconds(performance.now() - t)} s`);
    // Caught up = the live pull's first pause without an error (counting 100k ids in a loop would steal the CPU).
    await new Promise<void>((resolve) => {
      const onPaused = (err: unknown) => {
        if (err) return;
        pull.removeListener('paused', onPaused);
        resolve();
      };
      pull.on('paused', onPaused);
    });
    await waitFor(async () => (await countIds(terminal, [typePrefix('product')])) === sizes.products, { what: 'catalog on the terminal', timeoutMs: 600_000, intervalMs: 200 });
    const terminalMs = performance.now() - t;
    log(`terminal has the catalog in ${seconds(terminalMs)} s`);

    // Baseline: the same two hops with PouchDB defaults on a smaller catalog, scaled linearly to the full
    // size (default replication is linear in documents; running it on 100k would take minutes per hop).
    const baseCatalog = generateCatalog({ products: sizes.baselineProducts, seed: 'bench-baseline' });
    await createDb(`${hq.couch.url}/bench-catalog-baseline`, hqToken());
    const baseHqCatalog = remoteDb(`${hq.couch.url}/bench-catalog-baseline`, hqToken);
    await bulkLoad(baseHqCatalog, baseCatalog.docs, 2000);
    await createDb(`${relay.couch.url}/bench-relay-baseline`, relayToken());
    await deployDesignDocs(relay.couch.url, 'bench-relay-baseline', 'relay-store', relay.couch.authHeader());
    const baseRelay = remoteDb(`${relay.couch.url}/bench-relay-baseline`, relayToken);
    const baseTerminal = new PouchDB(`${tmp.dir}/terminal-baseline`);
    closers.push(() => baseTerminal.close());
    t = performance.now();
    await baseHqCatalog.replicate.to(baseRelay, { ...DEFAULTS, selector: catalogPullSelector() });
    await baseTerminal.replicate.from(baseRelay, { ...DEFAULTS, selector: termOpts.pull.selector });
    const baseCatalogMs = ((performance.now() - t) * catalogCount) / baseCatalog.docs.length;
    log(`baseline catalog (${baseCatalog.docs.length} docs, scaled to ${catalogCount}) ${seconds(baseCatalogMs)} s`);
    // Named for the catalog size measured: the contract's catalog_100k_to_terminal_s at full size, never at --quick's.
    emit({ metric: sizedMetric('catalog_{size}_to_terminal_s', sizes.products), value: seconds(relayMs + terminalMs), unit: 's', baseline: seconds(baseCatalogMs), target: '<= 30' });

    // ---- price_to_terminal: a store price written at HQ -> on the live-synced terminal ----
    const hqStore = remoteDb(`${hq.couch.url}/${hqStoreDbName(STORE)}`, hqToken);
    const writePrice = (db: PouchDB.Database, offset: number) => async (i: number) => {
      const id = priceId(`BENCH${offset + i}`);
      await db.put({ ...priceFixture(STORE), _id: id, sku: `BENCH${offset + i}`, price: 1000 + i });
      return id;
    };
    const benchPriceId = (offset: number) => (i: number) => priceId(`BENCH${offset + i}`);
    let arrivals = new Arrivals(terminal);
    const priceMs = await latencies(sizes.samples, arrivals, writePrice(hqStore, 0), benchPriceId(0));
    arrivals.cancel();
    // Baseline chain with defaults: HQ store db -> relay baseline db -> baseline terminal, both live.
    const baseDown1 = hqStore.replicate.to(baseRelay, { ...DEFAULTS, live: true, retry: true, selector: storePullSelector('S001') });
    const baseDown2 = baseTerminal.replicate.from(baseRelay, { ...DEFAULTS, live: true, retry: true, selector: termOpts.pull.selector });
    closers.push(async () => {
      baseDown1.cancel();
      baseDown2.cancel();
    });
    await waitFor(async () => (await baseTerminal.get(benchPriceId(0)(sizes.samples)).then(() => true, () => false)), { what: 'baseline chain caught up', timeoutMs: 120_000, intervalMs: 100 });
    arrivals = new Arrivals(baseTerminal);
    const basePriceMs = await latencies(sizes.samples, arrivals, writePrice(hqStore, 100_000), benchPriceId(100_000));
    arrivals.cancel();
    emit({ metric: 'price_to_terminal_p50_ms', value: pct(priceMs, 50), unit: 'ms', baseline: pct(basePriceMs, 50), target: '<= 100' });
    emit({ metric: 'price_to_terminal_p99_ms', value: pct(priceMs, 99), unit: 'ms', baseline: pct(basePriceMs, 99), target: '<= 500' });

    // ---- sale_to_hq: a sale written on the terminal -> in HQ's store database ----
    const push = terminal.replicate.to(terminalRemote, termOpts.push);
    closers.push(async () => push.cancel());
    const tid = pairing.terminalId;
    const saleId = (offset: number, term: string) => (i: number) => String(saleFixture(offset + i + 1, STORE, term)._id);
    const writeSale = (db: PouchDB.Database, offset: number, term: string) => async (i: number) => {
      const doc = saleFixture(offset + i + 1, STORE, term);
      await db.put(doc);
      return doc._id;
    };
    arrivals = new Arrivals(hqStore);
    const saleMs = await latencies(sizes.samples, arrivals, writeSale(terminal, 0, tid), saleId(0, tid));
    arrivals.cancel();
    const baseUp1 = baseTerminal.replicate.to(baseRelay, { ...DEFAULTS, live: true, retry: true, selector: termOpts.push.selector });
    const baseUp2 = baseRelay.replicate.to(hqStore, { ...DEFAULTS, live: true, retry: true, selector: upstreamSelector() });
    closers.push(async () => {
      baseUp1.cancel();
      baseUp2.cancel();
    });
    // Both topologies whole while sales go up: Caja's terminal pull and the relay's jobs down stay live during its
    // measurement, and so do the baseline's two down replications during this one.
    arrivals = new Arrivals(hqStore);
    const baseSaleMs = await latencies(sizes.samples, arrivals, writeSale(baseTerminal, 0, 'T99'), saleId(0, 'T99'));
    arrivals.cancel();
    for (const replication of [baseUp1, baseUp2, baseDown1, baseDown2]) replication.cancel();
    // The design's bound, and issue #14's: no worse than plain replication in the same run.
    emit({ metric: 'sale_to_hq_p50_ms', value: pct(saleMs, 50), unit: 'ms', baseline: pct(baseSaleMs, 50), target: atMost(100, pct(baseSaleMs, 50)) });
    emit({ metric: 'sale_to_hq_p99_ms', value: pct(saleMs, 99), unit: 'ms', baseline: pct(baseSaleMs, 99), target: '<= 500' });

    // ---- offline_catchup: the relay's link to HQ down (its jobs stopped) while the store sells for days ----
    // The sales are written straight into the relay's database (the terminals' LAN hop is not what this
    // scenario measures); then the link comes back and we time until every sale is at HQ.
    pull.cancel();
    push.cancel();
    const sales = offlineSales(sizes);
    const prefixes = Array.from({ length: sizes.terminals }, (_, k) => terminalTypePrefix('sale', STORE, `T${OFFLINE_TERMINAL_BASE + k}`));
    await relay.stopJobs();
    t = performance.now();
    await bulkLoad(relayDb, sales, 1000);
    log(`wrote ${sales.length} sales at the relay (link down) in ${seconds(performance.now() - t)} s`);
    // A store selling for days rolls its reports up as it sells (the relay's roll-up job follows its database);
    // the load above wrote those days in seconds, so the link comes back once that work is done, as it would be.
    t = performance.now();
    await rollupsCaughtUp(relay.couch, RELAY_STORE_DB, "the relay's own roll-ups of the offline days", 600_000);
    log(`the relay rolled its reports up in a further ${seconds(performance.now() - t)} s`);
    t = performance.now();
    await profiled('offline_catchup', async () => {
      await relay.startJobs();
      await waitFor(async () => (await jobOf('transactions-up'))?.state === 'idle' && (await countIds(hqStore, prefixes)) >= sales.length, { what: 'offline sales at HQ', timeoutMs: 600_000, intervalMs: 100 });
    });
    const catchupMs = performance.now() - t;
    log(`caught up in ${seconds(catchupMs)} s`);
    const audit = await auditSales(hqStore, sales, sizes.terminals);
    // HQ's roll-ups hold a burst's days until it has landed (server-kit/rollupJob.ts), so its reports of those
    // days are computed now: logged, and the baseline below runs on an HQ done with them, as the catch-up did.
    await rollupsCaughtUp(hq.couch, hqStoreDbName(STORE), "HQ's roll-ups of the caught-up days", 300_000).then(
      () => log(`HQ rolled the caught-up days up in a further ${seconds(performance.now() - t - catchupMs)} s`),
      (err: unknown) => log(`HQ's roll-ups not caught up: ${String(err)}`),
    );

    // Baseline: the same sales pushed with defaults from a relay-side database to a fresh HQ store database.
    const baseHqName = hqStoreDbName('BENCH0');
    await createDb(`${hq.couch.url}/${baseHqName}`, hqToken());
    await deployDesignDocs(hq.couch.url, baseHqName, 'hq-store', hq.couch.authHeader());
    const baseHqStore = remoteDb(`${hq.couch.url}/${baseHqName}`, hqToken);
    await createDb(`${relay.couch.url}/bench-relay-offline`, relayToken());
    await deployDesignDocs(relay.couch.url, 'bench-relay-offline', 'relay-store', relay.couch.authHeader());
    const baseRelayOffline = remoteDb(`${relay.couch.url}/bench-relay-offline`, relayToken);
    await bulkLoad(baseRelayOffline, sales, 1000);
    t = performance.now();
    await baseRelayOffline.replicate.to(baseHqStore, { ...DEFAULTS, selector: upstreamSelector() });
    const baseCatchupMs = performance.now() - t;
    const baseAudit = await auditSales(baseHqStore, sales, sizes.terminals);
    log(`baseline caught up in ${seconds(baseCatchupMs)} s`);
    // The design's 30 s, and issue #14's: at most 15 s and at most half of plain replication in the same run.
    emit({ metric: 'offline_catchup_s', value: seconds(catchupMs), unit: 's', baseline: seconds(baseCatchupMs), target: atMost(30, 15, seconds(baseCatchupMs) / 2) });
    emit({ metric: 'offline_catchup_lost', value: audit.lost, unit: 'sales', baseline: baseAudit.lost, target: '0' });
    emit({ metric: 'offline_catchup_duplicated', value: audit.duplicated, unit: 'sales', baseline: baseAudit.duplicated, target: '0' });
  } finally {
    // Last opened, first closed: replications before the databases and servers they use.
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await tmp.cleanup().catch(() => undefined);
  }
}

const suite: Suite = (emit, opts) => runSyncBench(emit, opts.quick ? QUICK : FULL, (m) => process.stderr.write(`bench sync: ${m}\n`), opts.oneProcess ? 'one' : 'separate');
export default suite;
