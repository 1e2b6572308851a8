// HQ's feed jobs (hq/jobs/feed.ts): the jobs of a store database share one follower, so a catch-up's sales are
// passed over once, not once per job. Each job still gets exactly its own documents and keeps its own position, and
// a restart starts the shared follower from the earliest position (a job ahead of it sees again what it had seen:
// its onMatch is idempotent).
import path from 'node:path';
import { expect } from 'chai';
import { startEmbeddedCouch, type EmbeddedCouch } from '../couchdb/index';
import { connectCouch, ensureDb } from '../server-kit/couch';
import type { CouchHandle } from '../server-kit/couch';
import { getDoc } from '../server-kit/docs';
import { feedCheckpointId, HQ_DB, hqStoreDbName } from '../shared/model/names';
import { tempDir, TEST_SECRET, testLogger, waitFor } from '../tests/support/testing';
import { StoreFeeds, type FeedJob } from './jobs/feed';

describe('HQ feed jobs: one follower per store database for all of them', function () {
  this.timeout(60_000);
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedCouch;
  let couch: CouchHandle;
  const db = hqStoreDbName('S001');
  const seen: Record<string, string[]> = { transfers: [], customers: [] };
  const job = (name: keyof typeof seen, type: string): FeedJob => ({
    name,
    types: [type],
    async onMatch(doc) {
      seen[name]!.push(String(doc._id));
    },
  });
  const position = async (name: string) => (await getDoc<{ _id: string; seq: number }>(couch, HQ_DB, feedCheckpointId(name, db)))?.seq ?? 0;
  const write = (docs: object[]) => couch.request(`/${db}/_bulk_docs`, { method: 'POST', body: { docs } });

  before(async () => {
    tmp = await tempDir('caja-hq-feeds-');
    server = await startEmbeddedCouch({ port: 0, dataDir: path.join(tmp.dir, 'couch'), jwtSecret: TEST_SECRET });
    couch = connectCouch(server.url, TEST_SECRET, 'caja-hq');
    await ensureDb(couch, HQ_DB);
    await ensureDb(couch, db);
  });

  after(async () => {
    await server?.close();
    await tmp?.cleanup();
  });

  it('hands each job its own documents from one feed, saves each position, and restarts from the earliest', async () => {
    const jobs = [job('transfers', 'transfer'), job('customers', 'customer')];
    const feeds = new StoreFeeds(couch, jobs, testLogger());
    const sinces: string[] = [];
    const fetch0 = globalThis.fetch;
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const url = new URL(String(input));
      if (url.pathname === `/${db}/_changes`) sinces.push(url.searchParams.get('since') ?? '');
      return fetch0(input, init);
    });
    try {
      feeds.ensure(['S001']);
      feeds.ensure(['S001']); // idempotent
      await write([
        ...Array.from({ length: 50 }, (_, i) => ({ _id: `sale:S001:T1:${String(i).padStart(8, '0')}` })),
        { _id: 'transfer:S001:a1' },
        { _id: 'customer:c1' },
        { _id: 'transfer:S001:a2' },
      ]);
      await waitFor(() => seen.transfers!.length === 2 && seen.customers!.length === 1, { what: 'both jobs fed' });
      expect(seen).to.deep.equal({ transfers: ['transfer:S001:a1', 'transfer:S001:a2'], customers: ['customer:c1'] });
      const last = Number((await couch.request<{ update_seq: number }>(`/${db}`)).update_seq);
      await waitFor(async () => (await position('transfers')) === last && (await position('customers')) === last, { what: 'both positions saved' });
      // One feed polled for both jobs: a follower per job would each have started from 0.
      expect(sinces.filter((since) => since === '0')).to.have.length(1);
    } finally {
      globalThis.fetch = fetch0;
      await feeds.stop();
    }

    // The customers' position behind (a job added later, or a crash before it saved): the shared follower starts
    // there, and only that job gets anything (the transfers' job had its documents).
    await couch.request(`/${HQ_DB}/_local/${encodeURIComponent(feedCheckpointId('customers', db).slice('_local/'.length))}`, {
      method: 'PUT',
      body: { ...(await getDoc<{ _id: string }>(couch, HQ_DB, feedCheckpointId('customers', db))), seq: 0 },
    });
    seen.transfers = [];
    seen.customers = [];
    const again = new StoreFeeds(couch, jobs, testLogger());
    try {
      again.ensure(['S001']);
      await waitFor(() => seen.customers!.length === 1, { what: 'the job behind fed again' });
      expect(seen.customers).to.deep.equal(['customer:c1']);
      // Replayed to the job ahead as well (idempotent by contract): nothing new, nothing lost.
      expect(seen.transfers.every((id) => id.startsWith('transfer:'))).to.equal(true);
    } finally {
      await again.stop();
    }
  });

  it('moves every job\'s position after a batch only one of them had documents in (a job saved apart would lag, and a restart replay to the others)', async () => {
    const other = hqStoreDbName('S002');
    await ensureDb(couch, other);
    const positionIn = async (name: string) => (await getDoc<{ _id: string; seq: number }>(couch, HQ_DB, feedCheckpointId(name, other)))?.seq ?? 0;
    const updateSeq = async () => Number((await couch.request<{ update_seq: number }>(`/${other}`)).update_seq);
    const got: string[] = [];
    const jobs: FeedJob[] = ['transfers', 'customers'].map((name) => ({ name, types: [name.slice(0, -1)], onMatch: async (doc) => void got.push(String(doc._id)) }));
    const feeds = new StoreFeeds(couch, jobs, testLogger());
    try {
      feeds.ensure(['S002']);
      for (const doc of [{ _id: 'transfer:S002:b1' }, { _id: 'customer:c2' }]) {
        await couch.request(`/${other}/_bulk_docs`, { method: 'POST', body: { docs: [doc] } });
        const last = await updateSeq();
        await waitFor(async () => got.includes(doc._id) && (await positionIn('transfers')) === last && (await positionIn('customers')) === last, {
          what: `both positions at ${last} after ${doc._id}`,
        });
      }
    } finally {
      await feeds.stop();
    }
  });
});
