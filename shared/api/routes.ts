// The route maps of the HQ and relay APIs: for every route (`'POST /api/v1/stores'`) what it takes (path
// parameters, query, the body as its parser returns it) and what it answers, as types; and who may call it,
// what it does and its success status, as data. The servers mount their handlers through these maps
// (server-kit/apiRoutes.ts), so a handler for a route the map lacks, or one answering another shape, does
// not compile; the client (shared/api/client.ts) sends through them; docs/api.md is checked against them
// (scripts/apiDocs.ts); `GET /api/v1` answers with them; and the input fuzz tests walk every write route,
// so a route added here without a test of its inputs fails the suite. Pure: no I/O.
import type { Infer, Parser } from './parse';
import {
  ChangeCredential,
  ConsoleProductEdit,
  type ConsoleProductQuery,
  DayCloseRequest,
  Heartbeat,
  Login,
  NoBody,
  PairingCodeRequest,
  PairRequest,
  ProductPatch,
  type ProductQuery,
  ProvisionRequest,
  Refresh,
  RelayLogin,
  RelayProvision,
  RoleUpsert,
  StoreCreate,
  StorePrice,
  StoreRoles,
  StoreUpdate,
  SyncProvision,
  SyncTokenRequest,
  TerminalHealth,
  TerminalTokenRequest,
  UserCreate,
  UserUpdate,
} from './bodies';
import type {
  AuditEntry,
  CredentialChanged,
  Dashboard,
  DayAnswer,
  DayClosed,
  Health,
  HeartbeatAnswer,
  IssuedToken,
  ManagerSession,
  Me,
  Ok,
  PairAnswer,
  PairingCode,
  PermissionInfo,
  Product,
  ProductPage,
  PublicStore,
  PublicTerminal,
  PublicUser,
  RelayProvisioned,
  RelaySyncStatus,
  ResyncRequested,
  Role,
  StorePriceAnswer,
  StoreTokens,
  SyncErrorRow,
  SyncProvisioned,
  TerminalTokens,
  Tokens,
  ZZAnswer,
} from './responses';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

// ---------- HQ ----------

/** The HQ API. */
export interface HqApi {
  'GET /api/v1/health': { response: Health };
  'POST /api/v1/auth/login': { body: Infer<typeof Login>; response: Tokens };
  'POST /api/v1/auth/refresh': { body: Infer<typeof Refresh>; response: Tokens };
  'GET /api/v1/auth/me': { response: Me };
  'POST /api/v1/auth/change-credential': { body: Infer<typeof ChangeCredential>; response: CredentialChanged };
  'GET /api/v1/users': { response: PublicUser[] };
  'POST /api/v1/users': { body: Infer<typeof UserCreate>; response: PublicUser };
  'GET /api/v1/users/:id': { response: PublicUser };
  'PATCH /api/v1/users/:id': { body: Infer<typeof UserUpdate>; response: PublicUser };
  'DELETE /api/v1/users/:id': { body: Infer<typeof NoBody>; response: PublicUser };
  'GET /api/v1/users/:id/store-roles': { response: Record<string, string[]> };
  'PUT /api/v1/users/:id/store-roles': { body: Infer<typeof StoreRoles>; response: Record<string, string[]> };
  'GET /api/v1/roles': { response: Role[] };
  'GET /api/v1/roles/permissions': { response: PermissionInfo[] };
  'PUT /api/v1/roles/:code': { body: Infer<typeof RoleUpsert>; response: Role };
  'GET /api/v1/stores': { response: PublicStore[] };
  'POST /api/v1/stores': { body: Infer<typeof StoreCreate>; response: PublicStore };
  'GET /api/v1/stores/:id': { response: PublicStore };
  'PATCH /api/v1/stores/:id': { body: Infer<typeof StoreUpdate>; response: PublicStore };
  'POST /api/v1/stores/:id/provision': { body: Infer<typeof ProvisionRequest>; response: IssuedToken };
  'POST /api/v1/stores/:id/revoke': { body: Infer<typeof NoBody>; response: PublicStore };
  'POST /api/v1/stores/:id/resync': { body: Infer<typeof NoBody>; response: ResyncRequested };
  'GET /api/v1/products': { query: Infer<typeof ProductQuery>; response: Product[] };
  'GET /api/v1/products/:sku': { response: Product };
  'PATCH /api/v1/products/:sku': { body: Infer<typeof ProductPatch>; response: Product };
  'PUT /api/v1/store-prices/:store/:sku': { body: Infer<typeof StorePrice>; response: StorePriceAnswer };
  'GET /api/v1/sync/dashboard': { response: Dashboard };
  'GET /api/v1/sync/errors': { query: { store?: string; type?: string; limit?: number }; response: SyncErrorRow[] };
  'POST /api/v1/sync/provision': { body: Infer<typeof SyncProvision>; response: SyncProvisioned };
  'POST /api/v1/sync/token': { body: Infer<typeof SyncTokenRequest>; response: StoreTokens };
  'POST /api/v1/sync/heartbeat': { body: Infer<typeof Heartbeat>; response: HeartbeatAnswer };
  'GET /api/v1/audit': { query: { limit?: number }; response: AuditEntry[] };
  'GET /api/v1/console/products': { query: Infer<typeof ConsoleProductQuery>; response: ProductPage };
  'PATCH /api/v1/console/products/:sku': { body: Infer<typeof ConsoleProductEdit>; response: Product };
}

