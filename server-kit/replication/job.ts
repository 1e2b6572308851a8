// A continuous replication job between two databases, with what admins need to see of it in the shape
// of CouchDB's `_active_tasks` (design "Sync monitoring"): counts, pending, last success, last error.
// PouchDB's own retry keeps a live replication alive through outages; this wrapper adds:
//  - a short capped backoff, so a flapping WAN resumes within seconds, not PouchDB's up-to-10-minutes;
//  - 413 handling: a batch refused as too large restarts the job with half the batch size;
//  - per-type counts of what went each way, and classified errors kept for the dashboard;
//  - optionally, a snapshot bootstrap before the first live start on an empty target (bootstrap.ts): the
//    first sync of a 100k-product catalog copies pages of `_all_docs` instead of walking the history.
import { randomUUID } from 'node:crypto';
import { bootstrapSnapshot, confirmLive } from '../../shared/sync/bootstrap';
import { BACKGROUND_CHECKPOINTS, forgetCheckpoints } from '../../shared/sync/checkpointCache';
import type { Seq } from '../../shared/sync/bootstrap';
import type { PouchDB } from './pouch';

export type Direction = 'pull' | 'push';
export type ErrorType = 'network_timeout' | 'payload_too_large' | 'schema_mismatch' | 'token_rejected' | 'forbidden' | 'unknown';

export interface SyncErrorEntry {
  at: string;
  job: string;
  type: ErrorType;
  message: string;
  docId?: string;
}

/** The option of Caja's PouchDB patch behind JobSpec.skipRevsDiff. */
const SKIP_REVS_DIFF = { caja_skip_revs_diff: true } as const;

export interface JobSpec {
  id: string;
  direction: Direction;
  source: PouchDB.Database;
  target: PouchDB.Database;
  sourceLabel: string;
  targetLabel: string;
  selector?: PouchDB.Find.Selector;
  /**
   * The selector compiled (shared/sync/selector.ts), for a source in this process: PouchDB's own `_selector`
   * filter normalises the selector again for every document. Used in place of `selector` when given.
   */
  filter?: (doc: Record<string, unknown>) => boolean;
  batchSize?: number;
  batchesLimit?: number;
  /** Replay from this sequence (force resync uses 0); only for the next start. */
  since?: number | string;
  /** Called for every batch written, with the docs, e.g. to set aside a newer schema. */
  onDocs?: (docs: Array<Record<string, unknown>>) => void;
  /** Maximum back-off between retries in ms. */
  maxBackoffMs?: number;
  /**
   * How long an idle long-poll waits before asking again. CouchDB checks a token when a request starts, so an
   * open feed outlives its token: bounding each poll makes every request re-authenticate, which is what
   * lets a revoked store's replication stop within one token lifetime (plus this bound).
   */
  pollTimeoutMs?: number;
  /**
   * Copy a snapshot of the source (selector applied, no design documents) before the first live start, then
   * replicate live from the sequence taken before the snapshot. Skipped once done (marker on the target).
   */
  bootstrap?: { pageSize?: number };
  /**
   * A push of documents written at its source (a relay's sales up to HQ): every revision in a batch is sent
   * without asking the target which it lacks first (`_revs_diff`). Such a target lacks nearly all of them; the
   * few it has (a batch replayed after a crash) are written again as no-ops, or dropped by HQ's gateway.
   */
  skipRevsDiff?: boolean;
}

export interface JobStatus {
  id: string;
  direction: Direction;
  source: string;
  target: string;
  state: 'starting' | 'active' | 'idle' | 'retrying' | 'stopped';
  startedAt: string;
  updatedAt: string;
  lastSuccessAt: string | null;
  docsRead: number;
  docsWritten: number;
  docWriteFailures: number;
  pending: number | null;
  lastSeq: string | number | null;
  batchSize: number;
  byType: Record<string, number>;
  lastError: SyncErrorEntry | null;
  errorCount: number;
  /** Snapshot bootstrap of this job (null when the job has none): copying, copied (live not caught up yet), live. */
  bootstrap: { state: 'copying' | 'copied' | 'live'; docs: number } | null;
}

