// First start of an HQ: default roles in the catalog and the `admin` account. Idempotent, so every start
// runs it and a second HQ instance starting at the same moment is harmless (conflicts are ignored).
//
// Two steps, because of how an operator gets locked out: the roles are made before HQ listens (requests
// need them), but the admin only once HQ holds its port, so a start that dies on a busy port has created
// no account with a password nobody saw. And until the admin has signed in once, HQ_ADMIN_PASSWORD is
// honoured at every start: an operator who missed or lost the generated password sets it and restarts.
import { randomBytes } from 'node:crypto';
import type { CouchHandle } from '../../server-kit/couch';
import type { Logger } from '../../server-kit/log';
import { defaultRoleDocs } from '../../shared/auth/permissions';
import { verifySecret } from '../../shared/auth/secrets';
import { catalogId } from '../../shared/model/ids';
import { CATALOG_DB } from '../../shared/model/names';
import { createUser, findUserByUsername, listRoles, listUsers, neverSignedIn, setFirstStartPassword } from './users';

export const ADMIN_USERNAME = 'admin';

export interface FirstStartResult {
  /** Set only when this start created the admin with a generated password (shown once). */
  generatedAdminPassword: string | null;
}

/** The default roles (cashier, store manager, HQ admin...), created where missing. */
export async function ensureDefaultRoles(couch: CouchHandle, log: Logger): Promise<void> {
  const existingRoles = new Set((await listRoles(couch)).map((r) => r._id));
  const missing = defaultRoleDocs().filter((r) => !existingRoles.has(r._id));
  if (missing.length) {
    await couch.nano.use(CATALOG_DB).bulk({ docs: missing });
    log.info('bootstrap.roles', { created: missing.map((r) => r._id) });
  }
}

/**
 * The `admin` account: created on the first start (password HQ_ADMIN_PASSWORD, or generated and returned to
 * be printed once); on later starts, given HQ_ADMIN_PASSWORD and an admin that never signed in, that password
 * replaces the first start's one. An admin who has signed in keeps their password: from then on the way back is
 * `caja admin reset-password`, run on HQ's machine.
 */
export async function ensureAdmin(couch: CouchHandle, adminPassword: string | null, log: Logger): Promise<FirstStartResult> {
  if ((await listUsers(couch)).length > 0) {
    const admin = await findUserByUsername(couch, ADMIN_USERNAME);
    if (adminPassword && admin && neverSignedIn(admin) && !(await verifySecret(adminPassword, admin.passwordHash))) {
      await setFirstStartPassword(couch, admin, adminPassword);
      log.warn('bootstrap.admin_password_set', { username: ADMIN_USERNAME, passwordFrom: 'HQ_ADMIN_PASSWORD', why: 'the admin has not signed in yet' });
    } else if (adminPassword && admin && !neverSignedIn(admin)) {
      log.info('bootstrap.admin_password_ignored', { why: 'the admin has signed in; use `caja admin reset-password` on this machine to set a new one' });
    }
    return { generatedAdminPassword: null };
  }
  const password = adminPassword ?? randomBytes(12).toString('base64url');
  try {
    await createUser(couch, { username: ADMIN_USERNAME, displayName: 'Administrator', password, roles: [catalogId('role', 'hq_admin')] }, { passwordSetBy: 'bootstrap' });
  } catch (err) {
    if ((err as { status?: number }).status === 409) return { generatedAdminPassword: null };
    throw err;
  }
  log.info('bootstrap.admin_created', { username: ADMIN_USERNAME, passwordFrom: adminPassword ? 'HQ_ADMIN_PASSWORD' : 'generated' });
  return { generatedAdminPassword: adminPassword ? null : password };
}
