// The selector's `_id` test (idPrefilter): a necessary condition, so a server that skips the ids failing it
// lists exactly what the whole selector lists. Checked against PouchDB's own matcher over generated documents.
import { expect } from 'chai';
import fc from 'fast-check';
import { matchesSelector } from 'pouchdb-selector-core';
import { idPrefilter } from './selector';
import { storePullSelector, upstreamSelector } from './selectors';

const ids = fc.tuple(fc.constantFrom('sale', 'product', 'price', 'user', 'transfer', 'x', ''), fc.constantFrom(':', '-', ''), fc.string({ maxLength: 4 })).map(([t, s, k]) => t + s + k);

describe('idPrefilter', () => {
  it('asks nothing of ids when a selector names no `_id`, or when one `$or` branch does not', () => {
    expect(idPrefilter({ type: 'sale' })).to.equal(null);
    expect(idPrefilter({ $or: [{ _id: 'a' }, { type: 'b' }] })).to.equal(null);
    expect(idPrefilter('nope')).to.equal(null);
  });

  it('is the `_id` part of top-level fields, `$and` and `$or`', () => {
    const test = idPrefilter({ $and: [{ _id: { $gte: 'b' } }, { $or: [{ _id: { $regex: '^b' } }, { _id: 'cc', n: 1 }] }] })!;
    expect(['a', 'b1', 'cc', 'cd'].filter(test)).to.deep.equal(['b1', 'cc']);
  });

  it('never refuses a document the whole selector matches (the relay and store-down selectors, random documents)', () => {
    const selectors = [upstreamSelector(), storePullSelector('S001'), { _id: { $gt: 'p' }, $or: [{ _id: { $lt: 's' } }, { type: 'user' }] }];
    fc.assert(
      fc.property(ids, fc.constantFrom('sale', 'product', 'price', 'user', 'transfer'), fc.constantFrom('S001', 'S002'), fc.boolean(), (id, type, storeId, deleted) => {
        const doc = { _id: id, type, storeId, ...(deleted ? { _deleted: true } : {}) };
        for (const selector of selectors) {
          const test = idPrefilter(selector);
          if (matchesSelector(doc, selector)) expect(test === null || test(id), `${id} ${JSON.stringify(selector)}`).to.equal(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('tests a `$regex` of `_id` as PouchDB\'s matcher does (compiled once instead of per id)', () => {
    const patterns = ['^(sale|void):', '^(customer):', 'S00[12]', '^$', '.', 'a|b', '\\d+$'];
    fc.assert(
      fc.property(ids, fc.constantFrom(...patterns), (id, $regex) => {
        expect(idPrefilter({ _id: { $regex } })!(id), `${id} ${$regex}`).to.equal(matchesSelector({ _id: id }, { _id: { $regex } }));
      }),
      { numRuns: 500 },
    );
  });
});
