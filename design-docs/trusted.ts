// Caja's own validate_doc_update functions as native host functions, for the embedded server's sandbox
// (couchdb/sandbox.ts "trusted"): a deployed validator whose source is byte-for-byte what this build
// compiles runs as the very same shared/model code natively instead of in QuickJS — the same checks at a
// few microseconds per document instead of ~0.5 ms. Any other source (an older build's, an admin's own)
// still runs isolated.
import { DB_KINDS, checkWrite } from '../shared/model/access';
import type { UserCtx } from '../shared/model/access';
import { compileDesignDocs } from './deploy';

export type TrustedFunction = (...args: unknown[]) => unknown;

/** Source text of each of this build's validate_doc_update functions -> the native function it compiles from. */
export async function trustedValidators(): Promise<Map<string, TrustedFunction>> {
  const trusted = new Map<string, TrustedFunction>();
  for (const kind of DB_KINDS) {
    for (const ddoc of await compileDesignDocs(kind)) {
      if (typeof ddoc.validate_doc_update !== 'string') continue;
      trusted.set(ddoc.validate_doc_update, (newDoc, oldDoc, userCtx) => {
        const reason = checkWrite(kind, newDoc, oldDoc, userCtx as UserCtx);
        if (reason !== null) throw { forbidden: reason };
      });
    }
  }
  return trusted;
}
