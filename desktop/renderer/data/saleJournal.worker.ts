// The sale journal's writer (saleJournal.ts), in a worker of its own. IndexedDB answers a page's requests through
// its main thread, and right after a tap Chromium keeps them waiting until the next frame is drawn (measured: a
// get and put from a click handler 5.7 ms at p50 in a bare page, 2.3 ms from a script; 9-10 ms in the till, a
// frame being up to 16 ms away). A worker's requests do not wait for the page's frames.
//
// The journal is a file in the origin private file system (journalLog.ts has its format), written through a sync
// access handle and flushed (fdatasync) for each sale. A strict IndexedDB put is an fdatasync too, but of the
// origin's one database log: it waits behind whatever the replica writes (replication, the catalog snapshot).
// Measured in this Chromium, 300 puts from a worker, with and without a page writing IndexedDB beside it:
//   strict IndexedDB put   p50 1.4 / 3.1-3.5 ms, p99 4.1-5.0 / 23.8-29.2 ms
//   file write + flush     p50 0.6 / 0.6-0.7 ms, p99 2.7-2.9 / 3.9-4.3 ms
// Where the file cannot be had (no file system access, or another tab of the till holds it), the journal is an
// IndexedDB database as before (strict puts), and a start lists both.
import { openFileJournal, type SyncHandle } from './journalLog';

type Doc = { _id: string } & Record<string, unknown>;
export type JournalRequest =
  | { id: number; op: 'put'; db: string; doc: Doc }
  | { id: number; op: 'delete'; db: string; docId: string }
  | { id: number; op: 'list'; db: string };
export type JournalReply = { id: number; ok: true; at?: number; docs?: Doc[]; kind?: JournalKind } | { id: number; ok: false; error: string };
export type JournalKind = 'file' | 'indexeddb';

interface Store {
  kind: JournalKind;
  put(doc: Doc): Promise<void>;
  /** False when the sale is not in this store. */
  delete(docId: string): Promise<boolean>;
  list(): Promise<Doc[]>;
}

// ---------- the file ----------

type SyncFileHandle = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncHandle & { close(): void }> };

/** A reload's new worker may start before the old one has let the file go: it tries again this long. */
const LOCK_WAIT_MS = 2000;

async function openHandle(name: string): Promise<SyncHandle | null> {
  if (typeof navigator.storage?.getDirectory !== 'function') return null;
  const root = await navigator.storage.getDirectory();
  const file = (await root.getFileHandle(`${encodeURIComponent(name)}.log`, { create: true })) as SyncFileHandle;
  if (typeof file.createSyncAccessHandle !== 'function') return null;
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      return await file.createSyncAccessHandle();
    } catch (err) {
      // NoModificationAllowedError: someone holds it. Anything else, or still held at the deadline: no file.
      if (!(err instanceof DOMException && err.name === 'NoModificationAllowedError') || Date.now() > until) return null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function fileStore(name: string): Promise<Store | null> {
  const handle = await openHandle(name);
  if (!handle) return null;
  const journal = openFileJournal(handle);
  return {
    kind: 'file',
    put: async (doc) => journal.put(doc),
    delete: async (docId) => journal.remove(docId),
    list: async () => journal.list(),
  };
}

// ---------- IndexedDB ----------

const STORE = 'sales';

function openIdb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: '_id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error(`cannot open ${name}`));
  });
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

async function idbStore(name: string): Promise<Store> {
  const db = await openIdb(name);
  return {
    kind: 'indexeddb',
    async put(doc) {
      await run(db, 'strict', (s) => s.put(doc));
    },
    async delete(docId) {
      await run(db, 'relaxed', (s) => s.delete(docId));
      return true;
    },
    async list() {
      return run(db, 'relaxed', (s) => s.getAll() as IDBRequest<Doc[]>);
    },
  };
}

// ---------- requests ----------

/** Per journal: where sales are written (the file when it can be had), and the IndexedDB one for what it holds. */
const opened = new Map<string, Promise<{ main: Store; idb: Store }>>();

function open(name: string): Promise<{ main: Store; idb: Store }> {
  let stores = opened.get(name);
  if (!stores) {
    stores = (async () => {
      const idb = await idbStore(name);
      const file = await fileStore(name).catch(() => null);
      return { main: file ?? idb, idb };
    })();
    opened.set(name, stores);
    stores.catch(() => opened.delete(name));
  }
  return stores;
}

async function handle(req: JournalRequest): Promise<JournalReply> {
  const { main, idb } = await open(req.db);
  switch (req.op) {
    case 'put':
      await main.put(req.doc);
      // The moment it is on disk, in absolute time (the page converts it to its own clock).
      return { id: req.id, ok: true, at: performance.timeOrigin + performance.now() };
    case 'delete':
      if (!(await main.delete(req.docId)) && main !== idb) await idb.delete(req.docId);
      return { id: req.id, ok: true };
    case 'list': {
      // A journal written before the file (or by a tab that could not have it) is read too.
      const docs = main === idb ? await idb.list() : [...(await main.list()), ...(await idb.list())];
      return { id: req.id, ok: true, docs, kind: main.kind };
    }
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
