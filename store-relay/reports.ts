// The store's reports at its relay (issue #13): the relay's roll-up job keeps its store's day, month and year
// roll-ups in the relay's own `caja-reports` (server-kit/rollupJob.ts over `caja-store`), and
// `GET /api/v1/reports/<name>` answers every report for this store through the same shared code as HQ
// (shared/reports/run.ts), from the relay's roll-ups, catalog copy and store documents — so a manager has
// the store's reports with the WAN down. A manager's relay session with `reports.view` is required (the one
// the till opens for the day close).
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { CouchHandle } from '../server-kit/couch';
import { mountRoutes } from '../server-kit/apiRoutes';
import type { Logger } from '../server-kit/log';
import { couchReportIO, csvAnswer, reportQueryOf } from '../server-kit/reportReader';
import { RollupJob } from '../server-kit/rollupJob';
import { REPORT_NAMES, type ReportName, type ReportQueryInput } from '../shared/api/reports';
import { RELAY_API } from '../shared/api/routes';
import { RELAY_STORE_DB, REPORTS_DB } from '../shared/model/names';
import { businessDate } from '../shared/pos/clock';
import { reportRequest } from '../shared/reports/request';
import { runReport } from '../shared/reports/run';
import { verifyManagerToken } from './services/terminals';
import type { Relay } from './routes/context';
import { requireIdentity } from './routes/context';

/** The relay's roll-up job: one store, no chain; its catalog facts come from the store's catalog copy. */
export class RelayReports {
  private job: RollupJob | null = null;

  constructor(
    private readonly couch: CouchHandle,
    private readonly log: Logger,
  ) {}

  /** Follows the store database once the relay knows its store (idempotent). */
  activate(storeCode: string, timeZone: () => string): void {
    this.job ??= new RollupJob({ couch: this.couch, log: this.log, catalogDb: RELAY_STORE_DB, chain: false });
    this.job.follow({ storeId: storeCode, db: RELAY_STORE_DB, timeZone });
  }

  async stop(): Promise<void> {
    await this.job?.stop();
    this.job = null;
  }
}

/** The report routes of the relay. */
export function relayReportRoutes(relay: Relay): Router {
  const r = Router();
  const on = mountRoutes(RELAY_API, r);
  const authorize: RequestHandler = (req, _res, next) => {
    try {
      verifyManagerToken(relay.secrets.api, requireIdentity(relay).storeCode, req.get('authorization'), 'reports.view');
      next();
    } catch (err) {
      next(err);
    }
  };
  const io = couchReportIO({
    couch: relay.couch,
    reportsDb: REPORTS_DB,
    catalogDb: RELAY_STORE_DB,
    storeDb: () => RELAY_STORE_DB,
    people: { db: RELAY_STORE_DB, idOf: (id) => 'user:' + id },
  });
  const mount = <N extends ReportName>(name: N) => {
    const answer = (q: ReportQueryInput) => {
      const { storeCode, timeZone } = requireIdentity(relay);
      const now = new Date();
      return runReport(name, reportRequest(name, q, businessDate(now, timeZone), now, storeCode), io);
    };
    on(`GET /api/v1/reports/${name}` as `GET /api/v1/reports/${ReportName}`, [authorize, csvAnswer(name, answer)], ({ req }) => answer(reportQueryOf(req)));
  };
  for (const name of REPORT_NAMES) mount(name);
  return r;
}
