// Checks of the parts several document types share: approvals, tenders, discounts, taxes, quantity lines,
// and the ids one document names of another. Bundled into validate_doc_update (see checks.ts).
import type { Approval, LineDiscount, LineTax, SaleTender, TenderKind } from '../types';
import type { Check, Scope, Spec } from '../checks';
import { bad, int, list, money, object, oneOf, optional, qty, ref, str, then, isoTime } from '../checks';
import { parseShiftId } from '../ids';

export const TENDER_KINDS: readonly TenderKind[] = ['cash', 'card', 'giftcard', 'storecredit', 'foreign', 'other'];

/** An id of another document, told apart by `parse` (ids.ts), refused with `message`. */
export function idOf(parse: (id: string) => unknown, message: string): Check<string> {
  return (v, path, scope) => {
    if (typeof v === 'string' && parse(v)) return v;
    bad(scope.errs, path, message);
    return undefined;
  };
}

/** The overrides approved on a document. */
export const approvals: Check<Approval[]> = list<Approval>({
  action: str,
  approvedBy: str,
  approvedAt: isoTime,
  reason: optional(str),
  lineNo: optional(int(1)),
});

/** The taxes of one line. */
export const lineTaxes: Check<LineTax[]> = list<LineTax>({
  rateId: ref('taxrate'),
  code: str,
  basis: money(),
  amount: money(),
});

/** Line or cart discounts. */
export const discounts: Check<LineDiscount[]> = list<LineDiscount>({
  kind: oneOf(['percent', 'amount', 'special']),
  percentBp: optional(int(0, 10000)),
  amount: money('nonneg'),
  specialId: optional(ref('special')),
  reason: optional(str),
});

const tenderSpec: Spec<SaleTender> = {
  tenderId: ref('tender'),
  kind: oneOf(TENDER_KINDS),
  amount: money('nonneg'),
  tendered: money('nonneg'),
  change: then(money('nonneg'), (change, s) => {
    const amount = s.ok.amount;
    const tendered = s.ok.tendered;
    if (amount !== undefined && tendered !== undefined && change !== undefined && amount !== tendered - change) {
      bad(s.errs, s.at + 'amount', 'must equal tendered - change (' + (tendered - change) + ')');
    }
  }),
  reference: optional(str),
  authCode: optional(str),
  foreign: optional(object({ currency: str, amount: money('nonneg'), rateToBase: int(1) })),
};

/** Tenders paid (a sale) or refunded (a return). */
export const tenders: Check<SaleTender[]> = list(tenderSpec);

/** Lines of product quantities of one sign (voids, stock movements, transfers). */
export function qtyLines(sign: 'pos' | 'nonneg' | 'nonzero'): Check<Array<{ productId: string; qty: number }>> {
  return list<{ productId: string; qty: number }>({ productId: ref('product'), qty: qty(sign) }, 1);
}

/** The fields a document owned by a terminal's shift has. */
interface ShiftOwned {
  storeId: string;
  terminalId: string;
  shiftId: string;
}

/** A shift reference that must belong to the same store and terminal as the document. */
export function ownShift<P extends ShiftOwned>(v: unknown, path: string, s: Scope<P>): string | undefined {
  const shift = typeof v === 'string' ? parseShiftId(v) : null;
  const { storeId, terminalId } = s.ok;
  if (!shift) bad(s.errs, path, 'must be a shift id');
  else if ((storeId && shift.storeId !== storeId) || (terminalId && shift.terminalId !== terminalId)) {
    bad(s.errs, path, 'must be a shift of the same store and terminal');
  } else return v as string;
  return undefined;
}

/** Sum of one numeric field over items; NaN when any is missing, so a comparison fails loudly. */
export function total<T>(items: readonly T[] | undefined, pick: (item: T) => unknown): number {
  let t = 0;
  const all = items || [];
  for (let i = 0; i < all.length; i++) {
    const v = pick(all[i] as T);
    t += typeof v === 'number' ? v : NaN;
  }
  return t;
}
