// PIN login and manager approvals at the till, fully offline: the PIN is checked against the hash HQ
// replicated into the terminal's own database (PBKDF2 via WebCrypto, the same code in the browser and
// Node), and failures lock the user out after 5 tries. The lockout state is a `_local` document: it is
// per terminal, keeps no revision history and never replicates. The checks are shared/auth/pinLogin.ts, as at
// the relay.
import type { LockoutState } from '../../../../shared/auth/lockout';
import type { LockoutStore, PinLoginResult } from '../../../../shared/auth/pinLogin';
import { loginWithPin as verifyLogin, PIN_LOCKOUT_DOC } from '../../../../shared/auth/pinLogin';
import type { Permission } from '../../../../shared/auth/permissions';
import { canApproveDiscount, hasPermission } from '../../../../shared/auth/permissions';
import type { Approval, StoreUser } from '../../../../shared/model/types';
import { docsWithPrefix, getOrNull, statusOf } from '../checkout/localDb';
import type { LocalDb } from '../checkout/localDb';
import { typePrefix } from '../../../../shared/model/ids';

export type { PinLoginResult };

type LockoutDoc = { _id: string; _rev?: string; state: LockoutState };

/** The terminal's lockout state in its own `_local` document (single writer: this terminal). */
function terminalLockout(db: LocalDb): LockoutStore {
  return {
    read: async () => (await getOrNull<LockoutDoc>(db, PIN_LOCKOUT_DOC))?.state ?? {},
    update: async (transition) => {
      // Retried on a conflict with a concurrent login attempt in another tab; after three, that tab's state stands.
      for (let attempt = 0; attempt < 3; attempt++) {
        const cur = await getOrNull<LockoutDoc>(db, PIN_LOCKOUT_DOC);
        const state = cur?.state ?? {};
        const next = transition(state);
        if (next === state) return state;
        try {
          await db.put({ _id: PIN_LOCKOUT_DOC, ...(cur?._rev ? { _rev: cur._rev } : {}), state: next });
          return next;
        } catch (err) {
          if (statusOf(err) !== 409) throw err;
        }
      }
      return (await getOrNull<LockoutDoc>(db, PIN_LOCKOUT_DOC))?.state ?? {};
    },
  };
}

/** The store users replicated to this terminal. */
export async function storeUsers(db: LocalDb): Promise<StoreUser[]> {
  return docsWithPrefix<StoreUser>(db, typePrefix('user'));
}

/** Verifies a user's PIN offline, enforcing the lockout. */
export async function loginWithPin(db: LocalDb, username: string, pin: string, now = Date.now()): Promise<PinLoginResult> {
  return verifyLogin(await storeUsers(db), terminalLockout(db), username, pin, now);
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
