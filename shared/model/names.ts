// The one owner of Caja's names that are not document ids of the shared model (those are in ids.ts):
// database names, CouchDB roles, the principals tokens and gateways act as, audit actors, the private
// records of HQ and of a relay, and `_local` document ids. `store:S001` is at once an HQ record id, a
// CouchDB role, a principal and an audit actor: each meaning has its own builder here, so a reader sees
// which one is meant and a change to one format cannot silently change another.
// Bundled into design documents with ids.ts: keep it ES2017 and pure.
import { isStoreCode, isTerminalId } from './ids';

function need(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new RangeError('invalid ' + what + ': ' + JSON.stringify(value));
}

// ---------- databases (design "Topology") ----------

/** HQ's catalog database, replicated down to every store. */
export const CATALOG_DB = 'caja-catalog';
/** HQ's private database: stores, staff accounts, token hashes. Never replicated to stores. */
export const HQ_DB = 'caja-hq';
/** A relay's store database: the store's documents, shared with its terminals. */
export const RELAY_STORE_DB = 'caja-store';
/** A relay's private database: paired terminals and pairing codes. Never replicated. */
export const RELAY_PRIVATE_DB = 'caja-relay';
/** Report roll-ups (derived, one writer: the roll-up job of HQ or of the relay). Never replicated. */
export const REPORTS_DB = 'caja-reports';
/**
 * HQ's roll-ups of the whole chain (`rollup:*:<period>`), apart from the stores' on purpose: every sale
 * anywhere rewrites the chain's day, month and year, and in one database a store's report would wait for the
 * report view to index them again. Derived, written by HQ's roll-up job only, never replicated.
 */
export const REPORTS_CHAIN_DB = 'caja-reports-chain';

/** A terminal's replica in its browser storage; a re-paired terminal (new id) starts a fresh one. */
export function terminalReplicaDbName(storeCode: string, terminalId: string): string {
  return 'caja-' + storeCode + '-' + terminalId;
}
const HQ_STORE_DB_PREFIX = 'caja-store-';

/** HQ database of one store: `caja-store-<code lowercased>` (CouchDB db names must be lower case). */
export function hqStoreDbName(storeCode: string): string {
  need(isStoreCode(storeCode), 'store code', storeCode);
  return HQ_STORE_DB_PREFIX + storeCode.toLowerCase();
}

/** The store code of an HQ store database name (`caja-store-s001` -> `S001`), or null for any other name. */
export function storeCodeOfDbName(dbName: string): string | null {
  if (typeof dbName !== 'string' || dbName.indexOf(HQ_STORE_DB_PREFIX) !== 0) return null;
  const code = dbName.slice(HQ_STORE_DB_PREFIX.length).toUpperCase();
  // Only a lower-case name maps back: `caja-store-S001` is not a valid CouchDB db name anyway.
  return isStoreCode(code) && code.toLowerCase() === dbName.slice(HQ_STORE_DB_PREFIX.length) ? code : null;
}

// ---------- CouchDB roles (`userCtx.roles`, `_security` members) ----------

/** The roles a CouchDB JWT may carry; the per-store and per-terminal roles are built below. */
export const COUCH_ROLE = {
  /** CouchDB's server admin: only the process that owns a CouchDB acts as it. */
  admin: '_admin',
  /** Any store (at HQ) or the relay itself acting for its store. */
  store: 'caja-store',
  /** Any paired terminal (at its relay). */
  terminal: 'caja-terminal',
  /** HQ acting in a store's database. */
  hq: 'caja-hq',
} as const;

/** The CouchDB role of one store: member of its databases (`store:S001`). */
export function storeCouchRole(storeCode: string): string {
  need(isStoreCode(storeCode), 'store code', storeCode);
  return 'store:' + storeCode;
}

/** The CouchDB role of one terminal (`terminal:S001:T1`). */
function terminalCouchRole(storeCode: string, terminalId: string): string {
  need(isStoreCode(storeCode) && isTerminalId(terminalId), 'terminal', storeCode + ':' + terminalId);
  return 'terminal:' + storeCode + ':' + terminalId;
}

/** The store code of a `store:<code>` role, or null. */
export function parseStoreCouchRole(role: string): string | null {
  const p = role.split(':');
  return p.length === 2 && p[0] === 'store' && isStoreCode(p[1]) ? p[1] : null;
}

/** The store code and terminal id of a `terminal:<code>:<tid>` role, or null. */
export function parseTerminalCouchRole(role: string): [string, string] | null {
  const p = role.split(':');
  return p.length === 3 && p[0] === 'terminal' && isStoreCode(p[1]) && isTerminalId(p[2]) ? [p[1], p[2]] : null;
}

/** The roles of a store acting at HQ's CouchDB (through HQ's gateway). */
export function storeCouchRoles(storeCode: string): string[] {
  return [COUCH_ROLE.store, storeCouchRole(storeCode)];
}

