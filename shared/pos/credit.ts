// Store credit and gift card balances at the till. Money a customer or a gift card holds is a ledger of
// immutable `credit` entries, each written by one terminal; a balance is their sum (view credit_balance at the
// relay and HQ, a prefix read of the holder's ids on a terminal). Nothing here trusts a balance handed in by
// the UI: the commit reads the ledger, settles against it, and writes the entries the sale, return or void
// implies, which are a pure function of that document (so a retried or repaired write lands on the same ids).
import { money, type Money } from '../money';
import { creditId, creditLinkUnique, giftCardId, isIdUnique, parseCreditHolder, parseCustomerId } from '../model/ids';
import type { CreditLink } from '../model/ids';
import type { Approval, CreditEntry, CreditReason, Return, Sale, SaleTender, TenderKind, Void } from '../model/types';
import { CURRENT_SCHEMA } from '../model/types';
import { fail, ok, type Result } from './arith';
import type { TenderInput } from './tenders';

/** Tender kinds that draw on (or refund to) a credit account. */
export const CREDIT_TENDER_KINDS: readonly TenderKind[] = ['storecredit', 'giftcard'];

export function isCreditKind(kind: TenderKind): boolean {
  return CREDIT_TENDER_KINDS.includes(kind);
}

/**
 * The account a tender draws on or refunds to: store credit names the customer id in `reference`, a gift card
 * its number (the account is `giftcard:<number>`). Null for other kinds, or a reference naming no account.
 */
export function creditHolderOf(t: { kind: TenderKind; reference?: string }): string | null {
  if (!t.reference) return null;
  if (t.kind === 'storecredit') return parseCustomerId(t.reference) ? t.reference : null;
  if (t.kind === 'giftcard') return isIdUnique(t.reference) ? giftCardId(t.reference) : null;
  return null;
}

/** The holder an entry belongs to (its customer or gift card id). */
export function holderOfEntry(e: Pick<CreditEntry, 'customerId' | 'giftCardId'>): string | undefined {
  return e.customerId ?? e.giftCardId;
}

/** A holder's balance: the sum of its entries' signed amounts (entries of other holders are ignored). */
export function creditBalance(entries: readonly Pick<CreditEntry, 'amount' | 'customerId' | 'giftCardId'>[], holder: string): Money {
  let total = 0;
  for (const e of entries) if (holderOfEntry(e) === holder) total += e.amount;
  return money(total);
}

export type CreditTenderError = { code: 'credit_account_required'; index: number };

/**
 * The holders the credit tenders of a sale draw on, in tender order, or which tender names none. Store credit
 * without a reference draws on the cart's customer, and gets that reference, so the sale records the account.
 */
export function resolveCreditTenders(inputs: readonly TenderInput[], customerId: string | undefined): Result<{ inputs: TenderInput[]; holders: string[] }, CreditTenderError> {
  const out: TenderInput[] = [];
  const holders: string[] = [];
  for (let index = 0; index < inputs.length; index++) {
    const input = inputs[index] as TenderInput;
    const kind = input.tender.kind;
    if (!isCreditKind(kind)) {
      out.push(input);
      continue;
    }
    const reference = input.reference ?? (kind === 'storecredit' ? customerId : undefined);
    const holder = creditHolderOf({ kind, ...(reference ? { reference } : {}) });
    if (!holder || !reference) return fail({ code: 'credit_account_required', index });
    out.push({ ...input, reference });
    holders.push(holder);
  }
  return ok({ inputs: out, holders });
}

/**
 * Sets each credit tender's `balance` from the ledger (`balances`: holder -> sum of its entries), replacing
 * whatever the caller passed. Two tenders on one account share its balance: each sees what earlier tenders of
 * the same sale left, so together they never take more than the account holds.
 */
