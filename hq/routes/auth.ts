import { Router } from 'express';
import { route } from '../../common/http';
import type { HqContext } from '../context';
import { actorOf, authenticate, session } from '../context';
import { audit } from '../services/audit';
import { changeCredential, login, refresh } from '../services/auth';
import { getUser, publicUser } from '../services/users';
import { resolvePermissions } from '../../shared/auth/permissions';
import { listRoles } from '../services/users';

export function authRoutes(ctx: HqContext): Router {
  const r = Router();
  r.post(
    '/login',
    route(async (req, res) => {
      const body = (req.body ?? {}) as { username?: unknown; password?: unknown };
      try {
        const tokens = await login(ctx.couch, ctx.secrets.api, body.username, body.password, req.ip ?? 'unknown');
        await audit(ctx.couch, { id: `hq:${String(body.username)}`, from: req.ip ?? 'unknown' }, 'auth.login', String(body.username));
        res.json(tokens);
      } catch (err) {
        const e = err as { status?: number; details?: { retryAfterS?: number } };
        if (e.status === 429 && e.details?.retryAfterS) res.set('Retry-After', String(e.details.retryAfterS));
        throw err;
      }
    }),
  );
  r.post(
    '/refresh',
    route(async (req, res) => {
      res.json(await refresh(ctx.couch, ctx.secrets.api, (req.body as { refreshToken?: unknown } | undefined)?.refreshToken));
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
      const user = await changeCredential(ctx.couch, s.userId, (req.body ?? {}) as Record<string, unknown>);
      await audit(ctx.couch, actorOf(req, res), 'auth.change_credential', `hquser:${s.userId}`);
      res.json({ ok: true, user: publicUser(user) });
    }),
  );
  return r;
}
