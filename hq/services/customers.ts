// Customers at HQ (issue #12). Customers are the one multi-writer type: any till of any store edits them, and
// the tills' revisions reach HQ in their store's database (`caja-store-<code>`, upstream replication). Before
// this module nothing carried a customer from one store's database to another's, although every store pulls
// every customer of its HQ database (shared/sync/selectors.ts storePullSelector).
//
// HQ keeps its own copy of every customer in its private database (caja-hq, `customer:<uuid>`, never
// replicated), the one place the chain's customers are searched, edited and their conflicts resolved:
// - merge: a customer changed in a store's database is copied into HQ's copy with its whole revision tree
//   (`open_revs=all`, `new_edits: false`), so concurrent edits at two tills or two stores become CouchDB
//   conflicts in one database (the job hq/jobs/customerConflicts.ts does this from each store's changes feed);
// - resolve: the revision with the latest `updatedAt` wins, ties by the higher revision; each losing leaf is
//   deleted (so CouchDB's own winner is the chosen one everywhere) after its content is kept in a review record
//   (`customerconflict:<uuid>` in caja-hq, open until someone reviews it) and in an audit entry;
// - fan out: HQ's revision tree (winner, deleted losers, HQ's own edits) is copied into every store's
//   database where revisions are missing (`_revs_diff` first), so every till converges on the same winner.
// Copies carry existing revisions, so a copy that arrives twice changes nothing and the loop store -> HQ ->
// store ends as soon as nothing is missing.
import { randomUUID } from 'node:crypto';
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, listByPrefix, putDoc, updateDoc } from '../../server-kit/docs';
import type { Logger } from '../../server-kit/log';
import { apiError } from '../../shared/api/errors';
import type { CustomerConflict, CustomerCreateBody, CustomerPage, CustomerPatchBody } from '../../shared/api/hqRecords';
import { readCustomer } from '../../shared/model/customers';
import { customerId, parseCustomerId, typePrefix } from '../../shared/model/ids';
import { HQ_DB, hqStoreDbName } from '../../shared/model/names';
import type { Customer } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { validateDoc } from '../../shared/model/validate';
import type { Actor } from './audit';
import { audit } from './audit';
import { listStores } from './stores';
import { inParallel } from './sales';

const CUSTOMER_PREFIX = typePrefix('customer');
/** HQ's review record of a customer's resolved conflicts (caja-hq only). */
const CONFLICT_PREFIX = 'customerconflict:';
/** The rule the automatic resolution follows, as the review record states it. */
export const RESOLUTION_RULE = 'latest updatedAt wins; ties: the higher revision';

/** The review record of one customer's conflicts. */
interface ConflictRecord {
  _id: string;
  _rev?: string;
  type: 'customerconflict';
  customerId: string;
  open: boolean;
  resolvedAt: string;
  rule: string;
  winner: { rev: string; doc: Customer };
  losers: Array<{ rev: string; doc: Customer; resolvedAt: string }>;
  reviewedAt: string | null;
  reviewedBy: string | null;
}

function conflictRecordId(id: string): string {
  const parsed = parseCustomerId(id);
  if (!parsed) throw new RangeError('invalid customer id: ' + id);
  return CONFLICT_PREFIX + parsed.uuid;
}

const path = (db: string, id: string) => `/${encodeURIComponent(db)}/${encodeURIComponent(id)}`;

type Leaf = Customer & { _rev: string; _revisions?: { start: number; ids: string[] } };

/** Every leaf revision of a document (deleted ones too), each with its history; [] when there is none. */
async function leaves(couch: CouchHandle, db: string, id: string): Promise<Leaf[]> {
  try {
    const res = await couch.request<Array<{ ok?: Leaf }>>(`${path(db, id)}?open_revs=all&revs=true`);
    return res.flatMap((r) => (r.ok ? [r.ok] : []));
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return [];
    throw err;
  }
}

