// `caja bench scale`: one HQ against many stores (issue #14 "Scale"), on the embedded server and on a real
// Apache CouchDB 3.5.0 (../shared/couchdb, skipped with a log line when absent; CAJA_BENCH_SCALE_SERVERS=
// embedded|couchdb|embedded,couchdb picks; CAJA_BENCH_SCALE_COUCHDB_CONFIG=section/key=value,... changes the real
// server's settings for a sizing experiment, its log level is always `warning`). Per server, the chain grows 50 -> 100 -> 200 stores (quick: 5 ->
// 10), and at each size every store catches up at once, as after a WAN outage of the whole chain: each store
// rang `salesPerStore` sales while its upstream replication was stopped, then all replications start together.
// Measured per size, with every store connected:
//   - ingest_docs_s: sales landed at HQ per second (HQ's 201s to the relays' `_bulk_docs`, counted by the
//     replication jobs; checked against HQ's own document counts afterwards) from the restart until all landed;
//   - heartbeat_p50_ms / _p99_ms: how long HQ takes to answer a relay's heartbeat (the relay's own Heartbeat
//     code, store token included) during that catch-up, over at least one heartbeat interval;
//   - hq_rss_mb (the HQ process's largest resident size, sampled during the catch-up), hq_heap_mb (V8 heap in
//     use at its end), hq_sockets (the HQ process's largest count of open sockets, from /proc/<pid>/fd: relays'
//     connections to its API and replication gateway, and its own to CouchDB — both ends when the embedded
//     server runs inside it); on the real server also couchdb_rss_mb and couchdb_sockets of the Erlang VM;
//   - errors: replication errors, failed heartbeats and sales missing at HQ. A size that breaks (setup fails,
//     or the sales do not all land within `deadlineS`) is reported with what was measured and its errors, and
//     the larger sizes are not attempted (logged).
// Baselines: none of these has a natural one, so the 100- and 200-store lines take the 50-store figure of the
// same run (the smallest size's, at --quick), and the 50-store lines have none. Targets: ingest >= 2 docs/s
// per store (a busy store rings a sale per till every 30 s, ~0.13 docs/s with 4 tills; catching up an hour's
// outage in 5 minutes takes 12 times that, 1.6); heartbeat p50 <= 250 ms and p99 <= 1000 ms (the relay gives
// up after 15 s; HQ calls a store disconnected after 3 missed 30 s heartbeats); HQ RSS <= 1024 MB, heap
// <= 512 MB; sockets <= 64 + 16 per store (a relay's 2 long-polls, heartbeat and push requests into HQ's
// gateway, each proxied on to CouchDB, and HQ's own per-store feeds; both ends when the embedded server runs
// inside HQ); CouchDB RSS <= 2048 MB.
//
// Processes: HQ runs in a child process (this file, forked with CAJA_BENCH_SCALE_HQ), as deployed, so its
// memory and sockets are its own; a real CouchDB is a third. Every simulated store runs in this one process:
// for each, what a relay does towards HQ, with the relay's own code — provisioning with a sync token
// (provisionWithToken), the store token source (StoreTokenSource), the three replication jobs (createHqJobs:
// catalog and store documents down, transactions up) and the heartbeat (Heartbeat.beat on a schedule, every
// `heartbeatS`, shorter than the 30 s default so that each size yields samples; it is not started, so the
// extra heartbeats a relay sends on job state changes are not sent) — over a PouchDB memory database instead
// of a relay's CouchDB, with no terminals and no relay HTTP server. One process rather than several: the
// machine has 2 cores, HQ takes one and the stores the other; more store processes would only share the same
// core. The CPU use of HQ, CouchDB and the simulated stores during each catch-up is logged: the stores near
// 100 % of a core would mean they, not HQ, set the pace.
import { execFile, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { freePort } from '../../server-kit/ports';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../../server-kit/config';
import type { CouchHandle } from '../../server-kit/couch';
import { jsonRequest as http } from '../../server-kit/jsonRequest';
import { createLogger } from '../../server-kit/log';
import type { Logger } from '../../server-kit/log';
import { PouchDB } from '../../server-kit/replication/pouch';
import type { ReplicationJob, SyncErrorEntry } from '../../server-kit/replication/job';
import { waitFor } from '../../server-kit/wait';
import { startHq } from '../../hq/server';
import { CATALOG_DB, hqStoreDbName, RELAY_PRIVATE_DB, RELAY_STORE_DB } from '../../shared/model/names';
import { businessDate } from '../../shared/pos/clock';
import type { Sale } from '../../shared/model/types';
import { provisionWithToken } from '../../store-relay/services/identity';
import { createHqJobs, StoreTokenSource } from '../../store-relay/services/hqLink';
import { ErrorOutbox, Heartbeat } from '../../store-relay/services/heartbeat';
import { StoreActivity } from '../../store-relay/services/activity';
import { generateCatalog } from '../seed';
import { sale as saleFixture } from '../seed/documents';
import type { BenchLine, Suite } from './index';
import { exitWithParent, stopChild } from './serverProcess';
import { percentile } from './index';

export interface ScaleSizes {
  /** Chain sizes measured, ascending: the chain grows from one to the next. */
  stores: number[];
  /** Sales each store rang during the outage, pushed at each size. */
  salesPerStore: number;
  /** Products in HQ's catalog (every store pulls it). */
  products: number;
  /** Seconds between a simulated relay's heartbeats. */
  heartbeatS: number;
  /** A catch-up not landed within this many seconds breaks the size. */
  deadlineS: number;
}

export const FULL: ScaleSizes = { stores: [50, 100, 200], salesPerStore: 200, products: 100, heartbeatS: 5, deadlineS: 180 };
export const QUICK: ScaleSizes = { stores: [5, 10], salesPerStore: 20, products: 20, heartbeatS: 1, deadlineS: 60 };

export type ServerKind = 'embedded' | 'couchdb';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUN_COUCHDB = path.resolve(repoRoot, '../shared/couchdb/run-couchdb.sh');
const SELF = fileURLToPath(import.meta.url);
const TIME_ZONE = 'America/Mexico_City';
const TERMINALS = 4;
/** Stores created and provisioned at once. */
const OPEN_PARALLEL = 4;
const SAMPLE_MS = 500;
/** Socket targets: HQ's own (listeners, its CouchDB, IPC) plus a bound per store (see the top comment). */
const SOCKETS_FIXED = 64;
const SOCKETS_PER_STORE = 16;
const CHILD_ENV = 'CAJA_BENCH_SCALE_HQ';
/** The server admin of ../shared/couchdb's instances (its README). */
const ADMIN_BASIC = 'Basic ' + Buffer.from('admin:admin').toString('base64');

type Log = (message: string) => void;
const run = promisify(execFile);
const round1 = (n: number) => Math.round(n * 10) / 10;
const mb = (bytes: number) => Math.round(bytes / 1048576);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// /proc: resident size and open sockets of a process.
// ---------------------------------------------------------------------------------------------------------

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

async function socketCount(pid: number): Promise<number> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  let n = 0;
  for (const fd of fds) if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')).startsWith('socket:')) n += 1;
  return n;
}

