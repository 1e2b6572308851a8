// The HQ API's record modules of issue #12 (sales browser, customers and their conflicts, store configuration,
// store prices in bulk): the parsers of their queries and bodies (shared/api/parse.ts) and the shapes they
// answer with. Kept apart from bodies.ts/responses.ts so the modules can grow without touching the older
// contracts. Pure: no I/O.
import type { Money } from '../money';
import type { Approval, Customer, I18nText, Return, Sale, StoreConfig, Void } from '../model/types';
import { apiError } from './errors';
import type { Infer, Parser } from './parse';
import { array, int, moneyOf, nullable, object, oneOf, optional, refine, string } from './parse';
import { businessDate, currency, email, locale, storeCode, taxMode, timeZone, LIMITS } from './bodies';
import type { StoreStatus } from './responses';

/** Largest page any of these lists answers. */
export const MAX_PAGE = 200;
/** Most lines one bulk store-price request may carry (validated whole before any write). */
export const MAX_BULK_PRICES = 5000;

const pageSize = () => int({ min: 1, max: MAX_PAGE });
const cursor = () => string({ max: 400, pattern: /^[A-Za-z0-9_-]+$/, hint: 'the `next` value of the previous page', code: 'invalid_cursor' });

// ---------- sales ----------

/** `GET /sales`: every filter optional; dates are business dates in each store's zone, inclusive. */
export const SalesQuery = refine(
  object({
    store: optional(storeCode()),
    from: optional(businessDate()),
    to: optional(businessDate()),
    receipt: optional(string({ max: 40, pattern: /^[A-Za-z0-9]{2,12}-T[0-9]{1,4}-[1-9][0-9]{0,7}$/, hint: 'a receipt number such as S001-T1-42' })),
    cashier: optional(string({ max: 64 })),
    customer: optional(string({ max: 80, pattern: /^customer:[A-Za-z0-9_-]{1,64}$/, hint: 'a customer id such as customer:<uuid>' })),
    minTotal: optional(moneyOf({ code: 'invalid_input' })),
    maxTotal: optional(moneyOf({ code: 'invalid_input' })),
    limit: optional(pageSize()),
    cursor: optional(cursor()),
  }),
  (q) => (q.from && q.to && q.from > q.to ? `from (${q.from}) is after to (${q.to})` : q.minTotal !== undefined && q.maxTotal !== undefined && q.minTotal > q.maxTotal ? 'minTotal is more than maxTotal' : null),
  'invalid_period',
);
export type SalesQueryInput = Infer<typeof SalesQuery>;

/** One sale in the browser's list. */
export interface SaleSummary {
  id: string;
  storeId: string;
  terminalId: string;
  receiptNumber: string;
  businessDate: string;
  createdAt: string;
  cashierId: string;
  customerId: string | null;
  currency: string;
  total: Money;
  taxTotal: Money;
  discountTotal: Money;
  lineCount: number;
  voided: boolean;
}

/** `GET /sales`: a page, newest business day first, and where the next one starts (null on the last). */
export interface SalePage {
  items: SaleSummary[];
  next: string | null;
}

/** `GET /sales/:id`: the sale whole (lines, taxes, tenders, approvals), its void and its returns. */
export interface SaleDetail {
  sale: Sale;
  void: Void | null;
  returns: Return[];
  /** Every approval recorded on the sale, its void and its returns, in that order. */
  approvals: Array<Approval & { on: string }>;
}

// ---------- customers ----------

export const CustomerQuery = object({
  q: optional(string({ min: 0, max: 100 })),
  limit: optional(pageSize()),
  cursor: optional(cursor()),
});

const taxExempt = () => nullable(object({ id: string({ max: 64 }), reason: string({ max: 200 }) }));
const phone = () => string({ max: 40, pattern: /^[0-9+()\-. ]{3,40}$/, hint: 'digits, spaces and + ( ) - .' });

export const CustomerCreate = object({
  name: string({ max: LIMITS.displayName }),
  email: optional(email()),
  phone: optional(phone()),
  taxExempt: optional(taxExempt()),
});
export type CustomerCreateBody = Infer<typeof CustomerCreate>;

const CustomerFields = object({
  name: optional(string({ max: LIMITS.displayName })),
  email: optional(nullable(email())),
  phone: optional(nullable(phone())),
  taxExempt: optional(taxExempt()),
});

/** A revision the edit was made on, read first (`rev_required`), then the rest of the body by `fields`. */
function withRev<T>(fields: Parser<T>): Parser<T & { _rev: string }> {
  return (value, path) => {
    const { _rev: rev, ...rest } = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
    if (typeof rev !== 'string' || !rev || rev.length > 64) throw apiError('rev_required', 'Send the _rev of the version you edited.');
    return { ...fields(rest, path), _rev: rev };
  };
}

/** `PATCH /customers/:id`: `_rev` and the fields to change (`null` removes e-mail or phone). */
export const CustomerPatch = withRev(CustomerFields);
export type CustomerPatchBody = Infer<typeof CustomerPatch>;

/** `POST /customers/:id/resolve`: keep the automatic winner (no `rev`) or restore a kept losing revision. */
export const CustomerResolve = object({
  rev: optional(string({ max: 64, pattern: /^[0-9]+-[0-9a-f]+$/, hint: 'a revision listed in the conflict' })),
  note: optional(string({ min: 0, max: 300 })),
});

