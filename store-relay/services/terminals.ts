// Terminal pairing at the relay. A manager (a StoreUser with `terminals.manage`, PIN verified against the
// hash HQ replicated down) pairs a till directly or issues a short one-time pairing code. A paired
// terminal gets an id unique in the store and a credential it trades for short-lived CouchDB tokens.
import { randomBytes, randomInt } from 'node:crypto';
import { matchesHash, sha256 } from '../../server-kit/secretHash';
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, listByPrefix, putDoc, updateDoc, updateHotDoc } from '../../server-kit/docs';
import { badRequest, CajaError, forbidden, notFound, tooMany, unauthorized } from '../../server-kit/errors';
import type { LockoutState, PairingLimitState } from '../../shared/auth/lockout';
import { checkPairingAllowed, emptyPairingLimits, recordPairingFailure } from '../../shared/auth/lockout';
import type { LockoutStore } from '../../shared/auth/pinLogin';
import { findUser, lockoutKey, PIN_LOCKOUT_DOC, verifyPin } from '../../shared/auth/pinLogin';
import { KeyedMutex } from '../../shared/auth/keyedMutex';
import { hasPermission } from '../../shared/auth/permissions';
import type { Permission } from '../../shared/auth/permissions';
import type { StoreUser } from '../../shared/model/types';
import { isTerminalId, typePrefix } from '../../shared/model/ids';
import { LOCAL_ID, pairingCodeRecordId, PRIVATE_PREFIX, RELAY_PRIVATE_DB, relayTerminalRecordId } from '../../shared/model/names';
import { AUDIENCE, bearer, signToken, verifyToken } from '../../server-kit/tokens';

export const TERMINAL_TOKEN_TTL_S = 3600;
const PAIRING_CODE_TTL_MS = 10 * 60_000;
/** Wrong pairing codes per relay and per address; in the private database so a restart does not forget them. */
const PAIRING_LIMITS_DOC = LOCAL_ID.pairingLimits;
/** One key for every pairing-code attempt: they all count against the relay-wide budget. */
const PAIRING_LOCK = 'pairing-code';
/**
 * Serialises each check / verify / record sequence (per PIN user, and for all pairing codes), so parallel
 * attempts are counted one by one instead of all passing the check before the first failure is recorded.
 */
const relayAuthLock = new KeyedMutex();

type PairingLimitsDoc = { _id: string; _rev?: string; state: PairingLimitState };


export interface TerminalRecord {
  _id: string; // terminal:<TID>
  _rev?: string;
  type: 'terminal';
  terminalId: string;
  name: string;
  secretHash: string;
  pairedAt: string;
  pairedBy: string;
  active: boolean;
  unpairedAt: string | null;
  unpairedBy: string | null;
}

interface PairingCode {
  _id: string; // pairing:<sha256(code)>
  _rev?: string;
  type: 'pairing';
  createdBy: string;
  expiresAt: string;
  usedAt: string | null;
}

type LockoutDoc = { _id: string; _rev?: string; state: LockoutState };

/** The relay's PIN lockout state, one document in its private database for every user. */
function relayLockout(couch: CouchHandle): LockoutStore {
  return {
    read: async () => (await getDoc<LockoutDoc>(couch, RELAY_PRIVATE_DB, PIN_LOCKOUT_DOC))?.state ?? {},
    update: async (transition) => {
      let saved: LockoutState = {};
      // One document holds every user's lockout, so other users' attempts collide on it: retry until saved.
      await updateHotDoc<LockoutDoc>(couch, RELAY_PRIVATE_DB, PIN_LOCKOUT_DOC, (cur) => {
        const state = cur?.state ?? {};
        saved = transition(state);
        return saved === state ? null : { _id: PIN_LOCKOUT_DOC, state: saved };
      });
      return saved;
    },
  };
}

export function publicTerminal(t: TerminalRecord) {
  const { secretHash: _s, _rev, _id, ...rest } = t;
  return rest;
}

/**
 * Verifies a store user's PIN against the replicated hash, with the same lockout as the tills (5 failures),
 * and checks a permission. The user is looked up by username in the store database.
 */
