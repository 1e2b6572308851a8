// The customer job (issue #12): follows every store database's changes feed for customers and hands each
// changed customer to hq/services/customers.ts mergeFromStore — merged into HQ's copy with its revision tree,
// its conflicts resolved there deterministically (losers kept for review), and HQ's revisions copied into
// every store database that lacks them. Conflicts are resolved where HQ first sees all of a customer's
// revisions together, which is HQ's copy: a store's database only ever sees its own tills' edits and what HQ
// fans out. Idempotent (copies carry existing revisions), as a feed job must be.
import type { ChangesFollower } from '../../server-kit/changesFeed';
import type { CouchHandle } from '../../server-kit/couch';
import type { Logger } from '../../server-kit/log';
import { hqStoreDbName } from '../../shared/model/names';
import { backfillStore, mergeFromStore } from '../services/customers';
import type { FeedJob } from './feed';
import { feedRunner } from './feed';

/** Who the audit log names for what the job does on its own. */
const JOB_ACTOR = { id: 'system', from: 'customer-conflicts' };

/** The job for one store's database. */
export function customerConflictJob(couch: CouchHandle): FeedJob {
  return {
    name: 'customer-conflicts',
    types: ['customer'],
    async onMatch(doc, db) {
      await mergeFromStore(couch, db, String(doc._id), JOB_ACTOR);
    },
  };
}

/** Runs the job over every store database, adding stores as they are created. */
export class CustomerSync {
  private readonly runners = new Map<string, ChangesFollower>();
  constructor(
    private readonly couch: CouchHandle,
    private readonly log: Logger,
  ) {}

  ensure(storeCodes: string[]): void {
    for (const code of storeCodes) {
      const db = hqStoreDbName(code);
      if (this.runners.has(db)) continue;
      const runner = feedRunner(this.couch, customerConflictJob(this.couch), db, this.log);
      this.runners.set(db, runner);
      runner.start();
    }
  }

  /** A store created now: follow its database and give it every customer HQ knows. */
  storeCreated(code: string): void {
    this.ensure([code]);
    backfillStore(this.couch, code, this.log).catch((err: unknown) => this.log.error('customers.backfill_failed', { store: code, err: err instanceof Error ? err : String(err) }));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
  }
}
