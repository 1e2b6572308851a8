// An in-process async mutex keyed by string. Rate limits and lockouts follow a check / verify / record
// sequence with awaits between the steps; without serialising it per key, N parallel attempts all pass the
// check before any failure is recorded and a limit of 10 admits 40 guesses. Holding the key's lock across the
// whole sequence makes parallel attempts count one by one.
//
// In-process only: it orders the attempts one process handles. Several HQ instances behind a load balancer
// each serialise their own, so the limit can be exceeded by at most (instances - 1) attempts in flight.
// No timers or Node APIs, so it also runs where shared/ runs (terminal app, browser).

export class KeyedMutex {
  /** Per key, a promise that settles when the last holder queued so far releases. Absent = free. */
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `fn` while holding every key in `keys`, and releases them however `fn` ends.
   * A caller joins the queue of all its keys at once (synchronously, before its first await), so it only ever
   * waits for callers that joined before it: two callers with overlapping key sets in opposite orders cannot
   * each hold one key while waiting for the other (no deadlock), and each key is served in arrival order.
   * Not re-entrant: `fn` must not ask for a key it already holds.
   */
  async run<T>(keys: string | readonly string[], fn: () => Promise<T> | T): Promise<T> {
    const unique = [...new Set(typeof keys === 'string' ? [keys] : keys)];
    const turns = unique.map((key) => this.enqueue(key));
    try {
      await Promise.all(turns.map((t) => t.ready));
      return await fn();
    } finally {
      for (const t of turns) t.release();
    }
  }

  /** How many keys are held or awaited (0 once every caller is done: the map never keeps idle keys). */
  get size(): number {
    return this.tails.size;
  }

  /** Joins the queue of `key`: `ready` resolves when every earlier caller has released it. */
  private enqueue(key: string): { ready: Promise<void>; release: () => void } {
    const previous = this.tails.get(key);
    let open!: () => void;
    const mine = new Promise<void>((resolve) => (open = resolve));
    // Tails only ever resolve (a release never rejects), so a holder that failed cannot jam the queue.
    const tail = previous ? previous.then(() => mine) : mine;
    this.tails.set(key, tail);
    return {
      ready: previous ?? Promise.resolve(),
      release: () => {
        open();
        // Forget the key when nobody queued behind us, so one-off keys (usernames, addresses) do not pile up.
        if (this.tails.get(key) === tail) this.tails.delete(key);
      },
    };
  }
}
