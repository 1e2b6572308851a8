// Issues #13 and #11: the store's reports in the till's manager mode, end to end in Debian's Chromium. A real
// chain (HQ + relay on embedded servers, free ports), the app built with vite and served by the relay; a cashier
// rings sales and a manager-approved return at the till, the day is closed (for the Z), and a manager opens
// every report: a headline figure on screen must equal the relay API's JSON, CSV exports must equal the API's
// CSV, printing prints the report alone, and with the relay stopped the screen says so while the till sells.
// Screenshots go to test-artifacts/till/report-<name>.png.
import { buildApp } from '../../../tests/support/appBuild';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../tests/support/consoleBrowser';
import { waitFor } from '../../../tests/support/testing';
import { startChain, type Chain } from '../../../tests/support/chain';
import { generateCatalog } from '../../../scripts/seed';
import type { ReportAnswers, ReportName } from '../../../shared/api/reports';
import { REPORT_NAMES } from '../../../shared/api/reports';
import type { Product } from '../../../shared/model/types';
import { businessDate } from '../../../shared/pos/clock';
import { decimal } from '../../../shared/reports/csv';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHOTS = `${ROOT}test-artifacts/till`;
const PRODUCTS = 120;
const ZONE = 'America/Mexico_City';
const SALES = 3;

/** An active, counted product with an EAN-13 and a price above 100.00. */
function pickProduct(): Product {
  const p = generateCatalog({ products: PRODUCTS }).products.find((x) => x.active && !x.weighed && x.price > 10000 && x.barcodes.some((b) => /^[0-9]{13}$/.test(b)));
  if (!p) throw new Error('the seeded catalog has no suitable product');
  return p;
}

/** The report screens' names in the list, English. */
const TITLES: Record<ReportName, string> = {
  'sales-summary': 'Sales summary',
  x: 'X report (a register so far)',
  z: 'Z report (a closed day)',
  zz: 'ZZ report (a period’s closes)',
  tax: 'Tax',
  'inventory-value': 'Inventory value',
  'product-performance': 'Product performance',
  'sales-by-period': 'Sales by hour and weekday',
  'sales-by-rep': 'Sales by rep',
  'profit-margin': 'Profit margin',
  'cashier-performance': 'Cashier performance',
  'department-sales': 'Department sales',
  'inventory-turnover': 'Inventory turnover',
  'discount-analysis': 'Discount analysis',
};

type Pick = (a: Record<string, unknown>) => number;
/** Per report: the headline figure checked against the API (a figure card's label, or the printed slip's). */
const FIGURE: Record<ReportName, { card?: string; slip?: string; pick: Pick; kind?: 'money' | 'count' }> = {
  'sales-summary': { card: 'Total sales', pick: (a) => (a as unknown as ReportAnswers['sales-summary']).totals.total },
  x: { slip: 'X report', pick: (a) => (a as unknown as ReportAnswers['x']).figures.salesTotal },
  z: { slip: 'Z report', pick: (a) => (a as unknown as ReportAnswers['z']).figures.salesTotal },
  zz: { card: 'Total sales', pick: (a) => (a as unknown as ReportAnswers['zz']).figures.salesTotal },
  tax: { card: 'Net tax', pick: (a) => (a as unknown as ReportAnswers['tax']).totals.netTax },
  'inventory-value': { card: 'Value at retail', pick: (a) => (a as unknown as ReportAnswers['inventory-value']).totals.retailValue },
  'product-performance': { card: 'Net sales', pick: (a) => (a as unknown as ReportAnswers['product-performance']).totals.netSales },
  'sales-by-period': { card: 'Sales', kind: 'count', pick: (a) => (a as unknown as ReportAnswers['sales-by-period']).hours.reduce((s, h) => s + h.sales, 0) },
  'sales-by-rep': { card: 'Net sales', pick: (a) => (a as unknown as ReportAnswers['sales-by-rep']).totals.netSales },
  'profit-margin': { card: 'Margin', pick: (a) => (a as unknown as ReportAnswers['profit-margin']).totals.margin },
  'cashier-performance': { card: 'Total sales', pick: (a) => (a as unknown as ReportAnswers['cashier-performance']).totals.total },
  'department-sales': { card: 'Net sales', pick: (a) => (a as unknown as ReportAnswers['department-sales']).totals.netSales },
  'inventory-turnover': { card: 'Cost of goods sold', pick: (a) => (a as unknown as ReportAnswers['inventory-turnover']).totals.cogs },
  'discount-analysis': { card: 'Discounted amount', pick: (a) => (a as unknown as ReportAnswers['discount-analysis']).totals.amount },
};

