// Issue #12: customers at HQ — search, create, stale-safe edit, and their conflicts resolved deterministically
// with the losing revision kept for review — on a real HQ over its embedded CouchDB. Tills' edits are written
// into the stores' HQ databases as replication leaves them (revision trees with `new_edits: false`), so a
// conflict is exactly the one two offline tills make.
import path from 'node:path';
import { expect } from 'chai';
import { http, tempDir, testConfig, testLogger, waitFor } from '../tests/support/testing';
import type { CustomerConflict, CustomerPage } from '../shared/api/hqRecords';
import { customerId } from '../shared/model/ids';
import { HQ_DB, hqStoreDbName } from '../shared/model/names';
import type { Customer } from '../shared/model/types';
import { startHq } from './server';
import type { HqServer } from './server';
import { beats } from './services/customers';

type Body = { error?: string; reason?: string; details?: Record<string, unknown> };
type Doc = Customer & { _conflicts?: string[] };

describe('HQ customers: search, stale-safe edits, conflicts resolved with the loser kept (issue #12)', function () {
  this.timeout(120_000);
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let hq: HqServer;
  let auth: Record<string, string>;
  const api = <T = Body>(method: string, p: string, body?: unknown, headers = auth) => http<T>(method, `${hq.url}/api/v1${p}`, body, headers);
  const storeDoc = (store: string, id: string) => hq.couch.request<Doc>(`/${hqStoreDbName(store)}/${encodeURIComponent(id)}?conflicts=true`).catch(() => null);
  const hubDoc = (id: string) => hq.couch.request<Doc>(`/${HQ_DB}/${encodeURIComponent(id)}?conflicts=true`).catch(() => null);

  /** Two tills' edits of `base` on one parent, as replication writes them: a conflict with known revisions. */
  async function tillEdits(store: string, base: Customer, edits: Array<{ hash: string; fields: Partial<Customer> }>): Promise<void> {
    const [gen, parent] = String(base._rev).split('-') as [string, string];
    const docs = edits.map((e) => ({ ...base, ...e.fields, _rev: `${Number(gen) + 1}-${e.hash}`, _revisions: { start: Number(gen) + 1, ids: [e.hash, parent] } }));
    await hq.couch.request(`/${hqStoreDbName(store)}/_bulk_docs`, { method: 'POST', body: { docs, new_edits: false } });
  }

  before(async () => {
    tmp = await tempDir('caja-hq-customers-');
    hq = await startHq(testConfig(path.join(tmp.dir, 'hq')), testLogger());
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    auth = { Authorization: `Bearer ${login.body.accessToken}` };
    for (const code of ['S001', 'S002']) expect((await api('POST', '/stores', { code, name: `Store ${code}` })).status).to.equal(201);
  });
  after(async () => {
    await hq?.close();
    await tmp?.cleanup();
  });

  it('creates customers that reach every store database, and finds them by name, e-mail or phone, paged', async () => {
    const made: Customer[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await api<Customer>('POST', '/customers', { name: i === 3 ? 'José Pérez' : `Cliente ${i}`, email: `c${i}@example.com`, phone: `+52 81 5555 ${String(1000 + i)}` });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      made.push(res.body);
    }
    for (const store of ['S001', 'S002']) expect((await storeDoc(store, (made[3] as Customer)._id))?.name).to.equal('José Pérez');
    expect((await api<CustomerPage>('GET', '/customers?q=jose%20perez')).body.items.map((c) => c._id)).to.deep.equal([(made[3] as Customer)._id]);
    expect((await api<CustomerPage>('GET', '/customers?q=c7@example')).body.items.map((c) => c._id)).to.deep.equal([(made[7] as Customer)._id]);
    expect((await api<CustomerPage>('GET', '/customers?q=5555%201005')).body.items.map((c) => c._id)).to.deep.equal([(made[5] as Customer)._id]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: CustomerPage } = await api<CustomerPage>('GET', `/customers?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((c) => c._id));
      cursor = page.body.next;
    } while (cursor);
    expect(seen).to.deep.equal(made.map((c) => c._id).sort());
    expect((await api('POST', '/customers', { name: 'x', storeCredit: 100 })).body.error).to.equal('unknown_field');
    expect((await api('GET', '/customers?cursor=abc')).body.error).to.equal('invalid_cursor');
    expect((await api('GET', `/customers/${encodeURIComponent(customerId('nobody'))}`)).body.error).to.equal('customer_not_found');
  });

  it('saves an edit made on the current revision and refuses a stale one with 409 and the current version', async () => {
    const c = (await api<Customer>('POST', '/customers', { name: 'Edith', email: 'edith@example.com' })).body;
    const saved = await api<Customer>('PATCH', `/customers/${encodeURIComponent(c._id)}`, { _rev: c._rev, phone: '8112345678', email: null });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    expect(saved.body.phone).to.equal('8112345678');
    expect(saved.body.email).to.equal(undefined);
    const stale = await api<Body>('PATCH', `/customers/${encodeURIComponent(c._id)}`, { _rev: c._rev, name: 'Edith B' });
    expect([stale.status, stale.body.error]).to.deep.equal([409, 'stale_edit']);
    expect((stale.body.details?.current as Customer)._rev).to.equal(saved.body._rev);
    expect((await api('PATCH', `/customers/${encodeURIComponent(c._id)}`, { name: 'No rev' })).body.error).to.equal('rev_required');
    await waitFor(async () => (await storeDoc('S002', c._id))?._rev === saved.body._rev, { timeoutMs: 10_000, what: 'the edit in S002' });
  });

  it('resolves two tills’ conflicting edits: the latest updatedAt wins everywhere, the loser is kept and listed for review', async () => {
    const c = (await api<Customer>('POST', '/customers', { name: 'Conflicted', phone: '811000' })).body;
    const base = (await storeDoc('S001', c._id)) as Customer;
    // Till A edits first (older), till B later: B must win whatever the revision hashes say.
    await tillEdits('S001', base, [
      { hash: 'f'.repeat(32), fields: { name: 'Till A (older)', updatedAt: '2030-01-01T10:00:00.000Z' } },
      { hash: '0'.repeat(32), fields: { name: 'Till B (newer)', updatedAt: '2030-01-01T10:05:00.000Z' } },
    ]);
    for (const store of ['S001', 'S002']) {
      await waitFor(async () => {
        const d = await storeDoc(store, c._id);
        return d?.name === 'Till B (newer)' && !d._conflicts?.length;
      }, { timeoutMs: 15_000, what: `the winner, without conflicts, in ${store}` });
    }
    const hub = await hubDoc(c._id);
    expect([hub?.name, hub?._conflicts]).to.deep.equal(['Till B (newer)', undefined]);
    const open = (await api<CustomerConflict[]>('GET', '/customers/conflicts')).body.find((x) => x.customerId === c._id);
    expect(open?.open).to.equal(true);
    expect(open?.winner.doc.name).to.equal('Till B (newer)');
    expect(open?.losers.map((l) => [l.rev, l.doc.name])).to.deep.equal([[`2-${'f'.repeat(32)}`, 'Till A (older)']]);
    // The losing revision's body also stays readable by its revision.
    expect((await hq.couch.request<Customer>(`/${hqStoreDbName('S001')}/${encodeURIComponent(c._id)}?rev=2-${'f'.repeat(32)}`)).name).to.equal('Till A (older)');
    const audit = (await api<Array<{ action: string; target: string }>>('GET', '/audit?limit=50')).body;
    expect(audit.some((a) => a.action === 'customer.conflict_resolved' && a.target === c._id)).to.equal(true);

    // A reviewer restores the loser: it becomes the current version everywhere, and the review closes.
    const id = encodeURIComponent(c._id);
    expect((await api<Body>('POST', `/customers/${id}/resolve`, { rev: '2-abc' })).body.error).to.equal('unknown_revision');
    const reviewed = await api<CustomerConflict>('POST', `/customers/${id}/resolve`, { rev: `2-${'f'.repeat(32)}`, note: 'A was right' });
    expect(reviewed.status, JSON.stringify(reviewed.body)).to.equal(200);
    expect([reviewed.body.open, reviewed.body.current?.name]).to.deep.equal([false, 'Till A (older)']);
    await waitFor(async () => (await storeDoc('S002', c._id))?.name === 'Till A (older)', { timeoutMs: 10_000, what: 'the restored version in S002' });
    expect((await api<CustomerConflict[]>('GET', '/customers/conflicts')).body.some((x) => x.customerId === c._id)).to.equal(false);
    expect((await api<Body>('POST', `/customers/${id}/resolve`, {})).body.error).to.equal('customer_conflict_not_found');
  });

  it('resolves the same customer edited at two stores, and a tie by the higher revision', async () => {
    const c = (await api<Customer>('POST', '/customers', { name: 'Two stores' })).body;
    await waitFor(async () => Boolean(await storeDoc('S002', c._id)), { timeoutMs: 10_000, what: 'the customer in S002' });
    const at = '2030-02-02T00:00:00.000Z';
    const base = (await storeDoc('S001', c._id)) as Customer;
    await tillEdits('S001', base, [{ hash: 'a'.repeat(32), fields: { name: 'Edited at S001', updatedAt: at } }]);
    await tillEdits('S002', base, [{ hash: 'b'.repeat(32), fields: { name: 'Edited at S002', updatedAt: at } }]);
    for (const store of ['S001', 'S002']) {
      await waitFor(async () => {
        const d = await storeDoc(store, c._id);
        return d?.name === 'Edited at S002' && !d._conflicts?.length;
      }, { timeoutMs: 15_000, what: `one winner in ${store}` });
    }
    expect(beats({ _rev: '2-b', updatedAt: at }, { _rev: '2-a', updatedAt: at })).to.equal(true);
    expect(beats({ _rev: '3-a', updatedAt: at }, { _rev: '2-b', updatedAt: at })).to.equal(true);
    expect(beats({ _rev: '9-z', updatedAt: '2030-01-01T00:00:00.000Z' }, { _rev: '1-a', updatedAt: at })).to.equal(false);
    // Accepting the automatic winner closes the review without writing the customer.
    const before = (await hubDoc(c._id))?._rev;
    const ok = await api<CustomerConflict>('POST', `/customers/${encodeURIComponent(c._id)}/resolve`, {});
    expect([ok.status, ok.body.open, ok.body.losers.map((l) => l.doc.name)]).to.deep.equal([200, false, ['Edited at S001']]);
    expect((await hubDoc(c._id))?._rev).to.equal(before);
  });

  it('gives a store created later every customer, and refuses a user without customers.edit', async () => {
    expect((await api('POST', '/stores', { code: 'S003', name: 'Late store' })).status).to.equal(201);
    const total = (await api<CustomerPage>('GET', '/customers?limit=200')).body.items.length;
    await waitFor(async () => (await hq.couch.nano.use(hqStoreDbName('S003')).list({ startkey: 'customer:', endkey: 'customer:\ufff0' })).rows.length === total, { timeoutMs: 15_000, what: 'the backfill of S003' });
    await api('POST', '/users', { username: 'no.customers', password: 'no-customers-pass-1' });
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'no.customers', password: 'no-customers-pass-1' });
    const as = { Authorization: `Bearer ${login.body.accessToken}` };
    expect((await api('GET', '/customers', undefined, as)).status).to.equal(403);
    expect((await api('POST', '/customers', { name: 'Nope' }, as)).status).to.equal(403);
    expect((await api('GET', '/customers/conflicts', undefined, as)).status).to.equal(403);
  });
});
