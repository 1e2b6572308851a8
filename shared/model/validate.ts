// The one runtime validator of Caja documents: app code calls it before a write, and validate_doc_update
// runs the same code inside CouchDB (bundled by design-docs/deploy.ts). So this file and what it imports stay in
// a conservative subset: ES2017, no classes, no Intl, no regex lookbehind, no Node/DOM globals, pure shared files.
// Each validator returns human-readable errors as `path: problem`; an empty list means the document is valid.
// The validators are built from one spec per document type (specs/*.ts) over the combinators of checks.ts: a
// type of DocTypes without a validator, or a field of an interface without a check, does not compile.
import { CATALOG_TYPES, CURRENT_SCHEMA, STORE_DOWN_TYPES, UPSTREAM_TYPES } from './types';
import type { DocType, DocTypes } from './types';
import { isStoreCode, isTerminalId, ownerOf, splitId } from './ids';
import type { Errs, Obj, Validator } from './checks';
import { bad, isObj, validatorOf } from './checks';
import { CONFIG, CUSTOMER, DEPARTMENT, PRICE, PRODUCT, ROLE, SALES_REP, SPECIAL, SUPPLIER, TAX_GROUP, TAX_RATE, TENDER, USER } from './specs/catalog';
import { AUDIT, CASH, CREDIT, MOVE, RECEIPT, RETURN, SALE, SHIFT, SHIFT_CLOSE, TRANSFER, VOID, ZREPORT } from './specs/ledger';

export type { Obj, Validator };
export { isObj } from './checks';

/** Every document type, in the order of design.md's table. */
export const DOC_TYPES: readonly DocType[] = ([] as DocType[]).concat(
  CATALOG_TYPES as unknown as DocType[],
  STORE_DOWN_TYPES as unknown as DocType[],
  UPSTREAM_TYPES as unknown as DocType[],
);

/** True for a known document type name. */
export function isDocType(v: unknown): v is DocType {
  return typeof v === 'string' && DOC_TYPES.indexOf(v as DocType) >= 0;
}

/** One validator per document type (shape, id derived from content, cheap totals). */
export const VALIDATORS: { [K in DocType]: Validator<DocTypes[K]> } = {
  department: validatorOf(DEPARTMENT),
  taxrate: validatorOf(TAX_RATE),
  taxgroup: validatorOf(TAX_GROUP),
  tender: validatorOf(TENDER),
  supplier: validatorOf(SUPPLIER),
  salesrep: validatorOf(SALES_REP),
  product: validatorOf(PRODUCT),
  special: validatorOf(SPECIAL),
  role: validatorOf(ROLE),
  user: validatorOf(USER),
  price: validatorOf(PRICE),
  config: validatorOf(CONFIG),
  sale: validatorOf(SALE),
  void: validatorOf(VOID),
  return: validatorOf(RETURN),
  shift: validatorOf(SHIFT),
  shiftclose: validatorOf(SHIFT_CLOSE),
  cash: validatorOf(CASH),
  zreport: validatorOf(ZREPORT),
  move: validatorOf(MOVE),
  transfer: validatorOf(TRANSFER),
  receipt: validatorOf(RECEIPT),
  credit: validatorOf(CREDIT),
  customer: validatorOf(CUSTOMER),
  audit: validatorOf(AUDIT),
};

/** Validates a sale, including its cheap totals: subtotal, total, taxes, tenders. */
export const validateSale: Validator<DocTypes['sale']> = VALIDATORS.sale;

/**
 * Checks only what every schema version keeps: `_id`, `type`, integer `schema`, an id of that type, and
 * `storeId`/`terminalId` agreeing with the owner named in the id. Used alone for a newer schema.
 */
export function validateEnvelope(doc: Obj): string[] {
  const e: Errs = [];
  if (typeof doc._id !== 'string' || doc._id.length === 0) bad(e, '_id', 'must be a non-empty string');
  if (!isDocType(doc.type)) bad(e, 'type', 'must be one of ' + DOC_TYPES.join(', '));
  if (typeof doc.schema !== 'number' || !Number.isSafeInteger(doc.schema) || doc.schema < 1) bad(e, 'schema', 'must be a positive integer');
  if (e.length > 0) return e;
  const id = doc._id as string;
  const split = splitId(id);
  if (!split || split.type !== doc.type) bad(e, '_id', 'must start with ' + String(doc.type) + ':');
  if (doc.storeId !== undefined && !isStoreCode(doc.storeId)) bad(e, 'storeId', 'must be a store code');
  if (doc.terminalId !== undefined && !isTerminalId(doc.terminalId)) bad(e, 'terminalId', 'must be a terminal id');
  const owner = ownerOf(id);
  if (owner.storeId !== undefined && doc.storeId !== owner.storeId) bad(e, 'storeId', 'must be ' + owner.storeId + ' (from the id)');
  // A void may be written at another terminal than the sale's, so its terminal is not the id's.
  if (owner.terminalId !== undefined && doc.type !== 'void' && doc.terminalId !== owner.terminalId) {
    bad(e, 'terminalId', 'must be ' + owner.terminalId + ' (from the id)');
  }
  return e;
}

/**
 * Validates any Caja document: the envelope, then the type's full shape when its schema is one this build
 * knows. A newer schema is opaque here: only the envelope is checked, so a newer client's data is stored and
 * replicated (and set aside by the replication layer) instead of being refused and lost behind a checkpoint.
 * A deletion stub is not validated (authorizeWrite decides who may delete).
 */
export function validateDoc(doc: unknown): string[] {
  if (!isObj(doc)) return ['document: must be an object'];
  if (doc._deleted === true) return typeof doc._id === 'string' ? [] : ['_id: must be a string'];
  const env = validateEnvelope(doc);
  if (env.length > 0) return env;
  if ((doc.schema as number) > CURRENT_SCHEMA) return [];
  return VALIDATORS[doc.type as DocType](doc);
}

