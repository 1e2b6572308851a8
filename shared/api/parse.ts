// The parsing kit every write route and CLI verb uses: a request body (or a set of flags) arrives as
// `unknown` and leaves as a typed value with limits checked — or an ApiError 400 naming the field — before
// anything is written. Parsers compose (`object({ name: string({ max: 120 }) })`), each one small, so the
// limits of an input are read in one place. Unknown keys are refused by default: a typo such as `{"prcie": 5}`
// must not answer 200 having changed nothing. Pure: no I/O.
import type { Money } from '../money';
import { money } from '../money';
import type { ErrorCode } from './errors';
import { ERRORS, ApiError } from './errors';

/** Reads `value` found at `path` (`name`, `barcodes[2]`, `counts.S001:T1:1.500`) or throws a 400 naming it. */
export interface Parser<T> {
  (value: unknown, path: string): T;
}

/** A parser whose key may be absent from an object (its value is then `undefined` and the key left out). */
export interface OptionalParser<T> extends Parser<T | undefined> {
  readonly optional: true;
}

/** Where a parser's errors point, and which code of the error table they carry. */
interface Common {
  /** The error code (default `invalid_input`); its status comes from the error table. */
  code?: ErrorCode;
}

/** Largest amount of money an API accepts: 1,000,000,000 minor units (10 million in a currency with cents). */
export const MAX_MONEY = 1_000_000_000;

/** Throws the 400 (or the code's status) naming `path`. */
export function invalid(path: string, problem: string, code: ErrorCode = 'invalid_input'): never {
  const field = path || 'body';
  throw new ApiError(ERRORS[code].status, code, `${field}: ${problem}`, undefined, field);
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const describe = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : typeof value === 'string' ? 'text' : typeof value);
// Names and codes are one line of text: a NUL or a newline in a store name breaks receipts and logs.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface StringOptions extends Common {
  /** Minimum length after trimming (default 1: required text is not empty). */
  min?: number;
  max: number;
  pattern?: RegExp;
  /** Said when the pattern does not match, e.g. "2 to 12 letters A-Z or digits". */
  hint?: string;
  /** Trim surrounding white space first (default true). */
  trim?: boolean;
  /** Normalise case before the pattern is checked. */
  case?: 'upper' | 'lower';
  /** Unicode-normalise first (NFKC for identifiers: a full-width "Ａ" is the "A" people meant). */
  normalize?: 'NFC' | 'NFKC';
  /** Allow line breaks and tabs (default false: one line, no control characters). */
  multiline?: boolean;
  /** Cut text longer than `max` instead of refusing it (for free text relayed from other processes). */
  truncate?: boolean;
}

/** Text with a length range, optionally a pattern. */
export function string(opts: StringOptions): Parser<string> {
  const min = opts.min ?? 1;
  return (value, path) => {
    if (typeof value !== 'string') invalid(path, `must be text, got ${describe(value)}`, opts.code);
    // Far over the limit: refuse before trimming or normalising megabytes.
    if (!opts.truncate && value.length > opts.max * 4 + 64) invalid(path, `must be at most ${opts.max} characters (got ${value.length})`, opts.code);
    let s = opts.trim === false ? value : value.trim();
    if (opts.normalize) s = s.normalize(opts.normalize);
    if (opts.case === 'upper') s = s.toUpperCase();
    if (opts.case === 'lower') s = s.toLowerCase();
    if (s.length > opts.max) {
      if (opts.truncate) s = s.slice(0, opts.max);
      else invalid(path, `must be at most ${opts.max} characters (got ${s.length})`, opts.code);
    }
    if (s.length < min) invalid(path, min === 1 ? 'must not be empty' : `must be at least ${min} characters`, opts.code);
    if (!opts.multiline && CONTROL.test(s)) invalid(path, 'must be one line without control characters', opts.code);
    if (opts.pattern && !opts.pattern.test(s)) invalid(path, opts.hint ? `must be ${opts.hint}` : `has an unaccepted format`, opts.code);
    return s;
  };
}

export interface RangeOptions extends Common {
  min: number;
  max: number;
}

/** A safe integer in [min, max]. */
export function int(opts: RangeOptions): Parser<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid(path, `must be a whole number, got ${describe(value)}${typeof value === 'number' ? ` ${value}` : ''}`, opts.code);
    if (value < opts.min || value > opts.max) invalid(path, `must be from ${opts.min} to ${opts.max}, got ${value}`, opts.code);
    return value;
  };
}

/** A finite number in (exclusiveMin, max] or [min, max]. */
export function number(opts: Common & { min?: number; exclusiveMin?: number; max: number }): Parser<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) invalid(path, `must be a number, got ${describe(value)}`, opts.code);
    if (opts.exclusiveMin !== undefined && value <= opts.exclusiveMin) invalid(path, `must be more than ${opts.exclusiveMin}, got ${value}`, opts.code);
    if (opts.min !== undefined && value < opts.min) invalid(path, `must be at least ${opts.min}, got ${value}`, opts.code);
    if (value > opts.max) invalid(path, `must be at most ${opts.max}, got ${value}`, opts.code);
    return value;
  };
}

/** Money: a whole number of minor units (cents), 0..MAX_MONEY unless told otherwise. */
export function moneyOf(opts: Common & { min?: number; max?: number } = {}): Parser<Money> {
  const range = int({ min: opts.min ?? 0, max: opts.max ?? MAX_MONEY, code: opts.code ?? 'invalid_price' });
  return (value, path) => money(range(value, path));
}

/** true or false (not "true", not 1). */
export function boolean(opts: Common = {}): Parser<boolean> {
  return (value, path) => {
    if (typeof value !== 'boolean') invalid(path, `must be true or false, got ${describe(value)}${typeof value === 'string' ? ` "${value.slice(0, 20)}"` : ''}`, opts.code);
    return value;
  };
}