/** CPU time a process has used, in seconds (user + system; clock ticks of 1/100 s, Linux's USER_HZ). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100 || 0;
}

/** Samples a process's RSS and sockets every SAMPLE_MS until stopped: the peaks, and its CPU use meanwhile (% of a core). */
function sampler(pid: number | null): { stop(): Promise<{ rss: number; sockets: number; cpuPct: number }> } {
  let rss = 0;
  let sockets = 0;
  let running = true;
  const t0 = performance.now();
  const cpu0 = pid ? cpuSeconds(pid) : Promise.resolve(0);
  const loop = (async () => {
    while (running && pid) {
      rss = Math.max(rss, await rssBytes(pid));
      sockets = Math.max(sockets, await socketCount(pid));
      await sleep(SAMPLE_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const used = pid ? (await cpuSeconds(pid)) - (await cpu0) : 0;
      return { rss, sockets, cpuPct: Math.round((used * 100_000) / (performance.now() - t0)) };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// A real CouchDB from ../shared/couchdb (its own script starts and stops it).
// ---------------------------------------------------------------------------------------------------------

interface RealCouch {
  url: string;
  secret: string;
  pid(): number | null;
  /** What the server says of itself after a catch-up: query-server processes, and its last error log lines. */
  diagnose(): Promise<string>;
  stop(): Promise<void>;
}


/**
 * Starts the real CouchDB with `settings` ([section/key, value]) applied through its config API, e.g. from
 * CAJA_BENCH_SCALE_COUCHDB_CONFIG="query_server_config/os_process_limit=1000,couchdb/max_dbs_open=5000".
 */
async function startRealCouch(dir: string, settings: Array<[string, string]>): Promise<RealCouch> {
  const secret = randomBytes(24).toString('base64url');
  await mkdir(dir, { recursive: true });
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const { stdout } = await run('bash', [RUN_COUCHDB, 'start', dir, String(port), secret], { encoding: 'utf8', timeout: 90_000 });
      const url = stdout.trim();
      const pid = Number((await readFile(path.join(dir, 'var', 'run', 'couchdb.pid'), 'utf8').catch(() => '')).trim()) || null;
      let errorsSeen = 0;
      // A log line per request would measure the disk, not the server: warnings only, as busy operators run it.
      for (const [key, value] of [['log/level', 'warning'], ...settings]) {
        const res = await fetch(`${url}/_node/_local/_config/${key}`, { method: 'PUT', headers: { Authorization: ADMIN_BASIC }, body: JSON.stringify(value) });
        if (!res.ok) throw new Error(`CouchDB setting ${key}: ${res.status} ${await res.text()}`);
      }
      return {
        url,
        secret,
        pid: () => pid,
        async diagnose() {
          const system = (await fetch(`${url}/_node/_local/_system`, { headers: { Authorization: ADMIN_BASIC } }).then((r) => r.json()).catch(() => ({}))) as Record<string, unknown>;
          const logText = await readFile(path.join(dir, 'var', 'log', 'couchdb.log'), 'utf8').catch(() => '');
          const all = logText.split('\n').filter((l) => /^\[(error|critical|alert|emergency)\]/.test(l));
          const errors = all.slice(errorsSeen);
          errorsSeen = all.length;
          const last = errors.slice(-2).map((l) => l.slice(0, 300));
          return `os_proc_count ${String(system.os_proc_count)}, process_count ${String(system.process_count)}; ${errors.length} new error lines in its log${last.length ? ` (last: ${last.join(' | ')})` : ''}`;
        },
        async stop() {
          await run('bash', [RUN_COUCHDB, 'stop', dir], { timeout: 60_000 }).catch(() => undefined);
        },
      };
    } catch (err) {
      lastErr = err;
    }
  }
  throw new Error(`real CouchDB did not start: ${lastErr instanceof Error ? lastErr.message : String(lastErr)}`);
}

// ---------------------------------------------------------------------------------------------------------
// HQ in a child process: this file, forked; it answers memory and document-count questions over IPC.
// ---------------------------------------------------------------------------------------------------------

interface ChildOptions {
  dataDir: string;
  adminPassword: string;
  products: number;
  couch: { url: string; secret: string } | null;
}

type ToChild = { type: 'memory'; id: number } | { type: 'docs'; id: number; codes: string[] } | { type: 'stop' };
type FromChild =
  | { type: 'ready'; url: string }
  | { type: 'failed'; message: string }
  | { type: 'memory'; id: number; rss: number; heapUsed: number }
  | { type: 'docs'; id: number; count: number };

interface HqProcess {
  url: string;
  pid: number;
  /** Lines HQ logged at warn or error (its log level), and the last few of them. */
  logged(): { count: number; last: string[] };
  memory(): Promise<{ rss: number; heapUsed: number }>;
  /** Documents in the HQ databases of these stores. */
  docs(codes: string[]): Promise<number>;
  stop(): Promise<void>;
}

async function startHqProcess(opts: ChildOptions): Promise<HqProcess> {
  const child: ChildProcess = fork(SELF, [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, [CHILD_ENV]: JSON.stringify(opts) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const last: string[] = [];
  let count = 0;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      count += 1;
      last.push(line.slice(0, 300));
      if (last.length > 5) last.shift();
    }
  });
  let nextId = 0;
  const waiting = new Map<number, (m: FromChild) => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (m: FromChild) => {
      if (m.type === 'ready') resolve(m.url);
      else if (m.type === 'failed') reject(new Error(`HQ did not start: ${m.message}`));
      else waiting.get(m.id)?.(m);
    });
    child.once('exit', (code) => reject(new Error(`HQ exited with ${code} before it was ready: ${last.join(' | ')}`)));
  });
  const ask = <T extends FromChild>(m: ToChild & { id: number }) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`HQ did not answer ${m.type}`)), 60_000);
      waiting.set(m.id, (answer) => {
        clearTimeout(timer);
        waiting.delete(m.id);
        resolve(answer as T);
      });
      child.send(m);
    });
  return {
    url,
    pid: child.pid as number,
    logged: () => ({ count, last: [...last] }),
    memory: async () => {
      const m = await ask<Extract<FromChild, { type: 'memory' }>>({ type: 'memory', id: ++nextId });
      return { rss: m.rss, heapUsed: m.heapUsed };
    },
    docs: async (codes) => (await ask<Extract<FromChild, { type: 'docs' }>>({ type: 'docs', id: ++nextId, codes })).count,
    stop: () => stopChild(child, exited),
  };
}

