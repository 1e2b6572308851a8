// The terminal app served by the relay at `/` (design: the browser build of the till comes from the store's own
// relay, so it talks to the relay's API and /couch gateway on the same origin, without CORS). Static files from
// the vite build with a single-page fallback; the API and the gateway keep their own routes and 404s.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Express } from 'express';

/** Where `npx vite build --config desktop/renderer/vite.config.ts` writes the app. */
export const TERMINAL_APP_DIR = fileURLToPath(new URL('../desktop/renderer/dist/', import.meta.url));

const BUILD_HINT = 'npx vite build --config desktop/renderer/vite.config.ts';

// Files that must be revalidated on every load: the page, the service worker and the manifest name the hashed
// assets of the current build, so a cached copy would pin a till to an old build.
const ALWAYS_FRESH = new Set(['index.html', 'sw.js', 'manifest.webmanifest']);

/** Serves the built terminal app (or says how to build it) for every GET outside /api and /couch. */
export function mountTerminalApp(app: Express, dir = TERMINAL_APP_DIR): void {
  const index = join(dir, 'index.html');
  const files = express.static(dir, {
    index: false,
    setHeaders(res, path) {
      const name = path.slice(dir.length).replace(/\\/g, '/').replace(/^\/+/, '');
      if (ALWAYS_FRESH.has(name)) res.setHeader('Cache-Control', 'no-cache');
      else if (name.startsWith('assets/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || /^\/(api|couch)(\/|$)/.test(req.path)) return next();
    files(req, res, () => {
      // A missing asset is a 404, not the page: only paths without a file extension are app routes.
      if (/\.[a-z0-9]+$/i.test(req.path)) return next();
      if (req.accepts(['html', 'json']) === 'json') {
        res.json({ component: 'relay', api: '/api/v1', health: '/api/v1/health', status: '/api/v1/sync/status', app: existsSync(index) ? '/' : `not built: ${BUILD_HINT}` });
        return;
      }
      if (!existsSync(index)) {
        res.status(503).type('text/plain').send(`The terminal app is not built yet. Build it with:\n\n  ${BUILD_HINT}\n\nthen reload this page. The relay API answers at /api/v1.\n`);
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  });
}
