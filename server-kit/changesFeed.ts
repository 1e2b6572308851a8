// Following a database's changes for background jobs (HQ's transfer router, the relay's store activity):
// long-polls in a loop, hands each batch of changed ids to `onBatch` with the sequence to resume from, and
// backs off on errors. No document bodies travel with the feed: Caja ids carry their type (`sale:`,
// `transfer:` …), so a job picks the few ids it cares about and fetches just those. A follower that names its
// `types` asks for those ids only, with a selector on `_id` alone: the embedded server passes over every other
// change without reading it (couchdb/changes.ts), so a relay's followers no longer read the 100k catalog
// documents it received, nor HQ's transfer router the sales of a catch-up. Where the position is kept is the
// caller's business (onBatch saves it).
//
// These jobs give way to replication: a feed that wakes on a change waits `settleMs` before it reads any
// document, so a sale's own hop (its write answered, the relay's upstream job reading it and sending it to HQ)
// goes first instead of queueing behind four background readers of the same sale in the same event loop.
// Measured with `caja bench sync --quick`: sale_to_hq p50 116-140 ms against a 53-100 ms baseline before, level
// with it after. A feed that is behind (a full page) does not wait.
//
// A follower given `burst` also waits out a replication's burst: after a page of at least `burst.changes` changes,
// if as many more have landed since the last such page (a store catching up, its batches still landing), it reads
// nothing more until fewer than that land in `burst.quietMs`, for at most `burst.maxWaitMs`. The burst's own
// writes then have the event loop to themselves (a feed reading a burst as it lands passes over every change of it
// while the writes queue behind it), and the feed reads the whole burst afterwards in full pages. A backlog read at
// a standstill (a restart behind), or while a till sells on, costs a GET of the database per full page and no wait;
// a till's small pages, none.
import { setTimeout as sleep } from 'node:timers/promises';
import { seqNumber, type CouchHandle } from './couch';
import { idOfType } from '../shared/sync/selectors';
import type { Logger } from './log';

export interface ChangedId {
  id: string;
  deleted: boolean;
}

export interface FollowOptions {
  couch: CouchHandle;
  db: string;
  name: string;
  /** The document types wanted (ids start with their type); every change when absent. */
  types?: readonly string[];
  /** Where to start: the saved position. */
  since(): Promise<string | number>;
  /**
   * Handles one batch; must be idempotent (a crash before the position is saved replays the batch). `behind`: the
   * page was full, so more changes are waiting.
   */
  onBatch(changes: ChangedId[], lastSeq: string | number, fetchDocs: (ids: string[]) => Promise<Array<Record<string, unknown>>>, behind: boolean): Promise<void>;
  log: Logger;
  /** The long poll's timeout (default 25 s); a function is asked before every poll, undefined meaning the default. */
  pollTimeoutMs?: number | (() => number | undefined);
  /** Called when a poll ends with nothing new (its timeout passed). */
  onIdle?(): Promise<void>;
  limit?: number;
  /** Milliseconds to wait after waking on a change before handling it (see the top of this file). */
  settleMs?: number;
  /** Waits out a burst of writes before reading on (see the top of this file); never when absent. */
  burst?: { changes: number; quietMs: number; maxWaitMs: number };
}

/** The default wait of a woken feed: well inside the reports' 5 s freshness bound, longer than a sale's hop. */
export const FOLLOWER_SETTLE_MS = 250;

export class ChangesFollower {
  private stopped = false;
  private readonly controller = new AbortController();
  private loop: Promise<void> | null = null;
  /** The database's update_seq number at the last look while a burst is watched (`burst`); null when none is. */
  private burstCount: number | null = null;

