// Customers (GET /customers, by name, e-mail or phone, paged by cursor) and the conflicts HQ resolved on its
// own (latest updatedAt wins, the losers kept) awaiting a person's review (POST /customers/:id/resolve: keep
// the winner, or restore a kept losing revision).
import { api } from '../../api/api';
import { hq } from '../../api/routes';
import type { Result } from '../../api/routes';

export type CustomerPage = Result<'GET /api/v1/customers'>;
export type Customer = CustomerPage['items'][number];
export type CustomerConflict = Result<'GET /api/v1/customers/conflicts'>[number];

export const customersApi = api.injectEndpoints({
  endpoints: (build) => ({
    customers: build.query<CustomerPage, { q: string; cursor: string | null }>({
      query: ({ q, cursor }) => ({ ...hq('GET', '/api/v1/customers'), params: { limit: 50, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } }),
      providesTags: ['Customer'],
    }),
    customerConflicts: build.query<CustomerConflict[], void>({
      query: () => hq('GET', '/api/v1/customers/conflicts'),
      providesTags: ['CustomerConflict'],
    }),
    resolveConflict: build.mutation<CustomerConflict, { id: string; rev?: string }>({
      query: ({ id, rev }) => ({ ...hq('POST', '/api/v1/customers/:id/resolve', { id }), body: rev ? { rev } : {} }),
      invalidatesTags: ['CustomerConflict', 'Customer'],
    }),
  }),
});

export const { useCustomersQuery, useCustomerConflictsQuery, useResolveConflictMutation } = customersApi;
