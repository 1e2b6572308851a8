// The day close at the relay. The relay is the single writer of `zreport:<store>:<businessDate>` (design.md
// "Documents"): it reads the day's register documents from its `caja-store`, closes the shifts still open
// (closedBy 'zreport'), and writes the immutable Z computed by shared/pos buildZReport. Every write is
// audited in the same database, so the audit trail travels up to HQ with the documents it describes.
//
// Reading "the day" without scanning every document: two Mango indexes, each in its own design document (a
// change to one never rebuilds the other) and created on first use: shifts by [type, businessDate], and the
// documents of a shift (sales, returns, cash movements, its close) by shiftId. A Z covers the shifts OPENED
// that business day, and each shift's documents whatever their own date (a sale after midnight belongs to
// the shift it was rung in). Voids are read by id (`void:<saleId>`).
import type { CouchHandle } from '../../server-kit/couch';
import { CouchRequestError } from '../../server-kit/couch';
import { getDoc, putDoc } from '../../server-kit/docs';
import { badRequest, conflict } from '../../server-kit/errors';
import type { Logger } from '../../server-kit/log';
import { CONFIG_ID, isBusinessDate, voidId, zreportId } from '../../shared/model/ids';
import { RELAY_STORE_DB, storeUserActor } from '../../shared/model/names';
import type { CashMovement, Return, Sale, Shift, ShiftClose, StoreConfig, Void, ZReport } from '../../shared/model/types';
import { businessDate as businessDateAt } from '../../shared/pos/clock';
import { registerFigures, type RegisterDocs, type RegisterFigures } from '../../shared/pos/register';
import { buildZReport, zzReport } from '../../shared/pos/zreport';
import { auditAtStore } from './audit';

const DB = RELAY_STORE_DB;
const INDEX_BY_DAY = { ddoc: 'caja-find-shifts-by-day', name: 'shifts-by-day', fields: ['type', 'businessDate'] } as const;
const INDEX_BY_SHIFT = { ddoc: 'caja-find-by-shift', name: 'by-shift', fields: ['shiftId'] } as const;
/** Rows per `_find` page (CouchDB and pouchdb-find default to 25 when no limit is given). */
const PAGE = 5000;

export interface DayCloseContext {
  couch: CouchHandle;
  log: Logger;
  storeCode: string;
}

/** Who did it, for the audit trail. */
export interface AuditActor {
  userId: string;
  from: string;
}

/** Everything the day close of one date reads. */
export interface DayDocs extends RegisterDocs {
  closes: ShiftClose[];
}

// Index creation is idempotent in CouchDB ("exists"); once per process per server is enough.
const indexed = new WeakMap<CouchHandle, Promise<void>>();

function ensureIndexes(couch: CouchHandle): Promise<void> {
  let p = indexed.get(couch);
  if (!p) {
    p = (async () => {
      for (const ix of [INDEX_BY_DAY, INDEX_BY_SHIFT]) {
        await couch.request(`/${DB}/_index`, { method: 'POST', body: { index: { fields: [...ix.fields] }, ddoc: ix.ddoc, name: ix.name, type: 'json' } });
      }
    })();
    // A failure (CouchDB briefly down) must not be remembered: the next close tries again.
    p.catch(() => indexed.delete(couch));
    indexed.set(couch, p);
  }
  return p;
}

async function find<T>(couch: CouchHandle, selector: Record<string, unknown>, index: { ddoc: string; name: string }): Promise<T[]> {
  const out: T[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const res = await couch.request<{ docs: T[] }>(`/${DB}/_find`, {
      method: 'POST',
      body: { selector, use_index: [index.ddoc, index.name], limit: PAGE, skip },
    });
    out.push(...res.docs);
    if (res.docs.length < PAGE) return out;
  }
}

async function byIds<T>(couch: CouchHandle, ids: string[]): Promise<T[]> {
  if (ids.length === 0) return [];
  const res = await couch.request<{ rows: Array<{ doc?: T | null; value?: { deleted?: boolean } }> }>(`/${DB}/_all_docs?include_docs=true`, {
    method: 'POST',
    body: { keys: ids },
  });
  return res.rows.flatMap((r) => (r.doc && !r.value?.deleted ? [r.doc] : []));
}

/** The register documents of a business day of this store (see the header for what "of the day" means). */
export async function readDay(ctx: DayCloseContext, date: string): Promise<DayDocs> {
  await ensureIndexes(ctx.couch);
  const shifts = (await find<Shift>(ctx.couch, { type: 'shift', businessDate: date }, INDEX_BY_DAY)).filter((s) => s.storeId === ctx.storeCode);
  const sales: Sale[] = [];
  const returns: Return[] = [];
  const cashMovements: CashMovement[] = [];
  const closes: ShiftClose[] = [];
  for (const shift of shifts) {
    for (const d of await find<{ type: string }>(ctx.couch, { shiftId: shift._id }, INDEX_BY_SHIFT)) {
      if (d.type === 'sale') sales.push(d as Sale);
      else if (d.type === 'return') returns.push(d as Return);
      else if (d.type === 'cash') cashMovements.push(d as CashMovement);
      else if (d.type === 'shiftclose') closes.push(d as ShiftClose);
    }
  }
  // A void may be rung on another shift (another till) than its sale: read them by the sale's id.
  const voids = await byIds<Void>(ctx.couch, sales.map((s) => voidId(s._id)));
  return { shifts, sales, voids, returns, cashMovements, closes };
}

