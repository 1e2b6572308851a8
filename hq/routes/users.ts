import { Router } from 'express';
import { badRequest, notFound } from '../../server-kit/errors';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { roleCode } from '../../shared/api/bodies';
import { HQ_API } from '../../shared/api/routes';
import { PERMISSIONS } from '../../shared/auth/permissions';
import type { Permission } from '../../shared/auth/permissions';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission } from '../context';
import { audit } from '../services/audit';
import { createUser, deactivateUser, getUser, listRoles, listUsers, publicUser, setStoreRoles, updateUser, upsertRole } from '../services/users';

/** A user id from the path: ids are UUIDs, so anything else is simply not found (and never reaches CouchDB as an odd id). */
function userParam(raw: unknown): string {
  const id = String(raw ?? '');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw notFound('user_not_found', `No user ${id.slice(0, 40)}.`);
  return id;
}

/** /api/v1/users: staff accounts and their per-store role assignments. Bodies are parsed whole before any write. */
export function userRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx), requirePermission('users.manage'));
  const on = mountRoutes(HQ_API, r, '/api/v1/users');
  on('GET /api/v1/users', async () => (await listUsers(ctx.couch)).map(publicUser));
  on('POST /api/v1/users', async ({ req, res, body }) => {
    const input = body();
    const user = await createUser(ctx.couch, input, { log: ctx.log });
    await audit(ctx.couch, actorOf(req, res), 'user.create', user._id, { username: user.username, ...(input.storeRoles ? { storeRoles: user.storeRoles } : {}) });
    return publicUser(user);
  });
  on('GET /api/v1/users/:id', async ({ params }) => publicUser(await getUser(ctx.couch, userParam(params.id))));
  on('PATCH /api/v1/users/:id', async ({ req, res, params, body }) => {
    const input = body();
    if (Object.keys(input).length === 0) throw badRequest('nothing_to_change', 'Send at least one field to change.');
    const user = await updateUser(ctx.couch, userParam(params.id), input);
    await audit(ctx.couch, actorOf(req, res), 'user.update', user._id, { fields: Object.keys(input).filter((k) => k !== 'password' && k !== 'pin') });
    return publicUser(user);
  });
  on('DELETE /api/v1/users/:id', async ({ req, res, params, body }) => {
    body();
    const user = await deactivateUser(ctx.couch, userParam(params.id));
    await audit(ctx.couch, actorOf(req, res), 'user.deactivate', user._id);
    return publicUser(user);
  });
  on('GET /api/v1/users/:id/store-roles', async ({ params }) => (await getUser(ctx.couch, userParam(params.id))).storeRoles);
  on('PUT /api/v1/users/:id/store-roles', async ({ req, res, params, body }) => {
    const storeRoles = body();
    const user = await setStoreRoles(ctx.couch, userParam(params.id), storeRoles);
    await audit(ctx.couch, actorOf(req, res), 'user.store_roles', user._id, { storeRoles: user.storeRoles });
    return user.storeRoles;
  });
  return r;
}

/** /api/v1/roles: roles as permission sets, and the permission registry. */
export function roleRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx));
  const on = mountRoutes(HQ_API, r, '/api/v1/roles');
  on('GET /api/v1/roles', () => listRoles(ctx.couch));
  on('GET /api/v1/roles/permissions', () => Object.entries(PERMISSIONS).map(([name, info]) => ({ name: name as Permission, ...info })));
  on('PUT /api/v1/roles/:code', [requirePermission('users.manage')], async ({ req, res, params, body }) => {
    const code = roleCode()(String(params.code), 'code');
    const input = body();
    const role = await upsertRole(ctx.couch, code, input);
    await audit(ctx.couch, actorOf(req, res), 'role.upsert', role._id, { permissions: role.permissions });
    return role;
  });
  return r;
}
