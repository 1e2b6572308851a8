// The sale journal: a sale is on disk the moment Pay is pressed, before the replica has it. Each sale is written
// first, whole, by a worker to a file of its own in the origin private file system (`<replica>-journal.log`),
// flushed to disk (saleJournal.worker.ts says why a worker and why a file; where there is no such file it is an
// IndexedDB database of that name, with strict durability), then put into the replica as before (strict too), and
// then taken out of the journal. A power cut between the two leaves it in the journal, and the next start puts it
// into the replica before the till can sell (replayJournal): its id is the receipt number, so a sale already in the
// replica is never written twice, and the next receipt number is read after the replay.
import type { JournalKind, JournalReply, JournalRequest } from './saleJournal.worker';
import { getOrNull } from '../features/checkout/localDb';

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
  /** Where sales are written: known once the journal has been listed. */
  readonly kind: JournalKind | undefined;
  close(): void;
}

/** How long an answer may take before the journal is given up for this session (a strict put takes a few ms). */
export const JOURNAL_DEADLINE_MS = { put: 1000, other: 5000 } as const;

/** What the journal needs of a worker (the browser's `Worker`; tests give one that never answers). */
export type JournalWorker = Pick<Worker, 'postMessage' | 'terminate'> & {
  onmessage: ((e: MessageEvent<JournalReply>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  onmessageerror: ((e: MessageEvent) => void) | null;
};

/** The journal of a replica, or null where there are no workers (then the replica's strict put is the commit). */
export function openSaleJournal(replicaName: string, startWorker?: () => JournalWorker): SaleJournal | null {
  if (!startWorker && (typeof Worker === 'undefined' || typeof indexedDB === 'undefined')) return null;
  const worker: JournalWorker = startWorker
    ? startWorker()
    : new Worker(new URL('./saleJournal.worker.ts', import.meta.url), { type: 'module', name: 'caja-sale-journal' });
  const db = `${replicaName}-journal`;
  const waiting = new Map<number, { resolve: (r: JournalReply & { ok: true }) => void; reject: (e: Error) => void }>();
  let next = 1;
  let kind: JournalKind | undefined;
  // Once the worker fails (its script not loaded, an error it did not catch, an answer too late), every request is
  // refused at once: a commit then goes straight to the replica, and nothing waits on a worker that will not answer.
  let failed: Error | null = null;
  const fail = (err: Error) => {
    if (failed) return;
    failed = err;
    console.error('caja: the sale journal is off until the next start; sales go straight to the replica', err);
    worker.terminate();
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.onmessage = (e) => {
    const w = waiting.get(e.data.id);
    if (!w) return;
    waiting.delete(e.data.id);
    if (e.data.ok) w.resolve(e.data);
    else w.reject(new Error(`sale journal: ${e.data.error}`));
  };
  worker.onerror = (e) => fail(new Error(`sale journal: ${e.message || 'the worker failed'}`));
  worker.onmessageerror = () => fail(new Error('sale journal: an answer could not be read'));
  const ask = (req: Unaddressed<JournalRequest>) =>
    new Promise<JournalReply & { ok: true }>((resolve, reject) => {
      if (failed) return reject(failed);
      const id = next++;
      const ms = req.op === 'put' ? JOURNAL_DEADLINE_MS.put : JOURNAL_DEADLINE_MS.other;
      const timer = setTimeout(() => fail(new Error(`sale journal: no answer to ${req.op} within ${ms} ms`)), ms);
      waiting.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
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
      const r = await ask({ op: 'list' });
      kind = r.kind;
      return r.docs ?? [];
    },
    get kind() {
      return kind;
    },
    close() {
      worker.terminate();
    },
  };
}

/** What the start's replay did: sales found in the journal, written into the replica, and kept in the journal (see below). */
export interface Replayed {
  listed: number;
  written: number;
  kept: number;
}

/** The same sale: one commit writes one document to both, so when it was made, by whom and for how much agree. */
function sameSale(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return a.createdAt === b.createdAt && a.cashierId === b.cashierId && a.total === b.total;
}

/**
 * Puts every sale left in the journal into the replica (unless it is there already) and empties the journal.
 * Runs when the terminal opens, before anyone can sell. A journaled sale whose receipt number the replica holds
 * for another sale (a start whose replay failed let the till sell that number again) is never dropped: it stays in
 * the journal, and is reported as kept.
 */
export async function replayJournal(db: PouchDB.Database, journal: Pick<SaleJournal, 'list' | 'remove'>, put: (doc: Doc) => Promise<unknown>): Promise<Replayed> {
  const docs = await journal.list();
  const done: Replayed = { listed: docs.length, written: 0, kept: 0 };
  for (const doc of docs) {
    const there = await getOrNull<Record<string, unknown>>(db, doc._id);
    if (there && !sameSale(there, doc)) {
      done.kept += 1;
      continue;
    }
    if (!there) {
      const { _rev: _ignored, ...fresh } = doc;
      await put(fresh);
      done.written += 1;
    }
    await journal.remove(doc._id);
  }
  return done;
}
