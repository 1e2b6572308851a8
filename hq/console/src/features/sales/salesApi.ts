// The sales browser (GET /sales: every store's sales by store, business dates, receipt, cashier, customer and
// total, paged by cursor) and one sale whole (GET /sales/:id: lines, taxes, tenders, approvals, its void and
// its returns). Sales are immutable: nothing here writes.
import { api } from '../../api/api';
import { hq } from '../../api/routes';
import type { Result } from '../../api/routes';

export type SalePage = Result<'GET /api/v1/sales'>;
export type SaleDetail = Result<'GET /api/v1/sales/:id'>;

export interface SalesFilter {
  store?: string;
  from?: string;
  to?: string;
  receipt?: string;
  cashier?: string;
  customer?: string;
  minTotal?: number;
  maxTotal?: number;
}

export const SALES_PAGE = 50;

export const salesApi = api.injectEndpoints({
  endpoints: (build) => ({
    sales: build.query<SalePage, { filter: SalesFilter; cursor: string | null }>({
      query: ({ filter, cursor }) => ({ ...hq('GET', '/api/v1/sales'), params: { ...filter, limit: SALES_PAGE, ...(cursor ? { cursor } : {}) } }),
      providesTags: ['Sale'],
    }),
    sale: build.query<SaleDetail, string>({
      query: (id) => hq('GET', '/api/v1/sales/:id', { id }),
      providesTags: (_r, _e, id) => [{ type: 'Sale', id }],
    }),
  }),
});

export const { useSalesQuery, useSaleQuery } = salesApi;
