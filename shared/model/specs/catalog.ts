// Validation of the documents HQ writes down (catalog, per-store users, prices and config) and of customers:
// a check for every field of each interface (checks.ts Spec), in the order the errors are reported.
import type {
  Customer, Department, Product, Role, SalesRep, Special, SpecialKind, StoreConfig, StorePrice, StoreUser, Supplier, TaxGroup, TaxRate, Tender,
} from '../types';
import type { DocRules } from '../checks';
import {
  anyObject, bad, bool, currencyCode, i18n, int, isoTime, key, list, money, nullable, object, oneOf, optional, qty, ref,
  requiredIf, sameId, storeCode, str, strList, text, then,
} from '../checks';
import { CONFIG_ID, isStoreCode, parseCustomerId } from '../ids';
import { TENDER_KINDS } from './parts';

export const DEPARTMENT: DocRules<Department> = {
  fields: {
    code: key('department'),
    name: i18n(),
    parentId: nullable(ref('department')),
    taxGroupId: optional(ref('taxgroup')),
    active: optional(bool),
  },
};

export const TAX_RATE: DocRules<TaxRate> = {
  fields: {
    code: key('taxrate'),
    name: i18n(),
    rateBp: int(0, 1000000),
    compound: bool,
    active: optional(bool),
  },
};

export const TAX_GROUP: DocRules<TaxGroup> = {
  fields: {
    code: key('taxgroup'),
    name: i18n(),
    rateIds: strList((s) => s.indexOf('taxrate:') === 0, 'a taxrate id'),
    active: optional(bool),
  },
};

export const TENDER: DocRules<Tender> = {
  fields: {
    code: key('tender'),
    name: i18n(),
    kind: oneOf(TENDER_KINDS),
    allowChange: bool,
    allowOverTender: bool,
    opensDrawer: bool,
    active: bool,
    currency: requiredIf((s) => s.ok.kind === 'foreign', currencyCode),
    rateToBase: requiredIf((s) => s.ok.kind === 'foreign', int(1)),
  },
};

export const SUPPLIER: DocRules<Supplier> = {
  fields: {
    code: key('supplier'),
    name: str,
    // Only its being an object has ever been checked; its email and phone are free text.
    contact: optional(anyObject<{ email?: string; phone?: string }>()),
    active: bool,
  },
};

export const SALES_REP: DocRules<SalesRep> = {
  fields: {
    code: key('salesrep'),
    name: str,
    // 10000 basis points is the whole line: a commission is never more than what was sold.
    commissionBp: int(0, 10000),
    active: bool,
  },
};

export const PRODUCT: DocRules<Product> = {
  fields: {
    sku: key('product'),
    name: i18n(),
    // Barcodes are not checked for EAN-13 digits here: UPC-A and in-store codes are valid too (see isValidEan13).
    barcodes: strList(),
    departmentId: ref('department'),
    taxGroupId: ref('taxgroup'),
    supplierId: optional(ref('supplier')),
    price: money('nonneg'),
    cost: optional(money('nonneg')),
    unit: oneOf(['each', 'kg']),
    weighed: bool,
    active: bool,
    updatedAt: isoTime,
  },
};

const SPECIAL_KINDS: readonly SpecialKind[] = ['percent_off', 'amount_off', 'fixed_price', 'buy_x_get_y', 'qty_break'];

export const SPECIAL: DocRules<Special> = {
  fields: {
    code: key('special'),
    name: i18n(),
    kind: oneOf(SPECIAL_KINDS),
    target: object<Special['target']>({ productIds: optional(strList()), departmentIds: optional(strList()) }),
    storeIds: optional(strList(isStoreCode, 'a store code')),
    startsAt: isoTime,
    endsAt: then(isoTime, (ends, s) => {
      const starts = s.ok.startsAt;
      if (starts && ends && Date.parse(ends) < Date.parse(starts)) bad(s.errs, 'endsAt', 'must not be before startsAt');
    }),
    percentBp: requiredIf((s) => s.ok.kind === 'percent_off', int(0, 10000)),
    amount: requiredIf((s) => s.ok.kind === 'amount_off' || s.ok.kind === 'fixed_price', money('nonneg')),
    buyQty: requiredIf((s) => s.ok.kind === 'buy_x_get_y', int(1)),
    getQty: requiredIf((s) => s.ok.kind === 'buy_x_get_y', int(1)),
    breaks: requiredIf((s) => s.ok.kind === 'qty_break', list({ minQty: qty('pos'), unitPrice: money('nonneg') }, 1)),
    active: bool,
  },
};

export const ROLE: DocRules<Role> = {
  fields: {
    code: key('role'),
    name: i18n(),
    permissions: strList(),
    discountLimitBp: int(0, 10000),
  },
};

export const USER: DocRules<StoreUser> = {
  fields: {
    userId: key('user'),
    username: str,
    displayName: str,
    storeId: storeCode,
    roles: strList(),
    permissions: strList(),
    discountLimitBp: int(0, 10000),
    pin: nullable(object({ algorithm: oneOf(['PBKDF2-SHA256']), iterations: int(1), salt: str, hash: str }, 'must be a PIN hash or null')),
    active: bool,
  },
};

export const PRICE: DocRules<StorePrice> = {
  fields: {
    sku: key('price'),
    storeId: storeCode,
    price: money('nonneg'),
    updatedAt: isoTime,
  },
};

export const CONFIG: DocRules<StoreConfig> = {
  before: (s) => sameId(s.errs, s.raw, CONFIG_ID),
  fields: {
    storeId: storeCode,
    code: (v, path, s) => {
      if (s.ok.storeId !== undefined && v !== s.ok.storeId) bad(s.errs, path, 'must equal storeId');
      return typeof v === 'string' ? v : undefined;
    },
    name: str,
    address: text,
    timeZone: str,
    currency: currencyCode,
    locale: oneOf(['en', 'es']),
    taxMode: oneOf(['exclusive', 'inclusive']),
    cashRounding: money('nonneg'),
    varianceAlert: money('nonneg'),
    receiptFooter: i18n(true),
    returnDays: int(0),
  },
};

/** The refusal of `storeCredit` on a customer, shared with access.ts so a tolerated legacy field is recognised. */
export const LEGACY_STORE_CREDIT = 'is no longer a customer field: store credit is the credit ledger (credit documents)';

export const CUSTOMER: DocRules<Customer> = {
  before: (s) => {
    if (typeof s.raw._id !== 'string' || !parseCustomerId(s.raw._id)) bad(s.errs, '_id', 'must be customer:<uuid>');
  },
  fields: {
    name: str,
    email: optional(str),
    phone: optional(str),
    taxExempt: then(optional(nullable(object({ id: str, reason: str }, 'must be an object or null'))), (_v, s) => {
      // Money on a document every till may overwrite is money any till may set (security review): a balance is
      // the credit ledger. Old documents that carry the field still load (access.ts checkWrite tolerates it where
      // it is inherited, and readers drop it: customers.ts readCustomer); a new write may not set it.
      if (s.raw.storeCredit !== undefined) bad(s.errs, 'storeCredit', LEGACY_STORE_CREDIT);
    }),
    updatedAt: isoTime,
  },
};
