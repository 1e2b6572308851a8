// PIN hashes reach only the stores a user works at (security review). A user lives at HQ; assigning them to a
// store projects a user document (with the PIN hash) into that store's database, which its relay pulls.
// On real servers over loopback: HQ and two provisioned relays on embedded CouchDB servers.
import { expect } from 'chai';
import type { CouchHandle } from '../server-kit/couch';
import { http, tempDir, testConfig, testLogger, waitFor } from '../tests/support/testing';
import { generateCatalog } from '../scripts/seed';
import { startRelay } from '../store-relay/server';
import type { RelayServer } from '../store-relay/server';
import { startHq } from './server';
import type { HqServer } from './server';
import { CATALOG_DB, HQ_DB, hqStoreDbName } from '../shared/model/names';
import type { HqUser } from './services/model';

const RELAY_DB = 'caja-store';

describe('user projection: PIN hashes only at the stores a user works at', function () {
  this.timeout(180_000);
  let hq: HqServer;
  let cleanup: () => Promise<void> = async () => {};
  let adminToken = '';
  const relays = new Map<string, RelayServer>();

  const api = (method: string, path: string, body?: unknown) =>
    http<Record<string, unknown>>(method, hq.url + path, body, { Authorization: `Bearer ${adminToken}` });

  async function newUser(username: string, pin: string, storeRoles: Record<string, string[]>): Promise<string> {
    const created = await api('POST', '/api/v1/users', { username, password: `${username}-password`, pin });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const id = created.body.id as string;
    const assigned = await api('PUT', `/api/v1/users/${id}/store-roles`, storeRoles);
    expect(assigned.status, JSON.stringify(assigned.body)).to.equal(200);
    return id;
  }

  /**
   * The document, or 'deleted' (a tombstone is there) or 'missing' (never written). `_all_docs` with keys tells
   * the two apart the same way on CouchDB and the embedded server (a GET's 404 reason differs between them).
   */
  async function lookup(couch: CouchHandle, db: string, id: string): Promise<Record<string, unknown> | 'missing' | 'deleted'> {
    const res = await couch.request<{ rows: Array<{ error?: string; value?: { deleted?: boolean } }> }>(`/${db}/_all_docs`, { method: 'POST', body: { keys: [id] } });
    const row = res.rows[0];
    if (!row || row.error) return 'missing';
    if (row.value?.deleted) return 'deleted';
    return couch.request<Record<string, unknown>>(`/${db}/${encodeURIComponent(id)}`);
  }

  /** Every revision body of every document, deletions included, as one string (to search for a hash). */
  async function everything(couch: CouchHandle, db: string): Promise<{ ids: string[]; text: string }> {
    const changes = await couch.request<{ results: Array<{ id: string; doc?: unknown }> }>(`/${db}/_changes?include_docs=true&style=all_docs`);
    return { ids: changes.results.map((r) => r.id), text: JSON.stringify(changes.results) };
  }

  async function pinHashOf(userId: string): Promise<string> {
    const u = await hq.couch.request<HqUser>(`/${HQ_DB}/hquser:${userId}`);
    expect(u.pinHash?.hash).to.be.a('string');
    return (u.pinHash as { hash: string }).hash;
  }

  /** Whether the relay's tills accept the user's PIN for a manager action (a pairing code asks for one). */
  async function relayAcceptsPin(code: string, username: string, pin: string): Promise<boolean> {
    const relay = relays.get(code) as RelayServer;
    const res = await http('POST', `${relay.url}/api/v1/terminals/pairing-code`, { username, pin });
    return res.status === 201;
  }

  before(async () => {
    const tmp = await tempDir('caja-users-');
    cleanup = tmp.cleanup;
    hq = await startHq(testConfig(`${tmp.dir}/hq`), testLogger());
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: generateCatalog({ products: 20 }).docs });
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    expect(login.status).to.equal(200);
    adminToken = login.body.accessToken;
    for (const code of ['S001', 'S002']) {
      expect((await api('POST', '/api/v1/stores', { code, name: `Store ${code}`, timeZone: 'America/Mexico_City' })).status).to.equal(201);
      const token = (await api('POST', `/api/v1/stores/${code}/provision`, {})).body.token as string;
      const relay = await startRelay(testConfig(`${tmp.dir}/relay-${code}`, { syncToken: token }), testLogger());
      relays.set(code, relay);
      expect(relay.state().provision.state).to.equal('provisioned');
    }
  });

  after(async () => {
    for (const r of relays.values()) await r.close().catch(() => undefined);
    await hq?.close();
    await cleanup();
  });

  it('a user assigned only to S001 is never in S002\'s database at HQ nor at S002\'s relay; unassigning leaves a tombstone without the PIN', async () => {
    const s1 = relays.get('S001') as RelayServer;
    const s2 = relays.get('S002') as RelayServer;
    const pia = await newUser('pia', '2468', { S001: ['role:store_manager'] });
    const hash = await pinHashOf(pia);
    // A user of S002 assigned afterwards: once S002's relay has it, it has seen everything written before it.
    const max = await newUser('max', '1357', { S002: ['role:cashier'] });

    const atS001 = await lookup(hq.couch, hqStoreDbName('S001'), `user:${pia}`);
    expect(atS001).to.deep.include({ type: 'user', storeId: 'S001', userId: pia });
    expect(JSON.stringify(atS001)).to.contain(hash);
    await waitFor(async () => typeof (await lookup(s1.couch, RELAY_DB, `user:${pia}`)) === 'object', { what: 'pia at the S001 relay', timeoutMs: 30_000 });
    await waitFor(async () => typeof (await lookup(s2.couch, RELAY_DB, `user:${max}`)) === 'object', { what: 'max at the S002 relay', timeoutMs: 30_000 });
    expect(await relayAcceptsPin('S001', 'pia', '2468')).to.equal(true);

    // Not at S002: not the document, not a revision of it, not the hash anywhere, at HQ or at the relay.
    for (const [couch, db] of [[hq.couch, hqStoreDbName('S002')], [s2.couch, RELAY_DB]] as const) {
      expect(await lookup(couch, db, `user:${pia}`), db).to.equal('missing');
      const all = await everything(couch, db);
      expect(all.ids, db).to.not.include(`user:${pia}`);
      expect(all.ids, db).to.include(`user:${max}`);
      expect(all.text, db).to.not.contain(hash);
    }
    // Nor in the catalog every store receives (roles travel there, users never).
    expect((await everything(hq.couch, CATALOG_DB)).text).to.not.contain(hash);
    // Every user document S002's tills can read is one of S002's own.
    const s2users = await s2.couch.request<{ rows: Array<{ doc: { storeId?: string } }> }>(`/${RELAY_DB}/_all_docs?include_docs=true&startkey="user:"&endkey="user:\ufff0"`);
    expect(s2users.rows.map((r) => r.doc.storeId)).to.deep.equal(s2users.rows.map(() => 'S002'));
    expect(await relayAcceptsPin('S002', 'pia', '2468')).to.equal(false);

    // Unassigned: a tombstone that keeps type and store (so it replicates) and drops the PIN hash.
    expect((await api('PUT', `/api/v1/users/${pia}/store-roles`, {})).status).to.equal(200);
    expect(await lookup(hq.couch, hqStoreDbName('S001'), `user:${pia}`)).to.equal('deleted');
    const tombstone = (await hq.couch.request<{ results: Array<{ id: string; deleted?: boolean; doc: Record<string, unknown> }> }>(
      `/${hqStoreDbName('S001')}/_changes?include_docs=true`,
    )).results.find((r) => r.id === `user:${pia}`);
    expect(tombstone?.deleted).to.equal(true);
    expect(tombstone?.doc).to.deep.include({ _deleted: true, type: 'user', storeId: 'S001' });
    expect(JSON.stringify(tombstone?.doc)).to.not.contain(hash);
    await waitFor(async () => (await lookup(s1.couch, RELAY_DB, `user:${pia}`)) === 'deleted', { what: 'pia deleted at the S001 relay', timeoutMs: 30_000 });
    expect(await relayAcceptsPin('S001', 'pia', '2468')).to.equal(false);
    // S002 never had her, so it gets no tombstone either.
    expect(await lookup(hq.couch, hqStoreDbName('S002'), `user:${pia}`)).to.equal('missing');
  });

  it('moving a user between stores, and concurrent reassignments, leave the PIN hash only where the user ends up', async () => {
    const cruz = await newUser('cruz', '8642', { S001: ['role:cashier'] });
    const hash = await pinHashOf(cruz);
    expect((await api('PUT', `/api/v1/users/${cruz}/store-roles`, { S002: ['role:cashier'] })).status).to.equal(200);
    expect(await lookup(hq.couch, hqStoreDbName('S001'), `user:${cruz}`)).to.equal('deleted');
    expect(await lookup(hq.couch, hqStoreDbName('S002'), `user:${cruz}`)).to.deep.include({ storeId: 'S002' });

    // Requests racing on one user: each projects the user as stored when it finishes, so the slower one cannot
    // write the document back into the store the faster one removed it from.
    // A request that loses the race on the HQ user document is answered 409 and changes nothing.
    const assignments = Array.from({ length: 4 }, (_, i) => (i % 2 ? { S001: ['role:cashier'] } : { S002: ['role:cashier'] }));
    const answers = await Promise.all(assignments.map((a) => api('PUT', `/api/v1/users/${cruz}/store-roles`, a)));
    for (const a of answers) expect([200, 409], JSON.stringify(a.body)).to.include(a.status);
    expect(answers.some((a) => a.status === 200)).to.equal(true);
    const final = Object.keys((await api('GET', `/api/v1/users/${cruz}/store-roles`)).body);
    expect(final).to.have.length(1);
    const [kept, left] = final[0] === 'S001' ? ['S001', 'S002'] : ['S002', 'S001'];
    expect(await lookup(hq.couch, hqStoreDbName(kept), `user:${cruz}`)).to.deep.include({ storeId: kept });
    expect(await lookup(hq.couch, hqStoreDbName(left), `user:${cruz}`)).to.equal('deleted');
    const relayLeft = relays.get(left) as RelayServer;
    await waitFor(async () => (await lookup(relayLeft.couch, RELAY_DB, `user:${cruz}`)) === 'deleted', { what: `cruz deleted at the ${left} relay`, timeoutMs: 30_000 });
    const current = await lookup(relayLeft.couch, RELAY_DB, `user:${cruz}`);
    expect(current).to.equal('deleted');

    // Deactivated: gone from every store.
    expect((await api('DELETE', `/api/v1/users/${cruz}`)).status).to.equal(200);
    for (const code of ['S001', 'S002']) expect(await lookup(hq.couch, hqStoreDbName(code), `user:${cruz}`), code).to.equal('deleted');
    const winning = await hq.couch.request<{ results: Array<{ id: string; doc: unknown }> }>(`/${hqStoreDbName(kept)}/_changes?include_docs=true`);
    expect(JSON.stringify(winning.results.filter((r) => r.id === `user:${cruz}`))).to.not.contain(hash);
  });
});
