// Building the Sale document: one function turns a cart, the catalog facts, the tenders and the instant into
// the complete immutable document, so nothing is filled in later by whoever happens to save it.
import { receiptNumber, saleId } from '../model/ids';
import type { Sale, Special, StoreConfig, TaxGroup, TaxRate } from '../model/types';
import { CURRENT_SCHEMA } from '../model/types';
import { fail, ok, type Result } from './arith';
import { computeTotals, type Cart, type CartLine, type CartTotals, type TotalsContext } from './cart';
import { businessDate } from './clock';
import { settle, type TenderError, type TenderInput } from './tenders';

/** The catalog facts a sale is priced with (all plain JSON, keyed by _id). */
export interface PricingCatalog {
  rates: Record<string, TaxRate>;
  groups: Record<string, TaxGroup>;
  specials: Special[];
}

/** The totals context of a store at an instant: its tax mode, its specials, that moment. */
export function totalsContext(config: Pick<StoreConfig, 'storeId' | 'taxMode'>, catalog: PricingCatalog, now: Date | string): TotalsContext {
  return {
    taxMode: config.taxMode,
    rates: catalog.rates,
    groups: catalog.groups,
    specials: catalog.specials,
    storeId: config.storeId,
    now: typeof now === 'string' ? new Date(now).toISOString() : now.toISOString(),
  };
}

export interface BuildSaleInput {
  config: StoreConfig;
  terminalId: string;
  seq: number; // the terminal's next receipt sequence (gapless; kept in a _local doc by the caller)
  shiftId: string;
  cashierId: string;
  cart: Cart;
  catalog: PricingCatalog;
  tenders: TenderInput[];
  now: Date | string;
}

/** Prices the cart, settles the tenders and returns the complete Sale document, or why the tenders do not settle it. */
export function buildSale(input: BuildSaleInput): Result<Sale, TenderError | { code: 'empty_cart' }> {
  const { config, cart } = input;
  if (cart.lines.length === 0) return fail({ code: 'empty_cart' });
  const ctx = totalsContext(config, input.catalog, input.now);
  const totals: CartTotals = computeTotals(cart, ctx);
  const settled = settle(totals, input.tenders, { cashRounding: config.cashRounding });
  if (!settled.ok) return settled;
  const s = settled.value;
  const sale: Sale = {
    _id: saleId(config.storeId, input.terminalId, input.seq),
    type: 'sale',
    schema: CURRENT_SCHEMA,
    storeId: config.storeId,
    terminalId: input.terminalId,
    seq: input.seq,
    receiptNumber: receiptNumber(config.storeId, input.terminalId, input.seq),
    businessDate: businessDate(ctx.now, config.timeZone),
    createdAt: ctx.now,
    shiftId: input.shiftId,
    cashierId: input.cashierId,
    currency: config.currency,
    taxMode: config.taxMode,
    lines: totals.lines,
    cartDiscounts: totals.cartDiscounts,
    subtotal: totals.subtotal,
    discountTotal: totals.discountTotal,
    taxTotal: totals.taxTotal,
    taxes: totals.taxes,
    rounding: s.rounding,
    total: s.total,
    tenders: s.tenders,
    change: s.change,
    approvals: cart.approvals.map((a) => ({ ...a })),
  };
  if (cart.customer) sale.customerId = cart.customer.customerId;
  if (totals.taxExemptId) sale.taxExemptId = totals.taxExemptId;
  return ok(sale);
}

// ---------- parked (held) sales ----------

/** A held sale: a JSON snapshot of the cart, kept on the terminal until recalled (prices stay as rung). */
export interface ParkedSale {
  kind: 'parked';
  version: 1;
  id: string;
  storeId: string;
  terminalId: string;
  parkedAt: string; // ISO-8601 UTC
  parkedBy: string;
  label?: string;
  cart: Cart;
}

/** Parks a cart: a deep, serializable copy, so later changes to the live cart do not leak into it. */
export function park(
  cart: Cart,
  meta: { id: string; storeId: string; terminalId: string; parkedBy: string; now: Date | string; label?: string },
): ParkedSale {
  const parked: ParkedSale = {
    kind: 'parked',
    version: 1,
    id: meta.id,
    storeId: meta.storeId,
    terminalId: meta.terminalId,
    parkedAt: typeof meta.now === 'string' ? new Date(meta.now).toISOString() : meta.now.toISOString(),
    parkedBy: meta.parkedBy,
    cart: JSON.parse(JSON.stringify(cart)) as Cart,
  };
  if (meta.label) parked.label = meta.label;
  return parked;
}

function isCartLine(v: unknown): v is CartLine {
  if (typeof v !== 'object' || v === null) return false;
  const l = v as Record<string, unknown>;
  return (
    typeof l.lineNo === 'number' &&
    typeof l.productId === 'string' &&
    typeof l.taxGroupId === 'string' &&
    typeof l.qty === 'number' &&
    l.qty > 0 &&
    Number.isSafeInteger(l.unitPrice) &&
    Number.isSafeInteger(l.listPrice)
  );
}

/** Recalls a parked sale as a cart, after checking the stored JSON still has the shape of one. */
export function recall(parked: unknown): Result<Cart, { code: 'invalid_parked'; message: string }> {
  if (typeof parked !== 'object' || parked === null) return fail({ code: 'invalid_parked', message: 'not an object' });
  const p = parked as Partial<ParkedSale>;
  if (p.kind !== 'parked' || p.version !== 1) return fail({ code: 'invalid_parked', message: 'unknown parked sale version' });
  const cart = p.cart;
  if (!cart || !Array.isArray(cart.lines) || !cart.lines.every(isCartLine) || typeof cart.nextLineNo !== 'number') {
    return fail({ code: 'invalid_parked', message: 'cart snapshot is damaged' });
  }
  const copy = JSON.parse(JSON.stringify(cart)) as Cart;
  if (!Array.isArray(copy.approvals)) copy.approvals = [];
  return ok(copy);
}
