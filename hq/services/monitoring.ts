// Sync monitoring at HQ (design "Sync monitoring"): relays heartbeat with their jobs' state, errors and
// terminals' health; HQ keeps the latest heartbeat per store in a `_local` document (hot state: no revision
// history, never replicated) and each reported error as its own immutable document, then builds the
// dashboard from those plus the stores' report views. Nothing lives only in process memory: what the
// dashboard derives is cached per process with the CouchDB sequence it was read at, and read again when the
// sequence moves (dbSeqs.ts), so 200 stores cost a few requests once warm (`caja bench hq`).
import { randomUUID } from 'node:crypto';
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, updateDoc } from '../../server-kit/docs';
import { forbidden, notFound } from '../../server-kit/errors';
import type { HeartbeatBody } from '../../shared/api/bodies';
import { businessDate } from '../../shared/pos/clock';
import { HQ_DB, heartbeatLocalId, hqStoreDbName, hqStoreRecordId } from '../../shared/model/names';
import type { HeartbeatAnswer, JobReport, TerminalHealthRow } from '../../shared/api/responses';
import type { StoreRecord } from './model';
import { updateSeqs } from './dbSeqs';
import { inParallel } from './sales';
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

/** Every store's sync error count from one keys-only read of the error ids (`syncerror:<code>:…`). */
async function countErrorsByStore(couch: CouchHandle): Promise<Map<string, number>> {
  const keys = await couch.nano.use(HQ_DB).list({ startkey: 'syncerror:', endkey: 'syncerror:\ufff0' });
  const counts = new Map<string, number>();
  for (const row of keys.rows) {
    const code = row.id.split(':')[1] ?? '';
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}

type SumRow = { key: unknown[]; value: number[] };

/** A store's activity on its business day: sales, revenue, tax and discounts, and voids. */
export interface Activity {
  businessDate: string;
  salesCount: number;
  revenue: number;
  tax: number;
  discounts: number;
  voidsCount: number;
  voidsTotal: number;
}

/** Today's activity at a store (its business day in its time zone at `now`), from two grouped views. */
export async function todaysActivity(couch: CouchHandle, store: Pick<StoreRecord, 'code' | 'timeZone'>, now: Date): Promise<Activity> {
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
 * What the dashboard derives from CouchDB, each part with the database sequence it was read at: the store
 * list and error counts (caja-hq's), each store's activity (its database's, and the day). A part is read
 * again only when its sequence moved (dbSeqs.ts), so a warm dashboard over 200 stores costs a few requests
 * and never shows less than CouchDB holds. Heartbeats (`_local`, no sequence) are read every time, in one
 * request. Per CouchHandle, i.e. per HQ process; nothing in it is needed by another instance.
 */
interface DashboardCache {
  hqSeq: string | null;
  stores: StoreRecord[];
  errorCounts: Map<string, number>;
  activity: Map<string, { seq: string; day: string; value: Activity }>;
}

const dashboardCaches = new WeakMap<CouchHandle, DashboardCache>();

/** The latest heartbeat of each store, in one `_local_docs` request (one GET each where a server omits bodies). */
async function heartbeats(couch: CouchHandle, codes: readonly string[]): Promise<Map<string, HeartbeatDoc>> {
  const out = new Map<string, HeartbeatDoc>();
  if (!codes.length) return out;
  const res = await couch.request<{ rows: Array<{ key: string; doc?: HeartbeatDoc | null; error?: string }> }>(`/${HQ_DB}/_local_docs?include_docs=true`, {
    method: 'POST',
    body: { keys: codes.map((c) => heartbeatLocalId(c)) },
  });
  await Promise.all(
    res.rows.map(async (row) => {
      const doc = row.error ? null : (row.doc ?? (await getDoc<HeartbeatDoc>(couch, HQ_DB, row.key)));
      if (doc) out.set(doc.storeCode, doc);
    }),
  );
  return out;
}

/** Brings the cached parts up to date with CouchDB: the store list and error counts, then each store's day. */
async function freshParts(couch: CouchHandle, now: Date): Promise<{ stores: StoreRecord[]; errorCounts: Map<string, number>; activity: Map<string, Activity | null> }> {
  let cache = dashboardCaches.get(couch);
  if (!cache) {
    cache = { hqSeq: null, stores: [], errorCounts: new Map(), activity: new Map() };
    dashboardCaches.set(couch, cache);
  }
  const c = cache;
  let seqs = await updateSeqs(couch, [HQ_DB, ...c.stores.map((s) => hqStoreDbName(s.code))]);
  if (seqs.get(HQ_DB) !== c.hqSeq) {
    const hqSeq = seqs.get(HQ_DB) ?? null;
    [c.stores, c.errorCounts] = await Promise.all([listStores(couch), countErrorsByStore(couch)]);
    c.hqSeq = hqSeq;
    const known = new Set(c.stores.map((s) => s.code));
    for (const code of c.activity.keys()) if (!known.has(code)) c.activity.delete(code);
    const unseen = c.stores.map((s) => hqStoreDbName(s.code)).filter((db) => !seqs.has(db));
    if (unseen.length) seqs = new Map([...seqs, ...(await updateSeqs(couch, unseen))]);
  }
  const activity = new Map<string, Activity | null>();
  const stale = c.stores.filter((store) => {
    const hit = c.activity.get(store.code);
    const fresh = hit && hit.seq === seqs.get(hqStoreDbName(store.code)) && hit.day === businessDate(now, store.timeZone);
    if (fresh) activity.set(store.code, hit.value);
    return !fresh;
  });
  await inParallel(stale, async (store) => {
    const seq = seqs.get(hqStoreDbName(store.code)) ?? '';
    const value = await todaysActivity(couch, store, now).catch(() => null);
    activity.set(store.code, value);
    if (value) c.activity.set(store.code, { seq, day: value.businessDate, value });
  });
  return { stores: c.stores, errorCounts: c.errorCounts, activity };
}

/**
 * How a store stands for the dashboard: `pending` (never provisioned), `revoked` (suspended at HQ, whatever
 * its relay last said), `connected` (heartbeats arriving), `disconnected` (3 heartbeats missed, or none yet).
 */
export type StoreState = 'pending' | 'revoked' | 'connected' | 'disconnected';

/** One dashboard row per store (pending ones too): connection, replication state per entity, errors, today's activity. */
export async function dashboard(couch: CouchHandle, now = new Date()) {
  const { stores, errorCounts, activity: today } = await freshParts(couch, now);
  const beats = await heartbeats(couch, stores.map((s) => s.code));
  const rows = stores.map((store) => {
    const hb = beats.get(store.code) ?? null;
    const activity = today.get(store.code) ?? null;
    const errorCount = errorCounts.get(store.code) ?? 0;
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
  });
  return { generatedAt: now.toISOString(), stores: rows };
}
