// PouchDB for Node processes (relay, tests, benchmarks): LevelDB, memory and HTTP adapters, plus
// pouchdb-find. Remote databases authenticate with a bearer token fetched per request, so a token
// refreshed by its source is used by the very next request of a live replication.
import PouchDB from 'pouchdb';
import PouchFind from 'pouchdb-find';
import PouchMemory from 'pouchdb-adapter-memory';
import { checkpointFetch, keepCheckpointsOf } from '../../shared/sync/checkpointCache';

PouchDB.plugin(PouchFind);
PouchDB.plugin(PouchMemory);

export { PouchDB };

export type TokenSource = () => Promise<string> | string;

/** A PouchDB handle on a remote CouchDB database, authenticating with `token()` on every request. */
export function remoteDb(url: string, token: TokenSource, opts: { timeoutMs?: number } = {}): PouchDB.Database {
  return authorizedDb(url, async () => `Bearer ${await token()}`, opts);
}

/** A remote database whose requests carry `authorization()` as is (a process's own CouchDB: Bearer or Basic). */
export function authorizedDb(url: string, authorization: () => string | Promise<string>, opts: { timeoutMs?: number } = {}): PouchDB.Database {
  // Checkpoints read back from memory between a replication's batches (shared/sync/checkpointCache.ts).
  const checkpoints = checkpointFetch(async (input: string | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('Authorization', await authorization());
    const signal = opts.timeoutMs && !init?.signal ? AbortSignal.timeout(opts.timeoutMs) : init?.signal;
    return PouchDB.fetch(input, { ...init, headers, ...(signal ? { signal } : {}) });
  });
  const db = new PouchDB(url, { skip_setup: true, fetch: checkpoints.fetch });
  keepCheckpointsOf(db, checkpoints.forget);
  return db;
}