async function storeConfig(ctx: DayCloseContext): Promise<StoreConfig> {
  const config = await getDoc<StoreConfig>(ctx.couch, DB, CONFIG_ID);
  if (!config) throw badRequest('no_store_config', 'The store configuration has not arrived from HQ yet.');
  return config;
}

/** The store's business date now, in its time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return businessDateAt(now, timeZone);
}

/** Checks a requested business date: well formed and not in the future (a Z is final, so never close ahead). */
export function checkBusinessDate(date: unknown, today: string): string {
  if (!isBusinessDate(date)) throw badRequest('invalid_business_date', 'A business date is YYYY-MM-DD.');
  if (date > today) throw badRequest('future_business_date', `Cannot close ${date}: the store's date is ${today}.`);
  return date;
}

function writeAudit(ctx: DayCloseContext, actor: AuditActor, action: string, target: string, detail?: Record<string, unknown>): Promise<void> {
  // Actor as the relay's other audited writes name a store user (`user:<id>`).
  return auditAtStore(ctx.couch, DB, ctx.storeCode, { actor: storeUserActor(actor.userId), action, target, from: actor.from, ...(detail ? { detail } : {}) });
}

const isConflict = (err: unknown) =>
  (err instanceof CouchRequestError && err.statusCode === 409) || (err as { statusCode?: number } | null)?.statusCode === 409;

/** The Z of a date, or null when the day is not closed. */
export function getZReport(ctx: DayCloseContext, date: string): Promise<ZReport | null> {
  return getDoc<ZReport>(ctx.couch, DB, zreportId(ctx.storeCode, date));
}

export interface CloseDayResult {
  zreport: ZReport;
  closes: ShiftClose[];
}

/**
 * Closes a business day: ShiftClose documents for shifts still open, then the Z. A second close of the same
 * date is a 409 carrying the existing Z. When a terminal's own close reaches the relay while the day close
 * is running (409 on a ShiftClose), the day is read again and recomputed with that close.
 */
export async function closeDay(
  ctx: DayCloseContext,
  input: { businessDate: string; actor: AuditActor; now: Date; counts?: Record<string, Record<string, number>> },
): Promise<CloseDayResult> {
  const config = await storeConfig(ctx);
  for (let attempt = 0; ; attempt++) {
    const existing = await getZReport(ctx, input.businessDate);
    if (existing) throw conflict('day_closed', `The day ${input.businessDate} is already closed.`, { zreport: existing });
    const day = await readDay(ctx, input.businessDate);
    const built = buildZReport({ ...day, config, businessDate: input.businessDate, now: input.now, existing: null, ...(input.counts ? { counts: input.counts } : {}) });
    if (!built.ok) {
      if (built.error.code === 'invalid_count') throw badRequest('invalid_count', `Invalid count for denomination ${built.error.denomination}.`);
      throw conflict('day_closed', `The day ${input.businessDate} is already closed.`);
    }
    const { zreport, closes } = built.value;
    try {
      for (const c of closes) {
        await putDoc(ctx.couch, DB, c);
        await writeAudit(ctx, input.actor, 'register.close', c._id, { closedBy: 'zreport', expectedCash: c.expectedCash, variance: c.variance });
      }
    } catch (err) {
      if (!isConflict(err) || attempt >= 3) throw err;
      ctx.log.info('dayclose.retry', { date: input.businessDate, reason: 'a shift close arrived during the day close' });
      continue;
    }
    try {
      const saved = await putDoc(ctx.couch, DB, zreport);
      await writeAudit(ctx, input.actor, 'day.close', zreport._id, { shifts: zreport.shiftIds.length, closedShifts: closes.map((c) => c.shiftId) });
      ctx.log.info('dayclose.closed', { store: ctx.storeCode, date: input.businessDate, shifts: zreport.shiftIds.length, by: input.actor.userId });
      return { zreport: saved, closes };
    } catch (err) {
      // Two managers closing at once: one Z wins, the other hears 409 with the winner.
      if (!isConflict(err)) throw err;
      const winner = await getZReport(ctx, input.businessDate);
      throw conflict('day_closed', `The day ${input.businessDate} is already closed.`, { zreport: winner });
    }
  }
}

/** The figures of a day not closed yet (an X of every shift opened that day), with the shifts still open. */
export async function previewDay(ctx: DayCloseContext, date: string, now: Date): Promise<{ at: string; shiftIds: string[]; openShiftIds: string[]; figures: RegisterFigures }> {
  const day = await readDay(ctx, date);
  const closed = new Set(day.closes.map((c) => c.shiftId));
  return {
    at: now.toISOString(),
    shiftIds: day.shifts.map((s) => s._id).sort(),
    openShiftIds: day.shifts.filter((s) => !closed.has(s._id)).map((s) => s._id).sort(),
    figures: registerFigures(day),
  };
}

/** ZZ: the Z reports of this store from `from` to `to` (inclusive), summed; ids sort by date, so one range read. */
export async function zzOf(ctx: DayCloseContext, from: string, to: string) {
  const res = await ctx.couch.request<{ rows: Array<{ doc?: ZReport }> }>(
    `/${DB}/_all_docs?include_docs=true&startkey=${encodeURIComponent(JSON.stringify(zreportId(ctx.storeCode, from)))}&endkey=${encodeURIComponent(JSON.stringify(zreportId(ctx.storeCode, to)))}`,
  );
  const zs = res.rows.flatMap((r) => (r.doc ? [r.doc] : []));
  return { ...zzReport(zs), businessDates: zs.map((z) => z.businessDate) };
}