/** The child's side: starts HQ with its catalog and answers the parent until told to stop. */
async function hqProcessMain(opts: ChildOptions): Promise<void> {
  const send = (m: FromChild) => process.send?.(m);
  exitWithParent();
  try {
    const cfg = loadConfig(
      {
        hqPort: 0,
        couchdbPort: 0,
        couchdbUrl: opts.couch?.url ?? null,
        couchJwtSecret: opts.couch?.secret ?? null,
        dataDir: opts.dataDir,
        jwtSecret: null,
        syncToken: null,
        hqAdminPassword: opts.adminPassword,
        logLevel: 'warn',
      },
      {},
    );
    const hq = await startHq(cfg, createLogger('hq', 'warn', (line) => process.stderr.write(line + '\n')));
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: generateCatalog({ products: opts.products }).docs });
    process.on('message', (m: ToChild) => {
      void (async () => {
        if (m.type === 'memory') {
          const u = process.memoryUsage();
          send({ type: 'memory', id: m.id, rss: u.rss, heapUsed: u.heapUsed });
        } else if (m.type === 'docs') {
          let count = 0;
          for (const code of m.codes) count += (await hq.couch.request<{ doc_count: number }>(`/${hqStoreDbName(code)}`)).doc_count;
          send({ type: 'docs', id: m.id, count });
        } else {
          await hq.close().catch(() => undefined);
          process.exit(0);
        }
      })().catch((err: unknown) => process.stderr.write(`bench child: ${err instanceof Error ? err.message : String(err)}\n`));
    });
    send({ type: 'ready', url: hq.url });
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------------------
// A simulated store: what its relay does towards HQ, with the relay's own code, over a memory database.
// ---------------------------------------------------------------------------------------------------------

