// Issue #11: the renderer imports no Node or Electron API. It runs sandboxed in Electron and as a plain web page,
// so everything reachable from its entry (its own files and the shared/ code they pull in) may import only
// browser-safe packages. Walks the import graph from main.tsx; the vite build enforces the same at bundle time
// (vite.config.ts browserOnly()).
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const FORBIDDEN = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'electron']);
// Packages the renderer may not use even though they exist in node_modules: Node-only PouchDB builds and servers.
const NODE_ONLY_PACKAGES = ['pouchdb', 'pouchdb-adapter-leveldb', 'pouchdb-adapter-memory', 'express', 'express-pouchdb', 'nano', 'jsonwebtoken', 'usb', 'node-escpos-win', 'dotenv'];

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveLocal(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && !candidate.endsWith('/') && /\.(ts|tsx|css|svg)$/.test(candidate)) return candidate;
  }
  return null;
}

/** Every file reachable from `entry` and every bare module specifier they import (type-only imports included). */
function importGraph(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>(); // specifier -> first importer
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    if (!/\.(ts|tsx)$/.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      if (!spec) continue;
      if (spec.startsWith('.')) {
        const target = resolveLocal(file, spec);
        if (!target) throw new Error(`${relative(ROOT, file)} imports ${spec}, which does not resolve`);
        queue.push(target);
      } else if (!packages.has(spec)) packages.set(spec, relative(ROOT, file));
    }
  }
  return { files, packages };
}

describe('terminal renderer imports (issue #11)', () => {
  it('reaches no Node built-in, Electron or Node-only package from its entry', () => {
    const { files, packages } = importGraph(join(HERE, 'main.tsx'));
    expect(files.size).to.be.greaterThan(40);
    const offending = [...packages].filter(([spec]) => FORBIDDEN.has(spec) || NODE_ONLY_PACKAGES.includes(spec) || spec.startsWith('electron/'));
    expect(offending.map(([spec, from]) => `${spec} (from ${from})`)).to.deep.equal([]);
    // Test files and the build config are not part of the app.
    expect([...files].filter((f) => /\.test\.tsx?$|vite\.config\.ts$/.test(f))).to.deep.equal([]);
  });
});
