// The terminal's receipt sequence: gapless per terminal, assigned offline. Sales and returns draw from ONE
// sequence (shared/model/ids.ts returnId), so a receipt number names exactly one document.
//
// The next number is derived from the documents themselves (the highest `sale:` / `return:` id of this
// terminal; ids are zero-padded, so `allDocs` descending with limit 1 finds it) rather than kept in a counter
// document: a counter can drift from the ledger (a crash between the two writes), the ledger cannot. An
// in-process cache makes every number after the first free. A number is consumed only by a successful put
// of the document that carries it, so a refused write leaves no gap; a 409 means another tab (or a sync
// that brought this terminal's own history back) holds that number, and the caller takes the next.
import { isSeq, parseReturnId, parseSaleId, terminalTypePrefix } from '../../../../shared/model/ids';
import { lastIdWithPrefix, statusOf, type LocalDb } from './localDb';

// Per database handle: the last sequence known to be used, by `<store>:<terminal>`.
const cache = new WeakMap<LocalDb, Map<string, number>>();

function cacheOf(db: LocalDb): Map<string, number> {
  let c = cache.get(db);
  if (!c) {
    c = new Map();
    cache.set(db, c);
  }
  return c;
}

/** The highest sequence this terminal has used, read from its sale and return ids (0 when none). */
export async function lastUsedSeq(db: LocalDb, storeCode: string, terminalId: string): Promise<number> {
  const [sale, ret] = await Promise.all([
    lastIdWithPrefix(db, terminalTypePrefix('sale', storeCode, terminalId)),
    lastIdWithPrefix(db, terminalTypePrefix('return', storeCode, terminalId)),
  ]);
  return Math.max(sale ? (parseSaleId(sale)?.seq ?? 0) : 0, ret ? (parseReturnId(ret)?.seq ?? 0) : 0);
}

/** The next receipt sequence of this terminal (not reserved: it is consumed by the put that uses it). */
export async function nextSeq(db: LocalDb, storeCode: string, terminalId: string): Promise<number> {
  const key = `${storeCode}:${terminalId}`;
  const c = cacheOf(db);
  let last = c.get(key);
  if (last === undefined) {
    last = await lastUsedSeq(db, storeCode, terminalId);
    c.set(key, last);
  }
  return last + 1;
}

/** Records that `seq` is used (after a successful put, or a 409 proving someone else used it). */
export function markSeqUsed(db: LocalDb, storeCode: string, terminalId: string, seq: number): void {
  const key = `${storeCode}:${terminalId}`;
  const c = cacheOf(db);
  if ((c.get(key) ?? 0) < seq) c.set(key, seq);
}

/** Forgets the cached sequence, so the next call reads the database (after a 409, or in tests). */
export function forgetSeq(db: LocalDb, storeCode?: string, terminalId?: string): void {
  if (storeCode && terminalId) cacheOf(db).delete(`${storeCode}:${terminalId}`);
  else cache.delete(db);
}

export type SeqError = { code: 'seq_exhausted'; attempts: number };

/** How many times a write may find its number taken before giving up (each time another writer was faster). */
const MAX_ATTEMPTS = 20;

/**
 * Writes documents numbered from the terminal's sequence: `build(seq)` makes the documents that carry the
 * number (a sale, or an exchange's return and sale, which take two consecutive numbers), `write` puts them.
 * On a 409 the number was taken elsewhere: re-read the ledger and try again with the next one.
 */
export async function withNextSeq<T, E>(
  db: LocalDb,
  storeCode: string,
  terminalId: string,
  attempt: (seq: number) => Promise<{ ok: true; value: T; used: number } | { ok: false; error: E }>,
): Promise<{ ok: true; value: T } | { ok: false; error: E | SeqError }> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const seq = await nextSeq(db, storeCode, terminalId);
    if (!isSeq(seq)) return { ok: false, error: { code: 'seq_exhausted', attempts: i } };
    try {
      const res = await attempt(seq);
      if (res.ok) markSeqUsed(db, storeCode, terminalId, res.used);
      return res;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
      // Someone else holds `seq`: the ledger is the truth, read it again rather than guess.
      forgetSeq(db, storeCode, terminalId);
      markSeqUsed(db, storeCode, terminalId, Math.max(seq, await lastUsedSeq(db, storeCode, terminalId)));
    }
  }
  return { ok: false, error: { code: 'seq_exhausted', attempts: MAX_ATTEMPTS } };
}
