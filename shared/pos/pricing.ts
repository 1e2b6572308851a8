// Prices, specials and discount rules. A special is a discount recorded on the line (kind 'special'), never
// a silently lower unit price, so the receipt and the reports show what the customer saved and why.
import { money, type Money } from '../money';
import type { Approval, Product, Special, StorePrice, StoreUser } from '../model/types';
import { extend, mulDivRound, qtyMilli } from './arith';

/** Where a line's unit price came from (SaleLine.priceSource). Specials are discounts, not a price source. */
export type PriceSource = 'base' | 'store' | 'override';

/** Effective unit price: the store's price override when there is one for this product, else the base price. */
export function resolveUnitPrice(product: Product, storePrice?: StorePrice | null): { unitPrice: Money; priceSource: PriceSource } {
  if (storePrice && storePrice.sku === product.sku) return { unitPrice: storePrice.price, priceSource: 'store' };
  return { unitPrice: product.price, priceSource: 'base' };
}

/** What pricing needs to know about the moment and place of the sale (plain JSON). */
export interface PricingContext {
  storeId: string;
  now: string; // ISO-8601 UTC: specials are evaluated at this instant, so HQ recomputes the same result
  specials: Special[];
}

/** The facts of a line that specials match on. */
export interface PricedItem {
  productId: string;
  departmentId: string;
  qty: number;
  unitPrice: Money;
}

/** True when a special is active for this store at `now` (startsAt inclusive, endsAt exclusive). */
export function specialIsActive(special: Special, storeId: string, now: string): boolean {
  if (!special.active) return false;
  if (special.storeIds && special.storeIds.length > 0 && !special.storeIds.includes(storeId)) return false;
  const t = Date.parse(now);
  return Date.parse(special.startsAt) <= t && t < Date.parse(special.endsAt);
}

/** True when a special targets this product, by product id or by its department. */
export function specialMatches(special: Special, item: PricedItem): boolean {
  return (
    (special.target.productIds ?? []).includes(item.productId) || (special.target.departmentIds ?? []).includes(item.departmentId)
  );
}

/** The discount a special gives on a line, in minor units, between 0 and the line's gross amount. */
export function specialDiscount(special: Special, item: PricedItem): Money {
  const gross = extend(item.qty, item.unitPrice);
  let d = 0;
  switch (special.kind) {
    case 'percent_off':
      d = mulDivRound(gross, special.percentBp ?? 0, 10000);
      break;
    case 'amount_off': // amount off each unit (per kg for weighed goods)
      d = extend(item.qty, special.amount ?? money(0));
      break;
    case 'fixed_price': // the unit price becomes `amount`
      d = special.amount === undefined ? 0 : gross - extend(item.qty, special.amount);
      break;
    case 'buy_x_get_y': {
      // Only whole units can be free: for every buyQty + getQty units, getQty are free.
      const x = special.buyQty ?? 0;
      const y = special.getQty ?? 0;
      if (x > 0 && y > 0 && Number.isInteger(item.qty)) d = Math.floor(item.qty / (x + y)) * y * item.unitPrice;
      break;
    }
    case 'qty_break': {
      // The best break reached applies to every unit of the line.
      let best: Money | undefined;
      for (const b of special.breaks ?? []) {
        if (qtyMilli(item.qty) >= qtyMilli(b.minQty) && (best === undefined || b.unitPrice < best)) best = b.unitPrice;
      }
      if (best !== undefined) d = gross - extend(item.qty, best);
      break;
    }
  }
  return money(Math.max(0, Math.min(gross, d)));
}

/**
 * The best special for the customer on this line: the largest discount; on a tie the lower `code`, then the
 * lower `_id`, so every terminal and HQ pick the same one. Null when none applies or none saves anything.
 */
export function bestSpecial(item: PricedItem, ctx: PricingContext): { special: Special; amount: Money } | null {
  let best: { special: Special; amount: Money } | null = null;
  for (const s of ctx.specials) {
    if (!specialIsActive(s, ctx.storeId, ctx.now) || !specialMatches(s, item)) continue;
    const amount = specialDiscount(s, item);
    if (amount <= 0) continue;
    if (
      !best ||
      amount > best.amount ||
      (amount === best.amount && (s.code < best.special.code || (s.code === best.special.code && s._id < best.special._id)))
    ) {
      best = { special: s, amount };
    }
  }
  return best;
}

/** A discount a person gives: a percent in basis points (1000 = 10 %) or an amount in minor units. */
export interface ManualDiscount {
  kind: 'percent' | 'amount';
  percentBp?: number;
  amount?: Money;
  reason?: string;
}

/** The amount a manual discount takes off `base`, capped so a line or cart never goes below zero. */
export function manualDiscountAmount(d: ManualDiscount, base: Money): Money {
  const raw = d.kind === 'percent' ? mulDivRound(base, d.percentBp ?? 0, 10000) : (d.amount ?? 0);
  return money(Math.max(0, Math.min(base, raw)));
}

/**
 * A discount's size as basis points of `base` (rounded up, so 10.001 % counts as over a 10 % limit), at most
 * 100 %: an amount larger than the base is capped when applied, so it never gives away more than everything.
 */
export function discountBp(d: ManualDiscount, base: Money): number {
  if (d.kind === 'percent') return d.percentBp ?? 0;
  if (base <= 0) return (d.amount ?? 0) > 0 ? 10000 : 0;
  return Math.min(10000, Math.ceil(((d.amount ?? 0) * 10000) / base));
}

/** Why an action needs a manager: returned instead of a changed cart, so the UI can ask for a PIN. */
export interface ApprovalRequired {
  code: 'approval_required';
  action: string; // the Approval.action that unlocks it
  lineNo?: number;
  limitBp?: number;
  requestedBp?: number;
}

/** An approval for `action` (on `lineNo` when given) among those offered, if any. */
export function findApproval(approvals: readonly Approval[] | undefined, action: string, lineNo?: number): Approval | undefined {
  return approvals?.find((a) => a.action === action && (lineNo === undefined || a.lineNo === undefined || a.lineNo === lineNo));
}

/** Checks a manual discount against the user's limit: null when allowed (or approved), else what approval is needed. */
export function checkDiscountLimit(
  user: Pick<StoreUser, 'discountLimitBp'>,
  d: ManualDiscount,
  base: Money,
  approval?: Approval,
  lineNo?: number,
): ApprovalRequired | null {
  const requestedBp = discountBp(d, base);
  if (requestedBp <= user.discountLimitBp) return null;
  if (approval && findApproval([approval], 'discount.over_limit', lineNo)) return null;
  return { code: 'approval_required', action: 'discount.over_limit', lineNo, limitBp: user.discountLimitBp, requestedBp };
}

/** Checks a price change at the till: allowed with the 'price.override' permission or a manager's approval. */
export function checkPriceOverride(
  user: Pick<StoreUser, 'permissions'>,
  approval?: Approval,
  lineNo?: number,
): ApprovalRequired | null {
  if (user.permissions.includes('price.override')) return null;
  if (approval && findApproval([approval], 'price.override', lineNo)) return null;
  return { code: 'approval_required', action: 'price.override', lineNo };
}