/** Who may call a route, what it does, and the status of its success (200 unless said). */
export interface RouteDoc {
  /** Who may call it: anyone, a signed-in user (with a permission), a store or terminal credential. */
  auth: string;
  what: string;
  status?: 201 | 202;
}

/** What the servers and clients know of every route at run time: its docs, and the parser of its body. */
export interface RouteTable<Api> {
  docs: { readonly [K in keyof Api]: RouteDoc };
  bodies: { readonly [K in BodyKey<Api>]: Parser<BodyOf<Api, K>> };
}

export const HQ_API: RouteTable<HqApi> = {
  docs: {
    'GET /api/v1/health': { auth: 'none', what: 'version and CouchDB status' },
    'POST /api/v1/auth/login': { auth: 'none', what: 'sign in with username and password' },
    'POST /api/v1/auth/refresh': { auth: 'refresh token', what: 'new tokens for a refresh token (used once)' },
    'GET /api/v1/auth/me': { auth: 'signed in', what: 'the user and their permissions' },
    'POST /api/v1/auth/change-credential': { auth: 'signed in', what: 'change own password and/or PIN' },
    'GET /api/v1/users': { auth: 'users.manage', what: 'staff accounts' },
    'POST /api/v1/users': { auth: 'users.manage', what: 'create a staff account (optionally with store roles)', status: 201 },
    'GET /api/v1/users/:id': { auth: 'users.manage', what: 'one staff account' },
    'PATCH /api/v1/users/:id': { auth: 'users.manage', what: 'change name, e-mail, roles, active, password or PIN' },
    'DELETE /api/v1/users/:id': { auth: 'users.manage', what: 'deactivate (kept for the audit trail)' },
    'GET /api/v1/users/:id/store-roles': { auth: 'users.manage', what: 'roles per store' },
    'PUT /api/v1/users/:id/store-roles': { auth: 'users.manage', what: 'replace roles per store' },
    'GET /api/v1/roles': { auth: 'signed in', what: 'roles as permission sets' },
    'GET /api/v1/roles/permissions': { auth: 'signed in', what: 'the permission registry' },
    'PUT /api/v1/roles/:code': { auth: 'users.manage', what: 'create or change a role' },
    'GET /api/v1/stores': { auth: 'signed in', what: 'stores' },
    'POST /api/v1/stores': { auth: 'stores.provision', what: 'create a store (pending)', status: 201 },
    'GET /api/v1/stores/:id': { auth: 'signed in', what: 'one store' },
    'PATCH /api/v1/stores/:id': { auth: 'stores.provision', what: "change a store's name, address, zone, currency, locale or tax mode" },
    'POST /api/v1/stores/:id/provision': { auth: 'stores.provision', what: 'a one-time sync token, shown once', status: 201 },
    'POST /api/v1/stores/:id/revoke': { auth: 'stores.provision', what: "suspend the store's credential" },
    'POST /api/v1/stores/:id/resync': { auth: 'sync.admin', what: 'replay every replication from sequence 0', status: 202 },
    'GET /api/v1/products': { auth: 'signed in', what: 'products by SKU prefix or barcode, paged (Link: rel="next")' },
    'GET /api/v1/products/:sku': { auth: 'signed in', what: 'one product' },
    'PATCH /api/v1/products/:sku': { auth: 'catalog.edit', what: 'change price, cost, names, active, barcodes, department, tax group, supplier' },
    'PUT /api/v1/store-prices/:store/:sku': { auth: 'catalog.edit', what: "set (or with null remove) a store's price" },
    'GET /api/v1/sync/dashboard': { auth: 'sync.admin', what: 'every store: connection, jobs, errors, today' },
    'GET /api/v1/sync/errors': { auth: 'sync.admin', what: 'sync errors kept per store' },
    'POST /api/v1/sync/provision': { auth: 'sync token', what: 'relays: redeem a sync token for a store credential', status: 201 },
    'POST /api/v1/sync/token': { auth: 'store credential', what: 'relays: a short-lived replication token' },
    'POST /api/v1/sync/heartbeat': { auth: 'store token', what: 'relays: heartbeat; answers {resync, acknowledged}' },
    'GET /api/v1/audit': { auth: 'users.manage', what: 'who did what, when, from where' },
    'GET /api/v1/console/products': { auth: 'signed in', what: 'the console product list: search, total, cursor paging' },
    'PATCH /api/v1/console/products/:sku': { auth: 'catalog.edit', what: 'a console edit carrying the _rev it was made on (409 stale_edit)' },
  },
  bodies: {
    'POST /api/v1/auth/login': Login,
    'POST /api/v1/auth/refresh': Refresh,
    'POST /api/v1/auth/change-credential': ChangeCredential,
    'POST /api/v1/users': UserCreate,
    'PATCH /api/v1/users/:id': UserUpdate,
    'DELETE /api/v1/users/:id': NoBody,
    'PUT /api/v1/users/:id/store-roles': StoreRoles,
    'PUT /api/v1/roles/:code': RoleUpsert,
    'POST /api/v1/stores': StoreCreate,
    'PATCH /api/v1/stores/:id': StoreUpdate,
    'POST /api/v1/stores/:id/provision': ProvisionRequest,
    'POST /api/v1/stores/:id/revoke': NoBody,
    'POST /api/v1/stores/:id/resync': NoBody,
    'PATCH /api/v1/products/:sku': ProductPatch,
    'PUT /api/v1/store-prices/:store/:sku': StorePrice,
    'POST /api/v1/sync/provision': SyncProvision,
    'POST /api/v1/sync/token': SyncTokenRequest,
    'POST /api/v1/sync/heartbeat': Heartbeat,
    'PATCH /api/v1/console/products/:sku': ConsoleProductEdit,
  },
};

