// The one place the figures of a roll-up are laid out. A roll-up document (rollup.ts) holds, per section, a
// list of entries `[keyParts, values]` where `values` is an integer array in the layout named here; the report
// view (design-docs/reports) emits each entry under a compact key and `_sum` adds the arrays element-wise,
// natively, so a year of a store or of the chain is a handful of reduced rows. Every value is an integer:
// money in minor units, quantities in thousandths (milli), counts. Add a field only at the END of a layout
// (old documents then sum as if it were 0 — CouchDB and PouchDB both pad shorter arrays) and bump nothing else.
// Pure, ES2017-safe data: the view's map.js repeats the section names and the emission policy below.

/** Totals of a store day (or of the sum of days): section `t`, no key. */
export const T = {
  /** Sales that stand (voided sales are out). */
  SALES: 0,
  /** Sum of subtotals (line gross, before discounts), as charged (tax-inclusive in inclusive mode). */
  GROSS: 1,
  DISCOUNTS: 2,
  /** GROSS - DISCOUNTS. */
  NET: 3,
  /** NET without the tax it holds (inclusive mode), i.e. revenue. */
  NET_EX_TAX: 4,
  TAX: 5,
  ROUNDING: 6,
  /** What customers paid for the sales that stand, rounding included. */
  TOTAL: 7,
  VOIDS: 8,
  VOIDS_AMOUNT: 9,
  RETURNS: 10,
  /** Refunded, tax included. */
  RETURNS_AMOUNT: 11,
  RETURNS_TAX: 12,
  RETURNS_NET_EX_TAX: 13,
  ITEMS_MILLI: 14,
  RETURNED_MILLI: 15,
  /** Cost of the goods sold, at the cost the catalog had when the day was rolled up. */
  COST: 16,
  RETURNS_COST: 17,
  CASH_IN: 18,
  CASH_OUT: 19,
  /** Register sessions opened. */
  SHIFTS: 20,
  /** Sum of the variances of the register closes made that day. */
  CASH_VARIANCE: 21,
  /** Net stock change, thousandths of units (all products). */
  STOCK_MILLI: 22,
  /** Store days rolled up (1 per store per day with any document). */
  DAYS: 23,
  /** Sale lines of the sales that stand. */
  LINES: 24,
} as const;
export const T_LEN = 25;

/** Sales by local hour of day: section `h`, no key, 24 hours x these fields (index hour * H_LEN + field). */
export const H = { SALES: 0, TOTAL: 1, NET_EX_TAX: 2 } as const;
export const H_LEN = 3;
export const HOURS = 24;

/** Per tender: section `tn`, key [tenderId]. Amounts are what the tender paid (net of change). */
export const TN = { SALES: 0, AMOUNT: 1, REFUNDS: 2, REFUND_AMOUNT: 3, CHANGE: 4 } as const;
export const TN_LEN = 5;

/** Per tax rate and tax mode: section `tx`, key [rateId, 'exclusive' | 'inclusive']. As on the receipts. */
export const TX = { SALES_BASIS: 0, SALES_TAX: 1, RETURNS_BASIS: 2, RETURNS_TAX: 3 } as const;
export const TX_LEN = 4;

/**
 * Per product (section `p`, key [productId, departmentId]) and per department (section `d`, key
 * [departmentId]): the product's department when the day was rolled up. GROSS and DISCOUNT as charged;
 * NET_EX_TAX is revenue (the line's net without its tax).
 */
export const P = {
  QTY_MILLI: 0,
  GROSS: 1,
  DISCOUNT: 2,
  NET_EX_TAX: 3,
  COST: 4,
  RETURNED_MILLI: 5,
  RETURNED_EX_TAX: 6,
  RETURNED_COST: 7,
  LINES: 8,
  TAX: 9,
} as const;
export const P_LEN = 10;

/** Per cashier: section `c`, key [cashierId]. Voids count for who voided, returns for who refunded. */
export const C = {
  SALES: 0,
  TOTAL: 1,
  NET_EX_TAX: 2,
  ITEMS_MILLI: 3,
  VOIDS: 4,
  VOIDS_AMOUNT: 5,
  RETURNS: 6,
  RETURNS_AMOUNT: 7,
  /** Sales with any discount. */
  DISCOUNTED_SALES: 8,
  DISCOUNT_AMOUNT: 9,
  /** Variance of the closes of the registers this cashier opened. */
  CASH_VARIANCE: 10,
  SHIFTS: 11,
  GROSS: 12,
} as const;
export const C_LEN = 13;

/** Per sales rep (`SaleLine.salesRepId`): section `r`, key [repId]. Returns count for the original line's rep. */
export const R = { LINES: 0, QTY_MILLI: 1, NET_EX_TAX: 2, RETURNED_MILLI: 3, RETURNED_EX_TAX: 4 } as const;
export const R_LEN = 5;

/**
 * Discounts: section `dk`, key [kind, approval, cashierId]. kind is `line:<percent|amount|special>` or
 * `cart:<percent|amount>`; approval is `approved` (a manager approved it over the cashier's limit), `within_limit`,
 * or `special` (a special needs none).
 */
export const DK = { COUNT: 0, AMOUNT: 1 } as const;
export const DK_LEN = 2;

/** Stock change per product: section `k`, key [productId], thousandths of units (moves, sales, voids, returns put back, transfers). */
export const K = { DELTA_MILLI: 0 } as const;
export const K_LEN = 1;

