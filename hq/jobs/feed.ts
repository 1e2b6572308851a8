// Change-feed plumbing for HQ jobs (cht-core style: a job is `{ name, selector, onMatch }`, apart from the
// feed and checkpoint code). The checkpoint lives in CouchDB (`_local/feed:<job>:<db>` in caja-hq), so a
// second HQ instance or a restart resumes where the last one stopped; onMatch must be idempotent, since
// a crash between handling and checkpointing replays the last batch.
import type { CouchHandle } from '../../common/couch';
import { getDoc, updateDoc } from '../../common/docs';
import type { Logger } from '../../common/log';
import { HQ_DB } from '../services/dbs';

export interface FeedJob {
  name: string;
  selector: Record<string, unknown>;
  onMatch(doc: Record<string, unknown>, db: string): Promise<void>;
}

type Checkpoint = { _id: string; _rev?: string; seq: string | number };

export class FeedRunner {
  private stopped = false;
  private readonly controller = new AbortController();
  private running: Promise<void> | null = null;

  constructor(
    private readonly couch: CouchHandle,
    private readonly job: FeedJob,
    private readonly db: string,
    private readonly log: Logger,
    private readonly pollTimeoutMs = 25_000,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  private async loop(): Promise<void> {
    const cpId = `_local/feed:${this.job.name}:${this.db}`;
    let since: string | number = (await getDoc<Checkpoint>(this.couch, HQ_DB, cpId).catch(() => null))?.seq ?? 0;
    let backoff = 250;
    while (!this.stopped) {
      try {
        const res = await fetch(
          `${this.couch.url}/${encodeURIComponent(this.db)}/_changes?feed=longpoll&filter=_selector&include_docs=true&limit=500&timeout=${this.pollTimeoutMs}&since=${encodeURIComponent(String(since))}`,
          {
            method: 'POST',
            headers: { Authorization: this.couch.authHeader(), 'Content-Type': 'application/json' },
            body: JSON.stringify({ selector: this.job.selector }),
            signal: this.controller.signal,
          },
        );
        if (!res.ok) throw new Error(`_changes ${res.status}: ${await res.text()}`);
        const body = (await res.json()) as { results: Array<{ doc?: Record<string, unknown> }>; last_seq: string | number };
        for (const row of body.results) {
          if (row.doc && !row.doc._deleted) await this.job.onMatch(row.doc, this.db);
        }
        if (body.results.length) {
          since = body.last_seq;
          await updateDoc<Checkpoint>(this.couch, HQ_DB, cpId, () => ({ _id: cpId, seq: since }));
        }
        backoff = 250;
      } catch (err) {
        if (this.stopped) return;
        this.log.warn('feed.error', { job: this.job.name, db: this.db, err: err instanceof Error ? err : String(err) });
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    await this.running?.catch(() => undefined);
  }
}
