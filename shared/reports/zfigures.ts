// The Z figures as roll-up entries (layout.ts ZV and the `z`/`l` part keys) and back. A day's Z is never
// rewritten: its roll-up carries the Z's own figures (section `z`) and, when documents reached the store
// after the close, the difference between what a Z computed now would show and what the Z shows (section `l`,
// the late arrivals). Both are sums, so a ZZ of a month or of the whole chain is a reduced view row.
import { money, type Money } from '../money';
import type { ShiftClose, TenderKind, ZReport } from '../model/types';
import { registerFigures, emptyFigures, type RegisterDocs, type RegisterFigures } from '../pos/register';
import { zTotals } from '../pos/zreport';
import { ZV, ZV_LEN } from './layout';
import type { Entry } from './sections';

/** The figures of a Z without its per-shift lines: what a ZZ sums. */
export type ZFigures = RegisterFigures & { countedCash: Money; variance: Money };

/** The documents of a Z's scope: the shifts opened that day, everything rung in them, and their closes. */
export type ZScope = RegisterDocs & { closes: readonly ShiftClose[] };

/** The figures a Z of these documents would show now. */
export function currentZFigures(scope: ZScope): ZFigures {
  const shiftIds = new Set(scope.shifts.map((s) => s._id));
  let counted = 0;
  let variance = 0;
  for (const c of scope.closes) {
    if (!shiftIds.has(c.shiftId)) continue;
    counted += c.countedCash;
    variance += c.variance;
  }
  return { ...registerFigures(scope), countedCash: money(counted), variance: money(variance) };
}

/** The figures a Z document shows. */
export function zFiguresOf(z: ZReport): ZFigures {
  const { shifts: _shifts, ...f } = zTotals(z);
  return f;
}

const VECTOR: ReadonlyArray<[number, keyof ZFigures]> = [
  [ZV.OPENING_FLOAT, 'openingFloat'],
  [ZV.SALES, 'salesCount'],
  [ZV.GROSS, 'grossSales'],
  [ZV.DISCOUNTS, 'discounts'],
  [ZV.NET, 'netSales'],
  [ZV.NET_EX_TAX, 'netSalesExTax'],
  [ZV.TAX, 'taxTotal'],
  [ZV.ROUNDING, 'rounding'],
  [ZV.TOTAL, 'salesTotal'],
  [ZV.CHANGE, 'changeGiven'],
  [ZV.RETURNS, 'returnsCount'],
  [ZV.RETURNS_TOTAL, 'returnsTotal'],
  [ZV.RETURNS_TAX, 'returnsTax'],
  [ZV.VOIDS, 'voidsCount'],
  [ZV.VOIDS_TOTAL, 'voidsTotal'],
  [ZV.CASH_IN, 'cashIn'],
  [ZV.CASH_OUT, 'cashOut'],
  [ZV.CASH_SALES, 'cashSales'],
  [ZV.CASH_REFUNDS, 'cashRefunds'],
  [ZV.EXPECTED_CASH, 'expectedCash'],
  [ZV.COUNTED_CASH, 'countedCash'],
  [ZV.VARIANCE, 'variance'],
];

