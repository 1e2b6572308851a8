// The console's product search over caja-catalog: SKU prefix, barcode and name (either language, accents
// ignored), paged by SKU cursor, fast at 100k products. The catalog has no view that answers a name search,
// and a Mango `$regex` scans every document per request (seconds at 100k), so this keeps a compact copy of
// each product in memory and catches up with the catalog's `_changes` before every answer: an edit is in the
// next search, and nothing has to be kept in step by a background loop. The copy is derived and rebuildable,
// so a second HQ instance simply builds its own (design: nothing in process memory that another instance
// would need). About 300 bytes a product.
//
// Search cost at 100k: a SKU prefix is a binary search in the SKU-sorted list; a barcode a map lookup; a
// name one `indexOf` pass over a single string of every name (the engine's fast substring search) instead of
// 100k small ones, then the other words checked on the hits only.
import type { CouchHandle } from '../../server-kit/couch';
import type { Logger } from '../../server-kit/log';
import type { Product } from '../../shared/model/types';
import { CATALOG_DB } from '../../shared/model/names';
import { typePrefix } from '../../shared/model/ids';
import type { ProductPage, ProductRow } from '../../shared/api/responses';

const PRODUCT_PREFIX = typePrefix('product');

interface Entry {
  row: ProductRow;
  /** Lower-case, accent-free names, as searched. */
  names: string;
}

/** Catalog changes read per request to CouchDB. */
const BATCH = 2000;
/** Separates two products' names in the haystack; never in folded text a person types. */
const SEP = '\u0000';

