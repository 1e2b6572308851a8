// PIN login and manager approvals at the till, fully offline: the PIN is checked against the hash HQ
// replicated into the terminal's own database (PBKDF2 via WebCrypto, the same code in the browser and
// Node), and failures lock the user out after 5 tries. The lockout state is a `_local` document: it is
// per terminal, keeps no revision history and never replicates.
import type { LockoutState } from '../../../../shared/auth/lockout';
import { checkLocked, recordFailure, recordSuccess } from '../../../../shared/auth/lockout';
import type { Permission } from '../../../../shared/auth/permissions';
import { canApproveDiscount, hasPermission } from '../../../../shared/auth/permissions';
import { verifySecret } from '../../../../shared/auth/secrets';
import type { Approval, StoreUser } from '../../../../shared/model/types';

const LOCKOUT_DOC = '_local/pin-lockout';

/** The part of a PouchDB database this module needs (a real PouchDB in the app and in tests). */
export interface LocalDb {
  get(id: string): Promise<unknown>;
  put(doc: Record<string, unknown>): Promise<unknown>;
  allDocs(opts: { startkey: string; endkey: string; include_docs: true }): Promise<{ rows: Array<{ doc?: unknown }> }>;
}

export type PinLoginResult =
  | { ok: true; user: StoreUser }
  | { ok: false; reason: 'unknown_user' | 'wrong_pin' | 'locked' | 'inactive'; lockedUntil: number | null; failuresLeft: number };

async function readLockout(db: LocalDb): Promise<{ _rev?: string; state: LockoutState }> {
  try {
    return (await db.get(LOCKOUT_DOC)) as { _rev?: string; state: LockoutState };
  } catch {
    return { state: {} };
  }
}

async function writeLockout(db: LocalDb, update: (s: LockoutState) => LockoutState): Promise<void> {
  // Single writer (this terminal); retry once on a conflict with a concurrent login attempt in another tab.
  for (let attempt = 0; attempt < 3; attempt++) {
    const cur = await readLockout(db);
    try {
      await db.put({ _id: LOCKOUT_DOC, ...(cur._rev ? { _rev: cur._rev } : {}), state: update(cur.state) });
      return;
    } catch (err) {
      if ((err as { status?: number }).status !== 409) throw err;
    }
  }
}

/** The store users replicated to this terminal. */
export async function storeUsers(db: LocalDb): Promise<StoreUser[]> {
  const res = await db.allDocs({ startkey: 'user:', endkey: 'user:\ufff0', include_docs: true });
  return res.rows.flatMap((r) => (r.doc ? [r.doc as StoreUser] : []));
}

/** Verifies a user's PIN offline, enforcing the lockout. */
export async function loginWithPin(db: LocalDb, username: string, pin: string, now = Date.now()): Promise<PinLoginResult> {
  const users = await storeUsers(db);
  const user = users.find((u) => u.username === username.trim().toLowerCase());
  const key = user?.userId ?? `unknown:${username.trim().toLowerCase()}`;
  const before = checkLocked((await readLockout(db)).state, key, now);
  if (before.locked) return { ok: false, reason: 'locked', lockedUntil: before.lockedUntil, failuresLeft: 0 };
  const ok = user ? await verifySecret(pin, user.pin) : false;
  if (ok && user) {
    await writeLockout(db, (s) => recordSuccess(s, key, now));
    if (!user.active) return { ok: false, reason: 'inactive', lockedUntil: null, failuresLeft: before.failuresLeft };
    return { ok: true, user };
  }
  await writeLockout(db, (s) => recordFailure(s, key, now));
  const after = checkLocked((await readLockout(db)).state, key, now);
  return {
    ok: false,
    reason: after.locked ? 'locked' : user ? 'wrong_pin' : 'unknown_user',
    lockedUntil: after.lockedUntil,
    failuresLeft: after.failuresLeft,
  };
}

export type ApprovalResult = { ok: true; approval: Approval } | { ok: false; reason: 'denied' | 'unknown_user' | 'wrong_pin' | 'locked' | 'inactive' };

/**
 * A manager approves an override with their PIN at the till. The returned Approval (who, what, when) is
 * recorded on the document it approves (sale, void, return, cash movement).
 */
export async function approveOverride(
  db: LocalDb,
  username: string,
  pin: string,
  action: Permission,
  extra: { reason?: string; lineNo?: number; requestedBp?: number } = {},
  now = Date.now(),
): Promise<ApprovalResult> {
  const login = await loginWithPin(db, username, pin, now);
  if (!login.ok) return { ok: false, reason: login.reason };
  if (!hasPermission(login.user, action)) return { ok: false, reason: 'denied' };
  // A supervisor approves a discount only up to their own limit (a 20 % approver cannot grant 100 %).
  if (action === 'discount.over_limit' && extra.requestedBp !== undefined && !canApproveDiscount(login.user, extra.requestedBp)) {
    return { ok: false, reason: 'denied' };
  }
  return {
    ok: true,
    approval: {
      action,
      approvedBy: login.user.userId,
      approvedAt: new Date(now).toISOString(),
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.lineNo !== undefined ? { lineNo: extra.lineNo } : {}),
    },
  };
}
