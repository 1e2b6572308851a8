// The embedded server's view engine (couchdb/views.ts): design-document maps and JavaScript reduces run in the
// QuickJS sandbox with CouchDB's answers (`_sum` of arrays element-wise, `_count`, `_stats`, a map that throws
// on one document skips only that document), and this build's own maps run natively with exactly the rows the
// sandbox gives for them.
import { expect } from 'chai';
import { adminToken, startEmbeddedCouch, type EmbeddedCouch } from './index';
import { compileDesignDocs } from '../design-docs/deploy';
import { trustedMaps } from '../design-docs/trusted';
import { generateChainDocs } from '../tests/support/reportFixtures';
import { memoryRollups, rawOf } from '../tests/support/reportMemory';
import { tempDir, TEST_SECRET } from '../tests/support/testing';
import { countLevelGets } from '../tests/support/levelReads';

/** Signed per request, not when mocha loads the file. */
const admin = () => ({ Authorization: `Bearer ${adminToken(TEST_SECRET)}`, 'Content-Type': 'application/json' });

async function call<T = Record<string, unknown>>(couch: EmbeddedCouch, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(couch.url + path, { method, headers: admin(), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = (await res.json()) as T;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

type Rows = { rows: Array<{ id?: string; key: unknown; value: unknown }> };

describe('embedded CouchDB: views', function () {
  this.timeout(60_000);
  const servers: EmbeddedCouch[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const logged: Array<{ event: string; fields?: Record<string, unknown> }> = [];
  const start = async (trusted: boolean) => {
    const tmp = await tempDir();
    cleanups.push(tmp.cleanup);
    const log = (_level: string, event: string, fields?: Record<string, unknown>) => void logged.push({ event, ...(fields ? { fields } : {}) });
    const couch = await startEmbeddedCouch({ port: 0, dataDir: tmp.dir, jwtSecret: TEST_SECRET, log, ...(trusted ? { sandboxLimits: { trustedMaps: await trustedMaps() } } : {}) });
    servers.push(couch);
    return couch;
  };

  after(async () => {
    for (const s of servers) await s.close();
    for (const c of cleanups) await c();
  });

  it('runs an admin’s map and reduce functions in the sandbox with CouchDB’s answers', async () => {
    const couch = await start(false);
    await call(couch, 'PUT', '/v');
    await call(couch, 'POST', '/v/_bulk_docs', {
      docs: [
        { _id: 'a', n: 1, arr: [1, 2] },
        { _id: 'b', n: 2, arr: [3] },
        { _id: 'c', n: 4, arr: [10, 20, 30] },
        { _id: 'd', boom: true, n: 100, arr: [100] },
        { _id: 'e', n: 'not a number' },
      ],
    });
    await call(couch, 'PUT', '/v/_design/t', {
      views: {
        arrays: {
          map: "function (doc) { if (doc.boom) throw new Error('boom'); if (typeof doc.n === 'number') emit([doc._id < 'b' ? 'low' : 'high', doc._id], doc.arr); }",
          reduce: '_sum',
        },
        stats: { map: "function (doc) { if (typeof doc.n === 'number' && !doc.boom) emit(doc._id, doc.n); }", reduce: '_stats' },
        count: { map: 'function (doc) { emit(doc._id); }', reduce: '_count' },
        js: { map: "function (doc) { if (typeof doc.n === 'number' && !doc.boom) emit(null, doc.n * 2); }", reduce: 'function (keys, values, rereduce) { return sum(values) + (rereduce ? 0 : 1000); }' },
      },
    });
    const grouped = await call<Rows>(couch, 'GET', '/v/_design/t/_view/arrays?group_level=1');
    expect(grouped.rows).to.deep.equal([
      { key: ['high'], value: [13, 20, 30] },
      { key: ['low'], value: [1, 2] },
    ]);
    const plain = await call<Rows>(couch, 'GET', '/v/_design/t/_view/arrays?reduce=false');
    expect(plain.rows.map((r) => r.id)).to.deep.equal(['b', 'c', 'a']);
    // The document the map threw on is left out, and said so in the log.
    expect(logged.filter((l) => l.event === 'view.map_failed').map((l) => [l.fields?.doc, l.fields?.error])).to.deep.equal([['d', 'Error: boom']]);
    expect((await call<Rows>(couch, 'GET', '/v/_design/t/_view/stats')).rows[0]?.value).to.deep.equal({ sum: 7, min: 1, max: 4, count: 3, sumsqr: 21 });
    expect((await call<Rows>(couch, 'GET', '/v/_design/t/_view/count')).rows[0]?.value).to.equal(5);
    const nulls = await call<Rows>(couch, 'GET', '/v/_design/t/_view/count?reduce=false&limit=1');
    expect(nulls.rows[0]).to.deep.equal({ id: 'a', key: 'a', value: null });
    expect((await call<Rows>(couch, 'GET', '/v/_design/t/_view/js')).rows[0]?.value).to.equal(1014);
  });

  it('runs this build’s report view natively, with the rows the sandbox gives for the same source', async () => {
    const ddoc = (await compileDesignDocs('reports')).find((d) => d._id === '_design/reports')!;
    const map = (ddoc.views as Record<string, { map: string }>).rollup!.map;
    expect((await trustedMaps()).has(map)).to.equal(true);
    const stores = [
      { storeId: 'S001', timeZone: 'America/Mexico_City', taxMode: 'exclusive' as const, terminals: ['T1'] },
      { storeId: 'S002', timeZone: 'America/Bogota', taxMode: 'inclusive' as const, terminals: ['T1'] },
    ];
    const gen = generateChainDocs({ seed: 7, stores, from: '2025-05-25', days: 10 });
    const rollups = [...memoryRollups(rawOf({ docs: gen.docs, timeZones: { S001: 'America/Mexico_City', S002: 'America/Bogota' }, catalog: gen.catalog })).values()];
    const answers: unknown[] = [];
    for (const couch of [await start(true), await start(false)]) {
      await call(couch, 'PUT', '/r');
      await call(couch, 'POST', '/r/_bulk_docs', { docs: rollups });
      const { _rev: _ignored, ...fresh } = ddoc as typeof ddoc & { _rev?: string };
      await call(couch, 'PUT', '/r/_design/reports', fresh);
      const rows = await call<Rows>(couch, 'GET', '/r/_design/reports/_view/rollup?reduce=false');
      const sums = await call<Rows>(couch, 'GET', '/r/_design/reports/_view/rollup?group_level=4');
      answers.push({ rows: rows.rows, sums: sums.rows });
    }
    expect((answers[0] as { rows: unknown[] }).rows.length).to.be.greaterThan(1000);
    expect(answers[0]).to.deep.equal(answers[1]);
  });

  it('indexes a store view natively over its own types only: the catalog beside the sales is passed over unread, with the rows a full read gives', async function () {
    this.timeout(120_000);
    const ddoc = (await compileDesignDocs('relay-store')).find((d) => d._id === '_design/ledger_by_date')!;
    const { _rev: _ignored, ...fresh } = ddoc as typeof ddoc & { _rev?: string };
    const stores = [{ storeId: 'S001', timeZone: 'America/Mexico_City', taxMode: 'exclusive' as const, terminals: ['T1', 'T2'] }];
    const gen = generateChainDocs({ seed: 11, stores, from: '2025-05-25', days: 8 });
    const products = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ _id: `product:P${from + i}`, type: 'product', sku: `P${from + i}`, businessDate: '2025-05-26' }));
    const answers: unknown[] = [];
    const reads: number[] = [];
    for (const couch of [await start(true), await start(false)]) {
      await call(couch, 'PUT', '/s');
      // The catalog first, the ledger among it, and more catalog after the last ledger document.
      await call(couch, 'POST', '/s/_bulk_docs', { docs: products(0, 3000) });
      await call(couch, 'POST', '/s/_bulk_docs', { docs: gen.docs.filter((d) => String((d as { _id: string })._id).split(':')[0] !== 'product') });
      await call(couch, 'POST', '/s/_bulk_docs', { docs: products(3000, 2000) });
      await call(couch, 'PUT', '/s/_design/ledger_by_date', fresh);
      const rows = await call<Rows>(couch, 'GET', '/s/_design/ledger_by_date/_view/ledger_by_date');
      // More catalog, then the same query: a view whose position stopped at its last row would read these again.
      await call(couch, 'POST', '/s/_bulk_docs', { docs: products(5000, 2000) });
      const gets = countLevelGets(`s`);
      const again = await call<Rows & { update_seq?: unknown }>(couch, 'GET', '/s/_design/ledger_by_date/_view/ledger_by_date?update_seq=true').finally(() => gets.stop());
      expect(again.rows).to.deep.equal(rows.rows);
      // The index is at the database's last change, not at its last row's.
      expect(again.update_seq).to.equal((await call<{ update_seq: unknown }>(couch, 'GET', '/s')).update_seq);
      reads.push(gets.count());
      answers.push(rows.rows);
    }
    expect((answers[0] as unknown[]).length).to.be.greaterThan(100);
    expect(answers[0], 'the same rows as the sandbox reading every document').to.deep.equal(answers[1]);
    expect(reads[0], 'new catalog documents read by the filtered index').to.be.below(20);
    expect(reads[1], 'and by the full read').to.be.at.least(2000);
  });
});