// ---------- relay ----------

/** A store relay's API. */
export interface RelayApi {
  'GET /api/v1/health': { response: Health & { store: string | null; provision: string; hq: { credential: 'ok' | 'refused'; refusal?: { code: string; message: string; at: string } } | null } };
  'GET /api/v1/sync/status': { response: RelaySyncStatus };
  'POST /api/v1/provision': { body: Infer<typeof RelayProvision>; response: RelayProvisioned };
  'POST /api/v1/auth/login': { body: Infer<typeof RelayLogin>; response: ManagerSession };
  'POST /api/v1/terminals/pairing-code': { body: Infer<typeof PairingCodeRequest>; response: PairingCode };
  'POST /api/v1/terminals/pair': { body: Infer<typeof PairRequest>; response: PairAnswer };
  'POST /api/v1/terminals/token': { body: Infer<typeof TerminalTokenRequest>; response: TerminalTokens };
  'POST /api/v1/terminals/health': { body: Infer<typeof TerminalHealth>; response: Ok };
  'GET /api/v1/terminals': { response: PublicTerminal[] };
  'DELETE /api/v1/terminals/:id': { body: Infer<typeof NoBody>; response: PublicTerminal };
  'POST /api/v1/day-close': { body: Infer<typeof DayCloseRequest>; response: DayClosed };
  'GET /api/v1/day-close/:date': { response: DayAnswer };
  'GET /api/v1/zz': { query: { from: string; to: string }; response: ZZAnswer };
}

