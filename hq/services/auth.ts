// HQ staff authentication: password login -> 15-minute access JWT + rotating refresh token (a session is the
// chain of its refresh tokens, one alive at a time; logout deletes the live one); failed logins
// are rate-limited per user and per address, with the limiter state kept in CouchDB (a `_local` document)
// so every HQ instance behind a load balancer shares it. Attempts sharing a username or an address are
// serialised in this process, so a parallel burst cannot all pass the check before the first failure is
// recorded; every login costs one PBKDF2 whether or not the username exists.
import { randomBytes } from 'node:crypto';
import { sha256 } from '../../server-kit/secretHash';
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, putDoc, updateHotDoc } from '../../server-kit/docs';
import { badRequest, tooMany, unauthorized } from '../../server-kit/errors';
import type { LoginAttempt, LoginLimitState } from '../../shared/auth/lockout';
import { checkLoginAllowed, emptyLoginLimits, loginLimitKeys, pruneLoginLimits, recordLoginFailure } from '../../shared/auth/lockout';
import { KeyedMutex } from '../../shared/auth/keyedMutex';
import { DUMMY_PASSWORD_HASH, verifySecret } from '../../shared/auth/secrets';
import { HQ_DB, hqUserRecordId, LOCAL_ID, refreshTokenRecordId } from '../../shared/model/names';
import type { HqUser, RefreshToken } from './model';
import { signAccessToken } from './tokens';
import { findUserByUsername, getUser, updateUser } from './users';

const REFRESH_TTL_DAYS = 30;

type LimitsDoc = { _id: string; _rev?: string; state: LoginLimitState };

/** Serialises check / verify / record per username and per address (see loginLimitKeys). */
const loginLock = new KeyedMutex();

async function limiterState(couch: CouchHandle): Promise<LoginLimitState> {
  return (await getDoc<LimitsDoc>(couch, HQ_DB, LOCAL_ID.loginLimits))?.state ?? emptyLoginLimits();
}

async function recordFailure(couch: CouchHandle, attempt: LoginAttempt): Promise<void> {
  const now = Date.now();
  // One document holds every limit, so failures for other users and addresses collide on it: retry until
  // saved (or throw, refusing the login with an error) rather than lose the count.
  await updateHotDoc<LimitsDoc>(couch, HQ_DB, LOCAL_ID.loginLimits, (cur) => ({
    _id: LOCAL_ID.loginLimits,
    state: pruneLoginLimits(recordLoginFailure(cur?.state ?? emptyLoginLimits(), attempt, now), now),
  }));
}

async function issueTokens(couch: CouchHandle, secret: string, user: HqUser) {
  const refresh = `rt_${randomBytes(32).toString('base64url')}`;
  const now = Date.now();
  const doc: RefreshToken = {
    _id: refreshTokenRecordId(sha256(refresh)),
    type: 'refresh',
    userId: user.id,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + REFRESH_TTL_DAYS * 86400_000).toISOString(),
  };
  await putDoc(couch, HQ_DB, doc);
  const access = signAccessToken(secret, user.id);
  return { accessToken: access.token, expiresIn: access.expiresIn, refreshToken: refresh, tokenType: 'Bearer' };
}

/** Username + password login; a wrong username and a wrong password answer the same. */
export async function login(couch: CouchHandle, secret: string, username: unknown, password: unknown, address: string) {
  if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
    throw badRequest('missing_credentials', 'Give a username and a password.');
  }
  const attempt: LoginAttempt = { username, address };
  // Check, verify and record as one step per username and per address: with a limit of N, a burst of
  // parallel guesses gets at most N verified and the rest refused, one after the other.
  const user = await loginLock.run(loginLimitKeys(attempt), async () => {
    const decision = checkLoginAllowed(await limiterState(couch), attempt, Date.now());
    if (!decision.allowed) {
      throw tooMany('too_many_attempts', 'Too many failed logins; wait and try again.', { retryAfterS: Math.ceil(decision.retryAfterMs / 1000) });
    }
    const found = await findUserByUsername(couch, username);
    const usable = found?.active && found.passwordHash ? found : null;
    // Always one PBKDF2 of the same cost: against a fixed dummy hash when there is no usable account, so the
    // answer's timing does not tell existing usernames from unknown ones.
    const matches = await verifySecret(password, usable?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!usable || !matches) {
      await recordFailure(couch, attempt);
      throw unauthorized('invalid_credentials', 'Wrong username or password.');
    }
    return usable;
  });
  return { ...(await issueTokens(couch, secret, user)), mustChangePassword: user.mustChangePassword };
}

/** Exchanges a refresh token for new tokens; the old refresh token is consumed (rotation). */
export async function refresh(couch: CouchHandle, secret: string, token: unknown) {
  if (typeof token !== 'string' || !token.startsWith('rt_')) throw unauthorized('refresh_invalid', 'The refresh token is not valid.');
  const id = refreshTokenRecordId(sha256(token));
  const doc = await getDoc<RefreshToken>(couch, HQ_DB, id);
  if (!doc) throw unauthorized('refresh_invalid', 'The refresh token is not valid or was already used.');
  try {
    // Deleting first makes a concurrent second use of the same token lose with a 409.
    await couch.nano.use(HQ_DB).destroy(id, doc._rev as string);
  } catch {
    throw unauthorized('refresh_invalid', 'The refresh token was already used.');
  }
  if (Date.parse(doc.expiresAt) <= Date.now()) throw unauthorized('refresh_expired', 'The session has expired; log in again.');
  const user = await getDoc<HqUser>(couch, HQ_DB, hqUserRecordId(doc.userId));
  if (!user?.active) throw unauthorized('refresh_invalid', 'The user is no longer active.');
  return issueTokens(couch, secret, user);
}

/**
 * Ends a session: its refresh token is deleted, so it renews nothing from now on (the access token already
 * issued runs out on its own within 15 minutes; the console drops it at once). A token that is unknown, used
 * or already ended answers the same: the session is over either way, and the answer says nothing about which.
 * Returns the user whose session ended, or null when there was none to end.
 */
export async function logout(couch: CouchHandle, token: unknown): Promise<string | null> {
  if (typeof token !== 'string' || !token.startsWith('rt_')) return null;
  const id = refreshTokenRecordId(sha256(token));
  const doc = await getDoc<RefreshToken>(couch, HQ_DB, id);
  if (!doc) return null;
  try {
    await couch.nano.use(HQ_DB).destroy(id, doc._rev as string);
  } catch (err) {
    // Spent by a refresh at the same moment: that refresh's new token is the session now, and the client
    // that is signing out drops it. Anything else is a real failure.
    if ((err as { statusCode?: number }).statusCode === 409 || (err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
  return doc.userId;
}

/** Changes the signed-in user's password (the current one is required) and/or PIN. */
export async function changeCredential(couch: CouchHandle, userId: string, body: { currentPassword?: unknown; newPassword?: unknown; newPin?: unknown }) {
  const user = await getUser(couch, userId);
  if (typeof body.currentPassword !== 'string' || !(await verifySecret(body.currentPassword, user.passwordHash))) {
    throw unauthorized('invalid_credentials', 'The current password is wrong.');
  }
  if (body.newPassword === undefined && body.newPin === undefined) throw badRequest('nothing_to_change', 'Give newPassword and/or newPin.');
  return updateUser(couch, userId, {
    ...(body.newPassword !== undefined ? { password: body.newPassword as string } : {}),
    ...(body.newPin !== undefined ? { pin: body.newPin as string } : {}),
  });
}
