// The report pipeline in memory, for unit tests: the store day roll-ups the job would write (rollupDay over
// a store's documents), their month and year sums and the chain's, and a ReportIO answering the reports' reads
// the way CouchDB answers the report view (every roll-up's emitRollup rows, a key range, group=true, `_sum`)
// and roll-up documents by id. Its other reads (catalog, names, Z and shift documents) are the brute force's.
import type { Product, Sale, Shift, ShiftClose, StockMovement, Transfer, TransferArrival, Void, ZReport, Return, CashMovement } from '../../shared/model/types';
import { CHAIN, LARGE_SECTIONS } from '../../shared/reports/layout';
import type { ReportIO } from '../../shared/reports/engine';
import type { Fetch } from '../../shared/reports/plan';
import { blockHalves, blocksOf, childPeriods } from '../../shared/reports/periods';
import { bruteForceIO, type RawData } from '../../shared/reports/recompute';
import { rollupDay, rollupDoc, rollupId, type RollupDoc } from '../../shared/reports/rollup';
import { docRows, emitRollup, viewRow, type Row } from '../../shared/reports/rows';
import { sumSections } from '../../shared/reports/sections';

type Doc = { _id: string; type: string } & Record<string, unknown>;

/** Every roll-up document the jobs would hold for these documents (stores' days, months, years, and the chain's). */
export function memoryRollups(data: RawData, opts: { chain?: boolean } = {}): Map<string, RollupDoc> {
  const out = new Map<string, RollupDoc>();
  const byId = new Map(data.docs.map((d) => [d._id, d]));
  const all = [...byId.values()];
  const products = Object.fromEntries(data.products.map((p: Product) => [p._id, { departmentId: p.departmentId, cost: typeof p.cost === 'number' ? p.cost : null }]));
  const stores = Object.keys(data.timeZones).sort();
  const of = <T>(type: string, storeId?: string) => all.filter((d) => d.type === type && (storeId === undefined || d.storeId === storeId)) as unknown as T[];
  const sales = Object.fromEntries(of<Sale>('sale').map((s) => [s._id, s]));
  const shiftsById = Object.fromEntries(of<Shift>('shift').map((s) => [s._id, s]));
  for (const storeId of stores) {
    const days = new Set<string>();
    for (const d of all) if (d.storeId === storeId && typeof d.businessDate === 'string') days.add(d.businessDate);
    for (const d of all) {
      const at = d.type === 'shiftclose' ? d.closedAt : d.createdAt;
      if ((d.storeId === storeId || d.fromStoreId === storeId) && typeof at === 'string' && typeof d.businessDate !== 'string') {
        days.add(new Intl.DateTimeFormat('en-CA', { timeZone: data.timeZones[storeId] }).format(new Date(at)));
      }
    }
    const zs = of<ZReport>('zreport', storeId);
    for (const day of [...days].sort()) {
      const zreport = zs.find((z) => z.businessDate === day) ?? null;
      let z = null;
      if (zreport) {
        const shifts = of<Shift>('shift', storeId).filter((s) => s.businessDate === day);
        const ids = new Set(shifts.map((s) => s._id));
        const inShift = all.filter((d) => typeof d.shiftId === 'string' && ids.has(d.shiftId));
        const scopeSales = inShift.filter((d) => d.type === 'sale') as unknown as Sale[];
        z = {
          zreport,
          scope: {
            shifts,
            sales: scopeSales,
            voids: scopeSales.flatMap((s) => (byId.get('void:' + s._id) as unknown as Void | undefined) ?? []),
            returns: inShift.filter((d) => d.type === 'return') as unknown as Return[],
            cashMovements: inShift.filter((d) => d.type === 'cash') as unknown as CashMovement[],
            closes: inShift.filter((d) => d.type === 'shiftclose') as unknown as ShiftClose[],
          },
        };
      }
      const s = rollupDay({
        storeId,
        date: day,
        timeZone: data.timeZones[storeId] ?? 'UTC',
        sales: of<Sale>('sale', storeId),
        voids: of<Void>('void', storeId),
        returns: of<Return>('return', storeId),
        shifts: of<Shift>('shift', storeId),
        closes: of<ShiftClose>('shiftclose', storeId),
        cash: of<CashMovement>('cash', storeId),
        moves: of<StockMovement>('move', storeId),
        transfers: of<Transfer>('transfer'),
        arrivals: of<TransferArrival>('receipt', storeId),
        originals: sales,
        shiftsById,
        products,
        z,
      });
      if (Object.keys(s).length) out.set(rollupId(storeId, day), rollupDoc(storeId, day, s));
    }
  }
  const sumInto = (scope: string, period: string, children: readonly string[]) => {
    const docs = children.flatMap((id) => out.get(id) ?? []);
    if (docs.length) out.set(rollupId(scope, period), rollupDoc(scope, period, sumSections(docs.map((d) => d.s))));
  };
  const periodsOf = (scope: string, len: number) => new Set([...out.values()].filter((d) => d.scope === scope && d.level === 'd').map((d) => d.period.slice(0, len)));
  const levels = (scope: string) => {
    for (const m of periodsOf(scope, 7)) sumInto(scope, m, childPeriods(m).map((d) => rollupId(scope, d)));
    for (const y of periodsOf(scope, 4)) sumInto(scope, y, childPeriods(y).map((m) => rollupId(scope, m)));
  };
  for (const storeId of stores) levels(storeId);
  if (opts.chain !== false) {
    const days = new Set([...out.values()].filter((d) => d.level === 'd').map((d) => d.period));
    for (const day of days) sumInto(CHAIN, day, stores.map((s) => rollupId(s, day)));
    levels(CHAIN);
    // The chain's blocks of days, smallest first, each the sum of its halves without the large sections.
    const months = new Set([...days].map((d) => d.slice(0, 7)));
    for (const block of blocksOf([...days, ...months]).flat()) {
      const docs = blockHalves(block).flatMap((h) => out.get(rollupId(CHAIN, h)) ?? []);
      const small = docs.map((d) => Object.fromEntries(Object.entries(d.s).filter(([name]) => !(LARGE_SECTIONS as readonly string[]).includes(name))));
      if (docs.length) out.set(rollupId(CHAIN, block), rollupDoc(CHAIN, block, sumSections(small)));
    }
  }
  return out;
}

