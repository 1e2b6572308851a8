// The brute-force side of the reconciliation tests: every figure of every report recomputed from the raw
// ledger documents, with none of the roll-up machinery (no roll-up documents, no view, no month or year sums,
// no chain documents). `bruteForceIO` answers the reports' reads by recomputing, for each day a read covers,
// that day's figures straight from the documents (`bruteDay`, written apart from rollup.ts on purpose), so the
// same report code given these reads must produce exactly what HQ and the relay answer. Used only by tests.
import type {
  CashMovement, Department, Product, Return, Sale, SalesRep, Shift, ShiftClose, StockMovement, TaxRate, Transfer, TransferArrival,
  Void, ZReport,
} from '../model/types';
import { registerFigures } from '../pos/register';
import * as L from './layout';
import { C_LEN, CHAIN, DK_LEN, H_LEN, HOURS, K_LEN, P_LEN, R_LEN, T_LEN, TN_LEN, TX_LEN, ZV_LEN, type Level, type Section } from './layout';
import type { ProductInfo, ReportIO } from './engine';
import { addDays, periodAt, periodDays } from './periods';
import type { Fetch } from './plan';
import { localDateHour, parseRollupId } from './rollup';
import type { Row } from './rows';
import type { DeptInfo } from './tree';
import { encodeZ, zFiguresOf, type ZFigures } from './zfigures';

type Doc = { _id: string; type: string } & Record<string, unknown>;

export interface RawData {
  /** Every ledger document of every store (duplicates by id are read once). */
  docs: readonly Doc[];
  timeZones: Readonly<Record<string, string>>;
  products: readonly Product[];
  departments: readonly Department[];
  taxRates: readonly TaxRate[];
  salesReps: readonly SalesRep[];
  people: Readonly<Record<string, string>>;
}

/** A day's figures: section -> JSON of the entry key -> [key, values]. */
type Day = Map<Section, Map<string, [string[], number[]]>>;

const milli = (q: number) => Math.round(q * 1000);
const taxSum = (l: { taxes: readonly { amount: number }[] }) => l.taxes.reduce((s, t) => s + t.amount, 0);

function put(day: Day, section: Section, key: string[], len: number, values: Record<number, number>): void {
  let m = day.get(section);
  if (!m) day.set(section, (m = new Map()));
  const k = JSON.stringify(key);
  const e = m.get(k) ?? [key, new Array<number>(len).fill(0)];
  for (const [i, v] of Object.entries(values)) e[1][Number(i)] = (e[1][Number(i)] ?? 0) + v;
  m.set(k, e);
}

