// Catalog edits through the HQ API: products (in caja-catalog, down to every store) and store price
// overrides (`price:<sku>` in one store's database). Every document is validated by the same shared
// validator that design documents run, so the API and CouchDB agree on what is acceptable; on top of it the
// API keeps the catalog whole: a barcode belongs to one product, and a product names a department, tax
// group and supplier that exist (a deactivated department or tax group is kept, never newly chosen). A write
// that changes nothing is not made: each catalog revision travels to every store and every till.
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, putDoc, updateDoc } from '../../server-kit/docs';
import { tombstone } from './users';
import { badRequest, conflict, notFound } from '../../server-kit/errors';
import type { ProductPatchBody } from '../../shared/api/bodies';
import { KeyedMutex } from '../../shared/auth/keyedMutex';
import { priceId, productId, typePrefix } from '../../shared/model/ids';
import type { Product, StorePrice } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { validateDoc } from '../../shared/model/validate';
import type { Money } from '../../shared/money';
import { money } from '../../shared/money';
import { CATALOG_DB, hqStoreDbName } from '../../shared/model/names';
import { getStore } from './stores';

/**
 * Product edits touching the same barcodes run one at a time in this process, so two edits cannot both find a
 * barcode free and both take it. (Several HQ instances each serialise their own; the barcode view then still
 * shows the duplicate, which the next edit of either product refuses to keep.)
 */
const barcodeLock = new KeyedMutex();

function checkValid(doc: object): void {
  const errors = validateDoc(doc);
  if (errors.length) throw badRequest('invalid_document', errors.join('; '), { errors });
}

export async function getProduct(couch: CouchHandle, sku: string): Promise<Product> {
  const p = await getDoc<Product>(couch, CATALOG_DB, productId(sku));
  if (!p) throw notFound('product_not_found', `No product ${sku}.`);
  return p;
}

/** One page of products; `next` is the SKU to continue after (null on the last page). */
export interface ProductPage {
  products: Product[];
  next: string | null;
}

/**
 * Products whose SKU starts with `sku` (all when empty), `limit` per page in SKU order, after the SKU `after`;
 * or the products carrying barcode `barcode`. A page says where the next one starts, so nothing is cut off.
 */
export async function searchProducts(couch: CouchHandle, q: { sku?: string; barcode?: string; limit?: number; after?: string }): Promise<ProductPage> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  if (q.barcode) {
    const res = await couch.request<{ rows: Array<{ doc?: Product }> }>(
      `/${CATALOG_DB}/_design/products_by_barcode/_view/products_by_barcode?include_docs=true&key=${encodeURIComponent(JSON.stringify(q.barcode))}`,
    );
    return { products: res.rows.flatMap((r) => (r.doc ? [r.doc] : [])), next: null };
  }
  const prefix = typePrefix('product') + (q.sku ?? '');
  const afterId = q.after !== undefined ? productId(q.after) : null;
  const startkey = afterId && afterId > prefix ? afterId : prefix;
  // One more row than the page: the page after `after` may start with `after` itself, and the extra row
  // tells whether there is a next page at all.
  const res = await couch.nano.use<Product>(CATALOG_DB).list({ startkey, endkey: `${prefix}\ufff0`, include_docs: true, limit: limit + 2 });
  const rows = res.rows.filter((r) => r.id !== afterId && r.doc);
  const products = rows.slice(0, limit).map((r) => r.doc as Product);
  const last = products.at(-1);
  return { products, next: rows.length > limit && last ? last.sku : null };
}

/** A reference of a patch that names a deactivated department or tax group. */
type Inactive = { field: 'departmentId' | 'taxGroupId'; id: string };

/**
 * Ids that must name an existing document of their type (a product pointing nowhere cannot be priced or
 * taxed). Returns the department and tax group named that are deactivated: the edit may keep them where the
 * product has them already, not choose them anew (`refuseInactive`; as creating a product, hq/services/catalogAdmin.ts).
 */
async function checkReferences(couch: CouchHandle, patch: ProductPatchBody): Promise<Inactive[]> {
  const refs: Array<[keyof ProductPatchBody, string | null | undefined, string]> = [
    ['departmentId', patch.departmentId, 'department'],
    ['taxGroupId', patch.taxGroupId, 'taxgroup'],
    ['supplierId', patch.supplierId, 'supplier'],
  ];
  const inactive: Inactive[] = [];
  for (const [field, id, type] of refs) {
    if (!id) continue;
    const doc = await getDoc<{ _id: string; type?: string; active?: boolean }>(couch, CATALOG_DB, id);
    if (!doc || doc.type !== type) throw badRequest('unknown_reference', `${field}: there is no ${type} ${id}.`, { field, id });
    if (doc.active === false && (field === 'departmentId' || field === 'taxGroupId')) inactive.push({ field, id });
  }
  return inactive;
}

