// Issue #2: killing `caja hq` with SIGKILL during a 10k-document bulk load loses no acknowledged write.
// HQ runs as a real child process with its embedded CouchDB; the load goes to that CouchDB over HTTP.
import { expect } from 'chai';
import path from 'node:path';
import { signCouchToken } from '../server-kit/couch';
import { CajaProcess, freePort } from '../tests/support/proc';
import { tempDir, TEST_SECRET } from '../tests/support/testing';

describe('durability of caja hq (issue #2)', function () {
  this.timeout(120_000);
  let dir: { dir: string; cleanup: () => Promise<void> };
  let hq: CajaProcess;
  let couchUrl = '';

  before(async () => {
    dir = await tempDir('caja-durability-');
    const [hqPort, couchPort] = [await freePort(), await freePort()];
    couchUrl = `http://127.0.0.1:${couchPort}`;
    hq = new CajaProcess({
      command: 'hq',
      name: 'hq',
      url: `http://127.0.0.1:${hqPort}`,
      logFile: path.join(dir.dir, 'hq.log'),
      env: { HQ_PORT: String(hqPort), COUCHDB_PORT: String(couchPort), DATA_DIR: dir.dir, COUCHDB_JWT_SECRET: TEST_SECRET, HQ_ADMIN_PASSWORD: 'admin-password-1', LOG_LEVEL: 'warn' },
    });
    await hq.start();
  });

  after(async () => {
    await hq?.dispose();
    await dir?.cleanup();
  });

  it('keeps every acknowledged document of a bulk load cut short by SIGKILL', async () => {
    const auth = { Authorization: `Bearer ${signCouchToken(TEST_SECRET, 'test', ['_admin'], 600)}`, 'Content-Type': 'application/json' };
    expect((await fetch(`${couchUrl}/loadtest`, { method: 'PUT', headers: auth })).status).to.equal(201);
    const acknowledged: string[] = [];
    let killed = false;
    const TOTAL = 10_000;
    const BATCH = 100;
    for (let start = 0; start < TOTAL; start += BATCH) {
      const docs = Array.from({ length: BATCH }, (_, i) => ({ _id: `doc:${String(start + i).padStart(6, '0')}`, n: start + i, payload: 'x'.repeat(200) }));
      // Kill while a batch is in flight, once a good part of the load is acknowledged.
      const inFlight = fetch(`${couchUrl}/loadtest/_bulk_docs`, { method: 'POST', headers: auth, body: JSON.stringify({ docs }) }).catch(() => null);
      if (start === 4_000) {
        await hq.kill('SIGKILL');
        killed = true;
      }
      const res = await inFlight;
      if (!res || !res.ok) break;
      const rows = (await res.json().catch(() => [])) as Array<{ id: string; ok?: boolean }>;
      for (const r of rows) if (r.ok) acknowledged.push(r.id);
      if (killed) break;
    }
    expect(killed).to.equal(true);
    expect(acknowledged.length).to.be.at.least(4_000);
    await hq.start();
    const health = (await (await fetch(`${hq.opts.url}/api/v1/health`)).json()) as { status: string; version: string; couchdb: { ok: boolean } };
    expect(health).to.deep.include({ status: 'ok' });
    expect(health.couchdb.ok).to.equal(true);
    expect(health.version).to.match(/^\d+\.\d+\.\d+/);
    const res = await fetch(`${couchUrl}/loadtest/_all_docs`, { headers: auth });
    const body = (await res.json()) as { rows: Array<{ id: string }> };
    const present = new Set(body.rows.map((r) => r.id));
    const lost = acknowledged.filter((id) => !present.has(id));
    expect(lost, `lost ${lost.length} acknowledged writes`).to.deep.equal([]);
    // Whatever survived is whole (a torn write would fail to parse or miss its fields).
    const sample = (await (await fetch(`${couchUrl}/loadtest/${encodeURIComponent(acknowledged.at(-1) ?? '')}`, { headers: auth })).json()) as { payload: string };
    expect(sample.payload).to.have.length(200);
  });
});
