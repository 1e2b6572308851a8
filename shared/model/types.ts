// The document model of Caja (design.md "Documents (contract)"). Every replicated document has `type`,
// an integer `schema` and, where it belongs to a store, `storeId`. IDs are deterministic and carry their
// owner (see ids.ts), so a retried write is a conflict, never a duplicate.
import type { Money } from '../money';

/** Text shown to people, in each supported language. */
export interface I18nText {
  en: string;
  es: string;
}

export interface BaseDoc {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  type: DocType;
  schema: number;
}

/** Who approved an override, recorded on the document it approved. */
export interface Approval {
  action: string; // a permission name, e.g. 'sale.void', 'discount.over_limit', 'price.override'
  approvedBy: string; // user id of the manager
  approvedAt: string; // ISO-8601 UTC
  reason?: string;
  lineNo?: number;
}

// ---------- catalog (HQ writes, down to all stores) ----------
export interface Department extends BaseDoc {
  type: 'department';
  code: string;
  name: I18nText;
  parentId: string | null; // department:<code> of the parent, null at the root
  taxGroupId?: string;
  /** Absent on departments written before it existed: those are active. A deactivated one is kept (sales name it). */
  active?: boolean;
}

export interface TaxRate extends BaseDoc {
  type: 'taxrate';
  code: string;
  name: I18nText;
  /** Rate in basis points of a percent x100: 2100 = 21.00 %, 825 = 8.25 % (integer, never a float). */
  rateBp: number;
  /** A compound tax is charged on the price plus the taxes before it in the group. */
  compound: boolean;
  /** Absent on rates written before it existed: those are active. */
  active?: boolean;
}

export interface TaxGroup extends BaseDoc {
  type: 'taxgroup';
  code: string;
  name: I18nText;
  /** taxrate ids in the order they apply (order matters for compound taxes). */
  rateIds: string[];
  /** Absent on groups written before it existed: those are active. */
  active?: boolean;
}

export type TenderKind = 'cash' | 'card' | 'giftcard' | 'storecredit' | 'foreign' | 'other';

export interface Tender extends BaseDoc {
  type: 'tender';
  code: string;
  name: I18nText;
  kind: TenderKind;
  /** Whether change may be given from this tender (cash yes, card no). */
  allowChange: boolean;
  /** Whether more than the amount due may be taken. */
  allowOverTender: boolean;
  opensDrawer: boolean;
  currency?: string; // for kind 'foreign'
  rateToBase?: number; // units of base minor currency per 1 foreign minor unit x 1e6 (integer), for kind 'foreign'
  active: boolean;
}

export interface Supplier extends BaseDoc {
  type: 'supplier';
  code: string;
  name: string;
  contact?: { email?: string; phone?: string };
  active: boolean;
}

/** A sales representative a sale line may credit (SaleLine.salesRepId), with the commission they earn on it. */
export interface SalesRep extends BaseDoc {
  type: 'salesrep';
  code: string;
  name: string;
  /** Commission in basis points of the line's net amount: 250 = 2.5 % (integer, never a float). */
  commissionBp: number;
  active: boolean;
}

export interface Product extends BaseDoc {
  type: 'product';
  sku: string;
  name: I18nText;
  barcodes: string[]; // EAN-13 / UPC-A / internal
  departmentId: string;
  taxGroupId: string;
  supplierId?: string;
  price: Money; // base price in minor units (tax mode is per store)
  cost?: Money;
  unit: 'each' | 'kg';
  weighed: boolean;
  active: boolean;
  updatedAt: string;
}

export type SpecialKind = 'percent_off' | 'amount_off' | 'fixed_price' | 'buy_x_get_y' | 'qty_break';

