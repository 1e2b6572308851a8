// One way to talk to "a CouchDB URL", embedded or real. Server processes (HQ, relay) act as CouchDB server
// admins through a short-lived JWT carrying the top-level "_couchdb.roles": ["_admin"] claim, which both
// the embedded server and CouchDB 3's jwt_authentication_handler accept, so no admin password is stored.
// signCouchToken is the one signer of CouchDB JWTs; what a CouchDB accepts is verified by CouchDB itself
// (couchdb/jwt.ts for the embedded server, which also owns the claim's name).
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { hmacKey } from './tokens';
import nano from 'nano';
import { ROLES_CLAIM } from '../couchdb/jwt';
import { COUCH_ROLE } from '../shared/model/names';
import type { CajaConfig } from './config';
import type { Logger } from './log';
import type { EmbeddedCouch } from '../couchdb/context';

const ADMIN_TOKEN_TTL_S = 15 * 60;

/**
 * Signs a CouchDB-compatible JWT (HS256, `sub`, top-level "_couchdb.roles", `exp`). `sub` is a principal
 * or an admin subject and `roles` CouchDB roles, as built in shared/model/names.ts.
 */
export function signCouchToken(secret: string, sub: string, roles: string[], ttlSeconds: number): string {
  return jwt.sign({ sub, [ROLES_CLAIM]: roles }, hmacKey(secret), { algorithm: 'HS256', expiresIn: ttlSeconds });
}

export interface CouchHandle {
  url: string;
  /** nano bound to the server, authenticating as admin with a token refreshed before it expires. */
  readonly nano: nano.ServerScope;
  /** `Authorization` header value for an admin request right now. */
  authHeader(): string;
  /** fetch against the server as admin; `path` starts with '/'. Throws CouchRequestError on non-2xx. */
  request<T = unknown>(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<T>;
  close(): Promise<void>;
  /**
   * Only when the server is the embedded one, running in this process: its doors that need no HTTP hop
   * (couchdb/context.ts EmbeddedCouch). `reader` is its own handle on a database, to read it (writes through it
   * are refused, `_local` documents excepted); `request` asks it what it `takes`, the body handed over parsed.
   */
  inProcess?: Pick<EmbeddedCouch, 'reader' | 'takes' | 'request'>;
}

export class CouchRequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly reason: string,
  ) {
    super(`CouchDB ${statusCode} ${error}: ${reason}`);
    this.name = 'CouchRequestError';
  }
}

function adminSession(url: string, secret: string, sub: string, basic: string | null) {
  let token = '';
  let expiresAt = 0;
  const headers: Record<string, string> = {};
  const refresh = () => {
    // An operator's `http://admin:secret@host` URL: act with those credentials (Basic), as CouchDB tools do.
    if (basic) {
      headers.Authorization = basic;
      return basic;
    }
    const now = Date.now();
    // Renew at half-life so a request in flight never carries an expired token.
    if (now > expiresAt - (ADMIN_TOKEN_TTL_S * 1000) / 2) {
      token = signCouchToken(secret, sub, [COUCH_ROLE.admin], ADMIN_TOKEN_TTL_S);
      expiresAt = now + ADMIN_TOKEN_TTL_S * 1000;
      headers.Authorization = `Bearer ${token}`;
    }
    return `Bearer ${token}`;
  };
  refresh();
  // nano copies cfg.headers into every request, so refreshing this object's value renews its auth.
  const server = nano({ url, headers });
  return { refresh, server };
}

/**
 * Splits `http://user:pass@host:5984` into the bare URL and a Basic header: fetch refuses URLs that carry
 * credentials, and the credentials must never be printed or handed to other machines.
 */
export function splitCouchUrl(raw: string): { url: string; basic: string | null } {
  const u = new URL(raw);
  if (!u.username && !u.password) return { url: raw.replace(/\/+$/, ''), basic: null };
  const basic = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/+$/, ''), basic };
}

/** Wraps an already running CouchDB (embedded or real) at `url`. */
export function connectCouch(rawUrl: string, secret: string, sub: string, close: () => Promise<void> = async () => {}, inProcess?: CouchHandle['inProcess']): CouchHandle {
  const { url, basic } = splitCouchUrl(rawUrl);
  const session = adminSession(url, secret, sub, basic);
  return {
    url,
    get nano() {
      session.refresh();
      return session.server;
    },
    authHeader: session.refresh,
    async request<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
      const res = await fetch(url + path, {
        method: init.method ?? 'GET',
        headers: {
          Authorization: session.refresh(),
          Accept: 'application/json',
          // CouchDB sends JSON as is; the embedded server would gzip it for this loopback hop (CPU on both ends).
          'Accept-Encoding': 'identity',
          ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...init.headers,
        },
        body: init.body !== undefined ? JSON.stringify(init.body) : null,
      });
      const text = await res.text();
      const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (!res.ok) {
        throw new CouchRequestError(res.status, String(json.error ?? 'error'), String(json.reason ?? text));
      }
      return json as T;
    },
    close,
    ...(inProcess ? { inProcess } : {}),
  };
}

