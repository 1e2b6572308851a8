// The wire contract of the HQ catalog modules (issue #12): departments, tax rates, tax groups, tenders,
// suppliers, sales reps, specials, product creation and the listing and checking of a store's prices. Request bodies as parsers (shared/api/parse.ts), so each input's
// shape and limits are written once and checked before any write; list queries; and the answers. Kept out of
// bodies.ts and responses.ts because these modules are one unit the console and the CLI read together.
// An edit carries the `_rev` it was made on (a stale one is 409 `stale_edit` with the current version), so
// every edit body reads `_rev` first (`rev_required`), then its fields. Pure: no I/O.
import { isIsoUtc } from '../model/ids';
import type { Money } from '../money';
import type { I18nText } from '../model/types';
import type { Department, Special, TaxRate, TenderKind } from '../model/types';
import type { LineTaxResult } from '../pos/tax';
import { LIMITS, storeCode } from './bodies';
import { apiError } from './errors';
import type { Infer, Parser } from './parse';
import { array, barcode, boolean, int, moneyOf, nullable, object, oneOf, optional, refine, string } from './parse';

/** Limits of the catalog modules' inputs (the model's validator has the same or wider ones). */
export const CATALOG_LIMITS = {
  code: 40,
  sku: 64,
  supplierName: 120,
  salesRepName: 120,
  contact: 120,
  ratesPerGroup: 10,
  targets: 500,
  storesPerSpecial: 500,
  breaks: 20,
  /** 1,000,000 basis points is 10,000 %, the model's own bound (TaxRate.rateBp). */
  rateBp: 1_000_000,
  qty: 100_000,
} as const;

// ---------- fields ----------

/**
 * A catalog key (department, tax rate, tax group, tender, supplier, sales rep, special): letters, digits, dot, dash or
 * underscore. No slash or colon, so it is one path segment and `<type>:<code>` splits back unambiguously.
 */
export const catalogCode = () =>
  string({ max: CATALOG_LIMITS.code, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, hint: 'letters, digits, dot, dash or underscore, starting with a letter or digit' });
/** A product SKU, the same alphabet (a SKU is a path segment too). */
export const skuCode = () => string({ max: CATALOG_LIMITS.sku, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, hint: 'letters, digits, dot, dash or underscore, starting with a letter or digit' });
/** `<type>:<code>`: the id of another catalog document. */
export const catalogRef = (type: string) =>
  string({ max: CATALOG_LIMITS.code + type.length + 1, pattern: new RegExp(`^${type}:[A-Za-z0-9][A-Za-z0-9._-]*$`), hint: `an id such as ${type}:<code>` });
const productRef = () => string({ max: CATALOG_LIMITS.sku + 8, pattern: /^product:[A-Za-z0-9][A-Za-z0-9._-]*$/, hint: 'an id such as product:<sku>' });
const i18nName = (max: number) => object({ en: string({ max }), es: string({ max }) });
const i18nPatch = (max: number) => object({ en: optional(string({ max })), es: optional(string({ max })) });
const isoTime = () => refine(string({ max: 30, trim: false }), (s) => (isIsoUtc(s) ? null : `"${s}" is not an ISO-8601 UTC time such as 2025-01-01T00:00:00.000Z`));
const rateBp = () => int({ min: 0, max: CATALOG_LIMITS.rateBp });
const qty = () => int({ min: 1, max: CATALOG_LIMITS.qty });
const TENDER_KINDS = ['cash', 'card', 'giftcard', 'storecredit', 'foreign', 'other'] as const satisfies readonly TenderKind[];
const SPECIAL_KINDS = ['percent_off', 'amount_off', 'fixed_price', 'buy_x_get_y', 'qty_break'] as const satisfies readonly Special['kind'][];
const currency = () => string({ max: 3, min: 3, trim: false, pattern: /^[A-Z]{3}$/, hint: 'an ISO 4217 code in capitals, e.g. USD' });
const contact = () => object({ email: optional(string({ min: 0, max: CATALOG_LIMITS.contact })), phone: optional(string({ min: 0, max: CATALOG_LIMITS.contact })) });

/**
 * An edit: the `_rev` it was made on (`rev_required` when missing, before the fields are looked at), and the
 * changed fields read by `fields`.
 */
export function edit<T extends object>(fields: Parser<T>): Parser<T & { _rev: string }> {
  return (value, path) => {
    const { _rev: rev, ...rest } = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
    if (typeof rev !== 'string' || !rev || rev.length > 64) throw apiError('rev_required', 'Send the _rev of the version you edited.');
    return { ...fields(rest, path), _rev: rev };
  };
}

// ---------- bodies ----------

