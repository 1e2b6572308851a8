// `caja bench durability`: what fsync per write (couchdb/durable.ts) costs the embedded server, measured in
// one run against a second embedded server with it off (the unsafe measuring switch, `fsync: false`), which is
// each line's baseline. Three write patterns over HTTP on loopback, as Caja's processes write:
// single-document PUTs from one writer (a till's sale, a checkpoint), from 16 concurrent writers to the same
// database (many terminals and replications at once), and `_bulk_docs` of 500 (replication batches, loads).
// Values are documents per second; targets are floors that keep a store's and HQ's write rates well covered
// (not contracts of the disk). Both servers run in this process, one after the other, never at once.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { adminToken, startEmbeddedCouch } from '../../couchdb/index';
import type { BenchLine, Suite } from './index';

interface Sizes {
  /** Single-document PUTs per single-writer and per 16-writer run. */
  puts: number;
  /** `_bulk_docs` requests of 500. */
  bulks: number;
}
export const FULL: Sizes = { puts: 2_000, bulks: 40 };
export const QUICK: Sizes = { puts: 200, bulks: 4 };

const SECRET = 'bench-durability-secret';
const BULK = 500;
const WRITERS = 16;

type Rates = { oneWriter: number; writers16: number; bulk500: number };

const doc = (i: number) => ({ type: 'sale', total: 1000 + i, lines: [{ sku: `SKU${i % 997}`, qty: 1, price: 1000 + i }], note: 'x'.repeat(120) });

async function request(url: string, method: string, body: unknown, token: string): Promise<void> {
  const res = await fetch(url, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

/** Documents per second of `count` documents written by `run`. */
async function rate(count: number, run: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await run();
  return Math.round((count * 1000) / (performance.now() - t));
}

/** Measures the three patterns on a fresh embedded server with fsync on or off. */
async function measure(dataDir: string, fsync: boolean, sizes: Sizes): Promise<Rates> {
  const couch = await startEmbeddedCouch({ port: 0, dataDir, jwtSecret: SECRET, fsync });
  const token = adminToken(SECRET);
  try {
    const db = (name: string) => `${couch.url}/${name}`;
    for (const name of ['one', 'many', 'bulk']) await request(db(name), 'PUT', undefined, token);
    const oneWriter = await rate(sizes.puts, async () => {
      for (let i = 0; i < sizes.puts; i++) await request(`${db('one')}/sale-${i}`, 'PUT', doc(i), token);
    });
    const perWriter = Math.ceil(sizes.puts / WRITERS);
    const writers16 = await rate(perWriter * WRITERS, async () => {
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          for (let i = 0; i < perWriter; i++) await request(`${db('many')}/sale-${w}-${i}`, 'PUT', doc(i), token);
        }),
      );
    });
    const bulk500 = await rate(sizes.bulks * BULK, async () => {
      for (let b = 0; b < sizes.bulks; b++) {
        const docs = Array.from({ length: BULK }, (_, i) => ({ _id: `sale-${b}-${i}`, ...doc(i) }));
        await request(`${db('bulk')}/_bulk_docs`, 'POST', { docs }, token);
      }
    });
    return { oneWriter, writers16, bulk500 };
  } finally {
    await couch.close();
  }
}

export async function runDurabilityBench(emit: (line: BenchLine) => void, sizes: Sizes, log: (m: string) => void): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'caja-bench-durability-'));
  try {
    // Off first, then on: each on its own folder, so neither finds the other's files in the page cache.
    const off = await measure(path.join(tmp, 'off'), false, sizes);
    log(`fsync off: ${JSON.stringify(off)} docs/s`);
    const on = await measure(path.join(tmp, 'on'), true, sizes);
    log(`fsync on: ${JSON.stringify(on)} docs/s`);
    emit({ metric: 'couch_put_1_writer_docs_s', value: on.oneWriter, unit: 'docs/s', baseline: off.oneWriter, target: '>= 50' });
    emit({ metric: 'couch_put_16_writers_docs_s', value: on.writers16, unit: 'docs/s', baseline: off.writers16, target: '>= 50' });
    emit({ metric: 'couch_bulk_docs_500_docs_s', value: on.bulk500, unit: 'docs/s', baseline: off.bulk500, target: '>= 2000' });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const suite: Suite = (emit, opts) => runDurabilityBench(emit, opts.quick ? QUICK : FULL, (m) => process.stderr.write(`bench durability: ${m}\n`));
export default suite;
