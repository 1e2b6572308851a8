// Issue #3: stores, provisioning tokens, identities and access control — on real HTTP servers over
// loopback with PouchDB replicas, and HQ and the relays each on the embedded CouchDB server or on Apache
// CouchDB 3.5 (the integration matrix of issue #14, tests/support/couchMatrix.ts).
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import jwt from 'jsonwebtoken';
import { signCouchToken } from '../../server-kit/couch';
import { http, tempDir, testConfig, testLogger, waitFor } from '../support/testing';
import { PouchDB, remoteDb } from '../../server-kit/replication/pouch';
import { loginWithPin, approveOverride } from '../../desktop/renderer/features/session/pinLogin';
import type { Pairing } from '../../desktop/renderer/data/terminalSync';
import { terminalSyncOptions, terminalTokenSource } from '../../desktop/renderer/data/terminalSync';
import { generateCatalog } from '../../scripts/seed';
import { sale as saleFixture } from '../../scripts/seed/documents';
import { startRelay } from '../../store-relay/server';
import type { RelayServer } from '../../store-relay/server';
import { startHq } from '../../hq/server';
import type { HqServer } from '../../hq/server';
import { CATALOG_DB, hqStoreDbName } from '../../shared/model/names';
import { describeMatrix, type Combo, type CouchPool } from '../support/couchMatrix';

const PRODUCTS = 150;

describeMatrix('stores, provisioning and access control (issue #3)', { relays: 2 }, storeSuite);

