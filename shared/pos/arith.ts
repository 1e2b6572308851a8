// Exact integer arithmetic for the POS rules. Every money product that can have a fraction (qty x price,
// amount x rate, pro rata shares) goes through here, so the rounding is the one rule of money.ts
// (half away from zero) applied to an exact rational, never to a float that has already drifted.
import { money, type Money } from '../money';

/** Result type used across shared/pos: a value, or a typed error the UI can show. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Wraps a value as a successful Result. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Wraps an error as a failed Result. */
export function fail<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

/** Rounds the exact rational num/den half away from zero; BigInt so products beyond 2^53 stay exact. */
export function divRound(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError('division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (2n * a + den) / (2n * den);
  return neg ? -q : q;
}

/** round(a * b / c) half away from zero, exactly, as Money. */
export function mulDivRound(a: number, b: number, c: number): Money {
  return money(Number(divRound(BigInt(a) * BigInt(b), BigInt(c))));
}

/** A quantity (up to 3 decimals) as an integer count of thousandths, exact. */
export function qtyMilli(qty: number): number {
  const m = Math.round(qty * 1000);
  if (!Number.isSafeInteger(m) || Math.abs(m / 1000 - qty) > 1e-9) {
    throw new RangeError(`quantity must have at most 3 decimals, got ${qty}`);
  }
  return m;
}

/** Extended amount of a line: roundHalfUp(qty x unitPrice), computed exactly on thousandths. */
export function extend(qty: number, unitPrice: Money): Money {
  return mulDivRound(qtyMilli(qty), unitPrice, 1000);
}

/**
 * Splits `total` over `weights` in proportion, largest remainder first, so the parts sum to `total` exactly.
 * Ties go to the earlier index, which keeps the split deterministic on every machine.
 */
export function allocate(total: Money, weights: readonly number[]): Money[] {
  const W = weights.reduce((s, w) => s + w, 0);
  if (weights.some((w) => w < 0 || !Number.isSafeInteger(w))) throw new RangeError('weights must be non-negative integers');
  if (W === 0) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero amount over zero weights');
    return weights.map(() => money(0));
  }
  const sign = total < 0 ? -1n : 1n;
  const T = BigInt(Math.abs(total));
  const bigW = BigInt(W);
  const floors: bigint[] = [];
  const rems: { i: number; r: bigint }[] = [];
  let assigned = 0n;
  weights.forEach((w, i) => {
    const p = T * BigInt(w);
    const f = p / bigW;
    floors.push(f);
    rems.push({ i, r: p % bigW });
    assigned += f;
  });
  let left = T - assigned;
  rems.sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (const { i } of rems) {
    if (left === 0n) break;
    floors[i] = (floors[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return floors.map((f) => money(Number(f * sign)));
}

/** Rounds an amount to the nearest multiple of `increment` (half up), e.g. 5 = to 0.05; 0 or 1 leaves it. */
export function roundToIncrement(amount: Money, increment: number): Money {
  if (increment <= 1) return amount;
  return money(Number(divRound(BigInt(amount), BigInt(increment))) * increment);
}
