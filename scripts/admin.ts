// Admin verbs of the `caja` CLI, in two kinds.
//  - Through the HQ API (authorised and audited like the console): `caja store ...`, `caja admin create-user`.
//    `--hq` (or HQ_URL, default http://127.0.0.1:HQ_PORT), signed in with --username/--password (or
//    CAJA_USERNAME / CAJA_PASSWORD, falling back to admin / HQ_ADMIN_PASSWORD).
//  - On the machine itself, for an operator locked out of the API: `caja admin reset-password`,
//    `caja relay unlock-pin`, `caja relay provision`, `caja couch-url`. They act on the CouchDB of the process
//    whose data folder they are given (DATA_DIR or --data-dir): the running one (its address from
//    DATA_DIR/runtime.json, an admin token minted from DATA_DIR/secrets.json), or, when it is stopped, its
//    embedded CouchDB opened for the moment. Having the data folder is the proof of being the operator.
// Flags are parsed with the same parsers as the API's bodies (shared/api/bodies.ts) before anything is sent,
// and a mistake is reported by its flag name.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CajaConfig } from '../server-kit/config';
import type { CouchHandle } from '../server-kit/couch';
import { connectCouch, openCouch, signCouchToken } from '../server-kit/couch';
import { getDoc, listByPrefix, updateHotDoc } from '../server-kit/docs';
import { readJson } from '../server-kit/files';
import { createLogger } from '../server-kit/log';
import { readRuntime } from '../server-kit/runtime';
import { secretsFile } from '../server-kit/secrets';
import { NoBody, ProvisionRequest, StoreCreate, UserCreate, password as passwordField, storeCode, username as usernameField } from '../shared/api/bodies';
import { ApiError } from '../shared/api/errors';
import { createClient } from '../shared/api/client';
import type { FetchLike, SendArgs } from '../shared/api/client';
import type { HqApi, RelayApi, RouteKey } from '../shared/api/routes';
import type { Parser } from '../shared/api/parse';
import { parse } from '../shared/api/parse';
import type { LockoutState } from '../shared/auth/lockout';
import { clearLockout } from '../shared/auth/lockout';
import type { StoreUser } from '../shared/model/types';
import { COUCH_ADMIN_SUBJECT, COUCH_ROLE, LOCAL_ID, RELAY_PRIVATE_DB, RELAY_STORE_DB } from '../shared/model/names';
import { typePrefix } from '../shared/model/ids';

export const ADMIN_USAGE = `Through the HQ API (common flags: --hq URL  --username U  --password P):
  caja admin create-user --new-username U [--new-password P] [--pin 1234] [--name "Full Name"] [--role role:hq_admin ...] [--store S001 --store-role role:cashier ...]
  caja store create --code S003 --name "Store name" [--address A] [--tz America/Mexico_City] [--locale es|en] [--currency MXN]
  caja store token --code S003 [--ttl-hours 24]      prints a one-time sync token (shown once)
  caja store revoke --code S003                      suspends the store's credential
  caja store list

On the machine itself (--data-dir D, default DATA_DIR: the folder of that HQ or relay):
  caja admin reset-password [--user admin] [--new-password P] [--activate]   set an HQ password without the old one (printed when generated)
  caja relay unlock-pin --user U                                  lift a PIN lockout at this store's relay
  caja relay provision --token T [--change-hq]                    re-provision the relay running here (reads DATA_DIR/setup-code)
  caja couch-url [--minutes 15]                                   the CouchDB's URL and a curl line with a short-lived admin token`;

const COMMON = {
  hq: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
} as const;

/** A usage mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses a value from a flag; a mistake names the flag, not the API field it becomes. */
function flag<T>(parser: Parser<T>, value: unknown, name: string): T {
  try {
    return parser(value, name);
  } catch (err) {
    if (err instanceof ApiError) throw new UsageError(err.message);
    throw err;
  }
}

