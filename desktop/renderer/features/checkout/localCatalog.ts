// The local catalog: barcode -> product at the till from memory. A scan must answer well within 100 ms and
// the design's target is p99 <= 1 ms over 100k products: a query (pouchdb-find 1-7 ms, a map/reduce view
// slower to build) cannot promise that on IndexedDB, a Map can (< 1 µs). The maps are built once from the
// local database and kept current from its live `_changes` feed, so a price pushed from HQ is what the next
// scan sees.
// The same feed keeps the small pricing facts (tax rates and groups, specials, tenders, store config and
// store price overrides) in memory too, so ringing a sale reads nothing from the database but the shift.
//
// Loading 100k products document by document from IndexedDB takes seconds (issue #11: the PIN screen must be up
// within 3 s with the index ready), so the till keeps a snapshot of what it follows (IndexSnapshotStore; in the
// browser a separate IndexedDB database, data/catalogSnapshot.ts) tagged with the database's instance id and the
// sequence it holds everything up to. A start reads the snapshot and applies only the changes made since; the
// snapshot is written again in the background when that catch-up grew long or the catalog changed a lot.
import { ean13CheckDigit, splitId, typePrefix } from '../../../../shared/model/ids';
import type { Department, Product, Special, StoreConfig, StorePrice, TaxGroup, TaxRate, Tender } from '../../../../shared/model/types';
import type { PricingCatalog } from '../../../../shared/pos/sale';
import { getOrNull, type LiveFeed, type LocalDb } from './localDb';

/** What the index holds, as of a database sequence: every followed document with a change at or before `seq`. */
export interface IndexSnapshot {
  /** The database's instance id (LocalDb.id): a snapshot of another incarnation of the database is not used. */
  dbId: string;
  seq: number | string;
  docs: unknown[];
}

/** Where the index keeps its snapshot between starts. */
export interface IndexSnapshotStore {
  read(): Promise<IndexSnapshot | null>;
  write(snapshot: IndexSnapshot): Promise<void>;
}

/** How the index was filled on open (the till logs it; tests check it). */
export interface IndexOpening {
  /** The stored snapshot, the documents a first sync just wrote (`seed`), or the database itself. */
  from: 'snapshot' | 'copy' | 'database';
  /** Changes read since the snapshot (0 for a full load). */
  caughtUp: number;
  ms: number;
}

/** A catch-up longer than this (changes of any document since the snapshot) writes the snapshot again. */
const REWRITE_AFTER_CHANGES = 2000;
/** Followed documents changed while running before a new snapshot is written (after things go quiet). */
const REWRITE_AFTER_APPLIED = 500;
const REWRITE_QUIET_MS = 5000;
/** Changes and documents read per request while catching up. */
const CATCH_UP_PAGE = 2000;

/** Sequences of the local adapters are numbers; CouchDB-style strings start with theirs. */
function seqNumber(seq: number | string): number {
  return typeof seq === 'number' ? seq : Number.parseInt(seq, 10);
}

/** What a scan resolves to: the product, its store price override if any, and a weight read from the label. */
export interface ScanResult {
  product: Product;
  storePrice: StorePrice | null;
  /** Kilograms encoded in a variable-measure label (20 + PLU + weight in grams + check), for weighed goods. */
  qty?: number;
}

// Documents the local catalog follows, by id prefix (ids carry their type). Departments are few and the till browses
// them, so they are kept here too rather than queried.
const FOLLOWED = ['product', 'price', 'taxrate', 'taxgroup', 'special', 'tender', 'config', 'department'].map(typePrefix);

function followed(id: string): boolean {
  return FOLLOWED.some((p) => id.startsWith(p));
}

