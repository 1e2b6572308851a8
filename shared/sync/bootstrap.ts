// Snapshot bootstrap: the first sync of an empty replica (a new relay's catalog, a fresh terminal) copies the
// source's current documents in large pages instead of walking its whole history through the replication
// protocol (changes -> revs_diff -> bulk_get -> bulk_docs, per batch of 100 by default). Measured here on
// 100k products, see scripts/bench/sync.ts and the report in issue #4.
//
// How it stays exactly-once:
//  - `since` is the source's update_seq read BEFORE the first page. Anything written after it is also in the
//    source's changes feed from `since`, which the live replication replays; anything written before it is in
//    the pages. A document changed mid-snapshot is therefore copied once or twice, with the same revision:
//  - documents are written with `new_edits: false` and their own `_rev`, so writing the same revision twice
//    is a no-op (no new revision, no conflict), and a resumed or repeated bootstrap cannot duplicate anything;
//  - pages are read ahead (the page after next with `skip`), and such a page is used only if its first row is the
//    last row of the page before it: consecutive pages then share a key, so no key range falls between them;
//  - progress is kept in `_local/caja-bootstrap:<id>` on the target and advanced only after a whole page is
//    written (the first-batch-drop pitfall of medic/cht-core#7528: a checkpoint ahead of the data loses it,
//    a checkpoint behind it only re-copies a page);
//  - PouchDB's replicate() writes its checkpoint at `since` before it starts when `since` is given
//    (pouchdb/lib replicate(): `writeCheckpoint(opts.since)` then startChanges), so the live job continues
//    exactly where the snapshot began. Until the live replication has caught up once, the marker stays
//    `copied` and a restart passes `since` again (replaying a little, never skipping); confirmLive() ends that.
//
// Design documents are never copied (a source's validate_doc_update must not land in the target), and the
// job's Mango selector is applied to every document with PouchDB's own matcher, so the snapshot holds exactly
// what the filtered replication would have delivered.
//
// Runtime-neutral on purpose (no Node APIs): the terminal's renderer uses it too, with its own PouchDB.
import { compileSelector } from './selector';
import { bootstrapMarkerId } from '../model/names';

export type Seq = string | number;
type Doc = Record<string, unknown> & { _id: string; _rev?: string };

export interface BootstrapOptions {
  /** The replication this bootstrap precedes; names the marker `_local/caja-bootstrap:<id>`. */
  id: string;
  /** The job's Mango selector; documents that do not match are skipped. */
  selector?: Record<string, unknown>;
  /** Documents read per `_all_docs` page and written per `_bulk_docs` call (default 2000). */
  pageSize?: number;
  /** Aborting stops between pages; the next call resumes after the last page written. */
  signal?: AbortSignal;
  /**
   * Called with each page written (after the write), e.g. for status counts. A page lists each document's
   * winning revision first; losing revisions of conflicted documents follow it.
   */
  onDocs?: (docs: Array<Record<string, unknown>>) => void;
}

export interface BootstrapResult {
  /**
   * The sequence the live replication must start from, or undefined when the live replication already
   * took over (then its own checkpoint is the truth: start without `since`).
   */
  since: Seq | undefined;
  /** What this call did: copied a snapshot now, found one copied earlier, or found the live job in charge. */
  state: 'copied' | 'copied-earlier' | 'live';
  /**
   * True when this call copied the snapshot from its first page, so `onDocs` saw every document it holds (a
   * resumed copy started after the pages an earlier call wrote).
   */
  fromStart: boolean;
  /** Documents written by this call. */
  written: number;
  /** Documents read by this call (written + skipped by the selector or as design documents). */
  scanned: number;
  /** Documents the target refused (validate_doc_update), with the reason; the live job would refuse them too. */
  refused: Array<{ id: string; reason: string }>;
}

interface Marker {
  _id: string;
  _rev?: string;
  state: 'copying' | 'copied' | 'live';
  since: Seq;
  /** Last `_all_docs` key whose page is fully written (copying only). */
  lastKey: string | null;
  written: number;
  startedAt: string;
  updatedAt: string;
}


function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : Object.assign(new Error('bootstrap aborted'), { name: 'AbortError' });
}

