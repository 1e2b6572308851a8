// Who may write what (design.md "Who may read and write what"), enforced by validate_doc_update on every
// database and usable by app code before a write. Bundled into design documents like validate.ts: ES2017,
// pure, no classes, no Intl, no lookbehind.
import { TERMINAL_TYPES, UPSTREAM_TYPES } from './types';
import { ownerOf, splitId } from './ids';
import { COUCH_ROLE, parseStoreCouchRole, parseTerminalCouchRole, storeCodeOfDbName } from './names';
import { isObj, validateDoc } from './validate';
import type { Obj } from './validate';

/** The kinds of database Caja deploys design documents into. */
export type DbKind = 'catalog' | 'hq-store' | 'relay-store' | 'reports';
export const DB_KINDS: readonly DbKind[] = ['catalog', 'hq-store', 'relay-store', 'reports'];

/** CouchDB's userCtx as passed to validate_doc_update (`db` is the database being written). */
export interface UserCtx {
  name?: string | null;
  roles?: string[];
  db?: string;
}

/** Who is writing, read from the roles of a JWT (the lead's fixed role conventions). */
export type Principal =
  | { kind: 'admin' }
  | { kind: 'store'; storeId: string }
  | { kind: 'terminal'; storeId: string; terminalId: string }
  | { kind: 'hq' }
  | { kind: 'unknown'; why: string };

/** Ledger types: never edited once written; a correction is a new document. */
export const LEDGER_TYPES = [
  'sale', 'void', 'return', 'shift', 'shiftclose', 'cash', 'zreport', 'move', 'transfer', 'receipt', 'credit', 'audit',
] as const;

function has(list: readonly string[], v: unknown): boolean {
  return typeof v === 'string' && list.indexOf(v) >= 0;
}

/** Reads the writer from userCtx roles: `_admin`, a store credential, a terminal, HQ staff, or unknown. */
export function principalOf(userCtx: UserCtx | null | undefined): Principal {
  const roles = userCtx && Array.isArray(userCtx.roles) ? userCtx.roles : [];
  if (roles.indexOf(COUCH_ROLE.admin) >= 0) return { kind: 'admin' };
  const stores: string[] = [];
  const terminals: string[][] = [];
  for (let i = 0; i < roles.length; i++) {
    const r = roles[i];
    if (typeof r !== 'string') continue;
    const store = parseStoreCouchRole(r);
    const terminal = parseTerminalCouchRole(r);
    if (store) stores.push(store);
    if (terminal) terminals.push(terminal);
  }
  // A credential naming two stores or two terminals is ambiguous, and ambiguity must never widen access.
  if (roles.indexOf(COUCH_ROLE.terminal) >= 0) {
    const t = terminals[0];
    if (terminals.length !== 1 || stores.length !== 1 || !t || t[0] !== stores[0]) {
      return { kind: 'unknown', why: 'a terminal credential must carry exactly one store:<CODE> and one terminal:<CODE>:<TID> role' };
    }
    return { kind: 'terminal', storeId: t[0] as string, terminalId: t[1] as string };
  }
  if (roles.indexOf(COUCH_ROLE.store) >= 0) {
    if (stores.length !== 1 || terminals.length !== 0) return { kind: 'unknown', why: 'a store credential must carry exactly one store:<CODE> role' };
    return { kind: 'store', storeId: stores[0] as string };
  }
  if (roles.indexOf(COUCH_ROLE.hq) >= 0) return { kind: 'hq' };
  return { kind: 'unknown', why: 'no Caja role' };
}

/** Compares two documents ignoring CouchDB metadata (`_rev`, `_revisions`, `_conflicts`, ...), keeping `_id`. */
export function sameContent(a: unknown, b: unknown): boolean {
  return canonical(a, true) === canonical(b, true);
}

