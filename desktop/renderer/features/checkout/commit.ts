// Committing checkout documents to the terminal's local database: sales, voids, returns and exchanges.
// Each document is built complete by shared/pos and written with ONE put under its deterministic id, so the
// write is atomic and a retry is a conflict, never a duplicate. Nothing here needs the network: the document
// replicates to the relay when it can (desktop/renderer/data/terminalSync.ts). In the till a sale is on disk in the
// sale journal first (data/saleJournal.ts: written by a worker, so Pay is not kept waiting for the page's next
// frame), and out of it once the replica has it.
//
// Store credit and gift cards: the balance is read from the credit ledger in this database (never taken from
// the caller), and the credit entries a document implies are written right after it, under ids derived from
// it. The document's put is the commit point; its entries follow from it, so they are re-derived and written
// again (a 409 meaning "already there") if a crash came between the two (see repairCredit).
import type { Money } from '../../../../shared/money';
import { creditHolderPrefix, parseCustomerId, parseReceiptNumber, parseSaleId, returnId, saleId, shiftCloseId, storeTypePrefix, voidId, zreportId } from '../../../../shared/model/ids';
import type { Approval, CreditEntry, Return, Sale, Shift, StoreConfig, StoreUser, Void } from '../../../../shared/model/types';
import type { Result } from '../../../../shared/pos/arith';
import type { Cart } from '../../../../shared/pos/cart';
import {
  creditBalance, resolveCreditTenders, returnCreditEntries, saleCreditEntries, voidCreditEntries, withLedgerBalances, type CreditTenderError,
} from '../../../../shared/pos/credit';
import { buildExchange, buildReturn, buildVoid, type RefundMethod, type ReturnError, type ReturnRequest, type VoidError } from '../../../../shared/pos/returns';
import { buildSale, type PricingCatalog } from '../../../../shared/pos/sale';
import type { TenderError, TenderInput } from '../../../../shared/pos/tenders';
import { docsWithPrefix, getOrNull, statusOf, type LocalDb, type StoredDoc } from './localDb';
import { lastUsedSeq, nextSeq, withNextSeq, type SeqError } from './seq';
import { tillMark } from './marks';
import type { JournalWriter } from '../../data/saleJournal';

export type ShiftError =
  | { code: 'no_open_shift'; shiftId: string; reason: 'missing' | 'closed' | 'other_terminal' };

export type LookupError =
  | { code: 'sale_not_found'; receipt: string }
  | { code: 'not_a_sale'; receipt: string; type: 'return' };

export type CommitError =
  | ShiftError
  | SeqError
  | TenderError
  | { code: 'empty_cart' }
  | LookupError
  | VoidError
  | ReturnError
  | CreditTenderError
  | { code: 'already_voided'; saleId: string }
  | { code: 'exchange_incomplete'; returnId: string; saleId: string };

/** Where the terminal stands: its store configuration and its id. */
export interface Till {
  config: StoreConfig;
  terminalId: string;
}

const iso = (now: Date | string | undefined): string => (now === undefined ? new Date() : new Date(now)).toISOString();

/** The shift, when it exists on this terminal and has no close; else why the terminal may not ring on it. */
export async function requireOpenShift(db: LocalDb, till: Till, shiftId: string): Promise<Result<Shift, ShiftError>> {
  // Two point reads in parallel: a shift is open while its `shiftclose:` document does not exist.
  const [shift, close] = await Promise.all([getOrNull<Shift>(db, shiftId), getOrNull<StoredDoc>(db, shiftCloseId(shiftId))]);
  if (!shift || shift.type !== 'shift') return { ok: false, error: { code: 'no_open_shift', shiftId, reason: 'missing' } };
  if (shift.storeId !== till.config.storeId || shift.terminalId !== till.terminalId) {
    return { ok: false, error: { code: 'no_open_shift', shiftId, reason: 'other_terminal' } };
  }
  if (close) return { ok: false, error: { code: 'no_open_shift', shiftId, reason: 'closed' } };
  return { ok: true, value: shift };
}

// ---------- credit ledger ----------

/**
 * A credit account's balance on this terminal: the sum of the holder's entries that reached this database.
 * Entry ids start with the holder, so this is one id range, no view (the terminal keeps none).
 */
