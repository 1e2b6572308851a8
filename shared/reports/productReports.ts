// The product and stock reports: product performance (ranking, slow movers), department sales (the tree rolled
// up), profit margin, inventory value and inventory turnover. Sales figures come from the roll-ups (cost as
// known when each day was rolled up); stock is the sum of every stock change up to a day, valued at the
// catalog's current cost and price (a product without a cost is valued at 0 and counted apart). Pure.
import type {
  DepartmentNode, DepartmentSales, InventoryFigures, InventoryProductRow, InventoryTurnover, InventoryValue, MarginFigures,
  ProductPerformance, ProductRow, ProfitMargin, SlowMover, TurnoverFigures,
} from '../api/reports';
import { P, P_LEN, T_LEN, type Level } from './layout';
import {
  NO_INVENTORY, addArrays, addInventory, addTurnover, inventoryFigures, marginFigures, productFigures, totalsAsProduct,
  turnoverFigures, zeros,
} from './figures';
import { cmp, load, metaOf, need, seriesGrain, seriesOf, stockPeriods, sumBy, total, type ProductInfo, type ReportIO } from './engine';
import type { Need } from './plan';
import { addDays } from './periods';
import type { ReportRequest } from './request';
import type { Row } from './rows';
import { departmentTree, subtree, type DeptInfo } from './tree';

const at = (v: readonly number[], i: number) => v[i] ?? 0;
const SLOW_MOVERS = 50;
/** Departments a filtered series reads one key range each (more read the whole department section). */
const DEPT_RANGES = 24;
const isZero = (v: readonly number[]) => v.every((x) => x === 0);

/** What a report keeps of product rows (`p`: dims [productId, departmentId]) under the request's filters. */
function productFilter(req: ReportRequest, inDept: Set<string> | null): (r: Row) => boolean {
  return (r) => (req.product === null || r.dims[0] === req.product) && (inDept === null || inDept.has(r.dims[1] ?? ''));
}

/** The series need of a request that may filter by product or department, and what it keeps, in the `p` layout. */
function filteredSeries(req: ReportRequest, inDept: Set<string> | null, grain: Level): { need: Need; keep: (r: Row) => boolean; asProduct: (v: number[]) => number[] } {
  if (req.product !== null) {
    // The chain's products are keyed product first too, so one product's days are one key range.
    if (req.stores === null) return { need: need(req, 'pp', req, grain, [req.product]), keep: () => true, asProduct: (v) => v };
    return { need: need(req, 'p', req, grain), keep: (r) => r.dims[0] === req.product, asProduct: (v) => v };
  }
  if (inDept !== null) {
    // A few departments: each one's days are one key range (`dd`); a big subtree reads every department's rows.
    if (inDept.size <= DEPT_RANGES) return { need: need(req, 'dd', req, grain, [...inDept].sort()), keep: () => true, asProduct: (v) => v };
    return { need: need(req, 'd', req, grain), keep: (r) => inDept.has(r.dims[0] ?? ''), asProduct: (v) => v };
  }
  return { need: need(req, 't', req, grain), keep: () => true, asProduct: totalsAsProduct };
}

function ranked(sums: Map<string, number[]>): [string, number[]][] {
  return [...sums.entries()].sort(([a, x], [b, y]) => productFigures(y).netSales - productFigures(x).netSales || cmp(a, b));
}

async function departmentsFor(req: ReportRequest, io: ReportIO): Promise<{ depts: Record<string, DeptInfo>; inDept: Set<string> | null }> {
  const depts = await io.departments();
  return { depts, inDept: req.department ? subtree(req.department, depts) : null };
}

/** Products on hand (rows of `k`) with a positive quantity, summed per product. */
function onHand(rows: readonly Row[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, v] of sumBy(rows, (r) => r.dims[0] ?? null)) out.set(id, at(v, 0));
  return out;
}