function cmpKey(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    const ox = typeof x === 'object';
    const oy = typeof y === 'object';
    if (ox !== oy) return ox ? 1 : -1;
    if (!ox && x !== y) return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/** A ReportIO over the roll-ups in memory, reading them as CouchDB reads the report view. */
export function memoryIO(data: RawData, rollups: Map<string, RollupDoc>): ReportIO {
  const emitted: Array<[unknown[], number[]]> = [];
  for (const doc of rollups.values()) emitRollup(doc, (k, v) => emitted.push([k, v]));
  // In key order, as the view's B-tree keeps them: a range is a binary search and a walk.
  emitted.sort(([a], [b]) => cmpKey(a, b));
  const range = (start: unknown[], end: unknown[]): Row[] => {
    const sums = new Map<string, [unknown[], number[]]>();
    let lo = 0;
    let hi = emitted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpKey((emitted[mid] as [unknown[], number[]])[0], start) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < emitted.length; i++) {
      const [k, v] = emitted[i] as [unknown[], number[]];
      if (cmpKey(k, end) > 0) break;
      const j = JSON.stringify(k);
      const cur = sums.get(j) ?? [k, []];
      const n = Math.max(cur[1].length, v.length);
      cur[1] = Array.from({ length: n }, (_, i) => (cur[1][i] ?? 0) + (v[i] ?? 0));
      sums.set(j, cur);
    }
    return [...sums.values()].flatMap(([k, v]) => viewRow(k, v) ?? []);
  };
  const read = (f: Fetch): Row[] => {
    switch (f.kind) {
      case 'view':
        return range([f.section, f.scope, f.level, f.from], [f.section, f.scope, f.level, f.to, {}]);
      case 'ts':
        return range(['ts', f.level, f.from], ['ts', f.level, f.to, {}]);
      case 'first':
        return range([f.section, f.scope, f.id, f.level, f.from], [f.section, f.scope, f.id, f.level, f.to, {}]);
      case 'docs':
        return f.ids.flatMap((id) => {
          const doc = rollups.get(id);
          return doc ? docRows(doc, new Set<string>(f.sections)) : [];
        });
    }
  };
  return { ...bruteForceIO(data), rows: async (fetches) => fetches.map(read) };
}

/** Raw data of a generated chain, as the brute force reads it. */
export function rawOf(input: { docs: readonly object[]; timeZones: Record<string, string>; catalog: { products: Product[]; departments: RawData['departments']; taxRates: RawData['taxRates']; salesReps: RawData['salesReps'] } }): RawData {
  return {
    docs: input.docs as readonly Doc[],
    timeZones: input.timeZones,
    products: input.catalog.products,
    departments: input.catalog.departments,
    taxRates: input.catalog.taxRates,
    salesReps: input.catalog.salesReps,
    people: {},
  };
}

