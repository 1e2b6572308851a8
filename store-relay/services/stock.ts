// The store's stock levels for manager mode: the `stock_milli` view (moves, sales, voids, restocked returns,
// transfers out, transfer arrivals, summed per [store, product]) joined with the relay's copy of the catalog,
// searched by SKU prefix, barcode or the words of a name (English or Spanish, accents ignored), by department
// (with the ones under it), and paged by SKU.
//
// The relay database has no view that answers a name search, and scanning 100k product documents per request
// takes seconds, so a compact copy of each product is kept in memory and caught up with the database's
// product changes before every answer (an edit from HQ is in the next search; nothing runs in the background).
// The copy is derived: a restart rebuilds it. Stock itself is never cached: each page asks the view for its
// own products' sums, so an adjustment a till synced a moment ago is in the next answer.
import type { CouchHandle } from '../../server-kit/couch';
import type { StockPage, StockRow } from '../../shared/api/responses';
import { typePrefix } from '../../shared/model/ids';
import type { Department, Product } from '../../shared/model/types';

const PRODUCT_PREFIX = typePrefix('product');
const DEPARTMENT_PREFIX = typePrefix('department');
/** Product changes read per request to CouchDB while catching up. */
const BATCH = 2000;

type Row = Omit<StockRow, 'qtyMilli'>;

interface Entry {
  row: Row;
  /** Lower-case, accent-free English and Spanish names, as searched. */
  names: string;
}

/** Lower case without accents, so "cafe" finds "Café" and "pina" finds "Piña". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function toEntry(p: Product): Entry {
  const row: Row = {
    productId: p._id,
    sku: p.sku,
    name: { en: p.name?.en ?? '', es: p.name?.es ?? '' },
    barcodes: Array.isArray(p.barcodes) ? p.barcodes : [],
    departmentId: p.departmentId,
    unit: p.unit,
    active: p.active,
  };
  return { row, names: `${foldText(row.name.en)} ${foldText(row.name.es)}` };
}

const bySku = (a: Entry, b: Entry) => (a.row.sku < b.row.sku ? -1 : a.row.sku > b.row.sku ? 1 : 0);

export interface StockSearch {
  q?: string;
  /** A department id (`department:GRO`): its products and those of the departments under it. */
  dept?: string;
  cursor?: string | null;
  limit: number;
}

/** The catalog copy and the stock queries of one relay database. */
export class StockIndex {
  private readonly entries = new Map<string, Entry>();
  private sorted: Entry[] | null = null;
  private since: string | number = 0;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly couch: CouchHandle,
    private readonly db: string,
  ) {}

  /** Brings the copy up to date; concurrent callers share one catch-up. */
  refresh(): Promise<void> {
    this.inFlight ??= this.catchUp().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Reads the product changes since the last answer (from 0 the first time: the whole catalog copy). */
  private async catchUp(): Promise<void> {
    for (;;) {
      const res = await this.couch.request<{ results: Array<{ id: string; deleted?: boolean; doc?: Product }>; last_seq: string | number }>(
        `/${encodeURIComponent(this.db)}/_changes?filter=_selector&since=${encodeURIComponent(String(this.since))}&limit=${BATCH}&include_docs=true`,
        { method: 'POST', body: { selector: { type: 'product' } } },
      );
      for (const c of res.results) {
        if (!c.id.startsWith(PRODUCT_PREFIX)) continue;
        if (c.deleted || !c.doc || c.doc.type !== 'product') this.entries.delete(c.id);
        else this.entries.set(c.id, toEntry(c.doc));
        this.sorted = null;
      }
      this.since = res.last_seq;
      // A short batch is the end of the feed (the embedded server does not report `pending`).
      if (res.results.length < BATCH) return;
    }
  }

  private list(): Entry[] {
    this.sorted ??= [...this.entries.values()].sort(bySku);
    return this.sorted;
  }

  /** The department and every department under it (the tree is a few dozen documents: read each time). */
  private async departmentTree(id: string): Promise<Set<string>> {
    const res = await this.couch.request<{ rows: Array<{ doc?: Department }> }>(
      `/${encodeURIComponent(this.db)}/_all_docs?include_docs=true&startkey=${encodeURIComponent(JSON.stringify(DEPARTMENT_PREFIX))}&endkey=${encodeURIComponent(JSON.stringify(DEPARTMENT_PREFIX + '\ufff0'))}`,
    );
    const depts = res.rows.flatMap((r) => (r.doc && r.doc.type === 'department' ? [r.doc] : []));
    const out = new Set([id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const d of depts) {
        if (d.parentId && out.has(d.parentId) && !out.has(d._id)) {
          out.add(d._id);
          grew = true;
        }
      }
    }
    return out;
  }

  /** The stock of these products at the store, in thousandths (0 for a product that never moved). */
  async stockOf(storeCode: string, productIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (productIds.length === 0) return out;
    const res = await this.couch.request<{ rows: Array<{ key: [string, string]; value: number }> }>(
      `/${encodeURIComponent(this.db)}/_design/stock_milli/_view/stock_milli?group=true`,
      { method: 'POST', body: { keys: productIds.map((id) => [storeCode, id]) } },
    );
    for (const r of res.rows) out.set(r.key[1], (out.get(r.key[1]) ?? 0) + r.value);
    return out;
  }

  /** One page of the store's stock levels, in SKU order after `cursor`. */
  async search(storeCode: string, opts: StockSearch): Promise<StockPage> {
    await this.refresh();
    const matches = await this.matching(opts);
    const after = opts.cursor ?? '';
    const rest = after ? matches.filter((e) => e.row.sku > after) : matches;
    const page = rest.slice(0, opts.limit);
    const stock = await this.stockOf(storeCode, page.map((e) => e.row.productId));
    return {
      items: page.map((e) => ({ ...e.row, qtyMilli: stock.get(e.row.productId) ?? 0 })),
      total: matches.length,
      nextCursor: rest.length > opts.limit ? (page.at(-1)?.row.sku ?? null) : null,
    };
  }

  /** Every product matching the search, in SKU order. */
  private async matching(opts: StockSearch): Promise<Entry[]> {
    const all = this.list();
    const inDept = opts.dept ? await this.departmentTree(opts.dept) : null;
    const q = (opts.q ?? '').trim();
    const words = foldText(q).split(/\s+/).filter(Boolean);
    const upper = q.toUpperCase();
    return all.filter((e) => {
      if (inDept && !inDept.has(e.row.departmentId)) return false;
      if (!q) return true;
      if (e.row.sku.startsWith(q) || e.row.sku.startsWith(upper) || e.row.barcodes.includes(q)) return true;
      return words.every((w) => e.names.includes(w));
    });
  }
}
