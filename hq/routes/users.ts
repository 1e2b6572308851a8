import { Router } from 'express';
import { route } from '../../common/http';
import { PERMISSIONS } from '../../shared/auth/permissions';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission } from '../context';
import { audit } from '../services/audit';
import type { UserInput } from '../services/users';
import { createUser, deactivateUser, getUser, listRoles, listUsers, publicUser, setStoreRoles, updateUser, upsertRole } from '../services/users';

/** /api/v1/users: staff accounts and their per-store role assignments. */
export function userRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx), requirePermission('users.manage'));
  r.get('/', route(async (_req, res) => res.json((await listUsers(ctx.couch)).map(publicUser))));
  r.post(
    '/',
    route(async (req, res) => {
      const user = await createUser(ctx.couch, (req.body ?? {}) as UserInput);
      await audit(ctx.couch, actorOf(req, res), 'user.create', user._id, { username: user.username });
      res.status(201).json(publicUser(user));
    }),
  );
  r.get('/:id', route(async (req, res) => res.json(publicUser(await getUser(ctx.couch, String(req.params.id))))));
  r.patch(
    '/:id',
    route(async (req, res) => {
      const body = (req.body ?? {}) as Partial<UserInput>;
      const user = await updateUser(ctx.couch, String(req.params.id), body);
      await audit(ctx.couch, actorOf(req, res), 'user.update', user._id, { fields: Object.keys(body).filter((k) => k !== 'password' && k !== 'pin') });
      res.json(publicUser(user));
    }),
  );
  r.delete(
    '/:id',
    route(async (req, res) => {
      const user = await deactivateUser(ctx.couch, String(req.params.id));
      await audit(ctx.couch, actorOf(req, res), 'user.deactivate', user._id);
      res.json(publicUser(user));
    }),
  );
  r.get('/:id/store-roles', route(async (req, res) => res.json((await getUser(ctx.couch, String(req.params.id))).storeRoles)));
  r.put(
    '/:id/store-roles',
    route(async (req, res) => {
      const user = await setStoreRoles(ctx.couch, String(req.params.id), (req.body ?? {}) as Record<string, string[]>);
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
      const role = await upsertRole(ctx.couch, String(req.params.code), (req.body ?? {}) as Parameters<typeof upsertRole>[2]);
      await audit(ctx.couch, actorOf(req, res), 'role.upsert', role._id, { permissions: role.permissions });
      res.json(role);
    }),
  );
  return r;
}
