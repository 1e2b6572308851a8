// Writes the old-data fixture (tests/fixtures/old-data-cc84054.tgz) with the code of a PREVIOUS commit, so
// tests/integration/oldData.test.ts can check that the current code opens and syncs what that version
// wrote. It imports nothing of this checkout: every module comes from the old checkout named on the
// command line, loaded at run time, so the file keeps compiling here while that layout is gone.
//
// Usage (the fixture was made from commit cc84054, the last one before the #9 architecture step):
//   git worktree add /tmp/before cc84054 && ln -s "$PWD/node_modules" /tmp/before/node_modules
//   (cd /tmp/before && npx tsx /work/main/tests/tools/makeOldData.ts /tmp/before /work/main/tests/fixtures/old-data-cc84054.tgz)
//
// What it leaves, as one chain of `caja demo` shape: HQ (embedded CouchDB, its secrets.json) with a small
// catalog, store S001 with a manager and a cashier, that store's relay provisioned with a sync token, one
// terminal paired with it (a LevelDB PouchDB, as a Node process keeps one) that rang two sales which
// reached HQ, then everything stopped cleanly. manifest.json says what the test should find.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Fixed ports outside Linux's ephemeral range (32768-60999), so no free-port pick of a parallel test takes
 * them. The old data pins both: the relay keeps HQ's URL in relay-identity.json, the terminal its relay's URL.
 */
const OLD_HQ_PORT = 28431;
const OLD_RELAY_PORT = 28432;
const OLD_ADMIN_PASSWORD = 'old-data-admin-1';
const STORE = 'S001';
const PRODUCTS = 50;

/** What the test reads back from the fixture (manifest.json at its root). */
export interface OldDataManifest {
  commit: string;
  hqPort: number;
  relayPort: number;
  adminPassword: string;
  store: string;
  manager: { username: string; pin: string };
  products: string[];
  sales: string[];
  terminal: { id: string; dir: string; pairingFile: string };
}

// The few shapes used from the old modules; the old code is loaded at run time, so these are declared here.
type Config = object;
type Logger = object;
interface Couch {
  url: string;
  nano: { use(db: string): { bulk(body: { docs: object[] }): Promise<unknown>; get(id: string): Promise<Record<string, unknown>> } };
}
interface Hq {
  url: string;
  couch: Couch;
  close(): Promise<void>;
}
interface Relay {
  url: string;
  couch: Couch;
  close(): Promise<void>;
}
interface Pairing {
  storeCode: string;
  terminalId: string;
  secret: string;
  relayUrl: string;
  couchdbUrl: string;
  db: string;
}
interface OldModules {
  testing: {
    testConfig(dataDir: string, overrides?: Record<string, unknown>): Config;
    testLogger(): Logger;
    waitFor<T>(probe: () => Promise<T> | T, opts?: { timeoutMs?: number; what?: string }): Promise<NonNullable<T>>;
    http<T>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  };
  hq: { startHq(cfg: Config, log: Logger): Promise<Hq> };
  relay: { startRelay(cfg: Config, log: Logger): Promise<Relay> };
  dbs: { CATALOG_DB: string; storeDbName(code: string): string };
  seed: { generateCatalog(opts: { products: number }): { docs: Array<{ _id: string; type?: string }> } };
  pouch: { PouchDB: new (name: string) => PouchDB.Database; remoteDb(url: string, token: () => Promise<string>): PouchDB.Database };
  terminalSync: {
    terminalSyncOptions(code: string, today: string): { pull: object; push: object };
    terminalTokenSource(pairing: Pairing): () => Promise<string>;
  };
  fixtures: { sale(seq: number, storeId: string, terminalId: string): { _id: string } };
}

async function loadOld(root: string): Promise<OldModules> {
  const load = (file: string) => import(pathToFileURL(path.join(root, file)).href);
  return {
    testing: (await load('common/testing.ts')) as OldModules['testing'],
    hq: (await load('hq/server.ts')) as OldModules['hq'],
    relay: (await load('store-relay/server.ts')) as OldModules['relay'],
    dbs: (await load('hq/services/dbs.ts')) as OldModules['dbs'],
    seed: (await load('scripts/seed/index.ts')) as OldModules['seed'],
    pouch: (await load('common/replication/pouch.ts')) as OldModules['pouch'],
    terminalSync: (await load('desktop/renderer/data/terminalSync.ts')) as OldModules['terminalSync'],
    fixtures: (await load('shared/model/fixtures.ts')) as OldModules['fixtures'],
  };
}

