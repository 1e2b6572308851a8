// /api/v1/auth: sign in, renew (refresh tokens work once), sign out (the session's refresh token deleted and
// its access tokens refused from then on: hq/services/auth.ts),
// who am I, and changing one's own password or PIN. Sign-ins, sign-outs and credential changes are audited.
import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { HQ_API } from '../../shared/api/routes';
import type { HqContext } from '../context';
import { actorOf, authenticate, session } from '../context';
import { audit } from '../services/audit';
import { changeCredential, login, logout, refresh } from '../services/auth';
import { getUser, publicUser, recordFirstLogin } from '../services/users';
import { resolvePermissions } from '../../shared/auth/permissions';
import { listRoles } from '../services/users';
import { hqUserActor, hqUserRecordId } from '../../shared/model/names';

export function authRoutes(ctx: HqContext): Router {
  const r = Router();
  const on = mountRoutes(HQ_API, r, '/api/v1/auth');
  on('POST /api/v1/auth/login', async ({ req, body: parsed }) => {
    const body = parsed();
    // A 429 carries details.retryAfterS, which the error mapper turns into Retry-After.
    const tokens = await login(ctx.couch, ctx.secrets.api, body.username, body.password, req.ip ?? 'unknown');
    await audit(ctx.couch, { id: hqUserActor(body.username), from: req.ip ?? 'unknown' }, 'auth.login', body.username);
    // Once signed in, the admin's first-start password is theirs: HQ_ADMIN_PASSWORD stops applying. Not
    // recording it must not fail a login that succeeded.
    await recordFirstLogin(ctx.couch, body.username).catch((err: unknown) => ctx.log.warn('auth.first_login_not_recorded', { err: err instanceof Error ? err : String(err) }));
    return tokens;
  });
  on('POST /api/v1/auth/refresh', async ({ body }) => refresh(ctx.couch, ctx.secrets.api, body().refreshToken));
  // The refresh token is the credential here (not the access token, which may have run out already).
  on('POST /api/v1/auth/logout', async ({ req, body }) => {
    const userId = await logout(ctx.couch, body().refreshToken);
    if (userId) await audit(ctx.couch, { id: hqUserActor(userId), from: req.ip ?? 'unknown' }, 'auth.logout', hqUserRecordId(userId));
    return { ok: true as const };
  });
  on('GET /api/v1/auth/me', [authenticate(ctx)], async ({ res }) => {
    const s = session(res);
    const user = await getUser(ctx.couch, s.userId);
    const roles = await listRoles(ctx.couch);
    const perStore = Object.fromEntries(
      Object.entries(user.storeRoles).map(([code, ids]) => [code, resolvePermissions(roles.filter((role) => ids.includes(role._id))).permissions]),
    );
    return { user: publicUser(user), permissions: s.permissions, storePermissions: perStore };
  });
  on('POST /api/v1/auth/change-credential', [authenticate(ctx)], async ({ req, res, body: parsed }) => {
    const s = session(res);
    const body = parsed();
    const user = await changeCredential(ctx.couch, s.userId, body);
    await audit(ctx.couch, actorOf(req, res), 'auth.change_credential', hqUserRecordId(s.userId));
    return { ok: true as const, user: publicUser(user) };
  });
  return r;
}
