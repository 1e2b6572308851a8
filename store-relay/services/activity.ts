// What the heartbeat reports of the store's own activity (open registers, last sale) kept current by
// following the relay's `caja-store` changes feed, with its position and state in a `_local` document.
// Views would be the obvious tool, but the relay's database holds the whole catalog: building one
// JavaScript view over 100k products took ~70 s on the embedded server (measured), for a heartbeat field.
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, updateDoc } from '../../server-kit/docs';
import type { Logger } from '../../server-kit/log';
import { ChangesFollower } from '../../server-kit/changesFeed';
import { typePrefix } from '../../shared/model/ids';
import { LOCAL_ID } from '../../shared/model/names';

const STATE_DOC = LOCAL_ID.storeActivity;
const SHIFT_PREFIX = typePrefix('shift');
const SHIFT_CLOSE_PREFIX = typePrefix('shiftclose');
const SALE_PREFIX = typePrefix('sale');

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
    couch: CouchHandle,
    db: string,
    log: Logger,
  ) {
    this.follower = new ChangesFollower({
      couch,
      db,
      name: 'store-activity',
      log,
      types: ['shift', 'shiftclose', 'sale'],
      since: async () => {
        const saved = await getDoc<ActivityState>(couch, db, STATE_DOC);
        if (saved) this.state = saved;
        return this.state.seq;
      },
      onBatch: async (changes, lastSeq, fetchDocs) => {
        // Ids say it all for registers (`shift:<…>`, `shiftclose:<shiftId>`); of the sales, only the batch's
        // last one is read, for its time.
        let lastSale: string | null = null;
        for (const c of changes) {
          if (c.deleted) continue;
          if (c.id.startsWith(SHIFT_PREFIX)) this.opened(c.id);
          else if (c.id.startsWith(SHIFT_CLOSE_PREFIX)) this.closed(c.id.slice(SHIFT_CLOSE_PREFIX.length));
          else if (c.id.startsWith(SALE_PREFIX)) lastSale = c.id;
        }
        if (lastSale) {
          const [sale] = await fetchDocs([lastSale]);
          const at = typeof sale?.createdAt === 'string' ? sale.createdAt : null;
          if (at && (!this.state.lastSaleAt || at > this.state.lastSaleAt)) this.state.lastSaleAt = at;
        }
        this.state.seq = lastSeq;
        const { _rev: _ignored, ...content } = this.state;
        const saved = await updateDoc<ActivityState>(couch, db, STATE_DOC, () => ({ ...content, _id: STATE_DOC }));
        if (saved?._rev) this.state._rev = saved._rev;
      },
    });
  }

  /** How many shifts are open at this store now. */
  get openShiftCount(): number {
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

  private opened(shiftId: string): void {
    const s = this.state;
    if (s.closedEarly.includes(shiftId)) s.closedEarly = s.closedEarly.filter((x) => x !== shiftId);
    else if (!s.open.includes(shiftId)) s.open.push(shiftId);
  }

  private closed(shiftId: string): void {
    const s = this.state;
    if (s.open.includes(shiftId)) s.open = s.open.filter((x) => x !== shiftId);
    else if (!s.closedEarly.includes(shiftId)) s.closedEarly.push(shiftId);
  }
}
