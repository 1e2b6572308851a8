// Who is at the till. The PIN is checked offline against the hash replicated from HQ (pinLogin.ts), with the
// lockout after repeated failures; the session keeps the user's permissions and discount limit, never the hash.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { StoreUser } from '../../../../shared/model/types';
import type { AppThunk } from '../../app/store';
import { requireDb } from '../../app/services';
import { loginWithPin, storeUsers } from './pinLogin';

/** A user as the till keeps it during a session (no PIN hash). */
export interface SessionUser {
  userId: string;
  username: string;
  displayName: string;
  permissions: string[];
  discountLimitBp: number;
}

export type LoginError =
  | { reason: 'wrong_pin' | 'unknown_user'; failuresLeft: number }
  | { reason: 'locked'; lockedUntil: number | null }
  | { reason: 'inactive' };

export interface SessionState {
  user: SessionUser | null;
  users: SessionUser[];
  checking: boolean;
  error: LoginError | null;
}

const initialState: SessionState = { user: null, users: [], checking: false, error: null };

export function sessionUser(u: Pick<StoreUser, 'userId' | 'username' | 'displayName' | 'permissions' | 'discountLimitBp'>): SessionUser {
  return { userId: u.userId, username: u.username, displayName: u.displayName, permissions: [...u.permissions], discountLimitBp: u.discountLimitBp };
}

export const sessionSlice = createSlice({
  name: 'session',
  initialState,
  reducers: {
    usersLoaded(state, action: PayloadAction<SessionUser[]>) {
      state.users = action.payload;
    },
    pinCheckStarted(state) {
      state.checking = true;
      state.error = null;
    },
    loggedIn(state, action: PayloadAction<SessionUser>) {
      state.checking = false;
      state.user = action.payload;
    },
    loginRefused(state, action: PayloadAction<LoginError>) {
      state.checking = false;
      state.error = action.payload;
    },
    loginErrorCleared(state) {
      state.error = null;
    },
    loggedOut(state) {
      state.user = null;
      state.error = null;
    },
  },
});

export const { usersLoaded, pinCheckStarted, loggedIn, loginRefused, loginErrorCleared, loggedOut } = sessionSlice.actions;

/** The active users replicated to this terminal, for the login screen's picker. */
export const loadUsers = (): AppThunk<Promise<void>> => async (dispatch, _getState, services) => {
  const users = await storeUsers(requireDb(services));
  dispatch(usersLoaded(users.filter((u) => u.type === 'user' && u.active && u.pin).map(sessionUser).sort((a, b) => a.displayName.localeCompare(b.displayName))));
};

/** Checks a PIN offline. */
export const login =
  (username: string, pin: string): AppThunk<Promise<boolean>> =>
  async (dispatch, _getState, services) => {
    dispatch(pinCheckStarted());
    const res = await loginWithPin(requireDb(services), username, pin);
    if (res.ok) {
      dispatch(loggedIn(sessionUser(res.user)));
      return true;
    }
    const error: LoginError =
      res.reason === 'locked'
        ? { reason: 'locked', lockedUntil: res.lockedUntil }
        : res.reason === 'inactive'
          ? { reason: 'inactive' }
          : { reason: res.reason, failuresLeft: res.failuresLeft };
    dispatch(loginRefused(error));
    return false;
  };
