// Stock adjustments at the till: a `move` document written to the terminal's own database (so it works with
// the network down; it replicates to the relay with the rest), checked against the shared validator before
// the put, refused without 'inventory.adjust', and recorded in the store's audit trail by an `audit` entry
// written next to it (terminals may write both; the relay's validate_doc_update judges them again).
// Stock levels themselves come from the relay (the `stock_milli` view over the whole store's history): a
// terminal keeps only a window of days, so it cannot sum them itself.
import { auditId, moveId } from '../../../../shared/model/ids';
import { storeUserActor } from '../../../../shared/model/names';
import type { AuditEntry, StockMovement, StockReason, StoreUser } from '../../../../shared/model/types';
import { CURRENT_SCHEMA } from '../../../../shared/model/types';
import { validateDoc } from '../../../../shared/model/validate';
import type { Result } from '../../../../shared/pos/arith';
import type { Till } from '../checkout/commit';
import type { LocalDb } from '../checkout/localDb';

export const STOCK_REASONS: readonly StockReason[] = ['adjustment', 'count', 'damage', 'receive', 'theft', 'other'];

/** What may refuse an adjustment, in terms the screen translates. */
export type AdjustError =
  | { code: 'permission_denied'; permission: string }
  | { code: 'invalid_qty' }
  | { code: 'whole_units' }
  | { code: 'no_change' }
  | { code: 'count_needs_level' }
  | { code: 'invalid_document'; errors: string[] };

/** The user as a till document records them. */
export type Actor = Pick<StoreUser, 'userId' | 'permissions'>;

const iso = (now: Date | string | undefined): string => (now === undefined ? new Date() : new Date(now)).toISOString();

/** A quantity typed by a person: "3", "-2", "+1.5", "2,25" (decimal comma); null when it is not one (at most 3 decimals). */
export function parseQty(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^[+-]?(\d+(\.\d{0,3})?|\.\d{1,3})$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? Math.round(n * 1000) / 1000 : null;
}

/** Stock in thousandths (as the relay answers) as a quantity. */
export const fromMilli = (milli: number): number => milli / 1000;

export type AdjustMode = 'delta' | 'count';

/**
 * The signed quantity a move records: the change as typed, or in count mode the counted quantity minus the
 * level the store server last reported (a count without a known level cannot be turned into a change).
 */
export function adjustmentQty(mode: AdjustMode, typed: number, levelMilli: number | null, unit: 'each' | 'kg'): Result<number, AdjustError> {
  if (!Number.isFinite(typed)) return { ok: false, error: { code: 'invalid_qty' } };
  if (unit === 'each' && !Number.isInteger(typed)) return { ok: false, error: { code: 'whole_units' } };
  if (mode === 'count' && typed < 0) return { ok: false, error: { code: 'invalid_qty' } };
  if (mode === 'count' && levelMilli === null) return { ok: false, error: { code: 'count_needs_level' } };
  const qty = mode === 'delta' ? typed : (Math.round(typed * 1000) - (levelMilli ?? 0)) / 1000;
  if (qty === 0) return { ok: false, error: { code: 'no_change' } };
  return { ok: true, value: qty };
}

/** The store's audit entry for a document a user wrote at this till. */
export function localAudit(till: Till, input: { userId: string; action: string; target: string; uuid: string; at: string; detail?: Record<string, unknown> }): AuditEntry {
  const storeId = till.config.storeId;
  return {
    _id: auditId(storeId, input.at, input.uuid),
    type: 'audit',
    schema: CURRENT_SCHEMA,
    storeId,
    at: input.at,
    actor: storeUserActor(input.userId),
    action: input.action,
    target: input.target,
    from: till.terminalId,
    ...(input.detail ? { detail: input.detail } : {}),
  };
}

/**
 * Writes a ledger document and its audit entry. The document's put is the commit; the audit entry follows
 * (a failure there is not the user's to fix, and does not undo what they did).
 */
export async function putAudited<T extends { _id: string; _rev?: string }>(db: LocalDb, doc: T, audit: AuditEntry): Promise<T> {
  const res = await db.put(doc);
  await db.put(audit as AuditEntry & Record<string, unknown>).catch(() => undefined);
  return { ...doc, _rev: res.rev };
}

/** The validator's complaints, as a typed refusal (a bug of the screen, but never a write the relay refuses). */
export function checked<T>(doc: T): Result<T, { code: 'invalid_document'; errors: string[] }> {
  const errors = validateDoc(doc);
  return errors.length ? { ok: false, error: { code: 'invalid_document', errors } } : { ok: true, value: doc };
}

export interface AdjustInput extends Till {
  user: Actor;
  productId: string;
  /** Signed: + into stock, - out of it. */
  qty: number;
  reason: StockReason;
  note?: string;
  uuid: string;
  auditUuid: string;
  now?: Date | string;
}

/** Builds the move an adjustment writes (pure). */
export function buildMove(input: AdjustInput): StockMovement {
  const note = input.note?.trim();
  return {
    _id: moveId(input.config.storeId, input.uuid),
    type: 'move',
    schema: CURRENT_SCHEMA,
    storeId: input.config.storeId,
    reason: input.reason,
    lines: [{ productId: input.productId, qty: input.qty }],
    createdAt: iso(input.now),
    userId: input.user.userId,
    ...(note ? { note } : {}),
  };
}

/** Records a stock adjustment in the local database: 'inventory.adjust', a non-zero quantity, a valid move. */
export async function commitAdjustment(db: LocalDb, input: AdjustInput): Promise<Result<StockMovement, AdjustError>> {
  if (!input.user.permissions.includes('inventory.adjust')) return { ok: false, error: { code: 'permission_denied', permission: 'inventory.adjust' } };
  if (!Number.isFinite(input.qty) || input.qty === 0) return { ok: false, error: { code: 'invalid_qty' } };
  const move = checked(buildMove(input));
  if (!move.ok) return move;
  const audit = localAudit(input, {
    userId: input.user.userId,
    action: 'stock.adjust',
    target: move.value._id,
    uuid: input.auditUuid,
    at: move.value.createdAt,
    detail: { productId: input.productId, qty: input.qty, reason: input.reason },
  });
  return { ok: true, value: await putAudited(db, move.value, audit) };
}
