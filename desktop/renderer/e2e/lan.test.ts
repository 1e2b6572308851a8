// Issue #11, a tablet on the store LAN: the browser counts http://<relay> as insecure (only loopback is exempt)
// and then withholds the service worker and persistent storage, so the till could not open offline. The relay
// serves the same app over HTTPS (RELAY_HTTPS_PORT) with a certificate of its own CA (server-kit/tls.ts). Here
// the relay is reached by a LAN name (Chromium maps till.store.test to 127.0.0.1), and Chromium trusts the
// store CA by its key, as a device does once a manager installed the CA (--ignore-certificate-errors-spki-list
// names the keys whose chains count as valid; any other certificate stays an error).
import { createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../../../tests/support/appBuild';
import { startChain, type Chain } from '../../../tests/support/chain';
import { CHROMIUM_ARGS } from '../../../tests/support/consoleBrowser';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHOTS = `${ROOT}test-artifacts/terminal`;
const HOST = 'till.store.test';

/** GET over HTTPS to 127.0.0.1 as `HOST`, trusting `ca` (or nothing but Node's own roots). */
function httpsGet(url: string, ca: string | null): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = https.get({ host: '127.0.0.1', port: u.port, path: u.pathname, servername: HOST, headers: { host: u.host }, ...(ca ? { ca } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('the till on the store LAN over HTTPS (issue #11)', function () {
  this.timeout(120_000);
  this.bail(true);
  let chain: Chain;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let httpsUrl = '';
  let httpUrl = '';
  let ca = '';

  before(async function () {
    this.timeout(600_000);
    await mkdir(SHOTS, { recursive: true });
    await buildApp('till');
    chain = await startChain({ stores: ['S001'], products: 40, relay: { relayHttpsPort: 0, tlsHosts: [HOST] } });
    const relay = chain.relays.get('S001')!;
    expect(relay.httpsUrl).to.be.a('string');
    httpsUrl = `https://${HOST}:${new URL(relay.httpsUrl!).port}/`;
    httpUrl = `http://${HOST}:${relay.port}/`;
    const res = await fetch(`${relay.url}/store-ca.crt`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/x-x509-ca-cert/);
    ca = await res.text();
    // What a device trusts once the CA is installed: its key (base64 SHA-256 of its SubjectPublicKeyInfo).
    const spki = createHash('sha256').update(new X509Certificate(ca).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), 'base64').digest('base64');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${spki}`] });
    context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US', timezoneId: 'America/Mexico_City' });
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
  });

  after(async function () {
    this.timeout(60_000);
    await browser?.close();
    await chain?.close();
  });

  it('serves its API over HTTPS with a certificate of the store CA for the LAN name, which nothing else trusts', async () => {
    const relay = chain.relays.get('S001')!;
    expect(relay.tls).to.include({ source: 'generated', caFingerprint: new X509Certificate(ca).fingerprint256 });
    expect(relay.tls?.hosts).to.include(HOST);
    const health = await httpsGet(`${httpsUrl}api/v1/health`, ca);
    expect(health.status).to.equal(200);
    expect(JSON.parse(health.body)).to.include({ component: 'relay', httpsPort: Number(new URL(httpsUrl).port) });
    let error = '';
    await httpsGet(`${httpsUrl}api/v1/health`, null).catch((err: NodeJS.ErrnoException) => (error = err.code ?? String(err)));
    expect(error, 'a client without the store CA refuses the chain').to.equal('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('over plain http on the LAN: the page is not a secure context, and the setup screen says where the secure address is', async () => {
    await page.goto(httpUrl);
    await page.getByRole('heading', { name: 'Set up this terminal' }).waitFor();
    expect(await page.evaluate(() => window.isSecureContext)).to.equal(false);
    const note = page.getByRole('note').filter({ hasText: 'Not a secure connection' });
    await note.getByRole('link', { name: httpsUrl }).waitFor();
    expect(await note.getByRole('link', { name: 'download the store certificate' }).getAttribute('href')).to.equal(`${httpUrl}store-ca.crt`);
    await page.screenshot({ path: `${SHOTS}/lan-01-insecure-en.png` });
    await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES', { exact: true }).click();
    await page.getByRole('note').filter({ hasText: 'Conexión no segura' }).getByRole('link', { name: 'descargar el certificado de la tienda' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/lan-01-insecure-es.png` });
    await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN', { exact: true }).click();
  });

  it('over HTTPS: pairs (the relay address pre-filled, replication over HTTPS too) with no warning', async () => {
    await page.goto(httpsUrl);
    const relayField = page.getByLabel('Store server address');
    await relayField.waitFor();
    expect(await page.evaluate(() => window.isSecureContext)).to.equal(true);
    expect(await relayField.inputValue()).to.equal(httpsUrl.replace(/\/$/, ''));
    expect(await page.getByRole('note').count()).to.equal(0);
    await page.getByLabel('Manager username').fill('mgr.s001');
    await page.getByRole('textbox', { name: 'Manager PIN' }).fill('9999');
    await page.getByRole('button', { name: 'Pair this terminal' }).click();
    await page.getByRole('heading', { name: 'Who is at the till?' }).waitFor({ timeout: 60_000 });
    const pairing = await page.evaluate(() => JSON.parse(localStorage.getItem('caja.pairing.v1') ?? '{}') as { couchdbUrl?: string });
    expect(pairing.couchdbUrl).to.equal(`${httpsUrl}couch`);
  });

  it('opens again with the relay unreachable (service worker), keeps its storage, and logs a cashier in', async () => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => navigator.storage.persisted())).to.be.a('boolean');
    await context.setOffline(true);
    try {
      await page.reload();
      await page.getByRole('heading', { name: 'Who is at the till?' }).waitFor();
      await page.getByRole('button', { name: 'cash.s001' }).click();
      await page.getByLabel('PIN', { exact: true }).fill('1234');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('textbox', { name: 'Search products' }).waitFor();
      await page.getByRole('status', { name: 'Sync status' }).filter({ hasText: 'Offline' }).waitFor();
      await page.screenshot({ path: `${SHOTS}/lan-02-https-offline-en.png` });
    } finally {
      await context.setOffline(false);
    }
  });
});
