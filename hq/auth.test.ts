// Issue #3: HQ authentication (login, refresh rotation, rate limits, me, change-credential, logout (issue
// #12)), user and role administration with store projection, and the audit log.
import { expect } from 'chai';
import { http, tempDir, testConfig, testLogger } from '../tests/support/testing';
import { startHq } from './server';
import type { HqServer } from './server';
import { HQ_DB, hqStoreDbName, refreshTokenRecordId } from '../shared/model/names';
import { sha256 } from '../server-kit/secretHash';

describe('HQ auth, users, roles and audit (issue #3)', function () {
  this.timeout(60_000);
  let hq: HqServer;
  let cleanup: () => Promise<void>;
  let admin = '';
  const api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, token = admin) =>
    http<T>(method, hq.url + path, body, token ? { Authorization: `Bearer ${token}` } : {});
  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    http<{ accessToken: string; refreshToken: string; error?: string }>('POST', `${hq.url}/api/v1/auth/login`, { username, password }, headers);

  before(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    hq = await startHq(testConfig(tmp.dir, { hqAdminPassword: null }), testLogger());
  });
  after(async () => {
    await hq?.close();
    await cleanup?.();
  });

  it('creates admin on first start with a generated password shown once, and logs in with it', async () => {
    expect(hq.generatedAdminPassword).to.be.a('string').with.length.greaterThan(12);
    const res = await login('admin', hq.generatedAdminPassword ?? '');
    expect(res.status).to.equal(200);
    admin = res.body.accessToken;
    const me = await api<{ user: { username: string }; permissions: string[] }>('GET', '/api/v1/auth/me');
    expect(me.body.user.username).to.equal('admin');
    expect(me.body.permissions).to.include.members(['users.manage', 'stores.provision', 'sync.admin']);
    const health = await http<{ status: string; version: string; couchdb: { ok: boolean } }>('GET', `${hq.url}/api/v1/health`);
    expect(health.status).to.equal(200);
    expect(health.body.couchdb.ok).to.equal(true);
  });

  it('refuses wrong passwords alike, rate-limits repeated failures, and rotates refresh tokens', async () => {
    expect((await login('admin', 'wrong')).body.error).to.equal('invalid_credentials');
    expect((await login('nobody', 'wrong')).body.error).to.equal('invalid_credentials');
    const ok = await login('admin', hq.generatedAdminPassword ?? '');
    const refreshed = await http<{ accessToken: string; refreshToken: string }>('POST', `${hq.url}/api/v1/auth/refresh`, { refreshToken: ok.body.refreshToken });
    expect(refreshed.status).to.equal(200);
    expect((await api('GET', '/api/v1/auth/me', undefined, refreshed.body.accessToken)).status).to.equal(200);
    const reused = await http<{ error: string }>('POST', `${hq.url}/api/v1/auth/refresh`, { refreshToken: ok.body.refreshToken });
    expect([reused.status, reused.body.error]).to.deep.equal([401, 'refresh_invalid']);
    // Per user: 10 failures, then 429 with Retry-After — even with the right password.
    let limited: { status: number } | null = null;
    for (let i = 0; i < 15 && !limited; i++) {
      const r = await login('victim', 'guess');
      if (r.status === 429) limited = r;
    }
    expect(limited?.status).to.equal(429);
  });

  it('ends a session at logout: its refresh token is refused from then on, and other sessions go on (issue #12)', async () => {
    const password = hq.generatedAdminPassword ?? '';
    const [mine, other] = [await login('admin', password), await login('admin', password)];
    const refresh = (refreshToken: string) => http<{ error?: string; refreshToken: string }>('POST', `${hq.url}/api/v1/auth/refresh`, { refreshToken });
    // A session renewed once: its live token is the renewed one, which logout ends.
    const renewed = await refresh(mine.body.refreshToken);
    expect(renewed.status).to.equal(200);
    const out = await http<{ ok: boolean }>('POST', `${hq.url}/api/v1/auth/logout`, { refreshToken: renewed.body.refreshToken });
    expect([out.status, out.body]).to.deep.equal([200, { ok: true }]);
    const after = await refresh(renewed.body.refreshToken);
    expect([after.status, after.body.error]).to.deep.equal([401, 'refresh_invalid']);
    // Stored in CouchDB, not in this process: no refresh-token record of the ended session is left.
    const record = (token: string) => hq.couch.nano.use(HQ_DB).get(refreshTokenRecordId(sha256(token))).then(() => true, () => false);
    expect([await record(renewed.body.refreshToken), await record(other.body.refreshToken)]).to.deep.equal([false, true]);
    // Ending it again, or a token never issued, answers the same and changes nothing.
    const seq = (await hq.couch.request<{ update_seq: unknown }>(`/${HQ_DB}`)).update_seq;
    expect((await http('POST', `${hq.url}/api/v1/auth/logout`, { refreshToken: renewed.body.refreshToken })).status).to.equal(200);
    expect((await http('POST', `${hq.url}/api/v1/auth/logout`, { refreshToken: 'rt_never-issued' })).status).to.equal(200);
    expect((await hq.couch.request<{ update_seq: unknown }>(`/${HQ_DB}`)).update_seq).to.deep.equal(seq);
    const none = await http<{ error: string }>('POST', `${hq.url}/api/v1/auth/logout`, {});
    expect([none.status, none.body.error]).to.deep.equal([400, 'invalid_input']);
    // Another session of the same person is untouched.
    expect((await refresh(other.body.refreshToken)).status).to.equal(200);
    const audit = await api<Array<{ action: string; actor: string }>>('GET', '/api/v1/audit?limit=20');
    expect(audit.body.filter((e) => e.action === 'auth.logout').map((e) => e.actor)).to.have.length(1);
  });

  it('ends a session\'s access tokens at logout too: the old access token gets 401 at once, other sessions\' work (issue #12)', async () => {
    const password = hq.generatedAdminPassword ?? '';
    const [mine, other] = [await login('admin', password), await login('admin', password)];
    const me = (token: string) => api<{ error?: string }>('GET', '/api/v1/auth/me', undefined, token);
    // The session's first access token and the one its renewal issued both work before logout...
    const renewed = await http<{ accessToken: string; refreshToken: string }>('POST', `${hq.url}/api/v1/auth/refresh`, { refreshToken: mine.body.refreshToken });
    expect([(await me(mine.body.accessToken)).status, (await me(renewed.body.accessToken)).status]).to.deep.equal([200, 200]);
    expect((await http('POST', `${hq.url}/api/v1/auth/logout`, { refreshToken: renewed.body.refreshToken })).status).to.equal(200);
    // ...and neither after it, well before their 15 minutes are up; on any route, not only /auth/me.
    for (const token of [mine.body.accessToken, renewed.body.accessToken]) {
      const res = await me(token);
      expect([res.status, res.body.error]).to.deep.equal([401, 'token_invalid']);
      expect((await api('GET', '/api/v1/stores', undefined, token)).status).to.equal(401);
    }
    // The same person's other session is untouched.
    expect((await me(other.body.accessToken)).status).to.equal(200);
  });

  it('manages users and roles; assigning projects the user into the store database and unassigning removes it', async () => {
    expect((await api('POST', '/api/v1/stores', { code: 'S001', name: 'Centro' })).status).to.equal(201);
    const created = await api<{ id: string; hasPin: boolean }>('POST', '/api/v1/users', { username: 'Rosa', password: 'rosa-password', pin: '1357', displayName: 'Rosa M.' });
    expect(created.status).to.equal(201);
    expect(created.body.hasPin).to.equal(true);
    expect(JSON.stringify(created.body)).not.to.match(/hash/i);
    expect((await api('POST', '/api/v1/users', { username: 'rosa', password: 'another-password' })).status).to.equal(409);
    expect((await api('POST', '/api/v1/users', { username: 'x', password: 'short' })).status).to.equal(400);
    expect((await api('PUT', `/api/v1/users/${created.body.id}/store-roles`, { S001: ['role:nope'] })).status).to.equal(400);
    expect((await api('PUT', `/api/v1/users/${created.body.id}/store-roles`, { S001: ['role:cashier'] })).status).to.equal(200);
    const db = hq.couch.nano.use(hqStoreDbName('S001'));
    const doc = (await db.get(`user:${created.body.id}`)) as unknown as { permissions: string[]; pin: unknown; username: string };
    expect(doc.username).to.equal('rosa');
    expect(doc.permissions).to.include('sale.ring');
    expect(doc.permissions).not.to.include('sale.void');
    expect(doc.pin).to.be.an('object');
    // A role edit flows to the projected user.
    expect((await api('PUT', '/api/v1/roles/cashier', { permissions: ['sale.ring', 'sale.void'], discountLimitBp: 500 })).status).to.equal(200);
    expect(((await db.get(`user:${created.body.id}`)) as unknown as { permissions: string[] }).permissions).to.include('sale.void');
    expect((await api('PUT', '/api/v1/roles/cashier', { permissions: ['sale.teleport'] })).status).to.equal(400);
    // Unassigning deletes the store's copy (a tombstone that replicates to the tills).
    expect((await api('PUT', `/api/v1/users/${created.body.id}/store-roles`, {})).status).to.equal(200);
    expect(await db.get(`user:${created.body.id}`).then(() => 'present', (e: { statusCode: number }) => e.statusCode)).to.equal(404);
    // The user can sign in, change their password, and a cashier may not manage users.
    const rosa = await login('rosa', 'rosa-password');
    expect(rosa.status).to.equal(200);
    expect((await api('GET', '/api/v1/users', undefined, rosa.body.accessToken)).status).to.equal(403);
    const change = await api('POST', '/api/v1/auth/change-credential', { currentPassword: 'rosa-password', newPassword: 'rosa-password-2' }, rosa.body.accessToken);
    expect(change.status).to.equal(200);
    expect((await login('rosa', 'rosa-password')).status).to.equal(401);
    expect((await login('rosa', 'rosa-password-2')).status).to.equal(200);
    // Deactivation takes effect on the next request, even with a valid token.
    expect((await api('DELETE', `/api/v1/users/${created.body.id}`)).status).to.equal(200);
    expect((await api('GET', '/api/v1/auth/me', undefined, rosa.body.accessToken)).status).to.equal(401);
  });

  it('audits every write with who, what, when and from where', async () => {
    const entries = await api<Array<{ action: string; actor: string; from: string; at: string }>>('GET', '/api/v1/audit?limit=200');
    const actions = entries.body.map((e) => e.action);
    expect(actions).to.include.members(['store.create', 'user.create', 'user.store_roles', 'role.upsert', 'auth.change_credential', 'user.deactivate']);
    const create = entries.body.find((e) => e.action === 'store.create');
    expect(create?.actor).to.match(/^hq:/);
    expect(create?.from).to.match(/127\.0\.0\.1/);
    expect(Date.parse(create?.at ?? '')).to.be.greaterThan(0);
  });
});