/** Parses a whole request body built from flags; an error's field is reported as its flag. */
function body<T>(parser: Parser<T>, value: unknown, flags: Record<string, string>): T {
  try {
    return parse(parser, value);
  } catch (err) {
    if (err instanceof ApiError) {
      const field = err.field ?? '';
      const top = field.split(/[.[]/)[0] ?? field;
      const name = flags[top] ?? top;
      throw new UsageError(`${name}${err.message.slice(field.length)}`);
    }
    throw err;
  }
}

/** The HQ base URL as given, without trailing slashes (`http://host:5800/` works as well as without). */
export function hqBase(cfg: CajaConfig, given?: string): string {
  const raw = (given ?? cfg.hqUrl ?? `http://127.0.0.1:${cfg.hqPort}`).trim().replace(/\/+$/, '');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`--hq: "${raw}" is not a URL (e.g. http://127.0.0.1:5800)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--hq: "${raw}" is not an http(s) URL`);
  return raw;
}

/** The typed HQ client (shared/api/client.ts), saying which HQ it could not reach and what HQ refused. */
function hqApi(base: string) {
  const reach: FetchLike = async (url, init) => {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`HQ at ${base} did not answer (${cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))}); is it running? Give its URL with --hq or HQ_URL.`);
    }
  };
  const client = createClient<HqApi>(base, { fetch: reach });
  return {
    async login(username: string, password: string) {
      try {
        client.setToken((await client.send('POST /api/v1/auth/login', { body: { username, password } })).body.accessToken);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (err.status === 404) throw new Error(`no Caja HQ API at ${base} (404 on /api/v1/auth/login); check --hq`);
        throw new Error(`login to ${base} failed: ${err.message}`);
      }
    },
    /** Sends one call; a refusal is an Error naming the route, the status, HQ's reason and its request id. */
    async ok<K extends RouteKey<HqApi>>(key: K, ...req: SendArgs<HqApi, K>) {
      try {
        return (await client.send(key, ...req)).body;
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        const requestId = err.details?.requestId;
        throw new Error(`${key}: ${err.status} ${err.message}${typeof requestId === 'string' ? ` (request ${requestId})` : ''}`);
      }
    },
  };
}

async function signedIn(cfg: CajaConfig, values: { hq?: string; username?: string; password?: string }) {
  const base = hqBase(cfg, values.hq);
  const username = values.username ?? process.env.CAJA_USERNAME ?? 'admin';
  const password = values.password ?? process.env.CAJA_PASSWORD ?? cfg.hqAdminPassword;
  if (!password) throw new UsageError('give --password (or CAJA_PASSWORD / HQ_ADMIN_PASSWORD)');
  const api = hqApi(base);
  await api.login(username, password);
  return api;
}

// ---------- on the machine: the CouchDB of a local HQ or relay ----------

/** The data folder the local verbs act on: --data-dir, else DATA_DIR. */
function dataDirOf(cfg: CajaConfig, given?: string): string {
  return given ? path.resolve(given) : cfg.dataDir;
}

/**
 * The CouchDB of the HQ or relay whose data folder is `dataDir`, as its admin: the running process's (from its
 * runtime record), the configured COUCHDB_URL, or the embedded one opened now when the process is stopped.
 */
export async function localCouch(cfg: CajaConfig, component: 'hq' | 'relay', dataDir: string): Promise<CouchHandle> {
  const stored = (await readJson<{ couch?: string }>(secretsFile(dataDir))) ?? {};
  const secret = cfg.couchJwtSecret ?? stored.couch;
  if (!secret) throw new Error(`no Caja data in ${dataDir} (no secrets.json): give the ${component === 'hq' ? "HQ's" : "relay's"} data folder with --data-dir or DATA_DIR`);
  const running = await readRuntime(dataDir);
  if (running && running.component !== component) throw new Error(`${dataDir} belongs to a ${running.component}, not a ${component}`);
  if (cfg.couchdbUrl) return connectCouch(cfg.couchdbUrl, secret, COUCH_ADMIN_SUBJECT.operator);
  if (running?.embedded) return connectCouch(running.couchdbUrl, secret, COUCH_ADMIN_SUBJECT.operator);
  const subdir = component === 'hq' ? 'hq-couchdb' : 'relay-couchdb';
  if (!existsSync(path.join(dataDir, subdir))) throw new Error(`no ${component} database in ${dataDir} (no ${subdir}/): give its data folder with --data-dir or DATA_DIR`);
  // Stopped: open its embedded CouchDB for the moment (quietly, on a free loopback port).
  return openCouch({ ...cfg, dataDir, couchdbPort: 0 }, secret, COUCH_ADMIN_SUBJECT.operator, subdir, createLogger('caja-operator', 'error'));
}

