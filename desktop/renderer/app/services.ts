// What the till's thunks work with besides Redux state: the local PouchDB, the in-memory catalog index, the live
// sync and the Electron preload API. None of it is serializable, so it is never put in the store: it is the thunk
// middleware's `extraArgument` (conventions: "Services stay out of state").
import type { StoredPairing } from '../data/pairing';
import type { SaleJournal } from '../data/saleJournal';
import type { TerminalSync } from '../data/syncService';
import type { LocalCatalog } from '../features/checkout/localCatalog';
import type { Till } from '../features/checkout/commit';
import type { StoreConfig } from '../../../shared/model/types';
import { preload, type CajaPreload } from '../platform';

export interface Services {
  pairing: StoredPairing | null;
  db: PouchDB.Database | null;
  /** The sale journal of `db` (data/saleJournal.ts); null where the runtime has no workers. */
  journal: SaleJournal | null;
  index: LocalCatalog | null;
  sync: TerminalSync | null;
  preload: CajaPreload | null;
}

export function createServices(): Services {
  return { pairing: null, db: null, journal: null, index: null, sync: null, preload: preload() };
}

/** Thrown when a screen acts before the terminal is open: a programming error, not a cashier's. */
export class NotReady extends Error {
  constructor(what: string) {
    super(`the terminal is not ready: no ${what}`);
  }
}

export function requireDb(s: Services): PouchDB.Database {
  if (!s.db) throw new NotReady('database');
  return s.db;
}

export function requireIndex(s: Services): LocalCatalog {
  if (!s.index) throw new NotReady('catalog');
  return s.index;
}

/** The store configuration and terminal id the checkout code needs (the config arrives with the first sync). */
export function requireTill(s: Services): Till & { config: StoreConfig } {
  const config = s.index?.config();
  if (!s.pairing || !config) throw new NotReady('store configuration');
  return { config, terminalId: s.pairing.terminalId };
}
