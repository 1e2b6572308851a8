// Calendar arithmetic of reports on business dates (YYYY-MM-DD, already in the store's zone): periods of a
// roll-up (a day `2025-03-14`, a month `2025-03`, a year `2025`), the previous period of equal length, the
// buckets a series is grouped in, and how a date range splits into the fewest roll-up documents (whole years,
// whole months, days at the edges). Pure: dates are computed in UTC on the calendar, never on a clock.
import { BLOCK_SIZES, LEVELS, MONTH_BLOCK_SIZES, type BlockLevel, type Level, type MonthBlockLevel } from './layout';

export type Group = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;

function toMs(date: string): number {
  return Date.parse(date + 'T00:00:00Z');
}

function fromMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The date `n` days after `date` (before, when negative). */
export function addDays(date: string, n: number): string {
  return fromMs(toMs(date) + n * DAY_MS);
}

/** Days from `from` to `to` inclusive (1 for a single day). */
export function dayCount(from: string, to: string): number {
  return Math.round((toMs(to) - toMs(from)) / DAY_MS) + 1;
}

/** 0 = Monday ... 6 = Sunday. */
export function weekday(date: string): number {
  return (new Date(toMs(date)).getUTCDay() + 6) % 7;
}

/** The last day of a month (`2024-02` -> `2024-02-29`). */
export function lastOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return fromMs(Date.UTC(y, m, 0));
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The level of a period string: a day, a month, a year, a block of days (`YYYY-MM-DD~N`) or of months (`YYYY-MM~mN`). */
export function levelOf(period: string): Level {
  const tilde = period.indexOf('~');
  if (tilde > 0) return period[tilde + 1] === 'm' ? (`mb${period.slice(tilde + 2)}` as MonthBlockLevel) : (`b${period.slice(tilde + 1)}` as BlockLevel);
  return period.length === 10 ? 'd' : period.length === 7 ? 'm' : 'y';
}

/** The number of days or months in a block level (`b4` -> 4, `mb8` -> 8), 0 for a day, a month or a year. */
export function blockSize(level: Level): number {
  return level.startsWith('mb') ? Number(level.slice(2)) : level.startsWith('b') ? Number(level.slice(1)) : 0;
}

/** The period of a level that holds a day: the day, its month, its year, or its block of days or of months. */
export function periodAt(level: Level, date: string): string {
  if (level === 'd') return date;
  if (level === 'm') return date.slice(0, 7);
  if (level === 'y') return date.slice(0, 4);
  const size = blockSize(level);
  if (level.startsWith('mb')) {
    const i = Number(date.slice(5, 7)) - 1;
    return `${date.slice(0, 5)}${String(i - (i % size) + 1).padStart(2, '0')}~m${size}`;
  }
  const i = Number(date.slice(8, 10)) - 1;
  return `${date.slice(0, 8)}${String(i - (i % size) + 1).padStart(2, '0')}~${size}`;
}

/**
 * Every block that holds one of these days (blocks of days) or months (blocks of months), one list per size,
 * smallest first: each block is the sum of two of the size before it, so the lists are written in order.
 */
export function blocksOf(periods: Iterable<string>): string[][] {
  const list = [...periods];
  const out: string[][] = [];
  for (const level of LEVELS) {
    const size = blockSize(level);
    if (size === 0) continue;
    const days = level.startsWith('b');
    const seen = new Set<string>();
    for (const p of list) if ((levelOf(p) === 'd') === days) seen.add(periodAt(level, days ? p : p + '-01'));
    if (seen.size) out.push([...seen].sort());
  }
  return out;
}

/** The two halves of a block (days or months for a block of two), those that start in its month or year. */
export function blockHalves(block: string): string[] {
  const { from, to } = periodDays(block);
  const level = levelOf(block);
  const size = blockSize(level);
  if (level.startsWith('mb')) {
    const first = from.slice(0, 7);
    let second = first;
    for (let i = 0; i < size / 2; i++) second = nextMonth(second);
    const half = (m: string) => (size === 2 ? m : `${m}~m${size / 2}`);
    return second + '-01' <= to ? [half(first), half(second)] : [half(first)];
  }
  const second = addDays(from, size / 2);
  const half = (d: string) => (size === 2 ? d : `${d}~${size / 2}`);
  return second <= to ? [half(from), half(second)] : [half(from)];
}

/** The periods one level down that make up this one (a month's days, a year's months). */
export function childPeriods(period: string): string[] {
  const out: string[] = [];
  if (levelOf(period) === 'm') {
    const last = lastOfMonth(period);
    for (let d = period + '-01'; d <= last; d = addDays(d, 1)) out.push(d);
  } else if (levelOf(period) === 'y') {
    for (let m = 1; m <= 12; m++) out.push(`${period}-${String(m).padStart(2, '0')}`);
  }
  return out;
}

