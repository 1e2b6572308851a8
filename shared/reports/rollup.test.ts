// Issue #13, the pure core: hand-checked tax (compound and inclusive rates, receipts built by shared/pos) and
// Z/ZZ fixtures (a late sale after the Z), then on generated chains: every store day's roll-up equals the brute
// force's, every report assembled from roll-ups (days, months, years, the chain; view rows and direct reads)
// equals the same report from the raw documents, and every figure is an integer (fast-check).
import { expect } from 'chai';
import fc from 'fast-check';
import type { Sale, Shift, ZReport, Return, Void } from '../model/types';
import { addItem, emptyCart } from '../pos/cart';
import { closeShift, openShift, registerFigures } from '../pos/register';
import { buildReturn, buildVoid } from '../pos/returns';
import { buildSale } from '../pos/sale';
import { buildZReport } from '../pos/zreport';
import { CARD, CASH, catalog, m, must, product, QC, STD, RATES, storeConfig } from '../../tests/support/posFixtures';
import { generateChainDocs } from '../../tests/support/reportFixtures';
import { memoryIO, memoryRollups, rawOf } from '../../tests/support/reportMemory';
import { REPORT_NAMES, type ReportName } from '../api/reports';
import { bruteDay, bruteForceIO, indexOf, type RawData } from './recompute';
import { addDays } from './periods';
import { reportRequest } from './request';
import { runReport } from './run';
import { sumSections, toSections, newAcc, addSections, type Sections } from './sections';
import { toCsv } from './csv';
import { CHAIN } from './layout';

const DAY = '2025-03-14';
/** Local time in Mexico City (UTC-6) on a day, as the ISO instant documents carry. */
const at = (h: number, min = 0, day = DAY) => new Date(Date.parse(`${day}T00:00:00Z`) + ((h + 6) * 60 + min) * 60_000).toISOString();
const zones = { S001: 'America/Mexico_City', S002: 'America/Mexico_City' };
const raw = (docs: Array<{ _id: string; type: string }>): RawData => ({
  docs: docs,
  timeZones: zones,
  products: [],
  departments: [],
  taxRates: Object.values(RATES),
  salesReps: [],
  people: {},
});

function ask(name: ReportName, q: Record<string, string>, today = '2025-12-31') {
  return reportRequest(name, q, today, new Date('2026-01-01T00:00:00Z'));
}

