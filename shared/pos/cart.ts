// The cart: plain serializable data changed by pure functions (reducer-friendly: each returns a new cart or
// a typed error, never mutates), and `computeTotals`, the one function that turns a cart into priced,
// discounted, taxed lines. The terminal, a recalled parked sale and HQ all call the same function on the
// same JSON, so they get the same numbers.
import { money, sum, type Money } from '../money';
import type { Approval, Customer, I18nText, LineDiscount, Product, SaleLine, StorePrice, StoreUser, TaxTotal } from '../model/types';
import { allocate, extend, fail, ok, qtyMilli, type Result } from './arith';
import {
  bestSpecial,
  checkDiscountLimit,
  checkPriceOverride,
  manualDiscountAmount,
  resolveUnitPrice,
  type ApprovalRequired,
  type ManualDiscount,
  type PriceSource,
  type PricingContext,
} from './pricing';
import { computeLineTaxes, groupRates, sumTaxes, type TaxContext } from './tax';

/** A line in the cart: a snapshot of what the product was when rung, so a parked cart is self-contained. */
export interface CartLine {
  lineNo: number; // unique in the cart, never reused, so approvals keep pointing at the right line
  productId: string;
  sku: string;
  name: I18nText;
  departmentId: string;
  taxGroupId: string;
  weighed: boolean;
  qty: number;
  unitPrice: Money;
  priceSource: PriceSource;
  listPrice: Money; // the catalog/store price before any override
  discount?: ManualDiscount;
  salesRepId?: string;
}

/** The customer on the cart; a tax exemption id makes the sale tax-free (and is recorded on it). */
export interface CartCustomer {
  customerId: string;
  taxExemptId?: string;
}

export interface Cart {
  lines: CartLine[];
  nextLineNo: number;
  cartDiscount?: ManualDiscount;
  customer?: CartCustomer;
  approvals: Approval[];
}

/** Everything computeTotals reads besides the cart: tax catalog, store tax mode, specials and the instant. */
export type TotalsContext = TaxContext & PricingContext;

export type CartError =
  | ApprovalRequired
  | { code: 'invalid_qty' | 'unknown_line' | 'invalid_discount' | 'invalid_price' | 'inactive_product'; message: string };

export type CartResult = Result<Cart, CartError>;

/** An empty cart. */
export function emptyCart(): Cart {
  return { lines: [], nextLineNo: 1, approvals: [] };
}

function checkQty(qty: number, weighed: boolean): CartError | null {
  if (!Number.isFinite(qty) || qty <= 0) return { code: 'invalid_qty', message: `quantity must be positive, got ${qty}` };
  try {
    qtyMilli(qty);
  } catch {
    return { code: 'invalid_qty', message: `quantity must have at most 3 decimals, got ${qty}` };
  }
  // Counted goods cannot be sold by the fraction; only weighed goods carry decimals.
  if (!weighed && !Number.isInteger(qty)) return { code: 'invalid_qty', message: `quantity of a counted item must be whole, got ${qty}` };
  return null;
}

function withApproval(approvals: Approval[], approval: Approval | undefined): Approval[] {
  if (!approval) return approvals;
  const same = approvals.some((a) => a.action === approval.action && a.lineNo === approval.lineNo && a.approvedBy === approval.approvedBy);
  return same ? approvals : [...approvals, approval];
}

function updateLine(cart: Cart, lineNo: number, f: (l: CartLine) => CartLine): CartResult {
  const idx = cart.lines.findIndex((l) => l.lineNo === lineNo);
  if (idx < 0) return fail({ code: 'unknown_line', message: `no line ${lineNo}` });
  const lines = cart.lines.slice();
  lines[idx] = f(cart.lines[idx] as CartLine);
  return ok({ ...cart, lines });
}

/**
 * Adds a product at its effective price (store price override, else base). A counted product already in the
 * cart at the same price with no manual discount has its quantity increased instead, so specials such as
 * buy-2-get-1 see the whole quantity; weighed goods always get their own line (each weighing is a label).
 */
export function addItem(
  cart: Cart,
  product: Product,
  qty: number,
  opts: { storePrice?: StorePrice | null; salesRepId?: string; merge?: boolean } = {},
): CartResult {
  if (!product.active) return fail({ code: 'inactive_product', message: `${product.sku} is not for sale` });
  const bad = checkQty(qty, product.weighed);
  if (bad) return fail(bad);
  const { unitPrice, priceSource } = resolveUnitPrice(product, opts.storePrice);
  if (opts.merge !== false && !product.weighed) {
    const same = cart.lines.find(
      (l) =>
        l.productId === product._id &&
        l.unitPrice === unitPrice &&
        l.priceSource === priceSource &&
        !l.discount &&
        l.salesRepId === opts.salesRepId,
    );
    if (same) return changeQty(cart, same.lineNo, same.qty + qty);
  }
  const line: CartLine = {
    lineNo: cart.nextLineNo,
    productId: product._id,
    sku: product.sku,
    name: { ...product.name },
    departmentId: product.departmentId,
    taxGroupId: product.taxGroupId,
    weighed: product.weighed,
    qty,
    unitPrice,
    priceSource,
    listPrice: unitPrice,
    ...(opts.salesRepId ? { salesRepId: opts.salesRepId } : {}),
  };
  return ok({ ...cart, lines: [...cart.lines, line], nextLineNo: cart.nextLineNo + 1 });
}

