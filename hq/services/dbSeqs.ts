// Which of HQ's databases changed, for the summaries HQ derives from them (the sync dashboard's "today", the
// sales browser's days): every database's `update_seq` in a request or three (`POST /_dbs_info`, at most 100
// names each, CouchDB's default limit) instead of one request per store database. A summary remembers the
// sequence it was computed at and is recomputed only when that database's sequence moved, so answers stay
// exactly as fresh as CouchDB (a second HQ instance sees the same sequences) without re-reading 200 stores.
import type { CouchHandle } from '../../server-kit/couch';

/** CouchDB's default `max_db_number_for_dbs_info_req`. */
const DBS_INFO_KEYS = 100;

type InfoRow = { key: string; info?: { update_seq?: unknown }; error?: string };

/** Each database's current `update_seq` as a string ('' for a database that does not exist). */
export async function updateSeqs(couch: CouchHandle, dbs: readonly string[]): Promise<Map<string, string>> {
  const batches: string[][] = [];
  for (let i = 0; i < dbs.length; i += DBS_INFO_KEYS) batches.push(dbs.slice(i, i + DBS_INFO_KEYS));
  const answers = await Promise.all(batches.map((keys) => couch.request<InfoRow[]>('/_dbs_info', { method: 'POST', body: { keys } })));
  const seqs = new Map<string, string>();
  for (const row of answers.flat()) seqs.set(row.key, row.info?.update_seq === undefined ? '' : String(row.info.update_seq));
  return seqs;
}
