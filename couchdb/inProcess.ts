// Requests to the embedded server from the process that runs it, without a socket: the replication gateway of
// HQ or of a relay forwards a `_bulk_docs` it has already parsed (and judged) to its own embedded server. The
// request goes through the same front as one over HTTP (authentication, the body limit, `_security`,
// validate_doc_update, the answer held until the write is on disk), but its body is handed over parsed instead
// of written out as JSON and parsed again, which was a fifth of HQ's CPU in a catch-up. Only routes this server
// answers itself, whole and at once, can be asked this way (not express-pouchdb's, not a `_changes` feed).
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { Readable } from 'node:stream';

/** What the caller asks: a JSON request as it would send it over HTTP, with its body already parsed. */
export interface InProcessCall {
  method: 'POST' | 'PUT';
  /** Path and query, as on the wire (`/db/_bulk_docs`). */
  path: string;
  /** The `Authorization` header value. */
  authorization: string;
  /** The parsed body. The server may keep and change it: the caller must not use it afterwards. */
  body: unknown;
  /** The size of the body as the caller received it, checked against the server's body limit as Content-Length is. */
  bodyBytes: number;
}

export interface InProcessAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const parsedBodies = new WeakMap<object, { body: unknown }>();

/** The parsed body of an in-process request; undefined for a request that came over HTTP. */
export function parsedBodyOf(req: http.IncomingMessage): { body: unknown } | undefined {
  return parsedBodies.get(req);
}

/** The routes that may be asked in process: answered here, whole (see the top of this file). */
const IN_PROCESS_ROUTES = /^\/[^/?]+\/_bulk_docs(\?|$)/;

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
    const raw = text === undefined ? '' : String(text);
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      this.settle(new Error('the embedded server answered with something other than JSON'));
      return this;
    }
    this.settle(null, { status: this.statusCode, headers: { ...this.headers }, body });
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
  if (!IN_PROCESS_ROUTES.test(call.path)) return Promise.reject(new Error(`${call.method} ${call.path} cannot be asked in process`));
  return new Promise((resolve, reject) => {
    const req = Object.assign(Readable.from([]), {
      method: call.method,
      url: call.path,
      headers: { authorization: call.authorization, 'content-type': 'application/json', 'content-length': String(call.bodyBytes) },
    });
    parsedBodies.set(req, { body: call.body });
    const res = new CapturedResponse((err, answer) => (err ? reject(err) : resolve(answer as InProcessAnswer)));
    listener(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse);
  });
}