/** Sets a line's quantity (positive; remove the line to drop it). */
export function changeQty(cart: Cart, lineNo: number, qty: number): CartResult {
  const line = cart.lines.find((l) => l.lineNo === lineNo);
  if (!line) return fail({ code: 'unknown_line', message: `no line ${lineNo}` });
  const bad = checkQty(qty, line.weighed);
  if (bad) return fail(bad);
  return updateLine(cart, lineNo, (l) => ({ ...l, qty }));
}

/** Removes a line. */
export function removeLine(cart: Cart, lineNo: number): CartResult {
  if (!cart.lines.some((l) => l.lineNo === lineNo)) return fail({ code: 'unknown_line', message: `no line ${lineNo}` });
  return ok({ ...cart, lines: cart.lines.filter((l) => l.lineNo !== lineNo) });
}

function validDiscount(d: ManualDiscount): boolean {
  if (d.kind === 'percent') return Number.isInteger(d.percentBp) && (d.percentBp ?? -1) >= 0 && (d.percentBp ?? 0) <= 10000;
  return Number.isSafeInteger(d.amount) && (d.amount ?? -1) >= 0;
}

/**
 * Sets (or clears, with null) a line's manual discount. Beyond the user's discount limit (measured against
 * the line's gross) it needs an Approval for 'discount.over_limit'; without one the cart is returned unchanged
 * as an `approval_required` error.
 */
export function setLineDiscount(
  cart: Cart,
  lineNo: number,
  discount: ManualDiscount | null,
  user: Pick<StoreUser, 'discountLimitBp'>,
  approval?: Approval,
): CartResult {
  const line = cart.lines.find((l) => l.lineNo === lineNo);
  if (!line) return fail({ code: 'unknown_line', message: `no line ${lineNo}` });
  if (discount === null) return updateLine(cart, lineNo, ({ discount: _d, ...l }) => l);
  if (!validDiscount(discount)) return fail({ code: 'invalid_discount', message: 'discount must be 0-100 % or a non-negative amount' });
  const need = checkDiscountLimit(user, discount, extend(line.qty, line.unitPrice), approval, lineNo);
  if (need) return fail(need);
  const res = updateLine(cart, lineNo, (l) => ({ ...l, discount: { ...discount } }));
  return res.ok ? ok({ ...res.value, approvals: withApproval(res.value.approvals, approval) }) : res;
}

/** Sets (or clears) the cart discount; the limit is measured against the cart's gross subtotal. */
export function setCartDiscount(
  cart: Cart,
  discount: ManualDiscount | null,
  user: Pick<StoreUser, 'discountLimitBp'>,
  approval?: Approval,
): CartResult {
  if (discount === null) {
    const { cartDiscount: _c, ...rest } = cart;
    return ok(rest);
  }
  if (!validDiscount(discount)) return fail({ code: 'invalid_discount', message: 'discount must be 0-100 % or a non-negative amount' });
  const gross = sum(cart.lines.map((l) => extend(l.qty, l.unitPrice)));
  const need = checkDiscountLimit(user, discount, gross, approval);
  if (need) return fail(need);
  return ok({ ...cart, cartDiscount: { ...discount }, approvals: withApproval(cart.approvals, approval) });
}

/** Changes a line's unit price at the till: needs 'price.override' permission or a manager's approval. */
export function overridePrice(
  cart: Cart,
  lineNo: number,
  unitPrice: Money,
  user: Pick<StoreUser, 'permissions'>,
  approval?: Approval,
): CartResult {
  if (!Number.isSafeInteger(unitPrice) || unitPrice < 0) return fail({ code: 'invalid_price', message: 'price must be a non-negative amount' });
  if (!cart.lines.some((l) => l.lineNo === lineNo)) return fail({ code: 'unknown_line', message: `no line ${lineNo}` });
  const need = checkPriceOverride(user, approval, lineNo);
  if (need) return fail(need);
  const res = updateLine(cart, lineNo, (l) => ({ ...l, unitPrice, priceSource: 'override' }));
  return res.ok ? ok({ ...res.value, approvals: withApproval(res.value.approvals, approval) }) : res;
}