/**
 * The figures of a day's Z (section `z`) and the late arrivals (section `l`: what a Z computed now would show
 * minus what the Z showed), each an entry list: [`v`] the vector below, [`t`, tenderId, kind] and
 * [`r`, tenderId, kind] tenders and refunds [count, amount], [`x`, rateId, code] taxes [basis, amount],
 * [`c`, cashierId] [sales, salesTotal, returns, returnsTotal, voids], [`f`, currency] [foreign cash].
 */
export const ZV = {
  /** Days with a Z (in `l`: days whose figures changed after their Z). */
  DAYS: 0,
  OPENING_FLOAT: 1,
  SALES: 2,
  GROSS: 3,
  DISCOUNTS: 4,
  NET: 5,
  NET_EX_TAX: 6,
  TAX: 7,
  ROUNDING: 8,
  TOTAL: 9,
  CHANGE: 10,
  RETURNS: 11,
  RETURNS_TOTAL: 12,
  RETURNS_TAX: 13,
  VOIDS: 14,
  VOIDS_TOTAL: 15,
  CASH_IN: 16,
  CASH_OUT: 17,
  CASH_SALES: 18,
  CASH_REFUNDS: 19,
  EXPECTED_CASH: 20,
  COUNTED_CASH: 21,
  VARIANCE: 22,
} as const;
export const ZV_LEN = 23;

/** The sections of a roll-up and the length of each one's value arrays. */
export const SECTION_LEN = {
  t: T_LEN,
  h: HOURS * H_LEN,
  tn: TN_LEN,
  tx: TX_LEN,
  p: P_LEN,
  d: P_LEN,
  c: C_LEN,
  r: R_LEN,
  dk: DK_LEN,
  k: K_LEN,
  z: 0, // variable: see ZV and the part lengths in zfigures.ts
  l: 0,
} as const;
export type Section = keyof typeof SECTION_LEN;
export const SECTIONS = Object.keys(SECTION_LEN) as Section[];

/**
 * Sections large enough (one entry per product or department) that a store's DAY documents do not emit them
 * into the view: their month and year documents and every chain document do. A store's partial months are
 * read from its day documents directly (plan.ts). Mirrored in design-docs/reports/reports/views/rollup/map.js.
 */
export const LARGE_SECTIONS: readonly Section[] = ['p', 'd', 'k'];

/**
 * Discounts over time, derived by the report view from a document's `c` and `dk` sections (no roll-up holds
 * them): per cashier, key ['dc', scope, level, period, cashierId], and in total, ['dt', scope, level, period].
 * GROSS is C.GROSS; COUNT and AMOUNT are DK.COUNT and DK.AMOUNT summed over kinds and approvals.
 */
export const DC = { GROSS: 0, COUNT: 1, AMOUNT: 2 } as const;
export const DC_LEN = 3;

/**
 * What the report view emits keyed by an id first, [name, scope, id, level, period], so one id over time is
 * one key range: `pp` a chain product (`p`), `dd` a department (`d`), `cc` a cashier (`c`), `dc` a cashier's
 * discounts (DC), `kc` a cashier's discounts by kind and approval ([..., period, kind, approval], DK).
 */
export const FIRST_KEYED = ['pp', 'dd', 'cc', 'dc', 'kc'] as const;
export type FirstKeyed = (typeof FIRST_KEYED)[number];

/**
 * What the report view emits besides the sections: `ts` a store's totals keyed period first, the FIRST_KEYED
 * rows, `ct` the cashiers' figures (`c`) summed, `dt` the discounts (DC) summed, `dp` each cashier's discounts
 * (DC) keyed period first, `dka` the discounts (`dk`, DK) summed over cashiers by [kind, approval], and `zv` the
 * Z's headline vector (the `v` part of `z`, ZV) alone, one row a period where `z` has a dozen: what a ZZ's
 * series reads.
 */
export type Derived = 'ts' | 'ct' | 'dt' | 'dp' | 'dka' | 'zv' | FirstKeyed;

/**
 * Roll-up levels: a day, a month, a year, and the chain's blocks: of days inside a month (`b2`..`b16`: days
 * 1-2, 3-4, ... / 1-4, 5-8, ... / 1-8, 9-16, ... / 1-16 and 17 to the month's end; period `YYYY-MM-DD~N`, its
 * first day and size) and of months inside a year (`mb2`..`mb8`: January-February, ... / January-April, ... /
 * January-August and September-December; period `YYYY-MM~mN`). Blocks hold the chain's small sections only
 * (not LARGE_SECTIONS): a year of the chain then reads about eight periods instead of up to 42 days and months
 * of rows, one per cashier of the chain.
 */
export type Level = 'd' | 'm' | 'y' | BlockLevel | MonthBlockLevel;
export type BlockLevel = 'b2' | 'b4' | 'b8' | 'b16';
export type MonthBlockLevel = 'mb2' | 'mb4' | 'mb8';
/** Block sizes (days), largest first. */
export const BLOCK_SIZES = [16, 8, 4, 2] as const;
/** Month block sizes (months), largest first. */
export const MONTH_BLOCK_SIZES = [8, 4, 2] as const;
export const LEVELS: readonly Level[] = ['d', 'm', 'y', 'b2', 'b4', 'b8', 'b16', 'mb2', 'mb4', 'mb8'];

/** The one report view over roll-up documents (design-docs/reports/reports/views/rollup/map.js). */
export const REPORT_VIEW = '_design/reports/_view/rollup';

/** The scope of the chain's roll-ups (a store code is 2-12 of A-Z and digits, so it never clashes). */
export const CHAIN = '*';
