// HQ jobs over store databases (cht-core style: a job is `{ name, types, onMatch }`, apart from the feed
// plumbing in server-kit/changesFeed.ts). Every job of a store database shares one follower (StoreFeeds): each
// follower passes over every change the database gets, a catch-up's tens of thousands of sales included, so one
// per job was a pass per job. Each job keeps its own position in CouchDB (`_local/feed:<job>:<db>` in caja-hq),
// so a second HQ instance or a restart resumes where the last one stopped; the shared follower starts from the
// earliest of them. onMatch must be idempotent, since a crash between handling and checkpointing replays the
// last batch (and a job ahead of the others sees again what it had seen).
import { ChangesFollower } from '../../server-kit/changesFeed';
import { seqNumber, type CouchHandle } from '../../server-kit/couch';
import { getDoc, updateDoc } from '../../server-kit/docs';
import type { Logger } from '../../server-kit/log';
import { feedCheckpointId, HQ_DB, hqStoreDbName } from '../../shared/model/names';
import { typePrefix } from '../../shared/model/ids';

export interface FeedJob {
  name: string;
  /** The document types the job wants (ids carry their type). */
  types: readonly string[];
  onMatch(doc: Record<string, unknown>, db: string): Promise<void>;
}

type Checkpoint = { _id: string; _rev?: string; seq: string | number };

/** Follows one database for `jobs`, with one changes feed for all of them. */
export function feedRunner(couch: CouchHandle, jobs: readonly FeedJob[], db: string, log: Logger): ChangesFollower {
  const each = jobs.map((job) => ({ job, cpId: feedCheckpointId(job.name, db), prefixes: job.types.map(typePrefix) }));
  return new ChangesFollower({
    couch,
    db,
    name: jobs.map((j) => j.name).join('+'),
    log,
    types: [...new Set(jobs.flatMap((j) => j.types))],
    since: async () => {
      const seqs = await Promise.all(each.map(async ({ cpId }) => (await getDoc<Checkpoint>(couch, HQ_DB, cpId))?.seq ?? 0));
      return seqs.reduce((a, b) => (seqNumber(b) < seqNumber(a) ? b : a));
    },
    async onBatch(changes, lastSeq, fetchDocs, behind) {
      const live = changes.filter((c) => !c.deleted).map((c) => c.id);
      const docs = await fetchDocs(live.filter((id) => each.some(({ prefixes }) => prefixes.some((p) => id.startsWith(p)))));
      for (const { job, prefixes } of each) {
        for (const doc of docs) if (prefixes.some((p) => String(doc._id).startsWith(p))) await job.onMatch(doc, db);
      }
      // Every job has handled this batch: all positions move together (a job saved apart would lag, and a restart
      // from the earliest would replay to the others). Saved after a batch with matches, after a full page
      // otherwise, and when the feed moved past only changes its selector passed over (an empty batch): as the
      // roll-ups save theirs.
      if (docs.length || behind || changes.length === 0) {
        for (const { cpId } of each) await updateDoc<Checkpoint>(couch, HQ_DB, cpId, () => ({ _id: cpId, seq: lastSeq }));
      }
    },
  });
}

/** Runs HQ's feed jobs over every store database, adding stores as they are created: one follower per database. */
export class StoreFeeds {
  private readonly runners = new Map<string, ChangesFollower>();
  constructor(
    private readonly couch: CouchHandle,
    private readonly jobs: readonly FeedJob[],
    private readonly log: Logger,
  ) {}

  /** Makes sure a follower runs the jobs over each of these stores' databases. */
  ensure(storeCodes: string[]): void {
    for (const code of storeCodes) {
      const db = hqStoreDbName(code);
      if (this.runners.has(db)) continue;
      const runner = feedRunner(this.couch, this.jobs, db, this.log);
      this.runners.set(db, runner);
      runner.start();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
  }
}
