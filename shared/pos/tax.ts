// Tax per line (design.md "Money"): the rates of the line's tax group apply in their group order; a
// compound rate is charged on the price plus every tax before it in the group; each tax is rounded half up
// to the minor unit, per line and per rate, and nowhere else. Sale totals are sums of those rounded
// amounts, so the per-rate breakdown always adds up to the tax total.
import { money, sum, type Money } from '../money';
import type { LineTax, TaxGroup, TaxRate, TaxTotal } from '../model/types';
import { divRound, mulDivRound } from './arith';

export type TaxMode = 'exclusive' | 'inclusive';

/** What tax computation needs from the catalog and the store, as plain JSON (same at terminal and HQ). */
export interface TaxContext {
  taxMode: TaxMode;
  rates: Record<string, TaxRate>; // by _id
  groups: Record<string, TaxGroup>; // by _id
}

/** The tax of one line: `net` is the amount before tax, `taxes` one entry per rate, in group order. */
export interface LineTaxResult {
  net: Money;
  taxes: LineTax[];
  taxTotal: Money;
}

const BP = 10000; // basis points of a percent x100: rateBp / 10000 is the fraction

/** The rates of a tax group in the order they apply; a missing id is a catalog integrity error, so it throws. */
export function groupRates(ctx: TaxContext, taxGroupId: string): TaxRate[] {
  const group = ctx.groups[taxGroupId];
  if (!group) throw new Error(`unknown tax group ${taxGroupId}`);
  return group.rateIds.map((id) => {
    const rate = ctx.rates[id];
    if (!rate) throw new Error(`tax group ${taxGroupId} refers to unknown tax rate ${id}`);
    return rate;
  });
}

/** Taxes on a tax-exclusive amount: each rate rounded half up; a compound rate's basis includes the earlier (rounded) taxes. */
export function taxExclusive(amount: Money, rates: readonly TaxRate[]): LineTaxResult {
  const taxes: LineTax[] = [];
  let earlier = 0;
  for (const rate of rates) {
    // The compound basis uses the taxes as charged (rounded), which is what the customer sees on the receipt.
    const basis = money(rate.compound ? amount + earlier : amount);
    const amt = mulDivRound(basis, rate.rateBp, BP);
    taxes.push({ rateId: rate._id, code: rate.code, basis, amount: amt });
    earlier += amt;
  }
  return { net: amount, taxes, taxTotal: money(earlier) };
}

/**
 * Exact share of each rate in a tax-inclusive amount, as integers over a common denominator `den`:
 * an inclusive amount A splits into net A*unit/den and tax_i A*shares[i]/den, with unit + sum(shares) = den.
 */
export function inclusiveShares(rates: readonly TaxRate[]): { unit: bigint; shares: bigint[]; den: bigint } {
  const n = rates.length;
  const unit = BigInt(BP) ** BigInt(n); // the net, scaled so every share below stays an integer
  const shares: bigint[] = [];
  let earlier = 0n;
  for (const rate of rates) {
    const basis = rate.compound ? unit + earlier : unit;
    const share = (basis * BigInt(rate.rateBp)) / BigInt(BP); // exact: basis is a multiple of BP^(n-i)
    shares.push(share);
    earlier += share;
  }
  return { unit, shares, den: unit + earlier };
}

/**
 * Backs the taxes out of a tax-inclusive amount: each rate's exact share of the amount rounded half up,
 * and the net is what is left, so net + taxes == amount exactly (compound-aware through the shares).
 */
export function taxInclusive(amount: Money, rates: readonly TaxRate[]): LineTaxResult {
  if (rates.length === 0) return { net: amount, taxes: [], taxTotal: money(0) };
  const { shares, den } = inclusiveShares(rates);
  const amounts = shares.map((s) => money(Number(divRound(BigInt(amount) * s, den))));
  const taxTotal = sum(amounts);
  const net = money(amount - taxTotal);
  const taxes: LineTax[] = [];
  let earlier = 0;
  rates.forEach((rate, i) => {
    const amt = amounts[i] ?? money(0);
    taxes.push({ rateId: rate._id, code: rate.code, basis: money(rate.compound ? net + earlier : net), amount: amt });
    earlier += amt;
  });
  return { net, taxes, taxTotal };
}

/**
 * Tax of one line in the store's mode. An exempt customer pays no tax and the price is not changed:
 * in inclusive mode the shelf price is what they pay, with no tax in it (the exemption is recorded on the sale).
 */
export function computeLineTaxes(amount: Money, rates: readonly TaxRate[], mode: TaxMode, exempt: boolean): LineTaxResult {
  if (exempt || rates.length === 0) return { net: amount, taxes: [], taxTotal: money(0) };
  return mode === 'inclusive' ? taxInclusive(amount, rates) : taxExclusive(amount, rates);
}

/** Sale-level breakdown per rate, in order of first appearance; the amounts sum to the sale's tax total exactly. */
export function sumTaxes(lines: readonly { taxes: readonly LineTax[] }[], rates: Record<string, TaxRate>): TaxTotal[] {
  const byRate = new Map<string, TaxTotal>();
  for (const line of lines) {
    for (const t of line.taxes) {
      const cur = byRate.get(t.rateId);
      if (cur) {
        cur.basis = money(cur.basis + t.basis);
        cur.amount = money(cur.amount + t.amount);
      } else {
        const rate = rates[t.rateId];
        byRate.set(t.rateId, {
          rateId: t.rateId,
          code: t.code,
          name: rate ? { ...rate.name } : { en: t.code, es: t.code },
          basis: t.basis,
          amount: t.amount,
        });
      }
    }
  }
  return [...byRate.values()];
}
