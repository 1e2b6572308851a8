// Every document write of the embedded server goes through writeDocs(): single PUT/POST/DELETE, attachment
// PUT/DELETE and _bulk_docs, including the `new_edits:false` writes of replication, because CouchDB runs
// validate_doc_update on replicated writes too. We validate here rather than through express-pouchdb's
// pouchdb-validation wrapper because that wrapper never sees our JWT user (it only reads express-pouchdb's
// own session), evaluates with `eval` outside a vm, and fails a whole _bulk_docs call on one bad document
// where CouchDB answers per document. guardWrites() makes any other write path fail loudly instead of
// skipping validation.
//
// Who may write what: design documents only server admins (role `_admin`), by every route, because on this
// server a design document is code — its views run in the Node process through PouchDB's map/reduce, and
// its validate_doc_update decides what every member may write (see writeDocs). Replicated writes
// (`new_edits:false`) of members must extend the stored revision history of an existing document; they may
// never graft a new root onto it (see inspectReplicated).
import { rangeStates } from './keyedReads';
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { UserCtx } from './jwt';
import type { SecurityObject } from './security';
import type { DesignDoc, Sandbox, ThrowReport } from './sandbox';
import { badRequest, isPlainObject } from './http';
import { checkDocBody, checkDocId } from './docCheck';
import { isDbAdmin } from './security';

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
  /** Role `_admin`: may write design documents and replicate any revision tree. */
  serverAdmin: boolean;
  sandbox: Sandbox;
  validators: ValidatorCache;
  /** One per server: serialises the read-check-write of each (database, document id). */
  locks: KeyedMutex;
}

/**
 * Serialises async sections per key. A caller registers on all its keys at once (synchronously), then
 * waits for the previous holders; since every wait is for an earlier registration, two batches sharing
 * ids can never wait on each other in a cycle.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: Iterable<string>, fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    let release: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (release = resolve));
    const previous: Promise<void>[] = [];
    for (const key of unique) {
      const tail = this.tails.get(key);
      if (tail) previous.push(tail);
      this.tails.set(key, done);
    }
    try {
      await Promise.all(previous);
      return await fn();
    } finally {
      release();
      for (const key of unique) if (this.tails.get(key) === done) this.tails.delete(key);
    }
  }

  /** Keys currently held or awaited (for tests: the map must drain). */
  get size(): number {
    return this.tails.size;
  }
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

// CouchDB lets db admins write design documents; Caja requires a server admin. On this server a design
// document is code that runs in the Node process (PouchDB evaluates view map/reduce functions there) and
// its validate_doc_update is the rule every member's write must pass, so writing one is equivalent to
// running code on the host and rewriting the store's access rules. Only Caja's own services (HQ, relay,
// deploy) hold `_admin` tokens; store and terminal credentials may be listed as db admins by mistake.
// A member gets CouchDB's own refusal; a db admin (whom CouchDB would let) is told why.
function designRefusal(ctx: WriteContext): Omit<WriteFailed, 'id'> {
  const reason = isDbAdmin(ctx.user, ctx.sec) ? 'You are not a server admin.' : 'You are not a db or server admin.';
  return { status: 403, error: 'forbidden', reason };
}
/** Validation runs in slices of this many documents, yielding to the event loop in between. */
const VALIDATION_SLICE = 64;

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

/** The revision an interactive write (new_edits=true) replaces: the `_rev` given, else the current winner. */
async function oldDocs(db: PouchDB.Database, docs: Doc[]): Promise<(Doc | null)[]> {
  // One point read per document, in parallel: on PouchDB's LevelDB adapter `allDocs({keys})` opens an
  // iterator per key and was 4-5x slower for a 1000-document batch.
  return Promise.all(
    docs.map(async (doc): Promise<Doc | null> => {
      const current = await currentState(db, doc._id);
      if (current.state === 'missing') return null; // never written: nothing to replace
      const winner = current.doc;
      if (!doc._rev || (winner && winner._rev === doc._rev)) return winner;
      return (await db.get(doc._id, { rev: doc._rev }).catch(() => null)) as Doc | null;
    }),
  );
}

type Current = { state: 'live'; doc: Doc } | { state: 'deleted' | 'missing'; doc: null };

async function currentState(db: PouchDB.Database, id: string): Promise<Current> {
  try {
    return { state: 'live', doc: (await db.get<Record<string, unknown>>(id)) as unknown as Doc };
  } catch (err) {
    const e = err as { status?: number; reason?: string; message?: string };
    if (e?.status !== 404) throw err;
    return { state: e.reason === 'deleted' || e.message === 'deleted' ? 'deleted' : 'missing', doc: null };
  }
}