/** The relay's PIN lockouts: store-relay/services/terminals.ts keeps them in PIN_LOCKOUT_DOC of caja-relay. */
const PIN_LOCKOUT_DOC = LOCAL_ID.pinLockout;

/** Lifts a store user's PIN lockout at the relay; returns the user's id. */
export async function unlockPin(couch: CouchHandle, username: string): Promise<string> {
  const users = await listByPrefix<StoreUser & { _id: string }>(couch, RELAY_STORE_DB, typePrefix('user'));
  const user = users.find((u) => u.username === username.toLowerCase());
  // An unknown username is locked under this key (terminals.ts), so it can be lifted too.
  const key = user?.userId ?? `unknown:${username.toLowerCase()}`;
  const lock = await getDoc<{ _id: string; state: LockoutState }>(couch, RELAY_PRIVATE_DB, PIN_LOCKOUT_DOC);
  if (!user && !lock?.state?.[key]) throw new Error(`no user "${username}" at this relay`);
  await updateHotDoc<{ _id: string; _rev?: string; state: LockoutState }>(couch, RELAY_PRIVATE_DB, PIN_LOCKOUT_DOC, (cur) => {
    const state = cur?.state ?? {};
    const next = clearLockout(state, key);
    return next === state ? null : { _id: PIN_LOCKOUT_DOC, state: next };
  });
  return key;
}

async function withLocalCouch<T>(cfg: CajaConfig, component: 'hq' | 'relay', dataDir: string, fn: (couch: CouchHandle) => Promise<T>): Promise<T> {
  const couch = await localCouch(cfg, component, dataDir);
  try {
    return await fn(couch);
  } finally {
    await couch.close();
  }
}

async function resetPasswordVerb(args: string[], cfg: CajaConfig): Promise<number> {
  const { values } = parseArgs({ args, options: { user: { type: 'string', default: 'admin' }, 'new-password': { type: 'string' }, activate: { type: 'boolean' }, 'data-dir': { type: 'string' } } });
  const user = flag(usernameField(), values.user, '--user');
  const generated = values['new-password'] === undefined;
  const newPassword = generated ? randomBytes(12).toString('base64url') : flag(passwordField(), values['new-password'], '--new-password');
  const dataDir = dataDirOf(cfg, values['data-dir']);
  const { resetPassword } = await import('../hq/services/users');
  const saved = await withLocalCouch(cfg, 'hq', dataDir, (couch) => resetPassword(couch, user, newPassword, { activate: values.activate === true }));
  console.log(generated ? `Password of "${user}" reset to: ${newPassword}` : `Password of "${user}" reset.`);
  console.error('It must be changed at the next sign-in; failed sign-ins of this user were cleared.');
  if (!saved.active) console.error(`"${user}" is deactivated and cannot sign in: add --activate to reactivate the account.`);
  return 0;
}

async function unlockPinVerb(args: string[], cfg: CajaConfig): Promise<number> {
  const { values } = parseArgs({ args, options: { user: { type: 'string' }, 'data-dir': { type: 'string' } } });
  if (!values.user) throw new UsageError('caja relay unlock-pin: give --user <username>');
  const user = flag(usernameField(), values.user, '--user');
  await withLocalCouch(cfg, 'relay', dataDirOf(cfg, values['data-dir']), (couch) => unlockPin(couch, user));
  console.log(`PIN lock of "${user}" lifted at this relay.`);
  return 0;
}

