// Issue #14 "Scale": the scale benchmark runs end to end at quick sizes (HQ in its own process, 5 then 10
// simulated relays replicating and heartbeating, a catch-up at each size) on the embedded server, and on the
// real CouchDB from ../shared/couchdb when it is present, and prints well-formed metric lines. Never timing
// assertions: a loaded CI machine must not fail for being slow.
import { expect } from 'chai';
import { realCouchAvailable } from '../../tests/support/realCouch';
import type { BenchLine } from './index';
import { QUICK, runScaleBench } from './scale';
import type { ServerKind } from './scale';

const PER_SIZE = ['ingest_docs_s', 'heartbeat_p50_ms', 'heartbeat_p99_ms', 'hq_rss_mb', 'hq_heap_mb', 'hq_sockets'];
const REAL_ONLY = ['couchdb_rss_mb', 'couchdb_sockets'];
const UNITS: Record<string, string> = { docs_s: 'docs/s', ms: 'ms', mb: 'MB', sockets: 'sockets', errors: 'count' };

function expected(server: ServerKind): string[] {
  return QUICK.stores.flatMap((n) => [...PER_SIZE, ...(server === 'couchdb' ? REAL_ONLY : []), 'errors'].map((m) => `scale_${server}_${n}_stores_${m}`));
}

describe('caja bench scale (issue #14 scale)', function () {
  this.timeout(120_000);

  const servers: ServerKind[] = realCouchAvailable ? ['embedded', 'couchdb'] : ['embedded'];

  it(`emits every size's lines for ${servers.join(' and ')}, well-formed, the first size the baseline of the next`, async () => {
    const lines: BenchLine[] = [];
    await runScaleBench((l) => lines.push(l), QUICK, servers, () => undefined);
    expect(lines.map((l) => l.metric)).to.deep.equal(servers.flatMap(expected));
    const byName = new Map(lines.map((l) => [l.metric, l]));
    for (const l of lines) {
      const parsed = JSON.parse(JSON.stringify(l)) as Record<string, unknown>;
      expect(Object.keys(parsed).sort(), l.metric).to.deep.equal(['baseline', 'metric', 'target', 'unit', 'value']);
      expect(parsed.value, l.metric).to.be.a('number').and.satisfy((v: number) => Number.isFinite(v) && v >= 0);
      expect(parsed.target, l.metric).to.match(/^(<=|>=) \d+$|^0$/);
      const suffix = Object.keys(UNITS).find((k) => l.metric.endsWith(k)) as string;
      expect(parsed.unit, l.metric).to.equal(UNITS[suffix]);
      const [first, second] = QUICK.stores;
      if (l.metric.includes(`_${first}_stores_`) || l.metric.endsWith('_errors')) {
        expect(parsed.baseline, l.metric).to.equal(null);
      } else {
        // The second size's baseline is the first size's value of the same metric, same run.
        const firstLine = byName.get(l.metric.replace(`_${second}_stores_`, `_${first}_stores_`));
        expect(parsed.baseline, l.metric).to.equal(firstLine?.value);
      }
    }
    // Every simulated store's sales landed and nothing failed (a count, not a timing).
    for (const l of lines.filter((x) => x.metric.endsWith('_errors'))) expect(l.value, l.metric).to.equal(0);
    for (const l of lines.filter((x) => x.metric.endsWith('_ingest_docs_s') || x.metric.endsWith('_hq_sockets'))) expect(l.value, l.metric).to.be.greaterThan(0);
  });
});
