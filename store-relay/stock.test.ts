// GET /api/v1/stock at a real relay (HQ and a provisioned relay on embedded CouchDB, loopback): stock levels
// are the `stock_milli` sums of the store's moves, sales, transfers out and arrivals in, joined with the
// relay's copy of the catalog; search by SKU, barcode, name and department, SKU cursor paging, and only a
// manager session holding inventory.adjust or reports.view gets an answer. An adjustment a paired till writes
// in its own replica shows in the level once it has synced up.
import { expect } from 'chai';
import { getOrNull } from '../desktop/renderer/features/checkout/localDb';
import { commitAdjustment } from '../desktop/renderer/features/stock/stock';
import type { StockPage } from '../shared/api/responses';
import { auditOwnerPrefix, CONFIG_ID, moveId, transferArrivalId, transferId, typePrefix } from '../shared/model/ids';
import { CATALOG_DB, RELAY_STORE_DB } from '../shared/model/names';
import type { Product, StockMovement, StoreConfig, StoreUser, Transfer, TransferArrival } from '../shared/model/types';
import { CURRENT_SCHEMA } from '../shared/model/types';
import { sale } from '../scripts/seed/documents';
import type { Chain } from '../tests/support/chain';
import { startChain } from '../tests/support/chain';
import { http, TEST_SECRET, waitFor } from '../tests/support/testing';
import type { RelayServer } from './server';
import { signManagerToken } from './services/terminals';

const T0 = '2025-06-02T15:00:00.000Z';

