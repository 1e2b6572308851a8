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

/** A request target parsed once, from the raw bytes, before anything normalises it. */
export interface RequestPath {
  /** Decoded path segments; `_design%2Fname` / `_local%2Fname` in the document position become two segments. */
  segs: string[];
  query: Record<string, string>;
  /** The same path re-encoded segment by segment, plus the raw query: what express-pouchdb is handed. */
  canonicalUrl: string;
}

const DOC_ID_WITH_SLASH = /^(_design|_local)\/([^/]+)$/;

/**
 * Parses `req.url` exactly once. Every later decision — which database is authorised, which is executed —
 * reads these segments, and express-pouchdb receives `canonicalUrl`, so no second parser (WHATWG URL,
 * Express, a proxy) can resolve `..` or an encoded slash differently from the authoriser. Refused (400):
 * a segment that decodes to `.` or `..` (`%2e`, `.%2E`, …), a backslash or NUL in any spelling, and an
 * encoded slash anywhere but the documented `_design%2Fname` / `_local%2Fname` document-id spellings.
 * Empty segments are dropped as CouchDB's path tokenizer drops them (`/db//doc` is `/db/doc`).
 */
export function parseRequestPath(rawUrl: string): RequestPath {
  if (!rawUrl.startsWith('/')) throw badRequest('Request path must start with /');
  // A fragment never belongs in a request target; parsers disagree on it, so refuse rather than guess.
  if (rawUrl.includes('#')) throw badRequest('Request path must not contain #');
  const q = rawUrl.indexOf('?');
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
  const segs: string[] = [];
  const raws = rawPath.split('/').filter((s) => s !== '');
  raws.forEach((raw, index) => {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw badRequest('Invalid URL encoding');
    }
    if (seg === '.' || seg === '..') throw badRequest('Dot segments are not allowed in a path');
    if (seg.includes('\\') || seg.includes('\0')) throw badRequest('Backslashes and NUL are not allowed in a path');
    if (seg.includes('/')) {
      const docId = index === 1 ? DOC_ID_WITH_SLASH.exec(seg) : null;
      const name = docId?.[2];
      if (!docId || !name || name === '.' || name === '..') {
        throw badRequest('Encoded slashes are only allowed in _design%2Fname and _local%2Fname document ids');
      }
      segs.push(docId[1] as string, name);
    } else {
      segs.push(seg);
    }
  });
  const query = Object.fromEntries(new URLSearchParams(rawQuery));
  const canonicalUrl = '/' + segs.map(encodeURIComponent).join('/') + (q < 0 ? '' : '?' + rawQuery);
  return { segs, query, canonicalUrl };
}

/**
 * The reason of a 500 answer without file-system paths: LevelDB and Node errors name files under the data
 * directory, which no client needs to learn. The full error goes to the server log instead.
 */
export function scrubReason(message: string, dataDir: string): string {
  return message
    .split(dataDir)
    .join('<data>')
    .replace(/(?:[A-Za-z]:)?[\\/](?:[^\s'"\\/:]+[\\/])+[^\s'":,)]*/g, '<path>');
}
