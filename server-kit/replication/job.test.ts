// A replication job reports every failed attempt of a retry streak, not only the first (PouchDB announces the
// streak once with `paused`, each attempt with `requestError`): the dashboard's error count keeps rising while
// the target fails, and the state reads `retrying`.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../../tests/support/testing';
import { ReplicationJob } from './job';
import { PouchDB, remoteDb } from './pouch';

describe('replication job: a retry streak', function () {
  this.timeout(30_000);

  it('counts each failed attempt while the target answers 500', async () => {
    let attempts = 0;
    // A CouchDB that fails every request.
    const server = http.createServer((_req, res) => {
      attempts += 1;
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'unknown_error', reason: 'down for the test' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/db`;
    const source = new PouchDB(`streak-source-${Date.now()}`, { adapter: 'memory' });
    await source.put({ _id: 'sale:1', type: 'sale' });
    const job = new ReplicationJob({ id: 'streak', direction: 'push', source, target: remoteDb(url, () => 'x'), sourceLabel: 'memory', targetLabel: 'down', maxBackoffMs: 100 });
    job.start();
    try {
      await waitFor(() => job.snapshot().errorCount >= 4 || null, { what: 'four failures counted', timeoutMs: 15_000, intervalMs: 20 });
      const s = job.snapshot();
      expect(s.state).to.equal('retrying');
      expect(s.errorCount).to.be.at.most(attempts);
      expect(s.lastError?.message).to.match(/down for the test/);
    } finally {
      await job.stop();
      await source.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
