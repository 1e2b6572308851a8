// A report page's filters and the URL query that holds them, so a page can be shared and reloaded: `store`
// (codes, comma-separated; none = the chain), `range` (a preset, resolved against the stores' today) or
// `from`/`to` (a custom range), `group`, `department`, `cashier`, `product`, `shift`. Presets are business days
// of the store's time zone; weeks start on Monday, as the API's weekly buckets do. Pure.
import type { ReportGroup, ReportName } from '../../../../../shared/api/reports';
import { PRESETS, REPORT_DEFS, type Preset, type ReportFilter } from './defs';

export interface ReportFilters {
  stores: string[];
  preset: Preset;
  from: string;
  to: string;
  group: ReportGroup;
  department: string | null;
  cashier: string | null;
  product: string | null;
  shift: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
function weekday(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

function lastOfMonth(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** The days a preset covers, for a store whose today is `today` (custom: today alone). */
export function presetRange(preset: Preset, today: string): { from: string; to: string } {
  switch (preset) {
    case 'yesterday': {
      const y = addDays(today, -1);
      return { from: y, to: y };
    }
    case 'thisWeek':
      return { from: addDays(today, -weekday(today)), to: today };
    case 'lastWeek': {
      const monday = addDays(today, -weekday(today) - 7);
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'thisMonth':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'lastMonth': {
      const last = addDays(`${today.slice(0, 7)}-01`, -1);
      return { from: `${last.slice(0, 7)}-01`, to: lastOfMonth(last) };
    }
    case 'thisYear':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case 'today':
    case 'custom':
      return { from: today, to: today };
  }
}

/** A real calendar day as YYYY-MM-DD (not 2026-02-30, which Date would roll into March). */
const isDate = (v: string | null): v is string => v !== null && DATE.test(v) && new Date(Date.parse(`${v}T00:00:00Z`) || 0).toISOString().slice(0, 10) === v;

/** The filters a URL query says, completed with the report's defaults. */
export function filtersFrom(name: ReportName, params: URLSearchParams, today: string): ReportFilters {
  const def = REPORT_DEFS[name];
  const stores = (params.get('store') ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => /^[A-Z0-9]{2,12}$/.test(s));
  const from = params.get('from');
  const to = params.get('to');
  const asked = params.get('range') as Preset | null;
  let preset: Preset = asked && PRESETS.includes(asked) && asked !== 'custom' ? asked : def.preset;
  let period = presetRange(preset, today);
  if (isDate(from) && (!asked || asked === 'custom')) {
    preset = 'custom';
    period = { from, to: def.period === 'day' ? from : isDate(to) && to >= from ? to : from };
  } else if (def.period === 'day' && period.from !== period.to) {
    period = { from: period.to, to: period.to };
  }
  const group = params.get('group');
  const text = (key: ReportFilter) => (def.filters.includes(key) ? params.get(key)?.trim() || null : null);
  return {
    stores: [...new Set(stores)].sort(),
    preset,
    ...period,
    group: def.group && (group === 'week' || group === 'month') ? group : 'day',
    department: text('department'),
    cashier: text('cashier'),
    product: text('product'),
    shift: text('shift'),
  };
}

/** The URL query of the filters (only what differs from a fresh page, so links stay short). */
export function searchOf(name: ReportName, f: ReportFilters): Record<string, string> {
  const def = REPORT_DEFS[name];
  const out: Record<string, string> = {};
  if (f.stores.length) out.store = f.stores.join(',');
  if (def.period !== 'now') {
    if (f.preset === 'custom') {
      out.from = f.from;
      if (def.period === 'range') out.to = f.to;
    } else if (f.preset !== def.preset) out.range = f.preset;
  }
  if (def.group && f.group !== 'day') out.group = f.group;
  for (const k of def.filters) if (f[k]) out[k] = f[k];
  return out;
}

/** The API query of the filters (shared/api/reports.ts ReportQuery). */
export function apiQueryOf(name: ReportName, f: ReportFilters): Record<string, string> {
  const def = REPORT_DEFS[name];
  const out: Record<string, string> = {};
  if (f.stores.length) out.store = f.stores.join(',');
  if (def.period === 'range') Object.assign(out, { from: f.from, to: f.to });
  if (def.period === 'day') out.from = f.from;
  if (def.group) out.group = f.group;
  for (const k of def.filters) if (f[k]) out[k] = f[k];
  return out;
}