/** Reports that must have a figure other than 0 after the day's sales (no reps, discounts or stock counts here). */
const WITH_FIGURES: ReadonlySet<ReportName> = new Set(['sales-summary', 'x', 'z', 'zz', 'tax', 'product-performance', 'sales-by-period', 'cashier-performance', 'department-sales']);

/** Reports also shot in Spanish. */
const SPANISH: ReadonlySet<ReportName> = new Set(['sales-summary', 'z', 'tax', 'product-performance']);

describe('the store’s reports in the till’s manager mode, in Chromium (issues #13, #11)', function () {
  this.timeout(120_000);
  this.bail(true);
  let chain: Chain;
  let browser: Browser;
  let page: Page;
  let relayUrl = '';
  let token = '';
  let terminalId = '';
  const product = pickProduct();
  const barcode = product.barcodes.find((b) => /^[0-9]{13}$/.test(b)) ?? '';
  const today = businessDate(new Date(), ZONE);

  /** A screenshot, the pointer moved off the charts first (their tooltips follow it). */
  const shot = async (name: string) => {
    await page.mouse.move(1, 1);
    await page.screenshot({ path: `${SHOTS}/report-${name}.png` });
  };
  /** Visible controls smaller than a fingertip (44 px either way), as "name WxH". */
  const smallTargets = () =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, [role="button"], [role="option"], [role="radio"], a[href], input:not([type="hidden"]):not([type="checkbox"]), .mantine-SegmentedControl-label')]
        .filter((e) => e.offsetParent !== null && !e.closest('[aria-hidden="true"]'))
        .map((e) => ({ name: (e.getAttribute('aria-label') ?? e.textContent ?? e.tagName).trim().slice(0, 30), r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.height < 44 || r.width < 44))
        .map(({ name, r }) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`),
    );
  /** A report from the relay API, as the manager's session reads it. */
  const api = async <T,>(name: ReportName, query: Record<string, string> = {}, format?: 'csv'): Promise<T> => {
    const q = new URLSearchParams({ ...query, ...(format ? { format, lang: 'en' } : {}) });
    const res = await fetch(`${relayUrl}/api/v1/reports/${name}?${q.toString()}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
    return (format ? await res.text() : await res.json()) as T;
  };
  /** An amount as the till writes it (the store's currency and the language's locale). */
  const moneyText = (minor: number, lang: 'en' | 'es' = 'en'): Promise<string> =>
    page.evaluate(([m, l]) => new Intl.NumberFormat(`${l}-MX`, { style: 'currency', currency: 'MXN', currencyDisplay: 'narrowSymbol' }).format(m / 100), [minor, lang] as const);
  /** A barcode scanner: the code at wedge speed (a key every 8 ms, stamped as the OS would), then Enter. */
  const scan = async (code: string) => {
    const cdp = await page.context().newCDPSession(page);
    const t0 = Date.now() / 1000;
    const keys = [...code].map((ch) => ({ key: ch, text: ch, code: `Digit${ch}`, vk: ch.charCodeAt(0) }));
    keys.push({ key: 'Enter', text: '\r', code: 'Enter', vk: 13 });
    for (const [i, k] of keys.entries()) {
      const timestamp = t0 + i * 0.008;
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k.key, code: k.code, text: k.text, unmodifiedText: k.text, windowsVirtualKeyCode: k.vk, timestamp });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.vk, timestamp: timestamp + 0.004 });
    }
    await cdp.detach();
  };
  const approve = async () => {
    const d = page.getByRole('dialog', { name: 'Manager approval' });
    await d.waitFor();
    await d.getByRole('button', { name: 'mgr.s001' }).click();
    await d.getByLabel('Manager PIN').fill('9999');
    await d.getByRole('button', { name: 'Approve' }).click();
    await d.waitFor({ state: 'hidden' });
  };
  const openReport = async (name: ReportName) => {
    await page.getByRole('list', { name: 'Reports' }).getByRole('button', { name: TITLES[name], exact: true }).click();
    await page.getByRole('region', { name: TITLES[name], exact: true }).getByRole('heading', { name: TITLES[name], exact: true }).waitFor();
  };
  /** Waits for the report's answer on screen (the figures, and no request still loading). */
  const settled = async () => {
    await page.locator('.caja-report-area').waitFor();
    // No request still loading, and the buttons' loaders faded out (they leave after a short transition).
    await page.waitForFunction(() => !document.querySelector('.caja-report-area[aria-busy], [data-loading], .mantine-Button-loader'));
  };

  before(async function () {
    this.timeout(600_000);
    await mkdir(SHOTS, { recursive: true });
    await buildApp('till');
    chain = await startChain({ stores: ['S001'], products: PRODUCTS });
    relayUrl = chain.relays.get('S001')?.url ?? '';
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: ZONE, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    const login = await fetch(`${relayUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'mgr.s001', pin: '9999' }) });
    token = ((await login.json()) as { token: string }).token;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: `${SHOTS}/report-failed-step.png` }).catch(() => undefined);
  });

  after(async function () {
    this.timeout(60_000);
    await browser?.close();
    await chain?.close();
  });

  it('pairs a till, rings sales and a manager-approved return, and the relay’s reports count them', async () => {
    await page.goto(relayUrl);
    await page.getByLabel('Manager username').fill('mgr.s001');
    await page.getByRole('textbox', { name: 'Manager PIN' }).fill('9999');
    await page.getByRole('button', { name: 'Pair this terminal' }).click();
    await page.getByRole('button', { name: 'cash.s001' }).click({ timeout: 60_000 });
    terminalId = await page.evaluate(() => (JSON.parse(localStorage.getItem('caja.pairing.v1') ?? '{}') as { terminalId: string }).terminalId);
    await page.getByLabel('PIN', { exact: true }).fill('1234');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('textbox', { name: 'Search products' }).waitFor();
    await page.keyboard.press('F6');
    await page.getByLabel('Opening float').fill('500.00');
    await page.getByRole('button', { name: 'Open register' }).click();
    await page.getByRole('heading', { name: 'Register open' }).waitFor();
    await page.keyboard.press('F1');
    await page.getByRole('textbox', { name: 'Search products' }).waitFor();
    for (let i = 1; i <= SALES; i++) {
      // Sale i has i units of the product (6 units in all).
      for (let n = 1; n <= i; n++) {
        await scan(barcode);
        const line = page.getByRole('option').filter({ hasText: product.name.en });
        await (n === 1 ? line : line.filter({ hasText: `${n} ×` })).first().waitFor();
      }
      await page.keyboard.press('F10');
      await page.getByRole('dialog', { name: 'Payment' }).getByRole('button', { name: 'Exact' }).click();
      const receipt = page.getByRole('dialog', { name: 'Sale complete' });
      await receipt.getByText(`S001-${terminalId}-${i}`).first().waitFor();
      await page.keyboard.press('Escape');
      await receipt.waitFor({ state: 'hidden' });
    }
    // A return of one unit of the first sale, approved by the manager.
    await page.keyboard.press('F4');
    await page.getByRole('textbox', { name: 'Receipt number' }).fill(`S001-${terminalId}-1`);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('textbox', { name: `Quantity to return of ${product.name.en}` }).fill('1');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await approve();
    await page.getByRole('heading', { name: 'Refund done' }).waitFor();
    await page.getByRole('button', { name: 'Next return' }).click();

    // The relay rolls the store's day up as documents arrive: wait until its report holds every sale and the return.
    const summary = await waitFor(
      async () => {
        const a = await api<ReportAnswers['sales-summary']>('sales-summary');
        return a.totals.sales === SALES && a.totals.returns === 1 ? a : null;
      },
      { timeoutMs: 60_000, intervalMs: 300, what: `${SALES} sales and a return in the relay's sales summary` },
    );
    expect(summary.totals.itemsMilli).to.equal(6000);
    expect(summary.totals.returnedMilli).to.equal(1000);
  });

  it('opens the Reports screen behind the manager’s PIN, and shows every report with the API’s figures', async () => {
    // The X of today's register while it is open, then the day closed through the relay (for the Z and ZZ).
    const xOpen = await api<ReportAnswers['x']>('x');
    expect(xOpen.openShiftIds).to.have.length(1);
    const close = await fetch(`${relayUrl}/api/v1/day-close`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ businessDate: today }) });
    expect(close.status, await close.clone().text()).to.be.oneOf([200, 201]);

    await page.keyboard.press('Alt+L');
    await page.getByRole('button', { name: 'mgr.s001' }).click();
    await page.getByLabel('PIN', { exact: true }).fill('9999');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('textbox', { name: 'Search products' }).waitFor();
    await page.keyboard.press('Alt+E');
    const gate = page.getByRole('region', { name: 'Store server' });
    await gate.getByLabel('Your PIN').fill('9999');
    await gate.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('list', { name: 'Reports' }).waitFor();
    await shot('list');
    expect(await smallTargets()).to.deep.equal([]);

    for (const name of REPORT_NAMES) {
      await openReport(name);
      if (name === 'x') {
        // The register of today, now closed: picked from the replica's shifts.
        await page.getByRole('combobox', { name: 'Register' }).click();
        await page.getByRole('option', { name: /closed$/ }).click();
      }
      if (name === 'z') await page.getByLabel('Day', { exact: true }).fill(today);
      await settled();
      const query: Record<string, string> = name === 'x' ? { shift: xOpen.openShiftIds[0] ?? '' } : name === 'z' ? { from: today } : { from: today, to: today };
      const answer = await api<Record<string, unknown>>(name, query);
      const spec = FIGURE[name];
      const want = spec.kind === 'count' ? String(spec.pick(answer)) : await moneyText(spec.pick(answer));
      if (spec.card) {
        const card = page.getByRole('group', { name: spec.card, exact: true }).locator('[data-figure]');
        await waitFor(async () => (await card.innerText()) === want, { timeoutMs: 10_000, what: `${name}: ${spec.card} = ${want} on screen` });
      } else {
        const slip = page.getByRole('document', { name: spec.slip ?? '' });
        await slip.getByText(want).first().waitFor({ timeout: 10_000 });
      }
      if (WITH_FIGURES.has(name)) expect(spec.pick(answer), `${name} has figures`).to.not.equal(0);
      await shot(name);
      // Touch: every control of the screens with the most filters is at least 44 px either way.
      if (name === 'product-performance' || name === 'cashier-performance' || name === 'z') expect(await smallTargets(), name).to.deep.equal([]);
      await page.getByRole('button', { name: 'Back to the list of reports' }).click();
    }
  });

  it('exports the sales summary and the tax report as CSV equal to the API’s, and prints the report alone', async () => {
    for (const name of ['sales-summary', 'tax'] as const) {
      await openReport(name);
      await settled();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(download.suggestedFilename()).to.equal(`${name}-${today}_${today}.csv`);
      const file = await readFile((await download.path()) ?? '', 'utf8');
      expect(file).to.equal(await api<string>(name, { from: today, to: today }, 'csv'));
      // The totals line holds the JSON's figures, exactly.
      const [head = '', ...rows] = file.trim().split('\r\n');
      const total = rows.find((r) => r.startsWith('Total'))?.split(',') ?? [];
      const col = (label: string) => total[head.split(',').indexOf(label)];
      if (name === 'sales-summary') {
        const a = await api<ReportAnswers['sales-summary']>(name, { from: today, to: today });
        expect(col('Total')).to.equal(decimal(a.totals.total, 2));
        expect(col('Sales')).to.equal(String(a.totals.sales));
        expect(col('Refunded')).to.equal(decimal(a.totals.returnsAmount, 2));
      } else {
        const a = await api<ReportAnswers['tax']>(name, { from: today, to: today });
        expect(col('Net tax')).to.equal(decimal(a.totals.netTax, 2));
        expect(col('Tax on sales')).to.equal(decimal(a.totals.salesTax, 2));
      }
      await page.getByRole('button', { name: 'Back to the list of reports' }).click();
    }

    // Print: what is on paper when the dialog opens is the report's print copy alone, with its figures.
    await openReport('sales-summary');
    await settled();
    // The stub keeps a copy of what would print, to look at it laid out for paper afterwards.
    await page.evaluate(
      'window.__printed = null; window.print = () => { const el = document.querySelector(".caja-report-print"); window.__printed = el ? el.innerText : ""; if (el) { const c = el.cloneNode(true); c.setAttribute("data-kept", ""); document.body.appendChild(c); } };',
    );
    await page.getByRole('button', { name: 'Print', exact: true }).click();
    const printed = await waitFor(() => page.evaluate<string | null>('window.__printed'), { timeoutMs: 10_000, what: 'the print copy' });
    const a = await api<ReportAnswers['sales-summary']>('sales-summary', { from: today, to: today });
    expect(printed).to.contain('Sales summary');
    expect(printed).to.contain(await moneyText(a.totals.total));
    // The print copy goes away once printed (the kept one is the stub's).
    expect(await page.locator('.caja-report-print:not([data-kept])').count()).to.equal(0);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: 'Screens' }).isVisible()).to.equal(false);
    expect(await page.locator('.caja-report-print[data-kept]').isVisible()).to.equal(true);
    await shot('print');
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate('document.querySelectorAll("[data-kept]").forEach((e) => e.remove())');
  });

  it('reads well in Spanish, at 1024x768 and at 1920x1080', async () => {
    await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES', { exact: true }).click();
    await page.getByRole('button', { name: 'Volver a la lista de reportes' }).click();
    const es: Partial<Record<ReportName, string>> = { 'sales-summary': 'Resumen de ventas', z: 'Corte Z (un día cerrado)', tax: 'Impuestos', 'product-performance': 'Desempeño de productos' };
    for (const name of SPANISH) {
      await page.getByRole('list', { name: 'Reportes' }).getByRole('button', { name: es[name] ?? '', exact: true }).click();
      if (name === 'z') await page.getByLabel('Día', { exact: true }).fill(today);
      await settled();
      if (name === 'sales-summary') {
        const a = await api<ReportAnswers['sales-summary']>(name, { from: today, to: today });
        const card = page.getByRole('group', { name: 'Total de ventas', exact: true }).locator('[data-figure]');
        expect(await card.innerText()).to.equal(await moneyText(a.totals.total, 'es'));
      }
      await shot(`${name}-es`);
      await page.getByRole('button', { name: 'Volver a la lista de reportes' }).click();
    }
    await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN', { exact: true }).click();
    await openReport('sales-summary');
    await settled();
    await page.setViewportSize({ width: 1024, height: 768 });
    await shot('sales-summary-1024');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot('sales-summary-1920');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says plainly that the store server is unreachable when the relay stops, and the till goes on selling', async () => {
    await chain.relays.get('S001')?.close();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Store server unreachable' });
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).to.contain('Selling and everything else at the till go on');
    await shot('unreachable');
    await page.keyboard.press('F1');
    await page.getByRole('textbox', { name: 'Search products' }).waitFor();
    await scan(barcode);
    await page.getByRole('option').filter({ hasText: product.name.en }).first().waitFor();
  });
});
