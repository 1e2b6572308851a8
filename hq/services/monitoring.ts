// Sync monitoring at HQ (design "Sync monitoring"): relays heartbeat with their jobs' state, errors and
// terminals' health; HQ keeps the latest heartbeat per store in a `_local` document (hot state: no revision
// history, never replicated) and each reported error as its own immutable document, then builds the
// dashboard from those plus the stores' report views. Nothing lives in process memory.
import { randomUUID } from 'node:crypto';
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, updateDoc } from '../../server-kit/docs';
import { forbidden, notFound } from '../../server-kit/errors';
import type { HeartbeatBody } from '../../shared/api/bodies';
import { businessDate } from '../../shared/pos/clock';
import { HQ_DB, heartbeatLocalId, hqStoreDbName, hqStoreRecordId } from '../../shared/model/names';
import type { HeartbeatAnswer, JobReport, TerminalHealthRow } from '../../shared/api/responses';
import type { StoreRecord } from './model';
import { listStores } from './stores';

export const MISSED_HEARTBEATS_DISCONNECTED = 3;

export interface Heartbeat {
  at: string;
  intervalS: number;
  /** Open shifts at the store (the wire keeps the name `openRegisters`). */
  openRegisters: number;
  lastSaleAt: string | null;
  jobs: JobReport[];
  errors: Array<{ at: string; job: string; type: string; message: string; docId?: string }>;
  terminals: TerminalHealthRow[];
  version?: string;
}

type HeartbeatDoc = { _id: string; _rev?: string; storeCode: string; receivedAt: string; from: string; heartbeat: Heartbeat };

export interface SyncErrorDoc {
  _id: string; // syncerror:<code>:<at>:<uuid>
  _rev?: string;
  type: 'syncerror';
  storeCode: string;
  at: string;
  job: string;
  errorType: string;
  message: string;
  docId?: string;
  receivedAt: string;
}


/** The id an error is kept under: deterministic when the relay names the error, so a resent one is stored once. */
const syncErrorId = (code: string, at: string, id: string) => `syncerror:${code}:${at}:${id}`;

/**
 * Records a heartbeat; returns the instructions for the relay (a force resync HQ asked for) and which errors
 * are safely kept. Only an active store may report: a revoked store is refused (403 store_suspended), so
 * the dashboard never shows a suspended store as connected on the strength of its old token. Each error is
 * its own document, and an error the relay names is acknowledged only once written (or found written
 * already): the relay keeps it queued until then, across outages and restarts.
 */
export async function recordHeartbeat(couch: CouchHandle, storeCode: string, heartbeat: HeartbeatBody, from: string): Promise<HeartbeatAnswer> {
  const store = await getDoc<StoreRecord & { resyncRequestedAt?: string | null }>(couch, HQ_DB, hqStoreRecordId(storeCode));
  if (!store || store.status !== 'active') {
    throw forbidden('store_suspended', `Store ${storeCode} is ${store?.status ?? 'unknown'} at HQ: its heartbeats are refused until it is provisioned again.`);
  }
  const receivedAt = new Date().toISOString();
  const beat: Heartbeat = {
    at: heartbeat.at,
    intervalS: heartbeat.intervalS ?? 30,
    openRegisters: heartbeat.openRegisters ?? 0,
    lastSaleAt: heartbeat.lastSaleAt ?? null,
    jobs: heartbeat.jobs.map((j) => ({ ...j, lastError: j.lastError ? { at: j.lastError.at, type: j.lastError.type, message: j.lastError.message, ...(j.lastError.docId ? { docId: j.lastError.docId } : {}) } : null })),
    errors: [],
    terminals: heartbeat.terminals ?? [],
    ...(heartbeat.version ? { version: heartbeat.version } : {}),
  };
  await updateDoc<HeartbeatDoc>(couch, HQ_DB, heartbeatLocalId(storeCode), () => ({ _id: heartbeatLocalId(storeCode), storeCode, receivedAt, from, heartbeat: beat }));
  const reported = heartbeat.errors ?? [];
  const acknowledged: string[] = [];
  if (reported.length) {
    const docs: SyncErrorDoc[] = reported.map((e) => ({
      _id: syncErrorId(storeCode, e.at, e.id ?? randomUUID()),
      type: 'syncerror',
      storeCode,
      at: e.at,
      job: e.job,
      errorType: e.type,
      message: e.message,
      ...(e.docId ? { docId: e.docId } : {}),
      receivedAt,
    }));
    const results = (await couch.nano.use(HQ_DB).bulk({ docs })) as Array<{ id?: string; error?: string }>;
    results.forEach((r, i) => {
      const id = reported[i]?.id;
      // Written now, or already written by an earlier heartbeat whose answer the relay did not get.
      if (id && (!r.error || r.error === 'conflict')) acknowledged.push(id);
    });
  }
  return { resync: store.resyncRequestedAt ?? null, acknowledged };
}

/** Asks a store's relay to replay all its replications from sequence 0 at its next heartbeat. */
export async function requestResync(couch: CouchHandle, storeCode: string): Promise<string> {
  const at = new Date().toISOString();
  await updateDoc<StoreRecord & { resyncRequestedAt?: string | null }>(couch, HQ_DB, hqStoreRecordId(storeCode), (s) => {
    if (!s) throw notFound('store_not_found', `No store ${storeCode}.`);
    return { ...s, resyncRequestedAt: at };
  });
  return at;
}

