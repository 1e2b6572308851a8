// The sale journal's IndexedDB database (saleJournal.ts): one object store of whole sales by id. Used by the
// worker that writes it and by the page, which reads it at a start (before the worker is needed).

export type JournalDoc = { _id: string } & Record<string, unknown>;

const STORE = 'sales';
const opened = new Map<string, Promise<IDBDatabase>>();

/** The journal of a replica is a database of its own. */
export function journalDbName(replicaName: string): string {
  return `${replicaName}-journal`;
}

export function openJournalDb(name: string): Promise<IDBDatabase> {
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

/** One transaction on the journal; resolves with the request's result when it is complete (on disk, for 'strict'). */
export function journalTx<T>(db: IDBDatabase, durability: IDBTransactionDurability, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite', { durability });
    const req = act(tx.objectStore(STORE));
    // Nothing more goes into it: committing now saves the round trip of the request's success event.
    tx.commit();
    tx.oncomplete = () => resolve(req.result);
    tx.onabort = () => reject(tx.error ?? new Error('journal transaction aborted'));
  });
}