/**
 * currentState of each id: missing and deleted ids from one range read over the batch when it applies (a
 * replicated batch is mostly new documents in id order; keyedReads.ts rangeStates), live ones and the rest by a
 * point read each. The batch's id locks (checkAndWrite) keep the answer true until the write.
 */
async function currentStates(db: PouchDB.Database, ids: string[]): Promise<Map<string, Current>> {
  const out = new Map<string, Current>();
  const ranged = await rangeStates(db, ids);
  const unread: string[] = [];
  for (const id of ids) {
    const known = ranged?.get(id);
    if (known && !known.row) out.set(id, { state: 'missing', doc: null });
    else if (known?.row?.value.deleted) out.set(id, { state: 'deleted', doc: null });
    else unread.push(id);
  }
  await Promise.all(unread.map(async (id) => out.set(id, await currentState(db, id))));
  return out;
}

/**
 * The revision path a replicated document carries, newest first, exactly as PouchDB will store it:
 * from `_revisions` when present (PouchDB then ignores `_rev`), else the single `_rev`. Null if malformed.
 */
function revisionPath(doc: Doc): string[] | null {
  if (doc._revisions !== undefined) {
    const r = doc._revisions;
    if (!isPlainObject(r) || !Number.isInteger(r.start) || !Array.isArray(r.ids)) return null;
    const start = r.start as number;
    const ids = r.ids as unknown[];
    if (ids.length === 0 || ids.length > start || !ids.every((h) => typeof h === 'string' && h !== '')) return null;
    return (ids as string[]).map((h, k) => `${start - k}-${h}`);
  }
  // CouchDB (and PouchDB) accept an empty hash: `1-`.
  const m = typeof doc._rev === 'string' ? /^([1-9][0-9]*)-(.*)$/.exec(doc._rev) : null;
  return m ? [doc._rev as string] : null;
}

type Replicated =
  /** The id was never written (or only earlier in this batch, see `after`): a creation. */
  | { kind: 'new'; old: Doc | null; after?: number }
  /** Extends a stored revision (or one written earlier in this batch, `after`); `old` is that revision. */
  | { kind: 'extends'; old: Doc | null; after?: number }
  /** The revision is stored already: nothing to write. */
  | { kind: 'known' }
  /** A new root on an existing id: shares no revision with what is stored. */
  | { kind: 'graft' }
  | { kind: 'invalid' };

/**
 * Classifies the replicated (new_edits=false) documents of one batch against the stored revision trees,
 * and finds the revision each one is validated against. Batch order matters: a later entry of the same
 * id may extend an earlier one (two conflicting leaves of one document arrive together), which `after`
 * records so a refusal of the earlier entry refuses the later too.
 */
async function inspectReplicated(db: PouchDB.Database, docs: Doc[]): Promise<Replicated[]> {
  const paths = docs.map(revisionPath);
  const currentById = await currentStates(db, [...new Set(docs.map((d) => d._id))]);
  const diffQuery: Record<string, string[]> = {};
  docs.forEach((doc, i) => {
    const path = paths[i];
    if (path && currentById.get(doc._id)?.state !== 'missing') (diffQuery[doc._id] ??= []).push(...path);
  });
  const diff = Object.keys(diffQuery).length ? await db.revsDiff(diffQuery) : {};
  const storedRevs = (id: string): Set<string> => {
    const missing = new Set(diff[id]?.missing ?? []);
    return new Set((diffQuery[id] ?? []).filter((r) => !missing.has(r)));
  };
  // Revisions of this batch accepted so far, per id: rev -> batch index.
  const inBatch = new Map<string, Map<string, number>>();
  const out: Replicated[] = [];
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i] as Doc;
    const path = paths[i];
    if (!path) {
      out.push({ kind: 'invalid' });
      continue;
    }
    const current = currentById.get(doc._id) as Current;
    const batch = inBatch.get(doc._id) ?? new Map<string, number>();
    inBatch.set(doc._id, batch);
    const earlier = path.map((r) => batch.get(r)).find((k) => k !== undefined);
    const remember = () => path.forEach((r) => batch.has(r) || batch.set(r, i));
    if (current.state === 'missing') {
      if (batch.size === 0) {
        out.push({ kind: 'new', old: null });
        remember();
      } else if (earlier !== undefined) {
        // Extends the entry of this batch that carries a revision of its path: validated against it.
        out.push({ kind: 'new', old: docs[earlier] as Doc, after: earlier });
        remember();
      } else {
        out.push({ kind: 'graft' }); // a second, unrelated root for an id created in this same batch
      }
      continue;
    }
    const stored = storedRevs(doc._id);
    if (stored.has(path[0] as string)) {
      out.push({ kind: 'known' });
      continue;
    }
    const ancestor = path.slice(1).find((r) => stored.has(r));
    if (ancestor !== undefined) {
      let old: Doc | null = current.doc && current.doc._rev === ancestor ? current.doc : null;
      old ??= (await db.get(doc._id, { rev: ancestor }).catch(() => null)) as Doc | null;
      // The ancestor's body may be compacted away; validate against the winner, or a tombstone — never
      // against nothing, which would make an edit look like a creation.
      old ??= current.doc ?? { _id: doc._id, _rev: ancestor, _deleted: true };
      out.push({ kind: 'extends', old });
      remember();
    } else if (earlier !== undefined) {
      out.push({ kind: 'extends', old: docs[earlier] as Doc, after: earlier });
      remember();
    } else {
      out.push({ kind: 'graft' });
    }
  }
  return out;
}

