// Staff accounts and roles. A user lives once at HQ (with password and PIN hashes); assigning them to a
// store projects a StoreUser document (PIN hash and resolved permissions, never the password hash) into
// that store's database, and unassigning deletes it, so the store's tills stop accepting the PIN.
import { randomUUID } from 'node:crypto';
import type { CouchHandle } from '../../common/couch';
import { getDoc, listByPrefix, putDoc, updateDoc } from '../../common/docs';
import { badRequest, conflict, notFound } from '../../common/errors';
import { ALL_PERMISSIONS, isPermission, resolvePermissions } from '../../shared/auth/permissions';
import { hashPin, hashSecret, isValidPin, PASSWORD_ITERATIONS } from '../../shared/auth/secrets';
import type { I18nText, Role, StoreUser } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { userDocId } from '../../shared/model/ids';
import { CATALOG_DB, HQ_DB, storeDbName } from './dbs';
import type { HqUser } from './model';
import { hqUserKey, storeKey } from './model';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const MIN_PASSWORD_LENGTH = 10;

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
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw badRequest('weak_password', `A password has at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  return password;
}

function checkPin(pin: unknown): string {
  if (typeof pin !== 'string' || !isValidPin(pin)) throw badRequest('invalid_pin', 'A PIN is 4 to 6 digits.');
  return pin;
}

export async function listRoles(couch: CouchHandle): Promise<Role[]> {
  return listByPrefix<Role>(couch, CATALOG_DB, 'role:');
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

export async function listUsers(couch: CouchHandle): Promise<HqUser[]> {
  return listByPrefix<HqUser>(couch, HQ_DB, 'hquser:');
}

export async function getUser(couch: CouchHandle, id: string): Promise<HqUser> {
  const u = await getDoc<HqUser>(couch, HQ_DB, hqUserKey(id));
  if (!u) throw notFound('user_not_found', `No user ${id}.`);
  return u;
}

export async function findUserByUsername(couch: CouchHandle, username: string): Promise<HqUser | null> {
  const wanted = username.normalize('NFKC').toLowerCase();
  return (await listUsers(couch)).find((u) => u.username === wanted) ?? null;
}

export interface UserInput {
  username: string;
  displayName?: string;
  email?: string;
  password?: string;
  pin?: string;
  roles?: string[];
  active?: boolean;
}

/** Creates a staff user; usernames are unique (case-insensitive). */
export async function createUser(couch: CouchHandle, input: UserInput): Promise<HqUser> {
  const username = String(input.username ?? '').normalize('NFKC').toLowerCase().trim();
  if (!USERNAME.test(username)) throw badRequest('invalid_username', 'A username is 2-32 of a-z, 0-9, dot, dash or underscore.');
  if (await findUserByUsername(couch, username)) throw conflict('username_taken', `The username ${username} is taken.`);
  const roles = input.roles ?? [];
  await rolesById(couch, roles);
  const now = new Date().toISOString();
  const id = randomUUID();
  const user: HqUser = {
    _id: hqUserKey(id),
    type: 'hquser',
    id,
    username,
    displayName: input.displayName?.trim() || username,
    ...(input.email ? { email: input.email } : {}),
    passwordHash: input.password !== undefined ? await hashSecret(checkPassword(input.password), { iterations: PASSWORD_ITERATIONS }) : null,
    pinHash: input.pin !== undefined ? await hashPin(checkPin(input.pin)) : null,
    roles,
    storeRoles: {},
    active: input.active ?? true,
    mustChangePassword: false,
    createdAt: now,
    updatedAt: now,
  };
  return putDoc(couch, HQ_DB, user);
}

/** Updates name, email, roles, active flag, password or PIN; re-projects the user into their stores. */
export async function updateUser(couch: CouchHandle, id: string, input: Partial<UserInput>): Promise<HqUser> {
  if (input.roles) await rolesById(couch, input.roles);
  const passwordHash = input.password !== undefined ? await hashSecret(checkPassword(input.password), { iterations: PASSWORD_ITERATIONS }) : undefined;
  const pinHash = input.pin !== undefined ? await hashPin(checkPin(input.pin)) : undefined;
  let replaced: string[] = [];
  const saved = (await updateDoc<HqUser>(couch, HQ_DB, hqUserKey(id), (u) => {
    if (!u) throw notFound('user_not_found', `No user ${id}.`);
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
      updatedAt: new Date().toISOString(),
    };
  })) as HqUser;
  await projectUser(couch, saved, replaced);
  return saved;
}

/** Deactivates a user (kept for the audit trail) and removes them from every store. */
export async function deactivateUser(couch: CouchHandle, id: string): Promise<HqUser> {
  let replaced: string[] = [];
  const saved = await updateDoc<HqUser>(couch, HQ_DB, hqUserKey(id), (u) => {
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
    if (!(await getDoc(couch, HQ_DB, storeKey(code)))) throw badRequest('unknown_store', `Unknown store ${code}.`);
    if (!Array.isArray(roles)) throw badRequest('invalid_store_roles', `Roles for ${code} must be a list.`);
    await rolesById(couch, roles);
  }
  const cleaned = Object.fromEntries(Object.entries(storeRoles).filter(([, roles]) => roles.length > 0));
  // The stores of the version this write replaces (read inside the update, so a concurrent change is seen):
  // the user leaves those not assigned any more, and their databases must lose the PIN hash.
  let replaced: string[] = [];
  const saved = await updateDoc<HqUser>(couch, HQ_DB, hqUserKey(id), (u) => {
    if (!u) return null;
    replaced = Object.keys(u.storeRoles);
    return { ...u, storeRoles: cleaned, updatedAt: new Date().toISOString() };
  });
  if (!saved) throw notFound('user_not_found', `No user ${id}.`);
  await projectUser(couch, saved, replaced);
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
  const db = storeDbName(code);
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

/** Creates or updates a role (`role:<code>`, catalog: it travels to every store). */
export async function upsertRole(
  couch: CouchHandle,
  code: string,
  input: { name?: I18nText; permissions?: string[]; discountLimitBp?: number },
): Promise<Role> {
  if (!/^[a-z0-9_]{2,32}$/.test(code)) throw badRequest('invalid_role_code', 'A role code is 2-32 of a-z, 0-9 or underscore.');
  const perms = input.permissions ?? [];
  const unknown = perms.filter((p) => !isPermission(p));
  if (unknown.length) throw badRequest('unknown_permission', `Unknown permission(s): ${unknown.join(', ')}. Known: ${ALL_PERMISSIONS.join(', ')}.`);
  const limit = input.discountLimitBp ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > 10000) throw badRequest('invalid_discount_limit', 'discountLimitBp is 0..10000.');
  const saved = await updateDoc<Role>(couch, CATALOG_DB, `role:${code}`, (cur) => ({
    _id: `role:${code}`,
    type: 'role',
    schema: CURRENT_SCHEMA,
    code,
    name: input.name ?? cur?.name ?? { en: code, es: code },
    permissions: input.permissions ?? cur?.permissions ?? [],
    discountLimitBp: input.discountLimitBp ?? cur?.discountLimitBp ?? 0,
  }));
  // Users holding the role carry resolved permissions; refresh their store documents.
  for (const user of await listUsers(couch)) {
    const stores = Object.entries(user.storeRoles).filter(([, roles]) => roles.includes(`role:${code}`)).map(([s]) => s);
    if (stores.length) await projectUser(couch, user, stores);
  }
  return saved as Role;
}
