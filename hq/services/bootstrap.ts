// First start of an HQ: default roles in the catalog and the `admin` account. Idempotent, so every start
// runs it and a second HQ instance starting at the same moment is harmless (conflicts are ignored).
import { randomBytes } from 'node:crypto';
import type { CouchHandle } from '../../common/couch';
import type { Logger } from '../../common/log';
import { defaultRoleDocs } from '../../shared/auth/permissions';
import { CATALOG_DB } from './dbs';
import { createUser, listRoles, listUsers } from './users';

export interface BootstrapResult {
  /** Set only when this start created the admin with a generated password (shown once). */
  generatedAdminPassword: string | null;
}

export async function bootstrapHq(couch: CouchHandle, adminPassword: string | null, log: Logger): Promise<BootstrapResult> {
  const existingRoles = new Set((await listRoles(couch)).map((r) => r._id));
  const missing = defaultRoleDocs().filter((r) => !existingRoles.has(r._id));
  if (missing.length) {
    await couch.nano.use(CATALOG_DB).bulk({ docs: missing });
    log.info('bootstrap.roles', { created: missing.map((r) => r._id) });
  }
  if ((await listUsers(couch)).length > 0) return { generatedAdminPassword: null };
  const password = adminPassword ?? randomBytes(12).toString('base64url');
  try {
    await createUser(couch, { username: 'admin', displayName: 'Administrator', password, roles: ['role:hq_admin'] });
  } catch (err) {
    if ((err as { status?: number }).status === 409) return { generatedAdminPassword: null };
    throw err;
  }
  log.info('bootstrap.admin_created', { username: 'admin', passwordFrom: adminPassword ? 'HQ_ADMIN_PASSWORD' : 'generated' });
  return { generatedAdminPassword: adminPassword ? null : password };
}