  constructor(private readonly opts: FollowOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** The current documents for `ids` (missing and deleted ones left out). */
  private fetchDocs = async (ids: string[]): Promise<Array<Record<string, unknown>>> => {
    if (!ids.length) return [];
    const { couch, db } = this.opts;
    const res = await fetch(`${couch.url}/${encodeURIComponent(db)}/_all_docs?include_docs=true`, {
      method: 'POST',
      headers: { Authorization: couch.authHeader(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ keys: ids }),
      signal: this.controller.signal,
    });
    if (!res.ok) throw new Error(`_all_docs ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { rows: Array<{ doc?: Record<string, unknown> | null }> };
    return body.rows.flatMap((r) => (r.doc ? [r.doc] : []));
  };

  private async run(): Promise<void> {
    const { couch, db } = this.opts;
    const opts = this.opts;
    const limit = opts.limit ?? 1000;
    let since = await opts.since().catch(() => 0);
    let backoff = 250;
    const filter = opts.types ? '&filter=_selector' : '';
    const selector = opts.types ? JSON.stringify({ selector: { _id: idOfType(opts.types) } }) : null;
    while (!this.stopped) {
      try {
        const timeout = (typeof opts.pollTimeoutMs === 'function' ? opts.pollTimeoutMs() : opts.pollTimeoutMs) ?? 25_000;
        const res = await fetch(
          `${couch.url}/${encodeURIComponent(db)}/_changes?feed=longpoll&limit=${limit}&timeout=${timeout}&since=${encodeURIComponent(String(since))}${filter}`,
          selector
            ? { method: 'POST', body: selector, headers: { Authorization: couch.authHeader(), 'Content-Type': 'application/json' }, signal: this.controller.signal }
            : { headers: { Authorization: couch.authHeader() }, signal: this.controller.signal },
        );
        if (!res.ok) throw new Error(`_changes ${res.status}: ${await res.text()}`);
        const body = (await res.json()) as { results: Array<{ id: string; deleted?: boolean }>; last_seq: string | number };
        if (String(body.last_seq) !== String(since)) {
          const behind = body.results.length >= limit;
          if (!behind) await this.settle(opts.settleMs ?? FOLLOWER_SETTLE_MS);
          if (this.stopped) return;
          await opts.onBatch(
            body.results.map((r) => ({ id: r.id, deleted: Boolean(r.deleted) })),
            body.last_seq,
            this.fetchDocs,
            behind,
          );
          since = body.last_seq;
          const large = body.results.length >= (opts.burst?.changes ?? Infinity);
          if (opts.burst && (large || this.burstCount !== null)) await this.waitOutBurst(opts.burst, large);
        } else {
          await opts.onIdle?.();
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

  /** How many changes the database has had: update_seq's number (CouchDB's opaque sequence starts with it). */
  private async updateCount(): Promise<number> {
    const { couch, db } = this.opts;
    const res = await fetch(`${couch.url}/${encodeURIComponent(db)}`, { headers: { Authorization: couch.authHeader() }, signal: this.controller.signal });
    if (!res.ok) throw new Error(`GET /${db} ${res.status}: ${await res.text()}`);
    return seqNumber(((await res.json()) as { update_seq: unknown }).update_seq);
  }

  /**
   * After a burst-sized page, and after any page while one is being watched: if a burst's worth of changes landed
   * since the last look, waits until fewer than that land in `quietMs` (a till selling on is no burst), at most
   * `maxWaitMs`. A small page with nothing landing ends the watch. (A long poll that catches up with a burst answers
   * with the one change that woke it, so a burst also comes as small pages between its large ones.)
   */
  private async waitOutBurst({ changes, quietMs, maxWaitMs }: NonNullable<FollowOptions['burst']>, large: boolean): Promise<void> {
    const until = Date.now() + maxWaitMs;
    let seen = await this.updateCount();
    let landing = this.burstCount !== null && seen - this.burstCount >= changes;
    const from = Date.now();
    const waited = landing;
    while (landing && !this.stopped && Date.now() < until) {
      await this.settle(Math.min(quietMs, until - Date.now()));
      if (this.stopped) break;
      const now = await this.updateCount();
      landing = now - seen >= changes;
      seen = now;
    }
    if (waited) this.opts.log.info('feed.burst_waited', { feed: this.opts.name, db: this.opts.db, ms: Date.now() - from, update_seq: seen });
    this.burstCount = large || waited ? seen : null;
  }

  /** Waits `ms`, or less if the follower is stopped meanwhile. */
  private async settle(ms: number): Promise<void> {
    if (ms > 0) await sleep(ms, undefined, { signal: this.controller.signal }).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    await this.loop?.catch(() => undefined);
  }
}
