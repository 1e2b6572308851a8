// The patches `npm install` applies to PouchDB (patches/, patch-package in `postinstall`): PouchDB 9's LevelDB
// transaction appended each document's operations with `this._batch = this._batch.concat(batch)`, copying the
// whole transaction per document: one `bulkDocs` of n documents cost O(n^2). The embedded server writes every
// view index update as one such `bulkDocs` (a row per emitted key), so a roll-up document emitting thousands
// of rows made the next report query wait seconds. Measured on this machine, one `bulkDocs` into a LevelDB
// PouchDB: 20,000 documents 11.0 s -> 1.1 s, 50,000 documents 75.3 s -> 2.8 s.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import PouchDB from 'pouchdb';
import { tempDir, waitFor } from '../tests/support/testing';
import { countLevelGets } from '../tests/support/levelReads';
import { BACKGROUND_CHECKPOINTS } from '../shared/sync/checkpointCache';
import { adminToken, startEmbeddedCouch } from './index';

const require = createRequire(import.meta.url);
const QUADRATIC = 'this._batch = this._batch.concat(batch)';

/** Each build of `pkg` Node may load (lib/index.js and lib/index.es.js), with its file name. */
function builds(pkg: string): Array<{ file: string; source: string }> {
  const lib = path.dirname(require.resolve(pkg));
  return ['index.js', 'index.es.js'].map((file) => ({ file: `${pkg}/lib/${file}`, source: readFileSync(path.join(lib, file), 'utf8') }));
}

