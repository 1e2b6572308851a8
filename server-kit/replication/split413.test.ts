// Issue #4: a batch refused as too large (413) is split and retried automatically, and the refusal is
// reported as `payload_too_large`. The target is the embedded server with a small request limit.
import { expect } from 'chai';
import { adminToken, startEmbeddedCouch } from '../../couchdb/index';
import type { EmbeddedCouch } from '../../couchdb/index';
import { tempDir, TEST_SECRET, waitFor } from '../../tests/support/testing';
import { ReplicationJob } from './job';
import type { SyncErrorEntry } from './job';
import { PouchDB, remoteDb } from './pouch';

describe('replication job: 413 splitting (issue #4)', function () {
  this.timeout(60_000);
  let couch: EmbeddedCouch;
  let cleanup: () => Promise<void>;

  before(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    couch = await startEmbeddedCouch({ port: 0, dataDir: tmp.dir, jwtSecret: TEST_SECRET, maxRequestBytes: 64 * 1024 });
  });
  after(async () => {
    await couch?.close();
    await cleanup?.();
  });

  it('halves the batch on 413 until it fits, and delivers every document exactly once', async () => {
    const token = () => adminToken(TEST_SECRET);
    await fetch(`${couch.url}/target`, { method: 'PUT', headers: { Authorization: `Bearer ${token()}` } });
    const source = new PouchDB(`split-${Date.now()}`, { adapter: 'memory' });
    // 300 docs of ~2 KB: a 200-doc batch (~400 KB) is far over the 64 KB limit; 16 docs fit.
    await source.bulkDocs(Array.from({ length: 300 }, (_, i) => ({ _id: `sale:${String(i).padStart(4, '0')}`, type: 'sale', pad: 'x'.repeat(2000) })));
    const errors: SyncErrorEntry[] = [];
    const job = new ReplicationJob({
      id: 'split-test',
      direction: 'push',
      source,
      target: remoteDb(`${couch.url}/target`, token),
      sourceLabel: 'memory',
      targetLabel: 'target',
      batchSize: 200,
    });
    job.onUpdate((_s, e) => e && errors.push(e));
    job.start();
    try {
      await waitFor(async () => {
        const res = await fetch(`${couch.url}/target`, { headers: { Authorization: `Bearer ${token()}` } });
        return ((await res.json()) as { doc_count: number }).doc_count === 300;
      }, { what: 'all docs at the target', timeoutMs: 40_000 });
    } finally {
      await job.stop();
      await source.destroy();
    }
    expect(errors.some((e) => e.type === 'payload_too_large')).to.equal(true);
    expect(job.snapshot().batchSize).to.be.lessThan(200);
  });
});
