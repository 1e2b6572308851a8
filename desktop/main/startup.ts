// What the shell opens and under which policy, decided from the config file and the command line before any
// window exists. Pure, so "which URL, which origin, which CSP" is tested without Electron.
import type { DesktopConfig, WindowMode } from './config';
import { parseRelayUrl } from './config';
import { APP_ORIGIN, buildCsp, originOf } from './security';

export interface StartupPlan {
  source: 'relay' | 'packaged';
  /** The first URL the window loads. */
  appUrl: string;
  /** The only origin the window may show, send IPC from, or be granted permissions. */
  appOrigin: string;
  relayOrigin: string | null;
  windowMode: WindowMode;
  csp: string;
  /**
   * A relay on plain http in the store LAN is not a secure context to Chromium, which then withholds APIs the
   * renderer needs (crypto.subtle for PIN hashes, navigator.storage.persist); this origin is marked secure.
   */
  insecureOriginToTrust: string | null;
  devTools: boolean;
  problems: string[];
}

function flag(argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

function option(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Command line over config: `--relay-url=URL`, `--load-from-relay` / `--packaged`, `--kiosk` / `--fullscreen` /
 * `--windowed`, `--devtools`. Packaged mode loads app://caja/index.html.
 */
export function planStartup(config: DesktopConfig, argv: readonly string[], opts: { isPackaged: boolean }): StartupPlan {
  const problems: string[] = [];
  const cliRelay = option(argv, 'relay-url');
  let relayUrl = config.relayUrl;
  if (cliRelay !== undefined) {
    const parsed = parseRelayUrl(cliRelay);
    if (parsed) relayUrl = parsed;
    else problems.push(`--relay-url: not an http or https URL: ${cliRelay}`);
  }
  let loadFromRelay = flag(argv, 'load-from-relay') ? true : flag(argv, 'packaged') ? false : config.loadFromRelay;
  if (loadFromRelay && !relayUrl) {
    problems.push('loading from the relay was asked for but no relay URL is configured: using the packaged app');
    loadFromRelay = false;
  }
  const windowMode: WindowMode = flag(argv, 'kiosk') ? 'kiosk' : flag(argv, 'fullscreen') ? 'fullscreen' : flag(argv, 'windowed') ? 'windowed' : config.windowMode;
  const relayOrigin = originOf(relayUrl);
  const devTools = !opts.isPackaged || flag(argv, 'devtools');

  if (loadFromRelay && relayUrl && relayOrigin) {
    const u = new URL(relayUrl);
    return {
      source: 'relay',
      appUrl: relayUrl,
      appOrigin: relayOrigin,
      relayOrigin,
      windowMode,
      csp: buildCsp({ relayOrigin: null }), // the relay is 'self'
      insecureOriginToTrust: u.protocol === 'http:' && !LOOPBACK.has(u.hostname) ? relayOrigin : null,
      devTools,
      problems,
    };
  }
  return {
    source: 'packaged',
    appUrl: `${APP_ORIGIN}/index.html`,
    appOrigin: APP_ORIGIN,
    relayOrigin,
    windowMode,
    csp: buildCsp({ relayOrigin, connectAnyRelay: relayOrigin === null }),
    insecureOriginToTrust: null,
    devTools,
    problems,
  };
}
