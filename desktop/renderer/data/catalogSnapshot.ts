// Where the till keeps its catalog index between starts (features/checkout/localCatalog.ts IndexSnapshotStore):
// a small IndexedDB database of its own next to the replica, holding the followed documents as JSON text in
// chunks. Reading 100k products back as a few strings and parsing them takes a fraction of what reading them
// one by one from the replica does, and writing it never holds up a ledger write: it is another database, so
// its transactions never share an object store with the replica's.
//
// The stored snapshot is read by a worker (catalogSnapshot.worker.ts says why) from the moment the terminal
// opens, so the reading overlaps the app's own start; the page only parses the text.
//
// It is only a cache: the replica stays the truth. A snapshot that is missing, damaged, of another format or of
// another incarnation of the replica (LocalCatalog checks the instance id and the sequence) is not used, and the
// index reads the replica instead and writes a new one.
import type { IndexSnapshot, IndexSnapshotStore } from '../features/checkout/localCatalog';
import type { SnapshotReadReply, SnapshotReadRequest } from './catalogSnapshot.worker';

const FORMAT = 1;
const STORE = 'snapshot';
const HEADER_KEY = 'header';
/** Documents per chunk: each is stringified between two turns of the event loop, so the till stays responsive. */
const CHUNK_DOCS = 5000;

interface Header {
  format: number;
  dbId: string;
  seq: number | string;
  chunks: number;
  writtenAt: string;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function isHeader(v: unknown): v is Header {
  const h = v as Partial<Header> | undefined;
  return !!h && h.format === FORMAT && typeof h.dbId === 'string' && (typeof h.seq === 'number' || typeof h.seq === 'string') && typeof h.chunks === 'number';
}

/** How long the worker may take before the page reads the snapshot itself. */
const WORKER_DEADLINE_MS = 10_000;

/** The header and chunk texts, read by a worker; null where there are no workers or the worker failed. */
function readInWorker(db: string): Promise<{ header: unknown; texts: Array<string | null> } | null> {
  if (typeof Worker === 'undefined') return Promise.resolve(null);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./catalogSnapshot.worker.ts', import.meta.url), { type: 'module', name: 'caja-catalog-snapshot' });
    } catch {
      return resolve(null);
    }
    const done = (reply: { header: unknown; texts: Array<string | null> } | null, why?: string) => {
      clearTimeout(timer);
      worker.terminate();
      if (why) console.warn(`caja: the catalog snapshot is read by the page (${why})`);
      resolve(reply);
    };
    const timer = setTimeout(() => done(null, `no answer from its worker within ${WORKER_DEADLINE_MS} ms`), WORKER_DEADLINE_MS);
    worker.onmessage = (e: MessageEvent<SnapshotReadReply>) => (e.data.ok ? done(e.data) : done(null, e.data.error));
    worker.onerror = (e) => done(null, e.message || 'its worker failed');
    worker.onmessageerror = () => done(null, 'its answer could not be read');
    worker.postMessage({ db, store: STORE, headerKey: HEADER_KEY } satisfies SnapshotReadRequest);
  });
}

/**
 * The snapshot store of the replica named `replicaName` (its own IndexedDB database, `<name>.catalog-index`).
 * With `readNow`, the stored snapshot starts being read at once, and the first `read()` answers with it.
 */
export function catalogSnapshotStore(replicaName: string, opts: { readNow?: boolean } = {}): IndexSnapshotStore {
  let opening: Promise<IDBDatabase> | null = null;
  const open = () =>
    (opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(`${replicaName}.catalog-index`, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    }));
  const readHere = async (): Promise<{ header: unknown; texts: Array<string | null> }> => {
    const db = await open();
    const store = db.transaction(STORE, 'readonly').objectStore(STORE);
    const [header, chunks] = await Promise.all([request(store.get(HEADER_KEY)), request(store.getAll(IDBKeyRange.bound(0, Number.MAX_SAFE_INTEGER)))]);
    return { header, texts: chunks.map((c) => (typeof c === 'string' ? c : null)) };
  };
  const readStored = async (): Promise<IndexSnapshot | null> => {
    const { header, texts } = (await readInWorker(`${replicaName}.catalog-index`)) ?? (await readHere());
    if (!isHeader(header) || texts.length !== header.chunks) return null;
    const docs: unknown[] = [];
    for (const text of texts) {
      if (text === null) return null;
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) return null;
      for (const d of parsed) docs.push(d);
    }
    return { dbId: header.dbId, seq: header.seq, docs };
  };
  let early: Promise<IndexSnapshot | null> | null = opts.readNow ? readStored() : null;
  // Not waited for until the index asks: a failure here is the index's to handle (it reads the replica instead).
  early?.catch(() => undefined);
  return {
    read(): Promise<IndexSnapshot | null> {
      const stored = early ?? readStored();
      early = null;
      return stored;
    },
    async write(snapshot: IndexSnapshot): Promise<void> {
      const t0 = performance.now();
      const chunks: string[] = [];
      for (let i = 0; i < snapshot.docs.length; i += CHUNK_DOCS) {
        if (i > 0) await nextTurn();
        chunks.push(JSON.stringify(snapshot.docs.slice(i, i + CHUNK_DOCS)));
      }
      const db = await open();
      // One transaction: the header and the chunks it counts are replaced together or not at all.
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      store.clear();
      chunks.forEach((c, i) => store.put(c, i));
      const header: Header = { format: FORMAT, dbId: snapshot.dbId, seq: snapshot.seq, chunks: chunks.length, writtenAt: new Date().toISOString() };
      store.put(header, HEADER_KEY);
      await done(tx);
      console.info(`caja: catalog snapshot of ${snapshot.docs.length} documents written in ${Math.round(performance.now() - t0)} ms`);
    },
  };
}