/** Stands in for the relay CouchDB of the parts that take one and never use it here (see `openStore`). */
const NO_COUCH: CouchHandle = {
  url: 'http://127.0.0.1:9/unused',
  get nano(): never {
    throw new Error('the simulated relay has no CouchDB');
  },
  authHeader: () => '',
  request: () => Promise.reject(new Error('the simulated relay has no CouchDB')),
  close: () => Promise.resolve(),
};

interface Beat {
  /** When it was sent (Date.now()). */
  at: number;
  ms: number;
  ok: boolean;
}

class SimStore {
  readonly beats: Beat[] = [];
  /** Heartbeats not sent because the previous one had not been answered yet. */
  overdue = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  /** When the heartbeat on its way was sent (null: none is). */
  beating: number | null = null;

  constructor(
    readonly code: string,
    readonly local: PouchDB.Database,
    readonly jobs: ReplicationJob[],
    private readonly heartbeat: Heartbeat,
    /** The replication errors its jobs reported (a relay queues them for HQ; here they are counted). */
    readonly errors: SyncErrorEntry[],
  ) {}

  get upstream(): ReplicationJob {
    return this.jobs.find((j) => j.id === 'transactions-up') as ReplicationJob;
  }

  /** Heartbeats every `intervalS`, the first at a random point of the first interval (relays start apart). */
  startBeating(intervalS: number): void {
    const beat = async () => {
      if (this.beating !== null) {
        this.overdue += 1;
        return;
      }
      const at = Date.now();
      this.beating = at;
      const t = performance.now();
      await this.heartbeat.beat();
      this.beats.push({ at, ms: performance.now() - t, ok: this.heartbeat.lastError === null });
      this.beating = null;
    };
    this.timer = setTimeout(() => {
      void beat();
      this.timer = setInterval(() => void beat(), intervalS * 1000);
    }, Math.random() * intervalS * 1000);
  }

