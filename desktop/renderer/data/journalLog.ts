// The sale journal's file (saleJournal.worker.ts keeps it in the origin private file system): a chain of records
// from offset 0, each a header and one sale as UTF-8 JSON.
//
//   offset 0  u32 MAGIC
//          4  u8  state: LIVE, or REMOVED once the replica has the sale (3 bytes of padding follow)
//          8  u32 payload length
//         12  u32 FNV-1a of the payload
//         16  payload
//
// A put writes one record at the head and flushes the file (fdatasync): the sale is on disk. A removal flips the
// record's state byte and is not flushed: lost in a power cut, the sale is put again at the next start, where the
// replica already holds it and the replay only takes it out. The file keeps its size (grown, never shrunk), so a
// flush writes data, not a new length; once no record is live the head goes back to 0 and later sales overwrite
// the old ones. The chain ends at the first bytes that are not a whole record (zeros, a torn write, an older
// record's middle): what follows is never read.
// Runtime-neutral (no Node or DOM APIs), so Node tests read and write it as the worker does.

const MAGIC = 0x4a4a4143; // "CAJJ" little-endian
const HEADER_BYTES = 16;
const LIVE = 1;
const REMOVED = 0;
/** Where a record's state byte is, from the record's start. */
const STATE_OFFSET = 4;
/** The file's size when it is first opened (a few hundred sales); it doubles when that is not enough. */
const INITIAL_BYTES = 256 * 1024;

type Doc = { _id: string } & Record<string, unknown>;

export interface JournalRecord {
  offset: number;
  live: boolean;
  doc: Doc;
}

/** 32-bit FNV-1a: enough to tell a whole payload from a torn or stale one. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** The record of a sale, live. */
export function encodeRecord(doc: Doc): Uint8Array {
  const payload = new TextEncoder().encode(JSON.stringify(doc));
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint8(STATE_OFFSET, LIVE);
  view.setUint32(8, payload.length, true);
  view.setUint32(12, fnv1a(payload), true);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** The chain of whole records at the start of `file`, and where it ends. */
export function readRecords(file: Uint8Array): { records: JournalRecord[]; end: number } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const records: JournalRecord[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= file.length && view.getUint32(at, true) === MAGIC) {
    const state = view.getUint8(at + STATE_OFFSET);
    const length = view.getUint32(at + 8, true);
    const start = at + HEADER_BYTES;
    if ((state !== LIVE && state !== REMOVED) || start + length > file.length) break;
    const payload = file.subarray(start, start + length);
    if (fnv1a(payload) !== view.getUint32(at + 12, true)) break;
    let doc: unknown;
    try {
      doc = JSON.parse(decoder.decode(payload));
    } catch {
      break;
    }
    if (typeof doc !== 'object' || doc === null || typeof (doc as Doc)._id !== 'string') break;
    records.push({ offset: at, live: state === LIVE, doc: doc as Doc });
    at = start + length;
  }
  return { records, end: at };
}

/** What the journal uses of a FileSystemSyncAccessHandle (the worker's; an array of bytes in tests). */
export interface SyncHandle {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
}

export interface FileJournal {
  /** Returns once the sale is on disk (flushed). */
  put(doc: Doc): void;
  /** Marks the sale out of the journal (not flushed); false when it is not in it. */
  remove(docId: string): boolean;
  /** The live sales, as a start reads them. */
  list(): Doc[];
}

function readAll(handle: SyncHandle): Uint8Array {
  const content = new Uint8Array(handle.getSize());
  handle.read(content, { at: 0 });
  return content;
}

/** The journal in the file behind `handle`, as the last writer left it. */
export function openFileJournal(handle: SyncHandle): FileJournal {
  const { records, end } = readRecords(readAll(handle));
  const live = new Map(records.filter((r) => r.live).map((r) => [r.doc._id, r.offset]));
  let head = live.size > 0 ? end : 0;
  let size = handle.getSize();
  if (size < INITIAL_BYTES) {
    handle.truncate((size = INITIAL_BYTES));
    handle.flush();
  }
  const removed = Uint8Array.of(REMOVED);
  const remove = (docId: string) => {
    const at = live.get(docId);
    if (at === undefined) return false;
    handle.write(removed, { at: at + STATE_OFFSET });
    live.delete(docId);
    if (live.size === 0) head = 0;
    return true;
  };
  return {
    put(doc) {
      remove(doc._id);
      const record = encodeRecord(doc);
      if (head + record.length > size) handle.truncate((size = Math.max(size * 2, head + record.length + HEADER_BYTES)));
      handle.write(record, { at: head });
      handle.flush();
      live.set(doc._id, head);
      head += record.length;
    },
    remove,
    list() {
      return readRecords(readAll(handle)).records.filter((r) => r.live).map((r) => r.doc);
    },
  };
}
