// Hooks every screen uses: the console's language, formatters bound to it, the clock for "5 s ago", and
// the text of an API error in the person's language.
import { useEffect, useState } from 'react';
import { useT } from '../i18n/useT';
import type { SerializedError } from '@reduxjs/toolkit';
import { useAppSelector } from '../app/hooks';
import type { ApiError } from '../api/types';
import type { Lang } from '../i18n';
import { errorMessage, isErrorCode } from '../../../../shared/api/errors';
import { formatBusinessDate, formatBytes, formatCount, formatDateTime, formatMinor, formatPercentBp, formatRelative, formatTime } from './format';

export function useLang(): Lang {
  return useAppSelector((s) => s.prefs.lang);
}

export function useFormat() {
  const lang = useLang();
  return {
    lang,
    money: (amount: number, currency: string) => formatMinor(amount, currency, lang),
    count: (n: number) => formatCount(n, lang),
    percentBp: (bp: number) => formatPercentBp(bp, lang),
    bytes: (n: number) => formatBytes(n, lang),
    dateTime: (iso: string, timeZone: string) => formatDateTime(iso, timeZone, lang),
    time: (iso: string, timeZone: string) => formatTime(iso, timeZone, lang),
    businessDate: (date: string) => formatBusinessDate(date, lang),
    relative: (iso: string, now: number) => formatRelative(iso, now, lang),
  };
}

/** The current time, ticking every `everyMs`, so relative times stay true between polls. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Codes whose reason names the field or record at fault: worth showing beside the general message. */
const SPECIFIC = new Set(['invalid_input', 'invalid_document', 'unknown_field', 'barcode_taken', 'invalid_barcode', 'unknown_reference']);

/**
 * An error from the API (or a thrown one) as a sentence in the person's language: the message of the one
 * error table (shared/api/errors.ts) for its code, HQ unreachable in the console's words.
 */
export function useErrorText(): (err: ApiError | SerializedError | undefined | null) => string {
  const t = useT();
  const lang = useLang();
  return (err) => {
    if (!err) return '';
    if ('status' in err && 'code' in err && typeof err.code === 'string') {
      if (err.status === null) return t('errors.network');
      if (isErrorCode(err.code)) return SPECIFIC.has(err.code) && err.reason ? `${errorMessage(err.code, lang)} (${err.reason})` : errorMessage(err.code, lang);
      return t('errors.unknown', { code: err.code, reason: err.reason });
    }
    return t('errors.unknown', { code: 'client', reason: (err as SerializedError).message ?? '' });
  };
}