export async function creditBalanceOf(db: LocalDb, holder: string): Promise<Money> {
  const entries = await docsWithPrefix<CreditEntry>(db, creditHolderPrefix(holder));
  return creditBalance(entries.filter((e) => e.type === 'credit'), holder);
}

/** Writes credit entries; a 409 is the same entry already written (ids derive from the document), not an error. */
async function writeCreditEntries(db: LocalDb, entries: readonly CreditEntry[]): Promise<void> {
  for (const e of entries) {
    try {
      await db.put(e as CreditEntry & Record<string, unknown>);
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
}

// Per database handle: whether the terminal's last documents have been checked for their credit entries.
const creditChecked = new WeakMap<LocalDb, Set<string>>();

/**
 * Writes the credit entries of this terminal's last two numbered documents if they are missing. A crash can
 * only fall between a document's put and its entries' puts for the last commit (an exchange writes two
 * numbers), so this runs once per database handle and terminal, before the first commit, and again after an
 * entry write failed. Without it a sale paid by store credit could stand with the credit never taken off.
 * A void's entries (credit given back) are not found this way, since a void's id names the sale, not the
 * terminal that voided it; a crash there errs in the chain's favour, and HQ sees the void without its entry.
 */
export async function repairCredit(db: LocalDb, storeCode: string, terminalId: string): Promise<void> {
  const key = `${storeCode}:${terminalId}`;
  let done = creditChecked.get(db);
  if (!done) creditChecked.set(db, (done = new Set()));
  if (done.has(key)) return;
  const last = await lastUsedSeq(db, storeCode, terminalId);
  for (const seq of [last - 1, last]) {
    if (seq < 1) continue;
    const [sale, ret] = await Promise.all([getOrNull<Sale>(db, saleId(storeCode, terminalId, seq)), getOrNull<Return>(db, returnId(storeCode, terminalId, seq))]);
    if (sale && sale.type === 'sale') await writeCreditEntries(db, saleCreditEntries(sale));
    if (ret && ret.type === 'return') await writeCreditEntries(db, returnCreditEntries(ret));
  }
  done.add(key);
}

/**
 * Writes the entries a committed document implies. The document already stands, so a failure here does not
 * undo the commit: it is left for repairCredit, which the next commit runs again.
 */
async function commitCreditEntries(db: LocalDb, till: Till, entries: readonly CreditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    await writeCreditEntries(db, entries);
  } catch {
    creditChecked.get(db)?.delete(`${till.config.storeId}:${till.terminalId}`);
  }
}

/** The sale's tenders with credit accounts resolved and each balance read from the ledger. */
async function ledgerTenders(db: LocalDb, tenders: readonly TenderInput[], customerId: string | undefined): Promise<Result<TenderInput[], CreditTenderError>> {
  const resolved = resolveCreditTenders(tenders, customerId);
  if (!resolved.ok) return resolved;
  const holders = [...new Set(resolved.value.holders)];
  const balances = new Map<string, Money>();
  await Promise.all(holders.map(async (h) => balances.set(h, await creditBalanceOf(db, h))));
  return { ok: true, value: withLedgerBalances(resolved.value.inputs, balances) };
}

// ---------- sales ----------

export interface SaleInput extends Till {
  shiftId: string;
  cashierId: string;
  cart: Cart;
  catalog: PricingCatalog;
  tenders: TenderInput[];
  now?: Date | string;
  /** Where the sale is on disk first, before the replica has it (data/saleJournal.ts); none in Node. */
  journal?: JournalWriter | null;
}

/**
 * Rings a sale: checks the shift is open, takes the terminal's next receipt number, builds the Sale with
 * shared/pos buildSale and writes it in one put. Returns the saved sale (with its _rev) or a typed error.
 * With `held`, a shift checked open before Pay and still unchanged (see holdShift), the commit reads nothing
 * before its put unless the sale spends store credit or a gift card (whose balance is read at the commit).
 */
export async function commitSale(db: LocalDb, input: SaleInput, held?: HeldShift): Promise<Result<Sale, CommitError>> {
  if (!held || !held.valid || held.shift._id !== input.shiftId) {
    const shift = await requireOpenShift(db, input, input.shiftId);
    if (!shift.ok) return shift;
  }
  const now = iso(input.now);
  await repairCredit(db, input.config.storeId, input.terminalId);
  const tenders = await ledgerTenders(db, input.tenders, input.cart.customer?.customerId);
  if (!tenders.ok) return tenders;
  const done = await withNextSeq<Sale, CommitError>(db, input.config.storeId, input.terminalId, async (seq) => {
    const built = buildSale({ ...input, tenders: tenders.value, seq, now });
    if (!built.ok) return built;
    // Marks for `caja bench terminal` (what comes before the write, and the write itself).
    tillMark('caja:commit:put');
    const doc = built.value as Sale & Record<string, unknown>;
    const journal = await journaled(input.journal, doc);
    let res: { rev: string };
    try {
      res = await db.put(doc);
    } catch (err) {
      // Not this sale (its number was taken: the next one is tried), or not kept: out of the journal too. Not waited
      // for: the next number's sale has an id of its own.
      journal?.remove(doc._id).catch(() => undefined);
      throw err;
    }
    tillMark('caja:commit:written');
    // In the replica for good (strict): the journal's copy has done its work. Lost, it is dropped at the next start.
    journal?.remove(doc._id).catch(() => undefined);
    return { ok: true, value: { ...built.value, _rev: res.rev }, used: seq };
  });
  if (done.ok) await commitCreditEntries(db, input, saleCreditEntries(done.value));
  return done;
}

/**
 * Writes a sale to the journal; returns the journal once the sale is on disk there. A journal that fails leaves the
 * replica's strict put as the commit, as where there is none (null).
 */
async function journaled(journal: JournalWriter | null | undefined, doc: Sale & Record<string, unknown>): Promise<JournalWriter | null> {
  if (!journal) return null;
  try {
    tillMark('caja:commit:durable', await journal.put(doc));
    return journal;
  } catch {
    return null;
  }
}

/**
 * A shift checked open before Pay, trusted by commitSale while `valid`: a live feed of the database, started
 * from before the check, turns it invalid as soon as the shift or its close is written (by this tab or another),
 * and the commit then checks again. The feed's delay is a few milliseconds, no longer than the time between a
 * commit's own read and its put.
 */
export interface HeldShift {
  readonly shift: Shift;
  readonly valid: boolean;
  release(): void;
}

/**
 * Everything a sale's commit reads, read ahead (when the payment screen opens): the shift is open on this
 * terminal, the last commit's credit entries are in, the next receipt number is known (kept in memory by seq.ts).
 */
export async function holdShift(db: LocalDb, till: Till, shiftId: string): Promise<Result<HeldShift, CommitError>> {
  const since = (await db.info()).update_seq;
  const shift = await requireOpenShift(db, till, shiftId);
  if (!shift.ok) return shift;
  await repairCredit(db, till.config.storeId, till.terminalId);
  await nextSeq(db, till.config.storeId, till.terminalId);
  let valid = true;
  const closeId = shiftCloseId(shiftId);
  const feed = db.changes({ live: true, since, include_docs: false });
  const release = () => {
    valid = false;
    feed.cancel();
  };
  feed.on('change', (c) => {
    if (c.id === shiftId || c.id === closeId) release();
  });
  return { ok: true, value: { shift: shift.value, get valid() { return valid; }, release } };
}

// ---------- finding the original sale ----------

/**
 * The sale a receipt names: a receipt number as printed or scanned from the receipt's CODE128
 * (`S001-T2-41`), or a sale id. Sale ids are deterministic, so this is one point read, for a sale rung on any
 * terminal of the store as long as it is within this terminal's history window.
 */
export async function findSale(db: LocalDb, receipt: string): Promise<Result<Sale, LookupError>> {
  const text = receipt.trim();
  let id: string | null = null;
  let ret: string | null = null;
  if (parseSaleId(text)) id = text;
  else {
    const ref = parseReceiptNumber(text.toUpperCase());
    if (ref) {
      id = saleId(ref.storeId, ref.terminalId, ref.seq);
      ret = returnId(ref.storeId, ref.terminalId, ref.seq);
    }
  }
  if (!id) return { ok: false, error: { code: 'sale_not_found', receipt } };
  const sale = await getOrNull<Sale>(db, id);
  if (sale && sale.type === 'sale') return { ok: true, value: sale };
  // Returns share the receipt sequence: the number may name a refund slip, which cannot be returned again.
  if (ret && (await getOrNull<Return>(db, ret))) return { ok: false, error: { code: 'not_a_sale', receipt, type: 'return' } };
  return { ok: false, error: { code: 'sale_not_found', receipt } };
}

/**
 * The returns already made against a sale, at any terminal of the store. Returns are a small share of the
 * documents in the terminal's bounded history, so reading them by id prefix costs less than keeping a
 * secondary index on the terminal (PouchDB map/reduce is slow to build on the client).
 */
export async function returnsOf(db: LocalDb, sale: Pick<Sale, '_id' | 'storeId'>): Promise<Return[]> {
  const all = await docsWithPrefix<Return>(db, storeTypePrefix('return', sale.storeId));
  return all.filter((r) => r.originalSaleId === sale._id);
}

// ---------- voids ----------

export interface VoidInput extends Till {
  shiftId: string;
  cashier: Pick<StoreUser, 'userId' | 'permissions'>;
  /** Receipt number, scanned receipt barcode or sale id. */
  receipt: string;
  reason: string;
  approval?: Approval;
  now?: Date | string;
}

/** Voids a sale of today (before the day's Z, with no returns against it); `void:<saleId>` makes it once only. */
export async function commitVoid(db: LocalDb, input: VoidInput): Promise<Result<Void, CommitError>> {
  const shift = await requireOpenShift(db, input, input.shiftId);
  if (!shift.ok) return shift;
  const found = await findSale(db, input.receipt);
  if (!found.ok) return found;
  const sale = found.value;
  const [existing, z, returns] = await Promise.all([
    getOrNull<Void>(db, voidId(sale._id)),
    getOrNull<StoredDoc>(db, zreportId(sale.storeId, sale.businessDate)),
    returnsOf(db, sale),
  ]);
  if (existing) return { ok: false, error: { code: 'already_voided', saleId: sale._id } };
  const built = buildVoid(sale, {
    config: input.config,
    now: iso(input.now),
    zReportExists: z !== null,
    user: input.cashier,
    ...(input.approval ? { approval: input.approval } : {}),
    returns,
    terminalId: input.terminalId,
    shiftId: input.shiftId,
    cashierId: input.cashier.userId,
    reason: input.reason,
  });
  if (!built.ok) return built;
  try {
    const res = await db.put(built.value as Void & Record<string, unknown>);
    // What the sale took off store credit or a gift card goes back on it.
    await commitCreditEntries(db, input, voidCreditEntries(built.value, sale));
    return { ok: true, value: { ...built.value, _rev: res.rev } };
  } catch (err) {
    // Another till voided it between our read and our write: the id makes that a conflict, not a second void.
    if (statusOf(err) === 409) return { ok: false, error: { code: 'already_voided', saleId: sale._id } };
    throw err;
  }
}

// ---------- returns and exchanges ----------

export interface ReturnInput extends Till {
  shiftId: string;
  cashier: Pick<StoreUser, 'userId' | 'permissions'>;
  /** Receipt number, scanned receipt barcode or sale id of the original sale. */
  receipt: string;
  requests: ReturnRequest[];
  refund: RefundMethod;
  approvals?: Approval[];
  now?: Date | string;
}

async function returnContext(db: LocalDb, input: ReturnInput): Promise<Result<{ sale: Sale; previous: Return[]; voided: boolean }, CommitError>> {
  const shift = await requireOpenShift(db, input, input.shiftId);
  if (!shift.ok) return shift;
  const found = await findSale(db, input.receipt);
  if (!found.ok) return found;
  const [previous, v] = await Promise.all([returnsOf(db, found.value), getOrNull<Void>(db, voidId(found.value._id))]);
  return { ok: true, value: { sale: found.value, previous, voided: v !== null } };
}

/** Takes a return against a sale (this terminal's or another's): refund split per shared/pos, one put. */
export async function commitReturn(db: LocalDb, input: ReturnInput): Promise<Result<Return, CommitError>> {
  const ctx = await returnContext(db, input);
  if (!ctx.ok) return ctx;
  const refund = refundAccount(input.refund, ctx.value.sale);
  if (!refund.ok) return refund;
  const now = iso(input.now);
  const cashier = { userId: input.cashier.userId, permissions: [...input.cashier.permissions] };
  await repairCredit(db, input.config.storeId, input.terminalId);
  const done = await withNextSeq<Return, CommitError>(db, input.config.storeId, input.terminalId, async (seq) => {
    const built = buildReturn({ ...ctx.value, requests: input.requests, config: input.config, terminalId: input.terminalId, seq, shiftId: input.shiftId, cashier, refund: refund.value, now, approvals: input.approvals ?? [] });
    if (!built.ok) return built;
    const res = await db.put(built.value as Return & Record<string, unknown>);
    return { ok: true, value: { ...built.value, _rev: res.rev }, used: seq };
  });
  if (done.ok) await commitCreditEntries(db, input, returnCreditEntries(done.value));
  return done;
}

/**
 * A refund to store credit goes to an account: the one named, else the sale's customer. Without either the
 * money would be recorded as refunded to nobody, so the return is refused.
 */
function refundAccount(method: RefundMethod, sale: Sale): Result<RefundMethod, CreditTenderError> {
  if (method.to !== 'storecredit' || method.tender.kind !== 'storecredit') return { ok: true, value: method };
  const reference = method.reference ?? sale.customerId;
  if (!reference || !parseCustomerId(reference)) return { ok: false, error: { code: 'credit_account_required', index: 0 } };
  return { ok: true, value: { ...method, reference } };
}

export interface ExchangeInput extends ReturnInput {
  cart: Cart;
  catalog: PricingCatalog;
  cashierId: string;
  /** Tenders for the difference when the new goods cost more than the returned ones. */
  tenders: TenderInput[];
}

/**
 * An exchange: a Return (number n) and a new Sale (number n + 1) that point at each other. Two puts, return
 * first: a 409 on the return retries both with new numbers. Both numbers are checked free before writing, so
 * the only way to lose the sale's number after the return is written is another tab ringing in the same
 * millisecond; that is reported as a conflict, and the return stands on its own as a refund.
 */
export async function commitExchange(db: LocalDb, input: ExchangeInput): Promise<Result<{ ret: Return; sale: Sale }, CommitError>> {
  const ctx = await returnContext(db, input);
  if (!ctx.ok) return ctx;
  const refund = refundAccount(input.refund, ctx.value.sale);
  if (!refund.ok) return refund;
  const now = iso(input.now);
  const cashier = { userId: input.cashier.userId, permissions: [...input.cashier.permissions] };
  const storeCode = input.config.storeId;
  await repairCredit(db, storeCode, input.terminalId);
  const tenders = await ledgerTenders(db, input.tenders, input.cart.customer?.customerId);
  if (!tenders.ok) return tenders;
  const done = await withNextSeq<{ ret: Return; sale: Sale }, CommitError>(db, storeCode, input.terminalId, async (seq) => {
    if (await getOrNull<StoredDoc>(db, saleId(storeCode, input.terminalId, seq + 1))) {
      throw Object.assign(new Error('receipt number taken'), { status: 409 });
    }
    const built = buildExchange({
      ret: { ...ctx.value, requests: input.requests, config: input.config, terminalId: input.terminalId, seq, shiftId: input.shiftId, cashier, refund: refund.value, now, approvals: input.approvals ?? [] },
      sale: { config: input.config, terminalId: input.terminalId, seq: seq + 1, shiftId: input.shiftId, cashierId: input.cashierId, cart: input.cart, catalog: input.catalog, now },
      tenders: tenders.value,
    });
    if (!built.ok) return built;
    const r1 = await db.put(built.value.ret as Return & Record<string, unknown>);
    let r2: { rev: string };
    try {
      r2 = await db.put(built.value.sale as Sale & Record<string, unknown>);
    } catch (err) {
      // The return is written: retrying would write a second one. Report it; the till refunds instead.
      if (statusOf(err) === 409) {
        await commitCreditEntries(db, input, returnCreditEntries(built.value.ret));
        return { ok: false, error: { code: 'exchange_incomplete', returnId: built.value.ret._id, saleId: built.value.sale._id } };
      }
      throw err;
    }
    return { ok: true, value: { ret: { ...built.value.ret, _rev: r1.rev }, sale: { ...built.value.sale, _rev: r2.rev } }, used: seq + 1 };
  });
  if (done.ok) await commitCreditEntries(db, input, [...returnCreditEntries(done.value.ret), ...saleCreditEntries(done.value.sale)]);
  return done;
}
