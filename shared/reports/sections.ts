// Roll-up sections as data: an entry is `[keyParts, values]` (layout.ts says what the values are), a section a
// sorted list of entries, and a roll-up the sections of one scope (a store, or the chain) over one period.
// Everything here adds element-wise, so the roll-up of a month is the sum of its days' roll-ups and the chain's
// the sum of its stores': the property the reports rest on (rollup.test.ts checks it). Pure.
import type { Section } from './layout';
import { SECTIONS } from './layout';

export type Entry = [string[], number[]];
export type Sections = Partial<Record<Section, Entry[]>>;

/** A mutable sum of sections, keyed by the JSON of each entry's key parts. */
export type Acc = Map<Section, Map<string, Entry>>;

export function newAcc(): Acc {
  return new Map();
}

function slot(acc: Acc, section: Section, key: string[], len: number): number[] {
  let m = acc.get(section);
  if (!m) {
    m = new Map();
    acc.set(section, m);
  }
  const k = JSON.stringify(key);
  let e = m.get(k);
  if (!e) {
    e = [key.slice(), new Array<number>(len).fill(0)];
    m.set(k, e);
  }
  // Documents written by an older layout are shorter: they sum as zeros in the new places.
  while (e[1].length < len) e[1].push(0);
  return e[1];
}

/** Adds `amount` at `index` of the entry `key` of `section` (values of length `len`). */
export function bump(acc: Acc, section: Section, key: string[], len: number, index: number, amount: number): void {
  if (amount === 0) {
    slot(acc, section, key, len);
    return;
  }
  const v = slot(acc, section, key, len);
  v[index] = (v[index] ?? 0) + amount;
}

/** Adds a whole value array to an entry. */
export function addValues(acc: Acc, section: Section, key: string[], values: readonly number[]): void {
  const v = slot(acc, section, key, values.length);
  for (let i = 0; i < values.length; i++) v[i] = (v[i] ?? 0) + (values[i] as number);
}

/** Adds every entry of `sections` (scaled by `sign`: -1 subtracts). */
export function addSections(acc: Acc, sections: Sections, sign: 1 | -1 = 1): void {
  for (const name of SECTIONS) {
    for (const [key, values] of sections[name] ?? []) addValues(acc, name, key, sign === 1 ? values : values.map((x) => -x));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The sections of a sum, in a canonical form: entries sorted by key, entries that are all zero left out (a
 * sale and its void leave nothing behind), so the same figures always make the same document.
 */
export function toSections(acc: Acc): Sections {
  const out: Sections = {};
  for (const name of SECTIONS) {
    const m = acc.get(name);
    if (!m) continue;
    const entries = [...m.entries()]
      .filter(([, e]) => e[1].some((x) => x !== 0))
      .sort(([a], [b]) => cmp(a, b))
      .map(([, e]): Entry => [e[0], e[1].map((x) => (x === 0 ? 0 : x))]);
    if (entries.length) out[name] = entries;
  }
  return out;
}

/** The sum of several roll-ups' sections. */
export function sumSections(list: readonly Sections[]): Sections {
  const acc = newAcc();
  for (const s of list) addSections(acc, s);
  return toSections(acc);
}

/** `a - b`, entry by entry (what changed). */
export function diffSections(a: Sections, b: Sections): Sections {
  const acc = newAcc();
  addSections(acc, a);
  addSections(acc, b, -1);
  return toSections(acc);
}

/** True when two roll-ups hold the same figures. */
export function sameSections(a: Sections, b: Sections): boolean {
  return JSON.stringify(toSections(accOf(a))) === JSON.stringify(toSections(accOf(b)));
}

function accOf(s: Sections): Acc {
  const acc = newAcc();
  addSections(acc, s);
  return acc;
}
