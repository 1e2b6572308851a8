import { Router } from 'express';
import { badRequest, notFound } from '../../server-kit/errors';
import { route } from '../../server-kit/http';
import { NoBody, RoleUpsert, StoreRoles, UserCreate, UserUpdate, roleCode } from '../../shared/api/bodies';
import { parse } from '../../shared/api/parse';
import { PERMISSIONS } from '../../shared/auth/permissions';
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
  r.get('/', route(async (_req, res) => res.json((await listUsers(ctx.couch)).map(publicUser))));
  r.post(
    '/',
    route(async (req, res) => {
      const input = parse(UserCreate, req.body ?? {});
      const user = await createUser(ctx.couch, input, { log: ctx.log });
      await audit(ctx.couch, actorOf(req, res), 'user.create', user._id, { username: user.username, ...(input.storeRoles ? { storeRoles: user.storeRoles } : {}) });
      res.status(201).json(publicUser(user));
    }),
  );
  r.get('/:id', route(async (req, res) => res.json(publicUser(await getUser(ctx.couch, userParam(req.params.id))))));
  r.patch(
    '/:id',
    route(async (req, res) => {
      const input = parse(UserUpdate, req.body ?? {});
      if (Object.keys(input).length === 0) throw badRequest('nothing_to_change', 'Send at least one field to change.');
      const user = await updateUser(ctx.couch, userParam(req.params.id), input);
      await audit(ctx.couch, actorOf(req, res), 'user.update', user._id, { fields: Object.keys(input).filter((k) => k !== 'password' && k !== 'pin') });
      res.json(publicUser(user));
    }),
  );
  r.delete(
    '/:id',
    route(async (req, res) => {
      parse(NoBody, req.body ?? {});
      const user = await deactivateUser(ctx.couch, userParam(req.params.id));
      await audit(ctx.couch, actorOf(req, res), 'user.deactivate', user._id);
      res.json(publicUser(user));
    }),
  );
  r.get('/:id/store-roles', route(async (req, res) => res.json((await getUser(ctx.couch, userParam(req.params.id))).storeRoles)));
  r.put(
    '/:id/store-roles',
    route(async (req, res) => {
      const storeRoles = parse(StoreRoles, req.body ?? {});
      const user = await setStoreRoles(ctx.couch, userParam(req.params.id), storeRoles);
      await audit(ctx.couch, actorOf(req, res), 'user.store_roles', user._id, { storeRoles: user.storeRoles });
      res.json(user.storeRoles);
    }),
  );
  return r;
}

/** /api/v1/roles: roles as permission sets, and the permission registry. */
export function roleRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx));
  r.get('/', route(async (_req, res) => res.json(await listRoles(ctx.couch))));
  r.get('/permissions', (_req, res) => {
    res.json(Object.entries(PERMISSIONS).map(([name, info]) => ({ name, ...info })));
  });
  r.put(
    '/:code',
    requirePermission('users.manage'),
    route(async (req, res) => {
      const code = roleCode()(String(req.params.code), 'code');
      const input = parse(RoleUpsert, req.body ?? {});
      const role = await upsertRole(ctx.couch, code, input);
      await audit(ctx.couch, actorOf(req, res), 'role.upsert', role._id, { permissions: role.permissions });
      res.json(role);
    }),
  );
  return r;
}
