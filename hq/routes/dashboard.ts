// /api/v1/dashboard: the chain dashboard (hq/services/chainDashboard.ts). Figures of every store are
// `reports.view`, as the sales browser is (hq/routes/sales.ts).
import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { DashboardQuery } from '../../shared/api/hqRecords';
import { parse } from '../../shared/api/parse';
import { HQ_API } from '../../shared/api/routes';
import type { HqContext } from '../context';
import { authenticate, requirePermission, requireReportViews } from '../context';
import { chainDashboard } from '../services/chainDashboard';

export function dashboardRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx), requirePermission('reports.view'), requireReportViews(ctx));
  const on = mountRoutes(HQ_API, r, '/api/v1/dashboard');
  on('GET /api/v1/dashboard', async ({ req }) => chainDashboard(ctx.couch, { date: parse(DashboardQuery, req.query).date }));
  return r;
}