export const DepartmentCreate = object({
  code: catalogCode(),
  name: i18nName(LIMITS.productName),
  /** The parent department; absent or null for a top-level one. */
  parentId: optional(nullable(catalogRef('department'))),
  /** The tax group its products default to. */
  taxGroupId: optional(catalogRef('taxgroup')),
  active: optional(boolean()),
});
/** `active: true` reactivates a department deactivated by DELETE (the same for rates and groups). */
export const DepartmentEdit = edit(
  object({
    name: optional(i18nPatch(LIMITS.productName)),
    parentId: optional(nullable(catalogRef('department'))),
    taxGroupId: optional(nullable(catalogRef('taxgroup'))),
    active: optional(boolean()),
  }),
);

export const TaxRateCreate = object({ code: catalogCode(), name: i18nName(LIMITS.productName), rateBp: rateBp(), compound: optional(boolean()), active: optional(boolean()) });
export const TaxRateEdit = edit(object({ name: optional(i18nPatch(LIMITS.productName)), rateBp: optional(rateBp()), compound: optional(boolean()), active: optional(boolean()) }));

const rateIds = () => array(catalogRef('taxrate'), { max: CATALOG_LIMITS.ratesPerGroup, unique: true });
export const TaxGroupCreate = object({ code: catalogCode(), name: i18nName(LIMITS.productName), rateIds: rateIds(), active: optional(boolean()) });
export const TaxGroupEdit = edit(object({ name: optional(i18nPatch(LIMITS.productName)), rateIds: optional(rateIds()), active: optional(boolean()) }));

const tenderFlags = {
  allowChange: optional(boolean()),
  allowOverTender: optional(boolean()),
  opensDrawer: optional(boolean()),
  /** For kind `foreign`: the currency, and base minor units per foreign minor unit x 1e6. */
  currency: optional(currency()),
  rateToBase: optional(int({ min: 1, max: Number.MAX_SAFE_INTEGER })),
  active: optional(boolean()),
};
/** A tender; the flags default by kind (cash and foreign give change, take more than due and open the drawer). */
export const TenderCreate = object({ code: catalogCode(), name: i18nName(LIMITS.productName), kind: oneOf(TENDER_KINDS), ...tenderFlags });
/** The kind is not edited: sales record it, and a cash tender turned card would change what they meant. */
export const TenderEdit = edit(object({ name: optional(i18nPatch(LIMITS.productName)), ...tenderFlags }));

export const SupplierCreate = object({ code: catalogCode(), name: string({ max: CATALOG_LIMITS.supplierName }), contact: optional(contact()), active: optional(boolean()) });
export const SupplierEdit = edit(object({ name: optional(string({ max: CATALOG_LIMITS.supplierName })), contact: optional(nullable(contact())), active: optional(boolean()) }));

/** Commission in basis points of a line's net amount (250 = 2.5 %), at most the whole line. */
const commissionBp = () => int({ min: 0, max: 10_000 });
export const SalesRepCreate = object({ code: catalogCode(), name: string({ max: CATALOG_LIMITS.salesRepName }), commissionBp: commissionBp(), active: optional(boolean()) });
export const SalesRepEdit = edit(object({ name: optional(string({ max: CATALOG_LIMITS.salesRepName })), commissionBp: optional(commissionBp()), active: optional(boolean()) }));

const target = () =>
  object({
    productIds: optional(array(productRef(), { max: CATALOG_LIMITS.targets, unique: true })),
    departmentIds: optional(array(catalogRef('department'), { max: CATALOG_LIMITS.targets, unique: true })),
  });
const specialTerms = {
  target: target(),
  /** Store codes it applies at; absent (or null in an edit) for every store. */
  storeIds: optional(array(storeCode(), { min: 1, max: CATALOG_LIMITS.storesPerSpecial, unique: true })),
  startsAt: isoTime(),
  endsAt: isoTime(),
  percentBp: optional(int({ min: 0, max: 10_000 })),
  amount: optional(moneyOf()),
  buyQty: optional(qty()),
  getQty: optional(qty()),
  breaks: optional(array(object({ minQty: qty(), unitPrice: moneyOf() }), { min: 1, max: CATALOG_LIMITS.breaks })),
  active: optional(boolean()),
};
export const SpecialCreate = object({ code: catalogCode(), name: i18nName(LIMITS.productName), kind: oneOf(SPECIAL_KINDS), ...specialTerms });
/** The kind is not edited (its terms are other fields): a new kind is a new special. */
export const SpecialEdit = edit(
  object({
    name: optional(i18nPatch(LIMITS.productName)),
    target: optional(specialTerms.target),
    storeIds: optional(nullable(array(storeCode(), { min: 1, max: CATALOG_LIMITS.storesPerSpecial, unique: true }))),
    startsAt: optional(specialTerms.startsAt),
    endsAt: optional(specialTerms.endsAt),
    percentBp: specialTerms.percentBp,
    amount: specialTerms.amount,
    buyQty: specialTerms.buyQty,
    getQty: specialTerms.getQty,
    breaks: specialTerms.breaks,
    active: specialTerms.active,
  }),
);

