// HTTP API of the store's stock levels (thin: parse, authorize, call services/stock.ts, answer). A manager's
// relay session (POST /api/v1/auth/login) with 'inventory.adjust' or 'reports.view' is required.
//   GET /api/v1/stock?q=&dept=&cursor=&limit=  -> {items: [{productId, sku, name, ..., qtyMilli}], total, nextCursor}
import { Router } from 'express';
import type { Request } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { forbidden } from '../../server-kit/errors';
import { ApiError } from '../../shared/api/errors';
import { int, object, optional, parse, string } from '../../shared/api/parse';
import { RELAY_API } from '../../shared/api/routes';
import { RELAY_STORE_DB } from '../../shared/model/names';
import { verifyManagerToken } from '../services/terminals';
import { StockIndex } from '../services/stock';
import type { Relay } from './context';
import { requireIdentity } from './context';

const StockQuery = object({
  q: optional(string({ min: 0, max: 100 })),
  dept: optional(string({ min: 0, max: 100 })),
  cursor: optional(string({ min: 0, max: 64 })),
  limit: optional(int({ min: 1, max: 500 })),
});

const PERMISSIONS = ['inventory.adjust', 'reports.view'] as const;

/** The manager's session, holding either permission (a stock-taker adjusts, a manager reads reports). */
function authorize(secret: string, storeCode: string, req: Request): void {
  for (const permission of PERMISSIONS) {
    try {
      verifyManagerToken(secret, storeCode, req.get('authorization'), permission);
      return;
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'permission_denied') throw err;
    }
  }
  throw forbidden('permission_denied', `This needs the ${PERMISSIONS.join(' or ')} permission.`);
}

export function stockRoutes(relay: Relay): Router {
  const r = Router();
  const on = mountRoutes(RELAY_API, r);
  const index = new StockIndex(relay.couch, RELAY_STORE_DB);

  on('GET /api/v1/stock', async ({ req }) => {
    const storeCode = requireIdentity(relay).storeCode;
    authorize(relay.secrets.api, storeCode, req);
    const raw = req.query as Record<string, unknown>;
    // A repeated key arrives as a list and is refused by the parser; the page size arrives as text.
    const q = parse(StockQuery, { ...raw, ...(typeof raw.limit === 'string' ? { limit: raw.limit.trim() === '' ? NaN : Number(raw.limit) } : {}) });
    return index.search(storeCode, { q: q.q ?? '', dept: q.dept || undefined, cursor: q.cursor || null, limit: q.limit ?? 50 });
  });

  return r;
}
