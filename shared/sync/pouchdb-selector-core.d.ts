// pouchdb-selector-core (PouchDB 9's own Mango matcher, the one its replication and the embedded server's
// `_changes?filter=_selector` use) ships no types; this is the one function Caja calls.
declare module 'pouchdb-selector-core' {
  export function matchesSelector(doc: unknown, selector: unknown): boolean;
  export function massageSelector(selector: unknown): Record<string, unknown>;
  export function filterInMemoryFields(rows: Array<{ doc: unknown }>, request: { selector: unknown }, fields: string[]): Array<{ doc: unknown }>;
}
