// Issue #12 (console point 6): the chain dashboard in headless Chromium on a real HQ serving the built console.
// Three stores in two zones and two currencies hold a day of sales (today, each in its own zone) and the same
// weekday last week, written into their HQ databases as replication leaves them. A person signs in, lands on
// the dashboard, reads the figures, sorts the stores, looks at last week's day, switches currency, sees a new
// sale arrive without a reload, and reads it all in Spanish. Screenshots at 1280x800 and 1920x1080 in both
// languages go to test-artifacts/console/.
import { buildApp } from '../../../tests/support/appBuild';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { http, tempDir, testConfig, testLogger, waitFor } from '../../../tests/support/testing';
import { returnDoc, sale as saleFixture, voidOf } from '../../../scripts/seed/documents';
import { hqStoreDbName } from '../../../shared/model/names';
import { money } from '../../../shared/money';
import type { Return, Sale, Void } from '../../../shared/model/types';
import { businessDate, localDateTime } from '../../../shared/pos/clock';
import { startHq } from '../../server';
import type { HqServer } from '../../server';
import { formatMinor, zonedDayStart } from '../src/lib/format';
import { launchChromium } from '../../../tests/support/consoleBrowser';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const SHOTS = path.join(repo, 'test-artifacts/console');

const STORES = [
  { code: 'S001', name: 'Centro', timeZone: 'America/Mexico_City', currency: 'MXN', today: 38, lastWeek: 31 },
  { code: 'S002', name: 'Monterrey', timeZone: 'America/Monterrey', currency: 'MXN', today: 19, lastWeek: 27 },
  { code: 'S003', name: 'Madrid Sol', timeZone: 'Europe/Madrid', currency: 'EUR', today: 14, lastWeek: 11 },
] as const;
type StoreDef = (typeof STORES)[number];
type Ledger = Sale | Void | Return;

const shiftDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A small deterministic generator, so the figures (and the screenshots) are the same on every run. */
function numbers(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** A valid one-line sale of `price` (minor units), 16 % VAT on the net, one in three with 10 % off, paid in cash. */
function pricedSale(store: StoreDef, seq: number, day: string, createdAt: string, price: number, discounted: boolean): Sale {
  const base = saleFixture(seq, store.code, 'T1');
  const m = money;
  const off = discounted ? Math.round(price / 10) : 0;
  const net = price - off;
  const tax = Math.round(net * 0.16);
  const first = base.lines[0] as Sale['lines'][number];
  const line = { ...first, qty: 1, unitPrice: m(price), grossAmount: m(price), discounts: off ? [{ kind: 'amount' as const, amount: m(off) }] : [], netAmount: m(net), taxes: [{ rateId: 'taxrate:VAT', code: 'VAT', basis: m(net), amount: m(tax) }] };
  return {
    ...base, businessDate: day, createdAt, currency: store.currency, lines: [line],
    subtotal: m(price), discountTotal: m(off), taxTotal: m(tax), taxes: [{ ...(base.taxes[0] as Sale['taxes'][number]), basis: m(net), amount: m(tax) }],
    rounding: m(0), total: m(net + tax), tenders: [{ tenderId: 'tender:CASH', kind: 'cash', amount: m(net + tax), tendered: m(net + tax), change: m(0) }], change: m(0),
  };
}

describe('HQ console: the chain dashboard in a browser (issue #12)', function () {
  this.timeout(300_000);
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let hq: HqServer;
  let auth: Record<string, string>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const docs: Ledger[] = [];
  const seqs = new Map<string, number>();
  const today = new Map<string, string>();

  const nextSeq = (code: string) => {
    const n = (seqs.get(code) ?? 0) + 1;
    seqs.set(code, n);
    return n;
  };
  const at = (store: StoreDef, day: string, minutes: number) => new Date(Date.parse(zonedDayStart(day, store.timeZone)) + minutes * 60_000).toISOString();
  /** A store's day: `count` sales from 08:00 to 21:00 (busier at midday and evening), one voided, one return. */
  const sellDay = (store: StoreDef, day: string, count: number, seed: number) => {
    const rnd = numbers(seed);
    for (let k = 0; k < count; k++) {
      const minutes = 8 * 60 + Math.floor(Math.min(rnd(), rnd() + 0.25, 0.999) * 13 * 60);
      docs.push(pricedSale(store, nextSeq(store.code), day, at(store, day, minutes), 3500 + Math.round(rnd() * 86_500), k % 3 === 2));
    }
    const last = docs.at(-1) as Sale;
    docs.push({ ...voidOf(last), createdAt: at(store, day, 21 * 60 + 30) });
    docs.push({ ...returnDoc(nextSeq(store.code), store.code, 'T1'), businessDate: day, createdAt: at(store, day, 12 * 60) });
  };
  const write = async (list: Ledger[]) => {
    for (const store of STORES) {
      const res = await hq.couch.nano.use(hqStoreDbName(store.code)).bulk({ docs: list.filter((d) => d.storeId === store.code) });
      expect(res.filter((r) => 'error' in r && r.error), JSON.stringify(res.slice(0, 2))).to.deep.equal([]);
    }
  };
  /** Revenue of the stores' days as the X/Z reports count it: the days' sales, voided ones out. */
  const revenue = (stores: readonly StoreDef[], dayOf: (s: StoreDef) => string) => {
    const voided = new Set(docs.flatMap((d) => (d.type === 'void' ? [d.saleId] : [])));
    return docs.reduce((sum, d) => (d.type === 'sale' && !voided.has(d._id) && stores.some((s) => s.code === d.storeId && dayOf(s) === d.businessDate) ? sum + d.total : sum), 0);
  };
  const mxn = STORES.filter((s) => s.currency === 'MXN');

  // The whole page in one picture at a viewport width: the viewport is stretched to the page's height.
  const shot = async (name: string, width: number, height: number) => {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const full = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width, height: Math.max(height, full) });
    // The fixed navigation reaches the new bottom before the picture is taken.
    await page.waitForFunction((h) => (document.querySelector('nav')?.closest('.mantine-AppShell-navbar')?.getBoundingClientRect().bottom ?? h) >= h - 1, Math.max(height, full));
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    await page.setViewportSize({ width, height });
  };
  const chooseLanguage = async (name: 'English' | 'Español') => {
    const id = await page.getByRole('radio', { name }).first().getAttribute('id');
    await page.locator(`label[for="${id}"]`).click();
  };
  const kpi = (name: string) => page.getByRole('group', { name, exact: true });
  const storeRows = () => page.getByRole('table', { name: 'Each store’s day against the same weekday last week' }).locator('tbody tr');

  before(async function () {
    this.timeout(1_500_000);
    await mkdir(SHOTS, { recursive: true });
    // The test reads each store's today for a few minutes: it starts past any store's midnight, not just before.
    const nearMidnight = () => STORES.some((s) => localDateTime(new Date(), s.timeZone).slice(11) >= '23:45');
    await waitFor(() => !nearMidnight(), { timeoutMs: 1_200_000, intervalMs: 5_000, what: "every store's local time off 23:45-24:00" });
    await buildApp('console');
    tmp = await tempDir('caja-console-dashboard-');
    hq = await startHq(testConfig(path.join(tmp.dir, 'hq')), testLogger());
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    auth = { Authorization: `Bearer ${login.body.accessToken}` };
    const now = new Date();
    for (const [i, s] of STORES.entries()) {
      const created = await http('POST', `${hq.url}/api/v1/stores`, { code: s.code, name: s.name, timeZone: s.timeZone, currency: s.currency }, auth);
      expect(created.status).to.equal(201);
      const day = businessDate(now, s.timeZone);
      today.set(s.code, day);
      sellDay(s, day, s.today, 11 + i);
      sellDay(s, shiftDay(day, -7), s.lastWeek, 101 + i);
    }
    await write(docs);
    // The dashboard reads the reports engine's day roll-ups, written about a second after the sales arrive.
    type Row = { code: string; day: { salesCount: number }; lastWeek: { salesCount: number } };
    await waitFor(async () => {
      const rows = (await http<{ stores: Row[] }>('GET', `${hq.url}/api/v1/dashboard`, undefined, auth)).body.stores ?? [];
      return STORES.every((s) => rows.some((r) => r.code === s.code && r.day.salesCount === s.today - 1 && r.lastWeek.salesCount === s.lastWeek - 1));
    }, { timeoutMs: 30_000, intervalMs: 200, what: "the stores' day roll-ups" });
    browser = await launchChromium();
    // A browser in Tokyo: each store's day and clock must still be the store's own.
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'Asia/Tokyo' });
    // Timers the test can move on (the dashboard polls every 30 s); the clock otherwise runs as usual.
    await context.clock.install();
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(SHOTS, 'dashboard-failed.png'), fullPage: true }).catch(() => undefined);
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await hq?.close().catch(() => undefined);
    await tmp?.cleanup();
  });

  it('lands on the dashboard after sign-in, with the chain\'s figures against last week and every store', async () => {
    await page.goto(`${hq.url}/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByRole('textbox', { name: 'Password' }).fill('admin-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/dashboard');

    const todayOf = (s: StoreDef) => today.get(s.code) ?? '';
    const lastWeekOf = (s: StoreDef) => shiftDay(todayOf(s), -7);
    await kpi('Revenue').getByText(formatMinor(revenue(mxn, todayOf), 'MXN', 'en'), { exact: true }).waitFor();
    await kpi('Revenue').getByText(`Last week ${formatMinor(revenue(mxn, lastWeekOf), 'MXN', 'en')}`).waitFor();
    // 38 + 19 sales, one of each store's voided; last week 31 + 27 less theirs: up 55 / 56 = -1.8 %.
    await kpi('Sales').getByText('55', { exact: true }).waitFor();
    await kpi('Sales').getByText('Down 1.8% against last week').waitFor();
    await kpi('Voids').getByText('2 voided sales').waitFor();
    await kpi('Returns').getByText('2 returns').waitFor();
    await page.getByRole('region', { name: 'Sales by hour' }).locator('.recharts-surface').first().waitFor();
    await page.getByRole('region', { name: 'Stores compared' }).locator('.recharts-surface').first().waitFor();
    // The table has this currency's stores, most revenue first, each with its own business day.
    expect(await storeRows().count()).to.equal(2);
    const first = mxn.reduce((a, b) => (revenue([a], todayOf) >= revenue([b], todayOf) ? a : b));
    await storeRows().first().getByRole('link', { name: `Open store ${first.code}` }).waitFor();
  });

  it('sorts the stores from the keyboard and says how they are sorted', async () => {
    const header = page.getByRole('button', { name: 'Sort by Revenue' });
    await header.focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('columnheader', { name: 'Sort by Revenue' }).getAttribute('aria-sort')).to.equal('ascending');
    const todayOf = (s: StoreDef) => today.get(s.code) ?? '';
    const lowest = mxn.reduce((a, b) => (revenue([a], todayOf) <= revenue([b], todayOf) ? a : b));
    await storeRows().first().getByRole('link', { name: `Open store ${lowest.code}` }).waitFor();
    await page.getByRole('button', { name: 'Sort by Store' }).click();
    await storeRows().first().getByRole('link', { name: 'Open store S001' }).waitFor();
    await page.getByRole('button', { name: 'Sort by Revenue' }).click();
    await page.getByRole('button', { name: 'Sort by Revenue' }).click();
  });

  it('shows another day from the date picker and the address, and comes back to today', async () => {
    const day = today.get('S001') ?? '';
    const lastWeek = shiftDay(day, -7);
    await page.getByRole('textbox', { name: 'Day' }).fill(lastWeek);
    await page.waitForURL((u) => u.searchParams.get('date') === lastWeek);
    await kpi('Revenue').getByText(formatMinor(revenue(mxn, () => lastWeek), 'MXN', 'en'), { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.waitForURL((u) => u.searchParams.get('date') === shiftDay(lastWeek, -1));
    await page.getByText('No sales on this day yet.').first().waitFor();
    await kpi('Revenue').getByText(formatMinor(0, 'MXN', 'en'), { exact: true }).waitFor();
    await shot('dashboard-en-empty-day', 1280, 800);
    await page.getByRole('button', { name: 'Today' }).click();
    await page.waitForURL((u) => !u.searchParams.has('date'));
    await kpi('Sales').getByText('55', { exact: true }).waitFor();
  });

  it('shows one currency at a time: euros are never added to pesos', async () => {
    const eur = STORES.filter((s) => s.currency === 'EUR');
    const id = await page.getByRole('radio', { name: 'EUR · 1 store' }).getAttribute('id');
    await page.locator(`label[for="${id}"]`).click();
    await kpi('Revenue').getByText(formatMinor(revenue(eur, (s) => today.get(s.code) ?? ''), 'EUR', 'en'), { exact: true }).waitFor();
    expect(await storeRows().count()).to.equal(1);
    await storeRows().first().getByRole('link', { name: 'Open store S003' }).waitFor();
    const back = await page.getByRole('radio', { name: 'MXN · 2 stores' }).getAttribute('id');
    await page.locator(`label[for="${back}"]`).click();
    expect(await storeRows().count()).to.equal(2);
  });

  it('updates itself when a sale arrives, without a reload', async () => {
    const store = STORES[0];
    const day = today.get(store.code) ?? '';
    const late = pricedSale(store, nextSeq(store.code), day, at(store, day, 20 * 60 + 5), 123_400, false);
    docs.push(late);
    await write([late]);
    const marker = await page.evaluate(() => ((window as unknown as { marker?: number }).marker = Math.random()));
    // The next poll (every 30 s) brings it once HQ has rolled it up: the browser's clock is then moved on
    // instead of waited out.
    await waitFor(async () => {
      const rows = (await http<{ chain: Array<{ day: { salesCount: number } }> }>('GET', `${hq.url}/api/v1/dashboard`, undefined, auth)).body.chain ?? [];
      return rows.some((c) => c.day.salesCount === 56);
    }, { timeoutMs: 30_000, intervalMs: 200, what: 'the new sale in the chain’s day' });
    await page.clock.fastForward(31_000);
    await kpi('Sales').getByText('56', { exact: true }).waitFor({ timeout: 15_000 });
    await kpi('Revenue').getByText(formatMinor(revenue(mxn, (s) => today.get(s.code) ?? ''), 'MXN', 'en'), { exact: true }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).to.equal(marker);
  });

  it('reads in English and Spanish at 1280x800 and 1920x1080 (screenshots)', async () => {
    await shot('dashboard-en-1280', 1280, 800);
    await shot('dashboard-en-1920', 1920, 1080);
    await chooseLanguage('Español');
    await page.getByRole('heading', { name: 'Tablero', level: 1 }).waitFor();
    await page.getByRole('group', { name: 'Ingresos', exact: true }).getByText(formatMinor(revenue(mxn, (s) => today.get(s.code) ?? ''), 'MXN', 'es'), { exact: true }).waitFor();
    await page.getByRole('group', { name: 'Ventas', exact: true }).getByText('Semana pasada 56').waitFor();
    await page.getByRole('region', { name: 'Ventas por hora' }).waitFor();
    await shot('dashboard-es-1280', 1280, 800);
    await shot('dashboard-es-1920', 1920, 1080);
    await chooseLanguage('English');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  });

  it('sends someone who may not see figures to the stores, without a Dashboard link', async () => {
    expect((await http('POST', `${hq.url}/api/v1/users`, { username: 'no.figures', password: 'no-figures-pass-1' }, auth)).status).to.equal(201);
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    try {
      const p = await other.newPage();
      await p.goto(`${hq.url}/`);
      await p.getByLabel('Username').fill('no.figures');
      await p.getByRole('textbox', { name: 'Password' }).fill('no-figures-pass-1');
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { name: 'Stores', level: 1 }).waitFor();
      expect(await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).count()).to.equal(0);
      await p.goto(`${hq.url}/dashboard`);
      await p.getByRole('heading', { name: 'Not allowed' }).waitFor();
    } finally {
      await other.close();
    }
  });
});