/** The first and last day of a period. */
export function periodDays(period: string): { from: string; to: string } {
  const l = levelOf(period);
  if (l === 'd') return { from: period, to: period };
  if (l === 'm') return { from: period + '-01', to: lastOfMonth(period) };
  if (l === 'y') return { from: period + '-01-01', to: period + '-12-31' };
  if (l.startsWith('mb')) {
    let last = period.slice(0, 7);
    for (let i = 1; i < blockSize(l) && !last.endsWith('-12'); i++) last = nextMonth(last);
    return { from: period.slice(0, 7) + '-01', to: lastOfMonth(last) };
  }
  const from = period.slice(0, 10);
  const last = addDays(from, blockSize(l) - 1);
  const monthEnd = lastOfMonth(from.slice(0, 7));
  return { from, to: last < monthEnd ? last : monthEnd };
}

/** The period of equal length that ends the day before `from`. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const len = dayCount(from, to);
  const prevTo = addDays(from, -1);
  return { from: addDays(prevTo, -(len - 1)), to: prevTo };
}

/** The bucket a day falls in: the day, the Monday that starts its week, or its month. */
export function bucketOf(date: string, group: Group): string {
  if (group === 'day') return date;
  if (group === 'month') return date.slice(0, 7);
  let monday = mondays.get(date);
  if (monday === undefined) {
    if (mondays.size >= 20_000) mondays.clear();
    monday = addDays(date, -weekday(date));
    mondays.set(date, monday);
  }
  return monday;
}

/** The Monday of each day asked (a report groups thousands of day rows by week; a few years of days). */
const mondays = new Map<string, string>();

/** The buckets of a period in order (a partial first or last week or month is still one bucket). */
export function bucketsOf(from: string, to: string, group: Group): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const b = bucketOf(d, group);
    if (out[out.length - 1] !== b) out.push(b);
  }
  return out;
}

/** A run of consecutive periods of one level, `from`..`to` inclusive (periods of that level). */
export interface Piece {
  level: Level;
  from: string;
  to: string;
}

function push(out: Piece[], level: Level, period: string): void {
  const last = out[out.length - 1];
  if (last && last.level === level) last.to = period;
  else out.push({ level, from: period, to: period });
}

/**
 * The fewest roll-up periods covering `from`..`to`: days up to the first whole month, then whole months up to
 * the first whole year, whole years, whole months, and the days left. `finest` stops the split at a level: a
 * series grouped by day or week needs days, one grouped by month needs months (a year cannot be split).
 * With `blocks` (the chain's small sections), the days of a partial month are the largest aligned blocks that
 * fit (layout.ts BlockLevel), a day only where none does: at most five periods at either end of a range; and
 * with `finest` 'y', the whole months of a partial year are the largest month blocks that fit (MonthBlockLevel).
 */
export function decompose(from: string, to: string, finest: Level = 'y', blocks = false): Piece[] {
  const out: Piece[] = [];
  let d = from;
  while (d <= to) {
    const month = d.slice(0, 7);
    const monthEnd = lastOfMonth(month);
    const year = d.slice(0, 4);
    if (finest === 'y' && d.endsWith('-01-01') && year + '-12-31' <= to) {
      push(out, 'y', year);
      d = addDays(year + '-12-31', 1);
    } else if (finest !== 'd' && d.endsWith('-01') && monthEnd <= to) {
      const block = blocks && finest === 'y' ? fittingMonthBlock(month, to) : null;
      if (block) {
        push(out, levelOf(block), block);
        d = addDays(periodDays(block).to, 1);
      } else {
        push(out, 'm', month);
        d = nextMonth(month) + '-01';
      }
    } else {
      const block = blocks && finest !== 'd' ? fittingBlock(d, to) : null;
      if (block) {
        push(out, levelOf(block), block);
        d = addDays(periodDays(block).to, 1);
      } else {
        push(out, 'd', d);
        d = addDays(d, 1);
      }
    }
  }
  return out;
}

/** The largest month block that starts with `month` and ends by `to`, or null. */
function fittingMonthBlock(month: string, to: string): string | null {
  const i = Number(month.slice(5, 7)) - 1;
  for (const size of MONTH_BLOCK_SIZES) {
    if (i % size !== 0) continue;
    const block = `${month}~m${size}`;
    if (periodDays(block).to <= to) return block;
  }
  return null;
}

/** The largest block that starts on `date` and ends by `to`, or null. */
function fittingBlock(date: string, to: string): string | null {
  const i = Number(date.slice(8, 10)) - 1;
  for (const size of BLOCK_SIZES) {
    if (i % size !== 0) continue;
    const block = `${date}~${size}`;
    if (periodDays(block).to <= to) return block;
  }
  return null;
}
