// Every document write of the embedded server goes through writeDocs(): single PUT/POST/DELETE, attachment
// PUT/DELETE and _bulk_docs, including the `new_edits:false` writes of replication, because CouchDB runs
// validate_doc_update on replicated writes too. We validate here rather than through express-pouchdb's
// pouchdb-validation wrapper because that wrapper never sees our JWT user (it only reads express-pouchdb's
// own session), evaluates with `eval` outside a vm, and fails a whole _bulk_docs call on one bad document
// where CouchDB answers per document. guardWrites() makes any other write path fail loudly instead of
// skipping validation.
import { randomUUID } from 'node:crypto';
import type { UserCtx } from './jwt';
import type { SecurityObject } from './security';
import type { DesignDoc, Sandbox, ThrowReport } from './sandbox';
import { isPlainObject } from './http';

export type Doc = Record<string, unknown> & { _id: string; _rev?: string };

/** Marks a bulkDocs call as coming from writeDocs, after validation. */
export const VALIDATED = Symbol('caja.validated');

export interface WriteOk {
  ok: true;
  id: string;
  rev: string;
}
export interface WriteFailed {
  id: string;
  rev?: string;
  error: string;
  reason: string;
  /** HTTP status for a single-document request. */
  status: number;
}
export type WriteResult = WriteOk | WriteFailed;

export interface WriteContext {
  db: PouchDB.Database;
  dbName: string;
  user: UserCtx;
  sec: SecurityObject;
  dbAdmin: boolean;
  sandbox: Sandbox;
  validators: ValidatorCache;
}

interface PouchResult {
  ok?: boolean;
  id?: string;
  rev?: string;
  error?: unknown;
  name?: string;
  message?: string;
  reason?: string;
  status?: number;
}

type BulkDocs = (...args: unknown[]) => Promise<PouchResult[]>;

/** Design documents with a validate_doc_update, per database, dropped whenever a design document changes. */
export class ValidatorCache {
  private readonly byDb = new Map<string, Promise<DesignDoc[]>>();

  get(dbName: string, db: PouchDB.Database): Promise<DesignDoc[]> {
    let entry = this.byDb.get(dbName);
    if (!entry) {
      entry = db
        .allDocs({ startkey: '_design/', endkey: '_design0', include_docs: true })
        .then((res) =>
          res.rows
            .map((row) => row.doc as unknown as DesignDoc | undefined)
            .filter((doc): doc is DesignDoc => !!doc && typeof doc.validate_doc_update === 'string'),
        );
      entry.catch(() => this.byDb.delete(dbName));
      this.byDb.set(dbName, entry);
    }
    return entry;
  }

  invalidate(dbName: string): void {
    this.byDb.delete(dbName);
  }
}

const NOT_DB_ADMIN: Omit<WriteFailed, 'id'> = { status: 403, error: 'unauthorized', reason: 'You are not a db or server admin.' };

/** The document as validate_doc_update sees it: attachment bodies become stubs, as CouchDB passes them. */
function forValidation(doc: Doc): Doc {
  if (!isPlainObject(doc._attachments)) return doc;
  const stubs: Record<string, unknown> = {};
  for (const [name, att] of Object.entries(doc._attachments)) {
    if (!isPlainObject(att)) continue;
    const { data: _data, ...rest } = att;
    stubs[name] = { ...rest, stub: true };
  }
  return { ...doc, _attachments: stubs };
}

/** The revision a write replaces: the `_rev` given, else the current winner; for replicated writes the leaf it extends. */
async function oldDocs(db: PouchDB.Database, docs: Doc[], newEdits: boolean): Promise<(Doc | null)[]> {
  // One point read per document, in parallel: on PouchDB's LevelDB adapter `allDocs({keys})` opens an
  // iterator per key and was 4-5x slower for a 1000-document replication batch (the bulk of the write cost).
  const current = await Promise.all(
    docs.map((d) =>
      db.get<Record<string, unknown>>(d._id).then(
        (found) => ({ state: 'live' as const, doc: found as unknown as Doc }),
        (err: { status?: number; reason?: string }) => {
          if (err?.status !== 404) throw err;
          return { state: err.reason === 'deleted' ? ('deleted' as const) : ('missing' as const), doc: null };
        },
      ),
    ),
  );
  return Promise.all(
    docs.map(async (doc, i): Promise<Doc | null> => {
      const row = current[i];
      if (!row || row.state === 'missing') return null; // never written: nothing to replace
      const winner = row.doc;
      if (newEdits) {
        if (!doc._rev || (winner && winner._rev === doc._rev)) return winner;
        return (await db.get(doc._id, { rev: doc._rev }).catch(() => null)) as Doc | null;
      }
      const history = isPlainObject(doc._revisions) ? doc._revisions : null;
      const start = typeof history?.start === 'number' ? history.start : 0;
      const ancestry = new Set((Array.isArray(history?.ids) ? (history.ids as string[]) : []).slice(1).map((h, k) => `${start - 1 - k}-${h}`));
      if (winner && winner._rev && ancestry.has(winner._rev)) return winner;
      const leaves = (await db.get(doc._id, { open_revs: 'all' }).catch(() => [])) as Array<{ ok?: Doc }>;
      return leaves.map((l) => l.ok ?? null).find((leaf) => !!leaf?._rev && ancestry.has(leaf._rev)) ?? null;
    }),
  );
}

