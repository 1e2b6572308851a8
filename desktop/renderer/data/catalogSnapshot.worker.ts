// Reads the catalog index's snapshot (catalogSnapshot.ts) off the till's main thread. A value read back from
// IndexedDB is deserialized on the thread that reads the request's result: 270-450 ms of main thread for 100k
// products (44 MB of JSON text, headless Chromium) when the page reads it, against 140-200 ms for the copy of the
// same strings posted by a worker. The page parses the text.

export type SnapshotReadRequest = { db: string; store: string; headerKey: string };
export type SnapshotReadReply = { ok: true; header: unknown; texts: Array<string | null> } | { ok: false; error: string };

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

async function read({ db: name, store: storeName, headerKey }: SnapshotReadRequest): Promise<SnapshotReadReply> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(storeName);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error(`cannot open ${name}`));
  });
  try {
    const store = db.transaction(storeName, 'readonly').objectStore(storeName);
    const [header, chunks] = await Promise.all([request(store.get(headerKey)), request(store.getAll(IDBKeyRange.bound(0, Number.MAX_SAFE_INTEGER)))]);
    // Chunks are strings; Blobs were written by one earlier version, and are read as text here too.
    const texts = await Promise.all(chunks.map((c: unknown): Promise<string | null> => Promise.resolve(typeof c === 'string' ? c : c instanceof Blob ? c.text() : null)));
    return { ok: true, header, texts };
  } finally {
    db.close();
  }
}

// The worker's global scope, typed here without lib.webworker (which clashes with lib.dom in one program).
const scope = self as unknown as { onmessage: ((e: MessageEvent<SnapshotReadRequest>) => void) | null; postMessage(reply: SnapshotReadReply): void };
scope.onmessage = (e) => {
  read(e.data).then(
    (reply) => scope.postMessage(reply),
    (err: unknown) => scope.postMessage({ ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }),
  );
};
