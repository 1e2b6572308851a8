// Store relay process: the store's CouchDB (embedded unless COUCHDB_URL is set) with the `caja-store`
// database its terminals sync with, provisioning with a one-time token, the replications to and from
// HQ, and terminal pairing.
import type express from 'express';
import type { CajaConfig } from '../server-kit/config';
import { openCouch, ensureDb, principalCouchAuth, setSecurity } from '../server-kit/couch';
import { couchGateway } from '../server-kit/gateway';
import { isLedgerDoc } from '../server-kit/ledger';
import { processSecrets } from '../server-kit/secrets';
import type { ProcessSecrets } from '../server-kit/secrets';
import { isErrorCode } from '../server-kit/errors';
import { writeRuntime } from '../server-kit/runtime';
import { RELAY_ROUTES } from '../shared/api/routes';
import { businessDate as businessDateAt } from '../shared/pos/clock';
import { loadSetupCode } from './services/setupCode';
import type { CouchHandle } from '../server-kit/couch';
import { badRequest } from '../server-kit/errors';
import { apiApp, listen } from '../server-kit/http';
import type { Listening } from '../server-kit/http';
import { relayTls, type TlsMaterial } from '../server-kit/tls';
import type { Logger } from '../server-kit/log';
import type { ReplicationJob, SyncErrorEntry } from '../server-kit/replication/job';
import { authorizedDb } from '../server-kit/replication/pouch';
import { deployDesignDocs } from '../design-docs/deploy';
import type { ProvisionState, RelayIdentity } from './services/identity';
import { identityFile, loadIdentity, ProvisionError, provisionWithToken } from './services/identity';
import { writeJsonAtomic } from '../server-kit/files';
import { createHqJobs, StoreTokenSource } from './services/hqLink';
import { decodeSyncToken } from '../shared/sync/syncToken';
import { verifyTerminalSyncToken } from './services/terminals';
import { COUCH_ADMIN_SUBJECT, RELAY_PRIVATE_DB, RELAY_STORE_DB, storeCouchRole, terminalCouchRoles, terminalPrincipal } from '../shared/model/names';
import { auditAtStore } from './services/audit';
import { dayCloseRouter } from './routes/dayClose';
import { RelayReports, relayReportRoutes } from './reports';
import { prepareReportsDb } from '../server-kit/rollupJob';
import { authRoutes } from './routes/auth';
import { requireIdentity } from './routes/context';
import { relayHealthExtra, relayHealthProblems } from './routes/health';
import { provisioningRoutes } from './routes/provisioning';
import { syncStatusRoutes } from './routes/syncStatus';
import { stockRoutes } from './routes/stock';
import { terminalRoutes } from './routes/terminals';
import { mountTerminalApp } from './terminalApp';
import { ErrorOutbox, Heartbeat } from './services/heartbeat';
import { StoreActivity } from './services/activity';
import type { TerminalHealthReport } from './services/heartbeat';

const MAX_ERRORS_KEPT = 200;

