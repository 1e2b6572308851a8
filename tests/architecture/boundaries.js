// The import rules of ARCHITECTURE.md as data, and the one checker both the build and the tests use:
// eslint.config.js runs it on every file as the rule `caja/imports` (so a wrong import fails `npm run lint`),
// and tests/architecture/imports.test.ts checks this table against ARCHITECTURE.md and shows it catching a
// wrong import. Plain JavaScript because eslint.config.js loads it without a TypeScript loader; its types are
// in boundaries.d.ts.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is tests/architecture/boundaries.js). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Parts, most specific first: a file belongs to the first part whose folder contains it. `mayImport` lists
 * the other parts it may import (its own part is always allowed); `node`, `electron` and `npm` stand for
 * Node's built-in modules, Electron and any other npm package. Test files (*.test.ts) are not in this table:
 * they may import anything (see `isTestFile`).
 */
export const PARTS = [
  { name: 'shared', folder: 'shared', runtime: 'pure', mayImport: ['npm'], what: 'Pure TypeScript used everywhere: model and validators, POS rules, money, API contracts, auth rules, sync helpers.' },
  { name: 'desktop/shared', folder: 'desktop/shared', runtime: 'pure', mayImport: ['shared', 'npm'], what: 'Pure types and helpers shared by the terminal shell and its renderer (the IPC contract, hardware errors).' },
  { name: 'desktop/main', folder: 'desktop/main', runtime: 'node', mayImport: ['shared', 'desktop/shared', 'node', 'electron', 'npm'], what: "Electron's main process: window, app protocol, configuration, printers and other hardware." },
  { name: 'desktop/preload', folder: 'desktop/preload', runtime: 'electron sandbox', mayImport: ['shared', 'desktop/shared', 'electron'], what: 'The preload script exposing the hardware API to the renderer.' },
  { name: 'desktop/renderer', folder: 'desktop/renderer', runtime: 'browser', mayImport: ['shared', 'desktop/shared', 'npm'], what: 'The terminal (till) React app, run in Electron and as a PWA served by the relay.' },
  { name: 'hq/console', folder: 'hq/console', runtime: 'browser', mayImport: ['shared', 'npm'], what: 'The HQ console React app, served by HQ.' },
  { name: 'hq', folder: 'hq', runtime: 'node', mayImport: ['shared', 'server-kit', 'couchdb', 'design-docs', 'node', 'npm'], what: 'The HQ server: Express API, auth, provisioning, catalog, reports, sync monitoring.' },
  { name: 'store-relay', folder: 'store-relay', runtime: 'node', mayImport: ['shared', 'server-kit', 'couchdb', 'design-docs', 'node', 'npm'], what: "One per store: provisioning, HQ <-> store replication, heartbeat, terminal pairing, the terminals' gateway." },
  { name: 'server-kit', folder: 'server-kit', runtime: 'node', mayImport: ['shared', 'couchdb', 'design-docs', 'node', 'npm'], what: 'The Node kit HQ and relays are built from: config, log, HTTP, CouchDB access, tokens, secrets, gateway, replication jobs.' },
  { name: 'couchdb', folder: 'couchdb', runtime: 'node', mayImport: ['shared', 'node', 'npm'], what: 'The embedded CouchDB-compatible server (PouchDB behind express-pouchdb) and local.ini files for a real CouchDB.' },
  { name: 'design-docs', folder: 'design-docs', runtime: 'node', mayImport: ['shared', 'node', 'npm'], what: 'CouchDB design documents (views, filters, validate_doc_update) as files, with their compiler and deploy.' },
  { name: 'scripts', folder: 'scripts', runtime: 'node', mayImport: ['shared', 'desktop/shared', 'desktop/renderer', 'hq', 'store-relay', 'server-kit', 'couchdb', 'design-docs', 'node', 'npm'], what: 'The `caja` CLI: demo, admin, seed and benches (which drive the terminal code too).' },
  { name: 'bin', folder: 'bin', runtime: 'node', mayImport: ['scripts', 'node', 'npm'], what: 'The `caja` executable: registers tsx and starts scripts/caja.ts.' },
  { name: 'tests', folder: 'tests', runtime: 'node', mayImport: ['*'], what: 'Cross-part integration and security tests, all test support and tools, and these architecture checks.' },
  { name: 'docs', folder: 'docs', runtime: 'none', mayImport: [], what: 'Longer notes: the HTTP API and testing.' },
  { name: 'patches', folder: 'patches', runtime: 'none', mayImport: [], what: 'Fixes to installed packages, applied by patch-package at `npm install`.' },
];

/** Build and lint configuration run by Node (vite and eslint configs): Node, npm packages and this checker. */
export const TOOLING = { name: 'tooling', mayImport: ['tests', 'node', 'npm'] };

