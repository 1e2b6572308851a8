// The HQ catalog modules' routes (issue #12): departments, tax rates, tax groups, tenders, suppliers, sales reps,
// specials, product creation and deactivation, under /api/v1. Reads need a signed-in user, writes `catalog.edit`; every
// write that changed something is audited (`<type>.create`, `.update`, `.deactivate`). The rules the writes
// keep are in services/catalogAdmin.ts.
import { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { notFound } from '../../server-kit/errors';
import { CatalogListQuery, SpecialListQuery, TaxPreviewQuery } from '../../shared/api/catalogAdmin';
import type { Parser } from '../../shared/api/parse';
import { parse } from '../../shared/api/parse';
import { HQ_API } from '../../shared/api/routes';
import { isAddressableSku } from './catalog';
import type { SalesRep, Special, Supplier, TaxGroup, TaxRate, Tender } from '../../shared/model/types';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission } from '../context';
import { audit } from '../services/audit';
import type { AdminType, Edited } from '../services/catalogAdmin';
import {
  createDepartment, createProduct, createSalesRep, createSpecial, createSupplier, createTaxGroup, createTaxRate, createTender, deactivate, departmentRows, departmentTree,
  editDepartment, editSalesRep, editSpecial, editSupplier, editTaxGroup, editTaxRate, editTender, getOne, listAll, pageOf, specialAt, taxPreview,
} from '../services/catalogAdmin';

/** Codes are letters, digits, dot, dash and underscore (shared/api/catalogAdmin.ts): anything else names nothing. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The `:code` (or `:sku`) of the path; one no document can have is simply not found. A SKU follows
 * routes/catalog.ts (any document key without a slash or backslash): products made before POST /products may
 * have other characters.
 */
function keyParam(req: Request, type: AdminType): string {
  const key = String(req.params.code ?? req.params.sku ?? '');
  const possible = type === 'product' ? isAddressableSku(key) : CODE.test(key);
  if (!possible) throw type === 'product' ? notFound('product_not_found', `No product ${key.slice(0, 40)}.`) : notFound('not_found', `No ${type} ${key.slice(0, 40)}.`);
  return key;
}

/** A query string as the parser expects it: the page size as a number, a repeated key left a list (refused). */
export function queryOf<T>(parser: Parser<T>, req: Request): T {
  const q = req.query as Record<string, unknown>;
  return parse(parser, { ...q, ...(typeof q.limit === 'string' ? { limit: q.limit.trim() === '' ? NaN : Number(q.limit) } : {}), ...(typeof q.amount === 'string' ? { amount: q.amount.trim() === '' ? NaN : Number(q.amount) } : {}) });
}

/** The fields an edit named (what the audit entry keeps of it). */
const fieldsOf = (body: object) => Object.keys(body).filter((k) => k !== '_rev');

