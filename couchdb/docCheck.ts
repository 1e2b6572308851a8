// The checks CouchDB 3.5 makes on a document body before it writes anything (couch_doc:from_json_obj and
// validate_docid), made here so a bad body gets CouchDB's 400 instead of a PouchDB internal error (500)
// — or, for a non-string attachment `data`, an exception thrown inside PouchDB that ended the process.
// A bad document fails the whole request, also in `_bulk_docs`, as on CouchDB.
import { CouchError, isPlainObject } from './http';

/** The `_`-fields CouchDB 3.5 accepts in a document body (checked against one); any other is `doc_validation`. */
const SPECIAL_FIELDS = new Set([
  ...['_id', '_rev', '_attachments', '_deleted', '_revisions', '_revs_info', '_conflicts', '_deleted_conflicts', '_local_seq', '_access'],
  // The fields of `_replicator` documents, accepted in any database.
  ...['_replication_id', '_replication_state', '_replication_state_time', '_replication_state_reason', '_replication_stats'],
]);

const badSpecial = (field: string) => new CouchError(400, 'doc_validation', `Bad special document member: ${field}`);
const illegalId = (reason: string) => new CouchError(400, 'illegal_docid', reason);
const badAttachment = (name: string) => new CouchError(400, 'bad_request', `Invalid attachment data for ${name}`);

// Whole base64 quads, then an optional padded tail: what CouchDB's decoder accepts once whitespace is gone.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** CouchDB's validate_docid for a document id taken from a body (`_bulk_docs`, POST /db). */
export function checkDocId(id: unknown): void {
  if (typeof id !== 'string') throw illegalId('Document id must be a string');
  if (id === '') throw illegalId('Document id must not be empty');
  if (id === '_design/' || id === '_local/') throw illegalId(`Illegal document id \`${id}\``);
  if (id.startsWith('_') && !id.startsWith('_design/') && !id.startsWith('_local/')) {
    throw illegalId('Only reserved document ids may start with underscore.');
  }
}

/**
 * Inline attachment `data` in the canonical base64 PouchDB stores: whitespace removed, then re-encoded
 * (CouchDB accepts any padding bits; PouchDB's own check wants the canonical spelling). Null when invalid.
 */
function canonicalBase64(data: unknown): string | null {
  if (typeof data !== 'string') return null;
  const compact = data.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return null;
  return Buffer.from(compact, 'base64').toString('base64');
}

/** The `_attachments` member checked, with inline data made canonical; stubs are left to the revision check. */
function checkAttachments(atts: unknown): Record<string, unknown> {
  if (!isPlainObject(atts)) throw badSpecial('_attachments');
  const out: Record<string, unknown> = {};
  for (const [name, att] of Object.entries(atts)) {
    if (!isPlainObject(att)) throw badAttachment(name);
    if (att.stub === true) {
      out[name] = att;
      continue;
    }
    const data = canonicalBase64(att.data);
    if (data === null) throw badAttachment(name);
    if (att.content_type !== undefined && typeof att.content_type !== 'string') throw badAttachment(name);
    out[name] = { ...att, data };
  }
  return out;
}

/**
 * Checks one document body as CouchDB does before writing and returns it ready for PouchDB: unknown
 * `_`-fields and bad attachments throw CouchDB's 400. `_local` documents keep no attachments: CouchDB
 * accepts the member and drops it, and so do we.
 */
export function checkDocBody(doc: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(doc)) {
    if (key.startsWith('_') && !SPECIAL_FIELDS.has(key)) throw badSpecial(key);
  }
  if (doc._attachments === undefined) return doc;
  if (typeof doc._id === 'string' && doc._id.startsWith('_local/')) {
    const { _attachments: _dropped, ...rest } = doc;
    return rest;
  }
  return { ...doc, _attachments: checkAttachments(doc._attachments) };
}

/**
 * `open_revs` of a document GET: "all" or a JSON list (its entries are checked by PouchDB as CouchDB
 * checks them). Anything else is CouchDB's 400 rather than a PouchDB internal error.
 */
export function checkOpenRevs(raw: string | undefined): void {
  if (raw === undefined || raw === 'all') return;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new CouchError(400, 'bad_request', 'invalid UTF-8 JSON');
  }
  if (!Array.isArray(value)) throw new CouchError(400, 'bad_request', 'Invalid list of revisions');
}
