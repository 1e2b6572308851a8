// Transfers between stores at the till, all in the terminal's own database (so they work offline):
// - sending: a `transfer` document (`transfer:<this store>:<uuid>`); writing it is shipping it — it leaves this
//   store's stock at once (stock_milli counts it at the source), and HQ routes it to the destination;
// - the lists: this store's transfers of the replica's window, and those HQ routed here (`toStoreId` = this
//   store), each with its arrival if one is in the replica;
// - receiving: a `receipt` document (TransferArrival, `receipt:<transfer id>`), one per transfer, with what
//   actually arrived per line (zero for a missing line), so the variance against what was sent is on record.
// Each write is refused without its permission ('transfer.send', 'transfer.receive') and audited.
import { isStoreCode, parseTransferId, transferArrivalId, transferId, typePrefix } from '../../../../shared/model/ids';
import type { Transfer, TransferArrival } from '../../../../shared/model/types';
import { CURRENT_SCHEMA } from '../../../../shared/model/types';
import type { Result } from '../../../../shared/pos/arith';
import type { Till } from '../checkout/commit';
import { docsByIds, docsWithPrefix, statusOf, type LocalDb } from '../checkout/localDb';
import { checked, localAudit, putAudited, type Actor } from '../stock/stock';

export type TransferError =
  | { code: 'permission_denied'; permission: string }
  | { code: 'invalid_store'; store: string }
  | { code: 'same_store' }
  | { code: 'no_lines' }
  | { code: 'invalid_qty'; productId: string }
  | { code: 'not_for_this_store'; transferId: string }
  | { code: 'already_received'; transferId: string }
  | { code: 'invalid_document'; errors: string[] };

export interface DraftLine {
  productId: string;
  sku: string;
  name: { en: string; es: string };
  unit: 'each' | 'kg';
  qty: number;
}

const iso = (now: Date | string | undefined): string => (now === undefined ? new Date() : new Date(now)).toISOString();

/** Adds a product to a draft (one line per product: a second scan adds to its quantity), newest line first. */
export function addDraftLine(lines: readonly DraftLine[], product: Omit<DraftLine, 'qty'>, qty = 1): DraftLine[] {
  const i = lines.findIndex((l) => l.productId === product.productId);
  if (i < 0) return [{ ...product, qty }, ...lines];
  return lines.map((l, j) => (j === i ? { ...l, qty: Math.round((l.qty + qty) * 1000) / 1000 } : l));
}

/** Sets a line's quantity; zero or less takes the line out. */
export function setDraftQty(lines: readonly DraftLine[], productId: string, qty: number): DraftLine[] {
  return qty > 0 ? lines.map((l) => (l.productId === productId ? { ...l, qty } : l)) : lines.filter((l) => l.productId !== productId);
}

/** A typed store code as the id rules spell it ("s002 " -> "S002"). */
export function normalStoreCode(text: string): string {
  return text.trim().toUpperCase();
}

export interface SendInput extends Till {
  user: Actor;
  toStoreId: string;
  lines: ReadonlyArray<Pick<DraftLine, 'productId' | 'qty' | 'unit'>>;
  uuid: string;
  auditUuid: string;
  now?: Date | string;
}

/** Creates (and so ships) a transfer to another store. */
export async function commitTransfer(db: LocalDb, input: SendInput): Promise<Result<Transfer, TransferError>> {
  if (!input.user.permissions.includes('transfer.send')) return { ok: false, error: { code: 'permission_denied', permission: 'transfer.send' } };
  const from = input.config.storeId;
  const to = normalStoreCode(input.toStoreId);
  if (!isStoreCode(to)) return { ok: false, error: { code: 'invalid_store', store: input.toStoreId } };
  if (to === from) return { ok: false, error: { code: 'same_store' } };
  if (input.lines.length === 0) return { ok: false, error: { code: 'no_lines' } };
  const wrong = input.lines.find((l) => !(l.qty > 0) || (l.unit === 'each' && !Number.isInteger(l.qty)));
  if (wrong) return { ok: false, error: { code: 'invalid_qty', productId: wrong.productId } };
  const built = checked<Transfer>({
    _id: transferId(from, input.uuid),
    type: 'transfer',
    schema: CURRENT_SCHEMA,
    storeId: from,
    fromStoreId: from,
    toStoreId: to,
    lines: input.lines.map((l) => ({ productId: l.productId, qty: l.qty })),
    createdAt: iso(input.now),
    userId: input.user.userId,
  });
  if (!built.ok) return built;
  const t = built.value;
  const audit = localAudit(input, { userId: t.userId, action: 'transfer.send', target: t._id, uuid: input.auditUuid, at: t.createdAt, detail: { toStoreId: to, lines: t.lines.length } });
  return { ok: true, value: await putAudited(db, t, audit) };
}

