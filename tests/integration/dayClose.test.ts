// Issue #5: a day at a store, end to end. HQ and a relay run in-process on loopback, each on the embedded
// CouchDB server or on Apache CouchDB 3.5 (the integration matrix of issue #14, tests/support/couchMatrix.ts);
// a paired terminal (PouchDB replica, first synced from the relay's snapshot as the till does) opens its
// register, rings 50 sales with mixed tenders, voids one, takes a return, drops cash, prints an X, closes
// with a variance, opens a second shift that is left open; then a manager closes the day through the relay
// API. Every figure is checked against totals computed by hand in this file (plain arithmetic over the plan
// of the day, not shared/pos), and the sales (each exactly once), the Z and the closes must reach HQ's
// caja-store-s001; a price edited at HQ then reaches the terminal.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import express from 'express';
import { errorHandler } from '../../server-kit/errors';
import { listen, type Listening } from '../../server-kit/http';
import { PouchDB, remoteDb } from '../../server-kit/replication/pouch';
import { http, tempDir, testConfig, testLogger, TEST_SECRET, waitFor } from '../support/testing';
import { LocalCatalog } from '../../desktop/renderer/features/checkout/localCatalog';
import { commitReturn, commitSale, commitVoid, type Till } from '../../desktop/renderer/features/checkout/commit';
import { commitShiftClose, commitCashMovement, commitShiftOpen, xReportOf } from '../../desktop/renderer/features/register/register';
import type { Pairing } from '../../desktop/renderer/data/terminalSync';
import { startTerminalPull, terminalSyncOptions, terminalTokenSource } from '../../desktop/renderer/data/terminalSync';
import type { BootstrapResult } from '../../shared/sync/bootstrap';
import { describeMatrix, type Combo, type CouchPool } from '../support/couchMatrix';
import { loginWithPin } from '../../desktop/renderer/features/session/pinLogin';
import { startHq, type HqServer } from '../../hq/server';
import { CATALOG_DB, hqStoreDbName } from '../../shared/model/names';
import { generateCatalog } from '../../scripts/seed';
import { money, type Money } from '../../shared/money';
import { ean13CheckDigit } from '../../shared/model/ids';
import type { Product, Sale, ShiftClose, StoreConfig, StoreUser, Tender, ZReport } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { addItem, emptyCart } from '../../shared/pos/cart';
import type { RegisterFigures } from '../../shared/pos/register';
import type { TenderInput } from '../../shared/pos/tenders';
import type { ZTotals } from '../../shared/pos/zreport';
import { dayCloseRouter } from '../../store-relay/routes/dayClose';
import { startRelay, type RelayServer } from '../../store-relay/server';

const DATE = '2025-06-02';
const T0 = Date.parse('2025-06-02T15:00:00.000Z'); // 09:00 in Mexico City
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();
const ean = (body12: string) => body12 + ean13CheckDigit(body12);

// Tax-inclusive prices whose 16 % IVA is exact: 116.00 holds 16.00 tax, 23.20 holds 3.20.
const PRICE_A = 11600;
const TAX_A = 1600;
const PRICE_B = 2320;
const TAX_B = 320;
const USD_RATE = 1725; // centavos per 100 US cents (17.25 MXN per USD), the seed catalog's tender:usd

function testProduct(sku: string, price: number, barcode: string): Product {
  return {
    _id: `product:${sku}`, type: 'product', schema: CURRENT_SCHEMA, sku, name: { en: `Test ${sku}`, es: `Prueba ${sku}` },
    barcodes: [barcode], departmentId: 'department:GRO', taxGroupId: 'taxgroup:std', price: money(price), unit: 'each',
    weighed: false, active: true, updatedAt: '2025-01-01T00:00:00.000Z',
  };
}
const A = testProduct('TEST-A', PRICE_A, ean('750999900001'));
const B = testProduct('TEST-B', PRICE_B, ean('750999900002'));
/** What the till needs from HQ before it rings: the store's config, the test products, their tender and taxes. */
const NEEDED = ['config:hq', A._id, B._id, 'tender:usd', 'taxgroup:std', 'taxrate:iva16'];

