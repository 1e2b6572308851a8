// Which documents are ledger documents (never edited once written), for the replication gateway: by the
// `type` they carry and by their id's type prefix, so neither a relabelled body nor a deletion (which
// carries no type) slips past.
import { LEDGER_TYPES } from '../shared/model/access';
import { splitId } from '../shared/model/ids';

const LEDGER = new Set<string>(LEDGER_TYPES);

/** True when the id's type prefix or the body's `type` is a ledger type. */
export function isLedgerDoc(id: string, type: unknown): boolean {
  const prefix = splitId(id)?.type;
  return (prefix !== undefined && LEDGER.has(prefix)) || (typeof type === 'string' && LEDGER.has(type));
}
