// The HQ console (hq/console, a React build) served at `/`, and the few endpoints it needs that the
// module routes do not offer yet: a product list that pages and searches over 100k products, and a product
// edit that carries the revision it was made on, so a stale edit is refused (409 with the current version)
// instead of silently overwriting someone else's change.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { Express, Request, Response, NextFunction } from 'express';
import { getDoc, putDoc } from '../../server-kit/docs';
import { badRequest, conflict, notFound } from '../../server-kit/errors';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { ConsoleProductQuery } from '../../shared/api/bodies';
import type { ProductPatchBody } from '../../shared/api/bodies';
import { parse } from '../../shared/api/parse';
import { HQ_API } from '../../shared/api/routes';
import { productId } from '../../shared/model/ids';
import type { Product } from '../../shared/model/types';
import { validateDoc } from '../../shared/model/validate';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission } from '../context';
import { audit } from '../services/audit';
import { CATALOG_DB } from '../../shared/model/names';
import { isAddressableSku } from './catalog';
import { ProductIndex } from './consoleProductIndex';

/** Where `npx vite build --config hq/console/vite.config.ts` writes the console. */
export const CONSOLE_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../console/dist');

/**
 * The editor's fields. Department, tax group and supplier stay with PATCH /products/:sku, which checks that
 * they exist; this route takes what the console edits and nothing it would have to check again.
 */
const EDITABLE: ReadonlyArray<keyof ProductPatchBody> = ['name', 'price', 'cost', 'active', 'barcodes'];

async function currentProduct(ctx: HqContext, sku: string): Promise<Product> {
  // The catalog routes' rule: a SKU with `/`, `\` or NUL names no stored product (CouchDB refuses such a path).
  const p = isAddressableSku(sku) ? await getDoc<Product>(ctx.couch, CATALOG_DB, productId(sku)) : null;
  if (!p) throw notFound('product_not_found', `No product ${sku.slice(0, 40)}.`);
  return p;
}

/** Refuses barcodes another product carries already (one scan, one product), by the catalog's barcode view. */
async function checkBarcodesFree(ctx: HqContext, sku: string, barcodes: readonly string[]): Promise<void> {
  if (!barcodes.length) return;
  const res = await ctx.couch.request<{ rows: Array<{ key: string; value: string }> }>(`/${CATALOG_DB}/_design/products_by_barcode/_view/products_by_barcode`, {
    method: 'POST',
    body: { keys: barcodes },
  });
  const taken = res.rows.find((r) => r.value !== sku);
  if (taken) throw conflict('barcode_taken', `barcodes[${barcodes.indexOf(taken.key)}]: ${taken.key} already belongs to product ${taken.value}.`, { barcode: taken.key, sku: taken.value });
}

/** The edit merged into `current` (names merge per language), checked by the shared validator. */
function applyEdit(current: Product, patch: ProductPatchBody): Product {
  const outside = Object.keys(patch).filter((k) => !(EDITABLE as readonly string[]).includes(k));
  if (outside.length) throw badRequest('invalid_field', `${outside[0]}: change it with PATCH /api/v1/products/:sku.`);
  const { name, price, cost, active, barcodes } = patch;
  const next: Product = {
    ...current,
    ...(price !== undefined ? { price } : {}),
    ...(cost !== undefined ? { cost } : {}),
    ...(active !== undefined ? { active } : {}),
    ...(barcodes !== undefined ? { barcodes } : {}),
    name: name ? { ...current.name, ...name } : current.name,
    updatedAt: new Date().toISOString(),
  };
  const errors = validateDoc(next);
  if (errors.length) throw badRequest('invalid_document', errors.join('; '), { errors });
  return next;
}

/** /api/v1/console: read endpoints shaped for the console's screens. */
export function consoleRoutes(ctx: HqContext, products: ProductIndex): Router {
  const r = Router();
  r.use(authenticate(ctx));
  const on = mountRoutes(HQ_API, r, '/api/v1/console');
  on('GET /api/v1/console/products', async ({ req }) => {
    const raw = req.query as Record<string, unknown>;
    // A repeated key arrives as a list and is refused by the parser; the page size arrives as text.
    const q = parse(ConsoleProductQuery, { ...raw, ...(typeof raw.limit === 'string' ? { limit: raw.limit.trim() === '' ? NaN : Number(raw.limit) } : {}) });
    return products.search({ q: q.q ?? '', limit: q.limit ?? 100, cursor: q.cursor || null });
  });
  on('PATCH /api/v1/console/products/:sku', [requirePermission('catalog.edit')], async ({ req, res, params, body }) => {
    const sku = params.sku;
    const { _rev: rev, ...patch } = body();
    const current = await currentProduct(ctx, sku);
    const stale = () => conflict('stale_edit', `Product ${sku} was changed by someone else after you opened it.`, { current });
    if (current._rev !== rev) throw stale();
    if (patch.barcodes) await checkBarcodesFree(ctx, sku, patch.barcodes);
    let saved: Product;
    try {
      // Written with the editor's revision: CouchDB itself refuses it if another edit landed in between.
      saved = await putDoc(ctx.couch, CATALOG_DB, { ...applyEdit(current, patch), _rev: rev });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
      const latest = await currentProduct(ctx, sku);
      throw conflict('stale_edit', `Product ${sku} was changed by someone else after you opened it.`, { current: latest });
    }
    await audit(ctx.couch, actorOf(req, res), 'product.update', saved._id, { fields: Object.keys(patch), ...(patch.price !== undefined ? { price: patch.price } : {}), via: 'console' });
    return saved;
  });
  return r;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Caja HQ</title>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The HQ console is not built</h1>
<p>Build it once from the repository root, then reload this page:</p>
<pre>npx vite build --config hq/console/vite.config.ts</pre>
<p>The HQ API answers meanwhile at <a href="/api/v1/health">/api/v1/health</a>.</p>`;

/**
 * The built console: hashed assets cached for good, every other GET outside /api and /couch answered with
 * index.html (the console routes in the browser), and a page saying how to build it when it is not built.
 */
export function consoleStatic(dist: string, onOpen: () => void): Router {
  const r = Router();
  r.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '1y', index: false }), (_req, res) => {
    // A missing hashed asset is an old page asking for a replaced build: a plain 404, not the console.
    res.status(404).type('text').send('Not found');
  });
  r.use(express.static(dist, { index: false }));
  r.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || /^\/(api|couch)(\/|$)/.test(req.path)) return next();
    // The console is same-origin and needs no inline script; Mantine sets CSS variables inline.
    res.set({
      'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    const index = path.join(dist, 'index.html');
    if (!existsSync(index)) {
      res.status(503).type('html').send(NOT_BUILT);
      return;
    }
    onOpen();
    res.sendFile(index);
  });
  return r;
}

/** Mounts the console's endpoints and the console itself (after every other route, before the API 404). */
export function mountConsole(app: Express, ctx: HqContext, dist = CONSOLE_DIST): void {
  const products = new ProductIndex(ctx.couch, ctx.log.child('console'));
  // Built ahead of the first search (~20 s for 100k products on the embedded server), in the background.
  products.warm();
  app.use('/api/v1/console', consoleRoutes(ctx, products));
  app.use(consoleStatic(dist, () => products.warm()));
}
