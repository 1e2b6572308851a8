// HQ process: the Express API and console over HQ's CouchDB (embedded unless COUCHDB_URL is set).
// It keeps nothing in memory that a second HQ instance would need: state lives in CouchDB.
import type express from 'express';
import type { CajaConfig } from '../common/config';
import { openCouch, ensureDb, publicUrl as publicCouchUrl, setSecurity } from '../common/couch';
import type { CouchHandle } from '../common/couch';
import { apiApp, listen, route } from '../common/http';
import type { Listening } from '../common/http';
import type { Logger } from '../common/log';
import { deployDesignDocs } from '../design-docs/deploy';
import { CATALOG_DB, HQ_DB } from './services/dbs';
import type { HqContext } from './context';
import { authenticate, requirePermission } from './context';
import { authRoutes } from './routes/auth';
import { productRoutes, storePriceRoutes } from './routes/catalog';
import { storeRoutes } from './routes/stores';
import { syncRoutes } from './routes/sync';
import { roleRoutes, userRoutes } from './routes/users';
import { recentAudit } from './services/audit';
import type { BootstrapResult } from './services/bootstrap';
import { bootstrapHq } from './services/bootstrap';
import { TransferRouter } from './jobs/transferRouter';
import { listStores } from './services/stores';

export interface HqServer {
  url: string;
  port: number;
  couch: CouchHandle;
  /** The admin password when this start generated it (first start without HQ_ADMIN_PASSWORD). */
  generatedAdminPassword: string | null;
  close(): Promise<void>;
}

/** Prepares HQ's databases: creates them, sets `_security`, installs design documents (idempotent). */
export async function prepareHqDatabases(couch: CouchHandle, log: Logger): Promise<void> {
  await ensureDb(couch, HQ_DB);
  await ensureDb(couch, CATALOG_DB);
  // Every active store credential reads the catalog; only HQ (server admin) writes it (validate_doc_update).
  await setSecurity(couch, CATALOG_DB, ['caja-store', 'caja-hq']);
  // HQ's own database (stores, staff, tokens) is for the HQ process alone: no member roles.
  await setSecurity(couch, HQ_DB, [], []);
  const deployed = await deployDesignDocs(couch.url, CATALOG_DB, 'catalog', couch.authHeader());
  log.info('designdocs.deployed', { ...deployed });
}

/** Builds the HQ Express app (routes only; no listening). */
export function createHqApp(ctx: HqContext): express.Express {
  const { couch, log } = ctx;
  const prepare = (app: express.Express) => {
    // Behind a load balancer the client address comes from X-Forwarded-For (rate limits, audit).
    app.set('trust proxy', 'loopback');
  };
  return apiApp({ component: 'hq', couch, log, jsonLimit: '10mb', prepare }, (app) => {
    app.use('/api/v1/auth', authRoutes(ctx));
    app.use('/api/v1/users', userRoutes(ctx));
    app.use('/api/v1/roles', roleRoutes(ctx));
    app.use('/api/v1/stores', storeRoutes(ctx));
    app.use('/api/v1/sync', syncRoutes(ctx));
    app.use('/api/v1/products', productRoutes(ctx));
    app.use('/api/v1/store-prices', storePriceRoutes(ctx));
    app.get(
      '/api/v1/audit',
      authenticate(ctx),
      requirePermission('users.manage'),
      route(async (req, res) => res.json(await recentAudit(couch, Math.min(1000, Number(req.query.limit ?? 100) || 100)))),
    );
  });
}

/** Starts HQ: CouchDB (embedded or external), databases, design documents, then the HTTP API. */
export async function startHq(cfg: CajaConfig, log: Logger): Promise<HqServer> {
  const couch = await openCouch(cfg, 'caja-hq', 'hq-couchdb', log);
  let http: Listening | null = null;
  let boot: BootstrapResult;
  let publicUrl = cfg.hqUrl ?? '';
  const router = new TransferRouter(couch, log.child('router'));
  try {
    await prepareHqDatabases(couch, log);
    boot = await bootstrapHq(couch, cfg.hqAdminPassword, log);
    const ctx: HqContext = {
      couch,
      cfg,
      log,
      publicUrl: () => publicUrl,
      couchPublicUrl: () => process.env.HQ_COUCHDB_PUBLIC_URL ?? publicCouchUrl(couch.url, cfg.publicHost),
      onStoreCreated: (code) => router.ensure([code]),
    };
    router.ensure((await listStores(couch)).map((s) => s.code));
    http = await listen(createHqApp(ctx), cfg.hqPort, cfg.bindAddress);
    publicUrl ||= publicCouchUrl(http.url, cfg.publicHost);
  } catch (err) {
    await router.stop();
    await couch.close();
    throw err;
  }
  const listening = http;
  log.info('hq.listening', { url: listening.url, couchdb: couch.url });
  return {
    url: listening.url,
    port: listening.port,
    couch,
    generatedAdminPassword: boot.generatedAdminPassword,
    async close() {
      await router.stop();
      await listening.close();
      await couch.close();
      log.info('hq.stopped');
    },
  };
}
