// Issue #12: the sales browser across stores, store configuration and store prices in bulk, on a real HQ over
// its embedded CouchDB. Sales are written straight into the stores' HQ databases (as replication would leave
// them): what is tested here is how HQ finds them, not how they travel (tests/integration covers that).
import path from 'node:path';
import { expect } from 'chai';
import { http, tempDir, testConfig, testLogger } from '../tests/support/testing';
import { generateCatalog } from '../scripts/seed';
import { returnDoc, sale as saleFixture, voidOf } from '../scripts/seed/documents';
import type { BulkPriceAnswer, SaleDetail, SalePage, StoreConfigAnswer } from '../shared/api/hqRecords';
import { customerId, priceId } from '../shared/model/ids';
import { CATALOG_DB, hqStoreDbName } from '../shared/model/names';
import type { Product, Sale, StorePrice } from '../shared/model/types';
import { startHq } from './server';
import type { HqServer } from './server';

type Body = { error?: string; reason?: string; details?: Record<string, unknown> };

/** A valid sale of `store`/`terminal` number `seq` on `day`, rung by `cashier`, with one or both fixture lines. */
function saleOf(store: string, terminal: string, seq: number, day: string, cashier: string, small: boolean, customer?: string): Sale {
  const s = { ...saleFixture(seq, store, terminal), businessDate: day, cashierId: cashier, ...(customer ? { customerId: customer } : {}) };
  if (!small) return s;
  // Only the first line: 2 x 2.50, VAT 0.80, total 5.80 paid with 10.00.
  const line = s.lines[0] as Sale['lines'][number];
  const m = (n: number) => n as Sale['total'];
  return {
    ...s,
    lines: [line],
    subtotal: m(500), discountTotal: m(0), taxTotal: m(80),
    taxes: [{ ...(s.taxes[0] as Sale['taxes'][number]), basis: m(500), amount: m(80) }],
    rounding: m(0), total: m(580),
    tenders: [{ tenderId: 'tender:CASH', kind: 'cash', amount: m(580), tendered: m(1000), change: m(420) }],
    change: m(420),
  };
}