/** Copies the leaves of `id` that `toDb` lacks from `fromDb`, histories included. True when it copied any. */
async function copyMissing(couch: CouchHandle, fromDb: string, toDb: string, id: string): Promise<boolean> {
  const from = await leaves(couch, fromDb, id);
  if (!from.length) return false;
  const diff = await couch.request<Record<string, { missing?: string[] }>>(`/${encodeURIComponent(toDb)}/_revs_diff`, {
    method: 'POST',
    body: { [id]: from.map((l) => l._rev) },
  });
  const missing = new Set(diff[id]?.missing ?? []);
  const docs = from.filter((l) => missing.has(l._rev));
  if (!docs.length) return false;
  await couch.request(`/${encodeURIComponent(toDb)}/_bulk_docs`, { method: 'POST', body: { docs, new_edits: false } });
  return true;
}

/** The revision's generation and hash, for the tie-break. */
function revParts(rev: string): [number, string] {
  const dash = rev.indexOf('-');
  return [Number(rev.slice(0, dash)), rev.slice(dash + 1)];
}

/** True when `a` beats `b`: the later `updatedAt`, then the higher revision (generation, then hash). */
export function beats(a: { _rev: string; updatedAt?: string }, b: { _rev: string; updatedAt?: string }): boolean {
  const ta = Date.parse(a.updatedAt ?? '') || 0;
  const tb = Date.parse(b.updatedAt ?? '') || 0;
  if (ta !== tb) return ta > tb;
  const [ga, ha] = revParts(a._rev);
  const [gb, hb] = revParts(b._rev);
  return ga !== gb ? ga > gb : ha > hb;
}

/** The content of a revision as a customer (no CouchDB bookkeeping, no legacy fields). */
function content(l: Leaf): Customer {
  const { _revisions: _h, ...doc } = l;
  return readCustomer(doc);
}

/**
 * Resolves the conflicts of one customer in HQ's copy: the winner by `beats`, each loser kept in the review
 * record (and the audit log), then deleted. Returns whether there was anything to resolve.
 */
export async function resolveConflicts(couch: CouchHandle, id: string, actor: Actor): Promise<boolean> {
  const live = (await leaves(couch, HQ_DB, id)).filter((l) => !l._deleted);
  if (live.length < 2) return false;
  const winner = live.reduce((w, l) => (beats(l, w) ? l : w));
  const losers = live.filter((l) => l._rev !== winner._rev);
  const at = new Date().toISOString();
  const recId = conflictRecordId(id);
  await updateDoc<ConflictRecord>(couch, HQ_DB, recId, (cur) => {
    const known = new Set(cur?.losers.map((l) => l.rev) ?? []);
    return {
      _id: recId,
      type: 'customerconflict',
      customerId: id,
      open: true,
      resolvedAt: at,
      rule: RESOLUTION_RULE,
      winner: { rev: winner._rev, doc: content(winner) },
      losers: [...(cur?.losers ?? []), ...losers.filter((l) => !known.has(l._rev)).map((l) => ({ rev: l._rev, doc: content(l), resolvedAt: at }))],
      reviewedAt: null,
      reviewedBy: null,
    };
  });
  await audit(couch, actor, 'customer.conflict_resolved', id, { rule: RESOLUTION_RULE, winner: winner._rev, losers: losers.map((l) => ({ rev: l._rev, doc: content(l) })) });
  const tombstones = losers.map((l) => ({ _id: id, _rev: l._rev, _deleted: true, type: 'customer', schema: l.schema }));
  await couch.request(`/${HQ_DB}/_bulk_docs`, { method: 'POST', body: { docs: tombstones } });
  return true;
}

/** Copies HQ's revisions of a customer into every store database that lacks some. */
export async function fanOut(couch: CouchHandle, id: string): Promise<void> {
  const stores = await listStores(couch);
  await inParallel(stores, (s) => copyMissing(couch, HQ_DB, hqStoreDbName(s.code), id));
}

/**
 * What the job does for a customer changed in a store's database: merge into HQ's copy, resolve, fan out.
 * Nothing new for HQ means nothing to do (this is how a fanned-out copy coming back ends the loop).
 */
