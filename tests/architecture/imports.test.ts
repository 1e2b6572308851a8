// The import rules of ARCHITECTURE.md, checked: the table in boundaries.js is the one ARCHITECTURE.md shows,
// every top-level folder is a part of it, every production file's imports follow it, and the checker (the
// same one `npm run lint` runs as `caja/imports`) catches a wrong import.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import ts from 'typescript';
import { KNOWN_EXCEPTIONS, PARTS, ROOT, checkImport, classifyImport, isTestFile, partOf, plugin, type Part } from './boundaries.js';

/** Top-level folders that hold no source of ours (ignored by git, or generated). */
const NOT_PARTS = new Set(['node_modules', 'test-artifacts', 'dist', 'dist-electron', 'release', 'data', 'coverage', 'tmp']);
/** Folders skipped at any depth: installed or built code. */
const NEVER_SOURCE = new Set(['node_modules', 'dist']);
const SOURCE = /\.(ts|tsx|js|mjs)$/;

interface FoundImport {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

function topLevelFolders(): string[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_PARTS.has(e.name))
    .map((e) => e.name)
    .sort();
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    const skipped = e.name.startsWith('.') || NEVER_SOURCE.has(e.name) || (dir === '' && NOT_PARTS.has(e.name));
    if (e.isDirectory() && !skipped) sourceFiles(rel, out);
    else if (e.isFile() && SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Every import, export-from, dynamic import and `import()` type of one file. */
function importsOf(file: string, text: string): FoundImport[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const found: FoundImport[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ file, specifier: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly ?? false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ file, specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push({ file, specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ file, specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The rule table as ARCHITECTURE.md shows it (generated from PARTS, so the two cannot drift apart). */
function ruleTable(parts: readonly Part[]): string {
  const rows = parts.map((p) => `| \`${p.folder}/\` | ${p.runtime} | ${p.mayImport.length ? p.mayImport.map((m) => (m === '*' ? 'anything' : `\`${m}\``)).join(', ') : '(no code)'} |`);
  return ['| Part | Runs in | May import (besides itself) |', '| --- | --- | --- |', ...rows].join('\n');
}

describe('architecture: the import rules of ARCHITECTURE.md', function () {
  this.timeout(60_000);
  const architecture = readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');
  const files = sourceFiles('');
  const imports = files.flatMap((f) => importsOf(f, readFileSync(path.join(ROOT, f), 'utf8')));

  it('every top-level folder is a part of the table, and ARCHITECTURE.md and README.md name each one', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const folder of topLevelFolders()) {
      const covered = PARTS.some((p) => p.folder === folder || p.folder.startsWith(folder + '/'));
      expect(covered, `${folder}/ is not in tests/architecture/boundaries.js PARTS`).to.equal(true);
      expect(architecture, `ARCHITECTURE.md does not name ${folder}/`).to.include('`' + folder + '/`');
      expect(readme, `README.md does not name ${folder}/`).to.include('`' + folder + '/`');
    }
  });

  it('ARCHITECTURE.md shows exactly the table the checker uses', () => {
    expect(architecture).to.include(ruleTable(PARTS));
    for (const e of KNOWN_EXCEPTIONS) expect(architecture, `ARCHITECTURE.md does not list the exception ${e.from}`).to.include('`' + e.from + '`');
  });

  it('every production file imports only what its part may import (tests may import anything)', () => {
    expect(files.length).to.be.greaterThan(200);
    const violations = imports.flatMap((i) => {
      const message = checkImport(i.file, i.specifier, { typeOnly: i.typeOnly });
      return message ? [`${i.file}: '${i.specifier}': ${message}`] : [];
    });
    expect(violations).to.deep.equal([]);
  });

  it('no production file imports test code (tests/ or a *.test.ts)', () => {
    const production = imports.filter((i) => !isTestFile(i.file) && partOf(i.file) !== null && partOf(i.file)?.name !== 'tests');
    const intoTests = production.filter((i) => ['tests', 'test file'].includes(classifyImport(i.file, i.specifier).kind));
    expect(intoTests).to.deep.equal([]);
  });

  it('every known exception is still needed (fix the import, then delete its entry)', () => {
    for (const e of KNOWN_EXCEPTIONS) {
      const used = imports.some((i) => i.file === e.from && checkImport(i.file, i.specifier, { typeOnly: i.typeOnly, exceptions: false }) !== null);
      expect(used, `${e.from} -> ${e.to} no longer breaks the rules: remove it from KNOWN_EXCEPTIONS and ARCHITECTURE.md`).to.equal(true);
    }
  });

  describe('a wrong import is caught', () => {
    const wrong: Array<[string, string]> = [
      ['shared/x.ts', 'node:fs'],
      ['shared/x.ts', 'fs'],
      ['shared/x.ts', '../hq/server'],
      ['shared/pos/x.ts', '../../server-kit/log'],
      ['desktop/shared/x.ts', 'electron'],
      ['desktop/renderer/features/x.ts', '../../../store-relay/server'],
      ['desktop/renderer/x.ts', 'node:path'],
      ['hq/console/src/x.ts', 'express'],
      ['hq/console/src/x.ts', '../../services/users'],
      ['hq/console/src/api/types.ts', '../../../services/auth'],
      ['hq/routes/x.ts', '../../store-relay/server'],
      ['hq/x.ts', '../desktop/main/config'],
      ['store-relay/services/x.ts', '../../hq/server'],
      ['couchdb/x.ts', '../server-kit/couch'],
      ['server-kit/x.ts', '../hq/server'],
      ['scripts/x.ts', '../tests/support/testing'],
      ['hq/x.ts', './auth.test'],
      ['desktop/preload/x.ts', 'node:fs'],
    ];
    for (const [file, specifier] of wrong) {
      it(`${file} importing '${specifier}'`, () => {
        expect(checkImport(file, specifier)).to.be.a('string');
      });
    }

    it('while the allowed ones pass', () => {
      const right: Array<[string, string]> = [
        ['shared/pos/x.ts', '../money'],
        ['shared/sync/x.ts', 'pouchdb-selector-core'],
        ['hq/routes/x.ts', '../../server-kit/http'],
        ['server-kit/x.ts', '../couchdb/index'],
        ['desktop/renderer/x.ts', '../shared/ipc'],
        ['scripts/x.ts', '../desktop/renderer/data/terminalSync'],
        ['hq/x.test.ts', '../tests/support/testing'],
        ['tests/integration/x.test.ts', '../../store-relay/server'],
      ];
      for (const [file, specifier] of right) expect(checkImport(file, specifier), `${file} -> ${specifier}`).to.equal(null);
    });

    it('by the lint rule too: `import "../hq/server"` in an in-memory shared/bad.ts is an error', () => {
      const linter = new Linter({ configType: 'flat' });
      const messages = linter.verify(
        "import { startHq } from '../hq/server';\nexport const x = startHq;\n",
        [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { caja: plugin }, rules: { 'caja/imports': 'error' } }],
        { filename: path.join(ROOT, 'shared/bad.ts') },
      );
      expect(messages.map((m) => m.ruleId)).to.deep.equal(['caja/imports']);
      expect(messages[0]?.message).to.match(/shared must not import hq/);
    });
  });
});
