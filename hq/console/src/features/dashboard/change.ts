// How a figure moved against the same weekday last week, and the orders of the per-store table: pure, so
// the cards, the table and the tests agree on one reading.
import type { Lang } from '../../i18n';
import { intlLocale } from '../../lib/format';
import type { StoreRow } from './dashboardApi';

/** `up`/`down` with the ratio of the change; `new` when last week had none; `same` when both are equal. */
export type Change = { kind: 'up' | 'down'; ratio: number } | { kind: 'new' } | { kind: 'same' };

export function changeOf(now: number, before: number): Change {
  if (now === before) return { kind: 'same' };
  if (before === 0) return { kind: 'new' };
  const ratio = (now - before) / Math.abs(before);
  return { kind: ratio > 0 ? 'up' : 'down', ratio };
}

/** Whether more is good news (revenue), bad news (voids, returns) or neither (tax, discounts). */
export type Better = 'more' | 'less' | 'neither';

/** The colour of a change: green for good news, red for bad, grey otherwise. */
export function changeColor(change: Change, better: Better): string {
  if (better === 'neither' || change.kind === 'same') return 'gray';
  const good = change.kind === 'new' || change.kind === 'up' ? better === 'more' : better === 'less';
  return good ? 'teal' : 'red';
}

/** A ratio as a percentage, signed (+12.5 %, −3 %) or, for a sentence that says up or down, not. */
export function formatRatio(ratio: number, lang: Lang, signed = true): string {
  return new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: 1, signDisplay: signed ? 'exceptZero' : 'never' }).format(ratio);
}

export type SortKey = 'store' | 'revenue' | 'lastWeek' | 'change' | 'sales';
export type Sort = { key: SortKey; desc: boolean };

/** The change used to order stores: a store that sold only this week first, one without sales in either last. */
function changeRank(r: StoreRow): number {
  const c = changeOf(r.day.revenue, r.lastWeek.revenue);
  return c.kind === 'new' ? Number.POSITIVE_INFINITY : c.kind === 'same' ? 0 : c.ratio;
}

const VALUE: Record<Exclude<SortKey, 'store'>, (r: StoreRow) => number> = {
  revenue: (r) => r.day.revenue,
  lastWeek: (r) => r.lastWeek.revenue,
  change: changeRank,
  sales: (r) => r.day.salesCount,
};

/** Stores in the table's order; ties by store code, so the order is stable between polls. */
export function sortStores(rows: readonly StoreRow[], sort: Sort): StoreRow[] {
  const byCode = (a: StoreRow, b: StoreRow) => a.code.localeCompare(b.code);
  const key = sort.key;
  const cmp =
    key === 'store'
      ? byCode
      : (a: StoreRow, b: StoreRow) => {
          const va = VALUE[key](a);
          const vb = VALUE[key](b);
          return va === vb ? 0 : va < vb ? -1 : 1;
        };
  return [...rows].sort((a, b) => (sort.desc ? cmp(b, a) : cmp(a, b)) || byCode(a, b));
}
