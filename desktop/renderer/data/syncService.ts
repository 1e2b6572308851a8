// The terminal's live sync, run in the renderer and reported to the screen: the first sync (snapshot bootstrap,
// with progress), then the live pull and push with the relay (terminalSync.ts options), the count of documents
// waiting to go up, refused documents, and the health report to the relay. It lives outside Redux (it holds
// PouchDB handles and timers) and tells the store what happened through `events`.
import { TERMINAL_TYPES } from '../../../shared/model/types';
import { businessDate } from '../../../shared/pos/clock';
import { reportHealth } from './health';
import { refusalCause, type RefusalCode } from './refusals';
import { openRemoteDb } from './localDatabase';
import { forgetCheckpoints } from '../../../shared/sync/checkpointCache';
import { bootstrapTerminal, startTerminalPull, terminalSyncOptions, terminalTokens, type Pairing } from './terminalSync';
import { CONFIG_ID, splitId } from '../../../shared/model/ids';

export type SyncState = 'connecting' | 'connected' | 'syncing' | 'offline' | 'error';

export interface SyncStatus {
  state: SyncState;
  /** Documents written here and not yet pushed (null until known). */
  pendingUp: number | null;
  /** When the relay last answered a replication request (ISO). */
  lastSyncAt: string | null;
  /** Why the relay refuses us, when it does (e.g. the terminal was unpaired): its text, for support. */
  error: string | null;
  /** The relay API's error code for it (shared/api/errors.ts, e.g. terminal_credential_invalid), when it gave one. */
  errorCode: string | null;
}

export interface Refusal {
  id: string;
  /** The relay's own text (English), kept for support and shown only when `code` is null. */
  reason: string;
  /** What the till says instead, in its language (data/refusals.ts). */
  code: RefusalCode | null;
  params: Record<string, string>;
  at: string;
}

/** The documents a first sync wrote into the local database, and the local sequence after them. */
export interface CopiedDocs {
  docs: Array<Record<string, unknown>>;
  seq: number | string;
}

export interface SyncEvents {
  /** First sync progress: documents copied so far, of about `total` (the relay's doc_count; null if unknown). */
  bootstrapProgress(p: { written: number; total: number | null }): void;
  /**
   * The catalog is in the local database: the till can open (called on every start, at once after the first).
   * After a first sync, `copied` is every document it wrote (each page's winning revisions first) and the local
   * sequence just after: what the catalog index needs, without reading 100k documents back. Replication and the
   * count of what waits start once the promise it returns settles (the index opened: they would compete with it
   * for the till's main thread while the PIN screen is on its way), or after CATALOG_FIRST_MS.
   */
  catalogReady(copied: CopiedDocs | null): Promise<unknown> | void;
  status(s: SyncStatus): void;
  refused(r: Refusal): void;
}

// The types the push sends (terminalSyncOptions().push.selector), for counting what waits locally.
const PUSHED_TYPES = new Set<string>(TERMINAL_TYPES);
const PENDING_PAGE = 2000;
/** Counting stops here: a backlog this large is shown as at least this many. */
const PENDING_MAX = 10_000;
const HEALTH_INTERVAL_MS = 60_000;
/** The longest a start's replication waits for the catalog index to open (SyncEvents.catalogReady). */
const CATALOG_FIRST_MS = 5_000;
/** Where the push starts after a first sync (a `_local` document: per replica, never replicated). */
const PUSH_START_ID = '_local/caja-push-start';
const RETRY_MS = [1000, 2000, 5000, 10000];

type Replication = PouchDB.Replication.Replication<object>;

export class TerminalSync {
  private readonly abort = new AbortController();
  private readonly tokens: ReturnType<typeof terminalTokens>;
  private readonly remote: PouchDB.Database;
  private pull: Replication | null = null;
  private push: Replication | null = null;
  private localFeed: PouchDB.Core.Changes<object> | null = null;
  private healthTimer: ReturnType<typeof setInterval> | null = null;
  private pendingTimer: ReturnType<typeof setTimeout> | null = null;
  private status: SyncStatus = { state: 'connecting', pendingUp: null, lastSyncAt: null, error: null, errorCode: null };
  private active = { pull: false, push: false };
  private readonly markKey: string;

