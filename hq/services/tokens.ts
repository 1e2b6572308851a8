// JWTs issued by HQ. One secret (JWT_SECRET) signs HQ API access tokens, store replication tokens and
// relay-issued terminal tokens; all are HS256 with `exp` and the top-level "_couchdb.roles" claim, so the
// same token is accepted by the HQ API, the embedded server and CouchDB 3's jwt_authentication_handler.
import jwt from 'jsonwebtoken';
import { verifyTyped } from '../../common/tokens';

export const ACCESS_TOKEN_TTL_S = 15 * 60;
/**
 * Store replication tokens are short so that revoking a store stops its replication within one lifetime
 * (STORE_TOKEN_TTL_S, default 600 s; read at each issue so tests can shorten it).
 */
export function storeTokenTtlS(): number {
  const value = Number(process.env.STORE_TOKEN_TTL_S ?? 600);
  return Number.isFinite(value) && value >= 2 ? value : 600;
}

export interface AccessClaims {
  sub: string; // 'hq:<userId>'
  '_couchdb.roles': string[];
  typ: 'access';
}

/** Signs a 15-minute HQ API access token for a staff user. */
export function signAccessToken(secret: string, userId: string): { token: string; expiresIn: number } {
  const claims: AccessClaims = { sub: `hq:${userId}`, '_couchdb.roles': ['caja-hq'], typ: 'access' };
  return { token: jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL_S }), expiresIn: ACCESS_TOKEN_TTL_S };
}

/** Signs a short-lived CouchDB token for a store credential (reads its databases, writes its upstream docs). */
export function signStoreToken(secret: string, storeCode: string, ttlS = storeTokenTtlS()): { token: string; expiresAt: string } {
  const token = jwt.sign({ sub: `store:${storeCode}`, '_couchdb.roles': ['caja-store', `store:${storeCode}`], typ: 'store' }, secret, {
    algorithm: 'HS256',
    expiresIn: ttlS,
  });
  return { token, expiresAt: new Date(Date.now() + ttlS * 1000).toISOString() };
}

/** Verifies an HQ API bearer token; a forged, expired or malformed one is a 401 with a specific code. */
export function verifyAccessToken(secret: string, token: string): { userId: string } {
  return { userId: verifyTyped(secret, token, 'access', 'hq:', 'access token').subject };
}

/** Verifies a store's CouchDB token (as presented with heartbeats); returns the store code. */
export function verifyStoreToken(secret: string, token: string): { storeCode: string } {
  return { storeCode: verifyTyped(secret, token, 'store', 'store:', 'store token').subject };
}
