// Basic authentication of the embedded server's configured admins (CouchDB's `[admins]` section and its
// default_authentication_handler), so an operator's curl, replication tools and PouchDB's own test suite
// work with `Authorization: Basic` as on CouchDB. Only server admins are known here (there is no `_users`
// database): a right name and password is a server admin, anything else CouchDB's 401. Caja's own
// processes keep using JWTs (jwt.ts).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthError, type UserCtx } from './jwt';

/** A `Basic` credential that does not decode to `name:password` counts as none, as on CouchDB. */
export const NO_CREDENTIALS = null;

/** The configured admins, passwords kept only as keyed digests compared in constant time. */
export class AdminTable {
  private readonly key = randomBytes(32).toString('hex');
  private readonly digests = new Map<string, Buffer>();

  constructor(admins: Record<string, string> = {}) {
    for (const [name, password] of Object.entries(admins)) {
      if (!name || typeof password !== 'string' || password === '') throw new Error(`admin "${name}" needs a non-empty password`);
      this.digests.set(name, this.digest(password));
    }
  }

  private digest(password: string): Buffer {
    return createHmac('sha256', this.key).update(password, 'utf8').digest();
  }

  /**
   * The user a `Basic` credential (the base64 part) authenticates, or null when it carries no
   * `name:password` at all. Throws CouchDB's 401 for a wrong name or password.
   */
  verify(credentials: string): UserCtx | null {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return NO_CREDENTIALS;
    const name = decoded.slice(0, colon);
    const given = this.digest(decoded.slice(colon + 1));
    const expected = this.digests.get(name);
    // Compare against something even for an unknown name, so timing tells nothing about which names exist.
    const ok = timingSafeEqual(new Uint8Array(given), new Uint8Array(expected ?? this.digest(randomBytes(16).toString('hex'))));
    if (!expected || !ok) throw new AuthError(401, 'unauthorized', 'Name or password is incorrect.');
    return { name, roles: ['_admin'], authenticated: 'default' };
  }
}