export async function mergeFromStore(couch: CouchHandle, db: string, id: string, actor: Actor): Promise<boolean> {
  if (!parseCustomerId(id)) return false;
  if (!(await copyMissing(couch, db, HQ_DB, id))) return false;
  await resolveConflicts(couch, id, actor);
  await fanOut(couch, id);
  return true;
}

/** Gives a new store database every customer HQ knows (a store created after them would never see them). */
export async function backfillStore(couch: CouchHandle, storeCode: string, log: Logger): Promise<void> {
  const db = hqStoreDbName(storeCode);
  let startkey = CUSTOMER_PREFIX;
  for (;;) {
    const res = await couch.nano.use(HQ_DB).list({ startkey, endkey: CUSTOMER_PREFIX + '\ufff0', limit: 200 });
    const ids = res.rows.map((r) => r.id).filter((id) => id !== startkey);
    await inParallel(ids, (id) => copyMissing(couch, HQ_DB, db, id));
    const last = res.rows.at(-1);
    if (res.rows.length < 200 || !last) break;
    startkey = last.id;
  }
  log.info('customers.backfilled', { store: storeCode });
}

// ---------- the API ----------

async function current(couch: CouchHandle, id: string): Promise<Customer> {
  const doc = parseCustomerId(id) ? await getDoc<Customer>(couch, HQ_DB, id) : null;
  if (!doc || doc.type !== 'customer') throw apiError('customer_not_found', `No customer ${id.slice(0, 80)}.`);
  return readCustomer(doc);
}

export const getCustomer = current;

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const digits = (s: string) => s.replace(/[^0-9]/g, '');

/** Whether a customer matches a search: a word of the name, the e-mail, or the phone's digits. */
function matches(c: Customer, q: string): boolean {
  const words = fold(q).split(/\s+/).filter(Boolean);
  const hay = fold(`${c.name} ${c.email ?? ''}`);
  const qDigits = digits(q);
  if (qDigits.length >= 3 && c.phone && digits(c.phone).includes(qDigits)) return true;
  return words.length > 0 && words.every((w) => hay.includes(w));
}

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
function decodeCursor(text: string): string {
  const id = Buffer.from(text, 'base64url').toString('utf8');
  if (!parseCustomerId(id)) throw apiError('invalid_cursor', 'cursor: not a cursor this list gave; start from the first page.');
  return id;
}

/**
 * A page of customers in id order, those matching `q` when given. HQ's copy has no view (caja-hq holds no
 * design documents), so a search reads the customers in id order, in batches, until the page is full.
 */
export async function searchCustomers(couch: CouchHandle, q: { q?: string; limit?: number; cursor?: string }): Promise<CustomerPage> {
  const limit = q.limit ?? 50;
  const text = (q.q ?? '').trim();
  let after = q.cursor ? decodeCursor(q.cursor) : null;
  const items: Customer[] = [];
  const batch = text ? 1000 : limit + 1;
  for (;;) {
    const res = await couch.nano.use<Customer>(HQ_DB).list({ startkey: after ?? CUSTOMER_PREFIX, endkey: CUSTOMER_PREFIX + '\ufff0', include_docs: true, limit: batch + 1 });
    const rows = res.rows.filter((r) => r.id !== after && r.doc);
    for (const r of rows) {
      const c = readCustomer(r.doc as Customer);
      if (!text || matches(c, text)) items.push(c);
      if (items.length > limit) return { items: items.slice(0, limit), next: encodeCursor((items[limit - 1] as Customer)._id) };
    }
    const last = rows.at(-1);
    if (res.rows.length <= batch || !last) return { items, next: null };
    after = last.id;
  }
}

function checkValid(doc: Customer): void {
  const errors = validateDoc(doc);
  if (errors.length) throw apiError('invalid_document', errors.join('; '), { details: { errors } });
}

export async function createCustomer(couch: CouchHandle, input: CustomerCreateBody): Promise<Customer> {
  const doc: Customer = {
    _id: customerId(randomUUID()),
    type: 'customer',
    schema: CURRENT_SCHEMA,
    name: input.name,
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    taxExempt: input.taxExempt ?? null,
    updatedAt: new Date().toISOString(),
  };
  checkValid(doc);
  const saved = await putDoc(couch, HQ_DB, doc);
  await fanOut(couch, saved._id);
  return saved;
}

