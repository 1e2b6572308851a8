// Staff accounts and roles. A user lives once at HQ (with password and PIN hashes); assigning them to a
// store projects a StoreUser document (PIN hash and resolved permissions, never the password hash) into
// that store's database, and unassigning deletes it, so the store's tills stop accepting the PIN.
import { randomUUID } from 'node:crypto';
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, listByPrefix, putDoc, updateDoc } from '../../server-kit/docs';
import { badRequest, conflict, notFound } from '../../server-kit/errors';
import { ALL_PERMISSIONS, isPermission, resolvePermissions } from '../../shared/auth/permissions';
import { hashPin, hashSecret, isValidPin, PASSWORD_ITERATIONS } from '../../shared/auth/secrets';
import type { Role, StoreUser } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { catalogId, typePrefix, userDocId } from '../../shared/model/ids';
import type { UserCreateBody, UserUpdateBody, RoleUpsertBody } from '../../shared/api/bodies';
import { LIMITS, ROLE_CODE } from '../../shared/api/bodies';
import { emptyLoginLimits } from '../../shared/auth/lockout';
import type { LoginLimitState } from '../../shared/auth/lockout';
import type { Logger } from '../../server-kit/log';
import { CATALOG_DB, HQ_DB, hqStoreDbName, hqStoreRecordId, hqUserRecordId, LOCAL_ID, PRIVATE_PREFIX } from '../../shared/model/names';
import type { HqUser } from './model';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const MIN_PASSWORD_LENGTH = LIMITS.passwordMin;

/**
 * A staff account as stored. Two markers drive the operator's recovery path (HQ_ADMIN_PASSWORD honoured
 * until the first sign-in; docs in README "Operator recovery"): when the account first signed in, and who set its
 * current password. Optional: accounts written by older versions have neither.
 */
export type HqUserDoc = HqUser & {
  firstLoginAt?: string;
  /** `bootstrap` (the stored value, kept for existing records): HQ's first start (generated or HQ_ADMIN_PASSWORD); `staff`: through the API; `operator`: `caja admin reset-password`. */
  passwordSetBy?: 'bootstrap' | 'staff' | 'operator';
};

/** What the API shows of a user: never a hash. */
export function publicUser(u: HqUser) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    email: u.email ?? null,
    roles: u.roles,
    storeRoles: u.storeRoles,
    active: u.active,
    hasPin: Boolean(u.pinHash),
    mustChangePassword: u.mustChangePassword,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

export function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH || password.length > LIMITS.passwordMax) {
    throw badRequest('weak_password', `A password has ${MIN_PASSWORD_LENGTH} to ${LIMITS.passwordMax} characters.`);
  }
  return password;
}

function checkPin(pin: unknown): string {
  if (typeof pin !== 'string' || !isValidPin(pin)) throw badRequest('invalid_pin', 'A PIN is 4 to 6 digits.');
  return pin;
}

export async function listRoles(couch: CouchHandle): Promise<Role[]> {
  return listByPrefix<Role>(couch, CATALOG_DB, typePrefix('role'));
}

async function rolesById(couch: CouchHandle, ids: string[]): Promise<Role[]> {
  const all = await listRoles(couch);
  const found = all.filter((r) => ids.includes(r._id));
  const missing = ids.filter((id) => !found.some((r) => r._id === id));
  if (missing.length) throw badRequest('unknown_role', `Unknown role(s): ${missing.join(', ')}.`);
  return found;
}

/** Permissions a user holds at HQ (from their HQ roles). */
export async function hqPermissions(couch: CouchHandle, user: HqUser): Promise<string[]> {
  if (!user.active) return [];
  return resolvePermissions(await rolesById(couch, user.roles)).permissions;
}

export async function listUsers(couch: CouchHandle): Promise<HqUserDoc[]> {
  return listByPrefix<HqUserDoc>(couch, HQ_DB, PRIVATE_PREFIX.hqUser);
}

export async function getUser(couch: CouchHandle, id: string): Promise<HqUser> {
  const u = await getDoc<HqUser>(couch, HQ_DB, hqUserRecordId(id));
  if (!u) throw notFound('user_not_found', `No user ${id}.`);
  return u;
}

export async function findUserByUsername(couch: CouchHandle, username: string): Promise<HqUserDoc | null> {
  const wanted = username.normalize('NFKC').toLowerCase();
  return (await listUsers(couch)).find((u) => u.username === wanted) ?? null;
}

/** A new user, as POST /users parses it (shared/api/bodies.ts). */
export type UserInput = UserCreateBody;

