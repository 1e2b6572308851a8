// Test support: temporary data folders, waiting for an observable state with a deadline (never a fixed
// sleep), and starting HQ and relays on free loopback ports with embedded CouchDB.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CajaConfig } from '../../server-kit/config';
import { loadConfig } from '../../server-kit/config';
import type { Logger } from '../../server-kit/log';
export { waitFor } from '../../server-kit/wait';
export { jsonRequest as http } from '../../server-kit/jsonRequest';
import { memoryLogger } from '../../server-kit/log';

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(prefix = 'caja-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const TEST_SECRET = 'caja-test-secret-0123456789abcdef';

/**
 * Configuration for a test process: free ports, given data folder, quiet logs. Secrets are left unset, so
 * each process generates its own in its data folder, as production processes must not share one.
 */
export function testConfig(dataDir: string, overrides: Partial<CajaConfig> = {}): CajaConfig {
  return loadConfig(
    { hqPort: 0, relayPort: 0, couchdbPort: 0, couchdbUrl: null, dataDir, jwtSecret: null, couchJwtSecret: null, syncToken: null, hqAdminPassword: 'admin-password-1', logLevel: 'warn', ...overrides },
    {},
  );
}

/** A logger for tests: keeps lines in memory (assertable) instead of printing. */
export function testLogger(): Logger & { lines: Record<string, unknown>[] } {
  return memoryLogger('test');
}
