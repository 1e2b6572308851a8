// Small helpers shared by the HQ and relay HTTP servers: listening on a port, closing with open
// keep-alive connections, async route wrapping, and the health answer both expose.
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Express, Request, Response, NextFunction, RequestHandler } from 'express';
import { errorHandler, newRequestId, notFound, unavailable } from './errors';
import type { RouteInfo } from '../shared/api/routes';
import type { Logger } from './log';
import type { CouchHandle } from './couch';
import { VERSION } from './version';

export interface Listening {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (0 = a free port) and resolves once bound; with `tls`, over HTTPS. */
export function listen(app: Express, port: number, host = '127.0.0.1', tls?: { cert: string; key: string }): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, app) : createServer(app);
    server.once('error', reject);
    server.once('listening', () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: bound,
        url: `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${bound}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Long-poll and keep-alive sockets would hold close() open for minutes.
            server.closeAllConnections();
          }),
      });
    });
    server.listen(port, host);
  });
}

/** Wraps an async handler so a rejection reaches the error handler (Express 5 does this too; explicit is clearer). */
export function route(fn: (req: Request, res: Response) => Promise<unknown> | unknown): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => fn(req, res))
      .catch(next);
  };
}

/**
 * The health answer of HQ and relay: 200 with version and CouchDB status, 503 when CouchDB is down. Problems
 * the process can work through (a relay whose HQ credential is refused keeps serving its tills) make the
 * status `degraded` and are listed, with 200: the process is up, but someone must act.
 */
export async function healthReport(component: string, couch: CouchHandle, extra: Record<string, unknown> = {}, problems: string[] = []) {
  const started = Date.now();
  let couchdb: Record<string, unknown>;
  let ok = true;
  try {
    const info = await couch.request<{ version?: string; vendor?: unknown; couchdb?: string }>('/');
    couchdb = { ok: true, version: info.version ?? null, latencyMs: Date.now() - started };
  } catch (err) {
    ok = false;
    couchdb = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const all = ok ? problems : ['couchdb_down', ...problems];
  return { status: ok ? 200 : 503, body: { status: all.length ? 'degraded' : 'ok', component, version: VERSION, couchdb, ...extra, ...(all.length ? { problems: all } : {}) } };
}

export interface ApiAppOptions {
  component: string;
  couch: CouchHandle;
  log: Logger;
  jsonLimit: string;
  /** Extra fields of the health answer (the relay adds its store and provisioning state). */
  healthExtra?: () => Record<string, unknown>;
  /** Problems to report in the health answer (e.g. `hq_credential_refused`); none means healthy. */
  healthProblems?: () => string[];
  /** The component's route map, answered at `GET /api/v1` (shared/api/routes.ts). */
  routeMap?: readonly RouteInfo[];
  /**
   * Settles when the process has finished starting after binding its port (HQ creates its admin only then):
   * requests arriving before wait for it, so nobody is answered "wrong password" for an admin about to exist.
   */
  ready?: Promise<unknown>;
  /** Middleware that must run before every route (proxy trust, CORS). */
  prepare?: (app: Express) => void;
}

/** A client's own request id is kept (a proxy's, a support ticket's) when it looks like one; else a new one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** Gives every request an id (`res.locals.requestId`, header X-Request-Id): a 500 quotes it, the log has it. */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && REQUEST_ID.test(given) ? given : newRequestId();
    res.locals.requestId = id;
    res.set('X-Request-Id', id);
    next();
  };
}

/** `GET /api/v1`: where the API's pieces are, instead of a 404 at the URL the start banner prints. */
export function apiIndex(component: string, routeMap: readonly RouteInfo[] = []) {
  return {
    component,
    version: VERSION,
    health: '/api/v1/health',
    docs: 'docs/api.md in the Caja repository',
    errors: 'every error is {"error": "<code>", "reason": "<text>"}; a 500 adds "requestId", also in the log',
    routes: routeMap.map((r) => `${r.method} ${r.path}`),
  };
}

/**
 * The frame HQ and relay APIs share: request ids, JSON bodies, `GET /api/v1` (the index) and
 * `GET /api/v1/health`, the component's routes, then a JSON 404 for unknown API paths and the one error mapper.
 */
export function apiApp(opts: ApiAppOptions, routes: (app: Express) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestIds());
  const { ready } = opts;
  if (ready) {
    app.use((_req, _res, next) => {
      ready.then(
        () => next(),
        () => next(unavailable('unavailable', 'The server did not finish starting.')),
      );
    });
  }
  opts.prepare?.(app);
  app.use(express.json({ limit: opts.jsonLimit }));
  app.get(['/api', '/api/v1'], (_req, res) => {
    res.json(apiIndex(opts.component, opts.routeMap));
  });
  app.get(
    '/api/v1/health',
    route(async (_req, res) => {
      const { status, body } = await healthReport(opts.component, opts.couch, opts.healthExtra?.() ?? {}, opts.healthProblems?.() ?? []);
      res.status(status).json(body);
    }),
  );
  routes(app);
  app.use('/api', () => {
    throw notFound('not_found', 'No such API endpoint.');
  });
  app.use(errorHandler(opts.log));
  return app;
}
