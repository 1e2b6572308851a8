import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../../tests/support/testing';
import { serveAppFile, resolveAppFile } from './appProtocol';
import { DEFAULT_CONFIG } from './config';
import { APP_ORIGIN, buildCsp, isAllowedNavigation, isPermissionAllowed, isTrustedSender, mainWindowOptions, originOf, PARTITION, withCsp } from './security';
import { planStartup } from './startup';

/** The CSP as directive -> sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name ?? '', sources]),
  );
}

describe('desktop/main: window options and security policy (issue 11)', () => {
  it('the main window: context isolation on, Node integration off, sandboxed, no webviews, its own persistent partition', () => {
    const o = mainWindowOptions({ preloadPath: '/app/dist-electron/preload.cjs', mode: 'windowed', devTools: false });
    const w = o.webPreferences;
    expect(w?.contextIsolation).to.equal(true);
    expect(w?.nodeIntegration).to.equal(false);
    expect(w?.nodeIntegrationInWorker).to.equal(false);
    expect(w?.nodeIntegrationInSubFrames).to.equal(false);
    expect(w?.sandbox).to.equal(true);
    expect(w?.webSecurity).to.equal(true);
    expect(w?.allowRunningInsecureContent).to.equal(false);
    expect(w?.webviewTag).to.equal(false);
    expect(w?.devTools).to.equal(false);
    expect(w?.preload).to.equal('/app/dist-electron/preload.cjs');
    expect(w?.partition).to.equal(PARTITION).and.match(/^persist:/);
    expect([o.kiosk, o.fullscreen]).to.deep.equal([false, false]);
    const k = mainWindowOptions({ preloadPath: 'p', mode: 'kiosk', devTools: false });
    expect([k.kiosk, k.fullscreen, k.webPreferences?.sandbox]).to.deep.equal([true, true, true]);
    const f = mainWindowOptions({ preloadPath: 'p', mode: 'fullscreen', devTools: false });
    expect([f.kiosk, f.fullscreen]).to.deep.equal([false, true]);
  });

  it('the CSP allows scripts only from the app itself: no remote script, no inline script, no eval', () => {
    for (const csp of [buildCsp({ relayOrigin: 'http://192.168.1.10:5900' }), buildCsp({ relayOrigin: null }), buildCsp({ relayOrigin: null, connectAnyRelay: true })]) {
      const d = directives(csp);
      expect(d.get('script-src')).to.deep.equal(["'self'"]);
      expect(d.get('default-src')).to.deep.equal(["'self'"]);
      expect(d.get('object-src')).to.deep.equal(["'none'"]);
      expect(d.get('base-uri')).to.deep.equal(["'none'"]);
      expect(d.get('frame-ancestors')).to.deep.equal(["'none'"]);
      expect(csp).not.to.contain('unsafe-eval');
      expect(csp).not.to.contain('wasm-unsafe-eval');
      for (const [name, sources] of d) {
        if (name === 'connect-src') continue; // where data may go, not what may run
        expect(sources.filter((s) => /^(https?:|\*|ws)/.test(s)), `${name} allows a remote origin`).to.deep.equal([]);
      }
    }
    expect(directives(buildCsp({ relayOrigin: 'http://192.168.1.10:5900' })).get('connect-src')).to.deep.equal(["'self'", 'http://192.168.1.10:5900']);
  });

  it('the shell replaces any CSP the server sent, whatever its header case', () => {
    const h = withCsp({ 'content-security-policy': ["script-src *"], 'CONTENT-SECURITY-POLICY-REPORT-ONLY': ['x'], 'Content-Type': ['text/html'] }, "script-src 'self'");
    expect(h).to.deep.equal({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["script-src 'self'"], 'X-Content-Type-Options': ['nosniff'] });
  });

  it('navigation to another origin is refused; within the app it is allowed', () => {
    const relay = 'http://192.168.1.10:5900';
    expect(isAllowedNavigation('app://caja/index.html', APP_ORIGIN)).to.equal(true);
    expect(isAllowedNavigation('app://caja/checkout?x=1#y', APP_ORIGIN)).to.equal(true);
    expect(isAllowedNavigation(`${relay}/terminal/`, relay)).to.equal(true);
    for (const url of [
      'https://evil.example/',
      'http://192.168.1.10:5901/', // same host, other port: another origin
      'https://192.168.1.10:5900/', // other scheme
      'app://evil/index.html',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'not a url',
    ]) {
      expect(isAllowedNavigation(url, APP_ORIGIN), url).to.equal(false);
      expect(isAllowedNavigation(url, relay), url).to.equal(false);
    }
    expect(originOf('app://caja/x')).to.equal('app://caja');
  });

  it('IPC is answered only for frames of the app origin', () => {
    expect(isTrustedSender('app://caja/index.html', APP_ORIGIN)).to.equal(true);
    expect(isTrustedSender('https://evil.example/', APP_ORIGIN)).to.equal(false);
    expect(isTrustedSender(null, APP_ORIGIN)).to.equal(false);
    expect(isTrustedSender(undefined, APP_ORIGIN)).to.equal(false);
  });

  it('permissions: full screen, clipboard write and persistent storage for the app; nothing else, nothing for others', () => {
    expect(isPermissionAllowed('persistent-storage', 'app://caja/', APP_ORIGIN)).to.equal(true);
    expect(isPermissionAllowed('fullscreen', 'app://caja', APP_ORIGIN)).to.equal(true);
    for (const p of ['media', 'geolocation', 'notifications', 'usb', 'hid', 'serial', 'openExternal', 'clipboard-read']) {
      expect(isPermissionAllowed(p, 'app://caja/', APP_ORIGIN), p).to.equal(false);
    }
    expect(isPermissionAllowed('fullscreen', 'https://evil.example/', APP_ORIGIN)).to.equal(false);
  });
});

describe('desktop/main: start-up plan (issue 11)', () => {
  it('packaged by default: app://caja, CSP reaching the configured relay only', () => {
    const p = planStartup({ ...DEFAULT_CONFIG, relayUrl: 'http://192.168.1.10:5900/' }, [], { isPackaged: true });
    expect([p.source, p.appUrl, p.appOrigin, p.relayOrigin, p.windowMode, p.devTools, p.insecureOriginToTrust]).to.deep.equal([
      'packaged', 'app://caja/index.html', 'app://caja', 'http://192.168.1.10:5900', 'windowed', false, null,
    ]);
    expect(directives(p.csp).get('connect-src')).to.deep.equal(["'self'", 'http://192.168.1.10:5900']);
  });

  it('from the relay: the relay is the app origin, trusted as a secure context on plain http in the LAN', () => {
    const p = planStartup({ ...DEFAULT_CONFIG, relayUrl: 'http://192.168.1.10:5900/', loadFromRelay: true, windowMode: 'kiosk' }, [], { isPackaged: true });
    expect([p.source, p.appUrl, p.appOrigin, p.windowMode, p.insecureOriginToTrust]).to.deep.equal([
      'relay', 'http://192.168.1.10:5900/', 'http://192.168.1.10:5900', 'kiosk', 'http://192.168.1.10:5900',
    ]);
    expect(directives(p.csp).get('connect-src')).to.deep.equal(["'self'"]);
    const local = planStartup({ ...DEFAULT_CONFIG, relayUrl: 'http://127.0.0.1:5900/', loadFromRelay: true }, [], { isPackaged: true });
    expect(local.insecureOriginToTrust, 'loopback is already a secure context').to.equal(null);
  });

  it('the command line overrides the config; a bad relay URL or a relay mode without URL falls back with a problem', () => {
    const p = planStartup(DEFAULT_CONFIG, ['electron', '.', '--relay-url=https://relay.store.lan/', '--load-from-relay', '--fullscreen'], { isPackaged: true });
    expect([p.source, p.appOrigin, p.windowMode, p.insecureOriginToTrust]).to.deep.equal(['relay', 'https://relay.store.lan', 'fullscreen', null]);
    const bad = planStartup(DEFAULT_CONFIG, ['--relay-url=ftp://x', '--load-from-relay'], { isPackaged: false });
    expect([bad.source, bad.devTools]).to.deep.equal(['packaged', true]);
    expect(bad.problems).to.have.length(2);
  });
});

describe('desktop/main: the app:// protocol serving the packaged renderer (issue 11)', () => {
  let dir: { dir: string; cleanup: () => Promise<void> };
  const csp = buildCsp({ relayOrigin: null });
  before(async () => {
    dir = await tempDir('caja-dist-');
    await mkdir(path.join(dir.dir, 'dist', 'assets'), { recursive: true });
    await writeFile(path.join(dir.dir, 'dist', 'index.html'), '<!doctype html><title>Caja</title>');
    await writeFile(path.join(dir.dir, 'dist', 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(dir.dir, 'secret.txt'), 'outside the dist folder');
  });
  after(() => dir.cleanup());

  it('serves files of the dist folder with the CSP, and index.html for client-side routes', async () => {
    const dist = path.join(dir.dir, 'dist');
    const index = await serveAppFile(dist, 'app://caja/', csp);
    expect([index.status, index.headers.get('content-type'), index.headers.get('content-security-policy')]).to.deep.equal([200, 'text/html; charset=utf-8', csp]);
    expect(await index.text()).to.contain('<title>Caja</title>');
    const js = await serveAppFile(dist, 'app://caja/assets/app.js', csp);
    expect([js.status, js.headers.get('content-type')]).to.deep.equal([200, 'text/javascript; charset=utf-8']);
    const route = await serveAppFile(dist, 'app://caja/checkout/tender', csp);
    expect([route.status, await route.text()]).to.deep.equal([200, '<!doctype html><title>Caja</title>']);
    expect((await serveAppFile(dist, 'app://caja/assets/missing.js', csp)).status).to.equal(404);
  });

  it('never serves a file outside the dist folder, nor for another host', async () => {
    const dist = path.join(dir.dir, 'dist');
    for (const url of ['app://caja/%2e%2e/secret.txt', 'app://caja/..%2fsecret.txt', 'app://caja/assets/..%2f..%2fsecret.txt', 'app://caja/%2e%2e%5csecret.txt', 'app://evil/index.html', 'https://caja/index.html', 'app://caja/%E0%A4%A']) {
      const r = await serveAppFile(dist, url, csp);
      const body = await r.text();
      expect(body, url).not.to.contain('outside the dist folder');
      const file = resolveAppFile(dist, url);
      if (file) expect(path.relative(dist, file).startsWith('..'), url).to.equal(false);
    }
  });
});
