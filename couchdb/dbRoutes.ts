// Database routes: creating and deleting a database (server admins), the member check against its
// `_security`, and the database endpoints this layer answers itself (`_security`, `_changes`,
// `_bulk_docs`, `_bulk_get`, maintenance). Documents go on to docRoutes.ts.
import type http from 'node:http';
import type { UserCtx } from './jwt';
import { CouchError, badRequest, dbNotFound, isPlainObject, queryJson, sendJson } from './http';
import { DB_NAME, delegate, getDb, jsonBody, type DbRequest, type ServerContext } from './context';
import { FORBIDDEN_DB, NOT_DB_ADMIN, NOT_JSON, NOT_SERVER_ADMIN, SERVER_ADMIN_ONLY, onlyMethods } from './errors';
import { defaultSecurity, isDbAdmin, isMember, parseSecurity } from './security';
import { writeDocs } from './writes';
import { handleChanges } from './changes';
import { docRoute, localRoute, sendWrite } from './docRoutes';

type Endpoint = (ctx: ServerContext, r: DbRequest) => Promise<void>;

const requireServerAdmin = (r: DbRequest, refusal = NOT_SERVER_ADMIN) => {
  if (!r.write.serverAdmin) throw refusal;
};

/** Creations and deletions of one database name run one at a time (a lock key no document id can take). */
const lifecycleKey = (dbName: string) => `\u0001db\u0000${dbName}`;

/** Hands the request to express-pouchdb, with its JSON body (`{}` when empty) when `withBody`. */
async function delegateWithBody(ctx: ServerContext, r: DbRequest, withBody: boolean): Promise<void> {
  return delegate(ctx, r.req, r.res, withBody ? ((await jsonBody(ctx, r.req)) ?? {}) : undefined);
}

/**
 * PUT /{name}: server admins only. Creations and deletions of one name are serialised, so simultaneous
 * creations answer one 201 and 412 for the rest, and a creation racing a deletion never opens the LevelDB
 * directory while it is being destroyed (that answered 500 with the server's data path, or never).
 */
async function createDb(ctx: ServerContext, res: http.ServerResponse, dbName: string): Promise<void> {
  if (!DB_NAME.test(dbName) || dbName.includes('-mrview-')) {
    throw new CouchError(400, 'illegal_database_name', `Name: '${dbName}'. Only lowercase characters (a-z), digits (0-9), and any of the characters _, $, (, ), +, and - are allowed. Must begin with a letter.`);
  }
  const exists = () => new CouchError(412, 'file_exists', 'The database could not be created, the file already exists.');
  if (ctx.dbNames.has(dbName)) throw exists();
  await ctx.locks.run([lifecycleKey(dbName)], async () => {
    if (ctx.dbNames.has(dbName)) throw exists();
    try {
      await getDb(ctx, dbName).info();
      await ctx.security.put(dbName, defaultSecurity());
      ctx.dbNames.add(dbName);
    } catch (err) {
      ctx.dbCache.delete(dbName);
      throw err;
    }
  });
  sendJson(res, 201, { ok: true }, { Location: `/${encodeURIComponent(dbName)}` });
}

/** DELETE /{name}: server admins only; the database, its validators and its `_security` go. */
async function deleteDb(ctx: ServerContext, res: http.ServerResponse, dbName: string): Promise<void> {
  await ctx.locks.run([lifecycleKey(dbName)], async () => {
    if (!ctx.dbNames.has(dbName)) throw dbNotFound();
    const db = getDb(ctx, dbName);
    ctx.dbCache.delete(dbName);
    ctx.dbNames.delete(dbName);
    ctx.validators.invalidate(dbName);
    await db.destroy();
    await ctx.security.remove(dbName);
  });
  sendJson(res, 200, { ok: true });
}

