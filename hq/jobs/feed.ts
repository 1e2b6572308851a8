// HQ jobs over store databases (cht-core style: a job is `{ name, selector, onMatch }`, apart from the
// feed plumbing in server-kit/changesFeed.ts). The position lives in CouchDB (`_local/feed:<job>:<db>` in
// caja-hq), so a second HQ instance or a restart resumes where the last one stopped; onMatch must be
// idempotent, since a crash between handling and checkpointing replays the last batch.
import { ChangesFollower } from '../../server-kit/changesFeed';
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, updateDoc } from '../../server-kit/docs';
import type { Logger } from '../../server-kit/log';
import { feedCheckpointId, HQ_DB } from '../../shared/model/names';
import { typePrefix } from '../../shared/model/ids';

export interface FeedJob {
  name: string;
  /** The document types the job wants (ids carry their type). */
  types: readonly string[];
  onMatch(doc: Record<string, unknown>, db: string): Promise<void>;
}

type Checkpoint = { _id: string; _rev?: string; seq: string | number };

/** Follows one database for one job. */
export function feedRunner(couch: CouchHandle, job: FeedJob, db: string, log: Logger): ChangesFollower {
  const cpId = feedCheckpointId(job.name, db);
  const prefixes = job.types.map(typePrefix);
  return new ChangesFollower({
    couch,
    db,
    name: job.name,
    log,
    types: job.types,
    since: async () => (await getDoc<Checkpoint>(couch, HQ_DB, cpId))?.seq ?? 0,
    async onBatch(changes, lastSeq, fetchDocs, behind) {
      const ids = changes.filter((c) => !c.deleted && prefixes.some((p) => c.id.startsWith(p))).map((c) => c.id);
      for (const doc of await fetchDocs(ids)) await job.onMatch(doc, db);
      // Saved after each batch with matches, after a full page otherwise, and when the feed moved past only
      // changes its selector passed over (an empty batch): as the roll-ups save theirs.
      if (ids.length || behind || changes.length === 0) await updateDoc<Checkpoint>(couch, HQ_DB, cpId, () => ({ _id: cpId, seq: lastSeq }));
    },
  });
}