describe('reports: the tax report, hand-checked (compound and inclusive rates)', () => {
  // S001 charges tax on top (exclusive); S002 prices include it.
  const ex = storeConfig();
  const inc = storeConfig({ storeId: 'S002', code: 'S002', taxMode: 'inclusive' });
  const A = product('A', 1000, { group: QC }); // GST 5 % then QST 9.5 % on price + GST
  const B = product('B', 2000, { group: STD }); // VAT 21 %
  const C = product('C', 1210, { group: STD });
  const A2 = product('A2', 1150, { group: QC });
  const shift1 = openShift({ config: ex, terminalId: 'T1', n: 1, openedBy: 'u1', openingFloat: m(0), now: at(8) });
  const shift2 = openShift({ config: inc, terminalId: 'T1', n: 1, openedBy: 'u2', openingFloat: m(0), now: at(8) });
  const sale = (config: typeof ex, shift: Shift, seq: number, items: Array<[typeof A, number]>, minute: number): Sale => {
    let cart = emptyCart();
    for (const [p, q] of items) cart = must(addItem(cart, p, q));
    const probe = must(buildSale({ config, terminalId: 'T1', seq, shiftId: shift._id, cashierId: shift.openedBy, cart, catalog: catalog(), tenders: [{ tender: CASH, tendered: m(10 ** 8) }], now: at(10, minute) }));
    return must(buildSale({ config, terminalId: 'T1', seq, shiftId: shift._id, cashierId: shift.openedBy, cart, catalog: catalog(), tenders: [{ tender: CARD, tendered: probe.total, reference: '4242' }], now: at(10, minute) }));
  };
  const s1 = sale(ex, shift1, 1, [[A, 1]], 0); // GST 1000 -> 50; QST 1050 -> 99.75 -> 100; total 11.50
  const s2 = sale(ex, shift1, 2, [[B, 2]], 1); // VAT 4000 -> 840
  const r1 = must(buildReturn({ sale: s2, previous: [], requests: [{ lineNo: 1, qty: 1, restock: true }], config: ex, terminalId: 'T1', seq: 3, shiftId: shift1._id, cashier: { userId: 'u1', permissions: ['sale.refund'] }, refund: { to: 'original' }, now: at(11) }));
  const s3 = sale(inc, shift2, 1, [[C, 1], [A2, 1]], 2); // 12.10 holds 2.10 VAT; 11.50 holds GST 0.50 and QST 1.00
  const data = raw([shift1, shift2, s1, s2, r1, s3]);
  const io = memoryIO(data, memoryRollups(data));

  it('the receipts are what the hand says', () => {
    expect([s1.taxTotal, s1.total, s2.taxTotal, s2.total, r1.taxTotal, r1.total, s3.taxTotal, s3.total]).to.deep.equal([150, 1150, 840, 4840, 420, 2420, 360, 2360]);
  });

  it('one store: per rate, sales, returns and net, to the cent', async () => {
    const t = await runReport('tax', ask('tax', { store: 'S001', from: DAY, to: DAY }), io);
    expect(t.rates.map((r) => [r.code, r.mode, r.salesBasis, r.salesTax, r.returnsBasis, r.returnsTax, r.netBasis, r.netTax])).to.deep.equal([
      ['GST', 'exclusive', 1000, 50, 0, 0, 1000, 50],
      ['QST', 'exclusive', 1050, 100, 0, 0, 1050, 100],
      ['VAT21', 'exclusive', 4000, 840, 2000, 420, 2000, 420],
    ]);
    expect(t.totals).to.deep.equal({ salesTax: 990, returnsTax: 420, netTax: 570 });
    // Equal to the receipts: the sales' tax totals less the returns'.
    expect(t.totals.netTax).to.equal(s1.taxTotal + s2.taxTotal - r1.taxTotal);
    expect(t.series).to.deep.equal([{ bucket: DAY, figures: { salesTax: 990, returnsTax: 420, netTax: 570 } }]);
  });

  it('the chain: inclusive rates apart from exclusive ones', async () => {
    const t = await runReport('tax', ask('tax', { from: DAY, to: DAY }), io);
    expect(t.stores).to.equal(null);
    expect(t.rates.map((r) => [r.code, r.mode, r.salesBasis, r.salesTax, r.netTax])).to.deep.equal([
      ['GST', 'exclusive', 1000, 50, 50],
      ['GST', 'inclusive', 1000, 50, 50],
      ['QST', 'exclusive', 1050, 100, 100],
      ['QST', 'inclusive', 1050, 100, 100],
      ['VAT21', 'exclusive', 4000, 840, 420],
      ['VAT21', 'inclusive', 1000, 210, 210],
    ]);
    expect(t.totals.netTax).to.equal(s1.taxTotal + s2.taxTotal - r1.taxTotal + s3.taxTotal);
    expect(t.previousTotals).to.deep.equal({ salesTax: 0, returnsTax: 0, netTax: 0 });
  });

  it('the CSV carries the same figures', async () => {
    const csv = toCsv(await runReport('tax', ask('tax', { store: 'S001', from: DAY, to: DAY }), io), 'es');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).to.equal('Id de tasa,Código,Nombre,Modo de impuesto,Base de ventas,Impuesto de ventas,Base de devoluciones,Impuestos devueltos,Base neta,Impuesto neto');
    expect(lines[3]).to.equal('taxrate:VAT21,VAT21,VAT 21%,exclusive,40.00,8.40,20.00,4.20,20.00,4.20');
    expect(lines[4]).to.equal('Total,,,,,9.90,,4.20,,5.70');
  });
});

