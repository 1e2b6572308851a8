// `caja bench <suite> [--json]`: each suite prints one JSON object per metric line
// {"metric","value","unit","baseline","target","met"} (design "Performance targets"); `met` says whether the
// value is within its target, and the run exits 1 when any is not, so a script or CI can act on it.
import { parseArgs } from 'node:util';

export interface BenchLine {
  metric: string;
  value: number;
  unit: string;
  baseline: number | null;
  target: string;
}

/** A line as printed: with whether its value meets its target. */
export type PrintedLine = BenchLine & { met: boolean };

/**
 * Whether `value` meets `target` ("<= 30", "< 5", ">= 1", or a bare number meaning "at most", so "0" lost
 * sales means none). A target that cannot be read, or a value that is not a number, is not met.
 */
export function meetsTarget(value: number, target: string): boolean {
  const m = /^\s*(<=|<|>=|>|=)?\s*(-?\d+(?:\.\d+)?)\s*$/.exec(target);
  if (!m || !Number.isFinite(value)) return false;
  const bound = Number(m[2]);
  switch (m[1] ?? '<=') {
    case '<':
      return value < bound;
    case '>=':
      return value >= bound;
    case '>':
      return value > bound;
    case '=':
      return value === bound;
    default: // '<=' or a bare number
      return value <= bound;
  }
}

/** A metric's name for the size it measured: `catalog_100k_to_terminal_s` at 100,000 products, `catalog_2k_…` at 2,000. */
export function sizedMetric(template: string, count: number): string {
  const size = count >= 1000 && count % 1000 === 0 ? `${count / 1000}k` : String(count);
  return template.replace('{size}', size);
}

/**
 * `products`: `--products N`, a catalog size for a quicker (or larger) run; `days`: `--days N`, days of history
 * loaded (`hq`, `reports`); `stores`: `--stores N`, stores of the chain (`reports`); `oneProcess`:
 * `--one-process`, every server in the bench's own process (`sync`); for the suites that take them.
 */
export type Suite = (emit: (line: BenchLine) => void, opts: { quick: boolean; products?: number; days?: number; stores?: number; oneProcess?: boolean }) => Promise<void>;

const SUITES: Record<string, () => Promise<Suite>> = {};

/** Nearest-rank percentile (`p` in 0..100) of unsorted samples; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Registers a suite loader (suites load lazily so `caja bench sync` does not load checkout code). */
export function registerSuite(name: string, load: () => Promise<Suite>): void {
  SUITES[name] = load;
}

/** Runs the named suite and prints its metrics; returns the process exit code. */
export async function runBench(args: string[]): Promise<number> {
  await import('./suites'); // registers the suites (a static import would be circular: suites.ts imports registerSuite)
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, 'one-process': { type: 'boolean' }, products: { type: 'string' }, days: { type: 'string' }, stores: { type: 'string' } } });
  const name = positionals[0];
  const whole = (flag: string, v: string | undefined): number | undefined | null => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (Number.isSafeInteger(n) && n > 0) return n;
    console.error(`caja bench: --${flag} takes a positive whole number`);
    return null;
  };
  const products = whole('products', values.products);
  const days = whole('days', values.days);
  const stores = whole('stores', values.stores);
  if (products === null || days === null || stores === null) return 2;
  const load = name ? SUITES[name] : undefined;
  if (!load) {
    console.error(`caja bench: choose a suite: ${Object.keys(SUITES).join(', ') || '(none yet)'}`);
    return 2;
  }
  const suite = await load();
  const missed: string[] = [];
  await suite(
    (line) => {
      const printed: PrintedLine = { ...line, met: meetsTarget(line.value, line.target) };
      if (!printed.met) missed.push(line.metric);
      if (values.json) console.log(JSON.stringify(printed));
      else console.log(`${line.metric.padEnd(32)} ${String(line.value).padStart(10)} ${line.unit.padEnd(6)} baseline ${line.baseline ?? '-'}  target ${line.target}  ${printed.met ? 'met' : 'MISSED'}`);
    },
    { quick: Boolean(values.quick), oneProcess: Boolean(values['one-process']), ...(products !== undefined ? { products } : {}), ...(days !== undefined ? { days } : {}), ...(stores !== undefined ? { stores } : {}) },
  );
  if (missed.length) console.error(`caja bench ${name}: ${missed.length} target(s) missed: ${missed.join(', ')}`);
  return missed.length ? 1 : 0;
}

/**
 * Runs `fn`; when CAJA_BENCH_PROFILE names this phase (a comma-separated list, or `all`), under the V8 CPU
 * profiler of this process, written to `<CAJA_BENCH_PROFILE_DIR or the temp folder>/<phase>.cpuprofile` (open
 * it in Chrome DevTools). Every server of a one-process bench is in the profile.
 */
export async function profiled<T>(phase: string, fn: () => Promise<T>): Promise<T> {
  const wanted = (process.env.CAJA_BENCH_PROFILE ?? '').split(',').map((s) => s.trim());
  if (!wanted.includes(phase) && !wanted.includes('all')) return fn();
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const file = path.join(process.env.CAJA_BENCH_PROFILE_DIR ?? os.tmpdir(), `${phase}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
    process.stderr.write(`profile of ${phase}: ${file}\n`);
  }
}
