// GET/POST /{db}/_changes on the embedded server, written here rather than left to express-pouchdb: its
// route reads only `doc_ids`, ignores `filter=_selector` (on 4.2.0 a selector replication crashed the
// process through an unhandled 'error' event), evaluates design-document filters outside a vm and leaves
// feeds open at shutdown. Feeds: normal, longpoll, continuous, eventsource. Filters: `_doc_ids`,
// `_selector`, `_design`, `_view` and `<ddoc>/<name>`. Every PouchDB feed has an 'error' listener and
// every open feed is registered so close() can end it. A design-document filter (or view map) that throws
// fails the request with 500, as on CouchDB: silently dropping the change would make a replication skip
// documents and checkpoint past them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserCtx } from './jwt';
import type { DesignDoc, Sandbox } from './sandbox';
import { CouchError, badRequest, isPlainObject, queryJson, sendJson } from './http';
import { compileSelector, idPrefilter } from '../shared/sync/selector';


type Log = (level: 'debug' | 'info' | 'warn' | 'error', event: string, fields?: Record<string, unknown>) => void;

export interface ChangesDeps {
  db: PouchDB.Database;
  dbName: string;
  user: UserCtx;
  sandbox: Sandbox;
  log: Log;
  /** Open live feeds; close() calls every stop function. */
  feeds: Set<() => void>;
}

const DEFAULT_TIMEOUT_MS = 60_000; // chttpd changes_timeout
const DEFAULT_HEARTBEAT_MS = 60_000;

// Operators PouchDB 9's matcher implements; anything else is refused with 400 up front, because an
// unknown operator makes the matcher throw on every document.
const FIELD_OPERATORS: Record<string, (arg: unknown) => boolean> = {
  $eq: () => true,
  $ne: () => true,
  $lt: () => true,
  $lte: () => true,
  $gt: () => true,
  $gte: () => true,
  $exists: (a) => typeof a === 'boolean',
  $type: (a) => typeof a === 'string' && ['null', 'boolean', 'number', 'string', 'array', 'object'].includes(a),
  $in: Array.isArray,
  $nin: Array.isArray,
  $all: Array.isArray,
  $size: (a) => Number.isInteger(a),
  $mod: (a) => Array.isArray(a) && a.length === 2 && a.every(Number.isInteger) && a[0] !== 0,
  $regex: (a) => {
    if (typeof a !== 'string') return false;
    try {
      new RegExp(a);
      return true;
    } catch {
      return false;
    }
  },
};
const MAX_SELECTOR_DEPTH = 32;

/**
 * A JSON value printed as CouchDB prints the Erlang term it decodes to (`~w`), so the refusal of a bad
 * selector argument reads as on CouchDB: strings are binaries `<<40>>`, objects `{[{<<97>>,1}]}`.
 */
function erlangTerm(value: unknown): string {
  if (typeof value === 'string') return `<<${[...Buffer.from(value, 'utf8')].join(',')}>>`;
  if (Array.isArray(value)) return `[${value.map(erlangTerm).join(',')}]`;
  if (isPlainObject(value)) return `{[${Object.entries(value).map(([k, v]) => `{${erlangTerm(k)},${erlangTerm(v)}}`).join(',')}]}`;
  return String(value);
}

const badArgument = (operator: string, arg: unknown) => `Bad argument for operator ${operator}: ${erlangTerm(arg)}`;

