// Numbers, money and dates as people read them, in the console's language. Money is integer minor units
// formatted by shared/money (one implementation everywhere); every date is shown in the time zone of the
// store it belongs to, never the browser's, so HQ in one zone reads a store's day as the store lived it.
import { formatMoney, money } from '../../../../shared/money';
import type { Lang } from '../i18n';

/** The Intl locale for a console language: the browser's own variant when it speaks it (es-ES, en-GB), else a default. */
export function intlLocale(lang: Lang, preferred: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages): string {
  const own = preferred.find((l) => l.toLowerCase().startsWith(`${lang}-`));
  return own ?? (lang === 'es' ? 'es-MX' : 'en-US');
}

/** How many minor units a currency has (MXN 2, JPY 0), from Intl's currency data. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function formatMinor(amount: number, currency: string, lang: Lang): string {
  return formatMoney(money(amount), currency, intlLocale(lang), minorDigits(currency));
}

export function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(intlLocale(lang)).format(n);
}

/** Basis points as a percentage (1600 -> 16%, 825 -> 8.25%). */
export function formatPercentBp(bp: number, lang: Lang): string {
  return new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10000);
}

export function formatBytes(n: number, lang: Lang): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(intlLocale(lang), { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/** Date and time of an instant in `timeZone`, with the zone's short name so the reader knows whose clock it is. */
export function formatDateTime(iso: string, timeZone: string, lang: Lang): string {
  // dateStyle/timeStyle cannot be combined with timeZoneName: spell the fields out.
  return new Intl.DateTimeFormat(intlLocale(lang), { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(new Date(iso));
}

/** Time of day of an instant in `timeZone`. */
export function formatTime(iso: string, timeZone: string, lang: Lang): string {
  return new Intl.DateTimeFormat(intlLocale(lang), { timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** A business date (YYYY-MM-DD, already the store's day) in words; read as a calendar day, not an instant. */
export function formatBusinessDate(date: string, lang: Lang): string {
  return new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

/** "5 seconds ago", "in 3 hours": how long from `now` to an instant. */
export function formatRelative(iso: string, now: number, lang: Lang): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(intlLocale(lang), { numeric: 'auto' });
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

/** How far `timeZone`'s clock is ahead of UTC at an instant, in milliseconds. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) begins in `timeZone`, as ISO UTC: a special's dates are the store's days. */
export function zonedDayStart(date: string, timeZone: string): string {
  const wall = Date.parse(`${date}T00:00:00.000Z`);
  // Twice: the offset at the first guess may differ from the offset at the answer across a DST change.
  const first = wall - zoneOffsetMs(wall, timeZone);
  return new Date(wall - zoneOffsetMs(first, timeZone)).toISOString();
}

/** The last millisecond of a calendar day in `timeZone`, as ISO UTC. */
export function zonedDayEnd(date: string, timeZone: string): string {
  const next = new Date(Date.parse(`${date}T12:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
  return new Date(Date.parse(zonedDayStart(next, timeZone)) - 1).toISOString();
}
