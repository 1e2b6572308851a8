// Why the relay refused a document, as a code the till can say in its own language. A refused document comes
// back from a push as `{id, error, reason}`: `error` is CouchDB's code ('forbidden' for every refusal) and
// `reason` the relay's English sentence, written by the validator every database runs
// (shared/model/access.ts authorizeWrite and checkWrite) or by the replication gateway (server-kit/gateway.ts).
// Those sentences are few and fixed in shape, so each known shape is one code here with its message in
// i18n/en.ts and es.ts (`sync.refusal.<code>`); refusal.test.ts produces every one with the validator itself,
// so a changed wording fails there rather than silently showing English. Anything else keeps the relay's text.
import { ownerOf } from '../../../shared/model/ids';

export const REFUSAL_CODES = [
  'other_terminal', 'other_store', 'ledger_immutable', 'ledger_delete', 'type_not_allowed', 'invalid_document', 'not_terminal', 'not_accepted',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface RefusalCause {
  /** null: a refusal this build does not know; the screen shows the relay's own text. */
  code: RefusalCode | null;
  /** Values the message names (the other terminal), never English prose. */
  params: Record<string, string>;
}

interface Shape {
  code: RefusalCode;
  re: RegExp;
  params?: (m: RegExpExecArray, id: string) => Record<string, string>;
}

/** The terminal that owns a document, from its id (sale:S001:T77:… -> T77), else from the reason. */
function otherTerminal(m: RegExpExecArray, id: string): Record<string, string> {
  return { terminal: m[1] ?? ownerOf(id).terminalId ?? '?' };
}

// Most specific first: "terminal of store …" before "terminal …", immutability before the generic shapes.
const SHAPES: readonly Shape[] = [
  { code: 'other_store', re: /^terminal of store \S+ may not write the database of store \S+$/ },
  { code: 'other_store', re: /^store \S+ may not write / },
  { code: 'other_terminal', re: /^terminal \S+ may not write \S+ \S+ of terminal (\S+)$/, params: otherTerminal },
  { code: 'other_terminal', re: /^terminal \S+ may not write \S+$/, params: otherTerminal },
  { code: 'ledger_immutable', re: / is immutable: ledger documents are never edited/ },
  { code: 'ledger_immutable', re: /^ledger documents are immutable$/ },
  { code: 'ledger_delete', re: / is a ledger document and cannot be deleted$/ },
  { code: 'type_not_allowed', re: /^a terminal may not write \S+ documents$/ },
  { code: 'invalid_document', re: /^invalid \S+ \S+: / },
  { code: 'not_terminal', re: /^only the relay and paired terminals write the store database/ },
  { code: 'not_terminal', re: /^not a Caja writer: / },
  { code: 'not_accepted', re: /^(design documents are not written|_local documents are written only|attachments are not accepted) / },
];

/** The cause of a refused document, from the relay's answer for it (CouchDB `error` and `reason`). */
export function refusalCause(id: string, error: string | undefined, reason: string): RefusalCause {
  if (error !== undefined && error !== 'forbidden' && error !== 'unauthorized') return { code: null, params: {} };
  for (const s of SHAPES) {
    const m = s.re.exec(reason);
    if (m) return { code: s.code, params: s.params ? s.params(m, id) : {} };
  }
  return { code: null, params: {} };
}
