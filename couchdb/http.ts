// Small HTTP helpers shared by the embedded server's own routes: CouchDB-shaped JSON answers and errors,
// and a body reader that enforces the request size limit (413 lets the replication layer split batches).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error that maps straight to a CouchDB answer `{error, reason}` with `status`. */
export class CouchError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
  ) {
    super(`${status} ${error}: ${reason}`);
    this.name = 'CouchError';
  }
}

export const tooLarge = () => new CouchError(413, 'too_large', 'the request entity is too large');
export const badRequest = (reason: string) => new CouchError(400, 'bad_request', reason);
export const dbNotFound = () => new CouchError(404, 'not_found', 'Database does not exist.');

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'must-revalidate',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: CouchError): void {
  sendJson(res, err.status, { error: err.error, reason: err.reason });
}

/** Reads the whole body, refusing (413) as soon as it passes `limit` bytes, declared or streamed. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge());
        return;
      }
      chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) {
        failed = true;
        reject(err);
      }
    });
  });
}

/** Parses a JSON body; an empty body is `undefined`. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new CouchError(400, 'bad_request', 'invalid UTF-8 JSON');
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a query value the way CouchDB does for JSON-typed parameters (`keys`, `since`, `doc_ids`,
 * `limit`): JSON when it parses, else the raw string.
 */
export function queryJson(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
