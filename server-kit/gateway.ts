// The replication gateway: the one door through which terminals (at a relay) and relays (at HQ) reach a
// CouchDB. Clients keep speaking PouchDB's replication protocol, but to this handler, and only the process
// mounting it holds a CouchDB credential. It exists because two things cannot be prevented by CouchDB
// roles alone (checked on a real CouchDB 3.5, /work/shared/notes-ecosystem.md):
//
//  1. `_bulk_docs` with `new_edits:false` and a revision that shares no ancestor with the stored tree is
//     validated with oldDoc = null, so validate_doc_update cannot stop a new root of an existing ledger
//     document (a sale), and the higher generation wins. Measured too: re-sending a revision id that IS
//     stored, with another ancestry (`2-b` over `1-zzz` instead of `1-a`) and another body, grafts a second
//     leaf `2-b` with the sender's body on a database without validate_doc_update (CouchDB skips its
//     replicated-update preparation there; with one it ignores the document). So for ledger documents
//     written with new_edits:false this gateway forwards only the first revision of an id that does not
//     exist yet, drops revisions already stored (answered as success: the same no-op on every database),
//     and refuses the rest.
//  2. `_local` documents are writable by every member, so one party could rewrite another's replication
//     checkpoint. Here `_local/{id}` is stored upstream as `_local/{principalKey}~{id}`, so a principal only
//     ever reaches its own, and never the unprefixed ones the relay/HQ write directly.
//
// Everything else is an allowlist: the few routes PouchDB replication uses, nothing that writes design
// documents, attachments or `_security`, no views/queries, no server endpoints. Upstream, every request is
// made AS the principal (`upstreamAuth`), so `_security` and validate_doc_update still judge the principal
// and this file adds checks, never powers. Answers are in CouchDB's `{error, reason}` shape so PouchDB
// reacts as it would to CouchDB (per-document `forbidden` -> 'denied', 401/403 -> stop, 5xx -> retry).
//
// Mount it BEFORE any body parser (e.g. in apiApp's `prepare`): it reads request bodies itself, bounded,
// and streams answers (a 100k-product catalog and long-lived `_changes` feeds go through it).
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './log';
import type { InProcessAnswer, InProcessCall } from '../couchdb/inProcess';

export interface GatewayPrincipal {
  /** 'terminal:S001:T1' | 'store:S001'; names the `_local` namespace and the tamper reports. */
  id: string;
  /** CouchDB roles the upstream credential carries (validate_doc_update and `_security` read them). */
  couchRoles: string[];
  /** The databases this principal may use, and how. */
  dbs: Record<string, 'read' | 'write'>;
}

export interface TamperEvent {
  principal: string;
  db: string;
  id: string;
  rev: string;
  reason: string;
}

export interface GatewayOptions {
  /** CouchDB base URL, no trailing slash. */
  upstreamUrl: string;
  /** Authorization header value for acting upstream AS this principal (a short-lived CouchDB JWT with its roles). */
  upstreamAuth(p: GatewayPrincipal): string | Promise<string>;
  /** Throws an error carrying `status` 401 (server-kit/errors.ts) when the header does not authenticate. */
  authenticate(authorizationHeader: string | undefined): GatewayPrincipal | Promise<GatewayPrincipal>;
  /** Ledger ids/types are immutable (server-kit/ledger.ts isLedgerDoc). */
  isLedger(id: string, type: unknown): boolean;
  /** Largest request body; 413 beyond. Default 64 MiB (CouchDB's max_http_request_size). */
  maxBodyBytes?: number;
  log: Logger;
  onTamper?(e: TamperEvent): void;
  /**
   * The upstream CouchDB's in-process door, when it is the embedded server running in this process
   * (couchdb/inProcess.ts): a request it `takes` goes through `request`, its parsed body handed over instead of
   * sent as JSON and no socket in between; anything else (a `_changes` feed, reads it hands to express-pouchdb)
   * goes over HTTP.
   */
  inProcess?: { takes(call: { method: string; path: string; body?: unknown }): boolean; request(call: InProcessCall): Promise<InProcessAnswer> };
}

export interface GatewayStats {
  /** Upstream requests currently open (a live `_changes` feed counts while it is held). */
  inFlight: number;
  /** Upstream requests made since start. */
  upstreamRequests: number;
  /** Ledger documents refused as tampering since start. */
  tamperRefused: number;
}

