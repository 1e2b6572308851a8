// The request bodies of the HQ and relay write routes, as parsers (shared/api/parse.ts): the one place the
// shape and limits of each input are written down. Routes parse with these before any write; the CLI parses
// its flags with the same ones before it calls the API, so a mistake is caught where it is made.
// Pure: no I/O.
import { isPermission } from '../auth/permissions';
import { STORE_CODE_RE } from '../model/ids';
import { apiError } from './errors';
import type { Infer, Parser } from './parse';
import {
  array,
  barcode,
  boolean,
  int,
  isCalendarDate,
  isTimeZone,
  moneyOf,
  nullable,
  number,
  object,
  oneOf,
  optional,
  record,
  refine,
  string,
} from './parse';

/** Limits of what people type, in characters (a store name is shown on receipts and dashboards). */
export const LIMITS = {
  storeName: 120,
  address: 300,
  displayName: 120,
  email: 254,
  productName: 200,
  roleName: 80,
  passwordMin: 10,
  passwordMax: 256,
  barcodesPerProduct: 20,
  rolesPerUser: 20,
  storesPerUser: 500,
  terminalName: 64,
} as const;

// ---------- fields ----------

export const storeCode = () =>
  string({ max: 12, case: 'upper', pattern: STORE_CODE_RE, hint: '2 to 12 letters A-Z or digits, e.g. S001', code: 'invalid_store_code' });
export const timeZone = () =>
  refine(string({ max: 64, code: 'invalid_time_zone' }), (z) => (isTimeZone(z) ? null : `"${z}" is not an IANA time zone (e.g. America/Mexico_City)`), 'invalid_time_zone');
/** ISO 4217, in capitals as the standard writes it ("usd" is refused rather than guessed). */
export const currency = () => string({ max: 3, min: 3, trim: false, pattern: /^[A-Z]{3}$/, hint: 'an ISO 4217 code in capitals, e.g. MXN or USD' });
export const locale = () => oneOf(['en', 'es'] as const);
export const taxMode = () => oneOf(['exclusive', 'inclusive'] as const);
export const username = () =>
  string({ min: 2, max: 32, normalize: 'NFKC', case: 'lower', pattern: /^[a-z0-9][a-z0-9._-]{1,31}$/, hint: '2 to 32 of a-z, 0-9, dot, dash or underscore', code: 'invalid_username' });
export const password = () => string({ min: LIMITS.passwordMin, max: LIMITS.passwordMax, trim: false, code: 'weak_password' });
export const pin = () => string({ min: 4, max: 6, trim: false, pattern: /^[0-9]{4,6}$/, hint: '4 to 6 digits', code: 'invalid_pin' });
/** A role's code: 2-32 of a-z, 0-9 or underscore, not starting with one (a document key never does: shared/model isKey). */
export const ROLE_CODE = /^[a-z0-9][a-z0-9_]{1,31}$/;
export const roleId = () => string({ max: 40, pattern: new RegExp('^role:' + ROLE_CODE.source.slice(1)), hint: 'a role id such as role:cashier', code: 'unknown_role' });
export const roleCode = () => string({ min: 2, max: 32, pattern: ROLE_CODE, hint: '2 to 32 of a-z, 0-9 or underscore, not starting with an underscore', code: 'invalid_role_code' });
export const displayName = () => string({ max: LIMITS.displayName });
export const email = () => string({ max: LIMITS.email, pattern: /^[^\s@]+@[^\s@]+$/, hint: 'an e-mail address' });
/** Store code -> role ids: a user's assignment per store. */
export const storeRoles = () =>
  record(storeCode(), array(roleId(), { max: LIMITS.rolesPerUser, unique: true, code: 'invalid_store_roles' }), { max: LIMITS.storesPerUser, code: 'invalid_store_roles' });
export const businessDate = () =>
  refine(string({ max: 10, trim: false, code: 'invalid_business_date' }), (d) => (isCalendarDate(d) ? null : `"${d}" is not a day written YYYY-MM-DD`), 'invalid_business_date');
const docRef = (type: string) => string({ max: 80, pattern: new RegExp(`^${type}:[^\\s:][^\\s]{0,70}$`), hint: `an id such as ${type}:<code>` });

// ---------- HQ ----------

export const StoreCreate = object({
  code: storeCode(),
  name: string({ max: LIMITS.storeName, code: 'invalid_store_name' }),
  address: optional(string({ min: 0, max: LIMITS.address })),
  timeZone: optional(timeZone()),
  currency: optional(currency()),
  locale: optional(locale()),
  taxMode: optional(taxMode()),
});
export type StoreCreateBody = Infer<typeof StoreCreate>;

