// A report request as the engine takes it, from the parsed query (shared/api/reports.ts ReportQuery): stores,
// a checked period (real calendar days, `from` <= `to`, at most 3 years, not after the store's today), the
// grouping, the filters in their id form. The same at HQ and at a relay. Pure: "today" is given. A period
// reaching past today is not refused: days not yet rung are empty.
import { apiError } from '../api/errors';
import { isCalendarDate } from '../api/parse';
import { MAX_REPORT_DAYS, MAX_REPORT_STORES, type ReportGroup, type ReportName, type ReportQueryInput } from '../api/reports';
import { dayCount } from './periods';

export interface ReportRequest {
  name: ReportName;
  /** Store codes, or null for the whole chain. */
  stores: string[] | null;
  from: string;
  to: string;
  group: ReportGroup;
  department: string | null;
  cashier: string | null;
  product: string | null;
  shift: string | null;
  limit: number;
  lang: 'en' | 'es';
  now: Date;
}

const DEFAULT_LIMIT = 100;

function idOf(prefix: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  return value.startsWith(prefix + ':') ? value : prefix + ':' + value;
}

function date(value: string | undefined, fallback: string, field: string): string {
  const d = value ?? fallback;
  if (!isCalendarDate(d)) throw apiError('invalid_business_date', `${field}: ${d} is not a calendar day (YYYY-MM-DD)`, { field });
  return d;
}

/**
 * Checks a report query. `today` (the dates' default) is the business date of the stores asked for; `fixedStore` is
 * the one store a relay answers for (a request naming another is refused).
 */
export function reportRequest(name: ReportName, q: ReportQueryInput, today: string, now: Date, fixedStore?: string): ReportRequest {
  let stores = q.store ? [...new Set(q.store.split(','))].sort() : null;
  if (stores && stores.length > MAX_REPORT_STORES) {
    throw apiError('invalid_input', `store: at most ${MAX_REPORT_STORES} stores (leave it out for the whole chain)`, { field: 'store' });
  }
  if (fixedStore) {
    if (stores && (stores.length !== 1 || stores[0] !== fixedStore)) throw apiError('store_not_found', `store: this relay reports for ${fixedStore} only`, { field: 'store' });
    stores = [fixedStore];
  }
  const from = date(q.from, today, 'from');
  // A Z is of one day: `to` defaults to `from`.
  const to = date(q.to, name === 'z' ? from : today, 'to');
  if (from > to) throw apiError('invalid_period', `from (${from}) is after to (${to})`, { field: 'from' });
  if (name === 'z' && to !== from) throw apiError('invalid_period', 'a Z is of one day: give from (and to equal to it, or nothing)', { field: 'to' });
  if (dayCount(from, to) > MAX_REPORT_DAYS) throw apiError('period_too_long', `from ${from} to ${to} is longer than ${MAX_REPORT_DAYS} days`, { field: 'to' });
  if (name === 'x' && (!stores || stores.length !== 1)) throw apiError('store_required', 'store: the X report is of one store', { field: 'store' });
  return {
    name,
    stores,
    from,
    to,
    group: q.group ?? 'day',
    department: idOf('department', q.department),
    cashier: q.cashier ?? null,
    product: idOf('product', q.product),
    shift: q.shift ?? null,
    limit: Math.min(5000, Number(q.limit ?? DEFAULT_LIMIT)),
    lang: q.lang ?? 'en',
    now,
  };
}