function failureFrom(id: string, report: ThrowReport): WriteFailed {
  if (report.forbidden !== undefined) return { id, error: 'forbidden', reason: String(report.forbidden), status: 403 };
  if (report.unauthorized !== undefined) return { id, error: 'unauthorized', reason: String(report.unauthorized), status: 401 };
  // Any other exception rejects the write too (fail closed), reported like CouchDB's query-server errors.
  return { id, error: report.name ?? 'error', reason: report.message ?? 'validate_doc_update failed', status: 500 };
}

/**
 * Validates then writes `docs` in order and answers per document, as CouchDB's _bulk_docs does. With
 * new_edits=false only failures are returned (CouchDB's replicated-write answer).
 */
export async function writeDocs(ctx: WriteContext, input: unknown[], newEdits: boolean): Promise<WriteResult[]> {
  const failures = new Map<number, WriteFailed>();
  const docs: Doc[] = input.map((raw, i) => {
    if (!isPlainObject(raw)) {
      failures.set(i, { id: '', error: 'bad_request', reason: 'Document must be a JSON object', status: 400 });
      return { _id: '' };
    }
    const id = typeof raw._id === 'string' && raw._id !== '' ? raw._id : randomUUID().replace(/-/g, '');
    return { ...raw, _id: id } as Doc;
  });

  let touchesDesign = false;
  const toValidate: number[] = [];
  docs.forEach((doc, i) => {
    if (failures.has(i)) return;
    if (doc._id.startsWith('_design/')) {
      touchesDesign = true;
      // Design documents are admin business and skip validate_doc_update, as in CouchDB.
      if (!ctx.dbAdmin) failures.set(i, { id: doc._id, ...NOT_DB_ADMIN });
    } else if (!doc._id.startsWith('_local/')) {
      toValidate.push(i);
    }
  });

  const validators = toValidate.length ? await ctx.validators.get(ctx.dbName, ctx.db) : [];
  if (validators.length) {
    const olds = await oldDocs(ctx.db, toValidate.map((i) => docs[i] as Doc), newEdits);
    const oldByIndex = new Map(toValidate.map((docIndex, k) => [docIndex, olds[k] ?? null]));
    const userCtx = { db: ctx.dbName, name: ctx.user.name, roles: ctx.user.roles };
    let pending = toValidate;
    for (const ddoc of validators) {
      if (!pending.length) break;
      const reports = ctx.sandbox.callEach(
        ddoc,
        'validate_doc_update',
        ddoc.validate_doc_update as string,
        pending.map((i) => [forValidation(docs[i] as Doc), oldByIndex.get(i) ?? null, userCtx, ctx.sec]),
      );
      pending = pending.filter((docIndex, k) => {
        const report = reports[k];
        if (!report || report.ok) return true;
        failures.set(docIndex, failureFrom((docs[docIndex] as Doc)._id, report));
        return false;
      });
    }
  }

  const passing = docs.filter((_, i) => !failures.has(i));
  const bulkDocs = ctx.db.bulkDocs.bind(ctx.db) as unknown as BulkDocs;
  const written = passing.length ? await bulkDocs(passing, { new_edits: newEdits, [VALIDATED]: true }) : [];
  if (touchesDesign) {
    ctx.validators.invalidate(ctx.dbName);
  }

  const fromPouch = (r: PouchResult, fallbackId: string): WriteResult =>
    r.ok
      ? { ok: true, id: r.id ?? fallbackId, rev: r.rev ?? '' }
      : {
          id: r.id ?? fallbackId,
          error: r.name ?? String(r.error ?? 'error'),
          reason: r.message ?? r.reason ?? '',
          status: r.status ?? 500,
        };

  if (!newEdits) {
    return [...failures.values(), ...written.map((r) => fromPouch(r, ''))];
  }
  let next = 0;
  return docs.map((doc, i) => failures.get(i) ?? fromPouch(written[next++] ?? {}, doc._id));
}

/**
 * Makes the database refuse any write of ordinary documents that did not come through writeDocs(), so a
 * route added to (or left in) express-pouchdb can never skip validation silently. Design and `_local`
 * documents are let through: pouchdb-find writes its index design documents and map/reduce its `_local`
 * bookkeeping through the same method, and HTTP access to those is gated to db admins / members already.
 */
export function guardWrites(db: PouchDB.Database, onRefused: (ids: string[]) => void): void {
  const target = db as unknown as { bulkDocs: BulkDocs; __cajaGuarded?: boolean };
  if (target.__cajaGuarded) return;
  target.__cajaGuarded = true;
  const original = target.bulkDocs;
  target.bulkDocs = function guardedBulkDocs(this: unknown, ...args: unknown[]) {
    // Pass the arguments on exactly as given: PouchDB detects a callback by position.
    const [req, opts, cb] = args;
    const validated = isPlainObject(opts) && (opts as Record<symbol, unknown>)[VALIDATED] === true;
    if (!validated) {
      const list: unknown[] = Array.isArray(req) ? req : isPlainObject(req) && Array.isArray(req.docs) ? req.docs : [];
      const unguarded = list
        .map((d) => (isPlainObject(d) && typeof d._id === 'string' ? d._id : ''))
        .filter((id) => !id.startsWith('_design/') && !id.startsWith('_local/'));
      if (unguarded.length) {
        onRefused(unguarded);
        const err = Object.assign(new Error('write path without validation'), { status: 500, name: 'internal_server_error' });
        const callback = typeof cb === 'function' ? cb : typeof opts === 'function' ? opts : null;
        if (callback) {
          (callback as (e: Error) => void)(err);
          return Promise.resolve([]);
        }
        return Promise.reject(err);
      }
    }
    return original.apply(this, args);
  };
}
