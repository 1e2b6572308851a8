// The signed-in session: the short-lived access token, the one-use refresh token that renews it, and when
// the access token expires. Plain data; the refresh timer and the tab's storage are side effects kept in
// listeners (sessionListeners.ts), never in the reducer.
import { createSlice } from '@reduxjs/toolkit';
import type { PayloadAction } from '@reduxjs/toolkit';
import type { Tokens } from '../../api/types';

export interface Session {
  username: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
}

export interface SessionState {
  current: Session | null;
  /** Why the last session ended, so the login page can say it (null: the person signed out or never signed in). */
  endedBecause: 'expired' | null;
}

const initialState: SessionState = { current: null, endedBecause: null };

/** What a token answer becomes, with the time it was received (reducers do not read the clock). */
export function sessionFrom(username: string, tokens: Tokens, receivedAt: number): Session {
  return { username, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: receivedAt + tokens.expiresIn * 1000 };
}

export const sessionSlice = createSlice({
  name: 'session',
  initialState,
  reducers: {
    signedIn(_state, action: PayloadAction<Session>) {
      return { current: action.payload, endedBecause: null };
    },
    /** A session kept by this tab was found at start-up (a reload). */
    sessionRestored(_state, action: PayloadAction<Session>) {
      return { current: action.payload, endedBecause: null };
    },
    sessionRefreshed(state, action: PayloadAction<Session>) {
      if (state.current) state.current = action.payload;
    },
    signedOut() {
      return { current: null, endedBecause: null };
    },
    sessionExpired() {
      return { current: null, endedBecause: 'expired' };
    },
  },
});

export const { signedIn, sessionRestored, sessionRefreshed, signedOut, sessionExpired } = sessionSlice.actions;
