// The roll-up job over a store database that is behind (a store back online after days, a relay restarted):
// its feed holds the days back while it reads on, so each day is recomputed once for the whole backlog, with the
// same figures as the raw documents, and the feed's position is saved only once they are written.
import { expect } from 'chai';
import { startEmbeddedCouch, type EmbeddedCouch } from '../couchdb';
import { deployDesignDocs } from '../design-docs/deploy';
import { sale } from '../scripts/seed/documents';
import { RELAY_STORE_DB, REPORTS_DB } from '../shared/model/names';
import { rollupId } from '../shared/reports/rollup';
import { sameSections } from '../shared/reports/sections';
import { memoryRollups, rawOf } from '../tests/support/reportMemory';
import { tempDir, TEST_SECRET, testLogger, waitFor } from '../tests/support/testing';
import { connectCouch, ensureDb, type CouchHandle } from './couch';
import { rollupFeedCheckpointId, RollupJob } from './rollupJob';

const STORE = 'S001';
const DAYS = ['2024-05-01', '2024-05-02', '2024-05-03'];

/** Store days recomputed so far: each pass logs how many. */
const recomputedDays = (log: ReturnType<typeof testLogger>) => log.lines.filter((l) => l.event === 'rollups.written').reduce((n, l) => n + Number(l.days), 0);

describe('roll-up job: a feed behind holds its days back', function () {
  this.timeout(60_000);
  let embedded: EmbeddedCouch;
  let couch: CouchHandle;
  let cleanup: () => Promise<void>;

  before(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    embedded = await startEmbeddedCouch({ port: 0, dataDir: tmp.dir, jwtSecret: TEST_SECRET });
    couch = connectCouch(embedded.url, TEST_SECRET, 'rollup-test');
    for (const db of [RELAY_STORE_DB, REPORTS_DB]) await ensureDb(couch, db);
    await deployDesignDocs(couch.url, RELAY_STORE_DB, 'relay-store', couch.authHeader);
  });

  after(async () => {
    await embedded.close();
    await cleanup();
  });

  /** Each day's roll-up in the reports database has the figures the raw documents give. */
  async function expectRawFigures(docs: readonly object[]): Promise<void> {
    const expected = memoryRollups(rawOf({ docs, timeZones: { [STORE]: 'UTC' }, catalog: { products: [], departments: [], taxRates: [], salesReps: [] } }));
    for (const day of DAYS) {
      const id = rollupId(STORE, day);
      const stored = await couch.request<{ s: Parameters<typeof sameSections>[0] }>(`/${REPORTS_DB}/${encodeURIComponent(id)}`);
      expect(sameSections(stored.s, expected.get(id)?.s ?? {}), `${day} as the raw documents give it`).to.equal(true);
    }
  }

  it('2,400 sales over three days, every page touching each day: no document read until the backlog is read, then each day recomputed once, as the raw documents give it', async () => {
    // Three days interleaved, so each page of the feed (1,000 changes) has sales of every day: a job recomputing
    // per page would recompute each day three times.
    const docs = firstDocs;
    for (let i = 0; i < docs.length; i += 800) await couch.request(`/${RELAY_STORE_DB}/_bulk_docs`, { method: 'POST', body: { docs: docs.slice(i, i + 800) } });
    const { update_seq: loaded } = await couch.request<{ update_seq: string | number }>(`/${RELAY_STORE_DB}`);

    // What the job asks of the store database, in order: its feed's pages, and reads of its documents.
    const asked: Array<'page' | 'read'> = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes(`/${RELAY_STORE_DB}/_changes`)) asked.push('page');
      if (url.includes(`/${RELAY_STORE_DB}/_all_docs?include_docs=true`)) asked.push('read');
      return realFetch(input, init);
    });
    const log = testLogger();
    const job = new RollupJob({ couch, log, catalogDb: RELAY_STORE_DB, chain: false, debounceMs: 0 });
    job.follow({ storeId: STORE, db: RELAY_STORE_DB, timeZone: () => 'UTC' });
    try {
      const position = () => couch.request<{ seq: string | number }>(`/${REPORTS_DB}/${rollupFeedCheckpointId(RELAY_STORE_DB)}`).then((d) => String(d.seq), () => null);
      await waitFor(async () => (await position()) === String(loaded), { what: 'the feed position saved at the end of the backlog', timeoutMs: 30_000 });
      // Three pages hold the backlog (1,000, 1,000, 400); the first read comes only after the feed asked past them.
      expect(asked.indexOf('read'), `first document read, in ${asked.join(' ')}`).to.be.greaterThan(3);
      const recomputed = recomputedDays(log);
      expect(recomputed, 'store days recomputed').to.equal(DAYS.length);
      expect(job.written, 'store days written').to.equal(DAYS.length);

      await expectRawFigures(docs);
    } finally {
      globalThis.fetch = realFetch;
      await job.stop();
    }
  });

  it('a burst of replicated pages (a store catching up) while the job follows: the days recomputed once it ends, not once a page', async () => {
    const log = testLogger();
    const job = new RollupJob({ couch, log, catalogDb: RELAY_STORE_DB, chain: false, debounceMs: 0 });
    job.follow({ storeId: STORE, db: RELAY_STORE_DB, timeZone: () => 'UTC' });
    try {
      const before = await couch.request<{ update_seq: string | number }>(`/${RELAY_STORE_DB}`);
      const position = () => couch.request<{ seq: string | number }>(`/${REPORTS_DB}/${rollupFeedCheckpointId(RELAY_STORE_DB)}`).then((d) => String(d.seq), () => null);
      await waitFor(async () => (await position()) === String(before.update_seq), { what: 'the job caught up with the first test', timeoutMs: 30_000 });
      const start = recomputedDays(log);
      // Six pages of 400 sales, each over the three days, one after another as a replication writes them.
      const docs = Array.from({ length: 2400 }, (_, i) => ({ ...sale(10_000 + i, STORE, 'T2'), businessDate: DAYS[i % DAYS.length] as string }));
      for (let i = 0; i < docs.length; i += 400) await couch.request(`/${RELAY_STORE_DB}/_bulk_docs`, { method: 'POST', body: { docs: docs.slice(i, i + 400) } });
      const { update_seq: loaded } = await couch.request<{ update_seq: string | number }>(`/${RELAY_STORE_DB}`);
      await waitFor(async () => (await position()) === String(loaded), { what: 'the position saved after the burst', timeoutMs: 30_000 });
      // Once per page would be 18; a pause of a second mid-burst (a loaded machine) may split it in two.
      expect(recomputedDays(log) - start, 'store days recomputed for the burst').to.be.within(DAYS.length, 2 * DAYS.length);
      await expectRawFigures([...firstDocs, ...docs]);
    } finally {
      await job.stop();
    }
  });
});

/** The sales of the first test, which the second's days hold too. */
const firstDocs = Array.from({ length: 2400 }, (_, i) => ({ ...sale(i + 1, STORE, 'T1'), businessDate: DAYS[i % DAYS.length] as string }));
