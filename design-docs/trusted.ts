// Caja's own validate_doc_update functions as native host functions, for the embedded server's sandbox
// (couchdb/sandbox.ts "trusted"): a deployed validator whose source is byte-for-byte what this build
// compiles runs as the very same shared/model code natively instead of in QuickJS — the same checks at a
// few microseconds per document instead of ~0.5 ms. Any other source (an older build's, an admin's own)
// still runs isolated.
import { DB_KINDS, checkWrite } from '../shared/model/access';
import type { UserCtx } from '../shared/model/access';
import { compileDesignDocs } from './deploy';

export type TrustedFunction = (...args: unknown[]) => unknown;
export type TrustedMap = ((doc: Record<string, unknown>, emit: (key: unknown, value: unknown) => void) => void) & {
  /** The only document types the map emits for (see MAP_TYPES); absent: any. */
  types?: readonly string[];
};

/**
 * The document types each of this build's maps can emit for: each map tests `doc.type` before anything else,
 * and a Caja id starts with its type (validate.ts), so the view indexer of the embedded server passes over
 * every other id without reading it (couchdb/views.ts). A relay's store database holds the whole catalog,
 * which the store views would otherwise read through, 100k documents, at their first query. A map not listed
 * reads every change. design-docs/designdocs.test.ts runs each listed map over a document of every type.
 */
export const MAP_TYPES: Readonly<Record<string, readonly string[]>> = {
  ledger_by_date: ['sale', 'void', 'return', 'shift', 'zreport', 'shiftclose', 'cash', 'move', 'transfer', 'receipt'],
  credit_balance: ['credit'],
  open_shifts: ['shift', 'shiftclose'],
  receipts_by_number: ['sale', 'return', 'void'],
  returned_qty_milli: ['return'],
  sales_by_date: ['sale'],
  sales_by_hour: ['sale', 'void', 'return'],
  sales_totals: ['sale'],
  stock_milli: ['move', 'sale', 'void', 'return', 'transfer', 'receipt'],
  voids_by_date: ['void'],
  products_by_barcode: ['product'],
  products_by_department: ['product'],
};

/** Source text of each of this build's validate_doc_update functions -> the native function it compiles from. */
export async function trustedValidators(): Promise<Map<string, TrustedFunction>> {
  const trusted = new Map<string, TrustedFunction>();
  for (const kind of DB_KINDS) {
    for (const ddoc of await compileDesignDocs(kind)) {
      if (typeof ddoc.validate_doc_update !== 'string') continue;
      trusted.set(ddoc.validate_doc_update, (newDoc, oldDoc, userCtx) => {
        const reason = checkWrite(kind, newDoc, oldDoc, userCtx as UserCtx);
        if (reason !== null) throw { forbidden: reason };
      });
    }
  }
  return trusted;
}

/** A view map as the host's own function: `emit` is the caller's, set for the duration of each call. */
function nativeMap(source: string, types: readonly string[] | undefined): TrustedMap {
  const host: { emit: (key: unknown, value: unknown) => void } = { emit: () => undefined };
  // The build's own map.js text (see trustedMaps), with the globals CouchDB's query server gives a map.
  const make = new Function(
    'host',
    `"use strict";
var isArray = Array.isArray, log = function () {}, toJSON = JSON.stringify;
var sum = function (values) { var s = 0; for (var i = 0; i < values.length; i++) s += values[i]; return s; };
var emit = function (key, value) { host.emit(key === undefined ? null : key, value === undefined ? null : value); };
return (${source}\n);`,
  ) as (h: typeof host) => (doc: unknown) => void;
  const map = make(host);
  const native: TrustedMap = (doc, emit) => {
    host.emit = emit;
    try {
      map(doc);
    } finally {
      host.emit = () => undefined;
    }
  };
  if (types) native.types = types;
  return native;
}

/**
 * Source text of each view map this build deploys -> the same function compiled in the host, so the embedded
 * server indexes Caja's own views natively (couchdb/views.ts); any other map runs in the sandbox.
 */
export async function trustedMaps(): Promise<Map<string, TrustedMap>> {
  const out = new Map<string, TrustedMap>();
  for (const kind of DB_KINDS) {
    for (const ddoc of await compileDesignDocs(kind)) {
      const views = (ddoc.views ?? {}) as Record<string, { map?: unknown }>;
      for (const [name, view] of Object.entries(views)) {
        if (typeof view.map === 'string' && !out.has(view.map)) out.set(view.map, nativeMap(view.map, MAP_TYPES[name]));
      }
    }
  }
  return out;
}
