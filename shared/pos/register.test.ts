// A day at the store: two registers, 52 sales, a void, a return, cash in and out, X, a counted close with a
// variance, and the Z that closes the forgotten register. Figures are checked against an independent tally
// and against literal, hand-computed numbers.
import { expect } from 'chai';
import { validateDoc } from '../model/validate';
import type { CashMovement, Return, Sale, Shift, Void } from '../model/types';
import { addItem, emptyCart } from './cart';
import { mergeFigures, cashMovement, closeShift, openShift, registerFigures, xReport } from './register';
import { buildReturn, buildVoid } from './returns';
import { buildSale } from './sale';
import type { TenderInput } from './tenders';
import { CARD, CASH, CASHIER, catalog, m, MANAGER, must, product, storeConfig, USD } from '../../tests/support/posFixtures';
import { buildZReport, zTotals, zzReport } from './zreport';

const config = storeConfig(); // MXN, VAT 21 % exclusive, variance alert 5.00
const P = product('P', 1000); // 10.00 + 21 % = 12.10 a unit
const at = (minute: number): string => new Date(Date.parse('2025-03-14T15:00:00.000Z') + minute * 60_000).toISOString();

/** Sale i of register T1: qty i%3+1; tender by i%4: cash 50.00 / card / card 10.00 + cash 50.00 / USD 2.00 (=40.00 MXN). */
function tendersFor(i: number, total: number): TenderInput[] {
  switch (i % 4) {
    case 0:
      return [{ tender: CASH, tendered: m(5000) }];
    case 1:
      return [{ tender: CARD, tendered: m(total), reference: `C${i}`, authCode: 'OK' }];
    case 2:
      return [{ tender: CARD, tendered: m(1000), reference: `C${i}` }, { tender: CASH, tendered: m(5000) }];
    default:
      return [{ tender: USD, foreignAmount: m(200) }];
  }
}