/** The relay confirms it started the resync HQ asked for at `requestedAt`. */
export async function acknowledgeResync(couch: CouchHandle, storeCode: string, requestedAt: string): Promise<void> {
  await updateDoc<StoreRecord & { resyncRequestedAt?: string | null; lastResyncAt?: string }>(couch, HQ_DB, hqStoreRecordId(storeCode), (s) =>
    s && s.resyncRequestedAt === requestedAt ? { ...s, resyncRequestedAt: null, lastResyncAt: new Date().toISOString() } : null,
  );
}

/** Sync errors, newest first, optionally for one store and/or of one type. */
export async function listSyncErrors(couch: CouchHandle, opts: { store?: string; type?: string; limit?: number }): Promise<SyncErrorDoc[]> {
  const prefix = opts.store ? `syncerror:${opts.store}:` : 'syncerror:';
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
  const res = await couch.nano.use<SyncErrorDoc>(HQ_DB).list({ startkey: `${prefix}\ufff0`, endkey: prefix, descending: true, include_docs: true, limit: opts.type ? limit * 10 : limit });
  const docs = res.rows.flatMap((r) => (r.doc ? [r.doc as SyncErrorDoc] : []));
  return (opts.type ? docs.filter((d) => d.errorType === opts.type) : docs).slice(0, limit);
}

async function countErrors(couch: CouchHandle, storeCode: string): Promise<number> {
  // Keys only (no docs): cheap, and exact for the range.
  const keys = await couch.nano.use(HQ_DB).list({ startkey: `syncerror:${storeCode}:`, endkey: `syncerror:${storeCode}:\ufff0` });
  return keys.rows.length;
}

type SumRow = { key: unknown[]; value: number[] };

async function todaysActivity(couch: CouchHandle, store: StoreRecord, now: Date) {
  const today = businessDate(now, store.timeZone);
  const db = hqStoreDbName(store.code);
  const range = (view: string) =>
    couch.request<{ rows: SumRow[] }>(
      `/${db}/_design/${view}/_view/${view}?group_level=2&startkey=${encodeURIComponent(JSON.stringify([store.code, today]))}&endkey=${encodeURIComponent(JSON.stringify([store.code, today, {}]))}`,
    );
  const [sales, voids] = await Promise.all([range('sales_totals'), range('voids_by_date')]);
  const s = sales.rows[0]?.value ?? [0, 0, 0, 0];
  const v = voids.rows[0]?.value ?? [0, 0];
  return {
    businessDate: today,
    salesCount: s[0] ?? 0,
    revenue: s[1] ?? 0,
    tax: s[2] ?? 0,
    discounts: s[3] ?? 0,
    voidsCount: v[0] ?? 0,
    voidsTotal: v[1] ?? 0,
  };
}

/**
 * How a store stands for the dashboard: `pending` (never provisioned), `revoked` (suspended at HQ, whatever
 * its relay last said), `connected` (heartbeats arriving), `disconnected` (3 heartbeats missed, or none yet).
 */
export type StoreState = 'pending' | 'revoked' | 'connected' | 'disconnected';

/** One dashboard row per store (pending ones too): connection, replication state per entity, errors, today's activity. */
export async function dashboard(couch: CouchHandle, now = new Date()) {
  const stores = await listStores(couch);
  const rows = await Promise.all(
    stores.map(async (store) => {
      const [hb, activity, errorCount] = await Promise.all([
        getDoc<HeartbeatDoc>(couch, HQ_DB, heartbeatLocalId(store.code)),
        todaysActivity(couch, store, now).catch(() => null),
        countErrors(couch, store.code),
      ]);
      const beat = hb?.heartbeat ?? null;
      const ageS = hb ? (now.getTime() - Date.parse(hb.receivedAt)) / 1000 : null;
      // A suspended store is not connected, even with a fresh heartbeat from before its revocation.
      const connected = store.status === 'active' && ageS !== null && beat !== null && ageS <= beat.intervalS * MISSED_HEARTBEATS_DISCONNECTED;
      const state: StoreState = store.status === 'pending' ? 'pending' : store.status === 'suspended' ? 'revoked' : connected ? 'connected' : 'disconnected';
      const successes = (beat?.jobs ?? []).map((j) => j.lastSuccessAt).filter((x): x is string => Boolean(x));
      const entities: Record<string, { pushed: number; pulled: number }> = {};
      for (const job of beat?.jobs ?? []) {
        for (const [type, n] of Object.entries(job.byType ?? {})) {
          entities[type] ??= { pushed: 0, pulled: 0 };
          if (job.direction === 'push') entities[type].pushed += n;
          else entities[type].pulled += n;
        }
      }
      return {
        store: { code: store.code, name: store.name, status: store.status, timeZone: store.timeZone },
        state,
        connected,
        lastHeartbeatAt: hb?.receivedAt ?? null,
        lastSyncAt: successes.sort().at(-1) ?? null,
        jobs: beat?.jobs ?? [],
        entities,
        errorCount,
        openRegisters: beat?.openRegisters ?? 0,
        lastSaleAt: beat?.lastSaleAt ?? null,
        terminals: (beat?.terminals ?? []).map((t) => ({
          ...t,
          // A till silent for more than 3 heartbeat intervals has stopped syncing.
          stale: (now.getTime() - Date.parse(t.lastSeenAt)) / 1000 > (beat?.intervalS ?? 30) * MISSED_HEARTBEATS_DISCONNECTED,
        })),
        today: activity,
      };
    }),
  );
  return { generatedAt: now.toISOString(), stores: rows };
}
