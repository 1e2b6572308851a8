// Manager mode's dashboard figures from a terminal's replica: every terminal of the store counts, voided sales
// count as voids not sales, an open register from yesterday still counts, hours are the store's.
import { expect } from 'chai';
import { PouchDB } from '../../../../server-kit/replication/pouch';
import { cash, sale, shift, shiftClose, voidOf, returnDoc } from '../../../../scripts/seed/documents';
import type { Sale, Shift } from '../../../../shared/model/types';
import { saleId, shiftId } from '../../../../shared/model/ids';
import { storeDay, storeDayDocs } from './storeDay';

describe('manager mode: the store day from the local replica (issue 11)', () => {
  let db: PouchDB.Database;
  beforeEach(() => {
    db = new PouchDB(`storeday-${Math.random()}`, { adapter: 'memory' });
  });
  afterEach(() => db.destroy());

  it('sums every terminal of the store, leaves voids, other days and other stores out, and buckets hours in the zone', async () => {
    const at = (s: Sale, seq: number, terminal: string, createdAt: string, businessDate = '2024-05-01'): Sale => ({
      ...s, _id: saleId('S001', terminal, seq), seq, terminalId: terminal, shiftId: shiftId('S001', terminal, 1), createdAt, businessDate,
    });
    const t1 = at(sale(1), 1, 'T1', '2024-05-01T15:04:05.000Z'); // 09:04 in Mexico City
    const t2 = at(sale(1), 1, 'T2', '2024-05-01T22:30:00.000Z'); // 16:30
    const voided = at(sale(2), 2, 'T2', '2024-05-01T22:40:00.000Z');
    const yesterday = at(sale(3), 3, 'T1', '2024-04-30T22:00:00.000Z', '2024-04-30');
    const otherStore = { ...sale(1, 'S002', 'T1') };
    const shiftT2: Shift = { ...shift(1, 'S001', 'T2'), openedBy: 'u2' };
    const closedT1 = shiftClose(1, 'S001', 'T1');
    const ret = { ...returnDoc(2), businessDate: '2024-05-01' };
    await db.bulkDocs([t1, t2, voided, yesterday, otherStore, shift(1), shiftT2, closedT1, voidOf(voided, 'T1'), ret, cash()]);

    const docs = await storeDayDocs(db, 'S001', '2024-05-01');
    const day = storeDay('2024-05-01', docs, 'America/Mexico_City');
    expect(day.figures.salesCount).to.equal(2);
    expect(day.figures.salesTotal).to.equal(2200);
    expect(day.figures.voidsCount).to.equal(1);
    expect(day.figures.returnsTotal).to.equal(812);
    expect(day.figures.cashOut).to.equal(5000);
    expect(day.averageTicket).to.equal(1100);
    expect(day.hours[9]).to.deep.equal({ hour: 9, salesCount: 1, salesTotal: 1100 });
    expect(day.hours[16]).to.deep.equal({ hour: 16, salesCount: 1, salesTotal: 1100 });
    expect(day.hours.reduce((s, h) => s + h.salesCount, 0)).to.equal(2);
    // T1's register is closed; T2's is open.
    expect(day.openRegisters.map((r) => [r.terminalId, r.openedBy])).to.deep.equal([['T2', 'u2']]);
  });

  it('a register left open on an earlier day still counts', async () => {
    const old: Shift = { ...shift(1, 'S001', 'T3'), businessDate: '2024-04-29' };
    await db.bulkDocs([old]);
    const day = storeDay('2024-05-01', await storeDayDocs(db, 'S001', '2024-05-01'), 'America/Mexico_City');
    expect(day.openRegisters.map((r) => r.terminalId)).to.deep.equal(['T3']);
    expect(day.figures.openingFloat).to.equal(10000);
  });
});