describe('reports: Z and ZZ, hand-checked, with a late arrival', () => {
  const config = storeConfig();
  const P = product('P', 1000); // 10.00 + 21 % = 12.10
  const DAY2 = addDays(DAY, 1);
  const shiftA = openShift({ config, terminalId: 'T1', n: 1, openedBy: 'u1', openingFloat: m(20000), now: at(9) });
  const cart = (q: number) => must(addItem(emptyCart(), P, q));
  const ring = (shift: Shift, terminalId: string, seq: number, q: number, tender: 'cash' | 'card', now: string, cashierId = 'u1'): Sale =>
    must(buildSale({ config, terminalId, seq, shiftId: shift._id, cashierId, cart: cart(q), catalog: catalog(), tenders: [tender === 'cash' ? { tender: CASH, tendered: m(Math.ceil((1210 * q) / 1000) * 1000) } : { tender: CARD, tendered: m(1210 * q), reference: '4242' }], now }));
  const s1 = ring(shiftA, 'T1', 1, 1, 'cash', at(10)); // cash 12.10 (20.00 given)
  const s2 = ring(shiftA, 'T1', 2, 2, 'card', at(11)); // card 24.20, voided below
  const s3 = ring(shiftA, 'T1', 3, 3, 'cash', at(12)); // cash 36.30
  const v2: Void = must(buildVoid(s2, { config, now: at(13), zReportExists: false, user: { permissions: ['sale.void'] }, terminalId: 'T1', shiftId: shiftA._id, cashierId: 'u1', reason: 'twice' }));
  const docs = { shifts: [shiftA], sales: [s1, s2, s3], voids: [v2], returns: [] as Return[], cashMovements: [] };
  const closeA = must(closeShift({ shift: shiftA, figures: registerFigures(docs), counted: { '1': 24840 }, closedBy: 'u1', now: at(20), varianceAlert: m(500) }));
  const z1: ZReport = must(buildZReport({ ...docs, config, businessDate: DAY, now: at(21), closes: [closeA], existing: null })).zreport;
  // Terminal T2 was offline: its register and one card sale of the 14th reach the store after the Z.
  const shiftB = openShift({ config, terminalId: 'T2', n: 1, openedBy: 'u2', openingFloat: m(5000), now: at(10) });
  const lateSale = ring(shiftB, 'T2', 1, 1, 'card', at(11), 'u2');
  // The 15th: one cash sale, closed with nothing late.
  const shiftC = openShift({ config, terminalId: 'T1', n: 2, openedBy: 'u1', openingFloat: m(20000), now: at(9, 0, DAY2) });
  const s4 = ring(shiftC, 'T1', 4, 1, 'cash', at(10, 0, DAY2));
  const closeC = must(closeShift({ shift: shiftC, figures: registerFigures({ shifts: [shiftC], sales: [s4], voids: [], returns: [], cashMovements: [] }), counted: { '1': 21200 }, closedBy: 'u1', now: at(20, 0, DAY2), varianceAlert: m(500) }));
  const z2 = must(buildZReport({ shifts: [shiftC], sales: [s4], voids: [], returns: [], cashMovements: [], config, businessDate: DAY2, now: at(21, 0, DAY2), closes: [closeC], existing: null })).zreport;
  const data = raw([shiftA, s1, s2, s3, v2, closeA, z1, shiftB, lateSale, shiftC, s4, closeC, z2]);
  const io = memoryIO(data, memoryRollups(data));

  it('Z: the figures the Z shows, and the late sale beside them', async () => {
    const z = await runReport('z', ask('z', { store: 'S001', from: DAY }), io);
    expect(z.zreports.map((x) => x._id)).to.deep.equal([z1._id]);
    expect(z.closedDays).to.equal(1);
    const f = z.figures;
    expect([f.openingFloat, f.salesCount, f.grossSales, f.taxTotal, f.salesTotal, f.voidsCount, f.voidsTotal]).to.deep.equal([20000, 2, 4000, 840, 4840, 1, 2420]);
    expect([f.cashSales, f.expectedCash, f.countedCash, f.variance]).to.deep.equal([4840, 24840, 24840, 0]);
    expect(f.tenders.map((t) => [t.tenderId, t.count, t.amount])).to.deep.equal([['tender:cash', 2, 4840]]);
    expect(z.lateDays).to.equal(1);
    const l = z.lateArrivals!;
    expect([l.openingFloat, l.salesCount, l.grossSales, l.taxTotal, l.salesTotal, l.voidsCount, l.expectedCash, l.countedCash]).to.deep.equal([5000, 1, 1000, 210, 1210, 0, 5000, 0]);
    expect(l.tenders.map((t) => [t.tenderId, t.count, t.amount])).to.deep.equal([['tender:card', 1, 1210]]);
    expect(l.cashiers.map((c) => [c.cashierId, c.salesCount, c.salesTotal])).to.deep.equal([['u2', 1, 1210]]);
    // The Z document is never rewritten: its figures are the document's own.
    expect(z.figures.salesTotal).to.equal((z1.totals as { salesTotal: number }).salesTotal);
  });

  it('Z of a day with nothing late has no late line', async () => {
    const z = await runReport('z', ask('z', { store: 'S001', from: DAY2 }), io);
    expect([z.closedDays, z.lateDays, z.lateArrivals, z.figures.salesTotal]).to.deep.equal([1, 0, null, 1210]);
  });

  it('ZZ: the two Zs summed, the late sale apart, by day', async () => {
    const zz = await runReport('zz', ask('zz', { store: 'S001', from: DAY, to: DAY2 }), io);
    expect([zz.closedDays, zz.figures.salesCount, zz.figures.salesTotal, zz.figures.openingFloat, zz.figures.expectedCash]).to.deep.equal([2, 3, 6050, 40000, 24840 + 21210]);
    expect([zz.lateDays, zz.lateArrivals?.salesTotal]).to.deep.equal([1, 1210]);
    expect(zz.series.map((p) => [p.bucket, p.closedDays, p.figures.salesTotal, p.lateArrivals?.salesTotal ?? null])).to.deep.equal([
      [DAY, 1, 4840, 1210],
      [DAY2, 1, 1210, null],
    ]);
  });

  it('the sales summary counts the late sale on its own day', async () => {
    const s = await runReport('sales-summary', ask('sales-summary', { store: 'S001', from: DAY, to: DAY2 }), io);
    expect(s.series.map((p) => [p.bucket, p.figures.sales, p.figures.total])).to.deep.equal([
      [DAY, 3, 4840 + 1210],
      [DAY2, 1, 1210],
    ]);
  });
});

