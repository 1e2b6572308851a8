// Issue #12: the HQ console in headless Chromium on real servers — HQ on an embedded CouchDB serving the
// built console, a store created and provisioned from the console, a real relay started with the token the
// console showed once, a sale rung at that store, a price edited in the product editor. Steps read like a
// person's: find by role and label, wait for what they would see. Screenshots of each screen, in English
// and Spanish, go to test-artifacts/console/.
import { buildApp } from '../../../tests/support/appBuild';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { http, tempDir, testConfig, testLogger, waitFor } from '../../../tests/support/testing';
import { startRelay } from '../../../store-relay/server';
import type { RelayServer } from '../../../store-relay/server';
import { generateCatalog } from '../../../scripts/seed';
import { sale as saleFixture } from '../../../scripts/seed/documents';
import { businessDate } from '../../../shared/pos/clock';
import type { Product } from '../../../shared/model/types';
import { startHq } from '../../server';
import type { HqServer } from '../../server';
import { CATALOG_DB } from '../../../shared/model/names';
import { money } from '../../../shared/money';
import { computeLineTaxes } from '../../../shared/pos/tax';
import type { TaxRate } from '../../../shared/model/types';
import { launchChromium } from '../../../tests/support/consoleBrowser';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const SHOTS = path.join(repo, 'test-artifacts/console');
const CODE = 'S101';
const ZONE = 'America/Mexico_City';
/** Long enough for a relay's first sync and a dashboard poll; short of mocha's whole-test timeout. */
const SEEN = { timeout: 30_000 };


