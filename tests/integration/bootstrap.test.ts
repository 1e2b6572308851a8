// Issue #4 part 3: snapshot bootstrap for a first sync, on the embedded CouchDB server over loopback HTTP,
// with 20k catalog documents: exact documents and revisions, no design documents, the selector respected,
// live replication continuing from the snapshot's sequence, and an interrupted copy resumed without loss or
// duplicates (medic/cht-core#7528: progress is recorded only after a whole page is written).
import { expect } from 'chai';
import { startEmbeddedCouch, adminToken } from '../../couchdb/index';
import type { EmbeddedCouch } from '../../couchdb/index';
import { catalogPullSelector } from '../../shared/sync/selectors';
import { generateCatalog } from '../../scripts/seed';
import { sale as saleFixture } from '../../scripts/seed/documents';
import { tempDir, TEST_SECRET, waitFor } from '../support/testing';
import { bootstrapSnapshot, confirmLive } from '../../shared/sync/bootstrap';
import { bootstrapMarkerId } from '../../shared/model/names';
import { ReplicationJob } from '../../server-kit/replication/job';
import { PouchDB, remoteDb } from '../../server-kit/replication/pouch';

const PRODUCTS = 20_000;
const SALES = 50; // present in the source, outside the catalog selector

type Rows = Map<string, string>;

/** id -> winning rev of every non-design document (what a replica must hold, exactly). */
async function revsOf(db: PouchDB.Database, keep: (doc: Record<string, unknown>) => boolean = () => true): Promise<Rows> {
  const res = await db.allDocs({ include_docs: true, conflicts: true });
  const out: Rows = new Map();
  for (const row of res.rows) {
    if (row.id.startsWith('_design/')) continue;
    const doc = row.doc as unknown as Record<string, unknown>;
    expect(doc._conflicts, `conflicts on ${row.id}`).to.equal(undefined);
    if (keep(doc)) out.set(row.id, row.value.rev);
  }
  return out;
}

const isCatalog = (doc: Record<string, unknown>) => (catalogPullSelector().type as { $in: string[] }).$in.includes(String(doc.type));