/** HQ with the catalog, store S001, its manager and cashier; returns HQ and the store's sync token. */
async function startOldHq(old: OldModules, dir: string): Promise<{ hq: Hq; token: string; products: string[] }> {
  const { testConfig, testLogger, http } = old.testing;
  const hq = await old.hq.startHq(testConfig(path.join(dir, 'hq'), { hqPort: OLD_HQ_PORT, hqAdminPassword: OLD_ADMIN_PASSWORD }), testLogger());
  const catalog = old.seed.generateCatalog({ products: PRODUCTS });
  await hq.couch.nano.use(old.dbs.CATALOG_DB).bulk({ docs: catalog.docs });
  const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: OLD_ADMIN_PASSWORD });
  const auth = { Authorization: `Bearer ${login.body.accessToken}` };
  const api = async <T>(method: string, p: string, body?: unknown) => {
    const res = await http<T>(method, hq.url + p, body, auth);
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await api('POST', '/api/v1/stores', { code: STORE, name: 'Old Store', timeZone: 'America/Mexico_City' });
  for (const [who, pin, role] of [['mgr', '9999', 'role:store_manager'], ['cash', '1234', 'role:cashier']] as const) {
    const user = await api<{ id: string }>('POST', '/api/v1/users', { username: `${who}.s001`, password: `${who}-password-${STORE}`, pin });
    await api('PUT', `/api/v1/users/${user.id}/store-roles`, { [STORE]: [role] });
  }
  const { token } = await api<{ token: string }>('POST', `/api/v1/stores/${STORE}/provision`, {});
  const products = catalog.docs.filter((d) => d.type === 'product').map((d) => d._id);
  return { hq, token, products };
}

/** Pairs a terminal, syncs it live, rings two sales and waits until HQ has them; leaves its LevelDB closed. */
async function ringSales(old: OldModules, dir: string, hq: Hq, relay: Relay, firstProduct: string): Promise<{ pairing: Pairing; sales: string[] }> {
  const { http, waitFor } = old.testing;
  const res = await http<Omit<Pairing, 'relayUrl'>>('POST', `${relay.url}/api/v1/terminals/pair`, { username: 'mgr.s001', pin: '9999' });
  if (res.status !== 201) throw new Error(`pairing failed: ${res.status}`);
  const pairing: Pairing = { ...res.body, relayUrl: relay.url };
  await writeFile(path.join(dir, 'terminal', 'pairing.json'), JSON.stringify(pairing, null, 2));
  const local = new old.pouch.PouchDB(path.join(dir, 'terminal', 'db'));
  const remote = old.pouch.remoteDb(`${pairing.couchdbUrl}/${pairing.db}`, old.terminalSync.terminalTokenSource(pairing));
  const o = old.terminalSync.terminalSyncOptions(STORE, new Date().toISOString().slice(0, 10));
  const pull = local.replicate.from(remote, o.pull);
  const push = local.replicate.to(remote, o.push);
  await waitFor(() => local.get(firstProduct).then(() => true, () => false), { what: 'catalog on the terminal', timeoutMs: 60_000 });
  const sales = [1, 2].map((seq) => old.fixtures.sale(seq, STORE, pairing.terminalId));
  for (const s of sales) await local.put(s);
  const hqStore = hq.couch.nano.use(old.dbs.storeDbName(STORE));
  for (const s of sales) await waitFor(() => hqStore.get(s._id).then(() => true, () => false), { what: `${s._id} at HQ`, timeoutMs: 60_000 });
  pull.cancel();
  push.cancel();
  await Promise.all([pull, push].map((r) => Promise.resolve(r).catch(() => undefined)));
  await local.close();
  return { pairing, sales: sales.map((s) => s._id) };
}

async function main(): Promise<void> {
  const [root, outFile] = process.argv.slice(2);
  if (!root || !outFile) throw new Error('usage: makeOldData.ts <old checkout> <out .tgz>');
  const old = await loadOld(path.resolve(root));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'caja-old-data-'));
  try {
    await mkdir(path.join(dir, 'terminal'));
    const { hq, token, products } = await startOldHq(old, dir);
    const { testConfig, testLogger, waitFor } = old.testing;
    const relay = await old.relay.startRelay(testConfig(path.join(dir, `relay-${STORE}`), { relayPort: OLD_RELAY_PORT, syncToken: token }), testLogger());
    const firstProduct = products[0] ?? '';
    const relayStore = relay.couch.nano.use('caja-store');
    await waitFor(() => relayStore.get(firstProduct).then(() => true, () => false), { what: 'catalog at the relay', timeoutMs: 60_000 });
    const { pairing, sales } = await ringSales(old, dir, hq, relay, firstProduct);
    await relay.close();
    await hq.close();
    const commit = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD']).toString().trim();
    const manifest: OldDataManifest = {
      commit,
      hqPort: OLD_HQ_PORT,
      relayPort: OLD_RELAY_PORT,
      adminPassword: OLD_ADMIN_PASSWORD,
      store: STORE,
      manager: { username: 'mgr.s001', pin: '9999' },
      products,
      sales,
      terminal: { id: pairing.terminalId, dir: 'terminal/db', pairingFile: 'terminal/pairing.json' },
    };
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    // LevelDB logs are text-like and compress well; the LOCK files are empty.
    execFileSync('tar', ['-czf', path.resolve(outFile), '-C', dir, 'manifest.json', 'hq', `relay-${STORE}`, 'terminal']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
// PouchDB and the servers' timers may keep handles open after a clean stop; the work is done.
process.exit(0);
