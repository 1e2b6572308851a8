// Document routes of one database: `/db/docid[/attachment]`, `/db/_design/name[/attachment|/_view|/_info]`,
// `/db/_local/name`, and the reads under `/db/_…` that express-pouchdb answers (`_all_docs`, `_find`…).
// The document id always comes from the path; a body `_id` that differs is a 400.
import type http from 'node:http';
import { CouchError, badRequest, isPlainObject, readBody, sendJson } from './http';
import { delegate, jsonBody, type DbRequest, type ServerContext } from './context';
import { CONFLICT, ID_MISMATCH, LOCAL_ATTACHMENTS, MISSING, NOT_JSON, ONLY_DOC_METHODS } from './errors';
import { writeDocs, type Doc, type WriteContext, type WriteResult } from './writes';
import { checkDocBody, checkDocId, checkOpenRevs } from './docCheck';
import { plainKeys } from './keyedReads';

// Endpoints under /{db}/_… that read and are answered by express-pouchdb for POST (any other POST there
// would reach express-pouchdb's multipart document route, which writes).
const DELEGATED_POSTS = new Set(['_all_docs', '_find', '_explain', '_revs_diff', '_ensure_full_commit', '_design_docs', '_local_docs']);

const isRead = (method: string) => method === 'GET' || method === 'HEAD';
const isMultipart = (req: http.IncomingMessage) => /^multipart\//.test(req.headers['content-type'] ?? '');