  /** `n` sales rung at this store today (valid for HQ's validator), spread over its tills. */
  async ring(n: number): Promise<void> {
    const today = businessDate(new Date(), TIME_ZONE);
    const docs: Sale[] = [];
    for (let i = 0; i < n; i++) {
      this.seq += 1;
      const terminal = `T${(this.seq % TERMINALS) + 1}`;
      const sale = saleFixture(Math.ceil(this.seq / TERMINALS), this.code, terminal);
      docs.push({ ...sale, businessDate: today, createdAt: new Date().toISOString() });
    }
    const res = (await this.local.bulkDocs(docs as unknown as PouchDB.Core.PutDocument<object>[])) as Array<{ error?: unknown; reason?: string }>;
    const bad = res.find((r) => r.error);
    if (bad) throw new Error(`sales at ${this.code} refused locally: ${String(bad.reason ?? bad.error)}`);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.timer) clearInterval(this.timer);
    await this.heartbeat.stop();
    await Promise.all(this.jobs.map((j) => j.stop()));
    await this.local.destroy().catch(() => undefined);
  }
}

type Api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<T>;

/**
 * Creates and provisions a store through HQ's API, presents the sync token as a relay does, and starts its
 * replication jobs and heartbeats. The heartbeat's open registers and last sale come from a StoreActivity that
 * is never started (the relay follows its CouchDB for them: 0 and none here), and its error outbox stays empty
 * (errors are counted by the bench instead), so neither touches a CouchDB.
 */
async function openStore(api: Api, code: string, dir: string, sizes: ScaleSizes, log: Logger): Promise<SimStore> {
  await api('POST', '/api/v1/stores', { code, name: `Scale ${code}`, address: 'Loopback 1', timeZone: TIME_ZONE });
  const { token } = await api<{ token: string }>('POST', `/api/v1/stores/${code}/provision`, {});
  const identity = await provisionWithToken(dir, token, log);
  const tokens = new StoreTokenSource(identity, log);
  const local = new PouchDB(`scale-${code}-${randomBytes(4).toString('hex')}`, { adapter: 'memory' });
  const errors: SyncErrorEntry[] = [];
  const jobs = createHqJobs({ identity, local, localLabel: `memory/${code}`, log, onError: (e) => errors.push(e) }, tokens);
  const heartbeat = new Heartbeat({
    identity,
    activity: new StoreActivity(NO_COUCH, RELAY_STORE_DB, log),
    outbox: new ErrorOutbox(NO_COUCH, RELAY_PRIVATE_DB, log),
    jobs: () => jobs,
    terminals: () => Array.from({ length: TERMINALS }, (_, t) => ({ terminalId: `T${t + 1}`, lastSeenAt: new Date().toISOString(), pendingUp: 0, dbSizeBytes: 1_000_000 })),
    tokens,
    intervalS: sizes.heartbeatS,
    log,
  });
  const store = new SimStore(code, local, jobs, heartbeat, errors);
  for (const job of jobs) job.start();
  store.startBeating(sizes.heartbeatS);
  return store;
}

async function inParallel<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

const storeCode = (i: number) => `L${String(i + 1).padStart(4, '0')}`;

