// The relay's heartbeat to HQ (design "Sync monitoring"): every HEARTBEAT_INTERVAL_S it reports open
// registers, the last sale, each replication job (direction, per-type counts, last success, pending, last
// error), the errors HQ has not acknowledged yet and its terminals' health. HQ answers with instructions (a
// force resync) and the ids of the errors it now keeps. A missed heartbeat is simply retried: the state is
// re-sent whole, and errors stay queued until acknowledged.
//
// Two things make state visible at once instead of a heartbeat interval later: a job changing state
// (starting -> running, running -> retrying) sends a heartbeat soon (debounced, so a busy replication does
// not flood HQ), and a heartbeat HQ refuses (a revoked store) is kept as `refused` for the relay's health.
import { randomUUID } from 'node:crypto';
import type { CouchHandle } from '../../server-kit/couch';
import { getDoc, updateHotDoc } from '../../server-kit/docs';
import type { Logger } from '../../server-kit/log';
import type { JobStatus, ReplicationJob, SyncErrorEntry } from '../../server-kit/replication/job';
import { VERSION } from '../../server-kit/version';
import { LOCAL_ID } from '../../shared/model/names';
import type { RelayIdentity } from './identity';
import type { StoreTokenSource } from './hqLink';
import type { StoreActivity } from './activity';

export interface TerminalHealthReport {
  terminalId: string;
  lastSeenAt: string;
  pendingUp: number | null;
  dbSizeBytes: number | null;
}

/** An error waiting for HQ's acknowledgement; its id makes a resent error one document at HQ. */
export interface QueuedError extends SyncErrorEntry {
  id: string;
}

const OUTBOX_DOC = LOCAL_ID.syncErrorOutbox;
/** Kept at most (the newest): a relay offline for weeks reports what happened lately, not every retry. */
const OUTBOX_MAX = 500;
/** Errors per heartbeat: a long outage drains over a few heartbeats, each body small. */
const ERRORS_PER_BEAT = 200;
/** HQ keeps this much of an error's message. */
const MESSAGE_MAX = 2000;

type OutboxDoc = { _id: string; _rev?: string; errors: QueuedError[] };

/**
 * The errors HQ has not acknowledged, kept in a `_local` document of the relay's private database so neither a
 * new heartbeat sender (HQ moved) nor a restart loses them. An error leaves only when HQ names its id.
 */
export class ErrorOutbox {
  private queue: QueuedError[] = [];
  private saving: Promise<void> | null = null;
  private dirty = false;

  constructor(
    private readonly couch: CouchHandle,
    private readonly db: string,
    private readonly log: Logger,
  ) {}

  /** Reads what an earlier run left unsent (call once, before errors are added). */
  async load(): Promise<void> {
    const doc = await getDoc<OutboxDoc>(this.couch, this.db, OUTBOX_DOC);
    const saved = Array.isArray(doc?.errors) ? doc.errors.filter((e) => typeof e?.id === 'string' && typeof e.at === 'string') : [];
    // Anything added before the load finished goes after what was already waiting.
    this.queue = [...saved, ...this.queue].slice(-OUTBOX_MAX);
  }

  /** Queues an error for HQ. */
  add(e: SyncErrorEntry): void {
    this.queue.push({ ...e, message: e.message.slice(0, MESSAGE_MAX), id: randomUUID() });
    if (this.queue.length > OUTBOX_MAX) this.queue.splice(0, this.queue.length - OUTBOX_MAX);
    this.save();
  }

  /** The oldest errors waiting, at most `n`. */
  peek(n = ERRORS_PER_BEAT): QueuedError[] {
    return this.queue.slice(0, n);
  }

  get size(): number {
    return this.queue.length;
  }

  /** Drops the errors HQ has acknowledged. */
  acknowledge(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const done = new Set(ids);
    const before = this.queue.length;
    this.queue = this.queue.filter((e) => !done.has(e.id));
    if (this.queue.length !== before) this.save();
  }

  /** Resolves once the queue as it is now is on disk (at shutdown). */
  async flush(): Promise<void> {
    while (this.saving) await this.saving;
  }

  /** Writes the queue; writes requested meanwhile coalesce into one more write after the current one. */
  private save(): void {
    this.dirty = true;
    if (this.saving) return;
    this.saving = (async () => {
      while (this.dirty) {
        this.dirty = false;
        const errors = this.queue.slice();
        try {
          await updateHotDoc<OutboxDoc>(this.couch, this.db, OUTBOX_DOC, () => ({ _id: OUTBOX_DOC, errors }));
        } catch (err) {
          // Kept in memory; the next change tries again. Only a restart during a CouchDB outage loses them.
          this.log.warn('sync.outbox_save_failed', { err: err instanceof Error ? err : String(err), queued: this.queue.length });
          return;
        }
      }
    })().finally(() => {
      this.saving = null;
    });
  }
}

export interface HeartbeatDeps {
  identity: RelayIdentity;
  activity: StoreActivity;
  jobs: () => ReplicationJob[];
  terminals: () => TerminalHealthReport[];
  tokens: StoreTokenSource;
  outbox: ErrorOutbox;
  intervalS: number;
  log: Logger;
}

/** A job state as the dashboard tells them apart: active and idle are both "running". */
const stateClass = (s: JobStatus['state']) => (s === 'active' || s === 'idle' ? 'running' : s);
/** A state change is reported this soon (more changes within it ride along)... */
const CHANGE_DEBOUNCE_MS = 250;
/** ...and reported heartbeats are at least this far apart. */
const CHANGE_MIN_GAP_MS = 1000;
/** First-sync progress is logged at most this often per job. */
const PROGRESS_EVERY_MS = 5000;

