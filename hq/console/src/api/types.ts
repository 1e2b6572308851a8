// The HQ API's answers as the console receives them, typed from the server code that produces them
// (type-only imports: erased at build, so no server code reaches the browser — vite.config.ts checks it).
// When a route's answer changes shape, the console stops compiling instead of breaking at run time.
import type { ProductPage as ServerProductPage, ProductRow as ServerProductRow } from '../../../routes/consoleProductIndex';
import type { login } from '../../../services/auth';
import type { dashboard, SyncErrorDoc, JobReport } from '../../../services/monitoring';
import type { issueSyncToken, publicStore } from '../../../services/stores';
import type { publicUser } from '../../../services/users';
import type { Permission } from '../../../../shared/auth/permissions';
import type { Product, Role } from '../../../../shared/model/types';

/** POST /auth/login and /auth/refresh. */
export type Tokens = Omit<Awaited<ReturnType<typeof login>>, 'mustChangePassword'> & { mustChangePassword?: boolean };

/** A staff account as the API shows it (never a hash). */
export type PublicUser = ReturnType<typeof publicUser>;

/** GET /auth/me (hq/routes/auth.ts). */
export interface Me {
  user: PublicUser;
  permissions: Permission[];
  storePermissions: Record<string, Permission[]>;
}

/** GET /stores, /stores/:id. */
export type Store = ReturnType<typeof publicStore> & { resyncRequestedAt?: string | null; lastResyncAt?: string };

/** POST /stores/:id/provision: the one answer that carries the sync token. */
export type IssuedToken = Awaited<ReturnType<typeof issueSyncToken>>;

/** GET /sync/dashboard. */
export type Dashboard = Awaited<ReturnType<typeof dashboard>>;
export type DashboardRow = Dashboard['stores'][number];
export type TodayActivity = NonNullable<DashboardRow['today']>;
export type Job = JobReport;
export type TerminalRow = DashboardRow['terminals'][number];

/** GET /sync/errors. */
export type SyncError = SyncErrorDoc;

/** GET /console/products. */
export type ProductRow = ServerProductRow;
export type ProductPage = ServerProductPage;
/** GET /products/:sku and PATCH /console/products/:sku. */
export type ProductDoc = Product;
export type RoleDoc = Role;

/** GET /roles/permissions. */
export interface PermissionInfo {
  name: Permission;
  scope: 'store' | 'hq';
  label: { en: string; es: string };
}

/** What the console sends to create a store (hq/services/stores.ts StoreInput). */
export interface StoreInput {
  code: string;
  name: string;
  address?: string;
  timeZone?: string;
  currency?: string;
  locale?: 'en' | 'es';
  taxMode?: 'exclusive' | 'inclusive';
}

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
