// Signing in and out (POST /auth/logout ends the session at HQ: its refresh token stops working) and who is
// signed in (GET /auth/me: the user and their permissions at HQ and per store).
import { api } from '../../api/api';
import { hq } from '../../api/routes';
import type { Me, Tokens } from '../../api/types';

export const sessionApi = api.injectEndpoints({
  endpoints: (build) => ({
    login: build.mutation<Tokens, { username: string; password: string }>({
      query: (body) => ({ ...hq('POST', '/api/v1/auth/login'), body }),
    }),
    logout: build.mutation<{ ok: true }, { refreshToken: string }>({
      query: (body) => ({ ...hq('POST', '/api/v1/auth/logout'), body }),
    }),
    me: build.query<Me, void>({
      query: () => hq('GET', '/api/v1/auth/me'),
      providesTags: ['Me'],
    }),
  }),
});

export const { useLoginMutation, useLogoutMutation, useMeQuery } = sessionApi;
