// The catalog modules beyond products (shared/api/catalogAdmin.ts): departments as a tree, tax rates, tax
// groups and their preview, tenders, suppliers, sales reps, specials; product creation. Lists are read whole (up to 500 a type: catalogs
// keep a few dozen of each), edits carry the `_rev` they were made on (409 `stale_edit` with the current
// version when someone saved in between), deactivation too.
import { api } from '../../api/api';
import { hq } from '../../api/routes';
import type { Body, Result } from '../../api/routes';

export type DepartmentNode = Result<'GET /api/v1/department-tree'>[number];
export type Department = Result<'GET /api/v1/departments/:code'>;
export type TaxRate = Result<'GET /api/v1/tax-rates/:code'>;
export type TaxGroup = Result<'GET /api/v1/tax-groups/:code'>;
export type Tender = Result<'GET /api/v1/tenders/:code'>;
export type Supplier = Result<'GET /api/v1/suppliers/:code'>;
export type SalesRep = Result<'GET /api/v1/sales-reps/:code'>;
export type Special = Result<'GET /api/v1/specials/:code'>;
export type ProductCreate = Body<'POST /api/v1/products'>;

/** Every list is one page of the largest size the API allows. */
const ALL = { limit: 500 };

export const adminApi = api.injectEndpoints({
  endpoints: (build) => ({
    departmentTree: build.query<DepartmentNode[], void>({
      query: () => hq('GET', '/api/v1/department-tree'),
      providesTags: ['Department'],
    }),
    createDepartment: build.mutation<Department, Body<'POST /api/v1/departments'>>({
      query: (body) => ({ ...hq('POST', '/api/v1/departments'), body }),
      invalidatesTags: ['Department'],
    }),
    editDepartment: build.mutation<Department, { code: string; body: Body<'PATCH /api/v1/departments/:code'> }>({
      query: ({ code, body }) => ({ ...hq('PATCH', '/api/v1/departments/:code', { code }), body }),
      invalidatesTags: ['Department'],
    }),
    deactivateDepartment: build.mutation<Department, { code: string; _rev: string }>({
      query: ({ code, _rev }) => ({ ...hq('DELETE', '/api/v1/departments/:code', { code }), body: { _rev } }),
      invalidatesTags: ['Department'],
    }),
    taxRates: build.query<TaxRate[], void>({
      query: () => ({ ...hq('GET', '/api/v1/tax-rates'), params: ALL }),
      transformResponse: (page: Result<'GET /api/v1/tax-rates'>) => page.items,
      providesTags: ['TaxRate'],
    }),
    createTaxRate: build.mutation<TaxRate, Body<'POST /api/v1/tax-rates'>>({
      query: (body) => ({ ...hq('POST', '/api/v1/tax-rates'), body }),
      invalidatesTags: ['TaxRate'],
    }),
    editTaxRate: build.mutation<TaxRate, { code: string; body: Body<'PATCH /api/v1/tax-rates/:code'> }>({
      query: ({ code, body }) => ({ ...hq('PATCH', '/api/v1/tax-rates/:code', { code }), body }),
      invalidatesTags: ['TaxRate'],
    }),
    deactivateTaxRate: build.mutation<TaxRate, { code: string; _rev: string }>({
      query: ({ code, _rev }) => ({ ...hq('DELETE', '/api/v1/tax-rates/:code', { code }), body: { _rev } }),
      invalidatesTags: ['TaxRate'],
    }),
    taxGroups: build.query<TaxGroup[], void>({
      query: () => ({ ...hq('GET', '/api/v1/tax-groups'), params: ALL }),
      transformResponse: (page: Result<'GET /api/v1/tax-groups'>) => page.items,
      providesTags: ['TaxGroup'],
    }),
    createTaxGroup: build.mutation<TaxGroup, Body<'POST /api/v1/tax-groups'>>({
      query: (body) => ({ ...hq('POST', '/api/v1/tax-groups'), body }),
      invalidatesTags: ['TaxGroup'],
    }),
    editTaxGroup: build.mutation<TaxGroup, { code: string; body: Body<'PATCH /api/v1/tax-groups/:code'> }>({
      query: ({ code, body }) => ({ ...hq('PATCH', '/api/v1/tax-groups/:code', { code }), body }),
      invalidatesTags: ['TaxGroup'],
    }),
    deactivateTaxGroup: build.mutation<TaxGroup, { code: string; _rev: string }>({
      query: ({ code, _rev }) => ({ ...hq('DELETE', '/api/v1/tax-groups/:code', { code }), body: { _rev } }),
      invalidatesTags: ['TaxGroup'],
    }),
    tenders: build.query<Tender[], void>({
      query: () => ({ ...hq('GET', '/api/v1/tenders'), params: ALL }),
      transformResponse: (page: Result<'GET /api/v1/tenders'>) => page.items,
      providesTags: ['Tender'],
    }),
    createTender: build.mutation<Tender, Body<'POST /api/v1/tenders'>>({
      query: (body) => ({ ...hq('POST', '/api/v1/tenders'), body }),
      invalidatesTags: ['Tender'],
    }),
    editTender: build.mutation<Tender, { code: string; body: Body<'PATCH /api/v1/tenders/:code'> }>({
      query: ({ code, body }) => ({ ...hq('PATCH', '/api/v1/tenders/:code', { code }), body }),
      invalidatesTags: ['Tender'],
    }),
    deactivateTender: build.mutation<Tender, { code: string; _rev: string }>({
      query: ({ code, _rev }) => ({ ...hq('DELETE', '/api/v1/tenders/:code', { code }), body: { _rev } }),
      invalidatesTags: ['Tender'],
    }),
    suppliers: build.query<Supplier[], void>({
      query: () => ({ ...hq('GET', '/api/v1/suppliers'), params: ALL }),
      transformResponse: (page: Result<'GET /api/v1/suppliers'>) => page.items,
      providesTags: ['Supplier'],
    }),
    createSupplier: build.mutation<Supplier, Body<'POST /api/v1/suppliers'>>({
      query: (body) => ({ ...hq('POST', '/api/v1/suppliers'), body }),
      invalidatesTags: ['Supplier'],
    }),
    editSupplier: build.mutation<Supplier, { code: string; body: Body<'PATCH /api/v1/suppliers/:code'> }>({
      query: ({ code, body }) => ({ ...hq('PATCH', '/api/v1/suppliers/:code', { code }), body }),
      invalidatesTags: ['Supplier'],
    }),
    deactivateSupplier: build.mutation<Supplier, { code: string; _rev: string }>({
      query: ({ code, _rev }) => ({ ...hq('DELETE', '/api/v1/suppliers/:code', { code }), body: { _rev } }),
      invalidatesTags: ['Supplier'],
    }),
    salesReps: build.query<SalesRep[], void>({
      query: () => ({ ...hq('GET', '/api/v1/sales-reps'), params: ALL }),
      transformResponse: (page: Result<'GET /api/v1/sales-reps'>) => page.items,
      providesTags: ['SalesRep'],
    }),
    createSalesRep: build.mutation<SalesRep, Body<'POST /api/v1/sales-reps'>>({
      query: (body) => ({ ...hq('POST', '/api/v1/sales-reps'), body }),
      invalidatesTags: ['SalesRep'],
    }),
    editSalesRep: build.mutation<SalesRep, { code: string; body: Body<'PATCH /api/v1/sales-reps/:code'> }>({
      query: ({ code, body }) => ({ ...hq('PATCH', '/api/v1/sales-reps/:code', { code }), body }),
      invalidatesTags: ['SalesRep'],
    }),
    deactivateSalesRep: build.mutation<SalesRep, { code: string; _rev: string }>({
      query: ({ code, _rev }) => ({ ...hq('DELETE', '/api/v1/sales-reps/:code', { code }), body: { _rev } }),
      invalidatesTags: ['SalesRep'],
    }),
    createProduct: build.mutation<Result<'POST /api/v1/products'>, ProductCreate>({
      query: (body) => ({ ...hq('POST', '/api/v1/products'), body }),
      invalidatesTags: ['ProductList'],
    }),
    specials: build.query<Special[], void>({
      query: () => ({ ...hq('GET', '/api/v1/specials'), params: ALL }),
      transformResponse: (page: Result<'GET /api/v1/specials'>) => page.items,
      providesTags: ['Special'],
    }),
    createSpecial: build.mutation<Special, Body<'POST /api/v1/specials'>>({
      query: (body) => ({ ...hq('POST', '/api/v1/specials'), body }),
      invalidatesTags: ['Special'],
    }),
    editSpecial: build.mutation<Special, { code: string; body: Body<'PATCH /api/v1/specials/:code'> }>({
      query: ({ code, body }) => ({ ...hq('PATCH', '/api/v1/specials/:code', { code }), body }),
      invalidatesTags: ['Special'],
    }),
    deactivateSpecial: build.mutation<Special, { code: string; _rev: string }>({
      query: ({ code, _rev }) => ({ ...hq('DELETE', '/api/v1/specials/:code', { code }), body: { _rev } }),
      invalidatesTags: ['Special'],
    }),
  }),
});

export const {
  useSpecialsQuery,
  useCreateSpecialMutation,
  useEditSpecialMutation,
  useDeactivateSpecialMutation,
  useDepartmentTreeQuery,
  useCreateDepartmentMutation,
  useEditDepartmentMutation,
  useDeactivateDepartmentMutation,
  useTaxRatesQuery,
  useCreateTaxRateMutation,
  useEditTaxRateMutation,
  useDeactivateTaxRateMutation,
  useTaxGroupsQuery,
  useCreateTaxGroupMutation,
  useEditTaxGroupMutation,
  useDeactivateTaxGroupMutation,
  useTendersQuery,
  useCreateTenderMutation,
  useEditTenderMutation,
  useDeactivateTenderMutation,
  useSuppliersQuery,
  useCreateSupplierMutation,
  useEditSupplierMutation,
  useDeactivateSupplierMutation,
  useSalesRepsQuery,
  useCreateSalesRepMutation,
  useEditSalesRepMutation,
  useDeactivateSalesRepMutation,
  useCreateProductMutation,
} = adminApi;
