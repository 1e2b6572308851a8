// From summed roll-up arrays (layout.ts) to the named figures the report answers carry (shared/api/reports.ts),
// and the few derived figures (net sales, margin, ratios) computed once here. Ratios are integers: basis points
// rounded half up. Pure.
import { money, roundHalfUp, type Money } from '../money';
import type {
  CashierFigures, DiscountFigures, InventoryFigures, MarginFigures, PeriodFigures, ProductFigures, RepFigures, SalesFigures,
  TurnoverFigures,
} from '../api/reports';
import { C, DK, P, R, T, T_LEN, C_LEN, P_LEN, R_LEN, DK_LEN } from './layout';

const at = (v: readonly number[], i: number) => v[i] ?? 0;

/** a / b in basis points, half up; 0 when b is 0. */
export function ratioBp(a: number, b: number): number {
  return b === 0 ? 0 : roundHalfUp((a * 10000) / b);
}

/** a / b rounded half up as money; 0 when b is 0. */
function per(a: number, b: number): Money {
  return b === 0 ? money(0) : roundHalfUp(a / b);
}

/** Element-wise sum of arrays (the shorter padded with zeros). */
export function addArrays(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = at(a, i) + at(b, i);
  return out;
}

export function zeros(len: number): number[] {
  return new Array<number>(len).fill(0);
}

export function salesFigures(v: readonly number[] = zeros(T_LEN)): SalesFigures {
  const m = (i: number) => money(at(v, i));
  const netSales = at(v, T.NET_EX_TAX) - at(v, T.RETURNS_NET_EX_TAX);
  const margin = netSales - (at(v, T.COST) - at(v, T.RETURNS_COST));
  return {
    sales: at(v, T.SALES),
    gross: m(T.GROSS),
    discounts: m(T.DISCOUNTS),
    net: m(T.NET),
    netExTax: m(T.NET_EX_TAX),
    tax: m(T.TAX),
    rounding: m(T.ROUNDING),
    total: m(T.TOTAL),
    voids: at(v, T.VOIDS),
    voidsAmount: m(T.VOIDS_AMOUNT),
    returns: at(v, T.RETURNS),
    returnsAmount: m(T.RETURNS_AMOUNT),
    returnsTax: m(T.RETURNS_TAX),
    returnsNetExTax: m(T.RETURNS_NET_EX_TAX),
    itemsMilli: at(v, T.ITEMS_MILLI),
    returnedMilli: at(v, T.RETURNED_MILLI),
    cost: m(T.COST),
    returnsCost: m(T.RETURNS_COST),
    netSales: money(netSales),
    margin: money(margin),
    marginBp: ratioBp(margin, netSales),
    averageTicket: per(at(v, T.TOTAL), at(v, T.SALES)),
    cashIn: m(T.CASH_IN),
    cashOut: m(T.CASH_OUT),
    shifts: at(v, T.SHIFTS),
    cashVariance: m(T.CASH_VARIANCE),
    stockMilli: at(v, T.STOCK_MILLI),
    days: at(v, T.DAYS),
  };
}

export function productFigures(v: readonly number[] = zeros(P_LEN)): ProductFigures {
  const m = (i: number) => money(at(v, i));
  const netSales = at(v, P.NET_EX_TAX) - at(v, P.RETURNED_EX_TAX);
  const cost = at(v, P.COST) - at(v, P.RETURNED_COST);
  return {
    qtyMilli: at(v, P.QTY_MILLI),
    gross: m(P.GROSS),
    discount: m(P.DISCOUNT),
    netExTax: m(P.NET_EX_TAX),
    tax: m(P.TAX),
    lines: at(v, P.LINES),
    returnedMilli: at(v, P.RETURNED_MILLI),
    returnedExTax: m(P.RETURNED_EX_TAX),
    netSales: money(netSales),
    cost: money(cost),
    margin: money(netSales - cost),
    marginBp: ratioBp(netSales - cost, netSales),
  };
}

/** Margin figures from a totals vector (`t`) or a product/department vector (`p`/`d`). */
export function marginFigures(v: readonly number[], layout: 't' | 'p'): MarginFigures {
  const f = layout === 't' ? salesFigures(v) : productFigures(v);
  const cost = layout === 't' ? at(v, T.COST) - at(v, T.RETURNS_COST) : (f as ProductFigures).cost;
  return { netSales: f.netSales, cost: money(cost), margin: f.margin, marginBp: f.marginBp };
}

