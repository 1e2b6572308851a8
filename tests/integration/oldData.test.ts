// Old data still loads: a chain's data folders written by the previous version (commit cc84054, before the
// #9 architecture step; made by tests/tools/makeOldData.ts) are opened by this version's HQ, relay and
// terminal sync, and everything keeps working: the old catalog, sales and logins are there, the relay
// resumes replication with the identity it stored (no sync token), the old terminal replica syncs both ways,
// and a new catalog change reaches the relay.
//
// Addresses: the relay keeps HQ's URL from its sync token in relay-identity.json, and a terminal keeps its
// relay's URL from pairing; the relay has no setting that overrides the stored HQ URL (HQ_URL is HQ's own
// public URL), and moving a relay to another HQ address means presenting a new token with `changeHq`,
// i.e. re-provisioning. So, as an upgrade in place does, HQ and the relay listen where they did before;
// the fixture chose ports outside the ephemeral range for that. HQ's embedded CouchDB gets a new free port,
// which the relay does not see (it goes through HQ's gateway).
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { http, tempDir, testConfig, testLogger, waitFor } from '../support/testing';
import type { OldDataManifest } from '../tools/makeOldData';
import { PouchDB, remoteDb } from '../../server-kit/replication/pouch';
import type { Pairing } from '../../desktop/renderer/data/terminalSync';
import { startTerminalPull, terminalSyncOptions, terminalTokenSource } from '../../desktop/renderer/data/terminalSync';
import { sale as saleFixture } from '../../scripts/seed/documents';
import { startHq } from '../../hq/server';
import type { HqServer } from '../../hq/server';
import { CATALOG_DB, RELAY_STORE_DB, hqStoreDbName } from '../../shared/model/names';
import { startRelay } from '../../store-relay/server';
import type { RelayServer } from '../../store-relay/server';
import type { RelayIdentity } from '../../store-relay/services/identity';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'old-data-cc84054.tgz');
/** The price the catalog change sets (HQ -> relay -> terminal). */
const NEW_PRICE = 4242;

/** Whether `db` holds a document `id` (any error, 404 included, is "not yet"). */
const has = (db: { get(id: string): Promise<unknown> }, id: string) => db.get(id).then(() => true, () => false);

/** A start that fails because the recorded port is taken says so, instead of a bare EADDRINUSE. */
async function onRecordedPort<T>(what: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`${what} must listen on ${port}, recorded in the old data, and that port is taken`);
    throw err;
  }
}

