// Durable writes for the embedded server, as CouchDB does them: a write request is answered only once its
// write is on disk (fsync), and the fsyncs of concurrent requests are shared (group commit). Before this, a
// 201 meant the write was in the OS page cache: safe against kill -9, lost on a power cut.
//
// How (checked in PouchDB 9's leveldb adapter, sublevel-pouchdb, leveldown 6.1.1 and its LevelDB 1.20):
// - Every write the adapter makes (documents, `_local` documents, attachments, meta, compaction) goes through
//   sublevel-pouchdb's `nut.apply` -> levelup.batch -> deferred-leveldown -> leveldown `_batch`; `_put`, `_del`
//   and chained batches' `_write` are wrapped too. A wrapped write is the usual unsynced one (LevelDB appends
//   the record to its `NNNNNN.log` and flushes it to the kernel before calling back), then marks its database
//   dirty. Reads are untouched.
// - The front (front.ts) holds the end of every answer to a request that may write (mayWrite) until
//   `flush()` has fdatasync'ed the `.log` files of every dirty database: one round covers every write that
//   completed before it began, and requests arriving during a round share the next one.
// - Why not LevelDB's own `{ sync: true }` per write (the first version of this file): PouchDB's adapter runs
//   one write at a time per database (its write queue holds the next write, and every read queued behind it,
//   until the callback), so 16 concurrent single-document PUTs to one database paid 16 fsyncs in turn; measured
//   here 507 -> 117 docs/s. With the shared round they share fsyncs and reads never wait for one.
// - Why every `.log` file, by name: LevelDB closes a full log without a sync when it switches to a new one,
//   and that log stays until its memtable is in a (synced) table file; a log gone when we open it is already
//   in one. A new log's directory entry is synced too (the folder, when its set of logs changed), and a new
//   database's folder entry in dataDir on its first round.
// - View indexes ("<db>-mrview-<hash>") are not tracked: each LevelDB batch is atomic in the log, so after a
//   power cut an index holds a consistent prefix with its own checkpoint and catches up from the documents.
// - Until the round ends, a reader may already see the write (CouchDB publishes only committed writes): a
//   replication can copy it out during that window of milliseconds; the writer, unanswered, retries.
//
// `CAJA_COUCH_FSYNC=off` turns all of it off, for measuring its cost only: it is unsafe (a power cut may lose
// acknowledged writes). `durabilityStats` lets tests prove the path was taken.
import { open, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type http from 'node:http';
import path from 'node:path';

type Callback = (err?: Error | null) => void;
type Options = Record<string, unknown>;
interface ChainedBatch {
  _write(options: Options, callback: Callback): void;
}
/** The part of a leveldown instance used here: abstract-leveldown's private write methods, and a few public ones. */
export interface LevelDownInstance {
  open(callback: Callback): void;
  put(key: string, value: string, callback: Callback): void;
  close(callback: Callback): void;
  _put(key: unknown, value: unknown, options: Options, callback: Callback): void;
  _del(key: unknown, options: Options, callback: Callback): void;
  _batch(ops: unknown[], options: Options, callback: Callback): void;
  _chainedBatch(): ChainedBatch;
  _close(callback: Callback): void;
}
type LevelDownFactory = ((location: string) => LevelDownInstance) & {
  destroy(location: string, callback: Callback): void;
  repair(location: string, callback: Callback): void;
};

const require = createRequire(import.meta.url);
const leveldown = require('leveldown') as LevelDownFactory;

/** What the durable path has done in this process, for tests and the bench. */
export const durabilityStats = { writes: 0, rounds: 0, roundsDone: 0, logsSynced: 0, dirsSynced: 0, waits: 0 };

/** The measuring switch: off only when CAJA_COUCH_FSYNC is exactly `off` (unsafe, see above). */
export function fsyncFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CAJA_COUCH_FSYNC !== 'off';
}

const LOG_FILE = /^\d+\.log$/;
const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

async function syncFile(file: string, flags: 'r' | 'r+'): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, flags);
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
  try {
    await handle.datasync();
    return true;
  } finally {
    await handle.close();
  }
}

/** A folder's entries on disk; Windows cannot open a folder for syncing (NTFS journals its entries). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  if (await syncFile(dir, 'r')) durabilityStats.dirsSynced += 1;
}

/** One LevelDB folder: whether it has writes not yet synced, and the logs its last round saw. */
class Tracked {
  dirty = false;
  logs: string | null = null;
  constructor(readonly location: string) {}

  async sync(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.location)).filter((n) => LOG_FILE.test(n)).sort();
    } catch (err) {
      if (isMissing(err)) return; // destroyed
      throw err;
    }
    await Promise.all(names.map(async (n) => (await syncFile(path.join(this.location, n), 'r+')) && (durabilityStats.logsSynced += 1)));
    const seen = names.join(',');
    if (this.logs === null) await syncDir(path.dirname(this.location));
    if (seen !== this.logs) await syncDir(this.location);
    this.logs = seen;
  }
}

/**
 * One per server: the LevelDB folders it writes, and the shared fsync rounds. `flush()` resolves once every
 * write that completed before the call is on disk.
 */
export class GroupCommit {
  private readonly tracked = new Set<Tracked>();
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  /** The leveldown to hand PouchDB as its `db` option (see leveldownFor). */
  readonly leveldown: (location: string) => LevelDownInstance;