/** /api/v1: the catalog modules. Mounted before the products router, so POST /products is answered here. */
export function catalogAdminRoutes(ctx: HqContext): Router {
  const r = Router();
  const on = mountRoutes(HQ_API, r, '/api/v1');
  // Per route, not router-wide: this router sits at /api/v1 and must not stand in front of the login.
  const read: RequestHandler[] = [authenticate(ctx)];
  const write: RequestHandler[] = [authenticate(ctx), requirePermission('catalog.edit')];
  const log = (req: Request, res: Response, action: string, target: string, detail?: Record<string, unknown>) => audit(ctx.couch, actorOf(req, res), action, target, detail);
  /** Audits an edit when it wrote a revision (an edit to the same values wrote nothing to record). */
  const edited = async <T extends { _id: string; _rev?: string }>(req: Request, res: Response, action: string, result: Edited<T>, body: object) => {
    if (result.changed) await log(req, res, action, result.doc._id, { fields: fieldsOf(body), rev: result.doc._rev });
    return result.doc;
  };

  // ---- products (read and patched by routes/catalog.ts) ----
  on('POST /api/v1/products', write, async ({ req, res, body }) => {
    const product = await createProduct(ctx.couch, body());
    await log(req, res, 'product.create', product._id, { price: product.price });
    return product;
  });

  // ---- departments ----
  on('GET /api/v1/departments', read, async ({ req }) => {
    const q = queryOf(CatalogListQuery, req);
    return pageOf(departmentRows(departmentTree(await listAll(ctx.couch, 'department'))), q);
  });
  on('GET /api/v1/department-tree', read, async () => departmentTree(await listAll(ctx.couch, 'department')));
  on('GET /api/v1/departments/:code', read, async ({ req }) => getOne(ctx.couch, 'department', keyParam(req, 'department')));
  on('POST /api/v1/departments', write, async ({ req, res, body }) => {
    const doc = await createDepartment(ctx.couch, body());
    await log(req, res, 'department.create', doc._id, { parentId: doc.parentId });
    return doc;
  });
  on('PATCH /api/v1/departments/:code', write, async ({ req, res, body }) => {
    const b = body();
    return edited(req, res, 'department.update', await editDepartment(ctx.couch, keyParam(req, 'department'), b), b);
  });

  // ---- tax rates and groups ----
  on('GET /api/v1/tax-rates', read, async ({ req }) => pageOf(await listAll<TaxRate>(ctx.couch, 'taxrate'), queryOf(CatalogListQuery, req)));
  on('GET /api/v1/tax-rates/:code', read, async ({ req }) => getOne<TaxRate>(ctx.couch, 'taxrate', keyParam(req, 'taxrate')));
  on('POST /api/v1/tax-rates', write, async ({ req, res, body }) => {
    const doc = await createTaxRate(ctx.couch, body());
    await log(req, res, 'taxrate.create', doc._id, { rateBp: doc.rateBp, compound: doc.compound });
    return doc;
  });
  on('PATCH /api/v1/tax-rates/:code', write, async ({ req, res, body }) => {
    const b = body();
    return edited(req, res, 'taxrate.update', await editTaxRate(ctx.couch, keyParam(req, 'taxrate'), b), b);
  });
  on('GET /api/v1/tax-groups', read, async ({ req }) => pageOf(await listAll<TaxGroup>(ctx.couch, 'taxgroup'), queryOf(CatalogListQuery, req)));
  on('GET /api/v1/tax-groups/:code', read, async ({ req }) => getOne<TaxGroup>(ctx.couch, 'taxgroup', keyParam(req, 'taxgroup')));
  on('GET /api/v1/tax-groups/:code/preview', read, async ({ req }) => {
    const code = keyParam(req, 'taxgroup');
    const q = queryOf(TaxPreviewQuery, req);
    return taxPreview(ctx.couch, code, q.amount, q.mode ?? 'exclusive');
  });
  on('POST /api/v1/tax-groups', write, async ({ req, res, body }) => {
    const doc = await createTaxGroup(ctx.couch, body());
    await log(req, res, 'taxgroup.create', doc._id, { rateIds: doc.rateIds });
    return doc;
  });
  on('PATCH /api/v1/tax-groups/:code', write, async ({ req, res, body }) => {
    const b = body();
    return edited(req, res, 'taxgroup.update', await editTaxGroup(ctx.couch, keyParam(req, 'taxgroup'), b), b);
  });

  // ---- tenders, suppliers, specials ----
  on('GET /api/v1/tenders', read, async ({ req }) => pageOf(await listAll<Tender>(ctx.couch, 'tender'), queryOf(CatalogListQuery, req)));
  on('GET /api/v1/tenders/:code', read, async ({ req }) => getOne<Tender>(ctx.couch, 'tender', keyParam(req, 'tender')));
  on('POST /api/v1/tenders', write, async ({ req, res, body }) => {
    const doc = await createTender(ctx.couch, body());
    await log(req, res, 'tender.create', doc._id, { kind: doc.kind });
    return doc;
  });
  on('PATCH /api/v1/tenders/:code', write, async ({ req, res, body }) => {
    const b = body();
    return edited(req, res, 'tender.update', await editTender(ctx.couch, keyParam(req, 'tender'), b), b);
  });
  on('GET /api/v1/suppliers', read, async ({ req }) => pageOf(await listAll<Supplier>(ctx.couch, 'supplier'), queryOf(CatalogListQuery, req)));
  on('GET /api/v1/suppliers/:code', read, async ({ req }) => getOne<Supplier>(ctx.couch, 'supplier', keyParam(req, 'supplier')));
  on('POST /api/v1/suppliers', write, async ({ req, res, body }) => {
    const doc = await createSupplier(ctx.couch, body());
    await log(req, res, 'supplier.create', doc._id);
    return doc;
  });
  on('PATCH /api/v1/suppliers/:code', write, async ({ req, res, body }) => {
    const b = body();
    return edited(req, res, 'supplier.update', await editSupplier(ctx.couch, keyParam(req, 'supplier'), b), b);
  });
  on('GET /api/v1/sales-reps', read, async ({ req }) => pageOf(await listAll<SalesRep>(ctx.couch, 'salesrep'), queryOf(CatalogListQuery, req)));
  on('GET /api/v1/sales-reps/:code', read, async ({ req }) => getOne<SalesRep>(ctx.couch, 'salesrep', keyParam(req, 'salesrep')));
  on('POST /api/v1/sales-reps', write, async ({ req, res, body }) => {
    const doc = await createSalesRep(ctx.couch, body());
    await log(req, res, 'salesrep.create', doc._id, { commissionBp: doc.commissionBp });
    return doc;
  });
  on('PATCH /api/v1/sales-reps/:code', write, async ({ req, res, body }) => {
    const b = body();
    return edited(req, res, 'salesrep.update', await editSalesRep(ctx.couch, keyParam(req, 'salesrep'), b), b);
  });
  on('GET /api/v1/specials', read, async ({ req }) => {
    const { store, ...q } = queryOf(SpecialListQuery, req);
    return pageOf(await listAll<Special>(ctx.couch, 'special'), q, store ? (s) => specialAt(s, store) : undefined);
  });
  on('GET /api/v1/specials/:code', read, async ({ req }) => getOne<Special>(ctx.couch, 'special', keyParam(req, 'special')));
  on('POST /api/v1/specials', write, async ({ req, res, body }) => {
    const doc = await createSpecial(ctx.couch, body());
    await log(req, res, 'special.create', doc._id, { kind: doc.kind, startsAt: doc.startsAt, endsAt: doc.endsAt, storeIds: doc.storeIds ?? 'all' });
    return doc;
  });
  on('PATCH /api/v1/specials/:code', write, async ({ req, res, body }) => {
    const b = body();
    return edited(req, res, 'special.update', await editSpecial(ctx.couch, keyParam(req, 'special'), b), b);
  });

  // ---- deactivation: kept, never deleted (a sale may name it) ----
  on('DELETE /api/v1/products/:sku', write, async ({ req, res, body }) =>
    edited(req, res, 'product.deactivate', await deactivate(ctx.couch, 'product', keyParam(req, 'product'), body()._rev), {}),
  );
  on('DELETE /api/v1/departments/:code', write, async ({ req, res, body }) =>
    edited(req, res, 'department.deactivate', await deactivate(ctx.couch, 'department', keyParam(req, 'department'), body()._rev), {}),
  );
  on('DELETE /api/v1/tax-rates/:code', write, async ({ req, res, body }) =>
    edited(req, res, 'taxrate.deactivate', await deactivate(ctx.couch, 'taxrate', keyParam(req, 'taxrate'), body()._rev), {}),
  );
  on('DELETE /api/v1/tax-groups/:code', write, async ({ req, res, body }) =>
    edited(req, res, 'taxgroup.deactivate', await deactivate(ctx.couch, 'taxgroup', keyParam(req, 'taxgroup'), body()._rev), {}),
  );
  on('DELETE /api/v1/tenders/:code', write, async ({ req, res, body }) =>
    edited(req, res, 'tender.deactivate', await deactivate(ctx.couch, 'tender', keyParam(req, 'tender'), body()._rev), {}),
  );
  on('DELETE /api/v1/suppliers/:code', write, async ({ req, res, body }) =>
    edited(req, res, 'supplier.deactivate', await deactivate(ctx.couch, 'supplier', keyParam(req, 'supplier'), body()._rev), {}),
  );
  on('DELETE /api/v1/sales-reps/:code', write, async ({ req, res, body }) =>
    edited(req, res, 'salesrep.deactivate', await deactivate(ctx.couch, 'salesrep', keyParam(req, 'salesrep'), body()._rev), {}),
  );
  on('DELETE /api/v1/specials/:code', write, async ({ req, res, body }) =>
    edited(req, res, 'special.deactivate', await deactivate(ctx.couch, 'special', keyParam(req, 'special'), body()._rev), {}),
  );
  return r;
}
