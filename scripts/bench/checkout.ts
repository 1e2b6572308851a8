// `caja bench checkout`: the till's two hot paths on a terminal-sized database (design "Performance targets").
//   checkout_commit_p50_ms / _p99_ms  Pay -> durable locally: build the cart from scans, buildSale, the open-shift
//                                     check, the receipt number and the put (desktop/renderer/features/checkout).
//                                     Baseline: a bare `put` of an already built sale with PouchDB defaults, the
//                                     floor any commit path pays (the design's "single put" row).
//   barcode_lookup_p50_ms / _p99_ms   scan -> product from the in-memory LocalCatalog. Baseline: pouchdb-find by
//                                     barcode with a Mango index (the naive approach), same codes, same database.
// The database is LevelDB in Node, not the renderer's IndexedDB (the bench runs in Node; notes-ecosystem.md has
// the adapter ratios): 100k products and a year of sales of 4 terminals (365 days x 150 sales), loaded with
// bulkDocs so the setup stays around a minute on 2 cores. `--quick` shrinks every size for tests.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PouchDB } from '../../server-kit/replication/pouch';
import { LocalCatalog } from '../../desktop/renderer/features/checkout/localCatalog';
import { commitSale } from '../../desktop/renderer/features/checkout/commit';
import { commitShiftOpen } from '../../desktop/renderer/features/register/register';
import { money } from '../../shared/money';
import { CONFIG_ID, priceId, shiftCloseId, shiftId } from '../../shared/model/ids';
import type { Product, Shift, ShiftClose, StoreConfig, StorePrice, Tender } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { addItem, emptyCart, type Cart } from '../../shared/pos/cart';
import { buildSale, type PricingCatalog } from '../../shared/pos/sale';
import { generateCatalog } from '../seed/catalog';
import { createRng, type Rng } from '../seed/prng';
import type { BenchLine, Suite } from './index';
import { percentile } from './index';

export interface CheckoutBenchSizes {
  products: number;
  days: number;
  salesPerDay: number;
  terminals: number;
  commits: number;
  lookups: number;
}

export const FULL: CheckoutBenchSizes = { products: 100_000, days: 365, salesPerDay: 150, terminals: 4, commits: 500, lookups: 5000 };
export const QUICK: CheckoutBenchSizes = { products: 2000, days: 5, salesPerDay: 20, terminals: 2, commits: 40, lookups: 400 };

const STORE = 'B001';
const BATCH = 1000;
const DAY_MS = 86_400_000;


const round = (ms: number) => Number(ms.toFixed(ms < 0.1 ? 5 : 3));

function stderrProgress(msg: string): void {
  // Progress goes to stderr so `--json` output stays one metric per line on stdout.
  process.stderr.write(`[bench checkout] ${msg}\n`);
}

function storeConfig(): StoreConfig {
  return {
    _id: CONFIG_ID, type: 'config', schema: CURRENT_SCHEMA, storeId: STORE, code: STORE, name: 'Bench', address: '-',
    timeZone: 'America/Mexico_City', currency: 'MXN', locale: 'es', taxMode: 'inclusive', cashRounding: money(0),
    varianceAlert: money(5000), receiptFooter: { en: '', es: '' }, returnDays: 30,
  };
}

function randomCart(rng: Rng, products: readonly Product[]): Cart {
  return cartOf(rng, () => {
    const p = products[rng.int(0, products.length - 1)] as Product;
    return { product: p, storePrice: null };
  });
}

/** A cart as the till builds it: scanned codes resolved by the barcode index. */
function scannedCart(rng: Rng, codes: readonly string[], index: LocalCatalog): Cart {
  return cartOf(rng, () => index.lookup(codes[rng.int(0, codes.length - 1)] as string));
}

function cartOf(rng: Rng, pick: () => { product: Product; storePrice: StorePrice | null } | null): Cart {
  let cart = emptyCart();
  const n = rng.int(1, 5);
  for (let i = 0; i < n; i++) {
    const scan = pick();
    if (!scan) continue;
    const qty = scan.product.weighed ? 0.5 : rng.int(1, 3);
    const r = addItem(cart, scan.product, qty, { storePrice: scan.storePrice });
    if (r.ok) cart = r.value;
  }
  return cart;
}

interface Loaded {
  config: StoreConfig;
  pricing: PricingCatalog;
  cash: Tender;
  /** The primary barcode of every sellable product: what the timed phases scan. */
  codes: string[];
}

/**
 * Loads the catalog and a year of history. Its own function so the generated catalog (100k product objects
 * besides the ones the index reads back) is garbage before anything is timed: a bigger heap means longer GC
 * pauses inside the measured commits, which a real till would not have.
 */