function checkCondition(cond: unknown, depth: number): string | null {
  if (depth > MAX_SELECTOR_DEPTH) return 'Selector is nested too deeply';
  if (!isPlainObject(cond)) return null; // implicit $eq against a value
  for (const [key, arg] of Object.entries(cond)) {
    if (key === '$elemMatch' || key === '$allMatch') {
      if (!isPlainObject(arg)) return badArgument(key, arg);
      // Elements may be matched as values ({"$eq": 1}) or as objects ({"field": …}).
      const asCondition = Object.keys(arg).every((k) => k.startsWith('$') && !['$and', '$or', '$nor', '$not'].includes(k));
      const problem = asCondition ? checkCondition(arg, depth + 1) : checkSelector(arg, depth + 1);
      if (problem) return problem;
    } else if (key.startsWith('$')) {
      const check = FIELD_OPERATORS[key];
      if (!check) return `Invalid operator: ${key}`;
      if (!check(arg)) return badArgument(key, arg);
    } else {
      const problem = checkCondition(arg, depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

/** Returns why a Mango selector is unusable, or null when PouchDB's matcher can run it safely. */
export function checkSelector(selector: unknown, depth = 0): string | null {
  if (depth > MAX_SELECTOR_DEPTH) return 'Selector is nested too deeply';
  if (!isPlainObject(selector)) return 'Selector error: expected a JSON object';
  for (const [key, arg] of Object.entries(selector)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(arg) || arg.length === 0) return badArgument(key, arg);
      for (const sub of arg) {
        const problem = checkSelector(sub, depth + 1);
        if (problem) return problem;
      }
    } else if (key === '$not') {
      const problem = checkSelector(arg, depth + 1);
      if (problem) return problem;
    } else if (key.startsWith('$')) {
      return `Invalid operator: ${key}`;
    } else {
      const problem = checkCondition(arg, depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

type Feed = 'normal' | 'longpoll' | 'continuous' | 'eventsource';
type FilterFn = (doc: Record<string, unknown>) => boolean;
interface BuiltFilter {
  filter?: FilterFn;
  docIds?: string[];
  /**
   * The selector's test of `_id` alone: PouchDB (patched, patches/) passes over a change whose id fails it before
   * reading that document's metadata, the read that costs the most per change. A relay's followers want its
   * sales, not the 100k catalog documents it received: they skip those almost for free.
   */
  idFilter?: (id: string) => boolean;
  /**
   * The selector tests `_id` alone, so `idFilter` decides: a change it lets through matches, and without
   * include_docs PouchDB (patched) takes the id and rev from the entry's text instead of parsing the document
   * (HQ's roll-up feed read every sale of a catch-up that way).
   */
  idOnly?: boolean;
  /** The error a filter threw during this request, if any: the answer becomes that 500. */
  failure: () => CouchError | undefined;
}

function parseSince(raw: unknown): number | 'now' {
  if (raw === 'now') return 'now';
  if (typeof raw === 'number' && raw >= 0) return Math.floor(raw);
  if (typeof raw === 'string') {
    // CouchDB sequences are opaque strings "N-…"; ours are integers, so take the leading number.
    const n = parseInt(raw, 10);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  if (raw === undefined || raw === null) return 0;
  throw badRequest(`Invalid since: ${JSON.stringify(raw)}`);
}

function bool(raw: string | undefined): boolean {
  return raw === 'true';
}

function positiveInt(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value for ${name}: ${raw}`);
  return n;
}

async function getDesignDoc(db: PouchDB.Database, name: string): Promise<DesignDoc> {
  try {
    return (await db.get(`_design/${name}`)) as unknown as DesignDoc;
  } catch {
    throw new CouchError(404, 'not_found', 'missing');
  }
}

async function buildFilter(
  deps: ChangesDeps,
  req: IncomingMessage,
  query: Record<string, string>,
  body: Record<string, unknown>,
): Promise<BuiltFilter> {
  const name = query.filter;
  if (!name) return { failure: () => undefined };
  let failure: CouchError | undefined;
  const guard = (fn: FilterFn, what: string): FilterFn => (doc) => {
    if (failure) throw failure;
    try {
      return fn(doc);
    } catch (err) {
      // Remembered so the request answers 500 with it; rethrown so PouchDB stops the feed here.
      deps.log('warn', 'changes.filter_error', { db: deps.dbName, filter: what, id: doc._id, error: String(err) });
      const e = err as { errorName?: unknown; name?: unknown; message?: unknown };
      const errorName = typeof e?.errorName === 'string' ? e.errorName : typeof e?.name === 'string' ? e.name : 'unnamed_error';
      failure = new CouchError(500, errorName, `${what}: ${typeof e?.message === 'string' ? e.message : String(err)}`);
      throw failure;
    }
  };
  const failed = () => failure;
  switch (name) {
    case '_doc_ids': {
      const ids = body.doc_ids ?? queryJson(query.doc_ids);
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        throw badRequest('`doc_ids` filter parameter is not a list of doc ids.');
      }
      return { docIds: ids, failure: failed };
    }
    case '_selector': {
      if (req.method !== 'POST') throw badRequest('Selector must be specified in POST payload');
      const problem = checkSelector(body.selector);
      if (problem) throw badRequest(problem);
      const idFilter = idPrefilter(body.selector);
      if (idFilter && Object.keys(body.selector as object).length === 1 && '_id' in (body.selector as object)) {
        return { filter: () => true, idFilter, idOnly: true, failure: failed };
      }
      // Compiled once per request, not per change (PouchDB's own matcher, see common/replication/selector.ts).
      const matches = compileSelector(body.selector);
      return { filter: guard((doc) => matches(doc), '_selector'), ...(idFilter ? { idFilter } : {}), failure: failed };
    }
    case '_design':
      return { filter: (doc) => String(doc._id).startsWith('_design/'), failure: failed };
    case '_view': {
      const [ddocName, viewName, ...rest] = (query.view ?? '').split('/');
      if (!ddocName || !viewName || rest.length) throw badRequest('`view` filter parameter is not provided.');
      const ddoc = await getDesignDoc(deps.db, ddocName);
      const views = isPlainObject(ddoc.views) ? ddoc.views : {};
      const view = views[viewName];
      const map = isPlainObject(view) ? view.map : undefined;
      if (typeof map !== 'string') throw new CouchError(404, 'not_found', `missing json key: ${viewName}`);
      return { filter: guard((doc) => deps.sandbox.emits(ddoc, `views.${viewName}.map`, map, doc), query.view ?? ''), failure: failed };
    }
    default: {
      if (name.startsWith('_')) throw badRequest('unknown builtin filter name');
      const [ddocName, filterName, ...rest] = name.split('/');
      if (!ddocName || !filterName || rest.length) throw badRequest('filter parameter must be of the form `designname/filtername`');
      const ddoc = await getDesignDoc(deps.db, ddocName);
      const filters = isPlainObject(ddoc.filters) ? ddoc.filters : {};
      const source = filters[filterName];
      if (typeof source !== 'string') throw new CouchError(404, 'not_found', `missing json key: ${filterName}`);
      // The request object CouchDB's query server hands to filters, reduced to what filters use.
      const filterReq = {
        query,
        method: req.method,
        userCtx: { db: deps.dbName, name: deps.user.name, roles: deps.user.roles },
        info: { db_name: deps.dbName },
        id: null,
        path: [deps.dbName, '_changes'],
        body: Object.keys(body).length ? JSON.stringify(body) : 'undefined',
      };
      return { filter: guard((doc) => deps.sandbox.call(ddoc, `filters.${filterName}`, source, [doc, filterReq]), name), failure: failed };
    }
  }
}

interface ChangeRow {
  seq: number | string;
  id: string;
  changes: { rev: string }[];
  deleted?: boolean;
  doc?: unknown;
}

/** Answers one _changes request; `body` is the parsed POST body (or {}). */
export async function handleChanges(
  req: IncomingMessage,
  res: ServerResponse,
  query: Record<string, string>,
  body: Record<string, unknown>,
  deps: ChangesDeps,
): Promise<void> {
  const feed = (query.feed ?? 'normal') as Feed;
  if (!['normal', 'longpoll', 'continuous', 'eventsource'].includes(feed)) throw badRequest(`Invalid feed: ${feed}`);
  const since = parseSince(queryJson(query.since));
  const limit = positiveInt(query.limit, 'limit');
  const heartbeat = query.heartbeat === 'true' ? DEFAULT_HEARTBEAT_MS : positiveInt(query.heartbeat, 'heartbeat');
  const timeout = positiveInt(query.timeout, 'timeout') ?? DEFAULT_TIMEOUT_MS;
  const { filter, docIds, idFilter, idOnly, failure } = await buildFilter(deps, req, query, body);
  // PouchDB turns a throwing filter into its own 400 "Filter function threw"; answer the filter's 500.
  const orFilterFailure = (err: unknown): never => {
    throw failure() ?? err;
  };

  const base: PouchDB.Core.ChangesOptions & Record<string, unknown> = {
    include_docs: bool(query.include_docs),
    conflicts: bool(query.conflicts),
    attachments: bool(query.attachments),
    descending: bool(query.descending),
    style: query.style === 'all_docs' ? 'all_docs' : 'main_only',
    return_docs: true,
  };
  if (limit !== undefined) base.limit = Math.max(limit, 1);
  if (filter) base.filter = filter;
  if (docIds) base.doc_ids = docIds;
  if (idFilter) base.caja_id_filter = idFilter;
  if (idOnly && !base.include_docs) base.caja_stub_docs = true;

  if (feed === 'normal') {
    const result = await deps.db.changes({ ...base, since }).catch(orFilterFailure);
    sendJson(res, 200, { results: result.results, last_seq: result.last_seq, pending: 0 });
    return;
  }

  if (feed === 'longpoll') {
    const startedAt = Date.now();
    const first =
      filter && !heartbeat && since !== 'now'
        ? await scanFiltered(deps.db, base, since, filter, limit, startedAt + timeout).catch(orFilterFailure)
        : await deps.db.changes({ ...base, since }).catch(orFilterFailure);
    // The scan of a filtered feed counts against `timeout`: a client (PouchDB) aborts a request after
    // timeout + a few seconds, so waiting the full timeout after a long scan made it retry the same scan
    // forever. Answering with the scanned last_seq lets the next request start past it.
    const remaining = heartbeat ? timeout : timeout - (Date.now() - startedAt);
    if (first.results.length > 0 || remaining <= 0) {
      sendJson(res, 200, { results: first.results, last_seq: first.last_seq, pending: 0 });
      return;
    }
    await live(deps, res, { ...base, since: first.last_seq }, { feed, heartbeat, timeout: remaining, limit: 1, lastSeq: first.last_seq, failure });
    return;
  }
  await live(deps, res, { ...base, since }, { feed, heartbeat, timeout, limit, lastSeq: since === 'now' ? 0 : since, failure });
}

const SCAN_CHUNK = 2000;

/**
 * The first pass of a filtered longpoll, in chunks of raw changes, that answers by `deadline` with what it
 * matched so far and the sequence it scanned to. PouchDB's own filtered changes() scans to the end before
 * answering; on a database with a few hundred thousand documents that nothing matches (a relay's catalog
 * under a transactions-only selector) it outlasted the client's request timeout, and the client retried the
 * same scan forever. CouchDB's longpoll likewise answers after `timeout` with the position reached.
 */
async function scanFiltered(
  db: PouchDB.Database,
  base: PouchDB.Core.ChangesOptions & Record<string, unknown>,
  since: number,
  filter: FilterFn,
  limit: number | undefined,
  deadline: number,
): Promise<{ results: ChangeRow[]; last_seq: number | string }> {
  const wanted = limit === undefined ? Infinity : Math.max(limit, 1);
  const results: ChangeRow[] = [];
  let lastSeq: number | string = since;
  for (;;) {
    const { filter: _unused, limit: _l, ...rest } = base;
    const page: { results: unknown[]; last_seq: number | string } = await db.changes({ ...rest, include_docs: true, since: lastSeq as number, limit: SCAN_CHUNK, return_docs: true });
    for (const row of page.results as ChangeRow[]) {
      lastSeq = row.seq;
      const doc = row.doc as Record<string, unknown> | undefined;
      if (!doc || !filter(doc)) continue;
      results.push(base.include_docs ? row : { ...row, doc: undefined });
      if (results.length >= wanted) return { results, last_seq: lastSeq };
    }
    if (page.results.length < SCAN_CHUNK) return { results, last_seq: page.last_seq };
    if (Date.now() >= deadline) return { results, last_seq: lastSeq };
  }
}

interface LiveOpts {
  feed: Feed;
  heartbeat: number | undefined;
  timeout: number;
  limit: number | undefined;
  lastSeq: number | string;
  failure: () => CouchError | undefined;
}

function live(deps: ChangesDeps, res: ServerResponse, opts: PouchDB.Core.ChangesOptions, live: LiveOpts): Promise<void> {
  return new Promise((resolve) => {
    const { feed } = live;
    res.writeHead(200, {
      'Content-Type': feed === 'eventsource' ? 'text/event-stream' : 'application/json',
      'Cache-Control': 'must-revalidate, no-cache',
    });
    let lastSeq = live.lastSeq;
    let sent = 0;
    let done = false;
    const collected: ChangeRow[] = [];
    const changes = deps.db.changes({ ...opts, live: true, return_docs: false });
    let idleTimer: NodeJS.Timeout | undefined;
    const heartbeatTimer = live.heartbeat
      ? setInterval(() => res.write(feed === 'eventsource' ? 'event: heartbeat\ndata: \n\n' : '\n'), Math.max(live.heartbeat, 1_000))
      : undefined;
    // CouchDB: a heartbeat keeps a feed open indefinitely; without one the feed ends after `timeout`.
    const armTimeout = () => {
      if (live.heartbeat) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => stop(), live.timeout);
    };

    const stop = () => {
      if (done) return;
      done = true;
      clearTimeout(idleTimer);
      clearInterval(heartbeatTimer);
      deps.feeds.delete(stop);
      changes.cancel();
      if (!res.writableEnded) {
        if (feed === 'longpoll') res.end(JSON.stringify({ results: collected, last_seq: lastSeq, pending: 0 }) + '\n');
        else if (feed === 'continuous') res.end(JSON.stringify({ last_seq: lastSeq, pending: 0 }) + '\n');
        else res.end();
      }
      resolve();
    };
    deps.feeds.add(stop);
    res.on('close', stop);
    armTimeout();

    changes.on('change', (change) => {
      if (done) return;
      const row = change as unknown as ChangeRow;
      lastSeq = row.seq;
      sent += 1;
      if (feed === 'longpoll') collected.push(row);
      else if (feed === 'continuous') res.write(JSON.stringify(row) + '\n');
      else res.write(`data: ${JSON.stringify(row)}\nid: ${row.seq}\n\n`);
      if (live.limit !== undefined && sent >= live.limit) stop();
      else armTimeout();
    });
    changes.on('error', (err: unknown) => {
      deps.log('error', 'changes.feed_error', { db: deps.dbName, error: err instanceof Error ? err.message : String(err) });
      // The 200 is already on the wire: a filter failure cuts the connection, so the client sees an
      // error rather than a clean end of feed it would checkpoint.
      if (live.failure()) res.destroy();
      stop();
    });
  });
}
