// Replication checkpoints read back from memory. After every batch PouchDB's checkpointer GETs its `_local`
// checkpoint document and PUTs the next one (pouchdb-checkpointer updateCheckpoint), on both ends. Through a
// gateway the GET is a round trip to the relay or to HQ and back upstream, and it delays the next batch: a sale
// rung right after another waited for it. This fetch wrapper answers that GET with what the same handle last
// PUT there, and nothing else:
//  - only `_local/` documents, only after a PUT of this handle succeeded (the CouchDB answer gives the `_rev`);
//  - a PUT refused (409: someone else wrote it, e.g. a second tab of the till), any failed request, a DELETE, or
//    30 s without a write drops the copy, so the next GET goes to the server as before;
//  - `forgetCheckpoints(db)` drops everything: every replication start calls it (server-kit ReplicationJob,
//    the till's sync service), so the checkpoint comparison at a start always reads the server. That comparison
//    is what notices a target restored from a backup (its checkpoint gone) and replays from the start.
// Mid-replication PouchDB never compares again: a GET answered here or by the server leads to the same PUT.
//
// Runtime-neutral on purpose (no Node APIs): the till's remote database uses it too.

type FetchFn = (input: string | Request, init?: RequestInit) => Promise<Response>;

const TTL_MS = 30_000;
const forgetters = new WeakMap<object, () => void>();

/** Wraps `inner` (a PouchDB `fetch` option); `forget` drops every copy. */
export function checkpointFetch(inner: FetchFn): { fetch: FetchFn; forget(): void } {
  const copies = new Map<string, { body: string; at: number }>();
  const forget = () => copies.clear();
  const fetchFn: FetchFn = async (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    const method = (init?.method ?? (typeof input === 'string' ? 'GET' : input.method)).toUpperCase();
    const path = url.split('?')[0] ?? url;
    const local = path.includes('/_local/');
    if (local && method === 'GET') {
      const copy = copies.get(path);
      if (copy && Date.now() - copy.at < TTL_MS) return new Response(copy.body, { status: 200, headers: { 'Content-Type': 'application/json' } });
    }
    if (local && method !== 'GET') copies.delete(path);
    let res: Response;
    try {
      res = await inner(input, init);
    } catch (err) {
      forget();
      throw err;
    }
    if (!res.ok) {
      forget();
      return res;
    }
    if (local && method === 'PUT' && typeof init?.body === 'string') {
      try {
        const sent = JSON.parse(init.body) as Record<string, unknown>;
        const answer = (await res.clone().json()) as { rev?: unknown };
        if (typeof answer.rev === 'string') copies.set(path, { body: JSON.stringify({ ...sent, _rev: answer.rev }), at: Date.now() });
      } catch {
        // Not JSON either way: nothing kept, the next GET asks the server.
      }
    }
    return res;
  };
  return { fetch: fetchFn, forget };
}

/** Registers `forget` as the checkpoint copies of `db` (a PouchDB handle built with checkpointFetch). */
export function keepCheckpointsOf(db: object, forget: () => void): void {
  forgetters.set(db, forget);
}

/** Drops the checkpoint copies of `db`, if it keeps any: call before every replication start. */
export function forgetCheckpoints(db: object): void {
  forgetters.get(db)?.();
}

/**
 * A live replication's option (patches/pouchdb+9.0.0.patch and pouchdb-browser+9.0.0.patch, so Node and the
 * till alike): its checkpoint is written in the background, in order and after its batch, while the next batch
 * starts, instead of holding that batch for two checkpoint writes through the gateways. Opt-in, so plain PouchDB
 * replication (the benches' baseline) keeps PouchDB's own behaviour.
 */
export const BACKGROUND_CHECKPOINTS = { caja_background_checkpoints: true } as const;
