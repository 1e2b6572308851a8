// Issue #12: the console's catalog and store pages in headless Chromium on real servers — HQ on an embedded
// CouchDB serving the built console, and a real relay provisioned for store S201. A person opens tenders,
// suppliers, sales reps, specials, customers, the store's configuration and its prices, makes one real edit on
// each (asserted through the HQ API, and at the relay where it travels to the store), creates a product,
// deactivates a department and a tax rate, reads every page in Spanish, and signs out (the session's refresh token is then
// refused). Screenshots in both languages go to test-artifacts/console/ as catalog-<lang>-<page>.png.
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { buildConsole, chooseLanguage, CONSOLE_SHOTS, launchChromium, shot } from '../../../tests/support/consoleBrowser';
import { http, tempDir, testConfig, testLogger, waitFor } from '../../../tests/support/testing';
import { startRelay } from '../../../store-relay/server';
import type { RelayServer } from '../../../store-relay/server';
import { generateCatalog } from '../../../scripts/seed';
import type { CatalogPage, DepartmentRow, StorePriceRow } from '../../../shared/api/catalogAdmin';
import type { CustomerConflict, StoreConfigAnswer } from '../../../shared/api/hqRecords';
import { ean13CheckDigit } from '../../../shared/model/ids';
import { CATALOG_DB, hqStoreDbName } from '../../../shared/model/names';
import type { Customer, Department, Product, SalesRep, Special, Supplier, Tender } from '../../../shared/model/types';
import { startHq } from '../../server';
import type { HqServer } from '../../server';

const CODE = 'S201';
/** Long enough for a relay's first sync and HQ's conflict job; short of mocha's whole-test timeout. */
const SEEN = { timeout: 30_000 };
const ADMIN = { username: 'admin', password: 'admin-password-1' };

