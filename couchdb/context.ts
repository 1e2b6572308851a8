// The embedded server's state, built once per start and handed to every route: the databases on disk
// (PouchDB on LevelDB, one directory per database under dataDir), the express-pouchdb app that answers
// reads, `_security`, the design-document sandbox, and the write locks. Also the two ways a route reaches
// a database: getDb (this layer's own calls) and delegate (express-pouchdb, for reads).
import type http from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import PouchDB from 'pouchdb';
import { installKeyedAllDocs, installRangedRevsDiff } from './keyedReads';
import { parseJsonBody, readBody, sendError, sendJson } from './http';
import { parsedBodyOf, type InProcessAnswer, type InProcessCall } from './inProcess';
import { toCouchError } from './errors';
import { SecurityStore } from './security';
import { Sandbox, type SandboxLimits } from './sandbox';
import { viewEngine } from './views';
import { KeyedMutex, ValidatorCache, guardWrites, type WriteContext } from './writes';
import { createTaskRegistry, type TaskRegistry } from './tasks';
import { AdminTable } from './basicAuth';
import { GroupCommit, fsyncFromEnv, leveldownFor } from './durable';

export interface EmbeddedCouchOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  dataDir: string;
  jwtSecret: string;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', event: string, fields?: Record<string, unknown>) => void;
  /**
   * Browser origins allowed by CORS (CouchDB's [cors] origins). A list is echoed with credentials allowed;
   * '*' answers `Access-Control-Allow-Origin: *` without credentials (browsers refuse credentials with a
   * wildcard, and echoing any origin with credentials would let every web page use a logged-in browser's
   * cookies). Bearer tokens set by script still work under '*'. Default: none.
   */
  corsOrigins?: string[] | '*';
  /** Limits of design-document code (validate_doc_update, filters): time per call, heap per design document. */
  sandboxLimits?: SandboxLimits;
  /** Largest request body in bytes (CouchDB's max_http_request_size); default 64 MiB. */
  maxRequestBytes?: number;
  /**
   * Server admins who may log in with `Authorization: Basic` (CouchDB's `[admins]`), name -> password, for
   * operators' tools; Caja's own processes use JWTs. Default: none (Basic is then always a 401).
   */
  admins?: Record<string, string>;
  /**
   * Answer writes only once fsynced (durable.ts), as CouchDB does. Default: on unless CAJA_COUCH_FSYNC=off;
   * false is for measuring its cost only (a power cut may then lose acknowledged writes).
   */
  fsync?: boolean;
}

export interface EmbeddedCouch {
  /** http://HOST:PORT, no trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
  tasks: TaskRegistry;
  /**
   * The server's own PouchDB handle on an existing database, for reading it in this process (a replication
   * whose source is this server): no HTTP hop, no JSON written and parsed again. Writing through it is refused
   * except `_local` documents (a replication's checkpoints): every other write goes through the server.
   */
  reader(dbName: string): PouchDB.Database;
  /** True for a request this server answers in process (inProcess.ts `takes`). */
  takes(call: Pick<InProcessCall, 'method' | 'path' | 'body'>): boolean;
  /** Asks this server a request it `takes` from this process, its body handed over parsed (inProcess.ts). */
  request(call: InProcessCall): Promise<InProcessAnswer>;
}

export type Log = NonNullable<EmbeddedCouchOptions['log']>;
type ExpressPouchApp = ((req: http.IncomingMessage, res: http.ServerResponse, next: (err?: unknown) => void) => void) & {
  setPouchDB(pouch: unknown): Promise<void>;
  dbWrapper: { registerWrapper(fn: (name: string, db: PouchDB.Database, next: () => unknown) => unknown): void };
};
type PouchClass = PouchDB.Static & {
  allDbs?: () => Promise<string[]>;
  /** express-pouchdb's database cache (create-or-delete-dbs.js); we share it so both sides use one instance per db. */
  __dbCacheMap?: Map<string, PouchDB.Database>;
};

/** Everything a route needs; one per running server. */
export interface ServerContext {
  log: Log;
  dataDir: string;
  jwtSecret: string;
  /** The admins Basic auth accepts. */
  admins: AdminTable;
  corsOrigins: EmbeddedCouchOptions['corsOrigins'];
  /** Largest request body in bytes. */
  limit: number;
  tasks: TaskRegistry;
  security: SecurityStore;
  sandbox: Sandbox;
  validators: ValidatorCache;
  /** Serialises each (database, document id) write, and each database name's creation and deletion. */
  locks: KeyedMutex;
  /** Who the request being served is for, readable from inside express-pouchdb's PouchDB calls. */
  requestScope: AsyncLocalStorage<{ serverAdmin: boolean }>;
  /** Puts writes on disk before their answers (durable.ts); null when fsync is off (measuring only). */
  commit: GroupCommit | null;
  /** Open live `_changes` feeds; close() stops each. */
  feeds: Set<() => void>;
  /** The databases that exist (created, not deleted). */
  dbNames: Set<string>;
  /** Open databases, shared with express-pouchdb. */
  dbCache: Map<string, PouchDB.Database>;
  Pouch: PouchClass;
  expressPouch: ExpressPouchApp;
}

const require = createRequire(import.meta.url);
// express-pouchdb is CommonJS with no types; it brings its own Express 4 (its routes use Express 4 paths).
const expressPouchDB = require('express-pouchdb') as (pouch: unknown, opts: Record<string, unknown>) => ExpressPouchApp;

const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024;
// CouchDB's rule minus '/', because each database is a directory under dataDir.
export const DB_NAME = /^[a-z][a-z0-9_$()+-]*$/;

