// What the HQ and relay APIs answer, as the wire carries it: the response half of the route maps
// (shared/api/routes.ts). The servers' handlers must return values assignable to these (server-kit/apiRoutes.ts
// checks it at compile time), and the clients (shared/api/client.ts, the console, the till, the CLI) read them.
// Documents that travel whole (a product, a role, a Z report) are the model's own types. Pure: types only.
import type { Permission } from '../auth/permissions';
import type { AuditEntry, Product, Role, ShiftClose, StorePrice, ZReport } from '../model/types';
import type { RegisterFigures } from '../pos/register';
import type { zzReport } from '../pos/zreport';

// ---------- both ----------

/** `GET /api/v1/health` (503 with `couchdb.ok: false` when CouchDB is down). */
export interface Health {
  status: 'ok' | 'degraded';
  component: string;
  version: string;
  couchdb: { ok: boolean; version?: string | null; latencyMs?: number; error?: string };
  problems?: string[];
}

/** An answer that only says it worked. */
export interface Ok {
  ok: true;
}

// ---------- HQ ----------

/** `POST /auth/login` and `/auth/refresh`. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  tokenType: string;
  /** Login only: the password was set by an operator or at bootstrap and must be changed. */
  mustChangePassword?: boolean;
}

/** A staff account as the API shows it (never a hash). */
export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  roles: string[];
  storeRoles: Record<string, string[]>;
  active: boolean;
  hasPin: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
}

/** `GET /auth/me`. */
export interface Me {
  user: PublicUser;
  /** Permission names (shared/auth/permissions.ts); a name this build does not know is kept, not dropped. */
  permissions: string[];
  storePermissions: Record<string, string[]>;
}

/** `POST /auth/change-credential`. */
export interface CredentialChanged {
  ok: true;
  user: PublicUser;
}

/** `GET /roles/permissions`: the permission registry. */
export interface PermissionInfo {
  name: Permission;
  scope: 'store' | 'hq';
  label: { en: string; es: string };
}

export type StoreStatus = 'pending' | 'active' | 'suspended';

/** A store as the API shows it: never the token or credential hashes. */
export interface PublicStore {
  id: string;
  code: string;
  name: string;
  address: string;
  timeZone: string;
  currency: string;
  locale: 'en' | 'es';
  taxMode: 'exclusive' | 'inclusive';
  status: StoreStatus;
  createdAt: string;
  updatedAt: string;
  activatedAt: string | null;
  suspendedAt: string | null;
  syncToken: { id: string; expiresAt: string; createdAt: string; usedAt: string | null; revokedAt: string | null } | null;
  hasCredential: boolean;
  resyncRequestedAt?: string | null;
  lastResyncAt?: string;
}

/** `POST /stores/:id/provision`: the one answer that carries the sync token. */
export interface IssuedToken {
  token: string;
  tokenId: string;
  expiresAt: string;
}

/** `POST /stores/:id/resync`. */
export interface ResyncRequested {
  requestedAt: string;
}

/** `PUT /store-prices/:store/:sku`: the override written, or `{removed: true}` when `null` removed it. */
export type StorePriceAnswer = StorePrice | { removed: true };

/** One replication job as a relay reports it in its heartbeat. */
export interface JobReport {
  id: string;
  direction: 'pull' | 'push';
  state: string;
  byType: Record<string, number>;
  docsRead: number;
  docsWritten: number;
  lastSuccessAt: string | null;
  pending: number | null;
  lastError: { at: string; type: string; message: string; docId?: string } | null;
}

/** A till's health as its relay last reported it. */
export interface TerminalHealthRow {
  terminalId: string;
  lastSeenAt: string;
  pendingUp: number | null;
  dbSizeBytes: number | null;
}

/** Today's sales at a store, in its zone. */
export interface TodayActivity {
  businessDate: string;
  salesCount: number;
  revenue: number;
  tax: number;
  discounts: number;
  voidsCount: number;
  voidsTotal: number;
}

export type StoreState = 'pending' | 'revoked' | 'connected' | 'disconnected';

/** `GET /sync/dashboard`: one row per store, pending ones too. */
export interface Dashboard {
  generatedAt: string;
  stores: Array<{
    store: { code: string; name: string; status: StoreStatus; timeZone: string };
    state: StoreState;
    connected: boolean;
    lastHeartbeatAt: string | null;
    lastSyncAt: string | null;
    jobs: JobReport[];
    entities: Record<string, { pushed: number; pulled: number }>;
    errorCount: number;
    openRegisters: number;
    lastSaleAt: string | null;
    terminals: Array<TerminalHealthRow & { stale: boolean }>;
    today: TodayActivity | null;
  }>;
}