export async function verifyManager(couch: CouchHandle, storeDb: string, username: unknown, pin: unknown, permission: Permission): Promise<StoreUser> {
  if (typeof username !== 'string' || typeof pin !== 'string') throw badRequest('missing_credentials', 'Give a username and a PIN.');
  // An inactive user is looked up as an unknown one: refused the same way, under the same lockout key.
  const users = (await listByPrefix<StoreUser & { _id: string }>(couch, storeDb, typePrefix('user'))).filter((u) => u.active);
  const key = lockoutKey(findUser(users, username), username);
  // Check, verify and record as one step per user: 21 parallel PINs get 5 verified, then the lock answers.
  const verdict = await relayAuthLock.run(`pin:${key}`, () => verifyPin(users, relayLockout(couch), username, pin, Date.now()));
  if (verdict.status === 'locked') {
    const until = verdict.lock.lockedUntil;
    throw tooMany('user_locked', 'Too many wrong PINs; this user is locked for a while.', { until: until ? new Date(until).toISOString() : null });
  }
  if (verdict.status !== 'verified') throw unauthorized('invalid_credentials', 'Wrong username or PIN.');
  const user = verdict.user;
  if (!hasPermission(user, permission)) throw forbidden('permission_denied', `This needs the ${permission} permission.`);
  return user;
}

/** A six-digit pairing code, valid once for ten minutes. */
export async function createPairingCode(couch: CouchHandle, createdBy: string): Promise<{ code: string; expiresAt: string }> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(Date.now() + PAIRING_CODE_TTL_MS).toISOString();
  await putDoc<PairingCode>(couch, RELAY_PRIVATE_DB, { _id: pairingCodeRecordId(sha256(code)), type: 'pairing', createdBy, expiresAt, usedAt: null });
  return { code, expiresAt };
}

/**
 * Consumes a pairing code, returning who issued it. Wrong codes are limited per relay and per client address
 * (PAIRING_LIMITS): past either limit every code, even a right one, is refused with 429 until the window
 * passes, so the 10^6 codes cannot be walked through.
 */
export async function consumePairingCode(couch: CouchHandle, code: unknown, address = 'unknown'): Promise<string> {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) throw badRequest('invalid_pairing_code', 'A pairing code is six digits.');
  // Check, consume and record one attempt at a time: they all share the relay-wide budget, and a code check is
  // a quick lookup (no PBKDF2), so serialising them costs little.
  return relayAuthLock.run(PAIRING_LOCK, async () => {
    const now = Date.now();
    const stored = await getDoc<PairingLimitsDoc>(couch, RELAY_PRIVATE_DB, PAIRING_LIMITS_DOC);
    const decision = checkPairingAllowed({ ...emptyPairingLimits(), ...stored?.state }, address, now);
    if (!decision.allowed) {
      throw tooMany('pairing_throttled', 'Too many wrong pairing codes; wait, or pair with a manager PIN.', { retryAfterS: Math.ceil(decision.retryAfterMs / 1000) });
    }
    try {
      let issuer = '';
      await updateDoc<PairingCode>(couch, RELAY_PRIVATE_DB, pairingCodeRecordId(sha256(code)), (doc) => {
        if (!doc) throw unauthorized('invalid_pairing_code', 'Unknown pairing code.');
        if (doc.usedAt) throw unauthorized('pairing_code_used', 'This pairing code was already used.');
        if (Date.parse(doc.expiresAt) <= Date.now()) throw unauthorized('pairing_code_expired', 'This pairing code has expired.');
        issuer = doc.createdBy;
        return { ...doc, usedAt: new Date().toISOString() };
      });
      return issuer;
    } catch (err) {
      // Unknown, used and expired codes all count as wrong guesses; a CouchDB failure is not the client's.
      if (err instanceof CajaError && err.status === 401) {
        await updateHotDoc<PairingLimitsDoc>(couch, RELAY_PRIVATE_DB, PAIRING_LIMITS_DOC, (cur) => ({
          _id: PAIRING_LIMITS_DOC,
          state: recordPairingFailure({ ...emptyPairingLimits(), ...cur?.state }, address, now),
        }));
      }
      throw err;
    }
  });
}

/** Registers a new terminal with the next free id (T1, T2, ...); returns its one-time-shown secret. */
export async function pairTerminal(couch: CouchHandle, pairedBy: string, name: unknown) {
  const existing = await listByPrefix<TerminalRecord>(couch, RELAY_PRIVATE_DB, PRIVATE_PREFIX.relayTerminal);
  const used = new Set(existing.map((t) => t.terminalId));
  const secret = randomBytes(32).toString('base64url');
  for (let n = 1; n < 10_000; n++) {
    const terminalId = `T${n}`;
    if (used.has(terminalId)) continue; // never reuse an id: receipts and sale ids carry it
    try {
      const record = await putDoc<TerminalRecord>(couch, RELAY_PRIVATE_DB, {
        _id: relayTerminalRecordId(terminalId),
        type: 'terminal',
        terminalId,
        name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 64) : `Terminal ${n}`,
        secretHash: sha256(secret),
        pairedAt: new Date().toISOString(),
        pairedBy,
        active: true,
        unpairedAt: null,
        unpairedBy: null,
      });
      return { terminal: record, secret };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 409) throw err; // another pairing took this id
    }
  }
  throw badRequest('too_many_terminals', 'No terminal id left.');
}

