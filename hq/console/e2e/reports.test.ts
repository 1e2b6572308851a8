// Issue #13 (console): every report page in headless Chromium on a real HQ serving the built console. Two
// stores (one in exclusive tax mode with two terminals, one inclusive) hold six weeks of generated sales
// (tests/support/reportFixtures.ts: discounts, voids, returns, Zs, a late terminal after its day's Z), written
// into their HQ databases as replication leaves them; a third store in another currency has none. Once HQ's
// roll-ups have them, each report's page (its filters in the URL) must show the API's own figure for the same
// query; screenshots go to test-artifacts/console/report-<name>.png (a few in Spanish too); Export CSV saves
// exactly what `?format=csv&lang=` answers; the print view hides the navigation and filters.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { http, tempDir, testConfig, testLogger, waitFor } from '../../../tests/support/testing';
import { buildConsole, chooseLanguage, CONSOLE_SHOTS, launchChromium, shot } from '../../../tests/support/consoleBrowser';
import { generateChainDocs, type ChainData } from '../../../tests/support/reportFixtures';
import { rawOf } from '../../../tests/support/reportMemory';
import { REPORT_NAMES, type ReportAnswers, type ReportName } from '../../../shared/api/reports';
import { CATALOG_DB, hqStoreDbName } from '../../../shared/model/names';
import type { Shift } from '../../../shared/model/types';
import { addDays } from '../../../shared/reports/periods';
import { bruteForceIO } from '../../../shared/reports/recompute';
import { reportRequest } from '../../../shared/reports/request';
import { runReport } from '../../../shared/reports/run';
import type { CouchHandle } from '../../../server-kit/couch';
import { startHq, type HqServer } from '../../server';
import { formatMinor } from '../src/lib/format';

const ZONE = 'America/Mexico_City';
const STORES = [
  { storeId: 'S001', timeZone: ZONE, taxMode: 'exclusive' as const, terminals: ['T1', 'T2'] },
  { storeId: 'S002', timeZone: 'America/Monterrey', taxMode: 'inclusive' as const, terminals: ['T1'] },
];
const FROM = '2026-09-28';
const DAYS = 35;
const TO = addDays(FROM, DAYS - 1);
/** The period the pages show: the last four weeks, compared with the four before. */
const SHOWN = { from: '2026-10-05', to: TO };
const BOTH = 'S001,S002';

type Query = Record<string, string>;

async function write(couch: CouchHandle, db: string, docs: readonly object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const res = await couch.request<Array<{ error?: string; id: string }>>(`/${db}/_bulk_docs`, { method: 'POST', body: { docs: docs.slice(i, i + 500) } });
    const bad = res.filter((r) => r.error);
    if (bad.length) throw new Error(`writing ${db}: ${JSON.stringify(bad.slice(0, 3))}`);
  }
}

async function upsert(couch: CouchHandle, db: string, docs: ReadonlyArray<{ _id: string }>): Promise<void> {
  const res = await couch.request<{ rows: Array<{ key: string; value?: { rev: string } }> }>(`/${db}/_all_docs`, { method: 'POST', body: { keys: docs.map((d) => d._id) } });
  const revs = new Map(res.rows.flatMap((r) => (r.value ? [[r.key, r.value.rev] as const] : [])));
  await write(couch, db, docs.map((d) => ({ ...d, ...(revs.has(d._id) ? { _rev: revs.get(d._id) } : {}) })));
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical((v as Record<string, unknown>)[k])).join(',') + '}';
  return JSON.stringify(v);
}

const mxn = (minor: number, lang: 'en' | 'es' = 'en') => formatMinor(minor, 'MXN', lang);

