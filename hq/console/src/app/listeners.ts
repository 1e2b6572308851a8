// Side effects of events, kept out of reducers: the session is saved in this tab's sessionStorage (a reload
// keeps you signed in, closing the tab signs you out) and renewed a minute before its access token expires;
// signing out or in drops every cached answer, so nobody sees the previous person's data; the chosen
// language is applied to i18next and <html lang> and remembered in localStorage.
import { createListenerMiddleware, isAnyOf } from '@reduxjs/toolkit';
import { api } from '../api/api';
import { refreshSession } from '../api/baseQuery';
import { i18n } from '../i18n';
import { languageChosen } from '../features/prefs/prefsSlice';
import { sessionExpired, sessionRefreshed, sessionRestored, signedIn, signedOut } from '../features/session/sessionSlice';
import type { Session } from '../features/session/sessionSlice';
import type { AppDispatch, RootState } from './store';

export const SESSION_KEY = 'caja.hq.session';
export const LANG_KEY = 'caja.hq.lang';
/** Renew this long before the access token expires, so a request never goes out with an expired one. */
const REFRESH_MARGIN_MS = 60_000;

export const listener = createListenerMiddleware();
const startListening = listener.startListening.withTypes<RootState, AppDispatch>();

const sessionEvents = isAnyOf(signedIn, sessionRestored, sessionRefreshed, signedOut, sessionExpired);

startListening({
  matcher: sessionEvents,
  effect: (_action, { getState }) => {
    const current = getState().session.current;
    if (current) sessionStorage.setItem(SESSION_KEY, JSON.stringify(current));
    else sessionStorage.removeItem(SESSION_KEY);
  },
});

startListening({
  matcher: sessionEvents,
  effect: async (_action, { getState, dispatch, cancelActiveListeners, delay }) => {
    // Only the newest session's timer runs.
    cancelActiveListeners();
    const current = getState().session.current;
    if (!current) return;
    await delay(Math.max(0, current.expiresAt - REFRESH_MARGIN_MS - Date.now()));
    await refreshSession(dispatch, getState);
  },
});

startListening({
  matcher: isAnyOf(signedIn, signedOut, sessionExpired),
  effect: (_action, { dispatch }) => {
    dispatch(api.util.resetApiState());
  },
});

startListening({
  actionCreator: languageChosen,
  effect: async ({ payload }) => {
    document.documentElement.lang = payload;
    localStorage.setItem(LANG_KEY, payload);
    await i18n.changeLanguage(payload);
  },
});

/** The session this tab kept across a reload, if it is still well-formed. */
export function savedSession(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.username === 'string' && typeof s.accessToken === 'string' && typeof s.refreshToken === 'string' && typeof s.expiresAt === 'number') {
      return { username: s.username, accessToken: s.accessToken, refreshToken: s.refreshToken, expiresAt: s.expiresAt };
    }
  } catch {
    // A damaged entry is the same as none: sign in again.
  }
  return null;
}
