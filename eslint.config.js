// One flat config for the whole repo, zero warnings allowed (npm run lint): TypeScript rules with type
// information (projectService reads tsconfig.json), and the import rules of ARCHITECTURE.md (`caja/imports`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { plugin as architecture } from './tests/architecture/boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/**', '.scratch-sync/**', '.scratch/**', 'dist/**', '**/dist/**', 'data/**', '.data/**', 'design-docs/**/*.js', 'dist-electron/**', 'release/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...globals.mocha } },
    plugins: { caja: architecture },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Which part may import which (ARCHITECTURE.md, table in tests/architecture/boundaries.js).
      'caja/imports': 'error',
    },
  },
  {
    // Rules that need types. shared/platform.d.ts belongs to tsconfig.pure.json only (it re-declares Web APIs
    // that lib.dom declares), so the editor project does not hold it.
    files: ['**/*.{ts,tsx,mts}'],
    ignores: ['shared/platform.d.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // PouchDB's changes feeds and replications are event emitters that are also promises, with PouchDB's
      // own catch attached (an 'error' listener handles failures): subscribing with on/once is not a floating promise.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: ['pouchdb-core', 'pouchdb-replication', 'events'].map((pkg) => ({ from: 'package', package: pkg, name: ['on', 'once', 'removeListener'] })) }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
);
