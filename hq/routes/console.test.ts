// Issue #12: the endpoints the HQ console adds (product list paged and searched on the server, product edit
// carrying its revision) and how HQ serves the console, on a real HQ over an embedded CouchDB.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { http, tempDir, testConfig, testLogger } from '../../tests/support/testing';
import { listen } from '../../server-kit/http';
import { generateCatalog } from '../../scripts/seed';
import type { Product } from '../../shared/model/types';
import { startHq } from '../server';
import type { HqServer } from '../server';
import { CATALOG_DB } from '../../shared/model/names';
import type { ProductPage } from '../../shared/api/responses';
import { consoleStatic } from './console';

describe('console endpoints: product list and stale-safe edit (issue #12)', function () {
  this.timeout(60_000);
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let hq: HqServer;
  let auth: Record<string, string>;
  const PRODUCTS = 300;

  const api = <T>(method: string, p: string, body?: unknown, headers = auth) => http<T>(method, `${hq.url}/api/v1${p}`, body, headers);

  before(async () => {
    tmp = await tempDir('caja-console-api-');
    hq = await startHq(testConfig(path.join(tmp.dir, 'hq')), testLogger());
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: generateCatalog({ products: PRODUCTS }).docs });
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    auth = { Authorization: `Bearer ${login.body.accessToken}` };
  });
  after(async () => {
    await hq?.close();
    await tmp?.cleanup();
  });

  it('pages through every product once, in SKU order, by cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: ProductPage } = await api<ProductPage>('GET', `/console/products?limit=70${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).to.equal(200);
      expect(page.body.total).to.equal(PRODUCTS);
      seen.push(...page.body.items.map((p) => p.sku));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).to.have.length(PRODUCTS);
    expect(new Set(seen).size).to.equal(PRODUCTS);
    expect([...seen].sort()).to.deep.equal(seen);
  });

  it('finds a product by a word of its Spanish or English name (accents ignored), its barcode and its SKU prefix', async () => {
    const docs = (await hq.couch.nano.use<Product>(CATALOG_DB).list({ startkey: 'product:', endkey: 'product:\ufff0', include_docs: true })).rows.map((r) => r.doc as Product);
    const accented = docs.find((p) => /[áéíóúñ]/i.test(p.name.es));
    if (!accented) throw new Error('the seed has no accented name');
    const word = accented.name.es.split(/\s+/).find((w) => /[áéíóúñ]/i.test(w)) ?? '';
    const plain = word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const byName = await api<ProductPage>('GET', `/console/products?q=${encodeURIComponent(plain)}&limit=500`);
    expect(byName.body.items.map((p) => p.sku)).to.include(accented.sku);
    expect(byName.body.items.every((p) => `${p.name.en} ${p.name.es}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().includes(plain))).to.equal(true);

    const english = accented.name.en.split(/\s+/)[0] ?? '';
    expect((await api<ProductPage>('GET', `/console/products?q=${encodeURIComponent(english)}&limit=500`)).body.items.map((p) => p.sku)).to.include(accented.sku);
    const barcode = accented.barcodes[0] ?? '';
    expect((await api<ProductPage>('GET', `/console/products?q=${barcode}`)).body.items.map((p) => p.sku)).to.deep.equal([accented.sku]);
    const prefix = accented.sku.slice(0, -1);
    const byPrefix = await api<ProductPage>('GET', `/console/products?q=${prefix}&limit=500`);
    expect(byPrefix.body.items.every((p) => p.sku.startsWith(prefix) || p.name.en.includes(prefix) || p.name.es.includes(prefix))).to.equal(true);
    expect(byPrefix.body.items.map((p) => p.sku)).to.include(accented.sku);
  });

  it('saves an edit made on the current revision, refuses a stale one with 409 and the current version, and one without a revision', async () => {
    const sku = (await api<ProductPage>('GET', '/console/products?limit=1')).body.items[0]?.sku ?? '';
    const opened = (await api<Product>('GET', `/products/${sku}`)).body;
    const saved = await api<Product>('PATCH', `/console/products/${sku}`, { _rev: opened._rev, price: opened.price + 100 });
    expect(saved.status).to.equal(200);
    expect(saved.body.price).to.equal(opened.price + 100);
    expect(saved.body._rev).to.not.equal(opened._rev);
    // The list answers with the edit at once (it catches up with the catalog before answering).
    expect((await api<ProductPage>('GET', `/console/products?q=${sku}`)).body.items[0]?.price).to.equal(opened.price + 100);

    const stale = await api<{ error: string; details: { current: Product } }>('PATCH', `/console/products/${sku}`, { _rev: opened._rev, price: 1 });
    expect(stale.status).to.equal(409);
    expect(stale.body.error).to.equal('stale_edit');
    expect(stale.body.details.current._rev).to.equal(saved.body._rev);
    expect((await hq.couch.nano.use<Product>(CATALOG_DB).get(`product:${sku}`)).price).to.equal(opened.price + 100);

    const norev = await api<{ error: string }>('PATCH', `/console/products/${sku}`, { price: 1 });
    expect([norev.status, norev.body.error]).to.deep.equal([400, 'rev_required']);
    const bad = await api<{ error: string }>('PATCH', `/console/products/${sku}`, { _rev: saved.body._rev, price: 1.5 });
    expect([bad.status, bad.body.error]).to.deep.equal([400, 'invalid_price']);
    const field = await api<{ error: string }>('PATCH', `/console/products/${sku}`, { _rev: saved.body._rev, type: 'sale' });
    expect([field.status, field.body.error]).to.deep.equal([400, 'unknown_field']);
    const elsewhere = await api<{ error: string }>('PATCH', `/console/products/${sku}`, { _rev: saved.body._rev, departmentId: opened.departmentId });
    expect([elsewhere.status, elsewhere.body.error]).to.deep.equal([400, 'invalid_field']);
    const repeated = await api<{ error: string }>('GET', '/console/products?q=a&q=b');
    expect([repeated.status, repeated.body.error]).to.deep.equal([400, 'invalid_input']);
  });

  it("refuses a barcode another product carries", async () => {
    const [a, b] = (await api<ProductPage>('GET', '/console/products?limit=2')).body.items;
    if (!a || !b) throw new Error('two products');
    const taken = await api<{ error: string; details: { sku: string } }>('PATCH', `/console/products/${a.sku}`, { _rev: a._rev, barcodes: [...a.barcodes, ...b.barcodes.slice(0, 1)] });
    expect([taken.status, taken.body.error, taken.body.details.sku]).to.deep.equal([409, 'barcode_taken', b.sku]);
  });

  it('refuses the list without a session and the edit without catalog.edit', async () => {
    expect((await api('GET', '/console/products', undefined, {})).status).to.equal(401);
    expect((await api('POST', '/users', { username: 'vera.viewer', password: 'vera-password-1' })).status).to.equal(201);
    const vera = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'vera.viewer', password: 'vera-password-1' });
    const veraAuth = { Authorization: `Bearer ${vera.body.accessToken}` };
    const first = (await api<ProductPage>('GET', '/console/products?limit=1', undefined, veraAuth)).body.items[0];
    if (!first) throw new Error('no product');
    const refused = await api<{ error: string }>('PATCH', `/console/products/${first.sku}`, { _rev: first._rev, price: 1 }, veraAuth);
    expect([refused.status, refused.body.error]).to.deep.equal([403, 'permission_denied']);
  });

  it('serves the built console for every route outside /api and /couch, and says how to build it when it is not built', async () => {
    const dir = await tempDir('caja-console-dist-');
    const app = express();
    app.use(consoleStatic(dir.dir, () => undefined));
    app.use((_req, res) => res.status(404).json({ error: 'not_found' }));
    const server = await listen(app, 0);
    try {
      const missing = await fetch(`${server.url}/stores/S001`);
      expect(missing.status).to.equal(503);
      expect(await missing.text()).to.contain('npx vite build --config hq/console/vite.config.ts');

      await mkdir(path.join(dir.dir, 'assets'));
      await writeFile(path.join(dir.dir, 'index.html'), '<!doctype html><div id="root"></div>');
      await writeFile(path.join(dir.dir, 'assets', 'index-abc.js'), 'console.log(1)');
      const page = await fetch(`${server.url}/stores/S001`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-security-policy')).to.contain("default-src 'self'");
      expect(await page.text()).to.contain('id="root"');
      const asset = await fetch(`${server.url}/assets/index-abc.js`);
      expect(asset.headers.get('cache-control')).to.contain('immutable');
      expect((await fetch(`${server.url}/assets/gone.js`)).status).to.equal(404);
      expect((await fetch(`${server.url}/api/v1/anything`)).status).to.equal(404);
      expect((await fetch(`${server.url}/couch/caja-catalog`)).status).to.equal(404);
    } finally {
      await server.close();
      await dir.cleanup();
    }
  });
});
