// Reading customer documents. Customers are the one multi-writer type: any till edits them and conflicting
// revisions are expected, so nothing on a customer may carry money. Documents written before the credit ledger
// may still hold `storeCredit`; it is ignored here, so code that reads a customer and writes it back (an edit,
// a conflict resolution) never carries the stale field into a new revision, which validateCustomer would refuse.
import type { Customer } from './types';

/** Fields older builds wrote on customers that no reader may trust any more. */
export const LEGACY_CUSTOMER_FIELDS = ['storeCredit'] as const;

/** The customer as this build understands it: legacy fields dropped (a balance is read from the credit ledger). */
export function readCustomer(doc: Customer): Customer {
  const out = { ...doc } as Customer & Record<string, unknown>;
  for (const field of LEGACY_CUSTOMER_FIELDS) delete out[field];
  return out;
}