export class LocalCatalog {
  private readonly byBarcode = new Map<string, Product>();
  private readonly bySku = new Map<string, Product>();
  private readonly byId = new Map<string, Product>();
  private readonly prices = new Map<string, StorePrice>(); // sku -> override
  private readonly rates = new Map<string, TaxRate>();
  private readonly groups = new Map<string, TaxGroup>();
  private readonly specials = new Map<string, Special>();
  private readonly tendersById = new Map<string, Tender>();
  private readonly depts = new Map<string, Department>();
  private readonly listeners = new Set<() => void>();
  private storeConfig: StoreConfig | null = null;
  private feed: LiveFeed | null = null;
  private pricingCache: PricingCatalog | null = null;
  /** Changes applied from the live feed (tests wait on it). */
  changesApplied = 0;
  /** How the index was filled on open. */
  opening: IndexOpening = { from: 'database', caughtUp: 0, ms: 0 };
  // For snapshots: every change up to `appliedSeq` is in the maps; `seenSeq` is the last change the feed
  // reported, which becomes applied once no read of a followed document is still in flight.
  private appliedSeq: number | string = 0;
  private seenSeq: number | string = 0;
  private reading = 0;
  /** A changed document could not be read: the maps may hold an old version of it, so no snapshot is taken now. */
  private missedChange = false;
  private snapshots: { store: IndexSnapshotStore; dbId: string } | null = null;
  private appliedSinceSnapshot = 0;
  private rewriteTimer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<boolean> | null = null;

  private constructor(private readonly db: LocalDb) {}

  /**
   * Loads every product and pricing fact, from the snapshot in `snapshots` and the changes made since when it
   * is there and belongs to this database, else from the database itself; then follows the database's changes.
   * The feed starts from a sequence read before the documents, so a change made during the load is applied,
   * never missed.
   */
  static async open(db: LocalDb, opts: { live?: boolean; snapshots?: IndexSnapshotStore; seed?: { seq: number | string; docs: readonly unknown[] } } = {}): Promise<LocalCatalog> {
    const t0 = Date.now();
    const index = new LocalCatalog(db);
    const store = opts.snapshots && db.id ? opts.snapshots : null;
    const [info, dbId, snapshot] = await Promise.all([db.info(), store && db.id ? db.id() : null, store && !opts.seed ? store.read().catch(() => null) : null]);
    let since = info.update_seq;
    if (opts.seed) {
      // The documents a first sync wrote, each page's winning revision first (losing ones of a conflict follow it).
      const seen = new Set<string>();
      for (const doc of opts.seed.docs) {
        const id = (doc as { _id?: unknown })._id;
        if (typeof id !== 'string' || seen.has(id)) continue;
        seen.add(id);
        if (followed(id)) index.apply(id, doc, false);
      }
      const caught = await index.catchUp(opts.seed.seq);
      since = caught.seq;
      index.opening = { from: 'copy', caughtUp: caught.changes, ms: Date.now() - t0 };
    } else if (snapshot && dbId !== null && snapshot.dbId === dbId && seqNumber(snapshot.seq) <= seqNumber(since)) {
      for (const doc of snapshot.docs) {
        const id = (doc as { _id?: unknown })._id;
        if (typeof id === 'string' && followed(id)) index.apply(id, doc, false);
      }
      const caught = await index.catchUp(snapshot.seq);
      since = caught.seq;
      index.opening = { from: 'snapshot', caughtUp: caught.changes, ms: Date.now() - t0 };
    } else {
      await index.loadAll();
      index.opening = { from: 'database', caughtUp: 0, ms: Date.now() - t0 };
    }
    index.appliedSeq = index.seenSeq = since;
    if (store && dbId !== null) {
      index.snapshots = { store, dbId };
      // A start that had to read the database, or a long catch-up, writes the snapshot again (soon, so that the
      // next start is quick, but not while the PIN screen is being drawn).
      if (index.opening.from !== 'snapshot' || index.opening.caughtUp > REWRITE_AFTER_CHANGES) index.scheduleSnapshot(1000);
    }
    if (opts.live !== false) index.follow(since);
    return index;
  }

  private async loadAll(): Promise<void> {
    for (const prefix of FOLLOWED) {
      const res = await this.db.allDocs({ startkey: prefix, endkey: prefix + '\ufff0', include_docs: true });
      for (const row of res.rows) if (row.doc) this.apply(row.id, row.doc, false);
    }
  }

