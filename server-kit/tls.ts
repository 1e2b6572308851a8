// HTTPS for the store LAN. A browser counts a page from http://<relay-ip> as insecure and then withholds what an
// offline till needs: the service worker (the app opening with the relay unreachable), persistent storage and
// the install prompt. Loopback is exempt, so this matters for tablets, not for a till on the relay's machine.
//
// The relay serves its whole app on a second port over HTTPS (RELAY_HTTPS_PORT) with either:
//   - the chain's own certificate (TLS_CERT_FILE, TLS_KEY_FILE: PEM), e.g. one for a DNS name of its own; or
//   - a certificate from a small certificate authority of this relay, made at its first HTTPS start and kept in
//     DATA_DIR/tls.json (mode 0600): the CA lasts 10 years; its server certificate 397 days, for this machine's
//     names and LAN addresses (and TLS_HOSTS), made again when it nears expiry or the names change. A device
//     trusts the relay once its manager installs the CA (GET /store-ca.crt on the relay), as with any private CA.
//     Only this relay's key signs with it, and only for this machine (pathLen 0: it cannot sign another CA).
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import { readJson, writeJsonAtomic } from './files';

export interface TlsOptions {
  dataDir: string;
  /** The chain's own certificate and key (PEM files); both or neither. */
  certFile: string | null;
  keyFile: string | null;
  /** Names and addresses the generated certificate covers besides this machine's own. */
  hosts: readonly string[];
}

export interface TlsMaterial {
  cert: string;
  key: string;
  /** The relay's own CA (PEM) when the certificate is generated; null with the chain's certificate. */
  ca: string | null;
  /** SHA-256 fingerprint of the CA, for a manager to compare when installing it (null with the chain's). */
  caFingerprint: string | null;
  /** Names and addresses the certificate is valid for. */
  hosts: string[];
  source: 'provided' | 'generated';
}

interface Pem {
  cert: string;
  key: string;
}

interface TlsFile {
  ca?: Pem;
  server?: Pem;
}

const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
/** Browsers refuse a publicly trusted server certificate of more than 398 days; private CAs keep to it too. */
const SERVER_DAYS = 397;
const RENEW_WITHIN_DAYS = 30;

export const tlsFile = (dataDir: string) => path.join(dataDir, 'tls.json');

/** This machine's names and LAN addresses (loopback included), with `extra`, unique and in a stable order. */
export function machineHosts(extra: readonly string[] = []): string[] {
  const names = new Set<string>(['localhost', '127.0.0.1', '::1']);
  const host = os.hostname().toLowerCase();
  if (host) {
    names.add(host);
    if (!host.includes('.')) names.add(`${host}.local`);
  }
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (!a.internal && !a.address.startsWith('fe80:')) names.add(a.address);
  }
  for (const e of extra) if (e.trim()) names.add(e.trim().toLowerCase());
  return [...names];
}

/** The certificate and key the relay's HTTPS port serves (see the top of this file). */
export async function relayTls(opts: TlsOptions): Promise<TlsMaterial> {
  if (opts.certFile || opts.keyFile) return providedTls(opts);
  const hosts = machineHosts(opts.hosts);
  const file = tlsFile(opts.dataDir);
  const stored = (await readJson<TlsFile>(file)) ?? {};
  let ca = stored.ca && usable(stored.ca.cert, RENEW_WITHIN_DAYS) ? stored.ca : null;
  const caChanged = !ca;
  ca ??= await generateCa();
  let server = stored.server ?? null;
  if (caChanged || !server || !serverFits(server.cert, ca.cert, hosts)) server = await generateServer(ca, hosts);
  if (ca !== stored.ca || server !== stored.server) await writeJsonAtomic(file, { ca, server } satisfies TlsFile);
  // The chain sent to clients ends with the CA, so a client that pins it by key finds it in what it is given.
  return { cert: server.cert.trimEnd() + '\n' + ca.cert, key: server.key, ca: ca.cert, caFingerprint: new X509Certificate(ca.cert).fingerprint256, hosts, source: 'generated' };
}

async function providedTls(opts: TlsOptions): Promise<TlsMaterial> {
  if (!opts.certFile || !opts.keyFile) throw new Error('TLS_CERT_FILE and TLS_KEY_FILE go together: give both, or neither for a generated certificate');
  const cert = await readFile(opts.certFile, 'utf8');
  const key = await readFile(opts.keyFile, 'utf8');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new Error(`TLS_CERT_FILE ${opts.certFile} holds no PEM certificate: ${(err as Error).message}`);
  }
  let matches = false;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(key));
  } catch (err) {
    throw new Error(`TLS_KEY_FILE ${opts.keyFile} holds no PEM private key: ${(err as Error).message}`);
  }
  if (!matches) throw new Error(`TLS_KEY_FILE ${opts.keyFile} is not the key of the certificate in ${opts.certFile}`);
  if (Date.parse(x509.validTo) < Date.now()) throw new Error(`the certificate in ${opts.certFile} expired on ${x509.validTo}`);
  const hosts = (x509.subjectAltName ?? '').split(', ').map((s) => s.replace(/^(DNS|IP Address):/, '')).filter(Boolean);
  return { cert, key, ca: null, caFingerprint: null, hosts, source: 'provided' };
}

/** Whether a certificate is still valid for at least `days` more days. */
function usable(cert: string, days: number): boolean {
  try {
    return Date.parse(new X509Certificate(cert).validTo) - Date.now() > days * DAY_MS;
  } catch {
    return false;
  }
}

/** Whether the stored server certificate was signed by `caCert`, covers every host and is not near its end. */
function serverFits(cert: string, caCert: string, hosts: readonly string[]): boolean {
  if (!usable(cert, RENEW_WITHIN_DAYS)) return false;
  const x509 = new X509Certificate(cert);
  if (!x509.verify(new X509Certificate(caCert).publicKey)) return false;
  return hosts.every((h) => (isIP(h) ? x509.checkIP(h) : x509.checkHost(h, { wildcards: false })) !== undefined);
}

async function generateCa(): Promise<Pem> {
  const now = new Date();
  const host = os.hostname() || 'relay';
  // A tag of its own per CA, so two relays' CAs never look alike to a device that trusts both.
  const tag = randomBytes(4).toString('hex');
  const pems = await selfsigned.generate([{ name: 'commonName', value: `Caja store relay CA ${host} ${tag}` }, { name: 'organizationName', value: 'Caja' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY_MS),
    notAfterDate: new Date(now.getTime() + CA_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

async function generateServer(ca: Pem, hosts: readonly string[]): Promise<Pem> {
  const now = new Date();
  const altNames = hosts.map((h) => (isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h }));
  const pems = await selfsigned.generate([{ name: 'commonName', value: hosts.find((h) => !isIP(h) && h !== 'localhost') ?? 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY_MS),
    notAfterDate: new Date(now.getTime() + SERVER_DAYS * DAY_MS),
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
