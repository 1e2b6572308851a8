// The sale journal: a sale is on disk the moment Pay is pressed, before the replica has it. Each sale is written
// first, whole, to a small IndexedDB database of its own (`<replica>-journal`) by a worker with strict durability
// (saleJournal.worker.ts says why a worker), then put into the replica as before (strict too), and then taken out
// of the journal. A power cut between the two leaves it in the journal, and the next start puts it into the
// replica before the till can sell (replayJournal): its id is the receipt number, so a sale already in the replica
// is never written twice, and the next receipt number is read after the replay.
import type { JournalReply, JournalRequest } from './saleJournal.worker';

type Doc = { _id: string } & Record<string, unknown>;
/** A request as the caller writes it (each kind of request without the id and database the journal adds). */
type Unaddressed<R> = R extends unknown ? Omit<R, 'id' | 'db'> : never;

/** What a commit needs of the journal. */
export interface JournalWriter {
  /** Resolves when the document is on disk, with that moment on the page's clock (performance.now()). */
  put(doc: Doc): Promise<number>;
  remove(docId: string): Promise<void>;
}

export interface SaleJournal extends JournalWriter {
  list(): Promise<Doc[]>;
  close(): void;
}

/** The journal of a replica, or null where there are no workers (then the replica's strict put is the commit). */
export function openSaleJournal(replicaName: string): SaleJournal | null {
  if (typeof Worker === 'undefined' || typeof indexedDB === 'undefined') return null;
  const worker = new Worker(new URL('./saleJournal.worker.ts', import.meta.url), { type: 'module', name: 'caja-sale-journal' });
  const db = `${replicaName}-journal`;
  const waiting = new Map<number, { resolve: (r: JournalReply & { ok: true }) => void; reject: (e: Error) => void }>();
  let next = 1;
  worker.onmessage = (e: MessageEvent<JournalReply>) => {
    const w = waiting.get(e.data.id);
    if (!w) return;
    waiting.delete(e.data.id);
    if (e.data.ok) w.resolve(e.data);
    else w.reject(new Error(`sale journal: ${e.data.error}`));
  };
  worker.onerror = (e) => {
    for (const w of waiting.values()) w.reject(new Error(`sale journal: ${e.message}`));
    waiting.clear();
  };
  const ask = (req: Unaddressed<JournalRequest>) =>
    new Promise<JournalReply & { ok: true }>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...req, id, db });
    });
  return {
    async put(doc) {
      const r = await ask({ op: 'put', doc });
      return (r.at ?? performance.timeOrigin + performance.now()) - performance.timeOrigin;
    },
    async remove(docId) {
      await ask({ op: 'delete', docId });
    },
    async list() {
      return (await ask({ op: 'list' })).docs ?? [];
    },
    close() {
      worker.terminate();
    },
  };
}

/**
 * Puts every sale left in the journal into the replica (unless it is there already) and empties the journal.
 * Runs when the terminal opens, before anyone can sell. Returns the sales it wrote.
 */
export async function replayJournal(db: PouchDB.Database, journal: Pick<SaleJournal, 'list' | 'remove'>, put: (doc: Doc) => Promise<unknown>): Promise<number> {
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