/** Refuses a deactivated department or tax group the product does not have already (deactivating stops new uses). */
function refuseInactive(current: Product, inactive: readonly Inactive[]): void {
  const off = inactive.find(({ field, id }) => current[field] !== id);
  if (off) throw badRequest('inactive_reference', `${off.field}: ${off.id} is deactivated; reactivate it or choose another.`, { field: off.field, id: off.id });
}

/** Refuses barcodes another product carries already (one scan, one product). */
async function checkBarcodesFree(couch: CouchHandle, sku: string, barcodes: readonly string[]): Promise<void> {
  if (barcodes.length === 0) return;
  const res = await couch.request<{ rows: Array<{ key: string; value: string }> }>(`/${CATALOG_DB}/_design/products_by_barcode/_view/products_by_barcode`, {
    method: 'POST',
    body: { keys: barcodes },
  });
  const taken = res.rows.find((r) => r.value !== sku);
  if (taken) {
    const index = barcodes.indexOf(taken.key);
    throw conflict('barcode_taken', `barcodes[${index}]: ${taken.key} already belongs to product ${taken.value}.`, { barcode: taken.key, sku: taken.value });
  }
}

/** The product after a patch (names merge per language; `supplierId: null` removes the supplier). */
function patched(p: Product, patch: ProductPatchBody): Product {
  const { supplierId, name, ...rest } = patch;
  const next: Product = { ...p, ...rest, name: name ? { ...p.name, ...name } : p.name };
  if (supplierId === null) delete next.supplierId;
  else if (supplierId !== undefined) next.supplierId = supplierId;
  return next;
}

const sameContent = (a: Product, b: Product) => {
  const strip = ({ _rev: _r, updatedAt: _u, ...rest }: Product) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
};

/**
 * Updates a product's editable fields (price, cost, names, active, barcodes, department, tax group, supplier).
 * The patch is parsed by the route; here the catalog's integrity is checked before the write. Returns the
 * product and whether it changed (an edit to the same values writes no revision).
 */
export async function updateProduct(couch: CouchHandle, sku: string, patch: ProductPatchBody): Promise<{ product: Product; changed: boolean }> {
  if (Object.keys(patch).length === 0) throw badRequest('nothing_to_change', 'Send at least one field to change.');
  const inactive = await checkReferences(couch, patch);
  const barcodes = patch.barcodes ?? [];
  return barcodeLock.run(
    barcodes.map((b) => `barcode:${b}`),
    async () => {
      await checkBarcodesFree(couch, sku, barcodes);
      let changed = false;
      const saved = await updateDoc<Product>(couch, CATALOG_DB, productId(sku), (p) => {
        if (!p) throw notFound('product_not_found', `No product ${sku}.`);
        refuseInactive(p, inactive);
        const next = patched(p, patch);
        changed = !sameContent(p, next);
        if (!changed) return null;
        const stamped = { ...next, updatedAt: new Date().toISOString() };
        checkValid(stamped);
        return stamped;
      });
      return { product: saved as Product, changed };
    },
  );
}

/** Sets (or with `price: null` removes) a store's price override for a product. */
export async function setStorePrice(couch: CouchHandle, storeCode: string, sku: string, price: Money | null): Promise<StorePrice | null> {
  await getStore(couch, storeCode);
  await getProduct(couch, sku);
  const db = hqStoreDbName(storeCode);
  const id = priceId(sku);
  if (price === null) {
    const cur = await getDoc<StorePrice>(couch, db, id);
    if (cur?._rev) await putDoc(couch, db, tombstone(cur));
    return null;
  }
  const value = money(price);
  const saved = await updateDoc<StorePrice>(couch, db, id, (cur) => {
    // The same price again writes nothing (every till of the store would download it).
    if (cur && cur.price === value) return null;
    const doc: StorePrice = { _id: id, type: 'price', schema: CURRENT_SCHEMA, storeId: storeCode, sku, price: value, updatedAt: new Date().toISOString() };
    checkValid(doc);
    return doc;
  });
  return saved;
}