/** The CouchDB 3 `_active_tasks` entry for a replication, plus Caja's extras under `caja`. */
export function activeTaskOf(s: JobStatus, pid: string) {
  return {
    type: 'replication',
    node: 'caja@localhost',
    pid,
    replication_id: s.id,
    doc_id: null,
    database: null,
    user: null,
    source: s.source,
    target: s.target,
    continuous: true,
    docs_read: s.docsRead,
    docs_written: s.docsWritten,
    doc_write_failures: s.docWriteFailures,
    bulk_get_docs: s.docsRead,
    bulk_get_attempts: s.docsRead,
    revisions_checked: s.docsRead,
    missing_revisions_found: s.docsWritten,
    changes_pending: s.pending,
    checkpointed_source_seq: s.lastSeq,
    source_seq: s.lastSeq,
    through_seq: s.lastSeq,
    checkpoint_interval: 5000,
    started_on: Math.floor(Date.parse(s.startedAt) / 1000),
    updated_on: Math.floor(Date.parse(s.updatedAt) / 1000),
    caja: {
      direction: s.direction,
      state: s.state,
      lastSuccessAt: s.lastSuccessAt,
      byType: s.byType,
      batchSize: s.batchSize,
      lastError: s.lastError,
      errorCount: s.errorCount,
      bootstrap: s.bootstrap,
    },
  };
}

type ReplicationEmitter = PouchDB.Replication.Replication<Record<string, unknown>>;

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: number; statusCode?: number };
  return e.status ?? e.statusCode;
}

/** Classifies a replication error for the dashboard's error list. */
export function classifyError(err: unknown): ErrorType {
  const status = statusOf(err);
  if (status === 413) return 'payload_too_large';
  if (status === 401) return 'token_rejected';
  if (status === 403) return 'forbidden';
  const text = String((err as { message?: string; reason?: string })?.message ?? (err as { reason?: string })?.reason ?? err);
  if (/fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|timeout|network|socket|aborted|EPIPE/i.test(text) || status === undefined || status >= 500) {
    return 'network_timeout';
  }
  return 'unknown';
}

export class ReplicationJob {
  readonly pid = `<0.${randomUUID().slice(0, 8)}.0>`;
  private emitter: ReplicationEmitter | null = null;
  private stopped = true;
  private readonly listeners = new Set<(s: JobStatus, error?: SyncErrorEntry) => void>();
  private readonly status: JobStatus;
  private readonly defaultBatch: number;
  private restartTimer: NodeJS.Timeout | null = null;
  private bootstrapAbort: AbortController | null = null;
  /**
   * The `since` of the current start, kept for automatic restarts until PouchDB has surely written its
   * checkpoint there (first change or first catch-up): a restart without it would begin at the old
   * checkpoint — after a bootstrap, at 0, walking the whole history again.
   */
  private startSince: Seq | undefined;

  constructor(readonly spec: JobSpec) {
    const now = new Date().toISOString();
    this.defaultBatch = spec.batchSize ?? 500;
    this.status = {
      id: spec.id,
      direction: spec.direction,
      source: spec.sourceLabel,
      target: spec.targetLabel,
      state: 'stopped',
      startedAt: now,
      updatedAt: now,
      lastSuccessAt: null,
      docsRead: 0,
      docsWritten: 0,
      docWriteFailures: 0,
      pending: null,
      lastSeq: null,
      batchSize: this.defaultBatch,
      byType: {},
      lastError: null,
      errorCount: 0,
      bootstrap: spec.bootstrap ? { state: 'copying', docs: 0 } : null,
    };
  }

  get id(): string {
    return this.spec.id;
  }

  snapshot(): JobStatus {
    return { ...this.status, byType: { ...this.status.byType }, bootstrap: this.status.bootstrap && { ...this.status.bootstrap } };
  }

