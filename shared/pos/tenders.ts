// Settling a sale with tenders. Rules, in the order tenders are given:
// - Each tender pays towards what is still due. Only the tender that finishes the sale may exceed it, and only
//   when its Tender allows over-tender AND change (cash, foreign cash); the excess is given back as change in
//   base cash. A card never over-tenders; a gift card or store credit cannot exceed its balance.
// - Cash rounding (Swedish rounding, StoreConfig.cashRounding, e.g. 5 = to 0.05) applies only to the final due
//   settled in base cash: when a cash tender covers what is still due rounded to the increment, that due is
//   rounded and the difference is recorded as the sale's `rounding` line. A sale settled by card, gift card,
//   foreign cash or a partial cash payment followed by another tender is never rounded, because those pay exact
//   cents. A sale paid entirely in cash is the common case of this rule.
// - Invariants: sum(amount) == total and sum(tendered) - change == total, where total includes rounding.
import { money, type Money } from '../money';
import type { SaleTender, Tender } from '../model/types';
import { fail, mulDivRound, ok, roundToIncrement, type Result } from './arith';

/** One tender as the cashier enters it. */
export interface TenderInput {
  tender: Tender;
  /** Handed over, in store currency minor units (every kind except 'foreign'). */
  tendered?: Money;
  /** Kind 'foreign': handed over, in minor units of the foreign currency. */
  foreignAmount?: Money;
  reference?: string; // card: last 4 / terminal reference; gift card number; store credit: customer id (the credit account)
  authCode?: string;
  /**
   * Gift card / store credit: the balance available, checked before it is taken. The checkout commit sets it
   * from the credit ledger (credit.ts withLedgerBalances); a value from the UI is never trusted.
   */
  balance?: Money;
}

export type TenderError =
  | { code: 'insufficient'; due: Money; paid: Money; remaining: Money }
  | { code: 'over_tender'; index: number; max: Money }
  | { code: 'change_not_allowed'; index: number; max: Money }
  | { code: 'insufficient_balance'; index: number; balance: Money }
  | { code: 'nothing_due'; index: number }
  | { code: 'missing_rate'; index: number }
  | { code: 'missing_reference'; index: number }
  | { code: 'invalid_amount'; index: number }
  | { code: 'inactive_tender'; index: number }
  | { code: 'negative_total'; total: Money };

/** The outcome of settle: the SaleTender lines, the change given and the cash rounding applied. */
export interface Settlement {
  tenders: SaleTender[];
  change: Money;
  rounding: Money;
  total: Money; // the due before settlement plus rounding
}

/** Foreign minor units to base minor units at rateToBase (base per foreign minor unit x 1e6), rounded half up. */
export function foreignToBase(foreignAmount: Money, rateToBase: number): Money {
  return mulDivRound(foreignAmount, rateToBase, 1_000_000);
}

/** What a customer paying the whole remaining due in cash owes: the due rounded to the cash increment. */
export function cashDue(due: Money, cashRounding: number): Money {
  return roundToIncrement(due, cashRounding);
}

/** Settles `totals.total` with the tenders in the order given, or says why it cannot (see the rules above). */
export function settle(
  totals: { total: Money },
  inputs: readonly TenderInput[],
  opts: { cashRounding?: number } = {},
): Result<Settlement, TenderError> {
  const due = totals.total;
  if (due < 0) return fail({ code: 'negative_total', total: due });
  const increment = opts.cashRounding ?? 0;
  let remaining: number = due;
  let rounding = 0;
  let change = 0;
  const tenders: SaleTender[] = [];

  for (let index = 0; index < inputs.length; index++) {
    const input = inputs[index] as TenderInput;
    const t = input.tender;
    if (!t.active) return fail({ code: 'inactive_tender', index });
    if (remaining <= 0) return fail({ code: 'nothing_due', index });

    let tendered: Money;
    let foreign: SaleTender['foreign'];
    if (t.kind === 'foreign') {
      if (!t.rateToBase || !t.currency) return fail({ code: 'missing_rate', index });
      const fa = input.foreignAmount;
      if (fa === undefined || !Number.isSafeInteger(fa) || fa <= 0) return fail({ code: 'invalid_amount', index });
      tendered = foreignToBase(fa, t.rateToBase);
      foreign = { currency: t.currency, amount: fa, rateToBase: t.rateToBase };
    } else {
      const a = input.tendered;
      if (a === undefined || !Number.isSafeInteger(a) || a <= 0) return fail({ code: 'invalid_amount', index });
      tendered = a;
    }
    if ((t.kind === 'card' || t.kind === 'giftcard') && !input.reference) return fail({ code: 'missing_reference', index });
    if ((t.kind === 'giftcard' || t.kind === 'storecredit') && tendered > (input.balance ?? 0)) {
      return fail({ code: 'insufficient_balance', index, balance: input.balance ?? money(0) });
    }

    // Swedish rounding of the final due, only when base cash settles it (see the header).
    if (t.kind === 'cash' && increment > 1) {
      const rounded = roundToIncrement(money(remaining), increment);
      if (tendered >= rounded) {
        rounding += rounded - remaining;
        remaining = rounded;
      }
    }

    const applied = Math.min(tendered, remaining);
    const excess = tendered - applied;
    if (excess > 0) {
      if (!t.allowOverTender) return fail({ code: 'over_tender', index, max: money(remaining) });
      if (!t.allowChange) return fail({ code: 'change_not_allowed', index, max: money(remaining) });
    }
    remaining -= applied;
    change += excess;
    const line: SaleTender = {
      tenderId: t._id,
      kind: t.kind,
      amount: money(applied),
      tendered,
      change: money(excess),
    };
    if (input.reference) line.reference = input.reference;
    if (input.authCode) line.authCode = input.authCode;
    if (foreign) line.foreign = foreign;
    tenders.push(line);
  }

  if (remaining > 0) {
    return fail({ code: 'insufficient', due: money(due + rounding), paid: money(due + rounding - remaining), remaining: money(remaining) });
  }
  return ok({ tenders, change: money(change), rounding: money(rounding), total: money(due + rounding) });
}