export async function productPerformance(req: ReportRequest, io: ReportIO): Promise<ProductPerformance> {
  const meta = metaOf(req);
  const { inDept } = await departmentsFor(req, io);
  const keep = productFilter(req, inDept);
  const s = filteredSeries(req, inDept, seriesGrain(req));
  const [cur = [], prev = [], series = [], stock = []] = await load(io, [need(req, 'p', req), need(req, 'p', meta.previous), s.need, need(req, 'k', { from: '1970-01-01', to: req.to })]);
  const a = sumBy(cur, (r) => (keep(r) ? (r.dims[0] ?? null) : null));
  const b = sumBy(prev, (r) => (keep(r) ? (r.dims[0] ?? null) : null));
  const deptOfRow = new Map<string, string>();
  for (const r of cur) if (keep(r)) deptOfRow.set(r.dims[0] ?? '', r.dims[1] ?? '');
  const order = ranked(a);
  const prevRank = new Map(ranked(b).map(([id], i) => [id, i + 1]));
  const top = order.slice(0, req.limit);

  // Slow movers: on hand at the end of the period, least sold first; with a department filter the catalog
  // says which department a product is in now, read in chunks until enough are found.
  const stocked = [...onHand(stock)].filter(([id, q]) => q > 0 && (req.product === null || id === req.product));
  const sold = (id: string) => at(a.get(id) ?? zeros(P_LEN), P.QTY_MILLI);
  stocked.sort(([x, qx], [y, qy]) => sold(x) - sold(y) || qy - qx || cmp(x, y));
  const slow: Array<[string, number]> = [];
  const info: Record<string, ProductInfo> = await io.products(top.map(([id]) => id));
  for (let i = 0; i < stocked.length && slow.length < SLOW_MOVERS; i += 500) {
    const chunk = stocked.slice(i, i + 500);
    if (inDept !== null || i === 0) Object.assign(info, await io.products(chunk.map(([id]) => id)));
    for (const [id, q] of chunk) {
      if (slow.length >= SLOW_MOVERS) break;
      if (inDept === null || inDept.has(info[id]?.departmentId ?? '')) slow.push([id, q]);
    }
    if (inDept === null) break;
  }
  const label = (id: string) => ({ sku: info[id]?.sku ?? id.replace(/^product:/, ''), name: info[id]?.name ?? { en: id, es: id } });
  const products: ProductRow[] = top.map(([productId, v], i) => ({
    rank: i + 1,
    productId,
    ...label(productId),
    departmentId: info[productId]?.departmentId ?? deptOfRow.get(productId) ?? '',
    figures: productFigures(v),
    previous: productFigures(b.get(productId)),
    previousRank: prevRank.get(productId) ?? null,
  }));
  const slowMovers: SlowMover[] = slow.map(([productId, stockMilli]) => ({ productId, ...label(productId), departmentId: info[productId]?.departmentId ?? '', stockMilli, soldMilli: sold(productId) }));
  return {
    report: 'product-performance',
    ...meta,
    count: a.size,
    products,
    totals: productFigures(total(cur, P_LEN, keep)),
    previousTotals: productFigures(total(prev, P_LEN, keep)),
    slowMovers,
    series: seriesOf(series, req, req.group, s.need.section === 't' ? T_LEN : P_LEN, (v) => productFigures(s.asProduct(v)), s.keep),
  };
}

/** A department tree of raw vectors, turned into figures. */
function vectorTree<F>(depts: Record<string, DeptInfo>, own: Map<string, number[]>, prev: Map<string, number[]>, len: number, root: string | null, figures: (v: number[]) => F): DepartmentNode<F>[] {
  return departmentTree<number[]>({ depts, own, prev, zero: () => zeros(len), add: addArrays, isEmpty: isZero, root }).map((n) => ({
    ...n,
    own: figures(n.own),
    total: figures(n.total),
    previousTotal: figures(n.previousTotal),
  }));
}

export async function departmentSales(req: ReportRequest, io: ReportIO): Promise<DepartmentSales> {
  const meta = metaOf(req);
  const { depts, inDept } = await departmentsFor(req, io);
  const keep = (r: Row) => inDept === null || inDept.has(r.dims[0] ?? '');
  const [cur = [], prev = []] = await load(io, [need(req, 'd', req), need(req, 'd', meta.previous)]);
  const a = sumBy(cur, (r) => (keep(r) ? (r.dims[0] ?? '') : null));
  const b = sumBy(prev, (r) => (keep(r) ? (r.dims[0] ?? '') : null));
  return {
    report: 'department-sales',
    ...meta,
    departments: vectorTree(depts, a, b, P_LEN, req.department, productFigures),
    totals: productFigures(total(cur, P_LEN, keep)),
    previousTotals: productFigures(total(prev, P_LEN, keep)),
  };
}