/** Checks a store -> roles assignment against what exists; nothing is written. */
async function checkStoreRoles(couch: CouchHandle, storeRoles: Record<string, string[]>): Promise<void> {
  for (const [code, roles] of Object.entries(storeRoles)) {
    if (!(await getDoc(couch, HQ_DB, hqStoreRecordId(code)))) throw badRequest('unknown_store', `Unknown store ${code}.`);
    await rolesById(couch, roles);
  }
}

const withoutEmpty = (storeRoles: Record<string, string[]>) => Object.fromEntries(Object.entries(storeRoles).filter(([, roles]) => roles.length > 0));

/**
 * Creates a staff user, optionally with store roles; usernames are unique (case-insensitive). Everything is
 * checked (username, roles, stores) before the user is written, and a failure while projecting the user into
 * its stores removes the user again: a retry must not hear "username taken" for a user that half exists.
 */
export async function createUser(couch: CouchHandle, input: UserInput, opts: { passwordSetBy?: HqUserDoc['passwordSetBy']; log?: Logger } = {}): Promise<HqUser> {
  const username = String(input.username ?? '').normalize('NFKC').toLowerCase().trim();
  if (!USERNAME.test(username)) throw badRequest('invalid_username', 'A username is 2-32 of a-z, 0-9, dot, dash or underscore.');
  const password = input.password !== undefined ? checkPassword(input.password) : undefined;
  const pin = input.pin !== undefined ? checkPin(input.pin) : undefined;
  if (await findUserByUsername(couch, username)) throw conflict('username_taken', `The username ${username} is taken.`);
  const roles = input.roles ?? [];
  await rolesById(couch, roles);
  const storeRoles = withoutEmpty(input.storeRoles ?? {});
  await checkStoreRoles(couch, storeRoles);
  const now = new Date().toISOString();
  const id = randomUUID();
  const user: HqUserDoc = {
    _id: hqUserRecordId(id),
    type: 'hquser',
    id,
    username,
    displayName: input.displayName?.trim() || username,
    ...(input.email ? { email: input.email } : {}),
    passwordHash: password !== undefined ? await hashSecret(password, { iterations: PASSWORD_ITERATIONS }) : null,
    pinHash: pin !== undefined ? await hashPin(pin) : null,
    roles,
    storeRoles,
    active: input.active ?? true,
    mustChangePassword: false,
    ...(password !== undefined ? { passwordSetBy: opts.passwordSetBy ?? 'staff' } : {}),
    createdAt: now,
    updatedAt: now,
  };
  const saved = await putDoc(couch, HQ_DB, user);
  if (Object.keys(storeRoles).length === 0) return saved;
  try {
    await projectUser(couch, saved, []);
  } catch (err) {
    await undoCreateUser(couch, saved).catch((undoErr: unknown) =>
      opts.log?.error('user.create_undo_failed', { user: id, err: undoErr instanceof Error ? undoErr : String(undoErr) }),
    );
    throw err;
  }
  return saved;
}

/** Takes a just-created user out of its stores again and deletes it. */
async function undoCreateUser(couch: CouchHandle, user: HqUser): Promise<void> {
  const stores = Object.keys(user.storeRoles);
  // Over the revision the creation wrote (a 409 if someone already changed the new user: theirs stands).
  const out = await putDoc(couch, HQ_DB, { ...user, storeRoles: {}, active: false });
  await projectUser(couch, out, stores);
  await couch.nano.use(HQ_DB).destroy(out._id, out._rev as string);
}

/**
 * Puts a user document back as it was before a write whose projection failed, and projects that version
 * (best effort: the caller reports the original failure whatever happens here). Only over the revision that
 * write made: when another request changed the user since, its version stands (CouchDB refuses the put).
 */
async function restoreUser(couch: CouchHandle, before: HqUser, savedRev: string | undefined, alsoStores: readonly string[]): Promise<void> {
  if (!savedRev) return;
  const { _rev: _old, ...content } = before;
  const restored = await putDoc(couch, HQ_DB, { ...content, _rev: savedRev });
  await projectUser(couch, restored, alsoStores);
}

