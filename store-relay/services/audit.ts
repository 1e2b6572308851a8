// Audit at the store: every write through the relay API records who, what, when and from where as an
// immutable `audit` document in `caja-store`; it replicates up to HQ with the store's transactions.
import { randomUUID } from 'node:crypto';
import type { CouchHandle } from '../../server-kit/couch';
import { auditId } from '../../shared/model/ids';
import type { AuditEntry } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';

export async function auditAtStore(
  couch: CouchHandle,
  db: string,
  storeCode: string,
  entry: { actor: string; action: string; target: string; from: string; detail?: Record<string, unknown> },
): Promise<void> {
  const at = new Date().toISOString();
  const doc: AuditEntry = {
    _id: auditId(storeCode, at, randomUUID()),
    type: 'audit',
    schema: CURRENT_SCHEMA,
    storeId: storeCode,
    at,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    from: entry.from,
    ...(entry.detail ? { detail: entry.detail } : {}),
  };
  await couch.nano.use(db).insert(doc);
}