function canonical(v: unknown, top: boolean): string {
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (let i = 0; i < v.length; i++) parts.push(canonical(v[i], false));
    return '[' + parts.join(',') + ']';
  }
  if (isObj(v)) {
    const keys = Object.keys(v).sort();
    const parts: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      // Top-level underscore fields are CouchDB's bookkeeping, which differs between equal revisions.
      if (top && k.charAt(0) === '_' && k !== '_id' && k !== '_deleted') continue;
      if (v[k] === undefined) continue;
      parts.push(JSON.stringify(k) + ':' + canonical(v[k], false));
    }
    return '{' + parts.join(',') + '}';
  }
  return JSON.stringify(v === undefined ? null : v);
}

/** The type of the document being written, from the doc, else the old doc, else the id prefix (deletions). */
function typeOf(newDoc: Obj, oldDoc: Obj | null): string {
  if (typeof newDoc.type === 'string') return newDoc.type;
  if (oldDoc && typeof oldDoc.type === 'string') return oldDoc.type;
  const s = typeof newDoc._id === 'string' ? splitId(newDoc._id) : null;
  return s ? s.type : '';
}

/** Checks that a member writes only documents of its own store (and terminal), from both fields and id. */
function ownership(doc: Obj, id: string, type: string, storeId: string, terminalId: string | null): string | null {
  if (type === 'customer') return null; // customers are shared by all stores, the one multi-writer type
  if (doc.storeId !== storeId) {
    return 'store ' + storeId + ' may not write ' + type + ' ' + id + ' (storeId ' + JSON.stringify(doc.storeId === undefined ? null : doc.storeId) + ')';
  }
  const owner = ownerOf(id);
  if (owner.storeId !== undefined && owner.storeId !== storeId) return 'store ' + storeId + ' may not write ' + id;
  if (terminalId !== null) {
    if (doc.terminalId !== undefined && doc.terminalId !== terminalId) {
      return 'terminal ' + storeId + ':' + terminalId + ' may not write ' + type + ' ' + id + ' of terminal ' + String(doc.terminalId);
    }
    // A void carries the voided sale's terminal in its id and may be written at another till of the store.
    if (type !== 'void' && owner.terminalId !== undefined && owner.terminalId !== terminalId) {
      return 'terminal ' + storeId + ':' + terminalId + ' may not write ' + id;
    }
  }
  return null;
}

/**
 * The reason a write is forbidden, or null when allowed. `storeCode` is the store of the database; when absent
 * it comes from `userCtx.db` (`caja-store-s001` -> S001) at HQ and from the terminal's role at a relay.
 */