/** The suite on one combination of servers. */
function storeSuite(this: Mocha.Suite, combo: Combo, pool: CouchPool): void {
  this.timeout(120_000);
  let hq: HqServer;
  let cleanup: Array<() => Promise<void>> = [];
  let dataDir: string;
  let adminToken = '';
  const relays: RelayServer[] = [];

  const api = (method: string, path: string, body?: unknown, token = adminToken) =>
    http<Record<string, unknown>>(method, hq.url + path, body, token ? { Authorization: `Bearer ${token}` } : {});

  async function newStore(code: string) {
    const res = await api('POST', '/api/v1/stores', { code, name: `Store ${code}`, address: 'Calle 1', timeZone: 'America/Mexico_City' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  }

  async function token(code: string, ttlHours?: number): Promise<string> {
    const res = await api('POST', `/api/v1/stores/${code}/provision`, ttlHours ? { ttlHours } : {});
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.token as string;
  }

  async function relayWith(name: string, syncToken: string | null): Promise<RelayServer> {
    const relay = await startRelay(testConfig(`${dataDir}/${name}`, { syncToken, ...(await pool.config(combo, name)) }), testLogger());
    relays.push(relay);
    return relay;
  }

  /** Closes a relay that is done with (a refused one) and hands its CouchDB back to the pool. */
  async function closeRelay(relay: RelayServer, name: string): Promise<void> {
    await relay.close();
    relays.splice(relays.indexOf(relay), 1);
    pool.release(name);
  }

  async function relayDocCount(relay: RelayServer, prefix: string): Promise<number> {
    const res = await relay.couch.request<{ rows: unknown[] }>(`/caja-store/_all_docs?startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(prefix + '\ufff0'))}`);
    return res.rows.length;
  }

  async function storeCredentialToken(relay: RelayServer): Promise<string> {
    const id = relay.state().identity;
    if (!id) throw new Error('relay not provisioned');
    const res = await http<{ token: string }>('POST', `${hq.url}/api/v1/sync/token`, { storeCode: id.storeCode, credentialId: id.credentialId, secret: id.secret });
    expect(res.status).to.equal(200);
    return res.body.token;
  }

  before(async () => {
    process.env.STORE_TOKEN_TTL_S = '4';
    const tmp = await tempDir();
    dataDir = tmp.dir;
    cleanup.push(tmp.cleanup);
    hq = await startHq(testConfig(`${dataDir}/hq`, await pool.config(combo, 'hq')), testLogger());
    const catalog = generateCatalog({ products: PRODUCTS });
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: catalog.docs });
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    expect(login.status).to.equal(200);
    adminToken = login.body.accessToken;
    await newStore('S001');
    await newStore('S002');
    for (const [username, pin, role, store] of [
      ['ana', '1234', 'role:cashier', 'S001'],
      ['mario', '9999', 'role:store_manager', 'S001'],
      ['bea', '4321', 'role:cashier', 'S002'],
    ] as const) {
      const created = await api('POST', '/api/v1/users', { username, password: `${username}-password`, pin });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const assigned = await api('PUT', `/api/v1/users/${created.body.id as string}/store-roles`, { [store]: [role] });
      expect(assigned.status).to.equal(200);
    }
  });

  after(async () => {
    for (const r of relays) await r.close().catch(() => undefined);
    await hq?.close();
    for (const c of cleanup) await c();
    cleanup = [];
    delete process.env.STORE_TOKEN_TTL_S;
  });

  it('takes a store from pending to active with a one-time token; the relay gets the catalog and its users', async () => {
    expect((await api('GET', '/api/v1/stores/S001')).body.status).to.equal('pending');
    const t = await token('S001');
    const relay = await relayWith('relay-s001', t);
    expect(relay.state().provision.state).to.equal('provisioned');
    const store = (await api('GET', '/api/v1/stores/S001')).body;
    expect(store.status).to.equal('active');
    expect(store.activatedAt).to.be.a('string');
    expect(JSON.stringify(store)).not.to.contain('secretHash');
    await waitFor(async () => (await relayDocCount(relay, 'product:')) === PRODUCTS, { what: 'catalog at relay', timeoutMs: 30_000 });
    await waitFor(async () => (await relayDocCount(relay, 'user:')) === 2, { what: 'S001 users at relay' });
    const config = await relay.couch.request<{ storeId: string }>('/caja-store/config:hq');
    expect(config.storeId).to.equal('S001');
    // Design documents of HQ never land at the relay (the relay's own validate stays in charge).
    const ddocs = await relay.couch.request<{ rows: Array<{ id: string }> }>('/caja-store/_all_docs?startkey="_design/"&endkey="_design0"');
    expect(ddocs.rows.every((r) => !r.id.includes('catalog'))).to.equal(true);

    // The same token a second time: refused, and the second relay keeps running and says why.
    const again = await relayWith('relay-s001-again', t);
    expect(again.state().provision).to.deep.include({ state: 'error' });
    expect((again.state().provision as { error: { code: string } }).error.code).to.equal('token_used');
    const status = await http<{ provision: { error: { code: string } } }>('GET', `${again.url}/api/v1/sync/status`);
    expect(status.body.provision.error.code).to.equal('token_used');
    expect((await http('GET', `${again.url}/api/v1/health`)).status).to.equal(200);
    await closeRelay(again, 'relay-s001-again');

    // Restarting a provisioned relay needs no token.
    const name = 'relay-s001';
    await relay.close();
    relays.splice(relays.indexOf(relay), 1);
    const restarted = await relayWith(name, null);
    expect(restarted.state().provision.state).to.equal('provisioned');
    expect(restarted.state().identity?.storeCode).to.equal('S001');
  });

  it('refuses an expired, a revoked and a malformed token with distinct messages', async () => {
    const issued = await api('POST', '/api/v1/stores/S002/provision', { ttlHours: 0.0003 }); // ~1 s
    const expired = issued.body.token as string;
    const expiresAt = Date.parse(issued.body.expiresAt as string);
    await waitFor(() => Date.now() > expiresAt, { what: 'token to expire', timeoutMs: 5_000 });
    const relayExpired = await relayWith('relay-s002-expired', expired);
    const e1 = relayExpired.state().provision as { error: { code: string; message: string } };
    expect(e1.error.code).to.equal('token_expired');
    expect(e1.error.message).to.match(/expired/);
    await closeRelay(relayExpired, 'relay-s002-expired');

    const first = await token('S002');
    await token('S002'); // regenerating revokes the first
    const relayRevoked = await relayWith('relay-s002-revoked', first);
    const e2 = relayRevoked.state().provision as { error: { code: string; message: string } };
    expect(e2.error.code).to.equal('token_revoked');
    expect(e2.error.message).to.match(/revoked/);
    await closeRelay(relayRevoked, 'relay-s002-revoked');

    const relayBad = await relayWith('relay-bad', 'caja1.not-a-token');
    expect((relayBad.state().provision as { error: { code: string } }).error.code).to.equal('token_malformed');
    // A new token given to a refused relay provisions it (retrying only when a new token is given).
    await relayBad.provision(await token('S002'));
    expect(relayBad.state().provision.state).to.equal('provisioned');
    expect((await api('GET', '/api/v1/stores/S002')).body.status).to.equal('active');
  });

  it("keeps each store to its own data: a store credential cannot read another store, write the catalog, forge or edit sales", async () => {
    const relayA = relays.find((r) => r.state().identity?.storeCode === 'S001' && r.state().provision.state === 'provisioned');
    if (!relayA) throw new Error('no S001 relay');
    const tokenA = await storeCredentialToken(relayA);
    const auth = { Authorization: `Bearer ${tokenA}` };
    // Stores replicate through HQ's gateway (the only way in for them).
    const couch = `${hq.url}/couch`;
    expect((await http('GET', `${couch}/${hqStoreDbName('S001')}/config:hq`, undefined, auth)).status).to.equal(200);
    expect((await http('GET', `${couch}/${hqStoreDbName('S002')}/config:hq`, undefined, auth)).status).to.equal(403);
    expect((await http('GET', `${couch}/${hqStoreDbName('S002')}/_all_docs`, undefined, auth)).status).to.equal(403);
    expect((await http('GET', `${couch}/${CATALOG_DB}/role:cashier`, undefined, auth)).status).to.equal(200);
    const catalogWrite = await http('PUT', `${couch}/${CATALOG_DB}/product:EVIL`, { type: 'product', schema: 1 }, auth);
    expect(catalogWrite.status).to.equal(403);

    const saleB = saleFixture(1, 'S002', 'T1');
    const forged = await http('PUT', `${couch}/${hqStoreDbName('S001')}/${encodeURIComponent(saleB._id)}`, saleB, auth);
    expect(forged.status).to.equal(403);
    const saleA = saleFixture(1, 'S001', 'T1');
    const put = await http<{ rev: string }>('PUT', `${couch}/${hqStoreDbName('S001')}/${encodeURIComponent(saleA._id)}`, saleA, auth);
    expect(put.status, JSON.stringify(put.body)).to.equal(201);
    const edited = await http('PUT', `${couch}/${hqStoreDbName('S001')}/${encodeURIComponent(saleA._id)}`, { ...saleA, _rev: put.body.rev, total: 1 }, auth);
    expect(edited.status).to.equal(403);

    // Forged, expired and exp-less CouchDB tokens, refused as CouchDB 3.5 refuses them, by HQ's and the
    // relay's CouchDB (each with its own secret, kept in its data folder).
    const couchSecretOf = async (proc: string) => pool.secretOf(proc) ?? (JSON.parse(await readFile(`${dataDir}/${proc}/secrets.json`, 'utf8')) as { couch: string }).couch;
    const forgedJwt = signCouchToken('not-the-secret', 'store:S001', ['caja-store', 'store:S001'], 60);
    for (const [base, db, proc] of [[hq.couch.url, hqStoreDbName('S001'), 'hq'], [relayA.couch.url, 'caja-store', 'relay-s001']] as const) {
      const secret = await couchSecretOf(proc);
      const expiredJwt = jwt.sign({ sub: 'store:S001', '_couchdb.roles': ['store:S001'], exp: Math.floor(Date.now() / 1000) - 60 }, secret);
      const noExpJwt = jwt.sign({ sub: 'store:S001', '_couchdb.roles': ['store:S001'] }, secret);
      const f = await http<{ reason: string }>('GET', `${base}/${db}`, undefined, { Authorization: `Bearer ${forgedJwt}` });
      expect([f.status, f.body.reason]).to.deep.equal([400, 'Bad HMAC']);
      const x = await http<{ reason: string }>('GET', `${base}/${db}`, undefined, { Authorization: `Bearer ${expiredJwt}` });
      expect([x.status, x.body.reason]).to.deep.equal([401, 'exp not in future']);
      const n = await http<{ reason: string }>('GET', `${base}/${db}`, undefined, { Authorization: `Bearer ${noExpJwt}` });
      expect([n.status, n.body.reason]).to.deep.equal([400, 'Missing exp claim']);
    }
    const expiredJwt = jwt.sign({ sub: 'hq:admin', typ: 'access', exp: Math.floor(Date.now() / 1000) - 60 }, await couchSecretOf('hq'));
    // The HQ API answers 401 to the same.
    for (const bad of [forgedJwt, expiredJwt, 'garbage']) {
      expect((await api('GET', '/api/v1/stores', undefined, bad)).status).to.equal(401);
    }
    expect((await api('GET', '/api/v1/stores', undefined, '')).status).to.equal(401);
  });

  it('stops a revoked store within one token lifetime and brings it back by re-provisioning, losing nothing', async () => {
    const relayA = relays.find((r) => r.state().identity?.storeCode === 'S001' && r.state().provision.state === 'provisioned');
    if (!relayA) throw new Error('no S001 relay');
    const hqStore = hq.couch.nano.use(hqStoreDbName('S001'));
    const relayDb = relayA.couch.nano.use('caja-store');
    const before = saleFixture(1, 'S001', 'T2');
    await relayDb.insert(before);
    await waitFor(async () => (await hqStore.get(before._id).then(() => true, () => false)), { what: 'sale before revoke at HQ' });
    // And its checkpoint written (the push idle): a checkpoint still in flight at the revoke could be the push
    // job's first refusal, before the sale below is written, and a failing PouchDB retry reports only its first.
    await waitFor(() => relayA.jobs().some((j) => j.snapshot().id === 'transactions-up' && j.snapshot().state === 'idle') || null, { what: 'push caught up and checkpointed' });

    expect((await api('POST', '/api/v1/stores/S001/revoke')).status).to.equal(200);
    const revokedAt = Date.now();
    // Within one token lifetime (4 s here) the relay can no longer reach HQ's databases.
    await waitFor(() => relayA.errors().some((e) => e.type === 'token_rejected' || e.type === 'forbidden') || null, {
      what: 'replication refused after revoke',
      timeoutMs: 15_000,
    });
    expect(Date.now() - revokedAt).to.be.lessThan(4_000 + 8_000);
    const during = saleFixture(2, 'S001', 'T2');
    // Taken before the write: the push's refusal may be stamped before the write's answer reaches this test.
    const writingAt = new Date().toISOString();
    await relayDb.insert(during);
    // The push job tries, and is refused, after the sale was written: it did not go up.
    await waitFor(() => relayA.errors().some((e) => e.job === 'transactions-up' && e.at >= writingAt && e.type === 'token_rejected') || null, {
      what: 'push refused after the sale was written',
      timeoutMs: 20_000,
    });
    expect(await hqStore.get(during._id).then(() => true, () => false)).to.equal(false);

    await relayA.provision(await token('S001'));
    await waitFor(async () => (await hqStore.get(during._id).then(() => true, () => false)), { what: 'sale after re-provisioning', timeoutMs: 20_000 });
    const all = await hqStore.list({ startkey: 'sale:', endkey: 'sale:\ufff0' });
    const ids = all.rows.map((r) => r.id);
    expect(ids.filter((id) => id === before._id)).to.have.length(1);
    expect(ids.filter((id) => id === during._id)).to.have.length(1);
    const atHq = await hqStore.get(during._id);
    const { _rev: _ignored, ...content } = atHq as typeof atHq & { _rev: string };
    expect(content).to.deep.equal(during);
  });

  it('pairs a terminal; a cashier logs in by PIN with the network cut, and 5 wrong PINs lock them out', async () => {
    const relayA = relays.find((r) => r.state().identity?.storeCode === 'S001' && r.state().provision.state === 'provisioned');
    if (!relayA) throw new Error('no S001 relay');
    const wrongManager = await http('POST', `${relayA.url}/api/v1/terminals/pair`, { username: 'ana', pin: '1234' });
    expect(wrongManager.status).to.equal(403); // a cashier may not pair terminals
    const code = await http<{ code: string }>('POST', `${relayA.url}/api/v1/terminals/pairing-code`, { username: 'mario', pin: '9999' });
    expect(code.status).to.equal(201);
    const paired = await http<Pairing & { terminalId: string }>('POST', `${relayA.url}/api/v1/terminals/pair`, { code: code.body.code, name: 'Front till' });
    expect(paired.status, JSON.stringify(paired.body)).to.equal(201);
    expect((await http('POST', `${relayA.url}/api/v1/terminals/pair`, { code: code.body.code })).status).to.equal(401); // one-time
    const second = await http<{ terminalId: string }>('POST', `${relayA.url}/api/v1/terminals/pair`, { username: 'mario', pin: '9999' });
    expect(second.body.terminalId).to.not.equal(paired.body.terminalId);

    const pairing: Pairing = { ...paired.body, relayUrl: relayA.url };
    // The terminal's own token may write its own sales at the relay, and nothing of another store or terminal.
    const tToken = await terminalTokenSource(pairing)();
    const tAuth = { Authorization: `Bearer ${tToken}` };
    const own = saleFixture(77, 'S001', pairing.terminalId);
    const at = (id: string) => `${pairing.couchdbUrl}/${pairing.db}/${encodeURIComponent(id)}`;
    const ownPut = await http<{ rev: string }>('PUT', at(own._id), own, tAuth);
    expect(ownPut.status, JSON.stringify(ownPut.body)).to.equal(201);
    expect((await http('PUT', at(own._id), { ...own, _rev: ownPut.body.rev, total: 0 }, tAuth)).status).to.equal(403);
    const otherStore = saleFixture(1, 'S002', pairing.terminalId);
    expect((await http('PUT', at(otherStore._id), otherStore, tAuth)).status).to.equal(403);
    const otherTerminal = saleFixture(78, 'S001', second.body.terminalId);
    expect((await http('PUT', at(otherTerminal._id), otherTerminal, tAuth)).status).to.equal(403);
    expect((await http('PUT', at('product:EVIL'), { type: 'product', schema: 1 }, tAuth)).status).to.equal(403);
    // Unpairing: a manager session lists terminals and unpairs one, which can then get no token.
    const session = await http<{ token: string }>('POST', `${relayA.url}/api/v1/auth/login`, { username: 'mario', pin: '9999' });
    const mAuth = { Authorization: `Bearer ${session.body.token}` };
    const list = await http<Array<{ terminalId: string; active: boolean }>>('GET', `${relayA.url}/api/v1/terminals`, undefined, mAuth);
    expect(list.body.map((t) => t.terminalId)).to.include.members([pairing.terminalId, second.body.terminalId]);
    expect((await http('GET', `${relayA.url}/api/v1/terminals`)).status).to.equal(401);
    expect((await http('DELETE', `${relayA.url}/api/v1/terminals/${second.body.terminalId}`, undefined, mAuth)).status).to.equal(200);
    const secondSecret = (second.body as { secret?: string }).secret;
    expect((await http('POST', `${relayA.url}/api/v1/terminals/token`, { terminalId: second.body.terminalId, secret: secondSecret })).status).to.equal(401);
    const local = new PouchDB(`terminal-${Date.now()}`, { adapter: 'memory' });
    const remote = remoteDb(`${pairing.couchdbUrl}/${pairing.db}`, terminalTokenSource(pairing));
    const opts = terminalSyncOptions('S001', new Date().toISOString().slice(0, 10));
    const pull = local.replicate.from(remote, opts.pull);
    try {
      await waitFor(async () => (await local.allDocs({ startkey: 'user:', endkey: 'user:\ufff0' })).rows.length === 2, { what: 'users on the terminal' });
    } finally {
      pull.cancel();
    }
    // Cut the network: the relay goes away entirely.
    const identity = relayA.state().identity;
    await relayA.close();
    relays.splice(relays.indexOf(relayA), 1);
    expect((await fetch(`${relayA.url}/api/v1/health`).then(() => 'up', () => 'down'))).to.equal('down');

    const ok = await loginWithPin(local, 'ana', '1234');
    expect(ok.ok).to.equal(true);
    for (let i = 1; i <= 4; i++) {
      const r = await loginWithPin(local, 'ana', '0000');
      expect(r).to.deep.include({ ok: false, reason: 'wrong_pin', failuresLeft: 5 - i });
    }
    const fifth = await loginWithPin(local, 'ana', '0000');
    expect(fifth).to.deep.include({ ok: false, reason: 'locked' });
    const blocked = await loginWithPin(local, 'ana', '1234');
    expect(blocked).to.deep.include({ ok: false, reason: 'locked' }); // even the right PIN, while locked
    // A manager's PIN approves an override, recorded with who and what.
    const approval = await approveOverride(local, 'mario', '9999', 'sale.void', { reason: 'customer changed mind' });
    expect(approval.ok).to.equal(true);
    if (approval.ok) expect(approval.approval).to.include({ action: 'sale.void', reason: 'customer changed mind' });
    const denied = await approveOverride(local, 'ana', '1234', 'sale.void', {}, Date.now() + 3600_000);
    expect(denied).to.deep.equal({ ok: false, reason: 'denied' });
    await local.destroy();
    expect(identity?.storeCode).to.equal('S001');
  });
}
