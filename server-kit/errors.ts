// One table of typed errors (shared/api/errors.ts) and one function that turns them into HTTP answers
// (cht-core / PouchDB style): routes throw, the error handler maps. A client always gets `{error, reason}`
// like CouchDB — the code for programs, the reason for people — plus `field` when one input was wrong, and
// `requestId` on a 500, the same id the log line carries, so a person can quote it and an operator find it.
import { randomBytes } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';
import { ApiError, ERRORS, isErrorCode } from '../shared/api/errors';
import type { ErrorCode } from '../shared/api/errors';
import type { Logger } from './log';

/** The error class routes throw (an ApiError of the shared table; the old name is kept for its callers). */
export { ApiError as CajaError, isErrorCode };
export type { ErrorCode };

export const badRequest = (code: ErrorCode, message?: string, details?: Record<string, unknown>) => new ApiError(400, code, message, details);
export const unauthorized = (code: ErrorCode, message?: string) => new ApiError(401, code, message);
export const forbidden = (code: ErrorCode, message?: string) => new ApiError(403, code, message);
export const notFound = (code: ErrorCode, message?: string) => new ApiError(404, code, message);
export const conflict = (code: ErrorCode, message?: string, details?: Record<string, unknown>) => new ApiError(409, code, message, details);
export const gone = (code: ErrorCode, message?: string) => new ApiError(410, code, message);
export const tooMany = (code: ErrorCode, message?: string, details?: Record<string, unknown>) => new ApiError(429, code, message, details);
export const unavailable = (code: ErrorCode, message?: string) => new ApiError(503, code, message);

/** A request id: short, unique enough to find one line in a day of logs. */
export function newRequestId(): string {
  return randomBytes(9).toString('base64url');
}

/** An error from CouchDB (nano or fetch) carries statusCode/status; keep its status for the caller. */
function couchStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { statusCode?: unknown; status?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : null;
  return status && status >= 400 && status < 600 ? status : null;
}

/** What body-parser says about a body it could not read (`type`, `status`, `expose`). */
function bodyParserError(err: unknown): { type: string; status: number } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof e.type !== 'string' || typeof e.status !== 'number' || e.expose !== true) return null;
  return { type: e.type, status: e.status };
}

/** Express error handler: typed errors keep their status; anything else is a 500 logged with a request id. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined;
    if (err instanceof ApiError) {
      const retryAfterS = err.details?.retryAfterS;
      if (err.status === 429 && typeof retryAfterS === 'number' && !res.get('Retry-After')) res.set('Retry-After', String(retryAfterS));
      res.status(err.status).json({
        error: err.code,
        reason: err.message,
        ...(err.field ? { field: err.field } : {}),
        ...(err.details ? { details: err.details } : {}),
        ...(err.status >= 500 && requestId ? { requestId } : {}),
      });
      return;
    }
    const parser = bodyParserError(err);
    if (parser?.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'bad_json', reason: ERRORS.bad_json.message.en });
      return;
    }
    if (parser?.type === 'entity.too.large') {
      res.status(413).json({ error: 'too_large', reason: ERRORS.too_large.message.en });
      return;
    }
    if (parser && parser.status >= 400 && parser.status < 500) {
      // An unsupported charset or encoding, an aborted upload: the client's to fix, and nothing was written.
      res.status(parser.status).json({ error: 'bad_request', reason: `${ERRORS.bad_request.message.en} (${parser.type})` });
      return;
    }
    if (err instanceof URIError) {
      // A path with a broken %-escape (`/api/v1/terminals/%`): Express cannot decode the parameter.
      res.status(400).json({ error: 'bad_request', reason: `${ERRORS.bad_request.message.en} (the URL has a malformed %-escape)` });
      return;
    }
    const status = couchStatus(err);
    if (status === 409) {
      res.status(409).json({ error: 'conflict', reason: ERRORS.conflict.message.en });
      return;
    }
    // Every 500 carries an id, also where no middleware assigned one (an app mounting only this handler).
    const id = requestId ?? newRequestId();
    if (!res.get('X-Request-Id')) res.set('X-Request-Id', id);
    log.error('request.failed', {
      requestId: id,
      method: req.method,
      path: req.path,
      err: err instanceof Error ? err : String(err),
      ...(err instanceof Error && err.stack ? { stack: err.stack } : {}),
    });
    res.status(500).json({ error: 'internal', reason: ERRORS.internal.message.en, requestId: id });
  };
}
