// Deterministic document ids (design.md "Documents (contract)"). An id carries its owner, so a retried write
// is a conflict, never a duplicate, and validate_doc_update can check ownership from the id alone.
// This file is bundled into design documents: keep it ES2017, pure, no lookbehind, no Intl.
// The other names (databases, CouchDB roles, principals, audit actors, `_local` ids) are in names.ts.

/**
 * A store's code (`S001`). Code calls it `storeCode`; documents carry it in their `storeId` field (a wire
 * name, kept), and parsed ids name it `storeId` after that field.
 */
export const STORE_CODE_RE = /^[A-Z0-9]{2,12}$/;
/** Terminal id within a store (`T1`). */
export const TERMINAL_ID_RE = /^T[0-9]{1,4}$/;
/** The unique part of an id (a UUID, or any url-safe random string): not a credential. */
export const ID_UNIQUE_RE = /^[A-Za-z0-9_-]{1,64}$/;
/** A business date in the store's time zone. */
export const BUSINESS_DATE_RE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
/** An ISO-8601 UTC timestamp as written by `Date.prototype.toISOString` (milliseconds optional). */
export const ISO_UTC_RE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,3})?Z$/;

/** Width of zero-padded sequence numbers in ids, so ids sort in ringing order (up to 99,999,999 per terminal). */
export const SEQ_WIDTH = 8;
export const MAX_SEQ = 99999999;

/** True for a valid store code. */
export function isStoreCode(value: unknown): value is string {
  return typeof value === 'string' && STORE_CODE_RE.test(value);
}

/** True for a valid terminal id. */
export function isTerminalId(value: unknown): value is string {
  return typeof value === 'string' && TERMINAL_ID_RE.test(value);
}

/** True for a valid unique part of an id (uuid-like). */
export function isIdUnique(value: unknown): value is string {
  return typeof value === 'string' && ID_UNIQUE_RE.test(value);
}

/** True for a `YYYY-MM-DD` business date. */
export function isBusinessDate(value: unknown): value is string {
  return typeof value === 'string' && BUSINESS_DATE_RE.test(value);
}

/** True for an ISO-8601 UTC timestamp (`2024-05-01T12:00:00.000Z`). */
export function isIsoUtc(value: unknown): value is string {
  return typeof value === 'string' && ISO_UTC_RE.test(value);
}

/** True for a sequence number usable in an id (1..99,999,999). */
export function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_SEQ;
}

function padSeq(seq: number): string {
  if (!isSeq(seq)) throw new RangeError('sequence must be an integer 1..' + MAX_SEQ + ', got ' + seq);
  let s = String(seq);
  while (s.length < SEQ_WIDTH) s = '0' + s;
  return s;
}

function parseSeq(text: string | undefined): number | null {
  if (text === undefined || text.length !== SEQ_WIDTH || !/^[0-9]+$/.test(text)) return null;
  const n = Number(text);
  return isSeq(n) ? n : null;
}

function need(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new RangeError('invalid ' + what + ': ' + JSON.stringify(value));
}

/** A catalog key (sku, code): non-empty, no surrounding whitespace, not starting with `_`. */
export function isKey(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length > 0 && value.length <= 200 && value.trim() === value && value.charAt(0) !== '_'
  );
}

// ---------- catalog and store-down documents: `<type>:<key>` ----------

/** `product:<sku>`. */
export function productId(sku: string): string {
  need(isKey(sku), 'sku', sku);
  return 'product:' + sku;
}

/** `<type>:<key>` for catalog types (department, taxrate, taxgroup, tender, supplier, salesrep, special, role). */
export function catalogId(type: string, key: string): string {
  need(isKey(key), type + ' key', key);
  return type + ':' + key;
}

/** Splits `<type>:<key>` into its parts; the key may itself contain colons. */
export function splitId(id: string): { type: string; key: string } | null {
  const i = id.indexOf(':');
  if (i <= 0 || i === id.length - 1) return null;
  return { type: id.slice(0, i), key: id.slice(i + 1) };
}

/** `user:<id>`. */
export function userDocId(userId: string): string {
  need(isKey(userId), 'user id', userId);
  return 'user:' + userId;
}

