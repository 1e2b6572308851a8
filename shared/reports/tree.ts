// The department tree of reports: departments in tree order (parents before children, siblings by code), each
// with its own figures and its subtree's rolled up, from the catalog's current tree. A department that is in
// the figures but no longer in the catalog (or a product without one) is shown as a root under its id, so
// nothing is lost from the totals. Pure.
import type { I18nText } from '../model/types';
import type { DepartmentNode } from '../api/reports';

/** What reports know of a department. */
export interface DeptInfo {
  name: I18nText;
  parentId: string | null;
}

const NONE: I18nText = { en: 'No department', es: 'Sin departamento' };

function nameOf(id: string, depts: Readonly<Record<string, DeptInfo>>): I18nText {
  return depts[id]?.name ?? (id ? { en: id, es: id } : NONE);
}

/** The ids of a department and all its descendants. */
export function subtree(root: string, depts: Readonly<Record<string, DeptInfo>>): Set<string> {
  const children = childMap(depts);
  const out = new Set<string>();
  const stack = [root];
  while (stack.length) {
    const id = stack.pop() as string;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

function childMap(depts: Readonly<Record<string, DeptInfo>>): Map<string | null, string[]> {
  const children = new Map<string | null, string[]>();
  for (const [id, d] of Object.entries(depts)) {
    // A parent missing from the catalog makes its child a root rather than hiding it.
    const parent = d.parentId && depts[d.parentId] ? d.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(id);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort();
  return children;
}

/**
 * The tree with figures: `own` maps a department to its figures (current period) and `prev` to the previous
 * period's; `zero` and `add` make the sums. `root` limits the tree to a subtree (kept even when empty).
 * Departments with no figures in either period are left out.
 */
export function departmentTree<F>(opts: {
  depts: Readonly<Record<string, DeptInfo>>;
  own: ReadonlyMap<string, F>;
  prev: ReadonlyMap<string, F>;
  zero: () => F;
  add: (a: F, b: F) => F;
  isEmpty: (f: F) => boolean;
  root?: string | null;
}): DepartmentNode<F>[] {
  const { depts, own, prev, zero, add } = opts;
  const all: Record<string, DeptInfo> = { ...depts };
  for (const id of [...own.keys(), ...prev.keys()]) if (!all[id]) all[id] = { name: nameOf(id, depts), parentId: null };
  const children = childMap(all);
  const out: DepartmentNode<F>[] = [];
  const walk = (id: string, depth: number): { total: F; prevTotal: F } => {
    const node: DepartmentNode<F> = { departmentId: id, name: nameOf(id, all), parentId: all[id]?.parentId ?? null, depth, own: own.get(id) ?? zero(), total: zero(), previousTotal: zero() };
    out.push(node);
    let total = node.own;
    let prevTotal = prev.get(id) ?? zero();
    for (const c of children.get(id) ?? []) {
      const sub = walk(c, depth + 1);
      total = add(total, sub.total);
      prevTotal = add(prevTotal, sub.prevTotal);
    }
    node.total = total;
    node.previousTotal = prevTotal;
    return { total, prevTotal };
  };
  const roots = opts.root ? [opts.root] : (children.get(null) ?? []);
  for (const r of roots) walk(r, 0);
  return opts.root === undefined || opts.root === null
    ? out.filter((n) => !(opts.isEmpty(n.total) && opts.isEmpty(n.previousTotal)))
    : out.filter((n) => n.departmentId === opts.root || !(opts.isEmpty(n.total) && opts.isEmpty(n.previousTotal)));
}
