// Product search at the till, in memory over the LocalCatalog: by barcode or SKU exactly, else by words of the
// English or Spanish name (accents ignored, every word must match the start of a word of the name or the SKU).
// A linear scan of 100k products with precomputed keys takes a few milliseconds, well inside a keystroke.
import type { Department, Product } from '../../../../shared/model/types';
import type { LocalCatalog } from '../checkout/localCatalog';

const keys = new WeakMap<Product, string>();

/** Lower case, no accents: "Jalapeño" and "jalapeno" are the same word to a cashier. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function keyOf(p: Product): string {
  let k = keys.get(p);
  if (k === undefined) {
    k = ` ${fold(`${p.name.en} ${p.name.es} ${p.sku}`)}`.replace(/[^a-z0-9]+/g, ' ');
    keys.set(p, k);
  }
  return k;
}

/** Products matching `query` (active first, then by name in `lang`), at most `limit`. */
export function searchProducts(index: LocalCatalog, query: string, lang: 'en' | 'es', limit = 40): Product[] {
  const q = query.trim();
  if (!q) return [];
  const exact = index.lookup(q)?.product ?? index.lookupSku(q)?.product ?? index.lookupSku(q.toUpperCase())?.product;
  const words = fold(q).split(/[^a-z0-9]+/).filter(Boolean).map((w) => ` ${w}`);
  const out: Product[] = exact ? [exact] : [];
  if (words.length === 0) return out;
  for (const p of index.products()) {
    if (p === exact) continue;
    const k = keyOf(p);
    if (words.every((w) => k.includes(w))) {
      out.push(p);
      if (out.length >= limit * 4) break; // enough to sort and cut; a vague query should not scan everything
    }
  }
  const head = exact ? out.slice(0, 1) : [];
  const rest = (exact ? out.slice(1) : out).sort((a, b) => Number(b.active) - Number(a.active) || a.name[lang].localeCompare(b.name[lang], lang));
  return [...head, ...rest].slice(0, limit);
}

/** The ids of a department and every department under it. */
export function departmentAndBelow(departments: readonly Department[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of departments) {
      if (d.parentId && out.has(d.parentId) && !out.has(d._id)) {
        out.add(d._id);
        grew = true;
      }
    }
  }
  return out;
}

/** Active products of a department (and the departments under it), by name, at most `limit`. */
export function productsInDepartment(index: LocalCatalog, departments: readonly Department[], id: string, lang: 'en' | 'es', limit = 60): Product[] {
  const ids = departmentAndBelow(departments, id);
  const out: Product[] = [];
  for (const p of index.products()) {
    if (p.active && ids.has(p.departmentId)) out.push(p);
  }
  return out.sort((a, b) => a.name[lang].localeCompare(b.name[lang], lang)).slice(0, limit);
}
