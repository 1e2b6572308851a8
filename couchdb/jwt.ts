// JWT bearer authentication that answers exactly like CouchDB 3.5's jwt_authentication_handler (jwtf.erl),
// so one token, signed by the HQ or relay with the shared secret, works on the embedded server and on a
// real CouchDB configured from couchdb/*/local.ini. Verified by hand rather than with jsonwebtoken.verify
// because the order of checks and the exact reasons are part of the contract: CouchDB checks the header,
// then required claims (400 "Missing exp claim"), then the key (400 "Unknown kid"), then exp/nbf (401),
// and the signature last (400 "Bad HMAC").
import { createHmac, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** The claim CouchDB reads roles from (`[jwt_auth] roles_claim_name` default): a top-level key with a dot. */
export const ROLES_CLAIM = '_couchdb.roles';

export interface UserCtx {
  name: string | null;
  roles: string[];
  /** How the caller proved it (`_session` info.authenticated): a JWT unless said otherwise. */
  authenticated?: 'jwt' | 'default';
}

/** A refusal in CouchDB's shape; `status` is the HTTP status CouchDB uses for it. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'AuthError';
  }
}

const HMAC_ALGS: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

function badRequest(reason: string): AuthError {
  return new AuthError(400, 'bad_request', reason);
}

function decodeJsonPart(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('Malformed token');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badRequest('Malformed token');
  return value as Record<string, unknown>;
}

/**
 * Verifies a compact JWS against the HMAC secret configured as `hmac:_default` and returns the user.
 * Throws AuthError with CouchDB's status and reason on any failure.
 */
export function verifyCouchJwt(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): UserCtx {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw badRequest('Malformed token');
  const [headerB64, payloadB64, signatureB64] = parts as [string, string, string];
  const header = decodeJsonPart(headerB64);
  if ('typ' in header && header.typ !== 'JWT') throw badRequest('Invalid typ header parameter');
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const digest = HMAC_ALGS[alg];
  if (!digest) throw badRequest('Invalid alg header parameter');

  const claims = decodeJsonPart(payloadB64);
  // `[jwt_auth] required_claims = exp` in our local.ini; the embedded server always requires it.
  if (!('exp' in claims)) throw badRequest('Missing exp claim');
  if (typeof claims.exp !== 'number') throw badRequest('exp claim is not an integer');
  if ('nbf' in claims && typeof claims.nbf !== 'number') throw badRequest('nbf claim is not an integer');

  // Only the `_default` HMAC key exists; CouchDB refuses any other kid before looking at the signature.
  if ('kid' in header && header.kid !== '_default') throw badRequest('Unknown kid');

  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) throw new AuthError(401, 'unauthorized', 'nbf not in past');
  if (claims.exp <= nowSeconds) throw new AuthError(401, 'unauthorized', 'exp not in future');

  const expected = createHmac(digest, secret).update(`${headerB64}.${payloadB64}`).digest();
  const given = Buffer.from(signatureB64, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(new Uint8Array(given), new Uint8Array(expected))) throw badRequest('Bad HMAC');

  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw new AuthError(401, 'unauthorized', 'Token missing sub claim.');
  }
  // Only the literal top-level "_couchdb.roles" counts; a nested {"_couchdb":{"roles":…}} gives no roles,
  // as on CouchDB 3.5 (roles_claim_path is not set in our local.ini).
  const rawRoles = claims[ROLES_CLAIM];
  const roles = Array.isArray(rawRoles) ? rawRoles.filter((r): r is string => typeof r === 'string') : [];
  return { name: claims.sub, roles };
}

/** Signs a server-admin token (HS256, top-level "_couchdb.roles": ["_admin"], exp) for the embedded or a real CouchDB. */
export function adminToken(secret: string, sub = 'caja-admin', ttlSeconds = 15 * 60): string {
  return jwt.sign({ sub, [ROLES_CLAIM]: ['_admin'] }, secret, { algorithm: 'HS256', expiresIn: ttlSeconds });
}