/** A conflict HQ resolved on its own, open until someone reviews it. */
export interface CustomerConflict {
  customerId: string;
  open: boolean;
  /** When the last conflict of this customer was resolved, and by which rule. */
  resolvedAt: string;
  rule: string;
  /** The revision that won, as it was. */
  winner: { rev: string; doc: Customer };
  /** Every losing revision, kept whole (only these can be restored). */
  losers: Array<{ rev: string; doc: Customer; resolvedAt: string }>;
  reviewedAt: string | null;
  reviewedBy: string | null;
  /** The customer as it is now. */
  current: Customer | null;
}

/** `GET /customers`: a page of customers in id order, and where the next one starts. */
export interface CustomerPage {
  items: Customer[];
  next: string | null;
}

// ---------- store configuration ----------

/**
 * `PUT /stores/:id/config`: the whole configuration (what the tills print and how they price). The receipt
 * header is the store's name and address lines (shared/pos/receipt.ts prints them at the top).
 */
export const StoreConfigPut = withRev(
  object({
    timeZone: timeZone(),
    currency: currency(),
    locale: locale(),
    taxMode: taxMode(),
    cashRounding: oneOfMoney([0, 1, 5, 10, 50, 100]),
    varianceAlert: optional(moneyOf({ max: 100_000_000, code: 'invalid_input' })),
    returnDays: optional(int({ min: 0, max: 3650 })),
    receiptHeader: object({
      name: string({ max: LIMITS.storeName, code: 'invalid_store_name' }),
      address: string({ min: 0, max: LIMITS.address, multiline: true }),
    }),
    receiptFooter: object({ en: string({ min: 0, max: 300, multiline: true }), es: string({ min: 0, max: 300, multiline: true }) }),
  }),
);
export type StoreConfigPutBody = Infer<typeof StoreConfigPut>;

function oneOfMoney(values: number[]): Parser<Money> {
  const pick = oneOf(values);
  return (value, path) => pick(value, path) as Money;
}

/** `GET/PUT /stores/:id/config`: the configuration document as it travels to the store, and its header. */
export interface StoreConfigAnswer {
  config: StoreConfig;
  receiptHeader: { name: string; address: string };
  receiptFooter: I18nText;
}

// ---------- store prices in bulk ----------

const sku = () => string({ max: 200, pattern: /^[^_\s/][^\s/]*$/, hint: 'a product SKU' });

/** `PUT /store-prices/:store`: up to MAX_BULK_PRICES lines, one per SKU; `price: null` removes the override. */
export const StorePricesBulk = object({
  prices: array(object({ sku: sku(), price: nullable(moneyOf()) }), { min: 1, max: MAX_BULK_PRICES, code: 'too_many_lines' }),
});
export type StorePricesBulkBody = Infer<typeof StorePricesBulk>;

/** What happened to one line of a bulk price request. */
export interface BulkPriceLine {
  sku: string;
  result: 'set' | 'removed' | 'unchanged' | 'error';
  price: Money | null;
  rev?: string;
  error?: string;
}

export interface BulkPriceAnswer {
  store: string;
  counts: Record<BulkPriceLine['result'], number>;
  lines: BulkPriceLine[];
}

// ---------- chain dashboard ----------

/** `GET /dashboard`: the business day to show (default: each store's today, in its own time zone). */
export const DashboardQuery = object({ date: optional(businessDate()) });

/**
 * A business day's figures, attributed as the X and Z reports attribute them (shared/pos/register.ts): a
 * voided sale is out of the sales, revenue, tax and discounts and counted under voids; returns count on the
 * day they were refunded and are not taken off revenue. Money in minor units of the store's currency.
 */
export interface DayTotals {
  salesCount: number;
  /** What customers paid for the day's sales (totals, tax and cash rounding included). */
  revenue: Money;
  tax: Money;
  discounts: Money;
  voidsCount: number;
  voidsAmount: Money;
  returnsCount: number;
  returnsAmount: Money;
  /** revenue / salesCount rounded half up; 0 with no sales. */
  averageTicket: Money;
}

/** Sales rung in one hour of the stores' local day (0-23), on the day asked and a week before. */
export interface HourSales {
  hour: number;
  salesCount: number;
  revenue: Money;
  lastWeekCount: number;
  lastWeekRevenue: Money;
}

/** One store on the dashboard: its day (in its zone) and the same weekday a week before. */
export interface DashboardStoreRow {
  code: string;
  name: string;
  status: StoreStatus;
  timeZone: string;
  currency: string;
  businessDate: string;
  lastWeekDate: string;
  day: DayTotals;
  lastWeek: DayTotals;
}

/** The chain's totals in one currency: amounts of stores with different currencies are never added. */
export interface ChainCurrencyTotals {
  currency: string;
  /** Codes of the stores counted here. */
  stores: string[];
  /** The business days counted (one unless the stores' todays differ across their zones). */
  businessDates: string[];
  day: DayTotals;
  lastWeek: DayTotals;
  /** 24 entries, hour 0 to 23, each store's sales in its own local hour. */
  hours: HourSales[];
}

/** `GET /dashboard`: the chain per currency (most stores first), and every store. */
export interface ChainDashboard {
  generatedAt: string;
  /** The day asked for, or null for each store's today. */
  date: string | null;
  chain: ChainCurrencyTotals[];
  stores: DashboardStoreRow[];
}
