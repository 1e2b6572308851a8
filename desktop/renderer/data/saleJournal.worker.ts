// The sale journal's writer (saleJournal.ts), in a worker of its own. IndexedDB answers a page's requests through
// its main thread, and right after a tap Chromium keeps them waiting until the next frame is drawn (measured: a
// get and put from a click handler 5.7 ms at p50 in a bare page, 2.3 ms from a script; 9-10 ms in the till, a
// frame being up to 16 ms away). A worker's requests do not wait for the page's frames.

type Doc = { _id: string } & Record<string, unknown>;
export type JournalRequest =
  | { id: number; op: 'put'; db: string; doc: Doc }
  | { id: number; op: 'delete'; db: string; docId: string }
  | { id: number; op: 'list'; db: string };
export type JournalReply = { id: number; ok: true; at?: number; docs?: Doc[] } | { id: number; ok: false; error: string };

const STORE = 'sales';
const opened = new Map<string, Promise<IDBDatabase>>();

function open(name: string): Promise<IDBDatabase> {
  let db = opened.get(name);
  if (!db) {
    db = new Promise((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: '_id' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error(`cannot open ${name}`));
    });
    opened.set(name, db);
    db.catch(() => opened.delete(name));
  }
  return db;
}

/** One transaction on the store; resolves when it is complete (on disk, for 'strict'). */
function run<T>(db: IDBDatabase, durability: IDBTransactionDurability, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite', { durability });
    const req = act(tx.objectStore(STORE));
    // Nothing more goes into it: committing now saves the round trip of the request's success event.
    tx.commit();
    tx.oncomplete = () => resolve(req.result);
    tx.onabort = () => reject(tx.error ?? new Error('journal transaction aborted'));
  });
}

async function handle(req: JournalRequest): Promise<JournalReply> {
  const db = await open(req.db);
  switch (req.op) {
    case 'put':
      await run(db, 'strict', (s) => s.put(req.doc));
      // The moment it is on disk, in absolute time (the page converts it to its own clock).
      return { id: req.id, ok: true, at: performance.timeOrigin + performance.now() };
    case 'delete':
      await run(db, 'relaxed', (s) => s.delete(req.docId));
      return { id: req.id, ok: true };
    case 'list':
      return { id: req.id, ok: true, docs: await run(db, 'relaxed', (s) => s.getAll() as IDBRequest<Doc[]>) };
  }
}

// The worker's global scope, typed here without lib.webworker (which clashes with lib.dom in one program).
const scope = self as unknown as { onmessage: ((e: MessageEvent<JournalRequest>) => void) | null; postMessage(reply: JournalReply): void };
scope.onmessage = (e) => {
  handle(e.data).then(
    (reply) => scope.postMessage(reply),
    (err: unknown) => scope.postMessage({ id: e.data.id, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) } satisfies JournalReply),
  );
};
