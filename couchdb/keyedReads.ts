// `allDocs({ keys })` by point reads. PouchDB's LevelDB adapter answers a `keys` query with an iterator (and a
// document count) per key, 3.5x slower than a `get` here (20k keys; scripts/bench/sync.ts). Document fetches
// by id go through it: `_all_docs` with keys (the replication gateway's existence check, every changes
// follower's fetch) and a view query's `include_docs` (the roll-ups read each day's ledger that way). The
// embedded server's databases answer those plain queries here, with the rows PouchDB's own would give (checked
// side by side in compat.test.ts); anything else goes to PouchDB. Missing and deleted ids (and every id when no
// document is asked for) come from one range read over the keys when they are close together (rangeStates): the
// gateway's existence check of a batch of new sales then reads no document at all. View indexes (opened by
// PouchDB itself) keep PouchDB's own.
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

/** Ids whose UTF-8 byte order (LevelDB's, PouchDB's `_all_docs` range) is their JavaScript string order. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** What one `_all_docs` range row says of an id: its row as PouchDB's keys query gives it, or that it is missing. */
export type RangeEntry = { row: { id: string; key: string; value: { rev: string; deleted?: true }; doc?: null } } | { row: null };

/**
 * The state of `ids` by one `_all_docs` range read over them, tombstones included (PouchDB's `deleted: 'ok'`):
 * a batch of new documents in id order (a snapshot page, a terminal's sales) is then answered without a point read
 * per id. Only the ids the read covered are in the map (it stops after 16 live rows more than there are ids); null when
 * the ids are too few, or not all printable ASCII (byte order must be string order).
 */
export async function rangeStates(db: Db, ids: string[]): Promise<Map<string, RangeEntry> | null> {
  if (ids.length < 2 || !ids.every((id) => PRINTABLE_ASCII.test(id))) return null;
  const sorted = [...ids].sort();
  const first = sorted[0] as string;
  const last = sorted[sorted.length - 1] as string;
  // Live rows beyond the ids' own are waste: a batch spread over many stored documents stops early.
  const limit = ids.length + 16;
  const range = await db.allDocs({ startkey: first, endkey: last, limit, deleted: 'ok' } as PouchDB.Core.AllDocsWithinRangeOptions);
  const rows = range.rows as unknown as Array<NonNullable<Extract<RangeEntry, { row: object }>['row']>>;
  const live = rows.filter((r) => !r.value.deleted);
  // Everything up to `coveredTo` was listed: the whole range unless the read stopped at its limit.
  const coveredTo = live.length >= limit ? (live[live.length - 1] as { id: string }).id : last;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<string, RangeEntry>();
  for (const id of ids) if (id <= coveredTo) out.set(id, { row: byId.get(id) ?? null });
  return out;
}

/**
 * The rows PouchDB's `allDocs({ keys })` gives: missing and deleted ids (and, without documents, every id) from one
 * range read when it applies (rangeStates), the rest by one point read per key, in parallel.
 */
export async function allDocsByKeys(db: Db, keys: string[], includeDocs: boolean, fallback: (opts: object) => Promise<{ rows: unknown[] }>): Promise<KeyedAnswer> {
  const ranged = await rangeStates(db, [...new Set(keys)]);
  const rows = await Promise.all(
    keys.map(async (key): Promise<KeyedRow> => {
      const known = ranged?.get(key);
      if (known && !known.row) return { key, error: 'not_found' };
      if (known?.row && (!includeDocs || known.row.value.deleted)) return { ...known.row };
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

type RevsDiffAnswer = Record<string, unknown>;
type RevsDiff = (req: unknown, opts?: unknown) => Promise<RevsDiffAnswer>;
type Callback = (err: unknown, res?: RevsDiffAnswer) => void;
const rangedDiff = new WeakSet<Db>();

/**
 * Answers `db`'s `revsDiff` for the ids a range read finds missing at once (every revision asked about is missing,
 * PouchDB's own answer for them), the rest by PouchDB's (a revision tree read per id): a replication's batch of new
 * sales asks about no stored tree. Promise and callback forms, as PouchDB's (express-pouchdb passes a callback).
 */
export function installRangedRevsDiff(db: Db): void {
  if (rangedDiff.has(db)) return;
  rangedDiff.add(db);
  const original = (db.revsDiff as unknown as RevsDiff).bind(db);
  const answer = async (req: unknown, opts: unknown): Promise<RevsDiffAnswer> => {
    const ranged = isPlainObject(req) ? await rangeStates(db, Object.keys(req)) : null;
    if (!ranged || !isPlainObject(req)) return original(req, opts);
    const out: RevsDiffAnswer = {};
    const rest: Record<string, unknown> = {};
    for (const [id, revs] of Object.entries(req)) {
      const known = ranged.get(id);
      if (known && !known.row && Array.isArray(revs)) out[id] = { missing: revs };
      else rest[id] = revs;
    }
    return Object.keys(rest).length ? { ...out, ...(await original(rest, opts)) } : out;
  };
  (db as { revsDiff: unknown }).revsDiff = (req: unknown, opts?: unknown, callback?: Callback) => {
    const cb = typeof opts === 'function' ? (opts as Callback) : callback;
    const promise = answer(req, typeof opts === 'function' ? {} : opts);
    // With a callback the error goes to it, never also to an unhandled rejection.
    return cb ? promise.then((res) => cb(null, res), (err: unknown) => cb(err)) : promise;
  };
}

