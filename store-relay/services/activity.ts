// What the heartbeat reports of the store's own activity (open registers, last sale) kept current by
// following the relay's `caja-store` changes feed, with its position and state in a `_local` document.
// Views would be the obvious tool, but the relay's database holds the whole catalog: building one
// JavaScript view over 100k products took ~70 s on the embedded server (measured), for a heartbeat field.
import type { CouchHandle } from '../../common/couch';
import { getDoc, updateDoc } from '../../common/docs';
import type { Logger } from '../../common/log';
import { ChangesFollower } from '../../common/changesFeed';

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
  private readonly follower: ChangesFollower;

  constructor(
    private readonly couch: CouchHandle,
    private readonly db: string,
    log: Logger,
  ) {
    this.follower = new ChangesFollower({
      couch,
      db,
      name: 'store-activity',
      selector: SELECTOR,
      log,
      limit: 1000,
      since: async () => {
        const saved = await getDoc<ActivityState>(couch, db, STATE_DOC);
        if (saved) this.state = saved;
        return this.state.seq;
      },
      onBatch: async (docs, lastSeq) => {
        for (const doc of docs) this.apply(doc);
        this.state.seq = lastSeq;
        const { _rev: _ignored, ...content } = this.state;
        const saved = await updateDoc<ActivityState>(couch, db, STATE_DOC, () => ({ ...content, _id: STATE_DOC }));
        if (saved?._rev) this.state._rev = saved._rev;
      },
    });
  }

  get openRegisters(): number {
    return this.state.open.length;
  }

  get lastSaleAt(): string | null {
    return this.state.lastSaleAt;
  }

  start(): void {
    this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
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
}