/** A request handler for Express (`app.use('/couch', gw)`) or a bare node:http server. */
export type GatewayHandler = ((req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void) & {
  readonly stats: GatewayStats;
  /** Closes idle keep-alive sockets to CouchDB (server shutdown, tests). */
  close(): void;
};

const DEFAULT_MAX_BODY = 64 * 1024 * 1024;
/** CouchDB 3's max_bulk_docs_count / max_bulk_get_count default; beyond, a 413 makes Caja's jobs split the batch. */
const MAX_DOCS_PER_REQUEST = 10_000;
/** A non-feed request that takes longer than this upstream is abandoned (the client retries). */
const UPSTREAM_TIMEOUT_MS = 5 * 60_000;
export const LEDGER_IMMUTABLE = 'ledger documents are immutable';
const BODY_CONSUMED = 'the gateway is mounted after a body parser';

/** An answer in CouchDB's shape, thrown anywhere below and sent by the handler. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'GatewayError';
  }
}

const bad = (reason: string) => new GatewayError(400, 'bad_request', reason);
const forbidden = (reason: string) => new GatewayError(403, 'forbidden', reason);

// ---------------------------------------------------------------------------------------------------------
// Paths

export interface GatewayPath {
  /** Decoded segments; `[]` is the server root, `[db]` (with or without trailing slash) the database. */
  segs: string[];
  /** The raw query string without '?', passed on to read routes only. */
  query: string;
}

/** True for a segment that some layer could read as a dot segment or a path separator. */
function unsafeSegment(value: string): boolean {
  return /^\.+$/.test(value) || value.includes('/') || value.includes('\\') || value.includes('\0');
}

/**
 * Parses the raw request target once. Refuses (400) dot segments in any spelling (`..`, `%2e%2E`, `.%2e`,
 * double-encoded `%252e`), backslashes, NUL, encoded slashes and empty segments: PouchDB sends `_design/x`
 * and `_local/x` with a literal slash and encodes every other id with encodeURIComponent, so none of these
 * is ever legitimate, and refusing them means no layer behind us can resolve a path differently from us.
 */
export function parseGatewayPath(rawUrl: string | undefined): GatewayPath {
  const url = rawUrl || '/';
  if (!url.startsWith('/')) throw bad('request target must be an absolute path');
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  // Printable ASCII only: clients percent-encode everything else, and raw bytes are where parsers differ.
  if (!/^[\x21-\x7e]*$/.test(rawPath) || rawPath.includes('\\')) throw bad('illegal character in path');
  // A repeated parameter is where two parsers disagree (CouchDB takes the last `keys`, a check might read
  // the first); PouchDB never repeats one, so none is accepted.
  const names = new Set<string>();
  for (const name of new URLSearchParams(query).keys()) {
    if (names.has(name)) throw bad(`repeated query parameter ${name}`);
    names.add(name);
  }
  if (rawPath === '/') return { segs: [], query };
  const parts = rawPath.slice(1).split('/');
  // `/db/` (PouchDB's info request) is the one place a trailing slash is expected.
  if (parts.length === 2 && parts[1] === '') parts.pop();
  const segs = parts.map((raw) => {
    if (raw === '') throw bad('empty path segment');
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      throw bad('malformed percent-encoding in path');
    }
    if (unsafeSegment(value)) throw bad('dot segment, slash, backslash or NUL in path segment');
    // A second decoding layer (a proxy that decodes again) must not turn it into one either.
    let again = value;
    for (let i = 0; i < 3 && again.includes('%'); i++) {
      try {
        again = decodeURIComponent(again);
      } catch {
        break;
      }
      if (unsafeSegment(again)) throw bad('encoded dot segment, slash, backslash or NUL in path segment');
    }
    return value;
  });
  return { segs, query };
}

/**
 * A principal id as a `_local` namespace: [A-Za-z0-9:_.-] kept, every other UTF-8 byte as %XX. Injective
 * (`%` itself is escaped) and free of `~`, so `{key}~{id}` splits unambiguously.
 */
