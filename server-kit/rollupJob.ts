// The roll-up job: the one writer of a `caja-reports` database (HQ's, for every store and the chain; a relay's,
// for its store). It follows each store database's changes (server-kit/changesFeed.ts: ids only), marks the
// (store, business day) of every changed ledger document dirty (a return dirties its own day, not its sale's),
// and a debounced worker (under a second) recomputes those days from the store database (view
// `ledger_by_date`, include_docs) with shared/reports rollupDay, then the store's month and year, and writes
// each roll-up only when its figures changed. The chain's roll-ups (`rollup:*:<period>`, HQ only) are sums of
// the stores' and are recomputed by a second pass that runs less often while a backlog is being caught up;
// they live in their own database (REPORTS_CHAIN_DB: a store's report never waits on their indexing), and a
// start moves any an older build left among the stores' (`moveChainRollups`). The chain pass also writes the
// chain's blocks of days (layout.ts BlockLevel: small sections only, each the sum of its two halves), and a
// start over roll-ups written before blocks existed adds them for every chain day (`addChainBlocks`).
//
// Restart safety: a feed's position (`_local/feed:rollups:<db>` in caja-reports) is saved only after the days
// its batches touched are written, and the chain days still to sum are kept in `_local/rollup-chain-dirty`
// before that; so a crash replays at most one batch, or what a feed held back (HOLD_CHANGES; recomputing
// is idempotent), and a restart resumes from the positions, never recomputing history.
import type { ChangedId } from './changesFeed';
import { ChangesFollower } from './changesFeed';
import type { CouchHandle } from './couch';
import { ensureDb, setSecurity } from './couch';
import { getDoc, updateDoc } from './docs';
import { deployDesignDocs, warmDatabase } from '../design-docs/deploy';
import type { Logger } from './log';
import { typePrefix, voidId } from '../shared/model/ids';
import { feedCheckpointId, REPORTS_CHAIN_DB, REPORTS_DB } from '../shared/model/names';
import { CURRENT_SCHEMA } from '../shared/model/types';
import type {
  CashMovement, Product, Return, Sale, Shift, ShiftClose, StockMovement, Transfer, TransferArrival, Void, ZReport,
} from '../shared/model/types';
import { CHAIN, LARGE_SECTIONS } from '../shared/reports/layout';
import { addDays, blockHalves, blocksOf, childPeriods, levelOf } from '../shared/reports/periods';
import { localDateHour, rollupDay, rollupDoc, rollupId, type ProductFacts, type RollupDoc } from '../shared/reports/rollup';
import { sameSections, sumSections, type Sections } from '../shared/reports/sections';

/** A store database the job follows. */
export interface RollupStore {
  storeId: string;
  /** HQ: `caja-store-<code>`; a relay: `caja-store`. */
  db: string;
  /** The store's IANA zone, read when a day is rolled up. */
  timeZone(): Promise<string> | string;
}

export interface RollupJobOptions {
  couch: CouchHandle;
  log: Logger;
  /** Where the roll-up reads product departments and costs: HQ's `caja-catalog`, a relay's `caja-store`. */
  catalogDb: string;
  /** Keep the chain's roll-ups too (HQ). */
  chain: boolean;
  /** How long a change waits for others before its day is recomputed (default 250 ms; at most a second). */
  debounceMs?: number;
}

const JOB = 'rollups';
const CHAIN_DIRTY_ID = '_local/rollup-chain-dirty';
/** In REPORTS_CHAIN_DB: the chain's blocks (of days, and of months: version 2) are there for every chain day (written once, by addChainBlocks). */
const CHAIN_BLOCKS_ID = '_local/rollup-chain-blocks';
const CHAIN_BLOCKS_VERSION = 2;
const LEDGER_VIEW = '_design/ledger_by_date/_view/ledger_by_date';
const WANTED_TYPES = ['sale', 'void', 'return', 'shift', 'shiftclose', 'cash', 'move', 'transfer', 'receipt', 'zreport'];
const WANTED = WANTED_TYPES.map(typePrefix);
/** A feed holds its days back (behind, or reading a burst) at most this long, and over at most this many changes (see `follow`). */
const HOLD_MS = 60_000;
const HOLD_CHANGES = 100_000;
/** A page at least this long is a burst (a replication batch), not a till selling. */
const BURST_PAGE = 200;
/** The poll timeout of a feed holding days. */
const HOLD_POLL_MS = 1000;
/** What a feed has read but not yet marked, up to `lastSeq`: the ids of the ledger documents among those changes. */
const newHold = (): { pending: Set<string>; changes: number; since: number | null; lastSeq: string | number | null } => ({ pending: new Set(), changes: 0, since: null, lastSeq: null });
/** The longest wait between two passes over store days (see `schedule`). */
const RUN_SPACING_MS = 2000;
/** Stores recomputed at once. */
const PARALLEL = 4;
/** Days of one store read and recomputed together. */
const DAYS_PER_READ = 31;
/** Sums (a chain day of every store, a month of days) read together. */
const SUMS_PER_READ = 20;
/** Store days a pass names in its log line (it counts them all). */
const LOGGED_DAYS = 20;

