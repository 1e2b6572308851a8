// `npm test`: the static checks, then every mocha test file. Two phases, each using both cores:
//   1. at once: the typecheck (4 programs), the type-aware lint, knip, and the build of the two web apps (the
//      browser tests serve them); each one's output is printed whole when it ends, so they do not interleave;
//   2. mocha over every test file in 2 worker processes (`--parallel`; a file runs whole in one worker, its
//      output is printed when it ends): about 13 minutes here, against 24 in one process. CAJA_TEST_JOBS=1
//      runs them in this one process (fewer cores, or a clearer picture of one failure). CAJA_TEST_APPS_BUILT
//      tells the browser tests the apps are built (workers must not build into one dist folder at once). The
//      longest files (one to four minutes each, measured in one process) go first, so a run does not end on
//      one of them with the other worker idle. A test must not assume it runs soon after its file is loaded
//      (in one process a file waits for all the files before it: a token signed at load time has expired).
// A failed check stops the run before the tests. Extra arguments go to mocha (`npm test -- --jobs 1`).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TEST_ROOTS = ['shared', 'server-kit', 'couchdb', 'design-docs', 'hq', 'store-relay', 'desktop', 'scripts', 'tests'];
const LONGEST_FIRST = [
  'tests/integration/faults.test.ts',
  'hq/inputs.test.ts',
  'tests/integration/reports.test.ts',
  'tests/integration/provisioning.test.ts',
  'desktop/renderer/e2e/till.test.ts',
  'tests/integration/bootstrap.test.ts',
];

/** Every `*.test.ts` under the test roots (no dependency folders), the longest first, then by path. */
function testFiles() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const p = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.test.ts')) found.push(p);
    }
  };
  for (const root of TEST_ROOTS) walk(root);
  const rank = (f) => (LONGEST_FIRST.includes(f) ? LONGEST_FIRST.indexOf(f) : LONGEST_FIRST.length);
  return found.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
const CHECKS = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['knip', 'npm', ['run', '--silent', 'knip']],
  ['build', 'npm', ['run', '--silent', 'build']],
];

/** Runs a command with its output kept; resolves with its exit code and output. */
function captured(cmd, args) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => out.push(b));
    child.on('error', (err) => resolve({ code: 1, output: String(err), seconds: 0 }));
    child.on('close', (code) => resolve({ code: code ?? 1, output: Buffer.concat(out).toString(), seconds: (Date.now() - started) / 1000 }));
  });
}

const results = await Promise.all(
  CHECKS.map(async ([name, cmd, args]) => {
    const r = await captured(cmd, args);
    process.stdout.write(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${name} (${r.seconds.toFixed(0)} s)\n${r.output.trim() ? r.output.trimEnd() + '\n' : ''}`);
    return r.code;
  }),
);
if (results.some((code) => code !== 0)) {
  process.stdout.write('A check failed: the tests were not run.\n');
  process.exit(1);
}

const jobs = Number(process.env.CAJA_TEST_JOBS ?? Math.min(2, os.availableParallelism()));
const parallel = Number.isInteger(jobs) && jobs > 1 ? ['--parallel', '--jobs', String(jobs)] : [];
const mocha = spawn('npx', ['mocha', ...parallel, ...process.argv.slice(2), ...testFiles()], {
  stdio: 'inherit',
  env: { ...process.env, CAJA_TEST_APPS_BUILT: '1' },
});
mocha.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