describe('HQ console: the report pages in a browser (issue #13)', function () {
  this.timeout(300_000);
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let hq: HqServer;
  let auth: Record<string, string>;
  let gen: ChainData;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shift: Shift;
  let closedDay: string;

  const api = async <N extends ReportName>(name: N, q: Query): Promise<ReportAnswers[N]> => {
    const res = await http<ReportAnswers[N]>('GET', `${hq.url}/api/v1/reports/${name}?${new URLSearchParams(q).toString()}`, undefined, auth);
    expect(res.status, `${name} ${JSON.stringify(q)}: ${JSON.stringify(res.body).slice(0, 300)}`).to.equal(200);
    return res.body;
  };
  const apiCsv = async (name: ReportName, q: Query, lang: 'en' | 'es') => {
    const res = await fetch(`${hq.url}/api/v1/reports/${name}?${new URLSearchParams({ ...q, format: 'csv', lang }).toString()}`, { headers: auth });
    expect(res.status).to.equal(200);
    return res.text();
  };
  /** The query each page is opened with (its URL) — the same as the API query the page sends. */
  const queries = (): Record<ReportName, Query> => {
    const range = { store: BOTH, ...SHOWN };
    return {
      'sales-summary': { ...range, group: 'week' },
      x: { store: 'S001', shift: shift._id },
      z: { store: 'S001', from: closedDay },
      zz: { ...range, group: 'week' },
      tax: { ...range, group: 'day' },
      'inventory-value': range,
      'product-performance': { ...range, group: 'day' },
      'sales-by-period': { ...range, group: 'day' },
      'sales-by-rep': range,
      'profit-margin': { ...range, group: 'week' },
      'cashier-performance': { ...range, group: 'day' },
      'department-sales': range,
      'inventory-turnover': range,
      'discount-analysis': { ...range, group: 'day' },
    };
  };
  /** The URL of a page for an API query (the page leaves out `group=day`, its default). */
  const pageUrl = (name: ReportName, q: Query) => {
    const { group, ...rest } = q;
    return `${hq.url}/reports/${name}?${new URLSearchParams({ ...rest, ...(group && group !== 'day' ? { group } : {}) }).toString()}`;
  };
  const kpi = (label: string) => page.getByRole('group', { name: label, exact: true }).locator('[data-value]');
  const slipLine = (label: string, testId = 'report-slip') => page.getByTestId(testId).locator(`[data-line="${label}"] [data-value]`);
  /** Opens a page and waits for its figures (not the skeleton). */
  const open = async (name: ReportName, q: Query) => {
    const url = pageUrl(name, q);
    const current = new URL(page.url());
    // Another report's page is opened inside the app (as a link would), which is much faster than loading the
    // app again; the page left behind is marked, so the wait below cannot be satisfied by it.
    if (current.origin === hq.url && current.pathname.startsWith('/reports/') && current.pathname !== `/reports/${name}`) {
      await page.evaluate((to) => {
        document.querySelector('.report-page')?.setAttribute('data-left', '');
        history.pushState(null, '', to);
        dispatchEvent(new PopStateEvent('popstate'));
      }, url.slice(hq.url.length));
    } else {
      await page.goto(url);
    }
    await page.locator('.report-page:not([data-left])').locator('[data-testid="report-scope"], [data-testid="report-slip"]').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="report-loading"]') && !document.querySelector('.mantine-Skeleton-root') && !document.querySelector('.report-page[aria-busy="true"]'));
  };
  /** Clicks Export CSV and returns the saved file's text and name. */
  const exportCsv = async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export CSV|Exportar CSV/ }).click()]);
    const file = await download.path();
    return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
  };

  before(async function () {
    this.timeout(900_000);
    const t0 = Date.now();
    const built = buildConsole().then(() => console.log(`      console built in ${((Date.now() - t0) / 1000).toFixed(1)} s`));
    tmp = await tempDir('caja-console-reports-');
    hq = await startHq(testConfig(path.join(tmp.dir, 'hq')), testLogger());
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    auth = { Authorization: `Bearer ${login.body.accessToken}` };
    for (const s of [...STORES.map((x) => ({ code: x.storeId, timeZone: x.timeZone, currency: 'MXN', name: `Tienda ${x.storeId}` })), { code: 'S003', timeZone: 'Europe/Madrid', currency: 'EUR', name: 'Madrid' }]) {
      const created = await http('POST', `${hq.url}/api/v1/stores`, s, auth);
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
    }
    gen = generateChainDocs({ seed: 13, stores: STORES, from: FROM, days: DAYS, products: 24 });
    await upsert(hq.couch, CATALOG_DB, [...gen.catalog.docs, ...gen.catalog.salesReps]);
    for (const s of STORES) await write(hq.couch, hqStoreDbName(s.storeId), [...gen.docs, ...gen.late].filter((d) => d.storeId === s.storeId));
    shift = gen.docs.find((d): d is Shift => d.type === 'shift' && d.storeId === 'S001' && d.businessDate >= SHOWN.from) as Shift;
    closedDay = gen.marks.lateDay;
    // HQ's roll-ups hold every document when the summary of both stores equals the brute force over them.
    const io = bruteForceIO(rawOf({ docs: [...gen.docs, ...gen.late], timeZones: Object.fromEntries(STORES.map((s) => [s.storeId, s.timeZone])), catalog: gen.catalog }));
    const strip = (a: unknown) => canonical({ ...(a as object), generatedAt: null });
    for (const [name, q] of [['sales-summary', { store: BOTH, from: FROM, to: TO, group: 'month' }], ['z', { store: 'S001', from: closedDay }]] as Array<[ReportName, Query]>) {
      const want = strip(JSON.parse(JSON.stringify(await runReport(name, reportRequest(name, q, TO, new Date()), io))));
      await waitFor(async () => strip(await api(name, q)) === want || null, { what: `HQ's roll-ups of ${name}`, timeoutMs: 240_000, intervalMs: 500 });
    }
    console.log(`      ${gen.docs.length + gen.late.length} documents rolled up at HQ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await built;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'Asia/Tokyo', acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${hq.url}/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByRole('textbox', { name: 'Password' }).fill('admin-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(CONSOLE_SHOTS, 'report-failed.png'), fullPage: true }).catch(() => undefined);
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await hq?.close().catch(() => undefined);
    await tmp?.cleanup();
  });

  it('lists every report from the navigation, each with a description, and opens one from the keyboard', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    expect(await page.locator('[data-report]').count()).to.equal(REPORT_NAMES.length);
    await page.locator('[data-report="tax"]').getByText('Taxable base and tax per rate', { exact: false }).waitFor();
    await shot(page, 'report-index');
    await page.locator('[data-report="sales-summary"]').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sales summary', level: 1 }).waitFor();
    // The chain mixes pesos and euros: nothing is added across them until one currency's stores are chosen.
    await page.getByTestId('report-currencies').waitFor();
    await page.getByRole('button', { name: 'MXN: 2 stores' }).click();
    await page.getByTestId('report-scope').waitFor();
    expect(new URL(page.url()).searchParams.get('store')).to.equal(BOTH);
  });

  it('every report page shows the API\'s figures for the filters in its URL (screenshots)', async () => {
    const q = queries();
    const checks: Record<ReportName, () => Promise<[string, string]>> = {
      'sales-summary': async () => [await kpi('Total').innerText(), mxn((await api('sales-summary', q['sales-summary'])).totals.total)],
      x: async () => [await slipLine('Total sales').innerText(), mxn((await api('x', q.x)).figures.salesTotal)],
      z: async () => [await slipLine('Total sales').innerText(), mxn((await api('z', q.z)).figures.salesTotal)],
      zz: async () => [await kpi('Total sales').innerText(), mxn((await api('zz', q.zz)).figures.salesTotal)],
      tax: async () => [await page.getByTestId('report-tax').locator('tfoot [data-col="netTax"] span').first().innerText(), mxn((await api('tax', q.tax)).totals.netTax)],
      'inventory-value': async () => [await kpi('Value at cost').innerText(), mxn((await api('inventory-value', q['inventory-value'])).totals.costValue)],
      'product-performance': async () => {
        const a = await api('product-performance', q['product-performance']);
        const first = a.products[0]!;
        const row = page.getByTestId('report-products').locator(`tr[data-row="${first.productId}"] [data-col="netSales"] span`).first();
        expect(await row.innerText()).to.equal(mxn(first.figures.netSales));
        return [await kpi('Net sales').innerText(), mxn(a.totals.netSales)];
      },
      'sales-by-period': async () => [await kpi('Total').innerText(), mxn((await api('sales-by-period', q['sales-by-period'])).hours.reduce((s, h) => s + h.total, 0))],
      'sales-by-rep': async () => [await kpi('Net sales').innerText(), mxn((await api('sales-by-rep', q['sales-by-rep'])).totals.netSales)],
      'profit-margin': async () => [await kpi('Margin').innerText(), mxn((await api('profit-margin', q['profit-margin'])).totals.margin)],
      'cashier-performance': async () => [await kpi('Total').innerText(), mxn((await api('cashier-performance', q['cashier-performance'])).totals.total)],
      'department-sales': async () => [await kpi('Net sales').innerText(), mxn((await api('department-sales', q['department-sales'])).totals.netSales)],
      'inventory-turnover': async () => [await kpi('Cost of goods sold').innerText(), mxn((await api('inventory-turnover', q['inventory-turnover'])).totals.cogs)],
      'discount-analysis': async () => [await kpi('Discounts').innerText(), mxn((await api('discount-analysis', q['discount-analysis'])).totals.amount)],
    };
    for (const name of REPORT_NAMES) {
      await open(name, q[name]);
      const [shown, want] = await checks[name]();
      expect(shown, name).to.equal(want);
      await shot(page, `report-${name}`);
    }
    // The Z of the late terminal's day: the Z as written, and what arrived after it beside it.
    await open('z', q.z);
    await page.getByTestId('report-late').waitFor();
    const z = await api('z', q.z);
    expect(await slipLine('Total sales', 'report-late').innerText()).to.equal(mxn(z.lateArrivals!.salesTotal));
  });

  it('changes filters into the URL: grouping, a department, another period; an empty period says so', async () => {
    const q = queries()['sales-summary'];
    await open('sales-summary', q);
    await page.locator('label', { hasText: /^Month$/ }).click();
    await waitFor(() => new URL(page.url()).searchParams.get('group') === 'month' || null, { what: 'group=month in the URL', timeoutMs: 5_000 });
    const monthly = await api('sales-summary', { ...q, group: 'month' });
    await page.getByTestId('report-series').locator('tbody tr').nth(monthly.series.length - 1).waitFor();
    expect(await page.getByTestId('report-series').locator('tbody tr').count()).to.equal(monthly.series.length);
    // A reload keeps the filters.
    await page.reload();
    await page.getByTestId('report-scope').waitFor();
    expect(await kpi('Total').innerText()).to.equal(mxn(monthly.totals.total));
    // Department filter on product performance (the URL holds it, the API is asked with it).
    const dept = gen.catalog.departments.find((d) => d.parentId === null)!;
    await open('product-performance', { ...queries()['product-performance'], department: dept._id });
    const filtered = await api('product-performance', { ...queries()['product-performance'], department: dept._id });
    expect(await kpi('Net sales').innerText()).to.equal(mxn(filtered.totals.netSales));
    const deptInput = page.getByRole('search', { name: 'Report filters' }).getByLabel('Department', { exact: true });
    await waitFor(async () => (await deptInput.inputValue()).includes(dept.name.en) || null, { what: 'the department in the filter', timeoutMs: 10_000 });
    await open('sales-summary', { store: BOTH, from: '2025-01-01', to: '2025-01-31' });
    await page.getByTestId('report-empty').waitFor();
    await shot(page, 'report-empty');
  });

  it('Export CSV saves what HQ answers for the same query, in the console\'s language', async () => {
    const q = queries();
    for (const name of ['sales-summary', 'tax', 'product-performance'] as const) {
      await open(name, q[name]);
      const file = await exportCsv();
      expect(file.name).to.equal(`${name}_${BOTH.replace(',', '-')}_${SHOWN.from}_${SHOWN.to}.csv`);
      expect(file.text, name).to.equal(await apiCsv(name, q[name], 'en'));
    }
    // The figures in the file are the JSON's: the sales summary's Total row, the tax report's net tax.
    await open('sales-summary', q['sales-summary']);
    const lines = (await exportCsv()).text.trim().split('\r\n');
    const header = lines[0]!.split(',');
    const total = lines.find((l) => l.startsWith('Total,'))!.split(',');
    const json = await api('sales-summary', q['sales-summary']);
    expect(total[header.indexOf('Total')]).to.equal((json.totals.total / 100).toFixed(2));
    expect(Number(total[header.indexOf('Sales')])).to.equal(json.totals.sales);
    await open('product-performance', q['product-performance']);
    const products = (await exportCsv()).text.trim().split('\r\n');
    const pp = await api('product-performance', q['product-performance']);
    const ph = products[0]!.split(',');
    const top = products.find((l) => l.includes(pp.products[0]!.sku))!;
    expect(top).to.include(`,${(pp.products[0]!.figures.netSales / 100).toFixed(2)},`);
    expect(ph).to.include('Net sales');
  });

  it('prints without the navigation and the filters', async () => {
    await open('tax', queries().tax);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.mantine-AppShell-navbar').isVisible()).to.equal(false);
    expect(await page.getByRole('search', { name: 'Report filters' }).isVisible()).to.equal(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).to.equal(false);
    await page.getByTestId('report-tax').waitFor();
    await shot(page, 'report-print-tax');
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'Print' }).waitFor();
  });

  it('reads in Spanish, and exports its CSV in Spanish', async () => {
    const q = queries();
    await open('sales-summary', q['sales-summary']);
    await chooseLanguage(page, 'Español');
    await page.getByRole('heading', { name: 'Resumen de ventas', level: 1 }).waitFor();
    const summary = await api('sales-summary', q['sales-summary']);
    expect(await kpi('Total').innerText()).to.equal(mxn(summary.totals.total, 'es'));
    await shot(page, 'report-sales-summary-es');
    const file = await exportCsv();
    expect(file.text).to.equal(await apiCsv('sales-summary', q['sales-summary'], 'es'));
    for (const name of ['tax', 'z', 'zz'] as const) {
      await open(name, q[name]);
      await shot(page, `report-${name}-es`);
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    await open('department-sales', q['department-sales']);
    expect(await kpi('Ventas netas').innerText()).to.equal(mxn((await api('department-sales', q['department-sales'])).totals.netSales, 'es'));
    await shot(page, 'report-department-sales-es-1920');
    await chooseLanguage(page, 'English');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