export async function profitMargin(req: ReportRequest, io: ReportIO): Promise<ProfitMargin> {
  const meta = metaOf(req);
  const grain = seriesGrain(req);
  const { depts, inDept } = await departmentsFor(req, io);
  const s = filteredSeries(req, inDept, grain);
  const prevNeed: Need = { ...s.need, from: meta.previous.from, to: meta.previous.to };
  // The tree: departments' own figures, or with a product filter that product's rows under its department.
  const treeSection = req.product !== null ? 'p' : 'd';
  const [series = [], prevSeries = [], cur = [], prev = []] = await load(io, [s.need, prevNeed, need(req, treeSection, req), need(req, treeSection, meta.previous)]);
  const treeKeep = req.product !== null ? productFilter(req, inDept) : (r: Row) => inDept === null || inDept.has(r.dims[0] ?? '');
  const deptOf = (r: Row) => (treeKeep(r) ? ((req.product !== null ? r.dims[1] : r.dims[0]) ?? '') : null);
  const len = s.need.section === 't' ? T_LEN : P_LEN;
  const margin = (v: number[]): MarginFigures => marginFigures(s.asProduct(v), 'p');
  return {
    report: 'profit-margin',
    ...meta,
    totals: margin(total(series, len, s.keep)),
    previousTotals: margin(total(prevSeries, len, s.keep)),
    series: seriesOf(series, req, req.group, len, margin, s.keep),
    previousSeries: seriesOf(prevSeries, meta.previous, req.group, len, margin, s.keep),
    departments: vectorTree(depts, sumBy(cur, deptOf), sumBy(prev, deptOf), P_LEN, req.department, (v) => marginFigures(v, 'p')),
  };
}

/** Stock per scope and product after each period of `periods` (cumulative), from the rows of each. */
function stockLevels(lists: readonly Row[][]): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  let running = new Map<string, number>();
  for (const rows of lists) {
    running = new Map(running);
    for (const r of rows) {
      const k = JSON.stringify([r.scope, r.dims[0] ?? '']);
      running.set(k, (running.get(k) ?? 0) + at(r.value, 0));
    }
    out.push(running);
  }
  return out;
}

/** Catalog facts of every product in some stock levels. */
async function productsOf(io: ReportIO, levels: readonly Map<string, number>[]): Promise<Record<string, ProductInfo>> {
  const ids = new Set<string>();
  for (const m of levels) for (const k of m.keys()) ids.add((JSON.parse(k) as [string, string])[1]);
  return io.products([...ids].sort(cmp));
}

/** Valued stock per product (summed over scopes) and per scope, under the filters. */
function valued(level: Map<string, number>, info: Record<string, ProductInfo>, keep: (productId: string, deptId: string) => boolean) {
  const byProduct = new Map<string, InventoryFigures>();
  const byScope = new Map<string, InventoryFigures>();
  for (const [k, qty] of level) {
    const [scope, productId] = JSON.parse(k) as [string, string];
    const p = info[productId];
    if (!keep(productId, p?.departmentId ?? '')) continue;
    const f = inventoryFigures(qty, p ? p.cost : null, p?.price ?? 0);
    byProduct.set(productId, addInventory(byProduct.get(productId) ?? NO_INVENTORY, f));
    byScope.set(scope, addInventory(byScope.get(scope) ?? NO_INVENTORY, f));
  }
  return { byProduct, byScope };
}

function byDept(values: Map<string, InventoryFigures>, info: Record<string, ProductInfo>): Map<string, InventoryFigures> {
  const out = new Map<string, InventoryFigures>();
  for (const [id, f] of values) {
    const d = info[id]?.departmentId ?? '';
    out.set(d, addInventory(out.get(d) ?? NO_INVENTORY, f));
  }
  return out;
}

const sumInventory = (m: Map<string, InventoryFigures>) => [...m.values()].reduce(addInventory, NO_INVENTORY);

