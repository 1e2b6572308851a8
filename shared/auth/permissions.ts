// The named permissions of Caja and the default roles built from them.
// A permission name is the same string in Role documents, StoreUser documents, Approval.action on
// ledger documents, the HQ API and the UI. A StoreUser carries its permissions already resolved from its
// roles, so a terminal decides offline without looking roles up.
import type { I18nText, Role, StoreUser } from '../model/types';
import { CURRENT_SCHEMA } from '../model/types';
import { catalogId } from '../model/ids';

interface PermissionInfo {
  label: I18nText;
  /** 'store': exercised at a till or in a store; 'hq': only meaningful in the HQ console. */
  scope: 'store' | 'hq';
}

/** Every permission Caja knows, with labels for the UI. */
export const PERMISSIONS = {
  'sale.ring': { scope: 'store', label: { en: 'Ring up sales', es: 'Registrar ventas' } },
  'sale.void': { scope: 'store', label: { en: 'Void a sale', es: 'Anular una venta' } },
  'sale.refund': { scope: 'store', label: { en: 'Refund or return', es: 'Reembolsar o devolver' } },
  'return.late': { scope: 'store', label: { en: 'Approve returns past the return window', es: 'Autorizar devoluciones fuera de plazo' } },
  'discount.over_limit': {
    scope: 'store',
    label: { en: 'Approve discounts over the limit', es: 'Autorizar descuentos sobre el límite' },
  },
  'price.override': { scope: 'store', label: { en: 'Override a price', es: 'Cambiar un precio' } },
  'register.open': { scope: 'store', label: { en: 'Open a register', es: 'Abrir caja' } },
  'register.close': { scope: 'store', label: { en: 'Close a register', es: 'Cerrar caja' } },
  'register.cash_in_out': { scope: 'store', label: { en: 'Cash in and out', es: 'Entradas y salidas de efectivo' } },
  'inventory.adjust': { scope: 'store', label: { en: 'Adjust inventory', es: 'Ajustar inventario' } },
  'inventory.receive': { scope: 'store', label: { en: 'Receive merchandise', es: 'Recibir mercancía' } },
  'transfer.send': { scope: 'store', label: { en: 'Send transfers', es: 'Enviar traspasos' } },
  'transfer.receive': { scope: 'store', label: { en: 'Receive transfers', es: 'Recibir traspasos' } },
  'customers.edit': { scope: 'store', label: { en: 'Edit customers', es: 'Editar clientes' } },
  'reports.view': { scope: 'store', label: { en: 'View reports', es: 'Ver reportes' } },
  'terminals.manage': { scope: 'store', label: { en: 'Manage terminals', es: 'Administrar terminales' } },
  'catalog.edit': { scope: 'hq', label: { en: 'Edit the catalog', es: 'Editar el catálogo' } },
  'stores.provision': { scope: 'hq', label: { en: 'Provision stores', es: 'Dar de alta tiendas' } },
  'users.manage': { scope: 'hq', label: { en: 'Manage users', es: 'Administrar usuarios' } },
  'sync.admin': { scope: 'hq', label: { en: 'Administer sync', es: 'Administrar sincronización' } },
} as const satisfies Record<string, PermissionInfo>;

export type Permission = keyof typeof PERMISSIONS;

/** All permission names, in registry order. */
// Object.keys is typed string[]; the registry's keys are exactly Permission by construction.
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

/** True when a string names a known permission. */
export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}

/** The label of a permission in a language. */
export function permissionLabel(perm: Permission, locale: keyof I18nText): string {
  return PERMISSIONS[perm].label[locale];
}

/** What is needed of a user to decide a permission: its resolved permission list. */
export type PermissionHolder = Pick<StoreUser, 'permissions'> & { active?: boolean };

/** Whether a user holds a permission. An inactive user holds none. */
export function hasPermission(user: PermissionHolder | null | undefined, perm: Permission): boolean {
  if (!user || user.active === false) return false;
  return user.permissions.includes(perm);
}

export interface ResolvedPermissions {
  /** The union of the roles' known permissions, in registry order. */
  permissions: Permission[];
  /** The largest discount limit among the roles (0 with no roles). */
  discountLimitBp: number;
}

/**
 * Resolves roles into the permission set and discount limit stored on a StoreUser. Names this build does
 * not know are dropped: a role written by a newer HQ must not grant something this terminal cannot check.
 */
export function resolvePermissions(roles: readonly Pick<Role, 'permissions' | 'discountLimitBp'>[]): ResolvedPermissions {
  const granted = new Set<string>();
  let discountLimitBp = 0;
  for (const role of roles) {
    for (const p of role.permissions) granted.add(p);
    discountLimitBp = Math.max(discountLimitBp, role.discountLimitBp);
  }
  return { permissions: ALL_PERMISSIONS.filter((p) => granted.has(p)), discountLimitBp };
}

/** Whether a user may give a discount of `percentBp` (1000 = 10 %) without anyone's approval. */
export function withinDiscountLimit(user: PermissionHolder & Pick<StoreUser, 'discountLimitBp'>, percentBp: number): boolean {
  return hasPermission(user, 'sale.ring') && percentBp <= user.discountLimitBp;
}

/**
 * Whether `approver` may approve a discount of `percentBp` that is over the cashier's limit: they need
 * `discount.over_limit` and a limit of their own at least that large (a supervisor cannot approve 100 %).
 */
export function canApproveDiscount(approver: PermissionHolder & Pick<StoreUser, 'discountLimitBp'>, percentBp: number): boolean {
  return hasPermission(approver, 'discount.over_limit') && percentBp <= approver.discountLimitBp;
}

// ---------- default roles ----------

const CASHIER: Permission[] = ['sale.ring', 'register.open', 'register.close', 'customers.edit'];
const SUPERVISOR: Permission[] = [
  ...CASHIER,
  'sale.void',
  'sale.refund',
  'discount.over_limit',
  'price.override',
  'register.cash_in_out',
  'inventory.receive',
  'transfer.receive',
];
const STORE_MANAGER: Permission[] = [
  ...SUPERVISOR,
  'inventory.adjust',
  'transfer.send',
  'reports.view',
  'terminals.manage',
  'return.late',
];

export interface RoleDefinition {
  code: string;
  name: I18nText;
  permissions: Permission[];
  discountLimitBp: number;
}

/** The roles every chain starts with; HQ may edit them or add its own. */
export const DEFAULT_ROLES: readonly RoleDefinition[] = [
  { code: 'cashier', name: { en: 'Cashier', es: 'Cajero' }, permissions: CASHIER, discountLimitBp: 500 },
  { code: 'supervisor', name: { en: 'Supervisor', es: 'Supervisor' }, permissions: SUPERVISOR, discountLimitBp: 2000 },
  { code: 'store_manager', name: { en: 'Store manager', es: 'Gerente de tienda' }, permissions: STORE_MANAGER, discountLimitBp: 5000 },
  { code: 'hq_admin', name: { en: 'HQ administrator', es: 'Administrador central' }, permissions: ALL_PERMISSIONS, discountLimitBp: 10000 },
];

/** The default roles as Role documents (`role:<code>`). */
export function defaultRoleDocs(): Role[] {
  return DEFAULT_ROLES.map((r) => ({
    _id: catalogId('role', r.code),
    type: 'role',
    schema: CURRENT_SCHEMA,
    code: r.code,
    name: { ...r.name },
    permissions: [...r.permissions],
    discountLimitBp: r.discountLimitBp,
  }));
}
