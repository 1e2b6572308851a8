// `caja bench <suite> [--json]`: each suite prints one JSON object per metric line
// {"metric","value","unit","baseline","target"} (design "Performance targets").
import { parseArgs } from 'node:util';

export interface BenchLine {
  metric: string;
  value: number;
  unit: string;
  baseline: number | null;
  target: string;
}

export type Suite = (emit: (line: BenchLine) => void, opts: { quick: boolean }) => Promise<void>;

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
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, quick: { type: 'boolean' } } });
  const name = positionals[0];
  const load = name ? SUITES[name] : undefined;
  if (!load) {
    console.error(`caja bench: choose a suite: ${Object.keys(SUITES).join(', ') || '(none yet)'}`);
    return 2;
  }
  const suite = await load();
  await suite(
    (line) => {
      if (values.json) console.log(JSON.stringify(line));
      else console.log(`${line.metric.padEnd(32)} ${String(line.value).padStart(10)} ${line.unit.padEnd(6)} baseline ${line.baseline ?? '-'}  target ${line.target}`);
    },
    { quick: Boolean(values.quick) },
  );
  return 0;
}
