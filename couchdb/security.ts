// Per-database `_security` objects and CouchDB 3's access rules. They live in files beside the
// databases (not as a `_local` document inside them) so no document route — `_local/*`, `_bulk_docs`,
// `_bulk_get` — can ever read or overwrite them; only GET/PUT /{db}/_security, gated here, can.
import { mkdir, readFile, rename, rm, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import type { UserCtx } from './jwt';
import { isPlainObject } from './http';

export interface SecurityGroup {
  names: string[];
  roles: string[];
}
export interface SecurityObject {
  admins: SecurityGroup;
  members: SecurityGroup;
  [extra: string]: unknown;
}

/** What CouchDB 3 (`[couchdb] default_security = admin_only`) gives a new database. */
export function defaultSecurity(): SecurityObject {
  return { admins: { names: [], roles: ['_admin'] }, members: { names: [], roles: ['_admin'] } };
}

function group(value: unknown): SecurityGroup {
  const g = isPlainObject(value) ? value : {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { names: strings(g.names), roles: strings(g.roles) };
}

/** Checks a PUT body like CouchDB does (names/roles must be lists of strings) and normalises it. */
export function parseSecurity(body: unknown): SecurityObject | string {
  if (!isPlainObject(body)) return 'Security object must be a JSON object';
  for (const key of ['admins', 'members'] as const) {
    const g = body[key];
    if (g === undefined) continue;
    if (!isPlainObject(g)) return `${key} must be a JSON object`;
    for (const field of ['names', 'roles'] as const) {
      const list = g[field];
      if (list !== undefined && !(Array.isArray(list) && list.every((x) => typeof x === 'string'))) {
        return `${key}.${field} must be a JSON list of strings`;
      }
    }
  }
  return { ...body, admins: group(body.admins), members: group(body.members) };
}

const isServerAdmin = (user: UserCtx) => user.roles.includes('_admin');
const inGroup = (user: UserCtx, g: SecurityGroup) =>
  (user.name !== null && g.names.includes(user.name)) || user.roles.some((r) => g.roles.includes(r));

export function isDbAdmin(user: UserCtx, sec: SecurityObject): boolean {
  return isServerAdmin(user) || inGroup(user, sec.admins);
}

/**
 * Member access. CouchDB treats empty members as "public"; CouchDB 3 avoids that by creating every
 * database admin-only. We go one step further and keep a database with empty members admin-only too, so
 * an accidental `PUT _security {}` never opens a store's data to every token holder.
 */
export function isMember(user: UserCtx, sec: SecurityObject): boolean {
  if (isDbAdmin(user, sec)) return true;
  const { names, roles } = sec.members;
  if (names.length === 0 && roles.length === 0) return false;
  return inGroup(user, sec.members);
}

/** Stores one JSON file per database under `<dataDir>/_caja_security/`, cached in memory. */
export class SecurityStore {
  private readonly cache = new Map<string, SecurityObject>();
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, '_caja_security');
  }

  private file(db: string): string {
    return path.join(this.dir, encodeURIComponent(db) + '.json');
  }

  async get(db: string): Promise<SecurityObject> {
    const cached = this.cache.get(db);
    if (cached) return cached;
    let sec: SecurityObject;
    try {
      const parsed = parseSecurity(JSON.parse(await readFile(this.file(db), 'utf8')));
      sec = typeof parsed === 'string' ? defaultSecurity() : parsed;
    } catch {
      // Missing or unreadable: fall back to admin-only, never to open.
      sec = defaultSecurity();
    }
    this.cache.set(db, sec);
    return sec;
  }

  /** Writes durably (temp file, fsync, rename) before answering, like any acknowledged CouchDB write. */
  async put(db: string, sec: SecurityObject): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.file(db);
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, JSON.stringify(sec));
    const handle = await open(tmp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
    this.cache.set(db, sec);
  }

  async remove(db: string): Promise<void> {
    this.cache.delete(db);
    await rm(this.file(db), { force: true });
  }
}