/** Database names are the LevelDB directories under dataDir (view indexes are "<db>-mrview-<hash>"). */
async function existingDbNames(dataDir: string): Promise<Set<string>> {
  return new Set(
    (await readdir(dataDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && DB_NAME.test(e.name) && !e.name.includes('-mrview-'))
      .map((e) => e.name),
  );
}

const designWriteAllowed = (ctx: Pick<ServerContext, 'requestScope'>) => () => ctx.requestScope.getStore()?.serverAdmin === true;
const onUnvalidatedWrite = (log: Log, db: string) => (ids: string[]) => log('error', 'couchdb.unvalidated_write_refused', { db, ids: ids.slice(0, 5) });

/** express-pouchdb in its `minimumForPouchDB` mode plus `routes/find`, on the same PouchDB class and cache. */
async function startExpressPouch(dataDir: string, Pouch: PouchClass, log: Log, requestScope: ServerContext['requestScope']): Promise<ExpressPouchApp> {
  const ep = expressPouchDB(null, {
    mode: 'minimumForPouchDB',
    overrideMode: { include: ['routes/find'] },
    configPath: path.join(dataDir, '_caja_config.json'),
    logPath: path.join(dataDir, '_caja_log.txt'),
  });
  ep.dbWrapper.registerWrapper((name, db, next) => {
    guardWrites(db, onUnvalidatedWrite(log, name), designWriteAllowed({ requestScope }));
    return next();
  });
  await ep.setPouchDB(Pouch);
  return ep;
}

/** Opens dataDir and builds the server's state (nothing listens yet). */
export async function createContext(opts: EmbeddedCouchOptions): Promise<ServerContext> {
  const log: Log = opts.log ?? (() => undefined);
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const tasks = createTaskRegistry((id, err) => log('warn', 'tasks.snapshot_failed', { id, error: String(err) }));
  const security = new SecurityStore(dataDir);
  const sandbox = await Sandbox.create(opts.sandboxLimits);
  const requestScope = new AsyncLocalStorage<{ serverAdmin: boolean }>();
  const dbNames = await existingDbNames(dataDir);

  const commit = (opts.fsync ?? fsyncFromEnv()) ? new GroupCommit() : null;
  if (!commit) log('warn', 'couchdb.fsync_off', { dataDir });
  // `db` (the leveldown to use) is a leveldb-adapter option missing from PouchDB's types.
  const defaults: PouchDB.Configuration.DatabaseConfiguration & { db: unknown } = { prefix: dataDir + path.sep, db: leveldownFor(commit) };
  const Pouch = PouchDB.defaults(defaults) as PouchClass;
  // Views run through this server's sandbox (couchdb/views.ts), not PouchDB's per-document `node:vm`. Set on
  // this class's own prototype: PouchDB.plugin() would change every server's.
  Object.assign(Pouch.prototype, viewEngine(sandbox, log));
  // express-pouchdb installs pouchdb-all-dbs (a hidden extra database it never closes) unless allDbs exists.
  Pouch.allDbs = async () => [...dbNames].sort();
  const dbCache = new Map<string, PouchDB.Database>();
  Pouch.__dbCacheMap = dbCache;
  const expressPouch = await startExpressPouch(dataDir, Pouch, log, requestScope);
  return {
    log,
    dataDir,
    jwtSecret: opts.jwtSecret,
    admins: new AdminTable(opts.admins),
    corsOrigins: opts.corsOrigins,
    limit: opts.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    tasks,
    security,
    sandbox,
    validators: new ValidatorCache(),
    locks: new KeyedMutex(),
    requestScope,
    commit,
    feeds: new Set(),
    dbNames,
    dbCache,
    Pouch,
    expressPouch,
  };
}

/** The open database `name` (opened on first use), with its writes guarded. */
export function getDb(ctx: ServerContext, name: string): PouchDB.Database {
  let db = ctx.dbCache.get(name);
  if (!db) {
    db = new ctx.Pouch(name);
    ctx.dbCache.set(name, db);
  }
  guardWrites(db, onUnvalidatedWrite(ctx.log, name), designWriteAllowed(ctx));
  // Document fetches by id (`_all_docs` with keys, a view's include_docs) and `_revs_diff` of new ids without a
  // point read per id where one range read answers.
  installKeyedAllDocs(db);
  installRangedRevsDiff(db);
  return db;
}

/** Hands an authorized request (its `req.url` already canonical) to express-pouchdb. */
export function delegate(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse, body?: unknown): void {
  if (body !== undefined) {
    // body-parser (inside express-pouchdb) skips requests marked as parsed; we read the body already
    // to enforce the size limit.
    Object.assign(req, { body, _body: true });
  }
  ctx.expressPouch(req, res, (err?: unknown) => {
    if (err) {
      ctx.log('error', 'couchdb.express_pouchdb_error', { url: req.url, error: String(err) });
      sendError(res, toCouchError(err, ctx.dataDir));
    } else {
      sendJson(res, 404, { error: 'not_found', reason: 'missing' });
    }
  });
}

/** The request body as JSON (undefined when empty), refused beyond the size limit. */
export async function jsonBody(ctx: ServerContext, req: http.IncomingMessage): Promise<unknown> {
  // Handed over parsed by this process's own gateway (inProcess.ts); its size was checked as Content-Length.
  const parsed = parsedBodyOf(req);
  if (parsed) return parsed.body;
  return parseJsonBody(await readBody(req, ctx.limit));
}

/** A request to one database, after authorization: what the database routes work from. */
export interface DbRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  query: Record<string, string>;
  /** The path segments after the database name. */
  rest: string[];
  /** The database, the caller and its `_security`, for writeDocs. */
  write: WriteContext;
  /** Listed in the database's `_security` admins, or a server admin. */
  dbAdmin: boolean;
}
