// A terminal's favourite tiles: a _local document (never replicated), toggled, bounded.
import { expect } from 'chai';
import { PouchDB } from '../../../../server-kit/replication/pouch';
import type { LocalDb } from '../checkout/localDb';
import { loadFavourites, MAX_FAVOURITES, toggleFavourite } from './favourites';

describe('till favourites (issue 11)', () => {
  it('toggles SKUs in a _local document that never replicates, up to the limit', async () => {
        const db = new PouchDB(`fav-${Math.random()}`, { adapter: 'memory' });
    try {
      const local = db as unknown as LocalDb;
      expect(await loadFavourites(local)).to.deep.equal([]);
      expect((await toggleFavourite(local, 'A1')).skus).to.deep.equal(['A1']);
      expect((await toggleFavourite(local, 'B2')).skus).to.deep.equal(['A1', 'B2']);
      expect((await toggleFavourite(local, 'A1')).skus).to.deep.equal(['B2']);
      expect(await loadFavourites(local)).to.deep.equal(['B2']);
      expect((await db.allDocs()).rows).to.have.length(0); // nothing that would replicate
      for (let i = 0; i < MAX_FAVOURITES; i++) await toggleFavourite(local, `X${i}`);
      const full = await toggleFavourite(local, 'ONE-MORE');
      expect(full.full).to.equal(true);
      expect(full.skus).to.have.length(MAX_FAVOURITES);
    } finally {
      await db.destroy();
    }
  });
});
