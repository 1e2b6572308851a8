// An error a cashier can hit, as data: a code that names a message in the error table of the i18n strings
// (`errors.<code>`) and the values the message needs. Typed errors from shared/pos and the checkout code
// (CommitError, ShiftActionError, CartError ...) are turned into this at the edge of each thunk.

export interface UiError {
  code: string;
  params?: Record<string, string | number>;
}

/** A typed error (`{code, ...}`) as a UiError: every primitive field becomes a message parameter. */
export function uiError(err: { code: string } & object): UiError {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(err)) {
    if (k !== 'code' && (typeof v === 'string' || typeof v === 'number')) params[k] = v;
  }
  return { code: err.code, params };
}

/** An unexpected failure (a bug, a full disk): shown with its message so support can act on it. */
export function unexpected(err: unknown): UiError {
  return { code: 'unexpected', params: { message: err instanceof Error ? err.message : String(err) } };
}
