// Design-document functions (validate_doc_update, filters, views' maps and JavaScript reduces) run in
// QuickJS compiled to WebAssembly (quickjs-emscripten), the engine CouchDB 3.5 itself embeds. `node:vm` is
// not a security boundary — `fn.constructor.constructor('return process')()` reached the host from a vm
// context — whereas a QuickJS heap lives inside the WebAssembly module's linear memory: it holds no object
// of the Node realm, so no prototype chain leads out, and it has no `process`, `require`, `import()`
// loader, file or network API. It sees JavaScript built-ins plus the helpers CouchDB's query server offers
// (isArray, toJSON, sum, log, CommonJS `require` of ddoc properties).
//
// Isolation: one QuickJS runtime (own heap, own memory limit, own interrupt handler) with one context per
// design-document revision, so one design document's code can neither see nor pollute another's globals
// or prototypes — a `_design/aaa` that sorts before `_design/caja_validate` cannot weaken it. Arguments
// cross as JSON strings parsed inside, results come back as JSON strings checked here, and any answer that
// is not the expected shape counts as a refusal (fail closed).
//
// Limits, as measured on quickjs-emscripten 0.32 (QuickJS 2025-09-13):
// - Time: every call (a validation batch, one filter call) has a deadline, checked by QuickJS's interrupt
//   handler. QuickJS polls it every ~10,000 calls or loop iterations, so a loop whose every iteration does
//   heavy native work (a megabyte `repeat`) overshoots the deadline by the time of 10,000 such iterations.
// - Memory: the per-runtime limit (JS_SetMemoryLimit) refuses any single allocation above it, but in this
//   WebAssembly build QuickJS cannot measure block sizes (no malloc_usable_size), so it does not bound the
//   total of many large strings or buffers. The hard bound is the module's WebAssembly.Memory, created here
//   with a `maximum`: past it malloc fails and the code gets a catchable "out of memory".
// - Stack: QuickJS's own limit, kept well under what Node's native stack can hold for the WebAssembly
//   frames of QuickJS's interpreter. At 512 KiB a plain recursion overflowed V8's stack first, and that
//   host RangeError left the module's C state half-updated; at 128 KiB it is an ordinary InternalError.
// A runtime that hit a limit is disposed and rebuilt on the next call. Anything thrown by the module itself
// (a host-level error rather than a JavaScript exception) means its memory can no longer be trusted: the
// whole module is dropped without touching it again, and a spare module loaded in advance takes over.
import { createHash } from 'node:crypto';
import { RELEASE_SYNC, errors, newQuickJSWASMModule, newVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten';

export type DesignDoc = Record<string, unknown> & { _id: string; _rev?: string };

export interface SandboxLimits {
  /** Wall-clock budget of one call (a validation batch, one filter call). Default 5 s. */
  timeoutMs?: number;
  /** Largest single allocation (and QuickJS's per-runtime limit) of one design document. Default 64 MiB. */
  memoryBytes?: number;
  /** All design-document code of one server together: the WebAssembly memory maximum. Default 512 MiB. */
  totalMemoryBytes?: number;
  /**
   * The host's own functions, keyed by their exact source text as deployed: a design-document function
   * whose source is byte-for-byte one of these runs as this native function instead of in QuickJS. The
   * code is the host's, not the database's (a different byte is a different key and runs isolated), so
   * nothing a database holds ever runs natively; Caja's validators cost microseconds instead of ~0.5 ms.
   */
  trusted?: ReadonlyMap<string, TrustedFunction>;
  /** The same for view map functions: the host's own map, called with the document and `emit`. */
  trustedMaps?: ReadonlyMap<string, TrustedMap>;
}

/** A host map function standing in for a view's map of identical source. */
export type TrustedMap = ((doc: Record<string, unknown>, emit: (key: unknown, value: unknown) => void) => void) & {
  /** The only document types the map emits for (ids start with their type); absent: any. */
  types?: readonly string[];
};

/** A host function standing in for a design-document function of identical source (see SandboxLimits.trusted). */
export type TrustedFunction = (...args: unknown[]) => unknown;

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;
const DEFAULT_TOTAL_MEMORY_BYTES = 512 * 1024 * 1024;
const WASM_PAGE = 64 * 1024;
// The module's own initial memory (16 MiB in this build); a supplied memory must start at least there.
const INITIAL_PAGES = 256;
// See "Stack" above: deep enough for any validator (about 650 plain frames), shallow enough for Node.
const MAX_STACK_BYTES = 128 * 1024;
// Each cached runtime keeps its heap (the caja validator bundle is a few hundred KiB compiled).
const MAX_CACHED = 32;
// Validation arguments are handed over in chunks of at most this many JSON characters, so a 64 MiB
// _bulk_docs body does not have to fit in one runtime's heap at once (a single document still goes whole).
const MAX_BATCH_CHARS = 2 * 1024 * 1024;

// Evaluated once per runtime. Everything the host calls is captured in this closure and handed back as
// function handles, so a design-document function that rewrites globals (JSON, Array.prototype, the
// helpers) can only confuse its own verdicts — which the host then checks for shape.
const PRELUDE = `(function (ddocJson) {
'use strict';
var global = globalThis;
var parse = JSON.parse, stringify = JSON.stringify, apply = Reflect.apply, indirectEval = eval;
var hasOwn = Object.prototype.hasOwnProperty, String_ = String;
var ddoc = parse(ddocJson);
var fns = [];
var emitted = false;
var collected = null;
global.isArray = function isArray(x) { return Array.isArray(x); };
global.toJSON = function toJSON(x) { return stringify(x); };
global.sum = function sum(values) { var s = 0; for (var i = 0; i < values.length; i++) s += values[i]; return s; };
global.log = function log() {};
global.emit = function emit(key, value) {
  emitted = true;
  if (collected) collected.push([key === undefined ? null : key, value === undefined ? null : value]);
};
var modules = {};
function makeRequire(dir) {
  return function require(name) {
    name = String_(name);
    var parts = name.charAt(0) === '.' ? dir.slice() : [];
    var segs = name.split('/');
    for (var s = 0; s < segs.length; s++) {
      var seg = segs[s];
      if (seg === '' || seg === '.') continue;
      if (seg === '..') { if (!parts.length) throw new Error('require() outside the design document: ' + name); parts.pop(); continue; }
      parts.push(seg);
    }
    var key = parts.join('/');
    if (apply(hasOwn, modules, [key])) return modules[key].exports;
    var src = ddoc;
    for (var i = 0; i < parts.length; i++) src = src == null || !apply(hasOwn, src, [parts[i]]) ? undefined : src[parts[i]];
    if (typeof src !== 'string') throw new Error('require(): no module at ' + key);
    var module = { id: key, exports: {} };
    modules[key] = module;
    (new Function('module', 'exports', 'require', src))(module, module.exports, makeRequire(parts.slice(0, -1)));
    return module.exports;
  };
}
global.require = makeRequire([]);
function report(e) {
  if (e !== null && typeof e === 'object') {
    return { ok: false, forbidden: e.forbidden, unauthorized: e.unauthorized, name: String_(e.name || 'error'), message: String_(e.message || e.forbidden || e.unauthorized || '') };
  }
  return { ok: false, name: 'error', message: String_(e) };
}
return {
  compile: function (source) {
    var fn = indirectEval('(' + source + '\\n)');
    if (typeof fn !== 'function') throw new TypeError('not a function');
    return fns.push(fn) - 1;
  },
  callMany: function (which, argsJson) {
    var lists = parse(argsJson), out = [];
    for (var i = 0; i < lists.length; i++) {
      try { apply(fns[which], null, lists[i]); out.push({ ok: true }); }
      catch (e) { out.push(report(e)); }
    }
    return stringify(out);
  },
  call: function (which, argsJson) {
    var result = apply(fns[which], null, parse(argsJson));
    return result ? 'true' : 'false';
  },
  emits: function (which, docJson) {
    emitted = false;
    apply(fns[which], null, [parse(docJson)]);
    return emitted ? 'true' : 'false';
  },
  mapDoc: function (which, docJson) {
    collected = [];
    try {
      apply(fns[which], null, [parse(docJson)]);
      return stringify(collected);
    } finally {
      collected = null;
    }
  },
  value: function (which, argsJson) {
    var result = apply(fns[which], null, parse(argsJson));
    return result === undefined ? 'null' : stringify(result);
  }
};
})`;

export interface ThrowReport {
  ok: boolean;
  forbidden?: unknown;
  unauthorized?: unknown;
  name?: string;
  message?: string;
}

/** Runs a trusted host function as a validator runs: returning is a pass, a thrown {forbidden}/{unauthorized} a refusal. */
function nativeReport(fn: TrustedFunction, args: unknown[]): ThrowReport {
  try {
    fn(...args);
    return { ok: true };
  } catch (err) {
    if (typeof err === 'object' && err !== null && !(err instanceof Error)) {
      const e = err as Record<string, unknown>;
      return { ok: false, forbidden: e.forbidden, unauthorized: e.unauthorized, name: 'error', message: '' };
    }
    return { ok: false, name: err instanceof Error ? err.name : 'error', message: err instanceof Error ? err.message : String(err) };
  }
}

/** Thrown by the sandbox when design-document code fails as a whole: it threw, looped, or ran out of memory. */
export class SandboxError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

interface Isolate {
  module: QuickJSWASMModule;
  runtime: QuickJSRuntime;
  ctx: QuickJSContext;
  deadline: number;
  api: { compile: QuickJSHandle; callMany: QuickJSHandle; call: QuickJSHandle; emits: QuickJSHandle; mapDoc: QuickJSHandle; value: QuickJSHandle };
  fns: Map<string, number>;
}

const INVALID_REPORT: ThrowReport = { ok: false, name: 'error', message: 'validate_doc_update gave no usable answer' };

function checkedReport(value: unknown): ThrowReport {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return INVALID_REPORT;
  const r = value as Record<string, unknown>;
  if (r.ok === true) return { ok: true };
  return {
    ok: false,
    forbidden: r.forbidden,
    unauthorized: r.unauthorized,
    name: typeof r.name === 'string' ? r.name : 'error',
    message: typeof r.message === 'string' ? r.message : '',
  };
}

/** Caches one QuickJS runtime + context per design-document content and calls its functions by path (e.g. "filters.byType"). */
export class Sandbox {
  private readonly isolates = new Map<string, Isolate>();
  private readonly keys = new WeakMap<DesignDoc, string>();
  private readonly timeoutMs: number;
  private readonly trusted: ReadonlyMap<string, TrustedFunction>;
  private readonly trustedMaps: ReadonlyMap<string, TrustedMap>;
  private readonly memoryBytes: number;
  private spare: QuickJSWASMModule | undefined;
  private spareLoading: Promise<void> | undefined;
  private closed = false;
  /** How many modules were dropped as untrustworthy (for tests and logs). */
  replacedModules = 0;

  private constructor(
    private quickjs: QuickJSWASMModule | undefined,
    spare: QuickJSWASMModule,
    limits: SandboxLimits,
    private readonly load: () => Promise<QuickJSWASMModule>,
  ) {
    this.spare = spare;
    this.timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.trusted = limits.trusted ?? new Map();
    this.trustedMaps = limits.trustedMaps ?? new Map();
    this.memoryBytes = limits.memoryBytes ?? DEFAULT_MEMORY_BYTES;
  }

  /**
   * Loads two WebAssembly QuickJS modules of its own (one in use, one spare; a module is one linear
   * memory, so two servers in one process share nothing) and returns a sandbox whose calls are synchronous.
   */
  static async create(limits: SandboxLimits = {}): Promise<Sandbox> {
    const total = limits.totalMemoryBytes ?? DEFAULT_TOTAL_MEMORY_BYTES;
    const maximum = Math.max(INITIAL_PAGES, Math.ceil(total / WASM_PAGE));
    const load = () => newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory: new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum }) }));
    const [inUse, spare] = await Promise.all([load(), load()]);
    return new Sandbox(inUse, spare, limits, load);
  }

  /**
   * One isolate per design-document content, not per `_rev`: a revision id says nothing about content
   * when written with new_edits=false, and identical design documents in several databases (one per
   * store) share one runtime. Memoised per object, because a filter calls this once per change.
   */
  private key(ddoc: DesignDoc): string {
    let key = this.keys.get(ddoc);
    if (!key) {
      key = `${ddoc._id}@${createHash('sha256').update(JSON.stringify(ddoc)).digest('base64url')}`;
      this.keys.set(ddoc, key);
    }
    return key;
  }

  /** Drops the module in use without touching it again, and puts the spare in its place. */
  private replaceModule(): void {
    this.replacedModules++;
    this.isolates.clear();
    this.quickjs = this.spare;
    this.spare = undefined;
    this.refillSpare();
  }

  private refillSpare(): void {
    if (this.spare || this.spareLoading || this.closed) return;
    this.spareLoading = this.load().then(
      (loaded) => {
        this.spareLoading = undefined;
        if (!this.quickjs) this.quickjs = loaded;
        else this.spare = loaded;
        this.refillSpare();
      },
      () => {
        // Retried on the next failure; until then calls fail closed.
        this.spareLoading = undefined;
      },
    );
  }

  private module(): QuickJSWASMModule {
    if (!this.quickjs) {
      this.refillSpare();
      throw new SandboxError('sandbox_unavailable', 'The design-document sandbox is restarting; retry shortly.');
    }
    return this.quickjs;
  }

  private isolate(ddoc: DesignDoc): Isolate {
    const key = this.key(ddoc);
    const cached = this.isolates.get(key);
    if (cached) {
      // Most recently used last, so eviction drops the least recently used.
      this.isolates.delete(key);
      this.isolates.set(key, cached);
      return cached;
    }
    if (this.isolates.size >= MAX_CACHED) {
      const oldest = this.isolates.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
    const module = this.module();
    let runtime: QuickJSRuntime | undefined;
    let ctx: QuickJSContext | undefined;
    try {
      runtime = module.newRuntime();
      runtime.setMemoryLimit(this.memoryBytes);
      runtime.setMaxStackSize(MAX_STACK_BYTES);
      // Nothing to load: without a loader `import()` rejects inside the runtime.
      runtime.removeModuleLoader();
      ctx = runtime.newContext();
      const partial = { module, runtime, ctx, deadline: Date.now() + this.timeoutMs, fns: new Map<string, number>() };
      runtime.setInterruptHandler(() => Date.now() > partial.deadline);
      const factory = ctx.unwrapResult(ctx.evalCode(PRELUDE, 'caja-prelude.js'));
      const ddocJson = ctx.newString(JSON.stringify(ddoc));
      const result = ctx.callFunction(factory, ctx.undefined, ddocJson);
      ddocJson.dispose();
      factory.dispose();
      const apiHandle = ctx.unwrapResult(result);
      const api = {
        compile: ctx.getProp(apiHandle, 'compile'),
        callMany: ctx.getProp(apiHandle, 'callMany'),
        call: ctx.getProp(apiHandle, 'call'),
        emits: ctx.getProp(apiHandle, 'emits'),
        mapDoc: ctx.getProp(apiHandle, 'mapDoc'),
        value: ctx.getProp(apiHandle, 'value'),
      };
      apiHandle.dispose();
      // The same object the interrupt handler reads: run() renews `deadline` on it for every call (a copy
      // would keep the creation-time deadline, and every call after the first timeout window would fail).
      const entry: Isolate = Object.assign(partial, { api });
      this.isolates.set(key, entry);
      return entry;
    } catch (err) {
      if (err instanceof errors.QuickJSUnwrapError) {
        // The prelude threw a JavaScript exception (it ran out of memory on a huge design document):
        // the runtime is consistent and can be freed.
        try {
          ctx?.dispose();
          runtime?.dispose();
        } catch {
          this.replaceModule();
        }
      } else {
        this.replaceModule();
      }
      throw this.asSandboxError(err, `${ddoc._id}: design document could not be loaded`);
    }
  }

  private drop(key: string): void {
    const entry = this.isolates.get(key);
    if (!entry) return;
    this.isolates.delete(key);
    try {
      for (const handle of Object.values(entry.api)) handle.dispose();
      entry.ctx.dispose();
      entry.runtime.dispose();
    } catch {
      // QuickJS asserts on freeing a runtime whose state is inconsistent: nothing in that module is trusted.
      this.replaceModule();
    }
  }

  private asSandboxError(err: unknown, fallback: string): SandboxError {
    if (err instanceof SandboxError) return err;
    const e = err as { name?: unknown; message?: unknown } | null;
    const name = typeof e?.name === 'string' ? e.name : 'error';
    const message = typeof e?.message === 'string' ? e.message : fallback;
    return new SandboxError(name, message);
  }

  /**
   * Runs `api.<fn>(which, json)` in the design document's runtime with a fresh deadline and returns the
   * string it answers. A failure of the call as a whole (an exception the harness did not catch, including
   * QuickJS's uncatchable "interrupted", or "out of memory") discards the runtime and throws SandboxError.
   */
  private run(ddoc: DesignDoc, path: string, source: string, fn: 'callMany' | 'call' | 'emits' | 'mapDoc' | 'value', json: string): string {
    const entry = this.isolate(ddoc);
    const { ctx } = entry;
    let healthy = false;
    try {
      entry.deadline = Date.now() + this.timeoutMs;
      let which = entry.fns.get(path);
      if (which === undefined) {
        const src = ctx.newString(source);
        const compiled = ctx.callFunction(entry.api.compile, ctx.undefined, src);
        src.dispose();
        if (compiled.error) {
          const failure = this.failure(entry, compiled.error, path);
          healthy = failure.recoverable;
          throw new SandboxError('compilation_error', `${path}: ${failure.error.errorName}: ${failure.error.message}`);
        }
        which = ctx.getNumber(compiled.value);
        compiled.value.dispose();
        entry.fns.set(path, which);
      }
      const whichHandle = ctx.newNumber(which);
      const jsonHandle = ctx.newString(json);
      const result = ctx.callFunction(entry.api[fn], ctx.undefined, whichHandle, jsonHandle);
      whichHandle.dispose();
      jsonHandle.dispose();
      if (result.error) {
        const failure = this.failure(entry, result.error, path);
        healthy = failure.recoverable;
        throw failure.error;
      }
      const out = ctx.typeof(result.value) === 'string' ? ctx.getString(result.value) : '';
      result.value.dispose();
      healthy = true;
      return out;
    } catch (err) {
      if (err instanceof SandboxError) throw err;
      // Not a JavaScript exception but a failure of the module itself (V8 stack overflow inside WebAssembly,
      // an Emscripten abort): its memory may be half-updated, so it is never used again.
      healthy = true; // nothing to dispose: the whole module goes
      if (this.quickjs === entry.module) this.replaceModule();
      throw this.asSandboxError(err, `${path} failed`);
    } finally {
      if (!healthy) this.drop(this.key(ddoc));
    }
  }

  /**
   * Reads name and message of what the code threw (and disposes the handle). Only those two properties
   * are read, each as a string: dumping the whole value could run the thrower's toJSON or getters at length.
   */
  private failure(entry: Isolate, thrown: QuickJSHandle, path: string): { error: SandboxError; recoverable: boolean } {
    const { ctx } = entry;
    // Reading a property may run a getter: give that a short budget of its own, past an expired deadline.
    entry.deadline = Date.now() + Math.min(this.timeoutMs, 100);
    let name = 'error';
    let message = '';
    try {
      if (ctx.typeof(thrown) === 'object') {
        const read = (prop: string): string | undefined => {
          const result = ctx.getProp(thrown, prop);
          const text = ctx.typeof(result) === 'string' ? ctx.getString(result) : undefined;
          result.dispose();
          return text;
        };
        name = read('name') ?? name;
        message = read('message') ?? message;
      } else {
        const text = ctx.typeof(thrown) === 'string' ? ctx.getString(thrown) : ctx.typeof(thrown);
        message = text;
      }
    } catch {
      message = message || 'threw an unreadable value';
    } finally {
      thrown.dispose();
    }
    // QuickJS's own limits: the runtime may be left half-done, so it is rebuilt. Anything else the code
    // threw leaves it as usable as before.
    const limit = name === 'InternalError' && /^(interrupted|out of memory|stack overflow)$/.test(message);
    if (limit && message === 'interrupted') message = `${path} timed out after ${this.timeoutMs} ms`;
    return { error: new SandboxError(name, message.slice(0, 1000)), recoverable: !limit };
  }

  /**
   * Calls the function at `path` in `ddoc` (its source string is `source`) with JSON-cloned arguments and
   * tells whether it returned something truthy (a _changes filter). Throws SandboxError if it throws.
   */
  call(ddoc: DesignDoc, path: string, source: string, args: unknown[]): boolean {
    return this.run(ddoc, path, source, 'call', JSON.stringify(args)) === 'true';
  }

  /**
   * Calls the function once per argument list and reports, per call, whether it threw and what: the shape
   * validate_doc_update needs ({forbidden} / {unauthorized} / any other error). The lists are sent in chunks
   * of bounded size, each under its own deadline. Always answers exactly one report per list.
   */
  callEach(ddoc: DesignDoc, path: string, source: string, argLists: unknown[][]): ThrowReport[] {
    const native = this.trusted.get(source);
    if (native) return argLists.map((args) => nativeReport(native, args));
    const reports: ThrowReport[] = [];
    let chunk: string[] = [];
    let chars = 0;
    const flush = () => {
      if (!chunk.length) return;
      const expected = chunk.length;
      const raw = this.run(ddoc, path, source, 'callMany', `[${chunk.join(',')}]`);
      chunk = [];
      chars = 0;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = null;
      }
      const list = Array.isArray(parsed) && parsed.length === expected ? parsed : [];
      for (let i = 0; i < expected; i++) reports.push(checkedReport(list[i]));
    };
    for (const args of argLists) {
      const json = JSON.stringify(args);
      if (chars + json.length > MAX_BATCH_CHARS) flush();
      chunk.push(json);
      chars += json.length + 1;
    }
    flush();
    return reports;
  }

  /** Runs a view map function on one document and tells whether it emitted (CouchDB's filter=_view). */
  emits(ddoc: DesignDoc, path: string, source: string, doc: unknown): boolean {
    return this.run(ddoc, path, source, 'emits', JSON.stringify(doc)) === 'true';
  }

  /** The host's own map function for this exact source, if this build deploys it (see SandboxLimits.trustedMaps). */
  trustedMap(source: string): TrustedMap | undefined {
    return this.trustedMaps.get(source);
  }

  /** Runs a view map function on one document and returns what it emitted, as [key, value] pairs. */
  map(ddoc: DesignDoc, path: string, source: string, doc: unknown): Array<[unknown, unknown]> {
    const out: unknown = JSON.parse(this.run(ddoc, path, source, 'mapDoc', JSON.stringify(doc)) || '[]');
    if (!Array.isArray(out)) throw new SandboxError('error', `${path} gave no usable answer`);
    return out as Array<[unknown, unknown]>;
  }

  /** Calls a function with JSON-cloned arguments and returns its JSON-cloned result (a view's JavaScript reduce). */
  value(ddoc: DesignDoc, path: string, source: string, args: unknown[]): unknown {
    return JSON.parse(this.run(ddoc, path, source, 'value', JSON.stringify(args)) || 'null');
  }

  /** Frees every runtime (the server is closing, or design documents changed wholesale). */
  clear(): void {
    for (const key of [...this.isolates.keys()]) this.drop(key);
  }

  /** Resolves once a module is in use (after a replacement left none, when the spare has loaded). */
  async ready(): Promise<void> {
    while (!this.quickjs && !this.closed) {
      this.refillSpare();
      if (!this.spareLoading) throw new SandboxError('sandbox_unavailable', 'The design-document sandbox could not be loaded.');
      await this.spareLoading;
    }
  }

  /** Frees everything and stops loading spares; the modules' memory goes with their last reference. */
  close(): void {
    this.closed = true;
    this.clear();
    this.quickjs = undefined;
    this.spare = undefined;
  }
}
