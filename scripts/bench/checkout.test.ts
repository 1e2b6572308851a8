// Issue #5: the checkout benchmark runs end to end at quick sizes and prints well-formed metric lines
// (no timing assertions: a loaded CI machine must not fail a test for being slow).
import { expect } from 'chai';
import type { BenchLine } from './index';
import { QUICK, runCheckoutBench } from './checkout';

describe('caja bench checkout (issue #5)', function () {
  this.timeout(120_000);

  it('emits the four contract metrics, each {metric, value, unit, baseline, target}', async () => {
    const lines: BenchLine[] = [];
    await runCheckoutBench((l) => lines.push(l), QUICK, () => undefined);
    expect(lines.map((l) => l.metric)).to.deep.equal(['checkout_commit_p50_ms', 'checkout_commit_p99_ms', 'barcode_lookup_p50_ms', 'barcode_lookup_p99_ms']);
    for (const l of lines) {
      const parsed = JSON.parse(JSON.stringify(l)) as Record<string, unknown>;
      expect(Object.keys(parsed).sort()).to.deep.equal(['baseline', 'metric', 'target', 'unit', 'value']);
      expect(parsed.unit).to.equal('ms');
      expect(parsed.value).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v >= 0);
      expect(parsed.baseline).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v >= 0);
      expect(parsed.target).to.match(/^<= \d+$/);
    }
    expect(lines[0]?.value).to.be.at.most(lines[1]?.value ?? 0); // p50 <= p99
  });
});
