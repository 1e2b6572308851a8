// The credit ledger in a real store database (embedded server): entries written by the store's credential,
// the credit_balance view answering balances over HTTP, and validate_doc_update refusing another store's
// entry, an edited entry and a customer carrying money.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedCouch, adminToken } from '../couchdb/index';
import type { EmbeddedCouch } from '../couchdb/index';
import { deployDesignDocs } from './deploy';
import { signCouchToken } from '../server-kit/couch';
import * as fx from '../scripts/seed/documents';
import { creditId, creditLinkUnique, returnId } from '../shared/model/ids';

const SECRET = 'credit-view-test-secret';
const bearer = (sub: string, roles: string[]) => 'Bearer ' + signCouchToken(SECRET, sub, roles, 300);

describe('design-docs: credit_balance in the embedded server', function () {
  let couch: EmbeddedCouch;
  let dataDir: string;
  // Signed when the file starts, not when mocha loads it.
  let ADMIN = '';
  let STORE = '';
  const db = 'caja-store-s001';

  async function call(path: string, method = 'GET', body?: unknown, auth = ADMIN): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(couch.url + '/' + db + path, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }
  const put = (doc: { _id: string }, auth = STORE) => call('/' + encodeURIComponent(doc._id), 'PUT', doc, auth);

  before(async () => {
    ADMIN = 'Bearer ' + adminToken(SECRET);
    STORE = bearer('store:S001', ['caja-store', 'store:S001']);
    dataDir = await mkdtemp(join(tmpdir(), 'caja-credit-'));
    couch = await startEmbeddedCouch({ port: 0, dataDir, jwtSecret: SECRET });
    expect((await call('', 'PUT')).status).to.equal(201);
    expect((await call('/_security', 'PUT', { admins: { names: [], roles: [] }, members: { names: [], roles: ['store:S001'] } })).status).to.equal(200);
    await deployDesignDocs(couch.url, db, 'hq-store', ADMIN);
  });

  after(async () => {
    await couch?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sums each holder\'s entries; the store writes only its own and never edits one', async () => {
    const refund = {
      ...fx.credit(), _id: creditId('customer:cust-1', 'S001', 'T2', creditLinkUnique('return', 5, 0)), terminalId: 'T2',
      amount: 3000, reason: 'refund', returnId: returnId('S001', 'T2', 5),
    } as Record<string, unknown>;
    delete refund.saleId;
    for (const doc of [refund, fx.credit(1), fx.credit(2), fx.giftCardIssue()]) {
      const res = await put(doc as { _id: string });
      expect(res.status, JSON.stringify(res.json)).to.equal(201);
    }
    // An old customer that says it holds 9,999.99 (HQ's own copy): stored, and worth nothing.
    expect((await put({ ...fx.customer(), storeCredit: 999999 } as { _id: string }, ADMIN)).status).to.equal(201);

    const view = await call('/_design/credit_balance/_view/credit_balance?group=true');
    expect(view.json.rows).to.deep.equal([
      { key: 'customer:cust-1', value: 3000 - 500 - 500 },
      { key: 'giftcard:6001002003', value: 5000 },
    ]);
    const one = await call('/_design/credit_balance/_view/credit_balance?key=' + encodeURIComponent('"customer:cust-1"'));
    expect(one.json.rows).to.deep.equal([{ key: null, value: 2000 }]);

    const other = await put(fx.credit(1, 'S002', 'T1'));
    expect(other.status).to.equal(403);
    expect(other.json.reason).to.equal('store S001 may not write credit credit:customer:cust-1:S002:T1:sale-00000001-0 (storeId "S002")');
    const stored = (await call('/' + encodeURIComponent(fx.credit(1)._id))).json;
    const edit = await call('/' + encodeURIComponent(fx.credit(1)._id), 'PUT', { ...stored, amount: -1 }, STORE);
    expect(edit.status).to.equal(403);
    expect(edit.json.reason).to.match(/is immutable: ledger documents are never edited/);
    const gone = await call('/' + encodeURIComponent(fx.credit(1)._id) + '?rev=' + String(stored._rev), 'DELETE', undefined, STORE);
    expect(gone.status).to.equal(403);
    const money = await put({ ...fx.customer(), _id: 'customer:cust-2', storeCredit: 100 } as { _id: string });
    expect(money.status).to.equal(403);
    expect(money.json.reason).to.match(/storeCredit: is no longer a customer field/);
  });
});
