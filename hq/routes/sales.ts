// /api/v1/sales: the sales browser over every store's database (hq/services/sales.ts says which views answer
// which filter). Reading sales is `reports.view`, the permission that already means "may see the figures".
import { Router } from 'express';
import type { Request } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { SalesQuery } from '../../shared/api/hqRecords';
import { parse } from '../../shared/api/parse';
import { HQ_API } from '../../shared/api/routes';
import type { HqContext } from '../context';
import { authenticate, requirePermission } from '../context';
import { getSale, searchSales } from '../services/sales';

/** Query-string fields that are numbers on the wire of the parser (text that is not a number stays refused). */
export function numericQuery(req: Request, keys: readonly string[]): Record<string, unknown> {
  const q = { ...(req.query as Record<string, unknown>) };
  for (const k of keys) {
    const v = q[k];
    if (typeof v === 'string') q[k] = v.trim() === '' ? NaN : Number(v);
  }
  return q;
}

export function salesRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx), requirePermission('reports.view'));
  const on = mountRoutes(HQ_API, r, '/api/v1/sales');
  on('GET /api/v1/sales', async ({ req }) => searchSales(ctx.couch, parse(SalesQuery, numericQuery(req, ['limit', 'minTotal', 'maxTotal']))));
  on('GET /api/v1/sales/:id', async ({ params }) => getSale(ctx.couch, params.id));
  return r;
}
