// HQ process: the Express API and console over HQ's CouchDB (embedded unless COUCHDB_URL is set).
// It keeps nothing in memory that a second HQ instance would need: state lives in CouchDB.
import type express from 'express';
import type { CajaConfig } from '../server-kit/config';
import { openCouch, ensureDb, principalCouchAuth, publicUrl as publicCouchUrl, setSecurity } from '../server-kit/couch';
import { processSecrets } from '../server-kit/secrets';
import { bearer } from '../server-kit/tokens';
import { couchGateway } from '../server-kit/gateway';
import { isLedgerDoc } from '../server-kit/ledger';
import type { CouchHandle } from '../server-kit/couch';
import { apiApp, listen } from '../server-kit/http';
import type { Listening } from '../server-kit/http';
import type { Logger } from '../server-kit/log';
import { deployDesignDocs, warmInBackground, type DeployOptions } from '../design-docs/deploy';
import { CATALOG_DB, COUCH_ADMIN_SUBJECT, COUCH_ROLE, HQ_DB, hqStoreDbName, storeCouchRole, storeCouchRoles, storePrincipal } from '../shared/model/names';
import { verifyStoreSyncToken } from './services/tokens';
import type { HqContext } from './context';
import { authRoutes } from './routes/auth';
import { productRoutes, storePriceRoutes } from './routes/catalog';
import { catalogAdminRoutes } from './routes/catalogAdmin';
import { storePriceBulkRoutes, storeRoutes } from './routes/stores';
import { storePriceReadRoutes } from './routes/storePrices';
import { salesRoutes } from './routes/sales';
import { dashboardRoutes } from './routes/dashboard';
import { customerRoutes } from './routes/customers';
import { reportRoutes } from './routes/reports';
import { HqRollups } from './jobs/rollups';
import { ReportViews } from './jobs/reportViews';
import { prepareReportsDb } from '../server-kit/rollupJob';
import { syncRoutes } from './routes/sync';
import { roleRoutes, userRoutes } from './routes/users';
import { mountConsole } from './routes/console';
import { auditRoutes } from './routes/audit';
import type { FirstStartResult } from './services/firstStart';
import { ensureAdmin, ensureDefaultRoles } from './services/firstStart';
import { writeRuntime } from '../server-kit/runtime';
import { HQ_ROUTES } from '../shared/api/routes';
import { transferRoutingJob } from './jobs/transferRouter';
import { customerConflictJob } from './jobs/customerConflicts';
import { StoreFeeds } from './jobs/feed';
import { backfillStore } from './services/customers';
import { listStores } from './services/stores';
import { warmSalesSearch } from './services/sales';

export interface HqServer {
  url: string;
  port: number;
  couch: CouchHandle;
  /** The admin password when this start generated it (first start without HQ_ADMIN_PASSWORD). */
  generatedAdminPassword: string | null;
  /** The URL other machines use (HQ_URL, or the listening URL with PUBLIC_HOST): what sync tokens carry. */
  publicUrl: string;
  /** Settles when the views warmed at this start are built and the roll-ups' start-up work is done (never rejects; benches wait on it). */
  warmed: Promise<void>;
  close(): Promise<void>;
}

/** Prepares HQ's databases: creates them, sets `_security`, installs design documents (idempotent). */
export async function prepareHqDatabases(couch: CouchHandle, log: Logger): Promise<void> {
  await ensureDb(couch, HQ_DB);
  await ensureDb(couch, CATALOG_DB);
  // Stores read the catalog (through HQ's gateway, which acts as them); only HQ (server admin) writes it.
  await setSecurity(couch, CATALOG_DB, [COUCH_ROLE.store]);
  // HQ's own database (stores, staff, tokens) is for the HQ process alone: no member roles.
  await setSecurity(couch, HQ_DB, [], []);
  const deployed = await deployDesignDocs(couch.url, CATALOG_DB, 'catalog', couch.authHeader, { log: (level, event, fields) => log[level](event, fields) });
  // Report roll-ups, the stores' and the chain's: HQ's roll-up job is their one writer (hq/jobs/rollups.ts).
  // Their design documents are deployed by startHq (hq/jobs/reportViews.ts): an upgrade builds them while HQ answers.
  await prepareReportsDb(couch, { chain: true, deploy: false });
  log.info('designdocs.deployed', { ...deployed });
}