/** The revision a DELETE or attachment write names: `?rev=` or an If-Match header. */
function requestRev(req: http.IncomingMessage, query: Record<string, string>): string | undefined {
  const ifMatch = req.headers['if-match'];
  return query.rev ?? (typeof ifMatch === 'string' ? ifMatch.replace(/"/g, '') : undefined);
}

/** A document write's answer: 201 with ETag and Location, or the write's own error. */
export function sendWrite(res: http.ServerResponse, dbName: string, result: WriteResult | undefined, fallback: { id: string; rev?: string }): void {
  if (!result) {
    // new_edits=false answers nothing for a stored revision
    sendJson(res, 201, { ok: true, id: fallback.id, rev: fallback.rev });
  } else if ('ok' in result) {
    sendJson(res, 201, result, {
      ETag: `"${result.rev}"`,
      Location: `/${encodeURIComponent(dbName)}/${encodeURIComponent(result.id)}`,
    });
  } else {
    sendJson(res, result.status, { error: result.error, reason: result.reason });
  }
}

/** The document an attachment write starts from: the named revision, or a new document for a PUT without one. */
async function attachmentBase(w: WriteContext, req: http.IncomingMessage, docId: string, rev: string | undefined): Promise<Doc> {
  if (rev) {
    return (await w.db.get(docId, { rev }).catch(() => {
      throw CONFLICT();
    })) as unknown as Doc;
  }
  if (req.method !== 'PUT') throw CONFLICT();
  const existing = await w.db.get(docId).catch(() => null);
  if (existing) throw CONFLICT();
  return { _id: docId };
}

/** PUT or DELETE of one attachment: written as a whole document through writeDocs (validated). */
async function attachmentWrite(ctx: ServerContext, r: DbRequest, docId: string, name: string): Promise<void> {
  const { req, res, write } = r;
  const doc = await attachmentBase(write, req, docId, requestRev(req, r.query));
  const attachments = isPlainObject(doc._attachments) ? { ...doc._attachments } : {};
  if (req.method === 'PUT') {
    const data = await readBody(req, ctx.limit);
    attachments[name] = { content_type: req.headers['content-type'] ?? 'application/octet-stream', data: data.toString('base64') };
  } else {
    if (!(name in attachments)) throw new CouchError(404, 'not_found', 'Document is missing attachment');
    delete attachments[name];
  }
  const [result] = await writeDocs(write, [{ ...doc, _attachments: attachments }], true);
  sendWrite(res, write.dbName, result, { id: docId });
}

/**
 * `_local` documents, answered here rather than by express-pouchdb (which took the document id from the
 * body, so `PUT /db/_local/x {"_id":"_design/evil"}` wrote a design document). The id is always
 * `_local/` + the path segment; a different body `_id` is a 400. They are not validated and any member
 * may write them, as on CouchDB; they carry no attachments (an inline `_attachments` member is dropped,
 * any attachment path is a 400, both as on CouchDB).
 */
export async function localRoute(ctx: ServerContext, r: DbRequest): Promise<void> {
  const { req, res, method, query } = r;
  const db = r.write.db;
  const [name, ...more] = r.rest.slice(1);
  if (!name) throw badRequest('Missing _local document id');
  if (more.length) throw LOCAL_ATTACHMENTS;
  const id = `_local/${name}`;
  if (isRead(method)) {
    const doc = (await db.get(id)) as unknown as Doc;
    return sendJson(res, 200, doc, { ETag: `"${doc._rev ?? ''}"` });
  }
  if (method === 'PUT') {
    if (isMultipart(req)) throw LOCAL_ATTACHMENTS;
    const body = await jsonBody(ctx, req);
    if (!isPlainObject(body)) throw badRequest('Document must be a JSON object');
    if (body._id !== undefined && typeof body._id !== 'string') checkDocId(body._id); // CouchDB's own refusal
    if (body._id !== undefined && body._id !== id) throw ID_MISMATCH;
    // Unknown `_` fields are refused; `_attachments` is dropped, as CouchDB does for `_local` documents.
    const doc: Record<string, unknown> = { ...checkDocBody({ ...body, _id: id }) };
    if (doc._rev === undefined && query.rev) doc._rev = query.rev;
    const result = await db.put(doc as PouchDB.Core.PutDocument<Record<string, unknown>>);
    return sendJson(res, 201, { ok: true, id, rev: result.rev }, { ETag: `"${result.rev}"` });
  }
  if (method === 'DELETE') {
    const rev = requestRev(req, query);
    if (!rev) throw CONFLICT();
    const result = await db.remove({ _id: id, _rev: rev });
    return sendJson(res, 200, { ok: true, id, rev: result.rev });
  }
  // COPY would take its target id from a header, POST from a multipart body: neither is offered.
  throw ONLY_DOC_METHODS;
}

/** PUT /db/docid: the path names the document; a body naming another is refused, never obeyed or ignored. */
async function putDoc(ctx: ServerContext, r: DbRequest, docId: string): Promise<void> {
  if (isMultipart(r.req)) throw NOT_JSON();
  const body = await jsonBody(ctx, r.req);
  if (!isPlainObject(body)) throw badRequest('Document must be a JSON object');
  if (body._id !== undefined && typeof body._id !== 'string') checkDocId(body._id); // CouchDB's own refusal
  if (body._id !== undefined && body._id !== docId) throw ID_MISMATCH;
  const doc: Record<string, unknown> = { ...body, _id: docId };
  if (r.query.rev && doc._rev === undefined) doc._rev = r.query.rev;
  const newEdits = r.query.new_edits !== 'false';
  const [result] = await writeDocs(r.write, [doc], newEdits);
  sendWrite(r.res, r.write.dbName, result, { id: docId, rev: typeof doc._rev === 'string' ? doc._rev : undefined });
}

async function deleteDoc(r: DbRequest, docId: string): Promise<void> {
  const rev = requestRev(r.req, r.query);
  if (!rev) throw CONFLICT();
  const [result] = await writeDocs(r.write, [{ _id: docId, _rev: rev, _deleted: true }], true);
  sendWrite(r.res, r.write.dbName, result, { id: docId });
}

/** A document (`attParts` empty) or one of its attachments: reads go to express-pouchdb, writes through writeDocs. */
async function docOrAttachment(ctx: ServerContext, r: DbRequest, docId: string, attParts: string[]): Promise<void> {
  const { method } = r;
  if (isRead(method)) {
    // PouchDB answers a malformed open_revs with an internal error; CouchDB with 400.
    if (attParts.length === 0) checkOpenRevs(r.query.open_revs);
    return delegate(ctx, r.req, r.res);
  }
  if (attParts.length > 0) {
    if (method !== 'PUT' && method !== 'DELETE') throw ONLY_DOC_METHODS;
    return attachmentWrite(ctx, r, docId, attParts.join('/'));
  }
  if (method === 'PUT') return putDoc(ctx, r, docId);
  if (method === 'DELETE') return deleteDoc(r, docId);
  // COPY (target id from a Destination header) and multipart POST would write around these rules.
  throw ONLY_DOC_METHODS;
}

/**
 * `/db/_design/name/_…`: views are reads for members; nothing else under a design document (_show, _list,
 * _update, _rewrite) is offered.
 */
async function designEndpoint(ctx: ServerContext, r: DbRequest, endpoint: string): Promise<void> {
  const { method } = r;
  if (endpoint === '_view' && (isRead(method) || method === 'POST')) {
    return delegate(ctx, r.req, r.res, method === 'POST' ? ((await jsonBody(ctx, r.req)) ?? {}) : undefined);
  }
  if (endpoint === '_info' && isRead(method)) return delegate(ctx, r.req, r.res);
  throw MISSING();
}

/** The body with the query string's `include_docs` (`true`/`false`) when the body has none. */
function withQueryFlag(body: unknown, flag: string | undefined): unknown {
  if (!isPlainObject(body) || flag === undefined || 'include_docs' in body) return body;
  return flag === 'true' || flag === 'false' ? { ...body, include_docs: flag === 'true' } : { ...body, include_docs: flag };
}

/** Reads under `/db/_…` (_all_docs, _revs_diff, _find, _explain, _ensure_full_commit, _design_docs…). */
async function dbReadEndpoint(ctx: ServerContext, r: DbRequest, endpoint: string): Promise<void> {
  if (isRead(r.method)) return delegate(ctx, r.req, r.res);
  if (r.method === 'POST' && DELEGATED_POSTS.has(endpoint)) {
    const body = (await jsonBody(ctx, r.req)) ?? {};
    // `include_docs` may come in the query string (changes followers send it there).
    const plain = endpoint === '_all_docs' && Object.keys(r.query).every((k) => k === 'include_docs') ? plainKeys(withQueryFlag(body, r.query.include_docs)) : null;
    // PouchDB's class here answers plain keys queries by point reads (keyedReads.ts); express-pouchdb would add options.
    if (plain) return sendJson(r.res, 200, await r.write.db.allDocs({ keys: plain.keys, include_docs: plain.includeDocs }));
    // What express-pouchdb does with it, without its layers (a replication asks this once per batch).
    if (endpoint === '_revs_diff' && isPlainObject(body) && Object.keys(r.query).length === 0) return sendJson(r.res, 200, await r.write.db.revsDiff(body as PouchDB.Core.RevisionDiffOptions));
    return delegate(ctx, r.req, r.res, body);
  }
  throw MISSING();
}

/**
 * Documents and attachments: `/db/_design/name[/att]` (parseRequestPath already split `_design%2Fname`)
 * or `/db/docid[/att]`; any other `/db/_…` is a read endpoint.
 */
export async function docRoute(ctx: ServerContext, r: DbRequest): Promise<void> {
  const [first = '', second, third] = r.rest;
  if (first === '_design') {
    if (!second) throw MISSING();
    if (third?.startsWith('_')) return designEndpoint(ctx, r, third);
    return docOrAttachment(ctx, r, `_design/${second}`, r.rest.slice(2));
  }
  if (first.startsWith('_') && r.method !== 'PUT' && r.method !== 'DELETE') return dbReadEndpoint(ctx, r, first);
  return docOrAttachment(ctx, r, first, r.rest.slice(1));
}
