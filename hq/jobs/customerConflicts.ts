// The customer job (issue #12): follows every store database's changes feed for customers and hands each
// changed customer to hq/services/customers.ts mergeFromStore — merged into HQ's copy with its revision tree,
// its conflicts resolved there deterministically (losers kept for review), and HQ's revisions copied into
// every store database that lacks them. Conflicts are resolved where HQ first sees all of a customer's
// revisions together, which is HQ's copy: a store's database only ever sees its own tills' edits and what HQ
// fans out. Idempotent (copies carry existing revisions), as a feed job must be.
import type { CouchHandle } from '../../server-kit/couch';
import { mergeFromStore } from '../services/customers';
import type { FeedJob } from './feed';

/** Who the audit log names for what the job does on its own. */
const JOB_ACTOR = { id: 'system', from: 'customer-conflicts' };

/** The job for one store's database (run by StoreFeeds, feed.ts). */
export function customerConflictJob(couch: CouchHandle): FeedJob {
  return {
    name: 'customer-conflicts',
    types: ['customer'],
    async onMatch(doc, db) {
      await mergeFromStore(couch, db, String(doc._id), JOB_ACTOR);
    },
  };
}