  /** Listens to status changes and errors; returns an unsubscribe function. */
  onUpdate(listener: (s: JobStatus, error?: SyncErrorEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private touch(error?: SyncErrorEntry): void {
    this.status.updatedAt = new Date().toISOString();
    if (error) {
      this.status.lastError = error;
      this.status.errorCount += 1;
    }
    const snap = this.snapshot();
    for (const l of this.listeners) l(snap, error);
  }

  private recordError(err: unknown, docId?: string, type?: ErrorType): void {
    const e = err as { message?: string; reason?: string; name?: string };
    this.touch({
      at: new Date().toISOString(),
      job: this.spec.id,
      type: type ?? classifyError(err),
      message: String(e?.reason ?? e?.message ?? e?.name ?? err),
      ...(docId ? { docId } : {}),
    });
  }

  start(since?: number | string): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.status.startedAt = new Date().toISOString();
    const explicit = since ?? this.spec.since;
    // An explicit sequence (force resync) means "replay from there", never "copy a snapshot".
    if (this.spec.bootstrap && explicit === undefined) void this.bootstrapThenRun();
    else this.run(explicit);
  }

  private countDocs(docs: Array<Record<string, unknown>>): void {
    for (const doc of docs) {
      const type = typeof doc.type === 'string' ? doc.type : doc._deleted ? 'deleted' : 'other';
      this.status.byType[type] = (this.status.byType[type] ?? 0) + 1;
    }
  }

  /** Runs (or resumes, or skips) the snapshot bootstrap, then the live replication; retries on failure. */
  private async bootstrapThenRun(): Promise<void> {
    const abort = new AbortController();
    this.bootstrapAbort = abort;
    this.status.state = 'starting';
    try {
      const res = await bootstrapSnapshot(this.spec.source, this.spec.target, {
        id: this.spec.id,
        ...(this.spec.selector ? { selector: this.spec.selector } : {}),
        ...(this.spec.bootstrap?.pageSize ? { pageSize: this.spec.bootstrap.pageSize } : {}),
        signal: abort.signal,
        onDocs: (docs) => {
          this.status.state = 'active';
          this.status.docsRead += docs.length;
          this.status.docsWritten += docs.length;
          this.status.bootstrap = { state: 'copying', docs: (this.status.bootstrap?.docs ?? 0) + docs.length };
          this.countDocs(docs);
          this.spec.onDocs?.(docs);
          this.touch();
        },
      });
      for (const r of res.refused) this.recordError({ status: 403, reason: r.reason }, r.id, /schema/i.test(r.reason) ? 'schema_mismatch' : 'forbidden');
      this.status.bootstrap = { state: res.state === 'live' ? 'live' : 'copied', docs: this.status.bootstrap?.docs ?? 0 };
      if (this.bootstrapAbort !== abort || this.stopped) return;
      this.bootstrapAbort = null;
      this.run(res.since);
    } catch (err) {
      if (this.bootstrapAbort !== abort || this.stopped) return;
      this.bootstrapAbort = null;
      this.status.state = 'retrying';
      this.recordError(err);
      // Resumes after the last page written (the marker), so a flapping WAN costs at most one page.
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        void this.bootstrapThenRun();
      }, Math.min(this.spec.maxBackoffMs ?? 5000, 1000));
    }
  }

  /** The live replication has caught up once after a bootstrap: its checkpoint is in charge from now on. */
  private handedOver(): void {
    this.startSince = undefined;
    if (this.status.bootstrap?.state !== 'copied') return;
    this.status.bootstrap = { ...this.status.bootstrap, state: 'live' };
    confirmLive(this.spec.target, this.spec.id).catch((err: unknown) => {
      // Not fatal: the next start passes the snapshot's `since` again and replays a little, losing nothing.
      if (this.status.bootstrap) this.status.bootstrap.state = 'copied';
      this.recordError(err);
    });
  }

  private run(since?: number | string): void {
    if (this.stopped) return;
    this.startSince = since;
    this.status.state = 'starting';
    const maxBackoff = this.spec.maxBackoffMs ?? 5000;
    const opts: PouchDB.Replication.ReplicateOptions & { selector?: PouchDB.Find.Selector } = {
      live: true,
      retry: true,
      batch_size: this.status.batchSize,
      batches_limit: this.spec.batchesLimit ?? 5,
      heartbeat: false,
      ...BACKGROUND_CHECKPOINTS,
      ...(this.spec.skipRevsDiff ? SKIP_REVS_DIFF : {}),
      timeout: this.spec.pollTimeoutMs ?? 25_000,
      back_off_function: (delay: number) => (delay === 0 ? 250 : Math.min(delay * 2, maxBackoff)),
      ...(this.spec.filter ? { filter: this.spec.filter } : this.spec.selector ? { selector: this.spec.selector } : {}),
      ...(since !== undefined ? { since } : {}),
    };
    // A start compares both ends' checkpoints as the servers hold them, never a copy (checkpointCache.ts).
    forgetCheckpoints(this.spec.source);
    forgetCheckpoints(this.spec.target);
    const emitter = this.spec.source.replicate.to(this.spec.target, opts) as unknown as ReplicationEmitter;
    this.emitter = emitter;
    emitter.on('change', (info) => {
      const i = info as unknown as { docs_read: number; docs_written: number; doc_write_failures: number; last_seq: string | number; pending?: number; docs: Array<Record<string, unknown>>; errors: unknown[] };
      this.status.docsRead += i.docs.length;
      this.status.docsWritten = this.status.docsWritten + (i.docs.length - (i.errors?.length ?? 0));
      this.status.docWriteFailures = i.doc_write_failures ?? this.status.docWriteFailures;
      this.status.lastSeq = i.last_seq;
      if (typeof i.pending === 'number') this.status.pending = i.pending;
      this.countDocs(i.docs);
      // A change event follows a checkpoint write, so the start's `since` is no longer needed for restarts.
      this.startSince = undefined;
      this.status.state = 'active';
      this.status.lastSuccessAt = new Date().toISOString();
      this.spec.onDocs?.(i.docs);
      this.touch();
    });
    // Every failed attempt of a retry streak: PouchDB emits `requestError` for each, `paused` only for the first.
    (emitter as unknown as NodeJS.EventEmitter).on('requestError', (err: unknown) => {
      this.status.state = 'retrying';
      if (statusOf(err) === 413) return this.shrinkBatch(err);
      this.recordError(err);
    });
    emitter.on('paused', (err: unknown) => {
      // With an error: the streak's first failure, already recorded by `requestError`.
      if (err) return;
      // Paused with no error: caught up.
      this.handedOver();
      this.status.state = 'idle';
      this.status.pending = 0;
      this.status.lastSuccessAt = new Date().toISOString();
      if (this.status.batchSize !== this.defaultBatch && this.status.docsWritten > 0) this.status.batchSize = Math.min(this.defaultBatch, this.status.batchSize * 2);
      this.touch();
    });
    emitter.on('active', () => {
      this.status.state = 'active';
      this.touch();
    });
    emitter.on('denied', (err: unknown) => {
      const e = err as { id?: string; reason?: string; message?: string };
      const reason = String(e?.reason ?? e?.message ?? '');
      this.recordError(err, e?.id, /schema/i.test(reason) ? 'schema_mismatch' : 'forbidden');
    });
    emitter.on('error', (err: unknown) => {
      if (statusOf(err) === 413) return this.shrinkBatch(err);
      this.recordError(err);
      this.scheduleRestart();
    });
    emitter.on('complete', () => {
      if (!this.stopped) this.scheduleRestart();
    });
  }

  /** A batch refused as too large: restart with half the batch size (down to one document). */
  private shrinkBatch(err: unknown): void {
    this.recordError(err, undefined, 'payload_too_large');
    this.status.batchSize = Math.max(1, Math.floor(this.status.batchSize / 2));
    this.emitter?.cancel();
    this.emitter = null;
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.stopped || this.restartTimer) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.emitter) {
        this.emitter.cancel();
        this.emitter = null;
      }
      this.run(this.startSince);
    }, 500);
  }

  /** Stops the job; resolves once PouchDB has cancelled (checkpoints already written are kept). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    // A bootstrap stops between pages; its marker lets the next start resume where it was.
    this.bootstrapAbort?.abort();
    this.bootstrapAbort = null;
    const emitter = this.emitter;
    this.emitter = null;
    this.status.state = 'stopped';
    if (emitter) {
      const done = new Promise<void>((resolve) => {
        emitter.once('complete', () => resolve());
        setTimeout(resolve, 2000).unref();
      });
      emitter.cancel();
      await done;
    }
    this.touch();
  }

  /** Forces a full replay from sequence 0 (force resync): revs_diff makes it cheap and duplicate-free. */
  async resync(): Promise<void> {
    await this.stop();
    this.status.docsRead = 0;
    this.status.docsWritten = 0;
    this.status.byType = {};
    this.start(0);
  }
}
