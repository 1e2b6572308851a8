// Design-document functions (validate_doc_update, filters, a view's map used as a _changes filter) run in
// their own `vm` context per design-document revision: they see only JavaScript built-ins plus the
// helpers CouchDB's query server offers (isArray, toJSON, sum, log, CommonJS `require` of ddoc
// properties), never Node's globals. Arguments cross as JSON and are parsed inside the context, so the
// function cannot reach the host realm through an argument's prototype chain, and it cannot change the
// document that is about to be written. Validation runs with a timeout so a looping function costs one
// request, not the server; filters run without one (see call()). `vm` is a scope boundary, not a security boundary: design documents are
// written only by database admins, as on CouchDB.
import vm from 'node:vm';

export type DesignDoc = Record<string, unknown> & { _id: string; _rev?: string };

const CALL_TIMEOUT_MS = 5_000;
const MAX_CACHED_CONTEXTS = 200;

const PRELUDE = `
'use strict';
var __ddoc = JSON.parse(__ddocJson);
function isArray(x) { return Array.isArray(x); }
function toJSON(x) { return JSON.stringify(x); }
function sum(values) { var s = 0; for (var i = 0; i < values.length; i++) s += values[i]; return s; }
function log() {}
var __emitted = false;
function emit() { __emitted = true; }
var __modules = {};
function __makeRequire(dir) {
  return function require(name) {
    var parts = name.charAt(0) === '.' ? dir.slice() : [];
    name.split('/').forEach(function (seg) {
      if (seg === '' || seg === '.') return;
      if (seg === '..') { if (!parts.length) throw new Error('require() outside the design document: ' + name); parts.pop(); return; }
      parts.push(seg);
    });
    var key = parts.join('/');
    if (Object.prototype.hasOwnProperty.call(__modules, key)) return __modules[key].exports;
    var src = __ddoc;
    for (var i = 0; i < parts.length; i++) src = src == null ? undefined : src[parts[i]];
    if (typeof src !== 'string') throw new Error('require(): no module at ' + key);
    var module = { id: key, exports: {} };
    __modules[key] = module;
    (new Function('module', 'exports', 'require', src))(module, module.exports, __makeRequire(parts.slice(0, -1)));
    return module.exports;
  };
}
var require = __makeRequire([]);
`;

const CALL = new vm.Script('__fns[__which].apply(null, JSON.parse(__args))');
// One timed call for a whole batch: vm's timeout starts a watchdog per call (~0.1 ms), too dear per document.
const CALL_MANY = new vm.Script(`JSON.stringify(JSON.parse(__args).map(function (args) {
  try { __fns[__which].apply(null, args); return { ok: true }; }
  catch (e) {
    if (e !== null && typeof e === 'object') {
      return { ok: false, forbidden: e.forbidden, unauthorized: e.unauthorized, name: String(e.name || 'error'), message: String(e.message || e.forbidden || e.unauthorized || '') };
    }
    return { ok: false, name: 'error', message: String(e) };
  }
}))`);
const CALL_MAP = new vm.Script('__emitted = false; __fns[__which].apply(null, JSON.parse(__args)); __emitted');

export interface ThrowReport {
  ok: boolean;
  forbidden?: unknown;
  unauthorized?: unknown;
  name?: string;
  message?: string;
}

interface DdocContext {
  ctx: vm.Context;
  fns: Map<string, number>;
}

/** Caches one vm context per design document revision and calls its functions by path (e.g. "filters.byType"). */
export class Sandbox {
  private readonly contexts = new Map<string, DdocContext>();

  private context(ddoc: DesignDoc): DdocContext {
    const key = `${ddoc._id}@${ddoc._rev ?? ''}`;
    let entry = this.contexts.get(key);
    if (!entry) {
      const ctx = vm.createContext({ __ddocJson: JSON.stringify(ddoc), __fns: [] as unknown[] });
      vm.runInContext(PRELUDE, ctx, { timeout: CALL_TIMEOUT_MS });
      entry = { ctx, fns: new Map() };
      if (this.contexts.size >= MAX_CACHED_CONTEXTS) {
        const oldest = this.contexts.keys().next().value;
        if (oldest !== undefined) this.contexts.delete(oldest);
      }
      this.contexts.set(key, entry);
    }
    return entry;
  }

  private compile(entry: DdocContext, path: string, source: string): number {
    let index = entry.fns.get(path);
    if (index === undefined) {
      const fn: unknown = vm.runInContext(`(${source}\n)`, entry.ctx, { timeout: CALL_TIMEOUT_MS, filename: path });
      if (typeof fn !== 'function') throw new Error(`${path} is not a function`);
      const fns = entry.ctx.__fns as unknown[];
      index = fns.push(fn) - 1;
      entry.fns.set(path, index);
    }
    return index;
  }

  /**
   * Calls the function at `path` in `ddoc` (its source string is `source`) with JSON-cloned arguments.
   * No timeout here: this is the per-change filter path, where a watchdog per call costs 15x the call.
   */
  call(ddoc: DesignDoc, path: string, source: string, args: unknown[]): unknown {
    const entry = this.context(ddoc);
    entry.ctx.__which = this.compile(entry, path, source);
    entry.ctx.__args = JSON.stringify(args);
    return CALL.runInContext(entry.ctx);
  }

  /**
   * Calls the function once per argument list inside one timed run and reports, per call, whether it threw
   * and what: the shape validate_doc_update needs ({forbidden} / {unauthorized} / any other error).
   */
  callEach(ddoc: DesignDoc, path: string, source: string, argLists: unknown[][]): ThrowReport[] {
    const entry = this.context(ddoc);
    entry.ctx.__which = this.compile(entry, path, source);
    entry.ctx.__args = JSON.stringify(argLists);
    return JSON.parse(CALL_MANY.runInContext(entry.ctx, { timeout: CALL_TIMEOUT_MS }) as string) as ThrowReport[];
  }

  /** Runs a view map function on one document and tells whether it emitted (CouchDB's filter=_view). */
  emits(ddoc: DesignDoc, path: string, source: string, doc: unknown): boolean {
    const entry = this.context(ddoc);
    entry.ctx.__which = this.compile(entry, path, source);
    entry.ctx.__args = JSON.stringify([doc]);
    return CALL_MAP.runInContext(entry.ctx) === true;
  }

  /** Forgets compiled functions of a database's design documents after one of them changed. */
  clear(): void {
    this.contexts.clear();
  }
}
