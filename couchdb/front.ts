// The front of the embedded server: CORS, the raw request path parsed once (http.ts parseRequestPath),
// authentication, the body limit, and routing to the server or database routes; anything thrown is
// answered as CouchDB's `{error, reason}`.
import http from 'node:http';
import { verifyCouchJwt, type UserCtx } from './jwt';
import { parseRequestPath, sendError, sendJson, tooLarge } from './http';
import type { ServerContext } from './context';
import { AUTH_REQUIRED, onlyMethods, toCouchError } from './errors';
import { serverRoute } from './serverRoutes';
import { dbRoute } from './dbRoutes';
import { answerWhenDurable } from './durable';

const CORS_EXPOSED = 'content-type, cache-control, accept-ranges, etag, server, x-couch-request-id, x-couch-update-newrev';
const CORS_ALLOWED = 'accept, authorization, content-type, origin, referer, x-csrf-token';

/**
 * The caller, from a JWT (Caja's processes) or the Basic credentials of a configured admin (operators'
 * tools); null when the request carries no credentials. Credentials that are present are always checked,
 * on `/` and `/_up` too, as CouchDB does: wrong ones are refused, never ignored.
 */
function authenticate(ctx: ServerContext, req: http.IncomingMessage): UserCtx | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const [scheme, credentials] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer' && credentials) return verifyCouchJwt(credentials, ctx.jwtSecret);
  if (scheme?.toLowerCase() === 'basic') return ctx.admins.verify(credentials ?? '');
  return null;
}

/** Sets the CORS headers for an allowed origin; true when the request was a preflight, now answered. */
function applyCors(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const origin = req.headers.origin;
  const allowed = ctx.corsOrigins;
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

/** `GET /` and `GET /_up` need no token, as on CouchDB; false for any other request. */
function answerUnauthenticated(res: http.ServerResponse, segs: string[], method: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (segs.length === 0) {
    sendJson(res, 200, {
      couchdb: 'Welcome',
      version: '3.5.0',
      vendor: { name: 'Caja embedded server (PouchDB 9 + express-pouchdb)' },
      features: ['access-ready'],
    });
    return true;
  }
  if (segs.length === 1 && segs[0] === '_up') {
    sendJson(res, 200, { status: 'ok', seeds: {} });
    return true;
  }
  return false;
}

async function handle(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (applyCors(ctx, req, res)) return;
  // The raw target, parsed once: authorization and execution both use exactly these segments.
  const { segs, query, canonicalUrl } = parseRequestPath(req.url ?? '/');
  req.url = canonicalUrl;
  const method = req.method ?? 'GET';
  const user = authenticate(ctx, req);
  if (answerUnauthenticated(res, segs, method)) return;
  // `[chttpd] require_valid_user = true` (our local.ini): everything else needs credentials.
  if (!user) throw AUTH_REQUIRED;
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > ctx.limit) throw tooLarge();
  if (segs.length === 0) throw onlyMethods('GET,HEAD');
  const route = (segs[0] as string).startsWith('_') ? serverRoute : dbRoute;
  return ctx.requestScope.run({ serverAdmin: user.roles.includes('_admin') }, () => route(ctx, req, res, segs, query, user));
}

function answerFailure(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse, err: unknown): void {
  const couchErr = toCouchError(err, ctx.dataDir);
  if (couchErr.status >= 500) ctx.log('error', 'couchdb.request_failed', { method: req.method, url: req.url, error: err instanceof Error ? err.stack : String(err) });
  // A refused body may still be streaming in; answer, then drop the connection instead of reading it.
  if (couchErr.status === 413) res.setHeader('Connection', 'close');
  sendError(res, couchErr);
}

/** Answers one request from `ctx`: the HTTP server's listener, and what in-process requests go through (inProcess.ts). */
export function requestListener(ctx: ServerContext): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    // A write's answer leaves only once the write is on disk (durable.ts).
    answerWhenDurable(ctx.commit, req, res, (err) => ctx.log('error', 'couchdb.fsync_failed', { method: req.method, url: req.url, error: String(err) }));
    handle(ctx, req, res).catch((err: unknown) => answerFailure(ctx, req, res, err));
  };
}

/** The HTTP server (not yet listening) answering every request from `ctx`. */
export function createCouchServer(ctx: ServerContext): http.Server {
  const server = http.createServer(requestListener(ctx));
  server.on('clientError', (err, socket) => {
    ctx.log('debug', 'couchdb.client_error', { error: err.message });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return server;
}
