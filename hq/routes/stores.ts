import { Router } from 'express';
import type { Request } from 'express';
import { badRequest, notFound } from '../../server-kit/errors';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { HQ_API } from '../../shared/api/routes';
import { CONFIG_ID, STORE_CODE_RE, typePrefix } from '../../shared/model/ids';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission } from '../context';
import { audit } from '../services/audit';
import { requestResync } from '../services/monitoring';
import { createStore, getStore, getStoreConfig, issueSyncToken, listStores, publicStore, putStoreConfig, revokeStore, setStorePrices, updateStore } from '../services/stores';
import { hqStoreRecordId } from '../../shared/model/names';

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
  const on = mountRoutes(HQ_API, r, '/api/v1/stores');
  on('GET /api/v1/stores', async () => (await listStores(ctx.couch)).map(publicStore));
  on('GET /api/v1/stores/:id', async ({ req }) => publicStore(await getStore(ctx.couch, storeParam(req))));
  on('POST /api/v1/stores', [requirePermission('stores.provision')], async ({ req, res, body }) => {
    const input = body();
    const store = await createStore(ctx.couch, input, ctx.log);
    ctx.onStoreCreated?.(store.code);
    await audit(ctx.couch, actorOf(req, res), 'store.create', store._id, { name: store.name });
    return publicStore(store);
  });
  on('PATCH /api/v1/stores/:id', [requirePermission('stores.provision')], async ({ req, res, body }) => {
    const code = storeParam(req);
    const input = body();
    if (Object.keys(input).length === 0) throw badRequest('nothing_to_change', 'Send at least one field to change.');
    const before = await getStore(ctx.couch, code);
    const store = await updateStore(ctx.couch, code, input);
    // An update to the same values wrote nothing, and is not an event worth an audit entry.
    if (store._rev !== before._rev) await audit(ctx.couch, actorOf(req, res), 'store.update', store._id, { fields: Object.keys(input) });
    return publicStore(store);
  });
  on('POST /api/v1/stores/:id/provision', [requirePermission('stores.provision')], async ({ req, res, body }) => {
    const { ttlHours } = body();
    const code = storeParam(req);
    const issued = await issueSyncToken(ctx.couch, code, ctx.publicUrl(), ttlHours);
    await audit(ctx.couch, actorOf(req, res), 'store.token_issued', hqStoreRecordId(code), { tokenId: issued.tokenId, expiresAt: issued.expiresAt });
    // The token is in this answer and nowhere else: HQ stores only a hash of its secret.
    return issued;
  });
  on('POST /api/v1/stores/:id/revoke', [requirePermission('stores.provision')], async ({ req, res, body }) => {
    body();
    const store = await revokeStore(ctx.couch, storeParam(req));
    await audit(ctx.couch, actorOf(req, res), 'store.revoke', store._id);
    return publicStore(store);
  });
  on('POST /api/v1/stores/:id/resync', [requirePermission('sync.admin')], async ({ req, res, body }) => {
    body();
    const code = storeParam(req);
    await getStore(ctx.couch, code);
    const requestedAt = await requestResync(ctx.couch, code);
    await audit(ctx.couch, actorOf(req, res), 'store.resync', hqStoreRecordId(code), { requestedAt });
    // The relay replays from sequence 0 at its next heartbeat; revs_diff keeps the replay duplicate-free.
    return { requestedAt };
  });
  on('GET /api/v1/stores/:id/config', async ({ req }) => getStoreConfig(ctx.couch, storeParam(req)));
  on('PUT /api/v1/stores/:id/config', [requirePermission('stores.provision')], async ({ req, res, body }) => {
    const code = storeParam(req);
    const input = body();
    const { answer, changed } = await putStoreConfig(ctx.couch, code, input);
    // The same configuration again wrote nothing: no revision to replicate, nothing to audit.
    if (changed) await audit(ctx.couch, actorOf(req, res), 'store.config_update', `${code}/${CONFIG_ID}`, { rev: answer.config._rev, fields: Object.keys(input).filter((k) => k !== '_rev') });
    return answer;
  });
  return r;
}

/** /api/v1/store-prices/:store: many price overrides of one store at once (the single-SKU route is in catalog.ts). */
export function storePriceBulkRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx), requirePermission('catalog.edit'));
  const on = mountRoutes(HQ_API, r, '/api/v1/store-prices');
  on('PUT /api/v1/store-prices/:store', async ({ req, res, body }) => {
    const store = storeParam(req, 'store');
    const { prices } = body();
    const answer = await setStorePrices(ctx.couch, store, prices);
    if (answer.counts.set + answer.counts.removed > 0) {
      const changed = answer.lines.filter((l) => l.result === 'set' || l.result === 'removed');
      await audit(ctx.couch, actorOf(req, res), 'store_price.bulk_set', `${store}/${typePrefix('price')}`, { counts: answer.counts, lines: changed.slice(0, 50).map((l) => ({ sku: l.sku, price: l.price })) });
    }
    return answer;
  });
  return r;
}
