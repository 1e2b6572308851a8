// The one typed client of the HQ and relay APIs (actualbudget/actual's `send<K>` is the model): a route key
// of a map (shared/api/routes.ts) picks the path parameters, query and body it takes and the answer it gives,
// so a wrong path, a missing field or a misread answer is a compile error in the CLI, the console and the
// till rather than a 404 or an `undefined` at run time. A refusal arrives as an ApiError carrying the error
// table's code (shared/api/errors.ts), so callers switch on codes and show `message[lang]`.
// Pure: runs in Node, the browser and Electron; the fetch is given.
import { ApiError, ERRORS, isErrorCode } from './errors';
import type { BodyOf, ParamsOf, QueryOf, ResponseOf, RouteKey } from './routes';
import { splitKey } from './routes';

/** A value as JSON carries it: brands (Money) are plain numbers on the wire. */
export type Wire<T> = T extends number
  ? number
  : T extends string | boolean | null | undefined
    ? T
    : T extends ReadonlyArray<infer U>
      ? Array<Wire<U>>
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

type Part<Name extends string, T> = [keyof T] extends [never] ? { [N in Name]?: T } : Record<string, never> extends T ? { [N in Name]?: T } : { [N in Name]: T };

/** The fetch the client is given (the runtime's own: Node's, the browser's), as far as the client uses it. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<FetchAnswer>;

/** What the client reads of a fetch answer. */
export interface FetchAnswer {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** What `send` takes for a route: its path parameters, query and body (each required when the route needs it). */
export type Request<Api, K extends RouteKey<Api>> = Part<'params', ParamsOf<K>> &
  Part<'query', Wire<QueryOf<Api, K>>> &
  ([BodyOf<Api, K>] extends [never] ? { body?: undefined } : Part<'body', Wire<BodyOf<Api, K>>>) & {
    /** A bearer token for this call only (a terminal's API token, a manager session). */
    token?: string;
  };

/** A success: the HTTP status, the typed body, and the headers (paging links). */
export interface Answer<T> {
  status: number;
  body: T;
  headers: FetchAnswer['headers'];
}

export interface ClientOptions {
  fetch: FetchLike;
  /** The bearer token sent with every call (a staff access token); a function reads it at each call. */
  token?: string | (() => string | null | undefined);
}

/** The arguments of `send` for a route: the request may be left out when nothing in it is required. */
export type SendArgs<Api, K extends RouteKey<Api>> = Record<string, never> extends Request<Api, K> ? [Request<Api, K>?] : [Request<Api, K>];

export interface Client<Api> {
  send<K extends RouteKey<Api>>(key: K, ...req: SendArgs<Api, K>): Promise<Answer<Wire<ResponseOf<Api, K>>>>;
  /** Replaces the bearer token sent with every call (after a login). */
  setToken(token: string | null): void;
}

/** The path with its `:name` parameters filled in (encoded). */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}

/** A query string from defined values (`?a=1&b=x`), or '' when there are none. */
export function queryString(query: Record<string, unknown> = {}): string {
  const pairs = Object.entries(query).filter(([, v]) => v !== undefined && v !== null);
  return pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}` : '';
}

/** Reads an answer's JSON; a body that is not JSON (a proxy's HTML page) is null. */
async function readJson(res: FetchAnswer): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The ApiError for a refusal: the table's code when the server sent one, else one fitting the status. */
function refusal(status: number, body: unknown): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; reason?: unknown; details?: unknown; field?: unknown; requestId?: unknown };
  const code = isErrorCode(b.error) ? b.error : status === 404 ? 'not_found' : status >= 500 ? 'internal' : 'bad_request';
  const reason = typeof b.reason === 'string' ? b.reason : ERRORS[code].message.en;
  // A 500's request id (also in the server's log) travels in the details, for people to quote.
  const given = typeof b.details === 'object' && b.details !== null ? (b.details as Record<string, unknown>) : undefined;
  const details = typeof b.requestId === 'string' ? { ...given, requestId: b.requestId } : given;
  return new ApiError(status, code, reason, details, typeof b.field === 'string' ? b.field : undefined);
}

/** A client of one API: `createClient<HqApi>('http://hq:5800', {fetch})` (the fetch is the runtime's, or a test's). */
export function createClient<Api>(baseUrl: string, opts: ClientOptions): Client<Api> {
  const base = baseUrl.replace(/\/+$/, '');
  // Called unbound: a browser's fetch refuses to run with `this` set to another object (`Illegal invocation`).
  const send = opts.fetch;
  let token = opts.token;
  const currentToken = () => (typeof token === 'function' ? token() : token);
  return {
    setToken(next) {
      token = next ?? undefined;
    },
    async send(key, ...args) {
      const req = (args[0] ?? {}) as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; token?: string };
      const { method, path } = splitKey(key);
      const bearer = req.token ?? currentToken();
      const res = await send(base + fillPath(path, req.params) + queryString(req.query), {
        method,
        headers: { ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      });
      const body = await readJson(res);
      if (!res.ok) throw refusal(res.status, body);
      return { status: res.status, body: body as never, headers: res.headers };
    },
  };
}