/** `POST /products`: a new product, every reference checked to exist and every barcode to be free. */
export const ProductCreate = object({
  sku: skuCode(),
  name: i18nName(LIMITS.productName),
  barcodes: optional(array(barcode(), { max: LIMITS.barcodesPerProduct, unique: true, code: 'invalid_barcode' })),
  departmentId: catalogRef('department'),
  taxGroupId: catalogRef('taxgroup'),
  supplierId: optional(catalogRef('supplier')),
  price: moneyOf(),
  cost: optional(moneyOf()),
  unit: optional(oneOf(['each', 'kg'] as const)),
  /** Defaults to whether the unit is kg. */
  weighed: optional(boolean()),
  active: optional(boolean()),
});

/** Deactivating names the version too: `{ "_rev": "..." }`. */
export const Deactivate = edit(object({}));

export type DepartmentCreateBody = Infer<typeof DepartmentCreate>;
export type DepartmentEditBody = Infer<typeof DepartmentEdit>;
export type TaxRateCreateBody = Infer<typeof TaxRateCreate>;
export type TaxRateEditBody = Infer<typeof TaxRateEdit>;
export type TaxGroupCreateBody = Infer<typeof TaxGroupCreate>;
export type TaxGroupEditBody = Infer<typeof TaxGroupEdit>;
export type TenderCreateBody = Infer<typeof TenderCreate>;
export type TenderEditBody = Infer<typeof TenderEdit>;
export type SupplierCreateBody = Infer<typeof SupplierCreate>;
export type SupplierEditBody = Infer<typeof SupplierEdit>;
export type SalesRepCreateBody = Infer<typeof SalesRepCreate>;
export type SalesRepEditBody = Infer<typeof SalesRepEdit>;
export type SpecialCreateBody = Infer<typeof SpecialCreate>;
export type SpecialEditBody = Infer<typeof SpecialEdit>;
export type ProductCreateBody = Infer<typeof ProductCreate>;

// ---------- queries ----------

const listFields = {
  /** Text in the code or either name (accents and case ignored). */
  q: optional(string({ min: 0, max: 100 })),
  limit: optional(int({ min: 1, max: 500 })),
  /** `nextCursor` of the previous page. */
  cursor: optional(string({ min: 0, max: 220 })),
  /** Only active (`true`) or only inactive (`false`) ones, for the types that have `active`. */
  active: optional(oneOf(['true', 'false'] as const)),
};
export const CatalogListQuery = object(listFields);
/** Specials also by store: those that apply at it (every-store specials included). */
export const SpecialListQuery = object({ ...listFields, store: optional(storeCode()) });
/** `GET /store-prices/:store`: a store's price overrides in SKU order, by SKU prefix or name. */
export const StorePriceListQuery = object({ q: listFields.q, limit: listFields.limit, cursor: listFields.cursor });
/** `GET /tax-groups/:code/preview`: an amount in minor units, taxed as the store's mode would. */
export const TaxPreviewQuery = object({ amount: moneyOf(), mode: optional(oneOf(['exclusive', 'inclusive'] as const)) });

// ---------- answers ----------

/** One page of a catalog list: `nextCursor` is passed back as `cursor`, null on the last page. */
export interface CatalogPage<T> {
  items: T[];
  /** How many match in all. */
  total: number;
  nextCursor: string | null;
}

/** A department in the flat list, in tree order: its depth (0 at the top) and its ancestors' ids from the top. */
export type DepartmentRow = Department & { depth: number; path: string[] };

/** A department with its children (by code), for the tree. */
export type DepartmentNode = Department & { children: DepartmentNode[] };

/** A tax computation example (shared/pos/tax.ts) of a group, with the rates it used in their order. */
export interface TaxPreview extends LineTaxResult {
  mode: 'exclusive' | 'inclusive';
  amount: Money;
  /** What the customer pays: the amount itself when inclusive, plus the taxes when exclusive. */
  gross: Money;
  rates: TaxRate[];
}

/** A store's price override as the console lists it: the product's name and base price beside it (null if gone). */
export interface StorePriceRow {
  sku: string;
  price: Money;
  updatedAt: string;
  name: I18nText | null;
  basePrice: Money | null;
}

/**
 * What `PUT /store-prices/:store` would do to one line, found without writing: `unknown_sku` when no product
 * has it, `repeated_sku` when an earlier line names it (the PUT refuses a request with either).
 */
export interface PriceCheckLine {
  sku: string;
  price: Money | null;
  result: 'set' | 'removed' | 'unchanged' | 'error';
  error?: 'unknown_sku' | 'repeated_sku';
  /** The store's override now, if any. */
  current: Money | null;
  /** The product's chain price and names (null for an unknown SKU). */
  basePrice: Money | null;
  name: I18nText | null;
}

export interface PriceCheckAnswer {
  store: string;
  counts: Record<PriceCheckLine['result'], number>;
  lines: PriceCheckLine[];
}