/** Updates name, email, roles, active flag, password or PIN; re-projects the user into their stores. */
export async function updateUser(couch: CouchHandle, id: string, input: UserUpdateBody): Promise<HqUser> {
  if (input.roles) await rolesById(couch, input.roles);
  const passwordHash = input.password !== undefined ? await hashSecret(checkPassword(input.password), { iterations: PASSWORD_ITERATIONS }) : undefined;
  const pinHash = input.pin !== undefined ? await hashPin(checkPin(input.pin)) : undefined;
  let replaced: string[] = [];
  let before: HqUser | null = null;
  const saved = (await updateDoc<HqUserDoc>(couch, HQ_DB, hqUserRecordId(id), (u) => {
    if (!u) throw notFound('user_not_found', `No user ${id}.`);
    before = u;
    replaced = Object.keys(u.storeRoles);
    return {
      ...u,
      displayName: input.displayName?.trim() || u.displayName,
      ...(input.email !== undefined ? { email: input.email } : {}),
      roles: input.roles ?? u.roles,
      active: input.active ?? u.active,
      passwordHash: passwordHash ?? u.passwordHash,
      pinHash: pinHash ?? u.pinHash,
      mustChangePassword: passwordHash ? false : u.mustChangePassword,
      ...(passwordHash ? { passwordSetBy: 'staff' as const } : {}),
      updatedAt: new Date().toISOString(),
    };
  })) as HqUser;
  try {
    await projectUser(couch, saved, replaced);
  } catch (err) {
    const previous = before as HqUser | null;
    if (previous) await restoreUser(couch, previous, saved._rev, [...replaced, ...Object.keys(saved.storeRoles)]).catch(() => undefined);
    throw err;
  }
  return saved;
}

/**
 * Sets a user's password as an operator on HQ's machine (`caja admin reset-password`): no current password,
 * the user must change it at next sign-in, and their failed-login count is cleared so they can sign in now.
 */
export async function resetPassword(couch: CouchHandle, username: string, newPassword: string, opts: { activate?: boolean } = {}): Promise<HqUser> {
  const user = await findUserByUsername(couch, username);
  if (!user) throw notFound('user_not_found', `No user ${username}.`);
  const passwordHash = await hashSecret(checkPassword(newPassword), { iterations: PASSWORD_ITERATIONS });
  const saved = (await updateDoc<HqUserDoc>(couch, HQ_DB, user._id, (u) =>
    u ? { ...u, passwordHash, mustChangePassword: true, ...(opts.activate ? { active: true } : {}), passwordSetBy: 'operator', updatedAt: new Date().toISOString() } : null,
  )) as HqUser;
  // Reactivated: the stores get the user back (a deactivated user was taken out of them).
  if (opts.activate && !user.active) await projectUser(couch, saved, []);
  await clearLoginFailures(couch, user.username);
  return saved;
}

/**
 * Forgets a username's failed logins (its address budgets are left alone) in LOCAL_ID.loginLimits, where
 * hq/services/auth.ts keeps failed logins per username and address.
 */
async function clearLoginFailures(couch: CouchHandle, username: string): Promise<void> {
  const key = username.normalize('NFKC').toLowerCase();
  await updateDoc<{ _id: string; _rev?: string; state: LoginLimitState }>(couch, HQ_DB, LOCAL_ID.loginLimits, (cur) => {
    if (!cur || !Object.hasOwn(cur.state?.users ?? {}, key)) return null;
    const users = Object.fromEntries(Object.entries(cur.state.users).filter(([k]) => k !== key));
    return { ...cur, state: { ...emptyLoginLimits(), ...cur.state, users } };
  });
}

/**
 * Notes a user's first successful sign-in (written once, never again): until then an operator may still set
 * the first-start admin's password through HQ_ADMIN_PASSWORD.
 */
export async function recordFirstLogin(couch: CouchHandle, username: string): Promise<void> {
  const user = await findUserByUsername(couch, username);
  if (!user || user.firstLoginAt) return;
  await updateDoc<HqUserDoc>(couch, HQ_DB, user._id, (u) => (u && !u.firstLoginAt ? { ...u, firstLoginAt: new Date().toISOString() } : null));
}

/** Whether an account has never been used: never signed in, password as HQ's first start set it. */
export function neverSignedIn(user: HqUserDoc): boolean {
  if (user.firstLoginAt) return false;
  // Accounts from before these markers: untouched since creation means never signed in to change anything.
  return user.passwordSetBy ? user.passwordSetBy === 'bootstrap' : user.updatedAt === user.createdAt;
}

/** Sets the first-start admin's password again (HQ_ADMIN_PASSWORD at a start before anyone signed in). */
export async function setFirstStartPassword(couch: CouchHandle, user: HqUser, password: string): Promise<void> {
  const passwordHash = await hashSecret(checkPassword(password), { iterations: PASSWORD_ITERATIONS });
  await updateDoc<HqUserDoc>(couch, HQ_DB, user._id, (u) => (u ? { ...u, passwordHash, passwordSetBy: 'bootstrap' } : null));
  await clearLoginFailures(couch, user.username);
}

