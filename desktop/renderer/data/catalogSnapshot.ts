// Where the till keeps its catalog index between starts (features/checkout/localCatalog.ts IndexSnapshotStore):
// a small IndexedDB database of its own next to the replica, holding the followed documents as JSON text in
// chunks. Reading 100k products back as a few strings and parsing them takes a fraction of what reading them
// one by one from the replica does, and writing it never holds up a ledger write: it is another database, so
// its transactions never share an object store with the replica's.
//
// It is only a cache: the replica stays the truth. A snapshot that is missing, damaged, of another format or of
// another incarnation of the replica (LocalCatalog checks the instance id and the sequence) is not used, and the
// index reads the replica instead and writes a new one.
import type { IndexSnapshot, IndexSnapshotStore } from '../features/checkout/localCatalog';

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

/** The snapshot store of the replica named `replicaName` (its own IndexedDB database, `<name>.catalog-index`). */
export function catalogSnapshotStore(replicaName: string): IndexSnapshotStore {
  let opening: Promise<IDBDatabase> | null = null;
  const open = () =>
    (opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(`${replicaName}.catalog-index`, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    }));
  return {
    async read(): Promise<IndexSnapshot | null> {
      const db = await open();
      const tx = db.transaction(STORE, 'readonly');
      const store = tx.objectStore(STORE);
      const [header, chunks] = await Promise.all([request(store.get(HEADER_KEY)), request(store.getAll(IDBKeyRange.bound(0, Number.MAX_SAFE_INTEGER)))]);
      if (!isHeader(header) || chunks.length !== header.chunks) return null;
      const docs: unknown[] = [];
      for (const chunk of chunks) {
        if (typeof chunk !== 'string') return null;
        const parsed: unknown = JSON.parse(chunk);
        if (!Array.isArray(parsed)) return null;
        for (const d of parsed) docs.push(d);
      }
      return { dbId: header.dbId, seq: header.seq, docs };
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
