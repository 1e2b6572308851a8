// Issue #10 at the store relay: bad input gets a 400 naming the field and writes nothing; sync errors
// recorded while HQ is down reach HQ after it returns, also across a new heartbeat sender (HQ moved) and a
// relay restart; a revoked credential, job states and first-sync progress are visible at once; the operator's
// recovery paths work (PIN unlock, re-provisioning a running relay). Real HQ and relays over loopback with
// embedded CouchDB; the last test posts random and malformed bodies to every relay write route.
// (Finding 7, pairing-code limits, is proven in store-relay/limits.test.ts.)
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import type { CouchHandle } from '../server-kit/couch';
import type { Chain, Terminal } from '../tests/support/chain';
import { startChain } from '../tests/support/chain';
import { freePort } from '../tests/support/proc';
import { http, tempDir, testConfig, testLogger, waitFor } from '../tests/support/testing';
import { terminalTokens } from '../desktop/renderer/data/terminalSync';
import { startHq } from '../hq/server';
import type { HqServer } from '../hq/server';
import { CATALOG_DB, REPORTS_DB } from '../shared/model/names';
import { generateCatalog } from '../scripts/seed';
import { RELAY_ROUTES, writeRoutes } from '../shared/api/routes';
import { businessDate } from '../shared/pos/clock';
import { startRelay } from './server';
import type { RelayServer } from './server';

type Body = { error?: string; reason?: string; field?: string; [k: string]: unknown };
type DashRow = { store: { code: string }; state: string; connected: boolean; jobs: Array<{ id: string; state: string }>; terminals: Array<{ terminalId: string; pendingUp: number | null; dbSizeBytes: number | null }> };

const run = promisify(execFile);
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'caja.js');
const caja = (...args: string[]) => run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '' } });

async function snapshot(couch: CouchHandle): Promise<string> {
  // caja-reports is derived: the roll-up job rewrites it on its own timer from caja-store's changes
  // (an earlier, accepted request), so a refused request is judged by every other database.
  const dbs = (await couch.request<string[]>('/_all_dbs')).filter((db) => db !== REPORTS_DB);
  const infos = await Promise.all(
    dbs.map(async (db) => {
      const i = await couch.request<{ doc_count: number; doc_del_count: number; update_seq: unknown }>(`/${encodeURIComponent(db)}`);
      return [db, i.doc_count, i.doc_del_count, i.update_seq];
    }),
  );
  return JSON.stringify(infos);
}

