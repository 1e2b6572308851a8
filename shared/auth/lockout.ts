// Pure state machines that slow down guessing of PINs (at a till), passwords (at HQ) and pairing codes (at a relay).
// Both are plain JSON-serializable objects with epoch-millisecond times, so a terminal keeps its lockout
// state in a `_local` document (it is hot, overwritten state that must not replicate, design.md) and HQ
// keeps its rate-limit state in CouchDB (HQ holds nothing in process memory a second instance would need).
// Every function returns a new state and never mutates its input, so callers can store and compare states.

// ====================== PIN lockout (terminal) ======================

export interface LockoutPolicy {
  /** Consecutive failures that trigger a lock. */
  maxFailures: number;
  /** Length of the first lock. */
  lockMs: number;
  /** Each further lock (without a success in between) lasts this many times longer than the one before. */
  growthFactor: number;
  /** Upper bound of one lock, so a legitimate user is never shut out for days by a prankster. */
  maxLockMs: number;
  /** A user with no failure for this long starts again from a clean slate (failures and lock escalation). */
  forgetAfterMs: number;
}

/** 5 failures lock for 5 min, then 10, 20, 40, capped at 60 min; a quiet day forgets the history. */
export const DEFAULT_LOCKOUT: LockoutPolicy = {
  maxFailures: 5,
  lockMs: 5 * 60_000,
  growthFactor: 2,
  maxLockMs: 60 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
};

export interface LockoutEntry {
  /** Consecutive failures since the last success or the last lock. */
  failures: number;
  /** Locks since the last success; drives the growing lock length. */
  lockCount: number;
  /** Epoch ms until which the user is locked; 0 when not locked. */
  lockedUntil: number;
  /** Epoch ms of the last failure. */
  lastFailureAt: number;
}

/** Lockout state of every user seen at one terminal, keyed by user id. */
export type LockoutState = Readonly<Record<string, LockoutEntry>>;

export interface LockStatus {
  locked: boolean;
  /** Epoch ms the lock ends, or null when not locked. */
  lockedUntil: number | null;
  /** Milliseconds until the user may try again (0 when not locked). */
  retryAfterMs: number;
  /** Failures left before the next lock (0 while locked). */
  failuresLeft: number;
}

/** An empty lockout state. */
export function emptyLockout(): LockoutState {
  return {};
}

/** Whether a user is locked at `now` (epoch ms), and how many attempts remain otherwise. */
export function checkLocked(state: LockoutState, userId: string, now: number, policy: LockoutPolicy = DEFAULT_LOCKOUT): LockStatus {
  const entry = current(state, userId, now, policy);
  if (entry.lockedUntil > now) {
    return { locked: true, lockedUntil: entry.lockedUntil, retryAfterMs: entry.lockedUntil - now, failuresLeft: 0 };
  }
  return { locked: false, lockedUntil: null, retryAfterMs: 0, failuresLeft: Math.max(0, policy.maxFailures - entry.failures) };
}

/**
 * Records a wrong PIN. The failure that reaches `maxFailures` locks the user; each lock since the last
 * success lasts `growthFactor` times longer than the previous one, up to `maxLockMs`.
 */
export function recordFailure(state: LockoutState, userId: string, now: number, policy: LockoutPolicy = DEFAULT_LOCKOUT): LockoutState {
  const entry = current(state, userId, now, policy);
  // While locked the caller must not even verify a PIN; if it does, the attempt is ignored rather than
  // counted, so one burst of typing cannot chain lock after lock.
  if (entry.lockedUntil > now) return state;
  const failures = entry.failures + 1;
  if (failures < policy.maxFailures) {
    return withEntry(state, userId, { ...entry, failures, lastFailureAt: now });
  }
  const lockCount = entry.lockCount + 1;
  const length = Math.min(policy.maxLockMs, policy.lockMs * policy.growthFactor ** (lockCount - 1));
  return withEntry(state, userId, { failures: 0, lockCount, lockedUntil: now + Math.round(length), lastFailureAt: now });
}

/**
 * Records a correct PIN: the user's failures and lock escalation are forgotten. A success reported while
 * the user is locked is ignored, because a locked user must not have been allowed to try.
 */
export function recordSuccess(state: LockoutState, userId: string, now: number, policy: LockoutPolicy = DEFAULT_LOCKOUT): LockoutState {
  const entry = get(state, userId);
  if (!entry) return state;
  if (current(state, userId, now, policy).lockedUntil > now) return state;
  return without(state, userId);
}

/** Lifts a user's lock and history at once: a manager's explicit unlock, recorded by the caller in the audit. */
export function clearLockout(state: LockoutState, userId: string): LockoutState {
  return get(state, userId) ? without(state, userId) : state;
}

