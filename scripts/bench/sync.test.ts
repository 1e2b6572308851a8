// Issue #4 part 7: the sync benchmark runs end to end at quick sizes (HQ, a provisioned relay, a paired
// terminal, baselines) and prints well-formed metric lines. Functional assertions only — the offline catch-up
// loses and duplicates nothing — never timing assertions: a loaded CI machine must not fail for being slow.
import { expect } from 'chai';
import type { BenchLine } from './index';
import { QUICK, runSyncBench } from './sync';

const METRICS = [
  // --quick measures 2,000 products and says so (issue #10): the 100k name is the full run's.
  'catalog_2k_to_terminal_s',
  'price_to_terminal_p50_ms',
  'price_to_terminal_p99_ms',
  'sale_to_hq_p50_ms',
  'sale_to_hq_p99_ms',
  'offline_catchup_s',
  'offline_catchup_lost',
  'offline_catchup_duplicated',
];

describe('caja bench sync (issue #4 part 7)', function () {
  this.timeout(300_000);

  it('emits the eight contract metrics, well-formed, with nothing lost or duplicated after the offline catch-up', async () => {
    const lines: BenchLine[] = [];
    await runSyncBench((l) => lines.push(l), QUICK, () => undefined);
    expect(lines.map((l) => l.metric)).to.deep.equal(METRICS);
    for (const l of lines) {
      const parsed = JSON.parse(JSON.stringify(l)) as Record<string, unknown>;
      expect(Object.keys(parsed).sort(), l.metric).to.deep.equal(['baseline', 'metric', 'target', 'unit', 'value']);
      expect(parsed.value, l.metric).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v >= 0);
      expect(parsed.baseline, l.metric).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v >= 0);
      expect(parsed.target, l.metric).to.match(/^(<= \d+(\.\d+)?|0)$/);
      expect(parsed.unit, l.metric).to.equal(l.metric.endsWith('_ms') ? 'ms' : l.metric.endsWith('_s') ? 's' : 'sales');
    }
    const value = (m: string) => lines.find((l) => l.metric === m)?.value;
    const baseline = (m: string) => lines.find((l) => l.metric === m)?.baseline;
    expect(value('offline_catchup_lost')).to.equal(0);
    expect(value('offline_catchup_duplicated')).to.equal(0);
    expect(baseline('offline_catchup_lost')).to.equal(0);
    expect(baseline('offline_catchup_duplicated')).to.equal(0);
    expect(value('price_to_terminal_p50_ms')).to.be.at.most(value('price_to_terminal_p99_ms') ?? 0);
    expect(value('sale_to_hq_p50_ms')).to.be.at.most(value('sale_to_hq_p99_ms') ?? 0);
  });
});