  constructor(
    private readonly local: PouchDB.Database,
    private readonly pairing: Pairing,
    private readonly events: SyncEvents,
  ) {
    const tokens = terminalTokens(pairing);
    // A refused token (terminal unpaired, secret rotated) is not a network fault: say so instead of "offline".
    const watch = <T>(p: Promise<T>): Promise<T> =>
      p.then(
        (v) => {
          if (this.status.error) this.update({ error: null, errorCode: null });
          return v;
        },
        (err: unknown) => {
          const { status, code } = err as { status?: number; code?: unknown };
          if (status === 401 || status === 403) this.update({ state: 'error', error: err instanceof Error ? err.message : String(err), errorCode: typeof code === 'string' ? code : null });
          throw err;
        },
      );
    this.tokens = { sync: () => watch(tokens.sync()), api: () => watch(tokens.api()) };
    this.remote = openRemoteDb(pairing, this.tokens.sync);
    this.markKey = `caja.pushMark.${local.name}`;
  }

  /** Starts (or resumes) the first sync, then the live replications; never throws, retries while it cannot. */
  start(): void {
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    if (!navigator.onLine) this.update({ state: 'offline' });
    void this.run();
    this.healthTimer = setInterval(() => void this.sendHealth(), HEALTH_INTERVAL_MS);
  }

  stop(): void {
    this.abort.abort();
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.pull?.cancel();
    this.push?.cancel();
    this.localFeed?.cancel();
    if (this.healthTimer) clearInterval(this.healthTimer);
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
  }

  private readonly onOffline = () => this.update({ state: 'offline' });
  private readonly onOnline = () => {
    this.update({ state: 'connecting' });
    // PouchDB retries on its own back-off (at most 5 s, terminalSyncOptions); nothing to restart here.
  };

  private update(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    this.events.status(this.status);
  }

