// One RTK Query API for HQ; each feature injects its endpoints (features/*/…Api.ts). Tags tie reads to the
// writes that change them, so a save refreshes exactly the lists it affects.
import { createApi } from '@reduxjs/toolkit/query/react';
import { baseQuery } from './baseQuery';

export const api = createApi({
  reducerPath: 'api',
  baseQuery,
  tagTypes: ['Me', 'Store', 'Dashboard', 'SyncErrors', 'Product', 'ProductList', 'User', 'Role', 'Department', 'TaxRate', 'TaxGroup', 'Tender', 'Supplier', 'Special', 'Sale', 'Customer', 'CustomerConflict', 'StoreConfig', 'SalesRep', 'StorePrice'],
  endpoints: () => ({}),
});
