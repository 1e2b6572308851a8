// Terminal pairing at the relay. A manager (a StoreUser with `terminals.manage`, PIN verified against the
// hash HQ replicated down) pairs a till directly or issues a short one-time pairing code. A paired
// terminal gets an id unique in the store and a credential it trades for short-lived CouchDB tokens.
import { randomBytes, randomInt } from 'node:crypto';
import { matchesHash, sha256 } from '../../common/secretHash';
import jwt from 'jsonwebtoken';
import type { CouchHandle } from '../../common/couch';
import { getDoc, listByPrefix, putDoc, updateDoc } from '../../common/docs';
import { badRequest, forbidden, notFound, tooMany, unauthorized } from '../../common/errors';
import type { LockoutState } from '../../shared/auth/lockout';
import { checkLocked, recordFailure, recordSuccess } from '../../shared/auth/lockout';
import { hasPermission } from '../../shared/auth/permissions';
import type { Permission } from '../../shared/auth/permissions';
import { verifySecret } from '../../shared/auth/secrets';
import type { StoreUser } from '../../shared/model/types';
import { bearer, verifyTyped } from '../../common/tokens';

export const RELAY_PRIVATE_DB = 'caja-relay';
export const TERMINAL_TOKEN_TTL_S = 3600;
const PAIRING_CODE_TTL_MS = 10 * 60_000;
const LOCKOUT_DOC = '_local/pin-lockout';


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
  const users = await listByPrefix<StoreUser & { _id: string }>(couch, storeDb, 'user:');
  const user = users.find((u) => u.username === username.toLowerCase() && u.active);
  const key = user?.userId ?? `unknown:${username.toLowerCase()}`;
  const now = Date.now();
  const lockDoc = await getDoc<LockoutDoc>(couch, RELAY_PRIVATE_DB, LOCKOUT_DOC);
  const lock = checkLocked(lockDoc?.state ?? {}, key, now);
  if (lock.locked) throw tooMany('user_locked', 'Too many wrong PINs; this user is locked for a while.', { until: lock.lockedUntil ? new Date(lock.lockedUntil).toISOString() : null });
  const ok = user ? await verifySecret(pin, user.pin) : false;
  await updateDoc<LockoutDoc>(couch, RELAY_PRIVATE_DB, LOCKOUT_DOC, (cur) => ({
    _id: LOCKOUT_DOC,
    state: ok ? recordSuccess(cur?.state ?? {}, key, now) : recordFailure(cur?.state ?? {}, key, now),
  }));
  if (!ok || !user) throw unauthorized('invalid_credentials', 'Wrong username or PIN.');
  if (!hasPermission(user, permission)) throw forbidden('permission_denied', `This needs the ${permission} permission.`);
  return user;
}

/** A six-digit pairing code, valid once for ten minutes. */
export async function createPairingCode(couch: CouchHandle, createdBy: string): Promise<{ code: string; expiresAt: string }> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(Date.now() + PAIRING_CODE_TTL_MS).toISOString();
  await putDoc<PairingCode>(couch, RELAY_PRIVATE_DB, { _id: `pairing:${sha256(code)}`, type: 'pairing', createdBy, expiresAt, usedAt: null });
  return { code, expiresAt };
}

/** Consumes a pairing code, returning who issued it. */
export async function consumePairingCode(couch: CouchHandle, code: unknown): Promise<string> {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) throw badRequest('invalid_pairing_code', 'A pairing code is six digits.');
  let issuer = '';
  await updateDoc<PairingCode>(couch, RELAY_PRIVATE_DB, `pairing:${sha256(code)}`, (doc) => {
    if (!doc) throw unauthorized('invalid_pairing_code', 'Unknown pairing code.');
    if (doc.usedAt) throw unauthorized('pairing_code_used', 'This pairing code was already used.');
    if (Date.parse(doc.expiresAt) <= Date.now()) throw unauthorized('pairing_code_expired', 'This pairing code has expired.');
    issuer = doc.createdBy;
    return { ...doc, usedAt: new Date().toISOString() };
  });
  return issuer;
}