export interface Special extends BaseDoc {
  type: 'special';
  code: string;
  name: I18nText;
  kind: SpecialKind;
  target: { productIds?: string[]; departmentIds?: string[] };
  storeIds?: string[]; // absent: all stores
  startsAt: string; // ISO-8601 UTC
  endsAt: string;
  percentBp?: number; // percent_off: 1500 = 15 %
  amount?: Money; // amount_off, fixed_price
  buyQty?: number; // buy_x_get_y
  getQty?: number;
  breaks?: { minQty: number; unitPrice: Money }[]; // qty_break
  active: boolean;
}

export interface Role extends BaseDoc {
  type: 'role';
  code: string;
  name: I18nText;
  permissions: string[];
  /** The largest discount this role may give without approval, in basis points (1000 = 10 %). */
  discountLimitBp: number;
}

// ---------- per store (HQ writes, down to one store) ----------
export interface StoreUser extends BaseDoc {
  type: 'user';
  userId: string;
  username: string;
  displayName: string;
  storeId: string;
  roles: string[]; // role ids at this store
  permissions: string[]; // resolved from roles, so a terminal needs no role lookups offline
  discountLimitBp: number;
  pin: SecretHash | null;
  active: boolean;
}

export interface SecretHash {
  algorithm: 'PBKDF2-SHA256';
  iterations: number;
  salt: string; // base64
  hash: string; // base64
}

export interface StorePrice extends BaseDoc {
  type: 'price';
  storeId: string;
  sku: string;
  price: Money;
  updatedAt: string;
}

export interface StoreConfig extends BaseDoc {
  type: 'config';
  storeId: string;
  code: string;
  name: string;
  address: string;
  timeZone: string; // IANA, e.g. 'America/Mexico_City'
  currency: string; // ISO 4217
  locale: 'en' | 'es';
  taxMode: 'exclusive' | 'inclusive';
  cashRounding: Money; // 0 = none, 5 = to 0.05
  varianceAlert: Money; // register close variance beyond which an alert is raised
  receiptFooter: I18nText;
  returnDays: number;
}

// ---------- transactions (a terminal or the store writes, up to HQ) ----------
export interface LineDiscount {
  kind: 'percent' | 'amount' | 'special';
  percentBp?: number;
  amount: Money; // the discount actually taken off the line, positive
  specialId?: string;
  reason?: string;
}

export interface LineTax {
  rateId: string;
  code: string;
  basis: Money;
  amount: Money;
}

export interface SaleLine {
  lineNo: number;
  productId: string;
  sku: string;
  name: I18nText;
  qty: number; // up to 3 decimals; negative never (returns are their own documents)
  unitPrice: Money; // price per unit before discounts, as charged
  priceSource: 'base' | 'store' | 'special' | 'override';
  grossAmount: Money; // round(qty * unitPrice)
  discounts: LineDiscount[];
  /** This line's share of the cart discounts (largest-remainder allocation; 0 or absent when none). */
  cartDiscountShare?: Money;
  netAmount: Money; // grossAmount - line discounts - share of cart discounts; the tax basis (or tax-inclusive amount)
  taxGroupId: string;
  taxes: LineTax[];
  salesRepId?: string;
}

export interface TaxTotal {
  rateId: string;
  code: string;
  name: I18nText;
  basis: Money;
  amount: Money;
}

export interface SaleTender {
  tenderId: string; // tender:<code>
  kind: TenderKind;
  amount: Money; // in the store's currency, what this tender pays towards the total (after change)
  tendered: Money; // what was handed over, in store currency
  change: Money; // given back from this tender
  reference?: string; // card: last 4 / terminal reference; gift card number
  authCode?: string;
  foreign?: { currency: string; amount: Money; rateToBase: number };
}