/** Sets (or clears) the customer; a customer with a tax exemption makes the sale tax-free. */
export function setCustomer(cart: Cart, customer: Pick<Customer, '_id' | 'taxExempt'> | null): Cart {
  if (!customer) {
    const { customer: _c, ...rest } = cart;
    return rest;
  }
  const c: CartCustomer = { customerId: customer._id };
  if (customer.taxExempt) c.taxExemptId = customer.taxExempt.id;
  return { ...cart, customer: c };
}

/** The priced cart: the lines and figures of a Sale before tenders. `rounding` is 0 until cash settles it. */
export interface CartTotals {
  lines: SaleLine[];
  cartDiscounts: LineDiscount[];
  subtotal: Money; // sum of line gross amounts
  discountTotal: Money; // specials + manual line discounts + cart discounts
  taxTotal: Money;
  taxes: TaxTotal[];
  rounding: Money;
  total: Money; // exclusive: subtotal - discounts + tax; inclusive: subtotal - discounts
  taxMode: 'exclusive' | 'inclusive';
  taxExemptId?: string;
}

/**
 * Prices, discounts and taxes the cart. Order: line gross -> best special -> manual line discount (on what
 * the special left) -> cart discount allocated pro rata to the lines' remaining amounts (largest remainder,
 * exact) -> tax per line. A price overridden at the till is final: specials do not apply on top of it.
 */
export function computeTotals(cart: Cart, ctx: TotalsContext): CartTotals {
  const exempt = Boolean(cart.customer?.taxExemptId);
  const pre = cart.lines.map((l) => {
    const gross = extend(l.qty, l.unitPrice);
    const discounts: LineDiscount[] = [];
    let left = gross;
    if (l.priceSource !== 'override') {
      const best = bestSpecial({ productId: l.productId, departmentId: l.departmentId, qty: l.qty, unitPrice: l.unitPrice }, ctx);
      if (best) {
        discounts.push({ kind: 'special', amount: best.amount, specialId: best.special._id, reason: best.special.code });
        left = money(left - best.amount);
      }
    }
    if (l.discount) {
      const amount = manualDiscountAmount(l.discount, left);
      if (amount > 0) {
        const d: LineDiscount = { kind: l.discount.kind, amount };
        if (l.discount.kind === 'percent') d.percentBp = l.discount.percentBp ?? 0;
        if (l.discount.reason) d.reason = l.discount.reason;
        discounts.push(d);
        left = money(left - amount);
      }
    }
    return { l, gross, discounts, left };
  });

  const cartDiscounts: LineDiscount[] = [];
  let shares = pre.map(() => money(0));
  if (cart.cartDiscount) {
    const base = sum(pre.map((p) => p.left));
    const amount = manualDiscountAmount(cart.cartDiscount, base);
    if (amount > 0) {
      shares = allocate(amount, pre.map((p) => p.left));
      const d: LineDiscount = { kind: cart.cartDiscount.kind, amount };
      if (cart.cartDiscount.kind === 'percent') d.percentBp = cart.cartDiscount.percentBp ?? 0;
      if (cart.cartDiscount.reason) d.reason = cart.cartDiscount.reason;
      cartDiscounts.push(d);
    }
  }

  const lines: SaleLine[] = pre.map((p, i) => {
    const share = shares[i] ?? money(0);
    const netAmount = money(p.left - share);
    const tax = computeLineTaxes(netAmount, groupRates(ctx, p.l.taxGroupId), ctx.taxMode, exempt);
    const line: SaleLine = {
      lineNo: p.l.lineNo,
      productId: p.l.productId,
      sku: p.l.sku,
      name: { ...p.l.name },
      qty: p.l.qty,
      unitPrice: p.l.unitPrice,
      priceSource: p.l.priceSource,
      grossAmount: p.gross,
      discounts: p.discounts,
      netAmount,
      taxGroupId: p.l.taxGroupId,
      taxes: tax.taxes,
    };
    if (share > 0) line.cartDiscountShare = share;
    if (p.l.salesRepId) line.salesRepId = p.l.salesRepId;
    return line;
  });

  const subtotal = sum(lines.map((l) => l.grossAmount));
  const net = sum(lines.map((l) => l.netAmount));
  const taxTotal = sum(lines.flatMap((l) => l.taxes.map((t) => t.amount)));
  const totals: CartTotals = {
    lines,
    cartDiscounts,
    subtotal,
    discountTotal: money(subtotal - net),
    taxTotal,
    taxes: sumTaxes(lines, ctx.rates),
    rounding: money(0),
    total: ctx.taxMode === 'inclusive' ? net : money(net + taxTotal),
    taxMode: ctx.taxMode,
  };
  if (cart.customer?.taxExemptId) totals.taxExemptId = cart.customer.taxExemptId;
  return totals;
}