/** Packages that only work in Node: importing one from pure or browser code is as wrong as `node:fs`. */
export const NODE_ONLY_PACKAGES = ['express', 'express-pouchdb', 'nano', 'jsonwebtoken', 'dotenv', 'pouchdb-adapter-leveldb', 'usb', 'node-escpos-win', 'tsx', 'esbuild', 'quickjs-emscripten'];

/**
 * Imports that break the table and are accepted for now, each with its reason and the change that removes it.
 * imports.test.ts fails when one is no longer needed, so the list only shrinks.
 */
/** @type {Array<{from: string, to: string, why: string}>} */
export const KNOWN_EXCEPTIONS = [];

const NODE_BUILTINS = new Set(builtinModules);

/** True for test files, which may import anything: they run in Node and drive several parts at once. */
export function isTestFile(rel) {
  return /\.test\.tsx?$/.test(rel);
}

function isTooling(rel) {
  return /(^|\/)vite\.config\.[cm]?[jt]s$/.test(rel) || /^[^/]+\.(js|mjs|cjs|ts)$/.test(rel);
}

/** The part a repository-relative path belongs to, or null outside every part (node_modules, root files). */
export function partOf(rel) {
  return PARTS.find((p) => rel === p.folder || rel.startsWith(p.folder + '/')) ?? null;
}

/** What an import names: a part (by name), or `node`, `electron`, `npm`, plus the resolved path when relative. */
export function classifyImport(fromRel, specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), specifier));
    if (target.startsWith('../')) return { kind: 'outside', target };
    if (isTestFile(target) || /\.test$/.test(target)) return { kind: 'test file', target };
    const part = partOf(target);
    return { kind: part ? part.name : 'root', target };
  }
  const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(pkg)) return { kind: 'node', target: specifier };
  if (pkg === 'electron') return { kind: 'electron', target: specifier };
  return { kind: 'npm', target: specifier, nodeOnly: NODE_ONLY_PACKAGES.includes(pkg) };
}

function exceptionFor(fromRel, target, typeOnly) {
  return KNOWN_EXCEPTIONS.find(
    (e) => e.from === fromRel && (target === e.to || target.startsWith(e.to + '/') || target + '.ts' === e.to) && (!e.typeOnly || typeOnly),
  );
}

/**
 * Checks one import of one file (paths relative to the repository root, `/`-separated). Returns null when
 * allowed, else the reason it is not. `exceptions: false` judges it by the table alone.
 */
export function checkImport(fromRel, specifier, { typeOnly = false, exceptions = true } = {}) {
  if (isTestFile(fromRel)) return null;
  const part = isTooling(fromRel) ? TOOLING : partOf(fromRel);
  if (!part) return null;
  const found = classifyImport(fromRel, specifier);
  if (found.kind === part.name || part.mayImport.includes('*')) return null;
  if (found.kind === 'test file') return `${part.name} must not import test code (${found.target}): no production file imports a *.test.ts.`;
  if (exceptions && exceptionFor(fromRel, found.target, typeOnly)) return null;
  const allowed = part.mayImport.includes(found.kind);
  if (allowed && found.kind === 'npm' && found.nodeOnly && ['pure', 'browser', 'electron sandbox'].includes(part.runtime)) {
    return `${part.name} runs in ${part.runtime === 'pure' ? 'Node and browsers' : 'a browser'}: ${specifier} is a Node-only package (ARCHITECTURE.md).`;
  }
  if (allowed) return null;
  return `${part.name} must not import ${found.kind === 'node' ? "Node's " + specifier : found.kind === 'npm' ? 'npm packages' : found.kind + ' (' + found.target + ')'}; it may import ${describe(part)} (ARCHITECTURE.md).`;
}

function describe(part) {
  return part.mayImport.length ? ['itself', ...part.mayImport].join(', ') : 'nothing';
}

/** The path of a linted file relative to the repository root, `/`-separated. */
function relativeToRoot(filename) {
  return path.relative(ROOT, filename).split(path.sep).join('/');
}

/** ESLint plugin: `caja/imports` reports every import, export-from, dynamic import and `import()` type that breaks the table. */
export const plugin = {
  meta: { name: 'caja-architecture' },
  rules: {
    imports: {
      meta: { type: 'problem', docs: { description: 'Imports follow the part rules of ARCHITECTURE.md' }, schema: [] },
      create(context) {
        const fromRel = relativeToRoot(context.filename);
        const check = (node, source, typeOnly) => {
          if (!source || typeof source.value !== 'string') return;
          const message = checkImport(fromRel, source.value, { typeOnly });
          if (message) context.report({ node, message });
        };
        return {
          ImportDeclaration: (node) => check(node, node.source, node.importKind === 'type'),
          ExportNamedDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
          ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
          ImportExpression: (node) => check(node, node.source, false),
          TSImportType: (node) => check(node, node.argument?.literal ?? node.argument, true),
        };
      },
    },
  },
};
