import { Router } from 'express';
import { route } from '../../common/http';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission } from '../context';
import { audit } from '../services/audit';
import { getProduct, searchProducts, setStorePrice, updateProduct } from '../services/catalog';

/** /api/v1/products */
export function productRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx));
  r.get(
    '/',
    route(async (req, res) => {
      const q = req.query as Record<string, string | undefined>;
      res.json(await searchProducts(ctx.couch, { ...(q.sku !== undefined ? { sku: q.sku } : {}), ...(q.barcode ? { barcode: q.barcode } : {}), limit: Number(q.limit ?? 50) || 50 }));
    }),
  );
  r.get('/:sku', route(async (req, res) => res.json(await getProduct(ctx.couch, String(req.params.sku)))));
  r.patch(
    '/:sku',
    requirePermission('catalog.edit'),
    route(async (req, res) => {
      const patch = (req.body ?? {}) as Record<string, unknown>;
      const product = await updateProduct(ctx.couch, String(req.params.sku), patch);
      await audit(ctx.couch, actorOf(req, res), 'product.update', product._id, { fields: Object.keys(patch), ...(patch.price !== undefined ? { price: patch.price } : {}) });
      res.json(product);
    }),
  );
  return r;
}

/** /api/v1/store-prices/:store/:sku */
export function storePriceRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx), requirePermission('catalog.edit'));
  r.put(
    '/:store/:sku',
    route(async (req, res) => {
      const { store, sku } = req.params as { store: string; sku: string };
      const price = (req.body as { price?: unknown } | undefined)?.price;
      const saved = await setStorePrice(ctx.couch, store, sku, price ?? null);
      await audit(ctx.couch, actorOf(req, res), saved ? 'store_price.set' : 'store_price.remove', `${store}/price:${sku}`, { price: price ?? null });
      res.json(saved ?? { removed: true });
    }),
  );
  return r;
}