/** Deactivates a user (kept for the audit trail) and removes them from every store. */
export async function deactivateUser(couch: CouchHandle, id: string): Promise<HqUser> {
  let replaced: string[] = [];
  const saved = await updateDoc<HqUser>(couch, HQ_DB, hqUserRecordId(id), (u) => {
    if (!u) return null;
    replaced = Object.keys(u.storeRoles);
    return { ...u, active: false, storeRoles: {}, updatedAt: new Date().toISOString() };
  });
  if (!saved) throw notFound('user_not_found', `No user ${id}.`);
  await projectUser(couch, saved, replaced);
  return saved;
}

/** Replaces a user's per-store role assignments and projects the change into each affected store. */
export async function setStoreRoles(couch: CouchHandle, id: string, storeRoles: Record<string, string[]>): Promise<HqUser> {
  if (typeof storeRoles !== 'object' || storeRoles === null || Array.isArray(storeRoles)) {
    throw badRequest('invalid_store_roles', 'storeRoles is an object of store code -> role ids.');
  }
  for (const [code, roles] of Object.entries(storeRoles)) {
    if (!Array.isArray(roles)) throw badRequest('invalid_store_roles', `Roles for ${code} must be a list.`);
  }
  await checkStoreRoles(couch, storeRoles);
  const cleaned = withoutEmpty(storeRoles);
  // The stores of the version this write replaces (read inside the update, so a concurrent change is seen):
  // the user leaves those not assigned any more, and their databases must lose the PIN hash.
  let replaced: string[] = [];
  let before: HqUser | null = null;
  const saved = await updateDoc<HqUser>(couch, HQ_DB, hqUserRecordId(id), (u) => {
    if (!u) return null;
    before = u;
    replaced = Object.keys(u.storeRoles);
    return { ...u, storeRoles: cleaned, updatedAt: new Date().toISOString() };
  });
  if (!saved) throw notFound('user_not_found', `No user ${id}.`);
  try {
    await projectUser(couch, saved, replaced);
  } catch (err) {
    const previous = before as HqUser | null;
    if (previous) await restoreUser(couch, previous, saved._rev, [...replaced, ...Object.keys(cleaned)]).catch(() => undefined);
    throw err;
  }
  return saved;
}

/** The StoreUser document a store receives for an assigned, active user. */
export function storeUserDoc(user: HqUser, storeCode: string, roles: Role[]): StoreUser {
  const resolved = resolvePermissions(roles);
  return {
    _id: userDocId(user.id),
    type: 'user',
    schema: CURRENT_SCHEMA,
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    storeId: storeCode,
    roles: roles.map((r) => r._id),
    permissions: resolved.permissions,
    discountLimitBp: resolved.discountLimitBp,
    pin: user.pinHash,
    active: user.active,
  };
}

/** A deletion that still replicates through type selectors: identity fields kept, everything else dropped. */
export function tombstone<T extends { _id: string; _rev?: string; type: string; schema: number; storeId?: string }>(doc: T) {
  return { _id: doc._id, _rev: doc._rev, _deleted: true, type: doc.type, schema: doc.schema, ...(doc.storeId ? { storeId: doc.storeId } : {}) };
}

/** How many times a projection re-reads a user that keeps changing under it before giving up. */
const PROJECTION_ROUNDS = 10;

/**
 * Makes the store databases match the user's assignment, so the PIN hash is in exactly the databases of the
 * stores the user works at. It projects the user as stored now, not the version the caller saved: two requests
 * changing one user's stores at once would otherwise each project their own version, and the slower one could
 * write the user document back into a store the user had just left. So it re-reads the user after writing and
 * goes again while the revision moved, over every store any version it saw names, plus `alsoStores` (the
 * stores of the version the caller's write replaced). The last request to finish projects the last version.
 */
async function projectUser(couch: CouchHandle, user: HqUser, alsoStores: readonly string[]): Promise<void> {
  const affected = new Set<string>([...alsoStores, ...Object.keys(user.storeRoles)]);
  for (let round = 0; round < PROJECTION_ROUNDS; round++) {
    const current = await getDoc<HqUser>(couch, HQ_DB, user._id);
    if (!current) return;
    for (const code of Object.keys(current.storeRoles)) affected.add(code);
    let contended = false;
    for (const code of affected) {
      try {
        await projectIntoStore(couch, current, code);
      } catch (err) {
        // Another projection of this user is writing the same store document: go round again, from a fresh read.
        if ((err as { statusCode?: number }).statusCode !== 409) throw err;
        contended = true;
      }
    }
    if (!contended && (await getDoc<HqUser>(couch, HQ_DB, user._id))?._rev === current._rev) return;
    if (contended) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (round + 1)));
  }
  throw new Error(`user ${user.id} kept changing during ${PROJECTION_ROUNDS} projections`);
}

