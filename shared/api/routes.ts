// The route maps of the HQ and relay APIs: method, path and what each does, as docs/api.md lists them.
// `GET /api/v1` answers with the map of its server, and the input fuzz tests walk every write route of it,
// so a route added here without a test of its inputs fails the suite. Pure: no I/O.

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteInfo {
  method: Method;
  /** Path under the server, Express style (`:id` for a parameter). */
  path: string;
  /** Who may call it: anyone, a signed-in user (with a permission), a store or terminal credential. */
  auth: string;
  what: string;
}

export const HQ_ROUTES = [
  { method: 'GET', path: '/api/v1/health', auth: 'none', what: 'version and CouchDB status' },
  { method: 'POST', path: '/api/v1/auth/login', auth: 'none', what: 'sign in with username and password' },
  { method: 'POST', path: '/api/v1/auth/refresh', auth: 'refresh token', what: 'new tokens for a refresh token (used once)' },
  { method: 'GET', path: '/api/v1/auth/me', auth: 'signed in', what: 'the user and their permissions' },
  { method: 'POST', path: '/api/v1/auth/change-credential', auth: 'signed in', what: 'change own password and/or PIN' },
  { method: 'GET', path: '/api/v1/users', auth: 'users.manage', what: 'staff accounts' },
  { method: 'POST', path: '/api/v1/users', auth: 'users.manage', what: 'create a staff account (optionally with store roles)' },
  { method: 'GET', path: '/api/v1/users/:id', auth: 'users.manage', what: 'one staff account' },
  { method: 'PATCH', path: '/api/v1/users/:id', auth: 'users.manage', what: 'change name, e-mail, roles, active, password or PIN' },
  { method: 'DELETE', path: '/api/v1/users/:id', auth: 'users.manage', what: 'deactivate (kept for the audit trail)' },
  { method: 'GET', path: '/api/v1/users/:id/store-roles', auth: 'users.manage', what: 'roles per store' },
  { method: 'PUT', path: '/api/v1/users/:id/store-roles', auth: 'users.manage', what: 'replace roles per store' },
  { method: 'GET', path: '/api/v1/roles', auth: 'signed in', what: 'roles as permission sets' },
  { method: 'GET', path: '/api/v1/roles/permissions', auth: 'signed in', what: 'the permission registry' },
  { method: 'PUT', path: '/api/v1/roles/:code', auth: 'users.manage', what: 'create or change a role' },
  { method: 'GET', path: '/api/v1/stores', auth: 'signed in', what: 'stores' },
  { method: 'POST', path: '/api/v1/stores', auth: 'stores.provision', what: 'create a store (pending)' },
  { method: 'GET', path: '/api/v1/stores/:id', auth: 'signed in', what: 'one store' },
  { method: 'PATCH', path: '/api/v1/stores/:id', auth: 'stores.provision', what: "change a store's name, address, zone, currency, locale or tax mode" },
  { method: 'POST', path: '/api/v1/stores/:id/provision', auth: 'stores.provision', what: 'a one-time sync token, shown once' },
  { method: 'POST', path: '/api/v1/stores/:id/revoke', auth: 'stores.provision', what: "suspend the store's credential" },
  { method: 'POST', path: '/api/v1/stores/:id/resync', auth: 'sync.admin', what: 'replay every replication from sequence 0' },
  { method: 'GET', path: '/api/v1/products', auth: 'signed in', what: 'products by SKU prefix or barcode, paged (Link: rel="next")' },
  { method: 'GET', path: '/api/v1/products/:sku', auth: 'signed in', what: 'one product' },
  { method: 'PATCH', path: '/api/v1/products/:sku', auth: 'catalog.edit', what: 'change price, cost, names, active, barcodes, department, tax group, supplier' },
  { method: 'PUT', path: '/api/v1/store-prices/:store/:sku', auth: 'catalog.edit', what: "set (or with null remove) a store's price" },
  { method: 'GET', path: '/api/v1/sync/dashboard', auth: 'sync.admin', what: 'every store: connection, jobs, errors, today' },
  { method: 'GET', path: '/api/v1/sync/errors', auth: 'sync.admin', what: 'sync errors kept per store' },
  { method: 'POST', path: '/api/v1/sync/provision', auth: 'sync token', what: 'relays: redeem a sync token for a store credential' },
  { method: 'POST', path: '/api/v1/sync/token', auth: 'store credential', what: 'relays: a short-lived replication token' },
  { method: 'POST', path: '/api/v1/sync/heartbeat', auth: 'store token', what: 'relays: heartbeat; answers {resync, acknowledged}' },
  { method: 'GET', path: '/api/v1/audit', auth: 'users.manage', what: 'who did what, when, from where' },
] as const satisfies readonly RouteInfo[];

export const RELAY_ROUTES = [
  { method: 'GET', path: '/api/v1/health', auth: 'none', what: 'version, CouchDB, store, provisioning and HQ credential state' },
  { method: 'GET', path: '/api/v1/sync/status', auth: 'none', what: 'replication jobs, errors, heartbeat, terminals' },
  { method: 'POST', path: '/api/v1/provision', auth: 'this machine or the setup code', what: 'present a sync token' },
  { method: 'POST', path: '/api/v1/auth/login', auth: 'manager PIN', what: 'a 30-minute manager session' },
  { method: 'POST', path: '/api/v1/terminals/pairing-code', auth: 'manager', what: 'a six-digit pairing code' },
  { method: 'POST', path: '/api/v1/terminals/pair', auth: 'pairing code or manager PIN', what: 'pair a terminal' },
  { method: 'POST', path: '/api/v1/terminals/token', auth: 'terminal credential', what: 'a one-hour CouchDB token' },
  { method: 'POST', path: '/api/v1/terminals/health', auth: 'terminal token', what: "a terminal's health, sent on to HQ" },
  { method: 'GET', path: '/api/v1/terminals', auth: 'manager', what: 'paired terminals' },
  { method: 'DELETE', path: '/api/v1/terminals/:id', auth: 'manager', what: 'unpair a terminal' },
  { method: 'POST', path: '/api/v1/day-close', auth: 'manager with register.close', what: "close the store's business day (write its Z)" },
  { method: 'GET', path: '/api/v1/day-close/:date', auth: 'manager with reports.view', what: 'the Z of a day, or a preview' },
  { method: 'GET', path: '/api/v1/zz', auth: 'manager with reports.view', what: 'Z reports summed over a period' },
] as const satisfies readonly RouteInfo[];

/** The routes that change something (what the input fuzz tests must cover). */
export function writeRoutes(routes: readonly RouteInfo[]): RouteInfo[] {
  return routes.filter((r) => r.method !== 'GET');
}