/** /{db} itself: GET/HEAD is its info (express-pouchdb), POST a new document with a body-chosen id. */
async function dbRoot(ctx: ServerContext, r: DbRequest): Promise<void> {
  if (r.method === 'POST') {
    if (/^multipart\//.test(r.req.headers['content-type'] ?? '')) throw NOT_JSON();
    const body = await jsonBody(ctx, r.req);
    if (!isPlainObject(body)) throw badRequest('Document must be a JSON object');
    const [result] = await writeDocs(r.write, [body], true);
    sendWrite(r.res, r.write.dbName, result, { id: '' });
    return;
  }
  if (r.method !== 'GET' && r.method !== 'HEAD') throw onlyMethods('DELETE,GET,HEAD,POST,PUT');
  return delegate(ctx, r.req, r.res);
}

const securityEndpoint: Endpoint = async (ctx, r) => {
  if (r.method === 'GET') return sendJson(r.res, 200, r.write.sec);
  if (r.method !== 'PUT') throw onlyMethods('GET,PUT');
  // Server admins only (CouchDB lets db admins): `_security` decides who is a member, and so who may
  // write at all; Caja's services set it, never a store or terminal.
  requireServerAdmin(r, SERVER_ADMIN_ONLY);
  const parsed = parseSecurity(await jsonBody(ctx, r.req));
  if (typeof parsed === 'string') throw badRequest(parsed);
  await ctx.security.put(r.write.dbName, parsed);
  return sendJson(r.res, 200, { ok: true });
};

const changesEndpoint: Endpoint = async (ctx, r) => {
  if (r.method !== 'GET' && r.method !== 'POST') throw onlyMethods('GET,POST');
  const body = r.method === 'POST' ? await jsonBody(ctx, r.req) : undefined;
  if (body !== undefined && !isPlainObject(body)) throw badRequest('Request body must be a JSON object');
  const { db, dbName, user, sandbox } = r.write;
  return handleChanges(r.req, r.res, r.query, body ?? {}, { db, dbName, user, sandbox, log: ctx.log, feeds: ctx.feeds });
};

const bulkDocsEndpoint: Endpoint = async (ctx, r) => {
  if (r.method !== 'POST') throw onlyMethods('POST');
  const body = await jsonBody(ctx, r.req);
  if (!isPlainObject(body)) throw badRequest('Request body must be a JSON object');
  if (!Array.isArray(body.docs)) throw badRequest("Missing JSON list of 'docs'");
  const results = await writeDocs(r.write, body.docs, body.new_edits !== false);
  return sendJson(r.res, 201, results.map((x) => ('ok' in x ? x : { id: x.id, error: x.error, reason: x.reason })));
};

/** express-pouchdb flattens PouchDB's {error: {...}} entries into `{}`; this answers in CouchDB's shape. */
const bulkGetEndpoint: Endpoint = async (ctx, r) => {
  if (r.method !== 'POST') throw onlyMethods('POST');
  const body = await jsonBody(ctx, r.req);
  if (!isPlainObject(body) || !Array.isArray(body.docs)) throw badRequest("Missing JSON list of 'docs'");
  const flags = Object.fromEntries(['revs', 'attachments', 'latest'].filter((k) => r.query[k] === 'true').map((k) => [k, true]));
  const result = await r.write.db.bulkGet({ ...flags, docs: body.docs });
  const results = result.results.map((row) => ({
    id: row.id,
    docs: row.docs.map((d) => {
      if ('ok' in d) return d;
      const e = d.error as unknown as { name?: string; message?: string; reason?: string; rev?: string };
      return { error: { id: row.id, rev: e.rev ?? 'undefined', error: e.name ?? 'not_found', reason: e.reason ?? e.message ?? 'missing' } };
    }),
  }));
  return sendJson(r.res, 200, { results });
};

/** CouchDB 3 removed temporary views; express-pouchdb would evaluate the posted map in this process. */
const tempViewEndpoint: Endpoint = async () => {
  throw new CouchError(410, 'gone', 'Temporary views are not supported in CouchDB');
};

/** Purging a design document's revisions would drop its validate_doc_update: server admins only. */
const purgeEndpoint: Endpoint = async (ctx, r) => {
  requireServerAdmin(r);
  return delegateWithBody(ctx, r, r.method === 'POST');
};

const maintenanceEndpoint: Endpoint = async (ctx, r) => {
  if (!r.dbAdmin) throw NOT_DB_ADMIN;
  return delegateWithBody(ctx, r, r.method === 'POST' || r.method === 'PUT');
};

/** Creating or deleting an index writes a design document (pouchdb-find): server admins only. */
const indexEndpoint: Endpoint = async (ctx, r) => {
  if (r.method !== 'GET' && r.method !== 'HEAD') requireServerAdmin(r, SERVER_ADMIN_ONLY);
  return delegateWithBody(ctx, r, r.method === 'POST');
};

/**
 * `/{db}/_local_docs` by `keys` (POST body or `?keys=`), with `include_docs`: several `_local` documents in
 * one request, as CouchDB answers it. Listing every `_local` document (no keys) is not offered: PouchDB keeps
 * no index of them.
 */
const localDocsEndpoint: Endpoint = async (ctx, r) => {
  if (r.method !== 'GET' && r.method !== 'POST') throw onlyMethods('GET,POST');
  const body = r.method === 'POST' ? await jsonBody(ctx, r.req) : undefined;
  const keys = r.method === 'POST' ? (body as { keys?: unknown } | undefined)?.keys : r.query.keys === undefined ? undefined : queryJson(r.query.keys);
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw badRequest('The embedded server lists _local documents by `keys` only.');
  const includeDocs = r.query.include_docs === 'true' || (isPlainObject(body) && body.include_docs === true);
  const rows = await Promise.all(
    keys.map(async (key) => {
      const doc = key.startsWith('_local/') ? await r.write.db.get<Record<string, unknown>>(key).catch(() => null) : null;
      if (!doc) return { key, error: 'not_found' };
      return { id: key, key, value: { rev: doc._rev }, ...(includeDocs ? { doc } : {}) };
    }),
  );
  sendJson(r.res, 200, { total_rows: rows.length, offset: null, rows });
};

/** `/{db}/_…` endpoints answered here; any other path goes on to the document routes. */
const DB_ENDPOINTS = new Map<string, Endpoint>([
  ['_security', securityEndpoint],
  ['_changes', changesEndpoint],
  ['_bulk_docs', bulkDocsEndpoint],
  ['_bulk_get', bulkGetEndpoint],
  ['_temp_view', tempViewEndpoint],
  ['_purge', purgeEndpoint],
  ['_compact', maintenanceEndpoint],
  ['_view_cleanup', maintenanceEndpoint],
  ['_revs_limit', maintenanceEndpoint],
  ['_purged_infos_limit', maintenanceEndpoint],
  ['_index', indexEndpoint],
  ['_local', localRoute],
  ['_local_docs', localDocsEndpoint],
]);

/** Every `/{db}…` request: create/delete, then the member check, then the endpoint or document route. */
export async function dbRoute(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse, segs: string[], query: Record<string, string>, user: UserCtx): Promise<void> {
  const method = req.method ?? 'GET';
  const dbName = segs[0] as string;
  const rest = segs.slice(1);
  const serverAdmin = user.roles.includes('_admin');
  if (rest.length === 0 && (method === 'PUT' || method === 'DELETE')) {
    if (!serverAdmin) throw NOT_SERVER_ADMIN;
    return method === 'PUT' ? createDb(ctx, res, dbName) : deleteDb(ctx, res, dbName);
  }
  if (!ctx.dbNames.has(dbName)) throw dbNotFound();
  const sec = await ctx.security.get(dbName);
  // Deleted (or being deleted) while `_security` was read: never reopen its directory.
  if (!ctx.dbNames.has(dbName)) throw dbNotFound();
  if (!isMember(user, sec)) throw FORBIDDEN_DB;
  const { sandbox, validators, locks } = ctx;
  const r: DbRequest = {
    req,
    res,
    method,
    query,
    rest,
    write: { db: getDb(ctx, dbName), dbName, user, sec, serverAdmin, sandbox, validators, locks },
    dbAdmin: isDbAdmin(user, sec),
  };
  if (rest.length === 0) return dbRoot(ctx, r);
  const endpoint = DB_ENDPOINTS.get(rest[0] ?? '');
  return endpoint ? endpoint(ctx, r) : docRoute(ctx, r);
}
