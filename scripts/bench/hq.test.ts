// Issue #12 "Speed": the HQ benchmark runs end to end at quick sizes (HQ on its embedded CouchDB, stores
// created, provisioned and heartbeating through the API, a catalog and days of sales loaded in bulk, every
// view built ahead) and prints its metric lines, well-formed, each with its naive baseline. Never timing
// assertions: a loaded CI machine must not fail for being slow.
import { expect } from 'chai';
import type { BenchLine } from './index';
import { QUICK, runHqBench } from './hq';

// --quick measures 300 products and 3 stores and says so: the 100k / 200-store names are the full run's.
const METRICS = ['product_search_300_p99_ms', 'product_api_lookup_300_p99_ms', 'dashboard_3_stores_ms', 'chain_dashboard_3_stores_ms', 'sales_search_p99_ms'];

describe('caja bench hq (issue #12 speed)', function () {
  this.timeout(300_000);

  it('emits the product search, both dashboards and the sales search metrics with their baselines, well-formed', async () => {
    const lines: BenchLine[] = [];
    const progress: string[] = [];
    await runHqBench((l) => lines.push(l), QUICK, (m) => progress.push(m));
    expect(lines.map((l) => l.metric)).to.deep.equal(METRICS);
    for (const l of lines) {
      const parsed = JSON.parse(JSON.stringify(l)) as Record<string, unknown>;
      expect(Object.keys(parsed).sort(), l.metric).to.deep.equal(['baseline', 'metric', 'target', 'unit', 'value']);
      expect(parsed.value, l.metric).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v > 0);
      expect(parsed.baseline, l.metric).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v > 0);
      expect(parsed.target, l.metric).to.match(/^<= \d+$/);
      expect(parsed.unit, l.metric).to.equal('ms');
    }
    // Every kind of sales browser query was timed (the p99 is over all of them).
    for (const kind of ['chain', 'chain, month', 'chain, year', 'chain, next page', 'store, range', 'receipt', 'store, cashier', 'chain, amount']) {
      expect(progress.some((m) => m.startsWith(`sales search ${kind}:`)), kind).to.equal(true);
    }
  });
});
