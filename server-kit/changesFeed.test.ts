// A changes follower given `burst` (server-kit/changesFeed.ts) reads a replication's burst once it has landed, not
// page by page as it lands; a backlog at a standstill, or one a till keeps selling into, it reads without waiting.
import path from 'node:path';
import { expect } from 'chai';
import { startEmbeddedCouch, type EmbeddedCouch } from '../couchdb/index';
import { tempDir, TEST_SECRET, testLogger, waitFor } from '../tests/support/testing';
import { connectCouch, ensureDb, type CouchHandle } from './couch';
import { ChangesFollower, type FollowOptions } from './changesFeed';

describe('changes follower: a burst is read once it has landed', function () {
  this.timeout(90_000);
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedCouch;
  let couch: CouchHandle;

  before(async () => {
    tmp = await tempDir('caja-follower-');
    server = await startEmbeddedCouch({ port: 0, dataDir: path.join(tmp.dir, 'couch'), jwtSecret: TEST_SECRET });
    couch = connectCouch(server.url, TEST_SECRET, 'follower-test');
  });

  after(async () => {
    await server?.close();
    await tmp?.cleanup();
  });

  const docs = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ _id: `sale:S001:T1:${String(from + i).padStart(8, '0')}` }));
  const write = (db: string, list: object[]) => couch.request(`/${db}/_bulk_docs`, { method: 'POST', body: { docs: list } });

  /** A follower of `db` from its start, recording when each page was handled and how many changes it held. */
  function follow(db: string, burst?: FollowOptions['burst']) {
    const log = testLogger();
    const pages: Array<{ n: number; at: number }> = [];
    const follower = new ChangesFollower({
      couch,
      db,
      name: 'test',
      log,
      since: async () => 0,
      settleMs: 0,
      burst,
      onBatch: async (changes) => {
        pages.push({ n: changes.length, at: Date.now() });
      },
    });
    follower.start();
    return { pages, log, follower, read: () => pages.reduce((n, p) => n + p.n, 0) };
  }

  it('while batches keep landing, reads at most four pages, then all of them once they stop (one without `burst` reads them as they land)', async () => {
    const db = 'burst';
    await ensureDb(couch, db);
    const waiting = follow(db, { changes: 200, quietMs: 1000, maxWaitMs: 30_000 });
    const eager = follow(db);
    try {
      // A store catching up: 30 batches of 300, each sent as soon as the one before is answered.
      for (let b = 0; b < 30; b++) await write(db, docs(b * 300, 300));
      const landed = Date.now();
      await waitFor(async () => waiting.read() === 9000 && eager.read() === 9000, { what: 'both followers read the burst', timeoutMs: 60_000 });
      const during = (f: typeof waiting) => f.pages.filter((p) => p.at < landed).length;
      expect(during(eager), 'pages the eager follower read while the burst landed').to.be.at.least(3);
      // The long poll's answer to the first batch holds the one change that woke it, the next page the rest of it;
      // the follower waits from the first look that finds a batch landed since the one before (the third page, or
      // the fourth when the third was read before the next batch landed). 1, 299, 300 in runs on a loaded machine.
      expect(during(waiting), 'pages the waiting follower read while the burst landed').to.be.at.most(4);
      expect(waiting.log.lines.some((l) => l.event === 'feed.burst_waited')).to.equal(true);
    } finally {
      await waiting.follower.stop();
      await eager.follower.stop();
    }
  });

  it('reads a backlog at a standstill, or one a till keeps selling into, without waiting', async () => {
    const db = 'backlog';
    await ensureDb(couch, db);
    for (let b = 0; b < 5; b++) await write(db, docs(b * 1000, 1000));
    // A wait would last a minute: the test's deadline is far shorter.
    const follower = follow(db, { changes: 200, quietMs: 60_000, maxWaitMs: 60_000 });
    let selling = true;
    let sold = 0;
    const till = (async () => {
      while (selling) {
        await write(db, docs(100_000 + sold, 1));
        sold += 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await waitFor(async () => follower.read() >= 5000, { what: 'the backlog read', timeoutMs: 20_000 });
      expect(follower.pages.filter((p) => p.n >= 200).length, 'full pages read').to.be.at.least(5);
      expect(follower.log.lines.filter((l) => l.event === 'feed.burst_waited')).to.deep.equal([]);
    } finally {
      selling = false;
      await till;
      await follower.follower.stop();
    }
    expect(sold, 'sales written while the backlog was read').to.be.greaterThan(0);
  });
});
