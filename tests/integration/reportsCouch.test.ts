// Issue #13 on a genuine Apache CouchDB 3.5 (../shared/couchdb): HQ's CouchDB is a real one, where the report
// view's `_sum` over arrays, group=true key ranges, `keys` reads of `ledger_by_date` and the roll-up job's
// `_local` checkpoints run on CouchDB's own code. Two stores' generated weeks travel relay -> HQ, and every
// report at HQ equals the brute force. Skipped where ../shared/couchdb is absent; slower (CouchDB starts).
import { expect } from 'chai';
import { startChain, type Chain } from '../support/chain';
import { realCouchAvailable, startRealCouch, type RealCouch } from '../support/realCouch';
import { waitFor } from '../support/testing';
import { generateChainDocs, type ChainData } from '../support/reportFixtures';
import { rawOf } from '../support/reportMemory';
import { REPORT_NAMES, type ReportName } from '../../shared/api/reports';
import { CATALOG_DB, RELAY_STORE_DB } from '../../shared/model/names';
import { addDays } from '../../shared/reports/periods';
import { bruteForceIO } from '../../shared/reports/recompute';
import { reportRequest } from '../../shared/reports/request';
import { runReport } from '../../shared/reports/run';
import type { CouchHandle } from '../../server-kit/couch';
import type { Shift } from '../../shared/model/types';

const ZONE = 'America/Mexico_City';
const STORES = [
  { storeId: 'S001', timeZone: ZONE, taxMode: 'exclusive' as const, terminals: ['T1', 'T2'] },
  { storeId: 'S002', timeZone: ZONE, taxMode: 'inclusive' as const, terminals: ['T1'] },
];
const FROM = '2025-04-20';
const DAYS = 20;
const TO = addDays(FROM, DAYS - 1);

async function write(couch: CouchHandle, db: string, docs: ReadonlyArray<{ _id: string; _rev?: string }>): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const res = await couch.request<Array<{ error?: string }>>(`/${db}/_bulk_docs`, { method: 'POST', body: { docs: docs.slice(i, i + 500) } });
    if (res.some((r) => r.error)) throw new Error(`writing ${db}: ${JSON.stringify(res.filter((r) => r.error).slice(0, 2))}`);
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical((v as Record<string, unknown>)[k])).join(',') + '}';
  return JSON.stringify(v);
}

/** Waits until `probe` and `want` give the same answer; on the deadline, fails showing how they differ. */
async function settle(probe: () => Promise<unknown>, want: () => Promise<unknown>, what: string, timeoutMs: number): Promise<void> {
  try {
    await waitFor(async () => canonical(await probe()) === canonical(await want()) || null, { what, timeoutMs, intervalMs: 500 });
  } catch {
    expect(await probe(), what).to.deep.equal(await want());
  }
}

function strip(answer: unknown): unknown {
  const { generatedAt: _g, ...rest } = answer as Record<string, unknown>;
  return rest;
}

(realCouchAvailable ? describe : describe.skip)('reports (issue #13) on Apache CouchDB 3.5', function () {
  this.timeout(600_000);
  let chain: Chain;
  let gen: ChainData;
  let couch: RealCouch | null = null;

  before(async () => {
    chain = await startChain({
      stores: STORES.map((s) => s.storeId),
      products: 10,
      couchFor: async (name) => {
        if (name !== 'hq') return null;
        couch = await startRealCouch();
        return { url: couch.adminUrl, secret: couch.secret };
      },
    });
    gen = generateChainDocs({ seed: 5, stores: STORES, from: FROM, days: DAYS, products: 25 });
    const existing = await chain.hq.couch.request<{ rows: Array<{ key: string; value?: { rev: string } }> }>(`/${CATALOG_DB}/_all_docs`, { method: 'POST', body: { keys: gen.catalog.docs.map((d) => d._id) } });
    const revs = new Map(existing.rows.flatMap((r) => (r.value ? [[r.key, r.value.rev] as const] : [])));
    await write(chain.hq.couch, CATALOG_DB, [...gen.catalog.docs, ...gen.catalog.salesReps].map((d) => ({ ...d, ...(revs.has(d._id) ? { _rev: revs.get(d._id) } : {}) })));
    for (const s of STORES) {
      const relay = chain.relays.get(s.storeId)!;
      const last = gen.catalog.products[gen.catalog.products.length - 1]!;
      await waitFor(async () => relay.couch.request(`/${RELAY_STORE_DB}/${encodeURIComponent(last._id)}`).then(() => true, () => null), { what: `catalog at ${s.storeId}`, timeoutMs: 60_000 });
    }
  });

  after(async () => {
    await chain?.close();
    await (couch)?.stop();
  });

  it('every report at HQ (chain and each store) equals the raw documents', async () => {
    for (const s of STORES) await write(chain.relays.get(s.storeId)!.couch, RELAY_STORE_DB, [...gen.docs, ...gen.late].filter((d) => d.storeId === s.storeId));
    const io = bruteForceIO(rawOf({ docs: [...gen.docs, ...gen.late], timeZones: { S001: ZONE, S002: ZONE }, catalog: gen.catalog }));
    const expected = async (name: ReportName, q: Record<string, string>) => strip(JSON.parse(JSON.stringify(await runReport(name, reportRequest(name, q, TO, new Date()), io))));
    const atHq = async (name: ReportName, q: Record<string, string>) => {
      const res = await chain.api('GET', `/api/v1/reports/${name}?${new URLSearchParams(q).toString()}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return strip(res.body);
    };
    const whole = { from: FROM, to: TO, group: 'week' };
    await settle(() => atHq('zz', whole), () => expected('zz', whole), 'roll-ups on CouchDB', 180_000);
    await settle(() => atHq('sales-summary', whole), () => expected('sales-summary', whole), 'chain roll-ups on CouchDB', 60_000);
    let checked = 0;
    for (const scoped of [{}, { store: 'S001' }, { store: 'S001,S002' }] as Array<Record<string, string>>) {
      for (const name of REPORT_NAMES) {
        if (name === 'x' || name === 'z') continue;
        for (const q of [{ ...scoped, ...whole }, { ...scoped, from: '2025-04-25', to: '2025-05-03', group: 'month' }]) {
          expect(await atHq(name, q), `${name} ${JSON.stringify(q)}`).to.deep.equal(await expected(name, q));
          checked++;
        }
      }
    }
    const lateQ = { store: gen.marks.lateStore, from: gen.marks.lateDay };
    const z = (await atHq('z', lateQ)) as { lateDays: number };
    expect(z).to.deep.equal(await expected('z', lateQ));
    expect(z.lateDays).to.equal(1);
    // The X of a named register session reads whether it is open as one key of open_shifts (POST keys, group).
    const shift = gen.docs.find((d): d is Shift => d.type === 'shift' && d.storeId === 'S001')!;
    const xq = { store: 'S001', shift: shift._id };
    const noClock = (a: unknown): unknown => ({ ...(a as object), at: null });
    const x = noClock(await atHq('x', xq)) as { shiftIds: string[]; figures: { salesCount: number } };
    expect(x).to.deep.equal(noClock(await expected('x', xq)));
    expect([x.shiftIds, x.figures.salesCount > 0]).to.deep.equal([[shift._id], true]);
    console.log(`      ${checked + 2} report answers on CouchDB 3.5 equal the brute force`);
  });
});