/** `price:<sku>` (a store price override, lives in that store's database). */
export function priceId(sku: string): string {
  need(isKey(sku), 'sku', sku);
  return 'price:' + sku;
}

/** The id of the store configuration document in a store's database. */
export const CONFIG_ID = 'config:hq';

/** The cash tender every catalog has (`tender:cash`): change is given in it, refunds default to it. */
export const CASH_TENDER_ID = 'tender:cash';
/** The tender an exchange carries value in from the returned goods to the new sale (never a catalog document). */
export const EXCHANGE_TENDER_ID = 'tender:exchange';

// ---------- transactions ----------

/** `sale:<store>:<terminal>:<seq 8 digits>`. */
export function saleId(storeCode: string, terminalId: string, seq: number): string {
  need(isStoreCode(storeCode), 'store code', storeCode);
  need(isTerminalId(terminalId), 'terminal id', terminalId);
  return 'sale:' + storeCode + ':' + terminalId + ':' + padSeq(seq);
}

export interface TerminalSeqRef {
  storeId: string;
  terminalId: string;
  seq: number;
}

function parseTerminalSeq(prefix: string, id: string): TerminalSeqRef | null {
  if (typeof id !== 'string') return null;
  const parts = id.split(':');
  if (parts.length !== 4 || parts[0] !== prefix) return null;
  const storeCode = parts[1] as string;
  const terminalId = parts[2] as string;
  const seq = parseSeq(parts[3]);
  if (!isStoreCode(storeCode) || !isTerminalId(terminalId) || seq === null) return null;
  return { storeId: storeCode, terminalId, seq };
}

/** Parses a sale id, or null. */
export function parseSaleId(id: string): TerminalSeqRef | null {
  return parseTerminalSeq('sale', id);
}

/** `<store>-<terminal>-<seq>`, the number printed on the receipt (seq unpadded, as people read it). */
export function receiptNumber(storeCode: string, terminalId: string, seq: number): string {
  need(isStoreCode(storeCode), 'store code', storeCode);
  need(isTerminalId(terminalId), 'terminal id', terminalId);
  need(isSeq(seq), 'sequence', seq);
  return storeCode + '-' + terminalId + '-' + seq;
}

/** Parses a receipt number (store codes and terminal ids hold no '-', so the split is unambiguous), or null. */
export function parseReceiptNumber(text: string): TerminalSeqRef | null {
  if (typeof text !== 'string') return null;
  const parts = text.split('-');
  if (parts.length !== 3) return null;
  const storeCode = parts[0] as string;
  const terminalId = parts[1] as string;
  const seqText = parts[2] as string;
  if (!isStoreCode(storeCode) || !isTerminalId(terminalId) || !/^[1-9][0-9]{0,7}$/.test(seqText)) return null;
  return { storeId: storeCode, terminalId, seq: Number(seqText) };
}

/** `void:<saleId>`: a sale is voided at most once. */
export function voidId(saleIdValue: string): string {
  need(parseSaleId(saleIdValue) !== null, 'sale id', saleIdValue);
  return 'void:' + saleIdValue;
}

/** Parses a void id into the voided sale's id and owner, or null. */
export function parseVoidId(id: string): (TerminalSeqRef & { saleId: string }) | null {
  if (typeof id !== 'string' || id.indexOf('void:') !== 0) return null;
  const sale = id.slice(5);
  const ref = parseSaleId(sale);
  return ref ? { storeId: ref.storeId, terminalId: ref.terminalId, seq: ref.seq, saleId: sale } : null;
}

/**
 * `return:<store>:<terminal>:<seq 8 digits>`. Returns draw from the same per-terminal receipt sequence as sales,
 * so a receipt number names exactly one document.
 */
export function returnId(storeCode: string, terminalId: string, seq: number): string {
  need(isStoreCode(storeCode), 'store code', storeCode);
  need(isTerminalId(terminalId), 'terminal id', terminalId);
  return 'return:' + storeCode + ':' + terminalId + ':' + padSeq(seq);
}

/** Parses a return id, or null. */
export function parseReturnId(id: string): TerminalSeqRef | null {
  return parseTerminalSeq('return', id);
}