export interface Sale extends BaseDoc {
  type: 'sale';
  storeId: string;
  terminalId: string;
  seq: number;
  receiptNumber: string; // <store>-<terminal>-<seq>
  businessDate: string; // YYYY-MM-DD in the store's time zone
  createdAt: string; // ISO-8601 UTC
  shiftId: string;
  cashierId: string;
  customerId?: string;
  taxExemptId?: string;
  currency: string;
  taxMode: 'exclusive' | 'inclusive';
  lines: SaleLine[];
  cartDiscounts: LineDiscount[];
  subtotal: Money; // sum of grossAmount
  discountTotal: Money;
  taxTotal: Money;
  taxes: TaxTotal[];
  rounding: Money; // cash rounding, its own line (may be negative)
  total: Money; // what the customer pays, rounding included
  tenders: SaleTender[];
  change: Money;
  approvals: Approval[];
}

export interface Void extends BaseDoc {
  type: 'void';
  storeId: string;
  terminalId: string;
  saleId: string;
  receiptNumber: string;
  businessDate: string;
  createdAt: string;
  shiftId: string;
  cashierId: string;
  reason: string;
  total: Money;
  /** The voided sale's quantities per product (copied from its lines), so the stock view adds them back. */
  lines: { productId: string; qty: number }[];
  approvals: Approval[];
}

export interface ReturnLine {
  lineNo: number; // line of the original sale
  productId: string;
  sku: string;
  qty: number;
  amount: Money; // refunded net amount for this qty (pro rata of the original net)
  taxes: LineTax[];
  restock: boolean;
}

export interface Return extends BaseDoc {
  type: 'return';
  storeId: string;
  terminalId: string;
  seq: number;
  receiptNumber: string;
  originalSaleId: string;
  businessDate: string;
  createdAt: string;
  shiftId: string;
  cashierId: string;
  lines: ReturnLine[];
  taxTotal: Money;
  total: Money; // refunded, positive
  refunds: SaleTender[];
  exchangeSaleId?: string;
  approvals: Approval[];
}

export interface Shift extends BaseDoc {
  type: 'shift';
  storeId: string;
  terminalId: string;
  n: number;
  openedAt: string;
  openedBy: string;
  openingFloat: Money;
  businessDate: string;
}

export interface ShiftClose extends BaseDoc {
  type: 'shiftclose';
  storeId: string;
  terminalId: string;
  shiftId: string;
  closedAt: string;
  closedBy: string; // a user id, or 'zreport' when the day close closed it
  counted: Record<string, number>; // denomination in minor units -> count
  countedCash: Money;
  expectedCash: Money;
  variance: Money;
  alert: boolean;
}

export interface CashMovement extends BaseDoc {
  type: 'cash';
  storeId: string;
  terminalId: string;
  shiftId: string;
  direction: 'in' | 'out';
  amount: Money;
  reason: string;
  createdAt: string;
  userId: string;
  approvals: Approval[];
}

export interface ZReport extends BaseDoc {
  type: 'zreport';
  storeId: string;
  businessDate: string;
  createdAt: string;
  shiftIds: string[];
  totals: Record<string, unknown>; // the figures of the X/Z layout, computed in shared/
}

export type StockReason = 'adjustment' | 'damage' | 'receive' | 'count' | 'theft' | 'other';

export interface StockMovement extends BaseDoc {
  type: 'move';
  storeId: string;
  reason: StockReason;
  lines: { productId: string; qty: number }[]; // signed: + in, - out
  createdAt: string;
  userId: string;
  note?: string;
}

export interface Transfer extends BaseDoc {
  type: 'transfer';
  storeId: string; // the source store
  fromStoreId: string;
  toStoreId: string;
  lines: { productId: string; qty: number }[];
  createdAt: string;
  userId: string;
}

/** A transfer's arrival at its destination store; `type` stays 'receipt' on the wire (design "Documents"). */
export interface TransferArrival extends BaseDoc {
  type: 'receipt';
  storeId: string; // the destination store
  transferId: string;
  lines: { productId: string; qty: number }[];
  createdAt: string;
  userId: string;
}

/**
 * A customer: the one multi-writer document (any till edits it, conflicts expected). It holds no money: a
 * field any terminal may overwrite cannot hold a balance, so store credit is the credit ledger (CreditEntry).
 * Documents written before the ledger may still carry `storeCredit`; readers ignore it (see customers.ts).
 */
