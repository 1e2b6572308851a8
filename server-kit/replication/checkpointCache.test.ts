// Issue #14 (sale_to_hq): a live replication reads its `_local` checkpoint back from memory between batches
// (shared/sync/checkpointCache.ts), and never at a start. Real parts: the embedded CouchDB, behind a plain
// counting proxy so the test sees which requests reached the server.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminToken, startEmbeddedCouch } from '../../couchdb/index';
import type { EmbeddedCouch } from '../../couchdb/index';
import { tempDir, TEST_SECRET, waitFor } from '../../tests/support/testing';
import { ReplicationJob } from './job';
import { PouchDB, remoteDb } from './pouch';

describe('replication checkpoints read back from memory (issue #14)', function () {
  this.timeout(60_000);
  let couch: EmbeddedCouch;
  let proxy: http.Server;
  let proxyUrl = '';
  let cleanup: () => Promise<void>;
  const seen: string[] = [];
  const token = () => adminToken(TEST_SECRET);
  const auth = () => ({ Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' });

  before(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    couch = await startEmbeddedCouch({ port: 0, dataDir: tmp.dir, jwtSecret: TEST_SECRET });
    const upstream = new URL(couch.url);
    proxy = http.createServer((req, res) => {
      seen.push(`${req.method ?? ''} ${decodeURIComponent((req.url ?? '').split('?')[0] ?? '')}`);
      const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  after(async () => {
    proxy?.closeAllConnections();
    await new Promise((resolve) => proxy?.close(resolve));
    await couch?.close();
    await cleanup?.();
  });

  const docCount = async (db: string) => ((await (await fetch(`${couch.url}/${db}`, { headers: auth() })).json()) as { doc_count?: number }).doc_count ?? 0;
  const localGets = (db: string) => seen.filter((s) => s.startsWith(`GET /${db}/_local/`)).length;
  const localPuts = (db: string) => seen.filter((s) => s.startsWith(`PUT /${db}/_local/`)).length;

  it('writes every batch\'s checkpoint but reads it from the server only at the start, and a copy someone else overwrote is re-read', async () => {
    const db = 'cp-live';
    await fetch(`${couch.url}/${db}`, { method: 'PUT', headers: auth() });
    const source = new PouchDB(`cp-source-${Date.now()}`, { adapter: 'memory' });
    const job = new ReplicationJob({ id: 'cp', direction: 'push', source, target: remoteDb(`${proxyUrl}/${db}`, token), sourceLabel: 'memory', targetLabel: db });
    job.start();
    try {
      let getsAtStart = 0;
      for (let i = 1; i <= 6; i++) {
        await source.put({ _id: `sale:${i}`, type: 'sale' });
        await waitFor(async () => (await docCount(db)) === i, { what: `sale ${i} at the target`, timeoutMs: 15_000, intervalMs: 20 });
        // Its checkpoint written before the next sale, so every sale is a batch of its own.
        await waitFor(() => localPuts(db) >= i || null, { what: `checkpoint ${i}`, timeoutMs: 15_000, intervalMs: 20 });
        if (i === 1) getsAtStart = localGets(db);
      }
      expect(getsAtStart, 'the start reads the target checkpoint').to.be.at.least(1);
      expect(localPuts(db)).to.be.at.least(6);
      // Five more batches and no more reads of the checkpoint than at the start: each came from memory.
      expect(localGets(db)).to.equal(getsAtStart);

      // Someone else writes the checkpoint (another tab of the same till): the next PUT is refused (409), the copy
      // goes, the checkpointer reads the server and writes over it; the sale still arrives, with no error.
      const cpPath = seen.find((s) => s.startsWith(`PUT /${db}/_local/`))?.slice('PUT '.length) ?? '';
      const readCheckpoint = async () => (await (await fetch(`${couch.url}${cpPath}`, { headers: auth() })).json()) as Record<string, unknown>;
      // The replication's own last write (sale 6's checkpoint) settles first: the other writer's PUT must not race it.
      const sixSeq = (await source.info()).update_seq;
      await waitFor(async () => (await readCheckpoint()).last_seq === sixSeq || null, { what: 'the checkpoint at sale 6', timeoutMs: 15_000, intervalMs: 20 });
      // Read and write again if the replication still wrote between the two (a loaded machine can retry a batch).
      await waitFor(async () => {
        const status = await fetch(`${couch.url}${cpPath}`, { method: 'PUT', headers: auth(), body: JSON.stringify({ ...(await readCheckpoint()), note: 'other writer' }) }).then((r) => r.status);
        expect([201, 409]).to.include(status);
        return status === 201 || null;
      }, { what: 'the other writer\'s checkpoint written', timeoutMs: 15_000, intervalMs: 20 });
      await source.put({ _id: 'sale:7', type: 'sale' });
      await waitFor(async () => (await docCount(db)) === 7, { what: 'sale 7 at the target', timeoutMs: 15_000, intervalMs: 20 });
      await waitFor(async () => {
        const cp = (await (await fetch(`${couch.url}${cpPath}`, { headers: auth() })).json()) as { last_seq?: unknown };
        return cp.last_seq === (await source.info()).update_seq || null;
      }, { what: 'the checkpoint at sale 7', timeoutMs: 15_000, intervalMs: 20 });
      expect(localGets(db)).to.be.greaterThan(getsAtStart);
      expect(job.snapshot().errorCount).to.equal(0);
    } finally {
      await job.stop();
      await source.destroy();
    }
  });

  it('a restart reads the server: a target restored without its checkpoint gets every document again', async () => {
    const db = 'cp-restore';
    await fetch(`${couch.url}/${db}`, { method: 'PUT', headers: auth() });
    const source = new PouchDB(`cp-restore-${Date.now()}`, { adapter: 'memory' });
    await source.bulkDocs(Array.from({ length: 20 }, (_, i) => ({ _id: `sale:${String(i).padStart(2, '0')}`, type: 'sale' })));
    const target = remoteDb(`${proxyUrl}/${db}`, token);
    const job = new ReplicationJob({ id: 'cp-restore', direction: 'push', source, target, sourceLabel: 'memory', targetLabel: db });
    job.start();
    try {
      await waitFor(async () => (await docCount(db)) === 20 && localPuts(db) > 0 || null, { what: 'the first copy and its checkpoint', timeoutMs: 15_000, intervalMs: 20 });
      await job.stop();
      // The target comes back from a backup older than the copy: no documents, no checkpoint.
      await fetch(`${couch.url}/${db}`, { method: 'DELETE', headers: auth() });
      await fetch(`${couch.url}/${db}`, { method: 'PUT', headers: auth() });
      job.start();
      await waitFor(async () => (await docCount(db)) === 20 || null, { what: 'every document sent again', timeoutMs: 15_000, intervalMs: 20 });
    } finally {
      await job.stop();
      await source.destroy();
    }
  });
});
