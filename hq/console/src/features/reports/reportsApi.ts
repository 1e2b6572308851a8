// The reports of HQ (`GET /api/v1/reports/<name>`, shared/api/reports.ts) for the report pages, and their CSV
// export: the same request with `format=csv&lang=<the console's language>`, fetched with the session's token
// in the Authorization header (never in a URL) and saved as a file from a Blob. Read-only: no tags.
import type { ReportAnswers, ReportName } from '../../../../../shared/api/reports';
import { api } from '../../api/api';
import { API_BASE, refreshSession, toApiError } from '../../api/baseQuery';
import { hq } from '../../api/routes';
import type { ApiError } from '../../api/types';
import type { SessionState } from '../session/sessionSlice';

type ReportArgs = { name: ReportName; query: Record<string, string> };

export const reportsApi = api.injectEndpoints({
  endpoints: (build) => ({
    report: build.query<ReportAnswers[ReportName], ReportArgs>({
      query: ({ name, query }) => ({ ...hq('GET', `/api/v1/reports/${name}`), params: query }),
    }),
  }),
});

export const { useReportQuery } = reportsApi;

type Dispatch = (action: { type: string; payload?: unknown }) => unknown;

/** The CSV of a report as HQ writes it; an expired token is renewed once, as for every other request. */
export async function fetchReportCsv(args: ReportArgs, lang: 'en' | 'es', dispatch: Dispatch, getState: () => unknown): Promise<{ ok: true; csv: string } | { ok: false; error: ApiError }> {
  const url = `${API_BASE}/reports/${args.name}?${new URLSearchParams({ ...args.query, format: 'csv', lang }).toString()}`;
  const once = () => {
    const token = (getState() as { session: SessionState }).session.current?.accessToken;
    return fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  };
  try {
    let res = await once();
    if (res.status === 401 && (await refreshSession(dispatch, getState))) res = await once();
    const text = await res.text();
    if (res.ok) return { ok: true, csv: text };
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // not JSON: the stand-in error below
    }
    return { ok: false, error: toApiError({ status: res.status, data }) };
  } catch (err) {
    return { ok: false, error: toApiError({ status: 'FETCH_ERROR', error: String(err) }) };
  }
}

/** Offers a text as a download (a Blob behind a temporary link). */
export function saveText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const href = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
