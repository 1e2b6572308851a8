// /api/v1/store-prices/:store for reading (issue #12): a store's overrides listed beside the products' names and
// chain prices, and a bulk request checked without writing (the console's preview of a pasted CSV). Mounted
// before the write routers of /store-prices (routes/catalog.ts, routes/stores.ts), whose router-wide
// `catalog.edit` would otherwise stand in front of the list: each route here says what it needs.
import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { StorePriceListQuery } from '../../shared/api/catalogAdmin';
import { HQ_API } from '../../shared/api/routes';
import type { HqContext } from '../context';
import { authenticate, requirePermission } from '../context';
import { checkStorePrices, listStorePrices } from '../services/storePrices';
import { queryOf } from './catalogAdmin';
import { storeParam } from './stores';

export function storePriceReadRoutes(ctx: HqContext): Router {
  const r = Router();
  const on = mountRoutes(HQ_API, r, '/api/v1/store-prices');
  on('GET /api/v1/store-prices/:store', [authenticate(ctx)], async ({ req }) => listStorePrices(ctx.couch, storeParam(req, 'store'), queryOf(StorePriceListQuery, req)));
  // A check writes nothing, so there is nothing to audit; it needs the permission the write it previews needs.
  on('POST /api/v1/store-prices/:store/check', [authenticate(ctx), requirePermission('catalog.edit')], async ({ req, body }) =>
    checkStorePrices(ctx.couch, storeParam(req, 'store'), body().prices),
  );
  return r;
}
