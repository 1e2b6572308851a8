// What each report page offers (issue #13): which filters apply to it, whether it groups by day/week/month,
// whether it is of one day (Z) or of one store now (X), and the date range a page opens with. One table, so
// the index, the filter bar and the URL parser agree. Pure.
import { REPORT_NAMES, type ReportName } from '../../../../../shared/api/reports';

export type ReportFilter = 'department' | 'cashier' | 'product' | 'shift';
export type Preset = 'today' | 'yesterday' | 'thisWeek' | 'lastWeek' | 'thisMonth' | 'lastMonth' | 'thisYear' | 'custom';
export const PRESETS: readonly Preset[] = ['today', 'yesterday', 'thisWeek', 'lastWeek', 'thisMonth', 'lastMonth', 'thisYear', 'custom'];

interface ReportDef {
  /** Groups its series by day, week or month. */
  group: boolean;
  /** The filters its API honours. */
  filters: readonly ReportFilter[];
  /** `range`: from-to; `day`: one business day (the Z); `now`: no dates, the open shifts or a shift (the X). */
  period: 'range' | 'day' | 'now';
  /** Of one store only (the X). */
  oneStore: boolean;
  /** The range a page opens with. */
  preset: Preset;
}

const range = (group: boolean, filters: readonly ReportFilter[] = []): ReportDef => ({ group, filters, period: 'range', oneStore: false, preset: 'thisMonth' });

export const REPORT_DEFS: Record<ReportName, ReportDef> = {
  'sales-summary': range(true),
  x: { group: false, filters: ['shift'], period: 'now', oneStore: true, preset: 'today' },
  z: { group: false, filters: [], period: 'day', oneStore: false, preset: 'yesterday' },
  zz: range(true),
  tax: range(true),
  'inventory-value': { ...range(false, ['department', 'product']), preset: 'today' },
  'product-performance': range(true, ['department', 'product']),
  'sales-by-period': range(true),
  'sales-by-rep': range(false),
  'profit-margin': range(true, ['department', 'product']),
  'cashier-performance': range(true, ['cashier']),
  'department-sales': range(false, ['department']),
  'inventory-turnover': range(false, ['department', 'product']),
  'discount-analysis': range(true, ['cashier']),
};

export function isReportName(name: string | undefined): name is ReportName {
  return (REPORT_NAMES as readonly string[]).includes(name ?? '');
}

/** The i18n key stem of a report (`reports.names.salesSummary`): keys are camelCase. */
export function reportKey(name: ReportName): string {
  return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}
