import { expect } from 'chai';
import type { LockoutState } from './lockout';
import { DEFAULT_LOCKOUT } from './lockout';
import type { LockoutStore } from './pinLogin';
import { loginWithPin, verifyPin } from './pinLogin';
import { hashPin } from './secrets';
import * as fx from '../../scripts/seed/documents';
import type { StoreUser } from '../model/types';

/** The lockout state in memory, counting the writes (an unchanged state must not be written). */
function memoryLockout(): LockoutStore & { state: LockoutState; writes: number } {
  const store = {
    state: {} as LockoutState,
    writes: 0,
    read: async () => store.state,
    update: async (transition: (s: LockoutState) => LockoutState) => {
      const next = transition(store.state);
      if (next !== store.state) {
        store.state = next;
        store.writes++;
      }
      return store.state;
    },
  };
  return store;
}

describe('shared/auth/pinLogin (the till and the relay)', () => {
  let users: StoreUser[];
  const NOW = Date.parse('2024-05-01T12:00:00.000Z');

  before(async () => {
    const pin = await hashPin('1234', { iterations: 100_000 });
    users = [{ ...fx.user(), username: 'ana', pin }, { ...fx.user(), _id: 'user:u2', userId: 'u2', username: 'old', pin, active: false }];
  });

  it('logs a user in by trimmed, case-insensitive username, and forgets earlier failures', async () => {
    const lockout = memoryLockout();
    expect(await loginWithPin(users, lockout, 'ana', '0000', NOW)).to.deep.equal({ ok: false, reason: 'wrong_pin', lockedUntil: null, failuresLeft: 4 });
    const ok = await loginWithPin(users, lockout, ' ANA ', '1234', NOW);
    expect(ok.ok && ok.user.username).to.equal('ana');
    expect(lockout.state).to.deep.equal({});
  });

  it('locks after 5 failures and refuses even the right PIN without looking at it', async () => {
    const lockout = memoryLockout();
    for (let i = 1; i < DEFAULT_LOCKOUT.maxFailures; i++) expect(await loginWithPin(users, lockout, 'ana', '0000', NOW)).to.include({ reason: 'wrong_pin', failuresLeft: 5 - i });
    expect(await loginWithPin(users, lockout, 'ana', '0000', NOW)).to.include({ reason: 'locked', lockedUntil: NOW + DEFAULT_LOCKOUT.lockMs });
    const writes = lockout.writes;
    expect(await verifyPin(users, lockout, 'ana', '1234', NOW + 1)).to.deep.equal({
      status: 'locked', lock: { locked: true, lockedUntil: NOW + DEFAULT_LOCKOUT.lockMs, retryAfterMs: DEFAULT_LOCKOUT.lockMs - 1, failuresLeft: 0 },
    });
    expect(lockout.writes).to.equal(writes);
    expect((await loginWithPin(users, lockout, 'ana', '1234', NOW + DEFAULT_LOCKOUT.lockMs)).ok).to.equal(true);
  });

  it('locks out unknown usernames like known ones, under their own key', async () => {
    const lockout = memoryLockout();
    expect(await loginWithPin(users, lockout, 'Nobody', '1234', NOW)).to.include({ reason: 'unknown_user', failuresLeft: 4 });
    expect(Object.keys(lockout.state)).to.deep.equal(['unknown:nobody']);
  });

  it('refuses an inactive user with the right PIN (the till) and records the success', async () => {
    const lockout = memoryLockout();
    expect(await loginWithPin(users, lockout, 'old', '1234', NOW)).to.deep.equal({ ok: false, reason: 'inactive', lockedUntil: null, failuresLeft: 5 });
    expect(await verifyPin(users, lockout, 'old', '1234', NOW)).to.include({ status: 'verified' });
  });
});
