// A store's price overrides as HQ staff read them (issue #12): listed beside each product's name and chain
// price, and a bulk request checked line by line without writing anything, so the console can preview a
// pasted CSV (unknown SKUs, repeated lines, what changes) before PUT /store-prices/:store applies it. The
// rules of the write itself (every line checked, then one `_bulk_docs`) stay in services/stores.ts.
import type { CouchHandle } from '../../server-kit/couch';
import { listByPrefix } from '../../server-kit/docs';
import type { CatalogPage, PriceCheckAnswer, PriceCheckLine, StorePriceRow } from '../../shared/api/catalogAdmin';
import type { StorePricesBulkBody } from '../../shared/api/hqRecords';
import { priceId, productId, typePrefix } from '../../shared/model/ids';
import { CATALOG_DB, hqStoreDbName } from '../../shared/model/names';
import type { Product, StorePrice } from '../../shared/model/types';
import { getStore } from './stores';

/** The documents `ids` name in `db`, by id (missing and deleted ones left out). */
async function docsById<T extends { _id: string }>(couch: CouchHandle, db: string, ids: readonly string[]): Promise<Map<string, T>> {
  if (!ids.length) return new Map();
  const res = await couch.request<{ rows: Array<{ id?: string; doc?: T | null }> }>(`/${encodeURIComponent(db)}/_all_docs?include_docs=true`, {
    method: 'POST',
    body: { keys: ids },
  });
  return new Map(res.rows.flatMap((r) => (r.doc ? [[r.doc._id, r.doc] as const] : [])));
}

/** Lower case without accents, so "panaderia" finds "Panadería". */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export interface StorePriceQuery {
  q?: string;
  limit?: number;
  cursor?: string;
}

/**
 * One page of a store's overrides in SKU order: `q` keeps those whose SKU starts with it or whose name (either
 * language) holds it; `cursor` is the last SKU of the previous page. A store keeps at most some thousands of
 * overrides, so they are read whole and paged here (as the catalog modules page theirs).
 */
export async function listStorePrices(couch: CouchHandle, code: string, query: StorePriceQuery): Promise<CatalogPage<StorePriceRow>> {
  await getStore(couch, code);
  const prices = await listByPrefix<StorePrice>(couch, hqStoreDbName(code), typePrefix('price'));
  const products = await docsById<Product>(couch, CATALOG_DB, prices.map((p) => productId(p.sku)));
  const rows = prices.map((p): StorePriceRow => {
    const product = products.get(productId(p.sku));
    return { sku: p.sku, price: p.price, updatedAt: p.updatedAt, name: product?.name ?? null, basePrice: product?.price ?? null };
  });
  const q = fold(query.q?.trim() ?? '');
  const matching = q ? rows.filter((r) => fold(r.sku).startsWith(q) || (r.name !== null && fold(`${r.name.en} ${r.name.es}`).includes(q))) : rows;
  const start = query.cursor ? matching.findIndex((r) => r.sku > (query.cursor as string)) : 0;
  const from = start < 0 ? matching.length : start;
  const limit = query.limit ?? 100;
  const items = matching.slice(from, from + limit);
  const last = items.at(-1);
  return { items, total: matching.length, nextCursor: from + limit < matching.length && last ? last.sku : null };
}

/** What PUT /store-prices/:store would do with `lines`, line by line, found without writing. */
export async function checkStorePrices(couch: CouchHandle, code: string, lines: StorePricesBulkBody['prices']): Promise<PriceCheckAnswer> {
  await getStore(couch, code);
  const skus = [...new Set(lines.map((l) => l.sku))];
  const products = await docsById<Product>(couch, CATALOG_DB, skus.map(productId));
  const current = await docsById<StorePrice>(couch, hqStoreDbName(code), skus.map(priceId));
  const seen = new Set<string>();
  const out = lines.map((line): PriceCheckLine => {
    const product = products.get(productId(line.sku));
    const now = current.get(priceId(line.sku))?.price ?? null;
    const base = { sku: line.sku, price: line.price, current: now, basePrice: product?.price ?? null, name: product?.name ?? null };
    const repeated = seen.has(line.sku);
    seen.add(line.sku);
    if (repeated) return { ...base, result: 'error', error: 'repeated_sku' };
    if (!product) return { ...base, result: 'error', error: 'unknown_sku' };
    if (line.price === null) return { ...base, result: now === null ? 'unchanged' : 'removed' };
    return { ...base, result: now === line.price ? 'unchanged' : 'set' };
  });
  const counts = { set: 0, removed: 0, unchanged: 0, error: 0 };
  for (const l of out) counts[l.result]++;
  return { store: code, counts, lines: out };
}