describe('HQ sales browser, store configuration and bulk store prices (issue #12)', function () {
  this.timeout(120_000);
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let hq: HqServer;
  let auth: Record<string, string>;
  let products: Product[];
  const sales: Sale[] = [];
  const api = <T = Body>(method: string, p: string, body?: unknown, headers = auth) => http<T>(method, `${hq.url}/api/v1${p}`, body, headers);

  before(async () => {
    tmp = await tempDir('caja-hq-sales-');
    hq = await startHq(testConfig(path.join(tmp.dir, 'hq')), testLogger());
    const catalog = generateCatalog({ products: 20 });
    products = catalog.products;
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: catalog.docs });
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    auth = { Authorization: `Bearer ${login.body.accessToken}` };
    for (const code of ['S001', 'S002']) expect((await api('POST', '/stores', { code, name: `Store ${code}` })).status).to.equal(201);
    // 3 days x 2 stores x 2 terminals x 3 sales; cashiers alternate, every third sale small, one customer.
    const days = ['2024-05-01', '2024-05-02', '2024-05-03'];
    let n = 0;
    for (const store of ['S001', 'S002']) {
      const seqs: Record<string, number> = { T1: 0, T2: 0 };
      for (const day of days) {
        for (const terminal of ['T1', 'T2']) {
          for (let k = 0; k < 3; k++) {
            n++;
            const seq = ++(seqs[terminal] as number);
            sales.push(saleOf(store, terminal, seq, day, n % 2 ? 'u-ana' : 'u-beto', n % 3 === 0, n === 7 ? customerId('c-7') : undefined));
          }
        }
      }
    }
    for (const store of ['S001', 'S002']) {
      const res = await hq.couch.nano.use(hqStoreDbName(store)).bulk({ docs: sales.filter((s) => s.storeId === store) });
      expect(res.filter((r) => 'error' in r && r.error), JSON.stringify(res.slice(0, 2))).to.deep.equal([]);
    }
  });
  after(async () => {
    await hq?.close();
    await tmp?.cleanup();
  });

  /** Every page of a query, following `next`. */
  async function all(query: string, limit: number): Promise<SalePage['items']> {
    const out: SalePage['items'] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const res: { status: number; body: SalePage } = await api<SalePage>('GET', `/sales?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.items.length).to.be.at.most(limit);
      out.push(...res.body.items);
      cursor = res.body.next;
      if (!cursor) return out;
    }
    throw new Error('did not end');
  }

  const order = (a: { businessDate: string; storeId: string; id: string }, b: typeof a) =>
    a.businessDate !== b.businessDate ? (a.businessDate > b.businessDate ? -1 : 1) : a.storeId !== b.storeId ? (a.storeId < b.storeId ? -1 : 1) : a.id > b.id ? -1 : 1;

  it('pages through every sale of the chain once, newest business day first, then store, then id', async () => {
    const got = await all('', 7);
    const want = sales.map((s) => ({ businessDate: s.businessDate, storeId: s.storeId, id: s._id })).sort(order);
    expect(got.map((s) => s.id)).to.deep.equal(want.map((s) => s.id));
    expect(got[0]).to.include({ storeId: 'S001', businessDate: '2024-05-03', currency: 'MXN', voided: false });
  });

  it('filters by store, business dates, cashier, customer and total, and every filter together pages correctly', async () => {
    const check = async (query: string, keep: (s: Sale) => boolean, limit = 4) => {
      const got = await all(query, limit);
      const want = sales.filter(keep).map((s) => ({ businessDate: s.businessDate, storeId: s.storeId, id: s._id })).sort(order);
      expect(got.map((s) => s.id), query).to.deep.equal(want.map((s) => s.id));
      expect(want.length, `${query} should match something`).to.be.greaterThan(0);
    };
    await check('&store=S002', (s) => s.storeId === 'S002');
    await check('&from=2024-05-02&to=2024-05-02', (s) => s.businessDate === '2024-05-02');
    await check('&from=2024-05-02', (s) => s.businessDate >= '2024-05-02', 5);
    await check('&cashier=u-beto', (s) => s.cashierId === 'u-beto', 3);
    await check('&maxTotal=600', (s) => s.total <= 600);
    await check('&minTotal=1000&store=S001&to=2024-05-02', (s) => s.total >= 1000 && s.storeId === 'S001' && s.businessDate <= '2024-05-02', 2);
    await check(`&customer=${encodeURIComponent(customerId('c-7'))}`, (s) => s.customerId === customerId('c-7'), 1);
    await check('&cashier=u-ana&minTotal=1000&from=2024-05-02', (s) => s.cashierId === 'u-ana' && s.total >= 1000 && s.businessDate >= '2024-05-02', 1);
  });

  it('finds a sale by receipt number, and answers a sale whole with its void and its returns', async () => {
    const target = sales.find((s) => s.storeId === 'S001' && s.terminalId === 'T1' && s.seq === 1) as Sale;
    const v = { ...voidOf(target), businessDate: target.businessDate };
    const ret = { ...returnDoc(50, 'S001', 'T1') };
    await hq.couch.nano.use(hqStoreDbName('S001')).bulk({ docs: [v, ret] });
    const found = await api<SalePage>('GET', `/sales?receipt=${target.receiptNumber}`);
    expect(found.body.items.map((s) => [s.id, s.voided])).to.deep.equal([[target._id, true]]);
    expect((await api<SalePage>('GET', `/sales?receipt=${target.receiptNumber}&store=S002`)).body.items).to.deep.equal([]);
    expect((await api<SalePage>('GET', '/sales?receipt=S001-T1-999')).body.items).to.deep.equal([]);
    const detail = await api<SaleDetail>('GET', `/sales/${encodeURIComponent(target._id)}`);
    expect(detail.status).to.equal(200);
    expect(detail.body.sale.lines).to.have.length(target.lines.length);
    expect(detail.body.sale.tenders[0]?.kind).to.equal('cash');
    expect(detail.body.void?._id).to.equal(v._id);
    expect(detail.body.returns.map((r) => r._id)).to.deep.equal([ret._id]);
    expect(detail.body.approvals.map((a) => [a.action, a.on])).to.deep.equal([['sale.void', v._id], ['sale.refund', ret._id]]);
    expect((await api('GET', `/sales/${encodeURIComponent('sale:S001:T1:00009999')}`)).body.error).to.equal('sale_not_found');
    expect((await api('GET', '/sales/nonsense')).status).to.equal(404);
  });

  it('refuses bad queries with the field named, and a user without reports.view', async () => {
    for (const q of ['from=2024-02-30', 'from=2024-05-03&to=2024-05-01', 'limit=0', 'limit=abc', 'minTotal=-1', 'cursor=%25%25', 'cursor=abc', 'store=nope!', 'receipt=12', 'bogus=1']) {
      const res = await api('GET', `/sales?${q}`);
      expect(res.status, q).to.equal(400);
    }
    expect((await api('GET', '/sales?store=S999')).status).to.equal(404);
    await api('POST', '/users', { username: 'no.reports', password: 'no-reports-pass-1' });
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'no.reports', password: 'no-reports-pass-1' });
    const as = { Authorization: `Bearer ${login.body.accessToken}` };
    expect((await api('GET', '/sales', undefined, as)).status).to.equal(403);
    expect((await api('PUT', '/stores/S001/config', {}, as)).status).to.equal(403);
    expect((await api('PUT', '/store-prices/S001', { prices: [] }, as)).status).to.equal(403);
  });

  it('reads and replaces a store configuration with its revision; a stale one gets 409 with the current version', async () => {
    const opened = (await api<StoreConfigAnswer>('GET', '/stores/S001/config')).body;
    expect(opened.config).to.include({ storeId: 'S001', cashRounding: 0 });
    const edit = {
      _rev: opened.config._rev,
      timeZone: 'America/Monterrey',
      currency: 'MXN',
      locale: 'en',
      taxMode: 'exclusive',
      cashRounding: 50,
      receiptHeader: { name: 'Caja Centro', address: 'Av. Juárez 1\nCentro' },
      receiptFooter: { en: 'Thanks!', es: '¡Gracias!' },
    };
    const saved = await api<StoreConfigAnswer>('PUT', '/stores/S001/config', edit);
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    expect(saved.body.config).to.include({ timeZone: 'America/Monterrey', locale: 'en', taxMode: 'exclusive', cashRounding: 50, name: 'Caja Centro' });
    expect(saved.body.receiptHeader).to.deep.equal(edit.receiptHeader);
    const stale = await api<Body>('PUT', '/stores/S001/config', { ...edit, cashRounding: 5 });
    expect([stale.status, stale.body.error]).to.deep.equal([409, 'stale_edit']);
    expect((stale.body.details?.current as StoreConfigAnswer).config._rev).to.equal(saved.body.config._rev);
    expect((await api('PUT', '/stores/S001/config', { ...edit, _rev: undefined })).body.error).to.equal('rev_required');
    expect((await api('PUT', '/stores/S001/config', { ...edit, _rev: saved.body.config._rev, cashRounding: 3 })).status).to.equal(400);
    // The store record follows (the stores list shows what the tills have), and a later PATCH keeps the footer.
    expect((await api<{ name: string; timeZone: string }>('GET', '/stores/S001')).body).to.include({ name: 'Caja Centro', timeZone: 'America/Monterrey' });
    expect((await api('PATCH', '/stores/S001', { name: 'Caja Centro 2' })).status).to.equal(200);
    const after = (await api<StoreConfigAnswer>('GET', '/stores/S001/config')).body;
    expect(after.config).to.include({ name: 'Caja Centro 2', cashRounding: 50 });
    expect(after.receiptFooter).to.deep.equal(edit.receiptFooter);
    const audit = (await api<Array<{ action: string; target: string }>>('GET', '/audit?limit=20')).body;
    expect(audit.map((a) => a.action)).to.include('store.config_update');
  });

  it('sets and removes store prices in bulk with one answer per line, and writes nothing when a line is wrong', async () => {
    const db = hq.couch.nano.use<StorePrice>(hqStoreDbName('S002'));
    const [a, b, c] = products as [Product, Product, Product];
    const first = await api<BulkPriceAnswer>('PUT', '/store-prices/S002', { prices: [{ sku: a.sku, price: 111 }, { sku: b.sku, price: 222 }, { sku: c.sku, price: null }] });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body.counts).to.deep.equal({ set: 2, removed: 0, unchanged: 1, error: 0 });
    expect((await db.get(priceId(a.sku))).price).to.equal(111);
    const second = await api<BulkPriceAnswer>('PUT', '/store-prices/S002', { prices: [{ sku: a.sku, price: 111 }, { sku: b.sku, price: null }, { sku: c.sku, price: 333 }] });
    expect(second.body.lines.map((l) => [l.sku, l.result])).to.deep.equal([[a.sku, 'unchanged'], [b.sku, 'removed'], [c.sku, 'set']]);
    const before = await hq.couch.request<{ update_seq: unknown }>(`/${hqStoreDbName('S002')}`);
    const bad = await api<Body>('PUT', '/store-prices/S002', { prices: [{ sku: a.sku, price: 1 }, { sku: 'NO-SUCH-SKU', price: 5 }, { sku: a.sku, price: 2 }] });
    expect([bad.status, bad.body.error]).to.deep.equal([400, 'invalid_lines']);
    expect((bad.body.details?.lines as Array<{ index: number }>).map((l) => l.index)).to.deep.equal([1, 2]);
    expect((await api<Body>('PUT', '/store-prices/S002', { prices: [{ sku: a.sku, price: -5 }] })).body.error).to.equal('invalid_price');
    const tooMany = await api<Body>('PUT', '/store-prices/S002', { prices: Array.from({ length: 5001 }, (_, i) => ({ sku: `X${i}`, price: 1 })) });
    expect([tooMany.status, tooMany.body.error]).to.deep.equal([400, 'too_many_lines']);
    expect((await hq.couch.request<{ update_seq: unknown }>(`/${hqStoreDbName('S002')}`)).update_seq).to.deep.equal(before.update_seq);
    expect((await db.get(priceId(a.sku))).price).to.equal(111);
    expect((await api('PUT', '/store-prices/S999', { prices: [{ sku: a.sku, price: 1 }] })).status).to.equal(404);
  });

  it('writes 5,000 prices in one request', async () => {
    const many = generateCatalog({ products: 5000 });
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: many.products.filter((p) => !products.some((q) => q.sku === p.sku)) });
    const res = await api<BulkPriceAnswer>('PUT', '/store-prices/S001', { prices: many.products.map((p, i) => ({ sku: p.sku, price: 100 + i })) });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(200);
    expect(res.body.counts.set).to.equal(5000);
  });
});