/** The figures of one store day, from the raw documents (layout.ts is the spec). */
export function bruteDay(data: RawData, storeId: string, day: string, index: Index): Day {
  const zone = data.timeZones[storeId] ?? 'UTC';
  const local = (iso: string) => localDateHour(iso, zone);
  const out: Day = new Map();
  const mine = index.byStore.get(storeId) ?? [];
  const sales = mine.filter((d) => d.type === 'sale' && d.businessDate === day) as unknown as Sale[];
  const voids = mine.filter((d) => d.type === 'void' && d.businessDate === day) as unknown as Void[];
  const returns = mine.filter((d) => d.type === 'return' && d.businessDate === day) as unknown as Return[];
  if (![...sales, ...voids, ...returns].length && !mine.some((d) => (d.type === 'shift' && d.businessDate === day) || d.type === 'zreport' && d.businessDate === day)) {
    const other = mine.some((d) => ['shiftclose', 'cash', 'move', 'receipt'].includes(d.type) && local(String(d.type === 'shiftclose' ? d.closedAt : d.createdAt)).date === day)
      || index.transfersFrom(storeId).some((t) => local(t.createdAt).date === day);
    if (!other) return out;
  }
  const voided = new Set(voids.map((v) => v.saleId));
  const kept = sales.filter((s) => !voided.has(s._id));
  const product = (id: string) => index.products.get(id);
  const dept = (id: string) => product(id)?.departmentId ?? '';
  const cost = (id: string, qty: number) => {
    const c = product(id)?.cost;
    return typeof c === 'number' ? Math.floor((milli(qty) * c + 500) / 1000) : 0;
  };
  const t: Record<number, number> = {};
  const T = (i: number, v: number) => (t[i] = (t[i] ?? 0) + v);
  T(L.T.DAYS, 1);
  for (const s of kept) {
    const incl = s.taxMode === 'inclusive';
    T(L.T.SALES, 1);
    T(L.T.GROSS, s.subtotal);
    T(L.T.DISCOUNTS, s.discountTotal);
    T(L.T.NET, s.subtotal - s.discountTotal);
    T(L.T.NET_EX_TAX, s.subtotal - s.discountTotal - (incl ? s.taxTotal : 0));
    T(L.T.TAX, s.taxTotal);
    T(L.T.ROUNDING, s.rounding);
    T(L.T.TOTAL, s.total);
    T(L.T.LINES, s.lines.length);
    const h = local(s.createdAt).hour;
    put(out, 'h', [], HOURS * H_LEN, { [h * H_LEN + L.H.SALES]: 1, [h * H_LEN + L.H.TOTAL]: s.total, [h * H_LEN + L.H.NET_EX_TAX]: s.subtotal - s.discountTotal - (incl ? s.taxTotal : 0) });
    for (const x of s.tenders) put(out, 'tn', [x.tenderId], TN_LEN, { [L.TN.SALES]: 1, [L.TN.AMOUNT]: x.amount, [L.TN.CHANGE]: x.change });
    for (const x of s.taxes) put(out, 'tx', [x.rateId, s.taxMode], TX_LEN, { [L.TX.SALES_BASIS]: x.basis, [L.TX.SALES_TAX]: x.amount });
    put(out, 'c', [s.cashierId], C_LEN, {
      [L.C.SALES]: 1, [L.C.TOTAL]: s.total, [L.C.NET_EX_TAX]: s.subtotal - s.discountTotal - (incl ? s.taxTotal : 0),
      [L.C.DISCOUNTED_SALES]: s.discountTotal > 0 ? 1 : 0, [L.C.DISCOUNT_AMOUNT]: s.discountTotal, [L.C.GROSS]: s.subtotal,
    });
    for (const l of s.lines) {
      const ex = l.netAmount - (incl ? taxSum(l) : 0);
      const disc = l.discounts.reduce((a, d) => a + d.amount, 0) + (l.cartDiscountShare ?? 0);
      const c = cost(l.productId, l.qty);
      const v = { [L.P.QTY_MILLI]: milli(l.qty), [L.P.GROSS]: l.grossAmount, [L.P.DISCOUNT]: disc, [L.P.NET_EX_TAX]: ex, [L.P.COST]: c, [L.P.LINES]: 1, [L.P.TAX]: taxSum(l) };
      put(out, 'p', [l.productId, dept(l.productId)], P_LEN, v);
      put(out, 'd', [dept(l.productId)], P_LEN, v);
      T(L.T.ITEMS_MILLI, milli(l.qty));
      T(L.T.COST, c);
      put(out, 'c', [s.cashierId], C_LEN, { [L.C.ITEMS_MILLI]: milli(l.qty) });
      if (l.salesRepId) put(out, 'r', [l.salesRepId], R_LEN, { [L.R.LINES]: 1, [L.R.QTY_MILLI]: milli(l.qty), [L.R.NET_EX_TAX]: ex });
      for (const d of l.discounts) {
        const approval = d.kind === 'special' ? 'special' : s.approvals.some((a) => a.action === 'discount.over_limit' && a.lineNo === l.lineNo) ? 'approved' : 'within_limit';
        put(out, 'dk', ['line:' + d.kind, approval, s.cashierId], DK_LEN, { [L.DK.COUNT]: 1, [L.DK.AMOUNT]: d.amount });
      }
    }
    for (const d of s.cartDiscounts) {
      const approval = s.approvals.some((a) => a.action === 'discount.over_limit' && a.lineNo === undefined) ? 'approved' : 'within_limit';
      put(out, 'dk', ['cart:' + d.kind, approval, s.cashierId], DK_LEN, { [L.DK.COUNT]: 1, [L.DK.AMOUNT]: d.amount });
    }
  }
  // Stock as the store's stock view counts it: every sale out, every void back in.
  const stock = (id: string, q: number) => {
    put(out, 'k', [id], K_LEN, { [L.K.DELTA_MILLI]: q });
    T(L.T.STOCK_MILLI, q);
  };
  for (const s of sales) for (const l of s.lines) stock(l.productId, -milli(l.qty));
  for (const v of voids) {
    T(L.T.VOIDS, 1);
    T(L.T.VOIDS_AMOUNT, v.total);
    put(out, 'c', [v.cashierId], C_LEN, { [L.C.VOIDS]: 1, [L.C.VOIDS_AMOUNT]: v.total });
    for (const l of v.lines) stock(l.productId, milli(l.qty));
  }
  for (const r of returns) {
    const amounts = r.lines.reduce((a, l) => a + l.amount, 0);
    const incl = r.taxTotal > 0 && r.total === amounts;
    const original = index.byId.get(r.originalSaleId) as unknown as Sale | undefined;
    T(L.T.RETURNS, 1);
    T(L.T.RETURNS_AMOUNT, r.total);
    T(L.T.RETURNS_TAX, r.taxTotal);
    put(out, 'c', [r.cashierId], C_LEN, { [L.C.RETURNS]: 1, [L.C.RETURNS_AMOUNT]: r.total });
    for (const x of r.refunds) put(out, 'tn', [x.tenderId], TN_LEN, { [L.TN.REFUNDS]: 1, [L.TN.REFUND_AMOUNT]: x.amount });
    for (const l of r.lines) {
      const ex = l.amount - (incl ? taxSum(l) : 0);
      const c = cost(l.productId, l.qty);
      T(L.T.RETURNS_NET_EX_TAX, ex);
      T(L.T.RETURNED_MILLI, milli(l.qty));
      T(L.T.RETURNS_COST, c);
      put(out, 'p', [l.productId, dept(l.productId)], P_LEN, { [L.P.RETURNED_MILLI]: milli(l.qty), [L.P.RETURNED_EX_TAX]: ex, [L.P.RETURNED_COST]: c });
      put(out, 'd', [dept(l.productId)], P_LEN, { [L.P.RETURNED_MILLI]: milli(l.qty), [L.P.RETURNED_EX_TAX]: ex, [L.P.RETURNED_COST]: c });
      for (const x of l.taxes) put(out, 'tx', [x.rateId, incl ? 'inclusive' : 'exclusive'], TX_LEN, { [L.TX.RETURNS_BASIS]: x.basis, [L.TX.RETURNS_TAX]: x.amount });
      const rep = original?.lines.find((o) => o.lineNo === l.lineNo)?.salesRepId;
      if (rep) put(out, 'r', [rep], R_LEN, { [L.R.RETURNED_MILLI]: milli(l.qty), [L.R.RETURNED_EX_TAX]: ex });
      if (l.restock) stock(l.productId, milli(l.qty));
    }
  }
  for (const s of mine.filter((d) => d.type === 'shift' && d.businessDate === day) as unknown as Shift[]) {
    T(L.T.SHIFTS, 1);
    put(out, 'c', [s.openedBy], C_LEN, { [L.C.SHIFTS]: 1 });
  }
  for (const c of mine.filter((d) => d.type === 'shiftclose') as unknown as ShiftClose[]) {
    if (local(c.closedAt).date !== day) continue;
    T(L.T.CASH_VARIANCE, c.variance);
    const opener = (index.byId.get(c.shiftId) as unknown as Shift | undefined)?.openedBy ?? c.closedBy;
    put(out, 'c', [opener], C_LEN, { [L.C.CASH_VARIANCE]: c.variance });
  }
  for (const m of mine.filter((d) => d.type === 'cash') as unknown as CashMovement[]) {
    if (local(m.createdAt).date === day) T(m.direction === 'in' ? L.T.CASH_IN : L.T.CASH_OUT, m.amount);
  }
  for (const m of mine.filter((d) => d.type === 'move') as unknown as StockMovement[]) {
    if (local(m.createdAt).date === day) for (const l of m.lines) stock(l.productId, milli(l.qty));
  }
  for (const x of index.transfersFrom(storeId)) if (local(x.createdAt).date === day) for (const l of x.lines) stock(l.productId, -milli(l.qty));
  for (const a of mine.filter((d) => d.type === 'receipt') as unknown as TransferArrival[]) {
    if (local(a.createdAt).date === day) for (const l of a.lines) stock(l.productId, milli(l.qty));
  }
  put(out, 't', [], T_LEN, t);

  const z = mine.find((d) => d.type === 'zreport' && d.businessDate === day) as unknown as ZReport | undefined;
  if (z) {
    const written = zFiguresOf(z);
    const shifts = mine.filter((d) => d.type === 'shift' && d.businessDate === day) as unknown as Shift[];
    const ids = new Set(shifts.map((s) => s._id));
    const inShift = mine.filter((d) => typeof d.shiftId === 'string' && ids.has(d.shiftId));
    const scopeSales = inShift.filter((d) => d.type === 'sale') as unknown as Sale[];
    const closes = inShift.filter((d) => d.type === 'shiftclose') as unknown as ShiftClose[];
    const now: ZFigures = {
      ...registerFigures({
        shifts,
        sales: scopeSales,
        voids: scopeSales.flatMap((s) => (index.byId.get('void:' + s._id) as unknown as Void | undefined) ?? []),
        returns: inShift.filter((d) => d.type === 'return') as unknown as Return[],
        cashMovements: inShift.filter((d) => d.type === 'cash') as unknown as CashMovement[],
      }),
      countedCash: 0 as ZFigures['countedCash'],
      variance: 0 as ZFigures['variance'],
    };
    now.countedCash = closes.reduce((a, c) => a + c.countedCash, 0) as ZFigures['countedCash'];
    now.variance = closes.reduce((a, c) => a + c.variance, 0) as ZFigures['variance'];
    const zs = encodeZ(written, 1);
    for (const [key, v] of zs) put(out, 'z', key, v.length, { ...v });
    const late = new Map<string, [string[], number[]]>();
    for (const [key, v] of encodeZ(now, 1)) late.set(JSON.stringify(key), [key, v.slice()]);
    for (const [key, v] of zs) {
      const cur = late.get(JSON.stringify(key)) ?? [key, new Array<number>(v.length).fill(0)];
      late.set(JSON.stringify(key), [key, cur[1].map((x, i) => x - (v[i] ?? 0))]);
    }
    const changed = [...late.values()].filter(([, v]) => v.some((x) => x !== 0));
    if (changed.length) {
      for (const [key, v] of changed) put(out, 'l', key, v.length, { ...v });
      put(out, 'l', ['v'], ZV_LEN, { [L.ZV.DAYS]: 1 });
    }
  }
  // Entries that sum to nothing are not figures.
  for (const m of out.values()) for (const [k, e] of m) if (e[1].every((x) => x === 0)) m.delete(k);
  return out;
}

