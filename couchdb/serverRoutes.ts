// Server endpoints under `/_…` that CouchDB has and express-pouchdb lacks: `_session` and `_uuids` for
// any authenticated caller; `_all_dbs`, `_dbs_info`, `_active_tasks`, `_scheduler/*` and `_membership` for
// server admins. Everything else there (`_config`, `_node/*`, `_replicate`, `_users`…) is not offered; a
// caller who is not a server admin is refused there with CouchDB's status and error, offered or not.
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { UserCtx } from './jwt';
import { badRequest, dbNotFound, sendJson, type CouchError } from './http';
import { getDb, jsonBody, type ServerContext } from './context';
import { BAD_LOGIN, FORBIDDEN_DB, MISSING, NOT_METRICS_ADMIN, NOT_SERVER_ADMIN, onlyMethods } from './errors';
import { schedulerJob } from './tasks';

/** `_session`: who the token says the caller is; there is no cookie login to create. */
function session(res: http.ServerResponse, method: string, user: UserCtx): void {
  if (method === 'GET') {
    sendJson(res, 200, {
      ok: true,
      userCtx: { name: user.name, roles: user.roles },
      info: { authentication_handlers: ['jwt', 'cookie', 'default'], authenticated: user.authenticated ?? 'jwt' },
    });
  } else if (method === 'DELETE') {
    sendJson(res, 200, { ok: true });
  } else {
    throw BAD_LOGIN();
  }
}

function uuids(res: http.ServerResponse, query: Record<string, string>): void {
  const count = query.count === undefined ? 1 : Number(query.count);
  if (!Number.isInteger(count) || count < 1) throw badRequest('count must be a positive integer');
  if (count > 1000) throw badRequest('count parameter too large');
  sendJson(res, 200, { uuids: Array.from({ length: count }, () => randomUUID().replace(/-/g, '')) }, { 'Cache-Control': 'must-revalidate, no-cache' });
}

/** CouchDB's default `max_db_number_for_dbs_info_req`: more keys in one `_dbs_info` request are refused. */
const DBS_INFO_MAX_KEYS = 100;

/**
 * `POST /_dbs_info {"keys": [...]}`: several databases' info in one request (what a caller polling many
 * databases for changes needs: `update_seq`), `{key, info}` or `{key, error: "not_found"}` per key.
 */
async function dbsInfo(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = await jsonBody(ctx, req);
  const keys = (body as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw badRequest('`keys` member must exist.');
  if (keys.length > DBS_INFO_MAX_KEYS) throw badRequest(`\`keys\` member must be less than or equal to ${DBS_INFO_MAX_KEYS}`);
  const rows = await Promise.all(
    keys.map(async (key) => {
      if (!ctx.dbNames.has(key)) return { key, error: 'not_found' };
      const info = await getDb(ctx, key).info();
      return { key, info: { db_name: key, doc_count: info.doc_count, doc_del_count: 0, update_seq: info.update_seq } };
    }),
  );
  sendJson(res, 200, rows);
}

/** The server admins' read-only endpoints (GET or HEAD): path -> answer. */
const ADMIN_READS: Record<string, (ctx: ServerContext, res: http.ServerResponse) => void> = {
  _all_dbs: (ctx, res) => sendJson(res, 200, [...ctx.dbNames].sort()),
  _active_tasks: (ctx, res) => sendJson(res, 200, ctx.tasks.list()),
  '_scheduler/jobs': (ctx, res) => {
    const jobs = ctx.tasks.list().filter((t) => t.type === 'replication').map(schedulerJob);
    sendJson(res, 200, { total_rows: jobs.length, offset: 0, jobs });
  },
  '_scheduler/docs': (_ctx, res) => sendJson(res, 200, { total_rows: 0, offset: 0, docs: [] }),
  _membership: (_ctx, res) => sendJson(res, 200, { all_nodes: ['caja@127.0.0.1'], cluster_nodes: ['caja@127.0.0.1'] }),
};

/** Answers a server admin; any path not offered is 404 as on a CouchDB without it, a wrong method 405. */
function adminEndpoint(ctx: ServerContext, res: http.ServerResponse, method: string, segs: string[]): void {
  const answer = ADMIN_READS[segs.join('/')];
  if (!answer) {
    // _config, _node/*, _replicate, _users, _replicator…: not offered by the embedded server.
    sendJson(res, 404, { error: 'not_found', reason: 'Database does not exist.' });
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') throw onlyMethods('GET,HEAD');
  answer(ctx, res);
}

/**
 * CouchDB 3.5's refusal of a caller who is not a server admin on a `/_…` path (checked against a real
 * CouchDB in compat.test.ts): 401 for the server-admin endpoints, whether or not this server offers them;
 * 403 `forbidden` for the system databases, which are databases the caller is not a member of; 404 for
 * paths CouchDB itself does not serve.
 */
function notServerAdmin(segs: string[]): CouchError {
  const [first, , third] = segs;
  if (first === '_users' || first === '_replicator') return FORBIDDEN_DB;
  if (first === '_stats') return dbNotFound();
  if (first === '_utils') return MISSING();
  if (first === '_node' && (third === '_stats' || third === '_system' || third === '_prometheus')) return NOT_METRICS_ADMIN;
  return NOT_SERVER_ADMIN;
}

export async function serverRoute(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse, segs: string[], query: Record<string, string>, user: UserCtx): Promise<void> {
  const first = segs[0];
  const method = req.method ?? 'GET';
  if (first === '_session') return session(res, method, user);
  if (first === '_uuids') return uuids(res, query);
  if (!user.roles.includes('_admin')) throw notServerAdmin(segs);
  if (first === '_dbs_info' && method === 'POST') return dbsInfo(ctx, req, res);
  adminEndpoint(ctx, res, method, segs);
}