export function authorizeWrite(
  dbKind: DbKind,
  newDocIn: object,
  oldDocIn: object | null | undefined,
  userCtx: UserCtx | null | undefined,
  storeCode?: string,
): string | null {
  // Typed documents (interfaces) are not index-signature records; the rules read fields loosely by name.
  const newDoc = newDocIn as Obj;
  const oldDoc = oldDocIn as Obj | null | undefined;
  const who = principalOf(userCtx);
  const id = typeof newDoc._id === 'string' ? newDoc._id : '';
  const old = oldDoc && oldDoc._deleted !== true ? oldDoc : null;
  const type = typeOf(newDoc, old || oldDoc || null);
  const deleting = newDoc._deleted === true;
  const admin = who.kind === 'admin';

  if (id.indexOf('_design/') === 0) return admin ? null : 'only admins write design documents';

  if (has(LEDGER_TYPES, type) && old) {
    if (deleting) {
      if (!admin) return type + ' ' + id + ' is a ledger document and cannot be deleted';
    } else if (!admin || !sameContent(newDoc, old)) {
      // Replication may re-deliver an identical revision; anything else is an edit of history.
      return type + ' ' + id + ' is immutable: ledger documents are never edited (write a new document)';
    }
  }
  if (has(LEDGER_TYPES, type) && deleting && !admin) return type + ' ' + id + ' is a ledger document and cannot be deleted';
  if (admin) return null;

  if (who.kind === 'unknown') return 'not a Caja writer: ' + who.why;
  // Ownership of a deletion stub is judged on what it deletes.
  const subject = deleting && old ? old : newDoc;

  if (dbKind === 'catalog') return 'only HQ writes the catalog';
  if (dbKind === 'reports') return 'only the roll-up job writes the reports database';

  if (dbKind === 'hq-store') {
    if (who.kind !== 'store') return 'only HQ and this store write a store database (' + who.kind + ' credential)';
    const dbStore = storeCode || storeCodeOfDbName(userCtx && typeof userCtx.db === 'string' ? userCtx.db : '');
    if (!dbStore) return 'cannot tell which store this database belongs to';
    if (who.storeId !== dbStore) return 'store ' + who.storeId + ' may not write the database of store ' + dbStore;
    if (!has(UPSTREAM_TYPES, type)) return 'a store may not write ' + (type || 'untyped') + ' documents (HQ writes them)';
    return ownership(subject, id, type, who.storeId, null);
  }

  if (dbKind === 'relay-store') {
    if (who.kind !== 'terminal') return 'only the relay and paired terminals write the store database (' + who.kind + ' credential)';
    if (storeCode && storeCode !== who.storeId) return 'terminal of store ' + who.storeId + ' may not write the database of store ' + storeCode;
    if (!has(TERMINAL_TYPES, type)) return 'a terminal may not write ' + (type || 'untyped') + ' documents';
    return ownership(subject, id, type, who.storeId, who.terminalId);
  }

  return 'unknown database kind ' + String(dbKind);
}

/**
 * What validate_doc_update runs: the writer's authorization first (so an adversary hears "forbidden", not a
 * shape complaint), then the document's shape. Returns the reason to refuse, or null.
 */
export function checkWrite(
  dbKind: DbKind,
  newDoc: unknown,
  oldDoc: unknown,
  userCtx: UserCtx | null | undefined,
  storeCode?: string,
): string | null {
  if (!isObj(newDoc)) return 'document: must be an object';
  const oldObj = isObj(oldDoc) ? oldDoc : null;
  const denied = authorizeWrite(dbKind, newDoc, oldObj, userCtx, storeCode);
  if (denied !== null) return denied;
  if (typeof newDoc._id === 'string' && newDoc._id.indexOf('_design/') === 0) return null;
  // Roll-ups are derived documents of the server admin's own job, not documents of the shared model.
  if (dbKind === 'reports') return null;
  const errs = validateDoc(inheritsLegacyStoreCredit(newDoc, oldObj, userCtx) ? withoutStoreCredit(newDoc) : newDoc);
  if (errs.length > 0) return 'invalid ' + String(newDoc.type) + ' ' + String(newDoc._id) + ': ' + errs.join('; ');
  return null;
}

/**
 * A customer written before the credit ledger may carry `storeCredit`. Nothing reads it any more, so where the
 * field is inherited rather than set, the document is judged without it and still loads: written by an admin
 * (the relay's own replication of HQ's documents, HQ itself), or an edit that keeps the value already stored
 * (a till not yet upgraded editing a phone number). A member introducing or changing it is refused by
 * validateCustomer: no terminal sets money on a customer.
 */
function inheritsLegacyStoreCredit(newDoc: Obj, oldDoc: Obj | null, userCtx: UserCtx | null | undefined): boolean {
  if (newDoc.type !== 'customer' || newDoc.storeCredit === undefined || newDoc._deleted === true) return false;
  if (principalOf(userCtx).kind === 'admin') return true;
  return oldDoc !== null && oldDoc._deleted !== true && oldDoc.type === 'customer' && oldDoc.storeCredit === newDoc.storeCredit;
}

function withoutStoreCredit(doc: Obj): Obj {
  const copy: Obj = {};
  const keys = Object.keys(doc);
  for (let i = 0; i < keys.length; i++) if (keys[i] !== 'storeCredit') copy[keys[i] as string] = doc[keys[i] as string];
  return copy;
}

