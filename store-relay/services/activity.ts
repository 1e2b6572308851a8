// What the heartbeat reports of the store's own activity (open registers, last sale) kept current by
// following the relay's `caja-store` changes feed, with its position and state in a `_local` document.
// Views would be the obvious tool, but the relay's database holds the whole catalog: building one
// JavaScript view over 100k products took ~70 s on the embedded server (measured), for a heartbeat field.
import type { CouchHandle } from '../../common/couch';
import { getDoc, updateDoc } from '../../common/docs';
import type { Logger } from '../../common/log';

const STATE_DOC = '_local/store-activity';
const SELECTOR = { type: { $in: ['sale', 'shift', 'shiftclose'] } };

interface ActivityState {
  _id: string;
  _rev?: string;
  seq: string | number;
  /** Shifts opened and not closed (by shift id). */
  open: string[];
  /** Shift closes seen before their shift (replication order is not guaranteed). */
  closedEarly: string[];
  lastSaleAt: string | null;
}

export class StoreActivity {
  private state: ActivityState = { _id: STATE_DOC, seq: 0, open: [], closedEarly: [], lastSaleAt: null };
  private stopped = false;
  private readonly controller = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly couch: CouchHandle,
    private readonly db: string,
    private readonly log: Logger,
    private readonly pollTimeoutMs = 25_000,
  ) {}

  get openRegisters(): number {
    return this.state.open.length;
  }

  get lastSaleAt(): string | null {
    return this.state.lastSaleAt;
  }

  start(): void {
    this.loop ??= this.run();
  }

  private apply(doc: Record<string, unknown>): void {
    const s = this.state;
    if (doc._deleted) return;
    if (doc.type === 'sale' && typeof doc.createdAt === 'string') {
      if (!s.lastSaleAt || doc.createdAt > s.lastSaleAt) s.lastSaleAt = doc.createdAt;
    } else if (doc.type === 'shift') {
      const id = String(doc._id);
      if (s.closedEarly.includes(id)) s.closedEarly = s.closedEarly.filter((x) => x !== id);
      else if (!s.open.includes(id)) s.open.push(id);
    } else if (doc.type === 'shiftclose') {
      const id = String(doc.shiftId);
      if (s.open.includes(id)) s.open = s.open.filter((x) => x !== id);
      else s.closedEarly.push(id);
    }
  }

  private async run(): Promise<void> {
    const saved = await getDoc<ActivityState>(this.couch, this.db, STATE_DOC).catch(() => null);
    if (saved) this.state = saved;
    let backoff = 250;
    while (!this.stopped) {
      try {
        const res = await fetch(
          `${this.couch.url}/${this.db}/_changes?feed=longpoll&filter=_selector&include_docs=true&limit=1000&timeout=${this.pollTimeoutMs}&since=${encodeURIComponent(String(this.state.seq))}`,
          {
            method: 'POST',
            headers: { Authorization: this.couch.authHeader(), 'Content-Type': 'application/json' },
            body: JSON.stringify({ selector: SELECTOR }),
            signal: this.controller.signal,
          },
        );
        if (!res.ok) throw new Error(`_changes ${res.status}`);
        const body = (await res.json()) as { results: Array<{ doc?: Record<string, unknown> }>; last_seq: string | number };
        for (const row of body.results) if (row.doc) this.apply(row.doc);
        if (String(body.last_seq) !== String(this.state.seq)) {
          this.state.seq = body.last_seq;
          const { _rev: _ignored, ...content } = this.state;
          const saved = await updateDoc<ActivityState>(this.couch, this.db, STATE_DOC, () => ({ ...content, _id: STATE_DOC }));
          if (saved?._rev) this.state._rev = saved._rev;
        }
        backoff = 250;
      } catch (err) {
        if (this.stopped) return;
        this.log.debug('activity.feed_error', { err: err instanceof Error ? err : String(err) });
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
