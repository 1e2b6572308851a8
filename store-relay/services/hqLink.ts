// The relay's link to HQ: a short-lived store token refreshed with the store credential, and the three
// replication jobs of the design: catalog down, the store's own documents down, transactions up.
import type { Logger } from '../../server-kit/log';
import type { SyncErrorEntry } from '../../server-kit/replication/job';
import { ReplicationJob } from '../../server-kit/replication/job';
import { remoteDb } from '../../server-kit/replication/pouch';
import type { PouchDB } from '../../server-kit/replication/pouch';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { catalogPullSelector, storePullSelector, upstreamSelector } from '../../shared/sync/selectors';
import { compileSelector } from '../../shared/sync/selector';
import type { RelayIdentity } from './identity';

export class TokenRejected extends Error {
  /** 401, so replication jobs classify it as `token_rejected`. */
  readonly status = 401;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejected';
  }
}

/**
 * Fetches and caches the store's two tokens from HQ (one for HQ's replication gateway, one for HQ's API);
 * renews at half their lifetime.
 */
export class StoreTokenSource {
  private token: string | null = null;
  private apiToken: string | null = null;
  private renewAt = 0;
  private inflight: Promise<string> | null = null;
  lastError: { code: string; message: string; at: string } | null = null;
  /** Called when HQ names a CouchDB URL other than the one the relay replicates with (HQ moved it). */
  onCouchUrl: ((url: string) => void) | null = null;

  constructor(
    private readonly identity: RelayIdentity,
    private readonly log: Logger,
  ) {}

  private lastFetchAt = 0;

  /**
   * Asks HQ again (at most every 10 s) when replication cannot reach HQ's CouchDB: the answer names the
   * CouchDB URL HQ uses now, which may have moved while the cached token was still valid.
   */
  recheck(): void {
    if (Date.now() - this.lastFetchAt < 10_000 || this.inflight) return;
    this.inflight = this.fetchToken().finally(() => {
      this.inflight = null;
    });
    this.inflight.catch(() => undefined);
  }

  /** A valid API token (heartbeats), fetched with the replication token. */
  getApi = async (): Promise<string> => {
    await this.get();
    if (!this.apiToken) throw new TokenRejected('token_invalid', 'HQ sent no API token.');
    return this.apiToken;
  };

  /** A valid replication token, fetching a new one when due; throws TokenRejected when HQ refuses the credential. */
  get = async (): Promise<string> => {
    if (this.token && Date.now() < this.renewAt) return this.token;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  };