async function relayProvisionVerb(args: string[], cfg: CajaConfig): Promise<number> {
  const { values } = parseArgs({ args, options: { token: { type: 'string' }, 'change-hq': { type: 'boolean' }, relay: { type: 'string' }, 'data-dir': { type: 'string' } } });
  if (!values.token) throw new UsageError('caja relay provision: give --token <sync token from HQ>');
  const dataDir = dataDirOf(cfg, values['data-dir']);
  const setupCode = await readJson<string>(path.join(dataDir, 'setup-code'));
  if (typeof setupCode !== 'string') throw new Error(`no setup code in ${dataDir} (setup-code): give the relay's data folder with --data-dir or DATA_DIR`);
  const running = await readRuntime(dataDir);
  const base = (values.relay ?? running?.apiUrl ?? `http://127.0.0.1:${cfg.relayPort}`).replace(/\/+$/, '');
  const relay = createClient<RelayApi>(base, { fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(60_000) }) });
  let answer: { store?: string | undefined };
  try {
    answer = (await relay.send('POST /api/v1/provision', { body: { token: values.token.trim(), setupCode, ...(values['change-hq'] ? { changeHq: true } : {}) } })).body;
  } catch (err) {
    if (err instanceof ApiError) throw new Error(`the relay at ${base} refused: ${err.status} ${err.message}`);
    throw new Error(`the relay at ${base} did not answer (${err instanceof Error ? err.message : String(err)}); is it running? Give its URL with --relay.`);
  }
  console.log(`relay at ${base} provisioned for store ${answer.store ?? '?'}`);
  return 0;
}

/** `caja couch-url`: where the CouchDB of DATA_DIR's process listens, and how to look inside it. */
export async function couchUrlVerb(args: string[], cfg: CajaConfig): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, minutes: { type: 'string', default: '15' } } });
  const minutes = flag(parseMinutes, values.minutes, '--minutes');
  const dataDir = dataDirOf(cfg, values['data-dir']);
  const running = await readRuntime(dataDir);
  if (!running) throw new Error(`no HQ or relay is running on ${dataDir} (no live runtime.json): start it, or give its data folder with --data-dir`);
  if (!running.embedded) {
    console.log(running.couchdbUrl);
    console.error('This process uses COUCHDB_URL: look inside with that CouchDB\'s own credentials.');
    return 0;
  }
  const stored = (await readJson<{ couch?: string }>(secretsFile(dataDir))) ?? {};
  const secret = cfg.couchJwtSecret ?? stored.couch;
  if (!secret) throw new Error(`no secrets.json in ${dataDir}`);
  const token = signCouchToken(secret, COUCH_ADMIN_SUBJECT.operator, [COUCH_ROLE.admin], minutes * 60);
  console.log(running.couchdbUrl);
  console.error(`${running.component} CouchDB (listens on 127.0.0.1 only). A server-admin token valid ${minutes} minutes:`);
  console.error(`  curl -H "Authorization: Bearer ${token}" ${running.couchdbUrl}/_all_dbs`);
  return 0;
}

const parseMinutes: Parser<number> = (value, p) => {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 24 * 60) throw new ApiError(400, 'invalid_input', `${p}: must be 1 to 1440 minutes`, undefined, p);
  return n;
};

/** `caja relay <verb>` (the relay's operator verbs); returns the exit code. */
export async function runRelayVerb(verb: string, args: string[], cfg: CajaConfig): Promise<number> {
  if (verb === 'unlock-pin') return unlockPinVerb(args, cfg);
  if (verb === 'provision') return relayProvisionVerb(args, cfg);
  throw new UsageError(`caja relay: unknown verb "${verb}" (known: unlock-pin, provision; or no verb to start the relay)`);
}

// ---------- through the HQ API ----------

const USER_FLAGS = { username: '--new-username', password: '--new-password', pin: '--pin', displayName: '--name', roles: '--role', storeRoles: '--store/--store-role' };
const STORE_FLAGS = { code: '--code', name: '--name', address: '--address', timeZone: '--tz', locale: '--locale', currency: '--currency' };

