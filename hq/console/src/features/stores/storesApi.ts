// Stores, their provisioning and their sync state (GET /stores, /sync/dashboard, /sync/errors; POST
// /stores, /stores/:id/provision, /revoke, /resync).
import { api } from '../../api/api';
import { hq } from '../../api/routes';
import type { Dashboard, IssuedToken, Store, StoreInput, SyncError } from '../../api/types';

export const storesApi = api.injectEndpoints({
  endpoints: (build) => ({
    stores: build.query<Store[], void>({
      query: () => hq('GET', '/api/v1/stores'),
      providesTags: (list) => [{ type: 'Store' as const, id: 'LIST' }, ...(list ?? []).map((s) => ({ type: 'Store' as const, id: s.code }))],
    }),
    store: build.query<Store, string>({
      query: (code) => hq('GET', '/api/v1/stores/:id', { id: code }),
      providesTags: (_s, _e, code) => [{ type: 'Store', id: code }],
    }),
    dashboard: build.query<Dashboard, void>({
      query: () => hq('GET', '/api/v1/sync/dashboard'),
      providesTags: ['Dashboard'],
    }),
    syncErrors: build.query<SyncError[], { store: string; type?: string | null; limit?: number }>({
      query: ({ store, type, limit }) => ({ ...hq('GET', '/api/v1/sync/errors'), params: { store, ...(type ? { type } : {}), limit: limit ?? 200 } }),
      providesTags: (_r, _e, { store }) => [{ type: 'SyncErrors', id: store }],
    }),
    createStore: build.mutation<Store, StoreInput>({
      query: (body) => ({ ...hq('POST', '/api/v1/stores'), body }),
      invalidatesTags: [{ type: 'Store', id: 'LIST' }, 'Dashboard'],
    }),
    /** The answer carries the sync token: shown once by the caller and kept nowhere (see TokenDialog). */
    provisionStore: build.mutation<IssuedToken, { code: string; ttlHours?: number }>({
      query: ({ code, ttlHours }) => ({ ...hq('POST', '/api/v1/stores/:id/provision', { id: code }), body: ttlHours ? { ttlHours } : {} }),
      invalidatesTags: (_r, _e, { code }) => [{ type: 'Store', id: code }, { type: 'Store', id: 'LIST' }],
    }),
    revokeStore: build.mutation<Store, string>({
      query: (code) => hq('POST', '/api/v1/stores/:id/revoke', { id: code }),
      invalidatesTags: (_r, _e, code) => [{ type: 'Store', id: code }, { type: 'Store', id: 'LIST' }, 'Dashboard'],
    }),
    resyncStore: build.mutation<{ requestedAt: string }, string>({
      query: (code) => hq('POST', '/api/v1/stores/:id/resync', { id: code }),
      invalidatesTags: (_r, _e, code) => [{ type: 'Store', id: code }],
    }),
  }),
});

export const {
  useStoresQuery,
  useStoreQuery,
  useDashboardQuery,
  useSyncErrorsQuery,
  useCreateStoreMutation,
  useProvisionStoreMutation,
  useRevokeStoreMutation,
  useResyncStoreMutation,
} = storesApi;

/** How often the sync views ask HQ again: a few seconds, well inside a heartbeat interval's 3 misses. */
export const SYNC_POLL_MS = 2000;

/**
 * The chain's usual currency and time zone (the most common among its stores), for figures that belong to
 * no one store, such as catalog prices. With no stores yet: the defaults HQ gives a new store.
 */
export function chainDefaults(stores: readonly Store[] | undefined): { currency: string; timeZone: string } {
  const most = (values: string[], fallback: string) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? fallback;
  };
  return { currency: most((stores ?? []).map((s) => s.currency), 'MXN'), timeZone: most((stores ?? []).map((s) => s.timeZone), 'America/Mexico_City') };
}

export function useChainDefaults() {
  const { data } = useStoresQuery();
  return chainDefaults(data);
}
