// Bundles the shell for Electron: the main process to dist-electron/main.mjs (ES module; Electron 28+ loads it)
// and the preload to dist-electron/preload.cjs (a sandboxed preload must be one CommonJS file that requires only
// 'electron'). Native and optional packages stay external: `usb` ships its binding per platform and
// `node-escpos-win` exists only where it built (Windows). Run: `npx tsx desktop/main/build.ts [outDir]`, then
// `npx electron-builder --config desktop/electron-builder.yml`.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Packages the main bundle loads at run time instead of bundling them. */
export const MAIN_EXTERNALS = ['electron', 'usb', 'node-escpos-win'] as const;

/** Builds main.mjs and preload.cjs into `outDir` (default dist-electron/ at the repository root). */
export async function buildDesktop(outDir = path.join(root, 'dist-electron')): Promise<{ main: string; preload: string }> {
  const main = path.join(outDir, 'main.mjs');
  const preload = path.join(outDir, 'preload.cjs');
  await build({
    entryPoints: [path.join(root, 'desktop/main/electron-main.ts')],
    outfile: main,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22', // Electron 45's Node
    external: [...MAIN_EXTERNALS],
    // Bundled CommonJS dependencies call require(); an ES module has none unless it is made.
    banner: { js: "import { createRequire as __cajaRequire } from 'node:module'; const require = __cajaRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [path.join(root, 'desktop/preload/preload.ts')],
    outfile: preload,
    bundle: true,
    // 'browser': a Node built-in pulled in by mistake fails the build instead of failing in the sandbox.
    platform: 'browser',
    format: 'cjs',
    target: 'chrome140',
    external: ['electron'],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return { main, preload };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = await buildDesktop(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`built ${path.relative(root, out.main)} and ${path.relative(root, out.preload)}`);
}
