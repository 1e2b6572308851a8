// /api/v1/customers: the chain's customers (HQ's copy, hq/services/customers.ts), edits that carry their
// revision (409 stale_edit with the current version), and the review of conflicts HQ resolved on its own.
// Customers hold personal data, so every route needs `customers.edit`, the permission that already governs them.
import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { CustomerQuery } from '../../shared/api/hqRecords';
import { parse } from '../../shared/api/parse';
import { HQ_API } from '../../shared/api/routes';
import type { HqContext } from '../context';
import { actorOf, authenticate, requirePermission, session } from '../context';
import { audit } from '../services/audit';
import { createCustomer, getCustomer, openConflicts, reviewConflict, searchCustomers, updateCustomer } from '../services/customers';
import { numericQuery } from './sales';

export function customerRoutes(ctx: HqContext): Router {
  const r = Router();
  r.use(authenticate(ctx), requirePermission('customers.edit'));
  const on = mountRoutes(HQ_API, r, '/api/v1/customers');
  on('GET /api/v1/customers', async ({ req }) => searchCustomers(ctx.couch, parse(CustomerQuery, numericQuery(req, ['limit']))));
  // Before `/:id`, which would otherwise take "conflicts" for an id.
  on('GET /api/v1/customers/conflicts', async () => openConflicts(ctx.couch));
  on('GET /api/v1/customers/:id', async ({ params }) => getCustomer(ctx.couch, params.id));
  on('POST /api/v1/customers', async ({ req, res, body }) => {
    const customer = await createCustomer(ctx.couch, body());
    await audit(ctx.couch, actorOf(req, res), 'customer.create', customer._id);
    return customer;
  });
  on('PATCH /api/v1/customers/:id', async ({ req, res, params, body }) => {
    const { customer, fields } = await updateCustomer(ctx.couch, params.id, body());
    await audit(ctx.couch, actorOf(req, res), 'customer.update', customer._id, { fields });
    return customer;
  });
  on('POST /api/v1/customers/:id/resolve', async ({ req, res, params, body }) => {
    const input = body();
    const { conflict, restored } = await reviewConflict(ctx.couch, params.id, input, session(res).userId);
    await audit(ctx.couch, actorOf(req, res), 'customer.conflict_reviewed', params.id, { kept: restored ?? conflict.winner.rev, restored: restored !== null, ...(input.note ? { note: input.note } : {}) });
    return conflict;
  });
  return r;
}
