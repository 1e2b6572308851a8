// The relay's HTTPS certificate (server-kit/tls.ts): its own CA made once and kept, a server certificate for
// this machine's names signed by it and made again only when it no longer fits, or the chain's certificate
// checked before it is served.
import { X509Certificate } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { expect } from 'chai';
import selfsigned from 'selfsigned';
import { readJson, writeJsonAtomic } from './files';
import { machineHosts, relayTls, tlsFile } from './tls';
import { tempDir } from '../tests/support/testing';

const covers = (cert: string, host: string) => {
  const x = new X509Certificate(cert);
  return (isIP(host) ? x.checkIP(host) : x.checkHost(host, { wildcards: false })) !== undefined;
};

describe('relay TLS certificates (server-kit/tls.ts)', function () {
  this.timeout(30_000);

  it('makes a CA of its own (10 years) and a server certificate it signed for this machine and TLS_HOSTS', async () => {
    const tmp = await tempDir();
    try {
      const tls = await relayTls({ dataDir: tmp.dir, certFile: null, keyFile: null, hosts: ['till.store.test', '192.168.77.5'] });
      expect(tls.source).to.equal('generated');
      const ca = new X509Certificate(tls.ca ?? '');
      expect(ca.ca).to.equal(true);
      expect(Date.parse(ca.validTo) - Date.now()).to.be.greaterThan(9 * 365 * 86_400_000);
      const server = new X509Certificate(tls.cert);
      expect(server.ca).to.equal(false);
      expect(server.verify(ca.publicKey), 'signed by the CA').to.equal(true);
      expect(Date.parse(server.validTo) - Date.now()).to.be.at.most(398 * 86_400_000);
      for (const host of ['till.store.test', '192.168.77.5', 'localhost', '127.0.0.1', ...machineHosts()]) expect(covers(tls.cert, host), host).to.equal(true);
      expect(covers(tls.cert, 'elsewhere.test')).to.equal(false);
      expect(server.checkPrivateKey((await import('node:crypto')).createPrivateKey(tls.key))).to.equal(true);
      expect(tls.caFingerprint).to.equal(ca.fingerprint256);
      expect(tls.cert.endsWith(tls.ca ?? '-'), 'the chain served ends with the CA').to.equal(true);
      // The keys are kept where only this user reads them.
      expect((await stat(tlsFile(tmp.dir))).mode & 0o077).to.equal(0);
    } finally {
      await tmp.cleanup();
    }
  });

  it('keeps its CA and certificate across starts; a new name gets a new certificate from the same CA', async () => {
    const tmp = await tempDir();
    try {
      const opts = { dataDir: tmp.dir, certFile: null, keyFile: null, hosts: ['till.store.test'] };
      const first = await relayTls(opts);
      const again = await relayTls(opts);
      expect(again.ca).to.equal(first.ca);
      expect(again.cert).to.equal(first.cert);
      const moved = await relayTls({ ...opts, hosts: ['till.store.test', 'caja-s001.lan'] });
      expect(moved.ca, 'devices that trust the CA keep trusting the relay').to.equal(first.ca);
      expect(moved.cert).to.not.equal(first.cert);
      expect(covers(moved.cert, 'caja-s001.lan')).to.equal(true);
    } finally {
      await tmp.cleanup();
    }
  });

  it('makes a new server certificate when the stored one nears its end or was not signed by the CA', async () => {
    const tmp = await tempDir();
    try {
      const opts = { dataDir: tmp.dir, certFile: null, keyFile: null, hosts: [] };
      const first = await relayTls(opts);
      const stored = (await readJson<{ ca: { cert: string; key: string }; server: { cert: string; key: string } }>(tlsFile(tmp.dir)))!;
      // A certificate for the same names ending in 10 days, and one signed by another key.
      const ending = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
        keyType: 'ec',
        notBeforeDate: new Date(Date.now() - 380 * 86_400_000),
        notAfterDate: new Date(Date.now() + 10 * 86_400_000),
        ca: stored.ca,
        extensions: [{ name: 'subjectAltName', altNames: machineHosts().map((h) => (isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h })) }],
      });
      await writeJsonAtomic(tlsFile(tmp.dir), { ...stored, server: { cert: ending.cert, key: ending.private } });
      const renewed = await relayTls(opts);
      expect(renewed.cert).to.not.equal(ending.cert);
      expect(renewed.ca).to.equal(first.ca);
      const foreign = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec' });
      await writeJsonAtomic(tlsFile(tmp.dir), { ...stored, server: { cert: foreign.cert, key: foreign.private } });
      const replaced = await relayTls(opts);
      expect(new X509Certificate(replaced.cert).verify(new X509Certificate(first.ca ?? '').publicKey)).to.equal(true);
    } finally {
      await tmp.cleanup();
    }
  });

  it("serves the chain's certificate as given, and refuses a key of another certificate, a half pair or a file that is no PEM", async () => {
    const tmp = await tempDir();
    try {
      const own = await selfsigned.generate([{ name: 'commonName', value: 's001.pos.example.com' }], { keyType: 'ec', algorithm: 'sha256' });
      const other = await selfsigned.generate([{ name: 'commonName', value: 'other' }], { keyType: 'ec' });
      const file = (name: string, text: string) => writeFile(`${tmp.dir}/${name}`, text).then(() => `${tmp.dir}/${name}`);
      const cert = await file('cert.pem', own.cert);
      const key = await file('key.pem', own.private);
      const tls = await relayTls({ dataDir: tmp.dir, certFile: cert, keyFile: key, hosts: [] });
      expect(tls).to.include({ source: 'provided', cert: own.cert, key: own.private, ca: null, caFingerprint: null });
      expect(tls.hosts).to.include('s001.pos.example.com');
      const wrongKey = await file('other-key.pem', other.private);
      const refused = async (certFile: string | null, keyFile: string | null) => {
        try {
          await relayTls({ dataDir: tmp.dir, certFile, keyFile, hosts: [] });
        } catch (err) {
          return (err as Error).message;
        }
        return 'accepted';
      };
      expect(await refused(cert, wrongKey)).to.match(/is not the key of the certificate/);
      expect(await refused(cert, null)).to.match(/go together/);
      expect(await refused(await file('junk.pem', 'hello'), key)).to.match(/holds no PEM certificate/);
      expect(await refused(cert, await file('junk-key.pem', 'hello'))).to.match(/holds no PEM private key/);
      // Nothing generated on the way.
      expect(await readJson(tlsFile(tmp.dir))).to.equal(null);
    } finally {
      await tmp.cleanup();
    }
  });
});
