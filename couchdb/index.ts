// The embedded CouchDB-compatible server that `caja hq` and `caja relay` start when COUCHDB_URL is unset:
// PouchDB 9 on LevelDB behind express-pouchdb, with a front layer that makes it answer like a CouchDB 3.5
// configured from couchdb/*/local.ini — JWT only, no admin party, per-database `_security`,
// validate_doc_update on every write, a complete `_changes` — so Caja's one code path works on both.
//
// Split of work: this file parses the raw request path once (http.ts parseRequestPath), authenticates,
// authorizes every route from those segments, enforces the body limit and CORS, and answers itself
// whatever writes documents or follows changes (writes.ts, changes.ts), `_local` documents, plus the server
// endpoints CouchDB has and express-pouchdb lacks (`_up`, `_session`, `_active_tasks`, `_scheduler/jobs`,
// `_security`). Reads (`_all_docs`, views, `_find`, `_bulk_get`, `_revs_diff`, attachments) go to
// express-pouchdb in its `minimumForPouchDB` mode plus `routes/find`, which writes no config or log files
// anywhere, always with `req.url` rewritten to the canonical form of the path that was authorized.
//
// Document ids come from the path on every route that names one (PUT, DELETE, attachments, `_local`); a
// body `_id` that differs is a 400. Only POST /{db} and _bulk_docs take ids from the body, and writeDocs
// applies the same rules there (design documents: server admins only).
//
// Durability: an acknowledged write has been handed to LevelDB, whose default (non-sync) write has
// written the log record into the OS page cache with write(2) before the callback returns. That survives
// kill -9 of this process (the kernel still flushes the page cache), which compat.test.ts checks; it does
// not survive power loss or a kernel crash the way CouchDB's fsync per commit does. PouchDB exposes no
// per-write sync option, and a till's data also lives on the terminal, so we accept that.
import http from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import PouchDB from 'pouchdb';
import { AuthError, verifyCouchJwt, type UserCtx } from './jwt';
import { CouchError, badRequest, dbNotFound, tooLarge, isPlainObject, parseJsonBody, parseRequestPath, readBody, scrubReason, sendError, sendJson } from './http';
import { SecurityStore, defaultSecurity, isDbAdmin, isMember, parseSecurity } from './security';
import { Sandbox, SandboxError, type SandboxLimits } from './sandbox';
import { KeyedMutex, ValidatorCache, guardWrites, writeDocs, type Doc, type WriteContext, type WriteResult } from './writes';
import { handleChanges } from './changes';
import { createTaskRegistry, schedulerJob, type TaskRegistry } from './tasks';

export { adminToken, verifyCouchJwt, ROLES_CLAIM, type UserCtx } from './jwt';
export type { ActiveTask, TaskRegistry } from './tasks';

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
}

export interface EmbeddedCouch {
  /** http://HOST:PORT, no trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
  tasks: TaskRegistry;
}

type Log = NonNullable<EmbeddedCouchOptions['log']>;
type ExpressPouchApp = ((req: http.IncomingMessage, res: http.ServerResponse, next: (err?: unknown) => void) => void) & {
  setPouchDB(pouch: unknown): Promise<void>;
  dbWrapper: { registerWrapper(fn: (name: string, db: PouchDB.Database, next: () => unknown) => unknown): void };
};
type PouchClass = PouchDB.Static & {
  allDbs?: () => Promise<string[]>;
  /** express-pouchdb's database cache (create-or-delete-dbs.js); we share it so both sides use one instance per db. */
  __dbCacheMap?: Map<string, PouchDB.Database>;
};

const require = createRequire(import.meta.url);
// express-pouchdb is CommonJS with no types; it brings its own Express 4 (its routes use Express 4 paths).
const expressPouchDB = require('express-pouchdb') as (pouch: unknown, opts: Record<string, unknown>) => ExpressPouchApp;

