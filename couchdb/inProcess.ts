// Requests to the embedded server from the process that runs it, without a socket: the replication gateway of
// HQ or of a relay forwards what it has already parsed (and judged) to its own embedded server. A request goes
// through the same front as one over HTTP (authentication, the body limit, `_security`, validate_doc_update,
// the answer held until a write is on disk), but its body is handed over parsed instead of written out as JSON
// and parsed again (a fifth of HQ's CPU in a catch-up was that), and no socket round trip sits on a sale's way
// up. Only requests this server answers itself, whole and at once, are taken (see `takes`): not those it hands
// to express-pouchdb, not a `_changes` feed.
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { Readable } from 'node:stream';
import { isPlainObject } from './http';
import { plainKeys } from './keyedReads';

/** What the caller asks: a JSON request as it would send it over HTTP, with its body already parsed. */
export interface InProcessCall {
  method: string;
  /** Path and query, as on the wire (`/db/_bulk_docs`). */
  path: string;
  /** The `Authorization` header value. */
  authorization: string;
  /** The parsed body, if any. The server may keep and change it: the caller must not use it afterwards. */
  body?: unknown;
  /**
   * At least the size the body would have as JSON (the caller's own request, which it came from), checked against
   * the server's body limit as Content-Length is.
   */
  bodyBytes: number;
}

/** The answer as the server wrote it: status, headers and the JSON text. */
export interface InProcessAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const parsedBodies = new WeakMap<object, { body: unknown }>();

/** The parsed body of an in-process request; undefined for a request that came over HTTP. */
export function parsedBodyOf(req: http.IncomingMessage): { body: unknown } | undefined {
  return parsedBodies.get(req);
}

// A database's name never starts with `_` (`/_users/…`, `/_replicator/…` are server routes, some express-pouchdb's).
const BULK = /^\/[^_/?][^/?]*\/(_bulk_docs|_bulk_get)(\?|$)/;
const UNQUERIED = /^\/[^_/?][^/?]*\/(_all_docs|_revs_diff)$/;
const LOCAL_DOC = /^\/[^_/?][^/?]*\/_local\/[^/?]+(\?|$)/;

/**
 * True for a request the server answers itself, whole: `_bulk_docs`, `_bulk_get` and `_revs_diff`, `_all_docs` by
 * plain keys (the server's own keyed reads; any other `_all_docs` goes to express-pouchdb), and `_local` documents.
 */
export function takes(call: Pick<InProcessCall, 'method' | 'path' | 'body'>): boolean {
  if (call.method === 'POST') {
    if (BULK.test(call.path)) return isPlainObject(call.body);
    const endpoint = UNQUERIED.exec(call.path)?.[1];
    return endpoint === '_revs_diff' ? isPlainObject(call.body) : endpoint === '_all_docs' && plainKeys(call.body) !== null;
  }
  return ['GET', 'PUT', 'DELETE'].includes(call.method) && LOCAL_DOC.test(call.path) && (call.method === 'PUT') === (call.body !== undefined);
}

/** The answer the server writes, captured: status, headers and the body's text. */
class CapturedResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableFinished = false;
  private readonly headers: Record<string, string> = {};

  constructor(private readonly settle: (err: Error | null, answer?: InProcessAnswer) => void) {
    super();
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  writeHead(status: number, headers: Record<string, number | string> = {}): this {
    this.statusCode = status;
    for (const [name, value] of Object.entries(headers)) this.setHeader(name, value);
    this.headersSent = true;
    return this;
  }

  write(): boolean {
    throw new Error('an in-process request cannot be answered in parts');
  }

  end(text?: string | Buffer): this {
    if (this.writableFinished) return this;
    this.headersSent = true;
    this.writableFinished = true;
    this.settle(null, { status: this.statusCode, headers: { ...this.headers }, text: text === undefined ? '' : String(text) });
    this.emit('finish');
    this.emit('close');
    return this;
  }

  destroy(err?: Error): this {
    if (!this.writableFinished) {
      this.writableFinished = true;
      this.settle(err ?? new Error('the embedded server cut its answer'));
      this.emit('close');
    }
    return this;
  }
}

/** Asks `listener` (the server's request listener, front.ts) `call` in process; resolves with its answer. */
export function requestInProcess(listener: Listener, call: InProcessCall): Promise<InProcessAnswer> {
  if (!takes(call)) return Promise.reject(new Error(`${call.method} ${call.path} cannot be asked in process`));
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: call.authorization };
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(call.bodyBytes);
    }
    const req = Object.assign(Readable.from([]), { method: call.method, url: call.path, headers });
    if (call.body !== undefined) parsedBodies.set(req, { body: call.body });
    const res = new CapturedResponse((err, answer) => (err ? reject(err) : resolve(answer as InProcessAnswer)));
    listener(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse);
  });
}