export async function inventoryValue(req: ReportRequest, io: ReportIO): Promise<InventoryValue> {
  const meta = metaOf(req);
  const { depts, inDept } = await departmentsFor(req, io);
  const periods = stockPeriods([meta.previous.to, req.to]);
  const lists = await load(io, periods.map((p) => need(req, 'k', p)));
  const [prevLevel = new Map<string, number>(), curLevel = new Map<string, number>()] = stockLevels(lists);
  const info = await productsOf(io, [prevLevel, curLevel]);
  const keep = (productId: string, deptId: string) => (req.product === null || productId === req.product) && (inDept === null || inDept.has(deptId));
  const cur = valued(curLevel, info, keep);
  const prev = valued(prevLevel, info, keep);
  const filtered = req.product !== null || inDept !== null;
  const products: InventoryProductRow[] = filtered
    ? [...cur.byProduct.entries()]
        .sort(([a, x], [b, y]) => y.costValue - x.costValue || cmp(a, b))
        .slice(0, req.limit)
        .map(([productId, figures]) => ({
          productId,
          sku: info[productId]?.sku ?? productId.replace(/^product:/, ''),
          name: info[productId]?.name ?? { en: productId, es: productId },
          departmentId: info[productId]?.departmentId ?? '',
          figures,
          previous: prev.byProduct.get(productId) ?? NO_INVENTORY,
        }))
    : [];
  const stores = req.stores !== null && req.stores.length > 1 ? req.stores : null;
  return {
    report: 'inventory-value',
    ...meta,
    asOf: req.to,
    totals: sumInventory(cur.byProduct),
    previousTotals: sumInventory(prev.byProduct),
    departments: departmentTree<InventoryFigures>({
      depts,
      own: byDept(cur.byProduct, info),
      prev: byDept(prev.byProduct, info),
      zero: () => NO_INVENTORY,
      add: addInventory,
      isEmpty: (f) => f.qtyMilli === 0 && f.costValue === 0 && f.retailValue === 0,
      root: req.department,
    }),
    products,
    byStore: stores ? stores.map((storeId) => ({ storeId, figures: cur.byScope.get(storeId) ?? NO_INVENTORY, previous: prev.byScope.get(storeId) ?? NO_INVENTORY })) : null,
  };
}

export async function inventoryTurnover(req: ReportRequest, io: ReportIO): Promise<InventoryTurnover> {
  const meta = metaOf(req);
  const { depts, inDept } = await departmentsFor(req, io);
  const periods = stockPeriods([addDays(meta.previous.from, -1), meta.previous.to, req.to]);
  const cogsSection = req.product !== null ? 'p' : 'd';
  const lists = await load(io, [...periods.map((p) => need(req, 'k', p)), need(req, cogsSection, req), need(req, cogsSection, meta.previous)]);
  const [l0 = new Map<string, number>(), l1 = new Map<string, number>(), l2 = new Map<string, number>()] = stockLevels(lists.slice(0, 3));
  const info = await productsOf(io, [l0, l1, l2]);
  const keep = (productId: string, deptId: string) => (req.product === null || productId === req.product) && (inDept === null || inDept.has(deptId));
  const dept = (l: Map<string, number>) => {
    const out = new Map<string, number>();
    for (const [d, f] of byDept(valued(l, info, keep).byProduct, info)) out.set(d, f.costValue);
    return out;
  };
  const [v0, v1, v2] = [dept(l0), dept(l1), dept(l2)];
  const cogsKeep = req.product !== null ? productFilter(req, inDept) : (r: Row) => inDept === null || inDept.has(r.dims[0] ?? '');
  const cogsDept = (rows: readonly Row[]) => {
    const out = new Map<string, number>();
    for (const [d, v] of sumBy(rows, (r) => (cogsKeep(r) ? ((req.product !== null ? r.dims[1] : r.dims[0]) ?? '') : null))) out.set(d, at(v, P.COST) - at(v, P.RETURNED_COST));
    return out;
  };
  const c1 = cogsDept(lists[4] ?? []);
  const c0 = cogsDept(lists[5] ?? []);
  const ids = new Set([...v0.keys(), ...v1.keys(), ...v2.keys(), ...c0.keys(), ...c1.keys()]);
  const own = new Map<string, TurnoverFigures>();
  const prev = new Map<string, TurnoverFigures>();
  for (const d of ids) {
    own.set(d, turnoverFigures(c1.get(d) ?? 0, v1.get(d) ?? 0, v2.get(d) ?? 0));
    prev.set(d, turnoverFigures(c0.get(d) ?? 0, v0.get(d) ?? 0, v1.get(d) ?? 0));
  }
  const zero = () => turnoverFigures(0, 0, 0);
  const sum = (m: Map<string, TurnoverFigures>) => [...m.values()].reduce(addTurnover, zero());
  return {
    report: 'inventory-turnover',
    ...meta,
    totals: sum(own),
    previousTotals: sum(prev),
    departments: departmentTree<TurnoverFigures>({
      depts,
      own,
      prev,
      zero,
      add: addTurnover,
      isEmpty: (f) => f.cogs === 0 && f.openingValue === 0 && f.closingValue === 0,
      root: req.department,
    }),
  };
}