export function cashierFigures(v: readonly number[] = zeros(C_LEN)): CashierFigures {
  const m = (i: number) => money(at(v, i));
  return {
    sales: at(v, C.SALES),
    total: m(C.TOTAL),
    netExTax: m(C.NET_EX_TAX),
    gross: m(C.GROSS),
    itemsMilli: at(v, C.ITEMS_MILLI),
    averageTicket: per(at(v, C.TOTAL), at(v, C.SALES)),
    voids: at(v, C.VOIDS),
    voidsAmount: m(C.VOIDS_AMOUNT),
    returns: at(v, C.RETURNS),
    returnsAmount: m(C.RETURNS_AMOUNT),
    discountedSales: at(v, C.DISCOUNTED_SALES),
    discountAmount: m(C.DISCOUNT_AMOUNT),
    cashVariance: m(C.CASH_VARIANCE),
    shifts: at(v, C.SHIFTS),
  };
}

export function repFigures(v: readonly number[] = zeros(R_LEN), commissionBp = 0): RepFigures {
  const netSales = at(v, R.NET_EX_TAX) - at(v, R.RETURNED_EX_TAX);
  return {
    lines: at(v, R.LINES),
    qtyMilli: at(v, R.QTY_MILLI),
    netExTax: money(at(v, R.NET_EX_TAX)),
    returnedMilli: at(v, R.RETURNED_MILLI),
    returnedExTax: money(at(v, R.RETURNED_EX_TAX)),
    netSales: money(netSales),
    commission: roundHalfUp((netSales * commissionBp) / 10000),
  };
}

export function discountFigures(v: readonly number[] = zeros(DK_LEN)): DiscountFigures {
  return { count: at(v, DK.COUNT), amount: money(at(v, DK.AMOUNT)) };
}

export function periodFigures(sales: number, total: number, netExTax: number): PeriodFigures {
  return { sales, total: money(total), netExTax: money(netExTax) };
}

/** Stock valued at a unit cost and price (thousandths of units x minor units, half up per product). */
export function inventoryFigures(qtyMilli: number, cost: number | null, price: number): InventoryFigures {
  return {
    qtyMilli,
    costValue: cost === null ? money(0) : roundHalfUp((qtyMilli * cost) / 1000),
    retailValue: roundHalfUp((qtyMilli * price) / 1000),
    noCostMilli: cost === null ? qtyMilli : 0,
  };
}

export function addInventory(a: InventoryFigures, b: InventoryFigures): InventoryFigures {
  return {
    qtyMilli: a.qtyMilli + b.qtyMilli,
    costValue: money(a.costValue + b.costValue),
    retailValue: money(a.retailValue + b.retailValue),
    noCostMilli: a.noCostMilli + b.noCostMilli,
  };
}

export const NO_INVENTORY: InventoryFigures = { qtyMilli: 0, costValue: money(0), retailValue: money(0), noCostMilli: 0 };

/** Turnover from cost of goods sold and the stock at cost at both ends of the period. */
export function turnoverFigures(cogs: number, openingValue: number, closingValue: number): TurnoverFigures {
  const averageValue = roundHalfUp((openingValue + closingValue) / 2);
  return { cogs: money(cogs), openingValue: money(openingValue), closingValue: money(closingValue), averageValue, turnoverBp: ratioBp(cogs, averageValue) };
}

export function addTurnover(a: TurnoverFigures, b: TurnoverFigures): TurnoverFigures {
  return turnoverFigures(a.cogs + b.cogs, a.openingValue + b.openingValue, a.closingValue + b.closingValue);
}

/** A totals vector (`t`) laid out as product figures (`p`): the sum of every product's figures. */
export function totalsAsProduct(v: readonly number[]): number[] {
  const out = zeros(P_LEN);
  out[P.QTY_MILLI] = at(v, T.ITEMS_MILLI);
  out[P.GROSS] = at(v, T.GROSS);
  out[P.DISCOUNT] = at(v, T.DISCOUNTS);
  out[P.NET_EX_TAX] = at(v, T.NET_EX_TAX);
  out[P.COST] = at(v, T.COST);
  out[P.RETURNED_MILLI] = at(v, T.RETURNED_MILLI);
  out[P.RETURNED_EX_TAX] = at(v, T.RETURNS_NET_EX_TAX);
  out[P.RETURNED_COST] = at(v, T.RETURNS_COST);
  out[P.LINES] = at(v, T.LINES);
  out[P.TAX] = at(v, T.TAX);
  return out;
}
