// Small helpers shared by the HQ and relay HTTP servers: listening on a port, closing with open
// keep-alive connections, async route wrapping, and the health answer both expose.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Express, Request, Response, NextFunction, RequestHandler } from 'express';
import { errorHandler, notFound } from './errors';
import type { Logger } from './log';
import type { CouchHandle } from './couch';
import { VERSION } from './version';

export interface Listening {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (0 = a free port) and resolves once bound. */
export function listen(app: Express, port: number, host = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: bound,
        url: `http://${host}:${bound}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Long-poll and keep-alive sockets would hold close() open for minutes.
            server.closeAllConnections();
          }),
      });
    });
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

/** The health answer of HQ and relay: 200 with version and CouchDB status, 503 when CouchDB is down. */
export async function healthReport(component: string, couch: CouchHandle, extra: Record<string, unknown> = {}) {
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
  return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'degraded', component, version: VERSION, couchdb, ...extra } };
}

export interface ApiAppOptions {
  component: string;
  couch: CouchHandle;
  log: Logger;
  jsonLimit: string;
  /** Extra fields of the health answer (the relay adds its store and provisioning state). */
  healthExtra?: () => Record<string, unknown>;
  /** Middleware that must run before every route (proxy trust, CORS). */
  prepare?: (app: Express) => void;
}

/**
 * The frame HQ and relay APIs share: JSON bodies, `GET /api/v1/health`, the component's routes, then a
 * JSON 404 for unknown API paths and the one error mapper.
 */
export function apiApp(opts: ApiAppOptions, routes: (app: Express) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  opts.prepare?.(app);
  app.use(express.json({ limit: opts.jsonLimit }));
  app.get(
    '/api/v1/health',
    route(async (_req, res) => {
      const { status, body } = await healthReport(opts.component, opts.couch, opts.healthExtra?.() ?? {});
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
