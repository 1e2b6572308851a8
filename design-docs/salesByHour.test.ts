// The sales_by_hour view (issue #12, the chain dashboard): what its map emits for sales, voids and returns
// (run from source in a `vm` sandbox, as designdocs.test.ts runs every view), and the same view in the
// embedded server, where `_sum` adds the arrays: a store's day at group_level=2, its quarter hours at 3.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { adminToken, startEmbeddedCouch } from '../couchdb/index';
import type { EmbeddedCouch } from '../couchdb/index';
import * as fx from '../scripts/seed/documents';
import type { Return, Sale, Void } from '../shared/model/types';
import { compileDesignDocs, deployDesignDocs } from './deploy';

const SECRET = 'sales-by-hour-test-secret';

/** The view's map run over docs in a sandbox whose only global is `emit`: [key, value] per row. */
async function emitted(docs: unknown[]): Promise<Array<[unknown, unknown]>> {
  const ddoc = (await compileDesignDocs('hq-store')).find((d) => d._id === '_design/sales_by_hour');
  const view = ddoc?.views?.sales_by_hour;
  if (!view) throw new Error('no sales_by_hour view');
  expect(view.reduce).to.equal('_sum');
  const rows: Array<[unknown, unknown]> = [];
  const ctx = vm.createContext({ emit: (k: unknown, v: unknown) => rows.push([k, v]) });
  const map = vm.runInContext('(' + view.map + ')', ctx) as (doc: unknown) => void;
  for (const d of docs) map(JSON.parse(JSON.stringify(d)));
  return rows;
}

// fx.sale(): total 11.00, tax 1.52, discounts 0.50, rung 2024-05-01T15:04:05Z on business day 2024-05-01.
const noon = fx.sale(1);
// Rung at 20:10 in Mexico City on 30 April: 02:10 UTC the next calendar day, so quarter 24 h + 2 h 10 min.
const lateEvening: Sale = { ...fx.sale(2), businessDate: '2024-04-30', createdAt: '2024-05-01T02:10:00.000Z' };
// Rung at 08:05 in Tokyo on 2 May: 23:05 UTC the day before, 55 minutes before its day's UTC midnight.
const tokyoMorning: Sale = { ...fx.sale(3, 'S002'), businessDate: '2024-05-02', createdAt: '2024-05-01T23:05:00.000Z' };
const voided: Void = { ...fx.voidOf(noon), createdAt: '2024-05-01T15:20:00.000Z' };
const refund: Return = { ...fx.returnDoc(4), businessDate: '2024-05-01', createdAt: '2024-05-01T15:59:59.999Z' };

describe('design-docs: sales_by_hour (issue #12)', () => {
  it('emits [store, business day, quarter hour from the day\'s UTC midnight] -> [sales, total, tax, discounts, voids, voided, returns, refunded]', async () => {
    expect(await emitted([noon, lateEvening, tokyoMorning, voided, refund, fx.shift(), fx.zreport(), fx.product('A1', [])])).to.deep.equal([
      [['S001', '2024-05-01', 60], [1, 1100, 152, 50, 0, 0, 0, 0]],
      [['S001', '2024-04-30', 104], [1, 1100, 152, 50, 0, 0, 0, 0]],
      [['S002', '2024-05-02', -4], [1, 1100, 152, 50, 0, 0, 0, 0]],
      [['S001', '2024-05-01', 61], [0, 0, 0, 0, 1, 1100, 0, 0]],
      [['S001', '2024-05-01', 63], [0, 0, 0, 0, 0, 0, 1, 812]],
    ]);
    // A document without a readable time or day is left out rather than put in a wrong hour.
    expect(await emitted([{ ...noon, createdAt: 'yesterday' }, { ...noon, businessDate: undefined }])).to.deep.equal([]);
  });

  describe('in the embedded server', function () {
    this.timeout(60_000);
    let couch: EmbeddedCouch;
    let dataDir: string;
    const db = 'caja-store-s001';
    const auth = { Authorization: 'Bearer ' + adminToken(SECRET), 'Content-Type': 'application/json' };
    const call = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> => {
      const res = await fetch(`${couch.url}/${db}${path}`, { method, headers: auth, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      expect(res.ok, `${method} ${path}: ${res.status}`).to.equal(true);
      return (await res.json()) as T;
    };
    const rows = (level: number, day: string) =>
      call<{ rows: Array<{ key: unknown[]; value: number[] }> }>(
        `/_design/sales_by_hour/_view/sales_by_hour?group_level=${level}&startkey=${encodeURIComponent(JSON.stringify(['S001', day]))}&endkey=${encodeURIComponent(JSON.stringify(['S001', day, {}]))}`,
      );

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'caja-sales-by-hour-'));
      couch = await startEmbeddedCouch({ port: 0, dataDir, jwtSecret: SECRET });
      await call('', 'PUT');
      await deployDesignDocs(couch.url, db, 'hq-store', auth.Authorization);
      const second: Sale = { ...fx.sale(5), createdAt: '2024-05-01T15:14:59.000Z' };
      const written = await call<Array<{ id: string; error?: string; reason?: string }>>('/_bulk_docs', 'POST', { docs: [noon, second, lateEvening, voided, refund] });
      expect(written.filter((r) => r.error)).to.deep.equal([]);
    });
    after(async () => {
      await couch?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('sums a store\'s day element-wise, and each quarter hour apart', async () => {
      expect((await rows(2, '2024-05-01')).rows).to.deep.equal([{ key: ['S001', '2024-05-01'], value: [2, 2200, 304, 100, 1, 1100, 1, 812] }]);
      expect((await rows(3, '2024-05-01')).rows).to.deep.equal([
        { key: ['S001', '2024-05-01', 60], value: [2, 2200, 304, 100, 0, 0, 0, 0] },
        { key: ['S001', '2024-05-01', 61], value: [0, 0, 0, 0, 1, 1100, 0, 0] },
        { key: ['S001', '2024-05-01', 63], value: [0, 0, 0, 0, 0, 0, 1, 812] },
      ]);
      expect((await rows(3, '2024-04-30')).rows).to.deep.equal([{ key: ['S001', '2024-04-30', 104], value: [1, 1100, 152, 50, 0, 0, 0, 0] }]);
      expect((await rows(2, '2024-05-02')).rows).to.deep.equal([]);
    });
  });
});
