// `caja demo` (what `npm start` runs): a whole chain on one machine, on embedded CouchDB servers.
// HQ with a seeded catalog, two stores created and provisioned through the real path (HQ API -> sync
// token -> relay presents it), staff assigned per store. Restarting reuses the data in DATA_DIR/demo.
import path from 'node:path';
import type { CajaConfig } from '../server-kit/config';
import type { Logger } from '../server-kit/log';
import { CATALOG_DB, hqStoreDbName } from '../shared/model/names';
import { startHq } from '../hq/server';
import type { HqServer } from '../hq/server';
import { startRelay } from '../store-relay/server';
import type { RelayServer } from '../store-relay/server';
import { generateCatalog, generateStoreDocs } from './seed';
import { createClient } from '../shared/api/client';
import type { Client } from '../shared/api/client';
import type { HqApi } from '../shared/api/routes';
import { catalogId } from '../shared/model/ids';

export const DEMO_ADMIN_PASSWORD = 'caja-demo-admin';

export const DEMO_STORES = [
  { code: 'S001', name: 'Caja Centro', address: 'Av. Juárez 100, Ciudad de México', timeZone: 'America/Mexico_City', locale: 'es' as const, relayPortOffset: 0 },
  { code: 'S002', name: 'Caja Norte', address: 'Av. Constitución 200, Monterrey', timeZone: 'America/Monterrey', locale: 'en' as const, relayPortOffset: 1 },
];

export const DEMO_STAFF = [
  { suffix: 'cajero', displayName: 'Cajero', role: catalogId('role', 'cashier'), pin: '1234' },
  { suffix: 'gerente', displayName: 'Gerente', role: catalogId('role', 'store_manager'), pin: '9999' },
];

export interface Demo {
  hq: HqServer;
  relays: RelayServer[];
  close(): Promise<void>;
}

/** The typed HQ client (shared/api/client.ts), signed in as `username`: used the way the console or a script would. */
export async function hqClient(baseUrl: string, username: string, password: string): Promise<Client<HqApi>> {
  const api = createClient<HqApi>(baseUrl, { fetch });
  const login = await api.send('POST /api/v1/auth/login', { body: { username, password } });
  api.setToken(login.body.accessToken);
  return api;
}

async function seedCatalog(hq: HqServer, log: Logger): Promise<void> {
  const info = await hq.couch.request<{ doc_count: number }>(`/${CATALOG_DB}`);
  if (info.doc_count > 100) return; // already seeded (roles alone are a handful)
  const catalog = generateCatalog({ products: 2000 });
  const db = hq.couch.nano.use(CATALOG_DB);
  for (let i = 0; i < catalog.docs.length; i += 1000) {
    // Roles already created by the bootstrap answer 409 here; that is the point of deterministic ids.
    await db.bulk({ docs: catalog.docs.slice(i, i + 1000) });
  }
  log.info('demo.catalog_seeded', { products: catalog.products.length, departments: catalog.departments.length });
}

/** Starts the demo chain and prints where everything is. */
export async function startDemo(cfg: CajaConfig, log: Logger): Promise<Demo> {
  const root = path.join(cfg.dataDir, 'demo');
  const adminPassword = cfg.hqAdminPassword ?? DEMO_ADMIN_PASSWORD;
  const hq = await startHq({ ...cfg, dataDir: path.join(root, 'hq'), hqAdminPassword: adminPassword }, log.child('hq'));
  const relays: RelayServer[] = [];
  const close = async () => {
    for (const r of relays) await r.close();
    await hq.close();
  };
  try {
    await seedCatalog(hq, log);
    const api = await hqClient(hq.url, 'admin', adminPassword);
    const stores = (await api.send('GET /api/v1/stores')).body;
    for (const spec of DEMO_STORES) {
      let token: string | null = null;
      if (!stores.some((s) => s.code === spec.code)) {
        await api.send('POST /api/v1/stores', { body: { code: spec.code, name: spec.name, address: spec.address, timeZone: spec.timeZone, locale: spec.locale, currency: 'MXN' } });
        const seeded = await generateStoreDocs(spec.code, { timeZone: spec.timeZone, currency: 'MXN', locale: spec.locale });
        await hq.couch.nano.use(hqStoreDbName(spec.code)).bulk({ docs: seeded.prices });
        for (const staff of DEMO_STAFF) {
          const username = `${staff.suffix}.${spec.code.toLowerCase()}`;
          const user = await api.send('POST /api/v1/users', {
            body: { username, displayName: `${staff.displayName} ${spec.name}`, password: `${username}-demo`, pin: staff.pin },
          });
          await api.send('PUT /api/v1/users/:id/store-roles', { params: { id: user.body.id }, body: { [spec.code]: [staff.role] } });
        }
        token = (await api.send('POST /api/v1/stores/:id/provision', { params: { id: spec.code }, body: {} })).body.token;
      }
      const relay = await startRelay(
        {
          ...cfg,
          dataDir: path.join(root, `relay-${spec.code.toLowerCase()}`),
          relayPort: cfg.relayPort === 0 ? 0 : cfg.relayPort + spec.relayPortOffset,
          syncToken: token,
          // Every relay keeps secrets of its own in its data folder, never HQ's (JWT_SECRET and
          // COUCHDB_JWT_SECRET, if set, are HQ's).
          jwtSecret: null,
          couchJwtSecret: null,
        },
        log.child(`relay.${spec.code}`),
      );
      relays.push(relay);
    }
  } catch (err) {
    await close();
    throw err;
  }
  printBanner(hq, relays, adminPassword);
  return { hq, relays, close };
}

function printBanner(hq: HqServer, relays: RelayServer[], adminPassword: string): void {
  const lines = [
    '',
    'Caja demo is running.',
    `  HQ console     ${hq.url}/   (login admin / ${adminPassword})`,
    `  HQ API         ${hq.url}/api/v1   (health: ${hq.url}/api/v1/health)`,
    ...relays.map((r, i) => {
      const spec = DEMO_STORES[i];
      const state = r.state();
      return `  Till ${spec?.code}      ${r.url}/   (relay ${state.provision.state}${state.provision.error ? `: ${state.provision.error.message}` : ''}; pair with gerente.${spec?.code.toLowerCase()} / PIN 9999)`;
    }),
    `  Store staff    cajero.s001 / PIN 1234 (cashier), gerente.s001 / PIN 9999 (manager); same for s002`,
    `  CouchDB        HQ ${hq.couch.url}, relays ${relays.map((r) => r.couch.url).join(', ')} (127.0.0.1 only; see README "Operator recovery")`,
    'Press Ctrl+C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
}
