// Caja's own validate_doc_update functions as native host functions, for the embedded server's sandbox
// (couchdb/sandbox.ts "trusted"): a deployed validator whose source is byte-for-byte what this build
// compiles runs as the very same shared/model code natively instead of in QuickJS — the same checks at a
// few microseconds per document instead of ~0.5 ms. Any other source (an older build's, an admin's own)
// still runs isolated.
import { DB_KINDS, checkWrite } from '../shared/model/access';
import type { UserCtx } from '../shared/model/access';
import { compileDesignDocs } from './deploy';

export type TrustedFunction = (...args: unknown[]) => unknown;
export type TrustedMap = (doc: Record<string, unknown>, emit: (key: unknown, value: unknown) => void) => void;

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
function nativeMap(source: string): TrustedMap {
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
  return (doc, emit) => {
    host.emit = emit;
    try {
      map(doc);
    } finally {
      host.emit = () => undefined;
    }
  };
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
      for (const view of Object.values(views)) {
        if (typeof view.map === 'string' && !out.has(view.map)) out.set(view.map, nativeMap(view.map));
      }
    }
  }
  return out;
}