// ---------- the plan of the day, and its figures by hand ----------
type Kind = 'card' | 'cash' | 'split' | 'usd';
interface Planned {
  i: number;
  qa: number;
  qb: number;
  total: number;
  tax: number;
  kind: Kind;
  cash: number; // kept in the base drawer from this sale (net of change, less change given for USD)
  card: number;
  change: number;
  usdCents: number;
}
const CARD_PART = 5000;
function plan(i: number): Planned {
  const qa = 1 + (i % 3);
  const qb = i % 2;
  const total = qa * PRICE_A + qb * PRICE_B;
  const tax = qa * TAX_A + qb * TAX_B;
  const kind: Kind = (['card', 'cash', 'split', 'usd'] as const)[i % 4] as Kind;
  const p: Planned = { i, qa, qb, total, tax, kind, cash: 0, card: 0, change: 0, usdCents: 0 };
  if (kind === 'card') p.card = total;
  if (kind === 'split') {
    p.card = CARD_PART;
    p.cash = total - CARD_PART;
  }
  if (kind === 'cash') {
    const tendered = Math.ceil(total / 50000) * 50000; // a 500 note (or two)
    p.change = tendered - total;
    p.cash = total;
  }
  if (kind === 'usd') {
    p.usdCents = Math.ceil((total * 100) / USD_RATE);
    const base = Math.round((p.usdCents * USD_RATE) / 100);
    p.change = base - total; // given back in pesos: it leaves the base drawer
    p.cash = -p.change;
  }
  return p;
}
const SALES = Array.from({ length: 50 }, (_, k) => plan(k + 1));
const VOIDED = 50; // 3 x A, split card/cash
const RETURNED = 13; // 2 x A + 1 x B, cash: one A comes back
const FLOAT_1 = 200000;
const CASH_OUT = 100000;
const SHORT = 1000; // the drawer counts 10.00 short at the close
const FLOAT_2 = 50000;
const SHIFT2_SALES = [
  { qa: 1, qb: 0, tendered: PRICE_A },
  { qa: 0, qb: 1, tendered: 5000 },
];

function expectedShift1() {
  const kept = SALES.filter((s) => s.i !== VOIDED);
  const sumOf = (f: (s: Planned) => number, list = kept) => list.reduce((t, s) => t + f(s), 0);
  const returnAmount = PRICE_A; // one A of two, pro rata of the line's net (inclusive): 116.00, 16.00 tax
  const cashSales = sumOf((s) => s.cash);
  return {
    openingFloat: FLOAT_1,
    salesCount: kept.length,
    grossSales: sumOf((s) => s.total),
    taxTotal: sumOf((s) => s.tax),
    salesTotal: sumOf((s) => s.total),
    changeGiven: sumOf((s) => s.change),
    tenders: <Array<[string, number, number]>>[
      ['tender:card', kept.filter((s) => s.card > 0).length, sumOf((s) => s.card)],
      ['tender:cash', kept.filter((s) => s.kind === 'cash' || s.kind === 'split').length, sumOf((s) => (s.kind === 'usd' ? 0 : s.cash))],
      ['tender:usd', kept.filter((s) => s.kind === 'usd').length, sumOf((s) => (s.kind === 'usd' ? s.total : 0))],
    ],
    foreignUsd: sumOf((s) => s.usdCents),
    voidsCount: 1,
    voidsTotal: (SALES[VOIDED - 1] as Planned).total,
    returnsCount: 1,
    returnsTotal: returnAmount,
    returnsTax: TAX_A,
    cashSales,
    cashRefunds: returnAmount,
    cashOut: CASH_OUT,
    expectedCash: FLOAT_1 + cashSales - returnAmount - CASH_OUT,
  };
}

function checkFigures(f: RegisterFigures, e: ReturnType<typeof expectedShift1>) {
  expect(f.openingFloat, 'openingFloat').to.equal(e.openingFloat);
  expect([f.salesCount, f.grossSales, f.discounts, f.netSales], 'sales').to.deep.equal([e.salesCount, e.grossSales, 0, e.grossSales]);
  expect([f.taxTotal, f.netSalesExTax, f.salesTotal, f.rounding], 'tax').to.deep.equal([e.taxTotal, e.grossSales - e.taxTotal, e.salesTotal, 0]);
  expect(f.taxes.map((t) => [t.rateId, t.amount]), 'taxes').to.deep.equal([['taxrate:iva16', e.taxTotal]]);
  expect(f.tenders.map((t) => [t.tenderId, t.count, t.amount]), 'tenders').to.deep.equal(e.tenders);
  expect(f.changeGiven, 'changeGiven').to.equal(e.changeGiven);
  expect(f.foreignCash, 'foreignCash').to.deep.equal([{ currency: 'USD', amount: e.foreignUsd }]);
  expect([f.voidsCount, f.voidsTotal], 'voids').to.deep.equal([e.voidsCount, e.voidsTotal]);
  expect([f.returnsCount, f.returnsTotal, f.returnsTax, f.cashRefunds], 'returns').to.deep.equal([e.returnsCount, e.returnsTotal, e.returnsTax, e.cashRefunds]);
  expect(f.refunds.map((t) => [t.tenderId, t.amount]), 'refunds').to.deep.equal([['tender:cash', e.cashRefunds]]);
  expect([f.cashIn, f.cashOut, f.cashSales], 'cash').to.deep.equal([0, e.cashOut, e.cashSales]);
  expect(f.expectedCash, 'expectedCash').to.equal(e.expectedCash);
}