/** The `_local` document in `caja-reports` holding how far the job has rolled up a store database's changes. */
export function rollupFeedCheckpointId(storeDb: string): string {
  return feedCheckpointId(JOB, storeDb);
}

/** Where a roll-up of this scope is kept: the chain's in their own database, a store's in `caja-reports`. */
function dbOfScope(scope: string): string {
  return scope === CHAIN ? REPORTS_CHAIN_DB : REPORTS_DB;
}

/** The database of a roll-up id (`rollup:<scope>:<period>`). */
function dbOfId(id: string): string {
  return id.startsWith(rollupId(CHAIN, '')) ? REPORTS_CHAIN_DB : REPORTS_DB;
}

type Doc = Record<string, unknown> & { _id: string; type?: string };
type Checkpoint = { _id: string; _rev?: string; seq: string | number };
/** Chain days still to sum, each with a count of how often it was marked (so a pass clears only what it saw). */
type ChainDirty = { _id: string; _rev?: string; days: Record<string, number> };

/** The business day a ledger document belongs to (its own, or the local day it was made). */
function dayOf(doc: Doc, timeZone: string): string | null {
  if (typeof doc.businessDate === 'string') return doc.businessDate;
  const at = doc.type === 'shiftclose' ? doc.closedAt : doc.createdAt;
  return typeof at === 'string' ? localDateHour(at, timeZone).date : null;
}