export const StoreUpdate = object({
  name: optional(string({ max: LIMITS.storeName, code: 'invalid_store_name' })),
  address: optional(string({ min: 0, max: LIMITS.address })),
  timeZone: optional(timeZone()),
  currency: optional(currency()),
  locale: optional(locale()),
  taxMode: optional(taxMode()),
});
export type StoreUpdateBody = Infer<typeof StoreUpdate>;

export const ProvisionRequest = object({ ttlHours: optional(number({ exclusiveMin: 0, max: 24 * 30, code: 'invalid_ttl' })) });

/** Bodies of actions that take no input (revoke, resync): `{}` or nothing, never fields that would be ignored. */
export const NoBody = object({});

export const UserCreate = object({
  username: username(),
  displayName: optional(displayName()),
  email: optional(email()),
  password: optional(password()),
  pin: optional(pin()),
  roles: optional(array(roleId(), { max: LIMITS.rolesPerUser, unique: true })),
  active: optional(boolean()),
  storeRoles: optional(storeRoles()),
});
export type UserCreateBody = Infer<typeof UserCreate>;

export const UserUpdate = object({
  displayName: optional(displayName()),
  email: optional(email()),
  password: optional(password()),
  pin: optional(pin()),
  roles: optional(array(roleId(), { max: LIMITS.rolesPerUser, unique: true })),
  active: optional(boolean()),
});
export type UserUpdateBody = Infer<typeof UserUpdate>;

export const StoreRoles = storeRoles();

const i18nName = (max: number) => object({ en: string({ max }), es: string({ max }) });
const i18nPatch = (max: number) => object({ en: optional(string({ max })), es: optional(string({ max })) });

export const RoleUpsert = object({
  name: optional(i18nName(LIMITS.roleName)),
  permissions: optional(array(refine(string({ max: 64, code: 'unknown_permission' }), (p) => (isPermission(p) ? null : `"${p}" is not a permission`), 'unknown_permission'), { max: 100, unique: true })),
  discountLimitBp: optional(int({ min: 0, max: 10_000, code: 'invalid_discount_limit' })),
});
export type RoleUpsertBody = Infer<typeof RoleUpsert>;

export const Login = object({
  username: string({ max: 64, trim: false, code: 'missing_credentials' }),
  // Generous for old accounts, but bounded: every login costs a PBKDF2 over the password.
  password: string({ max: 1024, trim: false, code: 'missing_credentials' }),
});
export const Refresh = object({ refreshToken: string({ max: 200, trim: false, code: 'refresh_invalid' }) });
export const ChangeCredential = object({
  currentPassword: string({ max: 1024, trim: false, code: 'invalid_credentials' }),
  newPassword: optional(password()),
  newPin: optional(pin()),
});

export const ProductPatch = object({
  price: optional(moneyOf()),
  cost: optional(moneyOf()),
  name: optional(i18nPatch(LIMITS.productName)),
  active: optional(boolean()),
  barcodes: optional(array(barcode(), { max: LIMITS.barcodesPerProduct, unique: true, code: 'invalid_barcode' })),
  departmentId: optional(docRef('department')),
  taxGroupId: optional(docRef('taxgroup')),
  supplierId: optional(nullable(docRef('supplier'))),
});
export type ProductPatchBody = Infer<typeof ProductPatch>;

export const ProductQuery = object({
  sku: optional(string({ min: 0, max: 64 })),
  barcode: optional(string({ max: 14 })),
  /** Page size; a client pages on with `after` (the last SKU it has) or the Link header. */
  limit: optional(int({ min: 1, max: 500 })),
  after: optional(string({ max: 64 })),
});

export const StorePrice = object({ price: nullable(moneyOf()) });

/** `GET /console/products`: a search, a page size and where the previous page ended (one value each). */
export const ConsoleProductQuery = object({
  q: optional(string({ min: 0, max: 100 })),
  limit: optional(int({ min: 1, max: 500 })),
  cursor: optional(string({ min: 0, max: 64 })),
});

/**
 * `PATCH /console/products/:sku`: the revision the edit was made on (`rev_required` when missing, before the
 * fields are looked at), and the changed fields as PATCH /products/:sku takes them.
 */
export const ConsoleProductEdit: Parser<ProductPatchBody & { _rev: string }> = (value, path) => {
  const { _rev: rev, ...fields } = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  if (typeof rev !== 'string' || !rev || rev.length > 64) throw apiError('rev_required', 'Send the _rev of the product version you edited.');
  return { ...ProductPatch(fields, path), _rev: rev };
};

export const SyncProvision = object({ token: string({ max: 4096, trim: false, code: 'token_malformed' }) });
export const SyncTokenRequest = object({
  storeCode: string({ max: 12, trim: false, code: 'missing_credentials' }),
  credentialId: string({ max: 64, trim: false, code: 'missing_credentials' }),
  secret: string({ max: 200, trim: false, code: 'missing_credentials' }),
});

