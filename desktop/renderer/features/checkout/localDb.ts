// The part of a PouchDB database the checkout and register code needs. Structural, so the renderer passes its
// `indexeddb` PouchDB and Node tests a memory or LevelDB one (server-kit/replication/pouch.ts) without this folder
// importing PouchDB or any Node API.

/** A document as stored: id and revision plus whatever it holds. */
export interface StoredDoc {
  _id: string;
  _rev?: string;
}

export interface AllDocsRow {
  id: string;
  key: string;
  value: { rev: string; deleted?: boolean };
  doc?: unknown;
  error?: string;
}

export interface AllDocsRange {
  startkey?: string;
  endkey?: string;
  keys?: string[];
  descending?: boolean;
  limit?: number;
  skip?: number;
  include_docs?: boolean;
  inclusive_end?: boolean;
}

export interface ChangeRow {
  id: string;
  seq: number | string;
  deleted?: boolean;
  doc?: unknown;
}

/** A live `_changes` feed: what `db.changes({live: true})` returns. */
export interface LiveFeed {
  on(event: 'change', listener: (change: ChangeRow) => unknown): unknown;
  cancel(): void;
}

/** One page of `_changes` (ids and sequences only). */
export interface ChangesPage {
  results: ChangeRow[];
  last_seq: number | string;
}

export interface LocalDb {
  get(id: string): Promise<unknown>;
  put(doc: StoredDoc & Record<string, unknown>): Promise<{ ok: boolean; id: string; rev: string }>;
  allDocs(opts: AllDocsRange): Promise<{ rows: AllDocsRow[]; total_rows?: number }>;
  info(): Promise<{ update_seq: number | string }>;
  changes(opts: { live: true; since: number | string; include_docs: boolean }): LiveFeed;
  changes(opts: { since: number | string; limit: number; include_docs: false }): PromiseLike<ChangesPage>;
  /** The database's instance id (PouchDB `id()`): a database deleted and created again gets a new one. */
  id?(): Promise<string>;
}

/** The HTTP-like status PouchDB puts on its errors (404 missing, 409 conflict). */
export function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as { status?: number }).status : undefined;
}

/** The document, or null when it is missing or deleted. */
export async function getOrNull<T>(db: LocalDb, id: string): Promise<T | null> {
  try {
    return (await db.get(id)) as T;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

/** Every document whose id starts with `prefix` (ids carry their type and owner, so a prefix is a cheap range). */
export async function docsWithPrefix<T>(db: LocalDb, prefix: string): Promise<T[]> {
  const res = await db.allDocs({ startkey: prefix, endkey: prefix + '\ufff0', include_docs: true });
  return res.rows.flatMap((r) => (r.doc ? [r.doc as T] : []));
}

/** The documents with these ids that exist (missing and deleted ones are left out). */
export async function docsByIds<T>(db: LocalDb, ids: readonly string[]): Promise<T[]> {
  if (ids.length === 0) return [];
  const res = await db.allDocs({ keys: [...ids], include_docs: true });
  return res.rows.flatMap((r) => (r.doc && !r.value?.deleted ? [r.doc as T] : []));
}

/** The highest id in [prefix, prefix + '\ufff0'), or null (ids are zero-padded, so this is the highest number). */
export async function lastIdWithPrefix(db: LocalDb, prefix: string): Promise<string | null> {
  const res = await db.allDocs({ startkey: prefix + '\ufff0', endkey: prefix, descending: true, limit: 1 });
  return res.rows[0]?.id ?? null;
}