  private async fetchToken(): Promise<string> {
    const { identity } = this;
    this.lastFetchAt = Date.now();
    const res = await fetch(`${identity.hqUrl}/api/v1/sync/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ storeCode: identity.storeCode, credentialId: identity.credentialId, secret: identity.secret }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as { token?: string; apiToken?: string; expiresAt?: string; couchdbUrl?: string; error?: string; reason?: string };
    if (!res.ok || !body.token || !body.expiresAt) {
      this.lastError = { code: body.error ?? `http_${res.status}`, message: body.reason ?? 'HQ refused the store credential.', at: new Date().toISOString() };
      this.log.warn('hq.token_rejected', { code: this.lastError.code, status: res.status });
      // Keep the old token until it expires: a revoked store stops within one token lifetime, as designed.
      throw new TokenRejected(this.lastError.code, this.lastError.message);
    }
    this.lastError = null;
    if (body.couchdbUrl && body.couchdbUrl !== this.identity.couchdb.url) this.onCouchUrl?.(body.couchdbUrl);
    const lifetime = Date.parse(body.expiresAt) - Date.now();
    this.token = body.token;
    this.apiToken = body.apiToken ?? null;
    this.renewAt = Date.now() + lifetime / 2;
    return body.token;
  }
}

export interface HqLinkOptions {
  identity: RelayIdentity;
  local: PouchDB.Database;
  /** The relay's own database read in this process, when its CouchDB is the embedded server (CouchHandle.localReader). */
  localReader?: PouchDB.Database;
  localLabel: string;
  log: Logger;
  onError: (e: SyncErrorEntry) => void;
  batchSize?: number;
}


/** Builds (not starts) the relay's three jobs. */
export function createHqJobs(opts: HqLinkOptions, tokens: StoreTokenSource): ReplicationJob[] {
  const { identity, local } = opts;
  const base = identity.couchdb.url;
  const catalog = remoteDb(`${base}/${identity.couchdb.catalogDb}`, tokens.get, { timeoutMs: 60_000 });
  const storeDb = remoteDb(`${base}/${identity.couchdb.storeDb}`, tokens.get, { timeoutMs: 60_000 });
  const newerSchema = (jobId: string) => (docs: Array<Record<string, unknown>>) => {
    for (const doc of docs) {
      if (typeof doc.schema === 'number' && doc.schema > CURRENT_SCHEMA) {
        // Stored as received (opaque) but reported: this relay cannot interpret it until upgraded.
        opts.onError({ at: new Date().toISOString(), job: jobId, type: 'schema_mismatch', message: `document schema ${doc.schema} is newer than ${CURRENT_SCHEMA}`, docId: String(doc._id) });
      }
    }
  };
  // Poll at most every half token lifetime, so a revoked credential is noticed within one lifetime.
  const pollTimeoutMs = Math.max(1000, Math.min(25_000, (identity.tokenTtlS ?? 600) * 500));
  const jobs = [
    new ReplicationJob({
      id: 'catalog-down',
      direction: 'pull',
      source: catalog,
      target: local,
      sourceLabel: `${base}/${identity.couchdb.catalogDb}`,
      targetLabel: opts.localLabel,
      // Selectors name document types, so HQ's design documents never land in the relay's database.
      selector: catalogPullSelector(),
      batchSize: opts.batchSize ?? 1000,
      batchesLimit: 5,
      onDocs: newerSchema('catalog-down'),
      pollTimeoutMs,
      // A new relay copies the catalog as a snapshot, then replicates live from the sequence taken before it
      // (bootstrap.ts; measured by `caja bench sync`). Pages of 1000 keep each _bulk_docs request near 0.5 MB.
      bootstrap: { pageSize: 1000 },
    }),
    new ReplicationJob({
      id: 'store-down',
      direction: 'pull',
      source: storeDb,
      target: local,
      sourceLabel: `${base}/${identity.couchdb.storeDb}`,
      targetLabel: opts.localLabel,
      selector: storePullSelector(identity.storeCode),
      batchSize: opts.batchSize ?? 500,
      onDocs: newerSchema('store-down'),
      pollTimeoutMs,
      // Tiny for a new store, but a replacement relay for an existing store pulls its whole history here.
      bootstrap: { pageSize: 1000 },
    }),
    new ReplicationJob({
      id: 'transactions-up',
      direction: 'push',
      // Read in this process when it can be: no HTTP hop to the relay's own server, no JSON written and read again.
      source: opts.localReader ?? local,
      target: storeDb,
      sourceLabel: opts.localLabel,
      targetLabel: `${base}/${identity.couchdb.storeDb}`,
      selector: upstreamSelector(),
      ...(opts.localReader ? { filter: compileSelector(upstreamSelector()) } : {}),
      // A catch-up is paced by round trips between the relay and HQ, one batch at a time: `caja bench sync`, 20k
      // offline sales, relay and HQ in their own processes, took 16.3 s at 500, 12.3 s at 2000, 13.4 s at 5000;
      // with HQ's roll-ups holding ids (rollupJob.ts), 11.3-11.5 s at 500, 8.8-9.3 s at 1000, 9.6-10.2 s at 2000
      // (a sale is ~1 KB, so a batch is ~1 MB). A 413 halves it (job.ts).
      batchSize: opts.batchSize ?? 1000,
      // The store's own transactions, written here or by its tills: HQ lacks them (its gateway drops a replay).
      skipRevsDiff: true,
      pollTimeoutMs,
      // A terminal upgraded before this relay writes a newer schema: forwarded as received, and reported.
      onDocs: newerSchema('transactions-up'),
    }),
  ];
  for (const job of jobs) job.onUpdate((_s, err) => err && opts.onError(err));
  return jobs;
}