export function principalKey(principalId: string): string {
  let out = '';
  for (const byte of Buffer.from(principalId, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9:_.-]/.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** The upstream id (`_local/{principalKey}~{id}`) of a principal's `_local/{id}`. */
export function namespacedLocalId(principalId: string, localId: string): string {
  return `_local/${principalKey(principalId)}~${localId}`;
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------------------------------------------------
// Small helpers

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'must-revalidate',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Reads a request body up to `limit` bytes (413 beyond) and parses it as a JSON value; with its size as received. */
async function readJson(req: IncomingMessage, limit: number): Promise<{ value: unknown; bytes: number }> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  // Multipart (attachments), forms and compressed bodies are not part of what the gateway accepts.
  if (type !== 'application/json') throw new GatewayError(415, 'bad_content_type', 'Content-Type must be application/json');
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw new GatewayError(415, 'bad_content_type', 'Content-Encoding is not supported');
  if (req.complete && !req.readable) {
    // A body parser ran first (on-finished's test, as body-parser uses): the body is gone, and its limit
    // was not ours. A wiring error, so say it loudly rather than answer "invalid JSON".
    throw new GatewayError(500, 'internal_server_error', BODY_CONSUMED);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new GatewayError(413, 'too_large', 'the request entity is too large');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = chunk as Uint8Array;
    size += bytes.length;
    if (size > limit) throw new GatewayError(413, 'too_large', 'the request entity is too large');
    chunks.push(bytes);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')), bytes: size };
  } catch {
    throw bad('invalid UTF-8 JSON');
  }
}

function isLocalId(id: unknown): boolean {
  return typeof id === 'string' && id.startsWith('_local/');
}

/** Headers of an upstream answer the client may see (no Location: it names namespaced `_local` ids). */
const PASS_HEADERS = ['content-type', 'content-length', 'etag', 'cache-control', 'x-couch-request-id', 'x-couch-update-newrev'];

function passHeaders(from: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASS_HEADERS) {
    const v = from[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

/** Per-key mutual exclusion in this process: check-then-write of a ledger id must not interleave. */
class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Takes every key (sorted, so two callers never wait on each other crosswise); returns the release. */
  async acquire(keys: Iterable<string>): Promise<() => void> {
    const releases: Array<() => void> = [];
    for (const key of [...new Set(keys)].sort()) {
      const prev = this.tails.get(key) ?? Promise.resolve();
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      const tail = prev.then(() => gate);
      this.tails.set(key, tail);
      releases.push(() => {
        open();
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
      await prev;
    }
    return () => releases.forEach((r) => r());
  }
}

// ---------------------------------------------------------------------------------------------------------
// The handler

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  principal: GatewayPrincipal;
  auth: string;
  /** The size of the request's body as received (0 until read): what anything built from it is at most. */
  received: number;
}

interface UpstreamCall {
  method: string;
  /** Canonical, already encoded path plus query, starting with '/'. */
  path: string;
  auth: string;
  body?: unknown;
  accept?: string | undefined;
}

export function couchGateway(opts: GatewayOptions): GatewayHandler {
  const base = new URL(opts.upstreamUrl.replace(/\/+$/, ''));
  const basePath = base.pathname.replace(/\/+$/, '');
  const transport = base.protocol === 'https:' ? https : http;
  // Keep-alive: a replication makes thousands of short requests; a new TCP connection each would dominate.
  const agent = new transport.Agent({ keepAlive: true, maxFreeSockets: 32, scheduling: 'lifo' });
  const limit = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const log = opts.log;
  const locks = new KeyedLock();
  const stats: GatewayStats = { inFlight: 0, upstreamRequests: 0, tamperRefused: 0 };

  /** Starts an upstream request; resolves with the response (status not yet judged). */
  function upstream(call: UpstreamCall, feed = false): { response: Promise<IncomingMessage>; abort(): void } {
    const payload = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body), 'utf8');
    const headers: Record<string, string> = { Authorization: call.auth, Accept: call.accept ?? 'application/json' };
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const upReq = transport.request({
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      method: call.method,
      path: basePath + call.path,
      headers,
      agent,
    });
    // 'close' comes once per request: after the answer was read to its end, or when it was cut.
    stats.inFlight++;
    stats.upstreamRequests++;
    upReq.once('close', () => stats.inFlight--);
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      upReq.once('response', resolve);
      // `on`, not `once`: a socket error after the answer began is emitted here again, and an 'error'
      // without a listener would end the process. After the first, rejecting is a no-op.
      upReq.on('error', reject);
    });
    // A `_changes` feed may legitimately stay silent for its whole timeout; everything else may not.
    if (!feed) upReq.setTimeout(UPSTREAM_TIMEOUT_MS, () => upReq.destroy(new Error('upstream timeout')));
    upReq.end(payload);
    return { response, abort: () => upReq.destroy() };
  }

  /**
   * The answer of the embedded server in this process when it takes `call` (GatewayOptions.inProcess): the body is
   * handed over, not sent. Null when there is no such server or it does not take this request.
   */
  async function inProcessAnswer(ctx: Ctx, call: UpstreamCall): Promise<InProcessAnswer | null> {
    const door = opts.inProcess;
    if (!door?.takes(call)) return null;
    stats.inFlight++;
    stats.upstreamRequests++;
    try {
      return await door.request({ method: call.method, path: call.path, authorization: call.auth, body: call.body, bodyBytes: ctx.received });
    } finally {
      stats.inFlight--;
    }
  }

  function parseAnswer(text: string): unknown {
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      throw new GatewayError(502, 'bad_gateway', 'CouchDB answered with something other than JSON');
    }
  }

  /** One upstream request and its JSON answer (in process when it can be). */
  async function upstreamJson(ctx: Ctx, call: UpstreamCall): Promise<{ status: number; headers: IncomingHttpHeaders; body: unknown }> {
    const local = await inProcessAnswer(ctx, call);
    if (local) return { status: local.status, headers: local.headers, body: parseAnswer(local.text) };
    const { response } = upstream(call);
    const up = await response;
    const chunks: Uint8Array[] = [];
    for await (const chunk of up) chunks.push(chunk as Uint8Array);
    return { status: up.statusCode ?? 502, headers: up.headers, body: parseAnswer(Buffer.concat(chunks).toString('utf8')) };
  }

  /** Sends an upstream error answer on as it is, except 401 (our minted credential failed: a gateway fault). */
  function relayStatus(ctx: Ctx, status: number, body: unknown): never {
    if (status === 401) {
      log.error('gateway.upstream_unauthorized', { principal: ctx.principal.id, body });
      throw new GatewayError(502, 'bad_gateway', 'the gateway could not authenticate to CouchDB');
    }
    const b = isObj(body) ? body : {};
    throw new GatewayError(status, String(b.error ?? 'error'), String(b.reason ?? ''));
  }

  /** Pipes an upstream answer to the client unchanged (reads, `_changes`); aborts upstream if the client goes. */
  async function pipe(ctx: Ctx, call: UpstreamCall, feed = false): Promise<void> {
    const { res } = ctx;
    const local = feed ? null : await inProcessAnswer(ctx, call);
    if (local) {
      if (local.status === 401) relayStatus(ctx, 401, null);
      res.writeHead(local.status, passHeaders(local.headers));
      res.end(local.text);
      return;
    }
    const { response, abort } = upstream(call, feed);
    const onClientGone = () => {
      if (!res.writableFinished) abort();
    };
    res.once('close', onClientGone);
    const up = await response;
    if (up.statusCode === 401) {
      up.resume();
      relayStatus(ctx, 401, null);
    }
    res.writeHead(up.statusCode ?? 502, passHeaders(up.headers));
    // Heartbeats and each change of a live feed reach the client as CouchDB sends them.
    if (feed) res.flushHeaders();
    up.pipe(res);
    await new Promise<void>((resolve) => {
      up.once('end', resolve);
      up.on('error', () => {
        // Upstream died mid-answer: cut the client too, so it sees an error, not a truncated success.
        res.destroy();
        resolve();
      });
      up.once('close', resolve);
    });
  }

  /** Reads the request's body as a JSON object, noting its size on `ctx`. */
  async function readObject(ctx: Ctx): Promise<Json> {
    const { value, bytes } = await readJson(ctx.req, limit);
    ctx.received = bytes;
    if (!isObj(value)) throw bad('Request body must be a JSON object');
    return value;
  }

  const dbPath = (db: string) => '/' + enc(db);
  const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

  /** Refuses `_local/` ids inside read requests: `_all_docs` with keys answers `_local` docs with their bodies. */
  function refuseLocalIds(ids: Iterable<unknown>): void {
    for (const id of ids) if (isLocalId(id)) throw forbidden('_local documents are reachable only as /{db}/_local/{id}');
  }

  function boundedArray(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) throw bad(`Missing JSON list of '${what}'`);
    if (value.length > MAX_DOCS_PER_REQUEST) throw new GatewayError(413, 'too_large', `too many ${what} in one request (at most ${MAX_DOCS_PER_REQUEST})`);
    return value;
  }

  // ---- _local ----

  async function localDoc(ctx: Ctx, db: string, localId: string, query: string): Promise<void> {
    const { req, res, principal } = ctx;
    const upstreamId = namespacedLocalId(principal.id, localId);
    const path = `${dbPath(db)}/_local/${enc(upstreamId.slice('_local/'.length))}`;
    const visibleId = `_local/${localId}`;
    const method = req.method ?? 'GET';
    let call: UpstreamCall;
    if (method === 'GET') {
      call = { method, path, auth: ctx.auth };
    } else if (method === 'PUT') {
      const body = await readObject(ctx);
      if (body._id !== undefined && body._id !== visibleId) throw bad('Document id must match the URL');
      if (body._attachments !== undefined) throw forbidden('attachments are not accepted through the replication gateway');
      call = { method, path, auth: ctx.auth, body: { ...body, _id: upstreamId } };
    } else if (method === 'DELETE') {
      const rev = new URLSearchParams(query).get('rev');
      call = { method, path: rev ? `${path}?rev=${enc(rev)}` : path, auth: ctx.auth };
    } else {
      throw forbidden(`${method} is not available on _local documents through the replication gateway`);
    }
    const { status, body, headers } = await upstreamJson(ctx, call);
    if (status === 401) relayStatus(ctx, status, body);
    // Answers name the upstream id; the principal must only ever see its own, un-namespaced id.
    if (isObj(body)) {
      if (body._id === upstreamId) body._id = visibleId;
      if (body.id === upstreamId) body.id = visibleId;
    }
    const h = passHeaders(headers);
    delete h['content-length'];
    sendJson(res, status, body, h);
  }

  // ---- writes ----

  interface Refusal {
    id: string;
    rev?: string;
    error: string;
    reason: string;
  }

  function refusal(doc: Json, error: string, reason: string): Refusal {
    const r: Refusal = { id: String(doc._id), error, reason };
    if (typeof doc._rev === 'string') r.rev = doc._rev;
    return r;
  }

  /** Refusals every write route applies before anything reaches CouchDB. */
  function staticRefusal(doc: Json): Refusal | null {
    const id = doc._id as string;
    if (id.startsWith('_design/')) return refusal(doc, 'forbidden', 'design documents are not written through the replication gateway');
    if (id.startsWith('_local/')) return refusal(doc, 'forbidden', '_local documents are written only as /{db}/_local/{id}');
    if (doc._attachments !== undefined && doc._attachments !== null) {
      return refusal(doc, 'forbidden', 'attachments are not accepted through the replication gateway');
    }
    return null;
  }

  function tamper(ctx: Ctx, db: string, doc: Json): Refusal {
    const event: TamperEvent = { principal: ctx.principal.id, db, id: String(doc._id), rev: typeof doc._rev === 'string' ? doc._rev : '', reason: LEDGER_IMMUTABLE };
    stats.tamperRefused++;
    log.warn('gateway.ledger_tamper_refused', { ...event });
    try {
      opts.onTamper?.(event);
    } catch (err) {
      log.error('gateway.on_tamper_failed', { err: err instanceof Error ? err : String(err) });
    }
    return refusal(doc, 'forbidden', LEDGER_IMMUTABLE);
  }

  /**
   * Decides the replicated (new_edits:false) ledger documents of one request, under their locks: 'forward'
   * the first revision of an id that does not exist upstream, 'drop' a revision already stored (success,
   * nothing to write), refuse everything else. Reads upstream as the principal: one `_all_docs` (does the
   * id exist, in any state: deleted documents are listed too) and one `_revs_diff` (is this revision stored,
   * as a leaf or an ancestor).
   */
  async function judgeLedger(ctx: Ctx, db: string, docs: Json[], indexes: number[], outcome: Array<'forward' | 'drop' | Refusal>): Promise<void> {
    const ids = [...new Set(indexes.map((i) => docs[i]?._id as string))];
    const all = await upstreamJson(ctx, { method: 'POST', path: `${dbPath(db)}/_all_docs`, auth: ctx.auth, body: { keys: ids } });
    if (all.status !== 200 || !isObj(all.body) || !Array.isArray(all.body.rows)) relayStatus(ctx, all.status === 200 ? 502 : all.status, all.body);
    const existing = new Set<string>();
    for (const row of all.body.rows as unknown[]) {
      if (isObj(row) && typeof row.id === 'string' && isObj(row.value)) existing.add(row.id);
    }
    const missing = new Map<string, Set<string>>();
    if (existing.size) {
      const ask: Record<string, string[]> = {};
      for (const i of indexes) {
        const d = docs[i] as Json;
        if (existing.has(d._id as string) && typeof d._rev === 'string') (ask[d._id as string] ??= []).push(d._rev);
      }
      if (Object.keys(ask).length) {
        const diff = await upstreamJson(ctx, { method: 'POST', path: `${dbPath(db)}/_revs_diff`, auth: ctx.auth, body: ask });
        if (diff.status !== 200 || !isObj(diff.body)) relayStatus(ctx, diff.status === 200 ? 502 : diff.status, diff.body);
        for (const [id, entry] of Object.entries(diff.body)) {
          if (isObj(entry) && Array.isArray(entry.missing)) missing.set(id, new Set(entry.missing.filter((r): r is string => typeof r === 'string')));
        }
      }
    }
    const firstRev = new Map<string, unknown>();
    for (const i of indexes) {
      const d = docs[i] as Json;
      const id = d._id as string;
      if (existing.has(id)) {
        const stored = typeof d._rev === 'string' && !(missing.get(id)?.has(d._rev) ?? false);
        outcome[i] = stored ? 'drop' : tamper(ctx, db, d);
      } else if (!firstRev.has(id)) {
        firstRev.set(id, d._rev);
        outcome[i] = 'forward';
      } else {
        // Two revisions of one new id in one request would be two roots: only the first goes.
        outcome[i] = firstRev.get(id) === d._rev ? 'drop' : tamper(ctx, db, d);
      }
    }
  }

  async function bulkDocs(ctx: Ctx, db: string): Promise<void> {
    const body = await readObject(ctx);
    const docs = boundedArray(body.docs, 'docs');
    docs.forEach((d) => {
      if (!isObj(d) || typeof d._id !== 'string' || d._id === '') throw bad('every document must be a JSON object with a string _id');
    });
    if (body.new_edits !== undefined && typeof body.new_edits !== 'boolean') throw bad('new_edits must be a boolean');
    const newEdits = body.new_edits !== false;
    const list = docs as Json[];
    const outcome: Array<'forward' | 'drop' | Refusal> = list.map((d) => staticRefusal(d) ?? 'forward');
    const ledger = list.flatMap((d, i) => (outcome[i] === 'forward' && opts.isLedger(d._id as string, d.type) ? [i] : []));

    // new_edits:true writes of ledger ids take the locks too: a create racing a replicated root of the same
    // new id would otherwise give two roots as well.
    const release = await locks.acquire(ledger.map((i) => `${db}\0${list[i]?._id as string}`));
    let upstreamResults: unknown[] = [];
    const forwarded: number[] = [];
    try {
      if (!newEdits && ledger.length) await judgeLedger(ctx, db, list, ledger, outcome);
      const send: Json[] = [];
      list.forEach((d, i) => {
        if (outcome[i] !== 'forward') return;
        forwarded.push(i);
        // With new_edits:true `_rev` alone names the parent; an extra `_revisions` is only room for mischief.
        if (newEdits && '_revisions' in d) {
          const { _revisions: _ignored, ...rest } = d;
          send.push(rest);
        } else {
          send.push(d);
        }
      });
      if (send.length) {
        const up = await upstreamJson(ctx, { method: 'POST', path: `${dbPath(db)}/_bulk_docs`, auth: ctx.auth, body: newEdits ? { docs: send } : { docs: send, new_edits: false } });
        if (up.status < 200 || up.status > 299 || !Array.isArray(up.body)) relayStatus(ctx, up.status >= 300 ? up.status : 502, up.body);
        upstreamResults = up.body;
      }
    } finally {
      release();
    }

    if (newEdits) {
      // CouchDB answers one entry per document, in order; ours are spliced in at their request positions.
      let k = 0;
      const answer = list.map((d, i) => {
        const o = outcome[i];
        if (o === 'forward') return upstreamResults[k++] ?? { id: d._id, error: 'unknown_error', reason: 'no answer from CouchDB' };
        return o;
      });
      return sendJson(ctx.res, 201, answer);
    }
    // new_edits:false answers only failures. Put CouchDB's back at the position of the document they name.
    const placed: Array<{ at: number; entry: unknown }> = [];
    list.forEach((_, i) => {
      const o = outcome[i];
      if (o !== 'forward' && o !== 'drop' && o !== undefined) placed.push({ at: i, entry: o });
    });
    const unused = new Set(forwarded);
    for (const entry of upstreamResults) {
      const e = isObj(entry) ? entry : {};
      const at = forwarded.find((i) => unused.has(i) && list[i]?._id === e.id && (e.rev === undefined || list[i]?._rev === e.rev));
      if (at !== undefined) unused.delete(at);
      placed.push({ at: at ?? Number.MAX_SAFE_INTEGER, entry });
    }
    placed.sort((a, b) => a.at - b.at);
    sendJson(ctx.res, 201, placed.map((p) => p.entry));
  }

  async function putDoc(ctx: Ctx, db: string, id: string, query: string): Promise<void> {
    const body = await readObject(ctx);
    if (body._id !== undefined && body._id !== id) throw bad('Document id must match the URL');
    const doc: Json = { ...body, _id: id };
    delete doc._revisions;
    const refused = staticRefusal(doc);
    if (refused) throw new GatewayError(403, refused.error, refused.reason);
    // Only `rev` is passed on: `new_edits=false` in the query would be a replicated write that skipped the
    // ledger check, and `batch=ok` would acknowledge before the write.
    const rev = new URLSearchParams(query).get('rev');
    const path = `${dbPath(db)}/${enc(id)}` + (rev ? `?rev=${enc(rev)}` : '');
    const release = opts.isLedger(id, doc.type) ? await locks.acquire([`${db}\0${id}`]) : () => undefined;
    try {
      const up = await upstreamJson(ctx, { method: 'PUT', path, auth: ctx.auth, body: doc });
      if (up.status === 401) relayStatus(ctx, up.status, up.body);
      const h = passHeaders(up.headers);
      delete h['content-length'];
      sendJson(ctx.res, up.status, up.body, h);
    } finally {
      release();
    }
  }

  // ---- routing ----

  async function route(ctx: Ctx, path: GatewayPath): Promise<void> {
    const { req, principal } = ctx;
    const method = req.method ?? 'GET';
    const { segs, query } = path;
    const denied = () => forbidden(`${method} ${segs.length > 1 ? routeShape(segs) : '/'} is not available through the replication gateway`);

    if (segs.length === 0) {
      // The welcome answer: PouchDB reads the server uuid from it to name its replication checkpoints.
      if (method !== 'GET') throw denied();
      return pipe(ctx, { method: 'GET', path: '/', auth: ctx.auth });
    }
    const db = segs[0] as string;
    if (db.startsWith('_')) throw forbidden('server endpoints are not available through the replication gateway');
    const access = Object.hasOwn(principal.dbs, db) ? principal.dbs[db] : undefined;
    if (access !== 'read' && access !== 'write') throw forbidden('You are not allowed to access this db.');
    const canWrite = access === 'write';
    const [, first, second] = segs;

    if (first === undefined) {
      if (method !== 'GET' && method !== 'HEAD') throw denied();
      return pipe(ctx, { method, path: dbPath(db) + '/', auth: ctx.auth });
    }
    if (segs.length === 2) {
      switch (first) {
        case '_changes':
          if (method === 'GET') return pipe(ctx, { method, path: withQuery(`${dbPath(db)}/_changes`, query), auth: ctx.auth }, true);
          if (method === 'POST') {
            // Parsed and re-serialised, so CouchDB reads exactly what was checked (no duplicate-key games).
            const body = await readObject(ctx);
            return pipe(ctx, { method, path: withQuery(`${dbPath(db)}/_changes`, query), auth: ctx.auth, body }, true);
          }
          throw denied();
        case '_revs_diff': {
          if (method !== 'POST') throw denied();
          const body = await readObject(ctx);
          if (Object.keys(body).length > MAX_DOCS_PER_REQUEST) throw new GatewayError(413, 'too_large', `too many ids in one request (at most ${MAX_DOCS_PER_REQUEST})`);
          refuseLocalIds(Object.keys(body));
          return pipe(ctx, { method, path: `${dbPath(db)}/_revs_diff`, auth: ctx.auth, body });
        }
        case '_bulk_get': {
          if (method !== 'POST') throw denied();
          const body = await readObject(ctx);
          const docs = boundedArray(body.docs, 'docs');
          refuseLocalIds(docs.map((d) => (isObj(d) ? d.id : undefined)));
          return pipe(ctx, { method, path: withQuery(`${dbPath(db)}/_bulk_get`, query), auth: ctx.auth, body, accept: req.headers.accept });
        }
        case '_all_docs': {
          const params = new URLSearchParams(query);
          for (const name of ['key', 'keys']) {
            const raw = params.get(name);
            if (raw === null) continue;
            let parsed: unknown;
            try {
              parsed = JSON.parse(raw);
            } catch {
              throw bad(`invalid JSON in ${name}`);
            }
            refuseLocalIds(Array.isArray(parsed) ? parsed : [parsed]);
          }
          if (method === 'GET') return pipe(ctx, { method, path: withQuery(`${dbPath(db)}/_all_docs`, query), auth: ctx.auth });
          if (method === 'POST') {
            const body = await readObject(ctx);
            if (body.keys !== undefined) refuseLocalIds(boundedArray(body.keys, 'keys'));
            return pipe(ctx, { method, path: withQuery(`${dbPath(db)}/_all_docs`, query), auth: ctx.auth, body });
          }
          throw denied();
        }
        case '_bulk_docs':
          if (method !== 'POST' || !canWrite) throw denied();
          return bulkDocs(ctx, db);
        default:
          break;
      }
      if (first.startsWith('_')) throw denied(); // _security, _find, _index, _compact, _purge, ...
      if (method === 'GET') return pipe(ctx, { method, path: withQuery(`${dbPath(db)}/${enc(first)}`, query), auth: ctx.auth, accept: req.headers.accept });
      if (method === 'PUT' && canWrite) return putDoc(ctx, db, first, query);
      throw denied();
    }
    if (segs.length === 3 && first === '_local') return localDoc(ctx, db, second as string, query);
    if (segs.length === 3 && first === '_design' && method === 'GET') {
      // Read-only: members read design documents on CouchDB anyway, and replication pulls them through
      // `_changes` + `_bulk_get`; refusing this one GET would protect nothing and break PouchDB's fallback.
      return pipe(ctx, { method, path: withQuery(`${dbPath(db)}/_design/${enc(second as string)}`, query), auth: ctx.auth, accept: req.headers.accept });
    }
    // Attachments, views, shows, `_design` writes: nothing else is let through.
    throw denied();
  }

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      let principal: GatewayPrincipal | null = null;
      try {
        const path = parseGatewayPath(req.url);
        try {
          principal = await opts.authenticate(req.headers.authorization);
        } catch (err) {
          const status = (err as { status?: unknown })?.status;
          if (typeof status === 'number' && status >= 400 && status < 500) {
            throw new GatewayError(status, status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'bad_request', err instanceof Error ? err.message : 'not authorized');
          }
          throw err;
        }
        const auth = await opts.upstreamAuth(principal);
        await route({ req, res, principal, auth, received: 0 }, path);
      } catch (err) {
        if (res.destroyed && !res.writableFinished) {
          // The client went away (a long poll given up, a terminal switched off): the upstream request was
          // aborted on purpose, nothing to answer and nothing worth a warning.
          log.debug('gateway.client_gone', { method: req.method, url: req.url, principal: principal?.id });
          return;
        }
        if (err instanceof GatewayError) {
          if (err.reason === BODY_CONSUMED) log.error('gateway.body_consumed', { url: req.url, hint: 'mount the gateway before any body parser' });
          else if (err.status >= 500) log.warn('gateway.failed', { url: req.url, principal: principal?.id, status: err.status, reason: err.reason });
          else log.debug('gateway.refused', { method: req.method, url: req.url, principal: principal?.id, status: err.status, reason: err.reason });
        } else {
          log.warn('gateway.upstream_failed', { method: req.method, url: req.url, principal: principal?.id, err: err instanceof Error ? err : String(err) });
        }
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const e = err instanceof GatewayError ? err : new GatewayError(502, 'bad_gateway', 'the gateway could not complete the request with CouchDB');
        // After a refusal the rest of an unread body is not worth reading: close instead of draining.
        const closing = !req.complete ? { Connection: 'close' } : undefined;
        sendJson(res, e.status, { error: e.error, reason: e.reason }, closing);
      }
    })();
  }) as GatewayHandler;
  Object.defineProperty(handler, 'stats', { value: stats });
  Object.defineProperty(handler, 'close', { value: () => agent.destroy() });
  return handler;
}

/** A route shape for refusal messages (ids are not echoed back). */
function routeShape(segs: string[]): string {
  const [, first, ...rest] = segs;
  const shown = first?.startsWith('_') ? first : '{docid}';
  return `/{db}/${shown}${rest.length ? '/' + (first === '_design' ? '{ddoc}' : '…') + (rest.length > 1 ? '/…' : '') : ''}`;
}
