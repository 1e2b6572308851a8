// The relay's three jobs: only transactions-up skips `_revs_diff`. HQ lacks the store's own transactions, so asking
// first is a wasted round trip there; the two pulls copy what the relay may already hold, and asking saves the
// fetch (f50c766 mended a slip that had put the option on catalog-down too).
// Where the relay's CouchDB is the embedded server in its own process, transactions-up reads the relay's database
// in process (no HTTP hop to itself) with its selector compiled once; the two pulls still write through the server.
import { expect } from 'chai';
import { memoryLogger } from '../server-kit/log';
import { PouchDB } from '../server-kit/replication/pouch';
import { ReplicationJob } from '../server-kit/replication/job';
import { product, sale } from '../scripts/seed/documents';
import { waitFor } from '../tests/support/testing';
import { createHqJobs, StoreTokenSource } from './services/hqLink';
import type { RelayIdentity } from './services/identity';

const identity: RelayIdentity = {
  storeCode: 'S001', storeName: 'One', timeZone: 'UTC', currency: 'EUR', locale: 'en',
  hqUrl: 'http://127.0.0.1:9', credentialId: 'c', secret: 's',
  couchdb: { url: 'http://127.0.0.1:9', catalogDb: 'caja-catalog', storeDb: 'caja-store-s001' },
  provisionedAt: new Date().toISOString(),
};

describe('relay: the jobs to HQ', () => {
  it('skips _revs_diff on transactions-up only, and pushes in batches of 1000', async () => {
    const log = memoryLogger();
    const local = new PouchDB(`hqlink-${Date.now()}`, { adapter: 'memory' });
    try {
      const jobs = createHqJobs({ identity, local, localLabel: 'memory', log, onError: () => undefined }, new StoreTokenSource(identity, log));
      const byId = Object.fromEntries(jobs.map((j) => [j.id, j.spec]));
      expect(Object.keys(byId)).to.have.members(['catalog-down', 'store-down', 'transactions-up']);
      expect(byId['transactions-up']).to.include({ direction: 'push', skipRevsDiff: true, batchSize: 1000 });
      expect(byId['catalog-down']?.skipRevsDiff).to.equal(undefined);
      expect(byId['store-down']?.skipRevsDiff).to.equal(undefined);
    } finally {
      await local.destroy();
    }
  });

  it('reads its own database in process when it can: transactions-up from the reader, its selector compiled; the pulls unchanged', async () => {
    const log = memoryLogger();
    const overHttp = new PouchDB(`hqlink-http-${Date.now()}`, { adapter: 'memory' });
    const reader = new PouchDB(`hqlink-reader-${Date.now()}`, { adapter: 'memory' });
    const hq = new PouchDB(`hqlink-hq-${Date.now()}`, { adapter: 'memory' });
    let job: ReplicationJob | null = null;
    try {
      const specs = (withReader: boolean) =>
        Object.fromEntries(createHqJobs({ identity, local: overHttp, ...(withReader ? { localReader: reader } : {}), localLabel: 'relay', log, onError: () => undefined }, new StoreTokenSource(identity, log)).map((j) => [j.id, j.spec]));
      const plain = specs(false);
      const inProcess = specs(true);
      expect(plain['transactions-up']?.source).to.equal(overHttp);
      expect(plain['transactions-up']?.filter).to.equal(undefined);
      expect(inProcess['transactions-up']?.source).to.equal(reader);
      expect(inProcess['transactions-up']?.filter).to.be.a('function');
      for (const id of ['catalog-down', 'store-down']) expect(inProcess[id]?.target, id).to.equal(overHttp);

      // The compiled filter sends what the selector sends: the store's transactions, not its catalog copies.
      await reader.bulkDocs([sale(1), sale(2), product('A1'), sale(3)]);
      job = new ReplicationJob({ ...(inProcess['transactions-up'] as ReplicationJob['spec']), target: hq });
      job.start();
      await waitFor(async () => (await hq.info()).doc_count === 3 && job?.snapshot().state === 'idle', { what: 'sales pushed' });
      expect((await hq.allDocs()).rows.map((r) => r.id)).to.have.members([sale(1)._id, sale(2)._id, sale(3)._id]);
    } finally {
      await job?.stop();
      for (const db of [overHttp, reader, hq]) await db.destroy();
    }
  });
});
