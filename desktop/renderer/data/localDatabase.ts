// The terminal's databases in the renderer: its replica in IndexedDB and the relay's `caja-store` behind the
// relay's /couch gateway. Browser APIs only (the same code runs in Electron's sandboxed renderer).
import PouchDB from 'pouchdb-browser';
import IndexedDbAdapter from 'pouchdb-adapter-indexeddb';
import type { Pairing } from './terminalSync';
import { terminalReplicaDbName } from '../../../shared/model/names';
import { checkpointFetch, keepCheckpointsOf } from '../../../shared/sync/checkpointCache';

PouchDB.plugin(IndexedDbAdapter);

/**
 * The adapter is chosen once, for good: `indexeddb` was 2-20x faster than `idb` here, and PouchDB has no
 * migration between the two, so a terminal that started on one must stay on it.
 */
export const LOCAL_ADAPTER = 'indexeddb';

/** The local database name of a pairing: a re-paired terminal (new id) starts a fresh replica. */
export function localDbName(pairing: Pick<Pairing, 'storeCode' | 'terminalId'>): string {
  return terminalReplicaDbName(pairing.storeCode, pairing.terminalId);
}

/** Opens (creating if needed) the terminal's replica in IndexedDB. */
export function openLocalDb(pairing: Pick<Pairing, 'storeCode' | 'terminalId'>): PouchDB.Database {
  return new PouchDB(localDbName(pairing), { adapter: LOCAL_ADAPTER });
}

/** The relay's store database, every request carrying a current terminal token (refreshed before expiry). */
export function openRemoteDb(pairing: Pairing, token: () => Promise<string>): PouchDB.Database {
  // Checkpoints read back from memory between a replication's batches (shared/sync/checkpointCache.ts).
  const checkpoints = checkpointFetch(async (input: string | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('Authorization', `Bearer ${await token()}`);
    return PouchDB.fetch(input, { ...init, headers });
  });
  const db = new PouchDB(`${pairing.couchdbUrl}/${pairing.db}`, { skip_setup: true, fetch: checkpoints.fetch });
  keepCheckpointsOf(db, checkpoints.forget);
  return db;
}

let strictDepth = 0;
let patched = false;

/**
 * Runs `fn` with every read-write IndexedDB transaction it opens committed with `durability: 'strict'`: a sale
 * shown as paid must survive a power cut, and Chromium's default ('relaxed') acknowledges before the data is
 * flushed. PouchDB's adapter has no option for it, so `IDBDatabase.transaction` is wrapped; outside ledger
 * commits (replication writing the catalog) the faster default stays.
 */
export async function withStrictDurability<T>(fn: () => Promise<T>): Promise<T> {
  if (!patched && typeof IDBDatabase !== 'undefined') {
    patched = true;
    const original = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, names: string | string[], mode?: IDBTransactionMode, options?: IDBTransactionOptions) {
      const strict = mode === 'readwrite' && strictDepth > 0 && !options?.durability;
      return original.call(this, names, mode, strict ? { ...options, durability: 'strict' } : options);
    };
  }
  strictDepth += 1;
  try {
    return await fn();
  } finally {
    strictDepth -= 1;
  }
}
