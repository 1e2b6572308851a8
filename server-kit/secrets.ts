// Each process signs with secrets of its own: one for the tokens its API and gateway issue
// (server-kit/tokens.ts), one its CouchDB trusts (CouchDB JWTs with `_couchdb.roles`, minted only inside this
// process). HQ and every relay therefore hold different keys, and a token made by one is worthless at
// another. Secrets come from the environment (JWT_SECRET, COUCHDB_JWT_SECRET) or, when unset, are
// generated once and kept in the process's data folder (mode 0600), so tokens survive a restart and a
// newcomer needs no configuration.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { CajaConfig } from './config';
import { readJson, writeJsonAtomic } from './files';

export interface ProcessSecrets {
  /** Signs this process's API and gateway tokens. */
  api: string;
  /** The HMAC secret this process's CouchDB accepts (its `[jwt_keys] hmac:_default`). */
  couch: string;
}

interface SecretsFile {
  api?: string;
  couch?: string;
}

export const secretsFile = (dataDir: string) => path.join(dataDir, 'secrets.json');

const generate = () => randomBytes(32).toString('base64url');

/**
 * The secrets of the process whose data folder is `cfg.dataDir`. A real CouchDB (COUCHDB_URL) was
 * configured with its secret by an operator, so it must be given; anything else may be generated.
 */
export async function processSecrets(cfg: Pick<CajaConfig, 'dataDir' | 'jwtSecret' | 'couchJwtSecret' | 'couchdbUrl'>): Promise<ProcessSecrets> {
  if (cfg.couchdbUrl && !cfg.couchJwtSecret) {
    throw new Error('COUCHDB_URL is set but COUCHDB_JWT_SECRET is not: give the secret configured in that CouchDB as [jwt_keys] hmac:_default (base64 of it)');
  }
  const file = secretsFile(cfg.dataDir);
  const stored = (await readJson<SecretsFile>(file)) ?? {};
  const next: SecretsFile = { ...stored };
  if (!cfg.jwtSecret && !next.api) next.api = generate();
  if (!cfg.couchJwtSecret && !next.couch) next.couch = generate();
  if (next.api !== stored.api || next.couch !== stored.couch) await writeJsonAtomic(file, next);
  return { api: cfg.jwtSecret ?? (next.api as string), couch: cfg.couchJwtSecret ?? (next.couch as string) };
}
