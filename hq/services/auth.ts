// HQ staff authentication: password login -> 15-minute access JWT + rotating refresh token (a session is the
// chain of its refresh tokens, one alive at a time; logout deletes the live one); failed logins
// are rate-limited per user and per address, with the limiter state kept in CouchDB (a `_local` document)
// so every HQ instance behind a load balancer shares it. Attempts sharing a username or an address are
// serialised in this process, so a parallel burst cannot all pass the check before the first failure is
// recorded; every login costs one PBKDF2 whether or not the username exists.
//
// Logout ends the access token too: a session has an id (`sid`, made at login, kept by every refresh token of
// its chain and carried by each access token it issues), and logging out puts that id in an in-memory set of
// ended sessions that `authenticate` (hq/context.ts) checks, kept only until the last access token the session
// can have issued has expired (ACCESS_TOKEN_TTL_S). In memory because HQ is ONE process (the embedded CouchDB,
// the roll-up job and the API share it): a second HQ instance behind a load balancer would not see another's
// logouts, and a restart forgets them (a token from before it then works until it expires, 15 minutes at most).
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
import { ACCESS_TOKEN_TTL_S, signAccessToken } from './tokens';
import { findUserByUsername, getUser, updateUser } from './users';

const REFRESH_TTL_DAYS = 30;

type LimitsDoc = { _id: string; _rev?: string; state: LoginLimitState };
/** A refresh token and the session it belongs to (documents from before sessions had ids have none). */
type SessionToken = RefreshToken & { sid?: string };

/** Ended sessions -> when the last access token they may have issued expires (ms since the epoch). */
const endedSessions = new Map<string, number>();

/** Ends a session's access tokens at once (in this process: see the header). */
function endSession(sid: string): void {
  const now = Date.now();
  for (const [id, until] of endedSessions) if (until <= now) endedSessions.delete(id);
  endedSessions.set(sid, now + ACCESS_TOKEN_TTL_S * 1000 + 5_000);
}

/** Whether an access token's session was logged out (checked on every authenticated request). */
export function sessionEnded(sid: string): boolean {
  const until = endedSessions.get(sid);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  endedSessions.delete(sid);
  return false;
}

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

/** A new refresh token and access token of session `sid` (a new session at login, the same one on refresh). */
async function issueTokens(couch: CouchHandle, secret: string, user: HqUser, sid = `s_${randomBytes(16).toString('base64url')}`) {
  const refresh = `rt_${randomBytes(32).toString('base64url')}`;
  const now = Date.now();
  const doc: SessionToken = {
    _id: refreshTokenRecordId(sha256(refresh)),
    type: 'refresh',
    userId: user.id,
    sid,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + REFRESH_TTL_DAYS * 86400_000).toISOString(),
  };
  await putDoc(couch, HQ_DB, doc);
  const access = signAccessToken(secret, user.id, sid);
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
  const doc = await getDoc<SessionToken>(couch, HQ_DB, id);
  if (!doc) throw unauthorized('refresh_invalid', 'The refresh token is not valid or was already used.');
  try {
    // Deleting first makes a concurrent second use of the same token lose with a 409.
    await couch.nano.use(HQ_DB).destroy(id, doc._rev as string);
  } catch {
    throw unauthorized('refresh_invalid', 'The refresh token was already used.');
  }
  if (Date.parse(doc.expiresAt) <= Date.now()) throw unauthorized('refresh_expired', 'The session has expired; log in again.');
  if (doc.sid && sessionEnded(doc.sid)) throw unauthorized('refresh_invalid', 'This session has ended; log in again.');
  const user = await getDoc<HqUser>(couch, HQ_DB, hqUserRecordId(doc.userId));
  if (!user?.active) throw unauthorized('refresh_invalid', 'The user is no longer active.');
  return issueTokens(couch, secret, user, doc.sid);
}

/**
 * Ends a session: its refresh token is deleted, so it renews nothing from now on, and its access tokens are
 * refused from now on (the session id is ended: see the header). A token that is unknown, used or already
 * ended answers the same: the session is over either way, and the answer says nothing about which.
 * Returns the user whose session ended, or null when there was none to end.
 */
export async function logout(couch: CouchHandle, token: unknown): Promise<string | null> {
  if (typeof token !== 'string' || !token.startsWith('rt_')) return null;
  const id = refreshTokenRecordId(sha256(token));
  const doc = await getDoc<SessionToken>(couch, HQ_DB, id);
  if (!doc) return null;
  // Before the delete: even if it loses to a refresh at the same moment, the session (whose new refresh
  // token the client signing out drops) issues no working access token any more.
  if (doc.sid) endSession(doc.sid);
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