describeMatrix('day close at the relay (issue #5)', { relays: 1 }, dayCloseSuite);

/** The suite on one combination of servers. */
function dayCloseSuite(this: Mocha.Suite, combo: Combo, pool: CouchPool): void {
  this.timeout(180_000);
  let hq: HqServer;
  let relay: RelayServer;
  let side: Listening | null = null;
  let local: PouchDB.Database;
  let index: LocalCatalog | null = null;
  const syncs: Array<{ cancel(): void }> = [];
  const cleanups: Array<() => Promise<void>> = [];
  let adminToken = '';
  let api = ''; // base URL serving the day close routes
  let boot: BootstrapResult | null = null;

  before(async () => {
    const tmp = await tempDir();
    cleanups.push(tmp.cleanup);
    hq = await startHq(testConfig(`${tmp.dir}/hq`, await pool.config(combo, 'hq')), testLogger());
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: [...generateCatalog({ products: 40 }).docs, A, B] });
    adminToken = (await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' })).body.accessToken;
    const auth = { Authorization: `Bearer ${adminToken}` };
    expect((await http('POST', `${hq.url}/api/v1/stores`, { code: 'S001', name: 'Centro', address: 'Calle 1', timeZone: 'America/Mexico_City' }, auth)).status).to.equal(201);
    for (const [username, pin, role] of [['mario', '9999', 'role:store_manager'], ['ana', '1234', 'role:cashier']] as const) {
      const created = await http<{ id: string }>('POST', `${hq.url}/api/v1/users`, { username, password: `${username}-password`, pin }, auth);
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect((await http('PUT', `${hq.url}/api/v1/users/${created.body.id}/store-roles`, { S001: [role] }, auth)).status).to.equal(200);
    }
    const token = (await http<{ token: string }>('POST', `${hq.url}/api/v1/stores/S001/provision`, {}, auth)).body.token;
    relay = await startRelay(testConfig(`${tmp.dir}/relay`, { syncToken: token, ...(await pool.config(combo, 'relay')) }), testLogger());
    expect(relay.state().provision.state).to.equal('provisioned');

    // The lead mounts dayCloseRouter in the relay app; until then this test mounts it beside the relay, on the
    // relay's own CouchDB and secret (the same code path, another port).
    const probe = await http('GET', `${relay.url}/api/v1/day-close/${DATE}`);
    if (probe.status === 404) {
      const app = express();
      app.use(express.json());
      app.use(dayCloseRouter({ couch: relay.couch, log: testLogger(), storeCode: () => relay.state().identity?.storeCode ?? null, jwtSecret: TEST_SECRET, timeZone: () => 'America/Mexico_City' }));
      app.use(errorHandler(testLogger()));
      side = await listen(app, 0);
      api = side.url;
    } else api = relay.url;

    // Pair a terminal (the manager's PIN is checked against the user HQ sent down) and sync it live.
    // Users, catalog and config down at the relay first, so the terminal's snapshot holds them.
    await waitFor(async () => {
      const users = await relay.couch.request<{ rows: unknown[] }>('/caja-store/_all_docs?startkey=%22user:%22&endkey=%22user:%EF%BF%B0%22');
      const docs = await relay.couch.request<{ rows: Array<{ value?: { deleted?: boolean } }> }>('/caja-store/_all_docs', { method: 'POST', body: { keys: NEEDED } });
      return users.rows.length === 2 && docs.rows.every((r) => r.value && !r.value.deleted);
    }, { what: 'users, catalog and config at the relay', timeoutMs: 30_000 });
    const code = await http<{ code: string }>('POST', `${relay.url}/api/v1/terminals/pairing-code`, { username: 'mario', pin: '9999' });
    const paired = await http<Pairing>('POST', `${relay.url}/api/v1/terminals/pair`, { code: code.body.code, name: 'Till 1' });
    expect(paired.status, JSON.stringify(paired.body)).to.equal(201);
    const pairing: Pairing = { ...paired.body, relayUrl: relay.url };
    local = new PouchDB(`dayclose-terminal-${Date.now()}`, { adapter: 'memory' });
    const remote = remoteDb(`${pairing.couchdbUrl}/${pairing.db}`, terminalTokenSource(pairing));
    const opts = terminalSyncOptions('S001', new Date().toISOString().slice(0, 10));
    // The till's first sync: a snapshot of the relay's documents, then the live pull from its sequence.
    const pull = await startTerminalPull(local, remote, opts.pull);
    boot = pull.bootstrap;
    syncs.push(pull.replication);
    syncs.push(local.replicate.to(remote, opts.push));
    await waitFor(async () => {
      const res = await local.allDocs({ keys: NEEDED });
      const users = await local.allDocs({ startkey: 'user:', endkey: 'user:\ufff0' });
      return res.rows.every((r) => 'value' in r && !r.value.deleted) && users.rows.length === 2;
    }, { what: 'catalog, config and users on the terminal', timeoutMs: 60_000 });
  });

  after(async () => {
    index?.close();
    for (const s of syncs) s.cancel();
    await local?.destroy().catch(() => undefined);
    await side?.close();
    await relay?.close();
    await hq?.close();
    for (const c of cleanups) await c();
  });

  it('rings a day on a terminal, closes it at the relay, and the sales, the Z and the closes reach HQ', async () => {
    // The terminal started from a snapshot of the relay (catalog, config and users came down HQ -> relay).
    expect(boot?.state).to.equal('copied');
    expect(boot?.written).to.be.at.least(NEEDED.length + 2);
    index = await LocalCatalog.open(local);
    const config = index.config() as StoreConfig;
    expect(config.taxMode).to.equal('inclusive');
    const till: Till = { config, terminalId: 'T1' };
    const login = await loginWithPin(local, 'mario', '9999');
    if (!login.ok) throw new Error('manager login failed');
    const mario: StoreUser = login.user;
    const tender = (id: string) => index?.tender(id) as Tender;
    const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.value;
    };
    const cartOf = (qa: number, qb: number) => {
      let cart = emptyCart();
      const a = index?.lookup(A.barcodes[0] as string);
      const b = index?.lookup(B.barcodes[0] as string);
      if (!a || !b) throw new Error('test products not in the barcode index');
      if (qa) cart = must(addItem(cart, a.product, qa, { storePrice: a.storePrice }));
      if (qb) cart = must(addItem(cart, b.product, qb, { storePrice: b.storePrice }));
      return cart;
    };

    // Shift 1.
    const shift1 = must(await commitShiftOpen(local, { ...till, user: mario, openingFloat: money(FLOAT_1), now: at(0) }));
    const sales: Sale[] = [];
    for (const p of SALES) {
      const tenders: TenderInput[] =
        p.kind === 'card'
          ? [{ tender: tender('tender:card'), tendered: money(p.total), reference: '4242' }]
          : p.kind === 'split'
            ? [{ tender: tender('tender:card'), tendered: money(CARD_PART), reference: '4242' }, { tender: tender('tender:cash'), tendered: money(p.total - CARD_PART) }]
            : p.kind === 'cash'
              ? [{ tender: tender('tender:cash'), tendered: money(p.total + p.change) }]
              : [{ tender: tender('tender:usd'), foreignAmount: money(p.usdCents) }];
      const sale = must(await commitSale(local, { ...till, shiftId: shift1._id, cashierId: mario.userId, cart: cartOf(p.qa, p.qb), catalog: index.pricing(), tenders, now: at(p.i) }));
      expect([sale.seq, sale.total, sale.taxTotal, sale.change]).to.deep.equal([p.i, p.total, p.tax, p.change]);
      sales.push(sale);
    }
    must(await commitVoid(local, { ...till, shiftId: shift1._id, cashier: mario, receipt: `S001-T1-${VOIDED}`, reason: 'rang twice', now: at(60) }));
    const ret = must(await commitReturn(local, { ...till, shiftId: shift1._id, cashier: mario, receipt: `S001-T1-${RETURNED}`, requests: [{ lineNo: 1, qty: 1, restock: true }], refund: { to: 'original' }, now: at(61) }));
    expect(ret.receiptNumber).to.equal('S001-T1-51'); // returns share the sale sequence
    must(await commitCashMovement(local, { ...till, shiftId: shift1._id, uuid: randomUUID(), direction: 'out', amount: money(CASH_OUT), reason: 'safe drop', user: mario, now: at(62) }));

    const e1 = expectedShift1();
    const x = await xReportOf(local, shift1, at(63));
    checkFigures(x.figures, e1);

    const counted = e1.expectedCash - SHORT;
    const close1 = must(await commitShiftClose(local, { ...till, shiftId: shift1._id, counted: { '10000': Math.floor(counted / 10000), '1': counted % 10000 }, user: mario, now: at(64) }));
    expect([close1.countedCash, close1.expectedCash, close1.variance, close1.alert]).to.deep.equal([counted, e1.expectedCash, -SHORT, true]);

    // Shift 2, left open for the day close to close.
    const shift2 = must(await commitShiftOpen(local, { ...till, user: mario, openingFloat: money(FLOAT_2), now: at(120) }));
    for (const [k, s] of SHIFT2_SALES.entries()) {
      must(await commitSale(local, { ...till, shiftId: shift2._id, cashierId: mario.userId, cart: cartOf(s.qa, s.qb), catalog: index.pricing(), tenders: [{ tender: tender('tender:cash'), tendered: money(s.tendered) }], now: at(121 + k) }));
    }
    const shift2Total = SHIFT2_SALES.reduce((t, s) => t + s.qa * PRICE_A + s.qb * PRICE_B, 0);
    const expected2 = FLOAT_2 + shift2Total;

    // Everything reaches the relay: 52 sales, 1 void, 1 return, 1 cash movement, 2 shifts, 1 close.
    const relayCount = async (prefix: string) =>
      (await relay.couch.request<{ rows: unknown[] }>(`/caja-store/_all_docs?startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(prefix + '\ufff0'))}`)).rows.length;
    await waitFor(async () => (await relayCount('sale:S001:T1:')) === 52 && (await relayCount('void:')) === 1 && (await relayCount('return:')) === 1 && (await relayCount('cash:')) === 1 && (await relayCount('shift:')) === 2 && (await relayCount('shiftclose:')) === 1, { what: 'the day at the relay', timeoutMs: 30_000 });

    // The manager logs in at the relay; without a session nothing is closed.
    expect((await http('POST', `${api}/api/v1/day-close`, { businessDate: DATE })).status).to.equal(401);
    const session = await http<{ token: string }>('POST', `${relay.url}/api/v1/auth/login`, { username: 'mario', pin: '9999' });
    expect(session.status).to.equal(200);
    const auth = { Authorization: `Bearer ${session.body.token}` };
    expect((await http('POST', `${api}/api/v1/day-close`, { businessDate: '2999-01-01' }, auth)).status).to.equal(400); // never ahead

    // Before the close: a preview X of the day.
    const preview = await http<{ closed: boolean; preview: { openShiftIds: string[]; figures: RegisterFigures } }>('GET', `${api}/api/v1/day-close/${DATE}`, undefined, auth);
    expect(preview.status).to.equal(200);
    expect(preview.body.closed).to.equal(false);
    expect(preview.body.preview.openShiftIds).to.deep.equal([shift2._id]);
    expect(preview.body.preview.figures.salesCount).to.equal(e1.salesCount + SHIFT2_SALES.length);

    const closed = await http<{ zreport: ZReport; closes: ShiftClose[] }>('POST', `${api}/api/v1/day-close`, { businessDate: DATE }, auth);
    expect(closed.status, JSON.stringify(closed.body)).to.equal(201);
    const z = closed.body.zreport;
    expect(z._id).to.equal(`zreport:S001:${DATE}`);
    expect(z.shiftIds).to.deep.equal([shift1._id, shift2._id]);
    // The day close closed shift 2: nothing counted, so its whole expected cash shows as the variance.
    expect(closed.body.closes.map((c) => [c.shiftId, c.closedBy, c.countedCash, c.expectedCash, c.variance, c.alert])).to.deep.equal([
      [shift2._id, 'zreport', 0, expected2, -expected2, true],
    ]);
    const t = z.totals as ZTotals;
    const eDay = {
      ...e1,
      openingFloat: FLOAT_1 + FLOAT_2,
      salesCount: e1.salesCount + 2,
      grossSales: e1.grossSales + shift2Total,
      taxTotal: e1.taxTotal + TAX_A + TAX_B,
      salesTotal: e1.salesTotal + shift2Total,
      changeGiven: e1.changeGiven + (5000 - PRICE_B),
      tenders: e1.tenders.map(([id, n, amount]): [string, number, number] => (id === 'tender:cash' ? [id, n + 2, amount + shift2Total] : [id, n, amount])),
      cashSales: e1.cashSales + shift2Total,
      expectedCash: e1.expectedCash + expected2,
    };
    checkFigures(t, eDay);
    expect([t.countedCash, t.variance]).to.deep.equal([counted, -SHORT - expected2]);
    expect(t.shifts.map((s) => [s.shiftId, s.closedBy, s.variance])).to.deep.equal([
      [shift1._id, mario.userId, -SHORT],
      [shift2._id, 'zreport', -expected2],
    ]);

    // Immutable: a second close answers 409 with the existing Z; the GET now answers the Z.
    const again = await http<{ error: string; details: { zreport: ZReport } }>('POST', `${api}/api/v1/day-close`, { businessDate: DATE }, auth);
    expect(again.status).to.equal(409);
    expect(again.body.details.zreport._id).to.equal(z._id);
    const got = await http<{ closed: boolean; zreport: ZReport }>('GET', `${api}/api/v1/day-close/${DATE}`, undefined, auth);
    expect([got.body.closed, got.body.zreport._rev]).to.deep.equal([true, z._rev]);
    const zz = await http<{ days: number; figures: RegisterFigures; variance: Money }>('GET', `${api}/api/v1/zz?from=2025-06-01&to=2025-06-30`, undefined, auth);
    expect([zz.body.days, zz.body.figures.salesCount, zz.body.figures.expectedCash, zz.body.variance]).to.deep.equal([1, eDay.salesCount, eDay.expectedCash, -SHORT - expected2]);

    // Audited at the relay: the close of shift 2 and the Z, by the manager.
    const audits = await relay.couch.request<{ rows: Array<{ doc: { action: string; target: string; actor: string } }> }>(`/caja-store/_all_docs?include_docs=true&startkey=%22audit:S001:%22&endkey=%22audit:S001:%EF%BF%B0%22`);
    const dayCloseAudits = audits.rows.filter((r) => r.doc.action === 'day.close' || r.doc.action === 'register.close');
    expect(dayCloseAudits.map((r) => [r.doc.action, r.doc.target, r.doc.actor]).sort()).to.deep.equal([
      ['day.close', z._id, `user:${mario.userId}`],
      ['register.close', `shiftclose:${shift2._id}`, `user:${mario.userId}`],
    ]);

    // Up to HQ: the Z, both closes and the audit entries.
    const hqDb = hq.couch.nano.use<Record<string, unknown>>(hqStoreDbName('S001'));
    const atHq = (id: string) => hqDb.get(id).then(() => true, () => false);
    await waitFor(async () => (await atHq(z._id)) && (await atHq(`shiftclose:${shift1._id}`)) && (await atHq(`shiftclose:${shift2._id}`)), { what: 'Z and closes at HQ', timeoutMs: 30_000 });
    const zAtHq = (await hqDb.get(z._id)) as unknown as ZReport;
    expect((zAtHq.totals as ZTotals).salesTotal).to.equal(eDay.salesTotal);

    // Every sale rung at the terminal is at HQ exactly once: the terminal's revision, no conflict.
    const range = { startkey: 'sale:S001:T1:', endkey: 'sale:S001:T1:\ufff0' };
    const atTerminal = (await local.allDocs(range)).rows.map((r) => [r.id, r.value.rev]);
    expect(atTerminal).to.have.length(52);
    const hqSales = async () => (await hqDb.list({ ...range, conflicts: true, include_docs: true })).rows;
    await waitFor(async () => (await hqSales()).length === 52 || null, { what: 'the 52 sales at HQ', timeoutMs: 30_000 });
    const rows = await hqSales();
    expect(rows.map((r) => [r.id, r.value.rev])).to.deep.equal(atTerminal);
    expect(rows.filter((r) => (r.doc as { _conflicts?: unknown } | undefined)?._conflicts).map((r) => r.id)).to.deep.equal([]);
  });

  it('a price edited at HQ reaches the terminal', async () => {
    const auth = { Authorization: `Bearer ${adminToken}` };
    const edited = await http<{ price: number }>('PATCH', `${hq.url}/api/v1/products/${B.sku}`, { price: PRICE_B + 100 }, auth);
    expect(edited.status, JSON.stringify(edited.body)).to.equal(200);
    await waitFor(async () => ((await local.get<{ price: number }>(B._id)).price === PRICE_B + 100) || null, { what: 'the new price on the terminal', timeoutMs: 30_000 });
  });
}
