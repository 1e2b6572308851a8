// Today's figures of the whole store for manager mode, from the terminal's own replica: every terminal's sales,
// voids, returns, shifts and cash movements reach each terminal (terminalPullSelector), so the dashboard works
// with the network down and agrees with the X and Z reports, being computed by the same shared/pos code.
import type { Money } from '../../../../shared/money';
import type { CashMovement, Return, Sale, Shift, ShiftClose, Void } from '../../../../shared/model/types';
import { shiftCloseId, storeTypePrefix, voidId } from '../../../../shared/model/ids';
import { registerFigures, type RegisterDocs, type RegisterFigures } from '../../../../shared/pos/register';
import { docsByIds, docsWithPrefix, type LocalDb } from '../checkout/localDb';

/** Sales rung in one hour of the store's day (hour 0..23 in the store's zone). */
export interface HourFigure {
  hour: number;
  salesCount: number;
  salesTotal: Money;
}

export interface OpenRegister {
  shiftId: string;
  terminalId: string;
  openedBy: string;
  openedAt: string;
  businessDate: string;
}

export interface StoreDay {
  businessDate: string;
  figures: RegisterFigures;
  hours: HourFigure[];
  openRegisters: OpenRegister[];
  /** Average ticket (sales total / sales count), 0 with no sales. */
  averageTicket: Money;
}

/**
 * The documents of the store's business day `date`: the day's shifts and every shift still open (a register
 * left open overnight still counts), the day's sales and returns in them, their voids and cash movements.
 */
export async function storeDayDocs(db: LocalDb, storeCode: string, date: string): Promise<RegisterDocs & { closes: ShiftClose[] }> {
  const [allShifts, sales, returns, cash] = await Promise.all([
    docsWithPrefix<Shift>(db, storeTypePrefix('shift', storeCode)),
    docsWithPrefix<Sale>(db, storeTypePrefix('sale', storeCode)),
    docsWithPrefix<Return>(db, storeTypePrefix('return', storeCode)),
    docsWithPrefix<CashMovement>(db, storeTypePrefix('cash', storeCode)),
  ]);
  const closes = await docsByIds<ShiftClose>(db, allShifts.map((s) => shiftCloseId(s._id)));
  const closed = new Set(closes.map((c) => c.shiftId));
  const shifts = allShifts.filter((s) => s.type === 'shift' && (s.businessDate === date || !closed.has(s._id)));
  const daySales = sales.filter((s) => s.type === 'sale' && s.businessDate === date);
  const voids = await docsByIds<Void>(db, daySales.map((s) => voidId(s._id)));
  return {
    shifts,
    sales: daySales,
    voids,
    returns: returns.filter((r) => r.type === 'return' && r.businessDate === date),
    cashMovements: cash.filter((c) => c.type === 'cash'),
    closes: closes.filter((c) => shifts.some((s) => s._id === c.shiftId)),
  };
}

/** The hour (0..23) of an instant in a time zone. */
function hourIn(iso: string, fmt: Intl.DateTimeFormat): number {
  const part = fmt.formatToParts(new Date(iso)).find((p) => p.type === 'hour');
  return Number(part?.value ?? 0) % 24;
}

/** The store's day from its documents: X-report figures over every register, per hour, and the open registers. */
export function storeDay(date: string, docs: RegisterDocs & { closes: readonly ShiftClose[] }, timeZone: string): StoreDay {
  const figures = registerFigures(docs);
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', hourCycle: 'h23' });
  const voided = new Set(docs.voids.map((v) => v.saleId));
  const scope = new Set(docs.shifts.map((s) => s._id));
  const hours: HourFigure[] = Array.from({ length: 24 }, (_, hour) => ({ hour, salesCount: 0, salesTotal: 0 as Money }));
  for (const s of docs.sales) {
    if (voided.has(s._id) || !scope.has(s.shiftId)) continue;
    const h = hours[hourIn(s.createdAt, fmt)];
    if (!h) continue;
    h.salesCount += 1;
    h.salesTotal = (h.salesTotal + s.total) as Money;
  }
  const closed = new Set(docs.closes.map((c) => c.shiftId));
  const openRegisters = docs.shifts
    .filter((s) => !closed.has(s._id))
    .map((s) => ({ shiftId: s._id, terminalId: s.terminalId, openedBy: s.openedBy, openedAt: s.openedAt, businessDate: s.businessDate }))
    .sort((a, b) => (a.terminalId < b.terminalId ? -1 : a.terminalId > b.terminalId ? 1 : 0));
  const averageTicket = (figures.salesCount > 0 ? Math.round(figures.salesTotal / figures.salesCount) : 0) as Money;
  return { businessDate: date, figures, hours, openRegisters, averageTicket };
}