// A heartbeat comes from another process, possibly a version ahead: unknown keys are dropped, free text cut.
const reported = { unknownKeys: 'strip', code: 'invalid_heartbeat' } as const;
const count = () => int({ min: 0, max: Number.MAX_SAFE_INTEGER, code: 'invalid_heartbeat' });
const text = (max: number) => string({ min: 0, max, multiline: true, truncate: true, code: 'invalid_heartbeat' });
const shortText = (max: number) => string({ max, code: 'invalid_heartbeat' });
const reportedTime = () => refine(string({ max: 40, code: 'invalid_heartbeat' }), (s) => (Number.isFinite(Date.parse(s)) ? null : `"${s}" is not an ISO-8601 time`), 'invalid_heartbeat');

export const SyncErrorReport = object(
  {
    /** The relay's id for the error: HQ stores it once however often it is sent (acknowledged by id). */
    id: optional(string({ max: 64, pattern: /^[A-Za-z0-9_-]+$/, code: 'invalid_heartbeat' })),
    at: reportedTime(),
    job: shortText(64),
    type: shortText(40),
    message: text(2000),
    docId: optional(text(300)),
  },
  reported,
);

export const JobReportBody = object(
  {
    id: shortText(64),
    direction: oneOf(['pull', 'push'] as const, { code: 'invalid_heartbeat' }),
    state: shortText(20),
    byType: record(shortText(64), count(), { max: 200, code: 'invalid_heartbeat' }),
    docsRead: count(),
    docsWritten: count(),
    lastSuccessAt: nullable(reportedTime()),
    pending: nullable(count()),
    lastError: nullable(object({ at: reportedTime(), job: optional(shortText(64)), type: shortText(40), message: text(2000), docId: optional(text(300)) }, reported)),
  },
  reported,
);

export const TerminalHealthReport = object(
  { terminalId: shortText(16), lastSeenAt: reportedTime(), pendingUp: nullable(count()), dbSizeBytes: nullable(count()) },
  reported,
);

export const Heartbeat = object(
  {
    at: reportedTime(),
    intervalS: optional(int({ min: 1, max: 86_400, code: 'invalid_heartbeat' })),
    version: optional(shortText(40)),
    openRegisters: optional(int({ min: 0, max: 100_000, code: 'invalid_heartbeat' })),
    lastSaleAt: optional(nullable(reportedTime())),
    jobs: array(JobReportBody, { max: 20, code: 'invalid_heartbeat' }),
    errors: optional(array(SyncErrorReport, { max: 500, code: 'invalid_heartbeat' })),
    terminals: optional(array(TerminalHealthReport, { max: 200, code: 'invalid_heartbeat' })),
    resyncStarted: optional(shortText(40)),
  },
  reported,
);
export type HeartbeatBody = Infer<typeof Heartbeat>;

// ---------- relay ----------

export const RelayProvision = object({
  token: string({ max: 4096, trim: false, code: 'token_malformed' }),
  setupCode: optional(string({ max: 64, trim: false, code: 'setup_code_required' })),
  changeHq: optional(boolean()),
});
const managerUsername = () => string({ max: 64, code: 'missing_credentials' });
const managerPin = () => string({ max: 12, trim: false, code: 'missing_credentials' });
export const RelayLogin = object({ username: managerUsername(), pin: managerPin() });
export const PairingCodeRequest = object({ username: optional(managerUsername()), pin: optional(managerPin()) });
export const PairRequest = object({
  code: optional(string({ max: 12, trim: false, code: 'invalid_pairing_code' })),
  username: optional(managerUsername()),
  pin: optional(managerPin()),
  name: optional(string({ max: LIMITS.terminalName })),
});
export const TerminalTokenRequest = object({
  terminalId: string({ max: 16, trim: false, code: 'missing_credentials' }),
  secret: string({ max: 200, trim: false, code: 'missing_credentials' }),
});
/** What a terminal reports of itself; null where it cannot measure (a browser without storage estimates). */
export const TerminalHealth = object({
  pendingUp: optional(nullable(int({ min: 0, max: 1_000_000_000 }))),
  dbSizeBytes: optional(nullable(int({ min: 0, max: Number.MAX_SAFE_INTEGER }))),
});
export const DayCloseRequest = object({
  businessDate: optional(businessDate()),
  /** Shift id -> denomination (minor units) -> how many were counted. */
  counts: optional(
    record(
      string({ max: 128, code: 'invalid_count' }),
      record(string({ max: 10, pattern: /^[1-9][0-9]{0,8}$/, hint: 'a denomination in minor units, e.g. 50000', code: 'invalid_count' }), int({ min: 0, max: 1_000_000, code: 'invalid_count' }), { max: 40, code: 'invalid_count' }),
      { max: 100, code: 'invalid_count' },
    ),
  ),
});

