import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { HQ_API } from '../../shared/api/routes';
import type { HqContext } from '../context';
import { authenticate, requirePermission } from '../context';
import { recentAudit } from '../services/audit';

/** /api/v1/audit: who did what, when, from where (newest first, at most 1000). */
export function auditRoutes(ctx: HqContext): Router {
  const r = Router();
  const on = mountRoutes(HQ_API, r, '/api/v1/audit');
  on('GET /api/v1/audit', [authenticate(ctx), requirePermission('users.manage')], ({ req }) => recentAudit(ctx.couch, Math.min(1000, Number(req.query.limit ?? 100) || 100)));
  return r;
}
