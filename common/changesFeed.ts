// Following a database's changes with a Mango selector, for background jobs (HQ's transfer router, the
// relay's store activity): long-polls in a loop, hands each batch of matching documents to `onBatch`
// together with the sequence to resume from, and backs off on errors. Where the position is kept is the
// caller's business (onBatch saves it), so a restart resumes instead of starting over.
import type { CouchHandle } from './couch';
import type { Logger } from './log';

export interface FollowOptions {
  couch: CouchHandle;
  db: string;
  name: string;
  selector: Record<string, unknown>;
  /** Where to start: the saved position. */
  since(): Promise<string | number>;
  /** Handles one batch; must be idempotent (a crash before the position is saved replays the batch). */
  onBatch(docs: Array<Record<string, unknown>>, lastSeq: string | number): Promise<void>;
  log: Logger;
  pollTimeoutMs?: number;
  limit?: number;
}

export class ChangesFollower {
  private stopped = false;
  private readonly controller = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly opts: FollowOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    const { couch, db, opts } = { couch: this.opts.couch, db: this.opts.db, opts: this.opts };
    let since = await opts.since().catch(() => 0 as string | number);
    let backoff = 250;
    while (!this.stopped) {
      try {
        const res = await fetch(
          `${couch.url}/${encodeURIComponent(db)}/_changes?feed=longpoll&filter=_selector&include_docs=true&limit=${opts.limit ?? 500}&timeout=${opts.pollTimeoutMs ?? 25_000}&since=${encodeURIComponent(String(since))}`,
          {
            method: 'POST',
            headers: { Authorization: couch.authHeader(), 'Content-Type': 'application/json' },
            body: JSON.stringify({ selector: opts.selector }),
            signal: this.controller.signal,
          },
        );
        if (!res.ok) throw new Error(`_changes ${res.status}: ${await res.text()}`);
        const body = (await res.json()) as { results: Array<{ doc?: Record<string, unknown> }>; last_seq: string | number };
        if (String(body.last_seq) !== String(since)) {
          await opts.onBatch(body.results.flatMap((r) => (r.doc ? [r.doc] : [])), body.last_seq);
          since = body.last_seq;
        }
        backoff = 250;
      } catch (err) {
        if (this.stopped) return;
        opts.log.warn('feed.error', { feed: opts.name, db, err: err instanceof Error ? err : String(err) });
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    await this.loop?.catch(() => undefined);
  }
}
