import { expect } from 'chai';
import fc from 'fast-check';
import {
  DEFAULT_LOCKOUT,
  HQ_LOGIN_LIMITS,
  PAIRING_LIMITS,
  addressKey,
  checkPairingAllowed,
  checkWindow,
  emptyPairingLimits,
  loginLimitKeys,
  pruneWindows,
  recordPairingFailure,
  recordWindowFailure,
  checkLocked,
  checkLoginAllowed,
  clearLockout,
  consumeRateLimit,
  emptyLockout,
  emptyLoginLimits,
  peekRateLimit,
  pruneLockout,
  pruneRateLimit,
  recordFailure,
  recordLoginFailure,
  recordSuccess,
  type LockoutState,
  type RateLimitState,
} from './lockout';

const T0 = Date.UTC(2025, 0, 1, 9, 0, 0);
const MIN = 60_000;

function fail(state: LockoutState, times: number, user = 'u1', at = T0): LockoutState {
  let s = state;
  for (let i = 0; i < times; i++) s = recordFailure(s, user, at + i);
  return s;
}

describe('shared/auth/lockout: PIN lockout', () => {
  it('locks after 5 consecutive failures, not before', () => {
    let s = fail(emptyLockout(), 4);
    expect(checkLocked(s, 'u1', T0 + 10)).to.include({ locked: false, failuresLeft: 1 });
    s = recordFailure(s, 'u1', T0 + 10);
    const st = checkLocked(s, 'u1', T0 + 11);
    expect(st.locked).to.equal(true);
    expect(st.lockedUntil).to.equal(T0 + 10 + 5 * MIN);
    expect(st.retryAfterMs).to.equal(5 * MIN - 1);
    // Another user at the same terminal is not affected.
    expect(checkLocked(s, 'u2', T0 + 11).locked).to.equal(false);
  });

  it('expires the lock after 5 minutes', () => {
    const s = fail(emptyLockout(), 5);
    const until = T0 + 4 + 5 * MIN;
    expect(checkLocked(s, 'u1', until - 1).locked).to.equal(true);
    expect(checkLocked(s, 'u1', until)).to.include({ locked: false, failuresLeft: 5 });
  });

  it('a success resets the failure count and the escalation', () => {
    let s = fail(emptyLockout(), 4);
    s = recordSuccess(s, 'u1', T0 + 100);
    expect(s).to.deep.equal({});
    s = fail(s, 4, 'u1', T0 + 200);
    expect(checkLocked(s, 'u1', T0 + 300).locked).to.equal(false);
  });

  it('grows the lock for repeated lockouts, capped at an hour', () => {
    let s = emptyLockout();
    let at = T0;
    const lengths: number[] = [];
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 5; i++) s = recordFailure(s, 'u1', at);
      const until = checkLocked(s, 'u1', at).lockedUntil ?? 0;
      lengths.push((until - at) / MIN);
      at = until;
    }
    expect(lengths).to.deep.equal([5, 10, 20, 40, 60, 60]);
  });

  it('ignores failures and successes reported while locked', () => {
    const s = fail(emptyLockout(), 5);
    expect(recordFailure(s, 'u1', T0 + MIN)).to.equal(s);
    expect(recordSuccess(s, 'u1', T0 + MIN)).to.equal(s);
  });

  it('a manager unlock clears the user at once', () => {
    const s = clearLockout(fail(emptyLockout(), 5), 'u1');
    expect(checkLocked(s, 'u1', T0 + 10).locked).to.equal(false);
  });

  it('forgets the history after a quiet day, and prune drops stale entries', () => {
    let s = fail(emptyLockout(), 5); // locked once
    const later = T0 + 4 + 5 * MIN + DEFAULT_LOCKOUT.forgetAfterMs; // a full quiet day after the lock ended
    expect(pruneLockout(s, later - 1)).to.have.property('u1');
    expect(pruneLockout(s, later)).to.deep.equal({});
    s = fail(s, 5, 'u1', later);
    expect((checkLocked(s, 'u1', later + 5).lockedUntil ?? 0) - (later + 4)).to.equal(5 * MIN); // first-lock length again
  });

  it('is plain JSON and survives a round trip through a _local document', () => {
    const s = fail(emptyLockout(), 5);
    const back = JSON.parse(JSON.stringify(s)) as LockoutState;
    expect(checkLocked(back, 'u1', T0 + MIN)).to.deep.equal(checkLocked(s, 'u1', T0 + MIN));
  });

  it('handles hostile user ids such as __proto__', () => {
    let s = fail(emptyLockout(), 5, '__proto__');
    expect(checkLocked(s, '__proto__', T0 + 10).locked).to.equal(true);
    expect(checkLocked(s, 'constructor', T0 + 10).locked).to.equal(false);
    expect(Object.getPrototypeOf(s)).to.equal(Object.prototype);
    s = JSON.parse(JSON.stringify(s)) as LockoutState;
    expect(checkLocked(s, '__proto__', T0 + 10).locked).to.equal(true);
  });

  it('property: once locked, never unlocked before the lock ends, whatever is reported', () => {
    type Ev = { dt: number; kind: 'fail' | 'ok' | 'check'; user: 'a' | 'b' };
    const ev = fc.record({
      dt: fc.integer({ min: 0, max: 3 * MIN }),
      kind: fc.constantFrom<'fail' | 'ok' | 'check'>('fail', 'fail', 'fail', 'ok', 'check'),
      user: fc.constantFrom<'a' | 'b'>('a', 'b'),
    });
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 80 }), (events: Ev[]) => {
        let s = emptyLockout();
        let now = T0;
        const lockedUntil: Record<string, number> = { a: 0, b: 0 };
        for (const e of events) {
          now += e.dt;
          if (e.kind === 'fail') s = recordFailure(s, e.user, now);
          if (e.kind === 'ok') s = recordSuccess(s, e.user, now);
          for (const u of ['a', 'b'] as const) {
            const st = checkLocked(s, u, now);
            if (now < (lockedUntil[u] ?? 0)) expect(st.locked, `${u} unlocked early`).to.equal(true);
            if (st.locked) lockedUntil[u] = Math.max(lockedUntil[u] ?? 0, st.lockedUntil ?? 0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: 5 failures in a row from a clean state always lock', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 * MIN }), { minLength: 5, maxLength: 5 }), (gaps) => {
        let s = emptyLockout();
        let now = T0;
        for (const g of gaps) {
          now += g;
          s = recordFailure(s, 'u', now);
        }
        expect(checkLocked(s, 'u', now).locked).to.equal(true);
      }),
    );
  });
});

