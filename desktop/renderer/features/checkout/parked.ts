// Parked (held) sales stay on this terminal: `_local/parked:<id>` documents never replicate and keep no
// revision history. PouchDB's allDocs does not list `_local` documents, so one more `_local` document holds
// the list of parked ids; both are written by this terminal only.
import type { Result } from '../../../../shared/pos/arith';
import type { Cart } from '../../../../shared/pos/cart';
import { park, recall, type ParkedSale } from '../../../../shared/pos/sale';
import { getOrNull, statusOf, type LocalDb } from './localDb';
import { LOCAL_ID, parkedSaleLocalId } from '../../../../shared/model/names';

const INDEX_ID = LOCAL_ID.parkedIndex;

type IndexDoc = { _id: string; _rev?: string; ids: string[] };
type ParkedDoc = { _id: string; _rev?: string; parked: ParkedSale };

async function updateIndex(db: LocalDb, change: (ids: string[]) => string[]): Promise<void> {
  // Two tabs of the same terminal may park at once: retry on the conflict with the other's write.
  for (let attempt = 0; ; attempt++) {
    const cur = await getOrNull<IndexDoc>(db, INDEX_ID);
    try {
      await db.put({ _id: INDEX_ID, ...(cur?._rev ? { _rev: cur._rev } : {}), ids: change(cur?.ids ?? []) });
      return;
    } catch (err) {
      if (statusOf(err) !== 409 || attempt >= 5) throw err;
    }
  }
}

/** Parks a cart under `meta.id` (a uuid from the caller); returns the snapshot. */
export async function parkSale(
  db: LocalDb,
  cart: Cart,
  meta: { id: string; storeId: string; terminalId: string; parkedBy: string; now?: Date | string; label?: string },
): Promise<ParkedSale> {
  const parked = park(cart, { ...meta, now: meta.now ?? new Date() });
  await db.put({ _id: parkedSaleLocalId(meta.id), parked });
  await updateIndex(db, (ids) => (ids.includes(meta.id) ? ids : [...ids, meta.id]));
  return parked;
}

/** The parked sales of this terminal, oldest first. */
export async function listParked(db: LocalDb): Promise<ParkedSale[]> {
  const index = await getOrNull<IndexDoc>(db, INDEX_ID);
  const out: ParkedSale[] = [];
  for (const id of index?.ids ?? []) {
    const doc = await getOrNull<ParkedDoc>(db, parkedSaleLocalId(id));
    if (doc) out.push(doc.parked);
  }
  return out.sort((a, b) => (a.parkedAt < b.parkedAt ? -1 : a.parkedAt > b.parkedAt ? 1 : 0));
}

/**
 * Recalls a parked sale as a cart and removes it from the parked list (a recalled sale is the live cart now,
 * so it cannot be recalled twice). Prices stay as rung when parked.
 */
export async function recallParked(db: LocalDb, id: string): Promise<Result<Cart, { code: 'not_parked' | 'invalid_parked'; message: string }>> {
  const doc = await getOrNull<ParkedDoc>(db, parkedSaleLocalId(id));
  if (!doc) return { ok: false, error: { code: 'not_parked', message: `no parked sale ${id}` } };
  const cart = recall(doc.parked);
  if (!cart.ok) return cart;
  // A _local document is removed by writing it deleted (LocalDb has no remove()).
  await db.put({ _id: doc._id, ...(doc._rev ? { _rev: doc._rev } : {}), _deleted: true });
  await updateIndex(db, (ids) => ids.filter((x) => x !== id));
  return cart;
}