/** Registers a new terminal with the next free id (T1, T2, ...); returns its one-time-shown secret. */
export async function pairTerminal(couch: CouchHandle, pairedBy: string, name: unknown) {
  const existing = await listByPrefix<TerminalRecord>(couch, RELAY_PRIVATE_DB, 'terminal:');
  const used = new Set(existing.map((t) => t.terminalId));
  const secret = randomBytes(32).toString('base64url');
  for (let n = 1; n < 10_000; n++) {
    const terminalId = `T${n}`;
    if (used.has(terminalId)) continue; // never reuse an id: receipts and sale ids carry it
    try {
      const record = await putDoc<TerminalRecord>(couch, RELAY_PRIVATE_DB, {
        _id: `terminal:${terminalId}`,
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
  return listByPrefix<TerminalRecord>(couch, RELAY_PRIVATE_DB, 'terminal:');
}

/** Unpairs a terminal: it can no longer obtain tokens (its current token lapses within the hour). */
export async function unpairTerminal(couch: CouchHandle, terminalId: string, by: string): Promise<TerminalRecord> {
  const saved = await updateDoc<TerminalRecord>(couch, RELAY_PRIVATE_DB, `terminal:${terminalId}`, (t) => {
    if (!t) throw notFound('terminal_not_found', `No terminal ${terminalId}.`);
    return { ...t, active: false, unpairedAt: new Date().toISOString(), unpairedBy: by };
  });
  return saved as TerminalRecord;
}

/** Trades a terminal credential for a CouchDB token on the relay (roles per the design's access table). */
export async function terminalToken(couch: CouchHandle, jwtSecret: string, storeCode: string, terminalId: unknown, secret: unknown) {
  if (typeof terminalId !== 'string' || typeof secret !== 'string') throw badRequest('missing_credentials', 'Send terminalId and secret.');
  const t = await getDoc<TerminalRecord>(couch, RELAY_PRIVATE_DB, `terminal:${terminalId}`);
  if (!t || !t.active || !matchesHash(secret, t.secretHash)) {
    throw unauthorized('terminal_credential_invalid', 'This terminal is not paired (or was unpaired).');
  }
  const token = jwt.sign(
    { sub: `terminal:${storeCode}:${terminalId}`, '_couchdb.roles': ['caja-terminal', `store:${storeCode}`, `terminal:${storeCode}:${terminalId}`], typ: 'terminal' },
    jwtSecret,
    { algorithm: 'HS256', expiresIn: TERMINAL_TOKEN_TTL_S },
  );
  return { token, expiresAt: new Date(Date.now() + TERMINAL_TOKEN_TTL_S * 1000).toISOString() };
}

/** A manager session token at the relay (for listing and unpairing terminals). */
export function signManagerToken(jwtSecret: string, user: StoreUser): string {
  return jwt.sign({ sub: `relayuser:${user.userId}`, typ: 'relay-manager', permissions: user.permissions }, jwtSecret, { algorithm: 'HS256', expiresIn: 30 * 60 });
}

/** Verifies a manager session token and a permission it must carry. */
export function verifyManagerToken(jwtSecret: string, header: string | undefined, permission: Permission): { userId: string } {
  const { subject, claims } = verifyTyped(jwtSecret, bearer(header, 'Log in with a manager PIN first.'), 'relay-manager', 'relayuser:', 'session token');
  if (!Array.isArray(claims.permissions) || !claims.permissions.includes(permission)) throw forbidden('permission_denied', `This needs the ${permission} permission.`);
  return { userId: subject };
}

/** Verifies a terminal's CouchDB token (as sent with its health reports); returns the terminal id. */
export function verifyTerminalToken(jwtSecret: string, storeCode: string, header: string | undefined): { terminalId: string } {
  return { terminalId: verifyTyped(jwtSecret, bearer(header, 'Send the terminal token.'), 'terminal', `terminal:${storeCode}:`, 'terminal token').subject };
}
