// The sale journal's writer (saleJournal.ts), in a worker of its own. IndexedDB answers a page's requests through
// its main thread, and right after a tap Chromium keeps them waiting until the next frame is drawn (measured: a
// get and put from a click handler 5.7 ms at p50 in a bare page, 2.3 ms from a script; 9-10 ms in the till, a
// frame being up to 16 ms away). A worker's requests do not wait for the page's frames.
import { journalTx, openJournalDb, type JournalDoc } from './saleJournalStore';

export type JournalRequest = { id: number; op: 'put'; db: string; doc: JournalDoc } | { id: number; op: 'delete'; db: string; docId: string };
export type JournalReply = { id: number; ok: true; at?: number } | { id: number; ok: false; error: string };

async function handle(req: JournalRequest): Promise<JournalReply> {
  const db = await openJournalDb(req.db);
  if (req.op === 'delete') {
    await journalTx(db, 'relaxed', (s) => s.delete(req.docId));
    return { id: req.id, ok: true };
  }
  await journalTx(db, 'strict', (s) => s.put(req.doc));
  // The moment it is on disk, in absolute time (the page converts it to its own clock).
  return { id: req.id, ok: true, at: performance.timeOrigin + performance.now() };
}

// The worker's global scope, typed here without lib.webworker (which clashes with lib.dom in one program).
const scope = self as unknown as { onmessage: ((e: MessageEvent<JournalRequest>) => void) | null; postMessage(reply: JournalReply): void };
scope.onmessage = (e) => {
  handle(e.data).then(
    (reply) => scope.postMessage(reply),
    (err: unknown) => scope.postMessage({ id: e.data.id, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) } satisfies JournalReply),
  );
};
