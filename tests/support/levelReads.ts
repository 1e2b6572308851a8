// Counts LevelDB point reads per database folder, to show that a read was or was not made: each key of a leveldown
// `get`, and each key of a `getMany` (Caja's PouchDB patch answers the reads asked in one tick with one getMany).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Read = (this: { location: string }, ...args: unknown[]) => unknown;
const proto = (require('leveldown') as { prototype: { _get: Read; _getMany: Read } }).prototype;

/** Counts the keys read from LevelDB folders whose path ends with `/<name>` until stop() (which restores leveldown). */
export function countLevelGets(name: string): { count: () => number; stop: () => void } {
  const { _get: get, _getMany: getMany } = proto;
  let n = 0;
  proto._get = function (this: { location: string }, ...args: unknown[]) {
    if (this.location.endsWith(`/${name}`)) n += 1;
    return get.apply(this, args);
  };
  proto._getMany = function (this: { location: string }, ...args: unknown[]) {
    if (this.location.endsWith(`/${name}`)) n += (args[0] as unknown[]).length;
    return getMany.apply(this, args);
  };
  return {
    count: () => n,
    stop: () => {
      proto._get = get;
      proto._getMany = getMany;
    },
  };
}