async function load(db: PouchDB.Database, sizes: CheckoutBenchSizes, rng: Rng, progress: (msg: string) => void, started: number): Promise<Loaded> {
  const catalog = generateCatalog({ products: sizes.products });
  const config = storeConfig();
  const sellable = catalog.products.filter((p) => p.active && p.barcodes.length > 0);
  const prices: StorePrice[] = sellable.slice(0, 50).map((p) => ({
    _id: priceId(p.sku), type: 'price', schema: CURRENT_SCHEMA, storeId: STORE, sku: p.sku, price: money(Math.max(10, p.price - 100)), updatedAt: '2025-01-01T00:00:00.000Z',
  }));
  const down = [...catalog.docs, config, ...prices];
  for (let i = 0; i < down.length; i += BATCH) await db.bulkDocs(down.slice(i, i + BATCH));
  progress(`catalog: ${down.length} docs in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // A year of history: one shift per terminal per day, sales spread over the terminals, each closed.
  const pricing = { rates: Object.fromEntries(catalog.taxRates.map((r) => [r._id, r])), groups: Object.fromEntries(catalog.taxGroups.map((g) => [g._id, g])), specials: catalog.specials };
  const cash = catalog.tenders.find((t) => t.kind === 'cash') as Tender;
  const card = catalog.tenders.find((t) => t.kind === 'card') as Tender;
  const seqs = new Array<number>(sizes.terminals).fill(0);
  const firstDay = Date.parse('2024-06-01T14:00:00.000Z');
  let batch: object[] = [];
  let loaded = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await db.bulkDocs(batch);
    loaded += batch.length;
    batch = [];
  };
  for (let d = 0; d < sizes.days; d++) {
    const dayStart = firstDay + d * DAY_MS;
    for (let t = 0; t < sizes.terminals; t++) {
      const terminalId = `T${t + 1}`;
      const shift: Shift = {
        _id: shiftId(STORE, terminalId, d + 1), type: 'shift', schema: CURRENT_SCHEMA, storeId: STORE, terminalId, n: d + 1,
        openedAt: new Date(dayStart).toISOString(), openedBy: 'u-bench', openingFloat: money(100000), businessDate: new Date(dayStart).toISOString().slice(0, 10),
      };
      batch.push(shift);
      for (let k = t; k < sizes.salesPerDay; k += sizes.terminals) {
        const now = new Date(dayStart + (k + 1) * 240_000);
        const cart = randomCart(rng, sellable);
        if (cart.lines.length === 0) continue;
        seqs[t] = (seqs[t] ?? 0) + 1;
        const probe = buildSale({ config, terminalId, seq: seqs[t] as number, shiftId: shift._id, cashierId: 'u-bench', cart, catalog: pricing, tenders: [], now });
        // buildSale with no tenders reports the amount due; pay it exactly by card or cash.
        const due = !probe.ok && probe.error.code === 'insufficient' ? probe.error.remaining : money(0);
        const sale = buildSale({ config, terminalId, seq: seqs[t] as number, shiftId: shift._id, cashierId: 'u-bench', cart, catalog: pricing, tenders: [{ tender: k % 2 ? cash : card, tendered: due, reference: '4242' }], now });
        if (sale.ok) batch.push(sale.value);
        else seqs[t] = (seqs[t] ?? 1) - 1;
      }
      const close: ShiftClose = {
        _id: shiftCloseId(shift._id), type: 'shiftclose', schema: CURRENT_SCHEMA, storeId: STORE, terminalId, shiftId: shift._id,
        closedAt: new Date(dayStart + 12 * 3600_000).toISOString(), closedBy: 'u-bench', counted: {}, countedCash: money(0), expectedCash: money(0), variance: money(0), alert: false,
      };
      batch.push(close);
      if (batch.length >= BATCH) await flush();
    }
  }
  await flush();
  progress(`history: ${loaded} docs (${seqs.reduce((a, b) => a + b, 0)} sales) at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { config, pricing, cash, codes: sellable.map((p) => p.barcodes[0] as string) };
}

/** Runs the suite with the given sizes (the test passes QUICK). */
export async function runCheckoutBench(
  emit: (line: BenchLine) => void,
  sizes: CheckoutBenchSizes,
  progress: (msg: string) => void = stderrProgress,
): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'caja-bench-checkout-'));
  const db = new PouchDB(path.join(dir, 'terminal'));
  let index: LocalCatalog | null = null;
  try {
    const rng = createRng('bench-checkout');
    const started = performance.now();
    const { config, pricing, cash, codes: allCodes } = await load(db, sizes, rng, progress, started);

    const t0 = performance.now();
    index = await LocalCatalog.open(db);
    progress(`barcode index: ${index.size} products in ${(performance.now() - t0).toFixed(0)} ms`);

    // ---- commit: the full path, on a shift opened now on T1 (continuing its year of numbers) ----
    const till = { config, terminalId: 'T1' };
    const opened = await commitShiftOpen(db, { ...till, user: { userId: 'u-bench', permissions: ['register.open'] }, openingFloat: money(100000) });
    if (!opened.ok) throw new Error(`could not open the bench register: ${JSON.stringify(opened.error)}`);
    const commitMs: number[] = [];
    // The first few commits warm the JIT and the caches (receipt number, LevelDB blocks); they are not timed,
    // as the target is the till's steady state. The baseline gets the same warm-up.
    const WARMUP = Math.min(20, sizes.commits);
    for (let i = -WARMUP; i < sizes.commits; i++) {
      const a = performance.now();
      const cart = scannedCart(rng, allCodes, index);
      const res = await commitSale(db, { ...till, shiftId: opened.value._id, cashierId: 'u-bench', cart, catalog: index.pricing(), tenders: [{ tender: cash, tendered: money(10_000_000) }] });
      if (i >= 0) commitMs.push(performance.now() - a);
      if (!res.ok) throw new Error(`commit failed: ${JSON.stringify(res.error)}`);
    }
    // Baseline: a bare put of sales built beforehand (another terminal's numbers, so nothing collides).
    const prebuilt = [];
    for (let i = 0; i < sizes.commits + WARMUP; i++) {
      const sale = buildSale({ config, terminalId: 'T99', seq: i + 1, shiftId: shiftId(STORE, 'T99', 1), cashierId: 'u-bench', cart: scannedCart(rng, allCodes, index), catalog: pricing, tenders: [{ tender: cash, tendered: money(10_000_000) }], now: new Date() });
      if (sale.ok) prebuilt.push(sale.value);
    }
    const putMs: number[] = [];
    for (const [i, sale] of prebuilt.entries()) {
      const a = performance.now();
      await db.put(sale);
      if (i >= WARMUP) putMs.push(performance.now() - a);
    }

    // ---- lookup: the same random codes through the index and through pouchdb-find ----
    const codes = Array.from({ length: sizes.lookups }, () => allCodes[rng.int(0, allCodes.length - 1)] as string);
    const lookupMs: number[] = [];
    let misses = 0;
    for (const code of codes) {
      const a = performance.now();
      const hit = index.lookup(code);
      lookupMs.push(performance.now() - a);
      if (!hit) misses++;
    }
    if (misses) throw new Error(`${misses} barcodes not found by the index`);
    const i0 = performance.now();
    await db.createIndex({ index: { fields: ['barcodes.0'], ddoc: 'bench-barcode', name: 'bench-barcode' } });
    await db.find({ selector: { 'barcodes.0': codes[0] }, use_index: 'bench-barcode', limit: 1 }); // builds the index
    progress(`pouchdb-find index built in ${((performance.now() - i0) / 1000).toFixed(1)} s`);
    const findMs: number[] = [];
    for (const code of codes) {
      const a = performance.now();
      const res = await db.find({ selector: { 'barcodes.0': code }, use_index: 'bench-barcode', limit: 1 });
      findMs.push(performance.now() - a);
      if (res.docs.length !== 1) throw new Error(`pouchdb-find did not find ${code}`);
    }
    progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    if (process.env.CAJA_BENCH_DEBUG) progress(`slowest commits: ${commitMs.map((ms, i) => [i, Number(ms.toFixed(1))]).sort((x, y) => (y[1] as number) - (x[1] as number)).slice(0, 12).map(([i, ms]) => `#${i} ${ms}`).join(', ')}`);
    const line = (metric: string, list: number[], base: number[], p: number, target: string): BenchLine => ({
      metric, value: round(percentile(list, p)), unit: 'ms', baseline: round(percentile(base, p)), target,
    });
    emit(line('checkout_commit_p50_ms', commitMs, putMs, 50, '<= 10'));
    emit(line('checkout_commit_p99_ms', commitMs, putMs, 99, '<= 10'));
    emit(line('barcode_lookup_p50_ms', lookupMs, findMs, 50, '<= 1'));
    emit(line('barcode_lookup_p99_ms', lookupMs, findMs, 99, '<= 1'));
  } finally {
    index?.close();
    await db.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The suite as `caja bench checkout [--quick]` runs it. */
export const checkoutSuite: Suite = (emit, opts) => runCheckoutBench(emit, opts.quick ? QUICK : FULL);