/** The documents by store and by id. */
export interface Index {
  byStore: Map<string, Doc[]>;
  byId: Map<string, Doc>;
  products: Map<string, Product>;
  transfersFrom(storeId: string): Transfer[];
}

/** The documents of raw data by store and by id (what bruteDay reads). */
export function indexOf(data: RawData): Index {
  const byId = new Map<string, Doc>();
  for (const d of data.docs) byId.set(d._id, d);
  const byStore = new Map<string, Doc[]>();
  for (const d of byId.values()) {
    const s = String(d.storeId ?? '');
    const list = byStore.get(s) ?? [];
    list.push(d);
    byStore.set(s, list);
  }
  const transfers = [...byId.values()].filter((d) => d.type === 'transfer') as unknown as Transfer[];
  return { byStore, byId, products: new Map(data.products.map((p) => [p._id, p])), transfersFrom: (s) => transfers.filter((x) => x.fromStoreId === s) };
}

/** The reads of the reports, answered from the raw documents. */
export function bruteForceIO(data: RawData): ReportIO {
  const index = indexOf(data);
  const stores = Object.keys(data.timeZones).sort();
  const memo = new Map<string, Day>();
  const dayOf = (store: string, day: string) => {
    const k = store + '|' + day;
    let d = memo.get(k);
    if (!d) memo.set(k, (d = bruteDay(data, store, day, index)));
    return d;
  };
  /** Rows of `section` for `scopes` over a piece, each keyed at the piece's level, summed. */
  // No document is outside these days (a day's documents are within a day of their business date).
  const dates = data.docs.flatMap((d) => [d.businessDate, d.createdAt, d.closedAt].filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 10)));
  const minDay = addDays(dates.reduce((a, b) => (a < b ? a : b), '9999-12-31'), -2);
  const maxDay = addDays(dates.reduce((a, b) => (a > b ? a : b), '0000-01-01'), 2);
  /** A day's entries of a section, or of what the view derives from its c and dk (ct; dc, dp and dt: layout.ts DC; dka) and z (zv), computed here on its own as the oracle. */
  type Source = Section | 'ct' | 'dc' | 'dp' | 'dt' | 'dka' | 'zv';
  const entriesOf = (scope: string, d: string, section: Source): Iterable<[string[], number[]]> => {
    if (section === 'zv') {
      const head = [...(dayOf(scope, d).get('z')?.values() ?? [])].find(([key]) => key.length === 1 && key[0] === 'v');
      return head ? [[[], head[1]]] : [];
    }
    if (section === 'ct') {
      const sum: number[] = [];
      const cashiers = [...(dayOf(scope, d).get('c')?.values() ?? [])];
      for (const [, v] of cashiers) v.forEach((x, i) => (sum[i] = (sum[i] ?? 0) + x));
      return cashiers.length ? [[[], sum]] : [];
    }
    if (section === 'dka') {
      const by = new Map<string, [string[], number[]]>();
      for (const [key, v] of dayOf(scope, d).get('dk')?.values() ?? []) {
        const k = JSON.stringify([key[0], key[1]]);
        const cur = by.get(k) ?? [[key[0] ?? '', key[1] ?? ''], [0, 0]];
        cur[1] = [(cur[1][0] ?? 0) + (v[L.DK.COUNT] ?? 0), (cur[1][1] ?? 0) + (v[L.DK.AMOUNT] ?? 0)];
        by.set(k, cur);
      }
      return by.values();
    }
    if (section !== 'dc' && section !== 'dp' && section !== 'dt') return dayOf(scope, d).get(section)?.values() ?? [];
    const day = dayOf(scope, d);
    const by = new Map<string, number[]>();
    const add = (cashier: string, i: number, n: number) => {
      const id = section === 'dt' ? '' : cashier;
      const v = by.get(id) ?? [0, 0, 0];
      v[i] = (v[i] ?? 0) + n;
      by.set(id, v);
    };
    for (const [key, v] of day.get('c')?.values() ?? []) add(key[0] ?? '', L.DC.GROSS, v[L.C.GROSS] ?? 0);
    for (const [key, v] of day.get('dk')?.values() ?? []) {
      add(key[2] ?? '', L.DC.COUNT, v[L.DK.COUNT] ?? 0);
      add(key[2] ?? '', L.DC.AMOUNT, v[L.DK.AMOUNT] ?? 0);
    }
    return [...by].map(([id, v]) => [section === 'dt' ? [] : [id], v]);
  };
  const piece = (section: Source, scopes: readonly string[], level: Level, from: string, to: string, keyOf: (scope: string, period: string, key: string[]) => Omit<Row, 'value'> | null): Row[] => {
    const sums = new Map<string, Row>();
    const first = periodDays(from).from > minDay ? periodDays(from).from : minDay;
    const last = periodDays(to).to < maxDay ? periodDays(to).to : maxDay;
    for (let d = first; d <= last; d = addDays(d, 1)) {
      const period = periodAt(level, d);
      for (const scope of scopes) {
        for (const [key, v] of entriesOf(scope, d, section)) {
          const r = keyOf(scope, period, key);
          if (!r) continue;
          const k = JSON.stringify([r.section, r.scope, r.level, r.period, r.dims]);
          const cur = sums.get(k) ?? { ...r, value: new Array<number>(v.length).fill(0) };
          cur.value = cur.value.map((x, i) => x + (v[i] ?? 0));
          sums.set(k, cur);
        }
      }
    }
    return [...sums.values()];
  };
  const read = (f: Fetch): Row[] => {
    switch (f.kind) {
      case 'view': {
        const scopes = f.scope === CHAIN ? stores : [f.scope];
        return piece(f.section, scopes, f.level, f.from, f.to, (_s, period, key) => ({ section: f.section, scope: f.scope, level: f.level, period, dims: key }));
      }
      case 'ts':
        return piece('t', stores, f.level, f.from, f.to, (scope, period) => ({ section: 'ts', scope, level: f.level, period, dims: [] }));
      case 'first': {
        // The section the view keys by id first: products, departments, cashiers, a cashier's discounts (in
        // total, and by kind and approval: `kc`, the discounts whose cashier, key[2], is the id).
        const scopes = f.scope === CHAIN ? stores : [f.scope];
        if (f.section === 'kc') {
          return piece('dk', scopes, f.level, f.from, f.to, (_s, period, key) => ((key[2] || '') === f.id ? { section: 'kc', scope: f.scope, level: f.level, period, dims: [key[0] ?? '', key[1] ?? ''] } : null));
        }
        const source = ({ pp: 'p', dd: 'd', cc: 'c', dc: 'dc' } as const)[f.section];
        return piece(source, scopes, f.level, f.from, f.to, (_s, period, key) => (key[0] === f.id ? { section: f.section, scope: f.scope, level: f.level, period, dims: [f.id] } : null));
      }
      case 'docs':
        return f.ids.flatMap((id) => {
          const r = parseRollupId(id);
          if (!r) return [];
          return f.sections.flatMap((section) => piece(section, [r.scope], 'd', r.period, r.period, (scope, period, key) => ({ section, scope, level: 'd', period, dims: key })));
        });
    }
  };
  const docsOf = <T>(type: string, pred: (d: T) => boolean = () => true) => [...index.byId.values()].filter((d) => d.type === type).map((d) => d as unknown as T).filter(pred);
  return {
    rows: async (fetches) => fetches.map(read),
    async products(ids) {
      const out: Record<string, ProductInfo> = {};
      for (const id of ids) {
        const p = index.products.get(id);
        if (p) out[id] = { sku: p.sku, name: p.name, departmentId: p.departmentId, cost: typeof p.cost === 'number' ? p.cost : null, price: p.price };
      }
      return out;
    },
    async departments() {
      const out: Record<string, DeptInfo> = {};
      for (const d of data.departments) out[d._id] = { name: d.name, parentId: d.parentId };
      return out;
    },
    taxRates: async () => Object.fromEntries(data.taxRates.map((r) => [r._id, { code: r.code, name: r.name }])),
    salesReps: async () => Object.fromEntries(data.salesReps.map((r) => [r._id, { name: r.name, commissionBp: r.commissionBp }])),
    people: async (ids) => Object.fromEntries(ids.flatMap((id) => (data.people[id] ? [[id, data.people[id]]] : []))),
    zreport: async (storeId, date) => docsOf<ZReport>('zreport', (z) => z.storeId === storeId && z.businessDate === date)[0] ?? null,
    async shiftDocs(storeId, shiftIds) {
      const closed = new Set(docsOf<ShiftClose>('shiftclose').map((c) => c.shiftId));
      const all = docsOf<Shift>('shift', (s) => s.storeId === storeId);
      const open = all.filter((s) => !closed.has(s._id)).map((s) => s._id);
      const shifts = all.filter((s) => (shiftIds ?? open).includes(s._id));
      if (shiftIds && shifts.length !== shiftIds.length) return null;
      const ids = new Set(shifts.map((s) => s._id));
      const of = <T>(type: string) => docsOf<T & { shiftId: string }>(type, (d) => ids.has(d.shiftId));
      const sales = of<Sale>('sale');
      return {
        shifts,
        sales,
        returns: of<Return>('return'),
        cashMovements: of<CashMovement>('cash'),
        closes: of<ShiftClose>('shiftclose'),
        voids: sales.flatMap((s) => (index.byId.get('void:' + s._id) as unknown as Void | undefined) ?? []),
        openShiftIds: shifts.filter((s) => open.includes(s._id)).map((s) => s._id),
      };
    },
  };
}