describe('shared/auth/lockout: rate limiting', () => {
  const policy = { capacity: 3, refillMs: 1000 };

  it('allows a burst of capacity, then one per refill period', () => {
    let s: RateLimitState = {};
    for (let i = 0; i < 3; i++) {
      const r = consumeRateLimit(s, 'k', T0, policy);
      expect(r.decision.allowed).to.equal(true);
      s = r.state;
    }
    const refused = consumeRateLimit(s, 'k', T0 + 400, policy);
    expect(refused.decision).to.deep.equal({ allowed: false, remaining: 0, retryAfterMs: 600 });
    expect(refused.state).to.equal(s);
    expect(peekRateLimit(s, 'k', T0 + 1000, policy).allowed).to.equal(true);
    expect(peekRateLimit(s, 'k', T0 + 1000, policy).remaining).to.equal(0);
    expect(pruneRateLimit(s, T0 + 2999, policy)).to.have.property('k');
    expect(pruneRateLimit(s, T0 + 3000, policy)).to.deep.equal({});
  });

  it('property: never more than capacity + elapsed/refill grants in any run', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2500 }), { maxLength: 60 }), (gaps) => {
        let s: RateLimitState = {};
        let now = T0;
        let granted = 0;
        for (const g of gaps) {
          now += g;
          const r = consumeRateLimit(s, 'k', now, policy);
          s = r.state;
          if (r.decision.allowed) granted++;
        }
        expect(granted).to.be.at.most(policy.capacity + Math.floor((now - T0) / policy.refillMs));
      }),
    );
  });

  it('limits HQ logins per user and per address', () => {
    let s = emptyLoginLimits();
    const attempt = { username: 'Ana', address: '203.0.113.9' };
    for (let i = 0; i < HQ_LOGIN_LIMITS.perUser.capacity; i++) {
      expect(checkLoginAllowed(s, attempt, T0).allowed).to.equal(true);
      s = recordLoginFailure(s, attempt, T0);
    }
    expect(checkLoginAllowed(s, attempt, T0).allowed).to.equal(false);
    // Same user, other address and other case: still refused (per-user budget).
    expect(checkLoginAllowed(s, { username: 'ANA', address: '198.51.100.1' }, T0).allowed).to.equal(false);
    // Other user from the same address: allowed (address budget is larger).
    expect(checkLoginAllowed(s, { username: 'luis', address: '203.0.113.9' }, T0).allowed).to.equal(true);
    expect(checkLoginAllowed(s, attempt, T0 + HQ_LOGIN_LIMITS.perUser.refillMs).allowed).to.equal(true);
  });

  it('groups IPv6 addresses by /64 and unwraps IPv4-mapped ones', () => {
    expect(addressKey('::ffff:192.0.2.7')).to.equal('192.0.2.7');
    expect(addressKey('192.0.2.7')).to.equal('192.0.2.7');
    expect(addressKey('2001:db8:0:1::5')).to.equal('2001:db8:0:1::/64');
    expect(addressKey('2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd')).to.equal('2001:db8:0:1::/64');
    expect(addressKey('fe80::1%eth0')).to.equal('fe80:0:0:0::/64');
    expect(addressKey('::1')).to.equal('0:0:0:0::/64');
  });
});

