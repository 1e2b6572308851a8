// Document access helpers over nano that every service uses: read-or-null, create, and
// read-modify-write with retry on 409 (another HQ instance may write the same doc concurrently).
import type { CouchHandle } from './couch';

export interface StoredDoc {
  _id: string;
  _rev?: string;
}

function status(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as { statusCode?: number }).statusCode : undefined;
}

/** The document, or null when it does not exist (or was deleted). */
export async function getDoc<T extends StoredDoc>(couch: CouchHandle, db: string, id: string): Promise<T | null> {
  try {
    return await couch.nano.use<T>(db).get(id);
  } catch (err) {
    if (status(err) === 404) return null;
    throw err;
  }
}

/** Writes a document; returns it with its new `_rev`. A 409 propagates (the caller decides). */
export async function putDoc<T extends StoredDoc>(couch: CouchHandle, db: string, doc: T): Promise<T> {
  const res = await couch.nano.use<T>(db).insert(doc);
  return { ...doc, _rev: res.rev };
}

/** Read-modify-write with retry on conflict; `change` returns the new doc, or null to leave it unchanged. */
export async function updateDoc<T extends StoredDoc>(
  couch: CouchHandle,
  db: string,
  id: string,
  change: (current: T | null) => T | null | Promise<T | null>,
  attempts = 5,
): Promise<T | null> {
  for (let i = 0; ; i++) {
    const current = await getDoc<T>(couch, db, id);
    const next = await change(current);
    if (next === null) return current;
    try {
      return await putDoc(couch, db, { ...next, _id: id, ...(current?._rev ? { _rev: current._rev } : {}) });
    } catch (err) {
      if (status(err) !== 409 || i >= attempts - 1) throw err;
    }
  }
}

/**
 * updateDoc for hot shared state (rate-limit and lockout counters) that every concurrent attempt rewrites:
 * a 409 is retried up to `attempts` times with a short random pause, so writers colliding on the document take
 * turns instead of retrying in lockstep. It either saves the change or throws: a counted failure is never
 * dropped in silence.
 */
export async function updateHotDoc<T extends StoredDoc>(
  couch: CouchHandle,
  db: string,
  id: string,
  change: (current: T | null) => T | null | Promise<T | null>,
  attempts = 20,
): Promise<T | null> {
  for (let i = 0; ; i++) {
    try {
      return await updateDoc(couch, db, id, change, 1);
    } catch (err) {
      if (status(err) !== 409 || i >= attempts - 1) throw err;
      // Up to 2, 4, 8 ... 50 ms: enough to spread out a burst, short enough to stay invisible to a login.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** (i + 1))));
    }
  }
}

/** Documents of one `type` in a database whose ids start with `prefix` (ids carry their type). */
export async function listByPrefix<T extends StoredDoc>(couch: CouchHandle, db: string, prefix: string): Promise<T[]> {
  const res = await couch.nano.use<T>(db).list({ startkey: prefix, endkey: prefix + '\ufff0', include_docs: true });
  return res.rows.flatMap((row) => (row.doc ? [row.doc as T] : []));
}