const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024;
// CouchDB's rule minus '/', because each database is a directory under dataDir.
const DB_NAME = /^[a-z][a-z0-9_$()+-]*$/;
const NOT_SERVER_ADMIN = new CouchError(403, 'unauthorized', 'You are not a server admin.');
const NOT_DB_ADMIN = new CouchError(403, 'unauthorized', 'You are not a db or server admin.');
const ID_MISMATCH = new CouchError(400, 'bad_request', 'Document id must match');
const LOCAL_ATTACHMENTS = new CouchError(400, 'bad_request', 'Attachments are not supported on _local documents');
const ONLY_DOC_METHODS = new CouchError(405, 'method_not_allowed', 'Only GET,HEAD,PUT,DELETE allowed');
// Endpoints under /{db}/_… that read and are answered by express-pouchdb for POST (any other POST there
// would reach express-pouchdb's multipart document route, which writes).
const DELEGATED_POSTS = new Set(['_all_docs', '_find', '_explain', '_revs_diff', '_ensure_full_commit', '_design_docs', '_local_docs']);const FORBIDDEN_DB = new CouchError(403, 'forbidden', 'You are not allowed to access this db.');
const AUTH_REQUIRED = new CouchError(401, 'unauthorized', 'Authentication required.');
const CORS_EXPOSED = 'content-type, cache-control, accept-ranges, etag, server, x-couch-request-id, x-couch-update-newrev';
const CORS_ALLOWED = 'accept, authorization, content-type, origin, referer, x-csrf-token';

/** Maps anything thrown while answering to CouchDB's `{error, reason}`; 500 reasons never name files. */
function toCouchError(err: unknown, dataDir: string): CouchError {
  if (err instanceof CouchError) return err;
  if (err instanceof AuthError) return new CouchError(err.status, err.error, err.reason);
  // Design-document code that threw, looped or ran out of memory: CouchDB's query-server error shape.
  if (err instanceof SandboxError) return new CouchError(500, err.errorName, err.message);
  if (isPlainObject(err) || err instanceof Error) {
    const e = err as { status?: unknown; name?: unknown; message?: unknown; reason?: unknown };
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.name === 'string') {
      return new CouchError(e.status, e.name, scrubReason(String(e.reason ?? e.message ?? ''), dataDir));
    }
  }
  return new CouchError(500, 'internal_server_error', scrubReason(err instanceof Error ? err.message : String(err), dataDir));
}

