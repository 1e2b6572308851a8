import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { HQ_API } from '../../shared/api/routes';
import type { HqContext } from '../context';
import { audit } from '../services/audit';
import { CATALOG_DB, hqStoreDbName, storeActor } from '../../shared/model/names';
import { authenticateStore, redeemSyncToken } from '../services/stores';
import { signStoreTokens, storeTokenTtlS, verifyStoreToken } from '../services/tokens';
import { bearer } from '../../server-kit/tokens';
import { authenticate, requirePermission } from '../context';
import { acknowledgeResync, dashboard, listSyncErrors, recordHeartbeat } from '../services/monitoring';

/** /api/v1/sync: what relays call (token redemption, replication tokens). Auth is the store's own. */
export function syncRoutes(ctx: HqContext): Router {
  const r = Router();
  const on = mountRoutes(HQ_API, r, '/api/v1/sync');
  on('POST /api/v1/sync/provision', async ({ req, body }) => {
    const { token } = body();
    try {
      const { credential, store } = await redeemSyncToken(ctx.couch, token);
      await audit(ctx.couch, { id: storeActor(store.code), from: req.ip ?? 'unknown' }, 'store.provisioned', store._id);
      ctx.log.info('store.provisioned', { store: store.code, from: req.ip });
      return {
        store: { code: store.code, name: store.name, timeZone: store.timeZone, currency: store.currency, locale: store.locale },
        credential,
        // HQ's own gateway, at the host the operator configured (HQ_URL, or PUBLIC_HOST): never the CouchDB's.
        couchdb: { url: ctx.couchPublicUrl(), catalogDb: CATALOG_DB, storeDb: hqStoreDbName(store.code) },
        tokenTtlS: storeTokenTtlS(),
      };
    } catch (err) {
      ctx.log.warn('store.provision_refused', { from: req.ip, code: (err as { code?: string }).code });
      throw err;
    }
  });
  on('POST /api/v1/sync/token', async ({ body: parsed }) => {
    const body = parsed();
    const store = await authenticateStore(ctx.couch, body.storeCode, body.credentialId, body.secret);
    return { ...signStoreTokens(ctx.secrets.api, store.code), couchdbUrl: ctx.couchPublicUrl() };
  });
  on('POST /api/v1/sync/heartbeat', async ({ req, body }) => {
    const { storeCode } = verifyStoreToken(ctx.secrets.api, bearer(req.get('authorization'), 'A heartbeat carries the store token.'));
    const heartbeat = body();
    const answer = await recordHeartbeat(ctx.couch, storeCode, heartbeat, req.ip ?? 'unknown');
    if (heartbeat.resyncStarted) await acknowledgeResync(ctx.couch, storeCode, heartbeat.resyncStarted);
    return answer;
  });
  on('GET /api/v1/sync/dashboard', [authenticate(ctx), requirePermission('sync.admin')], () => dashboard(ctx.couch));
  on('GET /api/v1/sync/errors', [authenticate(ctx), requirePermission('sync.admin')], ({ req }) => {
    const q = req.query as Record<string, string | undefined>;
    return listSyncErrors(ctx.couch, { ...(typeof q.store === 'string' ? { store: q.store } : {}), ...(typeof q.type === 'string' ? { type: q.type } : {}), limit: Number(q.limit ?? 100) || 100 });
  });
  return r;
}