describe('pos/register: a day with X, close and Z', () => {
  const shiftA: Shift = openShift({ config, terminalId: 'T1', n: 1, openedBy: 'u1', openingFloat: m(20000), now: at(0) });
  const shiftB: Shift = openShift({ config, terminalId: 'T2', n: 1, openedBy: 'u3', openingFloat: m(10000), now: at(0) });
  const sales: Sale[] = [];
  for (let i = 0; i < 50; i++) {
    const cart = must(addItem(emptyCart(), P, (i % 3) + 1));
    const total = 1210 * ((i % 3) + 1);
    sales.push(
      must(
        buildSale({
          config, terminalId: 'T1', seq: i + 1, shiftId: shiftA._id, cashierId: i % 2 === 0 ? 'u1' : 'u2', cart,
          catalog: catalog(), tenders: tendersFor(i, total), now: at(i + 1),
        }),
      ),
    );
  }
  // Register T2: one unit in cash (20.00 given), one unit by card.
  const one = must(addItem(emptyCart(), P, 1));
  const base = { config, terminalId: 'T2', shiftId: shiftB._id, cashierId: 'u3', cart: one, catalog: catalog() };
  sales.push(must(buildSale({ ...base, seq: 1, tenders: [{ tender: CASH, tendered: m(2000) }], now: at(10) })));
  sales.push(must(buildSale({ ...base, seq: 2, tenders: [{ tender: CARD, tendered: m(1210), reference: 'X' }], now: at(11) })));

  // Void sale i=4 (2 units, cash, 24.20) and return 1 of the 3 units of sale i=8 (cash, 12.10).
  const voids: Void[] = [
    must(buildVoid(sales[4]!, { config, now: at(60), zReportExists: false, user: MANAGER, terminalId: 'T1', shiftId: shiftA._id, cashierId: 'u1', reason: 'rung twice' })),
  ];
  const returns: Return[] = [
    must(
      buildReturn({
        sale: sales[8]!, previous: [], requests: [{ lineNo: 1, qty: 1, restock: true }], config, terminalId: 'T1', seq: 51,
        shiftId: shiftA._id, cashier: { ...CASHIER, userId: 'u2' }, refund: { to: 'original' }, now: at(70),
      }),
    ),
  ];
  const cash: CashMovement[] = [
    must(cashMovement({ shift: shiftA, uuid: 'drop1', direction: 'out', amount: m(10000), reason: 'safe drop', userId: 'u1', now: at(80) })),
    must(cashMovement({ shift: shiftA, uuid: 'coins1', direction: 'in', amount: m(2000), reason: 'coins', userId: 'u1', now: at(81) })),
  ];
  const docs = { shifts: [shiftA, shiftB], sales, voids, returns, cashMovements: cash };

  it('every document is valid', () => {
    for (const d of [shiftA, shiftB, ...sales, ...voids, ...returns, ...cash]) expect(validateDoc(d), d._id).to.deep.equal([]);
  });

  it('X report of register T1 matches an independent tally and the hand-computed figures', () => {
    const x = xReport({ ...docs, shifts: [shiftA] }, at(90));
    const f = x.figures;
    // Independent tally, the simple way.
    const live = sales.filter((s) => s.shiftId === shiftA._id && s._id !== voids[0]!.saleId);
    const tally = (pick: (s: Sale) => number) => live.reduce((a, s) => a + pick(s), 0);
    const cashKept = tally((s) => s.tenders.reduce((a, t) => a + (t.kind === 'cash' ? t.amount : t.kind === 'foreign' ? -t.change : 0), 0));
    expect(f.salesCount).to.equal(live.length);
    expect(f.grossSales).to.equal(tally((s) => s.subtotal));
    expect(f.taxTotal).to.equal(tally((s) => s.taxTotal));
    expect(f.salesTotal).to.equal(tally((s) => s.total));
    expect(f.cashSales).to.equal(cashKept);
    expect(f.expectedCash).to.equal(20000 + cashKept - 1210 + 2000 - 10000);

    // By hand. Units by i%3 over i = 0..49: 17 x 1 + 17 x 2 + 16 x 3 = 99; less the voided 2 = 97.
    expect(f.salesCount).to.equal(49);
    expect(f.grossSales).to.equal(97000); // 97 x 10.00
    expect(f.taxTotal).to.equal(20370); // 97 x 2.10
    expect(f.taxes).to.deep.equal([{ rateId: 'taxrate:VAT21', code: 'VAT21', basis: 97000, amount: 20370 }]);
    expect(f.salesTotal).to.equal(117370); // 97 x 12.10
    // Cash: i%4==0 sales hold 25 units (302.50), less the void (24.20) = 278.30; i%4==2 hold 24 units (290.40)
    // of which 12 x 10.00 by card, so 170.40 cash; i%4==3: 12 x 40.00 MXN in dollars for 290.40, change 189.60.
    expect(f.tenders).to.deep.equal([
      { tenderId: 'tender:card', kind: 'card', count: 25, amount: 43460 }, // 314.60 (26 units) + 120.00
      { tenderId: 'tender:cash', kind: 'cash', count: 24, amount: 44870 }, // 278.30 + 170.40
      { tenderId: 'tender:usd', kind: 'foreign', count: 12, amount: 29040 },
    ]);
    expect(f.foreignCash).to.deep.equal([{ currency: 'USD', amount: 2400 }]); // 12 x 2.00 USD
    expect(f.cashSales).to.equal(25910); // 278.30 + 170.40 - 189.60
    expect([f.returnsCount, f.returnsTotal, f.returnsTax, f.cashRefunds]).to.deep.equal([1, 1210, 210, 1210]);
    expect([f.voidsCount, f.voidsTotal]).to.deep.equal([1, 2420]);
    expect([f.cashIn, f.cashOut, f.openingFloat]).to.deep.equal([2000, 10000, 20000]);
    // 200.00 + 259.10 - 12.10 + 20.00 - 100.00 = 367.00
    expect(f.expectedCash).to.equal(36700);
    // u1 rang the even i: qty cycles 1,3,2 -> 8 cycles x 6 + 1 (i=48) = 49 units, less the voided 2 = 47 x 12.10;
    // u2 the odd i: 99 - 49 = 50 units x 12.10. u2 took the return.
    expect(f.cashiers).to.deep.equal([
      { cashierId: 'u1', salesCount: 24, salesTotal: 56870, returnsCount: 0, returnsTotal: 0, voidsCount: 1 },
      { cashierId: 'u2', salesCount: 25, salesTotal: 60500, returnsCount: 1, returnsTotal: 1210, voidsCount: 0 },
    ]);
    // Non-destructive: asking again gives the same.
    expect(xReport({ ...docs, shifts: [shiftA] }, at(90)).figures).to.deep.equal(f);
  });

  it('close with a counted variance, then the Z closes the open register and sums both', () => {
    const fA = registerFigures({ ...docs, shifts: [shiftA] });
    // Counted 366.00: 200 + 100 + 50 + 10 + 5 + 1; expected 367.00 -> variance -1.00, within the 5.00 alert.
    const counted = { '20000': 1, '10000': 1, '5000': 1, '1000': 1, '500': 1, '100': 1 };
    const closeA = must(closeShift({ shift: shiftA, figures: fA, counted, closedBy: 'u1', now: at(100), varianceAlert: config.varianceAlert }));
    expect(validateDoc(closeA)).to.deep.equal([]);
    expect([closeA.countedCash, closeA.expectedCash, closeA.variance, closeA.alert]).to.deep.equal([36600, 36700, -100, false]);
    expect(must(closeShift({ shift: shiftA, figures: fA, counted, closedBy: 'u1', now: at(100), varianceAlert: m(50) })).alert).to.equal(true);
    expect(closeShift({ shift: shiftA, figures: fA, counted: { '0.5': 1 }, closedBy: 'u1', now: at(100), varianceAlert: m(0) }).ok).to.equal(false);

    const z = must(buildZReport({ ...docs, config, businessDate: '2025-03-14', now: at(120), closes: [closeA] }));
    expect(validateDoc(z.zreport)).to.deep.equal([]);
    expect(z.zreport._id).to.equal('zreport:S001:2025-03-14');
    // Register T2 was still open: the Z closes it, nothing counted. Expected 100.00 + 12.10 = 112.10.
    expect(z.closes).to.have.length(1);
    const closeB = z.closes[0]!;
    expect(validateDoc(closeB)).to.deep.equal([]);
    expect(closeB).to.include({ _id: 'shiftclose:shift:S001:T2:00000001', closedBy: 'zreport', countedCash: 0, expectedCash: 11210, variance: -11210, alert: true });

    const t = zTotals(z.zreport);
    // The Z is the sum of the X of each register.
    const { countedCash, variance, shifts, ...figures } = t;
    expect(figures).to.deep.equal(mergeFigures(fA, registerFigures({ ...docs, shifts: [shiftB] })));
    // By hand: 49 + 2 sales; 97 + 2 = 99 units; 1197.90 sold; cash expected 367.00 + 112.10.
    expect([t.salesCount, t.grossSales, t.taxTotal, t.salesTotal]).to.deep.equal([51, 99000, 20790, 119790]);
    expect([t.expectedCash, countedCash, variance]).to.deep.equal([47910, 36600, -11310]);
    expect(t.openingFloat).to.equal(30000);
    expect(shifts.map((s) => [s.shiftId, s.variance, s.alert])).to.deep.equal([
      ['shift:S001:T1:00000001', -100, false],
      ['shift:S001:T2:00000001', -11210, true],
    ]);
    // Card + cash + USD = everything sold.
    expect(t.tenders.reduce((a, x) => a + x.amount, 0)).to.equal(119790);

    // After the Z: a second Z is refused, and a void of that day is refused.
    const again = buildZReport({ ...docs, config, businessDate: '2025-03-14', now: at(130), closes: [closeA, closeB], existing: z.zreport });
    expect(!again.ok && again.error.code).to.equal('already_closed');
    const late = buildVoid(sales[10]!, { config, now: at(140), zReportExists: true, user: MANAGER, terminalId: 'T1', shiftId: shiftA._id, cashierId: 'u1', reason: 'x' });
    expect(!late.ok && late.error.code).to.equal('day_closed');

    // ZZ over two days: the same day twice stands in for a second day's Z with the same figures.
    const day2 = { ...z.zreport, _id: 'zreport:S001:2025-03-15', businessDate: '2025-03-15' };
    const zz = zzReport([day2, z.zreport]);
    expect([zz.from, zz.to, zz.days]).to.deep.equal(['2025-03-14', '2025-03-15', 2]);
    expect([zz.figures.salesCount, zz.figures.salesTotal, zz.variance]).to.deep.equal([102, 239580, -22620]);
  });
});