describe('shared/auth/lockout: login limit keys', () => {
  it('names the same user and address keys the limiter counts under', () => {
    expect(loginLimitKeys({ username: 'ANA', address: '::ffff:192.0.2.7' })).to.deep.equal(['user:ana', 'addr:192.0.2.7']);
    expect(loginLimitKeys({ username: 'ana', address: '2001:db8:0:1::5' })).to.deep.equal(['user:ana', 'addr:2001:db8:0:1::/64']);
  });
});

describe('shared/auth/lockout: sliding windows and pairing-code limits', () => {
  const policy = { limit: 3, windowMs: 10 * MIN };

  it('refuses once `limit` failures lie in the window, until the oldest of them leaves it', () => {
    let s = {};
    for (let i = 0; i < 3; i++) {
      expect(checkWindow(s, 'k', T0 + i * MIN, policy).allowed).to.equal(true);
      s = recordWindowFailure(s, 'k', T0 + i * MIN, policy);
    }
    const refused = checkWindow(s, 'k', T0 + 3 * MIN, policy);
    expect(refused).to.deep.equal({ allowed: false, remaining: 0, retryAfterMs: 7 * MIN });
    expect(checkWindow(s, 'k', T0 + 10 * MIN - 1, policy).allowed).to.equal(false);
    expect(checkWindow(s, 'k', T0 + 10 * MIN, policy)).to.include({ allowed: true, remaining: 1 });
    expect(checkWindow(s, 'other', T0 + 3 * MIN, policy).allowed).to.equal(true);
  });

  it('keeps at most `limit` times per key and prunes keys with nothing left in the window', () => {
    let s = {};
    for (let i = 0; i < 10; i++) s = recordWindowFailure(s, 'k', T0 + i, policy);
    expect((s as Record<string, number[]>).k).to.deep.equal([T0 + 7, T0 + 8, T0 + 9]);
    s = recordWindowFailure(s, 'old', T0, policy);
    expect(Object.keys(pruneWindows(s, T0 + 10 * MIN + 5, policy))).to.deep.equal(['k']);
    expect(pruneWindows(s, T0 + 20 * MIN, policy)).to.deep.equal({});
  });

  it('treats failures stamped in the future (clock went back) as inside the window', () => {
    const s = recordWindowFailure(recordWindowFailure(recordWindowFailure({}, 'k', T0, policy), 'k', T0, policy), 'k', T0, policy);
    expect(checkWindow(s, 'k', T0 - 5 * MIN, policy).allowed).to.equal(false);
  });

  it('does not read Object.prototype for keys such as __proto__', () => {
    const s = recordWindowFailure({}, '__proto__', T0, policy);
    expect(Object.keys(s)).to.deep.equal(['__proto__']);
    expect(checkWindow({}, 'constructor', T0, policy).allowed).to.equal(true);
  });

  it('limits pairing codes per address (5) and per relay (10) within 10 minutes', () => {
    let s = emptyPairingLimits();
    const { perAddress, perRelay } = PAIRING_LIMITS;
    for (let i = 0; i < perAddress.limit; i++) s = recordPairingFailure(s, '192.0.2.1', T0 + i);
    expect(checkPairingAllowed(s, '::ffff:192.0.2.1', T0 + 10).allowed).to.equal(false);
    expect(checkPairingAllowed(s, '192.0.2.2', T0 + 10).allowed).to.equal(true);
    for (let i = perAddress.limit; i < perRelay.limit; i++) s = recordPairingFailure(s, `198.51.100.${i}`, T0 + i);
    const everyone = checkPairingAllowed(s, '203.0.113.50', T0 + 20);
    expect(everyone.allowed).to.equal(false);
    expect(everyone.retryAfterMs).to.equal(perRelay.windowMs - 20);
    expect(checkPairingAllowed(s, '203.0.113.50', T0 + perRelay.windowMs).allowed).to.equal(true);
    // What is stored stays bounded: at most `limit` times for the relay, addresses pruned with their window.
    expect(s.relay).to.have.length(perRelay.limit);
    expect(Object.keys(recordPairingFailure(s, '203.0.113.50', T0 + 11 * MIN).addresses)).to.deep.equal(['203.0.113.50']);
  });
});