describe('snapshot bootstrap (issue #4 part 3)', function () {
  this.timeout(180_000);
  let couch: EmbeddedCouch;
  let cleanup: () => Promise<void>;
  let source: PouchDB.Database;
  let n = 0;
  const token = () => adminToken(TEST_SECRET);

  async function newDb(name: string): Promise<PouchDB.Database> {
    const res = await fetch(`${couch.url}/${name}`, { method: 'PUT', headers: { Authorization: `Bearer ${token()}` } });
    expect(res.status).to.equal(201);
    return remoteDb(`${couch.url}/${name}`, token);
  }

  before(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    couch = await startEmbeddedCouch({ port: 0, dataDir: tmp.dir, jwtSecret: TEST_SECRET });
    source = await newDb('source');
    const { docs } = generateCatalog({ products: PRODUCTS });
    for (let i = 0; i < docs.length; i += 2000) await source.bulkDocs(docs.slice(i, i + 2000) as unknown as PouchDB.Core.PutDocument<object>[]);
    await source.bulkDocs(Array.from({ length: SALES }, (_, i) => saleFixture(i + 1, 'S001', 'T1')) as unknown as PouchDB.Core.PutDocument<object>[]);
    await source.put({ _id: '_design/source-only', views: { all: { map: 'function (doc) { emit(doc._id); }' } } });
    // Some history, so revisions differ from 1-…
    const some = await source.allDocs({ startkey: 'product:', endkey: 'product:\ufff0', limit: 100, include_docs: true });
    await source.bulkDocs(some.rows.map((r) => ({ ...(r.doc as object), edited: 1 })));
  });

  after(async () => {
    await couch?.close();
    await cleanup?.();
  });

  it('copies exactly the selected documents with their revisions, then replicates live from the snapshot sequence', async () => {
    const target = await newDb(`target${n++}`);
    const job = new ReplicationJob({
      id: 'catalog-down',
      direction: 'pull',
      source,
      target,
      sourceLabel: 'source',
      targetLabel: 'target',
      selector: catalogPullSelector(),
      batchSize: 500,
      bootstrap: { pageSize: 1000 },
      pollTimeoutMs: 2000,
    });
    job.start();
    try {
      const expected = await revsOf(source, isCatalog);
      await waitFor(() => job.snapshot().bootstrap?.state === 'live' && job.snapshot().state === 'idle', { what: 'bootstrap then live', timeoutMs: 120_000 });
      expect(await revsOf(target)).to.deep.equal(expected);
      expect(job.snapshot().bootstrap?.docs).to.equal(expected.size);
      expect(job.snapshot().byType.product).to.equal(PRODUCTS);
      // No design document, no sale (outside the selector).
      const ddocs = await target.allDocs({ startkey: '_design/', endkey: '_design0' });
      expect(ddocs.rows).to.have.length(0);
      expect((await target.allDocs({ startkey: 'sale:', endkey: 'sale:\ufff0' })).rows).to.have.length(0);
      expect(((await target.get(bootstrapMarkerId('catalog-down'))) as unknown as { state: string }).state).to.equal('live');

      // Later changes at the source arrive through the live replication: an edit, a deletion, a new document.
      const edited = (await source.get('product:100001')) as unknown as Record<string, unknown>;
      await source.put({ ...edited, price: 12345 } as PouchDB.Core.PutDocument<object>);
      // A deletion keeps `type`: a bare tombstone ({_id, _rev, _deleted}) fails a type selector and would
      // never replicate (CouchDB's advice for filtered replication: delete by updating with _deleted).
      const doomed = await source.get('product:100002');
      await source.put({ ...doomed, _deleted: true });
      await source.put({ ...edited, _id: 'product:NEW1', _rev: undefined, sku: 'NEW1' } as PouchDB.Core.PutDocument<object>);
      await source.put({ ...saleFixture(SALES + 1, 'S001', 'T1') } as unknown as PouchDB.Core.PutDocument<object>);
      const after = await revsOf(source, isCatalog);
      await waitFor(async () => JSON.stringify([...(await revsOf(target))].sort()) === JSON.stringify([...after].sort()), { what: 'live changes at target', timeoutMs: 30_000 });
      expect(((await target.get('product:100001')) as unknown as { price: number }).price).to.equal(12345);
    } finally {
      await job.stop();
    }

    // A restart does not bootstrap again: the live job's checkpoint is in charge.
    const again = await bootstrapSnapshot(source, target, { id: 'catalog-down', selector: catalogPullSelector() });
    expect(again).to.include({ state: 'live', since: undefined, written: 0 });
  });

  it('resumes a bootstrap cancelled mid-way and ends with the exact documents and revisions (bootstrapping twice is harmless)', async () => {
    const target = await newDb(`target${n++}`);
    const selector = catalogPullSelector();
    const abort = new AbortController();
    let pages = 0;
    const first = bootstrapSnapshot(source, target, {
      id: 'resume',
      selector,
      pageSize: 1000,
      signal: abort.signal,
      onDocs: () => {
        pages += 1;
        if (pages === 3) abort.abort();
      },
    });
    let failed: unknown = null;
    await first.catch((err: unknown) => (failed = err));
    expect(failed, 'the cancelled bootstrap rejects').to.be.instanceOf(Error);
    const marker = (await target.get(bootstrapMarkerId('resume'))) as unknown as { state: string; lastKey: string; written: number };
    expect(marker.state).to.equal('copying');
    expect(marker.written).to.be.within(2000, 3000);
    const partial = (await target.info()).doc_count;
    expect(partial).to.be.within(2000, 3000).and.lessThan(PRODUCTS);

    // While it was down the source moved on: an edit before and after the cursor, a deletion after it.
    const early = (await source.get(marker.lastKey)) as unknown as Record<string, unknown>;
    await source.put({ ...early, price: 1 } as PouchDB.Core.PutDocument<object>);
    const late = (await source.get('product:119000')) as unknown as Record<string, unknown>;
    await source.put({ ...late, price: 2 } as PouchDB.Core.PutDocument<object>);
    await source.put({ ...(await source.get('product:119001')), _deleted: true });

    const second = await bootstrapSnapshot(source, target, { id: 'resume', selector, pageSize: 1000 });
    expect(second.state).to.equal('copied');
    expect(second.written).to.be.greaterThan(PRODUCTS - 3000);
    // The live replication from the snapshot's sequence brings what changed meanwhile (here one-shot).
    await source.replicate.to(target, { selector, since: second.since });
    const expected = await revsOf(source, isCatalog);
    expect(await revsOf(target)).to.deep.equal(expected);
    expect(((await target.get(marker.lastKey)) as unknown as { price: number }).price).to.equal(1);
    expect(((await target.get('product:119000')) as unknown as { price: number }).price).to.equal(2);
    expect(await target.get('product:119001').then(() => 'present', (e: { status: number }) => e.status)).to.equal(404);

    // Until the live job confirms, a restart gets the same sequence back and copies nothing.
    expect(await bootstrapSnapshot(source, target, { id: 'resume', selector })).to.include({ state: 'copied-earlier', since: second.since, written: 0 });
    await confirmLive(target, 'resume');

    // Bootstrapping the same target again from scratch (marker lost): same revisions, no conflicts, no extras.
    const markerDoc = await target.get(bootstrapMarkerId('resume'));
    await target.remove(markerDoc);
    const third = await bootstrapSnapshot(source, target, { id: 'resume', selector, pageSize: 5000 });
    expect(third.refused).to.deep.equal([]);
    expect(await revsOf(target)).to.deep.equal(expected);
    const info = await target.info();
    expect(info.doc_count).to.equal(expected.size);
  });

  it('splits a page refused as too large (413) and still writes every document once', async () => {
    const target = new PouchDB(`bootstrap-413-${Date.now()}`, { adapter: 'memory' });
    const bulkDocs = target.bulkDocs.bind(target) as (docs: object[], opts: object) => Promise<unknown>;
    let refusals = 0;
    (target as unknown as { bulkDocs: typeof bulkDocs }).bulkDocs = (docs, opts) => {
      if (docs.length > 300) {
        refusals += 1;
        return Promise.reject(Object.assign(new Error('Request Entity Too Large'), { status: 413 }));
      }
      return bulkDocs(docs, opts);
    };
    try {
      const res = await bootstrapSnapshot(source, target, { id: 'split', selector: catalogPullSelector(), pageSize: 2000 });
      expect(refusals).to.be.greaterThan(0);
      expect(await revsOf(target)).to.deep.equal(await revsOf(source, isCatalog));
      expect(res.written).to.equal((await revsOf(source, isCatalog)).size);
    } finally {
      await target.destroy();
    }
  });

  it('reads the page after next ahead, and reads it again when a write or a deletion between the reads shifts it', async () => {
    const docs = Array.from({ length: 95 }, (_, i) => ({ _id: `product:P${String(i).padStart(3, '0')}`, type: 'product', n: i }));
    /** Bootstraps a fresh copy of a fresh source in pages of 10; `during(k)` runs before the source answers its k-th `_all_docs`. */
    const copy = async (during: (k: number, src: PouchDB.Database) => Promise<void>) => {
      const src = await newDb(`ahead-src${n++}`);
      await src.bulkDocs(docs);
      const target = await newDb(`ahead${n++}`);
      const reads: Array<{ startkey?: string; skip?: number }> = [];
      const allDocs = src.allDocs.bind(src) as (o: object) => Promise<unknown>;
      (src as unknown as { allDocs: typeof allDocs }).allDocs = async (o: { startkey?: string; skip?: number }) => {
        reads.push({ startkey: o.startkey, skip: o.skip });
        await during(reads.length, src);
        return allDocs(o);
      };
      const res = await bootstrapSnapshot(src, target, { id: 'ahead', pageSize: 10 });
      (src as unknown as { allDocs: typeof allDocs }).allDocs = allDocs;
      await src.replicate.to(target, { since: res.since }); // the live replication's part, here one-shot
      expect(await revsOf(target)).to.deep.equal(await revsOf(src));
      return { res, reads };
    };

    const quiet = await copy(async () => undefined);
    expect(quiet.res.written).to.equal(95);
    // One plain read; every later page came from a read ahead (`skip`), and each met the page before it.
    expect(quiet.reads.filter((r) => r.skip === undefined)).to.have.length(1);
    expect(quiet.reads.filter((r) => r.skip !== undefined).length).to.be.at.least(9);

    // Page 2 holds P010..P019. Before the 3rd read (page 3, asked with skip from P009) a document lands inside page
    // 2's range and, later, one is deleted further on: the pages read ahead no longer meet, and are read again.
    const shifted = await copy(async (k, src) => {
      if (k === 3) await src.put({ _id: 'product:P015a', type: 'product', n: 15.5 });
      if (k === 6) await src.remove(await src.get('product:P070'));
    });
    expect(shifted.reads.filter((r) => r.skip === undefined).length).to.be.at.least(2);
    // The copy holds exactly the source's documents and revisions: P015a came with the replication from `since`.
    expect(shifted.res.written).to.be.within(93, 95);
  });
});

