// The embedded CouchDB-compatible server that `caja hq` and `caja relay` start when COUCHDB_URL is unset:
// PouchDB 9 on LevelDB behind express-pouchdb, with a front layer that makes it answer like a CouchDB 3.5
// configured from couchdb/*/local.ini — JWT only, no admin party, per-database `_security`,
// validate_doc_update on every write, a complete `_changes` — so Caja's one code path works on both.
//
// Split of work: this file authenticates, authorizes every route by parsing the database name from the
// path, enforces the body limit and CORS, and answers itself whatever writes documents or follows
// changes (writes.ts, changes.ts) plus the server endpoints CouchDB has and express-pouchdb lacks
// (`_up`, `_session`, `_active_tasks`, `_scheduler/jobs`, `_security`). Reads (`_all_docs`, views,
// `_find`, `_bulk_get`, `_revs_diff`, `_local`, attachments) go to express-pouchdb in its
// `minimumForPouchDB` mode plus `routes/find`, which writes no config or log files anywhere.
//
// Durability: an acknowledged write has been handed to LevelDB, whose default (non-sync) write has
// written the log record into the OS page cache with write(2) before the callback returns. That survives
// kill -9 of this process (the kernel still flushes the page cache), which compat.test.ts checks; it does
// not survive power loss or a kernel crash the way CouchDB's fsync per commit does. PouchDB exposes no
// per-write sync option, and a till's data also lives on the terminal, so we accept that.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import PouchDB from 'pouchdb';
import { AuthError, verifyCouchJwt, type UserCtx } from './jwt';
import { CouchError, badRequest, dbNotFound, tooLarge, isPlainObject, parseJsonBody, readBody, sendError, sendJson } from './http';
import { SecurityStore, defaultSecurity, isDbAdmin, isMember, parseSecurity } from './security';
import { Sandbox } from './sandbox';
import { ValidatorCache, guardWrites, writeDocs, type Doc, type WriteContext, type WriteResult } from './writes';
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
  /** Browser origins allowed by CORS (CouchDB's [cors] origins); '*' echoes any origin. Default: none. */
  corsOrigins?: string[] | '*';
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
const FORBIDDEN_DB = new CouchError(403, 'forbidden', 'You are not allowed to access this db.');
const AUTH_REQUIRED = new CouchError(401, 'unauthorized', 'Authentication required.');
const CORS_EXPOSED = 'content-type, cache-control, accept-ranges, etag, server, x-couch-request-id, x-couch-update-newrev';
const CORS_ALLOWED = 'accept, authorization, content-type, origin, referer, x-csrf-token';

/** Maps anything thrown while answering to CouchDB's `{error, reason}`. */
function toCouchError(err: unknown): CouchError {
  if (err instanceof CouchError) return err;
  if (err instanceof AuthError) return new CouchError(err.status, err.error, err.reason);
  if (isPlainObject(err) || err instanceof Error) {
    const e = err as { status?: unknown; name?: unknown; message?: unknown; reason?: unknown };
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.name === 'string') {
      return new CouchError(e.status, e.name, String(e.reason ?? e.message ?? ''));
    }
  }
  return new CouchError(500, 'internal_server_error', err instanceof Error ? err.message : String(err));
}

