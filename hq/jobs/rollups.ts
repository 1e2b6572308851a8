// HQ's roll-up job (server-kit/rollupJob.ts) over every store's database, keeping the stores' and the chain's
// roll-ups in HQ's `caja-reports`. Started by hq/server.ts for the stores that exist and told of each new one.
// A store database made by an older build gets the `ledger_by_date` view the job reads from HQ's start (its
// design documents are deployed warm, in the background: hq/server.ts warmViews); until then the job's reads
// fail and its feed retries with a back-off.
import type { CouchHandle } from '../../server-kit/couch';
import type { Logger } from '../../server-kit/log';
import { RollupJob } from '../../server-kit/rollupJob';
import { CATALOG_DB, hqStoreDbName } from '../../shared/model/names';
import { getStore } from '../services/stores';

/** How long a store's zone is remembered (a zone change reaches the roll-ups within this). */
const ZONE_TTL_MS = 30_000;

export class HqRollups {
  private readonly job: RollupJob;
  private readonly zones = new Map<string, { zone: string; at: number }>();

  constructor(
    private readonly couch: CouchHandle,
    log: Logger,
  ) {
    this.job = new RollupJob({ couch, log, catalogDb: CATALOG_DB, chain: true });
  }

  private async zoneOf(code: string): Promise<string> {
    const cached = this.zones.get(code);
    if (cached && Date.now() - cached.at < ZONE_TTL_MS) return cached.zone;
    const zone = (await getStore(this.couch, code)).timeZone;
    this.zones.set(code, { zone, at: Date.now() });
    return zone;
  }

  /** Follows these stores' databases (a store already followed is left alone). */
  ensure(codes: readonly string[]): void {
    for (const code of codes) this.job.follow({ storeId: code, db: hqStoreDbName(code), timeZone: () => this.zoneOf(code) });
  }

  /** Starts the chain's start-up work once `after` settles (the report views it reads are deployed). */
  start(after?: Promise<unknown>): void {
    this.job.start(after);
  }

  /** Settles once the job's start-up work (moving, adding blocks) is done. */
  ready(): Promise<void> {
    return this.job.ready();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
