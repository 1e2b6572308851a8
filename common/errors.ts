// One table of typed errors and one function that turns them into HTTP answers (cht-core / PouchDB style):
// routes throw, the error handler maps. A client always gets {error, reason} like CouchDB, plus a stable code.
import type { ErrorRequestHandler } from 'express';
import type { Logger } from './log';

export class CajaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CajaError';
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new CajaError(400, code, message, details);
export const unauthorized = (code: string, message: string) => new CajaError(401, code, message);
export const forbidden = (code: string, message: string) => new CajaError(403, code, message);
export const notFound = (code: string, message: string) => new CajaError(404, code, message);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new CajaError(409, code, message, details);
export const gone = (code: string, message: string) => new CajaError(410, code, message);
export const tooMany = (code: string, message: string, details?: Record<string, unknown>) =>
  new CajaError(429, code, message, details);
export const unavailable = (code: string, message: string) => new CajaError(503, code, message);

/** An error from CouchDB (nano or fetch) carries statusCode/status; keep its status for the caller. */
function couchStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { statusCode?: unknown; status?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : null;
  return status && status >= 400 && status < 600 ? status : null;
}

/** Express error handler: typed errors keep their status; anything else is a logged 500. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof CajaError) {
      res.status(err.status).json({ error: err.code, reason: err.message, ...(err.details ? { details: err.details } : {}) });
      return;
    }
    if (typeof err === 'object' && err !== null && (err as { type?: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: 'bad_json', reason: 'The request body is not valid JSON.' });
      return;
    }
    if (typeof err === 'object' && err !== null && (err as { type?: string }).type === 'entity.too.large') {
      res.status(413).json({ error: 'too_large', reason: 'The request body is too large.' });
      return;
    }
    const status = couchStatus(err);
    if (status === 409) {
      res.status(409).json({ error: 'conflict', reason: 'Document update conflict.' });
      return;
    }
    log.error('request.failed', { method: req.method, path: req.path, err: err instanceof Error ? err : String(err) });
    res.status(500).json({ error: 'internal', reason: 'An unexpected error happened; it was logged.' });
  };
}
