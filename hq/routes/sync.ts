import { Router } from 'express';
import { badRequest } from '../../common/errors';
import { route } from '../../common/http';
import type { HqContext } from '../context';
import { audit } from '../services/audit';
import { CATALOG_DB, storeDbName } from '../services/dbs';
import { authenticateStore, redeemSyncToken } from '../services/stores';
import { signStoreTokens, storeTokenTtlS, verifyStoreToken } from '../services/tokens';
import { bearer } from '../../common/tokens';
import { authenticate, requirePermission } from '../context';
import { acknowledgeResync, dashboard, listSyncErrors, recordHeartbeat } from '../services/monitoring';

/** /api/v1/sync: what relays call (token redemption, replication tokens). Auth is the store's own. */
export function syncRoutes(ctx: HqContext): Router {
  const r = Router();
  r.post(
    '/provision',
    route(async (req, res) => {
      const token = (req.body as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string') throw badRequest('token_malformed', 'Send {"token": "<sync token>"}.');
      try {
        const { credential, store } = await redeemSyncToken(ctx.couch, token);
        await audit(ctx.couch, { id: `store:${store.code}`, from: req.ip ?? 'unknown' }, 'store.provisioned', store._id);
        ctx.log.info('store.provisioned', { store: store.code, from: req.ip });
        res.status(201).json({
          store: { code: store.code, name: store.name, timeZone: store.timeZone, currency: store.currency, locale: store.locale },
          credential,
          couchdb: { url: ctx.couchPublicUrl(), catalogDb: CATALOG_DB, storeDb: storeDbName(store.code) },
          tokenTtlS: storeTokenTtlS(),
        });
      } catch (err) {
        ctx.log.warn('store.provision_refused', { from: req.ip, code: (err as { code?: string }).code });
        throw err;
      }
    }),
  );
  r.post(
    '/token',
    route(async (req, res) => {
      const body = (req.body ?? {}) as { storeCode?: unknown; credentialId?: unknown; secret?: unknown };
      if (typeof body.storeCode !== 'string' || typeof body.credentialId !== 'string' || typeof body.secret !== 'string') {
        throw badRequest('missing_credentials', 'Send storeCode, credentialId and secret.');
      }
      const store = await authenticateStore(ctx.couch, body.storeCode, body.credentialId, body.secret);
      res.json({ ...signStoreTokens(ctx.secrets.api, store.code), couchdbUrl: ctx.couchPublicUrl() });
    }),
  );
  r.post(
    '/heartbeat',
    route(async (req, res) => {
      const { storeCode } = verifyStoreToken(ctx.secrets.api, bearer(req.get('authorization'), 'A heartbeat carries the store token.'));
      const answer = await recordHeartbeat(ctx.couch, storeCode, req.body, req.ip ?? 'unknown');
      const ack = (req.body as { resyncStarted?: unknown } | undefined)?.resyncStarted;
      if (typeof ack === 'string') await acknowledgeResync(ctx.couch, storeCode, ack);
      res.json(answer);
    }),
  );
  r.get(
    '/dashboard',
    authenticate(ctx),
    requirePermission('sync.admin'),
    route(async (_req, res) => res.json(await dashboard(ctx.couch))),
  );
  r.get(
    '/errors',
    authenticate(ctx),
    requirePermission('sync.admin'),
    route(async (req, res) => {
      const q = req.query as Record<string, string | undefined>;
      res.json(await listSyncErrors(ctx.couch, { ...(q.store ? { store: q.store } : {}), ...(q.type ? { type: q.type } : {}), limit: Number(q.limit ?? 100) || 100 }));
    }),
  );
  return r;
}
