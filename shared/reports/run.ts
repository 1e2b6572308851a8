// One entry to every report: a checked request (request.ts) and the server's reads (engine.ts ReportIO) in,
// the typed answer (shared/api/reports.ts) out. HQ and the relay both answer through here. Pure.
import type { ReportAnswers, ReportName } from '../api/reports';
import type { ReportIO } from './engine';
import { departmentSales, inventoryTurnover, inventoryValue, productPerformance, profitMargin } from './productReports';
import type { ReportRequest } from './request';
import { cashierPerformance, discountAnalysis, salesByPeriod, salesByRep, salesSummary, taxReport } from './salesReports';
import { xReport, zReport, zzReport } from './zReports';

type Runner<N extends ReportName> = (req: ReportRequest, io: ReportIO) => Promise<ReportAnswers[N]>;

const RUNNERS: { [N in ReportName]: Runner<N> } = {
  'sales-summary': salesSummary,
  x: xReport,
  z: zReport,
  zz: zzReport,
  tax: taxReport,
  'inventory-value': inventoryValue,
  'product-performance': productPerformance,
  'sales-by-period': salesByPeriod,
  'sales-by-rep': salesByRep,
  'profit-margin': profitMargin,
  'cashier-performance': cashierPerformance,
  'department-sales': departmentSales,
  'inventory-turnover': inventoryTurnover,
  'discount-analysis': discountAnalysis,
};

/** Answers a report. */
export function runReport<N extends ReportName>(name: N, req: ReportRequest, io: ReportIO): Promise<ReportAnswers[N]> {
  return (RUNNERS[name] as Runner<N>)(req, io);
}