export async function startEmbeddedCouch(opts: EmbeddedCouchOptions): Promise<EmbeddedCouch> {
  const log: Log = opts.log ?? (() => undefined);
  const host = opts.host ?? '127.0.0.1';
  const dataDir = path.resolve(opts.dataDir);
  const limit = opts.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  await mkdir(dataDir, { recursive: true });

  const tasks = createTaskRegistry((id, err) => log('warn', 'tasks.snapshot_failed', { id, error: String(err) }));
  const security = new SecurityStore(dataDir);
  const sandbox = new Sandbox();
  const validators = new ValidatorCache();
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
    guardWrites(db, onUnvalidatedWrite(name));
    return next();
  });
  await ep.setPouchDB(Pouch);

  function getDb(name: string): PouchDB.Database {
    let db = dbCache.get(name);
    if (!db) {
      db = new Pouch(name);
      dbCache.set(name, db);
    }
    guardWrites(db, onUnvalidatedWrite(name));
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
        sendError(res, toCouchError(err));
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
    // Echo the origin (never '*') so browsers accept credentials, as CouchDB does with credentials = true.
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED);
    res.setHeader('Vary', 'Origin');
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
    const rev = query.rev ?? (typeof req.headers['if-match'] === 'string' ? req.headers['if-match'].replace(/"/g, '') : undefined);
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

  async function dbRoute(req: http.IncomingMessage, res: http.ServerResponse, segs: string[], query: Record<string, string>, user: UserCtx): Promise<void> {
    const method = req.method ?? 'GET';
    const dbName = segs[0] as string;
    const rest = segs.slice(1);
    if (rest.length === 0 && (method === 'PUT' || method === 'DELETE')) {
      if (!user.roles.includes('_admin')) throw NOT_SERVER_ADMIN;
      if (method === 'PUT') {
        if (!DB_NAME.test(dbName) || dbName.includes('-mrview-')) {
          throw new CouchError(400, 'illegal_database_name', `Name: '${dbName}'. Only lowercase characters (a-z), digits (0-9), and any of the characters _, $, (, ), +, and - are allowed. Must begin with a letter.`);
        }
        if (dbNames.has(dbName)) throw new CouchError(412, 'file_exists', 'The database could not be created, the file already exists.');
        await getDb(dbName).info();
        await security.put(dbName, defaultSecurity());
        dbNames.add(dbName);
        sendJson(res, 201, { ok: true }, { Location: `/${encodeURIComponent(dbName)}` });
      } else {
        if (!dbNames.has(dbName)) throw dbNotFound();
        const db = getDb(dbName);
        dbCache.delete(dbName);
        dbNames.delete(dbName);
        validators.invalidate(dbName);
        await db.destroy();
        await security.remove(dbName);
        sendJson(res, 200, { ok: true });
      }
      return;
    }
    if (!dbNames.has(dbName)) throw dbNotFound();
    const sec = await security.get(dbName);
    if (!isMember(user, sec)) throw FORBIDDEN_DB;
    const dbAdmin = isDbAdmin(user, sec);
    const db = getDb(dbName);
    const ctx: WriteContext = { db, dbName, user, sec, dbAdmin, sandbox, validators };
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
      return delegate(req, res);
    }

    switch (first) {
      case '_security': {
        if (method === 'GET') return sendJson(res, 200, sec);
        if (method !== 'PUT') throw new CouchError(405, 'method_not_allowed', 'Only GET,PUT allowed');
        requireDbAdmin();
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
      case '_compact':
      case '_view_cleanup':
      case '_temp_view':
      case '_purge':
      case '_revs_limit':
      case '_purged_infos_limit':
        requireDbAdmin();
        return delegate(req, res, method === 'POST' || method === 'PUT' ? ((await jsonBody(req)) ?? {}) : undefined);
      case '_index':
        if (method !== 'GET') requireDbAdmin();
        return delegate(req, res, method === 'POST' ? ((await jsonBody(req)) ?? {}) : undefined);
      case '_local':
        return delegate(req, res, method === 'PUT' || method === 'POST' ? ((await jsonBody(req)) ?? {}) : undefined);
      default:
        break;
    }

    // Documents and attachments: `/db/_design/name[/att]` or `/db/docid[/att]`, where a docid may
    // carry an encoded slash (`_design%2Fname`).
    let docId: string;
    let attParts: string[];
    if (first === '_design') {
      if (!second) throw new CouchError(404, 'not_found', 'missing');
      docId = `_design/${second}`;
      attParts = rest.slice(2);
      if (third?.startsWith('_')) {
        // _view, _info, _show, _list…: reads for members; anything that writes is refused by guardWrites.
        return delegate(req, res, method === 'POST' ? ((await jsonBody(req)) ?? {}) : undefined);
      }
    } else if (first.startsWith('_') && !first.startsWith('_design/') && method !== 'PUT' && method !== 'DELETE') {
      // _all_docs, _bulk_get, _revs_diff, _find, _explain, _ensure_full_commit, _design_docs…
      return delegate(req, res, method === 'POST' ? ((await jsonBody(req)) ?? {}) : undefined);
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
      const doc: Record<string, unknown> = { ...body, _id: docId };
      if (query.rev && doc._rev === undefined) doc._rev = query.rev;
      const newEdits = query.new_edits !== 'false';
      const [result] = await writeDocs(ctx, [doc], newEdits);
      return sendWrite(res, dbName, result, { id: docId, rev: typeof doc._rev === 'string' ? doc._rev : undefined });
    }
    if (method === 'DELETE') {
      const rev = query.rev ?? (typeof req.headers['if-match'] === 'string' ? req.headers['if-match'].replace(/"/g, '') : undefined);
      if (!rev) throw new CouchError(409, 'conflict', 'Document update conflict.');
      const [result] = await writeDocs(ctx, [{ _id: docId, _rev: rev, _deleted: true }], true);
      return sendWrite(res, dbName, result, { id: docId });
    }
    // COPY and multipart POST would write around validation; CouchDB clients in Caja never use them.
    throw new CouchError(405, 'method_not_allowed', 'Only GET,HEAD,PUT,DELETE allowed');
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (applyCors(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://embedded');
    let segs: string[];
    try {
      segs = url.pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
    } catch {
      throw badRequest('Invalid URL encoding');
    }
    while (segs.length > 0 && segs[segs.length - 1] === '') segs.pop();
    const query = Object.fromEntries(url.searchParams);
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
    if ((segs[0] as string).startsWith('_')) return serverRoute(req, res, segs, query, user);
    return dbRoute(req, res, segs, query, user);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const couchErr = toCouchError(err);
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
