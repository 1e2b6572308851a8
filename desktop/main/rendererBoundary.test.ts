// The renderer runs sandboxed in Electron and as a plain web page: it may not import Node or Electron, directly or
// through the repository modules it imports (shared/, common/, design-docs/, desktop/shared/). Hardware goes
// through the preload API only. Tests, e2e tests and build configs (vite.config.ts runs in Node) are not renderer
// code. vite.config.ts also refuses such imports at bundle time, including from libraries; this test keeps the
// rule in `npm test`, where no bundle is built.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { tempDir } from '../../tests/support/testing';

const RENDERER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'renderer');

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
// Packages that exist only for Node or Electron's main process.
const NODE_ONLY_PACKAGES = new Set(['electron', 'usb', 'node-escpos-win', 'leveldown', 'pouchdb-adapter-leveldb', 'pouchdb-node', 'express', 'express-pouchdb', 'jsonwebtoken', 'dotenv', 'nano', 'esbuild', 'tsx']);

/** Why a module specifier is forbidden in the renderer, or null if it is fine. */
function forbiddenImport(spec: string): string | null {
  const bare = spec.split('?')[0] ?? spec; // vite suffixes: './x.svg?url'
  if (bare.startsWith('node:') || BUILTINS.has(bare) || BUILTINS.has(bare.split('/')[0] ?? '')) return 'a Node built-in';
  const pkg = bare.startsWith('@') ? bare.split('/').slice(0, 2).join('/') : (bare.split('/')[0] ?? bare);
  if (NODE_ONLY_PACKAGES.has(pkg)) return pkg === 'electron' ? 'Electron' : 'a Node-only package';
  return null;
}

function isRendererCode(rendererDir: string, file: string): boolean {
  const rel = path.relative(rendererDir, file).split(path.sep);
  const base = path.basename(file);
  if (rel[0] === 'e2e' || rel.includes('node_modules') || rel.includes('dist')) return false;
  if (/\.test\.tsx?$/.test(base) || /\.config\.[cm]?tsx?$/.test(base) || base.endsWith('.d.ts')) return false;
  return /\.tsx?$/.test(base);
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function resolveLocal(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec.split('?')[0] ?? spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null; // a non-TypeScript asset (css, svg, json): nothing to follow
}

/** Every forbidden import reachable from the renderer's own files, with the chain of files that leads to it. */
function findForbidden(rendererDir: string): { problems: string[]; scanned: number } {
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue: { file: string; via: string[] }[] = walk(rendererDir)
    .filter((f) => isRendererCode(rendererDir, f))
    .map((file) => ({ file, via: [] }));
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next || seen.has(next.file)) continue;
    seen.add(next.file);
    // preProcessFile sees static imports, re-exports, dynamic import() and require() alike.
    const { importedFiles } = ts.preProcessFile(readFileSync(next.file, 'utf8'), true, true);
    const chain = [...next.via, path.relative(path.dirname(rendererDir), next.file)];
    for (const { fileName: spec } of importedFiles) {
      if (spec.startsWith('.')) {
        const local = resolveLocal(next.file, spec);
        // Test support outside the renderer is allowed only to tests, which are not walked.
        if (local && !seen.has(local)) queue.push({ file: local, via: chain });
        continue;
      }
      const why = forbiddenImport(spec);
      if (why) problems.push(`${chain.join(' -> ')} imports "${spec}" (${why})`);
    }
  }
  return { problems, scanned: seen.size };
}

describe('desktop/renderer imports no Node or Electron API (issue 11)', () => {
  it('the rule recognises Node built-ins, Electron and Node-only packages', () => {
    for (const spec of ['fs', 'node:fs', 'fs/promises', 'path', 'child_process', 'net', 'os', 'crypto', 'electron', 'electron/renderer', 'usb', 'node-escpos-win']) {
      expect(forbiddenImport(spec), spec).not.to.equal(null);
    }
    for (const spec of ['react', 'pouchdb-browser', '@mantine/core', 'i18next', './x.svg?url', 'dayjs/plugin/utc']) {
      expect(forbiddenImport(spec), spec).to.equal(null);
    }
  });

  it('finds an import through a chain of local modules, and ignores tests, e2e and build configs', async () => {
    const { dir, cleanup } = await tempDir('caja-boundary-');
    try {
      const r = path.join(dir, 'renderer');
      await mkdir(path.join(r, 'features'), { recursive: true });
      await mkdir(path.join(r, 'e2e'), { recursive: true });
      await mkdir(path.join(dir, 'shared'), { recursive: true });
      await writeFile(path.join(r, 'features', 'View.tsx'), "import { x } from '../../shared/util';\nexport const v = x;\n");
      await writeFile(path.join(dir, 'shared', 'util.ts'), "export const x = await import('node:fs');\n");
      await writeFile(path.join(r, 'features', 'View.test.ts'), "import fs from 'node:fs';\n");
      await writeFile(path.join(r, 'e2e', 'flow.ts'), "import { chromium } from 'playwright-core';\nimport net from 'node:net';\n");
      await writeFile(path.join(r, 'vite.config.ts'), "import { builtinModules } from 'node:module';\n");
      await writeFile(path.join(r, 'platform.ts'), "import type { CajaApi } from '../shared/ipc';\nconst { ipcRenderer } = require('electron');\n");
      const found = findForbidden(r);
      expect([...found.problems].sort()).to.deep.equal([
        'renderer/features/View.tsx -> shared/util.ts imports "node:fs" (a Node built-in)',
        'renderer/platform.ts imports "electron" (Electron)',
      ]);
    } finally {
      await cleanup();
    }
  });

  it('no renderer file, nor any repository module it imports, imports one', () => {
    const found = findForbidden(RENDERER);
    expect(found.scanned, 'renderer files scanned').to.be.greaterThan(0);
    expect(found.problems).to.deep.equal([]);
  });
});
