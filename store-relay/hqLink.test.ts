// The relay's three jobs: only transactions-up skips `_revs_diff`. HQ lacks the store's own transactions, so asking
// first is a wasted round trip there; the two pulls copy what the relay may already hold, and asking saves the
// fetch (f50c766 mended a slip that had put the option on catalog-down too).
import { expect } from 'chai';
import { memoryLogger } from '../server-kit/log';
import { PouchDB } from '../server-kit/replication/pouch';
import { createHqJobs, StoreTokenSource } from './services/hqLink';
import type { RelayIdentity } from './services/identity';

describe('relay: the jobs to HQ', () => {
  it('skips _revs_diff on transactions-up only, and pushes in batches of 1000', async () => {
    const identity: RelayIdentity = {
      storeCode: 'S001', storeName: 'One', timeZone: 'UTC', currency: 'EUR', locale: 'en',
      hqUrl: 'http://127.0.0.1:9', credentialId: 'c', secret: 's',
      couchdb: { url: 'http://127.0.0.1:9', catalogDb: 'caja-catalog', storeDb: 'caja-store-s001' },
      provisionedAt: new Date().toISOString(),
    };
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
});
