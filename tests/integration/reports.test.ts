// Issue #13, the reconciliation: three stores x 60 days of generated documents (tests/support/reportFixtures.ts:
// several terminals and cashiers, every tender, discounts with and without approval, voids, returns including
// one of a sale from an earlier month, stock moves, transfers, Zs, a sale after midnight, and a terminal whose
// closed day reaches the store after its Z) are written at each store's relay and travel the real path
// (relay -> HQ replication, HQ's transfer routing); HQ's and every relay's roll-up jobs roll them up; then EVERY
// report, at HQ (chain, one store, several) and at each relay, must equal the brute-force recomputation from the
// raw documents (shared/reports/recompute.ts), to the cent. Then: a sale at a relay shows in today's HQ sales
// summary within 5 s, and HQ restarted resumes from its checkpoints without recomputing history.
import { expect } from 'chai';
import { startChain, type Chain } from '../support/chain';
import { http, testConfig, testLogger, waitFor } from '../support/testing';
import { generateChainDocs, type ChainData, type LedgerDoc } from '../support/reportFixtures';
import { rawOf } from '../support/reportMemory';
import { startHq } from '../../hq/server';
import { REPORT_NAMES, type ReportName } from '../../shared/api/reports';
import { CATALOG_DB, RELAY_STORE_DB, REPORTS_CHAIN_DB, REPORTS_DB } from '../../shared/model/names';
import type { Shift, ZReport } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { money } from '../../shared/money';
import { addItem, emptyCart } from '../../shared/pos/cart';
import { businessDate } from '../../shared/pos/clock';
import { openShift } from '../../shared/pos/register';
import { buildSale } from '../../shared/pos/sale';
import { addDays } from '../../shared/reports/periods';
import { bruteForceIO } from '../../shared/reports/recompute';
import { reportRequest } from '../../shared/reports/request';
import { runReport } from '../../shared/reports/run';
import type { CouchHandle } from '../../server-kit/couch';

const ZONE = 'America/Mexico_City';
const STORES = [
  { storeId: 'S001', timeZone: ZONE, taxMode: 'exclusive' as const, terminals: ['T1', 'T2'] },
  { storeId: 'S002', timeZone: ZONE, taxMode: 'inclusive' as const, terminals: ['T1', 'T2', 'T3'] },
  { storeId: 'S003', timeZone: ZONE, taxMode: 'exclusive' as const, terminals: ['T1'] },
];
const FROM = '2025-01-10';
const DAYS = 60;
const TO = addDays(FROM, DAYS - 1);

type Query = Record<string, string>;

/** Writes documents into a CouchDB database in batches (as the server admin: the relay's own write path). */
async function write(couch: CouchHandle, db: string, docs: readonly object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const res = await couch.request<Array<{ error?: string; reason?: string; id: string }>>(`/${db}/_bulk_docs`, { method: 'POST', body: { docs: docs.slice(i, i + 500) } });
    const bad = res.filter((r) => r.error);
    if (bad.length) throw new Error(`writing ${db}: ${JSON.stringify(bad.slice(0, 3))}`);
  }
}

/** Puts documents whatever is there (the test's catalog over the seeded one). */
async function upsert(couch: CouchHandle, db: string, docs: ReadonlyArray<{ _id: string }>): Promise<void> {
  const res = await couch.request<{ rows: Array<{ key: string; value?: { rev: string } }> }>(`/${db}/_all_docs`, { method: 'POST', body: { keys: docs.map((d) => d._id) } });
  const revs = new Map(res.rows.flatMap((r) => (r.value ? [[r.key, r.value.rev] as const] : [])));
  await write(couch, db, docs.map((d) => ({ ...d, ...(revs.has(d._id) ? { _rev: revs.get(d._id) } : {}) })));
}

/** The store a document is written at: its own store (a transfer at its source, an arrival at its destination). */
function storeOf(d: LedgerDoc): string {
  return d.storeId;
}

