// Issue #3 (CLI): `caja store create|token|revoke` and `caja admin create-user` work through the HQ API.
// Issue #10 (CLI and operator): flags are checked before anything is written, the operator's recovery paths
// (first start, reset-password, couch-url) work on the machine, and the papercuts are gone (usage, unreachable
// HQ, trailing slash, unknown verbs, log format, benchmark pass/fail).
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../tests/support/proc';
import { http, tempDir, testConfig, testLogger, waitFor } from '../tests/support/testing';
import { createLogger, logFormatFor, prettyLine } from '../server-kit/log';
import { startHq } from '../hq/server';
import type { HqServer } from '../hq/server';
import { decodeSyncToken } from '../shared/sync/syncToken';
import type { BenchLine } from './bench/index';
import { meetsTarget, registerSuite, runBench, sizedMetric } from './bench/index';

const run = promisify(execFile);
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'caja.js');

type Ran = { stdout: string; stderr: string; code: number };
/** Runs the CLI to its end and returns its output and exit code (never throws on a non-zero exit). */
const cli = (args: string[], env: Record<string, string> = {}): Promise<Ran> =>
  run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
    (r) => ({ ...r, code: 0 }),
    (err: { stdout: string; stderr: string; code: number }) => ({ stdout: err.stdout, stderr: err.stderr, code: err.code }),
  );

/** `caja hq` as an operator runs it: a child process, its stdout collected as it comes. */
function caja_hq(env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, 'hq'], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('caja admin and store verbs (issue #3)', function () {
  this.timeout(60_000);
  let hq: HqServer;
  let cleanup: () => Promise<void>;
  const caja = (...args: string[]) =>
    run(process.execPath, [CLI, ...args, '--hq', hq.url, '--password', 'admin-password-1'], { env: { PATH: process.env.PATH ?? '' } });

  before(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    hq = await startHq(testConfig(tmp.dir), testLogger());
  });
  after(async () => {
    await hq?.close();
    await cleanup?.();
  });

  it('creates a store, prints a sync token once, creates a user assigned to it, and revokes the store', async () => {
    expect((await caja('store', 'create', '--code', 's009', '--name', 'Caja Nueve')).stdout).to.contain('store S009 created (pending)');
    const token = (await caja('store', 'token', '--code', 'S009')).stdout.trim();
    expect(decodeSyncToken(token)).to.include({ store: 'S009', hq: hq.url });
    const created = JSON.parse((await caja('admin', 'create-user', '--new-username', 'luz', '--new-password', 'luz-password-1', '--pin', '2468', '--store', 'S009', '--store-role', 'role:cashier')).stdout) as { id: string };
    const userDoc = await hq.couch.nano.use('caja-store-s009').get(`user:${created.id}`);
    expect(userDoc).to.include({ username: 'luz', storeId: 'S009' });
    expect(JSON.stringify(userDoc)).not.to.contain('passwordHash');
    expect((await caja('store', 'revoke', '--code', 'S009')).stdout).to.contain('suspended');
    const redeem = await http<{ error: string }>('POST', `${hq.url}/api/v1/sync/provision`, { token });
    expect(redeem.body.error).to.equal('token_revoked');
    const failed = await caja('store', 'create', '--code', 'S009', '--name', 'again').then(() => null, (err: { stderr: string }) => err);
    expect(failed?.stderr).to.match(/already exists/);
  });
});

