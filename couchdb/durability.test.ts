// Durable writes of the embedded server (issue #14 item 2, durable.ts): every kind of write a request can
// make — a document PUT, DELETE, `_bulk_docs`, a `_local` document, a design document — is answered only after
// an fsync round that began after it completed; concurrent writers share rounds (group commit); reads and view
// index builds take none; the measuring switch (fsync: false) really turns it off. Then the end-to-end
// property: writes acknowledged by a server in its own process, killed with SIGKILL right after the last 201,
// are all there when a server reopens the same folder.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { tempDir } from '../tests/support/testing';
import { adminToken, startEmbeddedCouch, type EmbeddedCouch } from './index';
import { durabilityStats, fsyncFromEnv, GroupCommit, mayWrite } from './durable';

const SECRET = 'durability-test-secret';
/** Signed per request, not when mocha loads the file. */
const headers = () => ({ Authorization: `Bearer ${adminToken(SECRET)}`, 'Content-Type': 'application/json' });

async function call(base: string, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(base + urlPath, { method, headers: headers(), body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

type Stats = typeof durabilityStats;
/** What the durable path did while `action` ran (the server runs in this process). */
async function during(action: () => Promise<unknown>): Promise<Stats> {
  const before = { ...durabilityStats };
  await action();
  return Object.fromEntries(Object.entries(durabilityStats).map(([k, v]) => [k, v - before[k as keyof Stats]])) as Stats;
}

/** `action`, a write request, was answered after a finished fsync round that synced a LevelDB log. */
async function expectSyncedBeforeAnswer(action: () => Promise<unknown>): Promise<void> {
  const d = await during(action);
  expect(d.writes, 'LevelDB writes').to.be.at.least(1);
  expect(d.roundsDone, 'finished fsync rounds before the answer').to.be.at.least(1);
  expect(d.logsSynced, 'log files synced').to.be.at.least(1);
}

describe('embedded CouchDB durable writes (durable.ts)', function () {
  this.timeout(60_000);
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let couch: EmbeddedCouch;
  const at = (method: string, urlPath: string, body?: unknown) => call(couch.url, method, urlPath, body);

  before(async () => {
    dir = await tempDir('caja-durable-');
    couch = await startEmbeddedCouch({ port: 0, dataDir: path.join(dir.dir, 'on'), jwtSecret: SECRET, fsync: true });
    expect((await at('PUT', '/till')).status).to.equal(201);
  });

  after(async () => {
    await couch?.close();
    await dir?.cleanup();
  });

  it('is on unless CAJA_COUCH_FSYNC is exactly "off"', () => {
    expect(fsyncFromEnv({})).to.equal(true);
    expect(fsyncFromEnv({ CAJA_COUCH_FSYNC: 'on' })).to.equal(true);
    expect(fsyncFromEnv({ CAJA_COUCH_FSYNC: '0' })).to.equal(true);
    expect(fsyncFromEnv({ CAJA_COUCH_FSYNC: 'off' })).to.equal(false);
  });

  it('waits for the fsync on requests that may write, not on reads sent as POST', () => {
    for (const [method, url] of [['PUT', '/db/doc'], ['DELETE', '/db/doc?rev=1-a'], ['POST', '/db'], ['POST', '/db/_bulk_docs'], ['PUT', '/db/_local/cp'], ['PUT', '/db'], ['POST', '/db/_index'], ['POST', '/db/_purge'], ['POST', '/db/_compact']]) {
      expect(mayWrite(method, url), `${method} ${url}`).to.equal(true);
    }
    for (const [method, url] of [['GET', '/db/doc'], ['HEAD', '/db'], ['OPTIONS', '/db'], ['POST', '/db/_revs_diff'], ['POST', '/db/_bulk_get?revs=true'], ['POST', '/db/_all_docs'], ['POST', '/db/_changes?feed=longpoll'], ['POST', '/db/_find'], ['POST', '/db/_design/d/_view/v']]) {
      expect(mayWrite(method, url), `${method} ${url}`).to.equal(false);
    }
  });

  it('answers a document PUT, a DELETE, a _bulk_docs and a new database only after their fsync', async () => {
    await expectSyncedBeforeAnswer(async () => expect((await at('PUT', '/drawer')).status).to.equal(201));
    let rev = '';
    await expectSyncedBeforeAnswer(async () => {
      const put = await at('PUT', '/till/sale-1', { total: 1250 });
      expect(put.status).to.equal(201);
      rev = String(put.body.rev);
    });
    await expectSyncedBeforeAnswer(async () => expect((await at('DELETE', `/till/sale-1?rev=${rev}`)).status).to.be.oneOf([200, 201]));
    const docs = Array.from({ length: 200 }, (_, i) => ({ _id: `bulk-${i}`, total: i }));
    const d = await during(async () => expect((await at('POST', '/till/_bulk_docs', { docs })).status).to.equal(201));
    // One LevelDB batch and one round for the whole request, not one per document.
    expect(d.roundsDone).to.be.within(1, 2);
    expect(d.writes).to.be.within(1, 3);
  });

  it('answers _local and design document writes only after their fsync', async () => {
    await expectSyncedBeforeAnswer(async () => expect((await at('PUT', '/till/_local/checkpoint', { last_seq: 7 })).status).to.equal(201));
    const ddoc = { views: { totals: { map: 'function (doc) { if (doc.total !== undefined) emit(doc._id, doc.total); }', reduce: '_sum' } } };
    await expectSyncedBeforeAnswer(async () => expect((await at('PUT', '/till/_design/report', ddoc)).status).to.equal(201));
  });

  it('syncs nothing for reads, nor for the view index a query builds (rebuilt from the documents)', async () => {
    // The first query builds the index in its own LevelDB ("-mrview-", untracked); PouchDB also notes the
    // index in the database's `_pouch_dependentDbs` _local document, synced by the next write's round.
    const build = await during(async () => {
      const view = await at('GET', '/till/_design/report/_view/totals');
      expect(view.status).to.equal(200);
      expect((view.body.rows as Array<{ value: number }>)[0]?.value).to.equal((199 * 200) / 2);
    });
    expect(build.rounds, 'fsync rounds for a view build').to.equal(0);
    expect(build.writes, 'tracked writes for a view build').to.be.at.most(2);
    const reads = await during(async () => {
      expect((await at('GET', '/till/_design/report/_view/totals?reduce=false&limit=2')).status).to.equal(200);
      expect((await at('GET', '/till/bulk-3')).status).to.equal(200);
      expect((await at('GET', '/till/_all_docs?limit=5')).status).to.equal(200);
      expect((await at('GET', '/till/_local/checkpoint')).status).to.equal(200);
      expect((await at('GET', '/till/_changes?limit=5')).status).to.equal(200);
    });
    expect(reads.writes, 'tracked writes').to.equal(0);
    expect(reads.rounds, 'fsync rounds').to.equal(0);
  });

  it('shares fsync rounds between concurrent writers (group commit)', async () => {
    const WRITERS = 32;
    const d = await during(() =>
      Promise.all(Array.from({ length: WRITERS }, async (_, w) => expect((await at('PUT', `/till/concurrent-${w}`, { w })).status).to.equal(201))),
    );
    expect(d.writes).to.be.at.least(WRITERS);
    expect(d.roundsDone).to.be.at.least(1);
    // Each round takes every write finished before it began (about 10 rounds for 32 writers here).
    expect(d.roundsDone, 'rounds for 32 concurrent PUTs').to.be.below((WRITERS * 3) / 4);
  });

  it('flush(): callers during a round share the next one; a round covers writes finished before it began', async () => {
    const commit = new GroupCommit();
    const db = commit.leveldown(path.join(dir.dir, 'raw'));
    const cb = (fn: (done: (err?: Error | null) => void) => void) => new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
    await cb((done) => db.open(done));
    try {
      const idle = await during(() => commit.flush());
      expect(idle.rounds, 'nothing written: no round').to.equal(0);
      const d = await during(async () => {
        await cb((done) => db.put('a', '1', done));
        const first = commit.flush();
        const sameRound = Array.from({ length: 5 }, () => commit.flush()); // nothing new written: the running round covers them
        await cb((done) => db.put('b', '2', done)); // finished after that round began: needs the next one
        await Promise.all([first, ...sameRound, ...Array.from({ length: 5 }, () => commit.flush())]);
      });
      expect(d.rounds, '11 flushes: the first round and one shared next round').to.equal(2);
      expect(d.roundsDone).to.equal(2);
      expect(d.logsSynced).to.be.at.least(2);
      const settled = await during(() => commit.flush());
      expect(settled.rounds, 'all synced: no further round').to.equal(0);
    } finally {
      await cb((done) => db.close(done));
    }
  });

  it('takes no fsync when started with fsync: false (the measuring switch)', async () => {
    const off = await startEmbeddedCouch({ port: 0, dataDir: path.join(dir.dir, 'off'), jwtSecret: SECRET, fsync: false });
    try {
      const d = await during(async () => {
        expect((await call(off.url, 'PUT', '/loose')).status).to.equal(201);
        expect((await call(off.url, 'PUT', '/loose/a', { v: 1 })).status).to.equal(201);
        expect((await call(off.url, 'POST', '/loose/_bulk_docs', { docs: [{ _id: 'b' }, { _id: 'c' }] })).status).to.equal(201);
      });
      expect(d.writes).to.equal(0);
      expect(d.rounds).to.equal(0);
    } finally {
      await off.close();
    }
  });

  it('keeps every write acknowledged before a SIGKILL that follows the last 201 at once', async () => {
    const killedDir = path.join(dir.dir, 'killed');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '..', 'tests', 'tools', 'serveCouch.ts'), killedDir, SECRET], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CAJA_COUCH_FSYNC: 'on' },
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const acknowledged = new Set<string>();
    const WRITERS = 8;
    const PER_WRITER = 40;
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve((JSON.parse(line) as { url: string }).url);
        });
        child.once('exit', () => reject(new Error('server process exited early')));
      });
      expect((await call(url, 'PUT', '/till')).status).to.equal(201);
      // Concurrent writers, each a stream of single-document PUTs, plus a _bulk_docs and a _local document.
      const bulk = Array.from({ length: 100 }, (_, i) => ({ _id: `bulk-${i}`, total: i }));
      expect((await call(url, 'POST', '/till/_bulk_docs', { docs: bulk })).status).to.equal(201);
      for (const d of bulk) acknowledged.add(d._id);
      expect((await call(url, 'PUT', '/till/_local/checkpoint', { last_seq: 100 })).status).to.equal(201);
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          for (let i = 0; i < PER_WRITER; i++) {
            const id = `sale-${w}-${i}`;
            const res = await call(url, 'PUT', `/till/${id}`, { total: i, writer: w });
            expect(res.status).to.equal(201);
            acknowledged.add(id);
          }
        }),
      );
      const last = await call(url, 'PUT', '/till/last', { ack: true });
      expect(last.status).to.equal(201);
      acknowledged.add('last');
    } finally {
      child.kill('SIGKILL'); // right after the last 201: nothing else runs in the server in between
      await exited;
    }
    expect(acknowledged.size).to.equal(100 + WRITERS * PER_WRITER + 1);
    const reopened = await startEmbeddedCouch({ port: 0, dataDir: killedDir, jwtSecret: SECRET });
    try {
      const all = await call(reopened.url, 'POST', '/till/_all_docs', { keys: [...acknowledged] });
      const rows = all.body.rows as Array<{ id?: string; value?: { rev: string }; error?: string }>;
      const missing = rows.filter((r) => !r.value).map((r) => r.id ?? r.error);
      expect(missing, 'acknowledged writes lost').to.deep.equal([]);
      expect((await call(reopened.url, 'GET', '/till/_local/checkpoint')).body.last_seq).to.equal(100);
    } finally {
      await reopened.close();
    }
  });
});