/**
 * Builds every view of the catalog and of each store database (deploying a store's design documents warm
 * first), then the sales browser's summary, in the background: HQ listens at once and no user waits for an
 * index build (design-docs/deploy.ts). Logged, never thrown; `stop` ends it at the next request.
 */
function warmViews(couch: CouchHandle, storeCodes: string[], log: Logger): { stop(): void; done: Promise<void> } {
  const warmLog = log.child('warm');
  let stopped = false;
  const targets = () => [{ db: CATALOG_DB, kind: 'catalog' as const }, ...storeCodes.map((code) => ({ db: hqStoreDbName(code), kind: 'hq-store' as const, deploy: true }))];
  const views = warmInBackground(couch.url, couch.authHeader, targets, (level, event, fields) => warmLog[level](event, fields));
  const done = views.done
    .then(() => (stopped ? undefined : warmSalesSearch(couch)))
    .catch((err: unknown) => warmLog.warn('sales.summary_failed', { error: err instanceof Error ? err.message : String(err) }));
  return {
    stop() {
      stopped = true;
      views.stop();
    },
    done,
  };
}

/** Builds the HQ Express app (routes only; no listening); requests wait for `ready` when given. */
export function createHqApp(ctx: HqContext, ready?: Promise<unknown>): express.Express {
  const { couch, log } = ctx;
  const prepare = (app: express.Express) => {
    // X-Forwarded-For names the client (rate limits, audit) only when it comes from a proxy listed in
    // TRUST_PROXY (addresses/CIDRs, or express's names such as `loopback`, comma-separated). Off by default:
    // trusting any other hop would let a client pick the address its failed logins are counted under.
    const trustedProxies = (process.env.TRUST_PROXY ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    app.set('trust proxy', trustedProxies.length ? trustedProxies : false);
    // Relays replicate through this gateway, never with a credential of HQ's CouchDB: it checks their
    // store token, keeps each store to its databases, refuses new branches of ledger documents and keeps
    // each store's `_local` checkpoints to itself, then acts upstream as that store (so
    // validate_doc_update still sees the store's roles). Mounted before the JSON parser: it streams.
    const upstreamAuth = principalCouchAuth(ctx.secrets.couch);
    app.use(
      '/couch',
      couchGateway({
        upstreamUrl: couch.url,
        upstreamAuth,
        authenticate: (header) => {
          const { storeCode } = verifyStoreSyncToken(ctx.secrets.api, bearer(header, 'Send the store replication token.'));
          return {
            id: storePrincipal(storeCode),
            couchRoles: storeCouchRoles(storeCode),
            dbs: { [CATALOG_DB]: 'read', [hqStoreDbName(storeCode)]: 'write' },
          };
        },
        isLedger: isLedgerDoc,
        log: log.child('gateway'),
        onTamper: (e) => log.error('gateway.tamper_refused', { ...e }),
        // The embedded server in this process takes the documents parsed (couchdb/inProcess.ts).
        ...(couch.inProcess ? { inProcess: couch.inProcess } : {}),
      }),
    );
  };
  return apiApp({ component: 'hq', couch, log, jsonLimit: '10mb', prepare, routeMap: HQ_ROUTES, ...(ready ? { ready } : {}) }, (app) => {
    app.use('/api/v1/auth', authRoutes(ctx));
    app.use('/api/v1/users', userRoutes(ctx));
    app.use('/api/v1/roles', roleRoutes(ctx));
    app.use('/api/v1/stores', storeRoutes(ctx));
    app.use('/api/v1/sync', syncRoutes(ctx));
    app.use('/api/v1', catalogAdminRoutes(ctx));
    app.use('/api/v1/products', productRoutes(ctx));
    app.use('/api/v1/store-prices', storePriceReadRoutes(ctx));
    app.use('/api/v1/store-prices', storePriceRoutes(ctx));
    app.use('/api/v1/store-prices', storePriceBulkRoutes(ctx));
    app.use('/api/v1/sales', salesRoutes(ctx));
    app.use('/api/v1/dashboard', dashboardRoutes(ctx));
    app.use('/api/v1/customers', customerRoutes(ctx));
    app.use('/api/v1/reports', reportRoutes(ctx));
    app.use('/api/v1/audit', auditRoutes(ctx));
    // Last: the console's own endpoints, then the built console at `/` for every other GET (SPA fallback).
    mountConsole(app, ctx);
  });
}

/** Starts HQ: CouchDB (embedded or external), databases, design documents, then the HTTP API. */
export interface HqStartHooks {
  /** Called once changed report views are built, before the switch (tests hold it to see HQ answer meanwhile). */
  beforeReportSwitch?: DeployOptions['beforeSwitch'];
}

export async function startHq(cfg: CajaConfig, log: Logger, hooks: HqStartHooks = {}): Promise<HqServer> {
  const secrets = await processSecrets(cfg);
  const couch = await openCouch(cfg, secrets.couch, COUCH_ADMIN_SUBJECT.hq, 'hq-couchdb', log);
  let http: Listening | null = null;
  let boot: FirstStartResult;
  let warming: ReturnType<typeof warmViews> | null = null;
  let publicUrl = cfg.hqUrl ?? '';
  // Transfers routed between stores, customers merged from them: one follower per store database for both.
  const feeds = new StoreFeeds(couch, [transferRoutingJob(couch), customerConflictJob(couch)], log.child('feeds'));
  const rollups = new HqRollups(couch, log.child('rollups'));
  const reportViews = new ReportViews(couch, log.child('reports'), hooks.beforeReportSwitch);
  // Requests that arrive between binding the port and creating the admin wait for the admin.
  let started!: () => void;
  let failed!: (err: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  ready.catch(() => undefined);
  try {
    await prepareHqDatabases(couch, log);
    await reportViews.start();
    await ensureDefaultRoles(couch, log);
    const ctx: HqContext = {
      couch,
      cfg,
      secrets,
      log,
      publicUrl: () => publicUrl,
      couchPublicUrl: () => `${publicUrl}/couch`,
      reportsReady: () => reportViews.isReady(),
      onStoreCreated: (code) => {
        feeds.ensure([code]);
        // A store created now gets every customer HQ knows.
        backfillStore(couch, code, log).catch((err: unknown) => log.error('customers.backfill_failed', { store: code, err: err instanceof Error ? err : String(err) }));
        rollups.ensure([code]);
      },
    };
    const stores = await listStores(couch);
    // Older data gave HQ staff a CouchDB role on every store database; only the store's own role stays.
    for (const s of stores) await setSecurity(couch, hqStoreDbName(s.code), [storeCouchRole(s.code)]);
    feeds.ensure(stores.map((s) => s.code));
    rollups.ensure(stores.map((s) => s.code));
    // The chain's start-up work reads the report views: it waits for them (the stores' roll-ups go on meanwhile).
    rollups.start(reportViews.done);
    http = await listen(createHqApp(ctx, ready), cfg.hqPort, cfg.bindAddress);
    publicUrl ||= publicCouchUrl(http.url, cfg.publicHost);
    // The admin only once the port is ours: a start that cannot listen leaves no account whose generated
    // password nobody saw (services/firstStart.ts).
    boot = await ensureAdmin(couch, cfg.hqAdminPassword, log);
    started();
    warming = warmViews(couch, stores.map((s) => s.code), log);
  } catch (err) {
    failed(err);
    await http?.close();
    await feeds.stop();
    await reportViews.stop();
    await rollups.stop();
    await couch.close();
    throw err;
  }
  const listening = http;
  // Where this HQ and its CouchDB run, for the operator's tools on this machine (`caja couch-url`).
  const forgetRuntime = await writeRuntime(cfg.dataDir, { component: 'hq', apiUrl: listening.url, couchdbUrl: couch.url, embedded: !cfg.couchdbUrl });
  log.info('hq.listening', { url: listening.url, couchdb: couch.url });
  return {
    url: listening.url,
    port: listening.port,
    couch,
    generatedAdminPassword: boot.generatedAdminPassword,
    publicUrl,
    warmed: Promise.all([warming?.done.catch(() => undefined), reportViews.done.then(() => rollups.ready())]).then(() => undefined),
    async close() {
      warming?.stop();
      await warming?.done;
      await feeds.stop();
      await reportViews.stop();
      await rollups.stop();
      await listening.close();
      await forgetRuntime().catch(() => undefined);
      await couch.close();
      log.info('hq.stopped');
    },
  };
}
