// Configuration from the environment (and a `.env` file in the working directory), one table for every
// process. README "Configuration" documents each variable; keep the two in step.
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';

loadDotenv({ quiet: true });

export interface CajaConfig {
  hqPort: number;
  relayPort: number;
  /** A real CouchDB 3.x; when unset, each process starts the embedded server. */
  couchdbUrl: string | null;
  /** Embedded CouchDB port (0 = any free port). */
  couchdbPort: number;
  dataDir: string;
  /** Signs this process's API tokens (JWT_SECRET); null = generated once and kept in DATA_DIR (server-kit/secrets.ts). */
  jwtSecret: string | null;
  /** The secret this process's CouchDB trusts (COUCHDB_JWT_SECRET); required with COUCHDB_URL, else kept in DATA_DIR. */
  couchJwtSecret: string | null;
  /** An operator's Basic login to the embedded CouchDB as server admin (COUCHDB_ADMIN=name:password); none by default. */
  couchAdmin: { name: string; password: string } | null;
  syncToken: string | null;
  heartbeatIntervalS: number;
  hqUrl: string | null;
  hqAdminPassword: string | null;
  logLevel: LogLevelName;
  /** Address the HTTP servers and the embedded CouchDB listen on (0.0.0.0 for a store LAN). */
  bindAddress: string;
  /** Browser origins allowed to call the relay and HQ APIs cross-origin (CORS_ORIGINS, comma-separated); none by default. */
  corsOrigins: string[];
  /** Host name other machines use to reach this one (put in the URLs handed to relays and terminals). */
  publicHost: string;
  /** The relay also serves HTTPS on this port (0 = any free port); null = no HTTPS (server-kit/tls.ts). */
  relayHttpsPort: number | null;
  /** The chain's own certificate and key for it (PEM files); null = a certificate of the relay's own CA. */
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  /** Further names and addresses the relay's own certificate covers (TLS_HOSTS, comma-separated). */
  tlsHosts: string[];
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** `name:password` (the password may hold colons), at least 12 characters of password: it opens every database. */
function couchAdminVar(raw: string | undefined): { name: string; password: string } | null {
  if (!raw) return null;
  const at = raw.indexOf(':');
  const name = at > 0 ? raw.slice(0, at) : '';
  const password = at > 0 ? raw.slice(at + 1) : '';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name) || password.length < 12) throw new Error('COUCHDB_ADMIN must be name:password, a name of letters, digits, . _ - and a password of at least 12 characters');
  return { name, password };
}

/** Reads the configuration; `overrides` win over the environment (used by the demo and tests). */
export function loadConfig(overrides: Partial<CajaConfig> = {}, env: NodeJS.ProcessEnv = process.env): CajaConfig {
  const level = (env.LOG_LEVEL ?? 'info') as LogLevelName;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error(`LOG_LEVEL must be debug|info|warn|error, got "${level}"`);
  const base: CajaConfig = {
    hqPort: intVar(env, 'HQ_PORT', 5800),
    relayPort: intVar(env, 'RELAY_PORT', 5900),
    couchdbUrl: env.COUCHDB_URL ? env.COUCHDB_URL.replace(/\/+$/, '') : null,
    couchdbPort: intVar(env, 'COUCHDB_PORT', 0),
    dataDir: path.resolve(env.DATA_DIR ?? '.data'),
    jwtSecret: env.JWT_SECRET || null,
    couchJwtSecret: env.COUCHDB_JWT_SECRET || null,
    couchAdmin: couchAdminVar(env.COUCHDB_ADMIN),
    syncToken: env.SYNC_TOKEN || null,
    heartbeatIntervalS: intVar(env, 'HEARTBEAT_INTERVAL_S', 30),
    hqUrl: env.HQ_URL ? env.HQ_URL.replace(/\/+$/, '') : null,
    hqAdminPassword: env.HQ_ADMIN_PASSWORD || null,
    logLevel: level,
    bindAddress: env.BIND_ADDRESS || '127.0.0.1',
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    publicHost: env.PUBLIC_HOST || (env.BIND_ADDRESS && env.BIND_ADDRESS !== '0.0.0.0' && env.BIND_ADDRESS !== '::' ? env.BIND_ADDRESS : '127.0.0.1'),
    relayHttpsPort: env.RELAY_HTTPS_PORT === undefined || env.RELAY_HTTPS_PORT === '' ? null : intVar(env, 'RELAY_HTTPS_PORT', 0),
    tlsCertFile: env.TLS_CERT_FILE ? path.resolve(env.TLS_CERT_FILE) : null,
    tlsKeyFile: env.TLS_KEY_FILE ? path.resolve(env.TLS_KEY_FILE) : null,
    tlsHosts: (env.TLS_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
  };
  return { ...base, ...overrides };
}