describe('old data still loads (written by the previous version, cc84054)', function () {
  this.timeout(120_000);
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  let manifest: OldDataManifest;
  let oldIdentity: RelayIdentity;
  let hq: HqServer | null = null;
  let relay: RelayServer | null = null;
  let terminal: PouchDB.Database | null = null;
  const stops: Array<() => void> = [];

  const adminLogin = (password: string) => http<{ accessToken?: string }>('POST', `${hqUrl()}/api/v1/auth/login`, { username: 'admin', password });
  const hqUrl = () => hq?.url ?? '';
  const hqStore = () => (hq as HqServer).couch.nano.use(hqStoreDbName(manifest.store));
  const relayStore = () => (relay as RelayServer).couch.nano.use<{ price?: number }>(RELAY_STORE_DB);

  before(async () => {
    const tmp = await tempDir('caja-old-data-');
    dir = tmp.dir;
    cleanup = tmp.cleanup;
    await promisify(execFile)('tar', ['-xzf', FIXTURE, '-C', dir]);
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as OldDataManifest;
    oldIdentity = JSON.parse(await readFile(path.join(dir, `relay-${manifest.store}`, 'relay-identity.json'), 'utf8')) as RelayIdentity;
    // A different HQ_ADMIN_PASSWORD: the admin signed in under the old version, so the stored password rules.
    hq = await onRecordedPort('HQ', manifest.hqPort, () => startHq(testConfig(path.join(dir, 'hq'), { hqPort: manifest.hqPort, hqAdminPassword: 'not-the-old-password' }), testLogger()));
    // No sync token: the relay must come back with the identity it stored.
    relay = await onRecordedPort('the relay', manifest.relayPort, () =>
      startRelay(testConfig(path.join(dir, `relay-${manifest.store}`), { relayPort: manifest.relayPort, syncToken: null }), testLogger()),
    );
  });

  after(async () => {
    for (const stop of stops) stop();
    await terminal?.close().catch(() => undefined);
    await relay?.close();
    await hq?.close();
    await cleanup();
  });

  it('HQ opens the old databases: the catalog, the sales and the admin password are there', async () => {
    expect(manifest.commit).to.match(/^cc84054/);
    const catalog = await hq?.couch.nano.use(CATALOG_DB).list({ startkey: 'product:', endkey: 'product:\ufff0' });
    expect(catalog?.rows.map((r) => r.id)).to.have.members(manifest.products);
    for (const id of manifest.sales) expect(await has(hqStore(), id), `${id} at HQ`).to.equal(true);
    const login = await adminLogin(manifest.adminPassword);
    expect(login.status).to.equal(200);
    expect(login.body.accessToken).to.be.a('string');
    expect((await adminLogin('not-the-old-password')).status).to.equal(401);
  });

  it('the relay resumes with its stored identity (no token) and its staff log in', async () => {
    const state = relay?.state();
    expect(state?.provision.state).to.equal('provisioned');
    expect(state?.identity).to.include({ storeCode: manifest.store, credentialId: oldIdentity.credentialId, provisionedAt: oldIdentity.provisionedAt, hqUrl: hqUrl() });
    for (const id of manifest.sales) expect(await has(relayStore(), id), `${id} at the relay`).to.equal(true);
    const login = await http<{ token?: string }>('POST', `${relay?.url}/api/v1/auth/login`, manifest.manager);
    expect(login.status, JSON.stringify(login.body)).to.equal(200);
  });

  it('a catalog change at HQ reaches the relay', async () => {
    const token = (await adminLogin(manifest.adminPassword)).body.accessToken ?? '';
    const sku = (manifest.products[0] ?? '').replace(/^product:/, '');
    const patched = await http('PATCH', `${hqUrl()}/api/v1/products/${sku}`, { price: NEW_PRICE }, { Authorization: `Bearer ${token}` });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    await waitFor(async () => (await relayStore().get(`product:${sku}`)).price === NEW_PRICE, {
      what: `the price change at the relay (errors ${JSON.stringify(relay?.errors().slice(-3))})`,
      timeoutMs: 30_000,
    });
  });

  it('the old terminal replica syncs: it keeps its sales, gets the new price, and a new sale reaches HQ', async () => {
    const pairing = JSON.parse(await readFile(path.join(dir, manifest.terminal.pairingFile), 'utf8')) as Pairing;
    expect(pairing.relayUrl).to.equal(relay?.url);
    const local = new PouchDB(path.join(dir, manifest.terminal.dir));
    terminal = local;
    for (const id of manifest.sales) expect(await has(local, id), `${id} on the terminal`).to.equal(true);

    const remote = remoteDb(`${pairing.couchdbUrl}/${pairing.db}`, terminalTokenSource(pairing));
    const options = terminalSyncOptions(pairing.storeCode, new Date().toISOString().slice(0, 10));
    const abort = new AbortController();
    stops.push(() => abort.abort());
    const { replication: pull } = await startTerminalPull(local, remote, options.pull, { signal: abort.signal });
    const push = local.replicate.to(remote, options.push);
    stops.push(() => pull.cancel(), () => push.cancel());

    // The price set by the previous test, through the relay.
    const first = manifest.products[0] ?? '';
    await waitFor(async () => ((await local.get(first)) as { price?: number }).price === NEW_PRICE, { what: 'the new price on the terminal', timeoutMs: 30_000 });
    const next = saleFixture(manifest.sales.length + 1, pairing.storeCode, pairing.terminalId);
    await local.put(next);
    await waitFor(() => has(hqStore(), next._id), { what: `${next._id} at HQ`, timeoutMs: 30_000 });
  });
});
