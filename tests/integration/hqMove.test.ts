// A relay follows HQ's CouchDB to a new URL (HQ restarted with its embedded CouchDB on another free port,
// as `npm start` does on every restart): replication resumes without re-provisioning.
import { expect } from 'chai';
import { freePort } from '../support/proc';
import { http, tempDir, testConfig, testLogger, waitFor } from '../support/testing';
import { startHq } from '../../hq/server';
import type { HqServer } from '../../hq/server';
import { CATALOG_DB } from '../../shared/model/names';
import { generateCatalog } from '../../scripts/seed';
import { startRelay } from '../../store-relay/server';
import type { RelayServer } from '../../store-relay/server';

describe('relay follows a moved HQ CouchDB', function () {
  this.timeout(90_000);
  let hq: HqServer | null = null;
  let relay: RelayServer | null = null;
  let cleanup: () => Promise<void>;

  after(async () => {
    await relay?.close();
    await hq?.close();
    await cleanup?.();
  });

  it('keeps replicating after HQ restarts with its CouchDB on another port', async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    const hqPort = await freePort();
    const hqCfg = testConfig(`${tmp.dir}/hq`, { hqPort });
    hq = await startHq(hqCfg, testLogger());
    const products = generateCatalog({ products: 20 }).products;
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: generateCatalog({ products: 20 }).docs });
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    expect((await http('POST', `${hq.url}/api/v1/stores`, { code: 'M001', name: 'Moved' }, auth)).status).to.equal(201);
    const token = (await http<{ token: string }>('POST', `${hq.url}/api/v1/stores/M001/provision`, {}, auth)).body.token;
    relay = await startRelay(testConfig(`${tmp.dir}/relay`, { syncToken: token, heartbeatIntervalS: 1 }), testLogger());
    const firstCouch = hq.couch.url;
    const sku = products[0]?.sku ?? '';
    await waitFor(async () => relay?.couch.nano.use('caja-store').get(`product:${sku}`).then(() => true, () => false), { what: 'catalog at relay' });

    await hq.close();
    hq = await startHq(hqCfg, testLogger());
    expect(hq.couch.url).to.not.equal(firstCouch);
    const login2 = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    const price = 4242;
    expect((await http('PATCH', `${hq.url}/api/v1/products/${sku}`, { price }, { Authorization: `Bearer ${login2.body.accessToken}` })).status).to.equal(200);
    await waitFor(async () => (await relay?.couch.nano.use<{ price: number }>('caja-store').get(`product:${sku}`))?.price === price, {
      what: `price change from the restarted HQ ${JSON.stringify(relay?.errors().slice(-3))} ${JSON.stringify(relay?.jobs().map((j) => j.snapshot().state))}`,
      timeoutMs: 40_000,
    });
    // Relays replicate through HQ's gateway, so where HQ's CouchDB listens is HQ's business alone.
    expect(relay.state().identity?.couchdb.url).to.equal(`${hq.url}/couch`);
  });
});