// ---------- generated chains ----------

const STORES = [
  { storeId: 'S001', timeZone: 'America/Mexico_City', taxMode: 'exclusive' as const, terminals: ['T1', 'T2'] },
  { storeId: 'S002', timeZone: 'Asia/Kolkata', taxMode: 'inclusive' as const, terminals: ['T1', 'T2', 'T3'] },
];

describe('reports: generated chain, roll-ups against the brute force', function () {
  this.timeout(120_000);
  const gen = generateChainDocs({ seed: 7, stores: STORES, from: '2025-01-20', days: 45 });
  const data = rawOf({ docs: [...gen.docs, ...gen.late], timeZones: Object.fromEntries(STORES.map((s) => [s.storeId, s.timeZone])), catalog: gen.catalog });
  const rollups = memoryRollups(data);
  const mem = memoryIO(data, rollups);
  const brute = bruteForceIO(data);
  const index = indexOf(data);

  it('has what the reconciliation needs: voids, returns (one of an earlier month), late arrivals, discounts, transfers', () => {
    const types = new Set(data.docs.map((d) => d.type));
    for (const t of ['sale', 'void', 'return', 'shift', 'shiftclose', 'cash', 'move', 'transfer', 'receipt', 'zreport']) expect(types.has(t), t).to.equal(true);
    const old = (data.docs as unknown as Return[]).filter((d) => d.type === 'return').find((r) => r.businessDate === gen.marks.oldReturnDay);
    expect(old, 'the month-old return').to.not.equal(undefined);
    const orig = data.docs.find((d) => d._id === old!.originalSaleId) as unknown as Sale;
    expect(orig.businessDate.slice(0, 7) < old!.businessDate.slice(0, 7)).to.equal(true);
    expect(rollups.get(`rollup:${gen.marks.lateStore}:${gen.marks.lateDay}`)?.s.l?.length ?? 0, 'late arrivals').to.be.greaterThan(0);
  });

  it('every store day rolls up to the brute force, entry by entry', () => {
    let days = 0;
    for (const doc of rollups.values()) {
      if (doc.scope === CHAIN || doc.level !== 'd') continue;
      const b = bruteDay(data, doc.scope, doc.period, index);
      const brute2: Sections = {};
      for (const [section, m] of b) brute2[section] = [...m.values()];
      const canon = (s: Sections) => {
        const acc = newAcc();
        addSections(acc, s);
        return toSections(acc);
      };
      expect(canon(doc.s), `${doc._id}`).to.deep.equal(canon(brute2));
      days++;
    }
    expect(days).to.be.greaterThan(80);
  });

  it('a month is the sum of its days and the chain the sum of its stores', () => {
    const month = rollups.get('rollup:S001:2025-02')!;
    const days = [...rollups.values()].filter((d) => d.scope === 'S001' && d.level === 'd' && d.period.startsWith('2025-02'));
    expect(month.s).to.deep.equal(sumSections(days.map((d) => d.s)));
    const chain = rollups.get('rollup:*:2025-02-10')!;
    expect(chain.s).to.deep.equal(sumSections(['S001', 'S002'].flatMap((s) => rollups.get(`rollup:${s}:2025-02-10`)?.s ?? [])));
  });

  it('every report, any period, store or chain: roll-ups equal the raw documents, all integers (fast-check)', async () => {
    const dates = Array.from({ length: 50 }, (_, i) => addDays('2025-01-18', i));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...REPORT_NAMES.filter((n) => n !== 'x' && n !== 'z')),
        fc.constantFrom(...dates),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom('day', 'week', 'month'),
        fc.constantFrom(undefined, 'S001', 'S002', 'S001,S002'),
        fc.constantFrom(undefined, 'dept', 'product', 'cashier'),
        async (name, from, len, group, store, filter) => {
          const to = addDays(from, len);
          const q: Record<string, string> = { from, to, group };
          if (store) q.store = store;
          if (filter === 'dept') q.department = gen.catalog.departments[1]!._id;
          if (filter === 'product') q.product = gen.catalog.products[0]!._id;
          if (filter === 'cashier') q.cashier = 'cash-s001-1';
          const req = ask(name, q);
          const a = await runReport(name, req, mem);
          const b = await runReport(name, req, brute);
          expect(a, `${name} ${JSON.stringify(q)}`).to.deep.equal(b);
          allIntegers(a, name);
          expect(toCsv(a)).to.equal(toCsv(b));
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });

  it('Z of every closed day, and X of every register, equal the brute force', async () => {
    for (const z of (data.docs as unknown as ZReport[]).filter((d) => d.type === 'zreport')) {
      const req = ask('z', { store: z.storeId, from: z.businessDate });
      expect(await runReport('z', req, mem)).to.deep.equal(await runReport('z', req, brute));
    }
    const shift = data.docs.find((d) => d.type === 'shift') as unknown as Shift;
    const x = await runReport('x', ask('x', { store: shift.storeId, shift: shift._id }), mem);
    expect(x.figures.salesCount).to.be.greaterThan(0);
  });
});

function allIntegers(v: unknown, path: string): void {
  if (typeof v === 'number') expect(Number.isSafeInteger(v), path).to.equal(true);
  else if (Array.isArray(v)) v.forEach((x, i) => allIntegers(x, `${path}[${i}]`));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) allIntegers(x, `${path}.${k}`);
}

describe('reports: sections add up', () => {
  const entry = fc.tuple(fc.constantFrom('t', 'p', 'c'), fc.constantFrom('a', 'b', 'c'), fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 3, maxLength: 3 }));
  const sections = fc.array(entry, { maxLength: 8 }).map((es) => {
    const s: Sections = {};
    for (const [name, key, v] of es) (s[name as 't'] ??= []).push([[key], v]);
    return s;
  });
  it('the sum of a union is the sum of the sums, in any order', () => {
    fc.assert(
      fc.property(fc.array(sections, { maxLength: 6 }), fc.nat(), (list, cut) => {
        const k = list.length ? cut % (list.length + 1) : 0;
        const whole = sumSections(list);
        expect(sumSections([sumSections(list.slice(0, k)), sumSections(list.slice(k))])).to.deep.equal(whole);
        expect(sumSections(list.slice().reverse())).to.deep.equal(whole);
      }),
    );
  });
});

