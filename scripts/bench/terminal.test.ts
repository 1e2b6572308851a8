// Issue #11 "Speed": the terminal benchmark runs end to end at small sizes (HQ and a relay, the app built and
// paired in Chromium, a week of this terminal's sales, the baselines) and prints the four metric lines,
// well-formed. Never timing assertions: a loaded CI machine must not fail for being slow.
import { expect } from 'chai';
import type { BenchLine } from './index';
import { QUICK, runTerminalBench } from './terminal';
import { buildApp } from '../../tests/support/appBuild';

// Smaller than --quick (this checks the lines, not the figures): 2,000 products, a week of sales. The sync
// metric is named for the catalog it measured.
const SMOKE = { ...QUICK, products: 2_000, days: 7, salesPerDay: 20 };
const METRICS = ['terminal_scan_to_cart_p99_ms', 'terminal_commit_p99_ms', 'terminal_cold_start_ms', 'terminal_first_sync_2k_s'];

describe('caja bench terminal (issue #11 speed)', function () {
  this.timeout(600_000);

  it('emits the four metrics with their baselines, well-formed', async () => {
    const lines: BenchLine[] = [];
    await runTerminalBench((l) => lines.push(l), SMOKE, () => undefined, () => buildApp('till'));
    expect(lines.map((l) => l.metric)).to.deep.equal(METRICS);
    for (const l of lines) {
      const parsed = JSON.parse(JSON.stringify(l)) as Record<string, unknown>;
      expect(Object.keys(parsed).sort(), l.metric).to.deep.equal(['baseline', 'metric', 'target', 'unit', 'value']);
      expect(parsed.value, l.metric).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v > 0);
      expect(parsed.baseline, l.metric).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v > 0);
      expect(parsed.target, l.metric).to.match(/^<= \d+$/);
      expect(parsed.unit, l.metric).to.equal(l.metric.endsWith('_ms') ? 'ms' : 's');
    }
  });
});