export const RELAY_API: RouteTable<RelayApi> = {
  docs: {
    'GET /api/v1/health': { auth: 'none', what: 'version, CouchDB, store, provisioning and HQ credential state' },
    'GET /api/v1/sync/status': { auth: 'none', what: 'replication jobs, errors, heartbeat, terminals' },
    'POST /api/v1/provision': { auth: 'this machine or the setup code', what: 'present a sync token', status: 201 },
    'POST /api/v1/auth/login': { auth: 'manager PIN', what: 'a 30-minute manager session' },
    'POST /api/v1/terminals/pairing-code': { auth: 'manager', what: 'a six-digit pairing code', status: 201 },
    'POST /api/v1/terminals/pair': { auth: 'pairing code or manager PIN', what: 'pair a terminal', status: 201 },
    'POST /api/v1/terminals/token': { auth: 'terminal credential', what: 'a one-hour CouchDB token' },
    'POST /api/v1/terminals/health': { auth: 'terminal token', what: "a terminal's health, sent on to HQ" },
    'GET /api/v1/terminals': { auth: 'manager', what: 'paired terminals' },
    'DELETE /api/v1/terminals/:id': { auth: 'manager', what: 'unpair a terminal' },
    'POST /api/v1/day-close': { auth: 'manager with register.close', what: "close the store's business day (write its Z)", status: 201 },
    'GET /api/v1/day-close/:date': { auth: 'manager with reports.view', what: 'the Z of a day, or a preview' },
    'GET /api/v1/zz': { auth: 'manager with reports.view', what: 'Z reports summed over a period' },
  },
  bodies: {
    'POST /api/v1/provision': RelayProvision,
    'POST /api/v1/auth/login': RelayLogin,
    'POST /api/v1/terminals/pairing-code': PairingCodeRequest,
    'POST /api/v1/terminals/pair': PairRequest,
    'POST /api/v1/terminals/token': TerminalTokenRequest,
    'POST /api/v1/terminals/health': TerminalHealth,
    'DELETE /api/v1/terminals/:id': NoBody,
    'POST /api/v1/day-close': DayCloseRequest,
  },
};

// ---------- what the maps give ----------

/** A route's key: `'METHOD /path'`. */
export type RouteKey<Api> = keyof Api & string;
/** The routes of a map that take a body. */
export type BodyKey<Api> = { [K in RouteKey<Api>]: Api[K] extends { body: unknown } ? K : never }[RouteKey<Api>];
/** The parsed body of a route (never for a route without one). */
export type BodyOf<Api, K extends keyof Api> = Api[K] extends { body: infer B } ? B : never;
/** The query of a route (an empty object for a route without one). */
export type QueryOf<Api, K extends keyof Api> = Api[K] extends { query: infer Q } ? Q : Record<string, never>;
/** The body of a route's success answer. */
export type ResponseOf<Api, K extends keyof Api> = Api[K] extends { response: infer R } ? R : never;

type PathOf<K extends string> = K extends `${string} ${infer P}` ? P : never;
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;
/** The `:name` parameters of a route's path, as strings. */
export type ParamsOf<K extends string> = { [N in ParamNames<PathOf<K>>]: string };

/** One route as `GET /api/v1` and docs/api.md list it. */
export interface RouteInfo extends RouteDoc {
  method: Method;
  /** Path under the server, Express style (`:id` for a parameter). */
  path: string;
}

/** Splits `'POST /api/v1/stores'` into its method and path. */
export function splitKey(key: string): { method: Method; path: string } {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space) as Method, path: key.slice(space + 1) };
}

function listOf<Api>(table: RouteTable<Api>): RouteInfo[] {
  return Object.entries<RouteDoc>(table.docs).map(([key, doc]) => ({ ...splitKey(key), ...doc }));
}

/** Every HQ route, in the order of the map. */
export const HQ_ROUTES: readonly RouteInfo[] = listOf(HQ_API);
/** Every relay route, in the order of the map. */
export const RELAY_ROUTES: readonly RouteInfo[] = listOf(RELAY_API);

/** The routes that change something (what the input fuzz tests must cover). */
export function writeRoutes(routes: readonly RouteInfo[]): RouteInfo[] {
  return routes.filter((r) => r.method !== 'GET');
}