// ---------------------------------------------------------------------------------------------------------
// One size: every store catches up at once.
// ---------------------------------------------------------------------------------------------------------

interface SizeResult {
  ingest: number;
  hbP50: number;
  hbP99: number;
  hqRss: number;
  hqHeap: number;
  hqSockets: number;
  couchRss: number | null;
  couchSockets: number | null;
  errors: number;
  broken: string | null;
}

async function catchUp(stores: SimStore[], hq: HqProcess, couch: RealCouch | null, sizes: ScaleSizes, log: Log): Promise<SizeResult> {
  const codes = stores.map((s) => s.code);
  const docsBefore = await hq.docs(codes);
  // The outage: upstream stopped, sales rung.
  await Promise.all(stores.map((s) => s.upstream.stop()));
  await inParallel(stores, 8, (s) => s.ring(sizes.salesPerStore));
  const expected = new Map(stores.map((s) => [s.code, s.upstream.snapshot().docsWritten + sizes.salesPerStore]));
  const errorsBefore = stores.reduce((n, s) => n + s.errors.length, 0);
  const overdueBefore = stores.reduce((n, s) => n + s.overdue, 0);
  const hqPeaks = sampler(hq.pid);
  const couchPeaks = couch ? sampler(couch.pid()) : null;
  const cpu0 = process.cpuUsage();
  const start = Date.now();
  const t0 = performance.now();
  // The WAN is back: every relay's upstream replication starts again.
  for (const s of stores) s.upstream.start();
  const landed = () => stores.reduce((n, s) => n + Math.min(s.upstream.snapshot().docsWritten, expected.get(s.code) ?? 0), 0);
  const target = [...expected.values()].reduce((a, b) => a + b, 0);
  let broken: string | null = null;
  try {
    await waitFor(() => landed() >= target, { timeoutMs: sizes.deadlineS * 1000, intervalMs: 50, what: 'every store caught up at HQ' });
  } catch {
    broken = `${target - landed()} of ${stores.length * sizes.salesPerStore} sales not landed after ${sizes.deadlineS} s`;
  }
  const elapsedMs = performance.now() - t0;
  const pushed = stores.length * sizes.salesPerStore - (target - landed());
  // Heartbeats over at least one interval of the catch-up, so every store has sent one.
  const windowEnd = Math.max(Date.now(), start + sizes.heartbeatS * 1000 + 250);
  while (Date.now() < windowEnd) await sleep(100);
  // ...each one answered (or given up on: the relay waits 15 s at most).
  await waitFor(() => stores.every((s) => s.beating === null || s.beating > windowEnd), { timeoutMs: 20_000, intervalMs: 50, what: 'the heartbeats on their way' }).catch(() => undefined);
  const cpu = process.cpuUsage(cpu0);
  const { rss, sockets, cpuPct } = await hqPeaks.stop();
  const couchPeak = couchPeaks ? await couchPeaks.stop() : null;
  const heap = await hq.memory();
  const beats = stores.flatMap((s) => s.beats.filter((b) => b.at >= start && b.at <= windowEnd));
  const ms = beats.map((b) => b.ms);
  const failedBeats = beats.filter((b) => !b.ok).length;
  const overdue = stores.reduce((n, s) => n + s.overdue, 0) - overdueBefore;
  const syncErrors = stores.reduce((n, s) => n + s.errors.length, 0) - errorsBefore;
  const missing = broken ? 0 : Math.max(0, docsBefore + stores.length * sizes.salesPerStore - (await hq.docs(codes)));
  const wallS = (Date.now() - start) / 1000;
  log(
    `${stores.length} stores: ${pushed} sales in ${round1(elapsedMs / 1000)} s; ${beats.length} heartbeats (${failedBeats} failed, ${overdue} overdue); ` +
      `${syncErrors} replication errors${missing ? `, ${missing} sales missing at HQ` : ''}; CPU (% of a core): HQ ${cpuPct}${couchPeak ? `, CouchDB ${couchPeak.cpuPct}` : ''}, simulated stores ${Math.round(((cpu.user + cpu.system) / 1e6 / wallS) * 100)}; ` +
      `HQ logged ${hq.logged().count} warnings/errors so far${hq.logged().count ? ` (last: ${hq.logged().last.at(-1)})` : ''}`,
  );
  const firstErrors = stores.flatMap((s) => s.errors.slice(0)).slice(-3);
  if (couch) log(`CouchDB: ${await couch.diagnose()}`);
  if (syncErrors) log(`last replication errors: ${firstErrors.map((e) => `${e.job} ${e.type} ${e.message.slice(0, 120)}`).join(' | ')}`);
  return {
    ingest: Math.round((pushed * 1000) / elapsedMs),
    hbP50: round1(percentile(ms, 50)),
    hbP99: round1(percentile(ms, 99)),
    hqRss: mb(Math.max(rss, heap.rss)),
    hqHeap: mb(heap.heapUsed),
    hqSockets: sockets,
    couchRss: couchPeak ? mb(couchPeak.rss) : null,
    couchSockets: couchPeak ? couchPeak.sockets : null,
    errors: syncErrors + failedBeats + missing + (broken ? 1 : 0),
    broken,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The suite.
// ---------------------------------------------------------------------------------------------------------

/** Prints a size's lines; the first size's figures are the later sizes' baselines. */
function emitSize(emit: (line: BenchLine) => void, server: ServerKind, n: number, r: SizeResult, base: SizeResult | null): void {
  const name = (m: string) => `scale_${server}_${n}_stores_${m}`;
  const b = (v: number | null | undefined) => (base && typeof v === 'number' && Number.isFinite(v) ? v : null);
  emit({ metric: name('ingest_docs_s'), value: r.ingest, unit: 'docs/s', baseline: b(base?.ingest), target: `>= ${2 * n}` });
  emit({ metric: name('heartbeat_p50_ms'), value: r.hbP50, unit: 'ms', baseline: b(base?.hbP50), target: '<= 250' });
  emit({ metric: name('heartbeat_p99_ms'), value: r.hbP99, unit: 'ms', baseline: b(base?.hbP99), target: '<= 1000' });
  emit({ metric: name('hq_rss_mb'), value: r.hqRss, unit: 'MB', baseline: b(base?.hqRss), target: '<= 1024' });
  emit({ metric: name('hq_heap_mb'), value: r.hqHeap, unit: 'MB', baseline: b(base?.hqHeap), target: '<= 512' });
  emit({ metric: name('hq_sockets'), value: r.hqSockets, unit: 'sockets', baseline: b(base?.hqSockets), target: `<= ${SOCKETS_FIXED + SOCKETS_PER_STORE * n}` });
  if (r.couchRss !== null) emit({ metric: name('couchdb_rss_mb'), value: r.couchRss, unit: 'MB', baseline: b(base?.couchRss), target: '<= 2048' });
  if (r.couchSockets !== null) emit({ metric: name('couchdb_sockets'), value: r.couchSockets, unit: 'sockets', baseline: b(base?.couchSockets), target: `<= ${SOCKETS_FIXED + SOCKETS_PER_STORE * n}` });
  emit({ metric: name('errors'), value: r.errors, unit: 'count', baseline: null, target: '0' });
}

/** The chain on one server, growing through the sizes. */
async function runOnServer(emit: (line: BenchLine) => void, server: ServerKind, sizes: ScaleSizes, log: Log): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), `caja-bench-scale-${server}-`));
  const adminPassword = randomBytes(12).toString('base64url');
  let couch: RealCouch | null = null;
  let hq: HqProcess | null = null;
  const stores: SimStore[] = [];
  let counted = 0;
  const storeLog = createLogger('relay', 'warn', () => {
    counted += 1;
  });
  try {
    if (server === 'couchdb') {
      const settings = (process.env.CAJA_BENCH_SCALE_COUCHDB_CONFIG ?? '')
        .split(',')
        .filter((kv) => kv.includes('='))
        .map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1).trim()] as [string, string]);
      couch = await startRealCouch(path.join(tmp, 'couch'), settings);
      log(`couchdb: ${couch.url}${settings.length ? ` with ${settings.map(([k, v]) => `${k}=${v}`).join(', ')}` : ' (its defaults)'}`);
    }
    hq = await startHqProcess({ dataDir: path.join(tmp, 'hq'), adminPassword, products: sizes.products, couch: couch ? { url: couch.url, secret: couch.secret } : null });
    const hqUrl = hq.url;
    const signIn = async () => (await http<{ accessToken: string }>('POST', `${hqUrl}/api/v1/auth/login`, { username: 'admin', password: adminPassword })).body.accessToken;
    let token = await signIn();
    const api: Api = async <T>(method: string, p: string, body?: unknown) => {
      let res = await http<T>(method, hqUrl + p, body, { Authorization: `Bearer ${token}` });
      if (res.status === 401) {
        token = await signIn();
        res = await http<T>(method, hqUrl + p, body, { Authorization: `Bearer ${token}` });
      }
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return res.body;
    };
    let base: SizeResult | null = null;
    for (const n of sizes.stores) {
      const t = performance.now();
      let result: SizeResult;
      try {
        const codes = Array.from({ length: n - stores.length }, (_, k) => storeCode(stores.length + k));
        await inParallel(codes, OPEN_PARALLEL, async (code) => {
          stores.push(await openStore(api, code, path.join(tmp, 'stores', code), sizes, storeLog));
        });
        // Steady state before the outage: every store has the catalog and its documents, nothing pending.
        await waitFor(() => stores.every((s) => s.jobs.every((j) => j.snapshot().state === 'idle')), {
          // Opening is not measured, and slower than a catch-up on a busy machine: 3 s a store at most.
          timeoutMs: Math.max(sizes.deadlineS, 3 * n) * 1000,
          intervalMs: 100,
          what: `${n} stores synced and idle`,
        });
        log(`${server}: ${n} stores open and idle in ${round1((performance.now() - t) / 1000)} s`);
        result = await catchUp(stores, hq, couch, sizes, (m) => log(`${server}: ${m}`));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log(`${server}: ${n} stores broke while opening: ${message}`);
        const errors = stores.reduce((k, s) => k + s.errors.length, 0);
        emit({ metric: `scale_${server}_${n}_stores_errors`, value: errors + 1, unit: 'count', baseline: null, target: '0' });
        break;
      }
      emitSize(emit, server, n, result, base);
      base ??= result;
      if (result.broken) {
        log(`${server}: broke at ${n} stores (${result.broken}); larger sizes not attempted`);
        break;
      }
    }
    if (counted) log(`${server}: the simulated relays logged ${counted} warnings`);
  } finally {
    await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
    await hq?.stop().catch(() => undefined);
    await couch?.stop().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The servers to measure: CAJA_BENCH_SCALE_SERVERS, else both (the real CouchDB when present). */
export function scaleServers(env: NodeJS.ProcessEnv = process.env, log: Log = () => undefined): ServerKind[] {
  const asked = (env.CAJA_BENCH_SCALE_SERVERS ?? 'embedded,couchdb').split(',').map((s) => s.trim());
  const servers = (['embedded', 'couchdb'] as const).filter((s) => asked.includes(s));
  if (servers.includes('couchdb') && !existsSync(RUN_COUCHDB)) {
    log(`no real CouchDB at ${RUN_COUCHDB}: measuring the embedded server only`);
    return servers.filter((s) => s !== 'couchdb');
  }
  return servers;
}

export async function runScaleBench(emit: (line: BenchLine) => void, sizes: ScaleSizes, servers: readonly ServerKind[], log: Log): Promise<void> {
  for (const server of servers) await runOnServer(emit, server, sizes, log);
}

const suite: Suite = (emit, opts) => {
  const log: Log = (m) => process.stderr.write(`bench scale: ${m}\n`);
  return runScaleBench(emit, opts.quick ? QUICK : FULL, scaleServers(process.env, log), log);
};
export default suite;

// Forked as HQ's process by startHqProcess.
const childOptions = process.env[CHILD_ENV];
if (childOptions && process.send) void hqProcessMain(JSON.parse(childOptions) as ChildOptions);