describe('caja CLI and operator recovery (issue #10)', function () {
  this.timeout(180_000);
  let hq: HqServer;
  let dataDir = '';
  let cleanup: () => Promise<void>;
  const common = () => ['--hq', hq.url, '--password', 'admin-password-1'];

  before(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    dataDir = tmp.dir;
    hq = await startHq(testConfig(tmp.dir), testLogger());
    const admin = (await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' })).body.accessToken;
    expect((await http('POST', `${hq.url}/api/v1/stores`, { code: 'S010', name: 'Diez' }, { Authorization: `Bearer ${admin}` })).status).to.equal(201);
  });
  after(async () => {
    await hq?.close();
    await cleanup?.();
  });

  it('#10.1 `caja admin create-user` with an unknown --store or --store-role creates nobody, and the rerun works', async () => {
    const base = ['admin', 'create-user', '--new-username', 'mia', '--new-password', 'mia-password-1', '--pin', '1357'];
    const unknownStore = await cli([...base, '--store', 'S404', '--store-role', 'role:cashier', ...common()]);
    expect(unknownStore.code).to.equal(1);
    expect(unknownStore.stderr).to.match(/Unknown store S404/);
    const unknownRole = await cli([...base, '--store', 'S010', '--store-role', 'role:nope', ...common()]);
    expect(unknownRole.code).to.equal(1);
    expect(unknownRole.stderr).to.match(/role/i);
    // Caught before any request: the flag is named.
    const badPin = await cli([...base.slice(0, -1), '12ab', ...common()]);
    expect([badPin.code, badPin.stderr]).to.satisfy(([code, err]: [number, string]) => code === 2 && err.includes('--pin'));
    const ok = await cli([...base, '--store', 'S010', '--store-role', 'role:cashier', ...common()]);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(JSON.parse(ok.stdout)).to.include({ username: 'mia' });
  });

  it('#10.4 `caja hq` on a busy port creates no admin; the next start prints the password; reset-password works with HQ stopped', async () => {
    const tmp = await tempDir('caja-cli-first-');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const busyPort = (busy.address() as { port: number }).port;
    try {
      const env = { DATA_DIR: tmp.dir, HQ_PORT: String(busyPort), PUBLIC_HOST: 'localhost' };
      const failed = caja_hq(env);
      expect(await failed.exited).to.equal(1);
      expect(failed.err()).to.contain('EADDRINUSE');
      expect(failed.out()).not.to.contain('password');
      busy.close();

      const port = await freePort();
      const started = caja_hq({ ...env, HQ_PORT: String(port) });
      await waitFor(() => /HQ API/.test(started.out()) || null, { what: 'caja hq banner', timeoutMs: 60_000 });
      const password = /password (\S+) \(shown once/.exec(started.out())?.[1];
      expect(password, started.out()).to.be.a('string');
      // #10.9: the printed URL names the host the operator configured, not the bind address.
      expect(started.out()).to.contain(`HQ API  http://localhost:${port}/api/v1`);
      expect((await http('POST', `http://127.0.0.1:${port}/api/v1/auth/login`, { username: 'admin', password })).status).to.equal(200);
      started.child.kill('SIGTERM');
      expect(await started.exited).to.equal(0);

      // Locked out with HQ stopped: the operator sets a password on the machine.
      const reset = await cli(['admin', 'reset-password', '--new-password', 'operator-chosen-1', '--data-dir', tmp.dir]);
      expect(reset.code, reset.stderr).to.equal(0);
      const again = await startHq(testConfig(tmp.dir, { hqAdminPassword: null }), testLogger());
      try {
        const login = await http<{ mustChangePassword: boolean }>('POST', `${again.url}/api/v1/auth/login`, { username: 'admin', password: 'operator-chosen-1' });
        expect([login.status, login.body.mustChangePassword]).to.deep.equal([200, true]);
      } finally {
        await again.close();
      }
    } finally {
      busy.close();
      await tmp.cleanup();
    }
  });

  it('#10.4 `caja admin reset-password` on a running HQ prints a new password that works at once', async () => {
    const admin = (await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' })).body.accessToken;
    expect((await http('POST', `${hq.url}/api/v1/users`, { username: 'locked.out', password: 'forgotten-password' }, { Authorization: `Bearer ${admin}` })).status).to.equal(201);
    for (let i = 0; i < 11; i++) await http('POST', `${hq.url}/api/v1/auth/login`, { username: 'locked.out', password: `guess-${i}` });
    const reset = await cli(['admin', 'reset-password', '--user', 'locked.out', '--data-dir', dataDir]);
    expect(reset.code, reset.stderr).to.equal(0);
    const password = /reset to: (\S+)/.exec(reset.stdout)?.[1] ?? '';
    // Failed sign-ins of the user were cleared along with it.
    expect((await http('POST', `${hq.url}/api/v1/auth/login`, { username: 'locked.out', password })).status).to.equal(200);
  });

  it('#10.10 `caja couch-url` prints the embedded CouchDB and an admin token that opens it', async () => {
    const res = await cli(['couch-url', '--data-dir', dataDir]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout.trim()).to.equal(hq.couch.url);
    const token = /Bearer ([^"]+)"/.exec(res.stderr)?.[1] ?? '';
    const dbs = await http<string[]>('GET', `${hq.couch.url}/_all_dbs`, undefined, { Authorization: `Bearer ${token}` });
    expect(dbs.body).to.include('caja-hq');
  });

  it('#10.10 usage is right, unknown verbs say so, a trailing slash works, and an unreachable HQ is named', async () => {
    const usage = await cli(['admin', 'help']);
    expect(usage.stdout).to.contain('create-user --new-username U');
    const frob = await cli(['store', 'frobnicate', ...common()]);
    expect(frob.code).to.equal(2);
    expect(frob.stderr).to.contain('unknown verb "frobnicate"');
    const relayFrob = await cli(['relay', 'frobnicate']);
    expect([relayFrob.code, relayFrob.stderr.includes('unknown verb "frobnicate"')]).to.deep.equal([2, true]);
    const slash = await cli(['store', 'list', '--hq', `${hq.url}/`, '--password', 'admin-password-1']);
    expect(slash.code, slash.stderr).to.equal(0);
    expect(slash.stdout).to.contain('S010');
    const dead = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await cli(['store', 'list', '--hq', dead, '--password', 'admin-password-1']);
    expect(unreachable.code).to.equal(1);
    expect(unreachable.stderr).to.contain(`HQ at ${dead} did not answer`);
    const noCode = await cli(['store', 'token', ...common()]);
    expect([noCode.code, noCode.stderr.includes('give --code')]).to.deep.equal([2, true]);
  });

  it('#10.10 logs are human-readable on a terminal and JSON lines otherwise (LOG_FORMAT decides when set)', () => {
    expect(logFormatFor({}, true)).to.equal('pretty');
    expect(logFormatFor({}, false)).to.equal('json');
    expect(logFormatFor({ LOG_FORMAT: 'json' }, true)).to.equal('json');
    expect(logFormatFor({ LOG_FORMAT: 'pretty' }, false)).to.equal('pretty');
    expect(() => logFormatFor({ LOG_FORMAT: 'xml' }, false)).to.throw(/LOG_FORMAT/);
    const lines: string[] = [];
    createLogger('relay', 'info', (l) => lines.push(l), 'pretty').child('S001').warn('sync.error', { job: 'catalog-down', message: 'fetch failed' });
    expect(lines[0]).to.match(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}relay\.S001 sync\.error job=catalog-down message="fetch failed"$/);
    expect(prettyLine({ time: new Date().toISOString(), level: 'info', component: 'hq', event: 'x', n: 3 })).to.match(/INFO {2}hq x n=3$/);
    const json: string[] = [];
    createLogger('hq', 'info', (l) => json.push(l)).info('hq.listening', { url: 'http://x' });
    expect(JSON.parse(json[0] ?? '{}')).to.include({ level: 'info', component: 'hq', event: 'hq.listening' });
  });

  it('#10.10 benchmark lines carry met: true|false, a missed target exits 1, and --quick names its metric for its size', async () => {
    expect([meetsTarget(29, '<= 30'), meetsTarget(31, '<= 30'), meetsTarget(0, '0'), meetsTarget(1, '0'), meetsTarget(NaN, '<= 1')]).to.deep.equal([true, false, true, false, false]);
    expect(sizedMetric('catalog_{size}_to_terminal_s', 100_000)).to.equal('catalog_100k_to_terminal_s');
    expect(sizedMetric('catalog_{size}_to_terminal_s', 2_000)).to.equal('catalog_2k_to_terminal_s');
    const lines: BenchLine[] = [
      { metric: 'fast_ms', value: 5, unit: 'ms', baseline: null, target: '<= 10' },
      { metric: 'slow_ms', value: 50, unit: 'ms', baseline: null, target: '<= 10' },
    ];
    registerSuite('test-fake', async () => async (emit) => lines.forEach(emit));
    const printed: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (line: string) => printed.push(line);
    console.error = () => undefined;
    let code: number;
    try {
      code = await runBench(['test-fake', '--json']);
    } finally {
      console.log = log;
      console.error = error;
    }
    expect(code).to.equal(1);
    expect(printed.map((l) => JSON.parse(l) as { metric: string; met: boolean })).to.deep.equal([
      { ...lines[0], met: true },
      { ...lines[1], met: false },
    ]);
  });
});
