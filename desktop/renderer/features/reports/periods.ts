// The date range presets of the report screens, as business days of the store (today is the store's today in
// its zone): today, yesterday, this week and last week (Monday to Sunday), this month, last month, or a custom
// range. And the change from the previous period in percent. Pure, over shared/reports/periods.ts's calendar.
import { addDays, lastOfMonth, weekday } from '../../../../shared/reports/periods';

export const PRESETS = ['today', 'yesterday', 'thisWeek', 'lastWeek', 'thisMonth', 'lastMonth', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export interface Range {
  from: string;
  to: string;
}

/** The days of a preset, given the store's today (YYYY-MM-DD); `custom` keeps the range given. */
export function presetRange(preset: Preset, today: string, custom: Range = { from: today, to: today }): Range {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const d = addDays(today, -1);
      return { from: d, to: d };
    }
    case 'thisWeek':
      return { from: addDays(today, -weekday(today)), to: today };
    case 'lastWeek': {
      const monday = addDays(today, -weekday(today) - 7);
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'thisMonth':
      return { from: today.slice(0, 8) + '01', to: today };
    case 'lastMonth': {
      const prev = addDays(today.slice(0, 8) + '01', -1).slice(0, 7);
      return { from: prev + '-01', to: lastOfMonth(prev) };
    }
    case 'custom':
      return custom;
  }
}

/**
 * The change from `previous` to `current` in percent with one decimal (12.3 for +12.3 %), or null when there
 * is nothing to compare with (a previous of 0).
 */
export function changePercent(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / Math.abs(previous)) * 1000) / 10;
}
