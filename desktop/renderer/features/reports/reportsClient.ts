// The store's reports come from the store server (the relay: `GET /api/v1/reports/<name>`, store-relay/reports.ts),
// read with the manager's relay session — the one the day close opens with the PIN (storeServerSlice). JSON
// for the screens through the typed client; CSV (`format=csv&lang=`) fetched with the same bearer token and
// saved as a file, so the token never goes into a URL.
import { useCallback, useEffect, useState } from 'react';
import type { Wire } from '../../../../shared/api/client';
import { queryString } from '../../../../shared/api/client';
import { ApiError, isErrorCode } from '../../../../shared/api/errors';
import type { ReportAnswers, ReportName, ReportQueryInput } from '../../../../shared/api/reports';
import type { Services } from '../../app/services';
import { useServices } from '../../app/servicesContext';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { asError, relay, storeServerSlice, type StoreServerError } from '../manager/storeServerSlice';

/** The query of a report screen (the API's, without store: a relay answers for its own store). */
export type ReportQuery = Omit<ReportQueryInput, 'store' | 'format'>;

const EXPIRED = new Set(['unauthenticated', 'token_expired', 'token_invalid', 'no_session']);
const NO_SESSION: StoreServerError = { code: 'no_session', message: { en: 'Confirm with your PIN to reach the store server.', es: 'Confirme con su PIN para acceder al servidor de la tienda.' } };

/** One report of the relay, as JSON. */
export async function fetchReport<N extends ReportName>(services: Services, token: string, name: N, query: ReportQuery): Promise<Wire<ReportAnswers[N]>> {
  const key = `GET /api/v1/reports/${name}` as `GET /api/v1/reports/${'sales-summary'}`;
  const res = await relay(services, token).send(key, { query });
  return res.body as unknown as Wire<ReportAnswers[N]>;
}

/** The report as CSV text, in the given language (the relay writes it with shared/reports/csv.ts). */
export async function fetchReportCsv(services: Services, token: string, name: ReportName, query: ReportQuery): Promise<string> {
  const base = services.pairing?.relayUrl?.replace(/\/+$/, '');
  if (!base) throw new Error('the terminal is not paired');
  const res = await fetch(`${base}/api/v1/reports/${name}${queryString({ ...query, format: 'csv' })}`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) {
    let body: { error?: unknown; reason?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // not JSON: a proxy's page
    }
    const code = isErrorCode(body.error) ? body.error : res.status >= 500 ? 'internal' : 'bad_request';
    throw new ApiError(res.status, code, typeof body.reason === 'string' ? body.reason : code);
  }
  return text;
}

/** Offers text as a file download (a Blob behind a temporary link). */
export function saveFile(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export interface ReportState<N extends ReportName> {
  data: Wire<ReportAnswers[N]> | null;
  error: StoreServerError | null;
  loading: boolean;
  reload(): void;
}

/** The relay session's token, or null (the gate then asks for the PIN). */
function useToken(): string | null {
  const session = useAppSelector((s) => s.storeServer.session);
  return session && session.until > Date.now() ? session.token : null;
}

/**
 * Keeps a report loaded for a query: loads it when the query changes, keeps the last answer while the next one
 * loads, and on a refused or expired session drops it (so the PIN is asked again).
 */
export function useReport<N extends ReportName>(name: N, query: ReportQuery | null): ReportState<N> {
  const services = useServices();
  const dispatch = useAppDispatch();
  const token = useToken();
  const [data, setData] = useState<Wire<ReportAnswers[N]> | null>(null);
  const [error, setError] = useState<StoreServerError | null>(null);
  const [loading, setLoading] = useState(false);
  const [round, setRound] = useState(0);
  const key = query ? JSON.stringify(query) : null;

  useEffect(() => {
    if (!key) return undefined;
    // The relay session ran out while the screen was open: drop it, so the gate asks for the PIN again.
    if (!token) {
      dispatch(storeServerSlice.actions.failed(NO_SESSION));
      return undefined;
    }
    let live = true;
    setLoading(true);
    setError(null);
    fetchReport(services, token, name, JSON.parse(key) as ReportQuery).then(
      (answer) => {
        if (!live) return;
        setData(answer);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        const e = asError(err);
        setError(e);
        setLoading(false);
        if (EXPIRED.has(e.code)) dispatch(storeServerSlice.actions.failed(e));
      },
    );
    return () => {
      live = false;
    };
  }, [services, dispatch, token, name, key, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}

/** Downloads the report as CSV in the screen's language; returns the error to show, or null. */
export function useCsvExport(name: ReportName): (query: ReportQuery, fileName: string) => Promise<StoreServerError | null> {
  const services = useServices();
  const token = useToken();
  return useCallback(
    async (query, fileName) => {
      if (!token) return NO_SESSION;
      try {
        saveFile(await fetchReportCsv(services, token, name, query), fileName);
        return null;
      } catch (err) {
        return asError(err);
      }
    },
    [services, token, name],
  );
}
