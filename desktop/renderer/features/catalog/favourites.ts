// The favourites of this terminal: the products shown as touch tiles when nothing is searched (bread at the
// bakery till, bags at every till). A terminal's layout, not shared data: kept in a `_local` document, which
// never replicates and needs no network. Order is the order they were added.
import { LOCAL_ID } from '../../../../shared/model/names';
import { getOrNull, statusOf, type LocalDb } from '../checkout/localDb';

const FAVOURITES_ID = LOCAL_ID.favourites;
/** More tiles than fit on a till's screen is a search, not a favourite. */
export const MAX_FAVOURITES = 48;

type FavouritesDoc = { _id: string; _rev?: string; skus: string[] };

export async function loadFavourites(db: LocalDb): Promise<string[]> {
  return (await getOrNull<FavouritesDoc>(db, FAVOURITES_ID))?.skus ?? [];
}

/** Adds the SKU if absent, removes it if present; returns the new list. Full lists refuse more. */
export async function toggleFavourite(db: LocalDb, sku: string): Promise<{ skus: string[]; full: boolean }> {
  // Two tabs of one terminal may toggle at once: retry on the conflict with the other's write.
  for (let attempt = 0; ; attempt++) {
    const cur = await getOrNull<FavouritesDoc>(db, FAVOURITES_ID);
    const skus = cur?.skus ?? [];
    const has = skus.includes(sku);
    if (!has && skus.length >= MAX_FAVOURITES) return { skus, full: true };
    const next = has ? skus.filter((s) => s !== sku) : [...skus, sku];
    try {
      await db.put({ _id: FAVOURITES_ID, ...(cur?._rev ? { _rev: cur._rev } : {}), skus: next });
      return { skus: next, full: false };
    } catch (err) {
      if (statusOf(err) !== 409 || attempt >= 5) throw err;
    }
  }
}
