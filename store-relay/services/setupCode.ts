// The relay's setup code: a random secret generated once and kept in its data folder (mode 0600), printed
// at start while the relay is unprovisioned. Only someone with a hand on the relay's machine knows it, so
// it authenticates the operator actions that change what the relay trusts: provisioning from another
// machine, and re-provisioning (possibly to another HQ) once provisioned.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { matchesHash, sha256 } from '../../server-kit/secretHash';
import { readJson, writeJsonAtomic } from '../../server-kit/files';

export const setupCodeFile = (dataDir: string) => path.join(dataDir, 'setup-code');

/** The relay's setup code, created on first use. */
export async function loadSetupCode(dataDir: string): Promise<string> {
  const file = setupCodeFile(dataDir);
  const stored = await readJson<string>(file);
  if (typeof stored === 'string' && stored) return stored;
  // Four groups of four letters and digits an operator can read aloud (~80 bits).
  const code = randomBytes(13).toString('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 16).toUpperCase().match(/.{1,4}/g)?.join('-') ?? '';
  await writeJsonAtomic(file, code);
  return code;
}

/** Constant-time comparison of a presented setup code (spaces and case forgiven). */
export function setupCodeMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length > 64) return false;
  const norm = (s: string) => s.replace(/[\s-]/g, '').toUpperCase();
  return matchesHash(norm(given), sha256(norm(expected)));
}

/** True for a connection from this machine (the socket's peer, never a forwarded header). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
