// Test support: temporary data folders, waiting for an observable state with a deadline (never a fixed
// sleep), and starting HQ and relays on free loopback ports with embedded CouchDB.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CajaConfig } from './config';
import { loadConfig } from './config';
import type { Logger } from './log';
import { memoryLogger } from './log';

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(prefix = 'caja-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Polls `probe` until it returns a truthy value or the deadline passes; returns that value. */
export async function waitFor<T>(probe: () => Promise<T> | T, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${opts.what ?? 'condition'}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25));
  }
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

/** JSON over HTTP for tests, returning status and body without throwing. */
export async function http<T = Record<string, unknown>>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed as T };
}