/** Lower case without accents, so "cafe" finds "Café" and "pina" finds "Piña". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replaceAll(SEP, ' ').toLowerCase();
}

function toEntry(p: Product): Entry {
  const row: ProductRow = {
    sku: p.sku,
    _rev: p._rev ?? '',
    name: { en: p.name?.en ?? '', es: p.name?.es ?? '' },
    barcodes: Array.isArray(p.barcodes) ? p.barcodes : [],
    price: p.price,
    departmentId: p.departmentId,
    taxGroupId: p.taxGroupId,
    unit: p.unit,
    active: p.active,
    updatedAt: p.updatedAt,
  };
  return { row, names: `${foldText(row.name.en)} ${foldText(row.name.es)}` };
}

/** Index of the first entry of the SKU-sorted `list` whose SKU is >= `sku` (or > with `after`). */
function lowerBound(list: readonly Entry[], sku: string, after = false): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const s = (list[mid] as Entry).row.sku;
    if (s < sku || (after && s === sku)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The SKU-sorted list with what search needs built from it: positions, the name haystack, barcodes. */
interface Built {
  list: Entry[];
  position: Map<string, number>;
  /** Every entry's names joined by SEP; `starts[i]` is where entry i's names begin. */
  hay: string | null;
  starts: Int32Array | null;
  barcodes: Map<string, number[]> | null;
}

export class ProductIndex {
  private readonly entries = new Map<string, Entry>();
  private built: Built | null = null;
  private since: string | number | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly couch: CouchHandle,
    private readonly log: Logger,
  ) {}

  /** Brings the copy up to date with the catalog; concurrent callers share one catch-up. */
  refresh(): Promise<void> {
    this.inFlight ??= this.catchUp().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Starts building the copy without waiting, so the first search does not pay for it. */
  warm(): void {
    this.refresh().catch((err: unknown) => this.log.warn('console.product_index_failed', { err: err instanceof Error ? err.message : String(err) }));
  }

  /**
   * Reads the catalog's changes since the last answer, with their documents (from 0 the first time: that is
   * the whole catalog). The catalog holds catalog documents only, nearly all products, so reading the bodies
   * with the feed costs nothing a second fetch would not.
   */
  private async catchUp(): Promise<void> {
    for (;;) {
      const since = this.since ?? 0;
      const res = await this.couch.request<{ results: Array<{ id: string; deleted?: boolean; doc?: Product }>; last_seq: string | number }>(
        `/${CATALOG_DB}/_changes?since=${encodeURIComponent(String(since))}&limit=${BATCH}&include_docs=true`,
      );
      for (const c of res.results) {
        if (!c.id.startsWith(PRODUCT_PREFIX)) continue;
        if (c.deleted || !c.doc) this.remove(c.id);
        else this.put(c.id, toEntry(c.doc));
      }
      this.since = res.last_seq;
      // A short batch is the end of the feed (the embedded server does not report `pending`).
      if (res.results.length < BATCH) return;
    }
  }

  private put(id: string, entry: Entry): void {
    const known = this.entries.has(id);
    this.entries.set(id, entry);
    const pos = this.built?.position.get(id);
    if (known && this.built && pos !== undefined) {
      // An edit keeps its SKU (the id carries it), so it keeps its place: no re-sort, only the text indexes.
      this.built.list[pos] = entry;
      this.built.hay = null;
      this.built.starts = null;
      this.built.barcodes = null;
    } else {
      this.built = null;
    }
  }

  private remove(id: string): void {
    if (this.entries.delete(id)) this.built = null;
  }

  private list(): Built {
    if (!this.built) {
      const list = [...this.entries.values()].sort((a, b) => (a.row.sku < b.row.sku ? -1 : a.row.sku > b.row.sku ? 1 : 0));
      this.built = { list, position: new Map(list.map((e, i) => [PRODUCT_PREFIX + e.row.sku, i])), hay: null, starts: null, barcodes: null };
    }
    return this.built;
  }

  private textIndexes(b: Built): { hay: string; starts: Int32Array; barcodes: Map<string, number[]> } {
    if (b.hay === null || b.starts === null || b.barcodes === null) {
      const starts = new Int32Array(b.list.length);
      const parts: string[] = [];
      const barcodes = new Map<string, number[]>();
      let at = 0;
      b.list.forEach((e, i) => {
        starts[i] = at;
        parts.push(e.names);
        at += e.names.length + SEP.length;
        for (const code of e.row.barcodes) {
          const hits = barcodes.get(code);
          if (hits) hits.push(i);
          else barcodes.set(code, [i]);
        }
      });
      b.hay = parts.join(SEP);
      b.starts = starts;
      b.barcodes = barcodes;
    }
    return { hay: b.hay, starts: b.starts, barcodes: b.barcodes };
  }

  /** Entries whose names contain every word (the longest word found by one pass over the haystack). */
  private nameMatches(b: Built, words: string[]): number[] {
    if (!words.length) return [];
    const { hay, starts } = this.textIndexes(b);
    const [first, ...rest] = [...words].sort((x, y) => y.length - x.length) as [string, ...string[]];
    const hits: number[] = [];
    let from = 0;
    for (;;) {
      const at = hay.indexOf(first, from);
      if (at < 0) break;
      // The entry the hit falls in: the last start <= at.
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] as number) <= at) lo = mid;
        else hi = mid - 1;
      }
      const entry = b.list[lo] as Entry;
      if (rest.every((w) => entry.names.includes(w))) hits.push(lo);
      // Next search starts after this entry: one hit per product.
      from = (starts[lo] as number) + entry.names.length + SEP.length;
    }
    return hits;
  }

  /**
   * One page of products in SKU order after `cursor`. `q` matches a SKU prefix, a whole barcode, or every
   * word of it somewhere in the English or Spanish name.
   */
  async search(opts: { q?: string; limit: number; cursor?: string | null }): Promise<ProductPage> {
    await this.refresh();
    const b = this.list();
    const all = b.list;
    const start = opts.cursor ? lowerBound(all, opts.cursor, true) : 0;
    const q = (opts.q ?? '').trim();
    if (!q) {
      const items = all.slice(start, start + opts.limit).map((e) => e.row);
      const lastIndex = start + items.length;
      return { items, total: all.length, nextCursor: lastIndex < all.length ? (items.at(-1)?.sku ?? null) : null };
    }
    const matched = new Set<number>(this.nameMatches(b, foldText(q).split(/\s+/).filter(Boolean)));
    for (const i of this.textIndexes(b).barcodes.get(q) ?? []) matched.add(i);
    // SKUs are compared as typed and upper-cased (SKUs are usually upper case; both spellings are tried).
    for (const prefix of new Set([q, q.toUpperCase()])) {
      for (let i = lowerBound(all, prefix); i < all.length && (all[i] as Entry).row.sku.startsWith(prefix); i++) matched.add(i);
    }
    const order = [...matched].sort((x, y) => x - y);
    const page = order.filter((i) => i >= start);
    const items = page.slice(0, opts.limit).map((i) => (all[i] as Entry).row);
    return { items, total: order.length, nextCursor: page.length > opts.limit ? (items.at(-1)?.sku ?? null) : null };
  }
}
