// The browser stand-in for Node's `events` (PouchDB's emitters run on it in the till): Node's semantics where
// PouchDB relies on them, checked against Node's own EventEmitter.
import { EventEmitter as NodeEmitter } from 'node:events';
import { expect } from 'chai';
import { EventEmitter } from './events';

describe('events shim for PouchDB in the renderer', () => {
  // Node's emitter has the same surface for what is used here; typed as the shim's so one subclass serves both.
  const emitters: Array<[string, typeof EventEmitter]> = [
    ['shim', EventEmitter],
    ['node', NodeEmitter as unknown as typeof EventEmitter],
  ];
  for (const [name, E] of emitters) {
    it(`${name}: on/once/off, order, and once removable by the original listener`, () => {
      const e = new E();
      const seen: string[] = [];
      const a = () => seen.push('a');
      const b = () => seen.push('b');
      e.on('x', a);
      e.once('x', b);
      e.emit('x');
      e.emit('x');
      expect(seen).to.deep.equal(['a', 'b', 'a']);
      e.once('y', b);
      e.removeListener('y', b);
      expect(e.emit('y')).to.equal(false);
      e.off('x', a);
      expect(e.listenerCount('x')).to.equal(0);
    });

    it(`${name}: an 'error' event with no listener throws`, () => {
      expect(() => new E().emit('error', new Error('boom'))).to.throw('boom');
    });

    it(`${name}: a subclass overriding addListener/removeListener with other meanings still gets on() (PouchDB's change notifier)`, () => {
      class Notifier extends E {
        ids: string[] = [];
        // PouchDB's pouchdb-utils Changes: addListener(dbName, id, db, opts) registers through this.on().
        override addListener(dbName: string | symbol, id: unknown): this {
          this.ids.push(String(id));
          this.on(dbName, () => this.ids.push(`fired:${String(id)}`));
          return this;
        }
      }
      const n = new Notifier();
      n.addListener('db', 'l1');
      n.emit('db');
      expect(n.ids).to.deep.equal(['l1', 'fired:l1']);
    });
  }

  it('has enumerable prototype methods (PouchDB copies Object.keys(EE.prototype) onto its constructor)', () => {
    expect(Object.keys(EventEmitter.prototype)).to.include.members(['on', 'once', 'emit', 'removeListener', 'removeAllListeners']);
  });
});
