// The embedded server's view engine: PouchDB's own map/reduce indexing (pouchdb-abstract-mapreduce, the code
// behind `db.query`, with the same `mrviews` bookkeeping so existing indexes stay valid) with our way of
// running the design document's functions. PouchDB's default evaluates every map call by building a new
// `node:vm` context around the document (~0.3 ms and a heap of garbage per document: most of the CPU of
// indexing), and `node:vm` is no boundary for an admin's code. Here:
//   - a map whose source is byte-for-byte one this build deploys (design-docs, SandboxLimits.trustedMaps)
//     runs as the host's own function, natively;
//   - any other map, and any JavaScript reduce, runs in the QuickJS sandbox (couchdb/sandbox.ts) like
//     validate_doc_update and filters, with JSON in and out;
//   - `_sum`, `_count` and `_stats` are native, as in PouchDB.
// CouchDB's CommonJS `require('views/lib/…')` inside a map is not offered (no Caja view uses it).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Log } from './context';
import { SandboxError, type DesignDoc, type Sandbox } from './sandbox';
import { typePrefix } from '../shared/model/ids';

type Emit = (key: unknown, value: unknown) => void;
type Reduce = (keys: unknown, values: unknown[], rereduce: boolean) => unknown;
interface AbstractMapReduce {
  query(this: unknown, fun: unknown, opts: unknown, callback?: unknown): Promise<unknown>;
  viewCleanup(this: unknown, callback?: unknown): Promise<unknown>;
}

// CommonJS packages without types.
const require = createRequire(import.meta.url);
const createAbstractMapReduce = require('pouchdb-abstract-mapreduce') as (
  localDocName: string,
  mapper: (mapFun: unknown, emit: Emit) => (doc: Record<string, unknown>) => void,
  reducer: (reduceFun: unknown) => Reduce,
  ddocValidator: (ddoc: { _id: string; views?: Record<string, { map?: unknown }> }, viewName: string) => void,
) => AbstractMapReduce;
const { BuiltInError, NotFoundError } = require('pouchdb-mapreduce-utils') as { BuiltInError: new (message: string) => Error; NotFoundError: new (message: string) => Error };

/** PouchDB's `_sum`: numbers, or arrays of numbers added element-wise (shorter arrays padded). */
function sum(values: readonly unknown[]): number | number[] {
  let result: number | number[] = 0;
  for (const v of values) {
    if (typeof v === 'number') {
      if (typeof result === 'number') result += v;
      else result[0] = (result[0] ?? 0) + v;
    } else if (Array.isArray(v)) {
      const acc: number[] = typeof result === 'number' ? [result] : result;
      for (let j = 0; j < v.length; j++) {
        const n: unknown = v[j];
        if (typeof n !== 'number') throw builtInError('_sum');
        acc[j] = acc[j] === undefined ? n : (acc[j] as number) + n;
      }
      result = acc;
    } else {
      throw builtInError('_sum');
    }
  }
  return result;
}

function builtInError(name: string): Error {
  return new BuiltInError(`builtin ${name} function requires map values to be numbers or number arrays`);
}

const BUILT_IN: Record<string, Reduce> = {
  _sum: (_k, values) => sum(values),
  _count: (_k, values) => values.length,
  _stats: (_k, values) => {
    const nums = values as number[];
    return { sum: sum(nums), min: Math.min(...nums), max: Math.max(...nums), count: nums.length, sumsqr: nums.reduce((a, n) => a + n * n, 0) };
  },
};

/** Design documents stand-ins, one per function source, so the sandbox keeps one runtime per source. */
const MAX_SOURCES = 256;

/** `query` and `viewCleanup` for a server's PouchDB class, running functions through its sandbox. */
export function viewEngine(sandbox: Sandbox, log: Log): AbstractMapReduce {
  const holders = new Map<string, DesignDoc>();
  const holder = (source: string): DesignDoc => {
    let ddoc = holders.get(source);
    if (!ddoc) {
      if (holders.size >= MAX_SOURCES) holders.clear();
      ddoc = { _id: `_design/view-${createHash('sha256').update(source).digest('base64url').slice(0, 16)}`, fn: source };
      holders.set(source, ddoc);
    }
    return ddoc;
  };
  const mapper = (mapFun: unknown, emit: Emit) => {
    // A temporary view's function from PouchDB's own API (never from HTTP: _temp_view is refused) runs as given.
    if (typeof mapFun === 'function' && mapFun.length === 2) return (doc: Record<string, unknown>) => (mapFun as (d: unknown, e: Emit) => void)(doc, emit);
    const source = String(mapFun);
    const native = sandbox.trustedMap(source);
    if (native) {
      const run: ((doc: Record<string, unknown>) => void) & { cajaIdFilter?: (id: string) => boolean } = (doc) => native(doc, emit);
      // The indexer's changes feed passes over the ids of other types unread (patches/pouchdb-abstract-mapreduce).
      const prefixes = native.types?.map(typePrefix);
      if (prefixes) run.cajaIdFilter = (id) => prefixes.some((p) => id.startsWith(p));
      return run;
    }
    const ddoc = holder(source);
    return (doc: Record<string, unknown>) => {
      let emitted: Array<[unknown, unknown]>;
      try {
        emitted = sandbox.map(ddoc, 'fn', source, doc);
      } catch (err) {
        // As CouchDB: the document is left out of this view and the failure logged (PouchDB would print it).
        log('warn', 'view.map_failed', { view: ddoc._id, doc: String(doc._id), error: err instanceof SandboxError ? `${err.errorName}: ${err.message}` : String(err) });
        return;
      }
      for (const [key, value] of emitted) emit(key, value);
    };
  };
  const reducer = (reduceFun: unknown): Reduce => {
    const source = String(reduceFun);
    const name = /^_[a-z_]+/.exec(source)?.[0];
    if (name) {
      const builtIn = BUILT_IN[name];
      if (!builtIn) throw new Error(`${source} is not a supported reduce function.`);
      return builtIn;
    }
    const ddoc = holder(source);
    return (keys, values, rereduce) => sandbox.value(ddoc, 'fn', source, [keys, values, rereduce]);
  };
  const ddocValidator = (ddoc: { _id: string; views?: Record<string, { map?: unknown }> }, viewName: string) => {
    const view = ddoc.views?.[viewName];
    if (typeof view?.map !== 'string') throw new NotFoundError(`ddoc ${ddoc._id} has no string view named ${viewName}, instead found object of type: ${typeof view?.map}`);
  };
  // The local document name PouchDB's own map/reduce uses: indexes built before stay in use. As CouchDB, a query
  // indexes up to the database's update_seq when it started (patches/pouchdb-abstract-mapreduce): a report read
  // while a store's catch-up lands does not chase it to its end.
  const abstract = createAbstractMapReduce('mrviews', mapper, reducer, ddocValidator);
  return {
    query(fun, opts, callback) {
      return abstract.query.call(this, fun, opts, callback);
    },
    viewCleanup(callback) {
      return abstract.viewCleanup.call(this, callback);
    },
  };
}
