// Audit log: every write through the HQ API records who, what, when and from where, as an immutable
// document in HQ's database (store-side writes are audited by the relay into the store's database).
import { randomUUID } from 'node:crypto';
import type { CouchHandle } from '../../server-kit/couch';
import type { AuditEntry } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { auditId, auditOwnerPrefix, HQ_AUDIT_OWNER } from '../../shared/model/ids';
import { HQ_DB } from '../../shared/model/names';

export interface Actor {
  /** hqUserActor(id), storeActor(code) or 'system' (shared/model/names.ts). */
  id: string;
  from: string; // remote address
}

/** Largest detail an entry keeps: inputs are bounded by the routes, and this bounds what they forget to. */
const MAX_DETAIL_CHARS = 4000;

/** The detail as kept: whole when small, else a note of its size (an audit entry is permanent). */
function boundedDetail(detail: Record<string, unknown>): Record<string, unknown> {
  const size = JSON.stringify(detail).length;
  return size <= MAX_DETAIL_CHARS ? detail : { truncated: true, chars: size, keys: Object.keys(detail).slice(0, 50) };
}

/** Records one audit entry; `target` is the document id or resource changed. */
export async function audit(couch: CouchHandle, actor: Actor, action: string, target: string, detail?: Record<string, unknown>): Promise<void> {
  const at = new Date().toISOString();
  detail = detail && boundedDetail(detail);
  const entry: AuditEntry = {
    _id: auditId(HQ_AUDIT_OWNER, at, randomUUID()),
    type: 'audit',
    schema: CURRENT_SCHEMA,
    at,
    actor: actor.id,
    action,
    target,
    from: actor.from,
    ...(detail ? { detail } : {}),
  };
  await couch.nano.use(HQ_DB).insert(entry);
}

/** The most recent audit entries, newest first (ids sort by time). */
export async function recentAudit(couch: CouchHandle, limit = 100): Promise<AuditEntry[]> {
  const res = await couch.nano.use<AuditEntry>(HQ_DB).list({
    startkey: auditOwnerPrefix(HQ_AUDIT_OWNER) + '\ufff0',
    endkey: auditOwnerPrefix(HQ_AUDIT_OWNER),
    descending: true,
    include_docs: true,
    limit,
  });
  return res.rows.flatMap((r) => (r.doc ? [r.doc as AuditEntry] : []));
}