  private async today(): Promise<string> {
    // The history window is computed in the store's zone once its configuration is here; UTC before that.
    try {
      const config = (await this.local.get(CONFIG_ID)) as { timeZone?: string };
      if (config.timeZone) return businessDate(new Date(), config.timeZone);
    } catch {
      // not replicated yet
    }
    return new Date().toISOString().slice(0, 10);
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const options = terminalSyncOptions(this.pairing.storeCode, await this.today(), this.pairing.terminalId);
        let total: number | null = null;
        let written = 0;
        const copiedDocs: Array<Record<string, unknown>> = [];
        // The relay's document count is the denominator of the first sync's progress: it also counts what the
        // terminal does not take (other days' sales, audit entries), so the bar is an estimate that ends at 100.
        this.remote.info().then((i) => (total = i.doc_count), () => undefined);
        const boot = await bootstrapTerminal(this.local, this.remote, options.pull.selector, {
          signal,
          onDocs: (docs) => {
            written += docs.length;
            for (const d of docs) copiedDocs.push(d);
            this.events.bootstrapProgress({ written, total });
          },
        });
        let copied: CopiedDocs | null = null;
        if (boot.state === 'copied') {
          // Everything in a freshly copied replica came from the relay: nothing before this point waits to go up,
          // and the push need not read it (100k documents, seconds of work, just when the till opens).
          const seq = (await this.local.info()).update_seq;
          this.raiseMark(Number(seq));
          await this.local.put({ _id: PUSH_START_ID, since: seq }).catch(() => undefined);
          this.update({ lastSyncAt: new Date().toISOString() });
          // Nothing else writes before the till opens, so these documents are the local database as of `seq`.
          const refused = new Set(boot.refused.map((r) => r.id));
          if (boot.fromStart) copied = { docs: refused.size ? copiedDocs.filter((d) => !refused.has(String(d._id))) : copiedDocs, seq };
        }
        // Only now: during the first sync a feed of local changes would read every copied document a second time,
        // and each count of what waits would scan the whole growing replica (quadratic in the catalog's size).
        const opened = this.events.catalogReady(copied);
        if (opened) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([opened.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, CATALOG_FIRST_MS)))]);
          clearTimeout(timer);
        }
        if (signal.aborted) return;
        this.watchLocal();
        const { replication } = await startTerminalPull(this.local, this.remote, options.pull, { signal });
        this.pull = replication;
        this.follow(replication, 'pull');
        await this.startPush(options.push);
        void this.sendHealth();
        return;
      } catch (err) {
        if (signal.aborted) return;
        if (this.status.state !== 'error') this.update({ state: 'offline' });
        console.warn('caja: first sync attempt failed, retrying', err);
        await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
      }
    }
  }

  /**
   * Starts the live push; after a first sync, from the sequence the copy ended at (PUSH_START_ID). `since` makes
   * PouchDB write the checkpoint there before it starts; a retry would write it again, so once the push has
   * caught up (its checkpoint is past that point) it is restarted without it and the marker goes.
   */
  private async startPush(options: PouchDB.Replication.ReplicateOptions): Promise<void> {
    const start = (await this.local.get(PUSH_START_ID).catch(() => null)) as { _id: string; _rev: string; since: number | string } | null;
    forgetCheckpoints(this.remote); // a start reads the relay's checkpoint, never a copy (checkpointCache.ts)
    const push = this.local.replicate.to(this.remote, start ? { ...options, since: start.since } : options);
    this.push = push;
    this.follow(push, 'push');
    if (!start) return;
    const onPaused = (err: unknown) => {
      if (err) return; // a retry pause; wait for a real catch-up
      push.removeListener('paused', onPaused);
      this.local.remove(start._id, start._rev).then(
        () => {
          if (this.abort.signal.aborted || this.push !== push) return;
          push.cancel();
          this.active.push = false;
          forgetCheckpoints(this.remote);
          this.push = this.local.replicate.to(this.remote, options);
          this.follow(this.push, 'push');
        },
        () => undefined, // the next start passes `since` again: a short replay, never a gap
      );
    };
    push.on('paused', onPaused);
  }

  private follow(rep: Replication, which: 'pull' | 'push'): void {
    rep.on('active', () => {
      this.active[which] = true;
      this.update({ state: 'syncing' });
    });
    rep.on('change', () => {
      this.update({ lastSyncAt: new Date().toISOString() });
      if (which === 'push') this.schedulePending();
    });
    rep.on('paused', (err: unknown) => {
      this.active[which] = false;
      if (err) {
        if (this.status.state !== 'error') this.update({ state: 'offline' });
        return;
      }
      if (which === 'push') void this.markPushed();
      const busy = this.active.pull || this.active.push;
      this.update({ state: busy ? 'syncing' : navigator.onLine ? 'connected' : 'offline', lastSyncAt: new Date().toISOString(), error: null, errorCode: null });
    });
    // `checkpoint` reports the local sequence the push has safely written up to.
    (rep as unknown as { on(e: 'checkpoint', l: (c: { checkpoint?: number | string }) => void): void }).on('checkpoint', (c) => {
      if (which === 'push' && c.checkpoint !== undefined) this.raiseMark(Number(c.checkpoint));
    });
    rep.on('denied', (e: unknown) => {
      const d = e as { id?: string; error?: string; name?: string; reason?: string; message?: string };
      const id = String(d.id ?? '?');
      const reason = String(d.reason ?? d.message ?? 'refused');
      this.events.refused({ id, reason, ...refusalCause(id, d.error ?? d.name, reason), at: new Date().toISOString() });
    });
    rep.on('error', (err: unknown) => {
      // With retry on, only a fatal error ends a live replication (e.g. the relay refusing our token for good).
      this.update({ state: 'error', error: err instanceof Error ? err.message : String(err), errorCode: null });
    });
  }

  // ---------- documents waiting to go up ----------

  private mark(): number {
    return Number(localStorage.getItem(this.markKey) ?? '0') || 0;
  }

  private raiseMark(seq: number): void {
    if (Number.isFinite(seq) && seq > this.mark()) localStorage.setItem(this.markKey, String(seq));
    this.schedulePending();
  }

  private async markPushed(): Promise<void> {
    // A caught-up push has sent everything written before it paused. A write landing between the pause and this
    // read makes the push active again, and its next pause moves the mark again.
    const info = await this.local.info();
    this.raiseMark(Number(info.update_seq));
  }

  private watchLocal(): void {
    if (this.localFeed || this.abort.signal.aborted) return;
    this.localFeed = this.local.changes({ live: true, since: 'now' });
    this.localFeed.on('change', () => this.schedulePending());
    this.schedulePending();
  }

  private schedulePending(): void {
    if (this.pendingTimer) return;
    this.pendingTimer = setTimeout(() => {
      this.pendingTimer = null;
      void this.countPending();
    }, 200);
  }

  private async countPending(): Promise<void> {
    try {
      // Ids carry their type (shared/model/ids.ts), so what the push would send is counted from the changes'
      // ids: no document bodies and no selector evaluated per change (the selector alone took most of the time).
      let since: number | string = this.mark();
      let count = 0;
      for (;;) {
        const page: PouchDB.Core.ChangesResponse<object> = await this.local.changes({ since, limit: PENDING_PAGE });
        for (const c of page.results) if (!c.deleted && PUSHED_TYPES.has(splitId(c.id)?.type ?? '')) count += 1;
        since = page.last_seq;
        if (page.results.length < PENDING_PAGE || count >= PENDING_MAX) break;
      }
      if (this.status.pendingUp !== count) this.update({ pendingUp: count });
    } catch {
      // the database is closing
    }
  }

  private async sendHealth(): Promise<void> {
    if (!navigator.onLine) return;
    const estimate = await navigator.storage?.estimate?.().catch(() => null);
    await reportHealth(this.pairing, this.tokens.api, { pendingUp: this.status.pendingUp, dbSizeBytes: estimate?.usage ?? null });
  }
}