/** Drops entries that no longer affect anything, so the `_local` document stays small. */
export function pruneLockout(state: LockoutState, now: number, policy: LockoutPolicy = DEFAULT_LOCKOUT): LockoutState {
  const out: Record<string, LockoutEntry> = {};
  for (const [userId, entry] of Object.entries(state)) {
    const e = current(state, userId, now, policy);
    if (e.lockedUntil > now || e.failures > 0 || e.lockCount > 0) out[userId] = entry;
  }
  return out;
}

function get(state: LockoutState, userId: string): LockoutEntry | undefined {
  // hasOwn so a user id such as "__proto__" or "constructor" never reads Object.prototype.
  return Object.hasOwn(state, userId) ? state[userId] : undefined;
}

/** The entry as it stands at `now`, after forgetting history older than the policy allows. */
function current(state: LockoutState, userId: string, now: number, policy: LockoutPolicy): LockoutEntry {
  const entry = get(state, userId) ?? { failures: 0, lockCount: 0, lockedUntil: 0, lastFailureAt: 0 };
  const quietSince = Math.max(entry.lastFailureAt, entry.lockedUntil);
  // A clock that went backwards (now < quietSince) keeps the history: erring towards locked is safe.
  if (entry.lockedUntil <= now && now - quietSince >= policy.forgetAfterMs) {
    return { failures: 0, lockCount: 0, lockedUntil: 0, lastFailureAt: entry.lastFailureAt };
  }
  return entry;
}

function withEntry(state: LockoutState, userId: string, entry: LockoutEntry): LockoutState {
  const out: Record<string, LockoutEntry> = { ...state };
  // defineProperty, not assignment: assigning to out["__proto__"] would set the prototype instead.
  Object.defineProperty(out, userId, { value: entry, enumerable: true, writable: true, configurable: true });
  return out;
}