/** Writes or deletes the user's document in one store database so it matches the user's roles there. */
async function projectIntoStore(couch: CouchHandle, user: HqUser, code: string): Promise<void> {
  const roleIds = user.active ? (user.storeRoles[code] ?? []) : [];
  const db = hqStoreDbName(code);
  const docId = userDocId(user.id);
  if (roleIds.length === 0) {
    // The tombstone keeps `type` and `storeId` (and drops the PIN hash): replication selectors match on
    // type, so a bare deletion stub would never reach the store and its tills would keep accepting the PIN.
    await updateDoc<StoreUser>(couch, db, docId, (existing) => (existing?._rev ? (tombstone(existing) as unknown as StoreUser) : null));
    return;
  }
  const doc = storeUserDoc(user, code, await rolesById(couch, roleIds));
  await updateDoc<StoreUser>(couch, db, docId, (cur) => {
    const { _rev: _ignored, ...curBody } = cur ?? ({} as Partial<StoreUser>);
    // No new revision when nothing changed: terminals would otherwise re-download every user on each edit.
    return JSON.stringify(curBody) === JSON.stringify(doc) ? null : doc;
  });
}

/**
 * Creates or updates a role (`role:<code>`, catalog: it travels to every store). Users holding the role carry
 * its resolved permissions in their stores, so they are re-projected; when that fails, the role is put back
 * as it was (and its holders projected from it again), so the catalog and the stores do not disagree.
 */
export async function upsertRole(couch: CouchHandle, code: string, input: RoleUpsertBody): Promise<Role> {
  if (!ROLE_CODE.test(code)) throw badRequest('invalid_role_code', 'A role code is 2-32 of a-z, 0-9 or underscore, not starting with an underscore.');
  const perms = input.permissions ?? [];
  const unknown = perms.filter((p) => !isPermission(p));
  if (unknown.length) throw badRequest('unknown_permission', `Unknown permission(s): ${unknown.join(', ')}. Known: ${ALL_PERMISSIONS.join(', ')}.`);
  const limit = input.discountLimitBp ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > 10000) throw badRequest('invalid_discount_limit', 'discountLimitBp is 0..10000.');
  let previous: Role | null = null;
  const saved = (await updateDoc<Role>(couch, CATALOG_DB, catalogId('role', code), (cur) => {
    previous = cur;
    const next: Role = {
      _id: catalogId('role', code),
      type: 'role',
      schema: CURRENT_SCHEMA,
      code,
      name: input.name ?? cur?.name ?? { en: code, es: code },
      permissions: input.permissions ?? cur?.permissions ?? [],
      discountLimitBp: input.discountLimitBp ?? cur?.discountLimitBp ?? 0,
    };
    // No new revision when nothing changes: a role travels to every store.
    const { _rev: _ignored, ...curBody } = cur ?? ({} as Partial<Role>);
    return cur && JSON.stringify(curBody) === JSON.stringify(next) ? null : next;
  })) as Role;
  const before = previous as Role | null;
  if (before && before._rev === saved._rev) return saved;
  try {
    await reprojectHolders(couch, code);
  } catch (err) {
    const { _rev: _old, ...content } = before ?? ({} as Partial<Role>);
    // A role that did not exist before is deleted again; an existing one gets its old content back.
    const undo = before ? putDoc(couch, CATALOG_DB, { ...(content as Role), _rev: saved._rev }) : couch.nano.use(CATALOG_DB).destroy(saved._id, saved._rev as string);
    await Promise.resolve(undo)
      .then(() => reprojectHolders(couch, code))
      .catch(() => undefined);
    throw err;
  }
  return saved;
}

/** Re-projects every user holding a role into the stores where they hold it. */
async function reprojectHolders(couch: CouchHandle, code: string): Promise<void> {
  for (const user of await listUsers(couch)) {
    const stores = Object.entries(user.storeRoles).filter(([, roles]) => roles.includes(catalogId('role', code))).map(([s]) => s);
    if (stores.length) await projectUser(couch, user, stores);
  }
}