/** A transfer with its arrival, when one is in this replica. */
export interface TransferWithArrival {
  transfer: Transfer;
  arrival: TransferArrival | null;
}

/**
 * This store's outgoing and incoming transfers created at or after `since` (ISO), newest first. The replica
 * holds a window of days of them, so reading every `transfer:` document is a small range.
 */
export async function transfersOf(db: LocalDb, storeId: string, since: string): Promise<{ outgoing: TransferWithArrival[]; incoming: TransferWithArrival[] }> {
  const all = (await docsWithPrefix<Transfer>(db, typePrefix('transfer'))).filter((t) => t.type === 'transfer' && t.createdAt >= since && parseTransferId(t._id));
  const arrivals = await docsByIds<TransferArrival>(db, all.map((t) => transferArrivalId(t._id)));
  const byTransfer = new Map(arrivals.filter((a) => a.type === 'receipt').map((a) => [a.transferId, a]));
  const withArrival = (t: Transfer): TransferWithArrival => ({ transfer: t, arrival: byTransfer.get(t._id) ?? null });
  const newestFirst = (a: Transfer, b: Transfer) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);
  return {
    outgoing: all.filter((t) => t.fromStoreId === storeId).sort(newestFirst).map(withArrival),
    incoming: all.filter((t) => t.toStoreId === storeId && t.fromStoreId !== storeId).sort(newestFirst).map(withArrival),
  };
}

/** One line of an arrival as the receiving screen shows it: sent, received, and the difference. */
export interface ArrivalLine {
  productId: string;
  sent: number;
  received: number;
  /** received - sent: negative is short, positive is over. */
  variance: number;
}

/** Lines of a transfer with what arrived (the sent quantity where nothing was typed). */
export function arrivalLines(transfer: Pick<Transfer, 'lines'>, received: ReadonlyArray<number | null | undefined>): ArrivalLine[] {
  return transfer.lines.map((l, i) => {
    const got = received[i] ?? l.qty;
    return { productId: l.productId, sent: l.qty, received: got, variance: Math.round((got - l.qty) * 1000) / 1000 };
  });
}

/** The totals a receiving screen shows: lines short, lines over. */
export function varianceSummary(lines: readonly ArrivalLine[]): { short: number; over: number; exact: boolean } {
  const short = lines.filter((l) => l.variance < 0).length;
  const over = lines.filter((l) => l.variance > 0).length;
  return { short, over, exact: short === 0 && over === 0 };
}

export interface ReceiveInput extends Till {
  user: Actor;
  transfer: Transfer;
  /** Per line of the transfer, what arrived (null: as sent). */
  received: ReadonlyArray<number | null>;
  auditUuid: string;
  now?: Date | string;
}

/** Records the arrival of a transfer routed to this store: once per transfer, every line counted. */
export async function commitArrival(db: LocalDb, input: ReceiveInput): Promise<Result<TransferArrival, TransferError>> {
  if (!input.user.permissions.includes('transfer.receive')) return { ok: false, error: { code: 'permission_denied', permission: 'transfer.receive' } };
  const t = input.transfer;
  const store = input.config.storeId;
  if (t.toStoreId !== store || t.fromStoreId === store) return { ok: false, error: { code: 'not_for_this_store', transferId: t._id } };
  const lines = arrivalLines(t, input.received);
  const wrong = lines.find((l) => !(l.received >= 0) || !Number.isFinite(l.received));
  if (wrong) return { ok: false, error: { code: 'invalid_qty', productId: wrong.productId } };
  const built = checked<TransferArrival>({
    _id: transferArrivalId(t._id),
    type: 'receipt',
    schema: CURRENT_SCHEMA,
    storeId: store,
    transferId: t._id,
    lines: lines.map((l) => ({ productId: l.productId, qty: l.received })),
    createdAt: iso(input.now),
    userId: input.user.userId,
  });
  if (!built.ok) return built;
  const a = built.value;
  const summary = varianceSummary(lines);
  const audit = localAudit(input, { userId: a.userId, action: 'transfer.receive', target: a._id, uuid: input.auditUuid, at: a.createdAt, detail: { transferId: t._id, short: summary.short, over: summary.over } });
  try {
    return { ok: true, value: await putAudited(db, a, audit) };
  } catch (err) {
    // The arrival's id is the transfer's: another till of this store received it first.
    if (statusOf(err) === 409) return { ok: false, error: { code: 'already_received', transferId: t._id } };
    throw err;
  }
}