/** JSON with object keys sorted: equal figures compare equal whatever order the keys were written in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical((v as Record<string, unknown>)[k])).join(',') + '}';
  return JSON.stringify(v);
}


/** Waits until `probe` and `want` give the same answer; on the deadline, fails showing how they differ. */
async function settle(probe: () => Promise<unknown>, want: () => Promise<unknown>, what: string, timeoutMs: number): Promise<void> {
  try {
    await waitFor(async () => canonical(await probe()) === canonical(await want()) || null, { what, timeoutMs, intervalMs: 500 });
  } catch {
    expect(await probe(), what).to.deep.equal(await want());
  }
}

function strip(answer: unknown): unknown {
  const { generatedAt: _g, ...rest } = answer as Record<string, unknown>;
  return rest;
}

describe('reports (issue #13): every report at HQ and at the relay equals the brute force', function () {
  this.timeout(900_000);
  let chain: Chain;
  let gen: ChainData;
  const sessions = new Map<string, string>();

  const expected = (docs: readonly object[]) => bruteForceIO(rawOf({ docs, timeZones: Object.fromEntries(STORES.map((s) => [s.storeId, s.timeZone])), catalog: gen.catalog }));
  const brute = async (io: ReturnType<typeof expected>, name: ReportName, q: Query, fixed?: string) =>
    strip(JSON.parse(JSON.stringify(await runReport(name, reportRequest(name, q, TO, new Date(), fixed), io))));
  const atHq = async (name: ReportName, q: Query) => {
    const res = await chain.api('GET', `/api/v1/reports/${name}?${new URLSearchParams(q).toString()}`);
    expect(res.status, `${name} ${JSON.stringify(q)}: ${JSON.stringify(res.body)}`).to.equal(200);
    return strip(res.body);
  };
  const atRelay = async (store: string, name: ReportName, q: Query, format?: 'csv') => {
    const relay = chain.relays.get(store)!;
    const res = await fetch(`${relay.url}/api/v1/reports/${name}?${new URLSearchParams({ ...q, ...(format ? { format } : {}) }).toString()}`, { headers: { Authorization: `Bearer ${sessions.get(store)}` } });
    const text = await res.text();
    expect(res.status, `${store} ${name} ${JSON.stringify(q)}: ${text.slice(0, 300)}`).to.equal(200);
    return format ? text : strip(JSON.parse(text));
  };

  /** The requests every report is checked with: whole period by month, part of it by week and by day, filters. */
  const requests = (scoped: Query): Array<[ReportName, Query]> => {
    const out: Array<[ReportName, Query]> = [];
    const dept = gen.catalog.departments.find((d) => d.parentId === null)!._id;
    const product = gen.catalog.products[0]!._id;
    for (const name of REPORT_NAMES) {
      if (name === 'x' || name === 'z') continue;
      out.push([name, { ...scoped, from: FROM, to: TO, group: 'month' }]);
      out.push([name, { ...scoped, from: '2025-02-03', to: '2025-02-27', group: 'week' }]);
    }
    out.push(['sales-summary', { ...scoped, from: '2025-02-20', to: '2025-03-05', group: 'day' }]);
    out.push(['product-performance', { ...scoped, from: FROM, to: TO, department: dept, limit: '5' }]);
    out.push(['product-performance', { ...scoped, from: '2025-01-15', to: '2025-02-14', product, group: 'day' }]);
    out.push(['profit-margin', { ...scoped, from: FROM, to: TO, department: dept, group: 'week' }]);
    out.push(['profit-margin', { ...scoped, from: '2025-01-25', to: '2025-03-01', product, group: 'month' }]);
    out.push(['department-sales', { ...scoped, from: FROM, to: TO, department: dept }]);
    out.push(['inventory-value', { ...scoped, from: FROM, to: '2025-02-11', department: dept }]);
    out.push(['inventory-turnover', { ...scoped, from: '2025-02-01', to: TO, product }]);
    out.push(['cashier-performance', { ...scoped, from: FROM, to: TO, cashier: 'cash-s001-1', group: 'week' }]);
    out.push(['discount-analysis', { ...scoped, from: FROM, to: TO, cashier: 'cash-s002-0' }]);
    out.push(['zz', { ...scoped, from: '2025-01-31', to: '2025-02-02', group: 'day' }]);
    return out;
  };

  before(async () => {
    chain = await startChain({ stores: STORES.map((s) => s.storeId), products: 20 });
    gen = generateChainDocs({ seed: 11, stores: STORES, from: FROM, days: DAYS });
    await upsert(chain.hq.couch, CATALOG_DB, [...gen.catalog.docs, ...gen.catalog.salesReps]);
    // The relays roll up with their catalog copy: it must hold the test's products (and reps) first.
    const last = gen.catalog.salesReps[gen.catalog.salesReps.length - 1]!;
    for (const s of STORES) {
      const relay = chain.relays.get(s.storeId)!;
      await waitFor(async () => {
        const res = await relay.couch.request<{ rows: Array<{ doc?: { _rev?: string } | null }> }>(`/${RELAY_STORE_DB}/_all_docs?include_docs=true`, { method: 'POST', body: { keys: [...gen.catalog.products.map((p) => p._id), last._id] } });
        return res.rows.every((r) => r.doc) || null;
      }, { what: `catalog at relay ${s.storeId}`, timeoutMs: 60_000 });
      const login = await http<{ token: string }>('POST', `${relay.url}/api/v1/auth/login`, { username: `mgr.${s.storeId.toLowerCase()}`, pin: '9999' });
      expect(login.status, JSON.stringify(login.body)).to.equal(200);
      sessions.set(s.storeId, login.body.token);
    }
  });

  after(async () => {
    await chain?.close();
  });

  it('the documents travel relay -> HQ; HQ answers every report as the brute force does', async () => {
    const started = Date.now();
    for (const s of STORES) await write(chain.relays.get(s.storeId)!.couch, RELAY_STORE_DB, gen.docs.filter((d) => storeOf(d) === s.storeId));
    const io = expected(gen.docs);
    const sentinel: Query = { from: FROM, to: TO, group: 'month' };
    await settle(() => atHq('sales-summary', sentinel), () => brute(io, 'sales-summary', sentinel), 'HQ chain roll-ups', 240_000);
    console.log(`      ${gen.docs.length} documents rolled up at HQ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The late terminal's day: closed, nothing late yet.
    const zq = { store: gen.marks.lateStore, from: gen.marks.lateDay };
    expect((await atHq('z', zq))).to.include({ lateDays: 0, closedDays: 1 });
  });

  it('a late sale after its day\'s Z: its own day and a late-arrival line, the Z untouched', async () => {
    const relay = chain.relays.get(gen.marks.lateStore)!;
    await write(relay.couch, RELAY_STORE_DB, gen.late);
    const io = expected([...gen.docs, ...gen.late]);
    const zq = { store: gen.marks.lateStore, from: gen.marks.lateDay };
    await settle(() => atHq('z', zq), () => brute(io, 'z', zq), 'late arrival at HQ', 60_000);
    const z = (await atHq('z', zq)) as { lateDays: number; lateArrivals: { salesCount: number } | null; zreports: ZReport[] };
    expect(z.lateDays).to.equal(1);
    expect(z.lateArrivals?.salesCount).to.equal(2);
    const stored = await relay.couch.request<ZReport>(`/${RELAY_STORE_DB}/${encodeURIComponent(`zreport:${gen.marks.lateStore}:${gen.marks.lateDay}`)}`);
    expect(z.zreports[0]?.totals).to.deep.equal(stored.totals);
    expect(stored._rev?.startsWith('1-')).to.equal(true);
    // Wait for the chain's documents too (they are summed by a pass of their own).
    const chainQ = { from: gen.marks.lateDay, to: gen.marks.lateDay, group: 'day' };
    await settle(() => atHq('sales-summary', chainQ), () => brute(io, 'sales-summary', chainQ), 'chain day with the late sale', 60_000);
  });

  it('HQ: every report, for the chain, one store and several, equals the raw documents to the cent', async () => {
    const io = expected([...gen.docs, ...gen.late]);
    const asks: Array<[ReportName, Query]> = [];
    for (const scoped of [{}, { store: 'S001' }, { store: 'S002,S003' }] as Query[]) asks.push(...requests(scoped));
    // Z of days that matter: the late day, the day with a sale after midnight, the month-old return's day.
    for (const [store, day] of [[gen.marks.lateStore, gen.marks.lateDay], ['S002', gen.marks.afterMidnightDay], ['S003', gen.marks.oldReturnDay]] as const) {
      asks.push(['z', { store, from: day }], ['z', { from: day }]);
    }
    const shift = gen.docs.find((d): d is Shift => d.type === 'shift' && d.storeId === 'S001')!;
    asks.push(['x', { store: 'S001', shift: shift._id }], ['x', { store: 'S002' }]);
    // The brute force first: its long computations would otherwise sit between two requests on one kept-alive
    // connection (same process) while the server times it out.
    const noClock = (a: unknown, name: ReportName) => (name === 'x' ? { ...(a as object), at: null } : a);
    const wants = [];
    for (const [name, q] of asks) wants.push(noClock(await brute(io, name, q), name));
    for (const [i, [name, q]] of asks.entries()) expect(noClock(await atHq(name, q), name), `HQ ${name} ${JSON.stringify(q)}`).to.deep.equal(wants[i]);
    console.log(`      ${asks.length} HQ report answers equal the brute force`);
  });

  it('HQ: CSV exports carry the API\'s figures', async () => {
    const login = await http<{ accessToken: string }>('POST', `${chain.hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    const q = new URLSearchParams({ store: 'S001', from: FROM, to: TO, group: 'month', format: 'csv', lang: 'es' });
    const res = await fetch(`${chain.hq.url}/api/v1/reports/sales-summary?${q.toString()}`, { headers: { Authorization: `Bearer ${login.body.accessToken}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    const json = (await atHq('sales-summary', { store: 'S001', from: FROM, to: TO, group: 'month' })) as { totals: { total: number; sales: number } };
    const header = lines[0]!.split(',');
    const total = lines.find((l) => l.startsWith('Total,'))!.split(',');
    expect(total[header.indexOf('Total')]).to.equal((json.totals.total / 100).toFixed(2));
    expect(Number(total[header.indexOf('Ventas')])).to.equal(json.totals.sales);
  });

  it('each relay: every report of its store equals the raw documents, from its own roll-ups', async () => {
    const io = expected([...gen.docs, ...gen.late]);
    let checked = 0;
    for (const s of STORES) {
      const sentinel: Query = { from: FROM, to: TO, group: 'month' };
      await settle(() => atRelay(s.storeId, 'sales-summary', sentinel), () => brute(io, 'sales-summary', sentinel, s.storeId), `relay ${s.storeId} roll-ups`, 120_000);
      const asks: Array<[ReportName, Query]> = [...requests({}), ['z', { from: gen.marks.lateDay }]];
      const wants = [];
      for (const [name, q] of asks) wants.push(await brute(io, name, q, s.storeId));
      for (const [i, [name, q]] of asks.entries()) expect(await atRelay(s.storeId, name, q), `relay ${s.storeId} ${name} ${JSON.stringify(q)}`).to.deep.equal(wants[i]);
      checked += asks.length;
    }
    // A relay answers for its own store only.
    const other = await fetch(`${chain.relays.get('S001')!.url}/api/v1/reports/tax?store=S002`, { headers: { Authorization: `Bearer ${sessions.get('S001')}` } });
    expect(other.status).to.equal(404);
    const anon = await fetch(`${chain.relays.get('S001')!.url}/api/v1/reports/tax`);
    expect(anon.status).to.equal(401);
    const csv = (await atRelay('S001', 'tax', { from: FROM, to: TO }, 'csv')) as string;
    expect(csv.split('\r\n')[0]).to.match(/^Tax rate id,Code,Name,Tax mode,/);
    console.log(`      ${checked} relay report answers equal the brute force`);
  });

  it('freshness: a sale rung at a relay is in today\'s HQ sales summary within 5 s', async () => {
    const relay = chain.relays.get('S003')!;
    const now = new Date();
    const today = businessDate(now, ZONE);
    const config = { _id: 'config:hq', type: 'config' as const, schema: CURRENT_SCHEMA, storeId: 'S003', code: 'S003', name: 'S003', address: '', timeZone: ZONE, currency: 'MXN', locale: 'es' as const, taxMode: 'exclusive' as const, cashRounding: money(0), varianceAlert: money(500), receiptFooter: { en: '', es: '' }, returnDays: 30 };
    const shift = openShift({ config, terminalId: 'T5', n: 1, openedBy: 'cash-fresh', openingFloat: money(0), now });
    const p = gen.catalog.products.find((x) => !x.weighed && x.active)!;
    const pricing = { rates: Object.fromEntries(gen.catalog.taxRates.map((r) => [r._id, r])), groups: Object.fromEntries(gen.catalog.taxGroups.map((g) => [g._id, g])), specials: [] };
    const cash = gen.catalog.tenders.find((t) => t.code === 'cash')!;
    const cart = addItem(emptyCart(), p, 1);
    if (!cart.ok) throw new Error('cart');
    const sale = buildSale({ config, terminalId: 'T5', seq: 1, shiftId: shift._id, cashierId: 'cash-fresh', cart: cart.value, catalog: pricing, tenders: [{ tender: cash, tendered: money(10 ** 7) }], now });
    if (!sale.ok) throw new Error('sale');
    const q = { store: 'S003', from: today, to: today };
    const before = ((await atHq('sales-summary', q)) as { totals: { sales: number; total: number } }).totals;
    const t0 = Date.now();
    await write(relay.couch, RELAY_STORE_DB, [shift]);
    await write(relay.couch, RELAY_STORE_DB, [sale.value]);
    await waitFor(async () => ((await atHq('sales-summary', q)) as { totals: { sales: number } }).totals.sales === before.sales + 1 || null, { what: 'the sale in HQ\'s summary', timeoutMs: 5_000, intervalMs: 100 });
    const ms = Date.now() - t0;
    const chainToday = { from: today, to: today };
    await waitFor(async () => ((await atHq('sales-summary', chainToday)) as { totals: { total: number } }).totals.total >= sale.value.total || null, { what: 'the sale in the chain summary', timeoutMs: 5_000, intervalMs: 100 });
    console.log(`      report_freshness: store ${ms} ms, chain ${Date.now() - t0} ms`);
  });

  it('HQ restarted resumes from its checkpoints: only what changed is recomputed, and the figures stay right', async () => {
    const port = Number(new URL(chain.hq.url).port);
    await chain.hq.close();
    // While HQ is down, S001 sells on a new day (it reaches HQ when HQ is back).
    const relay = chain.relays.get('S001')!;
    const day = addDays(TO, 1);
    const extra = generateChainDocs({ seed: 99, catalogSeed: 11, stores: [STORES[0]!], from: day, days: 1 });
    // Its terminal numbers continue the main data's: T7 keeps its receipt numbers apart.
    const moved = extra.docs
      .filter((d) => d.type === 'shift' || d.type === 'sale')
      .map((d) => JSON.parse(JSON.stringify(d).replaceAll(':T1:', ':T7:').replaceAll('"T1"', '"T7"').replaceAll('S001-T1-', 'S001-T7-').replaceAll(':T2:', ':T8:').replaceAll('"T2"', '"T8"').replaceAll('S001-T2-', 'S001-T8-')) as LedgerDoc);
    await write(relay.couch, RELAY_STORE_DB, moved);
    const log = testLogger();
    const hq = await startHq(testConfig(`${chain.dataDir}/hq`, { hqPort: port }), log);
    (chain as { hq: typeof hq }).hq = hq;
    const io = expected([...gen.docs, ...gen.late, ...moved]);
    const q = { store: 'S001', from: FROM, to: day, group: 'month' };
    await settle(() => atHq('sales-summary', q), () => brute(io, 'sales-summary', q), 'HQ after restart', 120_000);
    // The job logs a pass once its documents are written, so the figures can be seen a moment before the line.
    const passes = () => log.lines.filter((l) => l.event === 'rollups.written');
    await waitFor(() => passes().some((l) => Number(l.days) > 0), { what: 'the roll-up pass after the restart logged', timeoutMs: 30_000 });
    const recomputed = passes().reduce((n, l) => n + Number(l.days), 0);
    const named = passes().flatMap((l) => l.storeDays as string[]);
    console.log(`      after restart: ${recomputed} store days recomputed in ${passes().length} passes (${named.join(', ')}; history: ${STORES.length * DAYS})`);
    // No day of the history before the restart is read again. The new day is, by one pass or two as its sales
    // arrive; the freshness test's day (S003, today) may be too, if HQ stopped before its feed saved its place.
    expect(recomputed).to.be.at.most(3);
    expect(named).to.have.length(recomputed);
    expect(named.filter((d) => d.split(' ')[1]! <= TO), 'history recomputed').to.deep.equal([]);
    expect(named).to.include(`S001 ${day}`);
    const asks = requests({ store: 'S001' }).slice(0, 12);
    const wants = [];
    for (const [name, rq] of asks) wants.push(await brute(io, name, rq));
    for (const [i, [name, rq]] of asks.entries()) expect(await atHq(name, rq), name).to.deep.equal(wants[i]);
  });

  it("an older build's chain roll-ups, kept among the stores', move to their own database at the next start", async () => {
    // What an older build left: the chain's roll-ups in caja-reports and no chain database.
    const hq1 = chain.hq;
    const prefix = JSON.stringify('rollup:*:');
    const chainDocs = (await hq1.couch.request<{ rows: Array<{ doc: Record<string, unknown> }> }>(`/${REPORTS_CHAIN_DB}/_all_docs?include_docs=true&startkey=${encodeURIComponent(prefix)}&endkey=${encodeURIComponent(JSON.stringify('rollup:*:\ufff0'))}`)).rows.map((r) => r.doc);
    expect(chainDocs.length).to.be.greaterThan(DAYS);
    await hq1.couch.request(`/${REPORTS_CHAIN_DB}`, { method: 'DELETE' });
    await write(hq1.couch, REPORTS_DB, chainDocs.map(({ _rev: _r, ...d }) => d));
    const port = Number(new URL(hq1.url).port);
    await hq1.close();
    const log = testLogger();
    const hq = await startHq(testConfig(`${chain.dataDir}/hq`, { hqPort: port }), log);
    (chain as { hq: typeof hq }).hq = hq;
    await waitFor(() => log.lines.find((l) => l.event === 'rollups.chain_moved') ?? null, { what: 'the move logged', timeoutMs: 30_000 });
    expect(log.lines.find((l) => l.event === 'rollups.chain_moved')).to.include({ docs: chainDocs.length });
    const left = await hq.couch.request<{ rows: unknown[] }>(`/${REPORTS_DB}/_all_docs?startkey=${encodeURIComponent(prefix)}&endkey=${encodeURIComponent(JSON.stringify('rollup:*:\ufff0'))}`);
    expect(left.rows).to.have.length(0);
    // The chain's figures are summed again from the stores' into the chain's database, as before.
    const io = expected([...gen.docs, ...gen.late]);
    const q = { from: FROM, to: TO, group: 'month' };
    await settle(() => atHq('sales-summary', q), () => brute(io, 'sales-summary', q), 'the chain after the move', 120_000);
    const again = await hq.couch.request<{ rows: unknown[] }>(`/${REPORTS_CHAIN_DB}/_all_docs?startkey=${encodeURIComponent(prefix)}&endkey=${encodeURIComponent(JSON.stringify('rollup:*:\ufff0'))}`);
    expect(again.rows.length).to.be.at.least(chainDocs.length);
  });

  it('after an upgrade that changes a report view, HQ answers at once; reports say they are being rebuilt until the new view is in place', async () => {
    // What an older build left: the same roll-ups under a report view of another definition.
    const hq1 = chain.hq;
    const q = { from: FROM, to: TO, group: 'month' };
    const io = expected([...gen.docs, ...gen.late]);
    await settle(() => atHq('sales-summary', q), () => brute(io, 'sales-summary', q), 'the roll-ups written', 120_000);
    const ddoc = await hq1.couch.request<Record<string, unknown> & { views: Record<string, { map: string }> }>(`/${REPORTS_DB}/_design/reports`);
    const views = Object.fromEntries(Object.entries(ddoc.views).map(([name, v]) => [name, { ...v, map: v.map + '\n// an older build' }]));
    await hq1.couch.request(`/${REPORTS_DB}/_design/reports`, { method: 'PUT', body: { ...ddoc, views, caja_hash: 'older' } });
    const port = Number(new URL(hq1.url).port);
    await hq1.close();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let built = false;
    const log = testLogger();
    const hq = await startHq(testConfig(`${chain.dataDir}/hq`, { hqPort: port }), log, {
      beforeReportSwitch: async () => {
        built = true;
        await held;
      },
    });
    (chain as { hq: typeof hq }).hq = hq;
    try {
      // HQ is up while the new view builds: sign-in and the stores work, reports say why they wait.
      const waiting = await chain.api('GET', `/api/v1/reports/sales-summary?${new URLSearchParams(q).toString()}`);
      expect(waiting.status).to.equal(503);
      expect(waiting.body).to.include({ error: 'reports_updating' });
      expect((await chain.api('GET', '/api/v1/dashboard')).status).to.equal(503);
      expect((await chain.api('GET', '/api/v1/stores')).status).to.equal(200);
      expect(log.lines.some((l) => l.event === 'reports.views_building')).to.equal(true);
      await waitFor(() => built || null, { what: 'the new view built', timeoutMs: 60_000 });
      release();
      await waitFor(() => log.lines.find((l) => l.event === 'reports.views_ready') ?? null, { what: 'the switch', timeoutMs: 60_000 });
      expect(await atHq('sales-summary', q)).to.deep.equal(await brute(io, 'sales-summary', q));
      const stored = await hq.couch.request<{ caja_hash: string }>(`/${REPORTS_DB}/_design/reports`);
      expect(stored.caja_hash).to.not.equal('older');
    } finally {
      release();
    }
  });

  it("roll-ups written before the chain had blocks of days get them at the next start, and the chain's partial months read them", async () => {
    // What an older build left: the chain's days, months and years, no blocks and no mark.
    const hq1 = chain.hq;
    const all = (await hq1.couch.request<{ rows: Array<{ id: string; value: { rev: string } }> }>(`/${REPORTS_CHAIN_DB}/_all_docs`)).rows;
    const blocks = all.filter((r) => r.id.includes('~'));
    expect(blocks.length, 'the chain pass writes blocks').to.be.greaterThan(DAYS / 2);
    await hq1.couch.request(`/${REPORTS_CHAIN_DB}/_bulk_docs`, { method: 'POST', body: { docs: blocks.map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true })) } });
    const mark = await hq1.couch.request<{ _rev: string }>(`/${REPORTS_CHAIN_DB}/_local/rollup-chain-blocks`);
    await hq1.couch.request(`/${REPORTS_CHAIN_DB}/_local/rollup-chain-blocks?rev=${mark._rev}`, { method: 'DELETE' });
    const port = Number(new URL(hq1.url).port);
    await hq1.close();
    const log = testLogger();
    const hq = await startHq(testConfig(`${chain.dataDir}/hq`, { hqPort: port }), log);
    (chain as { hq: typeof hq }).hq = hq;
    const added = await waitFor(() => log.lines.find((l) => l.event === 'rollups.chain_blocks_added') ?? null, { what: 'the blocks added', timeoutMs: 60_000 });
    expect(Number(added.days)).to.be.at.least(DAYS);
    const again = (await hq.couch.request<{ rows: Array<{ id: string }> }>(`/${REPORTS_CHAIN_DB}/_all_docs`)).rows.filter((r) => r.id.includes('~'));
    expect(again.map((r) => r.id)).to.deep.equal(blocks.map((r) => r.id));
    // Partial months at both ends: the chain's cashiers, discounts and ZZ come from the blocks.
    const io = expected([...gen.docs, ...gen.late]);
    for (const [name, q] of [['cashier-performance', { from: addDays(FROM, 2), to: addDays(TO, -3) }], ['discount-analysis', { from: addDays(FROM, 5), to: addDays(TO, -1), group: 'month' }], ['zz', { from: addDays(FROM, 1), to: addDays(TO, -9), group: 'month' }]] as Array<[ReportName, Query]>) {
      expect(await atHq(name, q), `${name} ${JSON.stringify(q)}`).to.deep.equal(await brute(io, name, q));
    }
  });
});