async function inParallel<T>(items: readonly T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

export class RollupJob {
  private readonly stores = new Map<string, RollupStore>();
  private readonly followers = new Map<string, ChangesFollower>();
  private dirty = new Map<string, Set<string>>();
  /** Per store, the feeds waiting for their days to be written. */
  private waiting = new Map<string, Array<{ resolve: () => void; reject: (err: unknown) => void }>>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private chainTimer: NodeJS.Timeout | null = null;
  private chainRunning: Promise<void> | null = null;
  private moving: Promise<void> | null = null;
  private lastChainMs = 0;
  /** How long the last pass over store days took. */
  private lastRunMs = 0;
  private stopped = false;
  /** Store days written since start (tests and the log read it). */
  written = 0;
  readonly debounceMs: number;

  constructor(private readonly opts: RollupJobOptions) {
    this.debounceMs = Math.min(1000, Math.max(0, opts.debounceMs ?? 250));
  }

  /** Follows a store's database from its saved position (idempotent). */
  follow(store: RollupStore): void {
    if (this.stopped || this.followers.has(store.storeId)) return;
    this.stores.set(store.storeId, store);
    const { couch, log } = this.opts;
    const cpId = rollupFeedCheckpointId(store.db);
    // Kept when marking fails: the feed retries its last page, and the ids held before it are marked with it.
    let held = newHold();
    /** Marks the days of the held ids, then saves the position of the last page read (also when the feed moved past only
     * unwanted changes, `moved`: an empty page its selector passed over, or a full one). */
    const release = async (moved: boolean) => {
      const days = await this.daysOf(store, held.pending);
      if (days.size) await this.mark(store.storeId, days);
      const { pending, lastSeq } = held;
      held = newHold();
      if ((pending.size || moved) && lastSeq !== null) await updateDoc<Checkpoint>(couch, REPORTS_DB, cpId, () => ({ _id: cpId, seq: lastSeq }));
    };
    const follower = new ChangesFollower({
      couch,
      db: store.db,
      name: JOB,
      log,
      types: WANTED_TYPES,
      since: async () => (await getDoc<Checkpoint>(couch, REPORTS_DB, cpId))?.seq ?? 0,
      onBatch: async (changes: ChangedId[], lastSeq, _fetchDocs, behind) => {
        const ids = changes.filter((c) => !c.deleted && WANTED.some((p) => c.id.startsWith(p))).map((c) => c.id);
        held.since ??= Date.now();
        held.changes += changes.length;
        held.lastSeq = lastSeq;
        // A feed that is behind (a store back online after days, a restart), or reading a burst (a relay's
        // replication batch of a catch-up lands as one page of hundreds; a till selling makes pages of a few),
        // holds the ids it reads while it reads on; their days are read and marked at the first small page, or
        // when a short poll finds nothing new (onIdle). So each day is recomputed once for the whole backlog
        // instead of once per page (a day's sales arrive over many pages), and neither the documents nor their
        // reports are read while the backlog's own replication is landing. Bounded: at most HOLD_MS of staleness,
        // HOLD_CHANGES replayed after a crash (the position is saved only once the held days are written) and as
        // many ids in memory.
        for (const id of ids) held.pending.add(id);
        const burst = behind || changes.length >= BURST_PAGE;
        if (burst && held.changes < HOLD_CHANGES && Date.now() - (held.since ?? 0) < HOLD_MS) return;
        await release(changes.length === 0 || behind);
      },
      // While ids are held, polls are short, so the end of a burst is noticed within a second.
      pollTimeoutMs: () => (held.since === null ? undefined : HOLD_POLL_MS),
      // Nor are a burst's changes read while it lands: the feed reads them once it ends (within HOLD_MS, as above).
      burst: { changes: BURST_PAGE, quietMs: HOLD_POLL_MS, maxWaitMs: HOLD_MS },
      onIdle: () => (held.since === null ? Promise.resolve() : release(false)),
    });
    this.followers.set(store.storeId, follower);
    follower.start();
  }

  /**
   * Starts the chain's start-up work once `after` settles (HQ: its report views are deployed): chain roll-ups of an
   * older build moved, blocks added, then the chain pass left pending by an earlier run.
   */
  start(after: Promise<unknown> = Promise.resolve()): void {
    if (!this.opts.chain) return;
    this.moving = after
      .then(() => this.moveChainRollups())
      .catch((err: unknown) => this.opts.log.warn('rollups.chain_move_failed', { err: err instanceof Error ? err : String(err) }))
      .then(() => this.addChainBlocks())
      .catch((err: unknown) => this.opts.log.warn('rollups.chain_blocks_failed', { err: err instanceof Error ? err : String(err) }))
      .finally(() => {
        this.moving = null;
        this.scheduleChain(0);
      });
  }

  /**
   * An older build kept the chain's roll-ups in `caja-reports` with the stores'. Their days are marked for the
   * chain pass, which writes them again (with their months and years) in REPORTS_CHAIN_DB, and only then are
   * they deleted from `caja-reports`; a crash between the two leaves the marks, and the next start finds none
   * to move. Nothing reads chain roll-ups from `caja-reports` any more.
   */
  private async moveChainRollups(): Promise<void> {
    const prefix = rollupId(CHAIN, '');
    const q = new URLSearchParams({ startkey: JSON.stringify(prefix), endkey: JSON.stringify(prefix + '\ufff0') });
    const { rows } = await this.opts.couch.request<{ rows: Array<{ id: string; value: { rev: string } }> }>(`/${REPORTS_DB}/_all_docs?${q.toString()}`);
    if (rows.length === 0) return;
    const days = rows.map((r) => r.id.slice(prefix.length)).filter((period) => levelOf(period) === 'd');
    if (days.length) await this.addChainDirty(days);
    await this.opts.couch.request(`/${REPORTS_DB}/_bulk_docs`, { method: 'POST', body: { docs: rows.map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true })) } });
    this.opts.log.info('rollups.chain_moved', { docs: rows.length, days: days.length });
  }

  /**
   * Roll-ups written before the chain had blocks of days: every chain day's blocks are summed once from the
   * chain's day documents (no store is read again), then marked done. A crash before the mark sums them again.
   */
  private async addChainBlocks(): Promise<void> {
    const mark = await getDoc<{ _id: string; version?: number }>(this.opts.couch, REPORTS_CHAIN_DB, CHAIN_BLOCKS_ID);
    if ((mark?.version ?? 0) >= CHAIN_BLOCKS_VERSION) return;
    const prefix = rollupId(CHAIN, '');
    const q = new URLSearchParams({ startkey: JSON.stringify(prefix), endkey: JSON.stringify(prefix + '\ufff0') });
    const { rows } = await this.opts.couch.request<{ rows: Array<{ id: string }> }>(`/${REPORTS_CHAIN_DB}/_all_docs?${q.toString()}`);
    const days = rows.map((r) => r.id.slice(prefix.length)).filter((period) => levelOf(period) === 'd');
    const started = Date.now();
    // A month at a time: its days' documents hold every product sold, so a year of them at once is too much memory.
    const byMonth = new Map<string, string[]>();
    for (const d of days) byMonth.set(d.slice(0, 7), [...(byMonth.get(d.slice(0, 7)) ?? []), d]);
    for (const monthDays of byMonth.values()) {
      if (this.stopped) return;
      await this.writeBlocks(monthDays);
    }
    await this.writeBlocks([...byMonth.keys()]);
    // The report view indexes the new blocks now, not in the first chain report someone asks for.
    if (days.length) await warmDatabase(this.opts.couch.url, REPORTS_CHAIN_DB, 'reports', this.opts.couch.authHeader);
    await updateDoc(this.opts.couch, REPORTS_CHAIN_DB, CHAIN_BLOCKS_ID, () => ({ _id: CHAIN_BLOCKS_ID, version: CHAIN_BLOCKS_VERSION }));
    if (days.length) this.opts.log.info('rollups.chain_blocks_added', { days: days.length, ms: Date.now() - started });
  }

  /** The chain's blocks that hold these days or months, smallest first, each the sum of its halves (small sections only). */
  private async writeBlocks(periods: readonly string[]): Promise<void> {
    for (const level of blocksOf(periods)) {
      await this.writeSums(level.map((b) => ({ scope: CHAIN, period: b, children: blockHalves(b).map((h) => rollupId(CHAIN, h)), small: true })));
    }
  }

  /** Settles once a start's move and block backfill are done (benches time reports after it). */
  async ready(): Promise<void> {
    await this.moving;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.chainTimer) clearTimeout(this.chainTimer);
    await this.running?.catch(() => undefined);
    await this.moving;
    await this.chainRunning?.catch(() => undefined);
    // Before the feeds stop: a feed waiting in `mark` for days no run will write now would never return.
    for (const list of this.waiting.values()) for (const w of list) w.reject(new Error('roll-up job stopped'));
    this.waiting.clear();
    await Promise.all([...this.followers.values()].map((f) => f.stop()));
  }

  /** Marks days of a store dirty; resolves once they are recomputed and written (the feed then moves on). */
  mark(storeId: string, days: Iterable<string>): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('roll-up job stopped'));
    const set = this.dirty.get(storeId) ?? new Set<string>();
    for (const d of days) set.add(d);
    if (set.size === 0) return Promise.resolve();
    this.dirty.set(storeId, set);
    const done = new Promise<void>((resolve, reject) => this.waiting.set(storeId, [...(this.waiting.get(storeId) ?? []), { resolve, reject }]));
    this.schedule();
    return done;
  }

  /**
   * The next pass starts a debounce after the first mark, or twice as long as the last pass took if that is longer
   * (at most RUN_SPACING_MS): a till selling keeps the debounce, while a store catching up, whose every pass
   * reads its growing days again, gives the arriving sales at least two thirds of the time.
   */
  private schedule(): void {
    if (this.timer || this.running || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const started = Date.now();
      this.running = this.run().finally(() => {
        this.running = null;
        this.lastRunMs = Date.now() - started;
        if (this.dirty.size) this.schedule();
      });
    }, Math.max(this.debounceMs, Math.min(RUN_SPACING_MS, 2 * this.lastRunMs)));
  }

  private async run(): Promise<void> {
    const batch = this.dirty;
    const waiters = this.waiting;
    this.dirty = new Map();
    this.waiting = new Map();
    const started = Date.now();
    let count = 0;
    const chainDays = new Set<string>();
    const done: string[] = [];
    const named: string[] = [];
    // Each store apart: a store whose days cannot be rolled up (CouchDB refusing, a document the code cannot
    // read) holds back its own feed, which retries, and no other store's.
    await inParallel([...batch.entries()], PARALLEL, async ([storeId, set]) => {
      const days = [...set].sort();
      try {
        // In slices, so a store catching up a year holds a few weeks of documents in memory at a time.
        for (let i = 0; i < days.length; i += DAYS_PER_READ) await this.rollStoreDays(storeId, days.slice(i, i + DAYS_PER_READ));
        // The store's months and years are the sums of their days and months.
        const months = [...new Set(days.map((d) => d.slice(0, 7)))];
        await this.writeSums(months.map((m) => ({ scope: storeId, period: m, children: childPeriods(m).map((c) => rollupId(storeId, c)) })));
        const years = [...new Set(days.map((d) => d.slice(0, 4)))];
        await this.writeSums(years.map((y) => ({ scope: storeId, period: y, children: childPeriods(y).map((c) => rollupId(storeId, c)) })));
        count += days.length;
        for (const d of days) chainDays.add(d);
        for (const d of days.slice(0, LOGGED_DAYS - named.length)) named.push(`${storeId} ${d}`);
        done.push(storeId);
      } catch (err) {
        this.opts.log.warn('rollups.failed', { store: storeId, err: err instanceof Error ? err : String(err) });
        // The feed replays its batch, which marks the days again.
        for (const w of waiters.get(storeId) ?? []) w.reject(err);
      }
    });
    try {
      if (this.opts.chain && chainDays.size) await this.addChainDirty([...chainDays]);
      for (const storeId of done) for (const w of waiters.get(storeId) ?? []) w.resolve();
    } catch (err) {
      for (const storeId of done) for (const w of waiters.get(storeId) ?? []) w.reject(err);
      return;
    }
    // The first few store days by name: an operator (or a test) can tell a day's recomputation from history's.
    this.opts.log.info('rollups.written', { days: count, storeDays: named, ms: Date.now() - started });
    // A few days (a till selling) are summed for the chain at once; a backlog waits for the chain pass to be
    // worth it, so a store catching up does not make the chain sum every day many times.
    if (this.opts.chain && chainDays.size) this.scheduleChain(chainDays.size <= 5 ? this.debounceMs : Math.max(this.debounceMs, Math.min(10_000, this.lastChainMs)));
  }

  // ---------- store days ----------

  private async viewDocs(db: string, keys: unknown[]): Promise<Array<{ key: [string, string]; doc: Doc }>> {
    if (keys.length === 0) return [];
    const res = await this.opts.couch.request<{ rows: Array<{ key: [string, string]; doc?: Doc | null }> }>(`/${encodeURIComponent(db)}/${LEDGER_VIEW}?include_docs=true`, {
      method: 'POST',
      body: { keys },
    });
    return res.rows.flatMap((r) => (r.doc ? [{ key: r.key, doc: r.doc }] : []));
  }

  /**
   * The business days `ids` touch: each document's own day and, for one rung in a register opened another day
   * (after midnight, or reaching the store after that day's Z), that register's day too, since what that day's
   * Z would show now changed as well.
   */
  private async daysOf(store: RollupStore, ids: ReadonlySet<string>): Promise<Set<string>> {
    const days = new Set<string>();
    if (!ids.size) return days;
    const zone = await store.timeZone();
    const all = [...ids];
    // A page at a time: a catch-up's held ids are tens of thousands, their documents are not kept together.
    for (let i = 0; i < all.length; i += 1000) {
      const docs = await this.byIds<Doc>(store.db, all.slice(i, i + 1000));
      for (const d of docs) {
        const day = dayOf(d, zone);
        if (day) days.add(day);
      }
      const shifts = new Map(docs.filter((d) => d.type === 'shift').map((d) => [d._id, d]));
      const named = docs.map((d) => d.shiftId).filter((id): id is string => typeof id === 'string' && !shifts.has(id));
      for (const sh of await this.byIds<Doc>(store.db, named)) shifts.set(sh._id, sh);
      for (const d of docs) {
        const sh = typeof d.shiftId === 'string' ? shifts.get(d.shiftId) : undefined;
        if (sh && typeof sh.businessDate === 'string') days.add(sh.businessDate);
      }
    }
    return days;
  }

  private async byIds<T>(db: string, ids: readonly string[]): Promise<T[]> {
    const unique = [...new Set(ids)];
    const out: T[] = [];
    for (let i = 0; i < unique.length; i += 1000) {
      const res = await this.opts.couch.request<{ rows: Array<{ doc?: T | null }> }>(`/${encodeURIComponent(db)}/_all_docs?include_docs=true`, {
        method: 'POST',
        body: { keys: unique.slice(i, i + 1000) },
      });
      for (const r of res.rows) if (r.doc) out.push(r.doc);
    }
    return out;
  }

  /** Product departments and costs, as the catalog has them now. */
  private async products(ids: readonly string[]): Promise<Record<string, ProductFacts>> {
    const out: Record<string, ProductFacts> = {};
    for (const p of await this.byIds<Product>(this.opts.catalogDb, ids)) {
      if (p.type === 'product') out[p._id] = { departmentId: p.departmentId, cost: typeof p.cost === 'number' ? p.cost : null };
    }
    return out;
  }

  /**
   * Recomputes some days of a store and writes those that changed. Each read covers all the days: the days'
   * documents by business day and by the UTC days around them (one keyed view read), the returned sales,
   * shifts, products, and for closed days the documents of their shifts.
   */
  private async rollStoreDays(storeId: string, days: readonly string[]): Promise<void> {
    const store = this.stores.get(storeId);
    if (!store || days.length === 0) return;
    const { db } = store;
    const zone = await store.timeZone();
    const keys = new Map<string, unknown[]>();
    for (const d of days) for (const k of [['b', d], ['u', addDays(d, -1)], ['u', d], ['u', addDays(d, 1)]]) keys.set(JSON.stringify(k), k);
    // A document of a newer schema than this build knows is stored, not read (the next build rolls it up).
    const rows = (await this.viewDocs(db, [...keys.values()])).filter((r) => !(typeof r.doc.schema === 'number' && r.doc.schema > CURRENT_SCHEMA));
    const byKey = new Map<string, Doc[]>();
    for (const r of rows) byKey.set(JSON.stringify(r.key), [...(byKey.get(JSON.stringify(r.key)) ?? []), r.doc]);
    const docsOf = (d: string) => [['b', d], ['u', addDays(d, -1)], ['u', d], ['u', addDays(d, 1)]].flatMap((k) => byKey.get(JSON.stringify(k)) ?? []);
    const all = rows.map((r) => r.doc);
    const of = <T>(list: readonly Doc[], type: string) => list.filter((d) => d.type === type) as unknown as T[];

    // What the days' documents name: returned sales, the shifts of closes (a variance counts for who opened
    // the register), products.
    const sales = new Map(of<Sale>(all, 'sale').map((s) => [s._id, s]));
    const originals: Record<string, Sale> = Object.fromEntries(sales);
    for (const s of await this.byIds<Sale>(db, of<Return>(all, 'return').map((r) => r.originalSaleId).filter((id) => !sales.has(id)))) originals[s._id] = s;
    const shiftsById: Record<string, Shift> = {};
    for (const s of of<Shift>(all, 'shift')) shiftsById[s._id] = s;
    const named = all.map((d) => d.shiftId).filter((id): id is string => typeof id === 'string' && !shiftsById[id]);
    for (const s of await this.byIds<Shift>(db, named)) shiftsById[s._id] = s;
    const wanted = new Set(days);
    const productIds = new Set<string>();
    for (const s of of<Sale>(all, 'sale')) for (const l of s.lines) productIds.add(l.productId);
    for (const r of of<Return>(all, 'return')) for (const l of r.lines) productIds.add(l.productId);
    const products = await this.products([...productIds]);

    // Closed days: the documents of the shifts opened that day, wherever their own day (late arrivals).
    const zs = new Map(of<ZReport>(all, 'zreport').filter((z) => z.storeId === storeId && wanted.has(z.businessDate)).map((z) => [z.businessDate, z]));
    const shiftsOfDay = (d: string) => of<Shift>(docsOf(d), 'shift').filter((s) => s.storeId === storeId && s.businessDate === d);
    const closedShifts = [...zs.keys()].flatMap(shiftsOfDay);
    const scoped = (await this.viewDocs(db, closedShifts.map((s) => ['s', s._id]))).map((r) => r.doc);
    const scopedVoids = await this.byIds<Void>(db, of<Sale>(scoped, 'sale').map((s) => voidId(s._id)));

    const out: Array<{ scope: string; period: string; s: Sections }> = [];
    for (const day of days) {
      const docs = docsOf(day);
      const zreport = zs.get(day) ?? null;
      let z: Parameters<typeof rollupDay>[0]['z'] = null;
      if (zreport) {
        const shifts = shiftsOfDay(day);
        const ids = new Set(shifts.map((s) => s._id));
        const mine = scoped.filter((d) => typeof d.shiftId === 'string' && ids.has(d.shiftId));
        const scopeSales = of<Sale>(mine, 'sale');
        const saleIds = new Set(scopeSales.map((s) => s._id));
        z = {
          zreport,
          scope: {
            shifts,
            sales: scopeSales,
            returns: of<Return>(mine, 'return'),
            cashMovements: of<CashMovement>(mine, 'cash'),
            closes: of<ShiftClose>(mine, 'shiftclose'),
            voids: scopedVoids.filter((v) => saleIds.has(v.saleId)),
          },
        };
      }
      out.push({
        scope: storeId,
        period: day,
        s: rollupDay({
          storeId,
          date: day,
          timeZone: zone,
          sales: of<Sale>(docs, 'sale'),
          voids: of<Void>(docs, 'void'),
          returns: of<Return>(docs, 'return'),
          shifts: of<Shift>(docs, 'shift'),
          closes: of<ShiftClose>(docs, 'shiftclose'),
          cash: of<CashMovement>(docs, 'cash'),
          moves: of<StockMovement>(docs, 'move'),
          transfers: of<Transfer>(docs, 'transfer'),
          arrivals: of<TransferArrival>(docs, 'receipt'),
          originals,
          shiftsById,
          products,
          z,
        }),
      });
    }
    this.written += await this.writeMany(out);
  }

  // ---------- sums ----------

  /** Writes roll-ups unless they already hold these figures (one read, one bulk write); returns how many were written. */
  private async writeMany(items: ReadonlyArray<{ scope: string; period: string; s: Sections }>): Promise<number> {
    if (items.length === 0) return 0;
    const byDb = new Map<string, Array<{ scope: string; period: string; s: Sections }>>();
    for (const x of items) {
      const list = byDb.get(dbOfScope(x.scope)) ?? [];
      list.push(x);
      byDb.set(dbOfScope(x.scope), list);
    }
    let written = 0;
    for (const [db, list] of byDb) written += await this.writeManyTo(db, list);
    return written;
  }

  private async writeManyTo(db: string, items: ReadonlyArray<{ scope: string; period: string; s: Sections }>): Promise<number> {
    const current = new Map((await this.byIds<RollupDoc>(db, items.map((x) => rollupId(x.scope, x.period)))).map((d) => [d._id, d]));
    const docs: RollupDoc[] = [];
    for (const x of items) {
      const id = rollupId(x.scope, x.period);
      const cur = current.get(id);
      if (cur ? sameSections(cur.s, x.s) : Object.keys(x.s).length === 0) continue;
      docs.push({ ...rollupDoc(x.scope, x.period, x.s), ...(cur?._rev ? { _rev: cur._rev } : {}) });
    }
    if (docs.length === 0) return 0;
    const res = await this.opts.couch.request<Array<{ id: string; error?: string }>>(`/${db}/_bulk_docs`, { method: 'POST', body: { docs } });
    // One writer per database: a conflict means a second instance or a replay raced us; write it again on top.
    for (const r of res) {
      if (!r.error) continue;
      const doc = docs.find((d) => d._id === r.id) as RollupDoc;
      await updateDoc<RollupDoc>(this.opts.couch, db, doc._id, (cur) => (cur && sameSections(cur.s, doc.s) ? null : { ...doc, _rev: undefined }));
    }
    return docs.length;
  }

  /**
   * Roll-ups as sums of other roll-ups (a month of its days, a year of its months, the chain of its stores, a
   * block of its halves: `small`, without LARGE_SECTIONS).
   */
  private async writeSums(targets: ReadonlyArray<{ scope: string; period: string; children: readonly string[]; small?: boolean }>): Promise<void> {
    for (let i = 0; i < targets.length; i += SUMS_PER_READ) {
      const part = targets.slice(i, i + SUMS_PER_READ);
      const docs = new Map((await this.rollups(part.flatMap((t) => t.children))).map((d) => [d._id, d]));
      const sectionsOf = (id: string, small: boolean): Sections[] => {
        const s = docs.get(id)?.s;
        if (!s) return [];
        if (!small) return [s];
        const out: Sections = { ...s };
        for (const name of LARGE_SECTIONS) delete out[name];
        return [out];
      };
      await this.writeMany(part.map((t) => ({ scope: t.scope, period: t.period, s: sumSections(t.children.flatMap((c) => sectionsOf(c, t.small === true))) })));
    }
  }

  /** Roll-up documents by id, each from its scope's database. */
  private async rollups(ids: readonly string[]): Promise<RollupDoc[]> {
    const byDb = new Map<string, string[]>();
    for (const id of ids) {
      const list = byDb.get(dbOfId(id)) ?? [];
      list.push(id);
      byDb.set(dbOfId(id), list);
    }
    const out: RollupDoc[] = [];
    for (const [db, list] of byDb) out.push(...(await this.byIds<RollupDoc>(db, list)));
    return out;
  }

  // ---------- the chain (HQ) ----------

  private async addChainDirty(days: readonly string[]): Promise<void> {
    await updateDoc<ChainDirty>(this.opts.couch, REPORTS_DB, CHAIN_DIRTY_ID, (cur) => {
      const next = { ...(cur?.days ?? {}) };
      for (const d of new Set(days)) next[d] = (next[d] ?? 0) + 1;
      return { _id: CHAIN_DIRTY_ID, days: next };
    });
  }

  private scheduleChain(delayMs: number): void {
    if (this.chainTimer || this.stopped) return;
    this.chainTimer = setTimeout(() => {
      this.chainTimer = null;
      if (this.chainRunning) {
        this.scheduleChain(this.debounceMs);
        return;
      }
      this.chainRunning = this.chainPass()
        .catch((err: unknown) => {
          this.opts.log.warn('rollups.chain_failed', { err: err instanceof Error ? err : String(err) });
          this.scheduleChain(Math.max(1000, 2 * this.lastChainMs));
        })
        .finally(() => {
          this.chainRunning = null;
        });
    }, delayMs);
  }

  private async chainPass(): Promise<void> {
    // Not beside a start's move or block backfill: they write chain roll-ups from what they read.
    await this.moving;
    const seen = { ...((await getDoc<ChainDirty>(this.opts.couch, REPORTS_DB, CHAIN_DIRTY_ID))?.days ?? {}) };
    const pending = Object.keys(seen).sort();
    if (pending.length === 0) return;
    const started = Date.now();
    const stores = [...this.stores.keys()].sort();
    await this.writeSums(pending.map((day) => ({ scope: CHAIN, period: day, children: stores.map((s) => rollupId(s, day)) })));
    await this.writeBlocks(pending);
    const months = [...new Set(pending.map((d) => d.slice(0, 7)))];
    await this.writeSums(months.map((m) => ({ scope: CHAIN, period: m, children: childPeriods(m).map((d) => rollupId(CHAIN, d)) })));
    await this.writeBlocks(months);
    const years = [...new Set(months.map((m) => m.slice(0, 4)))];
    await this.writeSums(years.map((y) => ({ scope: CHAIN, period: y, children: childPeriods(y).map((m) => rollupId(CHAIN, m)) })));
    // A day marked again while it was being summed stays: the next pass sums it with the newer figures.
    const left = await updateDoc<ChainDirty>(this.opts.couch, REPORTS_DB, CHAIN_DIRTY_ID, (cur) => {
      const days: Record<string, number> = {};
      for (const [d, n] of Object.entries(cur?.days ?? {})) if (seen[d] !== n) days[d] = n;
      return { _id: CHAIN_DIRTY_ID, days };
    });
    this.lastChainMs = Date.now() - started;
    this.opts.log.info('rollups.chain_written', { days: pending.length, ms: this.lastChainMs });
    if (left && Object.keys(left.days).length) this.scheduleChain(Math.max(this.debounceMs, 2 * this.lastChainMs));
  }
}

/**
 * Creates `caja-reports` (admin only: the roll-up job writes it, the server reads it) with the report view,
 * and with `chain` (HQ) REPORTS_CHAIN_DB likewise. With `deploy: false` the design documents are left to the
 * caller (HQ builds changed report views while it answers: hq/jobs/reportViews.ts).
 */
export async function prepareReportsDb(couch: CouchHandle, opts: { chain?: boolean; deploy?: boolean } = {}): Promise<void> {
  for (const db of reportsDbs(opts.chain)) {
    await ensureDb(couch, db);
    await setSecurity(couch, db, [], []);
    if (opts.deploy !== false) await deployDesignDocs(couch.url, db, 'reports', couch.authHeader());
  }
}

/** The report databases: the stores' roll-ups, and at HQ (`chain`) the chain's. */
export function reportsDbs(chain = false): string[] {
  return chain ? [REPORTS_DB, REPORTS_CHAIN_DB] : [REPORTS_DB];
}
