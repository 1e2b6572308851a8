// The HQ API's answers as the console receives them, taken from the HQ route map (shared/api/routes.ts,
// pure code): the same types the server's handlers are checked against, so when a route's answer changes
// shape, the console stops compiling instead of breaking at run time.
import type { Body, Result } from './routes';

/** POST /auth/login and /auth/refresh. */
export type Tokens = Result<'POST /api/v1/auth/login'>;

/** A staff account as the API shows it (never a hash). */
export type PublicUser = Result<'GET /api/v1/users/:id'>;

/** GET /auth/me (hq/routes/auth.ts). */
export type Me = Result<'GET /api/v1/auth/me'>;

/** GET /stores, /stores/:id. */
export type Store = Result<'GET /api/v1/stores/:id'>;

/** POST /stores/:id/provision: the one answer that carries the sync token. */
export type IssuedToken = Result<'POST /api/v1/stores/:id/provision'>;

/** GET /sync/dashboard. */
export type Dashboard = Result<'GET /api/v1/sync/dashboard'>;
export type DashboardRow = Dashboard['stores'][number];
export type Job = DashboardRow['jobs'][number];

/** GET /sync/errors. */
export type SyncError = Result<'GET /api/v1/sync/errors'>[number];

/** GET /console/products. */
export type ProductPage = Result<'GET /api/v1/console/products'>;
export type ProductRow = ProductPage['items'][number];
/** GET /products/:sku and PATCH /console/products/:sku. */
export type ProductDoc = Result<'GET /api/v1/products/:sku'>;
export type RoleDoc = Result<'PUT /api/v1/roles/:code'>;


/** What the console sends to create a store (parsed by the server with StoreCreate). */
export type StoreInput = Body<'POST /api/v1/stores'>;

/** A product edit: the revision it was made on, and the changed fields. */
export interface ProductEdit {
  sku: string;
  _rev: string;
  name?: { en: string; es: string };
  price?: number;
  cost?: number;
  active?: boolean;
  barcodes?: string[];
}

/** Every error the console shows: the API's `{error, reason}` plus the HTTP status (null: HQ not reached). */
export interface ApiError {
  status: number | null;
  code: string;
  reason: string;
  details?: Record<string, unknown>;
}