export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private stopped = false;
  private unsubscribe: Array<() => void> = [];
  /**
   * Each job's state as the last heartbeat carried it. A job whose state differs is reported soon: comparing
   * with what was sent (not with the previous event) also catches a change that happened without an event,
   * between the snapshot a heartbeat took and the next event (a restart inside a replication sets `starting`
   * silently, then reports `idle`).
   */
  private readonly sentClasses = new Map<string, string>();
  private readonly progressAt = new Map<string, number>();
  private lastBeatAt = 0;
  private resyncStarted: string | null = null;
  private handledResync: string | null = null;
  private inflight: Promise<void> | null = null;
  lastSentAt: string | null = null;
  lastError: string | null = null;
  /** HQ refused the heartbeat (a revoked store): its code and reason, until a heartbeat is accepted again. */
  refused: { code: string; message: string; at: string } | null = null;

  constructor(private readonly deps: HeartbeatDeps) {}

  start(): void {
    for (const job of this.deps.jobs()) this.unsubscribe.push(job.onUpdate((s) => this.onJob(s)));
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.deps.intervalS * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = null;
    this.soon = null;
    await this.inflight;
  }

  /** Sends one heartbeat now (also used by tests and after provisioning). */
  beat(): Promise<void> {
    this.inflight ??= this.send().finally(() => {
      this.inflight = null;
      // A change that arrived while this heartbeat was on its way goes in the next one, soon.
      if (this.unsentChange()) this.schedule();
    });
    return this.inflight;
  }

  private onJob(s: JobStatus): void {
    if (this.stopped) return;
    this.logProgress(s);
    if (this.sentClasses.get(s.id) !== stateClass(s.state)) this.schedule();
  }

  private unsentChange(): boolean {
    return !this.stopped && this.deps.jobs().some((j) => this.sentClasses.get(j.id) !== stateClass(j.snapshot().state));
  }

  /** A first sync of a large catalog takes minutes: say how far it got, so nobody thinks it hangs. */
  private logProgress(s: JobStatus): void {
    const copying = s.bootstrap?.state === 'copying' && s.bootstrap.docs > 0;
    const catchingUp = s.state === 'active' && (s.pending ?? 0) > 0;
    if (!copying && !catchingUp) return;
    const now = Date.now();
    if (now - (this.progressAt.get(s.id) ?? 0) < PROGRESS_EVERY_MS) return;
    this.progressAt.set(s.id, now);
    this.deps.log.info('sync.progress', { job: s.id, docs: s.bootstrap?.docs ?? s.docsWritten, pending: s.pending, phase: copying ? 'first copy' : 'catching up' });
  }

  private schedule(): void {
    if (this.stopped || this.soon) return;
    const wait = Math.max(CHANGE_DEBOUNCE_MS, this.lastBeatAt + CHANGE_MIN_GAP_MS - Date.now());
    this.soon = setTimeout(() => {
      this.soon = null;
      if (!this.stopped) void this.beat();
    }, wait);
    this.soon.unref();
  }

  private async send(): Promise<void> {
    const { deps } = this;
    this.lastBeatAt = Date.now();
    // A job stuck retrying may be knocking on a CouchDB URL HQ no longer uses: ask HQ where it is now.
    if (deps.jobs().some((j) => j.snapshot().state === 'retrying')) deps.tokens.recheck();
    try {
      const errors = deps.outbox.peek();
      const body = {
        at: new Date().toISOString(),
        intervalS: deps.intervalS,
        version: VERSION,
        // `openRegisters` on the wire (HQ reads that name): it counts open shifts.
        openRegisters: deps.activity.openShiftCount,
        lastSaleAt: deps.activity.lastSaleAt,
        jobs: deps.jobs().map((j) => {
          const s = j.snapshot();
          // Counted as sent even if this heartbeat fails: a failed one is not hurried again (the interval
          // retries it, and HQ's return changes the jobs' states, which is reported at once).
          this.sentClasses.set(s.id, stateClass(s.state));
          return { id: s.id, direction: s.direction, state: s.state, byType: s.byType, docsRead: s.docsRead, docsWritten: s.docsWritten, lastSuccessAt: s.lastSuccessAt, pending: s.pending, lastError: s.lastError };
        }),
        errors,
        terminals: deps.terminals(),
        ...(this.resyncStarted ? { resyncStarted: this.resyncStarted } : {}),
      };
      const res = await fetch(`${deps.identity.hqUrl}/api/v1/sync/heartbeat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await deps.tokens.getApi()}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const answer = (await res.json().catch(() => ({}))) as { resync?: string | null; acknowledged?: unknown; error?: string; reason?: string };
      if (res.status === 401 || res.status === 403) {
        this.refused = { code: answer.error ?? `http_${res.status}`, message: answer.reason ?? 'HQ refused the heartbeat.', at: new Date().toISOString() };
        throw new Error(`HQ refused the heartbeat: ${this.refused.code}`);
      }
      if (!res.ok) throw new Error(`HQ answered ${res.status}${answer.error ? ` ${answer.error}` : ''}`);
      this.refused = null;
      // An HQ of an older version acknowledges nothing by id: it stored the batch whole or answered an error.
      deps.outbox.acknowledge(Array.isArray(answer.acknowledged) ? answer.acknowledged.filter((x): x is string => typeof x === 'string') : errors.map((e) => e.id));
      this.resyncStarted = null;
      this.lastSentAt = body.at;
      this.lastError = null;
      if (answer.resync && answer.resync !== this.handledResync) {
        this.handledResync = answer.resync;
        deps.log.info('sync.resync_requested', { requestedAt: answer.resync });
        await Promise.all(deps.jobs().map((j) => j.resync()));
        this.resyncStarted = answer.resync;
      }
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      deps.log.debug('heartbeat.failed', { err: this.lastError });
    }
  }
}
