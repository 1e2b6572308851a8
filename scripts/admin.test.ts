// Issue #3 (CLI): `caja store create|token|revoke` and `caja admin create-user` work through the HQ API.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { http, tempDir, testConfig, testLogger } from '../common/testing';
import { startHq } from '../hq/server';
import type { HqServer } from '../hq/server';
import { decodeSyncToken } from '../shared/sync/syncToken';

const run = promisify(execFile);
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'caja.js');

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