async function readMarker(target: PouchDB.Database, id: string): Promise<Marker | null> {
  try {
    return (await target.get(bootstrapMarkerId(id))) as unknown as Marker;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}

async function writeMarker(target: PouchDB.Database, marker: Marker): Promise<Marker> {
  const next = { ...marker, updatedAt: new Date().toISOString() };
  const res = await target.put(next as unknown as PouchDB.Core.PutDocument<Record<string, unknown>>);
  return { ...next, _rev: res.rev };
}

type WriteAnswer = Array<{ id?: string; error?: unknown; reason?: string; message?: string }>;

/** Writes replicated revisions; a page refused as too large (413) is split in halves, down to one document. */
async function writeDocs(target: PouchDB.Database, docs: Doc[], refused: BootstrapResult['refused']): Promise<void> {
  let res: WriteAnswer;
  try {
    res = (await target.bulkDocs(docs, { new_edits: false }));
  } catch (err) {
    if ((err as { status?: number }).status !== 413 || docs.length < 2) throw err;
    const half = Math.ceil(docs.length / 2);
    await writeDocs(target, docs.slice(0, half), refused);
    await writeDocs(target, docs.slice(half), refused);
    return;
  }
  for (const r of res) if (r.error) refused.push({ id: String(r.id), reason: String(r.reason ?? r.message ?? r.error) });
}

interface Page {
  docs: Doc[];
  scanned: number;
  lastKey: string | null;
  done: boolean;
  /** A page read ahead: the id of its first row, read again from the page before it (null for the others). */
  overlap: string | null;
}

/**
 * Copies the source's current documents (selector-matched, no design documents) to the target, or resumes
 * a copy that was interrupted, and returns the sequence the live replication must start from.
 */
export async function bootstrapSnapshot(source: PouchDB.Database, target: PouchDB.Database, opts: BootstrapOptions): Promise<BootstrapResult> {
  const pageSize = Math.max(1, opts.pageSize ?? 2000);
  const { signal, selector } = opts;
  const matches = selector ? compileSelector(selector) : null;
  const result: BootstrapResult = { since: undefined, state: 'copied', fromStart: false, written: 0, scanned: 0, refused: [] };
  let marker = await readMarker(target, opts.id);
  if (marker?.state === 'live') return { ...result, state: 'live' };
  if (marker?.state === 'copied') return { ...result, since: marker.since, state: 'copied-earlier' };
  if (signal?.aborted) throw abortError(signal);
  if (!marker) {
    result.fromStart = true;
    // Taken before the first page: the snapshot then holds at least everything up to this sequence.
    const since = (await source.info()).update_seq;
    const now = new Date().toISOString();
    marker = await writeMarker(target, { _id: bootstrapMarkerId(opts.id), state: 'copying', since, lastKey: null, written: 0, startedAt: now, updatedAt: now });
  }

  /**
   * Reads the page after `after`, or (`ahead`) the page after that one: `skip` passes over the page between but
   * one row, so the answer starts with that page's last row again (`overlap`), which the loop below checks.
   */
  const readPage = async (after: string | null, ahead: boolean): Promise<Page> => {
    // startkey = the last key written, dropped below by id rather than with skip=1: if that document was
    // deleted meanwhile, skip=1 would silently pass over the next one.
    const res = await source.allDocs({
      include_docs: true,
      conflicts: true,
      attachments: true,
      limit: after === null && !ahead ? pageSize : pageSize + 1,
      ...(after === null ? {} : { startkey: after }),
      ...(ahead ? { skip: after === null ? pageSize - 1 : pageSize } : {}),
    });
    const overlap = ahead ? (res.rows[0]?.id ?? null) : null;
    const rows = ahead ? res.rows.slice(1) : res.rows.filter((r) => r.id !== after);
    const docs: Doc[] = [];
    const conflicted: Array<{ id: string; rev: string }> = [];
    for (const row of rows) {
      const doc = row.doc as unknown as Doc | undefined;
      if (!doc || row.id.startsWith('_design/')) continue;
      if (matches && !matches(doc)) continue;
      const { _conflicts: conflicts, ...winner } = doc;
      docs.push(winner);
      if (Array.isArray(conflicts)) for (const rev of conflicts) conflicted.push({ id: doc._id, rev: String(rev) });
    }
    // Losing revisions of conflicted documents travel too, as the replication protocol would carry them.
    if (conflicted.length) {
      const losers = await source.bulkGet({ docs: conflicted, attachments: true });
      for (const r of losers.results) for (const d of r.docs) if ('ok' in d) docs.push(d.ok as unknown as Doc);
    }
    const last = rows[rows.length - 1];
    return { docs, scanned: rows.length, lastKey: last ? last.id : ahead ? overlap : after, done: rows.length < pageSize, overlap };
  };

  // Two reads in flight, the next page and the one after it, while this side writes: with one, the source
  // answered a page while this side waited, and this side wrote one while the source waited (the terminal's
  // 100k-product copy read for 11.5 of its 12.6 s). The page after next is asked for before the next one has
  // arrived, so it is read with `skip` from the last key known then. It is used only if it starts where the page
  // before it ended (its overlap row is that page's last key): then no key lies between the two. Documents
  // written or deleted between the two reads shift it; then it is read again after the last key written, with
  // no skip (a read that always moves on).
  const ask = (after: string | null, ahead: boolean) => {
    const page = readPage(after, ahead);
    page.catch(() => undefined); // awaited later, or dropped; never an unhandled rejection meanwhile
    return { page, ahead };
  };
  let lastKey = marker.lastKey;
  let queue = [ask(lastKey, false), ask(lastKey, true)];
  for (;;) {
    const next = queue.shift() as ReturnType<typeof ask>;
    const page: Page = await next.page;
    if (signal?.aborted) throw abortError(signal);
    if (next.ahead && page.overlap !== lastKey) {
      queue = [ask(lastKey, false), ask(lastKey, true)];
      continue;
    }
    if (!page.done) queue.push(ask(page.lastKey, true));
    if (page.docs.length) {
      await writeDocs(target, page.docs, result.refused);
      opts.onDocs?.(page.docs);
    }
    result.written += page.docs.length;
    result.scanned += page.scanned;
    // Advanced only after the whole page is written (see the header).
    marker = await writeMarker(target, { ...marker, lastKey: page.lastKey, written: marker.written + page.docs.length });
    lastKey = page.lastKey;
    if (page.done) break;
    if (signal?.aborted) throw abortError(signal);
  }
  marker = await writeMarker(target, { ...marker, state: 'copied', lastKey: null });
  return { ...result, since: marker.since };
}

/**
 * Records that the live replication has caught up once after a bootstrap, so its own checkpoint (at or past
 * the snapshot's `since`) is in charge from now on and later starts pass no `since`.
 */
export async function confirmLive(target: PouchDB.Database, id: string): Promise<void> {
  const marker = await readMarker(target, id);
  if (!marker || marker.state === 'live') return;
  if (marker.state !== 'copied') throw new Error(`bootstrap ${id} is ${marker.state}, not copied`);
  await writeMarker(target, { ...marker, state: 'live' });
}
