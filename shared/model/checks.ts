// The small combinator library the document validators are built from (specs.*.ts). A `Check<T>` reads one
// field, pushes `path: problem` for what is wrong and returns the value when it is usable; a `Spec<T>` holds a
// check for every field of T, so a field added to an interface without a check does not compile. Bundled into
// validate_doc_update like validate.ts: ES2017, no classes, no Intl, no regex lookbehind, pure.
import type { Money } from '../money';
import type { BaseDoc, I18nText } from './types';
import { isBusinessDate, isIsoUtc, isKey, isStoreCode, isTerminalId, splitId } from './ids';

/** Loose shape of a document (or a part of one) before it is validated. */
export type Obj = Record<string, unknown>;
/** The problems found so far, as `path: problem`. */
export type Errs = string[];

/** True when a value is a plain (non-array, non-null) object. */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True for a quantity: finite, at most 3 decimals (weighed goods are measured to the gram). */
export function isQuantity(v: unknown): v is number {
  return typeof v === 'number' && isFinite(v) && Math.abs(v) < 1e12 && Math.round(v * 1000) / 1000 === v;
}

export function bad(e: Errs, path: string, msg: string): void {
  e.push(path + ': ' + msg);
}

/**
 * What a check sees besides its value: the object holding the field (raw), the fields of it already found
 * valid (ok, in spec order, so a check may depend on the ones before it), the path prefix of that object, and,
 * for an item of a list, the valid fields of the items before it.
 */
export interface Scope<P> {
  readonly errs: Errs;
  readonly raw: Obj;
  readonly ok: Partial<P>;
  readonly at: string;
  readonly earlier: ReadonlyArray<Partial<P>>;
}

/** Checks one field of a `P`; returns the value when it is usable, undefined otherwise (or when absent). */
export interface Check<T, P = unknown> {
  (value: unknown, path: string, scope: Scope<P>): T | undefined;
  /** Type-level only, never set: makes Check invariant in T, so an optional field needs optional(). */
  readonly exactly?: (value: T) => T;
}

/** A check for every field of T (optional ones included), run in the order written. */
export type Spec<T> = { [F in keyof T]-?: Check<T[F], T> };

/** A rule over several fields of a `P`, run at one point of the spec (after a field, or before / after them all). */
export type Rule<P> = (scope: Scope<P>) => void;

function fail(scope: Scope<unknown>, path: string, msg: string): undefined {
  bad(scope.errs, path, msg);
  return undefined;
}

/** The fields of a spec in the order written, listed once when a check is built rather than on every document. */
function fieldsOf<T>(spec: Spec<T>): Array<Extract<keyof T, string>> {
  const keys: Array<Extract<keyof T, string>> = [];
  for (const k in spec) keys.push(k);
  return keys;
}

/** Runs every check of a spec over `raw`, in order, collecting the valid fields into `ok`. */
function runFields<T>(spec: Spec<T>, keys: ReadonlyArray<Extract<keyof T, string>>, scope: Scope<T>): void {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as Extract<keyof T, string>;
    const value = spec[k](scope.raw[k], scope.at + k, scope);
    if (value !== undefined) scope.ok[k] = value;
  }
}

/** A fresh scope for the fields of `raw` at path prefix `at`. */
function scopeOf<T>(errs: Errs, raw: Obj, at: string, earlier: ReadonlyArray<Partial<T>> = []): Scope<T> {
  return { errs, raw, ok: {}, at, earlier };
}

// ---------- composition ----------

/** An optional field: absent is fine, present must pass `check`. */
export function optional<T, P>(check: Check<T, P>): Check<T | undefined, P> {
  return (v, path, scope) => (v === undefined ? undefined : check(v, path, scope));
}

/** A field that may be null; anything else must pass `check`. */
export function nullable<T, P>(check: Check<T, P>): Check<T | null, P> {
  return (v, path, scope) => (v === null ? null : check(v, path, scope));
}

/** A field optional in the type but required when `when` holds (e.g. a foreign tender's currency). */
export function requiredIf<T, P>(when: (scope: Scope<P>) => boolean, check: Check<T, NoInfer<P>>): Check<T | undefined, P> {
  return (v, path, scope) => (when(scope) || v !== undefined ? check(v, path, scope) : undefined);
}