export interface RelayServer {
  url: string;
  port: number;
  /** The same relay over HTTPS (RELAY_HTTPS_PORT), for tablets on the store LAN; null without it. */
  httpsUrl: string | null;
  /** The certificate it serves: where it comes from, the names it covers, its CA's fingerprint. */
  tls: Pick<TlsMaterial, 'source' | 'hosts' | 'caFingerprint'> | null;
  couch: CouchHandle;
  /** Current provisioning state and identity (null until provisioned). */
  state(): { provision: ProvisionState; identity: RelayIdentity | null };
  jobs(): ReplicationJob[];
  errors(): SyncErrorEntry[];
  /** Sends a heartbeat now (normally every HEARTBEAT_INTERVAL_S). */
  beat(): Promise<void>;
  /** Presents a sync token (the same path as SYNC_TOKEN at start: an operator's action on this machine). */
  provision(token: string, opts?: { changeHq?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** The running relay: its identity, replication, heartbeat and tills (what store-relay/routes/* serve). */
export class Relay {
  identity: RelayIdentity | null = null;
  provision: ProvisionState = { state: 'unprovisioned', error: null };
  jobs: ReplicationJob[] = [];
  errors: SyncErrorEntry[] = [];
  tokens: StoreTokenSource | null = null;
  heartbeat: Heartbeat | null = null;
  activity: StoreActivity | null = null;
  /** The store's report roll-ups (store-relay/reports.ts), once the relay knows its store. */
  reports: RelayReports | null = null;
  readonly terminalHealth = new Map<string, TerminalHealthReport>();
  /** Errors HQ has not acknowledged; outlives heartbeat senders and restarts (services/heartbeat.ts). */
  outbox: ErrorOutbox | null = null;
  lastProvisionError: { code: string; message: string; at: string } | null = null;
  /** The HTTPS certificate (server-kit/tls.ts), when the relay serves HTTPS. */
  tls: TlsMaterial | null = null;
  /** The port it serves HTTPS on (null: none). */
  httpsPort: number | null = null;

  constructor(
    readonly cfg: CajaConfig,
    readonly secrets: ProcessSecrets,
    readonly couch: CouchHandle,
    readonly log: Logger,
    /** Proves an operator's hand on this machine for (re-)provisioning from elsewhere (services/setupCode.ts). */
    readonly setupCode: string,
  ) {}

  recordError = (e: SyncErrorEntry) => {
    if (e.type === 'network_timeout') this.tokens?.recheck();
    this.outbox?.add(e);
    this.errors.push(e);
    if (this.errors.length > MAX_ERRORS_KEPT) this.errors.splice(0, this.errors.length - MAX_ERRORS_KEPT);
    this.log.warn('sync.error', { ...e });
  };

  /** Starts serving a provisioned store: database access for its terminals, then replication. */
  async activate(given: RelayIdentity): Promise<void> {
    this.identity = given;
    this.provision = { state: 'provisioned', error: null };
    // Paired terminals of this store are members; what each may write is checked by validate_doc_update.
    await setSecurity(this.couch, RELAY_STORE_DB, [storeCouchRole(given.storeCode)]);
    const { identity, tokens } = await this.withCurrentHqCouch(given);
    this.identity = identity;
    this.tokens = tokens;
    // HQ may move its CouchDB (a new host, or the demo's free port after a restart): the token answer names
    // the current URL, and the relay follows it, keeping its checkpoints (they live in the databases).
    this.tokens.onCouchUrl = (url) => {
      if (this.identity !== identity) return;
      this.log.warn('relay.hq_couchdb_moved', { from: identity.couchdb.url, to: url });
      const moved: RelayIdentity = { ...identity, couchdb: { ...identity.couchdb, url } };
      void writeJsonAtomic(identityFile(this.cfg.dataDir), moved)
        .then(() => Promise.all(this.jobs.map((j) => j.stop())))
        .then(() => this.activate(moved))
        .catch((err: unknown) => this.log.error('relay.reactivate_failed', { err: err instanceof Error ? err : String(err) }));
    };
    const local = authorizedDb(`${this.couch.url}/${RELAY_STORE_DB}`, () => this.couch.authHeader());
    const localReader = this.couch.inProcess?.reader(RELAY_STORE_DB);
    this.jobs = createHqJobs({ identity, local, ...(localReader ? { localReader } : {}), localLabel: `${this.couch.url}/${RELAY_STORE_DB}`, log: this.log, onError: this.recordError }, this.tokens);
    for (const job of this.jobs) job.start();
    this.log.info('relay.replication_started', { store: identity.storeCode, jobs: this.jobs.map((j) => j.id) });
    await this.heartbeat?.stop();
    this.activity ??= new StoreActivity(this.couch, RELAY_STORE_DB, this.log);
    this.activity.start();
    this.reports ??= new RelayReports(this.couch, this.log.child('rollups'));
    this.reports.activate(identity.storeCode, () => this.identity?.timeZone ?? identity.timeZone);
    this.outbox ??= new ErrorOutbox(this.couch, RELAY_PRIVATE_DB, this.log);
    this.heartbeat = new Heartbeat({
      identity,
      outbox: this.outbox,
      activity: this.activity,
      jobs: () => this.jobs,
      terminals: () => [...this.terminalHealth.values()],
      tokens: this.tokens,
      intervalS: this.cfg.heartbeatIntervalS,
      log: this.log,
    });
    this.heartbeat.start();
  }

  /**
   * Asks HQ, before any replication starts, where its replication gateway is now (the token answer names it):
   * an identity saved by an older start may name an address HQ no longer uses, and jobs started there would
   * only fill the log with network timeouts until the first token renewal. HQ unreachable (or slow) within a
   * few seconds: the saved address is used, and the jobs' own rechecks follow HQ later.
   */
  private async withCurrentHqCouch(identity: RelayIdentity): Promise<{ identity: RelayIdentity; tokens: StoreTokenSource }> {
    const probe = new StoreTokenSource(identity, this.log);
    let announced: string | null = null;
    probe.onCouchUrl = (url) => {
      announced = url;
    };
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([probe.get().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
    const url = announced as string | null;
    if (!url || url === identity.couchdb.url) return { identity, tokens: probe };
    const moved: RelayIdentity = { ...identity, couchdb: { ...identity.couchdb, url } };
    await writeJsonAtomic(identityFile(this.cfg.dataDir), moved);
    this.log.info('relay.hq_couchdb_url_updated', { from: identity.couchdb.url, to: url });
    return { identity: moved, tokens: new StoreTokenSource(moved, this.log) };
  }

  /** Records an audit entry for a write made through the relay API. */
  async audit(action: string, actor: string, target: string, from: string | undefined, detail?: Record<string, unknown>): Promise<void> {
    if (!this.identity) return;
    await auditAtStore(this.couch, RELAY_STORE_DB, this.identity.storeCode, { actor, action, target, from: from ?? 'unknown', ...(detail ? { detail } : {}) });
  }

  /**
   * Presents a sync token. A provisioned relay accepts a new token for its own store only (re-provisioning
   * after a revoke); replication resumes from its checkpoints, so nothing is lost or sent twice. A token
   * naming another HQ is taken only when the operator says so (`changeHq`): a relay never follows a token
   * to an HQ it was not told to trust.
   */
  async provisionWith(token: string, opts: { changeHq?: boolean } = {}): Promise<void> {
    const current = this.identity;
    const payload = decodeSyncToken(token);
    if (current && payload && payload.store !== current.storeCode) {
      throw badRequest('already_provisioned', `This relay is provisioned for store ${current.storeCode}, not ${payload.store}.`);
    }
    if (current && payload && payload.hq.replace(/\/+$/, '') !== current.hqUrl.replace(/\/+$/, '') && !opts.changeHq) {
      throw badRequest('hq_change_refused', `This relay belongs to the HQ at ${current.hqUrl}; the token names ${payload.hq}. Send "changeHq": true to move it.`);
    }
    const previousState = this.provision;
    this.provision = { state: 'provisioning', error: null };
    try {
      const identity = await provisionWithToken(this.cfg.dataDir, token, this.log);
      await Promise.all(this.jobs.map((j) => j.stop()));
      await this.activate(identity);
    } catch (err) {
      const code = err instanceof ProvisionError ? err.code : 'provision_failed';
      const message = err instanceof Error ? err.message : String(err);
      // A refused re-provisioning leaves a working relay as it was, with the refusal reported.
      this.provision = current ? previousState : { state: 'error', error: { code, message, at: new Date().toISOString() } };
      this.lastProvisionError = { code, message, at: new Date().toISOString() };
      this.log.error('relay.provision_failed', { code, message });
      throw err instanceof ProvisionError ? badRequest(isErrorCode(code) ? code : 'provision_failed', message) : err;
    }
  }

  async close(): Promise<void> {
    await this.heartbeat?.stop();
    await this.activity?.stop();
    await this.reports?.stop();
    await Promise.all(this.jobs.map((j) => j.stop()));
    // Errors recorded while stopping are kept for the next start.
    await this.outbox?.flush();
  }

  /** Why HQ refuses this relay, when it does (a revoked or re-provisioned store), for the health answer. */
  hqRefusal(): { code: string; message: string; at: string } | null {
    const tokenError = this.tokens?.lastError;
    // Only a refusal of the credential counts; an HQ answering 5xx is a fault to retry, not a refusal.
    if (tokenError && (tokenError.code === 'store_credential_invalid' || tokenError.code === 'store_suspended')) return tokenError;
    return this.heartbeat?.refused ?? null;
  }
}

/** Builds the relay's Express app. */
export function createRelayApp(relay: Relay): express.Express {
  const { couch, log, cfg, secrets } = relay;
  const apiSecret = secrets.api;
  const store = () => requireIdentity(relay).storeCode;
  const prepare = (app: express.Express) => {
    // The terminal app is served by this relay (same origin, no CORS needed). Other origins (the
    // Electron shell's, a store's own tooling) must be listed in CORS_ORIGINS: a web page on the store
    // LAN must not drive this API with a manager's token.
    app.use((req, res, next) => {
      const origin = req.get('origin');
      if (origin && cfg.corsOrigins.includes(origin)) {
        res.set('Access-Control-Allow-Origin', origin);
        res.set('Vary', 'Origin');
        res.set('Access-Control-Allow-Headers', 'Content-Type, Authorization');
        res.set('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, DELETE, OPTIONS');
        if (req.method === 'OPTIONS') return void res.status(204).end();
      }
      next();
    });
    // Terminals replicate through this gateway, never with a credential of the relay's CouchDB: it checks
    // the terminal's token, refuses new branches of ledger documents, keeps each terminal's `_local`
    // checkpoints to itself, and acts upstream as the terminal so validate_doc_update judges it.
    const upstreamAuth = principalCouchAuth(secrets.couch);
    app.use(
      '/couch',
      couchGateway({
        upstreamUrl: couch.url,
        upstreamAuth,
        authenticate: (header) => {
          const storeCode = store();
          const { terminalId } = verifyTerminalSyncToken(apiSecret, storeCode, header);
          return { id: terminalPrincipal(storeCode, terminalId), couchRoles: terminalCouchRoles(storeCode, terminalId), dbs: { [RELAY_STORE_DB]: 'write' } };
        },
        isLedger: isLedgerDoc,
        log: log.child('gateway'),
        onTamper: (e) => log.error('gateway.tamper_refused', { ...e }),
        // The embedded server in this process takes the documents parsed (couchdb/inProcess.ts).
        ...(couch.inProcess ? { inProcess: couch.inProcess } : {}),
      }),
    );
  };
  const healthExtra = () => relayHealthExtra(relay);
  const healthProblems = () => relayHealthProblems(relay);
  return apiApp({ component: 'relay', couch, log, jsonLimit: '1mb', prepare, healthExtra, healthProblems, routeMap: RELAY_ROUTES }, (app) => {
    app.get('/store-ca.crt', storeCaRoute(relay));
    relayHome(app);
    app.use(syncStatusRoutes(relay));
    app.use(provisioningRoutes(relay));
    app.use(authRoutes(relay));
    app.use(terminalRoutes(relay));
    app.use(stockRoutes(relay));
    app.use(relayReportRoutes(relay));
    app.use(
      dayCloseRouter({
        couch,
        log,
        jwtSecret: apiSecret,
        storeCode: () => relay.identity?.storeCode ?? null,
        timeZone: () => relay.identity?.timeZone ?? 'UTC',
        // The store's first day at this relay: no Z for a day before the store existed here (routes/dayClose.ts).
        openedOn: () => (relay.identity ? businessDateAt(new Date(relay.identity.provisionedAt), relay.identity.timeZone) : null),
      }),
    );
  });
}

/**
 * The relay's own CA certificate, for a manager to install on the store's tablets so they trust its HTTPS port
 * (server-kit/tls.ts). Public: it is a certificate, not a secret; its fingerprint is in the relay's log to
 * compare. 404 when the relay serves no HTTPS or serves the chain's own certificate.
 */
function storeCaRoute(relay: Relay): express.RequestHandler {
  return (_req, res) => {
    if (!relay.tls?.ca) return void res.status(404).type('text/plain').send('This relay has no certificate authority of its own (no RELAY_HTTPS_PORT, or the chain gave its certificate).\n');
    res.type('application/x-x509-ca-cert').set('Content-Disposition', 'attachment; filename="caja-store-ca.crt"').send(relay.tls.ca);
  };
}

/**
 * `/` of the relay: the terminal app's static build with its single-page fallback (or how to build it), for
 * every GET outside /api and /couch (store-relay/terminalApp.ts).
 */
function relayHome(app: express.Express): void {
  mountTerminalApp(app);
}

/** Starts a relay: CouchDB, its databases and design documents, provisioning if needed, then the API. */
export async function startRelay(cfg: CajaConfig, log: Logger): Promise<RelayServer> {
  const secrets = await processSecrets(cfg);
  const couch = await openCouch(cfg, secrets.couch, COUCH_ADMIN_SUBJECT.relay, 'relay-couchdb', log);
  const relay = new Relay(cfg, secrets, couch, log, await loadSetupCode(cfg.dataDir));
  let http: Listening | null = null;
  let https: Listening | null = null;
  try {
    await ensureDb(couch, RELAY_STORE_DB);
    await ensureDb(couch, RELAY_PRIVATE_DB);
    await setSecurity(couch, RELAY_PRIVATE_DB, []);
    await deployDesignDocs(couch.url, RELAY_STORE_DB, 'relay-store', couch.authHeader());
    await prepareReportsDb(couch);
    // What an earlier run could not deliver to HQ is delivered by this one.
    relay.outbox = new ErrorOutbox(couch, RELAY_PRIVATE_DB, log);
    await relay.outbox.load();
    // One app behind both ports: PIN lockouts, sessions and limits are the relay's, whichever port is used.
    const app = createRelayApp(relay);
    http = await listen(app, cfg.relayPort, cfg.bindAddress);
    if (cfg.relayHttpsPort !== null) {
      relay.tls = await relayTls({ dataDir: cfg.dataDir, certFile: cfg.tlsCertFile, keyFile: cfg.tlsKeyFile, hosts: [cfg.publicHost, ...cfg.tlsHosts] });
      https = await listen(app, cfg.relayHttpsPort, cfg.bindAddress, relay.tls);
      relay.httpsPort = https.port;
    }
    const identity = await loadIdentity(cfg.dataDir);
    if (identity) {
      await relay.activate(identity);
    } else if (cfg.syncToken) {
      // A refused token leaves the relay running and saying why (status, log); a new token may be given.
      await relay.provisionWith(cfg.syncToken).catch(() => undefined);
    } else {
      log.warn('relay.unprovisioned', { hint: 'start with SYNC_TOKEN=<token from HQ>, or POST /api/v1/provision from this machine (from elsewhere with the setup code)', setupCode: relay.setupCode });
    }
  } catch (err) {
    await relay.close();
    await https?.close();
    await http?.close();
    await couch.close();
    throw err;
  }
  const listening = http;
  const secure = https;
  if (secure && relay.tls) log.info('relay.https', { url: secure.url, certificate: relay.tls.source, hosts: relay.tls.hosts, caFingerprint: relay.tls.caFingerprint });
  // Where this relay and its CouchDB run, for the operator's tools on this machine (`caja relay unlock-pin`, `caja couch-url`).
  const forgetRuntime = await writeRuntime(cfg.dataDir, { component: 'relay', apiUrl: listening.url, couchdbUrl: couch.url, embedded: !cfg.couchdbUrl });
  log.info('relay.listening', { url: listening.url, couchdb: couch.url, store: relay.identity?.storeCode ?? null });
  return {
    url: listening.url,
    port: listening.port,
    httpsUrl: secure?.url ?? null,
    tls: relay.tls ? { source: relay.tls.source, hosts: relay.tls.hosts, caFingerprint: relay.tls.caFingerprint } : null,
    couch,
    state: () => ({ provision: relay.provision, identity: relay.identity }),
    jobs: () => relay.jobs,
    errors: () => relay.errors,
    beat: async () => relay.heartbeat?.beat(),
    provision: (token, opts) => relay.provisionWith(token, opts),
    async close() {
      await relay.close();
      await secure?.close();
      await listening.close();
      await forgetRuntime().catch(() => undefined);
      await couch.close();
      log.info('relay.stopped');
    },
  };
}