/** Z figures as `z` section entries; `days` is how many closed days they stand for. */
export function encodeZ(f: ZFigures, days: number): Entry[] {
  const v = new Array<number>(ZV_LEN).fill(0);
  v[ZV.DAYS] = days;
  for (const [i, k] of VECTOR) v[i] = f[k] as number;
  const out: Entry[] = [[['v'], v]];
  for (const t of f.tenders) out.push([['t', t.tenderId, t.kind], [t.count, t.amount]]);
  for (const t of f.refunds) out.push([['r', t.tenderId, t.kind], [t.count, t.amount]]);
  for (const t of f.taxes) out.push([['x', t.rateId, t.code], [t.basis, t.amount]]);
  for (const c of f.cashiers) out.push([['c', c.cashierId], [c.salesCount, c.salesTotal, c.returnsCount, c.returnsTotal, c.voidsCount]]);
  for (const x of f.foreignCash) out.push([['f', x.currency], [x.amount]]);
  return out;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Z figures from summed entries (view rows of section `z` or `l` with the part key first). Lines whose figures
 * are all zero are left out, so late arrivals list only what changed.
 */
export function decodeZ(entries: Iterable<Entry>): { days: number; figures: ZFigures } {
  const f: ZFigures = { ...emptyFigures(), countedCash: money(0), variance: money(0) };
  let days = 0;
  const tenders = new Map<string, { tenderId: string; kind: TenderKind; count: number; amount: Money }>();
  const refunds = new Map<string, { tenderId: string; kind: TenderKind; count: number; amount: Money }>();
  const taxes = new Map<string, { rateId: string; code: string; basis: Money; amount: Money }>();
  const cashiers = new Map<string, RegisterFigures['cashiers'][number]>();
  const foreign = new Map<string, { currency: string; amount: Money }>();
  const at = (v: readonly number[], i: number) => v[i] ?? 0;
  // The vector's fields are all plain numbers of ZFigures (VECTOR names only those).
  const num = f as unknown as Record<string, number>;
  for (const [key, v] of entries) {
    const part = key[0];
    if (part === 'v') {
      days += at(v, ZV.DAYS);
      for (const [i, k] of VECTOR) num[k] = (num[k] ?? 0) + at(v, i);
    } else if (part === 't' || part === 'r') {
      const m = part === 't' ? tenders : refunds;
      const id = key[1] ?? '';
      const cur = m.get(id) ?? { tenderId: id, kind: (key[2] ?? 'other') as TenderKind, count: 0, amount: money(0) };
      cur.count += at(v, 0);
      cur.amount = money(cur.amount + at(v, 1));
      m.set(id, cur);
    } else if (part === 'x') {
      const id = key[1] ?? '';
      const cur = taxes.get(id) ?? { rateId: id, code: key[2] ?? '', basis: money(0), amount: money(0) };
      cur.basis = money(cur.basis + at(v, 0));
      cur.amount = money(cur.amount + at(v, 1));
      taxes.set(id, cur);
    } else if (part === 'c') {
      const id = key[1] ?? '';
      const cur = cashiers.get(id) ?? { cashierId: id, salesCount: 0, salesTotal: money(0), returnsCount: 0, returnsTotal: money(0), voidsCount: 0 };
      cur.salesCount += at(v, 0);
      cur.salesTotal = money(cur.salesTotal + at(v, 1));
      cur.returnsCount += at(v, 2);
      cur.returnsTotal = money(cur.returnsTotal + at(v, 3));
      cur.voidsCount += at(v, 4);
      cashiers.set(id, cur);
    } else if (part === 'f') {
      const id = key[1] ?? '';
      const cur = foreign.get(id) ?? { currency: id, amount: money(0) };
      cur.amount = money(cur.amount + at(v, 0));
      foreign.set(id, cur);
    }
  }
  const nonZero = <T extends object>(x: T) => Object.values(x).some((y) => typeof y === 'number' && y !== 0);
  f.tenders = [...tenders.values()].filter(nonZero).sort((a, b) => cmp(a.tenderId, b.tenderId));
  f.refunds = [...refunds.values()].filter(nonZero).sort((a, b) => cmp(a.tenderId, b.tenderId));
  f.taxes = [...taxes.values()].filter(nonZero).sort((a, b) => (a.code === b.code ? cmp(a.rateId, b.rateId) : cmp(a.code, b.code)));
  f.cashiers = [...cashiers.values()].filter(nonZero).sort((a, b) => cmp(a.cashierId, b.cashierId));
  f.foreignCash = [...foreign.values()].filter(nonZero).sort((a, b) => cmp(a.currency, b.currency));
  return { days, figures: f };
}
