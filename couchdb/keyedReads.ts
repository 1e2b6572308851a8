// `allDocs({ keys })` by point reads. PouchDB's LevelDB adapter answers a `keys` query with an iterator (and a
// document count) per key, 3.5x slower than a `get` here (20k keys; scripts/bench/sync.ts). Document fetches
// by id go through it: `_all_docs` with keys (the replication gateway's existence check, every changes
// follower's fetch) and a view query's `include_docs` (the roll-ups read each day's ledger that way). The
// embedded server's databases answer those plain queries here, with the rows PouchDB's own would give (checked
// side by side in compat.test.ts); anything else goes to PouchDB. View indexes (opened by PouchDB itself) keep
// PouchDB's own.
import { isPlainObject } from './http';

type Db = PouchDB.Database;

export type KeyedRow = { id: string; key: string; value: { rev: string; deleted?: true }; doc?: unknown } | { key: string; error: 'not_found' };
export interface KeyedAnswer {
  total_rows: number;
  offset: 0;
  rows: KeyedRow[];
}

/** Options a plain keys query may carry; the last three only when false or absent (PouchDB's view code passes them). */
const PLAIN_OPTIONS = new Set(['keys', 'include_docs', 'conflicts', 'attachments', 'binary']);

/** The keys of a plain `{ keys, include_docs }` query of document ids, else null (PouchDB answers it). */
export function plainKeys(opts: unknown): { keys: string[]; includeDocs: boolean } | null {
  if (!isPlainObject(opts) || !Array.isArray(opts.keys)) return null;
  const keys = opts.keys as unknown[];
  // Document ids only: `get` refuses other `_` ids (400) where PouchDB's keys query lists them as not found.
  if (!keys.every((k): k is string => typeof k === 'string' && k !== '' && (!k.startsWith('_') || k.startsWith('_design/')))) return null;
  if (Object.keys(opts).some((k) => !PLAIN_OPTIONS.has(k)) || opts.conflicts || opts.attachments || opts.binary) return null;
  if (opts.include_docs !== undefined && typeof opts.include_docs !== 'boolean') return null;
  return { keys, includeDocs: opts.include_docs === true };
}

/** The rows PouchDB's `allDocs({ keys })` gives, by one point read per key, in parallel. */
export async function allDocsByKeys(db: Db, keys: string[], includeDocs: boolean, fallback: (opts: object) => Promise<{ rows: unknown[] }>): Promise<KeyedAnswer> {
  const rows = await Promise.all(
    keys.map(async (key): Promise<KeyedRow> => {
      try {
        const doc = await db.get(key);
        return includeDocs ? { id: key, key, value: { rev: doc._rev }, doc } : { id: key, key, value: { rev: doc._rev } };
      } catch (err) {
        const e = err as { status?: number; reason?: string; message?: string };
        if (e?.status !== 404) throw err;
        if (e.reason !== 'deleted' && e.message !== 'deleted') return { key, error: 'not_found' };
        // A deleted document is listed with its deleting revision: rare, so PouchDB's own answer.
        const row = (await fallback({ keys: [key], include_docs: includeDocs })).rows[0];
        return (row as KeyedRow | undefined) ?? { key, error: 'not_found' };
      }
    }),
  );
  return { total_rows: (await db.info()).doc_count, offset: 0, rows };
}

type AllDocs = (...args: unknown[]) => Promise<unknown>;
const installed = new WeakSet<Db>();

/**
 * Answers `db`'s plain keys queries by point reads, the rest by its own `allDocs` (PouchDB sets `allDocs` on
 * each instance, so it is replaced per database; idempotent).
 */
export function installKeyedAllDocs(db: Db): void {
  if (installed.has(db)) return;
  installed.add(db);
  const original = (db.allDocs as AllDocs).bind(db);
  const keyed: AllDocs = (...args) => {
    const plain = args.length === 1 ? plainKeys(args[0]) : null;
    if (!plain) return original(...args);
    return allDocsByKeys(db, plain.keys, plain.includeDocs, (opts) => original(opts) as Promise<{ rows: unknown[] }>);
  };
  (db as { allDocs: unknown }).allDocs = keyed;
}
