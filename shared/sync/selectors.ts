// Mango selectors for filtered replication (design.md: prefer `selector` to JS filter functions, which run per
// change per replication). Pure functions: the relay and the terminal app pass them to PouchDB `replicate`.
// Every selector names document types, so design documents (which have no `type`) never replicate: a catalog
// ddoc copied into a relay's `caja-store` would install the catalog's validate_doc_update there.
import { CATALOG_TYPES, STORE_DOWN_TYPES, UPSTREAM_TYPES } from '../model/types';
import { isBusinessDate, isStoreCode } from '../model/ids';

/** A Mango selector (the JSON CouchDB and PouchDB accept as `selector`). */
export type MangoSelector = { [field: string]: unknown };

/**
 * `_id` of one of `types`. Every id starts with its type (validate.ts refuses any other), so this adds nothing to
 * a `type` condition but lets a server pass over other documents without reading them: the embedded server skips
 * them before reading their metadata (couchdb/changes.ts), so a relay's upstream feed no longer reads the 100k
 * catalog documents it received, nor HQ's store-down feed the tens of thousands of sales a catch-up brings.
 */
export function idOfType(types: readonly string[]): MangoSelector {
  return { $regex: `^(${types.join('|')}):` };
}

/** Relay -> HQ push: the store's transaction types only (the relay database also holds catalog copies). */
export function upstreamSelector(): MangoSelector {
  return { _id: idOfType(UPSTREAM_TYPES), type: { $in: [...UPSTREAM_TYPES] } };
}

/** HQ `caja-catalog` -> relay: every catalog document, no design documents. */
export function catalogPullSelector(): MangoSelector {
  return { type: { $in: [...CATALOG_TYPES] } };
}

/**
 * HQ `caja-store-<code>` -> relay: what HQ writes for the store (users, prices, config — including their
 * deletion tombstones, which keep `type` and `storeId`), customers, and what HQ routed in from other stores
 * (transfers to this store, receipts for its transfers, credit entries written elsewhere, so a customer can
 * spend at this store credit received at another). The store's own sales are not pulled back: they came from
 * it, and reading them back doubled the work of every catch-up (measured by `caja bench sync`).
 * Store-down documents must also name this store: a user document carries a PIN hash, which reaches only the
 * stores the user works at, even if one were ever written into the wrong store's database.
 */
export function storePullSelector(storeCode: string): MangoSelector {
  if (!isStoreCode(storeCode)) throw new RangeError('invalid store code: ' + storeCode);
  return {
    _id: idOfType([...STORE_DOWN_TYPES, 'customer', 'transfer', 'receipt', 'credit']),
    $or: [
      { type: { $in: [...STORE_DOWN_TYPES] }, storeId: storeCode },
      { type: 'customer' },
      { type: 'transfer', toStoreId: storeCode },
      { type: 'receipt', storeId: { $ne: storeCode } },
      { type: 'credit', storeId: { $ne: storeCode } },
    ],
  };
}

/**
 * Relay `caja-store` -> a terminal: the whole catalog, this store's users/prices/config, customers, and this
 * store's transactions from `sinceBusinessDate` on (a bounded history keeps the terminal's IndexedDB small).
 * Timestamped types (cash, moves, transfers, receipts, closes) compare their UTC timestamp with the date as a
 * string prefix, so the window is at most one time-zone offset wider than asked; audit entries stay at the relay.
 * Credit entries come whatever their age or store: a balance is the sum of all of a holder's entries, so a
 * window would shrink or grow it.
 */
export function terminalPullSelector(storeCode: string, sinceBusinessDate: string): MangoSelector {
  if (!isStoreCode(storeCode)) throw new RangeError('invalid store code: ' + storeCode);
  if (!isBusinessDate(sinceBusinessDate)) throw new RangeError('invalid business date: ' + sinceBusinessDate);
  const ownStore = { storeId: storeCode };
  return {
    $or: [
      { type: { $in: [...CATALOG_TYPES, 'customer', 'credit'] } },
      { type: { $in: [...STORE_DOWN_TYPES] }, ...ownStore },
      { type: { $in: ['sale', 'void', 'return', 'shift', 'zreport'] }, ...ownStore, businessDate: { $gte: sinceBusinessDate } },
      { type: { $in: ['cash', 'move', 'receipt'] }, ...ownStore, createdAt: { $gte: sinceBusinessDate } },
      { type: 'shiftclose', ...ownStore, closedAt: { $gte: sinceBusinessDate } },
      // Transfers both sent by this store and routed to it by HQ (whose storeId is the source store).
      { type: 'transfer', $or: [ownStore, { toStoreId: storeCode }], createdAt: { $gte: sinceBusinessDate } },
    ],
  };
}