/** `shift:<store>:<terminal>:<n 8 digits>` (n counts the terminal's shifts from 1). */
export function shiftId(storeCode: string, terminalId: string, n: number): string {
  need(isStoreCode(storeCode), 'store code', storeCode);
  need(isTerminalId(terminalId), 'terminal id', terminalId);
  return 'shift:' + storeCode + ':' + terminalId + ':' + padSeq(n);
}

/** Parses a shift id (`seq` is the shift number n), or null. */
export function parseShiftId(id: string): TerminalSeqRef | null {
  return parseTerminalSeq('shift', id);
}

/** `shiftclose:<shiftId>`: a shift closes once. */
export function shiftCloseId(shiftIdValue: string): string {
  need(parseShiftId(shiftIdValue) !== null, 'shift id', shiftIdValue);
  return 'shiftclose:' + shiftIdValue;
}

/** Parses a shift close id into its shift id and owner, or null. */
export function parseShiftCloseId(id: string): (TerminalSeqRef & { shiftId: string }) | null {
  if (typeof id !== 'string' || id.indexOf('shiftclose:') !== 0) return null;
  const shift = id.slice(11);
  const ref = parseShiftId(shift);
  return ref ? { storeId: ref.storeId, terminalId: ref.terminalId, seq: ref.seq, shiftId: shift } : null;
}

/** `cash:<store>:<terminal>:<uuid>`. */
export function cashId(storeCode: string, terminalId: string, uuid: string): string {
  need(isStoreCode(storeCode), 'store code', storeCode);
  need(isTerminalId(terminalId), 'terminal id', terminalId);
  need(isIdUnique(uuid), 'uuid', uuid);
  return 'cash:' + storeCode + ':' + terminalId + ':' + uuid;
}

/** Parses a cash movement id, or null. */
export function parseCashId(id: string): { storeId: string; terminalId: string; uuid: string } | null {
  if (typeof id !== 'string') return null;
  const p = id.split(':');
  if (p.length !== 4 || p[0] !== 'cash' || !isStoreCode(p[1]) || !isTerminalId(p[2]) || !isIdUnique(p[3])) return null;
  return { storeId: p[1], terminalId: p[2], uuid: p[3] };
}

/** `zreport:<store>:<businessDate>`: one day close per store and day. */
export function zreportId(storeCode: string, businessDate: string): string {
  need(isStoreCode(storeCode), 'store code', storeCode);
  need(isBusinessDate(businessDate), 'business date', businessDate);
  return 'zreport:' + storeCode + ':' + businessDate;
}

/** Parses a Z report id, or null. */
export function parseZreportId(id: string): { storeId: string; businessDate: string } | null {
  if (typeof id !== 'string') return null;
  const p = id.split(':');
  if (p.length !== 3 || p[0] !== 'zreport' || !isStoreCode(p[1]) || !isBusinessDate(p[2])) return null;
  return { storeId: p[1], businessDate: p[2] };
}

function storeScopedId(prefix: string, storeCode: string, uuid: string): string {
  need(isStoreCode(storeCode), 'store code', storeCode);
  need(isIdUnique(uuid), 'uuid', uuid);
  return prefix + ':' + storeCode + ':' + uuid;
}

function parseStoreScopedId(prefix: string, id: string): { storeId: string; uuid: string } | null {
  if (typeof id !== 'string') return null;
  const p = id.split(':');
  if (p.length !== 3 || p[0] !== prefix || !isStoreCode(p[1]) || !isIdUnique(p[2])) return null;
  return { storeId: p[1], uuid: p[2] };
}

/** `move:<store>:<uuid>` (stock movement). */
export function moveId(storeCode: string, uuid: string): string {
  return storeScopedId('move', storeCode, uuid);
}

/** Parses a stock movement id, or null. */
export function parseMoveId(id: string): { storeId: string; uuid: string } | null {
  return parseStoreScopedId('move', id);
}

/** `transfer:<from store>:<uuid>`. */
export function transferId(fromStoreCode: string, uuid: string): string {
  return storeScopedId('transfer', fromStoreCode, uuid);
}

/** Parses a transfer id (`storeId` is the source store), or null. */
export function parseTransferId(id: string): { storeId: string; uuid: string } | null {
  return parseStoreScopedId('transfer', id);
}

