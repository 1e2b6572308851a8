// PIN login with lockout, written once for the till (offline, against its own PouchDB) and the relay (a
// manager's PIN, against its CouchDB). Where the lockout state lives differs, so it is reached through a
// small storage interface; what is checked, in which order, and how the state moves is the same everywhere.
import type { LockoutState, LockStatus } from './lockout';
import { checkLocked, pruneLockout, recordFailure, recordSuccess } from './lockout';
import { DUMMY_PIN_HASH, verifySecret } from './secrets';
import type { StoreUser } from '../model/types';
import { LOCAL_ID } from '../model/names';

/** The `_local` document that holds a terminal's or a relay's PIN lockout state (it must not replicate). */
export const PIN_LOCKOUT_DOC = LOCAL_ID.pinLockout;

/** Where the lockout state is kept: the till's `_local` PouchDB document, or the relay's CouchDB one. */
export interface LockoutStore {
  read(): Promise<LockoutState>;
  /**
   * Applies a transition to the stored state, retrying on conflicts with concurrent attempts, and returns the
   * state as saved. A transition that returns its input unchanged need not be written.
   */
  update(transition: (state: LockoutState) => LockoutState): Promise<LockoutState>;
}

export type PinLoginFailure = 'unknown_user' | 'wrong_pin' | 'locked' | 'inactive';

export type PinLoginResult =
  | { ok: true; user: StoreUser }
  | { ok: false; reason: PinLoginFailure; lockedUntil: number | null; failuresLeft: number };

/** Usernames are matched trimmed and case-insensitively, so the key a failure is counted under is stable. */
export function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

/** The user a username names, or undefined. */
export function findUser(users: readonly StoreUser[], username: string): StoreUser | undefined {
  const name = usernameKey(username);
  return users.find((u) => u.username === name);
}

/** The key a user's lockout is kept under; an unknown username is locked out like a known one. */
export function lockoutKey(user: StoreUser | undefined, username: string): string {
  return user?.userId ?? `unknown:${usernameKey(username)}`;
}

/** The lockout transition one verified or failed attempt makes, pruned so the stored document stays small. */
export function afterAttempt(verified: boolean, key: string, now: number): (state: LockoutState) => LockoutState {
  return (state) => {
    const next = verified ? recordSuccess(state, key, now) : recordFailure(state, key, now);
    return next === state ? state : pruneLockout(next, now);
  };
}

/** What one attempt came to: refused unchecked while locked, verified, or wrong (with the lock it left). */
export type PinVerdict =
  | { status: 'locked'; lock: LockStatus }
  | { status: 'verified'; user: StoreUser; lock: LockStatus }
  | { status: 'wrong'; user: StoreUser | undefined; lock: LockStatus };

/**
 * Verifies `pin` for `username` among `users`, enforcing the lockout: a locked user is refused before the PIN
 * is looked at, and every attempt is recorded. The caller serialises attempts on one key where they may run in
 * parallel (the relay), so a burst cannot pass the check before the first failure is recorded.
 */
export async function verifyPin(users: readonly StoreUser[], lockout: LockoutStore, username: string, pin: string, now: number): Promise<PinVerdict> {
  const user = findUser(users, username);
  const key = lockoutKey(user, username);
  const before = checkLocked(await lockout.read(), key, now);
  if (before.locked) return { status: 'locked', lock: before };
  // Always one PBKDF2 of the PIN cost: against a fixed dummy hash for an unknown user (or one with no PIN), so
  // the answer's timing does not tell which usernames exist.
  const matches = await verifySecret(pin, user?.pin ?? DUMMY_PIN_HASH);
  const verified = Boolean(user?.pin) && matches;
  const saved = await lockout.update(afterAttempt(verified, key, now));
  if (verified && user) return { status: 'verified', user, lock: before };
  return { status: 'wrong', user, lock: checkLocked(saved, key, now) };
}

function refused(reason: PinLoginFailure, lock: LockStatus): PinLoginResult {
  return { ok: false, reason, lockedUntil: lock.lockedUntil, failuresLeft: lock.failuresLeft };
}

/** A PIN login as the till shows it: an inactive user's right PIN is still refused, a lock named as such. */
export async function loginWithPin(
  users: readonly StoreUser[],
  lockout: LockoutStore,
  username: string,
  pin: string,
  now: number,
): Promise<PinLoginResult> {
  const v = await verifyPin(users, lockout, username, pin, now);
  if (v.status === 'locked') return refused('locked', v.lock);
  if (v.status === 'verified') return v.user.active ? { ok: true, user: v.user } : refused('inactive', v.lock);
  return refused(v.lock.locked ? 'locked' : v.user ? 'wrong_pin' : 'unknown_user', v.lock);
}