/** Starts the embedded server when COUCHDB_URL is unset, else connects to the configured CouchDB. */
export async function openCouch(cfg: CajaConfig, couchSecret: string, component: string, dataSubdir: string, log: Logger): Promise<CouchHandle> {
  if (cfg.couchdbUrl) {
    log.info('couchdb.external', { url: splitCouchUrl(cfg.couchdbUrl).url });
    return connectCouch(cfg.couchdbUrl, couchSecret, component);
  }
  const { startEmbeddedCouch } = await import('../couchdb/index');
  const { trustedMaps, trustedValidators } = await import('../design-docs/trusted');
  const couchLog = log.child('couchdb');
  const server = await startEmbeddedCouch({
    port: cfg.couchdbPort,
    // Loopback only, whatever BIND_ADDRESS says: relays and terminals reach data through this process's
    // gateway (server-kit/gateway.ts), never the CouchDB itself.
    host: '127.0.0.1',
    dataDir: path.join(cfg.dataDir, dataSubdir),
    jwtSecret: couchSecret,
    // The operator's Basic login (curl, Fauxton-style tools) when COUCHDB_ADMIN is set; else JWT only.
    ...(cfg.couchAdmin ? { admins: { [cfg.couchAdmin.name]: cfg.couchAdmin.password } } : {}),
    // This build's own validators and view maps run natively (same code, ~100x cheaper); anything else in QuickJS.
    sandboxLimits: { trusted: await trustedValidators(), trustedMaps: await trustedMaps() },
    // Only this process talks to its CouchDB: browsers reach data through the gateway, never directly.
    corsOrigins: [],
    log: (level, event, fields) => couchLog[level](event, fields),
  });
  log.info('couchdb.embedded', { url: server.url });
  return connectCouch(server.url, couchSecret, component, () => server.close(), server);
}

/** The leading number of a sequence (`123` of CouchDB's `123-g1AA…`, or the embedded server's integer). */
export function seqNumber(seq: unknown): number {
  const n = parseInt(String(seq), 10);
  return Number.isFinite(n) ? n : 0;
}

/** Creates a database if missing (412 from CouchDB means it exists). */
export async function ensureDb(couch: CouchHandle, db: string): Promise<void> {
  try {
    await couch.request(`/${encodeURIComponent(db)}`, { method: 'PUT' });
  } catch (err) {
    if (!(err instanceof CouchRequestError && err.statusCode === 412)) throw err;
  }
}

/** Sets a database's `_security` object (admins and members by role). */
export async function setSecurity(couch: CouchHandle, db: string, memberRoles: string[], adminRoles: string[] = []): Promise<void> {
  await couch.request(`/${encodeURIComponent(db)}/_security`, {
    method: 'PUT',
    body: { admins: { names: [], roles: adminRoles }, members: { names: [], roles: memberRoles } },
  });
}

/** The URL other machines reach a local server at: `publicHost` in place of the bind address. */
export function publicUrl(url: string, publicHost: string): string {
  const u = new URL(url);
  u.hostname = publicHost;
  return u.toString().replace(/\/+$/, '');
}

const PRINCIPAL_TOKEN_TTL_S = 5 * 60;

/**
 * `Authorization` values for acting on this process's CouchDB as a principal (a store, a terminal), for
 * the gateway: short-lived CouchDB JWTs with the principal's roles, so validate_doc_update and `_security`
 * judge the principal, not the process. Minted here and never handed out; cached until half-life.
 */
export function principalCouchAuth(couchSecret: string): (p: { id: string; couchRoles: string[] }) => string {
  const cache = new Map<string, { header: string; renewAt: number }>();
  return (p) => {
    const key = `${p.id}\n${p.couchRoles.join(',')}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && now < hit.renewAt) return hit.header;
    const header = `Bearer ${signCouchToken(couchSecret, p.id, p.couchRoles, PRINCIPAL_TOKEN_TTL_S)}`;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { header, renewAt: now + (PRINCIPAL_TOKEN_TTL_S * 1000) / 2 });
    return header;
  };
}
