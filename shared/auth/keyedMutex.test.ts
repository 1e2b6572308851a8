import { expect } from 'chai';
import { KeyedMutex } from './keyedMutex';

/** A promise with its resolve exposed, so a test decides exactly when a holder finishes (no timers). */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lets every already-settled continuation run (a few microtask turns), without any timer. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('shared/auth/keyedMutex', () => {
  it('runs callers of one key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    let inside = 0;
    let maxInside = 0;
    const task = (id: number) =>
      mutex.run('user:ana', async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        events.push(`start ${id}`);
        // Several awaits inside, as a check / verify / record sequence has.
        for (let i = 0; i < 5; i++) await Promise.resolve();
        events.push(`end ${id}`);
        inside--;
        return id;
      });
    const results = await Promise.all([1, 2, 3, 4, 5].map(task));
    expect(results).to.deep.equal([1, 2, 3, 4, 5]);
    expect(maxInside).to.equal(1);
    expect(events).to.deep.equal([1, 2, 3, 4, 5].flatMap((id) => [`start ${id}`, `end ${id}`]));
    expect(mutex.size).to.equal(0);
  });

  it('makes a parallel check-then-record counter exact (the race it exists to close)', async () => {
    const mutex = new KeyedMutex();
    const LIMIT = 10;
    let failures = 0;
    let verified = 0;
    const attempt = () =>
      mutex.run('k', async () => {
        const seen = failures; // "read the counter"
        await Promise.resolve();
        if (seen >= LIMIT) return 'refused';
        verified++;
        await Promise.resolve(); // "verify"
        failures = seen + 1; // "write the counter back"
        return 'checked';
      });
    const outcomes = await Promise.all(Array.from({ length: 40 }, attempt));
    expect(verified).to.equal(LIMIT);
    expect(outcomes.filter((o) => o === 'refused')).to.have.length(30);
  });

  it('lets different keys run at the same time', async () => {
    const mutex = new KeyedMutex();
    const a = gate();
    let bRan = false;
    const holdA = mutex.run('a', () => a.promise);
    await mutex.run('b', () => {
      bRan = true;
    });
    expect(bRan).to.equal(true); // b did not wait for a
    a.open();
    await holdA;
    expect(mutex.size).to.equal(0);
  });

  it('releases the key when the holder throws, and the next caller proceeds', async () => {
    const mutex = new KeyedMutex();
    const failed = mutex.run('k', () => Promise.reject(new Error('boom')));
    const next = mutex.run('k', () => 'after');
    const err = await failed.catch((e: unknown) => e);
    expect((err as Error).message).to.equal('boom');
    expect(await next).to.equal('after');
    // A synchronous throw is released too.
    const sync = await mutex
      .run('k', () => {
        throw new Error('sync');
      })
      .catch((e: unknown) => (e as Error).message);
    expect(sync).to.equal('sync');
    expect(await mutex.run('k', () => 'again')).to.equal('again');
    expect(mutex.size).to.equal(0);
  });

  it('holds several keys at once and cannot deadlock on overlapping sets given in opposite orders', async () => {
    const mutex = new KeyedMutex();
    const first = gate();
    const order: string[] = [];
    const one = mutex.run(['user:x', 'addr:1'], async () => {
      order.push('one');
      await first.promise;
    });
    const two = mutex.run(['addr:1', 'user:x'], () => {
      order.push('two');
    });
    // `two` shares a key with `one`, so it must wait while `one` holds.
    const onlyUser = mutex.run('user:x', () => {
      order.push('user-only');
    });
    const other = mutex.run('addr:2', () => {
      order.push('other');
    });
    await other;
    await flush();
    // `other` shares nothing and ran; `two` and `user-only` wait for `one`, which holds both of its keys.
    expect([...order].sort()).to.deep.equal(['one', 'other']);
    first.open();
    await Promise.all([one, two, onlyUser]);
    // Then each key is served in arrival order: `two` joined the user:x queue before `user-only`.
    expect(order.slice(2)).to.deep.equal(['two', 'user-only']);
    expect(mutex.size).to.equal(0);
  });

  it('treats a repeated key in one call as one key', async () => {
    const mutex = new KeyedMutex();
    expect(await mutex.run(['k', 'k'], () => 7)).to.equal(7);
    expect(mutex.size).to.equal(0);
  });
});
