// The local catalog: barcode -> product at the till from memory. A scan must answer well within 100 ms and
// the design's target is p99 <= 1 ms over 100k products: a query (pouchdb-find 1-7 ms, a map/reduce view
// slower to build) cannot promise that on IndexedDB, a Map can (< 1 µs). The maps are built once from the
// local database and kept current from its live `_changes` feed, so a price pushed from HQ is what the next
// scan sees.
// The same feed keeps the small pricing facts (tax rates and groups, specials, tenders, store config and
// store price overrides) in memory too, so ringing a sale reads nothing from the database but the shift.
import { ean13CheckDigit, splitId, typePrefix } from '../../../../shared/model/ids';
import type { Department, Product, Special, StoreConfig, StorePrice, TaxGroup, TaxRate, Tender } from '../../../../shared/model/types';
import type { PricingCatalog } from '../../../../shared/pos/sale';
import { getOrNull, type LiveFeed, type LocalDb } from './localDb';

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

  private constructor(private readonly db: LocalDb) {}

  /**
   * Loads every product and pricing fact from the local database and follows its changes. The feed starts
   * from the update_seq read before the load, so a change made during the load is applied, never missed.
   */
  static async open(db: LocalDb, opts: { live?: boolean } = {}): Promise<LocalCatalog> {
    const index = new LocalCatalog(db);
    const since = (await db.info()).update_seq;
    for (const prefix of FOLLOWED) {
      const res = await db.allDocs({ startkey: prefix, endkey: prefix + '\ufff0', include_docs: true });
      for (const row of res.rows) if (row.doc) index.apply(row.id, row.doc, false);
    }
    if (opts.live !== false) {
      // Without include_docs: most changes on a till are its own sales, which the index skips by id alone, so
      // fetching their bodies would only compete with the next commit. A followed document is read by id; a
      // read always returns the current revision, so reads finishing out of order still converge.
      index.feed = db.changes({ live: true, since, include_docs: false });
      index.feed.on('change', (c) => {
        if (!followed(c.id)) return;
        if (c.deleted) return index.apply(c.id, null, true);
        getOrNull(db, c.id).then(
          (doc) => index.apply(c.id, doc, true),
          () => undefined, // the next change of this document, or the next load, brings it
        );
      });
    }
    return index;
  }

  /** Stops following the database. */
  close(): void {
    this.feed?.cancel();
    this.feed = null;
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