function without(state: LockoutState, userId: string): LockoutState {
  const out: Record<string, LockoutEntry> = {};
  for (const [k, v] of Object.entries(state)) {
    if (k !== userId) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// ====================== rate limiting (HQ logins) ======================

/** A token bucket: `capacity` attempts at once, then one more every `refillMs`. */
export interface RateLimitPolicy {
  capacity: number;
  refillMs: number;
}

export interface Bucket {
  /** Whole tokens left. */
  tokens: number;
  /** Epoch ms up to which refills have been credited. */
  at: number;
}

/** Buckets keyed by whatever is being limited (a username, an address). */
export type RateLimitState = Readonly<Record<string, Bucket>>;

export interface RateDecision {
  allowed: boolean;
  /** Tokens left after this decision. */
  remaining: number;
  /** Milliseconds until the next token, when not allowed (0 when allowed). */
  retryAfterMs: number;
}

/** Whether `cost` tokens are available for `key` at `now`, without taking them. */
export function peekRateLimit(state: RateLimitState, key: string, now: number, policy: RateLimitPolicy, cost = 1): RateDecision {
  const bucket = refill(getBucket(state, key), now, policy);
  if (bucket.tokens >= cost) return { allowed: true, remaining: bucket.tokens - cost, retryAfterMs: 0 };
  const missing = cost - bucket.tokens;
  return { allowed: false, remaining: bucket.tokens, retryAfterMs: Math.max(0, bucket.at + missing * policy.refillMs - now) };
}

/** Takes `cost` tokens for `key` if available; the state is unchanged when refused. */
export function consumeRateLimit(
  state: RateLimitState,
  key: string,
  now: number,
  policy: RateLimitPolicy,
  cost = 1,
): { state: RateLimitState; decision: RateDecision } {
  const decision = peekRateLimit(state, key, now, policy, cost);
  if (!decision.allowed) return { state, decision };
  const bucket = refill(getBucket(state, key), now, policy);
  const out: Record<string, Bucket> = { ...state };
  Object.defineProperty(out, key, { value: { tokens: bucket.tokens - cost, at: bucket.at }, enumerable: true, writable: true, configurable: true });
  return { state: out, decision };
}

/** Drops buckets that have refilled to capacity: a full bucket behaves exactly like an absent one. */
export function pruneRateLimit(state: RateLimitState, now: number, policy: RateLimitPolicy): RateLimitState {
  const out: Record<string, Bucket> = {};
  for (const [k, b] of Object.entries(state)) {
    if (refill(b, now, policy).tokens < policy.capacity) {
      Object.defineProperty(out, k, { value: b, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

function getBucket(state: RateLimitState, key: string): Bucket | undefined {
  return Object.hasOwn(state, key) ? state[key] : undefined;
}

function refill(bucket: Bucket | undefined, now: number, policy: RateLimitPolicy): Bucket {
  if (!bucket) return { tokens: policy.capacity, at: now };
  // Integer arithmetic only: whole tokens and whole refill periods, so the stored state never drifts.
  const periods = Math.floor(Math.max(0, now - bucket.at) / policy.refillMs);
  const tokens = Math.min(policy.capacity, bucket.tokens + periods);
  // A full bucket restarts its clock at now; otherwise keep the partial period already elapsed.
  return { tokens, at: tokens === policy.capacity ? Math.max(now, bucket.at) : bucket.at + periods * policy.refillMs };
}

// ---------- HQ login limits: per username and per client address ----------

export interface LoginLimits {
  perUser: RateLimitPolicy;
  perAddress: RateLimitPolicy;
}

/**
 * Per user: 10 failed logins, then one per minute (slows guessing one account from many addresses).
 * Per address: 30 failed logins, then one every 10 s (slows one address spraying many accounts), high
 * enough that a shop's shared NAT address is not shut out by one person's typos.
 */
export const HQ_LOGIN_LIMITS: LoginLimits = {
  perUser: { capacity: 10, refillMs: 60_000 },
  perAddress: { capacity: 30, refillMs: 10_000 },
};

export interface LoginLimitState {
  users: RateLimitState;
  addresses: RateLimitState;
}

export interface LoginAttempt {
  username: string;
  /** The client's remote address as the server saw it (IPv4, IPv6 or IPv4-mapped IPv6). */
  address: string;
}

/** An empty login rate-limit state. */
export function emptyLoginLimits(): LoginLimitState {
  return { users: {}, addresses: {} };
}

/** Whether a login attempt may be checked at all; refuse with 429 and `Retry-After` when not allowed. */
export function checkLoginAllowed(state: LoginLimitState, attempt: LoginAttempt, now: number, limits: LoginLimits = HQ_LOGIN_LIMITS): RateDecision {
  const u = peekRateLimit(state.users, userKey(attempt.username), now, limits.perUser);
  const a = peekRateLimit(state.addresses, addressKey(attempt.address), now, limits.perAddress);
  return {
    allowed: u.allowed && a.allowed,
    remaining: Math.min(u.remaining, a.remaining),
    retryAfterMs: Math.max(u.retryAfterMs, a.retryAfterMs),
  };
}

/**
 * Records a failed login against both the username and the address. Only failures are counted, so
 * legitimate staff logging in all day from one office never exhaust their address's budget.
 */
export function recordLoginFailure(state: LoginLimitState, attempt: LoginAttempt, now: number, limits: LoginLimits = HQ_LOGIN_LIMITS): LoginLimitState {
  return {
    users: consumeRateLimit(state.users, userKey(attempt.username), now, limits.perUser).state,
    addresses: consumeRateLimit(state.addresses, addressKey(attempt.address), now, limits.perAddress).state,
  };
}

/** Drops full buckets from a login rate-limit state before it is saved. */
export function pruneLoginLimits(state: LoginLimitState, now: number, limits: LoginLimits = HQ_LOGIN_LIMITS): LoginLimitState {
  return { users: pruneRateLimit(state.users, now, limits.perUser), addresses: pruneRateLimit(state.addresses, now, limits.perAddress) };
}

/**
 * The keys one login attempt is limited under (its username and its address), for serialising attempts
 * that share either: the limiter is check-then-record, so attempts on one key must not overlap (KeyedMutex).
 */
export function loginLimitKeys(attempt: LoginAttempt): string[] {
  return [`user:${userKey(attempt.username)}`, `addr:${addressKey(attempt.address)}`];
}

function userKey(username: string): string {
  // Usernames are matched case-insensitively at login, so "Ana" and "ana" share one budget.
  return username.normalize('NFKC').toLowerCase();
}

/**
 * The key an address is limited under: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its /64 prefix,
 * because one host is routinely given a whole /64 and could otherwise rotate addresses freely.
 */
export function addressKey(address: string): string {
  const a = address.trim().toLowerCase().replace(/%.*$/, ''); // drop an IPv6 zone id
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  if (mapped?.[1]) return mapped[1];
  if (!a.includes(':')) return a;
  const halves = a.split('::');
  if (halves.length > 2) return a; // not an IPv6 address; limit it verbatim
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length === 2 ? [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail] : head;
  return groups
    .slice(0, 4)
    .map((g) => (g.replace(/^0+(?=.)/, '') || '0'))
    .join(':') + '::/64';
}

// ====================== sliding windows (relay pairing codes) ======================

/** At most `limit` failures within any `windowMs`; further attempts are refused until the oldest leaves it. */
export interface WindowPolicy {
  limit: number;
  windowMs: number;
}

/** Epoch-ms times of recent failures, newest last, keyed by what is limited; at most `limit` kept per key. */
export type WindowState = Readonly<Record<string, readonly number[]>>;

/** Whether `key` may try again at `now`: refused while `limit` failures lie within the window. */
export function checkWindow(state: WindowState, key: string, now: number, policy: WindowPolicy): RateDecision {
  const recent = inWindow(getTimes(state, key), now, policy);
  if (recent.length < policy.limit) return { allowed: true, remaining: policy.limit - recent.length, retryAfterMs: 0 };
  // The window frees a slot when the oldest of the last `limit` failures leaves it.
  const oldest = recent[recent.length - policy.limit] ?? now;
  return { allowed: false, remaining: 0, retryAfterMs: Math.max(1, oldest + policy.windowMs - now) };
}

/** Records a failure for `key` at `now`, dropping times that no longer matter (outside the window, or beyond `limit`). */
export function recordWindowFailure(state: WindowState, key: string, now: number, policy: WindowPolicy): WindowState {
  const times = [...inWindow(getTimes(state, key), now, policy), now].slice(-policy.limit);
  const out: Record<string, readonly number[]> = { ...state };
  Object.defineProperty(out, key, { value: times, enumerable: true, writable: true, configurable: true });
  return out;
}

/** Drops keys with no failure left in the window, so the stored document stays small. */
export function pruneWindows(state: WindowState, now: number, policy: WindowPolicy): WindowState {
  const out: Record<string, readonly number[]> = {};
  for (const [k, times] of Object.entries(state)) {
    const recent = inWindow(times, now, policy);
    if (recent.length) Object.defineProperty(out, k, { value: recent, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function getTimes(state: WindowState, key: string): readonly number[] {
  const times = Object.hasOwn(state, key) ? state[key] : undefined;
  return Array.isArray(times) ? times.filter((t): t is number => typeof t === 'number') : [];
}

function inWindow(times: readonly number[], now: number, policy: WindowPolicy): number[] {
  // A time after `now` (a clock that went backwards) is kept: erring towards refusing is safe.
  return times.filter((t) => now - t < policy.windowMs).sort((a, b) => a - b);
}

// ---------- relay pairing codes: per relay and per client address ----------

export interface PairingLimits {
  perRelay: WindowPolicy;
  perAddress: WindowPolicy;
}

/**
 * A six-digit code has 10^6 values and lives 10 minutes. Per relay: 10 wrong codes in 10 minutes stop code
 * pairing for everyone until the window passes, so guessing a live code succeeds with odds near 10^-5 however
 * many addresses an attacker uses (a manager can still pair with username and PIN meanwhile). Per address:
 * 5 in 10 minutes, so one misbehaving device is stopped before it uses up the whole relay's budget.
 */
export const PAIRING_LIMITS: PairingLimits = {
  perRelay: { limit: 10, windowMs: 10 * 60_000 },
  perAddress: { limit: 5, windowMs: 10 * 60_000 },
};

export interface PairingLimitState {
  /** Wrong codes at this relay, from any address. */
  relay: readonly number[];
  /** Wrong codes per client address (addressKey). */
  addresses: WindowState;
}

const RELAY_KEY = 'relay';

/** An empty pairing limit state. */
export function emptyPairingLimits(): PairingLimitState {
  return { relay: [], addresses: {} };
}

/** Whether a pairing code from `address` may be checked at all; refuse with 429 when not allowed. */
export function checkPairingAllowed(state: PairingLimitState, address: string, now: number, limits: PairingLimits = PAIRING_LIMITS): RateDecision {
  const r = checkWindow({ [RELAY_KEY]: state.relay }, RELAY_KEY, now, limits.perRelay);
  const a = checkWindow(state.addresses, addressKey(address), now, limits.perAddress);
  return { allowed: r.allowed && a.allowed, remaining: Math.min(r.remaining, a.remaining), retryAfterMs: Math.max(r.retryAfterMs, a.retryAfterMs) };
}

/** Records a wrong pairing code against the relay and the address, and prunes what no longer counts. */
export function recordPairingFailure(state: PairingLimitState, address: string, now: number, limits: PairingLimits = PAIRING_LIMITS): PairingLimitState {
  const relay = recordWindowFailure({ [RELAY_KEY]: state.relay }, RELAY_KEY, now, limits.perRelay)[RELAY_KEY] ?? [];
  const addresses = pruneWindows(recordWindowFailure(state.addresses, addressKey(address), now, limits.perAddress), now, limits.perAddress);
  return { relay, addresses };
}
