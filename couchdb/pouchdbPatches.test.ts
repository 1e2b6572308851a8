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
import PouchDB from 'pouchdb';
import { tempDir } from '../tests/support/testing';

const require = createRequire(import.meta.url);
const QUADRATIC = 'this._batch = this._batch.concat(batch)';

describe('PouchDB as installed (patches/)', function () {
  for (const pkg of ['pouchdb', 'pouchdb-adapter-leveldb-core']) {
    it(`${pkg}: the LevelDB transaction appends in place in every build Node loads`, function () {
      const lib = path.dirname(require.resolve(pkg));
      for (const file of ['index.js', 'index.es.js']) {
        const source = readFileSync(path.join(lib, file), 'utf8');
        expect(source, `${pkg}/lib/${file}: run npm install (postinstall applies patches/)`).to.not.include(QUADRATIC);
        expect(source).to.include('Caja patch: appended in place');
      }
    });
  }

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
});