/** `check`, then a rule over this field and the ones before it (an id derived from them, a sum). */
export function then<T, P>(check: Check<T, NoInfer<P>>, rule: (value: T | undefined, scope: Scope<P>, path: string) => void): Check<T, P> {
  return (v, path, scope) => {
    const value = check(v, path, scope);
    rule(value, scope, path);
    return value;
  };
}

/** A nested object checked field by field; usable only when none of its fields failed. */
export function object<T>(spec: Spec<T>, message = 'must be an object'): Check<T> {
  const keys = fieldsOf(spec);
  return (v, path, scope) => {
    if (!isObj(v)) return fail(scope, path, message);
    const before = scope.errs.length;
    runFields(spec, keys, scopeOf<T>(scope.errs, v, path + '.'));
    // Validated field by field above: from here on it is a T.
    return scope.errs.length === before ? (v as T) : undefined;
  };
}

/**
 * An object whose fields are not looked at (a free-form map such as an audit's detail, or a part the
 * validator has never checked field by field); spelled out so the spec still names the field.
 */
export function anyObject<T extends object>(message = 'must be an object'): Check<T> {
  return (v, path, scope) => (isObj(v) ? (v as T) : fail(scope, path, message));
}

/**
 * A field the validator has never checked, named so the spec stays complete: a stricter check now would refuse
 * documents already written and replicated.
 */
export function unchecked<T>(): Check<T> {
  return () => undefined;
}

/** A list of objects, each checked field by field; a check of an item sees the valid fields of the ones before. */
export function list<T>(spec: Spec<T>, minLen = 0): Check<T[]> {
  const keys = fieldsOf(spec);
  return (v, path, scope) => {
    if (!Array.isArray(v)) return fail(scope, path, 'must be a list');
    const before = scope.errs.length;
    if (v.length < minLen) bad(scope.errs, path, 'must have at least ' + minLen + ' item' + (minLen === 1 ? '' : 's'));
    const earlier: Array<Partial<T>> = [];
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      const ip = path + '[' + i + ']';
      if (!isObj(item)) {
        bad(scope.errs, ip, 'must be an object');
        continue;
      }
      const itemScope = scopeOf<T>(scope.errs, item, ip + '.', earlier);
      runFields(spec, keys, itemScope);
      earlier.push(itemScope.ok);
    }
    return scope.errs.length === before ? (v as T[]) : undefined;
  };
}

/** Checks a list of non-empty strings, each passing `test` when given; returns it when all do. */
export function stringList(v: unknown, path: string, errs: Errs, test?: (s: string) => boolean, what?: string): string[] | undefined {
  if (!Array.isArray(v)) {
    bad(errs, path, 'must be a list');
    return undefined;
  }
  const before = errs.length;
  for (let i = 0; i < v.length; i++) {
    const s: unknown = v[i];
    if (typeof s !== 'string' || s.length === 0 || (test && !test(s))) bad(errs, path + '[' + i + ']', 'must be ' + (what || 'a non-empty string'));
  }
  return errs.length === before ? (v as string[]) : undefined;
}

/** A list of non-empty strings, each passing `test` (described as `what`) when given. */
export function strList(test?: (s: string) => boolean, what?: string): Check<string[]> {
  return (v, path, scope) => stringList(v, path, scope.errs, test, what);
}

// ---------- scalars ----------

/** A non-empty string. */
export const str: Check<string> = (v, path, scope) => (typeof v === 'string' && v.length > 0 ? v : fail(scope, path, 'must be a non-empty string'));

/** Any string, the empty one included. */
export const text: Check<string> = (v, path, scope) => (typeof v === 'string' ? v : fail(scope, path, 'must be a string'));

export const bool: Check<boolean> = (v, path, scope) => (typeof v === 'boolean' ? v : fail(scope, path, 'must be true or false'));

/** A safe integer from `min` (to `max`). */
export function int(min: number, max?: number): Check<number> {
  return (v, path, scope) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || (max !== undefined && v > max)) {
      return fail(scope, path, 'must be an integer ' + (max === undefined ? '>= ' + min : 'from ' + min + ' to ' + max));
    }
    return v;
  };
}

/** Money: an integer of minor units; `sign` 'nonneg' rejects negatives, 'pos' also zero. */
export function money(sign?: 'nonneg' | 'pos'): Check<Money> {
  return (v, path, scope) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return fail(scope, path, 'must be an integer amount of minor units');
    if (sign === 'nonneg' && v < 0) return fail(scope, path, 'must not be negative');
    if (sign === 'pos' && v <= 0) return fail(scope, path, 'must be positive');
    // A safe integer is what Money is (money.ts isMoney).
    return v as Money;
  };
}

