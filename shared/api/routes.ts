// The route maps of the HQ and relay APIs: for every route (`'POST /api/v1/stores'`) what it takes (path
// parameters, query, the body as its parser returns it) and what it answers, as types; and who may call it,
// what it does and its success status, as data. The servers mount their handlers through these maps
// (server-kit/apiRoutes.ts), so a handler for a route the map lacks, or one answering another shape, does
// not compile; the client (shared/api/client.ts) sends through them; docs/api.md is checked against them
// (scripts/apiDocs.ts); `GET /api/v1` answers with them; and the input fuzz tests walk every write route,
// so a route added here without a test of its inputs fails the suite. Pure: no I/O.
import type { Infer, Parser } from './parse';
import { CustomerCreate, CustomerPatch, CustomerResolve, StoreConfigPut, StorePricesBulk } from './hqRecords';
import type { BulkPriceAnswer, CustomerConflict, CustomerPage, SaleDetail, SalePage, StoreConfigAnswer } from './hqRecords';
import type { ChainDashboard, DashboardQuery } from './hqRecords';
import type { Customer } from '../model/types';
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
  StockPage,
  StorePriceAnswer,
  StoreTokens,
  SyncErrorRow,
  SyncProvisioned,
  TerminalTokens,
  Tokens,
  ZZAnswer,
} from './responses';
import {
  type CatalogListQuery,
  type CatalogPage,
  Deactivate,
  type DepartmentNode,
  type DepartmentRow,
  DepartmentCreate,
  DepartmentEdit,
  type PriceCheckAnswer,
  ProductCreate,
  SalesRepCreate,
  SalesRepEdit,
  SpecialCreate,
  SpecialEdit,
  type SpecialListQuery,
  type StorePriceListQuery,
  type StorePriceRow,
  SupplierCreate,
  SupplierEdit,
  TaxGroupCreate,
  TaxGroupEdit,
  type TaxPreview,
  type TaxPreviewQuery,
  TaxRateCreate,
  TaxRateEdit,
  TenderCreate,
  TenderEdit,
} from './catalogAdmin';
import type { Department, SalesRep, Special, Supplier, TaxGroup, TaxRate, Tender } from '../model/types';
import { reportRouteDocs, type ReportRoutes } from './reports';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

// ---------- HQ ----------

