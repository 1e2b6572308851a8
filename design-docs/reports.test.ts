// Issue #13: the report design documents as the server runs them (compiled from the folders, evaluated in a
// fresh `vm` context whose only global is `emit`): the report view emits exactly what shared/reports/rows.ts
// emitRollup says (on every kind of roll-up of a generated chain), `ledger_by_date` keys each ledger document
// by its day and its register session, and only the server admin writes the reports database.
import { expect } from 'chai';
import vm from 'node:vm';
import { compileDesignDocs } from './deploy';
import * as fx from '../scripts/seed/documents';
import { emitRollup } from '../shared/reports/rows';
import { generateChainDocs } from '../tests/support/reportFixtures';
import { memoryRollups, rawOf } from '../tests/support/reportMemory';

type Fn = (...args: unknown[]) => unknown;

function load(source: string, rows: Array<[unknown, unknown]>): Fn {
  const ctx = vm.createContext({ emit: (k: unknown, v: unknown) => rows.push([k, v]) });
  return vm.runInContext('(' + source + ')', ctx) as Fn;
}

async function viewOf(kind: 'reports' | 'hq-store', ddoc: string, view: string) {
  const d = (await compileDesignDocs(kind)).find((x) => x._id === '_design/' + ddoc);
  const v = d?.views?.[view];
  if (!v) throw new Error(`no view ${ddoc}/${view} for ${kind}`);
  return v;
}

