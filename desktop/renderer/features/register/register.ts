// Register sessions at the terminal: open with a float, cash in and out, the X report, close with a count.
// Figures come from shared/pos registerFigures over the shift's own documents, read by id range: a
// terminal's sales and returns carry increasing numbers, so a shift's documents are the newest ones of the
// terminal back to the first written before the shift opened; no query index is needed on the terminal.
import { money, type Money } from '../../../../shared/money';
import { parseShiftId, shiftCloseId, terminalTypePrefix, voidId } from '../../../../shared/model/ids';
import type { Approval, CashMovement, Return, Sale, Shift, ShiftClose, StoreUser, Void } from '../../../../shared/model/types';
import type { Result } from '../../../../shared/pos/arith';
import { cashMovement, closeShift, openShift, registerFigures, xReport, type RegisterDocs, type RegisterFigures } from '../../../../shared/pos/register';
import { requireOpenShift, type ShiftError, type Till } from '../checkout/commit';
import { docsByIds, docsWithPrefix, getOrNull, lastIdWithPrefix, statusOf, type LocalDb } from '../checkout/localDb';

export type ShiftActionError =
  | ShiftError
  | { code: 'already_open'; shiftId: string }
  | { code: 'already_closed'; shiftId: string }
  | { code: 'approval_required'; action: string }
  | { code: 'invalid_amount' | 'missing_reason' }
  | { code: 'invalid_count'; denomination: string };

const iso = (now: Date | string | undefined): string => (now === undefined ? new Date() : new Date(now)).toISOString();

function allowed(user: Pick<StoreUser, 'permissions'>, action: string, approvals: readonly Approval[]): boolean {
  return user.permissions.includes(action) || approvals.some((a) => a.action === action);
}

/** The terminal's latest shift and whether it is still open (null when it never opened one). */
export async function latestShift(db: LocalDb, till: Till): Promise<{ shift: Shift; open: boolean } | null> {
  const last = await lastIdWithPrefix(db, terminalTypePrefix('shift', till.config.storeId, till.terminalId));
  if (!last) return null;
  const [shift, close] = await Promise.all([getOrNull<Shift>(db, last), getOrNull<ShiftClose>(db, shiftCloseId(last))]);
  return shift ? { shift, open: close === null } : null;
}

/** The open shift of this terminal, or null. */
export async function currentShift(db: LocalDb, till: Till): Promise<Shift | null> {
  const s = await latestShift(db, till);
  return s && s.open ? s.shift : null;
}

/** Opens the register with a counted float; one open shift per terminal at a time. */
export async function commitShiftOpen(
  db: LocalDb,
  input: Till & { user: Pick<StoreUser, 'userId' | 'permissions'>; openingFloat: Money; approvals?: Approval[]; now?: Date | string },
): Promise<Result<Shift, ShiftActionError>> {
  if (!allowed(input.user, 'register.open', input.approvals ?? [])) return { ok: false, error: { code: 'approval_required', action: 'register.open' } };
  if (!Number.isSafeInteger(input.openingFloat) || input.openingFloat < 0) return { ok: false, error: { code: 'invalid_amount' } };
  for (let attempt = 0; ; attempt++) {
    const latest = await latestShift(db, input);
    if (latest?.open) return { ok: false, error: { code: 'already_open', shiftId: latest.shift._id } };
    const n = latest ? (parseShiftId(latest.shift._id)?.seq ?? 0) + 1 : 1;
    const shift = openShift({ config: input.config, terminalId: input.terminalId, n, openedBy: input.user.userId, openingFloat: input.openingFloat, now: iso(input.now) });
    try {
      const res = await db.put(shift as Shift & Record<string, unknown>);
      return { ok: true, value: { ...shift, _rev: res.rev } };
    } catch (err) {
      // Another tab opened shift n first: read again (it is open now, so this answers already_open).
      if (statusOf(err) !== 409 || attempt >= 3) throw err;
    }
  }
}

/** Cash put in (float top-up) or taken out (safe drop, payout): 'register.cash_in_out' or a manager's approval. */
export async function commitCashMovement(
  db: LocalDb,
  input: Till & {
    shiftId: string;
    uuid: string;
    direction: 'in' | 'out';
    amount: Money;
    reason: string;
    user: Pick<StoreUser, 'userId' | 'permissions'>;
    approvals?: Approval[];
    now?: Date | string;
  },
): Promise<Result<CashMovement, ShiftActionError>> {
  const approvals = input.approvals ?? [];
  if (!allowed(input.user, 'register.cash_in_out', approvals)) return { ok: false, error: { code: 'approval_required', action: 'register.cash_in_out' } };
  const shift = await requireOpenShift(db, input, input.shiftId);
  if (!shift.ok) return shift;
  const built = cashMovement({ shift: shift.value, uuid: input.uuid, direction: input.direction, amount: input.amount, reason: input.reason, userId: input.user.userId, now: iso(input.now), approvals });
  if (!built.ok) return built;
  const res = await db.put(built.value as CashMovement & Record<string, unknown>);
  return { ok: true, value: { ...built.value, _rev: res.rev } };
}