describe('HQ console in a browser: sign in, provision a store, watch it sync, edit the catalog (issue #12)', function () {
  this.timeout(240_000);
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let hq: HqServer;
  let relay: RelayServer | null = null;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token = '';
  let product: Product;

  // The whole page in one picture: the viewport is stretched to the page's height for the shot (a full-page
  // capture would cut the fixed header, navigation and dialog overlay at the first screen).
  const shot = async (name: string) => {
    const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
    // Let the fixed header and navigation lay out for the new height before the picture.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    await page.setViewportSize(viewport);
  };
  const storeRow = (): Locator => page.getByRole('row').filter({ has: page.getByRole('link', { name: `Open store ${CODE}` }) });
  // The segmented control keeps its radio inputs off screen: a person clicks the radio's visible label.
  const chooseLanguage = async (name: 'English' | 'Español') => {
    const id = await page.getByRole('radio', { name }).first().getAttribute('id');
    await page.locator(`label[for="${id}"]`).click();
  };

  before(async function () {
    this.timeout(240_000);
    await mkdir(SHOTS, { recursive: true });
    // The console HQ serves is the one built from these sources, once for the whole suite.
    await buildApp('console');
    tmp = await tempDir('caja-console-');
    hq = await startHq(testConfig(path.join(tmp.dir, 'hq')), testLogger());
    const catalog = generateCatalog({ products: 400 });
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: catalog.docs });
    browser = await launchChromium();
    // A browser in Tokyo: every date on screen must still be the store's (Mexico City), not the browser's.
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Tokyo' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hq.url });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  // A failed step leaves a picture of what the person would have seen.
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(SHOTS, 'failed.png'), fullPage: true }).catch(() => undefined);
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await relay?.close().catch(() => undefined);
    await hq?.close().catch(() => undefined);
    await tmp?.cleanup();
  });

  it('serves the console at / and on its own routes, and signs in an HQ user (a wrong password is refused)', async () => {
    const index = await fetch(`${hq.url}/stores/${CODE}`);
    expect(index.status).to.equal(200);
    expect(await index.text()).to.contain('<div id="root">');
    expect((await http('GET', `${hq.url}/api/v1/nowhere`)).status).to.equal(404);

    await page.goto(`${hq.url}/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username, password or PIN' }).waitFor();

    await page.getByRole('textbox', { name: 'Password' }).fill('admin-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Someone who may see the figures lands on the chain dashboard (hq/console/e2e/dashboard.test.ts).
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stores' }).click();
    await page.getByRole('heading', { name: 'Stores', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).waitFor();
  });

  it('renews the session before the access token expires, and when HQ answers 401', async () => {
    type Saved = { accessToken: string; refreshToken: string; expiresAt: number };
    const saved = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('caja.hq.session') ?? 'null') as Saved | null);
    const edit = (patch: Partial<Saved>) => page.evaluate((p) => sessionStorage.setItem('caja.hq.session', JSON.stringify({ ...JSON.parse(sessionStorage.getItem('caja.hq.session') ?? '{}'), ...p })), patch);
    const first = await saved();
    if (!first) throw new Error('no session kept');
    // Due within the renewal margin: renewed at once, without a request failing first.
    await edit({ expiresAt: Date.now() + 30_000 });
    await page.reload();
    await page.waitForFunction((old) => JSON.parse(sessionStorage.getItem('caja.hq.session') ?? '{}').refreshToken !== old, first.refreshToken);
    const second = await saved();
    expect(second?.expiresAt).to.be.greaterThan(Date.now() + 10 * 60_000);
    // An access token HQ refuses: renewed with the refresh token and the request retried, unnoticed.
    await edit({ accessToken: 'not-a-token' });
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).waitFor();
    expect((await saved())?.refreshToken).to.not.equal(second?.refreshToken);
  });

  it('creates a store and shows its sync token once, with a copy button; a reload does not show it again', async () => {
    await page.getByRole('button', { name: 'New store' }).click();
    const dialog = page.getByRole('dialog', { name: 'New store' });
    await dialog.getByRole('textbox', { name: 'Store code' }).fill(CODE.toLowerCase());
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Caja Sur');
    await dialog.getByLabel('Address').fill('Av. Insurgentes Sur 1000, CDMX');
    await dialog.getByRole('button', { name: 'Create store' }).click();

    await page.getByRole('heading', { name: `${CODE} · Caja Sur` }).waitFor();
    await page.getByText('This store has no relay yet').waitFor();
    await page.getByRole('button', { name: 'Generate sync token' }).click();

    const tokenDialog = page.getByRole('dialog', { name: `Sync token for ${CODE}` });
    await tokenDialog.getByText('It will not be shown again').waitFor();
    token = await tokenDialog.getByLabel('Sync token').inputValue();
    expect(token).to.match(/^caja1\./);
    await tokenDialog.getByRole('button', { name: 'Copy token' }).click();
    await tokenDialog.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(token);
    await shot('en-token-once');
    await tokenDialog.getByRole('button', { name: 'I have copied it' }).click();
    await tokenDialog.waitFor({ state: 'detached' });

    await page.reload();
    await page.getByRole('heading', { name: `${CODE} · Caja Sur` }).waitFor();
    // What is left is the token's record, in the store's time zone (CST), never the token.
    await page.getByText(/Token issued .* CST, expires/).waitFor();
    expect(await page.getByLabel('Sync token').count()).to.equal(0);
    expect(await page.content()).not.to.contain(token.slice(6, 40));
  });

  it("turns the store green on the dashboard once a relay presents the token, with its replication jobs", async () => {
    relay = await startRelay(testConfig(path.join(tmp.dir, 'relay'), { syncToken: token, heartbeatIntervalS: 1 }), testLogger());
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stores' }).click();
    await storeRow().getByText('Connected', { exact: true }).waitFor(SEEN);
    for (const job of ['Catalog', 'Store documents', 'Transactions']) await storeRow().getByText(job, { exact: true }).waitFor(SEEN);
  });

  it("shows a sale rung at the store in today's activity, in the store's currency", async () => {
    if (!relay) throw new Error('no relay');
    // A terminal's sale as it lands in the relay's database; the transactions-up job carries it to HQ.
    const sale = { ...saleFixture(1, CODE, 'T1'), businessDate: businessDate(new Date(), ZONE), createdAt: new Date().toISOString() };
    await relay.couch.nano.use('caja-store').insert(sale);
    await storeRow().getByText('1 sale · MX$11.00').waitFor(SEEN);
    await storeRow().getByText(/Tax MX\$1\.52/).waitFor();
    await shot('en-dashboard');

    await storeRow().getByRole('link', { name: `Open store ${CODE}` }).click();
    await page.getByRole('heading', { name: 'Replication jobs' }).waitFor();
    const jobs = page.getByRole('table', { name: 'Replication jobs' });
    await jobs.getByText('docs_written').waitFor();
    await jobs.getByText('transactions-up').waitFor();
    await page.getByText('MX$11.00').first().waitFor(SEEN);
    await shot('en-store');
  });

  it('finds products by name in either language, pages through the list with only visible rows in the page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalog' }).click();
    await page.getByText('400 products').waitFor();
    const table = page.getByRole('table', { name: 'Products' });
    await table.getByRole('row').nth(10).waitFor();
    await shot('en-products');
    // From the keyboard: ↓ moves between rows, Enter opens the editor, Escape closes it.
    const links = table.getByRole('link');
    const [second, third] = [await links.nth(1).textContent(), await links.nth(2).textContent()];
    const focused = (text: string | null) => page.waitForFunction((t) => document.activeElement?.textContent === t, text);
    await links.first().focus();
    await page.keyboard.press('ArrowDown');
    await focused(second);
    await page.keyboard.press('ArrowDown');
    await focused(third);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: `Edit ${third}` }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: `Edit ${third}` }).waitFor({ state: 'detached' });
    // Virtualised: a few dozen rows exist, not 400.
    const rendered = await table.getByRole('row').count();
    expect(rendered).to.be.lessThan(80);
    // Scrolling to the end of what is loaded asks for the next page (200 a page), until the last product.
    const body = table.getByRole('rowgroup').nth(1);
    await waitFor(async () => {
      await body.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      return (await table.locator('[data-index="399"]').count()) > 0;
    }, { what: 'the 400th product row', timeoutMs: 20_000, intervalMs: 100 });
    expect(await table.getByRole('row').count()).to.be.lessThan(80);

    const docs = await hq.couch.nano.use<Product>(CATALOG_DB).list({ startkey: 'product:', endkey: 'product:\ufff0', include_docs: true, limit: 50 });
    product = docs.rows.map((r) => r.doc as Product).find((p) => p.name.es !== p.name.en && /\s/.test(p.name.es)) ?? (docs.rows[0]?.doc as Product);
    const word = product.name.es.split(/\s+/).find((w) => w.length > 4) ?? product.name.es;
    await page.getByLabel('Search products').fill(word.toLowerCase());
    await table.getByRole('link', { name: product.sku, exact: true }).waitFor();
    await page.getByLabel('Search products').fill(product.sku);
    await page.getByText('1 product', { exact: true }).waitFor();
  });

  it("saves a price in the product editor that reaches the relay's database, and shows a stale edit clearly", async () => {
    if (!relay) throw new Error('no relay');
    const table = page.getByRole('table', { name: 'Products' });
    await table.getByRole('link', { name: product.sku, exact: true }).click();
    const editor = page.getByRole('dialog', { name: `Edit ${product.sku}` });
    const price = editor.getByRole('textbox', { name: 'Price (MXN)' });
    await price.waitFor();
    const newPrice = product.price + 1234;
    await price.fill(`${Math.floor(newPrice / 100)}.${String(newPrice % 100).padStart(2, '0')}`);
    await shot('en-editor');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(`${product.sku} saved`).waitFor();
    await waitFor(async () => (await relay?.couch.nano.use<Product>('caja-store').get(`product:${product.sku}`))?.price === newPrice, { what: 'new price at the relay', timeoutMs: 30_000 });

    // Someone else saves the product while this editor is open on the version just saved.
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    const current = await hq.couch.nano.use<Product>(CATALOG_DB).get(`product:${product.sku}`);
    const theirs = await http('PATCH', `${hq.url}/api/v1/console/products/${product.sku}`, { _rev: current._rev, name: { en: 'Changed elsewhere', es: 'Cambiado en otro lado' } }, { Authorization: `Bearer ${login.body.accessToken}` });
    expect(theirs.status).to.equal(200);
    await price.fill('1.00');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    const stale = editor.getByRole('alert').filter({ hasText: 'Changed by someone else' });
    await stale.waitFor();
    await stale.getByRole('cell', { name: 'Changed elsewhere' }).waitFor();
    await shot('en-editor-stale');
    // Nothing was written: HQ still has their name and the price saved before.
    const kept = await hq.couch.nano.use<Product>(CATALOG_DB).get(`product:${product.sku}`);
    expect([kept.name.en, kept.price]).to.deep.equal(['Changed elsewhere', newPrice]);

    // Re-applying carries only this person's change (the price) onto their version (the names stay theirs).
    await stale.getByRole('button', { name: 'Apply my changes to their version' }).click();
    expect(await editor.getByRole('textbox', { name: 'Name (English)' }).inputValue()).to.equal('Changed elsewhere');
    expect(await price.inputValue()).to.equal('1.00');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await waitFor(async () => {
      const saved = await hq.couch.nano.use<Product>(CATALOG_DB).get(`product:${product.sku}`);
      return saved.price === 100 && saved.name.en === 'Changed elsewhere' && saved.name.es === 'Cambiado en otro lado';
    }, { what: 'the re-applied edit at HQ' });
    await editor.getByRole('button', { name: 'Close editor' }).click();
  });

  it('switches to Spanish at run time, every screen included', async () => {
    await chooseLanguage('Español');
    await page.getByRole('heading', { name: 'Catálogo', level: 1 }).waitFor();
    await page.getByText('1 producto', { exact: true }).waitFor();
    await page.getByLabel('Buscar productos').fill('');
    await page.getByText('400 productos', { exact: true }).waitFor();
    await shot('es-products');
    await page.getByLabel('Buscar productos').fill(product.sku);
    await page.getByText('1 producto', { exact: true }).waitFor();
    await page.getByRole('table', { name: 'Productos' }).getByRole('link', { name: product.sku, exact: true }).click();
    await page.getByRole('dialog', { name: `Editar ${product.sku}` }).getByRole('textbox', { name: 'Precio (MXN)' }).waitFor();
    await shot('es-editor');
    await page.getByRole('button', { name: 'Cerrar el editor' }).click();
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Tiendas' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Abrir la tienda ${CODE}` }) });
    await row.getByText('Conectada', { exact: true }).waitFor(SEEN);
    await row.getByText('1 venta · $11.00').waitFor(SEEN);
    await shot('es-dashboard');
    await row.getByRole('link', { name: `Abrir la tienda ${CODE}` }).click();
    await page.getByRole('heading', { name: 'Trabajos de replicación' }).waitFor();
    await shot('es-store');
    // The catalog, sales and customer pages in Spanish too.
    for (const [link, name] of [
      ['Departamentos', 'departments'],
      ['Impuestos', 'taxes'],
      ['Formas de pago', 'tenders'],
      ['Proveedores', 'suppliers'],
      ['Promociones', 'specials'],
      ['Ventas', 'sales'],
      ['Clientes', 'customers'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: link, level: 1 }).waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-loading]'));
      await shot(`es-${name}`);
    }
    await chooseLanguage('English');
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  });

  it("resets a person's till PIN and assigns them a role at the store, which reaches the store's relay", async () => {
    if (!relay) throw new Error('no relay');
    const admin = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    const auth = { Authorization: `Bearer ${admin.body.accessToken}` };
    const created = await http<{ id: string }>('POST', `${hq.url}/api/v1/users`, { username: 'luis.cajero', password: 'luis-password-1', displayName: 'Luis Pérez', pin: '1234' }, auth);
    expect(created.status).to.equal(201);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('link', { name: 'Manage Luis Pérez' }).click();
    const drawer = page.getByRole('dialog', { name: 'Manage Luis Pérez' });
    await drawer.getByLabel('New PIN').fill('4321');
    await drawer.getByRole('button', { name: 'Reset PIN' }).click();
    await page.getByText('PIN of Luis Pérez reset.').waitFor();

    // As from the keyboard: focus the field, type to filter the roles, pick one.
    await drawer.getByLabel(`Roles at ${CODE} · Caja Sur`).focus();
    await page.keyboard.type('Cash');
    await page.getByRole('option', { name: 'Cashier' }).click();
    await page.keyboard.press('Escape');
    await drawer.getByRole('button', { name: 'Save roles' }).click();
    await page.getByText('Roles of Luis Pérez saved.').waitFor();
    const roles = await http<Record<string, string[]>>('GET', `${hq.url}/api/v1/users/${created.body.id}/store-roles`, undefined, auth);
    expect(roles.body).to.deep.equal({ [CODE]: ['role:cashier'] });
    // The store's tills learn the person (and the new PIN) from the store's own database.
    await waitFor(() => relay?.couch.nano.use('caja-store').get(`user:${created.body.id}`).then(() => true, () => false), { what: 'the user at the relay', timeoutMs: 30_000 });
    await shot('en-people');
    await drawer.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('table', { name: 'Staff' }).getByText(`${CODE}: Cashier`).waitFor();
  });

  it('creates a department and a sub-department under it, shown in the tree', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Departments' }).click();
    const tree = page.getByRole('tree', { name: 'Department tree' });
    await tree.getByRole('treeitem').first().waitFor();
    await page.getByRole('button', { name: 'New department' }).click();
    const dialog = page.getByRole('dialog', { name: 'New department' });
    await dialog.getByRole('textbox', { name: 'Code' }).fill('E2E-TOP');
    await dialog.getByRole('textbox', { name: 'Name (English)' }).fill('Seasonal');
    await dialog.getByRole('textbox', { name: 'Name (Spanish)' }).fill('Temporada');
    await dialog.getByRole('button', { name: 'Create department' }).click();
    await dialog.waitFor({ state: 'detached' });
    const top = tree.getByRole('treeitem', { name: 'Seasonal (E2E-TOP)' });
    await top.waitFor();

    await page.getByRole('button', { name: 'Add a department under Seasonal' }).click();
    const sub = page.getByRole('dialog', { name: 'New department' });
    // The parent is already chosen: the department the person added under.
    expect(await sub.getByLabel('Parent department', { exact: true }).inputValue()).to.contain('Seasonal');
    await sub.getByRole('textbox', { name: 'Code' }).fill('E2E-XMAS');
    await sub.getByRole('textbox', { name: 'Name (English)' }).fill('Christmas');
    await sub.getByRole('textbox', { name: 'Name (Spanish)' }).fill('Navidad');
    await sub.getByRole('button', { name: 'Create department' }).click();
    await sub.waitFor({ state: 'detached' });
    const child = top.getByRole('treeitem', { name: 'Christmas (E2E-XMAS)' });
    await child.waitFor();
    expect(await child.getAttribute('aria-level')).to.equal('2');
    const saved = await hq.couch.nano.use<{ parentId: string | null }>(CATALOG_DB).get('department:E2E-XMAS');
    expect(saved.parentId).to.equal('department:E2E-TOP');
    await top.scrollIntoViewIfNeeded();
    await shot('en-departments');
  });

  it("shows a tax group's compound computation live, as a till computes it, and a stale rate edit clearly", async () => {
    const admin = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    const auth = { Authorization: `Bearer ${admin.body.accessToken}` };
    const ieps = await http<TaxRate>('POST', `${hq.url}/api/v1/tax-rates`, { code: 'E2E-IEPS', name: { en: 'Excise', es: 'IEPS' }, rateBp: 800, compound: false }, auth);
    const iva = await http<TaxRate>('POST', `${hq.url}/api/v1/tax-rates`, { code: 'E2E-IVA', name: { en: 'VAT', es: 'IVA' }, rateBp: 1600, compound: true }, auth);
    expect([ieps.status, iva.status]).to.deep.equal([201, 201]);
    const group = await http('POST', `${hq.url}/api/v1/tax-groups`, { code: 'E2E-SODA', name: { en: 'Soft drinks', es: 'Refrescos' }, rateIds: [ieps.body._id, iva.body._id] }, auth);
    expect(group.status).to.equal(201);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Taxes' }).click();
    const example = page.getByRole('region', { name: 'Example of Soft drinks' });
    await example.getByRole('textbox', { name: 'Amount (MXN)' }).fill('100.00');
    const table = example.getByRole('table', { name: 'Computed taxes' });
    // Excise 8 % on 100.00, then VAT 16 % compound on 108.00.
    await table.getByRole('row').filter({ hasText: 'Excise' }).getByText('MX$8.00').waitFor();
    await table.getByRole('row').filter({ hasText: 'VAT' }).getByText('MX$17.28').waitFor();
    await table.getByRole('row').filter({ hasText: 'Customer pays' }).getByText('MX$125.28').waitFor();
    // Inclusive: the amount is what the customer pays; the split is the till's own (shared/pos/tax.ts).
    const id = await example.getByRole('radio', { name: 'Tax included' }).getAttribute('id');
    await example.locator(`label[for="${id}"]`).click();
    const expected = computeLineTaxes(money(10000), [ieps.body, iva.body], 'inclusive', false);
    const cents = (n: number) => `MX$${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
    await table.getByRole('row').filter({ hasText: 'Total tax' }).getByText(cents(expected.taxTotal)).waitFor();
    await table.getByRole('row').filter({ hasText: 'Customer pays' }).getByText('MX$100.00').waitFor();
    await example.scrollIntoViewIfNeeded();
    await shot('en-tax-example');

    // Someone changes the VAT rate while this person edits it: nothing is overwritten, and it says so.
    await page.getByRole('button', { name: 'Edit tax rate E2E-IVA' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit tax rate E2E-IVA' });
    await dialog.getByRole('textbox', { name: 'Rate (%)' }).fill('15');
    const theirs = await http('PATCH', `${hq.url}/api/v1/tax-rates/E2E-IVA`, { _rev: iva.body._rev, name: { en: 'VAT (changed)' } }, auth);
    expect(theirs.status).to.equal(200);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    const stale = dialog.getByRole('alert').filter({ hasText: 'Changed by someone else' });
    await stale.waitFor();
    await shot('en-tax-stale');
    await stale.getByRole('button', { name: 'Load their version' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Name (English)' }).inputValue()).to.equal('VAT (changed)');
    expect((await hq.couch.nano.use<TaxRate>(CATALOG_DB).get('taxrate:E2E-IVA')).rateBp).to.equal(1600);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('finds the sale rung at the store in the sales browser, with its lines, taxes and tenders', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sales', exact: true }).click();
    const results = page.getByRole('table', { name: 'Sales found' });
    await results.getByRole('link', { name: `Open sale ${CODE}-T1-1` }).waitFor(SEEN);
    const filters = page.getByRole('search', { name: 'Sales filters' });
    await filters.getByRole('textbox', { name: 'Receipt' }).fill(`${CODE}-T1-1`);
    await filters.getByRole('button', { name: 'Search' }).click();
    await results.getByRole('row').filter({ hasText: 'MX$11.00' }).waitFor();
    await shot('en-sales');
    await results.getByRole('link', { name: `Open sale ${CODE}-T1-1` }).click();
    const detail = page.getByRole('dialog', { name: `Sale ${CODE}-T1-1` });
    await detail.getByRole('table', { name: 'Lines' }).getByRole('row').nth(1).waitFor();
    await detail.getByRole('table', { name: 'Taxes and totals' }).getByRole('row').filter({ hasText: 'Total' }).getByText('MX$11.00').last().waitFor();
    await detail.getByRole('table', { name: 'Tenders' }).getByRole('row').first().waitFor();
    await detail.getByText('Nothing returned.').waitFor();
    await shot('en-sale-detail');
    await detail.getByRole('button', { name: 'Close the sale' }).click();
    await detail.waitFor({ state: 'detached' });
    // A filter no sale matches says so.
    await filters.getByRole('textbox', { name: 'Total at least (MXN)' }).fill('999999');
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No sales match these filters.').waitFor();
  });

  it('turns the store red when its relay stops (3 missed heartbeats)', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stores' }).click();
    await storeRow().getByText('Connected', { exact: true }).waitFor(SEEN);
    await relay?.close();
    relay = null;
    await storeRow().getByText('Disconnected', { exact: true }).waitFor(SEEN);
    await shot('en-dashboard-disconnected');
  });

  it("shows only what a person's permissions allow", async () => {
    const admin = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    const created = await http('POST', `${hq.url}/api/v1/users`, { username: 'ana.catalog', password: 'ana-password-1', displayName: 'Ana' }, { Authorization: `Bearer ${admin.body.accessToken}` });
    expect(created.status).to.equal(201);
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    try {
      const p = await other.newPage();
      await p.goto(`${hq.url}/people`);
      await p.getByLabel('Username').fill('ana.catalog');
      await p.getByRole('textbox', { name: 'Password' }).fill('ana-password-1');
      await p.getByRole('button', { name: 'Sign in' }).click();
      // Back where she was headed, which her account may not see.
      await p.getByRole('heading', { name: 'Not allowed' }).waitFor();
      const nav = p.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Stores' }).click();
      await p.getByText('Live sync status needs the').waitFor();
      expect(await nav.getByRole('link', { name: 'People' }).count()).to.equal(0);
      expect(await p.getByRole('button', { name: 'New store' }).count()).to.equal(0);
      await p.getByRole('button', { name: /Signed in as/ }).click();
      await p.getByRole('menuitem', { name: 'Sign out' }).click();
      await p.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(await p.evaluate(() => sessionStorage.getItem('caja.hq.session'))).to.equal(null);
    } finally {
      await other.close();
    }
  });
});
