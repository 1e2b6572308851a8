// Issue #12 (console point 6): the chain dashboard's API on a real HQ over its embedded CouchDB. Sales, voids
// and returns are written straight into the stores' HQ databases (as replication would leave them) for three
// stores in three zones (Mexico City, Kolkata at +05:30, Madrid) and two currencies; every figure the API
// answers is checked against a recomputation from those documents, hours read with Intl in the store's zone.
// The figures come from the reports engine's day roll-ups, which HQ's roll-up job writes about a second after
// the documents arrive: each check first waits (with a deadline) for the answer to take in what was written,
// and a sale must reach today's figures within FRESH_MS.
import path from 'node:path';
import { expect } from 'chai';
import { http, tempDir, testConfig, testLogger, waitFor } from '../tests/support/testing';
import { returnDoc, sale as saleFixture, voidOf } from '../scripts/seed/documents';
import type { ChainDashboard, DayTotals, HourSales } from '../shared/api/hqRecords';
import { REPORTS_CHAIN_DB, REPORTS_DB, hqStoreDbName } from '../shared/model/names';
import type { Return, Sale, Void } from '../shared/model/types';
import { businessDate } from '../shared/pos/clock';
import { H, H_LEN } from '../shared/reports/layout';
import { zonedDayStart } from './console/src/lib/format';
import { dayFigures } from './services/chainDashboard';
import { startHq } from './server';
import type { HqServer } from './server';

type Ledger = Sale | Void | Return;
type Body = { error?: string };

const STORES = [
  { code: 'S001', timeZone: 'America/Mexico_City', currency: 'MXN' },
  { code: 'S002', timeZone: 'Asia/Kolkata', currency: 'MXN' },
  { code: 'S003', timeZone: 'Europe/Madrid', currency: 'EUR' },
] as const;
type StoreDef = (typeof STORES)[number];

const DAY = '2024-05-08';
const LAST_WEEK = '2024-05-01';
/** Days next to the two asked for: their documents must count nowhere. */
const NOISE = ['2024-05-07', '2024-05-09', '2024-05-02', '2024-04-30'];

/**
 * How soon a document reaching HQ must show in the dashboard's figures: the roll-up job waits 250 ms for more
 * changes and then rolls the day up (about a second); the bound leaves room for a machine shared by many.
 */
const FRESH_MS = 20_000;

const shiftDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The local hour (0-23) of an instant in a zone, read with Intl (not the code under test). */
function hourIn(iso: string, timeZone: string): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso)).find((p) => p.type === 'hour');
  return Number(part?.value) % 24;
}

/** The UTC instant of a wall-clock time (HH:MM) on a local day in a zone (an hour off after a DST change that day: still that day). */
function utcOf(day: string, time: string, timeZone: string): string {
  const [h, m] = time.split(':').map(Number);
  return new Date(Date.parse(zonedDayStart(day, timeZone)) + ((h ?? 0) * 60 + (m ?? 0)) * 60_000).toISOString();
}