/** The HQ API (and the report routes: shared/api/reports.ts). */
export interface HqApi extends ReportRoutes {
  'GET /api/v1/health': { response: Health };
  'POST /api/v1/auth/login': { body: Infer<typeof Login>; response: Tokens };
  'POST /api/v1/auth/refresh': { body: Infer<typeof Refresh>; response: Tokens };
  'POST /api/v1/auth/logout': { body: Infer<typeof Refresh>; response: Ok };
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
  'POST /api/v1/products': { body: Infer<typeof ProductCreate>; response: Product };
  'DELETE /api/v1/products/:sku': { body: Infer<typeof Deactivate>; response: Product };
  'GET /api/v1/departments': { query: Infer<typeof CatalogListQuery>; response: CatalogPage<DepartmentRow> };
  'GET /api/v1/department-tree': { response: DepartmentNode[] };
  'GET /api/v1/departments/:code': { response: Department };
  'POST /api/v1/departments': { body: Infer<typeof DepartmentCreate>; response: Department };
  'PATCH /api/v1/departments/:code': { body: Infer<typeof DepartmentEdit>; response: Department };
  'DELETE /api/v1/departments/:code': { body: Infer<typeof Deactivate>; response: Department };
  'GET /api/v1/tax-rates': { query: Infer<typeof CatalogListQuery>; response: CatalogPage<TaxRate> };
  'GET /api/v1/tax-rates/:code': { response: TaxRate };
  'POST /api/v1/tax-rates': { body: Infer<typeof TaxRateCreate>; response: TaxRate };
  'PATCH /api/v1/tax-rates/:code': { body: Infer<typeof TaxRateEdit>; response: TaxRate };
  'DELETE /api/v1/tax-rates/:code': { body: Infer<typeof Deactivate>; response: TaxRate };
  'GET /api/v1/tax-groups': { query: Infer<typeof CatalogListQuery>; response: CatalogPage<TaxGroup> };
  'GET /api/v1/tax-groups/:code': { response: TaxGroup };
  'GET /api/v1/tax-groups/:code/preview': { query: Infer<typeof TaxPreviewQuery>; response: TaxPreview };
  'POST /api/v1/tax-groups': { body: Infer<typeof TaxGroupCreate>; response: TaxGroup };
  'PATCH /api/v1/tax-groups/:code': { body: Infer<typeof TaxGroupEdit>; response: TaxGroup };
  'DELETE /api/v1/tax-groups/:code': { body: Infer<typeof Deactivate>; response: TaxGroup };
  'GET /api/v1/tenders': { query: Infer<typeof CatalogListQuery>; response: CatalogPage<Tender> };
  'GET /api/v1/tenders/:code': { response: Tender };
  'POST /api/v1/tenders': { body: Infer<typeof TenderCreate>; response: Tender };
  'PATCH /api/v1/tenders/:code': { body: Infer<typeof TenderEdit>; response: Tender };
  'DELETE /api/v1/tenders/:code': { body: Infer<typeof Deactivate>; response: Tender };
  'GET /api/v1/suppliers': { query: Infer<typeof CatalogListQuery>; response: CatalogPage<Supplier> };
  'GET /api/v1/suppliers/:code': { response: Supplier };
  'POST /api/v1/suppliers': { body: Infer<typeof SupplierCreate>; response: Supplier };
  'PATCH /api/v1/suppliers/:code': { body: Infer<typeof SupplierEdit>; response: Supplier };
  'DELETE /api/v1/suppliers/:code': { body: Infer<typeof Deactivate>; response: Supplier };
  'GET /api/v1/sales-reps': { query: Infer<typeof CatalogListQuery>; response: CatalogPage<SalesRep> };
  'GET /api/v1/sales-reps/:code': { response: SalesRep };
  'POST /api/v1/sales-reps': { body: Infer<typeof SalesRepCreate>; response: SalesRep };
  'PATCH /api/v1/sales-reps/:code': { body: Infer<typeof SalesRepEdit>; response: SalesRep };
  'DELETE /api/v1/sales-reps/:code': { body: Infer<typeof Deactivate>; response: SalesRep };
  'GET /api/v1/specials': { query: Infer<typeof SpecialListQuery>; response: CatalogPage<Special> };
  'GET /api/v1/specials/:code': { response: Special };
  'POST /api/v1/specials': { body: Infer<typeof SpecialCreate>; response: Special };
  'PATCH /api/v1/specials/:code': { body: Infer<typeof SpecialEdit>; response: Special };
  'DELETE /api/v1/specials/:code': { body: Infer<typeof Deactivate>; response: Special };
  'PUT /api/v1/store-prices/:store/:sku': { body: Infer<typeof StorePrice>; response: StorePriceAnswer };
  'PUT /api/v1/store-prices/:store': { body: Infer<typeof StorePricesBulk>; response: BulkPriceAnswer };
  'GET /api/v1/store-prices/:store': { query: Infer<typeof StorePriceListQuery>; response: CatalogPage<StorePriceRow> };
  'POST /api/v1/store-prices/:store/check': { body: Infer<typeof StorePricesBulk>; response: PriceCheckAnswer };
  'GET /api/v1/stores/:id/config': { response: StoreConfigAnswer };
  'PUT /api/v1/stores/:id/config': { body: Infer<typeof StoreConfigPut>; response: StoreConfigAnswer };
  'GET /api/v1/sales': { query: Partial<Record<'store' | 'from' | 'to' | 'receipt' | 'cashier' | 'customer' | 'cursor', string>> & { minTotal?: number; maxTotal?: number; limit?: number }; response: SalePage };
  'GET /api/v1/sales/:id': { response: SaleDetail };
  'GET /api/v1/dashboard': { query: Infer<typeof DashboardQuery>; response: ChainDashboard };
  'GET /api/v1/customers': { query: { q?: string; limit?: number; cursor?: string }; response: CustomerPage };
  'GET /api/v1/customers/conflicts': { response: CustomerConflict[] };
  'GET /api/v1/customers/:id': { response: Customer };
  'POST /api/v1/customers': { body: Infer<typeof CustomerCreate>; response: Customer };
  'PATCH /api/v1/customers/:id': { body: Infer<typeof CustomerPatch>; response: Customer };
  'POST /api/v1/customers/:id/resolve': { body: Infer<typeof CustomerResolve>; response: CustomerConflict };
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
    ...reportRouteDocs('reports.view'),
    'GET /api/v1/health': { auth: 'none', what: 'version and CouchDB status' },
    'POST /api/v1/auth/login': { auth: 'none', what: 'sign in with username and password' },
    'POST /api/v1/auth/refresh': { auth: 'refresh token', what: 'new tokens for a refresh token (used once)' },
    'POST /api/v1/auth/logout': { auth: 'refresh token', what: 'end the session: its refresh token and its access tokens are refused from now on (an unknown or used one is already ended)' },
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
    'POST /api/v1/products': { auth: 'catalog.edit', what: 'create a product (references must exist, barcodes be free)', status: 201 },
    'DELETE /api/v1/products/:sku': { auth: 'catalog.edit', what: 'deactivate a product, given its _rev (never deleted: sales name it)' },
    'GET /api/v1/departments': { auth: 'signed in', what: 'departments in tree order with depth and path; q, limit/cursor paging' },
    'GET /api/v1/department-tree': { auth: 'signed in', what: 'the whole department tree (children by code)' },
    'GET /api/v1/departments/:code': { auth: 'signed in', what: 'one department' },
    'POST /api/v1/departments': { auth: 'catalog.edit', what: 'create a department (parent and tax group must exist)', status: 201 },
    'PATCH /api/v1/departments/:code': { auth: 'catalog.edit', what: 'edit name, parent (a loop is refused), tax group or active, given its _rev (409 stale_edit)' },
    'DELETE /api/v1/departments/:code': { auth: 'catalog.edit', what: 'deactivate a department, given its _rev (kept: sales name it; no new product may choose it)' },
    'GET /api/v1/tax-rates': { auth: 'signed in', what: 'tax rates; q, limit/cursor paging' },
    'GET /api/v1/tax-rates/:code': { auth: 'signed in', what: 'one tax rate' },
    'POST /api/v1/tax-rates': { auth: 'catalog.edit', what: 'create a tax rate (basis points, compound or not)', status: 201 },
    'PATCH /api/v1/tax-rates/:code': { auth: 'catalog.edit', what: 'edit name, rate, compound or active, given its _rev (409 stale_edit)' },
    'DELETE /api/v1/tax-rates/:code': { auth: 'catalog.edit', what: 'deactivate a tax rate, given its _rev (groups keep it; no group may add it)' },
    'GET /api/v1/tax-groups': { auth: 'signed in', what: 'tax groups; q, limit/cursor paging' },
    'GET /api/v1/tax-groups/:code': { auth: 'signed in', what: 'one tax group' },
    'GET /api/v1/tax-groups/:code/preview': { auth: 'signed in', what: "a group's taxes on an amount, inclusive or exclusive, as a till computes them" },
    'POST /api/v1/tax-groups': { auth: 'catalog.edit', what: 'create a tax group: its rates in the order they apply', status: 201 },
    'PATCH /api/v1/tax-groups/:code': { auth: 'catalog.edit', what: 'edit name, ordered rates or active, given its _rev (409 stale_edit)' },
    'DELETE /api/v1/tax-groups/:code': { auth: 'catalog.edit', what: 'deactivate a tax group, given its _rev (its products keep it; no new product may choose it)' },
    'GET /api/v1/tenders': { auth: 'signed in', what: 'tenders; q, active, limit/cursor paging' },
    'GET /api/v1/tenders/:code': { auth: 'signed in', what: 'one tender' },
    'POST /api/v1/tenders': { auth: 'catalog.edit', what: 'create a tender (flags default by kind)', status: 201 },
    'PATCH /api/v1/tenders/:code': { auth: 'catalog.edit', what: 'edit a tender (not its kind), given its _rev (409 stale_edit)' },
    'DELETE /api/v1/tenders/:code': { auth: 'catalog.edit', what: 'deactivate a tender, given its _rev (tender:cash stays)' },
    'GET /api/v1/suppliers': { auth: 'signed in', what: 'suppliers; q, active, limit/cursor paging' },
    'GET /api/v1/suppliers/:code': { auth: 'signed in', what: 'one supplier' },
    'POST /api/v1/suppliers': { auth: 'catalog.edit', what: 'create a supplier', status: 201 },
    'PATCH /api/v1/suppliers/:code': { auth: 'catalog.edit', what: 'edit name, contact or active, given its _rev (409 stale_edit)' },
    'DELETE /api/v1/suppliers/:code': { auth: 'catalog.edit', what: 'deactivate a supplier, given its _rev' },
    'GET /api/v1/sales-reps': { auth: 'signed in', what: 'sales reps; q, active, limit/cursor paging' },
    'GET /api/v1/sales-reps/:code': { auth: 'signed in', what: 'one sales rep' },
    'POST /api/v1/sales-reps': { auth: 'catalog.edit', what: 'create a sales rep (commission in basis points), sent to every store', status: 201 },
    'PATCH /api/v1/sales-reps/:code': { auth: 'catalog.edit', what: 'edit name, commission or active, given its _rev (409 stale_edit)' },
    'DELETE /api/v1/sales-reps/:code': { auth: 'catalog.edit', what: 'deactivate a sales rep, given its _rev (kept: sale lines name them)' },
    'GET /api/v1/specials': { auth: 'signed in', what: 'specials; q, active, store, limit/cursor paging' },
    'GET /api/v1/specials/:code': { auth: 'signed in', what: 'one special' },
    'POST /api/v1/specials': { auth: 'catalog.edit', what: 'create a special: kind and its terms, targets, dates, stores', status: 201 },
    'PATCH /api/v1/specials/:code': { auth: 'catalog.edit', what: 'edit a special (not its kind), given its _rev (409 stale_edit)' },
    'DELETE /api/v1/specials/:code': { auth: 'catalog.edit', what: 'deactivate a special, given its _rev' },
    'PUT /api/v1/store-prices/:store/:sku': { auth: 'catalog.edit', what: "set (or with null remove) a store's price" },
    'PUT /api/v1/store-prices/:store': { auth: 'catalog.edit', what: "set or remove up to 5,000 of a store's prices at once: every line checked before any write, one answer per line" },
    'GET /api/v1/store-prices/:store': { auth: 'signed in', what: "a store's price overrides with each product's name and base price; q (SKU prefix or name), limit/cursor paging" },
    'POST /api/v1/store-prices/:store/check': { auth: 'catalog.edit', what: 'what PUT /store-prices/:store would do with these lines, line by line (unknown or repeated SKUs named), writing nothing' },
    'GET /api/v1/stores/:id/config': { auth: 'signed in', what: "the store's configuration as its tills receive it (zone, currency, language, tax mode, rounding, receipt header and footer)" },
    'PUT /api/v1/stores/:id/config': { auth: 'stores.provision', what: "replace the store's configuration, carrying the _rev it was made on (409 stale_edit)" },
    'GET /api/v1/sales': { auth: 'reports.view', what: 'sales of every store by store, business dates, receipt, cashier, customer and total; paged by cursor (`next`)' },
    'GET /api/v1/sales/:id': { auth: 'reports.view', what: 'one sale with its lines, taxes, tenders, approvals, void and returns' },
    'GET /api/v1/dashboard': { auth: 'reports.view', what: "the chain's day (`date`, default each store's today in its zone) against the same weekday a week before: per currency with sales per local hour, and per store" },
    'GET /api/v1/customers': { auth: 'customers.edit', what: 'customers by name, e-mail or phone; paged by cursor (`next`)' },
    'GET /api/v1/customers/conflicts': { auth: 'customers.edit', what: 'conflicts HQ resolved on its own (latest updatedAt wins), with the losing revisions kept, awaiting review' },
    'GET /api/v1/customers/:id': { auth: 'customers.edit', what: 'one customer' },
    'POST /api/v1/customers': { auth: 'customers.edit', what: 'create a customer (sent to every store)', status: 201 },
    'PATCH /api/v1/customers/:id': { auth: 'customers.edit', what: 'change a customer, carrying the _rev it was made on (409 stale_edit)' },
    'POST /api/v1/customers/:id/resolve': { auth: 'customers.edit', what: 'close the review of a conflict: keep the winner, or restore a kept losing revision (`rev`)' },
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
    'POST /api/v1/auth/logout': Refresh,
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
    'POST /api/v1/products': ProductCreate,
    'DELETE /api/v1/products/:sku': Deactivate,
    'POST /api/v1/departments': DepartmentCreate,
    'PATCH /api/v1/departments/:code': DepartmentEdit,
    'DELETE /api/v1/departments/:code': Deactivate,
    'POST /api/v1/tax-rates': TaxRateCreate,
    'PATCH /api/v1/tax-rates/:code': TaxRateEdit,
    'DELETE /api/v1/tax-rates/:code': Deactivate,
    'POST /api/v1/tax-groups': TaxGroupCreate,
    'PATCH /api/v1/tax-groups/:code': TaxGroupEdit,
    'DELETE /api/v1/tax-groups/:code': Deactivate,
    'POST /api/v1/tenders': TenderCreate,
    'PATCH /api/v1/tenders/:code': TenderEdit,
    'DELETE /api/v1/tenders/:code': Deactivate,
    'POST /api/v1/suppliers': SupplierCreate,
    'PATCH /api/v1/suppliers/:code': SupplierEdit,
    'DELETE /api/v1/suppliers/:code': Deactivate,
    'POST /api/v1/sales-reps': SalesRepCreate,
    'PATCH /api/v1/sales-reps/:code': SalesRepEdit,
    'DELETE /api/v1/sales-reps/:code': Deactivate,
    'POST /api/v1/specials': SpecialCreate,
    'PATCH /api/v1/specials/:code': SpecialEdit,
    'DELETE /api/v1/specials/:code': Deactivate,
    'PUT /api/v1/store-prices/:store/:sku': StorePrice,
    'PUT /api/v1/store-prices/:store': StorePricesBulk,
    'POST /api/v1/store-prices/:store/check': StorePricesBulk,
    'PUT /api/v1/stores/:id/config': StoreConfigPut,
    'POST /api/v1/customers': CustomerCreate,
    'PATCH /api/v1/customers/:id': CustomerPatch,
    'POST /api/v1/customers/:id/resolve': CustomerResolve,
    'POST /api/v1/sync/provision': SyncProvision,
    'POST /api/v1/sync/token': SyncTokenRequest,
    'POST /api/v1/sync/heartbeat': Heartbeat,
    'PATCH /api/v1/console/products/:sku': ConsoleProductEdit,
  },
};

// ---------- relay ----------

/** A store relay's API. */
export interface RelayApi extends ReportRoutes {
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
  'GET /api/v1/stock': { query: { q?: string; dept?: string; cursor?: string; limit?: number }; response: StockPage };
}

export const RELAY_API: RouteTable<RelayApi> = {
  docs: {
    ...reportRouteDocs('manager with reports.view (its own store)'),
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
    'GET /api/v1/stock': { auth: 'manager with inventory.adjust or reports.view', what: "the store's stock levels: search by name, SKU or barcode, department, cursor paging" },
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
