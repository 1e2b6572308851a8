// The embedded server's fixed refusals (CouchDB 3.5's wording) and the mapping of anything thrown while
// answering to CouchDB's `{error, reason}`.
import { AuthError } from './jwt';
import { CouchError, isPlainObject, scrubReason } from './http';
import { SandboxError } from './sandbox';

/** A caller who is not a server admin on a server-admin endpoint (CouchDB 3.5 answers 401, not 403). */
export const NOT_SERVER_ADMIN = new CouchError(401, 'unauthorized', 'You are not a server admin.');
/** `_stats` and `_system` under `/_node/{node}`, which CouchDB also opens to a metrics role. */
export const NOT_METRICS_ADMIN = new CouchError(401, 'unauthorized', 'You are not a server admin or read-only metrics user');
/** Maintenance endpoints (`_compact`, `_view_cleanup`, `_revs_limit`…) for a plain member, as CouchDB words it. */
export const NOT_DB_ADMIN = new CouchError(401, 'unauthorized', 'You are not a server or db admin.');
/** Caja's own rule (CouchDB lets db admins): `_security`, `_index` and design documents need a server admin. */
export const SERVER_ADMIN_ONLY = new CouchError(403, 'unauthorized', 'You are not a server admin.');
export const FORBIDDEN_DB = new CouchError(403, 'forbidden', 'You are not allowed to access this db.');
export const AUTH_REQUIRED = new CouchError(401, 'unauthorized', 'Authentication required.');
export const BAD_LOGIN = () => new CouchError(401, 'unauthorized', 'Name or password is incorrect.');
export const ID_MISMATCH = new CouchError(400, 'bad_request', 'Document id must match');
export const LOCAL_ATTACHMENTS = new CouchError(400, 'bad_request', '_local documents do not accept attachments.');
export const ONLY_DOC_METHODS = new CouchError(405, 'method_not_allowed', 'Only GET,HEAD,PUT,DELETE allowed');
export const NOT_JSON = () => new CouchError(415, 'bad_content_type', 'Content-Type must be application/json');
export const CONFLICT = () => new CouchError(409, 'conflict', 'Document update conflict.');
export const MISSING = () => new CouchError(404, 'not_found', 'missing');
export const onlyMethods = (list: string) => new CouchError(405, 'method_not_allowed', `Only ${list} allowed`);

/** Maps anything thrown while answering to CouchDB's `{error, reason}`; 500 reasons never name files. */
export function toCouchError(err: unknown, dataDir: string): CouchError {
  if (err instanceof CouchError) return err;
  if (err instanceof AuthError) return new CouchError(err.status, err.error, err.reason);
  // Design-document code that threw, looped or ran out of memory: CouchDB's query-server error shape.
  if (err instanceof SandboxError) return new CouchError(500, err.errorName, err.message);
  if (isPlainObject(err) || err instanceof Error) {
    const e = err as { status?: unknown; name?: unknown; message?: unknown; reason?: unknown };
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.name === 'string') {
      return new CouchError(e.status, e.name, scrubReason(String(e.reason ?? e.message ?? ''), dataDir));
    }
  }
  return new CouchError(500, 'internal_server_error', scrubReason(err instanceof Error ? err.message : String(err), dataDir));
}