describe('HQ console in a browser: catalog pages, store prices, a new product, sign out (issue #12)', function () {
  this.timeout(300_000);
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let hq: HqServer;
  let relay: RelayServer | null = null;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let auth: Record<string, string>;
  let products: Product[] = [];

  const api = <T>(method: string, p: string, body?: unknown) => http<T>(method, `${hq.url}/api/v1${p}`, body, auth);
  const ok = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await api<T>(method, p, body);
    expect(res.status, `${method} ${p}: ${JSON.stringify(res.body)}`).to.be.oneOf([200, 201]);
    return res.body;
  };
  const atRelay = (id: string) => relay?.couch.nano.use<Record<string, unknown>>('caja-store').get(id).catch(() => null) ?? Promise.resolve(null);
  const nav = (name: string) => page.getByRole('navigation', { name: /^(Main|Principal)$/ }).getByRole('link', { name, exact: true }).click();
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 }).waitFor();
  const notice = (text: string) => page.getByText(text, { exact: true }).first().waitFor();
  /** Closes the notifications of earlier saves, so a screenshot shows the page under them. */
  const clearNotices = async () => {
    const close = page.locator('.mantine-Notification-root').getByRole('button');
    // One may close on its own meanwhile (they time out): a click that finds nothing is not a failure.
    while ((await close.count()) > 0) await close.first().click({ timeout: 1000 }).catch(() => undefined);
  };
  const picture = async (name: string) => {
    await clearNotices();
    await shot(page, name);
  };
  /** The confirmation's own button (each row's is named "Deactivate <code>"). */
  const confirmDeactivation = async () => {
    const button = page.getByRole('button', { name: 'Deactivate', exact: true });
    await button.click();
    await button.waitFor({ state: 'detached' });
  };
  /** Picks an option of a Mantine select from the keyboard: focus, type to filter, click the option. */
  const pick = async (field: Locator, typed: string, option: RegExp) => {
    await field.click();
    await field.fill(typed);
    await page.getByRole('option', { name: option }).first().click();
  };

  before(async function () {
    this.timeout(300_000);
    await buildConsole();
    tmp = await tempDir('caja-console-catalog-');
    hq = await startHq(testConfig(path.join(tmp.dir, 'hq')), testLogger());
    const catalog = generateCatalog({ products: 60 });
    products = catalog.products;
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: catalog.docs });
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, ADMIN);
    auth = { Authorization: `Bearer ${login.body.accessToken}` };
    // The store is provisioned through the API (console.test.ts does it from the screen), and its relay
    // started, so what these pages change can be followed to the store's own database.
    await ok('POST', '/stores', { code: CODE, name: 'Caja Norte', timeZone: 'America/Monterrey' });
    const { token } = await ok<{ token: string }>('POST', `/stores/${CODE}/provision`, {});
    relay = await startRelay(testConfig(path.join(tmp.dir, 'relay'), { syncToken: token, heartbeatIntervalS: 1 }), testLogger());
    await waitFor(async () => (await atRelay('tender:card')) !== null, { what: 'the catalog at the relay', timeoutMs: 60_000 });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Tokyo' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(CONSOLE_SHOTS, 'catalog-failed.png'), fullPage: true }).catch(() => undefined);
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await relay?.close().catch(() => undefined);
    await hq?.close().catch(() => undefined);
    await tmp?.cleanup();
  });

  it('signs in', async () => {
    await page.goto(`${hq.url}/login`);
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sales reps' }).waitFor();
  });

  it('edits a tender', async () => {
    await nav('Tenders');
    await heading('Tenders');
    await page.getByRole('button', { name: 'Edit tender card' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit tender card' });
    await dialog.getByRole('textbox', { name: 'Name (English)' }).fill('Card (Visa, Mastercard)');
    await picture('catalog-en-tender-editor');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Tenders' }).getByText('Card (Visa, Mastercard)').waitFor();
    expect((await ok<Tender>('GET', '/tenders/card')).name).to.deep.equal({ en: 'Card (Visa, Mastercard)', es: 'Tarjeta' });
    await picture('catalog-en-tenders');
  });

  it('creates a supplier and deactivates it', async () => {
    await nav('Suppliers');
    await heading('Suppliers');
    await page.getByRole('button', { name: 'New supplier' }).click();
    const dialog = page.getByRole('dialog', { name: 'New supplier' });
    await dialog.getByRole('textbox', { name: 'Code' }).fill('E2E-SUP');
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Distribuidora Norte');
    await dialog.getByRole('textbox', { name: 'E-mail' }).fill('compras@norte.example');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: 'E2E-SUP' });
    await row.getByText('Active', { exact: true }).waitFor();
    expect(await ok<Supplier>('GET', '/suppliers/E2E-SUP')).to.deep.include({ name: 'Distribuidora Norte', contact: { email: 'compras@norte.example' }, active: true });

    await row.getByRole('button', { name: 'Deactivate E2E-SUP' }).click();
    await confirmDeactivation();
    await row.getByText('Deactivated', { exact: true }).waitFor();
    expect((await ok<Supplier>('GET', '/suppliers/E2E-SUP')).active).to.equal(false);
    await picture('catalog-en-suppliers');
  });

  it('creates a sales rep that reaches the store, edits the commission, and shows a stale edit instead of overwriting it', async () => {
    await nav('Sales reps');
    await heading('Sales reps');
    await page.getByText('No sales reps yet.').waitFor();
    await page.getByRole('button', { name: 'New sales rep' }).click();
    const dialog = page.getByRole('dialog', { name: 'New sales rep' });
    await dialog.getByRole('textbox', { name: 'Code' }).fill('R-ROSA');
    await dialog.getByRole('textbox', { name: 'Commission (%)' }).fill('2.5');
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Rosa Méndez');
    await picture('catalog-en-sales-rep-editor');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: 'R-ROSA' });
    await row.getByText('2.5%').waitFor();
    const created = await ok<SalesRep>('GET', '/sales-reps/R-ROSA');
    expect(created).to.deep.include({ name: 'Rosa Méndez', commissionBp: 250, active: true });
    // A catalog document: it comes down to the store's own database with the rest of the catalog.
    await waitFor(async () => (await atRelay('salesrep:R-ROSA'))?.commissionBp === 250, { what: 'the sales rep at the relay', timeoutMs: 30_000 });

    await row.getByRole('button', { name: 'Edit sales rep R-ROSA' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit sales rep R-ROSA' });
    await edit.getByRole('textbox', { name: 'Commission (%)' }).fill('3');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByText('3%').waitFor();
    const saved = await ok<SalesRep>('GET', '/sales-reps/R-ROSA');
    expect(saved.commissionBp).to.equal(300);

    // Someone else renames her while this person edits: nothing is overwritten, and the dialog says so.
    await row.getByRole('button', { name: 'Edit sales rep R-ROSA' }).click();
    await edit.getByRole('textbox', { name: 'Commission (%)' }).fill('4');
    await ok('PATCH', '/sales-reps/R-ROSA', { _rev: saved._rev, name: 'Rosa Méndez Ruiz' });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const stale = edit.getByRole('alert').filter({ hasText: 'Changed by someone else' });
    await stale.waitFor();
    await picture('catalog-en-sales-rep-stale');
    expect(await ok<SalesRep>('GET', '/sales-reps/R-ROSA')).to.deep.include({ name: 'Rosa Méndez Ruiz', commissionBp: 300 });
    await stale.getByRole('button', { name: 'Load their version' }).click();
    expect(await edit.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).to.equal('Rosa Méndez Ruiz');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await picture('catalog-en-sales-reps');
  });

  it('edits a special', async () => {
    await nav('Specials');
    await heading('Specials');
    await page.getByRole('button', { name: 'Edit special bakery-10' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit special bakery-10' });
    await dialog.getByRole('textbox', { name: 'Percent off (%)' }).fill('12');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row').filter({ hasText: 'bakery-10' }).getByText(/12\s?%/).waitFor();
    expect((await ok<Special>('GET', '/specials/bakery-10')).percentBp).to.equal(1200);
    await picture('catalog-en-specials');
  });

  it("reviews a customer conflict two tills made: keeps HQ's winner", async () => {
    const c = await ok<Customer>('POST', '/customers', { name: 'Lucía Garza', phone: '+52 81 5555 0101' });
    const db = hqStoreDbName(CODE);
    const base = await hq.couch.request<Customer>(`/${db}/${encodeURIComponent(c._id)}`);
    const [gen, parent] = String(base._rev).split('-') as [string, string];
    const edits = [
      { hash: 'a'.repeat(32), fields: { name: 'Lucía Garza (till 1)', updatedAt: '2030-01-01T10:00:00.000Z' } },
      { hash: 'b'.repeat(32), fields: { name: 'Lucía Garza Treviño', updatedAt: '2030-01-01T10:05:00.000Z' } },
    ];
    const docs = edits.map((e) => ({ ...base, ...e.fields, _rev: `${Number(gen) + 1}-${e.hash}`, _revisions: { start: Number(gen) + 1, ids: [e.hash, parent] } }));
    await hq.couch.request(`/${db}/_bulk_docs`, { method: 'POST', body: { docs, new_edits: false } });
    await waitFor(async () => (await ok<CustomerConflict[]>('GET', '/customers/conflicts')).some((x) => x.customerId === c._id), { what: 'the conflict resolved at HQ', timeoutMs: 30_000 });

    await nav('Customers');
    await heading('Customers');
    const card = page.getByRole('region', { name: 'Conflict of Lucía Garza Treviño' });
    await card.waitFor(SEEN);
    await picture('catalog-en-customers');
    await card.getByRole('button', { name: 'Keep this one' }).click();
    await notice('Conflict of Lucía Garza Treviño reviewed.');
    await card.waitFor({ state: 'detached' });
    expect((await ok<CustomerConflict[]>('GET', '/customers/conflicts')).some((x) => x.customerId === c._id)).to.equal(false);
    expect((await ok<Customer>('GET', `/customers/${encodeURIComponent(c._id)}`)).name).to.equal('Lucía Garza Treviño');
  });

  it("changes the store's configuration", async () => {
    await page.goto(`${hq.url}/stores/${CODE}`);
    await page.getByRole('heading', { name: `${CODE} · Caja Norte` }).waitFor();
    const config = page.getByRole('region', { name: 'Configuration' });
    await config.getByRole('textbox', { name: 'Return window (days)' }).fill('45');
    await config.getByRole('textbox', { name: 'Receipt footer (English)' }).fill('Thank you for shopping at Caja Norte');
    await config.getByRole('button', { name: 'Save configuration' }).click();
    await notice(`Configuration of ${CODE} saved.`);
    const answer = await ok<StoreConfigAnswer>('GET', `/stores/${CODE}/config`);
    expect([answer.config.returnDays, answer.receiptFooter.en]).to.deep.equal([45, 'Thank you for shopping at Caja Norte']);
    await waitFor(async () => (await atRelay('config:hq'))?.returnDays === 45, { what: 'the configuration at the relay', timeoutMs: 30_000 });
  });

  it("changes the store's prices in bulk: a preview with each line's error, then applied without the refused lines", async () => {
    const [a, b, c, d] = products as [Product, Product, Product, Product];
    const prices = page.getByRole('region', { name: 'Prices' });
    await prices.getByText('This store sells everything at the chain’s prices.').waitFor();
    const csv = ['sku,price', `${a.sku},12.34`, `${b.sku};56,78`, 'NOPE-1,10', `${c.sku},abc`, `${d.sku},`].join('\n');
    await prices.getByRole('textbox', { name: 'Lines: SKU and price' }).fill(csv);
    await prices.getByRole('button', { name: 'Check' }).click();
    const preview = prices.getByRole('table', { name: 'Preview' });
    await preview.getByRole('row').filter({ hasText: 'NOPE-1' }).getByText('No product has this SKU').waitFor();
    await preview.getByRole('row').filter({ hasText: c.sku }).getByText('Not a price (e.g. 24.50)').waitFor();
    await preview.getByRole('row').filter({ hasText: a.sku }).getByText('Set', { exact: true }).waitFor();
    await preview.getByRole('row').filter({ hasText: d.sku }).getByText('Unchanged', { exact: true }).waitFor();
    await prices.getByText('2 to set, 0 to remove, 1 unchanged, 2 with errors').waitFor();
    // Nothing is written by a check.
    expect((await ok<CatalogPage<StorePriceRow>>('GET', `/store-prices/${CODE}`)).total).to.equal(0);
    await prices.scrollIntoViewIfNeeded();
    await picture('catalog-en-store-prices-preview');

    await prices.getByRole('button', { name: 'Apply 2 lines' }).click();
    const answer = prices.getByRole('status').filter({ hasText: `Applied at ${CODE}: 2 set, 0 removed, 0 unchanged.` });
    await answer.getByText('No product has this SKU').waitFor();
    await answer.getByText('Not a price (e.g. 24.50)').waitFor();
    const listed = prices.getByRole('table', { name: 'Store prices' });
    await listed.getByRole('row').filter({ hasText: a.sku }).getByText('MX$12.34').waitFor();
    const now = await ok<CatalogPage<StorePriceRow>>('GET', `/store-prices/${CODE}`);
    expect(now.items.map((r) => [r.sku, r.price]).sort()).to.deep.equal([[a.sku, 1234], [b.sku, 5678]].sort());
    await waitFor(async () => (await atRelay(`price:${b.sku}`))?.price === 5678, { what: 'the store price at the relay', timeoutMs: 30_000 });
    await picture('catalog-en-store');
  });

  it('creates a product in the product editor, and says clearly when its SKU is taken', async () => {
    const leaf = (await ok<CatalogPage<DepartmentRow>>('GET', '/departments?limit=500')).items.find((r) => r.depth === 2) as DepartmentRow;
    const barcode = `75099887766${'5'}`;
    const ean = barcode + ean13CheckDigit(barcode);
    await nav('Catalog');
    await heading('Catalog');
    await page.getByRole('button', { name: 'New product' }).click();
    const dialog = page.getByRole('dialog', { name: 'New product' });
    await dialog.getByRole('textbox', { name: 'SKU' }).fill('E2E-NEW-1');
    await dialog.getByRole('textbox', { name: 'Name (English)' }).fill('Oat cookies');
    await dialog.getByRole('textbox', { name: 'Name (Spanish)' }).fill('Galletas de avena');
    await dialog.getByRole('textbox', { name: 'Price (MXN)' }).fill('19.90');
    await dialog.getByRole('textbox', { name: 'Cost (MXN)' }).fill('9.5');
    await dialog.getByLabel('Barcodes').fill(ean);
    await page.keyboard.press('Enter');
    await pick(dialog.getByLabel(/^Department( \*)?$/), leaf.code, new RegExp(`\\(${leaf.code}\\)$`));
    // The department's tax group is chosen for it.
    expect(await dialog.getByLabel(/^Tax group( \*)?$/).inputValue()).to.contain(`(${(leaf.taxGroupId ?? '').replace('taxgroup:', '')})`);
    await pick(dialog.getByLabel(/^Supplier$/), 'Espiga', /Panificadora La Espiga/);
    await picture('catalog-en-product-new');
    await dialog.getByRole('button', { name: 'Create product' }).click();
    // Created: the editor opens on it.
    await page.getByRole('dialog', { name: 'Edit E2E-NEW-1' }).waitFor();
    const created = await ok<Product>('GET', '/products/E2E-NEW-1');
    expect(created).to.deep.include({ name: { en: 'Oat cookies', es: 'Galletas de avena' }, price: 1990, cost: 950, barcodes: [ean], departmentId: leaf._id, taxGroupId: leaf.taxGroupId, supplierId: 'supplier:panificadora', unit: 'each', active: true });
    await page.getByRole('button', { name: 'Close editor' }).click();

    await page.getByRole('button', { name: 'New product' }).click();
    const again = page.getByRole('dialog', { name: 'New product' });
    await again.getByRole('textbox', { name: 'SKU' }).fill('E2E-NEW-1');
    await again.getByRole('textbox', { name: 'Name (English)' }).fill('Again');
    await again.getByRole('textbox', { name: 'Name (Spanish)' }).fill('Otra vez');
    await again.getByRole('textbox', { name: 'Price (MXN)' }).fill('1');
    await pick(again.getByLabel(/^Department( \*)?$/), leaf.code, new RegExp(`\\(${leaf.code}\\)$`));
    await again.getByRole('button', { name: 'Create product' }).click();
    await again.getByText('A product with that SKU already exists.').waitFor();
    await picture('catalog-en-product-sku-taken');
    await again.getByRole('button', { name: 'Cancel' }).click();
    expect((await ok<Product>('GET', '/products/E2E-NEW-1')).name.en).to.equal('Oat cookies');
  });

  it('deactivates a department: kept in the tree, marked, and refused for a new product', async () => {
    await ok<Department>('POST', '/departments', { code: 'E2E-OLD', name: { en: 'Old season', es: 'Temporada pasada' } });
    await nav('Departments');
    await heading('Departments');
    const item = page.getByRole('treeitem', { name: 'Old season (E2E-OLD)' });
    await item.getByRole('button', { name: 'Deactivate E2E-OLD' }).click();
    await confirmDeactivation();
    await item.getByText('Deactivated', { exact: true }).waitFor();
    expect((await ok<Department>('GET', '/departments/E2E-OLD')).active).to.equal(false);
    const refused = await api<{ error: string }>('POST', '/products', { sku: 'E2E-OLD-1', name: { en: 'x', es: 'x' }, departmentId: 'department:E2E-OLD', taxGroupId: 'taxgroup:std', price: 100 });
    expect([refused.status, refused.body.error]).to.deep.equal([400, 'inactive_reference']);
    await item.scrollIntoViewIfNeeded();
    await picture('catalog-en-departments');
  });

  it('deactivates a tax rate: kept in its groups, marked, and no longer offered for a group', async () => {
    await nav('Taxes');
    await heading('Taxes');
    const rates = page.getByRole('table', { name: 'Tax rates' });
    const row = rates.getByRole('row').filter({ has: page.getByRole('cell', { name: 'iva0', exact: true }) });
    await row.getByRole('button', { name: 'Deactivate iva0' }).click();
    await confirmDeactivation();
    await row.getByText('Deactivated', { exact: true }).waitFor();
    expect((await ok<{ active?: boolean }>('GET', '/tax-rates/iva0')).active).to.equal(false);
    expect((await ok<{ rateIds: string[] }>('GET', '/tax-groups/zero')).rateIds).to.deep.equal(['taxrate:iva0']);
    await picture('catalog-en-taxes');
  });

  it('reads every one of these pages in Spanish', async () => {
    await chooseLanguage(page, 'Español');
    for (const [link, name] of [
      ['Formas de pago', 'tenders'],
      ['Proveedores', 'suppliers'],
      ['Vendedores', 'sales-reps'],
      ['Promociones', 'specials'],
      ['Clientes', 'customers'],
      ['Departamentos', 'departments'],
      ['Impuestos', 'taxes'],
    ] as const) {
      await nav(link);
      await heading(link);
      await page.waitForFunction(() => !document.querySelector('[role="status"] .mantine-Loader-root'));
      await picture(`catalog-es-${name}`);
    }
    await nav('Vendedores');
    await page.getByRole('button', { name: 'Editar el vendedor R-ROSA' }).click();
    await page.getByRole('dialog', { name: 'Editar el vendedor R-ROSA' }).getByRole('textbox', { name: 'Comisión (%)' }).waitFor();
    await picture('catalog-es-sales-rep-editor');
    await page.getByRole('button', { name: 'Cancelar' }).click();

    await nav('Catálogo');
    await page.getByRole('button', { name: 'Nuevo producto' }).click();
    await page.getByRole('dialog', { name: 'Nuevo producto' }).getByRole('textbox', { name: 'Precio (MXN)' }).waitFor();
    await picture('catalog-es-product-new');
    await page.getByRole('button', { name: 'Cancelar' }).click();

    await page.goto(`${hq.url}/stores/${CODE}`);
    const prices = page.getByRole('region', { name: 'Precios' });
    await prices.getByRole('table', { name: 'Precios de la tienda' }).waitFor();
    await prices.getByRole('textbox', { name: 'Líneas: SKU y precio' }).fill(`${(products[4] as Product).sku},1.00\nNOPE-2,3`);
    await prices.getByRole('button', { name: 'Revisar' }).click();
    await prices.getByText('Ningún producto tiene este SKU').waitFor();
    await picture('catalog-es-store');
    await chooseLanguage(page, 'English');
  });

  it('signs out: HQ refuses the session’s refresh token from then on, and the console shows the login page', async () => {
    const saved = await page.evaluate(() => JSON.parse(sessionStorage.getItem('caja.hq.session') ?? 'null') as { refreshToken: string } | null);
    if (!saved) throw new Error('no session kept');
    await page.getByRole('button', { name: /^Signed in as / }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/login');
    expect(await page.evaluate(() => sessionStorage.getItem('caja.hq.session'))).to.equal(null);
    const refused = await http<{ error: string }>('POST', `${hq.url}/api/v1/auth/refresh`, { refreshToken: saved.refreshToken });
    expect([refused.status, refused.body.error]).to.deep.equal([401, 'refresh_invalid']);
    await picture('catalog-en-signed-out');
  });
});
