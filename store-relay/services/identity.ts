// The relay's identity: provisioned once with a sync token, then kept in its data folder so a restart
// needs no token. Only the store credential is kept; replication tokens are short-lived and refreshed.
import path from 'node:path';
import { readJson, writeJsonAtomic } from '../../server-kit/files';
import type { Logger } from '../../server-kit/log';
import { decodeSyncToken } from '../../shared/sync/syncToken';

export interface RelayIdentity {
  storeCode: string;
  storeName: string;
  timeZone: string;
  currency: string;
  locale: 'en' | 'es';
  hqUrl: string;
  credentialId: string;
  secret: string;
  couchdb: { url: string; catalogDb: string; storeDb: string };
  /** Lifetime of HQ's replication tokens, as HQ announced it at provisioning. */
  tokenTtlS?: number;
  provisionedAt: string;
}

export type ProvisionState =
  | { state: 'unprovisioned'; error: null }
  | { state: 'provisioning'; error: null }
  | { state: 'provisioned'; error: null }
  | { state: 'error'; error: { code: string; message: string; at: string } };

export const identityFile = (dataDir: string) => path.join(dataDir, 'relay-identity.json');

export async function loadIdentity(dataDir: string): Promise<RelayIdentity | null> {
  return readJson<RelayIdentity>(identityFile(dataDir));
}

export class ProvisionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProvisionError';
  }
}

/** Presents a sync token to the HQ it names and saves the store credential received. */
export async function provisionWithToken(dataDir: string, token: string, log: Logger): Promise<RelayIdentity> {
  const payload = decodeSyncToken(token);
  if (!payload) throw new ProvisionError('token_malformed', 'The sync token is malformed; copy it again from the HQ console.');
  let res: Response;
  try {
    res = await fetch(`${payload.hq}/api/v1/sync/provision`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new ProvisionError('hq_unreachable', `HQ at ${payload.hq} did not answer: ${err instanceof Error ? err.message : String(err)}`);
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    throw new ProvisionError(String(body.error ?? `http_${res.status}`), String(body.reason ?? `HQ refused the token (${res.status}).`));
  }
  const store = body.store as { code: string; name: string; timeZone: string; currency: string; locale: 'en' | 'es' };
  const credential = body.credential as { credentialId: string; secret: string };
  const identity: RelayIdentity = {
    storeCode: store.code,
    storeName: store.name,
    timeZone: store.timeZone,
    currency: store.currency,
    locale: store.locale,
    hqUrl: payload.hq,
    credentialId: credential.credentialId,
    secret: credential.secret,
    couchdb: body.couchdb as RelayIdentity['couchdb'],
    ...(typeof body.tokenTtlS === 'number' ? { tokenTtlS: body.tokenTtlS } : {}),
    provisionedAt: new Date().toISOString(),
  };
  await writeJsonAtomic(identityFile(dataDir), identity);
  log.info('relay.provisioned', { store: identity.storeCode, hq: identity.hqUrl });
  return identity;
}
