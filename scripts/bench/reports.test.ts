// Issue #13 "Speed": the reports benchmark runs end to end at quick sizes (HQ on its embedded CouchDB, stores
// created through the API, a generated ledger loaded into their databases and rolled up by HQ's own job, every
// report timed for one store and for the chain, a sale's freshness, the naive design built) and prints its
// four metric lines, well-formed, each with its baseline where one is defined. Never timing assertions: a
// loaded CI machine must not fail for being slow.
import { expect } from 'chai';
import { meetsTarget, type BenchLine } from './index';
import { QUICK, runReportsBench } from './reports';
import { REPORT_NAMES } from '../../shared/api/reports';

const METRICS = ['report_query_store_year_p95_ms', 'report_query_chain_year_p95_ms', 'report_freshness_s', 'report_views_build_s'];
const WITH_BASELINE = new Set(['report_query_store_year_p95_ms', 'report_query_chain_year_p95_ms', 'report_views_build_s']);

describe('caja bench reports (issue #13 speed)', function () {
  this.timeout(600_000); // a minute on a quiet machine; several on a loaded one

  it('emits the query, freshness and build metrics with their baselines, well-formed', async () => {
    const lines: BenchLine[] = [];
    const progress: string[] = [];
    await runReportsBench((l) => lines.push(l), QUICK, (m) => progress.push(m));
    expect(lines.map((l) => l.metric)).to.deep.equal(METRICS);
    for (const l of lines) {
      const parsed = JSON.parse(JSON.stringify({ ...l, met: meetsTarget(l.value, l.target) })) as Record<string, unknown>;
      expect(Object.keys(parsed).sort(), l.metric).to.deep.equal(['baseline', 'met', 'metric', 'target', 'unit', 'value']);
      expect(parsed.value, l.metric).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v > 0);
      if (WITH_BASELINE.has(l.metric)) expect(parsed.baseline, l.metric).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v > 0);
      else expect(parsed.baseline, l.metric).to.equal(null);
      expect(parsed.target, l.metric).to.match(/^<= \d+$/);
      expect(parsed.met, l.metric).to.be.a('boolean');
      expect(parsed.unit, l.metric).to.equal(l.metric.endsWith('_ms') ? 'ms' : 's');
    }
    // Every report was timed, for the store and for the chain (the X report is per store only).
    const byReport = (label: string) => progress.find((m) => m.startsWith(label)) ?? '';
    for (const name of REPORT_NAMES) {
      expect(byReport('store B001 year:'), `store ${name}`).to.include(` ${name} `);
      if (name !== 'x') expect(byReport('chain year:'), `chain ${name}`).to.include(` ${name} `);
    }
  });
});
