// Verifying the HS256 tokens Caja issues. Each kind carries a `typ` claim and a `sub` with a known prefix,
// so a token of one kind (a terminal's CouchDB token, say) is never accepted where another is expected.
import jwt from 'jsonwebtoken';
import { unauthorized } from './errors';

/**
 * Verifies `token` as a `typ` token whose subject starts with `subPrefix`; returns the subject after the
 * prefix and the claims. Expired -> 401 token_expired; anything else wrong -> 401 token_invalid.
 */
export function verifyTyped(secret: string, token: string, typ: string, subPrefix: string, what: string): { subject: string; claims: jwt.JwtPayload } {
  let claims: jwt.JwtPayload | string;
  try {
    claims = jwt.verify(token, secret, { algorithms: ['HS256'] });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw unauthorized('token_expired', `The ${what} has expired.`);
    throw unauthorized('token_invalid', `The ${what} is not valid.`);
  }
  if (typeof claims === 'string' || claims.typ !== typ || typeof claims.sub !== 'string' || !claims.sub.startsWith(subPrefix)) {
    throw unauthorized('token_invalid', `The ${what} is not valid.`);
  }
  return { subject: claims.sub.slice(subPrefix.length), claims };
}

/** The token of an `Authorization: Bearer <token>` header, or a 401. */
export function bearer(header: string | undefined, hint: string): string {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) throw unauthorized('unauthenticated', hint);
  return token;
}