function failureFrom(id: string, report: ThrowReport): WriteFailed {
  if (report.forbidden !== undefined) return { id, error: 'forbidden', reason: String(report.forbidden), status: 403 };
  if (report.unauthorized !== undefined) return { id, error: 'unauthorized', reason: String(report.unauthorized), status: 401 };
  // Any other exception rejects the write too (fail closed), reported like CouchDB's query-server errors.
  return { id, error: report.name ?? 'error', reason: report.message ?? 'validate_doc_update failed', status: 500 };
}

const GRAFT: Omit<WriteFailed, 'id'> = {
  status: 403,
  error: 'forbidden',
  reason: 'A replicated revision must extend the stored history of an existing document, not start a new one.',
};

/**
 * Validates then writes `docs` in order and answers per document, as CouchDB's _bulk_docs does. With
 * new_edits=false only failures are returned (CouchDB's replicated-write answer).
 */
export async function writeDocs(ctx: WriteContext, input: unknown[], newEdits: boolean): Promise<WriteResult[]> {
  const failures = new Map<number, WriteFailed>();
  // A malformed document fails the whole request before anything is written, as on CouchDB.
  const checked = input.map((raw) => {
    if (!isPlainObject(raw)) throw badRequest('Document must be a JSON object');
    if (raw._id !== undefined) checkDocId(raw._id);
    if (!newEdits && raw._rev === undefined && raw._revisions === undefined) {
      throw badRequest('When `new_edits: false`, the document needs `_rev` or `_revisions` specified');
    }
    return checkDocBody(raw);
  });
  const docs: Doc[] = checked.map((raw, i) => {
    const id = typeof raw._id === 'string' ? raw._id : randomUUID().replace(/-/g, '');
    if (id.startsWith('_design/') && !ctx.serverAdmin) {
      failures.set(i, { id, ...designRefusal(ctx) });
      return { _id: id };
    }
    return { ...raw, _id: id };
  });
  const live = docs.map((d, i) => (failures.has(i) ? null : d._id)).filter((id): id is string => id !== null);
  return ctx.locks.run(
    live.map((id) => `${ctx.dbName}\u0000${id}`),
    () => checkAndWrite(ctx, docs, failures, newEdits),
  );
}