export function withLedgerBalances(inputs: readonly TenderInput[], balances: ReadonlyMap<string, Money>): TenderInput[] {
  const left = new Map(balances);
  return inputs.map((input) => {
    const holder = isCreditKind(input.tender.kind) ? creditHolderOf({ kind: input.tender.kind, ...(input.reference ? { reference: input.reference } : {}) }) : null;
    if (!holder) return input;
    const balance = money(Math.max(0, left.get(holder) ?? 0));
    left.set(holder, money(balance - Math.min(balance, input.tendered ?? 0)));
    return { ...input, balance };
  });
}

interface EntryParts {
  holder: string;
  storeId: string;
  idTerminalId: string; // the terminal in the id: the writer's, or for a void the voided sale's
  terminalId: string; // the writer
  link: CreditLink;
  seq: number;
  index: number;
  amount: number;
  reason: CreditReason;
  saleId?: string;
  returnId?: string;
  createdAt: string;
  userId: string;
  approvals: readonly Approval[];
}

function entry(p: EntryParts): CreditEntry {
  const e: CreditEntry = {
    _id: creditId(p.holder, p.storeId, p.idTerminalId, creditLinkUnique(p.link, p.seq, p.index)),
    type: 'credit',
    schema: CURRENT_SCHEMA,
    storeId: p.storeId,
    terminalId: p.terminalId,
    amount: money(p.amount),
    reason: p.reason,
    createdAt: p.createdAt,
    userId: p.userId,
    approvals: p.approvals.map((a) => ({ ...a })),
  };
  if (parseCreditHolder(p.holder)?.holderType === 'customer') e.customerId = p.holder;
  else e.giftCardId = p.holder;
  if (p.saleId) e.saleId = p.saleId;
  if (p.returnId) e.returnId = p.returnId;
  return e;
}

function creditTenders(tenders: readonly SaleTender[]): { t: SaleTender; index: number; holder: string }[] {
  const out: { t: SaleTender; index: number; holder: string }[] = [];
  tenders.forEach((t, index) => {
    const holder = creditHolderOf(t);
    if (holder && t.amount > 0) out.push({ t, index, holder });
  });
  return out;
}

/** The redeem entries a sale implies: one per credit tender, for what it paid (negative), id from the tender. */
export function saleCreditEntries(sale: Sale): CreditEntry[] {
  return creditTenders(sale.tenders).map(({ t, index, holder }) =>
    entry({
      holder, storeId: sale.storeId, idTerminalId: sale.terminalId, terminalId: sale.terminalId, link: 'sale', seq: sale.seq, index,
      amount: -t.amount, reason: 'redeem', saleId: sale._id, createdAt: sale.createdAt, userId: sale.cashierId, approvals: [],
    }),
  );
}

/** The refund entries a return implies: what it put back on a credit account (store credit, a gift card). */
export function returnCreditEntries(ret: Return): CreditEntry[] {
  return creditTenders(ret.refunds).map(({ t, index, holder }) =>
    entry({
      holder, storeId: ret.storeId, idTerminalId: ret.terminalId, terminalId: ret.terminalId, link: 'return', seq: ret.seq, index,
      amount: t.amount, reason: 'refund', returnId: ret._id, createdAt: ret.createdAt, userId: ret.cashierId, approvals: ret.approvals,
    }),
  );
}

/**
 * The entries a void implies: what the voided sale redeemed goes back to each account. The id names the sale
 * (as `void:<saleId>` does), so two tills voiding the same sale offline write the same ids: a conflict, never
 * the credit given back twice.
 */
export function voidCreditEntries(v: Void, sale: Sale): CreditEntry[] {
  return creditTenders(sale.tenders).map(({ t, index, holder }) =>
    entry({
      holder, storeId: sale.storeId, idTerminalId: sale.terminalId, terminalId: v.terminalId, link: 'void', seq: sale.seq, index,
      amount: t.amount, reason: 'refund', saleId: sale._id, createdAt: v.createdAt, userId: v.cashierId, approvals: v.approvals,
    }),
  );
}