export interface Customer extends BaseDoc {
  type: 'customer';
  name: string;
  email?: string;
  phone?: string;
  taxExempt?: { id: string; reason: string } | null;
  updatedAt: string;
}

/** Why money moved on a credit account. The sign of `amount` follows from it (see validateCredit). */
export type CreditReason = 'issue' | 'redeem' | 'refund' | 'adjust';

/**
 * One movement of money held by a customer (store credit) or a gift card: the balance is the `_sum` of the
 * holder's entries (view credit_balance), never a field. Written once by the terminal that moved the money,
 * immutable, replicated up to HQ like every ledger document (ids.ts creditId).
 */
export interface CreditEntry extends BaseDoc {
  type: 'credit';
  storeId: string;
  terminalId: string; // the terminal that wrote it
  /** Exactly one holder: a customer's store credit (`customer:<uuid>`) or a gift card (`giftcard:<number>`). */
  customerId?: string;
  giftCardId?: string;
  /** Signed minor units: + credit given (issue, refund), - credit spent (redeem); an adjustment either way. */
  amount: Money;
  reason: CreditReason;
  saleId?: string; // the sale it paid (redeem), or the voided sale it gave back (refund)
  returnId?: string; // the return that refunded to it
  createdAt: string;
  userId: string;
  approvals: Approval[];
  note?: string;
}

export interface AuditEntry extends BaseDoc {
  type: 'audit';
  storeId?: string;
  at: string;
  actor: string; // user id, store id or 'system'
  action: string; // e.g. 'product.update'
  target: string; // document id or resource
  from: string; // remote address or terminal id
  detail?: Record<string, unknown>;
}

export type CatalogDoc = Department | TaxRate | TaxGroup | Tender | Supplier | SalesRep | Product | Special | Role;
export type StoreDownDoc = StoreUser | StorePrice | StoreConfig;

/**
 * Every document type: its `type` string -> its interface. The one list the rest derives from: the DocType
 * union, the CajaDoc union, and the validators, which validate.ts must give for each entry (with a check for
 * every field: specs.*.ts).
 */
export interface DocTypes {
  department: Department;
  taxrate: TaxRate;
  taxgroup: TaxGroup;
  tender: Tender;
  supplier: Supplier;
  salesrep: SalesRep;
  product: Product;
  special: Special;
  role: Role;
  user: StoreUser;
  price: StorePrice;
  config: StoreConfig;
  sale: Sale;
  void: Void;
  return: Return;
  shift: Shift;
  shiftclose: ShiftClose;
  cash: CashMovement;
  zreport: ZReport;
  move: StockMovement;
  transfer: Transfer;
  receipt: TransferArrival;
  credit: CreditEntry;
  customer: Customer;
  audit: AuditEntry;
}
export type DocType = keyof DocTypes;
/** Any Caja document. */
export type CajaDoc = DocTypes[DocType];

export const CATALOG_TYPES = ['department', 'taxrate', 'taxgroup', 'tender', 'supplier', 'salesrep', 'product', 'special', 'role'] as const;
export const STORE_DOWN_TYPES = ['user', 'price', 'config'] as const;
/** Types a store writes and replicates up to HQ (design: upstream filter). */
export const UPSTREAM_TYPES = [
  'sale', 'void', 'return', 'shift', 'shiftclose', 'cash', 'zreport', 'move', 'transfer', 'receipt', 'credit', 'customer', 'audit',
] as const;
/** Types a terminal itself may write into the relay's database (its own transactions). */
export const TERMINAL_TYPES = [
  'sale', 'void', 'return', 'shift', 'shiftclose', 'cash', 'move', 'transfer', 'receipt', 'credit', 'customer', 'audit',
] as const;

/** The schema version of each document type this build understands; a newer one is set aside, not guessed at. */
export const CURRENT_SCHEMA = 1;
