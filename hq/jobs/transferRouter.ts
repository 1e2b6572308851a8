// Routes inter-store documents (design "transfer, transfer receipt: up, then routed by HQ to the other
// store"): a transfer written at store A is copied into store B's database, and B's receipt back into A's.
// The copy keeps the document's revision history (`new_edits: false` with `_revisions`), so the routed
// document is byte-identical, replicates to B's relay like any downstream document, and comes back up as
// a no-op. Copying twice is harmless: the same revision is already there.
import type { CouchHandle } from '../../server-kit/couch';
import { hqStoreDbName } from '../../shared/model/names';
import type { FeedJob } from './feed';

async function copyWithHistory(couch: CouchHandle, fromDb: string, toDb: string, id: string): Promise<void> {
  const doc = await couch.request<Record<string, unknown>>(`/${encodeURIComponent(fromDb)}/${encodeURIComponent(id)}?revs=true`);
  await couch.request(`/${encodeURIComponent(toDb)}/_bulk_docs`, { method: 'POST', body: { docs: [doc], new_edits: false } });
}


/** The routing job for one store's database (run by StoreFeeds, feed.ts). */
export function transferRoutingJob(couch: CouchHandle): FeedJob {
  return {
    name: 'transfer-router',
    types: ['transfer', 'receipt'],
    async onMatch(doc, db) {
      if (doc.type === 'transfer') {
        const to = String(doc.toStoreId ?? '');
        // Only a store's own transfers are routed from its database (routed copies also live in B's db).
        if (to && hqStoreDbName(String(doc.fromStoreId)) === db) await copyWithHistory(couch, db, hqStoreDbName(to), String(doc._id));
      } else if (doc.type === 'receipt') {
        const transfer = await couch
          .request<{ fromStoreId?: string }>(`/${encodeURIComponent(db)}/${encodeURIComponent(String(doc.transferId))}`)
          .catch(() => null);
        if (transfer?.fromStoreId && hqStoreDbName(String(doc.storeId)) === db) {
          await copyWithHistory(couch, db, hqStoreDbName(transfer.fromStoreId), String(doc._id));
        }
      }
    },
  };
}