/**
 * `receipt:<transferId>`: a transfer arrives once, at its destination store. Code calls this document a
 * transfer arrival ("receipt" is the printed slip); its id prefix and `type` stay `receipt` on the wire.
 */
export function transferArrivalId(transferIdValue: string): string {
  need(parseTransferId(transferIdValue) !== null, 'transfer id', transferIdValue);
  return 'receipt:' + transferIdValue;
}

/** Parses a transfer arrival id into the transfer id and its source store, or null. */
export function parseTransferArrivalId(id: string): { transferId: string; fromStoreId: string } | null {
  if (typeof id !== 'string' || id.indexOf('receipt:') !== 0) return null;
  const t = id.slice(8);
  const ref = parseTransferId(t);
  return ref ? { transferId: t, fromStoreId: ref.storeId } : null;
}

/** `customer:<uuid>`. */
export function customerId(uuid: string): string {
  need(isIdUnique(uuid), 'uuid', uuid);
  return 'customer:' + uuid;
}

/** Parses a customer id, or null. */
export function parseCustomerId(id: string): { uuid: string } | null {
  if (typeof id !== 'string') return null;
  const p = id.split(':');
  if (p.length !== 2 || p[0] !== 'customer' || !isIdUnique(p[1])) return null;
  return { uuid: p[1] };
}

// ---------- credit ledger: money a customer or a gift card holds ----------
//
// A balance is never a field: it is the `_sum` of immutable `credit` entries, each written by one terminal
// (design.md "Single writer per document"). An entry id starts with its holder, so a terminal, which keeps
// no views, reads one holder's entries as a single id range; it then names the store and terminal that own it
// and a unique part. Entries written with a sale, return or void take one derived from that document, so a
// retried commit is a conflict, never a second redeem.

/** The accounts that hold money at the chain: a customer's store credit, a gift card. */
export const CREDIT_HOLDER_TYPES = ['customer', 'giftcard'] as const;
export type CreditHolderType = (typeof CREDIT_HOLDER_TYPES)[number];

/** `giftcard:<number>`: the account of one gift card, by its printed number (url-safe characters only). */
export function giftCardId(cardNumber: string): string {
  need(isIdUnique(cardNumber), 'gift card number', cardNumber);
  return 'giftcard:' + cardNumber;
}

/** Parses a gift card id, or null. */
export function parseGiftCardId(id: string): { cardNumber: string } | null {
  if (typeof id !== 'string') return null;
  const p = id.split(':');
  if (p.length !== 2 || p[0] !== 'giftcard' || !isIdUnique(p[1])) return null;
  return { cardNumber: p[1] };
}

/** A credit holder id (`customer:<uuid>` or `giftcard:<number>`) split into its kind and key, or null. */
export function parseCreditHolder(id: string): { holderType: CreditHolderType; key: string } | null {
  const c = parseCustomerId(id);
  if (c) return { holderType: 'customer', key: c.uuid };
  const g = parseGiftCardId(id);
  return g ? { holderType: 'giftcard', key: g.cardNumber } : null;
}

/** The document an entry is tied to: a sale (redeem), a return (refund) or a void (credit given back). */
export type CreditLink = 'sale' | 'return' | 'void';
/** The most tenders one document may carry credit entries for (index 0..999 in the unique part). */
export const MAX_CREDIT_INDEX = 999;
const CREDIT_LINK_RE = /^(sale|return|void)-([0-9]{8})-(0|[1-9][0-9]{0,2})$/;
/** Unique parts starting like a link's are reserved for links: a free-standing entry cannot pose as one. */
const CREDIT_RESERVED_RE = /^(sale|return|void)-/;

/**
 * `<sale|return|void>-<seq 8 digits>-<tender index>`: the unique part of the entry for tender `index` of a sale or
 * return (seq of that document) or of a voided sale (seq of the sale). The store and terminal in the entry id
 * complete the reference: the sale's or return's own, and for a void the voided sale's.
 */
export function creditLinkUnique(link: CreditLink, seq: number, index: number): string {
  need(link === 'sale' || link === 'return' || link === 'void', 'credit link', link);
  need(Number.isInteger(index) && index >= 0 && index <= MAX_CREDIT_INDEX, 'tender index', index);
  return link + '-' + padSeq(seq) + '-' + index;
}

