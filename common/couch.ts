// One way to talk to "a CouchDB URL", embedded or real. Server processes (HQ, relay) act as CouchDB server
// admins through a short-lived JWT carrying the top-level "_couchdb.roles": ["_admin"] claim, which both
// the embedded server and CouchDB 3's jwt_authentication_handler accept, so no admin password is stored.
import path from 'node:path';
import jwt from 'jsonwebtoken';
import nano from 'nano';
import type { CajaConfig } from './config';
import type { Logger } from './log';

const ADMIN_TOKEN_TTL_S = 15 * 60;

/** Signs a CouchDB-compatible JWT (HS256, `sub`, top-level "_couchdb.roles", `exp`). */
export function signCouchToken(secret: string, sub: string, roles: string[], ttlSeconds: number): string {
  return jwt.sign({ sub, '_couchdb.roles': roles }, secret, { algorithm: 'HS256', expiresIn: ttlSeconds });
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

function adminSession(url: string, secret: string, sub: string) {
  let token = '';
  let expiresAt = 0;
  const headers: Record<string, string> = {};
  const refresh = () => {
    const now = Date.now();
    // Renew at half-life so a request in flight never carries an expired token.
    if (now > expiresAt - (ADMIN_TOKEN_TTL_S * 1000) / 2) {
      token = signCouchToken(secret, sub, ['_admin'], ADMIN_TOKEN_TTL_S);
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

/** Wraps an already running CouchDB (embedded or real) at `url`. */
export function connectCouch(url: string, secret: string, sub: string, close: () => Promise<void> = async () => {}): CouchHandle {
  const session = adminSession(url, secret, sub);
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
  };
}

/** Starts the embedded server when COUCHDB_URL is unset, else connects to the configured CouchDB. */
export async function openCouch(cfg: CajaConfig, component: string, dataSubdir: string, log: Logger): Promise<CouchHandle> {
  if (cfg.couchdbUrl) {
    log.info('couchdb.external', { url: cfg.couchdbUrl.replace(/\/\/[^@]*@/, '//***@') });
    return connectCouch(cfg.couchdbUrl, cfg.jwtSecret, component);
  }
  const { startEmbeddedCouch } = await import('../couchdb/index');
  const couchLog = log.child('couchdb');
  const server = await startEmbeddedCouch({
    port: cfg.couchdbPort,
    host: cfg.bindAddress,
    dataDir: path.join(cfg.dataDir, dataSubdir),
    jwtSecret: cfg.jwtSecret,
    corsOrigins: '*',
    log: (level, event, fields) => couchLog[level](event, fields),
  });
  // The process talks to its own CouchDB on loopback even when it listens on every interface.
  const url = `http://127.0.0.1:${server.port}`;
  log.info('couchdb.embedded', { url, bind: cfg.bindAddress });
  return connectCouch(cfg.bindAddress === '127.0.0.1' ? server.url : url, cfg.jwtSecret, component, () => server.close());
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
