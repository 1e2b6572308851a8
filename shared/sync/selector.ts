// A Mango selector compiled once into a predicate. pouchdb-selector-core's matchesSelector() re-normalises
// the selector on every call, which was 16x the cost of the match itself for the terminal's `$or` selector
// (100k documents: 775 ms against 48 ms). Pure JavaScript: used by the embedded server's `_changes`
// filter and by the snapshot bootstrap in the relay and the terminal.
import { filterInMemoryFields, massageSelector } from 'pouchdb-selector-core';

/** Compiles `selector` into a predicate over documents (throws on a malformed selector, as CouchDB answers 400). */
export function compileSelector(selector: unknown): (doc: unknown) => boolean {
  if (typeof selector !== 'object' || selector === null) throw new Error('Selector error: expected a JSON object');
  const massaged = massageSelector(selector);
  const fields = Object.keys(massaged);
  const request = { selector: massaged };
  return (doc) => filterInMemoryFields([{ doc }], request, fields).length === 1;
}

type IdTest = (id: string) => boolean;

function regExpOrNull(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern);
  } catch {
    return null; // PouchDB's matcher then fails as it did
  }
}

/**
 * A test of ids for one `_id` condition. `{$regex}` alone (how Caja's selectors name document types) is one
 * RegExp compiled once: PouchDB's matcher builds a new one for every id it tests, which was most of the cost of
 * a feed passing over a catch-up's sales. Anything else goes to PouchDB's matcher.
 */
function idTest(condition: unknown): IdTest {
  const pattern = typeof condition === 'object' && condition !== null && Object.keys(condition).length === 1 ? (condition as { $regex?: unknown }).$regex : undefined;
  const re = typeof pattern === 'string' ? regExpOrNull(pattern) : null;
  if (re) return (id) => re.test(id);
  const matches = compileSelector({ _id: condition });
  return (id) => matches({ _id: id });
}

/**
 * What a selector asks of `_id` alone, as a test a document must pass to match (null when it asks nothing of
 * `_id`): its top-level `_id` condition, its `$and` parts' and — when every branch has one — its `$or`
 * branches'. A server can pass over an id that fails it without reading the document (couchdb/changes.ts).
 */
export function idPrefilter(selector: unknown): IdTest | null {
  if (typeof selector !== 'object' || selector === null || Array.isArray(selector)) return null;
  const s = selector as Record<string, unknown>;
  const parts: IdTest[] = [];
  if ('_id' in s) parts.push(idTest(s._id));
  if (Array.isArray(s.$and)) for (const sub of s.$and) {
    const test = idPrefilter(sub);
    if (test) parts.push(test);
  }
  if (Array.isArray(s.$or) && s.$or.length) {
    const branches = s.$or.map(idPrefilter);
    if (branches.every((b): b is IdTest => b !== null)) parts.push((id) => branches.some((b) => b(id)));
  }
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0]! : (id) => parts.every((p) => p(id));
}