  /** Applies the followed documents changed after `since`; returns how many changes were read, and up to where. */
  private async catchUp(since: number | string): Promise<{ changes: number; seq: number | string }> {
    let seq = since;
    let changes = 0;
    const changed = new Map<string, boolean>(); // id -> deleted
    for (;;) {
      const page = await this.db.changes({ since: seq, limit: CATCH_UP_PAGE, include_docs: false });
      for (const c of page.results) if (followed(c.id)) changed.set(c.id, c.deleted === true);
      changes += page.results.length;
      seq = page.last_seq;
      if (page.results.length < CATCH_UP_PAGE) break;
    }
    const ids = [...changed].filter(([, deleted]) => !deleted).map(([id]) => id);
    for (const [id, deleted] of changed) if (deleted) this.apply(id, null, false);
    for (let i = 0; i < ids.length; i += CATCH_UP_PAGE) {
      const res = await this.db.allDocs({ keys: ids.slice(i, i + CATCH_UP_PAGE), include_docs: true });
      for (const row of res.rows) this.apply(row.key, row.doc && !row.value?.deleted ? row.doc : null, false);
    }
    this.appliedSinceSnapshot += changed.size;
    return { changes, seq };
  }

  private follow(since: number | string): void {
    // Without include_docs: most changes on a till are its own sales, which the index skips by id alone, so
    // fetching their bodies would only compete with the next commit. A followed document is read by id; a
    // read always returns the current revision, so reads finishing out of order still converge.
    this.feed = this.db.changes({ live: true, since, include_docs: false });
    this.feed.on('change', (c) => {
      this.seenSeq = c.seq;
      if (!followed(c.id)) {
        if (this.reading === 0) this.appliedSeq = c.seq;
        return;
      }
      if (c.deleted) {
        this.apply(c.id, null, true);
        if (this.reading === 0) this.appliedSeq = c.seq;
        return;
      }
      this.reading += 1;
      getOrNull(this.db, c.id)
        .then(
          (doc) => this.apply(c.id, doc, true),
          () => {
            // The next change of this document, or the next start (catching up from the last snapshot, which is
            // older than this change), brings it.
            this.missedChange = true;
          },
        )
        .finally(() => {
          this.reading -= 1;
          if (this.reading === 0) this.appliedSeq = this.seenSeq;
        });
    });
  }

  /** Stops following the database (and writing snapshots). */
  close(): void {
    this.feed?.cancel();
    this.feed = null;
    if (this.rewriteTimer) clearTimeout(this.rewriteTimer);
    this.rewriteTimer = null;
    this.snapshots = null;
  }

  private scheduleSnapshot(delayMs: number): void {
    if (!this.snapshots) return;
    if (this.rewriteTimer) clearTimeout(this.rewriteTimer);
    this.rewriteTimer = setTimeout(() => {
      this.rewriteTimer = null;
      void this.saveSnapshot();
    }, delayMs);
  }

  /**
   * Writes what the index holds as the snapshot the next start reads; false when there is no store, when a changed
   * document could not be read, or when reads of changed documents are still in flight (then it tries again
   * shortly).
   */
  async saveSnapshot(): Promise<boolean> {
    if (this.writing) return this.writing;
    const target = this.snapshots;
    if (!target || this.missedChange) return false;
    if (this.reading > 0) {
      this.scheduleSnapshot(REWRITE_QUIET_MS);
      return false;
    }
    // Taken together: every change up to `seq` is in these documents (documents are replaced, never changed in
    // place, so the list stays as it is while the store serializes it).
    const seq = this.appliedSeq;
    const docs: unknown[] = [...this.byId.values(), ...this.prices.values(), ...this.rates.values(), ...this.groups.values(), ...this.specials.values(), ...this.tendersById.values(), ...this.depts.values()];
    if (this.storeConfig) docs.push(this.storeConfig);
    this.appliedSinceSnapshot = 0;
    this.writing = target.store.write({ dbId: target.dbId, seq, docs }).then(
      () => true,
      (err: unknown) => {
        console.warn('caja: catalog snapshot not written', err);
        return false;
      },
    );
    try {
      return await this.writing;
    } finally {
      this.writing = null;
    }
  }

  get size(): number {
    return this.byId.size;
  }