describe('PouchDB as installed (patches/)', function () {
  it('pouchdb: `_changes` takes an id test, and a live feed starts each pass where the last one read to', function () {
    for (const { file, source } of builds('pouchdb')) {
      expect(source, `${file}: run npm install`).to.include('opts.caja_id_filter && !opts.caja_id_filter(doc._id)');
      expect(source).to.include("'caja_id_filter', 'caja_stub_docs' // Caja patch");
      expect(source).to.include('doc = (opts.caja_stub_docs && cajaStubDoc(doc)) || JSON.parse(doc);');
      expect(source).to.include('opts.since = resp.last_seq;');
      expect(source).to.include('rowReads.push(');
      expect(source).to.include('var cajaId = cajaTrailingId(doc);');
      expect(source).to.include('cajaCheckpointInBackground(currentBatch.seq);');
      expect(source).to.include('if (opts.caja_skip_revs_diff) {');
      expect(source).to.include('process.nextTick(cajaFlush, raw);');
      expect(source).to.include('var read = currentBatch.cajaDocs || getDocs(');
      expect(source).to.include('cajaStep(entries[i++], null, step);');
      expect(source).to.include("args[1].caja_owned === true ? args.slice() : clone(args);");
      expect(source).to.include('var cajaOwn = opts.caja_skip_revs_diff === true ? null : opts.caja_skip_revs_diff;');
      expect(source).to.include('bulkOpts.caja_owned = true;');
    }
  });

  it('pouchdb-browser (the till\'s PouchDB in the browser and Electron): replication writes checkpoints in the background and can skip `_revs_diff`, as Node\'s pouchdb', function () {
    // The same replication code as pouchdb's, so the till's push behaves as the bench's Node terminal measures it.
    for (const { file, source } of builds('pouchdb-browser')) {
      expect(source, `${file}: run npm install`).to.include('cajaCheckpointInBackground(currentBatch.seq);');
      expect(source).to.include('if (opts.caja_skip_revs_diff) {');
      expect(source).to.include('cajaPrefetchNext();');
      expect(source).to.include('var cajaOwn = opts.caja_skip_revs_diff === true ? null : opts.caja_skip_revs_diff;');
      expect(source).to.include('bulkOpts.caja_owned = true;');
    }
  });

  it('pouchdb-abstract-mapreduce: the indexer hands its mapper\'s id filter to the changes feed, and keeps the position it read to', function () {
    for (const { file, source } of builds('pouchdb-abstract-mapreduce')) {
      expect(source, `${file}: run npm install`).to.include('caja_id_filter: cajaIdFilter');
      expect(source).to.include('currentSeq = response.last_seq; // Caja patch');
      expect(source).to.include('cajaUntil = info.update_seq;');
    }
  });

  it('pouchdb-abstract-mapreduce: a query brings the index up to the update_seq the database had when it started, not past what lands meanwhile (as CouchDB)', async function () {
    this.timeout(30_000);
    const createAbstractMapReduce = require('pouchdb-abstract-mapreduce') as (
      name: string,
      mapper: (fn: unknown, emit: (k: unknown) => void) => (doc: { _id: string }) => void,
      reducer: () => () => unknown,
      validator: () => void,
    ) => { query(this: PouchDB.Database, fun: unknown, opts: object): Promise<{ rows: unknown[] }> };
    const engine = createAbstractMapReduce('mrviews', (fn, emit) => (doc) => (fn as (d: unknown, e: unknown) => void)(doc, emit), () => () => null, () => undefined);
    const dir = await tempDir('pouch-view-');
    const db = new PouchDB<{ n: number }>(path.join(dir.dir, 'db'));
    try {
      await db.bulkDocs(Array.from({ length: 2000 }, (_, i) => ({ _id: `a${String(i).padStart(5, '0')}`, n: i })));
      // A replication lands 500 more while the first batches are indexed (writes queue before the indexer's next read).
      const landing: Array<Promise<unknown>> = [];
      db.on('indexing', () => {
        if (!landing.length) landing.push(db.bulkDocs(Array.from({ length: 500 }, (_, i) => ({ _id: `b${String(i).padStart(5, '0')}`, n: i }))));
      });
      const first = await engine.query.call(db, { map: (doc: { _id: string }, emit: (k: unknown) => void) => emit(doc._id) }, {});
      expect(landing, 'documents landed while the index was built').to.have.length(1);
      await landing[0];
      expect(first.rows, 'rows of the first query: the documents there when it started').to.have.length(2000);
      const again = await engine.query.call(db, { map: (doc: { _id: string }, emit: (k: unknown) => void) => emit(doc._id) }, {});
      expect(again.rows, 'a later query has the rest').to.have.length(2500);
    } finally {
      await db.destroy();
      await dir.cleanup();
    }
  });

  /** Four documents written one after another, each once the last arrived, over a live replication whose checkpoint writes take `slow` ms. */
  async function throughSlowCheckpoints(slow: number, options: object): Promise<{ arrivals: number[]; checkpoints: number[]; written: number[]; last: number }> {
    const dir = await tempDir('pouch-checkpoint-');
    const source = new PouchDB<{ n: number }>(path.join(dir.dir, 'source'));
    const target = new PouchDB<{ n: number }>(path.join(dir.dir, 'target'));
    const put = target.put.bind(target);
    const written: number[] = [];
    (target as unknown as { put: typeof put }).put = (async (doc: { _id: string; last_seq?: unknown }, ...rest: unknown[]) => {
      if (doc._id.startsWith('_local/')) {
        await new Promise((r) => setTimeout(r, slow));
        written.push(Number(doc.last_seq));
      }
      return (put as (...a: unknown[]) => Promise<unknown>)(doc, ...rest);
    }) as unknown as typeof put;
    const replication = source.replicate.to(target, { live: true, retry: false, ...options });
    const checkpoints: number[] = [];
    replication.on('checkpoint' as 'change', (c: unknown) => checkpoints.push(Number((c as { checkpoint: unknown }).checkpoint)));
    const arrived = (id: string) => target.get(id).then(() => true, () => false);
    try {
      const arrivals: number[] = [];
      for (let i = 0; i < 4; i++) {
        const t0 = Date.now();
        await source.put({ _id: `d${i}`, n: i });
        await waitFor(() => arrived(`d${i}`), { what: `d${i} at the target`, timeoutMs: 20_000, intervalMs: 10 });
        arrivals.push(Date.now() - t0);
      }
      const last = Number((await source.info()).update_seq);
      await waitFor(() => checkpoints.at(-1) === last, { what: 'the last checkpoint', timeoutMs: 20_000, intervalMs: 20 });
      return { arrivals, checkpoints, written, last };
    } finally {
      replication.cancel();
      await source.destroy();
      await target.destroy();
      await dir.cleanup();
    }
  }

  it('a live replication with BACKGROUND_CHECKPOINTS starts its next batch while the last checkpoint is written, in order; without it, as PouchDB does', async function () {
    this.timeout(60_000);
    // Each checkpoint write to the target takes SLOW ms (a busy HQ behind its gateway, say).
    const SLOW = 1500;
    const background = await throughSlowCheckpoints(SLOW, BACKGROUND_CHECKPOINTS);
    expect(Math.max(...background.arrivals.slice(1)), `arrivals ${background.arrivals.join(', ')} ms`).to.be.below(SLOW - 500);
    // Every checkpoint written in the end, each after the one before.
    for (const seqs of [background.checkpoints, background.written]) expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    expect(background.written.at(-1)).to.equal(background.last);
    // PouchDB's own behaviour (the benches' baseline): each document after the first waits for a checkpoint.
    const plain = await throughSlowCheckpoints(SLOW, {});
    expect(Math.min(...plain.arrivals.slice(1)), `arrivals ${plain.arrivals.join(', ')} ms`).to.be.at.least(SLOW - 500);
  });

  /** A LevelDB source holding `count` sales (`sale:000`…, `n` their number) and an empty target, in `dir`. */
  async function salesToCopy(dir: string, name: string, count: number): Promise<{ source: PouchDB.Database<{ n: number }>; target: PouchDB.Database<{ n: number }> }> {
    const source = new PouchDB<{ n: number }>(path.join(dir, `${name}-source`));
    const target = new PouchDB<{ n: number }>(path.join(dir, `${name}-target`));
    await source.bulkDocs(Array.from({ length: count }, (_, i) => ({ _id: `sale:${String(i).padStart(3, '0')}`, n: i })));
    return { source, target };
  }

  it('a replication with `caja_skip_revs_diff` sends every revision without asking the target, and one it had is written again as a no-op; without it, as PouchDB does', async function () {
    this.timeout(30_000);
    const dir = await tempDir('pouch-revsdiff-');
    try {
      const run = async (name: string, options: object) => {
        const { source, target } = await salesToCopy(dir.dir, name, 50);
        // The target already has the first ten (a batch replayed after a crash).
        await source.replicate.to(target, { doc_ids: Array.from({ length: 10 }, (_, i) => `sale:${String(i).padStart(3, '0')}`) });
        let asked = 0;
        const askedIds: string[] = [];
        const revsDiff = target.revsDiff.bind(target);
        (target as unknown as { revsDiff: typeof revsDiff }).revsDiff = ((...a: Parameters<typeof revsDiff>) => {
          asked += 1;
          askedIds.push(...Object.keys(a[0]));
          return revsDiff(...a);
        });
        const result = await source.replicate.to(target, { batch_size: 20, ...options });
        const rows = (await target.allDocs({ include_docs: true, conflicts: true })).rows;
        return { asked, askedIds, written: result.docs_written, rows };
      };
      const skipped = await run('skip', { caja_skip_revs_diff: true });
      expect(skipped.asked, '_revs_diff requests').to.equal(0);
      expect(skipped.written, 'documents written (the ten it had again)').to.equal(50);
      expect(skipped.rows).to.have.length(50);
      for (const r of skipped.rows) expect(r.doc, r.id).to.include({ n: Number(r.id.slice(5)) }).and.not.have.property('_conflicts');
      for (const r of skipped.rows) expect(r.value.rev, r.id).to.match(/^1-/);
      const plain = await run('plain', {});
      expect(plain.asked, '_revs_diff requests').to.be.at.least(3);
      expect(plain.written, 'documents written').to.equal(40);
      // A function names the ids sent unasked (a till's own): the first batch (sale:000-019, "received") is asked
      // about, and the ten the target had are not sent; the two batches of own ids ask nothing.
      const own = await run('own', { caja_skip_revs_diff: (id: string) => id >= 'sale:020' });
      expect(own.asked, '_revs_diff requests').to.equal(1);
      expect(own.askedIds).to.deep.equal(Array.from({ length: 20 }, (_, i) => `sale:${String(i).padStart(3, '0')}`));
      expect(own.written, 'documents written').to.equal(40);
      expect(own.rows).to.have.length(50);
      for (const r of own.rows) expect(r.value.rev, r.id).to.match(/^1-/);
    } finally {
      await dir.cleanup();
    }
  });

  it('with `caja_skip_revs_diff` the next batch is read from the source while the current one is written; without it, one step at a time', async function () {
    this.timeout(30_000);
    const dir = await tempDir('pouch-readahead-');
    try {
      const run = async (name: string, options: object) => {
        const { source, target } = await salesToCopy(dir.dir, name, 100);
        // The target takes 200 ms per write (a busy HQ); count the source reads that start while a write is under way.
        let writing = 0;
        let readsDuringWrites = 0;
        const bulkGet = source.bulkGet.bind(source);
        (source as unknown as { bulkGet: typeof bulkGet }).bulkGet = ((...a: Parameters<typeof bulkGet>) => {
          if (writing > 0) readsDuringWrites += 1;
          return bulkGet(...a);
        });
        const bulkDocs = target.bulkDocs.bind(target);
        (target as unknown as { bulkDocs: typeof bulkDocs }).bulkDocs = (async (...a: Parameters<typeof bulkDocs>) => {
          writing += 1;
          try {
            await new Promise((r) => setTimeout(r, 200));
            return await bulkDocs(...a);
          } finally {
            writing -= 1;
          }
        }) as typeof bulkDocs;
        const result = await source.replicate.to(target, { batch_size: 20, ...options });
        const rows = (await target.allDocs({ include_docs: true })).rows;
        return { readsDuringWrites, result, rows };
      };
      const ahead = await run('ahead', { caja_skip_revs_diff: true });
      // Five batches: the reads of batches 2-5 each start while the batch before is written.
      expect(ahead.readsDuringWrites).to.equal(4);
      expect(ahead.result).to.include({ ok: true, docs_read: 100, docs_written: 100, doc_write_failures: 0 });
      expect(ahead.rows.map((r) => r.doc?.n)).to.deep.equal(Array.from({ length: 100 }, (_, i) => i));
      const plain = await run('plain', {});
      expect(plain.readsDuringWrites).to.equal(0);
      expect(plain.result).to.include({ docs_written: 100 });
    } finally {
      await dir.cleanup();
    }
  });

  it('allDocs with include_docs (documents read in parallel) gives each row its document, in order, whatever the options', async function () {
    this.timeout(60_000);
    const dir = await tempDir('pouch-alldocs-');
    const db = new PouchDB<{ v: number }>(path.join(dir.dir, 'db'));
    try {
      await db.bulkDocs(Array.from({ length: 500 }, (_, i) => ({ _id: `d${String(i).padStart(3, '0')}`, v: i })));
      await db.remove(await db.get('d010'));
      await db.put({ ...(await db.get('d020')), v: -20 });
      // A conflict: a second leaf of d030 written as replicated.
      await db.bulkDocs([{ _id: 'd030', _rev: '1-ffffffffffffffffffffffffffffffff', v: 30 }], { new_edits: false });
      await db.putAttachment('d040', 'a.txt', (await db.get('d040'))._rev, Buffer.from('hello'), 'text/plain');
      const variants: Array<PouchDB.Core.AllDocsOptions & { startkey?: string; endkey?: string; inclusive_end?: boolean }> = [
        {}, { limit: 7 }, { skip: 5, limit: 50 }, { descending: true, limit: 30 }, { startkey: 'd005', endkey: 'd045', inclusive_end: false },
        { conflicts: true, startkey: 'd025', limit: 10 }, { attachments: true, startkey: 'd035', limit: 10 },
      ];
      for (const options of variants) {
        const keysOnly = await db.allDocs(options);
        const withDocs = await db.allDocs({ ...options, include_docs: true });
        const label = JSON.stringify(options);
        expect(withDocs.rows.map((r) => [r.id, r.value.rev]), label).to.deep.equal(keysOnly.rows.map((r) => [r.id, r.value.rev]));
        for (const row of withDocs.rows) {
          const one = await db.get(row.id, { conflicts: options.conflicts === true, attachments: options.attachments === true });
          expect(row.doc, `${label} ${row.id}`).to.deep.equal(one);
        }
      }
      expect((await db.allDocs({ include_docs: true })).rows.map((r) => r.id)).to.not.include('d010');
      expect((await db.allDocs({ include_docs: true, key: 'd020' })).rows[0]?.doc?.v).to.equal(-20);
    } finally {
      await db.destroy();
      await dir.cleanup();
    }
  });

  describe('point reads by getMany (PouchDB read LevelDB one key at a time: a native call and a thread-pool trip each)', function () {
    this.timeout(60_000);
    type Read = (...args: unknown[]) => unknown;
    const proto = (require('leveldown') as { prototype: { _get: Read; _getMany: Read } }).prototype;
    /** Counts leveldown's `get` calls and `getMany` calls (and their keys) while `run` runs. */
    async function counted<T>(run: () => Promise<T>): Promise<{ value: T; gets: number; many: number; manyKeys: number }> {
      const { _get: get, _getMany: getMany } = proto;
      const n = { gets: 0, many: 0, manyKeys: 0 };
      proto._get = function (this: unknown, ...args: unknown[]) {
        n.gets += 1;
        return get.apply(this, args);
      };
      proto._getMany = function (this: unknown, ...args: unknown[]) {
        n.many += 1;
        n.manyKeys += (args[0] as unknown[]).length;
        return getMany.apply(this, args);
      };
      try {
        return { value: await run(), ...n };
      } finally {
        proto._get = get;
        proto._getMany = getMany;
      }
    }
    const id = (i: number) => `d${String(i).padStart(4, '0')}`;

    it('reads asked in one tick are answered by one getMany each step, with the documents and the 404s single gets give', async () => {
      const dir = await tempDir('pouch-getmany-');
      const db = new PouchDB<{ v: number }>(path.join(dir.dir, 'db'));
      try {
        await db.bulkDocs(Array.from({ length: 500 }, (_, i) => ({ _id: id(i), v: i })));
        await db.remove(await db.get(id(7)));
        const ids = [...Array.from({ length: 500 }, (_, i) => id(i)), 'nope-1', 'nope-2'];
        const { value, gets, many, manyKeys } = await counted(() => Promise.all(ids.map((i) => db.get(i).then((d) => d.v, (e: { status: number; reason: string }) => `${e.status} ${e.reason}`))));
        expect(value.slice(0, 7)).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
        expect(value[7]).to.equal('404 deleted');
        expect(value[499]).to.equal(499);
        expect(value.slice(500)).to.deep.equal(['404 missing', '404 missing']);
        // Metadata of all 502 ids in one getMany, then the 499 live documents in a second.
        expect(gets).to.equal(0);
        expect(many).to.equal(2);
        expect(manyKeys).to.equal(502 + 499);
      } finally {
        await db.destroy();
        await dir.cleanup();
      }
    });

    it("changes() reads its documents' metadata a chunk at a time, with the changes a one-at-a-time read lists (superseded entries, limits, doc_ids, descending)", async () => {
      const dir = await tempDir('pouch-changes-chunks-');
      const db = new PouchDB<{ v: number }>(path.join(dir.dir, 'db'));
      try {
        await db.bulkDocs(Array.from({ length: 1000 }, (_, i) => ({ _id: id(i), v: i })));
        // Edits and deletions supersede earlier entries: each document is listed once, at its last change.
        const edited = [3, 130, 131, 500, 999].map(id);
        for (const e of edited) await db.put({ ...(await db.get(e)), v: -1 });
        await db.remove(await db.get(id(640)));
        const expected = [...Array.from({ length: 1000 }, (_, i) => id(i)).filter((i) => !edited.includes(i) && i !== id(640)), ...edited, id(640)];
        const all = await counted(() => db.changes({ since: 0 }));
        expect(all.value.results.map((r) => r.id)).to.deep.equal(expected);
        expect(all.value.results.map((r) => r.seq)).to.deep.equal(expected.map((_, k) => (k < 994 ? Number(expected[k]!.slice(1)) + 1 : 1001 + k - 994)));
        expect(all.value.results.find((r) => r.id === id(640))?.deleted).to.equal(true);
        expect(all.value.last_seq).to.equal(1006);
        expect(all.gets, 'single gets').to.equal(0);
        expect(all.many, 'getMany calls: one per chunk of 128 entries').to.be.at.most(Math.ceil(1006 / 128) + 1);
        expect(all.manyKeys).to.be.at.least(1000);
        // A limit ends the read inside a chunk; the next read starts after the last change listed.
        const page = await db.changes({ since: 0, limit: 300, include_docs: true });
        expect(page.results.map((r) => r.id)).to.deep.equal(expected.slice(0, 300));
        expect(page.results[299]?.doc?.v).to.equal(Number(expected[299]!.slice(1)));
        const rest = await db.changes({ since: page.last_seq });
        expect([...page.results, ...rest.results].map((r) => r.id)).to.deep.equal(expected);
        expect((await db.changes({ since: 0, doc_ids: [id(3), id(640), id(9)] })).results.map((r) => r.id)).to.deep.equal([id(9), id(3), id(640)]);
        expect((await db.changes({ descending: true, limit: 3 })).results.map((r) => r.id)).to.deep.equal([id(640), id(999), id(500)]);
      } finally {
        await db.destroy();
        await dir.cleanup();
      }
    });
  });

  it('pouchdb: an iterator brings up to 64 KB of entries per native read, so a pass over 2 MB of changes makes about 32 round trips to LevelDB\'s thread, not 130', async function () {
    this.timeout(30_000);
    for (const { file, source } of builds('pouchdb')) expect(source, `${file}: run npm install`).to.include('opts.highWaterMark = 64 * 1024;');
    const dir = await tempDir('pouch-hwm-');
    const db = new PouchDB<{ pad: string }>(path.join(dir.dir, 'db'));
    const binding = require('leveldown/binding') as { iterator_next: (...args: unknown[]) => unknown };
    const next = binding.iterator_next;
    let reads = 0;
    try {
      await db.bulkDocs(Array.from({ length: 2000 }, (_, i) => ({ _id: `d${String(i).padStart(5, '0')}`, pad: 'x'.repeat(1000) })));
      binding.iterator_next = function (this: unknown, ...args: unknown[]) {
        reads += 1;
        return next.apply(this, args);
      };
      const page = await db.changes({ since: 0, limit: 5000 });
      expect(page.results).to.have.length(2000);
      // leveldown's default of 16 KB would make 2000 entries of about 1 KB some 130 reads.
      expect(reads, 'native iterator reads').to.be.within(25, 50);
    } finally {
      binding.iterator_next = next;
      await db.destroy();
      await dir.cleanup();
    }
  });

  for (const pkg of ['pouchdb', 'pouchdb-adapter-leveldb-core']) {
    it(`${pkg}: the LevelDB transaction appends in place in every build Node loads`, function () {
      for (const { file, source } of builds(pkg)) {
        expect(source, `${file}: run npm install (postinstall applies patches/)`).to.not.include(QUADRATIC);
        expect(source).to.include('Caja patch: appended in place');
      }
    });
  }

  it('bulkDocs with `caja_owned` works on the documents it is given (no deep copy) and stores what a copying call stores', async function () {
    const dir = await tempDir('pouch-owned-');
    const copied = new PouchDB(path.join(dir.dir, 'copied'));
    const owned = new PouchDB(path.join(dir.dir, 'owned'));
    try {
      const docs = () => [
        { _id: 'b', _rev: '1-bbb', lines: [{ sku: 'A1', qty: 2 }], total: 500 },
        { _id: 'a', _rev: '2-aaa', _revisions: { start: 2, ids: ['aaa', 'zzz'] }, total: 300 },
      ];
      const given = docs();
      const list = given.slice();
      const plain = docs();
      expect(await owned.bulkDocs(list, { new_edits: false, caja_owned: true } as PouchDB.Core.BulkDocsOptions)).to.deep.equal([]);
      expect(await copied.bulkDocs(plain, { new_edits: false })).to.deep.equal([]);
      // Owned: PouchDB worked on these very objects (parseDoc gives each its revision tree) and sorted this list.
      expect(given.every((d) => '_rev_tree' in d)).to.equal(true);
      expect(list.map((d) => d._id)).to.deep.equal(['a', 'b']);
      // Copied: the caller's objects are untouched, as PouchDB always did.
      expect(plain).to.deep.equal(docs());
      const stored = async (db: PouchDB.Database) => (await db.allDocs({ include_docs: true })).rows.map((r) => r.doc);
      expect(await stored(owned)).to.deep.equal(await stored(copied));
      expect((await owned.get('a', { revs: true }))._revisions).to.deep.equal({ start: 2, ids: ['aaa', 'zzz'] });
    } finally {
      await copied.destroy();
      await owned.destroy();
      await dir.cleanup();
    }
  });

  it('a replication hands its batch to a remote target without a deep copy (`caja_owned`), to a local one as PouchDB does; both get every document', async function () {
    this.timeout(30_000);
    const dir = await tempDir('pouch-owned-push-');
    const couch = await startEmbeddedCouch({ port: 0, dataDir: path.join(dir.dir, 'couch'), jwtSecret: 'owned-push-secret' });
    const auth = `Bearer ${adminToken('owned-push-secret')}`;
    try {
      await fetch(`${couch.url}/target`, { method: 'PUT', headers: { Authorization: auth } });
      const remote = new PouchDB(`${couch.url}/target`, { fetch: (url, init) => PouchDB.fetch(url, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), Authorization: auth } }) });
      const { source, target: local } = await salesToCopy(dir.dir, 'owned-push', 30);
      const optsOf = (db: PouchDB.Database) => {
        const seen: unknown[] = [];
        const bulkDocs = db.bulkDocs.bind(db);
        (db as unknown as { bulkDocs: unknown }).bulkDocs = (req: unknown, opts: unknown) => {
          seen.push(opts);
          return bulkDocs(req as never, opts as never);
        };
        return seen;
      };
      const toRemote = optsOf(remote);
      const toLocal = optsOf(local);
      await source.replicate.to(remote, { batch_size: 10 });
      await source.replicate.to(local, { batch_size: 10 });
      expect(toRemote).to.have.length(3);
      for (const o of toRemote) expect(o).to.include({ caja_owned: true });
      expect(toLocal).to.have.length(3);
      for (const o of toLocal) expect(o).not.to.have.property('caja_owned');
      const stored = async (db: PouchDB.Database) => (await db.allDocs({ include_docs: true })).rows.map((r) => r.doc);
      expect(await stored(remote)).to.deep.equal(await stored(source)).and.to.deep.equal(await stored(local));
    } finally {
      await couch.close();
      await dir.cleanup();
    }
  });

  it('a big bulkDocs still writes every document, once, with its update sequence', async function () {
    this.timeout(60_000);
    const dir = await tempDir('pouch-patch-');
    const db = new PouchDB<{ v: number }>(path.join(dir.dir, 'db'));
    try {
      const docs = Array.from({ length: 3000 }, (_, i) => ({ _id: `d${String(i).padStart(5, '0')}`, v: i }));
      const res = await db.bulkDocs(docs);
      expect(res.filter((r) => 'error' in r && r.error)).to.deep.equal([]);
      const all = await db.allDocs({ include_docs: true });
      expect(all.rows.map((r) => r.doc?.v)).to.deep.equal(docs.map((d) => d.v));
      const info = await db.info();
      expect(info.doc_count).to.equal(3000);
      expect(Number(info.update_seq)).to.equal(3000);
      // A second write of one of them sees the first's revision (the transaction's cache is per call).
      const again = await db.bulkDocs([{ ...docs[7]!, v: -1 }]);
      expect(again[0]).to.include({ error: true, status: 409 });
    } finally {
      await db.destroy();
      await dir.cleanup();
    }
  });

  describe('`caja_id_filter` in changes()', function () {
    this.timeout(60_000);
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let db: PouchDB.Database<{ type: string; n?: number }>;
    const name = 'ids';
    const isSale = (id: string) => id.startsWith('sale:');

    before(async () => {
      dir = await tempDir('pouch-ids-');
      db = new PouchDB(path.join(dir.dir, name));
      const products = (from: number) => Array.from({ length: 1000 }, (_, i) => ({ _id: `product:${from + i}`, type: 'product' }));
      const sales = (from: number) => Array.from({ length: 10 }, (_, i) => ({ _id: `sale:${from + i}`, type: 'sale' }));
      await db.bulkDocs([...products(0), ...sales(0), ...products(1000)]);
      const s1 = await db.get('sale:1');
      await db.put({ ...s1, n: 2 }); // a sale changed: listed once, at its new sequence
      await db.remove(await db.get('sale:2'));
      await db.bulkDocs(sales(10));
    });
    after(async () => {
      await db.destroy();
      await dir.cleanup();
    });

    it('lists exactly the changes a plain feed lists for those ids, reads none of the others, and moves past them', async () => {
      const plain = await db.changes({ since: 0 });
      const gets = countLevelGets(name);
      let filtered;
      try {
        filtered = await db.changes({ since: 0, caja_id_filter: isSale } as PouchDB.Core.ChangesOptions);
      } finally {
        gets.stop();
      }
      expect(filtered.results).to.deep.equal(plain.results.filter((r) => isSale(r.id)));
      expect(filtered.results.map((r) => r.id)).to.include('sale:2').and.not.include('product:5');
      expect(filtered.results.find((r) => r.id === 'sale:2')?.deleted).to.equal(true);
      // One metadata read per listed change (21 sale entries, one of them superseded), none for 2000 products.
      expect(gets.count()).to.be.at.most(25);
      expect(filtered.last_seq).to.equal(plain.last_seq);
      // A page ends at its last change; a scan that lists nothing still ends past what it read.
      const page = await db.changes({ since: 1500, limit: 1, caja_id_filter: (id: string) => id === 'product:1999' } as PouchDB.Core.ChangesOptions);
      expect(page.results.map((r) => r.id)).to.deep.equal(['product:1999']);
      expect(page.last_seq).to.equal(plain.results.find((r) => r.id === 'product:1999')?.seq);
      const none = await db.changes({ since: 1500, caja_id_filter: () => false } as PouchDB.Core.ChangesOptions);
      expect(none.results).to.deep.equal([]);
      expect(none.last_seq).to.equal(plain.last_seq);
    });

    /**
     * Runs `read` counting the parses of stored texts that contain `marker`: LevelDB values are decoded by
     * level-codec's `json` encoding (PouchDB's by-sequence store), and with the patch by the feed itself for the
     * entries it keeps.
     */
    async function parsesOf<T>(marker: string, read: () => Promise<T>): Promise<{ value: T; parsed: number }> {
      const json = (require(require.resolve('level-codec/lib/encodings', { paths: [path.dirname(require.resolve('pouchdb'))] })) as { json: { decode: (t: string) => unknown } }).json;
      const [decode, parse] = [json.decode, JSON.parse];
      let parsed = 0;
      const counting = <F extends (text: string, ...rest: never[]) => unknown>(f: F) => ((text: string, ...rest: never[]) => {
        if (typeof text === 'string' && text.includes(marker)) parsed++;
        return f(text, ...rest);
      }) as F;
      json.decode = counting(decode);
      JSON.parse = counting(parse);
      try {
        return { value: await read(), parsed };
      } finally {
        json.decode = decode;
        JSON.parse = parse;
      }
    }

    it('parses none of the entries it passes over (their ids read from the end of the stored text)', async () => {
      const { value: filtered, parsed } = await parsesOf('"type":"product"', () => db.changes({ since: 0, caja_id_filter: isSale } as PouchDB.Core.ChangesOptions));
      expect(filtered.results.length).to.be.greaterThan(0);
      expect(parsed).to.equal(0);
    });

    it('with `caja_stub_docs` (no documents sent, a filter of `_id` alone), parses none of the entries it keeps either, and lists the same changes', async () => {
      const expected = (await db.changes({ since: 0 })).results.filter((r) => isSale(r.id));
      const stubbed = await parsesOf('"type":"sale"', () => db.changes({ since: 0, caja_id_filter: isSale, caja_stub_docs: true } as PouchDB.Core.ChangesOptions));
      const page = await parsesOf('"type":"sale"', () => db.changes({ since: 0, limit: 5, caja_id_filter: isSale, caja_stub_docs: true } as PouchDB.Core.ChangesOptions));
      expect(stubbed.parsed + page.parsed).to.equal(0);
      expect(stubbed.value.results).to.deep.equal(expected);
      expect(stubbed.value.results.find((r) => r.id === 'sale:2')?.deleted).to.equal(true);
      expect(page.value.results).to.deep.equal(expected.slice(0, 5));
      // Without the option the sales it keeps are parsed, as before.
      const plain = await parsesOf('"type":"sale"', () => db.changes({ since: 0, caja_id_filter: isSale } as PouchDB.Core.ChangesOptions));
      expect(plain.parsed).to.be.at.least(expected.length);
    });

    it('any ids and bodies (nested `_id`s, quotes, deletions, edits, conflicts): the same changes as a plain feed, filtered', async function () {
      this.timeout(120_000);
      const idChars = fc.constantFrom('a', 'b', '"', '\\', ':', 'é', '_', '}', ',');
      const arbDoc = fc.record({
        id: fc.array(idChars, { minLength: 1, maxLength: 6 }).map((cs) => `d${cs.join('')}`),
        body: fc.dictionary(fc.constantFrom('id', 'x', 'n', 'a"b'), fc.oneof(fc.string(), fc.record({ _id: fc.string(), _rev: fc.string() }), fc.integer())),
        op: fc.constantFrom('put', 'put', 'put', 'remove', 'conflict'),
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(arbDoc, { minLength: 1, maxLength: 25 }), fc.func(fc.boolean()), async (ops, keep) => {
          const pdb = new PouchDB<Record<string, unknown>>(path.join(dir.dir, `prop${run++}`));
          try {
            for (const { id, body, op } of ops) {
              const current = await pdb.get(id).catch(() => null);
              if (op === 'remove' && current) await pdb.remove(current);
              else if (op === 'conflict') await pdb.bulkDocs([{ ...body, _id: id, _rev: '1-0123456789abcdef0123456789abcdef' }], { new_edits: false });
              else await pdb.put({ ...body, _id: id, ...(current ? { _rev: current._rev } : {}) });
            }
            const test = (id: string) => keep(id);
            for (const extra of [{}, { include_docs: true, conflicts: true, style: 'all_docs' }] as PouchDB.Core.ChangesOptions[]) {
              const plain = await pdb.changes({ since: 0, ...extra });
              const filtered = await pdb.changes({ since: 0, ...extra, caja_id_filter: test } as PouchDB.Core.ChangesOptions);
              expect(filtered.results).to.deep.equal(plain.results.filter((r) => test(r.id)));
              expect(filtered.last_seq).to.equal(plain.last_seq);
            }
          } finally {
            await pdb.destroy();
          }
        }),
        { numRuns: 100 },
      );
    });

    /** Follows `db` live from now with `opts` while 20 writes of 100 products and one sale land; the ids seen and the reads. */
    async function followWrites(tag: string, opts: object): Promise<{ seen: string[]; gets: number }> {
      const since = (await db.changes({ since: 0 })).last_seq;
      const seen: string[] = [];
      const gets = countLevelGets(name);
      const feed = db.changes({ since, live: true, return_docs: false, ...opts });
      feed.on('change', (c) => seen.push(c.id));
      try {
        for (let k = 0; k < 20; k++) await db.bulkDocs(Array.from({ length: 100 }, (_, i) => ({ _id: `product:${tag}${k}-${i}`, type: 'product' })));
        await db.put({ _id: `sale:${tag}`, type: 'sale' });
        const deadline = Date.now() + 10_000;
        while (!seen.includes(`sale:${tag}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      } finally {
        feed.cancel();
        gets.stop();
      }
      return { seen, gets: gets.count() };
    }

    it('a live feed passes over refused ids', async () => {
      const { seen, gets } = await followWrites('a', { caja_id_filter: isSale });
      expect(seen).to.deep.equal(['sale:a']);
      expect(gets).to.be.below(2100); // the writes' own reads: one per new document
    });

    it('each pass of a live filtered feed starts where the last one read to', async () => {
      const since = (await db.changes({ since: 0 })).last_seq;
      const evaluated = new Map<string, number>();
      const feed = db.changes({ since, live: true, return_docs: false, filter: (doc: { _id: string; type?: string }) => {
        evaluated.set(doc._id, (evaluated.get(doc._id) ?? 0) + 1);
        return doc.type === 'sale';
      } });
      try {
        for (let k = 0; k < 20; k++) {
          const ids = Array.from({ length: 100 }, (_, i) => `product:b${k}-${i}`);
          await db.bulkDocs(ids.map((_id) => ({ _id, type: 'product' })));
          // Each write's pass has run before the next write (the feed has looked at its last document).
          const deadline = Date.now() + 10_000;
          while (!evaluated.has(ids[99]!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        feed.cancel();
      }
      expect(evaluated.size).to.equal(2000);
      // Every product looked at once; a feed that re-read everything since its start on every write looked at the
      // first write's products 20 times.
      expect(Math.max(...evaluated.values())).to.equal(1);
    });
  });
});
