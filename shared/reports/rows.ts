// The rows reports are assembled from, whichever way they were read: reduced rows of the report view
// (design-docs/reports/reports/views/rollup/map.js, whose emission `emitRollup` repeats, test-checked), or the
// entries of roll-up documents read directly (a store's partial months: its day documents do not emit their
// large sections). Pure.
import { C, CHAIN, DC, DC_LEN, DK, FIRST_KEYED, LARGE_SECTIONS, LEVELS, type Derived, type FirstKeyed, type Level, type Section } from './layout';
import type { RollupDoc } from './rollup';

/** One row: a section entry of a scope over a period (or, reduced, over the periods of a range). */
export interface Row {
  /** A roll-up section, or what the view derives from one (layout.ts Derived). */
  section: Section | Derived;
  scope: string;
  level: Level;
  period: string;
  dims: string[];
  value: number[];
}

/**
 * What the report view emits for a roll-up document. Keys: [section, scope, level, period, ...entry key];
 * a store's totals also as ['ts', level, period, store] (every store of a period in one key range); keyed by
 * an id first (one id over time in one key range): the chain's products ['pp', '*', productId, level, period],
 * departments ['dd', scope, departmentId, level, period] (store days too), cashiers ['cc', scope, cashierId,
 * level, period] and their discounts with the discounts' base ['dc', scope, cashierId, level, period] (layout.ts
 * DC), the latter also period first ['dp', scope, level, period, cashierId]; summed over cashiers: ['ct', scope,
 * level, period] (`c`) and ['dt', scope, level, period] (DC); the discounts (`dk`) summed over cashiers, ['dka',
 * scope, level, period, kind, approval], and of one cashier, ['kc', scope, cashierId, level, period, kind,
 * approval]; a Z's headline vector (`z` part `v`) alone as ['zv', scope, level, period]. A
 * store's day documents leave their large sections (products, departments, stock) out.
 */
export function emitRollup(doc: RollupDoc, emit: (key: unknown[], value: number[]) => void): void {
  const chain = doc.scope === CHAIN;
  const wide = chain || doc.level !== 'd';
  const dc = new Map<string, number[]>();
  const ct: number[] = [];
  const add = (id: string, i: number, n: number | undefined) => {
    let v = dc.get(id);
    if (!v) dc.set(id, (v = new Array<number>(DC_LEN).fill(0)));
    v[i] = (v[i] ?? 0) + (n ?? 0);
  };
  for (const name of Object.keys(doc.s) as Section[]) {
    const entries = doc.s[name] ?? [];
    if (name === 'd') for (const [key, value] of entries) emit(['dd', doc.scope, key[0], doc.level, doc.period], value);
    if (name === 'c') {
      for (const [key, value] of entries) {
        emit(['cc', doc.scope, key[0], doc.level, doc.period], value);
        for (let i = 0; i < value.length; i++) ct[i] = (ct[i] ?? 0) + (value[i] ?? 0);
        add(key[0] || '', DC.GROSS, value[C.GROSS]);
      }
      emit(['ct', doc.scope, doc.level, doc.period], ct);
    }
    if (name === 'dk') {
      const dka = new Map<string, number[]>();
      for (const [key, value] of entries) {
        add(key[2] || '', DC.COUNT, value[DK.COUNT]);
        add(key[2] || '', DC.AMOUNT, value[DK.AMOUNT]);
        emit(['kc', doc.scope, key[2] || '', doc.level, doc.period, key[0], key[1]], value);
        const k = JSON.stringify([key[0], key[1]]);
        const sum = dka.get(k) ?? [0, 0];
        sum[DK.COUNT] = (sum[DK.COUNT] ?? 0) + (value[DK.COUNT] || 0);
        sum[DK.AMOUNT] = (sum[DK.AMOUNT] ?? 0) + (value[DK.AMOUNT] || 0);
        dka.set(k, sum);
      }
      for (const k of [...dka.keys()].sort()) emit(['dka', doc.scope, doc.level, doc.period, ...(JSON.parse(k) as string[])], dka.get(k) as number[]);
    }
    if (!wide && LARGE_SECTIONS.includes(name)) continue;
    for (const [key, value] of entries) {
      emit([name, doc.scope, doc.level, doc.period, ...key], value);
      if (name === 'p' && chain) emit(['pp', doc.scope, key[0], doc.level, doc.period], value);
      if (name === 't' && !chain) emit(['ts', doc.level, doc.period, doc.scope], value);
      if (name === 'z' && key.length === 1 && key[0] === 'v') emit(['zv', doc.scope, doc.level, doc.period], value);
    }
  }
  if (dc.size === 0) return;
  const total = new Array<number>(DC_LEN).fill(0);
  for (const id of [...dc.keys()].sort()) {
    const v = dc.get(id) as number[];
    emit(['dc', doc.scope, id, doc.level, doc.period], v);
    emit(['dp', doc.scope, doc.level, doc.period, id], v);
    for (let i = 0; i < DC_LEN; i++) total[i] = (total[i] ?? 0) + (v[i] ?? 0);
  }
  emit(['dt', doc.scope, doc.level, doc.period], total);
}

/** Every entry of a roll-up document as rows (a direct read: large sections included). */
export function docRows(doc: RollupDoc, sections?: ReadonlySet<string>): Row[] {
  const out: Row[] = [];
  for (const name of Object.keys(doc.s) as Section[]) {
    if (sections && !sections.has(name)) continue;
    for (const [key, value] of doc.s[name] ?? []) out.push({ section: name, scope: doc.scope, level: doc.level, period: doc.period, dims: key, value });
  }
  return out;
}

/** A reduced view row (its key at full group level) as a Row, or null when the key is not the view's. */
export function viewRow(key: unknown, value: unknown): Row | null {
  if (!Array.isArray(key) || !Array.isArray(value) || !key.every((k) => typeof k === 'string')) return null;
  const k = key;
  const v = value as number[];
  if (k[0] === 'ts') {
    if (k.length !== 4 || !LEVELS.includes(k[1] as Level)) return null;
    return { section: 'ts', scope: k[3] as string, level: k[1] as Level, period: k[2] as string, dims: [], value: v };
  }
  if (k[0] === 'kc') {
    // One cashier's discounts: dims [kind, approval] as in `dka`.
    if (k.length !== 7 || !LEVELS.includes(k[3] as Level)) return null;
    return { section: 'kc', scope: k[1] as string, level: k[3] as Level, period: k[4] as string, dims: k.slice(5), value: v };
  }
  if ((FIRST_KEYED as readonly string[]).includes(k[0] as string)) {
    if (k.length !== 5 || !LEVELS.includes(k[3] as Level)) return null;
    return { section: k[0] as FirstKeyed, scope: k[1] as string, level: k[3] as Level, period: k[4] as string, dims: [k[2] as string], value: v };
  }
  if (k.length < 4 || !LEVELS.includes(k[2] as Level)) return null;
  return { section: k[0] as Section, scope: k[1] as string, level: k[2] as Level, period: k[3] as string, dims: k.slice(4), value: v };
}
