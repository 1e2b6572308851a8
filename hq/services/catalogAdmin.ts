// The HQ catalog modules (issue #12): departments (a tree), tax rates, tax groups, tenders, suppliers, sales
// reps, specials and product creation, all in caja-catalog and so replicated to every store. The rules they share:
// - a body is parsed by the route (shared/api/catalogAdmin.ts) and the document it makes is checked by the
//   model's validator (shared/model/validate.ts, the one validate_doc_update runs) before anything is written;
// - references name documents that exist (a product's department, a group's rates, a special's targets and
//   stores), and the department tree stays a tree; a department, tax group or rate newly chosen is active;
// - a create never overwrites: a code (or SKU) in use is 409 `code_taken` (`sku_taken`);
// - an edit names the revision it was made on: a stale one is 409 `stale_edit` with the current document,
//   never a silent overwrite (the write itself carries that revision, so CouchDB refuses a race too);
// - nothing a sale may refer to is deleted: it is deactivated (`active: false`) and can be reactivated by an edit;
// - a write that changes nothing is not made (each catalog revision travels to every store and till).
// These types are small (tens to a few thousand documents), so lists are read whole and paged in memory;
// products, which are not, are listed by GET /products and the console's index.
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, listByPrefix, putDoc } from '../../server-kit/docs';
import { badRequest, conflict, notFound } from '../../server-kit/errors';
import type {
  CatalogPage, DepartmentCreateBody, DepartmentEditBody, DepartmentNode, DepartmentRow, ProductCreateBody, SalesRepCreateBody, SalesRepEditBody, SpecialCreateBody, SpecialEditBody,
  SupplierCreateBody, SupplierEditBody, TaxGroupCreateBody, TaxGroupEditBody, TaxPreview, TaxRateCreateBody, TaxRateEditBody, TenderCreateBody, TenderEditBody,
} from '../../shared/api/catalogAdmin';
import { KeyedMutex } from '../../shared/auth/keyedMutex';
import { CASH_TENDER_ID, catalogId, productId, typePrefix } from '../../shared/model/ids';
import { CATALOG_DB } from '../../shared/model/names';
import type { Department, DocTypes, Product, SalesRep, Special, Supplier, TaxGroup, TaxRate, Tender } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { validateDoc } from '../../shared/model/validate';
import type { Money } from '../../shared/money';
import { money } from '../../shared/money';
import { computeLineTaxes } from '../../shared/pos/tax';
import { listStores } from './stores';

/** The catalog types these modules write. */
export type AdminType = 'department' | 'taxrate' | 'taxgroup' | 'tender' | 'supplier' | 'salesrep' | 'special' | 'product';
type AdminDoc = DocTypes[AdminType];

/** A document's key: its SKU for a product, its code for the others. */
export const keyOf = (doc: AdminDoc): string => (doc.type === 'product' ? doc.sku : doc.code);

const docId = (type: AdminType, key: string) => (type === 'product' ? productId(key) : catalogId(type, key));

function checkValid(doc: object): void {
  const errors = validateDoc(doc);
  if (errors.length) throw badRequest('invalid_document', errors.join('; '), { errors });
}

const isConflict = (err: unknown) => typeof err === 'object' && err !== null && (err as { statusCode?: number }).statusCode === 409;

// ---------- reading ----------

/** Every document of a type, in key order. */
export async function listAll<T extends AdminDoc>(couch: CouchHandle, type: AdminType): Promise<T[]> {
  return listByPrefix<T>(couch, CATALOG_DB, typePrefix(type));
}

/** One document, or 404. */
export async function getOne<T extends AdminDoc>(couch: CouchHandle, type: AdminType, key: string): Promise<T> {
  const doc = await getDoc<T>(couch, CATALOG_DB, docId(type, key));
  if (!doc) throw type === 'product' ? notFound('product_not_found', `No product ${key}.`) : notFound('not_found', `No ${type} ${key}.`);
  return doc;
}

/** Lower case without accents, so "panaderia" finds "Panadería". */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Whether a document's code or name (either language) holds the text `q`. */
function matches(doc: AdminDoc, q: string): boolean {
  const name = typeof doc.name === 'string' ? doc.name : `${doc.name.en} ${doc.name.es}`;
  return fold(`${keyOf(doc)} ${name}`).includes(fold(q.trim()));
}

