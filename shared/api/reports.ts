// The report API (issue #13), the same at HQ (`GET /api/v1/reports/<name>`, the chain or some stores) and at a
// relay (its own store): the query every report takes, its parser, and what each report answers. Figures are
// exact integers: money in minor units, quantities in thousandths (`…Milli`), ratios in basis points (`…Bp`,
// 10000 = 100 %). Each answer carries the same figures for the previous period of equal length. `format=csv`
// answers the same report as CSV (shared/reports/csv.ts, which the apps use for their own exports).
// Pure: types, the parser and the route docs.
import type { Money } from '../money';
import type { I18nText, ZReport } from '../model/types';
import type { RegisterFigures } from '../pos/register';
import type { ZFigures } from '../reports/zfigures';
import { type Infer, object, oneOf, optional, string } from './parse';

export type { ZFigures };

export const REPORT_NAMES = [
  'sales-summary',
  'x',
  'z',
  'zz',
  'tax',
  'inventory-value',
  'product-performance',
  'sales-by-period',
  'sales-by-rep',
  'profit-margin',
  'cashier-performance',
  'department-sales',
  'inventory-turnover',
  'discount-analysis',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export type ReportGroup = 'day' | 'week' | 'month';

/** The most stores a request may name (more: ask for the whole chain). */
export const MAX_REPORT_STORES = 20;
/** The longest period a report covers, in days (3 years). */
export const MAX_REPORT_DAYS = 1096;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = { max: 200, hint: 'an id' } as const;

/** The query of every report (query-string values; `limit` arrives as text and is read as a number). */
export const ReportQuery = object({
  /** One store code, several separated by commas, or none for the whole chain (HQ; a relay answers for its store). */
  store: optional(string({ max: 12 * MAX_REPORT_STORES + MAX_REPORT_STORES, case: 'upper', pattern: /^[A-Z0-9]{2,12}(,[A-Z0-9]{2,12})*$/, hint: 'store codes separated by commas', code: 'invalid_store_code' })),
  /** First and last business day (YYYY-MM-DD, inclusive); both default to the store's today. */
  from: optional(string({ max: 10, pattern: DATE, hint: 'YYYY-MM-DD', code: 'invalid_business_date' })),
  to: optional(string({ max: 10, pattern: DATE, hint: 'YYYY-MM-DD', code: 'invalid_business_date' })),
  group: optional(oneOf(['day', 'week', 'month'] as const)),
  /** A department (`department:<code>` or the code): the report covers its whole subtree. */
  department: optional(string(ID)),
  /** A cashier's user id. */
  cashier: optional(string(ID)),
  /** A product (`product:<sku>` or the SKU). */
  product: optional(string(ID)),
  /** The X report: a shift id (`shift:<store>:<terminal>:<n>`); without one, the store's open shifts. */
  shift: optional(string(ID)),
  /** Rows of a ranked list (products), 1 to 5000 (default 100). */
  limit: optional(string({ max: 4, pattern: /^[1-9]\d{0,3}$/, hint: 'a whole number from 1 to 5000' })),
  format: optional(oneOf(['json', 'csv'] as const)),
  /** The language of CSV headers and names (default en). */
  lang: optional(oneOf(['en', 'es'] as const)),
});
export type ReportQueryInput = Infer<typeof ReportQuery>;

/** What every answer says about itself. */
export interface ReportMeta {
  /** The stores covered, or null for the whole chain. */
  stores: string[] | null;
  from: string;
  to: string;
  group: ReportGroup;
  previous: { from: string; to: string };
  generatedAt: string;
}

/** The figures of sales over a period (section `t` of the roll-ups). */
export interface SalesFigures {
  sales: number;
  gross: Money;
  discounts: Money;
  /** gross - discounts, as charged (tax-inclusive in inclusive mode). */
  net: Money;
  netExTax: Money;
  tax: Money;
  rounding: Money;
  total: Money;
  voids: number;
  voidsAmount: Money;
  returns: number;
  returnsAmount: Money;
  returnsTax: Money;
  returnsNetExTax: Money;
  itemsMilli: number;
  returnedMilli: number;
  cost: Money;
  returnsCost: Money;
  /** Revenue net of returns: netExTax - returnsNetExTax. */
  netSales: Money;
  /** netSales - (cost - returnsCost), at the cost known when each day was rolled up. */
  margin: Money;
  /** margin / netSales in basis points (0 without sales). */
  marginBp: number;
  /** total / sales, rounded half up (0 without sales). */
  averageTicket: Money;
  cashIn: Money;
  cashOut: Money;
  shifts: number;
  cashVariance: Money;
  stockMilli: number;
  /** Store days with any document. */
  days: number;
}

/** One bucket of a series: a day, a week (its Monday) or a month (`YYYY-MM`). */
export interface SeriesPoint<F> {
  bucket: string;
  figures: F;
}

/** A store's figures beside the others' (the per-store comparison). */
export interface StoreFigures<F> {
  storeId: string;
  figures: F;
  previous: F;
}

export interface SalesSummary extends ReportMeta {
  report: 'sales-summary';
  totals: SalesFigures;
  previousTotals: SalesFigures;
  series: SeriesPoint<SalesFigures>[];
  previousSeries: SeriesPoint<SalesFigures>[];
  /** Each store beside the others, when the chain or several stores are asked for. */
  byStore: StoreFigures<SalesFigures>[] | null;
}

/** The X report: the shifts' figures so far, from their documents. */
export interface XReport {
  report: 'x';
  storeId: string;
  at: string;
  shiftIds: string[];
  openShiftIds: string[];
  figures: RegisterFigures;
}

export interface ZAnswer extends ReportMeta {
  report: 'z';
  businessDate: string;
  /** Store days closed (1 for one closed store). */
  closedDays: number;
  /** The Z as written (summed over the stores asked for). */
  figures: ZFigures;
  /** What reached the store after the Z: a Z computed now minus the Z (null when nothing did). */
  lateArrivals: ZFigures | null;
  lateDays: number;
  /** The Z documents themselves, for one store. */
  zreports: ZReport[];
}

export interface ZZAnswer extends ReportMeta {
  report: 'zz';
  closedDays: number;
  figures: ZFigures;
  lateArrivals: ZFigures | null;
  lateDays: number;
  previousFigures: ZFigures;
  /** Per bucket: the Zs' headline figures (their lists, tenders, refunds, taxes, cashiers and foreign cash, are empty: the period's `figures` has them) and the late arrivals whole. */
  series: { bucket: string; closedDays: number; figures: ZFigures; lateArrivals: ZFigures | null }[];
}

export interface TaxRow {
  rateId: string;
  code: string;
  name: I18nText;
  mode: 'exclusive' | 'inclusive';
  salesBasis: Money;
  salesTax: Money;
  returnsBasis: Money;
  returnsTax: Money;
  netBasis: Money;
  netTax: Money;
}

export interface TaxTotals {
  salesTax: Money;
  returnsTax: Money;
  netTax: Money;
}

export interface TaxReport extends ReportMeta {
  report: 'tax';
  rates: TaxRow[];
  totals: TaxTotals;
  previousRates: TaxRow[];
  previousTotals: TaxTotals;
  series: SeriesPoint<TaxTotals>[];
}

/** Figures of products or departments (roll-up section `p`/`d`). */
export interface ProductFigures {
  qtyMilli: number;
  gross: Money;
  discount: Money;
  netExTax: Money;
  tax: Money;
  lines: number;
  returnedMilli: number;
  returnedExTax: Money;
  /** netExTax - returnedExTax. */
  netSales: Money;
  /** Cost of what was sold less what came back. */
  cost: Money;
  margin: Money;
  marginBp: number;
}

export interface ProductRow {
  rank: number;
  productId: string;
  sku: string;
  name: I18nText;
  departmentId: string;
  figures: ProductFigures;
  previous: ProductFigures;
  previousRank: number | null;
}

export interface SlowMover {
  productId: string;
  sku: string;
  name: I18nText;
  departmentId: string;
  stockMilli: number;
  soldMilli: number;
}

export interface ProductPerformance extends ReportMeta {
  report: 'product-performance';
  /** Products sold in the period (the list holds the first `limit` by net sales). */
  count: number;
  products: ProductRow[];
  totals: ProductFigures;
  previousTotals: ProductFigures;
  /** Products on hand at the end of the period that sold least (none first). */
  slowMovers: SlowMover[];
  series: SeriesPoint<ProductFigures>[];
}

export interface InventoryFigures {
  qtyMilli: number;
  costValue: Money;
  retailValue: Money;
  /** Quantity on hand of products without a cost (valued at 0 cost). */
  noCostMilli: number;
}

export interface DepartmentNode<F> {
  departmentId: string;
  name: I18nText;
  parentId: string | null;
  depth: number;
  /** The department's own figures. */
  own: F;
  /** Its own and all its descendants'. */
  total: F;
  previousTotal: F;
}

export interface InventoryProductRow {
  productId: string;
  sku: string;
  name: I18nText;
  departmentId: string;
  figures: InventoryFigures;
  previous: InventoryFigures;
}

export interface InventoryValue extends ReportMeta {
  report: 'inventory-value';
  /** Stock as of `to` (and `previous.to`), valued at the catalog's current cost and price. */
  asOf: string;
  totals: InventoryFigures;
  previousTotals: InventoryFigures;
  departments: DepartmentNode<InventoryFigures>[];
  /** With a department or product filter: its products, highest cost value first (up to `limit`). */
  products: InventoryProductRow[];
  /** Per store, when several stores are asked for. */
  byStore: StoreFigures<InventoryFigures>[] | null;
}

export interface PeriodFigures {
  sales: number;
  total: Money;
  netExTax: Money;
}

export interface SalesByPeriod extends ReportMeta {
  report: 'sales-by-period';
  /** 24 rows, local hour of day 0-23. */
  hours: ({ hour: number } & PeriodFigures)[];
  previousHours: ({ hour: number } & PeriodFigures)[];
  /** 7 rows, 0 = Monday; `days` is how many of that weekday the period has. */
  weekdays: ({ weekday: number; days: number } & PeriodFigures)[];
  previousWeekdays: ({ weekday: number; days: number } & PeriodFigures)[];
  series: SeriesPoint<PeriodFigures>[];
  previousSeries: SeriesPoint<PeriodFigures>[];
}

export interface RepFigures {
  lines: number;
  qtyMilli: number;
  netExTax: Money;
  returnedMilli: number;
  returnedExTax: Money;
  netSales: Money;
  /** netSales x the rep's commission rate (half up), 0 when the rep is not in the catalog. */
  commission: Money;
}

export interface SalesByRep extends ReportMeta {
  report: 'sales-by-rep';
  reps: { repId: string; name: string; commissionBp: number; figures: RepFigures; previous: RepFigures }[];
  totals: RepFigures;
  previousTotals: RepFigures;
}

export interface MarginFigures {
  netSales: Money;
  cost: Money;
  margin: Money;
  marginBp: number;
}

export interface ProfitMargin extends ReportMeta {
  report: 'profit-margin';
  totals: MarginFigures;
  previousTotals: MarginFigures;
  series: SeriesPoint<MarginFigures>[];
  previousSeries: SeriesPoint<MarginFigures>[];
  departments: DepartmentNode<MarginFigures>[];
}

export interface CashierFigures {
  sales: number;
  total: Money;
  netExTax: Money;
  gross: Money;
  itemsMilli: number;
  averageTicket: Money;
  voids: number;
  voidsAmount: Money;
  returns: number;
  returnsAmount: Money;
  discountedSales: number;
  discountAmount: Money;
  cashVariance: Money;
  shifts: number;
}

export interface CashierPerformance extends ReportMeta {
  report: 'cashier-performance';
  cashiers: { cashierId: string; name: string; figures: CashierFigures; previous: CashierFigures }[];
  totals: CashierFigures;
  previousTotals: CashierFigures;
  series: SeriesPoint<CashierFigures>[];
}

export interface DepartmentSales extends ReportMeta {
  report: 'department-sales';
  departments: DepartmentNode<ProductFigures>[];
  totals: ProductFigures;
  previousTotals: ProductFigures;
}

export interface TurnoverFigures {
  /** Cost of goods sold net of returns, in the period. */
  cogs: Money;
  /** Stock at cost the day before the period and on its last day (current costs). */
  openingValue: Money;
  closingValue: Money;
  averageValue: Money;
  /** cogs / averageValue in basis points (0 when no stock). */
  turnoverBp: number;
}

export interface InventoryTurnover extends ReportMeta {
  report: 'inventory-turnover';
  totals: TurnoverFigures;
  previousTotals: TurnoverFigures;
  departments: DepartmentNode<TurnoverFigures>[];
}

export interface DiscountFigures {
  count: number;
  amount: Money;
}

export interface DiscountAnalysis extends ReportMeta {
  report: 'discount-analysis';
  /** `line:percent`, `line:amount`, `line:special`, `cart:percent`, `cart:amount`. */
  byKind: ({ kind: string } & DiscountFigures)[];
  /** `approved` (over the cashier's limit, a manager approved), `within_limit`, `special`. */
  byApproval: ({ approval: string } & DiscountFigures)[];
  byCashier: ({ cashierId: string; name: string } & DiscountFigures)[];
  totals: DiscountFigures & { gross: Money; shareBp: number };
  previousTotals: DiscountFigures & { gross: Money; shareBp: number };
  series: SeriesPoint<DiscountFigures & { gross: Money }>[];
}

/** What each report answers. */
export interface ReportAnswers {
  'sales-summary': SalesSummary;
  x: XReport;
  z: ZAnswer;
  zz: ZZAnswer;
  tax: TaxReport;
  'inventory-value': InventoryValue;
  'product-performance': ProductPerformance;
  'sales-by-period': SalesByPeriod;
  'sales-by-rep': SalesByRep;
  'profit-margin': ProfitMargin;
  'cashier-performance': CashierPerformance;
  'department-sales': DepartmentSales;
  'inventory-turnover': InventoryTurnover;
  'discount-analysis': DiscountAnalysis;
}
export type ReportAnswer = ReportAnswers[ReportName];

/** The report routes of an API: `GET /api/v1/reports/<name>` for every report. */
export type ReportRoutes = { [N in ReportName as `GET /api/v1/reports/${N}`]: { query: ReportQueryInput; response: ReportAnswers[N] } };

const WHAT: Record<ReportName, string> = {
  'sales-summary': 'sales, discounts, tax, voids, returns, margin: totals, a series by day/week/month, per store; and the previous period',
  x: 'the X report of a shift (shift=) or of the store\'s open shifts, from their documents',
  z: 'the Z of a closed day (from=) with the late arrivals since (a Z is never rewritten)',
  zz: 'the Zs of a period summed, with their late arrivals, by day/week/month',
  tax: 'per tax rate and tax mode: taxable base and tax of sales, of returns and net, as on the receipts',
  'inventory-value': 'stock on the last day at current cost and retail, per department (tree) and, when asked, product or store',
  'product-performance': 'units, revenue, margin and rank per product (department=, product=), slow movers',
  'sales-by-period': 'sales by hour of day, weekday, and day/week/month',
  'sales-by-rep': 'lines, units, net sales and commission per sales rep',
  'profit-margin': 'net sales, cost and margin over time and per department (department=, product=)',
  'cashier-performance': 'sales, average ticket, voids, returns, discounts and cash variance per cashier (cashier=)',
  'department-sales': 'the department tree with each department\'s own and rolled-up sales (department= for a subtree)',
  'inventory-turnover': 'cost of goods sold over average stock at cost, per department',
  'discount-analysis': 'discounts by kind, by approval and by cashier (cashier=)',
};

/** The route docs of the report routes, for an API whose callers hold `auth`. */
export function reportRouteDocs(auth: string): { [K in keyof ReportRoutes]: { auth: string; what: string } } {
  const out: Record<string, { auth: string; what: string }> = {};
  for (const name of REPORT_NAMES) out[`GET /api/v1/reports/${name}`] = { auth, what: WHAT[name] + '; format=csv for CSV' };
  return out as { [K in keyof ReportRoutes]: { auth: string; what: string } };
}