/** `caja admin ...` and `caja store ...`; returns the exit code. */
export async function runAdmin(group: 'admin' | 'store', args: string[], cfg: CajaConfig): Promise<number> {
  const [verb, ...rest] = args;
  if (!verb || verb === 'help' || verb === '--help') {
    console.log(ADMIN_USAGE);
    return verb ? 0 : 2;
  }
  if (group === 'admin') {
    if (verb === 'reset-password') return resetPasswordVerb(rest, cfg);
    if (verb !== 'create-user') throw new UsageError(`caja admin: unknown verb "${verb}" (known: create-user, reset-password)`);
    const { values } = parseArgs({
      args: rest,
      options: { ...COMMON, 'new-username': { type: 'string' }, 'new-password': { type: 'string' }, pin: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', multiple: true }, store: { type: 'string' }, 'store-role': { type: 'string', multiple: true } },
    });
    if (values['store-role'] && !values.store) throw new UsageError('--store-role needs --store');
    const store = values.store === undefined ? undefined : flag(storeCode(), values.store, '--store');
    // One request: HQ checks the user, the store and the roles before writing anything, so a wrong --store
    // or --store-role creates nobody (a rerun would otherwise hear "username taken").
    const user = body(
      UserCreate,
      {
        username: values['new-username'],
        ...(values['new-password'] !== undefined ? { password: values['new-password'] } : {}),
        ...(values.pin !== undefined ? { pin: values.pin } : {}),
        ...(values.name !== undefined ? { displayName: values.name } : {}),
        roles: values.role ?? [],
        ...(store ? { storeRoles: { [store]: values['store-role'] ?? ['role:cashier'] } } : {}),
      },
      USER_FLAGS,
    );
    const api = await signedIn(cfg, values);
    const created = await api.ok('POST /api/v1/users', { body: user });
    console.log(JSON.stringify({ id: created.id, username: created.username }));
    return 0;
  }
  if (!['create', 'token', 'revoke', 'list'].includes(verb)) throw new UsageError(`caja store: unknown verb "${verb}" (known: create, token, revoke, list)`);
  const { values } = parseArgs({
    args: rest,
    options: { ...COMMON, code: { type: 'string' }, name: { type: 'string' }, address: { type: 'string' }, tz: { type: 'string' }, locale: { type: 'string' }, currency: { type: 'string' }, 'ttl-hours': { type: 'string' } },
  });
  if (verb === 'list') {
    const api = await signedIn(cfg, values);
    for (const s of await api.ok('GET /api/v1/stores')) console.log(`${s.code}\t${s.status}\t${s.name}`);
    return 0;
  }
  if (values.code === undefined) throw new UsageError(`caja store ${verb}: give --code`);
  const code = flag(storeCode(), values.code, '--code');
  if (verb === 'create') {
    const input = body(
      StoreCreate,
      {
        code,
        name: values.name,
        ...(values.address !== undefined ? { address: values.address } : {}),
        ...(values.tz !== undefined ? { timeZone: values.tz } : {}),
        ...(values.locale !== undefined ? { locale: values.locale } : {}),
        ...(values.currency !== undefined ? { currency: values.currency } : {}),
      },
      STORE_FLAGS,
    );
    const api = await signedIn(cfg, values);
    const s = await api.ok('POST /api/v1/stores', { body: input });
    console.log(`store ${s.code} created (${s.status})`);
    return 0;
  }
  if (verb === 'token') {
    const ttl = values['ttl-hours'];
    const request = body(ProvisionRequest, ttl !== undefined ? { ttlHours: ttl.trim() === '' ? NaN : Number(ttl) } : {}, { ttlHours: '--ttl-hours' });
    const api = await signedIn(cfg, values);
    const t = await api.ok('POST /api/v1/stores/:id/provision', { params: { id: code }, body: request });
    console.log(t.token);
    console.error(`one-time sync token for ${code}, expires ${t.expiresAt}; start the relay with SYNC_TOKEN=<token> caja relay`);
    return 0;
  }
  const api = await signedIn(cfg, values);
  const s = await api.ok('POST /api/v1/stores/:id/revoke', { params: { id: code }, body: body(NoBody, {}, {}) });
  console.log(`store ${s.code} ${s.status}`);
  return 0;
}