export interface ListQuery {
  q?: string;
  limit?: number;
  cursor?: string;
  active?: 'true' | 'false';
}

/**
 * One page of `ordered` (key order, or tree order for departments) after filtering: `cursor` is the key of the
 * previous page's last item; `nextCursor` is this page's last key while more follow.
 */
export function pageOf<T extends AdminDoc>(ordered: readonly T[], query: ListQuery, keep: (doc: T) => boolean = () => true): CatalogPage<T> {
  const limit = query.limit ?? 100;
  const q = query.q?.trim() ?? '';
  // Departments and taxes written before they had `active` lack it: they count as active.
  const active = (d: T) => d.active !== false;
  const filtered = ordered.filter((d) => keep(d) && (!q || matches(d, q)) && (query.active === undefined || String(active(d)) === query.active));
  let start = 0;
  const cursor = query.cursor;
  if (cursor) {
    const at = filtered.findIndex((d) => keyOf(d) === cursor);
    // A cursor no longer in the list (it stopped matching): go on from the first key after it.
    const after = filtered.findIndex((d) => keyOf(d) > cursor);
    start = at >= 0 ? at + 1 : after >= 0 ? after : filtered.length;
  }
  const items = filtered.slice(start, start + limit);
  const last = items.at(-1);
  return { items, total: filtered.length, nextCursor: start + limit < filtered.length && last ? keyOf(last) : null };
}

// ---------- writing ----------

/** A create whose key is in use: the code says which kind of key, so the console can say it at the field. */
const exists = (id: string) =>
  id.startsWith('product:') ? conflict('sku_taken', `${id} already exists: edit it instead.`, { id }) : conflict('code_taken', `${id} already exists: edit it instead.`, { id });

/** Creates a document: validated first; an existing key is 409 (a create never overwrites). */
async function create<T extends AdminDoc>(couch: CouchHandle, doc: T): Promise<T> {
  checkValid(doc);
  try {
    return await putDoc(couch, CATALOG_DB, doc);
  } catch (err) {
    if (isConflict(err)) throw exists(doc._id);
    throw err;
  }
}

/** JSON with keys sorted, so two versions compare by content whatever order their keys were set in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
const sameContent = (a: AdminDoc, b: AdminDoc) => {
  const strip = (d: AdminDoc) => ({ ...d, _rev: undefined, updatedAt: undefined });
  return canonical(strip(a)) === canonical(strip(b));
};

/** What an edit did: the document as saved (or as it was), and whether a revision was written. */
export interface Edited<T> {
  doc: T;
  changed: boolean;
}

/**
 * Edits a document made on revision `rev`: a stale revision is 409 `stale_edit` with the current document;
 * `change` returns the next version (it checks references), which the validator checks before the write.
 */
async function edit<T extends AdminDoc>(couch: CouchHandle, type: AdminType, key: string, rev: string, change: (current: T) => T | Promise<T>): Promise<Edited<T>> {
  const current = await getOne<T>(couch, type, key);
  const stale = (doc: T) => conflict('stale_edit', `${doc._id} was changed by someone else after you opened it.`, { current: doc });
  if (current._rev !== rev) throw stale(current);
  const next = await change(current);
  if (sameContent(current, next)) return { doc: current, changed: false };
  const stamped = next.type === 'product' ? { ...next, updatedAt: new Date().toISOString() } : next;
  checkValid(stamped);
  try {
    // Written on the editor's revision: CouchDB itself refuses it if another edit landed in between.
    return { doc: await putDoc(couch, CATALOG_DB, { ...stamped, _rev: rev }), changed: true };
  } catch (err) {
    if (isConflict(err)) throw stale(await getOne<T>(couch, type, key));
    throw err;
  }
}

/**
 * `current` with a patch applied: a name merges per language, `null` removes an optional field (or, for a
 * field in `nullable`, is its value), anything else replaces.
 */