/** The part of writeDocs that runs while holding the (database, id) locks of the batch. */
async function checkAndWrite(ctx: WriteContext, docs: Doc[], failures: Map<number, WriteFailed>, newEdits: boolean): Promise<WriteResult[]> {
  const skipped = new Set<number>(); // replicated revisions already stored: CouchDB answers nothing for them
  const oldByIndex = new Map<number, Doc | null>();
  const after = new Map<number, number>();
  const ordinary = docs.map((d, i) => i).filter((i) => !failures.has(i) && !(docs[i] as Doc)._id.startsWith('_local/'));

  if (!newEdits && ordinary.length) {
    const inspected = await inspectReplicated(ctx.db, ordinary.map((i) => docs[i] as Doc));
    inspected.forEach((r, k) => {
      const i = ordinary[k] as number;
      const id = (docs[i] as Doc)._id;
      if (r.kind === 'invalid') failures.set(i, { id, status: 400, error: 'bad_request', reason: 'Invalid rev format' });
      else if (r.kind === 'known') skipped.add(i);
      else if (r.kind === 'graft') {
        // Server admins (Caja's own HQ and relay replications, restores) may; as on CouchDB, such a write
        // is validated as a creation.
        if (ctx.serverAdmin) oldByIndex.set(i, null);
        else failures.set(i, { id, ...GRAFT });
      } else {
        oldByIndex.set(i, r.old);
        if (r.after !== undefined) after.set(i, ordinary[r.after] as number);
      }
    });
  }

  // Design documents are admin business and skip validate_doc_update, as in CouchDB.
  const toValidate = ordinary.filter((i) => !failures.has(i) && !skipped.has(i) && !(docs[i] as Doc)._id.startsWith('_design/'));
  const validators = toValidate.length ? await ctx.validators.get(ctx.dbName, ctx.db) : [];
  if (validators.length) {
    if (newEdits) {
      const olds = await oldDocs(ctx.db, toValidate.map((i) => docs[i] as Doc));
      toValidate.forEach((docIndex, k) => oldByIndex.set(docIndex, olds[k] ?? null));
    }
    const userCtx = { db: ctx.dbName, name: ctx.user.name, roles: ctx.user.roles };
    // Every validator sees every document no earlier validator refused; one refusal refuses. Slices keep a
    // 500-document replication batch from holding the event loop for its whole validation.
    for (let from = 0; from < toValidate.length; from += VALIDATION_SLICE) {
      if (from > 0) await nextTurn();
      let pending = toValidate.slice(from, from + VALIDATION_SLICE);
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
          if (report?.ok === true) return true;
          // A missing report is a refusal too (fail closed).
          failures.set(docIndex, failureFrom((docs[docIndex] as Doc)._id, report ?? { ok: false, name: 'error', message: 'validate_doc_update gave no answer' }));
          return false;
        });
      }
    }
  }
  // A replicated revision that extends one refused earlier in this batch would be stored without its parent.
  for (const [i, parent] of [...after].sort((a, b) => a[0] - b[0])) {
    if (failures.has(parent) && !failures.has(i)) failures.set(i, { id: (docs[i] as Doc)._id, ...GRAFT });
  }

  const passingIdx = docs.map((_, i) => i).filter((i) => !failures.has(i) && !skipped.has(i));
  const passing = passingIdx.map((i) => docs[i] as Doc);
  const bulkDocs = ctx.db.bulkDocs.bind(ctx.db) as unknown as BulkDocs;
  // The documents are this call's own copies (writeDocs above), so PouchDB is given them without its defensive deep
  // copy (`caja_owned`, patches/pouchdb+9.0.0.patch); it sorts the list it is given, hence a copy of the list.
  const written = passing.length ? await bulkDocs(passing.slice(), { new_edits: newEdits, caja_owned: true, [VALIDATED]: true }) : [];

  const fromPouch = (r: PouchResult, fallbackId: string): WriteResult =>
    r.ok
      ? { ok: true, id: r.id ?? fallbackId, rev: r.rev ?? '' }
      : {
          id: r.id ?? fallbackId,
          error: r.name ?? String(r.error ?? 'error'),
          reason: r.message ?? r.reason ?? '',
          status: r.status ?? 500,
        };

  // Only a design document actually written changes the validators (a refused one must not cost a reload).
  const writtenDesign = newEdits
    ? passing.some((d, k) => d._id.startsWith('_design/') && written[k]?.ok === true)
    : passing.some((d) => d._id.startsWith('_design/') && !written.some((r) => r.id === d._id && !r.ok));
  if (writtenDesign) ctx.validators.invalidate(ctx.dbName);

  if (!newEdits) {
    const refused = [...failures.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
    return [...refused, ...written.filter((r) => !r.ok).map((r) => fromPouch(r, ''))];
  }
  let next = 0;
  return docs.map((doc, i) => failures.get(i) ?? fromPouch(written[next++] ?? {}, doc._id));
}

/**
 * Makes the database refuse any write that did not come through writeDocs(), so a route added to (or left
 * in) express-pouchdb can never skip validation silently. `_local` documents are let through: PouchDB's
 * map/reduce keeps its bookkeeping there while a member queries a view. Design documents are let through
 * only while `designWriteAllowed()` says so — the request being served is a server admin's (pouchdb-find
 * writes its index design documents through this method on `POST /{db}/_index`).
 */
export function guardWrites(db: PouchDB.Database, onRefused: (ids: string[]) => void, designWriteAllowed: () => boolean): void {
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
        .filter((id) => !id.startsWith('_local/') && !(id.startsWith('_design/') && designWriteAllowed()));
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
