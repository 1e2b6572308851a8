// The design documents loaded into the real embedded server (couchdb/): deployed twice without a new
// revision, a `_stats` view queried over HTTP, and validate_doc_update refusing writes with 403.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedCouch, adminToken } from '../couchdb/index';
import type { EmbeddedCouch } from '../couchdb/index';
import { compileDesignDocs, deployDesignDocs } from './deploy';
import { signCouchToken } from '../server-kit/couch';
import * as fx from '../scripts/seed/documents';

const SECRET = 'deploy-test-secret';

function bearer(sub: string, roles: string[]): string {
  return 'Bearer ' + signCouchToken(SECRET, sub, roles, 300);
}

describe('design-docs: deploy into the embedded server', function () {
  let couch: EmbeddedCouch;
  let dataDir: string;
  const ADMIN = 'Bearer ' + adminToken(SECRET);
  const db = 'caja-store-s001';

  async function call(path: string, method = 'GET', body?: unknown, auth = ADMIN): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(couch.url + path, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'caja-ddoc-'));
    couch = await startEmbeddedCouch({ port: 0, dataDir, jwtSecret: SECRET });
    expect((await call('/' + db, 'PUT')).status).to.equal(201);
    const sec = { admins: { names: [], roles: [] }, members: { names: [], roles: ['store:S001'] } };
    expect((await call('/' + db + '/_security', 'PUT', sec)).status).to.equal(200);
  });

  after(async () => {
    await couch?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('deploys every ddoc once; a second deploy writes no revision', async () => {
    const names = (await compileDesignDocs('hq-store')).map((d) => d._id);
    const first = await deployDesignDocs(couch.url, db, 'hq-store', ADMIN);
    expect(first.created.sort()).to.deep.equal([...names].sort());
    const revs = await Promise.all(names.map(async (n) => (await call('/' + db + '/' + n)).json._rev));
    const second = await deployDesignDocs(couch.url, db, 'hq-store', ADMIN);
    expect(second).to.deep.equal({ db, created: [], updated: [], unchanged: names });
    const again = await Promise.all(names.map(async (n) => (await call('/' + db + '/' + n)).json._rev));
    expect(again).to.deep.equal(revs);
    for (const r of revs) expect(String(r)).to.match(/^1-/);
  });

  it('updates a ddoc whose content changed', async () => {
    const cur = (await call('/' + db + '/_design/docs_by_type')).json;
    const put = await call('/' + db + '/_design/docs_by_type', 'PUT', { ...cur, caja_hash: 'stale' });
    expect(put.status).to.equal(201);
    const result = await deployDesignDocs(couch.url, db, 'hq-store', ADMIN);
    expect(result.updated).to.deep.equal(['_design/docs_by_type']);
  });

  it('answers the _stats view over HTTP', async () => {
    const store = bearer('store:S001', ['caja-store', 'store:S001']);
    for (const doc of [fx.sale(1), fx.sale(2), fx.sale(3, 'S001', 'T2')]) {
      const res = await call('/' + db + '/' + encodeURIComponent(doc._id), 'PUT', doc, store);
      expect(res.status, JSON.stringify(res.json)).to.equal(201);
    }
    const res = await call('/' + db + '/_design/sales_by_date/_view/sales_by_date?group=true');
    expect(res.status).to.equal(200);
    expect(res.json.rows).to.deep.equal([
      { key: ['S001', '2024-05-01'], value: { sum: 3300, count: 3, min: 1100, max: 1100, sumsqr: 3 * 1100 * 1100 } },
    ]);
    const totals = await call('/' + db + '/_design/sales_totals/_view/sales_totals?group_level=2');
    expect(totals.json.rows).to.deep.equal([{ key: ['S001', '2024-05-01'], value: [3, 3300, 456, 150] }]);
  });

  it('validate_doc_update refuses with 403 and the reason', async () => {
    const store = bearer('store:S001', ['caja-store', 'store:S001']);
    const other = fx.sale(1, 'S002');
    const res = await call('/' + db + '/' + encodeURIComponent(other._id), 'PUT', other, store);
    expect(res.status).to.equal(403);
    expect(res.json).to.deep.equal({ error: 'forbidden', reason: 'store S001 may not write sale sale:S002:T1:00000001 (storeId "S002")' });

    const bad = { ...fx.sale(9), total: 1 };
    const badRes = await call('/' + db + '/' + encodeURIComponent(bad._id), 'PUT', bad, ADMIN);
    expect(badRes.status).to.equal(403);
    expect(String(badRes.json.reason)).to.match(/^invalid sale sale:S001:T1:00000009: total: must equal/);

    const existing = (await call('/' + db + '/' + encodeURIComponent(fx.sale(1)._id))).json;
    const edit = await call('/' + db + '/' + encodeURIComponent(fx.sale(1)._id), 'PUT', { ...existing, total: 0 }, store);
    expect(edit.status).to.equal(403);
    expect(edit.json.reason).to.equal('sale sale:S001:T1:00000001 is immutable: ledger documents are never edited (write a new document)');
  });
});