function patched<T extends AdminDoc>(current: T, patch: object, nullable: readonly string[] = []): T {
  const next: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null && !nullable.includes(k)) delete next[k];
    else if (k === 'name' && typeof v === 'object' && v !== null && typeof current.name === 'object') next.name = { ...current.name, ...v };
    else next[k] = v;
  }
  return next as T;
}

type Refs = ReadonlyArray<readonly [string, ReadonlyArray<string | null | undefined>]>;

/** The documents `ids` name, by id (the id says its type, so an existing one is of that type). */
async function referenced(couch: CouchHandle, ids: readonly string[]): Promise<Map<string, { active?: boolean }>> {
  if (!ids.length) return new Map();
  const res = await couch.nano.use<{ active?: boolean }>(CATALOG_DB).fetch({ keys: [...ids] });
  return new Map(res.rows.flatMap((r) => ('doc' in r && r.doc ? [[r.id, r.doc] as const] : [])));
}

const given = (ids: ReadonlyArray<string | null | undefined>) => ids.filter((id): id is string => typeof id === 'string');

/** Refuses references that name nothing: `[field, ids]` pairs. */
async function checkReferences(couch: CouchHandle, refs: Refs): Promise<void> {
  for (const [field, ids] of refs) {
    const found = await referenced(couch, given(ids));
    const first = given(ids).find((id) => !found.has(id));
    if (first !== undefined) throw badRequest('unknown_reference', `${field}: there is no ${first}.`, { field, id: first });
  }
}

/**
 * Refuses a deactivated department, tax group or rate among references being chosen now (a document that
 * already names one keeps it: deactivating stops new uses, it does not rewrite the catalog).
 */
async function checkActive(couch: CouchHandle, refs: Refs): Promise<void> {
  for (const [field, ids] of refs) {
    const found = await referenced(couch, given(ids));
    const off = given(ids).find((id) => found.get(id)?.active === false);
    if (off !== undefined) throw badRequest('inactive_reference', `${field}: ${off} is deactivated; reactivate it or choose another.`, { field, id: off });
  }
}

/** What an edit newly chooses: `next` when it differs from `before`, else nothing to check. */
const chosen = (next: string | null | undefined, before: string | null | undefined) => (next && next !== before ? [next] : []);

// ---------- departments ----------

/**
 * The departments as a tree, children by code. Departments written around the API whose parent is missing
 * are shown at the top, and so are those in a cycle (never reached from the top): none is hidden.
 */