/** The revision a DELETE or attachment write names: `?rev=` or an If-Match header. */
function requestRev(req: http.IncomingMessage, query: Record<string, string>): string | undefined {
  const ifMatch = req.headers['if-match'];
  return query.rev ?? (typeof ifMatch === 'string' ? ifMatch.replace(/"/g, '') : undefined);
}

export async function startEmbeddedCouch(opts: EmbeddedCouchOptions): Promise<EmbeddedCouch> {
  const log: Log = opts.log ?? (() => undefined);
  const host = opts.host ?? '127.0.0.1';
  const dataDir = path.resolve(opts.dataDir);
  const limit = opts.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  await mkdir(dataDir, { recursive: true });

  const tasks = createTaskRegistry((id, err) => log('warn', 'tasks.snapshot_failed', { id, error: String(err) }));
  const security = new SecurityStore(dataDir);
  const sandbox = await Sandbox.create(opts.sandboxLimits);
  const validators = new ValidatorCache();
  const locks = new KeyedMutex();
  // Databases being created right now: a second PUT of the same name answers 412 instead of racing it.
  const creating = new Set<string>();
  // Who the request being served is for, readable from inside express-pouchdb's PouchDB calls.
  const requestScope = new AsyncLocalStorage<{ serverAdmin: boolean }>();
  const designWriteAllowed = () => requestScope.getStore()?.serverAdmin === true;
  const feeds = new Set<() => void>();

  // Database names are the LevelDB directories under dataDir (view indexes are "<db>-mrview-<hash>").
  const dbNames = new Set(
    (await readdir(dataDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && DB_NAME.test(e.name) && !e.name.includes('-mrview-'))
      .map((e) => e.name),
  );

  const Pouch = PouchDB.defaults({ prefix: dataDir + path.sep }) as PouchClass;
  // express-pouchdb installs pouchdb-all-dbs (a hidden extra database it never closes) unless allDbs exists.
  Pouch.allDbs = async () => [...dbNames].sort();
  const dbCache = new Map<string, PouchDB.Database>();
  Pouch.__dbCacheMap = dbCache;
  const onUnvalidatedWrite = (db: string) => (ids: string[]) => log('error', 'couchdb.unvalidated_write_refused', { db, ids: ids.slice(0, 5) });

  const ep = expressPouchDB(null, {
    mode: 'minimumForPouchDB',
    overrideMode: { include: ['routes/find'] },
    configPath: path.join(dataDir, '_caja_config.json'),
    logPath: path.join(dataDir, '_caja_log.txt'),
  });
  ep.dbWrapper.registerWrapper((name, db, next) => {
    guardWrites(db, onUnvalidatedWrite(name), designWriteAllowed);
    return next();
  });
  await ep.setPouchDB(Pouch);

  function getDb(name: string): PouchDB.Database {
    let db = dbCache.get(name);
    if (!db) {
      db = new Pouch(name);
      dbCache.set(name, db);
    }
    guardWrites(db, onUnvalidatedWrite(name), designWriteAllowed);
    return db;
  }

  function delegate(req: http.IncomingMessage, res: http.ServerResponse, body?: unknown): void {
    if (body !== undefined) {
      // body-parser (inside express-pouchdb) skips requests marked as parsed; we read the body already
      // to enforce the size limit.
      Object.assign(req, { body, _body: true });
    }
    ep(req, res, (err?: unknown) => {
      if (err) {
        log('error', 'couchdb.express_pouchdb_error', { url: req.url, error: String(err) });
        sendError(res, toCouchError(err, dataDir));
      } else {
        sendJson(res, 404, { error: 'not_found', reason: 'missing' });
      }
    });
  }

  function authenticate(req: http.IncomingMessage): UserCtx {
    const header = req.headers.authorization;
    if (!header) throw AUTH_REQUIRED;
    const [scheme, credentials] = header.split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer' && credentials) return verifyCouchJwt(credentials, opts.jwtSecret);
    // No user database here: a Basic login can never succeed, so answer as CouchDB does for a bad password.
    if (scheme?.toLowerCase() === 'basic') throw new CouchError(401, 'unauthorized', 'Name or password is incorrect.');
    throw AUTH_REQUIRED;
  }

  function applyCors(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const origin = req.headers.origin;
    const allowed = opts.corsOrigins;
    if (!origin || !allowed || (allowed !== '*' && !allowed.includes(origin))) return false;
    if (allowed === '*') {
      // Any page may call, but never with the browser's credentials: a wildcard cannot carry them.
      res.setHeader('Access-Control-Allow-Origin', '*');
    } else {
      // A listed origin is echoed with credentials, as CouchDB does with `credentials = true`.
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      const requested = String(req.headers['access-control-request-headers'] ?? '');
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, PUT, POST, HEAD, DELETE',
        'Access-Control-Allow-Headers': requested ? `${CORS_ALLOWED}, ${requested}` : CORS_ALLOWED,
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return true;
    }
    return false;
  }

  async function jsonBody(req: http.IncomingMessage): Promise<unknown> {
    return parseJsonBody(await readBody(req, limit));
  }

  function sendWrite(res: http.ServerResponse, dbName: string, result: WriteResult | undefined, fallback: { id: string; rev?: string }): void {
    if (!result) {
      // new_edits=false answers nothing for a stored revision
      sendJson(res, 201, { ok: true, id: fallback.id, rev: fallback.rev });
    } else if ('ok' in result) {
      sendJson(res, 201, result, {
        ETag: `"${result.rev}"`,
        Location: `/${encodeURIComponent(dbName)}/${encodeURIComponent(result.id)}`,
      });
    } else {
      sendJson(res, result.status, { error: result.error, reason: result.reason });
    }
  }

  async function attachmentWrite(ctx: WriteContext, req: http.IncomingMessage, res: http.ServerResponse, docId: string, name: string, query: Record<string, string>): Promise<void> {
    const rev = requestRev(req, query);
    const conflict = new CouchError(409, 'conflict', 'Document update conflict.');
    let doc: Doc;
    if (rev) {
      doc = (await ctx.db.get(docId, { rev }).catch(() => {
        throw conflict;
      })) as unknown as Doc;
    } else if (req.method === 'PUT') {
      const existing = await ctx.db.get(docId).catch(() => null);
      if (existing) throw conflict;
      doc = { _id: docId };
    } else {
      throw conflict;
    }
    const attachments = isPlainObject(doc._attachments) ? { ...doc._attachments } : {};
    if (req.method === 'PUT') {
      const data = await readBody(req, limit);
      attachments[name] = { content_type: req.headers['content-type'] ?? 'application/octet-stream', data: data.toString('base64') };
    } else {
      if (!(name in attachments)) throw new CouchError(404, 'not_found', 'Document is missing attachment');
      delete attachments[name];
    }
    const [result] = await writeDocs(ctx, [{ ...doc, _attachments: attachments }], true);
    sendWrite(res, ctx.dbName, result, { id: docId });
  }

  async function serverRoute(req: http.IncomingMessage, res: http.ServerResponse, segs: string[], query: Record<string, string>, user: UserCtx): Promise<void> {
    const admin = user.roles.includes('_admin');
    const [first, second] = segs;
    const method = req.method ?? 'GET';
    if (first === '_session') {
      if (method === 'GET') {
        sendJson(res, 200, {
          ok: true,
          userCtx: { name: user.name, roles: user.roles },
          info: { authentication_handlers: ['jwt', 'cookie', 'default'], authenticated: 'jwt' },
        });
      } else if (method === 'DELETE') {
        sendJson(res, 200, { ok: true });
      } else {
        throw new CouchError(401, 'unauthorized', 'Name or password is incorrect.');
      }
      return;
    }
    if (first === '_uuids') {
      const count = query.count === undefined ? 1 : Number(query.count);
      if (!Number.isInteger(count) || count < 1) throw badRequest('count must be a positive integer');
      if (count > 1000) throw badRequest('count parameter too large');
      sendJson(res, 200, { uuids: Array.from({ length: count }, () => randomUUID().replace(/-/g, '')) }, { 'Cache-Control': 'must-revalidate, no-cache' });
      return;
    }
    if (!admin) throw NOT_SERVER_ADMIN;
    if (first === '_all_dbs' && method === 'GET') {
      sendJson(res, 200, [...dbNames].sort());
    } else if (first === '_active_tasks' && method === 'GET') {
      sendJson(res, 200, tasks.list());
    } else if (first === '_scheduler' && second === 'jobs' && method === 'GET') {
      const jobs = tasks.list().filter((t) => t.type === 'replication').map(schedulerJob);
      sendJson(res, 200, { total_rows: jobs.length, offset: 0, jobs });
    } else if (first === '_scheduler' && second === 'docs' && method === 'GET') {
      sendJson(res, 200, { total_rows: 0, offset: 0, docs: [] });
    } else if (first === '_membership' && method === 'GET') {
      sendJson(res, 200, { all_nodes: ['caja@127.0.0.1'], cluster_nodes: ['caja@127.0.0.1'] });
    } else {
      // _config, _node/*, _replicate, _users, _replicator…: not offered by the embedded server.
      sendJson(res, 404, { error: 'not_found', reason: 'missing' });
    }
  }

  /** PUT /{name}: server admins only; two simultaneous creations of one name answer 201 and 412. */
  async function createDb(res: http.ServerResponse, dbName: string): Promise<void> {
    if (!DB_NAME.test(dbName) || dbName.includes('-mrview-')) {
      throw new CouchError(400, 'illegal_database_name', `Name: '${dbName}'. Only lowercase characters (a-z), digits (0-9), and any of the characters _, $, (, ), +, and - are allowed. Must begin with a letter.`);
    }
    // Checked and reserved in one synchronous step, before any await: a second request for the same name
    // sees the reservation instead of opening the same LevelDB directory (whose LOCK error named a path).
    if (dbNames.has(dbName) || creating.has(dbName)) throw new CouchError(412, 'file_exists', 'The database could not be created, the file already exists.');
    creating.add(dbName);
    try {
      await getDb(dbName).info();
      await security.put(dbName, defaultSecurity());
      dbNames.add(dbName);
    } finally {
      creating.delete(dbName);
    }
    sendJson(res, 201, { ok: true }, { Location: `/${encodeURIComponent(dbName)}` });
  }

  /**
   * `_local` documents, answered here rather than by express-pouchdb (which took the document id from the
   * body, so `PUT /db/_local/x {"_id":"_design/evil"}` wrote a design document). The id is always
   * `_local/` + the path segment; a different body `_id` is a 400. They are not validated and any member
   * may write them, as on CouchDB; they carry no attachments.
   */
  async function localRoute(req: http.IncomingMessage, res: http.ServerResponse, db: PouchDB.Database, rest: string[], query: Record<string, string>): Promise<void> {
    const method = req.method ?? 'GET';
    const [name, ...more] = rest;
    if (!name) throw new CouchError(400, 'bad_request', 'Missing _local document id');
    if (more.length) throw LOCAL_ATTACHMENTS;
    const id = `_local/${name}`;
    if (method === 'GET' || method === 'HEAD') {
      const doc = (await db.get(id)) as unknown as Doc;
      return sendJson(res, 200, doc, { ETag: `"${doc._rev ?? ''}"` });
    }
    if (method === 'PUT') {
      if (/^multipart\//.test(req.headers['content-type'] ?? '')) throw LOCAL_ATTACHMENTS;
      const body = await jsonBody(req);
      if (!isPlainObject(body)) throw badRequest('Document must be a JSON object');
      if (body._id !== undefined && body._id !== id) throw ID_MISMATCH;
      if (body._attachments !== undefined) throw LOCAL_ATTACHMENTS;
      const doc: Record<string, unknown> = { ...body, _id: id };
      if (doc._rev === undefined && query.rev) doc._rev = query.rev;
      const result = await db.put(doc as PouchDB.Core.PutDocument<Record<string, unknown>>);
      return sendJson(res, 201, { ok: true, id, rev: result.rev }, { ETag: `"${result.rev}"` });
    }
    if (method === 'DELETE') {
      const rev = requestRev(req, query);
      if (!rev) throw new CouchError(409, 'conflict', 'Document update conflict.');
      const result = await db.remove({ _id: id, _rev: rev });
      return sendJson(res, 200, { ok: true, id, rev: result.rev });
    }
    // COPY would take its target id from a header, POST from a multipart body: neither is offered.
    throw ONLY_DOC_METHODS;
  }

  async function dbRoute(req: http.IncomingMessage, res: http.ServerResponse, segs: string[], query: Record<string, string>, user: UserCtx): Promise<void> {
    const method = req.method ?? 'GET';
    const dbName = segs[0] as string;
    const rest = segs.slice(1);
    const serverAdmin = user.roles.includes('_admin');
    const requireServerAdmin = () => {
      if (!serverAdmin) throw NOT_SERVER_ADMIN;
    };
    if (rest.length === 0 && (method === 'PUT' || method === 'DELETE')) {
      requireServerAdmin();
      if (method === 'PUT') return createDb(res, dbName);
      if (!dbNames.has(dbName)) throw dbNotFound();
      const db = getDb(dbName);
      dbCache.delete(dbName);
      dbNames.delete(dbName);
      validators.invalidate(dbName);
      await db.destroy();
      await security.remove(dbName);
      sendJson(res, 200, { ok: true });
      return;
    }
    if (!dbNames.has(dbName)) throw dbNotFound();
    const sec = await security.get(dbName);
    if (!isMember(user, sec)) throw FORBIDDEN_DB;
    const dbAdmin = isDbAdmin(user, sec);
    const db = getDb(dbName);
    const ctx: WriteContext = { db, dbName, user, sec, serverAdmin, sandbox, validators, locks };
    const requireDbAdmin = () => {
      if (!dbAdmin) throw NOT_DB_ADMIN;
    };
    const [first = '', second, third] = rest;

    if (rest.length === 0) {
      if (method === 'POST') {
        if (/^multipart\//.test(req.headers['content-type'] ?? '')) throw new CouchError(415, 'bad_content_type', 'Content-Type must be application/json');
        const body = await jsonBody(req);
        if (!isPlainObject(body)) throw badRequest('Document must be a JSON object');
        const [result] = await writeDocs(ctx, [body], true);
        sendWrite(res, dbName, result, { id: '' });
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') throw new CouchError(405, 'method_not_allowed', 'Only DELETE,GET,HEAD,POST,PUT allowed');
      return delegate(req, res);
    }

    switch (first) {
      case '_security': {
        if (method === 'GET') return sendJson(res, 200, sec);
        if (method !== 'PUT') throw new CouchError(405, 'method_not_allowed', 'Only GET,PUT allowed');
        // Server admins only (CouchDB lets db admins): `_security` decides who is a member, and so who may
        // write at all; Caja's services set it, never a store or terminal.
        requireServerAdmin();
        const parsed = parseSecurity(await jsonBody(req));
        if (typeof parsed === 'string') throw badRequest(parsed);
        await security.put(dbName, parsed);
        return sendJson(res, 200, { ok: true });
      }
      case '_changes': {
        if (method !== 'GET' && method !== 'POST') throw new CouchError(405, 'method_not_allowed', 'Only GET,POST allowed');
        const body = method === 'POST' ? await jsonBody(req) : undefined;
        if (body !== undefined && !isPlainObject(body)) throw badRequest('Request body must be a JSON object');
        return handleChanges(req, res, query, body ?? {}, { db, dbName, user, sandbox, log, feeds });
      }
      case '_bulk_docs': {
        if (method !== 'POST') throw new CouchError(405, 'method_not_allowed', 'Only POST allowed');
        const body = await jsonBody(req);
        if (!isPlainObject(body)) throw badRequest('Request body must be a JSON object');
        if (!Array.isArray(body.docs)) throw badRequest("Missing JSON list of 'docs'");
        const results = await writeDocs(ctx, body.docs, body.new_edits !== false);
        return sendJson(res, 201, results.map((r) => ('ok' in r ? r : { id: r.id, error: r.error, reason: r.reason })));
      }
      case '_bulk_get': {
        // express-pouchdb flattens PouchDB's {error: {...}} entries into `{}`; answer in CouchDB's shape.
        if (method !== 'POST') throw new CouchError(405, 'method_not_allowed', 'Only POST allowed');
        const body = await jsonBody(req);
        if (!isPlainObject(body) || !Array.isArray(body.docs)) throw badRequest("Missing JSON list of 'docs'");
        const flags = Object.fromEntries(['revs', 'attachments', 'latest'].filter((k) => query[k] === 'true').map((k) => [k, true]));
        const result = await db.bulkGet({ ...flags, docs: body.docs } as PouchDB.Core.BulkGetOptions);
        const results = result.results.map((r) => ({
          id: r.id,
          docs: r.docs.map((d) => {
            if ('ok' in d) return d;
            const e = d.error as unknown as { name?: string; message?: string; reason?: string; rev?: string };
            return { error: { id: r.id, rev: e.rev ?? 'undefined', error: e.name ?? 'not_found', reason: e.reason ?? e.message ?? 'missing' } };
          }),
        }));
        return sendJson(res, 200, { results });
      }
      case '_temp_view':
        // CouchDB 3 removed temporary views; express-pouchdb would evaluate the posted map in this process.
        throw new CouchError(410, 'gone', 'Temporary views are not supported in CouchDB');
      case '_purge':
        // Purging a design document's revisions would drop its validate_doc_update: server admins only.
        requireServerAdmin();
        return delegate(req, res, method === 'POST' ? ((await jsonBody(req)) ?? {}) : undefined);
      case '_compact':
      case '_view_cleanup':
      case '_revs_limit':
      case '_purged_infos_limit':
        requireDbAdmin();
        return delegate(req, res, method === 'POST' || method === 'PUT' ? ((await jsonBody(req)) ?? {}) : undefined);
      case '_index':
        // Creating or deleting an index writes a design document (pouchdb-find): server admins only.
        if (method !== 'GET' && method !== 'HEAD') requireServerAdmin();
        return delegate(req, res, method === 'POST' ? ((await jsonBody(req)) ?? {}) : undefined);
      case '_local':
        return localRoute(req, res, db, rest.slice(1), query);
      default:
        break;
    }

    // Documents and attachments: `/db/_design/name[/att]` (parseRequestPath already split `_design%2Fname`)
    // or `/db/docid[/att]`.
    let docId: string;
    let attParts: string[];
    if (first === '_design') {
      if (!second) throw new CouchError(404, 'not_found', 'missing');
      docId = `_design/${second}`;
      attParts = rest.slice(2);
      if (third?.startsWith('_')) {
        // Views are reads for members; nothing else under a design document (_show, _list, _update,
        // _rewrite) is offered.
        if (third === '_view' && (method === 'GET' || method === 'HEAD' || method === 'POST')) {
          return delegate(req, res, method === 'POST' ? ((await jsonBody(req)) ?? {}) : undefined);
        }
        if (third === '_info' && (method === 'GET' || method === 'HEAD')) return delegate(req, res);
        throw new CouchError(404, 'not_found', 'missing');
      }
    } else if (first.startsWith('_') && method !== 'PUT' && method !== 'DELETE') {
      // _all_docs, _revs_diff, _find, _explain, _ensure_full_commit, _design_docs…
      if (method === 'GET' || method === 'HEAD') return delegate(req, res);
      if (method === 'POST' && DELEGATED_POSTS.has(first)) return delegate(req, res, (await jsonBody(req)) ?? {});
      throw new CouchError(404, 'not_found', 'missing');
    } else {
      docId = first;
      attParts = rest.slice(1);
    }

    if (attParts.length > 0) {
      if (method === 'GET' || method === 'HEAD') return delegate(req, res);
      if (method !== 'PUT' && method !== 'DELETE') throw new CouchError(405, 'method_not_allowed', 'Only GET,HEAD,PUT,DELETE allowed');
      return attachmentWrite(ctx, req, res, docId, attParts.join('/'), query);
    }
    if (method === 'GET' || method === 'HEAD') return delegate(req, res);
    if (method === 'PUT') {
      if (/^multipart\//.test(req.headers['content-type'] ?? '')) throw new CouchError(415, 'bad_content_type', 'Content-Type must be application/json');
      const body = await jsonBody(req);
      if (!isPlainObject(body)) throw badRequest('Document must be a JSON object');
      // The path names the document; a body naming another is refused, never silently obeyed or ignored.
      if (body._id !== undefined && body._id !== docId) throw ID_MISMATCH;
      const doc: Record<string, unknown> = { ...body, _id: docId };
      if (query.rev && doc._rev === undefined) doc._rev = query.rev;
      const newEdits = query.new_edits !== 'false';
      const [result] = await writeDocs(ctx, [doc], newEdits);
      return sendWrite(res, dbName, result, { id: docId, rev: typeof doc._rev === 'string' ? doc._rev : undefined });
    }
    if (method === 'DELETE') {
      const rev = requestRev(req, query);
      if (!rev) throw new CouchError(409, 'conflict', 'Document update conflict.');
      const [result] = await writeDocs(ctx, [{ _id: docId, _rev: rev, _deleted: true }], true);
      return sendWrite(res, dbName, result, { id: docId });
    }
    // COPY (target id from a Destination header) and multipart POST would write around these rules.
    throw ONLY_DOC_METHODS;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (applyCors(req, res)) return;
    // The raw target, parsed once: authorization and execution both use exactly these segments.
    const { segs, query, canonicalUrl } = parseRequestPath(req.url ?? '/');
    req.url = canonicalUrl;
    const method = req.method ?? 'GET';

    if (segs.length === 0 && (method === 'GET' || method === 'HEAD')) {
      return sendJson(res, 200, {
        couchdb: 'Welcome',
        version: '3.5.0',
        vendor: { name: 'Caja embedded server (PouchDB 9 + express-pouchdb)' },
        features: ['access-ready'],
      });
    }
    if (segs.length === 1 && segs[0] === '_up' && (method === 'GET' || method === 'HEAD')) {
      return sendJson(res, 200, { status: 'ok', seeds: {} });
    }
    const user = authenticate(req);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) throw tooLarge();
    if (segs.length === 0) throw new CouchError(405, 'method_not_allowed', 'Only GET,HEAD allowed');
    const route = (segs[0] as string).startsWith('_') ? serverRoute : dbRoute;
    return requestScope.run({ serverAdmin: user.roles.includes('_admin') }, () => route(req, res, segs, query, user));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const couchErr = toCouchError(err, dataDir);
      if (couchErr.status >= 500) log('error', 'couchdb.request_failed', { method: req.method, url: req.url, error: err instanceof Error ? err.stack : String(err) });
      // A refused body may still be streaming in; answer, then drop the connection instead of reading it.
      if (couchErr.status === 413) res.setHeader('Connection', 'close');
      sendError(res, couchErr);
    });
  });
  server.on('clientError', (err, socket) => {
    log('debug', 'couchdb.client_error', { error: err.message });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  // express-pouchdb's callback-era code has promise chains without a catch; Node 20 would end the process
  // on such a rejection. While the server runs, log them instead: one client request must never take a
  // relay down.
  const onRejection = (reason: unknown) => log('error', 'couchdb.unhandled_rejection', { error: reason instanceof Error ? reason.stack : String(reason) });
  process.on('unhandledRejection', onRejection);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  log('info', 'couchdb.started', { port, dataDir });

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const stop of [...feeds]) stop();
    server.closeIdleConnections();
    // In-flight requests get a moment to finish; then connections are cut so close() always returns.
    const deadline = setTimeout(() => server.closeAllConnections(), 2_000);
    await closed;
    clearTimeout(deadline);
    // Close view-index databases too (listed in each database's _local/_pouch_dependentDbs): a LevelDB
    // left open keeps its LOCK, and the next process on this dataDir could not open it.
    for (const [name, db] of dbCache) {
      const deps = (await db.get('_local/_pouch_dependentDbs').catch(() => null)) as { dependentDbs?: unknown } | null;
      const depNames = deps && isPlainObject(deps.dependentDbs) ? Object.keys(deps.dependentDbs) : [];
      for (const depName of depNames) {
        await new Pouch(depName).close().catch((err: unknown) => log('warn', 'couchdb.close_failed', { db: depName, error: String(err) }));
      }
      await db.close().catch((err: unknown) => log('warn', 'couchdb.close_failed', { db: name, error: String(err) }));
    }
    dbCache.clear();
    sandbox.close();
    process.off('unhandledRejection', onRejection);
    log('info', 'couchdb.stopped', { port });
  }

  return {
    url: `http://${urlHost}:${port}`,
    port,
    tasks,
    close: () => (closing ??= close()),
  };
}
