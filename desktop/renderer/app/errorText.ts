// The error table of the till's screens: every code a cashier can meet (from shared/pos, the checkout and register
// code, and the till itself) has a message in each language that says what happened and what to do next.
import { useTranslation } from 'react-i18next';
import { isPermission, permissionLabel } from '../../../shared/auth/permissions';
import { useFormat } from './format';
import type { UiError } from './uiError';

export const ERROR_CODES = [
  'approval_required', 'approval_pending', 'invalid_qty', 'unknown_line', 'invalid_discount', 'invalid_price', 'inactive_product',
  'no_open_shift', 'seq_exhausted', 'insufficient', 'over_tender', 'change_not_allowed', 'insufficient_balance', 'nothing_due',
  'missing_rate', 'missing_reference', 'invalid_amount', 'inactive_tender', 'negative_total', 'empty_cart', 'sale_not_found',
  'not_a_sale', 'different_day', 'day_closed', 'has_returns', 'wrong_store', 'empty', 'exceeds_sold', 'sale_voided',
  'refund_exceeds_paid', 'already_voided', 'exchange_incomplete', 'credit_account_required', 'already_open', 'already_closed',
  'missing_reason', 'invalid_count', 'unknown_barcode', 'cart_not_empty', 'unknown_tender', 'not_parked', 'invalid_parked',
  'printer_failed', 'unexpected',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

// Parameters that are amounts of money in minor units, shown in the store's currency.
const MONEY_PARAMS = new Set(['remaining', 'max', 'balance', 'due', 'paid', 'refundable', 'amount', 'total']);

function isKnown(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/** A function turning a UiError into the message in the current language. */
export function useErrorText(): (err: UiError) => string {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (err) => {
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(err.params ?? {})) {
      if (MONEY_PARAMS.has(k) && typeof v === 'number') params[k] = fmt.money(v);
      else if (k === 'action' && typeof v === 'string' && isPermission(v)) params[k] = permissionLabel(v, fmt.lang);
      else params[k] = v;
    }
    if (!isKnown(err.code)) return t('errors.unexpected', { message: err.code });
    // The key is typed (a code of the table); its variables come from the error at run time, so the typed
    // per-message interpolation check cannot apply to this one call.
    const byCode = t as unknown as (key: `errors.${ErrorCode}`, options: Record<string, string | number>) => string;
    return byCode(`errors.${err.code}`, params);
  };
}
