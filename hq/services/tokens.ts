// JWTs issued by HQ, signed with HQ's own API secret (server-kit/secrets.ts) and each naming one audience
// (server-kit/tokens.ts): staff access tokens for the HQ API; for a store, an API token (heartbeats) and a
// replication token for HQ's gateway. None carries CouchDB roles: nobody but HQ holds a credential for
// HQ's CouchDB, and the gateway acts there as the store (server-kit/gateway.ts).
import { AUDIENCE, signToken, verifyToken } from '../../server-kit/tokens';

export const ACCESS_TOKEN_TTL_S = 15 * 60;
/**
 * Store tokens are short so that revoking a store stops its replication within one lifetime
 * (STORE_TOKEN_TTL_S, default 600 s; read at each issue so tests can shorten it).
 */
export function storeTokenTtlS(): number {
  const value = Number(process.env.STORE_TOKEN_TTL_S ?? 600);
  return Number.isFinite(value) && value >= 2 ? value : 600;
}

/** Signs a 15-minute HQ API access token for a staff user's session `sid` (logout revokes it: hq/services/auth.ts). */
export function signAccessToken(secret: string, userId: string, sid: string): { token: string; expiresIn: number } {
  return { token: signToken(secret, { kind: 'access', subject: userId, audience: AUDIENCE.hqApi, ttlS: ACCESS_TOKEN_TTL_S, claims: { sid } }), expiresIn: ACCESS_TOKEN_TTL_S };
}

/** A store's two short-lived tokens: `token` replicates through HQ's gateway, `apiToken` calls HQ's API. */
export function signStoreTokens(secret: string, storeCode: string, ttlS = storeTokenTtlS()): { token: string; apiToken: string; expiresAt: string } {
  const common = { subject: storeCode, store: storeCode, ttlS };
  return {
    token: signToken(secret, { ...common, kind: 'store-sync', audience: AUDIENCE.hqGateway }),
    apiToken: signToken(secret, { ...common, kind: 'store', audience: AUDIENCE.hqApi }),
    expiresAt: new Date(Date.now() + ttlS * 1000).toISOString(),
  };
}

/** Verifies an HQ API bearer token; a forged, expired or malformed one is a 401 with a specific code. */
export function verifyAccessToken(secret: string, token: string): { userId: string; sid: string | null } {
  const v = verifyToken(secret, token, { kind: 'access', audience: AUDIENCE.hqApi, what: 'access token' });
  return { userId: v.subject, sid: typeof v.claims.sid === 'string' ? v.claims.sid : null };
}

/** Verifies a store's API token (as presented with heartbeats); returns the store code. */
export function verifyStoreToken(secret: string, token: string): { storeCode: string } {
  return { storeCode: verifyToken(secret, token, { kind: 'store', audience: AUDIENCE.hqApi, what: 'store token' }).subject };
}

/** Verifies a store's replication token at HQ's gateway; returns the store code. */
export function verifyStoreSyncToken(secret: string, token: string): { storeCode: string } {
  return { storeCode: verifyToken(secret, token, { kind: 'store-sync', audience: AUDIENCE.hqGateway, what: 'store replication token' }).subject };
}
