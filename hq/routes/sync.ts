import { Router } from 'express';
import { route } from '../../server-kit/http';
import { Heartbeat, SyncProvision, SyncTokenRequest } from '../../shared/api/bodies';
import { parse } from '../../shared/api/parse';
import type { HqContext } from '../context';
import { audit } from '../services/audit';
import { CATALOG_DB, storeDbName } from '../services/dbs';
import { authenticateStore, redeemSyncToken } from '../services/stores';
import { signStoreTokens, storeTokenTtlS, verifyStoreToken } from '../services/tokens';
import { bearer } from '../../server-kit/tokens';
import { authenticate, requirePermission } from '../context';
import { acknowledgeResync, dashboard, listSyncErrors, recordHeartbeat } from '../services/monitoring';

/** /api/v1/sync: what relays call (token redemption, replication tokens). Auth is the store's own. */
export function syncRoutes(ctx: HqContext): Router {
  const r = Router();
  r.post(
    '/provision',
    route(async (req, res) => {
      const { token } = parse(SyncProvision, req.body ?? {});
      try {
        const { credential, store } = await redeemSyncToken(ctx.couch, token);
        await audit(ctx.couch, { id: `store:${store.code}`, from: req.ip ?? 'unknown' }, 'store.provisioned', store._id);
        ctx.log.info('store.provisioned', { store: store.code, from: req.ip });
        res.status(201).json({
          store: { code: store.code, name: store.name, timeZone: store.timeZone, currency: store.currency, locale: store.locale },
          credential,
          // HQ's own gateway, at the host the operator configured (HQ_URL, or PUBLIC_HOST): never the CouchDB's.
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
      const body = parse(SyncTokenRequest, req.body ?? {});
      const store = await authenticateStore(ctx.couch, body.storeCode, body.credentialId, body.secret);
      res.json({ ...signStoreTokens(ctx.secrets.api, store.code), couchdbUrl: ctx.couchPublicUrl() });
    }),
  );
  r.post(
    '/heartbeat',
    route(async (req, res) => {
      const { storeCode } = verifyStoreToken(ctx.secrets.api, bearer(req.get('authorization'), 'A heartbeat carries the store token.'));
      const heartbeat = parse(Heartbeat, req.body ?? {});
      const answer = await recordHeartbeat(ctx.couch, storeCode, heartbeat, req.ip ?? 'unknown');
      if (heartbeat.resyncStarted) await acknowledgeResync(ctx.couch, storeCode, heartbeat.resyncStarted);
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
      res.json(await listSyncErrors(ctx.couch, { ...(typeof q.store === 'string' ? { store: q.store } : {}), ...(typeof q.type === 'string' ? { type: q.type } : {}), limit: Number(q.limit ?? 100) || 100 }));
    }),
  );
  return r;
}
