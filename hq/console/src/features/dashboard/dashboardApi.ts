// The chain dashboard (GET /dashboard: every store's day against the same weekday a week before, and the chain
// per currency with sales per local hour). Read-only: it is kept fresh by polling, not by tags.
import { api } from '../../api/api';
import { hq } from '../../api/routes';
import type { Result } from '../../api/routes';

export type ChainDashboard = Result<'GET /api/v1/dashboard'>;
export type ChainBlock = ChainDashboard['chain'][number];
export type StoreRow = ChainDashboard['stores'][number];
export type DayTotals = StoreRow['day'];

/** How often the dashboard asks HQ again while it is open. */
export const DASHBOARD_POLL_MS = 30_000;

export const dashboardApi = api.injectEndpoints({
  endpoints: (build) => ({
    /** `date` null: each store's today in its own zone. */
    chainDashboard: build.query<ChainDashboard, { date: string | null }>({
      query: ({ date }) => ({ ...hq('GET', '/api/v1/dashboard'), params: date ? { date } : {} }),
    }),
  }),
});

export const { useChainDashboardQuery } = dashboardApi;