/** A quantity (at most 3 decimals) of the given sign. */
export function qty(sign: 'pos' | 'nonneg' | 'nonzero'): Check<number> {
  return (v, path, scope) => {
    if (!isQuantity(v)) return fail(scope, path, 'must be a number with at most 3 decimals');
    if ((sign === 'pos' && v <= 0) || (sign === 'nonneg' && v < 0) || (sign === 'nonzero' && v === 0)) {
      return fail(scope, path, sign === 'pos' ? 'must be positive' : sign === 'nonneg' ? 'must not be negative' : 'must not be zero');
    }
    return v;
  };
}

/** One of a fixed set of strings. */
export function oneOf<V extends string>(values: readonly V[]): Check<V> {
  return (v, path, scope) => {
    const i = typeof v === 'string' ? values.indexOf(v as V) : -1;
    return i >= 0 ? values[i] : fail(scope, path, 'must be one of ' + values.join(', '));
  };
}

/** A string passing `test`, refused with `message` otherwise. */
export function matching(test: (v: unknown) => boolean, message: string): Check<string> {
  return (v, path, scope) => (typeof v === 'string' && test(v) ? v : fail(scope, path, message));
}

export const isoTime = matching(isIsoUtc, 'must be an ISO-8601 UTC timestamp');
export const businessDate = matching(isBusinessDate, 'must be a YYYY-MM-DD business date');
export const storeCode = matching(isStoreCode, 'must be a store code (2-12 of A-Z, 0-9)');
export const terminalId = matching(isTerminalId, 'must be a terminal id (T1..T9999)');
export const currencyCode = matching((v) => typeof v === 'string' && /^[A-Z]{3}$/.test(v), 'must be an ISO 4217 code');

/** A reference to another document by id, `<type>:<key>`. */
export function ref(type: string): Check<string> {
  return matching((v) => {
    const s = typeof v === 'string' ? splitId(v) : null;
    return s !== null && s.type === type && isKey(s.key);
  }, 'must be a ' + type + ' id (' + type + ':<key>)');
}

/** Text in each supported language; `allowEmpty` for texts that may be blank (a receipt footer). */
export function i18n(allowEmpty?: boolean): Check<I18nText> {
  const s = allowEmpty ? text : str;
  return object<I18nText>({ en: s, es: s }, 'must be an object with en and es texts');
}

/** The document's id must be `expected` (derived from its content). */
export function sameId(e: Errs, doc: Obj, expected: string | null): void {
  if (expected !== null && doc._id !== expected) bad(e, '_id', 'must be ' + expected + ' (derived from the content), got ' + String(doc._id));
}

/** The key of a catalog-like document: a usable key, and the document's id is `<type>:<key>`. */
export function key(type: string): Check<string> {
  return (v, path, scope) => {
    const k = str(v, path, scope);
    if (k === undefined) return undefined;
    if (!isKey(k)) return fail(scope, path, 'must not start with _ or have surrounding spaces');
    sameId(scope.errs, scope.raw, type + ':' + k);
    return k;
  };
}

// ---------- documents ----------

/** The fields a document type's spec covers: all but the envelope (`_id`, `type`, `schema`, ...; validateEnvelope). */
export type Fields<T> = Omit<T, keyof BaseDoc>;

/** How one document type is validated: its fields in order, with rules before and after them. */
export interface DocRules<T> {
  /** Checks made before any field (an id that must parse first). */
  before?: Rule<Fields<T>>;
  fields: Spec<Fields<T>>;
  /** Checks over the whole document (totals), made after every field. */
  after?: Rule<Fields<T>>;
}

/** A validator of one document type: the list of problems, empty when valid. */
export interface Validator<T = unknown> {
  (doc: Obj): string[];
  /** Type-level only, never set: ties a validator to its document type. */
  readonly docType?: (doc: T) => T;
}

/** The validator a document type's rules make. */
export function validatorOf<T>(rules: DocRules<T>): Validator<T> {
  const keys = fieldsOf(rules.fields);
  return (doc) => {
    const scope = scopeOf<Fields<T>>([], doc, '');
    if (rules.before) rules.before(scope);
    runFields(rules.fields, keys, scope);
    if (rules.after) rules.after(scope);
    return scope.errs;
  };
}
