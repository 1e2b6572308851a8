// What every HQ route needs, passed explicitly (no globals): CouchDB, configuration, logger, and the
// URL HQ is reachable at (known only once listening, so it is a function).
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import type { CajaConfig } from '../server-kit/config';
import type { CouchHandle } from '../server-kit/couch';
import { forbidden, unauthorized, unavailable } from '../server-kit/errors';
import type { Logger } from '../server-kit/log';
import type { ProcessSecrets } from '../server-kit/secrets';
import type { Actor } from './services/audit';
import { getUser, hqPermissions } from './services/users';
import { verifyAccessToken } from './services/tokens';
import { sessionEnded } from './services/auth';
import { bearer } from '../server-kit/tokens';
import { hqUserActor } from '../shared/model/names';

export interface HqContext {
  couch: CouchHandle;
  cfg: CajaConfig;
  /** HQ's own signing secrets (never shared with relays). */
  secrets: ProcessSecrets;
  log: Logger;
  /** The HQ API base URL that sync tokens carry. */
  publicUrl(): string;
  /** The URL relays replicate with: HQ's gateway in front of its CouchDB. */
  couchPublicUrl(): string;
  /** Lets background jobs follow a store's database as soon as it exists. */
  onStoreCreated?: (code: string) => void;
  /** Whether the report views are in place (false while changed ones are built after an upgrade: hq/jobs/reportViews.ts). */
  reportsReady?: () => boolean;
}

export interface Session {
  userId: string;
  username: string;
  permissions: string[];
}

/** The signed-in staff member, set by `authenticate`. */
export function session(res: Response): Session {
  const s = res.locals.session as Session | undefined;
  if (!s) throw unauthorized('unauthenticated', 'Log in first.');
  return s;
}

/** Who did it and from where, for the audit log. */
export function actorOf(req: Request, res: Response): Actor {
  const s = res.locals.session as Session | undefined;
  return { id: s ? hqUserActor(s.userId) : 'anonymous', from: req.ip ?? 'unknown' };
}

/** Verifies the bearer token and loads the user's current permissions (a deactivated user is out at once). */
export function authenticate(ctx: HqContext): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let userId: string;
    try {
      const token = bearer(req.get('authorization'), 'Authentication required: send Authorization: Bearer <access token>.');
      const verified = verifyAccessToken(ctx.secrets.api, token);
      if (verified.sid && sessionEnded(verified.sid)) throw unauthorized('token_invalid', 'This session has ended; sign in again.');
      userId = verified.userId;
    } catch (err) {
      next(err);
      return;
    }
    getUser(ctx.couch, userId)
      .then(async (user) => {
        if (!user.active) throw unauthorized('user_inactive', 'This account is deactivated.');
        res.locals.session = { userId, username: user.username, permissions: await hqPermissions(ctx.couch, user) } satisfies Session;
        next();
      })
      .catch((err: unknown) => next((err as { status?: number }).status === 404 ? unauthorized('token_invalid', 'Unknown user.') : err));
  };
}

/** Refuses with 503 `reports_updating` while the report views are being built (the old ones would answer wrongly). */
export function requireReportViews(ctx: HqContext): RequestHandler {
  return (_req, _res, next) => next(ctx.reportsReady && !ctx.reportsReady() ? unavailable('reports_updating') : undefined);
}

/** Refuses with 403 unless the signed-in user holds `permission` at HQ. */
export function requirePermission(permission: string): RequestHandler {
  return (_req, res, next) => {
    const s = res.locals.session as Session | undefined;
    if (!s) return next(unauthorized('unauthenticated', 'Log in first.'));
    if (!s.permissions.includes(permission)) return next(forbidden('permission_denied', `This needs the ${permission} permission.`));
    next();
  };
}
