// The integration matrix (issue #14): HQ and the relay each on the embedded server or on a genuine Apache
// CouchDB 3.5 from ../shared/couchdb, so the flows that matter run on the four combinations. Everything that
// differs between the two servers is a bug in one of them. Without ../shared/couchdb only the embedded
// combination runs. Real instances are pooled for the whole mocha run and reused across combinations and files
// (wiped between them: starting one costs ~3 s, deleting its databases a few milliseconds).
import type { CajaConfig } from '../../server-kit/config';
import { realCouchAvailable, startRealCouch, type RealCouch } from './realCouch';

type CouchKind = 'embedded' | 'couchdb';

export interface Combo {
  hq: CouchKind;
  relay: CouchKind;
  /** For test titles: `couch matrix [HQ couchdb, relay embedded]` (mocha -g 'couch matrix' runs only them). */
  title: string;
}

const KINDS: readonly CouchKind[] = ['embedded', 'couchdb'];

function combo(hq: CouchKind, relay: CouchKind): Combo {
  return { hq, relay, title: `couch matrix [HQ ${hq}, relay ${relay}]` };
}

/**
 * The combinations to run: all four when a real CouchDB is available, else the embedded one. The
 * environment variable CAJA_COUCH_MATRIX narrows them, e.g. `couchdb/couchdb,embedded/couchdb` (HQ/relay).
 */
function matrixCombos(env: NodeJS.ProcessEnv = process.env, available = realCouchAvailable): Combo[] {
  const all = KINDS.flatMap((hq) => KINDS.map((relay) => combo(hq, relay))).filter((c) => available || (c.hq === 'embedded' && c.relay === 'embedded'));
  const wanted = env.CAJA_COUCH_MATRIX?.split(',').map((s) => s.trim()).filter(Boolean);
  return wanted?.length ? all.filter((c) => wanted.includes(`${c.hq}/${c.relay}`)) : all;
}

const COMBOS: readonly Combo[] = matrixCombos();

/** What a process of the combination runs on: 'hq' on the combination's HQ server, anything else on its relay server. */
function kindOf(c: Combo, processName: string): CouchKind {
  return processName === 'hq' ? c.hq : c.relay;
}

export interface CouchPool {
  /**
   * The CouchDB of a process in combination `c` (startChain's `couchFor`): null for the embedded server, else
   * a real instance held by that process name until `release()` (a restarted process gets its data back).
   */
  couchFor(c: Combo, processName: string): Promise<{ url: string; secret: string } | null>;
  /** Config overrides putting a process of `c` on its server (empty for the embedded one). */
  config(c: Combo, processName: string): Promise<Partial<CajaConfig>>;
  /** The JWT secret of the real CouchDB a process holds, if it holds one. */
  secretOf(processName: string): string | undefined;
  /**
   * Starts at once, ahead of use, the instances the combinations need when HQ and `relays` relays run at a
   * time (their ~3 s start-ups overlap instead of adding up).
   */
  warm(relays: number, combos?: readonly Combo[]): Promise<void>;
  /** Hands back the instance `processName` holds (after that process closed), or every held one. */
  release(processName?: string): void;
  /** Stops every instance this pool started. */
  stop(): Promise<void>;
}

/** A pool of real CouchDB instances. */
function couchPool(): CouchPool {
  const started: RealCouch[] = [];
  const free: RealCouch[] = [];
  const held = new Map<string, RealCouch>();
  let dirty = new Set<RealCouch>();

  async function wipe(c: RealCouch): Promise<void> {
    const headers = { Authorization: c.adminAuth };
    const dbs = (await (await fetch(`${c.url}/_all_dbs`, { headers })).json()) as string[];
    for (const db of dbs.filter((d) => !d.startsWith('_'))) {
      const res = await fetch(`${c.url}/${encodeURIComponent(db)}`, { method: 'DELETE', headers });
      if (!res.ok && res.status !== 404) throw new Error(`could not delete ${db} on ${c.url}: ${res.status}`);
    }
  }

  async function acquire(processName: string): Promise<RealCouch> {
    const mine = held.get(processName);
    if (mine) return mine;
    const reused = free.shift();
    const c = reused ?? (await startRealCouch());
    if (!reused) started.push(c);
    if (dirty.has(c)) {
      await wipe(c);
      dirty.delete(c);
    }
    held.set(processName, c);
    return c;
  }

  const pool: CouchPool = {
    async couchFor(c, processName) {
      if (kindOf(c, processName) === 'embedded') return null;
      const real = await acquire(processName);
      return { url: real.url, secret: real.secret };
    },
    async config(c, processName) {
      const real = await pool.couchFor(c, processName);
      return real ? { couchdbUrl: real.url, couchJwtSecret: real.secret } : {};
    },
    secretOf: (processName) => held.get(processName)?.secret,
    async warm(relays, combos = COMBOS) {
      const n = Math.max(0, ...combos.map((c) => (c.hq === 'couchdb' ? 1 : 0) + (c.relay === 'couchdb' ? relays : 0)));
      const results = await Promise.allSettled(Array.from({ length: Math.max(0, n - started.length) }, () => startRealCouch()));
      for (const r of results) {
        if (r.status === 'fulfilled') {
          started.push(r.value);
          free.push(r.value);
        }
      }
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    release(processName) {
      for (const [name, c] of held) {
        if (processName !== undefined && name !== processName) continue;
        dirty.add(c);
        free.push(c);
        held.delete(name);
      }
    },
    async stop() {
      held.clear();
      free.length = 0;
      dirty = new Set();
      await Promise.all(started.splice(0).map((c) => c.stop()));
    },
  };
  return pool;
}

let shared: CouchPool | null = null;

/**
 * The pool every matrix file of this process shares, stopped by a root hook once the run is over. Each file
 * registers the hook: in one process (mocha's default) they all run after the last test of the run, the first
 * stops the pool and the others find it empty; in a parallel run each file is a run of its own in a worker,
 * so the pool is stopped after each file and the next one there starts its instances again.
 */
function sharedPool(): CouchPool {
  const pool = shared ?? couchPool();
  shared = pool;
  // Called while mocha loads a test file, so this is a root hook.
  after(() => pool.stop());
  return pool;
}

/**
 * Declares `title` with one nested suite per combination (COMBOS). Call it at the top level of a test file.
 * The real instances come from one pool shared by the run's matrix files: started at once before the first
 * combination that needs them (`relays` relays at a time), handed back after each combination (which prints
 * how long it took), stopped when the run ends. `suite` declares the tests of one combination, closing its
 * processes in its own `after` hooks.
 */
export function describeMatrix(title: string, opts: { relays: number }, suite: (this: Mocha.Suite, combo: Combo, pool: CouchPool) => void): void {
  const pool = sharedPool();
  describe(title, function () {
    before(async function () {
      this.timeout(120_000);
      await pool.warm(opts.relays);
    });
    for (const combo of COMBOS) {
      describe(combo.title, function () {
        let started = 0;
        before(() => {
          started = performance.now();
        });
        suite.call(this, combo, pool);
        // Registered after the suite's own hooks, so it runs once its processes are closed.
        after(() => {
          pool.release();
          console.log(`      ${combo.title}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
        });
      });
    }
  });
}