/** Parses the unique part of a linked entry; null for a free-standing (uuid) one. */
export function parseCreditLinkUnique(unique: string): { link: CreditLink; seq: number; index: number } | null {
  if (typeof unique !== 'string') return null;
  const m = CREDIT_LINK_RE.exec(unique);
  if (!m) return null;
  const seq = parseSeq(m[2]);
  return seq === null ? null : { link: m[1] as CreditLink, seq, index: Number(m[3]) };
}

/**
 * `credit:<holder>:<store>:<terminal>:<unique>`, e.g. `credit:customer:9b2c:S001:T1:sale-00000042-1`.
 * `<unique>` is a link's (see creditLinkUnique) or, for an entry tied to no document (issuing a gift card
 * at a desk, a manager's adjustment), a uuid.
 */
export function creditId(holder: string, storeCode: string, terminalId: string, unique: string): string {
  need(parseCreditHolder(holder) !== null, 'credit holder', holder);
  need(isStoreCode(storeCode), 'store code', storeCode);
  need(isTerminalId(terminalId), 'terminal id', terminalId);
  need(isIdUnique(unique) && (!CREDIT_RESERVED_RE.test(unique) || parseCreditLinkUnique(unique) !== null), 'credit unique part', unique);
  return 'credit:' + holder + ':' + storeCode + ':' + terminalId + ':' + unique;
}

export interface CreditRef {
  holder: string;
  holderType: CreditHolderType;
  storeId: string;
  terminalId: string;
  unique: string;
  /** The document the entry is tied to, from the unique part; null for a free-standing entry. */
  link: { link: CreditLink; seq: number; index: number } | null;
}

/** Parses a credit entry id, or null. */
export function parseCreditId(id: string): CreditRef | null {
  if (typeof id !== 'string') return null;
  const p = id.split(':');
  if (p.length !== 6 || p[0] !== 'credit') return null;
  const holder = p[1] + ':' + p[2];
  const h = parseCreditHolder(holder);
  const storeCode = p[3] as string;
  const terminalId = p[4] as string;
  const unique = p[5] as string;
  if (!h || !isStoreCode(storeCode) || !isTerminalId(terminalId) || !isIdUnique(unique)) return null;
  const link = parseCreditLinkUnique(unique);
  if (!link && CREDIT_RESERVED_RE.test(unique)) return null;
  return { holder, holderType: h.holderType, storeId: storeCode, terminalId, unique, link };
}

/** The id range holding every entry of one holder: `[prefix, prefix + '\ufff0')`. */
export function creditHolderPrefix(holder: string): string {
  need(parseCreditHolder(holder) !== null, 'credit holder', holder);
  return 'credit:' + holder + ':';
}

/** The owner of HQ's own audit entries, in place of a store code. */
export const HQ_AUDIT_OWNER = 'hq';

/** `audit:<store code | hq>:<iso timestamp>:<uuid>` (the timestamp holds colons; the uuid never does). */
export function auditId(owner: string, at: string, uuid: string): string {
  need(owner === HQ_AUDIT_OWNER || isStoreCode(owner), 'audit owner', owner);
  need(isIsoUtc(at), 'timestamp', at);
  need(isIdUnique(uuid), 'uuid', uuid);
  return 'audit:' + owner + ':' + at + ':' + uuid;
}

/** Parses an audit id; `storeId` is absent for HQ entries. */
export function parseAuditId(id: string): { owner: string; storeId?: string; at: string; uuid: string } | null {
  if (typeof id !== 'string' || id.indexOf('audit:') !== 0) return null;
  const rest = id.slice(6);
  const first = rest.indexOf(':');
  const last = rest.lastIndexOf(':');
  if (first <= 0 || last <= first) return null;
  const owner = rest.slice(0, first);
  const at = rest.slice(first + 1, last);
  const uuid = rest.slice(last + 1);
  if (!(owner === HQ_AUDIT_OWNER || isStoreCode(owner)) || !isIsoUtc(at) || !isIdUnique(uuid)) return null;
  return owner === HQ_AUDIT_OWNER ? { owner, at, uuid } : { owner, storeId: owner, at, uuid };
}

