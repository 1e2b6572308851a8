// `caja demo --check`: starts the demo chain, puts a terminal replica on store S001 the way a till does
// (pairing with the manager's PIN, live sync with the relay), then measures the two promises of the design
// on it: a price changed through the HQ API reaches the terminal within a second, and a sale rung on the
// terminal shows in HQ's sync dashboard within a second. Prints one JSON line per measurement; exit 1 on a miss.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CajaConfig } from '../server-kit/config';
import type { Logger } from '../server-kit/log';
import { PouchDB, remoteDb } from '../server-kit/replication/pouch';
import type { Pairing } from '../desktop/renderer/data/terminalSync';
import { terminalSyncOptions, terminalTokenSource } from '../desktop/renderer/data/terminalSync';
import { LocalCatalog } from '../desktop/renderer/features/checkout/localCatalog';
import { commitSale } from '../desktop/renderer/features/checkout/commit';
import { commitShiftOpen } from '../desktop/renderer/features/register/register';
import { loginWithPin } from '../desktop/renderer/features/session/pinLogin';
import { addItem, emptyCart } from '../shared/pos/cart';
import { businessDate } from '../shared/pos/clock';
import { money } from '../shared/money';
import { hqClient, startDemo } from './demo';
import { createClient } from '../shared/api/client';
import type { RelayApi } from '../shared/api/routes';
import { waitFor } from '../server-kit/wait';
import { hqStoreDbName, RELAY_STORE_DB } from '../shared/model/names';
import { CASH_TENDER_ID, CONFIG_ID, productId, typePrefix } from '../shared/model/ids';

const LIMIT_MS = 1000;

/** Polls at 5 ms so the latencies printed are not rounded up to a coarser polling interval (waitFor resolves only with a truthy value, hence never `false`). */
const until = <T>(probe: () => Promise<T | null | false>, timeoutMs: number): Promise<T> =>
  waitFor(probe, { timeoutMs, intervalMs: 5 }) as Promise<T>;

export async function demoCheck(cfg: CajaConfig, log: Logger): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'caja-demo-check-'));
  const demo = await startDemo({ ...cfg, dataDir: dir, hqPort: 0, relayPort: 0, couchdbPort: 0, logLevel: 'warn' }, log);
  const local = new PouchDB(`demo-check-${Date.now()}`, { adapter: 'memory' });
  let stopSync = () => {};
  let failures = 0;
  const report = (metric: string, ms: number) => {
    if (ms > LIMIT_MS) failures++;
    console.log(JSON.stringify({ metric, value: ms, unit: 'ms', target: `<= ${LIMIT_MS}`, ok: ms <= LIMIT_MS }));
  };
  try {
    const relay = demo.relays[0];
    if (!relay) throw new Error('no relay');
    const relayApi = createClient<RelayApi>(relay.url, { fetch });
    const paired = await relayApi.send('POST /api/v1/terminals/pair', { body: { username: 'gerente.s001', pin: '9999', name: 'demo check' } });
    const pairing: Pairing = { ...paired.body, relayUrl: relay.url };
    const remote = remoteDb(`${pairing.couchdbUrl}/${pairing.db}`, terminalTokenSource(pairing));
    const opts = terminalSyncOptions('S001', businessDate(new Date(), 'America/Mexico_City'));
    const pull = local.replicate.from(remote, opts.pull);
    const push = local.replicate.to(remote, opts.push);
    stopSync = () => {
      pull.cancel();
      push.cancel();
    };
    const started = Date.now();
    await until(async () => (await local.allDocs({ startkey: typePrefix('product'), endkey: typePrefix('product') + '\ufff0', limit: 0 })) && (await local.get(CONFIG_ID)) && (await local.allDocs({ startkey: typePrefix('product'), endkey: typePrefix('product') + '\ufff0' })).rows.length >= 2000, 120_000);
    console.log(JSON.stringify({ metric: 'demo_catalog_to_terminal', value: Date.now() - started, unit: 'ms' }));

    const api = await hqClient(demo.hq.url, 'admin', cfg.hqAdminPassword ?? 'caja-demo-admin');
    const products = (await api.send('GET /api/v1/products', { query: { limit: 5 } })).body;
    for (const p of products) {
      const price = p.price + 100;
      const t0 = Date.now();
      await api.send('PATCH /api/v1/products/:sku', { params: { sku: p.sku }, body: { price } });
      await until(async () => (await local.get<{ price: number }>(productId(p.sku))).price === price, 10_000);
      report('price_hq_api_to_terminal', Date.now() - t0);
    }

    const index = await LocalCatalog.open(local);
    const config = index.config();
    if (!config) throw new Error('no store config on the terminal');
    const login = await loginWithPin(local, 'cajero.s001', '1234');
    if (!login.ok) throw new Error(`PIN login failed: ${login.reason}`);
    const shift = await commitShiftOpen(local, { config, terminalId: pairing.terminalId, user: login.user, openingFloat: money(50000) });
    if (!shift.ok) throw new Error(`register: ${JSON.stringify(shift.error)}`);
    // The opened register reaches the relay first, as it would long before a customer is at the till.
    await until(async () => relay.couch.nano.use(RELAY_STORE_DB).get(shift.value._id).then(() => true, () => false), 10_000);
    const dash = async () =>
      (await api.send('GET /api/v1/sync/dashboard')).body.stores.find((s) => s.store.code === 'S001')?.today?.salesCount ?? 0;
    const cashTender = index.tender(CASH_TENDER_ID);
    if (!cashTender) throw new Error('no cash tender');
    for (let i = 0; i < 3; i++) {
      const before = await dash();
      const sku = index.lookupSku(products[i]?.sku ?? '');
      const scanned = index.lookup(sku?.product.barcodes[0] ?? '');
      if (!scanned) throw new Error('scan failed');
      const added = addItem(emptyCart(), scanned.product, 1, { storePrice: scanned.storePrice });
      if (!added.ok) throw new Error(`cart: ${JSON.stringify(added.error)}`);
      const cart = added.value;
      const t0 = Date.now();
      const sale = await commitSale(local, { config, terminalId: pairing.terminalId, shiftId: shift.value._id, cashierId: login.user.userId, cart, catalog: index.pricing(), tenders: [{ tender: cashTender, tendered: money(100000) }] });
      if (!sale.ok) throw new Error(`sale: ${JSON.stringify(sale.error)}`);
      // Where the time goes, hop by hop (printed, not judged): terminal -> relay -> HQ -> dashboard.
      const at = (couch: { nano: { use(db: string): { get(id: string): Promise<unknown> } } }, db: string) =>
        until(async () => couch.nano.use(db).get(sale.value._id).then(() => Date.now(), () => null), 10_000);
      const [atRelay, atHq] = await Promise.all([at(relay.couch, RELAY_STORE_DB), at(demo.hq.couch, hqStoreDbName('S001'))]);
      await until(async () => (await dash()) === before + 1, 10_000);
      report('sale_terminal_to_hq_dashboard', Date.now() - t0);
      console.log(JSON.stringify({ metric: 'sale_hops', terminalToRelay: atRelay - t0, relayToHq: atHq - atRelay, unit: 'ms' }));
    }
    index.close();
  } finally {
    stopSync();
    await local.destroy().catch(() => undefined);
    await demo.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(failures ? `demo check: ${failures} measurement(s) over ${LIMIT_MS} ms` : 'demo check: OK');
  return failures ? 1 : 0;
}
