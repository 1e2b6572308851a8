// The shell's security policy as plain functions: window options, Content-Security-Policy, which navigations,
// IPC senders and permissions are allowed. electron-main.ts only wires these to Electron's events, so each rule
// is tested in Node. (Type-only imports from 'electron' are erased; nothing here loads Electron.)
import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowMode } from './config';

/** The scheme the packaged renderer is served on: a real origin (IndexedDB, CSP 'self') instead of file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'caja';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The renderer's session: persistent, so its IndexedDB lives under userData/Partitions/caja/. */
export const PARTITION = 'persist:caja';

// standard + secure: relative URLs resolve, storage APIs (IndexedDB) are enabled and the origin counts as a secure
// context. No bypassCSP: the app's own pages obey the same policy as any other.
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } as const;

export interface WindowOptionsInput {
  preloadPath: string;
  mode: WindowMode;
  devTools: boolean;
}

/** BrowserWindow options: an isolated, sandboxed renderer with no Node, no webviews, nothing insecure. */
export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024, // the smallest screen the till supports (1024x768)
    minHeight: 700,
    show: false, // shown on ready-to-show: no white flash on a till that starts with the shop
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    kiosk: input.mode === 'kiosk',
    fullscreen: input.mode === 'fullscreen' || input.mode === 'kiosk',
    title: 'Caja',
    webPreferences: {
      preload: input.preloadPath,
      partition: PARTITION,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
      spellcheck: false,
      devTools: input.devTools,
    },
  };
}

/**
 * The origin of a URL as Chromium sees it, for the schemes the app uses. Node's URL gives 'null' for schemes it
 * does not know (app:), so it is built from protocol and host; file:, data:, about: and the rest give null and
 * are never the app.
 */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== `${APP_SCHEME}:`) return null;
  if (u.host === '') return null;
  return `${u.protocol}//${u.host}`;
}

/** Whether the window may navigate to `url`: only within the app's own origin; everything else is refused. */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  const o = originOf(url);
  return o !== null && o === appOrigin;
}

/** Whether an IPC message comes from the app's own page (not an iframe or a page navigated elsewhere). */
export function isTrustedSender(frameUrl: string | null | undefined, appOrigin: string): boolean {
  return isAllowedNavigation(frameUrl ?? '', appOrigin);
}

// Permissions the till uses: full screen, writing to the clipboard, and persistent storage for its database.
// Camera, microphone, geolocation, notifications, USB/HID/serial from the page and the rest are refused.
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write', 'persistent-storage']);

/** Whether a permission asked by a page is granted: only the ones above, only to the app's origin. */
export function isPermissionAllowed(permission: string, requestingUrl: string | null | undefined, appOrigin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && originOf(requestingUrl) === appOrigin;
}

/**
 * The Content-Security-Policy of the renderer. Scripts only from the app's origin: no inline script, no eval, no
 * remote script. `connect-src` adds the relay (PouchDB replication and the relay API) when the renderer is the
 * packaged copy; when the relay serves the renderer, the relay is 'self'. Styles allow 'unsafe-inline' because
 * Mantine writes its CSS variables in a <style> element at run time; a style cannot run code.
 */
export function buildCsp(opts: { relayOrigin: string | null; connectAnyRelay?: boolean }): string {
  const connect = ["'self'"];
  if (opts.relayOrigin) connect.push(opts.relayOrigin);
  // First run of a packaged app, no relay known yet: the setup screen must reach whatever address the manager
  // types. Scripts stay locked to 'self'; only where data may be sent widens, until the relay is configured.
  else if (opts.connectAnyRelay) connect.push('http:', 'https:');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Response headers with our CSP in place of any the server sent (header names are case-insensitive). */
export function withCsp(headers: Record<string, string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const lower = k.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue;
    out[k] = v;
  }
  out['Content-Security-Policy'] = [csp];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}
