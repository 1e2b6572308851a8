import { Router } from 'express';
import { route } from '../../server-kit/http';
import { ChangeCredential, Login, Refresh } from '../../shared/api/bodies';
import { parse } from '../../shared/api/parse';
import type { HqContext } from '../context';
import { actorOf, authenticate, session } from '../context';
import { audit } from '../services/audit';
import { changeCredential, login, refresh } from '../services/auth';
import { getUser, publicUser, recordFirstLogin } from '../services/users';
import { resolvePermissions } from '../../shared/auth/permissions';
import { listRoles } from '../services/users';

export function authRoutes(ctx: HqContext): Router {
  const r = Router();
  r.post(
    '/login',
    route(async (req, res) => {
      const body = parse(Login, req.body ?? {});
      // A 429 carries details.retryAfterS, which the error mapper turns into Retry-After.
      const tokens = await login(ctx.couch, ctx.secrets.api, body.username, body.password, req.ip ?? 'unknown');
      await audit(ctx.couch, { id: `hq:${body.username}`, from: req.ip ?? 'unknown' }, 'auth.login', body.username);
      // Once signed in, the admin's bootstrap password is theirs: HQ_ADMIN_PASSWORD stops applying. Not
      // recording it must not fail a login that succeeded.
      await recordFirstLogin(ctx.couch, body.username).catch((err: unknown) => ctx.log.warn('auth.first_login_not_recorded', { err: err instanceof Error ? err : String(err) }));
      res.json(tokens);
    }),
  );
  r.post(
    '/refresh',
    route(async (req, res) => {
      const { refreshToken } = parse(Refresh, req.body ?? {});
      res.json(await refresh(ctx.couch, ctx.secrets.api, refreshToken));
    }),
  );
  r.get(
    '/me',
    authenticate(ctx),
    route(async (_req, res) => {
      const s = session(res);
      const user = await getUser(ctx.couch, s.userId);
      const roles = await listRoles(ctx.couch);
      const perStore = Object.fromEntries(
        Object.entries(user.storeRoles).map(([code, ids]) => [code, resolvePermissions(roles.filter((role) => ids.includes(role._id))).permissions]),
      );
      res.json({ user: publicUser(user), permissions: s.permissions, storePermissions: perStore });
    }),
  );
  r.post(
    '/change-credential',
    authenticate(ctx),
    route(async (req, res) => {
      const s = session(res);
      const body = parse(ChangeCredential, req.body ?? {});
      const user = await changeCredential(ctx.couch, s.userId, body);
      await audit(ctx.couch, actorOf(req, res), 'auth.change_credential', `hquser:${s.userId}`);
      res.json({ ok: true, user: publicUser(user) });
    }),
  );
  return r;
}
