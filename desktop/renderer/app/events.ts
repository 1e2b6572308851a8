// A browser stand-in for Node's `events` module, aliased in vite.config.ts. PouchDB 9's browser build imports
// `EventEmitter` from 'events' and relies on Node's semantics: `emit('error')` with no listener throws,
// `once` listeners can be removed by the original function, and the prototype's methods are ENUMERABLE —
// PouchDB copies `Object.keys(EE.prototype)` onto its constructor to make `PouchDB.on(...)` work, so a plain
// class (whose methods are not enumerable) would silently break database destruction notices.
type Listener = (...args: unknown[]) => unknown;
type Wrapped = Listener & { listener?: Listener };

// State lives under symbols created on first use, not in class fields: PouchDB builds some emitters without
// running this constructor (objects whose prototype is set by hand), and a field would not exist on them.
const EVENTS = Symbol('caja.events');
const MAX = Symbol('caja.maxListeners');
type State = { [EVENTS]?: Map<string | symbol, Wrapped[]>; [MAX]?: number };

/** The emitter's own listener table (never one inherited through a prototype, which would be shared). */
function tableOf(emitter: object): Map<string | symbol, Wrapped[]> {
  const self = emitter as State;
  if (!Object.prototype.hasOwnProperty.call(self, EVENTS)) Object.defineProperty(self, EVENTS, { value: new Map(), enumerable: false, writable: true });
  return self[EVENTS] as Map<string | symbol, Wrapped[]>;
}

function add(emitter: EventEmitter, type: string | symbol, listener: Wrapped, prepend: boolean): void {
  const table = tableOf(emitter);
  if (table.has('newListener')) emitter.emit('newListener', type, listener.listener ?? listener);
  const list = table.get(type) ?? [];
  table.set(type, prepend ? [listener, ...list] : [...list, listener]);
}

function remove(emitter: EventEmitter, type: string | symbol, listener: Listener): void {
  const table = tableOf(emitter);
  const list = table.get(type);
  if (!list) return;
  // The last matching registration goes first, as in Node.
  for (let i = list.length - 1; i >= 0; i--) {
    const l = list[i] as Wrapped;
    if (l === listener || l.listener === listener) {
      const next = list.slice(0, i).concat(list.slice(i + 1));
      if (next.length) table.set(type, next);
      else table.delete(type);
      if (table.has('removeListener')) emitter.emit('removeListener', type, listener);
      return;
    }
  }
}

// Methods call the module functions above, never each other through `this`: PouchDB's own change notifier
// subclasses EventEmitter and overrides `addListener(dbName, id, db, opts)` and `removeListener(dbName, id)`
// with other meanings while still calling `this.on(...)`. In Node `on` IS `addListener` (one function), so
// the override never reaches `on`; here `on`/`off` are the base functions for the same reason.
export class EventEmitter {
  static defaultMaxListeners = 10;

  /** Node's deprecated static form, still called by PouchDB when an emitter lacks the method. */
  static listenerCount(emitter: EventEmitter, type: string | symbol): number {
    return emitter.listenerCount(type);
  }

  addListener(type: string | symbol, listener: Listener): this {
    add(this, type, listener, false);
    return this;
  }

  on(type: string | symbol, listener: Listener): this {
    add(this, type, listener, false);
    return this;
  }

  prependListener(type: string | symbol, listener: Listener): this {
    add(this, type, listener, true);
    return this;
  }

  once(type: string | symbol, listener: Listener): this {
    const wrapped: Wrapped = (...args: unknown[]) => {
      remove(this, type, wrapped);
      return listener.apply(this, args);
    };
    wrapped.listener = listener;
    add(this, type, wrapped, false);
    return this;
  }

  removeListener(type: string | symbol, listener: Listener): this {
    remove(this, type, listener);
    return this;
  }

  off(type: string | symbol, listener: Listener): this {
    remove(this, type, listener);
    return this;
  }

  removeAllListeners(type?: string | symbol): this {
    if (type === undefined) tableOf(this).clear();
    else tableOf(this).delete(type);
    return this;
  }

  emit(type: string | symbol, ...args: unknown[]): boolean {
    const list = tableOf(this).get(type);
    if (!list || list.length === 0) {
      // Node throws an unhandled 'error' event: swallowing it would hide a failed replication.
      if (type === 'error') throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error event: ${String(args[0])}`);
      return false;
    }
    // A copy: listeners removing themselves (once) must not skip their neighbours.
    for (const l of list.slice()) l.apply(this, args);
    return true;
  }

  listeners(type: string | symbol): Listener[] {
    return (tableOf(this).get(type) ?? []).map((l) => l.listener ?? l);
  }

  rawListeners(type: string | symbol): Listener[] {
    return (tableOf(this).get(type) ?? []).slice();
  }

  listenerCount(type: string | symbol): number {
    return tableOf(this).get(type)?.length ?? 0;
  }

  eventNames(): Array<string | symbol> {
    return [...tableOf(this).keys()];
  }

  setMaxListeners(n: number): this {
    (this as unknown as State)[MAX] = n; // kept for getMaxListeners; the browser has no leak warning to raise
    return this;
  }

  getMaxListeners(): number {
    return (this as unknown as State)[MAX] ?? EventEmitter.defaultMaxListeners;
  }
}

for (const name of Object.getOwnPropertyNames(EventEmitter.prototype)) {
  if (name !== 'constructor') Object.defineProperty(EventEmitter.prototype, name, { enumerable: true });
}

export default EventEmitter;
