// HQ's reports (issue #13): a checked request (shared/reports/request.ts) answered by the shared report code
// (shared/reports/run.ts) over HQ's reads — roll-ups in `caja-reports`, the catalog in `caja-catalog`, each
// store's own database for the Z and shift documents, staff names in `caja-hq`. The chain's reports read the
// chain's roll-ups, never one database per store.
import type { CouchHandle } from '../../server-kit/couch';
import { couchReportIO } from '../../server-kit/reportReader';
import { apiError } from '../../shared/api/errors';
import type { ReportAnswers, ReportName, ReportQueryInput } from '../../shared/api/reports';
import { CATALOG_DB, HQ_DB, REPORTS_CHAIN_DB, REPORTS_DB, hqStoreDbName, hqUserRecordId } from '../../shared/model/names';
import { businessDate } from '../../shared/pos/clock';
import type { ReportIO } from '../../shared/reports/engine';
import { reportRequest } from '../../shared/reports/request';
import { runReport } from '../../shared/reports/run';
import { listStores } from './stores';

/** HQ's reads for the reports. */
export function hqReportIO(couch: CouchHandle): ReportIO {
  return couchReportIO({ couch, reportsDb: REPORTS_DB, chainDb: REPORTS_CHAIN_DB, catalogDb: CATALOG_DB, storeDb: hqStoreDbName, people: { db: HQ_DB, idOf: hqUserRecordId } });
}

/**
 * Answers a report. The stores named must exist; "today" (the default period) is the business date in the
 * zone of the first store asked for, or of the chain's first store.
 */
export async function answerReport<N extends ReportName>(couch: CouchHandle, name: N, query: ReportQueryInput, now: Date = new Date()): Promise<ReportAnswers[N]> {
  const stores = await listStores(couch);
  const wanted = query.store ? query.store.split(',') : [];
  for (const code of wanted) {
    if (!stores.some((s) => s.code === code)) throw apiError('unknown_store', `store: no store ${code}`, { field: 'store' });
  }
  const first = stores.find((s) => s.code === wanted[0]) ?? [...stores].sort((a, b) => (a.code < b.code ? -1 : 1))[0];
  const today = businessDate(now, first?.timeZone ?? 'UTC');
  return runReport(name, reportRequest(name, query, today, now), hqReportIO(couch));
}
