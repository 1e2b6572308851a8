// A genuine Apache CouchDB 3.5 for tests, from ../shared/couchdb (started and stopped by its own script),
// so the suites that matter run against the real server as well as the embedded one.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from '../../server-kit/ports';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RUN_COUCHDB = path.resolve(repoRoot, '../shared/couchdb/run-couchdb.sh');

/** True when ../shared/couchdb is beside the checkout (CI and these machines); suites skip otherwise. */
export const realCouchAvailable = existsSync(RUN_COUCHDB);

export interface RealCouch {
  /** http://127.0.0.1:PORT (no credentials). */
  url: string;
  /** The URL with the operator's Basic credentials, as an operator would write COUCHDB_URL. */
  adminUrl: string;
  /** The HMAC secret the instance accepts for JWTs. */
  secret: string;
  /** `Authorization` of the server admin (admin/admin, Basic), as the shared build configures it. */
  adminAuth: string;
  stop(): Promise<void>;
}


/** Starts a fresh real CouchDB on a free port with its own JWT secret (or `secret`); `stop()` removes it. */
export async function startRealCouch(secret = randomBytes(24).toString('base64url')): Promise<RealCouch> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'caja-couchdb-'));
  let lastErr: unknown;
  // A port found free may be taken before CouchDB binds it; try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const { stdout } = await run('bash', [RUN_COUCHDB, 'start', dir, String(port), secret], { encoding: 'utf8', timeout: 90_000 });
      const url = stdout.trim();
      const u = new URL(url);
      u.username = 'admin';
      u.password = 'admin';
      return {
        url,
        adminUrl: u.toString().replace(/\/+$/, ''),
        secret,
        adminAuth: 'Basic ' + Buffer.from('admin:admin').toString('base64'),
        async stop() {
          await run('bash', [RUN_COUCHDB, 'stop', dir], { timeout: 60_000 }).catch(() => undefined);
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      lastErr = err;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`real CouchDB did not start: ${lastErr instanceof Error ? lastErr.message : String(lastErr)}`);
}
