// The store's reports as manager mode lists them (issue #13): for each report of shared/api/reports.ts, which
// filters the relay honours for it (the engine reads only these: shared/reports/*Reports.ts), and whether it is
// shown as figures with a comparison or as a printed register report (X, Z, ZZ). Pure data.
import { REPORT_NAMES, type ReportName } from '../../../../shared/api/reports';

/** How the period of a report is chosen: a range, one day (Z), or none (X: a register of today). */
export type PeriodKind = 'range' | 'day' | 'none';

export interface ReportSpec {
  name: ReportName;
  period: PeriodKind;
  group: boolean;
  department: boolean;
  cashier: boolean;
  product: boolean;
  /** X, Z and ZZ: shown like the printed report. */
  printed: boolean;
}

const F = { period: 'range', group: false, department: false, cashier: false, product: false, printed: false } as const;

const SPECS: Record<ReportName, Omit<ReportSpec, 'name'>> = {
  'sales-summary': { ...F, group: true },
  x: { ...F, period: 'none', printed: true },
  z: { ...F, period: 'day', printed: true },
  zz: { ...F, group: true, printed: true },
  tax: { ...F, group: true },
  'inventory-value': { ...F, department: true, product: true },
  'product-performance': { ...F, group: true, department: true, product: true },
  'sales-by-period': { ...F, group: true },
  'sales-by-rep': { ...F },
  'profit-margin': { ...F, group: true, department: true, product: true },
  'cashier-performance': { ...F, group: true, cashier: true },
  'department-sales': { ...F, department: true },
  'inventory-turnover': { ...F, department: true, product: true },
  'discount-analysis': { ...F, group: true, cashier: true },
};

/** Every report, in the order the list shows them (the API's order: the register reports after the summary). */
export const REPORTS: readonly ReportSpec[] = REPORT_NAMES.map((name) => ({ name, ...SPECS[name] }));

export function specOf(name: ReportName): ReportSpec {
  return { name, ...SPECS[name] };
}
