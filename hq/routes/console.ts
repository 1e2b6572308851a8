// The HQ console (hq/console, a React build) served at `/`, and the few endpoints it needs that the
// module routes do not offer yet: a product list that pages and searches over 100k products, and a product
// edit that carries the revision it was made on, so a stale edit is refused (409 with the current version)
// instead of silently overwriting someone else's change.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { Express, Request, Response, NextFunction } from 'express';
import { getDoc, putDoc } from '../../common/docs';
import { badRequest, conflict, notFound } from '../../common/errors';
import { route } from '../../common/http';
import { productId } from '../../shared/model/ids';
import type { Product } from '../../shared/model/types';
import { validateDoc } from '../../shared/model/validate';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission } from '../context';
import { audit } from '../services/audit';
import { CATALOG_DB } from '../services/dbs';
import { ProductIndex } from './consoleProductIndex';

/** Where `npx vite build --config hq/console/vite.config.ts` writes the console. */
export const CONSOLE_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../console/dist');

const MAX_PAGE = 500;
const EDITABLE = ['name', 'price', 'cost', 'active', 'barcodes'] as const;

function isMinorUnits(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

async function currentProduct(ctx: HqContext, sku: string): Promise<Product> {
  const p = await getDoc<Product>(ctx.couch, CATALOG_DB, productId(sku));
  if (!p) throw notFound('product_not_found', `No product ${sku}.`);
  return p;
}

/** Checks an edit's fields and merges it into `current` (names merge per language). */
function applyEdit(current: Product, patch: Record<string, unknown>): Product {
  const unknownFields = Object.keys(patch).filter((k) => !(EDITABLE as readonly string[]).includes(k));
  if (unknownFields.length) throw badRequest('invalid_field', `Cannot change: ${unknownFields.join(', ')}.`);
  if (patch.price !== undefined && !isMinorUnits(patch.price)) throw badRequest('invalid_price', 'price is a non-negative integer of minor units (cents).');
  if (patch.cost !== undefined && !isMinorUnits(patch.cost)) throw badRequest('invalid_price', 'cost is a non-negative integer of minor units (cents).');
  const name = patch.name === undefined ? current.name : { ...current.name, ...(patch.name as object) };
  const next = { ...current, ...patch, name, updatedAt: new Date().toISOString() } as Product;
  const errors = validateDoc(next);
  if (errors.length) throw badRequest('invalid_document', errors.join('; '), { errors });
  return next;
}

/** /api/v1/console: read endpoints shaped for the console's screens. */
export function consoleRoutes(ctx: HqContext, products: ProductIndex): Router {
  const r = Router();
  r.use(authenticate(ctx));
  r.get(
    '/products',
    route(async (req, res) => {
      const q = req.query as Record<string, string | undefined>;
      const limit = Math.min(Math.max(Number(q.limit ?? 100) || 100, 1), MAX_PAGE);
      res.json(await products.search({ q: q.q ?? '', limit, cursor: q.cursor || null }));
    }),
  );
  r.patch(
    '/products/:sku',
    requirePermission('catalog.edit'),
    route(async (req, res) => {
      const sku = String(req.params.sku);
      const { _rev: rev, ...patch } = (req.body ?? {}) as Record<string, unknown>;
      if (typeof rev !== 'string' || !rev) throw badRequest('rev_required', 'Send the _rev of the product version you edited.');
      const current = await currentProduct(ctx, sku);
      const stale = () => conflict('stale_edit', `Product ${sku} was changed by someone else after you opened it.`, { current });
      if (current._rev !== rev) throw stale();
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
      res.json(saved);
    }),
  );
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