  constructor() {
    const track = (location: string) => this.track(location);
    // leveldown's own function name: PouchDB keys its cache of open LevelDB instances by it and reports it
    // as `backend_adapter`, so both stay what they were without the wrapper.
    function LevelDOWN(location: string): LevelDownInstance {
      const db = leveldown(location);
      return location.includes('-mrview-') ? db : track(location).wrap(db);
    }
    LevelDOWN.destroy = leveldown.destroy;
    LevelDOWN.repair = leveldown.repair;
    this.leveldown = LevelDOWN;
  }

  private track(location: string): { wrap(db: LevelDownInstance): LevelDownInstance } {
    const entry = new Tracked(location);
    const written = (callback: Callback): Callback => (err) => {
      if (!err) {
        entry.dirty = true;
        durabilityStats.writes += 1;
      }
      callback(err);
    };
    return {
      wrap: (db) => {
        const { _put: put, _del: del, _batch: batch, _chainedBatch: chainedBatch, _close: close } = db;
        db._put = (key, value, options, callback) => put.call(db, key, value, options, written(callback));
        db._del = (key, options, callback) => del.call(db, key, options, written(callback));
        db._batch = (ops, options, callback) => batch.call(db, ops, options, written(callback));
        db._chainedBatch = () => {
          const chain = chainedBatch.call(db);
          const write = chain._write;
          chain._write = (options, callback) => write.call(chain, options, written(callback));
          return chain;
        };
        // Closing: whatever is written gets synced first (LevelDB does not sync its log on close).
        db._close = (callback) => {
          const finish = () => {
            this.tracked.delete(entry);
            close.call(db, callback);
          };
          (entry.dirty ? entry.sync() : Promise.resolve()).then(finish, finish);
        };
        this.tracked.add(entry);
        return db;
      },
    };
  }

  /** Resolves once every write completed before this call is on disk; rejects if an fsync failed. */
  flush(): Promise<void> {
    if (this.queued) return this.queued;
    const dirty = [...this.tracked].some((t) => t.dirty);
    if (this.running) {
      durabilityStats.waits += 1;
      // Nothing dirty: every completed write was taken by the running round (or an earlier one).
      if (!dirty) return this.running;
      this.queued = this.running.then(
        () => undefined,
        () => undefined,
      ).then(() => {
        this.queued = null;
        return this.flush();
      });
      return this.queued;
    }
    if (!dirty) return Promise.resolve();
    const round = this.round();
    this.running = round;
    const done = () => {
      if (this.running === round) this.running = null;
    };
    round.then(done, done);
    return round;
  }

  private async round(): Promise<void> {
    durabilityStats.rounds += 1;
    const taken = [...this.tracked].filter((t) => t.dirty);
    for (const t of taken) t.dirty = false;
    const results = await Promise.allSettled(taken.map((t) => t.sync()));
    const failed = results.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) {
      // Not on disk: keep them dirty so the next round tries again, and withhold this round's answers.
      for (const [i, r] of results.entries()) if (r.status === 'rejected') (taken[i] as Tracked).dirty = true;
      throw (results[failed] as PromiseRejectedResult).reason;
    }
    durabilityStats.roundsDone += 1;
  }
}

/**
 * The leveldown for a server: the group-commit one, or leveldown itself when measuring without fsync. Always
 * pass one explicitly: PouchDB.plugin() on a class made by PouchDB.defaults() copies its defaults onto
 * PouchDB itself (express-pouchdb does so on start), so an omitted `db` would inherit another server's.
 */
export function leveldownFor(commit: GroupCommit | null): (location: string) => unknown {
  return commit ? commit.leveldown : leveldown;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** POST endpoints that only read (by their last path segment; a view query's is the view's name after `_view`). */
const READ_POSTS = new Set(['_revs_diff', '_bulk_get', '_all_docs', '_local_docs', '_design_docs', '_find', '_explain', '_changes', '_dbs_info', '_all_dbs']);

/** Whether a request may write: anything but GET/HEAD/OPTIONS and the POSTs that only read. */
export function mayWrite(method: string | undefined, url: string | undefined): boolean {
  if (READ_METHODS.has(method ?? 'GET')) return false;
  if (method !== 'POST') return true;
  const segs = (url ?? '/').split('?', 1)[0]?.split('/').filter(Boolean) ?? [];
  return !(READ_POSTS.has(segs.at(-1) ?? '') || segs.at(-2) === '_view');
}

/**
 * Holds the end of the answer to a request that may write until `commit.flush()` has put the writes on disk.
 * If the fsync fails the connection is dropped instead: the client never sees an acknowledgement (its status
 * line is already set and cannot become a 500).
 */
export function answerWhenDurable(commit: GroupCommit | null, req: http.IncomingMessage, res: http.ServerResponse, onError: (err: unknown) => void): void {
  if (!commit || !mayWrite(req.method, req.url)) return;
  const end = res.end.bind(res) as (...args: unknown[]) => unknown;
  (res as { end: (...args: unknown[]) => unknown }).end = (...args: unknown[]) => {
    commit.flush().then(
      () => end(...args),
      (err: unknown) => {
        onError(err);
        res.destroy();
      },
    );
    return res;
  };
}