/** `GET /sync/errors`: a sync error HQ keeps for a store. */
export interface SyncErrorRow {
  _id: string;
  _rev?: string;
  type: 'syncerror';
  storeCode: string;
  at: string;
  job: string;
  errorType: string;
  message: string;
  docId?: string;
  receivedAt: string;
}

/** `POST /sync/provision`: what a relay gets for its sync token. */
export interface SyncProvisioned {
  store: { code: string; name: string; timeZone: string; currency: string; locale: 'en' | 'es' };
  credential: { storeCode: string; credentialId: string; secret: string };
  couchdb: { url: string; catalogDb: string; storeDb: string };
  tokenTtlS: number;
}

/** `POST /sync/token`: `token` for HQ's `/couch` gateway, `apiToken` for heartbeats. */
export interface StoreTokens {
  token: string;
  apiToken: string;
  expiresAt: string;
  couchdbUrl: string;
}

/** `POST /sync/heartbeat`: a resync to start, and the ids of the reported errors HQ now keeps. */
export interface HeartbeatAnswer {
  resync: string | null;
  acknowledged: string[];
}

/** A row of the console's product list; the editor reads the whole document. */
export interface ProductRow {
  sku: string;
  _rev: string;
  name: { en: string; es: string };
  barcodes: string[];
  price: number;
  departmentId: string;
  taxGroupId: string;
  unit: 'each' | 'kg';
  active: boolean;
  updatedAt: string;
}

/** `GET /console/products`. */
export interface ProductPage {
  items: ProductRow[];
  /** How many products match in all (the list's scroll height). */
  total: number;
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export type { AuditEntry, Product, Role };

// ---------- relay ----------

/** `POST /provision` at a relay. */
export interface RelayProvisioned {
  store: string | undefined;
  provision: ProvisionState;
}

/** A relay's provisioning state. */
export type ProvisionState =
  | { state: 'unprovisioned' | 'provisioning' | 'provisioned'; error: null }
  | { state: 'error'; error: { code: string; message: string; at: string } };

/** `GET /sync/status` at a relay (jobs in CouchDB's `_active_tasks` shape). */
export interface RelaySyncStatus {
  store: string | null;
  provision: ProvisionState;
  lastProvisionError: { code: string; message: string; at: string } | null;
  tokenError: { code: string; message: string; at: string } | null;
  /** Replication jobs in CouchDB's `_active_tasks` shape. */
  jobs: object[];
  heartbeat: { lastSentAt: string | null; lastError: unknown; refused: unknown; unacknowledgedErrors: number };
  terminals: TerminalHealthRow[];
  errors: Array<{ at: string; job: string; type: string; message: string; docId?: string }>;
}

/** `POST /auth/login` at a relay: a manager session. */
export interface ManagerSession {
  token: string;
  user: { id: string; username: string; permissions: string[] };
}

/** `POST /terminals/pairing-code`. */
export interface PairingCode {
  code: string;
  expiresAt: string;
}

/** `POST /terminals/pair`: what a till keeps to sync with this relay. */
export interface PairAnswer {
  storeCode: string;
  terminalId: string;
  name: string;
  secret: string;
  couchdbUrl: string;
  db: string;
}

/** `POST /terminals/token`: `token` for the relay's `/couch` gateway, `apiToken` for its API. */
export interface TerminalTokens {
  token: string;
  apiToken: string;
  expiresAt: string;
}

/** A paired (or unpaired) terminal, never its secret. */
export interface PublicTerminal {
  type: 'terminal';
  terminalId: string;
  name: string;
  pairedAt: string;
  pairedBy: string;
  active: boolean;
  unpairedAt: string | null;
  unpairedBy: string | null;
}

/** `POST /day-close`. */
export interface DayClosed {
  zreport: ZReport;
  closes: ShiftClose[];
}

/** `GET /day-close/:date`: the Z, or a preview while the day is open. */
export type DayAnswer =
  | { businessDate: string; closed: true; zreport: ZReport }
  | { businessDate: string; closed: false; preview: { at: string; shiftIds: string[]; openShiftIds: string[]; figures: RegisterFigures } };

/** `GET /zz`: the Z reports of a period summed, with the days they cover. */
export type ZZAnswer = ReturnType<typeof zzReport> & { businessDates: string[] };

/** One product's stock at the store, from the `stock_milli` view (moves, sales, returns, transfers, receipts). */
export interface StockRow {
  productId: string;
  sku: string;
  name: { en: string; es: string };
  barcodes: string[];
  departmentId: string;
  unit: 'each' | 'kg';
  active: boolean;
  /** On hand, in thousandths of the unit (exact: the view sums integers). */
  qtyMilli: number;
}

/** `GET /stock`: a page of stock levels in SKU order. */
export interface StockPage {
  items: StockRow[];
  /** How many products match in all. */
  total: number;
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