/** The roles of a paired terminal acting at its relay's CouchDB (through the relay's gateway). */
export function terminalCouchRoles(storeCode: string, terminalId: string): string[] {
  return [COUCH_ROLE.terminal, storeCouchRole(storeCode), terminalCouchRole(storeCode, terminalId)];
}

// ---------- principals: who a gateway or a CouchDB JWT acts as (the JWT `sub`) ----------

/** A store as a principal at HQ's gateway and HQ's CouchDB (`store:S001`). */
export function storePrincipal(storeCode: string): string {
  return 'store:' + storeCode;
}

/** A paired terminal as a principal at its relay's gateway and CouchDB (`terminal:S001:T1`). */
export function terminalPrincipal(storeCode: string, terminalId: string): string {
  return 'terminal:' + storeCode + ':' + terminalId;
}

/** The subject of the server-admin JWTs each process signs for its own CouchDB. */
export const COUCH_ADMIN_SUBJECT = { hq: 'caja-hq', relay: 'caja-relay', operator: 'caja-operator' } as const;

// ---------- audit actors (the `actor` of an audit entry) ----------

/** An HQ staff member (`hq:<userId>`). */
export function hqUserActor(userId: string): string {
  return 'hq:' + userId;
}

/** A store acting at HQ (`store:S001`): heartbeats, provisioning. */
export function storeActor(storeCode: string): string {
  return 'store:' + storeCode;
}

/** A store user acting at the relay (`user:<userId>`, as the user's document id). */
export function storeUserActor(userId: string): string {
  return 'user:' + userId;
}


// ---------- private records (HQ's caja-hq, a relay's caja-relay): never replicated ----------

/** Prefixes of the private records, for listing one kind by id range. */
export const PRIVATE_PREFIX = {
  hqStore: 'store:',
  hqUser: 'hquser:',
  refreshToken: 'refresh:',
  relayTerminal: 'terminal:',
  pairingCode: 'pairing:',
} as const;

/** HQ's record of one store (`store:S001` in caja-hq). */
export function hqStoreRecordId(storeCode: string): string {
  return PRIVATE_PREFIX.hqStore + storeCode;
}

/** HQ's record of one staff account (`hquser:<id>` in caja-hq). */
export function hqUserRecordId(userId: string): string {
  return PRIVATE_PREFIX.hqUser + userId;
}

/** HQ's record of one refresh token, by its hash (`refresh:<sha256>` in caja-hq). */
export function refreshTokenRecordId(tokenHash: string): string {
  return PRIVATE_PREFIX.refreshToken + tokenHash;
}

/** A relay's record of one paired terminal (`terminal:T1` in caja-relay). */
export function relayTerminalRecordId(terminalId: string): string {
  return PRIVATE_PREFIX.relayTerminal + terminalId;
}

/** A relay's record of one pairing code, by its hash (`pairing:<sha256>` in caja-relay). */
export function pairingCodeRecordId(codeHash: string): string {
  return PRIVATE_PREFIX.pairingCode + codeHash;
}

// ---------- `_local` documents: per-database state that never replicates ----------

/** Fixed `_local` ids. */
export const LOCAL_ID = {
  /** Failed-login counters at HQ (caja-hq). */
  loginLimits: '_local/login-limits',
  /** PIN lockout counters (a relay's caja-store, a terminal's replica). */
  pinLockout: '_local/pin-lockout',
  /** Pairing attempt counters at a relay (caja-relay). */
  pairingLimits: '_local/pairing-limits',
  /** The relay's activity feed position and open shifts (caja-store). */
  storeActivity: '_local/store-activity',
  /** Sync errors the relay has yet to report to HQ (caja-store). */
  syncErrorOutbox: '_local/sync-error-outbox',
  /** A terminal's index of its parked sales. */
  parkedIndex: '_local/parked-index',
  /** A terminal's favourite product tiles. */
  favourites: '_local/favourites',
} as const;

/** A change-feed job's position at HQ (`_local/feed:<job>:<db>`). */
export function feedCheckpointId(jobName: string, db: string): string {
  return '_local/feed:' + jobName + ':' + db;
}

/** The last heartbeat of one store at HQ (`_local/heartbeat:<code>` in caja-hq). */
export function heartbeatLocalId(storeCode: string): string {
  return '_local/heartbeat:' + storeCode;
}

/** The progress marker of the bootstrap (snapshot copy) that precedes replication `id` (`_local/caja-bootstrap:<id>`). */
export function bootstrapMarkerId(replicationId: string): string {
  return '_local/caja-bootstrap:' + replicationId;
}

/** One parked sale on a terminal (`_local/parked:<id>`). */
export function parkedSaleLocalId(id: string): string {
  return '_local/parked:' + id;
}
