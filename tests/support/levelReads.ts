// Counts LevelDB point reads (leveldown `get`) per database folder, to show that a read was or was not made.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Get = (this: { location: string }, ...args: unknown[]) => unknown;
const proto = (require('leveldown') as { prototype: { _get: Get } }).prototype;

/** Counts `get`s of LevelDB folders whose path ends with `/<name>` until stop() (which restores leveldown). */
export function countLevelGets(name: string): { count: () => number; stop: () => void } {
  const original = proto._get;
  let n = 0;
  proto._get = function (this: { location: string }, ...args: unknown[]) {
    if (this.location.endsWith(`/${name}`)) n += 1;
    return original.apply(this, args);
  };
  return { count: () => n, stop: () => void (proto._get = original) };
}
