// The two web apps built once per test process: every browser test of an app needs its dist folder (HQ serves
// hq/console/dist, the relay desktop/renderer/dist), and the sources do not change during a run, so the first
// test file to ask builds it and the others wait for that build. vite is loaded at run time: mocha loads test
// files through require, and vite's CommonJS entry cannot resolve its own `vite/modulepreload-polyfill`.
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const CONFIGS = { console: 'hq/console/vite.config.ts', till: 'desktop/renderer/vite.config.ts' } as const;
const builds = new Map<keyof typeof CONFIGS, Promise<void>>();

/**
 * Builds `app` once in this process (a failed build is tried again by the next caller). When the test runner
 * built both apps before starting its worker processes (scripts/test.mjs sets CAJA_TEST_APPS_BUILT), nothing is
 * built here: two workers building into one dist folder would empty it under each other's servers.
 */
export function buildApp(app: keyof typeof CONFIGS): Promise<void> {
  if (process.env.CAJA_TEST_APPS_BUILT === '1') return Promise.resolve();
  let p = builds.get(app);
  if (!p) {
    p = (async () => {
      const { build } = await import('vite');
      await build({ configFile: path.join(repo, CONFIGS[app]), logLevel: 'warn' });
    })();
    builds.set(app, p);
    p.catch(() => builds.delete(app));
  }
  return p;
}
