// Builds the HQ console (React) into hq/console/dist, which HQ serves at `/` (hq/routes/console.ts).
// Build: `npx vite build --config hq/console/vite.config.ts`; develop: `npx vite --config hq/console/vite.config.ts`
// with HQ running (API calls are proxied to HQ_URL, default http://127.0.0.1:5800).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(root, '../..');
const allowed = [path.join(root, 'src') + path.sep, path.join(repo, 'shared') + path.sep, path.join(repo, 'node_modules') + path.sep];
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * The console runs in a browser and never ships the till's code or server code: a value import of
 * anything outside its own sources, `shared/` (pure by contract) and packages fails the build, as does a
 * Node built-in. Type-only imports of server answer types are erased before this check sees them.
 */
function browserOnly(): Plugin {
  return {
    name: 'caja-console-browser-only',
    enforce: 'pre',
    resolveId(source, importer) {
      if (builtins.has(source)) this.error(`the console imports the Node built-in "${source}" (from ${importer ?? '?'})`);
      return null;
    },
    load(id) {
      const file = id.split('?')[0] ?? id;
      if (path.isAbsolute(file) && file.startsWith(repo + path.sep) && !allowed.some((dir) => file.startsWith(dir)) && file !== path.join(root, 'index.html')) {
        this.error(`the console may import only hq/console/src, shared/ and packages, not ${path.relative(repo, file)}`);
      }
      return null;
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [browserOnly(), react()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    // Mantine and React are one vendor chunk of ~500 kB before gzip; that is expected, not a warning.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': process.env.HQ_URL ?? 'http://127.0.0.1:5800' },
  },
});