/** The id range holding one owner's audit entries, oldest first: `[prefix, prefix + '\ufff0')`. */
export function auditOwnerPrefix(owner: string): string {
  need(owner === HQ_AUDIT_OWNER || isStoreCode(owner), 'audit owner', owner);
  return 'audit:' + owner + ':';
}

// ---------- id ranges: reading one type, one store or one terminal by id prefix ----------

/** The id prefix of every document of one type (`user:`): ids start with their type. */
export function typePrefix(type: string): string {
  need(/^[a-z]+$/.test(type), 'document type', type);
  return type + ':';
}

/** The types whose ids name the writing store and terminal, with a sequence or a uuid after them. */
export type TerminalIdType = 'sale' | 'return' | 'shift' | 'cash';

/** `<type>:<store>:` — the id prefix of one store's sales, returns, shifts or cash movements. */
export function storeTypePrefix(type: TerminalIdType, storeCode: string): string {
  need(isStoreCode(storeCode), 'store code', storeCode);
  return type + ':' + storeCode + ':';
}

/** `<type>:<store>:<terminal>:` — one terminal's documents of a type; numbered ones sort by their sequence. */
export function terminalTypePrefix(type: TerminalIdType, storeCode: string, terminalId: string): string {
  need(isTerminalId(terminalId), 'terminal id', terminalId);
  return storeTypePrefix(type, storeCode) + terminalId + ':';
}

// ---------- owners (database names are in names.ts) ----------

export interface IdOwner {
  storeId?: string;
  terminalId?: string;
}

/**
 * The store (and terminal) an id names as its writer. A transfer receipt's id names the source store's
 * transfer, not the receiving store that writes it, so it yields no owner; catalog, user, price, config and
 * customer ids carry none either. A credit entry tied to a void yields only its store (see below).
 */
export function ownerOf(id: string): IdOwner {
  const s = splitId(id);
  if (!s) return {};
  let r: { storeId: string; terminalId?: string } | null = null;
  switch (s.type) {
    case 'sale':
      r = parseSaleId(id);
      break;
    case 'return':
      r = parseReturnId(id);
      break;
    case 'void':
      r = parseVoidId(id);
      break;
    case 'shift':
      r = parseShiftId(id);
      break;
    case 'shiftclose':
      r = parseShiftCloseId(id);
      break;
    case 'cash':
      r = parseCashId(id);
      break;
    case 'zreport':
      r = parseZreportId(id);
      break;
    case 'move':
      r = parseMoveId(id);
      break;
    case 'transfer':
      r = parseTransferId(id);
      break;
    case 'credit': {
      const c = parseCreditId(id);
      // A void's credit entry names the voided sale's terminal, and any till of the store may void (as with
      // `void:<saleId>` itself), so only the store is its owner; concurrent voids then collide on one id.
      r = c ? (c.link && c.link.link === 'void' ? { storeId: c.storeId } : { storeId: c.storeId, terminalId: c.terminalId }) : null;
      break;
    }
    case 'audit': {
      const a = parseAuditId(id);
      r = a && a.storeId ? { storeId: a.storeId } : null;
      break;
    }
    default:
      r = null;
  }
  if (!r) return {};
  return r.terminalId ? { storeId: r.storeId, terminalId: r.terminalId } : { storeId: r.storeId };
}

// ---------- EAN-13 ----------

/** The EAN-13 check digit of the first 12 digits (weights 1,3,1,3,... from the left). */
export function ean13CheckDigit(first12: string): number {
  need(/^[0-9]{12}$/.test(first12), 'EAN-13 body (12 digits)', first12);
  let total = 0;
  for (let i = 0; i < 12; i++) total += Number(first12.charAt(i)) * (i % 2 === 0 ? 1 : 3);
  return (10 - (total % 10)) % 10;
}

/** True when the text is 13 digits with a correct check digit. */
export function isValidEan13(code: string): boolean {
  if (typeof code !== 'string' || !/^[0-9]{13}$/.test(code)) return false;
  return ean13CheckDigit(code.slice(0, 12)) === Number(code.charAt(12));
}