export function departmentTree(all: readonly Department[]): DepartmentNode[] {
  const ids = new Set(all.map((d) => d._id));
  const children = new Map<string | null, Department[]>();
  for (const d of [...all].sort((a, b) => a.code.localeCompare(b.code))) {
    const parent = d.parentId && ids.has(d.parentId) && d.parentId !== d._id ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const seen = new Set<string>();
  const build = (d: Department): DepartmentNode => {
    seen.add(d._id);
    return { ...d, children: (children.get(d._id) ?? []).filter((c) => !seen.has(c._id)).map(build) };
  };
  const roots = (children.get(null) ?? []).map(build);
  for (const d of all) if (!seen.has(d._id)) roots.push(build(d));
  return roots;
}

/** The tree as a list in tree order, each department with its depth and its ancestors' ids. */
export function departmentRows(tree: readonly DepartmentNode[], path: string[] = []): DepartmentRow[] {
  return tree.flatMap(({ children, ...d }) => [{ ...d, depth: path.length, path }, ...departmentRows(children, [...path, d._id])]);
}

/** Refuses a parent that is the department itself or one of its descendants (the tree would become a loop). */
async function checkNoCycle(couch: CouchHandle, id: string, parentId: string | null): Promise<void> {
  if (!parentId) return;
  const byId = new Map((await listAll<Department>(couch, 'department')).map((d) => [d._id, d]));
  const chain: string[] = [];
  for (let at: string | null = parentId; at && chain.length <= byId.size; at = byId.get(at)?.parentId ?? null) {
    chain.push(at);
    if (at === id) throw badRequest('invalid_document', `parentId: ${parentId} is ${id} or under it, so the tree would loop (${[id, ...chain].join(' -> ')}).`, { cycle: [id, ...chain] });
  }
}

export async function createDepartment(couch: CouchHandle, body: DepartmentCreateBody): Promise<Department> {
  const refs = [['parentId', [body.parentId]], ['taxGroupId', [body.taxGroupId]]] as const;
  await checkReferences(couch, refs);
  await checkActive(couch, refs);
  const { code, name, parentId, taxGroupId, active } = body;
  return create<Department>(couch, {
    _id: catalogId('department', code), type: 'department', schema: CURRENT_SCHEMA, code, name, parentId: parentId ?? null, ...(taxGroupId ? { taxGroupId } : {}), active: active ?? true,
  });
}

export async function editDepartment(couch: CouchHandle, code: string, body: DepartmentEditBody): Promise<Edited<Department>> {
  const { _rev: rev, ...patch } = body;
  return edit<Department>(couch, 'department', code, rev, async (current) => {
    await checkReferences(couch, [['parentId', [patch.parentId]], ['taxGroupId', [patch.taxGroupId]]]);
    await checkActive(couch, [['parentId', chosen(patch.parentId, current.parentId)], ['taxGroupId', chosen(patch.taxGroupId, current.taxGroupId)]]);
    if (patch.parentId !== undefined) await checkNoCycle(couch, current._id, patch.parentId);
    return patched(current, patch, ['parentId']);
  });
}

// ---------- taxes ----------

export async function createTaxRate(couch: CouchHandle, body: TaxRateCreateBody): Promise<TaxRate> {
  const { code, name, rateBp, compound, active } = body;
  return create<TaxRate>(couch, { _id: catalogId('taxrate', code), type: 'taxrate', schema: CURRENT_SCHEMA, code, name, rateBp, compound: compound ?? false, active: active ?? true });
}

export async function editTaxRate(couch: CouchHandle, code: string, body: TaxRateEditBody): Promise<Edited<TaxRate>> {
  const { _rev: rev, ...patch } = body;
  return edit<TaxRate>(couch, 'taxrate', code, rev, (current) => patched(current, patch));
}

export async function createTaxGroup(couch: CouchHandle, body: TaxGroupCreateBody): Promise<TaxGroup> {
  await checkReferences(couch, [['rateIds', body.rateIds]]);
  await checkActive(couch, [['rateIds', body.rateIds]]);
  const { code, name, rateIds, active } = body;
  return create<TaxGroup>(couch, { _id: catalogId('taxgroup', code), type: 'taxgroup', schema: CURRENT_SCHEMA, code, name, rateIds, active: active ?? true });
}

export async function editTaxGroup(couch: CouchHandle, code: string, body: TaxGroupEditBody): Promise<Edited<TaxGroup>> {
  const { _rev: rev, ...patch } = body;
  return edit<TaxGroup>(couch, 'taxgroup', code, rev, async (current) => {
    await checkReferences(couch, [['rateIds', patch.rateIds ?? []]]);
    await checkActive(couch, [['rateIds', (patch.rateIds ?? []).filter((id) => !current.rateIds.includes(id))]]);
    return patched(current, patch);
  });
}

/** The rates of a group in their order (a rate missing from the catalog is 400 `unknown_reference`). */
export async function groupRates(couch: CouchHandle, group: TaxGroup): Promise<TaxRate[]> {
  await checkReferences(couch, [['rateIds', group.rateIds]]);
  const res = await couch.nano.use<TaxRate>(CATALOG_DB).fetch({ keys: group.rateIds });
  return res.rows.flatMap((r) => ('doc' in r && r.doc ? [r.doc as TaxRate] : []));
}

/** The group's taxes on `amount`, computed by shared/pos/tax.ts exactly as a till computes a line's. */
export async function taxPreview(couch: CouchHandle, code: string, amount: Money, mode: 'exclusive' | 'inclusive'): Promise<TaxPreview> {
  const rates = await groupRates(couch, await getOne<TaxGroup>(couch, 'taxgroup', code));
  const result = computeLineTaxes(amount, rates, mode, false);
  return { ...result, mode, amount, gross: mode === 'exclusive' ? money(amount + result.taxTotal) : amount, rates };
}

// ---------- tenders and suppliers ----------

/** Refuses a foreign tender's fields on another kind (they would be ignored at the till). */
function checkTenderFields(t: Tender): void {
  if (t.kind === 'foreign') return;
  for (const field of ['currency', 'rateToBase'] as const) {
    if (t[field] !== undefined) throw badRequest('invalid_input', `${field}: only a foreign tender has one (this one is ${t.kind}).`);
  }
}

export async function createTender(couch: CouchHandle, body: TenderCreateBody): Promise<Tender> {
  const { code, name, kind, ...rest } = body;
  // Cash and foreign cash give change, take more than is due and open the drawer; cards and credit do not.
  const cashLike = kind === 'cash' || kind === 'foreign';
  const doc: Tender = {
    _id: catalogId('tender', code), type: 'tender', schema: CURRENT_SCHEMA, code, name, kind,
    allowChange: cashLike, allowOverTender: cashLike, opensDrawer: cashLike, active: true, ...rest,
  };
  checkTenderFields(doc);
  return create(couch, doc);
}

export async function editTender(couch: CouchHandle, code: string, body: TenderEditBody): Promise<Edited<Tender>> {
  const { _rev: rev, ...patch } = body;
  return edit<Tender>(couch, 'tender', code, rev, (current) => {
    const next = patched(current, patch);
    checkTenderFields(next);
    // Change is given in cash and refunds default to it (shared/model/ids.ts CASH_TENDER_ID): it stays.
    if (next._id === CASH_TENDER_ID && !next.active) throw badRequest('invalid_input', `active: ${CASH_TENDER_ID} gives change and takes refunds; it cannot be deactivated.`);
    return next;
  });
}

export async function createSupplier(couch: CouchHandle, body: SupplierCreateBody): Promise<Supplier> {
  const { code, name, contact, active } = body;
  return create<Supplier>(couch, { _id: catalogId('supplier', code), type: 'supplier', schema: CURRENT_SCHEMA, code, name, ...(contact ? { contact } : {}), active: active ?? true });
}

export async function editSupplier(couch: CouchHandle, code: string, body: SupplierEditBody): Promise<Edited<Supplier>> {
  const { _rev: rev, ...patch } = body;
  return edit<Supplier>(couch, 'supplier', code, rev, (current) => patched(current, patch));
}

// ---------- sales reps ----------

export async function createSalesRep(couch: CouchHandle, body: SalesRepCreateBody): Promise<SalesRep> {
  const { code, name, commissionBp, active } = body;
  return create<SalesRep>(couch, { _id: catalogId('salesrep', code), type: 'salesrep', schema: CURRENT_SCHEMA, code, name, commissionBp, active: active ?? true });
}

export async function editSalesRep(couch: CouchHandle, code: string, body: SalesRepEditBody): Promise<Edited<SalesRep>> {
  const { _rev: rev, ...patch } = body;
  return edit<SalesRep>(couch, 'salesrep', code, rev, (current) => patched(current, patch));
}

// ---------- specials ----------

/** The fields that hold a special's terms, per kind: one kind's terms on another would be ignored. */
const TERMS: Record<Special['kind'], ReadonlyArray<'percentBp' | 'amount' | 'buyQty' | 'getQty' | 'breaks'>> = {
  percent_off: ['percentBp'],
  amount_off: ['amount'],
  fixed_price: ['amount'],
  buy_x_get_y: ['buyQty', 'getQty'],
  qty_break: ['breaks'],
};

/** Refuses terms of another kind, an empty target, and targets or stores that do not exist. */
async function checkSpecial(couch: CouchHandle, s: Special): Promise<void> {
  for (const field of ['percentBp', 'amount', 'buyQty', 'getQty', 'breaks'] as const) {
    if (s[field] !== undefined && !TERMS[s.kind].includes(field)) throw badRequest('invalid_input', `${field}: a ${s.kind} special does not use it (it takes ${TERMS[s.kind].join(', ')}).`);
  }
  const { productIds = [], departmentIds = [] } = s.target;
  if (!productIds.length && !departmentIds.length) throw badRequest('invalid_input', 'target: name at least one product or department.');
  await checkReferences(couch, [['target.productIds', productIds], ['target.departmentIds', departmentIds]]);
  if (s.storeIds) {
    const stores = new Set((await listStores(couch)).map((st) => st.code));
    const unknown = s.storeIds.find((c) => !stores.has(c));
    if (unknown) throw badRequest('unknown_store', `storeIds: there is no store ${unknown}.`);
  }
}

export async function createSpecial(couch: CouchHandle, body: SpecialCreateBody): Promise<Special> {
  const { code, active, ...rest } = body;
  const doc: Special = { _id: catalogId('special', code), type: 'special', schema: CURRENT_SCHEMA, code, ...rest, active: active ?? true };
  await checkSpecial(couch, doc);
  return create(couch, doc);
}

export async function editSpecial(couch: CouchHandle, code: string, body: SpecialEditBody): Promise<Edited<Special>> {
  const { _rev: rev, ...patch } = body;
  return edit<Special>(couch, 'special', code, rev, async (current) => {
    const next = patched(current, patch);
    await checkSpecial(couch, next);
    return next;
  });
}

/** Whether a special applies at a store (one without stores applies at all). */
export const specialAt = (s: Special, store: string) => !s.storeIds || s.storeIds.includes(store);

// ---------- products ----------

/**
 * New products taking the same barcodes run one at a time in this process, so two cannot both find a barcode
 * free and both take it. (PATCH /products/:sku serialises its own edits; the barcode view still shows a
 * duplicate made across the two, which the next edit of either product refuses to keep.)
 */
const barcodeLock = new KeyedMutex();

/** Refuses barcodes another product carries already (one scan, one product). */
async function checkBarcodesFree(couch: CouchHandle, barcodes: readonly string[]): Promise<void> {
  if (!barcodes.length) return;
  const res = await couch.request<{ rows: Array<{ key: string; value: string }> }>(`/${CATALOG_DB}/_design/products_by_barcode/_view/products_by_barcode`, {
    method: 'POST',
    body: { keys: barcodes },
  });
  const [taken] = res.rows;
  if (taken) throw conflict('barcode_taken', `barcodes[${barcodes.indexOf(taken.key)}]: ${taken.key} already belongs to product ${taken.value}.`, { barcode: taken.key, sku: taken.value });
}

export async function createProduct(couch: CouchHandle, body: ProductCreateBody): Promise<Product> {
  const { sku, barcodes = [], unit = 'each', weighed, active, ...rest } = body;
  await checkReferences(couch, [['departmentId', [rest.departmentId]], ['taxGroupId', [rest.taxGroupId]], ['supplierId', [rest.supplierId]]]);
  await checkActive(couch, [['departmentId', [rest.departmentId]], ['taxGroupId', [rest.taxGroupId]]]);
  const doc: Product = {
    _id: productId(sku), type: 'product', schema: CURRENT_SCHEMA, sku, ...rest, barcodes, unit,
    weighed: weighed ?? unit === 'kg', active: active ?? true, updatedAt: new Date().toISOString(),
  };
  return barcodeLock.run(
    barcodes.map((b) => `barcode:${b}`),
    async () => {
      // A taken SKU first: a retried create is told the product exists, not that its barcode is taken.
      if (await getDoc(couch, CATALOG_DB, doc._id)) throw exists(doc._id);
      await checkBarcodesFree(couch, barcodes);
      return create(couch, doc);
    },
  );
}

// ---------- deactivation ----------

/** The types deactivated instead of deleted (a sale, a product or a group may name them). */
export type Deactivatable = 'department' | 'taxrate' | 'taxgroup' | 'tender' | 'supplier' | 'salesrep' | 'special' | 'product';

/** Sets `active: false` on the revision given (a stale one is 409 with the current document). */
export async function deactivate<K extends Deactivatable>(couch: CouchHandle, type: K, key: string, rev: string): Promise<Edited<DocTypes[K]>> {
  return edit<DocTypes[K]>(couch, type, key, rev, (current) => {
    if (current._id === CASH_TENDER_ID) throw badRequest('invalid_input', `${CASH_TENDER_ID} gives change and takes refunds; it cannot be deactivated.`);
    return { ...current, active: false };
  });
}