export async function listTerminals(couch: CouchHandle): Promise<TerminalRecord[]> {
  return listByPrefix<TerminalRecord>(couch, RELAY_PRIVATE_DB, PRIVATE_PREFIX.relayTerminal);
}

/** Unpairs a terminal: it can no longer obtain tokens (its current token lapses within the hour). */
export async function unpairTerminal(couch: CouchHandle, terminalId: string, by: string): Promise<TerminalRecord> {
  const saved = await updateDoc<TerminalRecord>(couch, RELAY_PRIVATE_DB, relayTerminalRecordId(terminalId), (t) => {
    if (!t) throw notFound('terminal_not_found', `No terminal ${terminalId}.`);
    return { ...t, active: false, unpairedAt: new Date().toISOString(), unpairedBy: by };
  });
  return saved as TerminalRecord;
}

/**
 * Trades a terminal credential for its two tokens at this relay: `token` for the relay's replication
 * gateway (which acts on the relay's CouchDB as this terminal), `apiToken` for the relay's API (health).
 * Both are signed with this relay's own secret and name this store, so they are worthless elsewhere.
 */
export async function terminalToken(couch: CouchHandle, secret: string, storeCode: string, terminalId: unknown, credential: unknown) {
  if (typeof terminalId !== 'string' || typeof credential !== 'string') throw badRequest('missing_credentials', 'Send terminalId and secret.');
  // Terminal ids are T1, T2, ...: anything else was never paired, and never reaches CouchDB as an odd id
  // (`/` made one that CouchDB refuses, answered as a 500).
  const t = isTerminalId(terminalId) ? await getDoc<TerminalRecord>(couch, RELAY_PRIVATE_DB, relayTerminalRecordId(terminalId)) : null;
  if (!t || !t.active || !matchesHash(credential, t.secretHash)) {
    throw unauthorized('terminal_credential_invalid', 'This terminal is not paired (or was unpaired).');
  }
  const common = { subject: `${storeCode}:${terminalId}`, store: storeCode, ttlS: TERMINAL_TOKEN_TTL_S };
  return {
    token: signToken(secret, { ...common, kind: 'terminal-sync', audience: AUDIENCE.relayGateway(storeCode) }),
    apiToken: signToken(secret, { ...common, kind: 'terminal', audience: AUDIENCE.relayApi(storeCode) }),
    expiresAt: new Date(Date.now() + TERMINAL_TOKEN_TTL_S * 1000).toISOString(),
  };
}


/** Verifies a terminal's replication token at this relay's gateway; returns the terminal id. */
export function verifyTerminalSyncToken(secret: string, storeCode: string, header: string | undefined): { terminalId: string } {
  const { subject } = verifyToken(secret, bearer(header, 'Send the terminal replication token.'), { kind: 'terminal-sync', audience: AUDIENCE.relayGateway(storeCode), store: storeCode, what: 'terminal token' });
  return { terminalId: terminalIdOf(subject, storeCode) };
}

function terminalIdOf(subject: string, storeCode: string): string {
  const [store, terminalId, ...rest] = subject.split(':');
  if (store !== storeCode || !terminalId || rest.length > 0) throw unauthorized('token_invalid', 'The terminal token is not valid.');
  return terminalId;
}

/** A manager session token at this relay (for pairing, terminals, day close). */
export function signManagerToken(secret: string, storeCode: string, user: StoreUser): string {
  return signToken(secret, { kind: 'relay-manager', subject: user.userId, store: storeCode, audience: AUDIENCE.relayApi(storeCode), ttlS: 30 * 60, claims: { permissions: user.permissions } });
}

/** Verifies a manager session token of this relay and a permission it must carry. */
export function verifyManagerToken(secret: string, storeCode: string, header: string | undefined, permission: Permission): { userId: string } {
  const { subject, claims } = verifyToken(secret, bearer(header, 'Log in with a manager PIN first.'), { kind: 'relay-manager', audience: AUDIENCE.relayApi(storeCode), store: storeCode, what: 'session token' });
  if (!Array.isArray(claims.permissions) || !claims.permissions.includes(permission)) throw forbidden('permission_denied', `This needs the ${permission} permission.`);
  return { userId: subject };
}

/** Verifies a terminal's API token (as sent with its health reports); returns the terminal id. */
export function verifyTerminalToken(secret: string, storeCode: string, header: string | undefined): { terminalId: string } {
  const { subject } = verifyToken(secret, bearer(header, 'Send the terminal token.'), { kind: 'terminal', audience: AUDIENCE.relayApi(storeCode), store: storeCode, what: 'terminal token' });
  return { terminalId: terminalIdOf(subject, storeCode) };
}