/** How many documents to read per step when walking a terminal's ledger back to a shift's start. */
const PAGE = 200;

/** This terminal's documents with `prefix` that belong to `shift`, newest first, walking back to its opening. */
async function terminalDocsOfShift<T extends { shiftId: string; createdAt: string }>(db: LocalDb, prefix: string, shift: Shift): Promise<T[]> {
  const out: T[] = [];
  let startkey = prefix + '\ufff0';
  let skip = 0;
  for (;;) {
    const res = await db.allDocs({ startkey, endkey: prefix, descending: true, limit: PAGE, skip, include_docs: true });
    for (const row of res.rows) {
      const d = row.doc as T | undefined;
      if (!d) continue;
      // Numbers increase with time on one terminal: once a document predates the shift, all older ones do.
      if (d.createdAt < shift.openedAt) return out;
      if (d.shiftId === shift._id) out.push(d);
    }
    if (res.rows.length < PAGE) return out;
    startkey = (res.rows[res.rows.length - 1] as { id: string }).id;
    skip = 1;
  }
}

/** The documents of one shift of this terminal (sales, their voids, returns, cash movements). */
export async function shiftDocs(db: LocalDb, shift: Shift): Promise<RegisterDocs> {
  const [sales, returns, cash] = await Promise.all([
    terminalDocsOfShift<Sale>(db, terminalTypePrefix('sale', shift.storeId, shift.terminalId), shift),
    terminalDocsOfShift<Return>(db, terminalTypePrefix('return', shift.storeId, shift.terminalId), shift),
    // Cash ids carry a uuid, not a number; movements are a handful per shift, so the terminal's are read whole.
    docsWithPrefix<CashMovement>(db, terminalTypePrefix('cash', shift.storeId, shift.terminalId)),
  ]);
  // A void may be written at another till; its id names the sale, so it is found whatever terminal wrote it.
  const voids = await docsByIds<Void>(db, sales.map((s) => voidId(s._id)));
  return { shifts: [shift], sales, voids, returns, cashMovements: cash.filter((c) => c.shiftId === shift._id) };
}

/** The X report of a shift: its figures now, changing nothing. */
export async function xReportOf(db: LocalDb, shift: Shift, now?: Date | string): Promise<{ at: string; shiftIds: string[]; figures: RegisterFigures }> {
  return xReport(await shiftDocs(db, shift), iso(now));
}

/** Closes the register: counted cash against expected; variance beyond the store's threshold raises an alert. */
export async function commitShiftClose(
  db: LocalDb,
  input: Till & {
    shiftId: string;
    counted: Record<string, number>;
    user: Pick<StoreUser, 'userId' | 'permissions'>;
    approvals?: Approval[];
    now?: Date | string;
  },
): Promise<Result<ShiftClose, ShiftActionError>> {
  if (!allowed(input.user, 'register.close', input.approvals ?? [])) return { ok: false, error: { code: 'approval_required', action: 'register.close' } };
  const shift = await requireOpenShift(db, input, input.shiftId);
  if (!shift.ok) {
    return shift.error.reason === 'closed' ? { ok: false, error: { code: 'already_closed', shiftId: input.shiftId } } : shift;
  }
  const figures = registerFigures(await shiftDocs(db, shift.value));
  const built = closeShift({ shift: shift.value, figures, counted: input.counted, closedBy: input.user.userId, now: iso(input.now), varianceAlert: input.config.varianceAlert });
  if (!built.ok) return built;
  try {
    const res = await db.put(built.value as ShiftClose & Record<string, unknown>);
    return { ok: true, value: { ...built.value, _rev: res.rev } };
  } catch (err) {
    // The day close at the relay (or another tab) closed it first: a shift closes once.
    if (statusOf(err) === 409) return { ok: false, error: { code: 'already_closed', shiftId: input.shiftId } };
    throw err;
  }
}

/** Sum of a denomination count in minor units (for the UI while counting). */
export function countedTotal(counted: Record<string, number>): Money {
  return money(Object.entries(counted).reduce((s, [d, n]) => s + Number(d) * n, 0));
}