/** The customer after an edit (`null` removes the e-mail or phone). */
function edited(c: Customer, patch: Omit<CustomerPatchBody, '_rev'>): Customer {
  const next: Customer = { ...c, updatedAt: new Date().toISOString() };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.taxExempt !== undefined) next.taxExempt = patch.taxExempt;
  for (const k of ['email', 'phone'] as const) {
    const v = patch[k];
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  return next;
}

const stale = (c: Customer) => apiError('stale_edit', `Customer ${c._id} was changed after you opened it.`, { details: { current: c } });

/** An edit made on revision `_rev`: refused with 409 and the current version when it is not the current one. */
export async function updateCustomer(couch: CouchHandle, id: string, body: CustomerPatchBody): Promise<{ customer: Customer; fields: string[] }> {
  const { _rev: rev, ...patch } = body;
  const fields = Object.keys(patch);
  const cur = await current(couch, id);
  if (cur._rev !== rev) throw stale(cur);
  if (!fields.length) throw apiError('nothing_to_change', 'Send at least one field to change.');
  const next = edited(cur, patch);
  checkValid(next);
  let saved: Customer;
  try {
    saved = await putDoc(couch, HQ_DB, { ...next, _rev: rev });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    throw stale(await current(couch, id));
  }
  await fanOut(couch, id);
  return { customer: saved, fields };
}

async function asConflict(couch: CouchHandle, r: ConflictRecord): Promise<CustomerConflict> {
  const now = await getDoc<Customer>(couch, HQ_DB, r.customerId);
  const { _id: _i, _rev: _r, type: _t, ...rest } = r;
  return { ...rest, current: now ? readCustomer(now) : null };
}

/** The conflicts resolved automatically and not yet reviewed, oldest resolution first. */
export async function openConflicts(couch: CouchHandle): Promise<CustomerConflict[]> {
  const records = (await listByPrefix<ConflictRecord>(couch, HQ_DB, CONFLICT_PREFIX)).filter((r) => r.open);
  records.sort((a, b) => (a.resolvedAt < b.resolvedAt ? -1 : a.resolvedAt > b.resolvedAt ? 1 : 0));
  return Promise.all(records.map((r) => asConflict(couch, r)));
}

/**
 * Closes the review of a customer's conflict: keeps the automatic winner, or with `rev` restores a kept losing
 * revision's content as a new revision (so it replicates like any edit). Returns the record and what was kept.
 */
export async function reviewConflict(couch: CouchHandle, id: string, input: { rev?: string }, reviewer: string): Promise<{ conflict: CustomerConflict; restored: string | null }> {
  const record = parseCustomerId(id) ? await getDoc<ConflictRecord>(couch, HQ_DB, conflictRecordId(id)) : null;
  if (!record || !record.open) throw apiError('customer_conflict_not_found', `Customer ${id.slice(0, 80)} has no open conflict.`);
  let restored: string | null = null;
  if (input.rev !== undefined) {
    const loser = record.losers.find((l) => l.rev === input.rev);
    if (!loser) throw apiError('unknown_revision', `rev: ${input.rev} is not a losing revision of ${id}.`, { field: 'rev' });
    const cur = await current(couch, id);
    const { _rev: _old, ...kept } = loser.doc;
    const next: Customer = { ...kept, _id: id, updatedAt: new Date().toISOString() };
    checkValid(next);
    await putDoc(couch, HQ_DB, { ...next, _rev: cur._rev });
    await fanOut(couch, id);
    restored = loser.rev;
  }
  const saved = await updateDoc<ConflictRecord>(couch, HQ_DB, record._id, (r) => (r ? { ...r, open: false, reviewedAt: new Date().toISOString(), reviewedBy: reviewer } : null));
  return { conflict: await asConflict(couch, saved as ConflictRecord), restored };
}
