// How every console request reaches HQ: `/api/v1` on the same origin, the access token as a bearer, and
// the API's `{error, reason}` turned into one ApiError shape. An expired access token is renewed once with
// the refresh token and the request retried; refresh tokens work once (rotation), so concurrent requests
// that all see a 401 share a single refresh instead of racing to spend the same token.
import { fetchBaseQuery } from '@reduxjs/toolkit/query/react';
import type { BaseQueryFn, FetchArgs, FetchBaseQueryError } from '@reduxjs/toolkit/query/react';
import { createClient } from '../../../../shared/api/client';
import { ApiError as HqRefusal } from '../../../../shared/api/errors';
import type { HqApi } from '../../../../shared/api/routes';
import type { ApiError } from './types';
import type { SessionState } from '../features/session/sessionSlice';
import { sessionExpired, sessionFrom, sessionRefreshed } from '../features/session/sessionSlice';

export const API_BASE = '/api/v1';

/** The typed client (shared/api/client.ts) on this origin (relative URLs), for calls made outside an endpoint (the refresh). */
const hqClient = createClient<HqApi>('', { fetch: (url, init) => fetch(url, init) });

type WithSession = { session: SessionState };
type Dispatch = (action: { type: string; payload?: unknown }) => unknown;

const raw = fetchBaseQuery({
  baseUrl: API_BASE,
  prepareHeaders: (headers, { getState }) => {
    const token = (getState() as WithSession).session.current?.accessToken;
    if (token) headers.set('authorization', `Bearer ${token}`);
    return headers;
  },
});

/** The API's error body, or a stand-in when HQ was not reached or did not answer JSON. */
export function toApiError(err: FetchBaseQueryError): ApiError {
  if (typeof err.status === 'number') {
    const body = (err.data ?? {}) as { error?: unknown; reason?: unknown; details?: unknown };
    return {
      status: err.status,
      code: typeof body.error === 'string' ? body.error : `http_${err.status}`,
      reason: typeof body.reason === 'string' ? body.reason : '',
      ...(body.details && typeof body.details === 'object' ? { details: body.details as Record<string, unknown> } : {}),
    };
  }
  return { status: null, code: 'network', reason: 'error' in err ? String(err.error) : '' };
}

let refreshing: Promise<boolean> | null = null;

/**
 * Renews the session with its refresh token; resolves false (and ends the session) when HQ refuses it.
 * A network failure keeps the session: the next request tries again.
 */
export function refreshSession(dispatch: Dispatch, getState: () => unknown): Promise<boolean> {
  refreshing ??= (async () => {
    const current = (getState() as WithSession).session.current;
    if (!current) return false;
    try {
      const { body } = await hqClient.send('POST /api/v1/auth/refresh', { body: { refreshToken: current.refreshToken } });
      dispatch(sessionRefreshed(sessionFrom(current.username, body, Date.now())));
      return true;
    } catch (err) {
      // HQ refused the refresh token (used, expired, user gone): the session is over. A network failure keeps it.
      if (err instanceof HqRefusal && err.status === 401) dispatch(sessionExpired());
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export const baseQuery: BaseQueryFn<string | FetchArgs, unknown, ApiError> = async (args, api, extra) => {
  const url = typeof args === 'string' ? args : args.url;
  let result = await raw(args, api, extra);
  const hadSession = Boolean((api.getState() as WithSession).session.current);
  if (result.error?.status === 401 && hadSession && url !== '/auth/login' && url !== '/auth/refresh') {
    if (await refreshSession(api.dispatch, api.getState)) result = await raw(args, api, extra);
  }
  if (result.error) return { error: toApiError(result.error), ...(result.meta ? { meta: result.meta } : {}) };
  return { data: result.data, ...(result.meta ? { meta: result.meta } : {}) };
};