/** One of a fixed list of values (case matters: "EN" is not "en"). */
export function oneOf<const T extends string | number>(values: readonly T[], opts: Common = {}): Parser<T> {
  return (value, path) => {
    if (!values.includes(value as T)) {
      const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : describe(value);
      invalid(path, `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}, got ${shown}`, opts.code);
    }
    return value as T;
  };
}

/** A list of at most `max` items, each read by `item`; `unique` refuses repeats. */
export function array<T>(item: Parser<T>, opts: Common & { min?: number; max: number; unique?: boolean }): Parser<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) invalid(path, `must be a list, got ${describe(value)}`, opts.code);
    if (value.length > opts.max) invalid(path, `must have at most ${opts.max} items (got ${value.length})`, opts.code);
    if (value.length < (opts.min ?? 0)) invalid(path, `must have at least ${opts.min} item(s)`, opts.code);
    const out = value.map((v, i) => item(v, `${path || 'body'}[${i}]`));
    if (opts.unique) {
      const seen = new Set<string>();
      out.forEach((v, i) => {
        const key = JSON.stringify(v);
        if (seen.has(key)) invalid(`${path || 'body'}[${i}]`, 'repeats an earlier item', opts.code);
        seen.add(key);
      });
    }
    return out;
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets a key without ever touching the prototype (`__proto__` from JSON is an own key, and stays one). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An object whose keys are read by `key` and values by `value` (store code -> roles), at most `max` keys. */
export function record<T>(key: Parser<string>, value: Parser<T>, opts: Common & { max: number }): Parser<Record<string, T>> {
  return (input, path) => {
    if (!isPlainObject(input)) invalid(path, `must be an object, got ${describe(input)}`, opts.code);
    const keys = Object.keys(input);
    if (keys.length > opts.max) invalid(path, `must have at most ${opts.max} entries (got ${keys.length})`, opts.code);
    const out: Record<string, T> = {};
    for (const k of keys) put(out, key(k, join(path, k)), value(input[k], join(path, k)));
    return out;
  };
}

type Shape = Record<string, Parser<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalParser<unknown> ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] };
/** The typed value an object parser returns: optional keys may be absent. */
export type Parsed<S extends Shape> = Flat<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: ReturnType<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<ReturnType<S[K]>, undefined> }
>;
/** The value type a parser returns. */
export type Infer<P> = P extends Parser<infer T> ? T : never;

/**
 * An object with known keys. Unknown keys are refused (`unknown_field`) unless `unknownKeys: 'strip'` (for
 * reports from other processes, which may be a version ahead). Optional keys that are absent stay absent.
 */
export function object<S extends Shape>(shape: S, opts: Common & { unknownKeys?: 'refuse' | 'strip' } = {}): Parser<Parsed<S>> {
  return (input, path) => {
    if (!isPlainObject(input)) invalid(path, `must be an object, got ${describe(input)}`, opts.code);
    if (opts.unknownKeys !== 'strip') {
      const extra = Object.keys(input).filter((k) => !Object.hasOwn(shape, k));
      if (extra.length) {
        const first = extra[0] as string;
        invalid(join(path, first), `is not a field here (accepted: ${Object.keys(shape).join(', ')})`, 'unknown_field');
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, parser] of Object.entries(shape)) {
      const raw = Object.hasOwn(input, k) ? input[k] : undefined;
      const isOptional = (parser as Partial<OptionalParser<unknown>>).optional === true;
      if (raw === undefined && isOptional) continue;
      if (raw === undefined) invalid(join(path, k), 'is required', opts.code);
      put(out, k, parser(raw, join(path, k)));
    }
    return out as Parsed<S>;
  };
}

/** The key may be left out (or sent as undefined); when present it must parse. */
export function optional<T>(parser: Parser<T>): OptionalParser<T> {
  const p = ((value: unknown, path: string) => (value === undefined ? undefined : parser(value, path))) as OptionalParser<T>;
  return Object.assign(p, { optional: true as const });
}

/** `null` is accepted as "none" (a price override removed, a measure the terminal cannot take). */
export function nullable<T>(parser: Parser<T>): Parser<T | null> {
  return (value, path) => (value === null ? null : parser(value, path));
}

/** A further check on a parsed value: `check` returns a problem to report, or null when the value is fine. */
export function refine<T>(parser: Parser<T>, check: (value: T) => string | null, code?: ErrorCode): Parser<T> {
  return (value, path) => {
    const parsed = parser(value, path);
    const problem = check(parsed);
    if (problem !== null) invalid(path, problem, code);
    return parsed;
  };
}

/** Runs a parser on a whole request body (or CLI flags); errors name fields from the top. */
export function parse<T>(parser: Parser<T>, value: unknown): T {
  return parser(value, '');
}

// ---------- common fields ----------

/** The check digit of a GTIN (EAN-8, UPC-A, EAN-13) is right: weights 3,1,3,... from the right. */
export function isValidGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13})$/.test(code)) return false;
  let total = 0;
  for (let i = code.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) total += Number(code.charAt(i)) * weight;
  return (10 - (total % 10)) % 10 === Number(code.charAt(code.length - 1));
}

/** A product barcode: EAN-13, UPC-A or EAN-8 with a correct check digit. */
export const barcode = (): Parser<string> =>
  refine(string({ max: 13, code: 'invalid_barcode' }), (s) => (isValidGtin(s) ? null : `"${s}" is not an EAN-13, UPC-A or EAN-8 with a correct check digit`), 'invalid_barcode');

/** An IANA time zone the runtime knows (Intl is part of every JavaScript runtime Caja runs in). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** YYYY-MM-DD that is a real calendar day (2025-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

