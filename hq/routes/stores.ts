import { Router } from 'express';
import type { Request } from 'express';
import { badRequest, notFound } from '../../server-kit/errors';
import { route } from '../../server-kit/http';
import { NoBody, ProvisionRequest, StoreCreate, StoreUpdate } from '../../shared/api/bodies';
import { parse } from '../../shared/api/parse';
import { STORE_CODE_RE } from '../../shared/model/ids';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission } from '../context';
import { audit } from '../services/audit';
import { requestResync } from '../services/monitoring';
import { createStore, getStore, issueSyncToken, listStores, publicStore, revokeStore, updateStore } from '../services/stores';

/** The store code in the path; a code that cannot exist is simply not found. */
export function storeParam(req: Request, name = 'id'): string {
  const code = String(req.params[name] ?? '').toUpperCase();
  if (!STORE_CODE_RE.test(code)) throw notFound('store_not_found', `No store with code ${String(req.params[name]).slice(0, 40)}.`);
  return code;
}

/** /api/v1/stores: the chain's stores and their provisioning. Bodies are parsed whole before any write. */
export function storeRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx));
  r.get('/', route(async (_req, res) => res.json((await listStores(ctx.couch)).map(publicStore))));
  r.get('/:id', route(async (req, res) => res.json(publicStore(await getStore(ctx.couch, storeParam(req))))));
  r.post(
    '/',
    requirePermission('stores.provision'),
    route(async (req, res) => {
      const input = parse(StoreCreate, req.body ?? {});
      const store = await createStore(ctx.couch, input, ctx.log);
      ctx.onStoreCreated?.(store.code);
      await audit(ctx.couch, actorOf(req, res), 'store.create', store._id, { name: store.name });
      res.status(201).json(publicStore(store));
    }),
  );
  r.patch(
    '/:id',
    requirePermission('stores.provision'),
    route(async (req, res) => {
      const code = storeParam(req);
      const input = parse(StoreUpdate, req.body ?? {});
      if (Object.keys(input).length === 0) throw badRequest('nothing_to_change', 'Send at least one field to change.');
      const before = await getStore(ctx.couch, code);
      const store = await updateStore(ctx.couch, code, input);
      // An update to the same values wrote nothing, and is not an event worth an audit entry.
      if (store._rev !== before._rev) await audit(ctx.couch, actorOf(req, res), 'store.update', store._id, { fields: Object.keys(input) });
      res.json(publicStore(store));
    }),
  );
  r.post(
    '/:id/provision',
    requirePermission('stores.provision'),
    route(async (req, res) => {
      const { ttlHours } = parse(ProvisionRequest, req.body ?? {});
      const code = storeParam(req);
      const issued = await issueSyncToken(ctx.couch, code, ctx.publicUrl(), ttlHours);
      await audit(ctx.couch, actorOf(req, res), 'store.token_issued', `store:${code}`, { tokenId: issued.tokenId, expiresAt: issued.expiresAt });
      // The token is in this answer and nowhere else: HQ stores only a hash of its secret.
      res.status(201).json(issued);
    }),
  );
  r.post(
    '/:id/revoke',
    requirePermission('stores.provision'),
    route(async (req, res) => {
      parse(NoBody, req.body ?? {});
      const store = await revokeStore(ctx.couch, storeParam(req));
      await audit(ctx.couch, actorOf(req, res), 'store.revoke', store._id);
      res.json(publicStore(store));
    }),
  );
  r.post(
    '/:id/resync',
    requirePermission('sync.admin'),
    route(async (req, res) => {
      parse(NoBody, req.body ?? {});
      const code = storeParam(req);
      await getStore(ctx.couch, code);
      const requestedAt = await requestResync(ctx.couch, code);
      await audit(ctx.couch, actorOf(req, res), 'store.resync', `store:${code}`, { requestedAt });
      // The relay replays from sequence 0 at its next heartbeat; revs_diff keeps the replay duplicate-free.
      res.status(202).json({ requestedAt });
    }),
  );
  return r;
}
