// Catalog edits through the HQ API: products (in caja-catalog, down to every store) and store price
// overrides (`price:<sku>` in one store's database). Every document is validated by the same shared
// validator that design documents run, so the API and CouchDB agree on what is acceptable.
import type { CouchHandle } from '../../common/couch';
import { getDoc, putDoc, updateDoc } from '../../common/docs';
import { tombstone } from './users';
import { badRequest, notFound } from '../../common/errors';
import { priceId, productId } from '../../shared/model/ids';
import type { Product, StorePrice } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { validateDoc } from '../../shared/model/validate';
import { money } from '../../shared/money';
import { CATALOG_DB, storeDbName } from './dbs';
import { getStore } from './stores';

function checkValid(doc: object): void {
  const errors = validateDoc(doc);
  if (errors.length) throw badRequest('invalid_document', errors.join('; '), { errors });
}

function checkPrice(value: unknown, field = 'price'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badRequest('invalid_price', `${field} is a non-negative integer of minor units (cents).`);
  }
  return money(value);
}

export async function getProduct(couch: CouchHandle, sku: string): Promise<Product> {
  const p = await getDoc<Product>(couch, CATALOG_DB, productId(sku));
  if (!p) throw notFound('product_not_found', `No product ${sku}.`);
  return p;
}

/** Products whose SKU starts with `prefix`, or the one carrying barcode `barcode`. */
export async function searchProducts(couch: CouchHandle, q: { sku?: string; barcode?: string; limit?: number }): Promise<Product[]> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  if (q.barcode) {
    const res = await couch.request<{ rows: Array<{ doc?: Product }> }>(
      `/${CATALOG_DB}/_design/products_by_barcode/_view/products_by_barcode?include_docs=true&key=${encodeURIComponent(JSON.stringify(q.barcode))}`,
    );
    return res.rows.flatMap((r) => (r.doc ? [r.doc] : []));
  }
  const prefix = `product:${q.sku ?? ''}`;
  const res = await couch.nano.use<Product>(CATALOG_DB).list({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true, limit });
  return res.rows.flatMap((r) => (r.doc ? [r.doc as Product] : []));
}

/** Updates a product's editable fields (price, cost, names, active, barcodes). */
export async function updateProduct(couch: CouchHandle, sku: string, patch: Record<string, unknown>): Promise<Product> {
  const allowed = ['price', 'cost', 'name', 'active', 'barcodes', 'departmentId', 'taxGroupId', 'supplierId'];
  const unknownFields = Object.keys(patch).filter((k) => !allowed.includes(k));
  if (unknownFields.length) throw badRequest('invalid_field', `Cannot change: ${unknownFields.join(', ')}.`);
  if (patch.price !== undefined) checkPrice(patch.price);
  if (patch.cost !== undefined) checkPrice(patch.cost, 'cost');
  const saved = await updateDoc<Product>(couch, CATALOG_DB, productId(sku), (p) => {
    if (!p) throw notFound('product_not_found', `No product ${sku}.`);
    const next = { ...p, ...patch, updatedAt: new Date().toISOString() } as Product;
    checkValid(next);
    return next;
  });
  return saved as Product;
}

/** Sets (or with `price: null` removes) a store's price override for a product. */
export async function setStorePrice(couch: CouchHandle, storeCode: string, sku: string, price: unknown): Promise<StorePrice | null> {
  await getStore(couch, storeCode);
  await getProduct(couch, sku);
  const db = storeDbName(storeCode);
  const id = priceId(sku);
  if (price === null) {
    const cur = await getDoc<StorePrice>(couch, db, id);
    if (cur?._rev) await putDoc(couch, db, tombstone(cur));
    return null;
  }
  const value = checkPrice(price);
  const saved = await updateDoc<StorePrice>(couch, db, id, () => {
    const doc: StorePrice = { _id: id, type: 'price', schema: CURRENT_SCHEMA, storeId: storeCode, sku, price: money(value), updatedAt: new Date().toISOString() };
    checkValid(doc);
    return doc;
  });
  return saved as StorePrice;
}
