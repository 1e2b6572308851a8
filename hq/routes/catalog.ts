import { Router } from 'express';
import type { Request } from 'express';
import { notFound } from '../../server-kit/errors';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { ProductQuery } from '../../shared/api/bodies';
import { parse } from '../../shared/api/parse';
import { HQ_API } from '../../shared/api/routes';
import { isKey, priceId } from '../../shared/model/ids';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission } from '../context';
import { audit } from '../services/audit';
import { getProduct, searchProducts, setStorePrice, updateProduct } from '../services/catalog';
import { storeParam } from './stores';

/**
 * The SKU in the path; one that cannot be a document key is simply not found (CouchDB ids with a slash are
 * refused by the embedded server's path parsing, so no product has one).
 */
/**
 * Whether a SKU can be addressed in a path: a document key without a slash (it would split the path) or a
 * backslash or NUL (nano refuses those outright, which was a 500). No product with such a SKU can be reached
 * through a URL, so the routes answer it as not found.
 */
export function isAddressableSku(sku: string): boolean {
  return isKey(sku) && !['/', '\\', '\u0000'].some((c) => sku.includes(c));
}

function skuParam(req: Request): string {
  const sku = String(req.params.sku ?? '');
  if (!isAddressableSku(sku)) throw notFound('product_not_found', `No product ${String(req.params.sku).slice(0, 40)}.`);
  return sku;
}

/** A query string as the parser expects it: numbers as numbers, a repeated key left a list (and refused). */
function queryOf(req: Request): Record<string, unknown> {
  const q = req.query as Record<string, unknown>;
  return { ...q, ...(typeof q.limit === 'string' ? { limit: q.limit.trim() === '' ? NaN : Number(q.limit) } : {}) };
}

/** /api/v1/products */
export function productRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx));
  const on = mountRoutes(HQ_API, r, '/api/v1/products');
  on('GET /api/v1/products', async ({ req, res }) => {
    const q = parse(ProductQuery, queryOf(req));
    const limit = q.limit ?? 50;
    const page = await searchProducts(ctx.couch, { ...(q.sku !== undefined ? { sku: q.sku } : {}), ...(q.barcode ? { barcode: q.barcode } : {}), ...(q.after !== undefined ? { after: q.after } : {}), limit });
    if (page.next !== null) {
      // The body stays a list (its long-standing shape); where the next page starts is in the headers.
      const next = new URLSearchParams({ ...(q.sku ? { sku: q.sku } : {}), limit: String(limit), after: page.next });
      res.set('Link', `</api/v1/products?${next.toString()}>; rel="next"`);
      res.set('X-Next-After', page.next);
    }
    return page.products;
  });
  on('GET /api/v1/products/:sku', async ({ req }) => getProduct(ctx.couch, skuParam(req)));
  on('PATCH /api/v1/products/:sku', [requirePermission('catalog.edit')], async ({ req, res, body }) => {
    const sku = skuParam(req);
    const patch = body();
    const { product, changed } = await updateProduct(ctx.couch, sku, patch);
    // An edit to the same values wrote nothing: no revision to replicate, nothing to audit.
    if (changed) await audit(ctx.couch, actorOf(req, res), 'product.update', product._id, { fields: Object.keys(patch), ...(patch.price !== undefined ? { price: patch.price } : {}) });
    return product;
  });
  return r;
}

/** /api/v1/store-prices/:store/:sku */
export function storePriceRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx), requirePermission('catalog.edit'));
  const on = mountRoutes(HQ_API, r, '/api/v1/store-prices');
  on('PUT /api/v1/store-prices/:store/:sku', async ({ req, res, body }) => {
    const store = storeParam(req, 'store');
    const sku = skuParam(req);
    const { price } = body();
    const saved = await setStorePrice(ctx.couch, store, sku, price);
    await audit(ctx.couch, actorOf(req, res), saved ? 'store_price.set' : 'store_price.remove', `${store}/${priceId(sku)}`, { price });
    return saved ?? { removed: true as const };
  });
  return r;
}
