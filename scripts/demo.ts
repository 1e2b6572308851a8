// `caja demo` (what `npm start` runs): a whole chain on one machine, on embedded CouchDB servers.
// HQ with a seeded catalog, two stores created and provisioned through the real path (HQ API -> sync
// token -> relay presents it), staff assigned per store. Restarting reuses the data in DATA_DIR/demo.
import path from 'node:path';
import type { CajaConfig } from '../server-kit/config';
import type { Logger } from '../server-kit/log';
import { CATALOG_DB, storeDbName } from '../hq/services/dbs';
import { startHq } from '../hq/server';
import type { HqServer } from '../hq/server';
import { startRelay } from '../store-relay/server';
import type { RelayServer } from '../store-relay/server';
import { generateCatalog, generateStoreDocs } from './seed';

export const DEMO_ADMIN_PASSWORD = 'caja-demo-admin';

export const DEMO_STORES = [
  { code: 'S001', name: 'Caja Centro', address: 'Av. Juárez 100, Ciudad de México', timeZone: 'America/Mexico_City', locale: 'es' as const, relayPortOffset: 0 },
  { code: 'S002', name: 'Caja Norte', address: 'Av. Constitución 200, Monterrey', timeZone: 'America/Monterrey', locale: 'en' as const, relayPortOffset: 1 },
];

export const DEMO_STAFF = [
  { suffix: 'cajero', displayName: 'Cajero', role: 'role:cashier', pin: '1234' },
  { suffix: 'gerente', displayName: 'Gerente', role: 'role:store_manager', pin: '9999' },
];

export interface Demo {
  hq: HqServer;
  relays: RelayServer[];
  close(): Promise<void>;
}

/** A small JSON client for the HQ API, used the way the console or a script would use it. */
export function hqClient(baseUrl: string) {
  let token = '';
  const call = async <T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(baseUrl + p, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
  };
  return {
    call,
    async login(username: string, password: string) {
      const res = await call<{ accessToken?: string; reason?: string }>('POST', '/api/v1/auth/login', { username, password });
      if (!res.body.accessToken) throw new Error(`login failed: ${res.body.reason ?? res.status}`);
      token = res.body.accessToken;
    },
    async ok<T>(method: string, p: string, body?: unknown): Promise<T> {
      const res = await call<T & { reason?: string }>(method, p, body);
      if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${res.body.reason ?? ''}`);
      return res.body;
    },
  };
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
    const api = hqClient(hq.url);
    await api.login('admin', adminPassword);
    const stores = await api.ok<Array<{ code: string; status: string }>>('GET', '/api/v1/stores');
    for (const spec of DEMO_STORES) {
      let token: string | null = null;
      if (!stores.some((s) => s.code === spec.code)) {
        await api.ok('POST', '/api/v1/stores', { code: spec.code, name: spec.name, address: spec.address, timeZone: spec.timeZone, locale: spec.locale, currency: 'MXN' });
        const seeded = await generateStoreDocs(spec.code, { timeZone: spec.timeZone, currency: 'MXN', locale: spec.locale });
        await hq.couch.nano.use(storeDbName(spec.code)).bulk({ docs: seeded.prices });
        for (const staff of DEMO_STAFF) {
          const username = `${staff.suffix}.${spec.code.toLowerCase()}`;
          const user = await api.ok<{ id: string }>('POST', '/api/v1/users', {
            username,
            displayName: `${staff.displayName} ${spec.name}`,
            password: `${username}-demo`,
            pin: staff.pin,
          });
          await api.ok('PUT', `/api/v1/users/${user.id}/store-roles`, { [spec.code]: [staff.role] });
        }
        token = (await api.ok<{ token: string }>('POST', `/api/v1/stores/${spec.code}/provision`, {})).token;
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
