// The sale journal: a sale is on disk the moment Pay is pressed, before the replica has it. Each sale is written
// first, whole, to a small IndexedDB database of its own (`<replica>-journal`, saleJournalStore.ts) by a worker
// with strict durability (saleJournal.worker.ts says why a worker), then put into the replica as before (strict
// too), and then taken out of the journal. A power cut between the two leaves it in the journal, and the next start
// puts it into the replica before the till can sell (replayJournal): its id is the receipt number, so a sale
// already in the replica is never written twice, and the next receipt number is read after the replay.
//
// The start reads the journal from the page and the worker is started once the PIN screen is up (start()), so
// nothing of it is on the way of a cold start.
import type { JournalReply, JournalRequest } from './saleJournal.worker';
import { journalTx, openJournalDb, type JournalDoc } from './saleJournalStore';

/** A request as the caller writes it (each kind of request without the id and database the journal adds). */
type Unaddressed<R> = R extends unknown ? Omit<R, 'id' | 'db'> : never;

/** What a commit needs of the journal. */
export interface JournalWriter {
  /** Resolves when the document is on disk, with that moment on the page's clock (performance.now()). */
  put(doc: JournalDoc): Promise<number>;
  remove(docId: string): Promise<void>;
}

export interface SaleJournal extends JournalWriter {
  /** Starts the worker ahead of the first sale (it starts on first use otherwise). */
  start(): void;
  close(): void;
}

/** The journal's contents as the start reads them, from the page. */
export interface JournalReader {
  list(): Promise<JournalDoc[]>;
  remove(docId: string): Promise<void>;
}

/** The journal database `name` read from the page (at a start), or null without IndexedDB. */
export function journalOnPage(name: string): JournalReader | null {
  if (typeof indexedDB === 'undefined') return null;
  return {
    list: async () => journalTx(await openJournalDb(name), 'relaxed', (s) => s.getAll() as IDBRequest<JournalDoc[]>),
    remove: async (docId) => {
      await journalTx(await openJournalDb(name), 'relaxed', (s) => s.delete(docId));
    },
  };
}

/** The journal database `name` written by a worker, or null where there are no workers (the replica's put commits). */
export function openSaleJournal(name: string): SaleJournal | null {
  if (typeof Worker === 'undefined' || typeof indexedDB === 'undefined') return null;
  let worker: Worker | null = null;
  const waiting = new Map<number, { resolve: (r: JournalReply & { ok: true }) => void; reject: (e: Error) => void }>();
  let next = 1;
  const started = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./saleJournal.worker.ts', import.meta.url), { type: 'module', name: 'caja-sale-journal' });
    w.onmessage = (e: MessageEvent<JournalReply>) => {
      const pending = waiting.get(e.data.id);
      if (!pending) return;
      waiting.delete(e.data.id);
      if (e.data.ok) pending.resolve(e.data);
      else pending.reject(new Error(`sale journal: ${e.data.error}`));
    };
    w.onerror = (e) => {
      for (const pending of waiting.values()) pending.reject(new Error(`sale journal: ${e.message}`));
      waiting.clear();
    };
    worker = w;
    return w;
  };
  const ask = (req: Unaddressed<JournalRequest>) =>
    new Promise<JournalReply & { ok: true }>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      started().postMessage({ ...req, id, db: name });
    });
  return {
    async put(doc) {
      const r = await ask({ op: 'put', doc });
      return (r.at ?? performance.timeOrigin + performance.now()) - performance.timeOrigin;
    },
    async remove(docId) {
      await ask({ op: 'delete', docId });
    },
    start() {
      started();
    },
    close() {
      worker?.terminate();
      worker = null;
    },
  };
}

/**
 * Puts every sale left in the journal into the replica (unless it is there already) and empties the journal.
 * Runs when the terminal opens, before anyone can sell. Returns the sales it wrote.
 */
export async function replayJournal(db: PouchDB.Database, journal: JournalReader, put: (doc: JournalDoc) => Promise<unknown>): Promise<number> {
  let written = 0;
  for (const doc of await journal.list()) {
    const there = await db.get(doc._id).then(
      () => true,
      (err: { status?: number }) => {
        if (err.status === 404) return false;
        throw err;
      },
    );
    if (!there) {
      const { _rev: _ignored, ...fresh } = doc;
      await put(fresh);
      written += 1;
    }
    await journal.remove(doc._id);
  }
  return written;
}
