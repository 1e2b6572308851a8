// Staff accounts (GET /users), roles (GET /roles), PIN reset (PATCH /users/:id {pin}) and per-store
// role assignments (PUT /users/:id/store-roles).
import { api } from '../../api/api';
import { hq } from '../../api/routes';
import type { PublicUser, RoleDoc } from '../../api/types';

export const peopleApi = api.injectEndpoints({
  endpoints: (build) => ({
    users: build.query<PublicUser[], void>({
      query: () => hq('GET', '/api/v1/users'),
      providesTags: (list) => [{ type: 'User' as const, id: 'LIST' }, ...(list ?? []).map((u) => ({ type: 'User' as const, id: u.id }))],
    }),
    roles: build.query<RoleDoc[], void>({
      query: () => hq('GET', '/api/v1/roles'),
      providesTags: ['Role'],
    }),
    resetPin: build.mutation<PublicUser, { id: string; pin: string }>({
      query: ({ id, pin }) => ({ ...hq('PATCH', '/api/v1/users/:id', { id }), body: { pin } }),
      invalidatesTags: (_u, _e, { id }) => [{ type: 'User', id }],
    }),
    setStoreRoles: build.mutation<Record<string, string[]>, { id: string; storeRoles: Record<string, string[]> }>({
      query: ({ id, storeRoles }) => ({ ...hq('PUT', '/api/v1/users/:id/store-roles', { id }), body: storeRoles }),
      invalidatesTags: (_r, _e, { id }) => [{ type: 'User', id }, { type: 'User', id: 'LIST' }],
    }),
  }),
});

export const { useUsersQuery, useRolesQuery, useResetPinMutation, useSetStoreRolesMutation } = peopleApi;
