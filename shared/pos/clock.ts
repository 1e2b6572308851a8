// Calendar facts in the store's IANA time zone. Intl is pure (no clock read): `now` is always passed in, so a
// terminal and HQ given the same instant agree on the business date.

// One formatter per zone: building one costs far more than formatting with it (roll-ups ask per document).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    // Only zones that exist get here (an unknown one throws above): a chain has a handful.
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

/** The calendar fields (year, month, day, hour, minute, second) of an instant in a zone. */
export function zoneParts(now: Date | string, timeZone: string): Record<string, string> {
  const d = typeof now === 'string' ? new Date(now) : now;
  const fmt = formatter(timeZone);
  const out: Record<string, string> = {};
  for (const p of fmt.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** The business date (YYYY-MM-DD) of an instant in the store's time zone. */
export function businessDate(now: Date | string, timeZone: string): string {
  const p = zoneParts(now, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Local date and time (YYYY-MM-DD HH:mm) of an instant in the store's time zone, for receipts. */
export function localDateTime(now: Date | string, timeZone: string): string {
  const p = zoneParts(now, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Whole days from business date `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
