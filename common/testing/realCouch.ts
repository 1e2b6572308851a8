// Test support: a real Apache CouchDB 3.5 instance from the shared test build (../shared/couchdb/, see its
// README), started on a free loopback port in a temporary folder and stopped afterwards, so a suite can run
// against CouchDB itself as well as the embedded server. Absent on machines without that folder: callers
// check realCouchScript() and describe only the servers they have.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The start/stop script of the shared CouchDB 3.5 build, or null where it is not installed. */
export function realCouchScript(): string | null {
  const candidates = [process.env.CAJA_RUN_COUCHDB, path.resolve(REPO, '..', 'shared', 'couchdb', 'run-couchdb.sh')];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return null;
}

/** A free TCP port on 127.0.0.1 (bound then released: CouchDB must be told its port up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function run(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [script, ...args], { encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`run-couchdb.sh ${args[0]} failed: ${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

export interface RealCouch {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Server admin (admin/admin, Basic), as the shared build configures it. */
  adminAuth: string;
  stop(): Promise<void>;
}

/** Starts a fresh CouchDB 3.5 accepting HS256 JWTs signed with `jwtSecret`; stop() also removes its data. */
export async function startRealCouch(jwtSecret: string): Promise<RealCouch> {
  const script = realCouchScript();
  if (!script) throw new Error('the shared CouchDB 3.5 build is not installed');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'caja-couch35-'));
  // A port taken between freePort() and start is the one race left: try a few.
  let url = '';
  for (let attempt = 0; ; attempt++) {
    try {
      url = await run(script, ['start', dir, String(await freePort()), jwtSecret]);
      break;
    } catch (err) {
      if (attempt >= 2) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
  return {
    url,
    adminAuth: 'Basic ' + Buffer.from('admin:admin').toString('base64'),
    stop: async () => {
      await run(script, ['stop', dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
