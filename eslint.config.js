// One flat config for the whole repo: typed TypeScript rules, zero warnings allowed (npm run lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

export default tseslint.config(
  { ignores: ['node_modules/**', '.scratch-sync/**', '.scratch/**', 'dist/**', '**/dist/**', 'data/**', '.data/**', 'design-docs/**/*.js', 'dist-electron/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...globals.mocha } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The terminal renderer runs sandboxed in Electron and as a plain web page: no Node or Electron imports; hardware
    // goes through the preload API. desktop/main/rendererBoundary.test.ts also follows imports into shared modules.
    files: ['desktop/renderer/**/*.{ts,tsx}'],
    ignores: ['desktop/renderer/**/*.test.{ts,tsx}', 'desktop/renderer/e2e/**', 'desktop/renderer/**/*.config.{ts,mts,js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({ name, message: 'The renderer cannot use Node: use a browser API or the preload API.' })),
          patterns: [
            { group: ['node:*'], message: 'The renderer cannot use Node: use a browser API or the preload API.' },
            { group: ['electron', 'electron/*'], message: 'The renderer cannot use Electron: use the preload API (window.caja, desktop/shared/ipc.ts).' },
          ],
        },
      ],
    },
  },
);