  private apply(id: string, doc: unknown, live: boolean): void {
    const d = doc as ({ _id: string; type?: string; _deleted?: boolean } & Record<string, unknown>) | null;
    const gone = !d || d._deleted === true;
    const type = splitId(id)?.type;
    if (type === 'product') {
      const old = this.byId.get(id);
      if (old) {
        for (const b of old.barcodes) if (this.byBarcode.get(b) === old) this.byBarcode.delete(b);
        if (this.bySku.get(old.sku) === old) this.bySku.delete(old.sku);
        this.byId.delete(id);
      }
      if (!gone) {
        const p = d as unknown as Product;
        this.byId.set(id, p);
        this.bySku.set(p.sku, p);
        for (const b of p.barcodes) this.byBarcode.set(b, p);
      }
    } else if (type === 'price') {
      const sku = id.slice(typePrefix('price').length);
      if (gone) this.prices.delete(sku);
      else this.prices.set(sku, d as unknown as StorePrice);
    } else if (type === 'config') {
      this.storeConfig = gone ? null : (d as unknown as StoreConfig);
    } else {
      const map: Map<string, unknown> | null = type === 'taxrate'
        ? this.rates
        : type === 'taxgroup'
          ? this.groups
          : type === 'special'
            ? this.specials
            : type === 'tender'
              ? this.tendersById
              : type === 'department'
                ? this.depts
                : null;
      if (!map) return;
      if (gone) map.delete(id);
      else map.set(id, d);
      this.pricingCache = null;
    }
    if (live) {
      this.changesApplied += 1;
      this.appliedSinceSnapshot += 1;
      if (this.appliedSinceSnapshot >= REWRITE_AFTER_APPLIED) this.scheduleSnapshot(REWRITE_QUIET_MS);
      for (const l of this.listeners) l();
    }
  }

  /** Calls `listener` after each change applied from the live feed (the till refreshes what it shows); returns an unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every product in the index (search and department browsing scan these in memory). */
  products(): IterableIterator<Product> {
    return this.byId.values();
  }

  /** The departments replicated to this terminal. */
  departments(): Department[] {
    return [...this.depts.values()];
  }

  /** Every tender type replicated to this terminal. */
  tenders(): Tender[] {
    return [...this.tendersById.values()];
  }

  /**
   * The product a scanned code names, with its store price. A variable-measure label (prefix 2, 13 digits)
   * that is not itself a known code is read as its PLU label with the weight in grams in digits 8-12.
   */
  lookup(code: string): ScanResult | null {
    const direct = this.byBarcode.get(code);
    if (direct) return { product: direct, storePrice: this.prices.get(direct.sku) ?? null };
    if (code.length === 13 && code.charCodeAt(0) === 50 /* '2' */ && /^[0-9]{13}$/.test(code)) {
      const body = code.slice(0, 7) + '00000';
      const p = this.byBarcode.get(body + ean13CheckDigit(body));
      if (p && p.weighed) {
        const grams = Number(code.slice(7, 12));
        if (grams > 0) return { product: p, storePrice: this.prices.get(p.sku) ?? null, qty: grams / 1000 };
      }
    }
    return null;
  }

  /** The product with this SKU (keyed entry at the till), with its store price. */
  lookupSku(sku: string): ScanResult | null {
    const p = this.bySku.get(sku);
    return p ? { product: p, storePrice: this.prices.get(p.sku) ?? null } : null;
  }

  /** The store's price override for a SKU, if HQ set one. */
  storePrice(sku: string): StorePrice | null {
    return this.prices.get(sku) ?? null;
  }

  /** The tax catalog and specials a sale is priced with (a fresh object only after one of them changed). */
  pricing(): PricingCatalog {
    this.pricingCache ??= {
      rates: Object.fromEntries(this.rates),
      groups: Object.fromEntries(this.groups),
      specials: [...this.specials.values()],
    };
    return this.pricingCache;
  }

  /** A tender by id (`tender:cash`). */
  tender(id: string): Tender | null {
    return this.tendersById.get(id) ?? null;
  }

  /** The store configuration replicated from HQ (null until it arrives). */
  config(): StoreConfig | null {
    return this.storeConfig;
  }
}