describe('relay inputs, sync errors and visible state (issue #10)', function () {
  this.timeout(240_000);
  let chain: Chain;
  let startedAt = 0;
  let terminal: Terminal;
  let managerToken = '';
  const relay = (): RelayServer => {
    const r = chain.relays.get('S001');
    if (!r) throw new Error('no relay');
    return r;
  };
  const relayDir = () => path.join(chain.dataDir, 'relay-S001');
  const dashboard = async () => (await chain.api<{ stores: DashRow[] }>('GET', '/api/v1/sync/dashboard')).body.stores;
  const row = async (code: string) => (await dashboard()).find((r) => r.store.code === code);

  before(async () => {
    startedAt = Date.now();
    // Heartbeats every 30 s (the default): anything the dashboard shows sooner was reported at once.
    chain = await startChain({ stores: ['S001'], products: 40 });
    await waitFor(async () => (await relay().couch.request<{ rows: unknown[] }>('/caja-store/_all_docs?startkey=%22user:%22&endkey=%22user:%EF%BF%B0%22')).rows.length === 2, { what: 'users at the relay', timeoutMs: 30_000 });
    terminal = await chain.pairTerminal('S001');
    const session = await http<{ token: string }>('POST', `${relay().url}/api/v1/auth/login`, { username: 'mgr.s001', pin: '9999' });
    managerToken = session.body.token;
  });
  after(async () => {
    await chain?.close();
  });

  it('#10.6 a job changing state is reported at once, not at the next 30 s heartbeat', async () => {
    let seen = '';
    await waitFor(async () => {
      const r = await row('S001');
      const status = await http<{ heartbeat: unknown }>('GET', `${relay().url}/api/v1/sync/status`);
      seen = JSON.stringify({ at: (r as { lastHeartbeatAt?: string } | undefined)?.lastHeartbeatAt, jobs: r?.jobs.map((j) => j.state), relay: relay().jobs().map((j) => j.snapshot().state), hb: status.body.heartbeat });
      return r?.jobs.length === 3 && r.jobs.every((j) => j.state === 'idle' || j.state === 'active');
    }, { what: 'jobs past "starting" on the dashboard', timeoutMs: 20_000 }).catch((err: Error) => {
      throw new Error(`${err.message} ${seen}`);
    });
    // Well inside one heartbeat interval of the relay's start.
    expect(Date.now() - startedAt).to.be.lessThan(30_000);
  });

  it('#10.8 a day close before the store existed, or in the future, is refused and writes no Z', async () => {
    const auth = { Authorization: `Bearer ${managerToken}` };
    const early = await http<Body>('POST', `${relay().url}/api/v1/day-close`, { businessDate: '1999-01-01' }, auth);
    expect([early.status, early.body.error]).to.deep.equal([400, 'before_store_opened']);
    const tomorrow = businessDate(new Date(Date.now() + 2 * 86400_000), 'America/Mexico_City');
    const future = await http<Body>('POST', `${relay().url}/api/v1/day-close`, { businessDate: tomorrow }, auth);
    expect([future.status, future.body.error]).to.deep.equal([400, 'future_business_date']);
    const notADay = await http<Body>('POST', `${relay().url}/api/v1/day-close`, { businessDate: '2025-02-30' }, auth);
    expect([notADay.status, notADay.body.field]).to.deep.equal([400, 'businessDate']);
    const zs = await relay().couch.request<{ rows: unknown[] }>('/caja-store/_all_docs?startkey=%22zreport:%22&endkey=%22zreport:%EF%BF%B0%22');
    expect(zs.rows).to.have.length(0);
  });

  it('#10.8 terminal health accepts only non-negative whole numbers, and HQ shows only those', async () => {
    const apiToken = await terminalTokens(terminal.pairing).api();
    const report = (body: unknown) => http<Body>('POST', `${relay().url}/api/v1/terminals/health`, body, { Authorization: `Bearer ${apiToken}` });
    const negative = await report({ pendingUp: -1, dbSizeBytes: 100 });
    expect([negative.status, negative.body.field]).to.deep.equal([400, 'pendingUp']);
    const big = await report({ pendingUp: 0, dbSizeBytes: 'big' });
    expect([big.status, big.body.field]).to.deep.equal([400, 'dbSizeBytes']);
    expect((await report({ pendingUp: 1.5, dbSizeBytes: null })).status).to.equal(400);
    expect((await report({ pendingUp: 3, dbSizeBytes: 4096 })).status).to.equal(200);
    // The report reaches HQ with the relay's next heartbeat: send one, and wait for the dashboard to show it.
    await relay().beat();
    const t = await waitFor(
      async () => {
        const found = (await row('S001'))?.terminals.find((x) => x.terminalId === terminal.pairing.terminalId);
        if (found?.pendingUp === 3) return found;
        await relay().beat();
        return null;
      },
      { what: "the terminal's health on HQ's dashboard", timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(t).to.include({ pendingUp: 3, dbSizeBytes: 4096 });
  });

  it('#10.4 `caja relay unlock-pin --user` lifts a PIN lockout at the relay', async () => {
    const login = (pin: string) => http<Body>('POST', `${relay().url}/api/v1/auth/login`, { username: 'cash.s001', pin });
    for (let i = 0; i < 6; i++) await login(String(7000 + i));
    expect((await login('1234')).body.error).to.equal('user_locked');
    const out = await caja('relay', 'unlock-pin', '--user', 'cash.s001', '--data-dir', relayDir());
    expect(out.stdout).to.contain('lifted');
    // The right PIN is verified again (a cashier may not manage terminals: 403, not 429).
    const after = await login('1234');
    expect([after.status, after.body.error]).to.deep.equal([403, 'permission_denied']);
    const unknown = await caja('relay', 'unlock-pin', '--user', 'nobody.here', '--data-dir', relayDir()).then(() => null, (err: { stderr: string; code: number }) => err);
    expect(unknown?.stderr).to.contain('no user "nobody.here"');
  });

  it('#10.10 GET /api/v1 and / on the relay answer with where things are', async () => {
    const index = await http<{ component: string; routes: string[] }>('GET', `${relay().url}/api/v1`);
    expect(index.status).to.equal(200);
    expect(index.body.component).to.equal('relay');
    expect(index.body.routes).to.include('POST /api/v1/day-close');
    const root = await http<{ api: string }>('GET', `${relay().url}/`, undefined, { Accept: 'application/json' });
    expect([root.status, root.body.api]).to.deep.equal([200, '/api/v1']);
    // For a browser: the terminal app, or how to build it (503) — never Express's "Cannot GET /".
    const page = await fetch(`${relay().url}/`, { headers: { Accept: 'text/html' } });
    expect(page.status).to.be.oneOf([200, 503]);
    expect(await page.text()).not.to.contain('Cannot GET');
  });

  describe('#10.5 sync errors recorded while HQ is down', () => {
    let hq: HqServer | null = null;
    let own: RelayServer | null = null;
    let relayCfg: ReturnType<typeof testConfig> | null = null;
    let hqPort = 0;
    let cleanup: (() => Promise<void>) | null = null;
    after(async () => {
      await own?.close();
      await hq?.close();
      await cleanup?.();
    });

    it('#10.5 reach HQ after it returns under a new URL, across a relay restart, each once', async () => {
      const tmp = await tempDir('caja-inputs-errors-');
      cleanup = tmp.cleanup;
      const port = await freePort();
      hqPort = port;
      const hqCfg = testConfig(path.join(tmp.dir, 'hq'), { hqPort: port });
      hq = await startHq(hqCfg, testLogger());
      await hq.couch.nano.use(CATALOG_DB).bulk({ docs: generateCatalog({ products: 20 }).docs });
      const admin = (await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' })).body.accessToken;
      const auth = { Authorization: `Bearer ${admin}` };
      expect((await http('POST', `${hq.url}/api/v1/stores`, { code: 'E001', name: 'Errores' }, auth)).status).to.equal(201);
      const token = (await http<{ token: string }>('POST', `${hq.url}/api/v1/stores/E001/provision`, {}, auth)).body.token;
      relayCfg = testConfig(path.join(tmp.dir, 'relay'), { syncToken: token, heartbeatIntervalS: 1 });
      const cfg = relayCfg;
      const log1 = testLogger();
      own = await startRelay(cfg, log1);
      const current = () => {
        if (!own) throw new Error('relay');
        return own;
      };
      await waitFor(() => current().jobs().every((j) => j.snapshot().state === 'idle') || null, { what: 'relay caught up', timeoutMs: 30_000 });
      // The first sync said how far it got.
      expect(log1.lines.some((l) => l.event === 'sync.progress')).to.equal(true);

      // HQ goes away; the relay records errors, is restarted meanwhile, and records more.
      await hq.close();
      hq = null;
      await waitFor(() => current().errors().filter((e) => e.type === 'network_timeout').length >= 2 || null, { what: 'errors while HQ is down', timeoutMs: 30_000 });
      const before = current().errors().slice();
      await current().close();
      own = await startRelay({ ...cfg, syncToken: null }, testLogger());
      await waitFor(() => current().errors().some((e) => e.type === 'network_timeout') || null, { what: 'errors after the relay restart', timeoutMs: 30_000 });
      const recorded = [...before, ...current().errors()];

      // HQ returns on the same port under another name: relays are told a new gateway URL and follow it with
      // a new heartbeat sender (the sender that once dropped the queue).
      hq = await startHq({ ...hqCfg, hqUrl: `http://localhost:${port}` }, testLogger());
      const hqNow = hq;
      const adminAgain = (await http<{ accessToken: string }>('POST', `${hqNow.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' })).body.accessToken;
      const key = (at: string, job: string, type: string) => `${at} ${job} ${type}`;
      const atHq = async () =>
        (await http<Array<{ at: string; job: string; errorType: string }>>('GET', `${hqNow.url}/api/v1/sync/errors?store=E001&limit=1000`, undefined, { Authorization: `Bearer ${adminAgain}` })).body.map((e) => key(e.at, e.job, e.errorType));
      await waitFor(async () => {
        const kept = new Set(await atHq());
        return recorded.every((e) => kept.has(key(e.at, e.job, e.type)));
      }, { what: `the ${recorded.length} errors recorded while HQ was down, at HQ`, timeoutMs: 60_000 });
      await waitFor(() => current().state().identity?.couchdb.url === `http://localhost:${port}/couch` || null, { what: 'relay following the new gateway URL' });
      // Each error is kept once, however often it was sent before HQ acknowledged it.
      await current().beat();
      const kept = await atHq();
      expect(kept.length).to.equal(new Set(kept).size);
    });

    it('#10.10 a restart does not log network timeouts for an old HQ address', async () => {
      if (!own || !relayCfg) throw new Error('the previous test left no relay');
      await own.close();
      own = null;
      // An identity saved by an older version names HQ's CouchDB at an address nothing listens on any more.
      const file = path.join(relayCfg.dataDir, 'relay-identity.json');
      const identity = JSON.parse(await readFile(file, 'utf8')) as { couchdb: { url: string } };
      identity.couchdb.url = `http://127.0.0.1:${await freePort()}/couch`;
      await writeFile(file, JSON.stringify(identity));
      const log = testLogger();
      own = await startRelay({ ...relayCfg, syncToken: null }, log);
      const r = own;
      await waitFor(() => r.jobs().every((j) => j.snapshot().state === 'idle') || null, { what: 'relay caught up after restart', timeoutMs: 30_000 });
      expect(r.state().identity?.couchdb.url).to.equal(`http://localhost:${hqPort}/couch`);
      expect(log.lines.filter((l) => l.event === 'sync.error')).to.deep.equal([]);
      expect(log.lines.some((l) => l.event === 'relay.hq_couchdb_url_updated' && l.level === 'info')).to.equal(true);
    });
  });

  it('#10.6 after a revoke the relay says its credential is refused, and `caja relay provision` brings it back', async () => {
    expect((await chain.api('POST', '/api/v1/stores/S001/revoke', {})).status).to.equal(200);
    const health = () => http<{ status: string; problems?: string[]; hq: { credential: string } | null }>('GET', `${relay().url}/api/v1/health`);
    await relay().beat();
    await waitFor(async () => (await health()).body.hq?.credential === 'refused' || null, { what: 'health saying the credential is refused' });
    const refused = await health();
    expect([refused.status, refused.body.status, refused.body.problems]).to.deep.equal([200, 'degraded', ['hq_credential_refused']]);
    const dash = await row('S001');
    expect(dash).to.include({ state: 'revoked', connected: false });

    // The operator re-provisions the running relay from its machine (setup code read from its data folder).
    const token = (await chain.api<{ token: string }>('POST', '/api/v1/stores/S001/provision', {})).body.token;
    const out = await caja('relay', 'provision', '--token', token, '--data-dir', relayDir());
    expect(out.stdout).to.contain('provisioned for store S001');
    await relay().beat();
    await waitFor(async () => (await health()).body.hq?.credential === 'ok' || null, { what: 'health ok after re-provisioning' });
    await waitFor(async () => (await row('S001'))?.state === 'connected' || null, { what: 'dashboard connected again' });
  });

  it('refuses a token for an id that is no terminal id (`/`, `..`, `T1/x`, `__proto__`) as for an unpaired terminal: 401, never 500', async () => {
    for (const terminalId of ['/', '..', 'T1/x', '__proto__', '%2F']) {
      const res = await http<{ error: string }>('POST', `${relay().url}/api/v1/terminals/token`, { terminalId, secret: '__proto__' });
      expect([res.status, res.body.error], terminalId).to.deep.equal([401, 'terminal_credential_invalid']);
    }
  });

  it('answers random and malformed bodies to every relay write route with 2xx or 4xx {error, reason}, and a refused request leaves no document behind', async () => {
    const apiToken = await terminalTokens(terminal.pairing).api();
    const manager = (await http<{ token: string }>('POST', `${relay().url}/api/v1/auth/login`, { username: 'mgr.s001', pin: '9999' })).body.token;
    const weird = fc.oneof(
      fc.jsonValue(),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('', '\u0000', 'x'.repeat(5000), '__proto__', '123456', '999999', '2025-02-30', '1999-01-01', 1e15, -1, 0.5, null, true, [], {}),
    );
    const around = (valid: Record<string, unknown>) =>
      fc
        .tuple(
          fc.record(Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, fc.oneof({ weight: 3, arbitrary: fc.constant(v) }, { weight: 2, arbitrary: weird })])), { requiredKeys: [] }),
          fc.option(fc.dictionary(fc.string({ maxLength: 8 }), weird, { maxKeys: 2 }), { freq: 4 }),
        )
        .map(([body, extra]) => ({ ...body, ...(extra ?? {}) }));
    const bodies = (valid: Record<string, unknown>) => fc.oneof({ weight: 4, arbitrary: around(valid) }, { weight: 1, arbitrary: fc.jsonValue() });
    const bearer = (t: string): fc.Arbitrary<Record<string, string>> => fc.constantFrom<Record<string, string>>({ Authorization: `Bearer ${t}` }, {}, { Authorization: 'Bearer nope' });
    type Case = { path: string; body: unknown; raw?: string; headers?: Record<string, string> };
    const routes: Record<string, fc.Arbitrary<Case>> = {
      'POST /api/v1/provision': bodies({ token: 'caja1.bm90LWEtdG9rZW4', setupCode: 'AAAA-BBBB-CCCC-DDDD', changeHq: false }).map((body) => ({ path: '/api/v1/provision', body })),
      // Wrong PINs for a user of its own: the store's manager stays usable for the rest of the fuzz.
      'POST /api/v1/auth/login': bodies({ username: 'fuzz.nobody', pin: '0000' }).map((body) => ({ path: '/api/v1/auth/login', body })),
      'POST /api/v1/terminals/pairing-code': fc.tuple(bodies({ username: 'fuzz.nobody', pin: '0000' }), bearer(manager)).map(([body, headers]) => ({ path: '/api/v1/terminals/pairing-code', body, headers })),
      'POST /api/v1/terminals/pair': bodies({ code: '123456', username: 'fuzz.nobody', pin: '0000', name: 'Fuzz till' }).map((body) => ({ path: '/api/v1/terminals/pair', body })),
      'POST /api/v1/terminals/token': bodies({ terminalId: terminal.pairing.terminalId, secret: 'not-the-secret' }).map((body) => ({ path: '/api/v1/terminals/token', body })),
      'POST /api/v1/terminals/health': fc.tuple(bodies({ pendingUp: 1, dbSizeBytes: 2048 }), bearer(apiToken)).map(([body, headers]) => ({ path: '/api/v1/terminals/health', body, headers })),
      'DELETE /api/v1/terminals/:id': fc.tuple(fc.oneof(fc.constantFrom('T99', 'T0', '%2F', '..'), fc.string({ minLength: 1, maxLength: 8 })), bearer(manager)).map(([id, headers]) => ({ path: `/api/v1/terminals/${id.startsWith('%') || id === '..' ? id : encodeURIComponent(id)}`, body: undefined, headers })),
      'POST /api/v1/day-close': fc.tuple(bodies({ businessDate: '1999-01-01', counts: { 'shift:S001:T1:1': { '10000': 1 } } }), bearer(manager)).map(([body, headers]) => ({ path: '/api/v1/day-close', body, headers })),
    };
    expect(Object.keys(routes).sort()).to.deep.equal(writeRoutes(RELAY_ROUTES).map((r) => `${r.method} ${r.path}`).sort());

    const malformed = fc.constantFrom('{', '{"a":', 'null', '"text"', '42', '[1,2', '[]');
    const statuses: Record<string, number> = {};
    let requests = 0;
    for (const [name, arb] of Object.entries(routes)) {
      const method = name.split(' ')[0] as string;
      const cases = fc.oneof({ weight: 5, arbitrary: arb }, { weight: 1, arbitrary: fc.tuple(arb, malformed).map(([c, raw]) => ({ ...c, raw })) });
      await fc.assert(
        fc.asyncProperty(cases, async (c) => {
          const before = await snapshot(relay().couch);
          const res = await fetch(relay().url + c.path, {
            method,
            headers: { 'Content-Type': 'application/json', ...c.headers },
            ...(c.raw !== undefined ? { body: c.raw } : c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
          });
          const text = await res.text();
          requests++;
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          const what = `${name} ${JSON.stringify(c).slice(0, 300)} -> ${res.status} ${text.slice(0, 300)}`;
          expect(res.status < 300 || (res.status >= 400 && res.status < 500), what).to.equal(true);
          if (res.status >= 400) {
            const body = JSON.parse(text) as Body;
            expect(body.error, what).to.be.a('string');
            expect(body.reason, what).to.be.a('string');
            expect(await snapshot(relay().couch), `${what}: a refused request changed a database`).to.equal(before);
          }
        }),
        { numRuns: 40 },
      );
    }
    console.log(`      ${requests} requests to ${Object.keys(routes).length} relay write routes: ${JSON.stringify(statuses)}`);
  });
});
