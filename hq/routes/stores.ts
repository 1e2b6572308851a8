import { Router } from 'express';
import { badRequest } from '../../common/errors';
import { route } from '../../common/http';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission } from '../context';
import { audit } from '../services/audit';
import type { StoreInput } from '../services/stores';
import { requestResync } from '../services/monitoring';
import { createStore, getStore, issueSyncToken, listStores, publicStore, revokeStore, updateStore } from '../services/stores';

/** /api/v1/stores: the chain's stores and their provisioning. */
export function storeRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx));
  r.get('/', route(async (_req, res) => res.json((await listStores(ctx.couch)).map(publicStore))));
  r.get('/:id', route(async (req, res) => res.json(publicStore(await getStore(ctx.couch, String(req.params.id))))));
  r.post(
    '/',
    requirePermission('stores.provision'),
    route(async (req, res) => {
      const store = await createStore(ctx.couch, (req.body ?? {}) as StoreInput);
      ctx.onStoreCreated?.(store.code);
      await audit(ctx.couch, actorOf(req, res), 'store.create', store._id, { name: store.name });
      res.status(201).json(publicStore(store));
    }),
  );
  r.patch(
    '/:id',
    requirePermission('stores.provision'),
    route(async (req, res) => {
      const store = await updateStore(ctx.couch, String(req.params.id), (req.body ?? {}) as Partial<StoreInput>);
      await audit(ctx.couch, actorOf(req, res), 'store.update', store._id, { fields: Object.keys(req.body ?? {}) });
      res.json(publicStore(store));
    }),
  );
  r.post(
    '/:id/provision',
    requirePermission('stores.provision'),
    route(async (req, res) => {
      const ttl = (req.body as { ttlHours?: unknown } | undefined)?.ttlHours;
      if (ttl !== undefined && typeof ttl !== 'number') throw badRequest('invalid_ttl', 'ttlHours is a number.');
      const code = String(req.params.id);
      const issued = await issueSyncToken(ctx.couch, code, ctx.publicUrl(), ttl);
      await audit(ctx.couch, actorOf(req, res), 'store.token_issued', `store:${code}`, { tokenId: issued.tokenId, expiresAt: issued.expiresAt });
      // The token is in this answer and nowhere else: HQ stores only a hash of its secret.
      res.status(201).json(issued);
    }),
  );
  r.post(
    '/:id/revoke',
    requirePermission('stores.provision'),
    route(async (req, res) => {
      const store = await revokeStore(ctx.couch, String(req.params.id));
      await audit(ctx.couch, actorOf(req, res), 'store.revoke', store._id);
      res.json(publicStore(store));
    }),
  );
  r.post(
    '/:id/resync',
    requirePermission('sync.admin'),
    route(async (req, res) => {
      const code = String(req.params.id);
      await getStore(ctx.couch, code);
      const requestedAt = await requestResync(ctx.couch, code);
      await audit(ctx.couch, actorOf(req, res), 'store.resync', `store:${code}`, { requestedAt });
      // The relay replays from sequence 0 at its next heartbeat; revs_diff keeps the replay duplicate-free.
      res.status(202).json({ requestedAt });
    }),
  );
  return r;
}
