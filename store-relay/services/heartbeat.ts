// The relay's heartbeat to HQ (design "Sync monitoring"): every HEARTBEAT_INTERVAL_S it reports open
// registers, the last sale, each replication job (direction, per-type counts, last success, pending, last
// error), the errors since the previous heartbeat and its terminals' health. HQ answers with instructions
// (a force resync). A missed heartbeat is simply retried next interval: the state is re-sent whole.
import type { Logger } from '../../common/log';
import type { ReplicationJob, SyncErrorEntry } from '../../common/replication/job';
import { VERSION } from '../../common/version';
import type { RelayIdentity } from './identity';
import type { StoreTokenSource } from './hqLink';
import type { StoreActivity } from './activity';

export interface TerminalHealthReport {
  terminalId: string;
  lastSeenAt: string;
  pendingUp: number | null;
  dbSizeBytes: number | null;
}

export interface HeartbeatDeps {
  identity: RelayIdentity;
  activity: StoreActivity;
  jobs: () => ReplicationJob[];
  terminals: () => TerminalHealthReport[];
  tokens: StoreTokenSource;
  intervalS: number;
  log: Logger;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  /** Errors not yet acknowledged by HQ (bounded: a relay offline for weeks keeps the latest). */
  private unsent: SyncErrorEntry[] = [];
  private resyncStarted: string | null = null;
  private handledResync: string | null = null;
  private inflight: Promise<void> | null = null;
  lastSentAt: string | null = null;
  lastError: string | null = null;

  constructor(private readonly deps: HeartbeatDeps) {}

  /** Queues an error for the next heartbeat. */
  enqueueError(e: SyncErrorEntry): void {
    this.unsent.push(e);
    if (this.unsent.length > 500) this.unsent.splice(0, this.unsent.length - 500);
  }

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.deps.intervalS * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inflight;
  }

  /** Sends one heartbeat now (also used by tests and after provisioning). */
  beat(): Promise<void> {
    this.inflight ??= this.send().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async send(): Promise<void> {
    const { deps } = this;
    // A job stuck retrying may be knocking on a CouchDB URL HQ no longer uses: ask HQ where it is now.
    if (deps.jobs().some((j) => j.snapshot().state === 'retrying')) deps.tokens.recheck();
    try {
      const fresh = this.unsent.slice();
      const body = {
        at: new Date().toISOString(),
        intervalS: deps.intervalS,
        version: VERSION,
        openRegisters: deps.activity.openRegisters,
        lastSaleAt: deps.activity.lastSaleAt,
        jobs: deps.jobs().map((j) => {
          const s = j.snapshot();
          return { id: s.id, direction: s.direction, state: s.state, byType: s.byType, docsRead: s.docsRead, docsWritten: s.docsWritten, lastSuccessAt: s.lastSuccessAt, pending: s.pending, lastError: s.lastError };
        }),
        errors: fresh,
        terminals: deps.terminals(),
        ...(this.resyncStarted ? { resyncStarted: this.resyncStarted } : {}),
      };
      const res = await fetch(`${deps.identity.hqUrl}/api/v1/sync/heartbeat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await deps.tokens.getApi()}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      if (!res.ok) throw new Error(`HQ answered ${res.status}`);
      this.unsent.splice(0, fresh.length);
      this.resyncStarted = null;
      this.lastSentAt = body.at;
      this.lastError = null;
      const answer = (await res.json()) as { resync?: string | null };
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
