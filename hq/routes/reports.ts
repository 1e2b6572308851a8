// /api/v1/reports/<name>: every report of shared/api/reports.ts for the chain (no `store`), one store or a
// few (hq/services/reports.ts). `reports.view` at HQ, as for the sales browser. `format=csv` answers the same
// report as CSV (shared/reports/csv.ts, the code the console's own export uses).
import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { csvAnswer, reportQueryOf } from '../../server-kit/reportReader';
import { REPORT_NAMES, type ReportName, type ReportQueryInput } from '../../shared/api/reports';
import { HQ_API } from '../../shared/api/routes';
import type { HqContext } from '../context';
import { authenticate, requirePermission, requireReportViews } from '../context';
import { answerReport } from '../services/reports';

export function reportRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx), requirePermission('reports.view'), requireReportViews(ctx));
  const on = mountRoutes(HQ_API, r, '/api/v1/reports');
  const mount = <N extends ReportName>(name: N) => {
    const answer = (q: ReportQueryInput) => answerReport(ctx.couch, name, q);
    on(`GET /api/v1/reports/${name}` as `GET /api/v1/reports/${ReportName}`, [csvAnswer(name, answer)], ({ req }) => answer(reportQueryOf(req)));
  };
  for (const name of REPORT_NAMES) mount(name);
  return r;
}
