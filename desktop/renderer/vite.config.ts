// The terminal renderer's build: one bundle for the browser (served by the store relay at `/`, installable as a
// PWA that starts with the relay unreachable) and for the Electron shell (loaded from disk, hence the relative
// `base`). Run with `npx vite build --config desktop/renderer/vite.config.ts` from the repository root.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const here = fileURLToPath(new URL('.', import.meta.url));
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
// Browser replacements for the few Node modules browser libraries still import (PouchDB: `events`).
const SHIMS: Record<string, string> = { events: `${here}app/events.ts` };

/**
 * Fails the build when renderer code (or a library it pulls in) imports a Node or Electron module: the renderer
 * runs sandboxed in Electron and as a plain web page, so such an import would only fail later, on a till.
 */
function browserOnly(): Plugin {
  return {
    name: 'caja-browser-only',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source in SHIMS) return null; // resolved by the alias below
      if (NODE_BUILTINS.has(source) || source === 'electron' || source.startsWith('electron/')) {
        throw new Error(`The terminal renderer must not import "${source}" (from ${importer ?? 'an entry'}): use browser APIs or the preload API (platform.ts).`);
      }
      return null;
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  // public/ holds only the icon the web manifest names by a fixed path; everything else is imported and hashed.
  publicDir: `${here}public`,
  resolve: { alias: SHIMS },
  plugins: [
    browserOnly(),
    react(),
    VitePWA({
      // Registered by main.tsx (never in Electron, where the files are already local).
      injectRegister: false,
      registerType: 'autoUpdate',
      strategies: 'generateSW',
      filename: 'sw.js',
      manifest: {
        name: 'Caja terminal',
        short_name: 'Caja',
        description: 'Caja point of sale',
        display: 'standalone',
        start_url: './',
        scope: './',
        background_color: '#ffffff',
        theme_color: '#1c7ed6',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      includeAssets: ['icon.svg'],
      workbox: {
        globDirectory: `${here}dist`,
        globPatterns: ['**/*.{js,css,html,svg,woff2,webmanifest}'],
        // The whole app is one bundle: above workbox's 2 MB default it would not be precached and a reload with
        // the relay unreachable would find nothing.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        // The relay's API and CouchDB gateway are live data, never answered from the cache.
        navigateFallbackDenylist: [/^\/api\//, /^\/couch\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: `${here}dist`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
  },
  server: { fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] } },
});