describe('relay: GET /api/v1/stock (issue 11, manager mode)', function () {
  this.timeout(60_000);
  let chain: Chain;
  let relay: RelayServer;
  let auth: Record<string, string>;
  let products: Product[];
  const stock = (query: string, headers = auth) => http<StockPage & { error?: string }>('GET', `${relay.url}/api/v1/stock${query}`, undefined, headers);

  before(async () => {
    chain = await startChain({ products: 60, relay: { jwtSecret: TEST_SECRET } });
    relay = chain.relays.get('S001') as RelayServer;
    // The manager's user document reaches the relay by replication from HQ.
    const login = await waitFor(
      async () => {
        const res = await http<{ token: string }>('POST', `${relay.url}/api/v1/auth/login`, { username: 'mgr.s001', pin: '9999' });
        return res.status === 200 ? res : null;
      },
      { timeoutMs: 30_000, what: 'the manager at the relay' },
    );
    auth = { Authorization: `Bearer ${login.body.token}` };
    // The catalog reaches the relay by replication from HQ.
    await waitFor(async () => (await stock('?limit=1')).body.total === 60, { timeoutMs: 30_000, what: 'the catalog at the relay' });
    const all = await relay.couch.request<{ rows: Array<{ doc: Product }> }>(
      `/${RELAY_STORE_DB}/_all_docs?include_docs=true&startkey=${encodeURIComponent(JSON.stringify(typePrefix('product')))}&endkey=${encodeURIComponent(JSON.stringify(typePrefix('product') + '\ufff0'))}`,
    );
    products = all.rows.map((r) => r.doc).sort((a, b) => (a.sku < b.sku ? -1 : 1));
  });
  after(() => chain?.close());

  it('sums moves, sales, transfers out and arrivals in for this store only', async () => {
    const [p1, p2] = products as [Product, Product];
    const line = (p: Product, qty: number) => ({ productId: p._id, qty });
    const base = { schema: CURRENT_SCHEMA, createdAt: T0, userId: 'u1' };
    const received: StockMovement = { ...base, _id: moveId('S001', 'm-1'), type: 'move', storeId: 'S001', reason: 'receive', lines: [line(p1, 10)] };
    const damaged: StockMovement = { ...base, _id: moveId('S001', 'm-2'), type: 'move', storeId: 'S001', reason: 'damage', lines: [line(p1, -2.5)], note: 'dropped' };
    const sent: Transfer = { ...base, _id: transferId('S001', 't-1'), type: 'transfer', storeId: 'S001', fromStoreId: 'S001', toStoreId: 'S002', lines: [line(p1, 3)] };
    // A transfer from another store counts there, not here; its arrival here counts here (with what came).
    const incoming: Transfer = { ...base, _id: transferId('S002', 't-2'), type: 'transfer', storeId: 'S002', fromStoreId: 'S002', toStoreId: 'S001', lines: [line(p2, 5)] };
    const arrived: TransferArrival = { ...base, _id: transferArrivalId(incoming._id), type: 'receipt', storeId: 'S001', transferId: incoming._id, lines: [line(p2, 4)] };
    const elsewhere: StockMovement = { ...base, _id: moveId('S002', 'm-3'), type: 'move', storeId: 'S002', reason: 'receive', lines: [line(p2, 100)] };
    const s = sale(1);
    const sold = { ...s, lines: s.lines.map((l) => ({ ...l, productId: p2._id, sku: p2.sku })) };
    const soldMilli = sold.lines.reduce((n, l) => n + Math.round(l.qty * 1000), 0);
    const res = await relay.couch.request<Array<{ ok?: boolean; error?: string }>>(`/${RELAY_STORE_DB}/_bulk_docs`, {
      method: 'POST',
      body: { docs: [received, damaged, sent, incoming, arrived, elsewhere, sold] },
    });
    expect(res.filter((r) => !r.ok), JSON.stringify(res)).to.deep.equal([]);

    const page = await stock(`?limit=2`);
    expect(page.status).to.equal(200);
    expect(page.body.items.map((i) => [i.sku, i.qtyMilli])).to.deep.equal([
      [p1.sku, 4500],
      [p2.sku, 4000 - soldMilli],
    ]);
    expect(page.body.items[0]).to.include({ productId: p1._id, departmentId: p1.departmentId, unit: p1.unit, active: p1.active });
    expect(page.body.items[0]?.name).to.deep.equal(p1.name);
  });

  it('finds by SKU, barcode, name words (accents ignored) and department', async () => {
    const p = products[7] as Product;
    expect((await stock(`?q=${encodeURIComponent(p.sku.toLowerCase())}`)).body.items.map((i) => i.sku)).to.include(p.sku);
    const byBarcode = await stock(`?q=${p.barcodes[0] ?? ''}`);
    expect(byBarcode.body.items.map((i) => i.sku)).to.deep.equal([p.sku]);
    const word = (p.name.es.split(/\s+/).find((w) => w.length > 3) ?? p.name.es).normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
    const byName = await stock(`?q=${encodeURIComponent(word)}`);
    expect(byName.body.items.map((i) => i.sku)).to.include(p.sku);
    const byDept = await stock(`?dept=${encodeURIComponent(p.departmentId)}&limit=500`);
    const inDept = products.filter((x) => x.departmentId === p.departmentId).map((x) => x.sku);
    expect(byDept.body.items.map((i) => i.sku)).to.deep.equal(inDept);
    expect(byDept.body.total).to.equal(inDept.length);
    expect((await stock('?q=no-such-product-anywhere')).body).to.deep.equal({ items: [], total: 0, nextCursor: null });
  });

  it('pages by SKU cursor through every product once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: StockPage } = await stock(`?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).to.equal(200);
      seen.push(...page.body.items.map((i) => i.sku));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal(products.map((p) => p.sku));
  });

  it('answers a new product from HQ in the next search', async () => {
    const base = products[0] as Product;
    const added: Product = { ...base, _id: 'product:ZZ-NEW-1', sku: 'ZZ-NEW-1', barcodes: [], name: { en: 'Brand new widget', es: 'Artefacto nuevo' } };
    delete added._rev;
    await chain.hq.couch.nano.use(CATALOG_DB).insert(added);
    await waitFor(async () => (await stock('?q=widget')).body.items.some((i) => i.sku === 'ZZ-NEW-1'), { timeoutMs: 20_000, what: 'the new product at the relay' });
  });

  it('includes an adjustment a paired terminal wrote offline once it has synced', async () => {
    const terminal = await chain.pairTerminal('S001');
    const stop = terminal.startSync();
    try {
      const config = await waitFor(() => getOrNull<StoreConfig>(terminal.local, CONFIG_ID), { timeoutMs: 30_000, what: 'the store config at the terminal' });
      const p = products[3] as Product;
      const before = (await stock(`?q=${encodeURIComponent(p.sku)}`)).body.items.find((i) => i.sku === p.sku)?.qtyMilli;
      const manager = { userId: 'u-mgr', permissions: ['inventory.adjust'] };
      const res = await commitAdjustment(terminal.local, { config, terminalId: terminal.pairing.terminalId, user: manager, productId: p._id, qty: -1.5, reason: 'damage', uuid: 'e2e-1', auditUuid: 'e2e-a1' });
      expect(res.ok, JSON.stringify(res)).to.equal(true);
      await waitFor(async () => (await stock(`?q=${encodeURIComponent(p.sku)}`)).body.items.find((i) => i.sku === p.sku)?.qtyMilli === (before ?? 0) - 1500, {
        timeoutMs: 30_000,
        what: 'the adjustment in the relay level',
      });
      // Its audit entry reaches the relay too (in its own replication batch; it stays there: terminals do not pull audit entries).
      const target = res.ok ? res.value._id : '';
      const audited = async () => {
        const audit = await relay.couch.request<{ rows: Array<{ doc?: { action: string; target: string } }> }>(
          `/${RELAY_STORE_DB}/_all_docs?include_docs=true&startkey=${encodeURIComponent(JSON.stringify(auditOwnerPrefix('S001')))}&endkey=${encodeURIComponent(JSON.stringify(auditOwnerPrefix('S001') + '\ufff0'))}`,
        );
        return audit.rows.some((r) => r.doc?.action === 'stock.adjust' && r.doc.target === target);
      };
      await waitFor(audited, { timeoutMs: 30_000, what: 'the audit entry at the relay' });
    } finally {
      stop();
    }
  });

  it('refuses without a session, with a bad limit, and without either permission', async () => {
    expect((await stock('', {})).status).to.equal(401);
    expect((await stock('?limit=0')).status).to.equal(400);
    expect((await stock('?limit=abc')).status).to.equal(400);
    const user = { userId: 'u-x', permissions: ['terminals.manage'] } as Pick<StoreUser, 'userId' | 'permissions'> as StoreUser;
    const narrow = await stock('', { Authorization: `Bearer ${signManagerToken(TEST_SECRET, 'S001', user)}` });
    expect(narrow.status).to.equal(403);
    expect(narrow.body.error).to.equal('permission_denied');
    const reader = { userId: 'u-y', permissions: ['reports.view'] } as Pick<StoreUser, 'userId' | 'permissions'> as StoreUser;
    expect((await stock('?limit=1', { Authorization: `Bearer ${signManagerToken(TEST_SECRET, 'S001', reader)}` })).status).to.equal(200);
  });
});
