// Serves the packaged renderer (vite's dist folder) on app://caja/. A custom standard scheme instead of file://
// gives the renderer a real origin: IndexedDB and the CSP's 'self' work, and a page cannot read other files on
// disk through relative URLs. Paths are resolved inside the dist folder only. Plain Node (fs + Response), so it is
// tested without Electron; electron-main.ts passes it to `protocol.handle`.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME, withCsp } from './security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a request maps to inside `distDir`, or null when it would leave it (or is not for app://caja). */
export function resolveAppFile(distDir: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null; // malformed escape
  }
  if (rel.includes('\0')) return null;
  const root = path.resolve(distDir);
  const file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
  const inside = path.relative(root, file);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return inside === '' ? path.join(root, 'index.html') : file;
}

function headers(type: string, csp: string): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(withCsp({ 'Content-Type': [type] }, csp))) h.set(k, v.join(', '));
  return h;
}

/**
 * The response for an app:// request. A path without a file extension that matches no file is a client-side
 * route and gets index.html (as a web server would for the single-page app); other misses are 404.
 */
export async function serveAppFile(distDir: string, requestUrl: string, csp: string): Promise<Response> {
  const file = resolveAppFile(distDir, requestUrl);
  if (!file) return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8', csp) });
  const candidates = path.extname(file) === '' ? [file, path.join(path.resolve(distDir), 'index.html')] : [file];
  for (const f of candidates) {
    const s = await stat(f).catch(() => null);
    if (!s?.isFile()) continue;
    const body = new Uint8Array(await readFile(f)); // Response takes only ArrayBuffer-backed views
    return new Response(body, { status: 200, headers: headers(TYPES[path.extname(f).toLowerCase()] ?? 'application/octet-stream', csp) });
  }
  return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8', csp) });
}
