// The report design documents at HQ's start. Deploying them is quick when nothing changed or the databases
// are new, and HQ does it before it listens. After an upgrade that changes a report view, the new version
// must first be built over every roll-up HQ holds (about 4 minutes for 200 stores x a year). It is built warm
// (design-docs/deploy.ts), but a start that waited for it would keep all of HQ down: sign-in, the stores'
// replication, the console. So HQ listens at once and builds in the background. Until the new views are in
// place, report requests get 503 `reports_updating`: the old views would not answer the new code's queries
// correctly. A failed build is logged and tried again.
import { deployDesignDocs, needsBuild, warmDatabase, type DeployOptions } from '../../design-docs/deploy';
import type { CouchHandle } from '../../server-kit/couch';
import type { Logger } from '../../server-kit/log';
import { reportsDbs } from '../../server-kit/rollupJob';

/** Between tries of a failed build. */
const RETRY_MS = 30_000;

export class ReportViews {
  private ready = false;
  private stopped = false;
  private retry: { timer: ReturnType<typeof setTimeout>; wake: () => void } | null = null;
  private readonly controller = new AbortController();
  /** Settles once the report views are deployed (or HQ stops); never rejects. */
  done: Promise<void> = Promise.resolve();

  constructor(
    private readonly couch: CouchHandle,
    private readonly log: Logger,
    private readonly beforeSwitch?: DeployOptions['beforeSwitch'],
  ) {}

  /** Deploys now when no view has to be built, else starts building in the background (see `done`). */
  async start(): Promise<void> {
    const dbs = reportsDbs(true);
    const slow = (await Promise.all(dbs.map((db) => needsBuild(this.couch.url, db, 'reports', this.couch.authHeader)))).some(Boolean);
    if (!slow) {
      for (const db of dbs) await deployDesignDocs(this.couch.url, db, 'reports', this.couch.authHeader);
      this.ready = true;
      // Roll-ups written since the views last answered are indexed now, not in the first report asked for.
      this.done = this.warm(dbs);
      return;
    }
    this.log.info('reports.views_building', { dbs });
    this.done = this.build(dbs);
  }

  private async build(dbs: string[]): Promise<void> {
    const started = Date.now();
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        for (const db of dbs) {
          const deployed = await deployDesignDocs(this.couch.url, db, 'reports', this.couch.authHeader, {
            signal: this.controller.signal,
            log: (level, event, fields) => this.log[level](event, fields),
            ...(this.beforeSwitch ? { beforeSwitch: this.beforeSwitch } : {}),
          });
          this.log.info('designdocs.deployed', { ...deployed });
        }
        this.ready = true;
        this.log.info('reports.views_ready', { ms: Date.now() - started });
        return;
      } catch (err) {
        if (this.stopped) return;
        this.log.error('reports.views_failed', { attempt, error: err instanceof Error ? err.message : String(err), retryInMs: RETRY_MS });
        await new Promise<void>((wake) => (this.retry = { timer: setTimeout(wake, RETRY_MS), wake }));
        this.retry = null;
      }
    }
  }

  private async warm(dbs: string[]): Promise<void> {
    for (const db of dbs) {
      if (this.stopped) return;
      try {
        await warmDatabase(this.couch.url, db, 'reports', this.couch.authHeader, { signal: this.controller.signal });
      } catch (err) {
        if (!this.stopped) this.log.warn('reports.warm_failed', { db, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  /** Whether the report views are in place (report requests are refused until then: hq/context.ts requireReportViews). */
  isReady(): boolean {
    return this.ready;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    if (this.retry) {
      clearTimeout(this.retry.timer);
      this.retry.wake();
    }
    await this.done;
  }
}