/** A valid sale: the fixture's two lines (total 11.00, tax 1.52, discounts 0.50) or only its first (5.80, 0.80, 0). */
function fixture(seq: number, store: string, small: boolean): Sale {
  const s = saleFixture(seq, store, 'T1');
  if (!small) return s;
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

/** The figures the dashboard must answer for a store's day, from the documents alone. */
function recompute(docs: readonly Ledger[], store: StoreDef, day: string): { totals: DayTotals; hours: Array<[number, number]> } {
  const voided = new Set(docs.flatMap((d) => (d.type === 'void' ? [d.saleId] : [])));
  const mine = docs.filter((d) => d.storeId === store.code && d.businessDate === day);
  const sales = mine.filter((d): d is Sale => d.type === 'sale' && !voided.has(d._id));
  const voids = mine.filter((d): d is Void => d.type === 'void');
  const returns = mine.filter((d): d is Return => d.type === 'return');
  const total = <T>(list: T[], f: (x: T) => number) => list.reduce((s, x) => s + f(x), 0);
  const revenue = total(sales, (s) => s.total);
  const hours = Array.from({ length: 24 }, (): [number, number] => [0, 0]);
  for (const s of sales) {
    const h = hours[hourIn(s.createdAt, store.timeZone)] as [number, number];
    h[0] += 1;
    h[1] += s.total;
  }
  return {
    totals: {
      salesCount: sales.length,
      revenue: revenue as DayTotals['revenue'],
      tax: total(sales, (s) => s.taxTotal) as DayTotals['tax'],
      discounts: total(sales, (s) => s.discountTotal) as DayTotals['discounts'],
      voidsCount: voids.length,
      voidsAmount: total(voids, (v) => v.total) as DayTotals['voidsAmount'],
      returnsCount: returns.length,
      returnsAmount: total(returns, (r) => r.total) as DayTotals['returnsAmount'],
      averageTicket: (sales.length ? Math.round(revenue / sales.length) : 0) as DayTotals['averageTicket'],
    },
    hours,
  };
}

/** Several stores' recomputed days added together (one currency). */
function recomputeChain(docs: readonly Ledger[], days: Array<{ store: StoreDef; day: string }>) {
  const parts = days.map(({ store, day }) => recompute(docs, store, day));
  const sum = (k: keyof DayTotals) => parts.reduce((s, p) => s + p.totals[k], 0);
  const salesCount = sum('salesCount');
  const revenue = sum('revenue');
  const totals = {
    salesCount, revenue, tax: sum('tax'), discounts: sum('discounts'), voidsCount: sum('voidsCount'), voidsAmount: sum('voidsAmount'),
    returnsCount: sum('returnsCount'), returnsAmount: sum('returnsAmount'), averageTicket: salesCount ? Math.round(revenue / salesCount) : 0,
  };
  const hours = Array.from({ length: 24 }, (_, h) => [parts.reduce((s, p) => s + (p.hours[h]?.[0] ?? 0), 0), parts.reduce((s, p) => s + (p.hours[h]?.[1] ?? 0), 0)]);
  return { totals, hours };
}

describe('HQ chain dashboard: each store\'s day against the same weekday last week (issue #12)', function () {
  this.timeout(120_000);
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let hq: HqServer;
  let auth: Record<string, string>;
  const docs: Ledger[] = [];
  const seqs = new Map<string, number>();
  const api = <T = Body>(p: string, headers = auth) => http<T>('GET', `${hq.url}/api/v1${p}`, undefined, headers);

  const nextSeq = (store: string) => {
    const n = (seqs.get(store) ?? 0) + 1;
    seqs.set(store, n);
    return n;
  };
  const ring = (store: StoreDef, day: string, time: string, small: boolean): Sale => {
    const s: Sale = { ...fixture(nextSeq(store.code), store.code, small), businessDate: day, createdAt: utcOf(day, time, store.timeZone), currency: store.currency };
    docs.push(s);
    return s;
  };
  const voidSale = (store: StoreDef, s: Sale, time: string) => docs.push({ ...voidOf(s), createdAt: utcOf(s.businessDate, time, store.timeZone) });
  const refund = (store: StoreDef, day: string, time: string) => {
    const r = returnDoc(nextSeq(store.code), store.code, 'T1');
    docs.push({ ...r, businessDate: day, createdAt: utcOf(day, time, store.timeZone) });
  };
  /** The dashboard's answer once `ok` holds for it (the roll-ups have taken in what was written). */
  const settled = (query: string, ok: (d: ChainDashboard) => boolean, what: string) =>
    waitFor(
      async () => {
        const res = await api<ChainDashboard>(`/dashboard${query}`);
        return res.status === 200 && ok(res.body) ? res : null;
      },
      { timeoutMs: FRESH_MS, intervalMs: 100, what },
    );
  /** Whether every store's day and last week's day in an answer are the recomputed ones. */
  const allMatch = (d: ChainDashboard) =>
    STORES.every((store) => {
      const row = d.stores.find((s) => s.code === store.code);
      return !!row && JSON.stringify(row.day) === JSON.stringify(recompute(docs, store, row.businessDate).totals) && JSON.stringify(row.lastWeek) === JSON.stringify(recompute(docs, store, row.lastWeekDate).totals);
    });
  let written = 0;
  /** Writes the documents made since the last call into their stores' databases. */
  const write = async () => {
    const fresh = docs.slice(written);
    written = docs.length;
    for (const store of STORES) {
      const res = await hq.couch.nano.use(hqStoreDbName(store.code)).bulk({ docs: fresh.filter((d) => d.storeId === store.code) });
      expect(res.filter((r) => 'error' in r && r.error), JSON.stringify(res.slice(0, 2))).to.deep.equal([]);
    }
  };

  before(async () => {
    tmp = await tempDir('caja-hq-dashboard-');
    hq = await startHq(testConfig(path.join(tmp.dir, 'hq')), testLogger());
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    auth = { Authorization: `Bearer ${login.body.accessToken}` };
    for (const s of STORES) {
      const created = await http('POST', `${hq.url}/api/v1/stores`, { code: s.code, name: `Store ${s.code}`, timeZone: s.timeZone, currency: s.currency }, auth);
      expect(created.status).to.equal(201);
    }
    // Each store: sales through its day (just after local midnight, half past nine, late evening), some
    // small, about one in four voided, a return on every other day; the same on the days around them.
    const times = ['00:10', '09:20', '09:40', '13:05', '17:45', '23:50'];
    STORES.forEach((store, si) => {
      for (const [di, day] of [DAY, LAST_WEEK, ...NOISE].entries()) {
        const count = 3 + ((si * 5 + di * 3) % 7);
        for (let k = 0; k < count; k++) {
          const s = ring(store, day, times[(k + si + di) % times.length] as string, (k + di) % 4 === 0);
          if ((k + si + di) % 4 === 2) voidSale(store, s, '23:55');
        }
        if ((si + di) % 2 === 0) refund(store, day, '12:30');
      }
    });
    await write();
    // A first load of a few hundred documents: the roll-up job catches up (a deadline, not a sleep).
    await settled(`?date=${DAY}`, allMatch, 'the roll-ups of the loaded days');
  });
  after(async () => {
    await hq?.close();
    await tmp?.cleanup();
  });

  it('answers every store\'s day and the same weekday last week as recomputed from the sales, voids and returns', async () => {
    const res = await api<ChainDashboard>(`/dashboard?date=${DAY}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.date).to.equal(DAY);
    expect(res.body.stores.map((s) => [s.code, s.timeZone, s.currency, s.businessDate, s.lastWeekDate])).to.deep.equal(
      STORES.map((s) => [s.code, s.timeZone, s.currency, DAY, LAST_WEEK]),
    );
    for (const store of STORES) {
      const row = res.body.stores.find((s) => s.code === store.code);
      expect(row?.day, `${store.code} ${DAY}`).to.deep.equal(recompute(docs, store, DAY).totals);
      expect(row?.lastWeek, `${store.code} ${LAST_WEEK}`).to.deep.equal(recompute(docs, store, LAST_WEEK).totals);
    }
    // The data is not trivial: voids, returns and both sale sizes on the days asked.
    const s1 = recompute(docs, STORES[0], DAY).totals;
    expect([s1.salesCount > 0, s1.voidsCount > 0, s1.returnsCount > 0, s1.averageTicket !== 1100 && s1.averageTicket !== 580]).to.deep.equal([true, true, true, true]);
  });

  it('totals the chain per currency, never adding two, with each store\'s sales in its own local hour', async () => {
    const { body } = await api<ChainDashboard>(`/dashboard?date=${DAY}`);
    expect(body.chain.map((c) => [c.currency, c.stores, c.businessDates])).to.deep.equal([
      ['MXN', ['S001', 'S002'], [DAY]],
      ['EUR', ['S003'], [DAY]],
    ]);
    const mxn = STORES.filter((s) => s.currency === 'MXN');
    const cases = [
      { block: body.chain[0], stores: mxn },
      { block: body.chain[1], stores: STORES.filter((s) => s.currency === 'EUR') },
    ];
    for (const { block, stores } of cases) {
      if (!block) throw new Error('a currency block is missing');
      const day = recomputeChain(docs, stores.map((store) => ({ store, day: DAY })));
      const week = recomputeChain(docs, stores.map((store) => ({ store, day: LAST_WEEK })));
      expect(block.day, block.currency).to.deep.equal(day.totals);
      expect(block.lastWeek, block.currency).to.deep.equal(week.totals);
      const hours: HourSales[] = day.hours.map(([n, r], hour) => ({ hour, salesCount: n ?? 0, revenue: (r ?? 0) as HourSales['revenue'], lastWeekCount: week.hours[hour]?.[0] ?? 0, lastWeekRevenue: (week.hours[hour]?.[1] ?? 0) as HourSales['revenue'] }));
      expect(block.hours, block.currency).to.deep.equal(hours);
    }
    // Kolkata's 00:10 sale (18:40 UTC the day before) is in hour 0, its 09:40 (04:10 UTC) in hour 9.
    const kolkata = recompute(docs, STORES[1], DAY).hours;
    expect((kolkata[0]?.[0] ?? 0) + (kolkata[9]?.[0] ?? 0)).to.be.greaterThan(0);
    expect(body.chain[0]?.hours[0]?.salesCount).to.be.at.least(kolkata[0]?.[0] ?? 0);
  });

  it('with no date, shows each store its own today in its zone and the same weekday a week before', async () => {
    const before = new Date();
    for (const store of STORES) {
      const today = businessDate(before, store.timeZone);
      ring(store, today, '08:00', false);
      ring(store, today, '08:30', true);
      ring(store, shiftDay(today, -7), '10:15', true);
    }
    await write();
    // Fresh: today's sales show within FRESH_MS of reaching HQ's store databases.
    const res = await settled('', allMatch, `today's sales in the dashboard within ${FRESH_MS} ms`);
    const after = new Date();
    expect(res.status).to.equal(200);
    expect(res.body.date).to.equal(null);
    for (const store of STORES) {
      const row = res.body.stores.find((s) => s.code === store.code);
      if (!row) throw new Error(`no ${store.code}`);
      // The store's today at the moment HQ answered (a midnight may fall between the two readings).
      expect([businessDate(before, store.timeZone), businessDate(after, store.timeZone)]).to.include(row.businessDate);
      expect(row.lastWeekDate).to.equal(shiftDay(row.businessDate, -7));
      expect(row.day).to.deep.equal(recompute(docs, store, row.businessDate).totals);
      expect(row.lastWeek).to.deep.equal(recompute(docs, store, row.lastWeekDate).totals);
    }
    const mxn = res.body.chain.find((c) => c.currency === 'MXN');
    expect(mxn?.businessDates).to.deep.equal([...new Set(res.body.stores.filter((s) => s.currency === 'MXN').map((s) => s.businessDate))].sort());
  });

  it('sums a whole chain\'s hours and a part of it from the stores\' own day roll-ups, both as recomputed, in one read per day', async () => {
    // Counts the reads: one range of the dashboard view per day asked answers every store; the chain is their sum.
    const reads: string[] = [];
    const couch: typeof hq.couch = Object.create(hq.couch);
    couch.request = <T>(p: string, o?: { method?: string; body?: unknown }): Promise<T> => {
      reads.push(p);
      return hq.couch.request<T>(p, o);
    };
    const dates = new Map(STORES.map((s) => [s.code, [DAY]]));
    const whole = STORES.map((s) => ({ code: s.code, day: DAY }));
    const part = whole.slice(0, 2);
    const expected = (list: typeof whole) => recomputeChain(docs, list.map(({ code, day }) => ({ store: STORES.find((s) => s.code === code) as StoreDef, day }))).hours;
    const figures = await waitFor(
      async () => {
        reads.length = 0;
        const f = await dayFigures(couch, STORES, dates, [whole, part]);
        return JSON.stringify(f.hours[0]) === JSON.stringify(expected(whole)) ? f : null;
      },
      { timeoutMs: FRESH_MS, what: "the chain's hours" },
    );
    expect(figures.hours[1]).to.deep.equal(expected(part));
    expect(reads).to.have.length(1);
    expect(reads[0]).to.match(/^\/caja-reports\/_design\/dashboard\/_view\/days\?/);
    expect(figures.table.get('S001')?.get(DAY)?.salesCount).to.equal(recompute(docs, STORES[0], DAY).totals.salesCount);
    // The chain's own day roll-up is HQ's sum of the same stores, kept apart from theirs (REPORTS_CHAIN_DB),
    // so the dashboard's view of the stores' database has no chain row.
    const chainRow = await hq.couch.request<{ rows: unknown[] }>(`/${REPORTS_DB}/_design/dashboard/_view/days?key=${encodeURIComponent(JSON.stringify([DAY, '*']))}`);
    expect(chainRow.rows).to.have.length(0);
    const chainDay = await waitFor(
      async () => {
        const doc = await hq.couch.request<{ s: Record<string, Array<[unknown[], number[]]>> }>(`/${REPORTS_CHAIN_DB}/rollup:*:${DAY}`).catch(() => null);
        const h = doc?.s.h?.[0]?.[1] ?? [];
        const sales = Array.from({ length: 24 }, (_, hour) => h[hour * H_LEN + H.SALES] ?? 0);
        return JSON.stringify(sales) === JSON.stringify(expected(whole).map((x) => x[0])) ? doc : null;
      },
      { timeoutMs: FRESH_MS, what: "the chain's day roll-up in its own database" },
    );
    expect(chainDay).to.not.equal(null);
  });

  it('answers zeros for a day without sales, refuses a malformed day, and a user without reports.view', async () => {
    const empty = await api<ChainDashboard>('/dashboard?date=2023-01-01');
    expect(empty.status).to.equal(200);
    expect(empty.body.stores.every((s) => s.day.salesCount === 0 && s.day.revenue === 0 && s.day.averageTicket === 0)).to.equal(true);
    expect(empty.body.chain[0]?.hours).to.have.length(24);
    for (const q of ['date=2024-02-30', 'date=yesterday', 'date=2024-5-1', 'bogus=1']) {
      const res = await api(`/dashboard?${q}`);
      expect(res.status, q).to.equal(400);
    }
    expect((await api('/dashboard', {})).status).to.equal(401);
    await http('POST', `${hq.url}/api/v1/users`, { username: 'no.figures', password: 'no-figures-pass-1' }, auth);
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'no.figures', password: 'no-figures-pass-1' });
    const refused = await api('/dashboard', { Authorization: `Bearer ${login.body.accessToken}` });
    expect([refused.status, refused.body.error]).to.deep.equal([403, 'permission_denied']);
  });
});