describe('design-docs: the report views (issue #13)', () => {
  it('the reports database has the report views (native reduces only), the dashboard view and the validator', async () => {
    const docs = await compileDesignDocs('reports');
    expect(docs.map((d) => d._id).sort()).to.deep.equal(['_design/caja_validate', '_design/dashboard', '_design/reports']);
    const views = docs.find((d) => d._id === '_design/reports')!.views!;
    for (const v of Object.values(views)) expect(v.reduce).to.be.oneOf(['_sum', '_count', '_stats']);
  });

  it('the rollup map emits what emitRollup says, for store days, months, years and the chain', async function () {
    this.timeout(60_000);
    const stores = [
      { storeId: 'S001', timeZone: 'America/Mexico_City', taxMode: 'exclusive' as const, terminals: ['T1'] },
      { storeId: 'S002', timeZone: 'America/Bogota', taxMode: 'inclusive' as const, terminals: ['T1', 'T2'] },
    ];
    const gen = generateChainDocs({ seed: 3, stores, from: '2025-05-25', days: 12 });
    const rollups = memoryRollups(rawOf({ docs: [...gen.docs, ...gen.late], timeZones: { S001: 'America/Mexico_City', S002: 'America/Bogota' }, catalog: gen.catalog }));
    const rows: Array<[unknown, unknown]> = [];
    const map = load((await viewOf('reports', 'reports', 'rollup')).map, rows);
    const kinds = new Set<string>();
    for (const doc of rollups.values()) {
      rows.length = 0;
      map(JSON.parse(JSON.stringify(doc)));
      const expected: Array<[unknown, unknown]> = [];
      emitRollup(doc, (k, v) => expected.push([k, v]));
      expect(rows, doc._id).to.deep.equal(expected);
      kinds.add(`${doc.scope === '*' ? 'chain' : 'store'}-${doc.level}`);
    }
    expect([...kinds].sort()).to.deep.equal(['chain-b16', 'chain-b2', 'chain-b4', 'chain-b8', 'chain-d', 'chain-m', 'chain-mb2', 'chain-mb4', 'chain-mb8', 'chain-y', 'store-d', 'store-m', 'store-y']);
    // A store's day leaves its products out; its month and the chain's day keep them.
    const emitted = (id: string) => {
      rows.length = 0;
      map(JSON.parse(JSON.stringify(rollups.get(id))));
      return rows.map(([k]) => (k as string[])[0]);
    };
    expect(emitted('rollup:S001:2025-05-26')).to.not.include('p');
    expect(emitted('rollup:S001:2025-05')).to.include('p');
    expect(emitted('rollup:*:2025-05-26')).to.include.members(['p', 'pp']);
    expect(emitted('rollup:S001:2025-05-26')).to.include('ts');
    // Departments first and discounts per day, store days included (a department's or a discount's days in one range).
    expect(emitted('rollup:S001:2025-05-26')).to.include.members(['dd', 'cc', 'ct', 'dc', 'dt']);
    expect(emitted('rollup:*:2025-05')).to.include.members(['dd', 'cc', 'ct', 'dc', 'dt']);
    // Anything else is not emitted.
    rows.length = 0;
    map({ _id: 'sale:S001:T1:000001', type: 'sale' });
    expect(rows).to.deep.equal([]);
  });

  it("the dashboard map emits one row per store day roll-up, its totals and hours, and nothing for the chain's, months, years or other documents", async function () {
    this.timeout(60_000);
    const stores = [{ storeId: 'S001', timeZone: 'America/Mexico_City', taxMode: 'exclusive' as const, terminals: ['T1'] }];
    const gen = generateChainDocs({ seed: 5, stores, from: '2025-05-25', days: 10 });
    const rollups = memoryRollups(rawOf({ docs: [...gen.docs, ...gen.late], timeZones: { S001: 'America/Mexico_City' }, catalog: gen.catalog }));
    const rows: Array<[unknown, unknown]> = [];
    const map = load((await viewOf('reports', 'dashboard', 'days')).map, rows);
    let days = 0;
    for (const doc of rollups.values()) {
      rows.length = 0;
      map(JSON.parse(JSON.stringify(doc)));
      if (doc.level !== 'd' || doc.scope === '*') {
        expect(rows, doc._id).to.deep.equal([]);
        continue;
      }
      days++;
      expect(rows, doc._id).to.deep.equal([[[doc.period, doc.scope], [doc.s.t?.[0]?.[1] ?? [], doc.s.h?.[0]?.[1] ?? []]]]);
    }
    expect(days).to.be.at.least(10);
    rows.length = 0;
    map({ _id: 'sale:S001:T1:000001', type: 'sale', level: 'd', s: {} });
    expect(rows).to.deep.equal([]);
  });

  it('ledger_by_date: a business day, a UTC day for what has none, and the register session', async () => {
    const rows: Array<[unknown, unknown]> = [];
    const map = load((await viewOf('hq-store', 'ledger_by_date', 'ledger_by_date')).map, rows);
    const keys = (doc: unknown) => {
      rows.length = 0;
      map(JSON.parse(JSON.stringify(doc)));
      return rows.map(([k]) => k);
    };
    const sale = fx.sale();
    expect(keys(sale)).to.deep.equal([['b', sale.businessDate], ['s', sale.shiftId]]);
    const shift = fx.shift();
    expect(keys(shift)).to.deep.equal([['b', shift.businessDate]]);
    const close = fx.shiftClose();
    expect(keys(close)).to.deep.equal([['u', close.closedAt.slice(0, 10)], ['s', close.shiftId]]);
    const move = fx.move();
    expect(keys(move)).to.deep.equal([['u', move.createdAt.slice(0, 10)]]);
    expect(keys(fx.transfer())).to.have.length(1);
    expect(keys(fx.zreport())).to.deep.equal([['b', fx.zreport().businessDate]]);
    expect(keys(fx.product())).to.deep.equal([]);
    expect(keys(fx.customer())).to.deep.equal([]);
  });

  it('only the server admin writes the reports database', async () => {
    const d = (await compileDesignDocs('reports')).find((x) => x.validate_doc_update)!;
    const validate = load(d.validate_doc_update!, []);
    const doc = { _id: 'rollup:S001:2025-01-01', type: 'rollup', schema: 1, scope: 'S001', level: 'd', period: '2025-01-01', s: {} };
    const decide = (userCtx: unknown) => {
      try {
        validate(doc, null, userCtx, {});
        return null;
      } catch (e) {
        return (e as { forbidden?: string }).forbidden ?? 'threw';
      }
    };
    expect(decide({ name: 'hq', roles: ['_admin'], db: 'caja-reports' })).to.equal(null);
    expect(decide({ name: 'store:S001', roles: ['caja-store', 'store:S001'], db: 'caja-reports' })).to.match(/only the roll-up job/);
    expect(decide({ name: 'x', roles: [], db: 'caja-reports' })).to.not.equal(null);
  });
});
