// Starting the till: first run pairs the terminal with its relay; every start opens the local database, starts
// the sync and, once the catalog is in (at once after the first sync, with or without network), opens the
// in-memory catalog index and shows the PIN login.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { loadPairing, pairWithRelay, savePairing, type PairError, type PairWith, type StoredPairing } from '../../data/pairing';
import { openLocalDb, withStrictDurability } from '../../data/localDatabase';
import { openSaleJournal, replayJournal } from '../../data/saleJournal';
import { catalogSnapshotStore } from '../../data/catalogSnapshot';
import { TerminalSync } from '../../data/syncService';
import type { AppThunk } from '../../app/store';
import type { Services } from '../../app/services';
import { LocalCatalog } from '../checkout/localCatalog';
import { catalogChanged, catalogLoaded, type CatalogSnapshot } from '../catalog/catalogSlice';
import { checkStorage, documentRefused, syncStatusChanged } from '../sync/syncSlice';
import { loadUsers } from '../session/sessionSlice';

export type SetupPhase = 'starting' | 'unpaired' | 'firstSync' | 'ready';

export interface TerminalInfo {
  storeCode: string;
  terminalId: string;
  name: string | null;
  relayUrl: string;
}

export interface SetupState {
  phase: SetupPhase;
  terminal: TerminalInfo | null;
  pairing: boolean;
  pairError: PairError | null;
  progress: { written: number; total: number | null } | null;
}

const initialState: SetupState = { phase: 'starting', terminal: null, pairing: false, pairError: null, progress: null };

export const setupSlice = createSlice({
  name: 'setup',
  initialState,
  reducers: {
    foundUnpaired(state) {
      state.phase = 'unpaired';
      state.terminal = null;
    },
    pairingStarted(state) {
      state.pairing = true;
      state.pairError = null;
    },
    pairingFailed(state, action: PayloadAction<PairError>) {
      state.pairing = false;
      state.pairError = action.payload;
    },
    terminalOpened(state, action: PayloadAction<TerminalInfo>) {
      state.pairing = false;
      state.terminal = action.payload;
      state.phase = 'firstSync';
    },
    firstSyncProgressed(state, action: PayloadAction<{ written: number; total: number | null }>) {
      state.progress = action.payload;
    },
    catalogOpened(state) {
      state.phase = 'ready';
    },
  },
});

export const { foundUnpaired, pairingStarted, pairingFailed, terminalOpened, firstSyncProgressed, catalogOpened } = setupSlice.actions;

function snapshot(index: LocalCatalog): CatalogSnapshot {
  return { productCount: index.size, config: index.config(), tenders: index.tenders(), departments: index.departments() };
}

/** Opens the paired terminal: local database, sync, then (when the catalog is in) the index and the login. */
const openTerminal =
  (pairing: StoredPairing): AppThunk =>
  (dispatch, _getState, services: Services) => {
    services.pairing = pairing;
    const db = openLocalDb(pairing);
    services.db = db;
    // Sales a power cut left in the journal go into the replica before anyone can log in and sell.
    const journal = openSaleJournal(db.name);
    services.journal = journal;
    const replayed = journal
      ? replayJournal(db, journal, (doc) => withStrictDurability(() => db.put(doc))).then(
          ({ listed, written, kept }) => {
            console.info(`caja: the sale journal is ${journal.kind === 'file' ? 'a file' : 'an IndexedDB database'} with ${listed} sale(s) in it; ${written} put into the replica`);
            if (kept > 0) console.error(`caja: ${kept} sale(s) in the journal have the receipt number of another sale in the replica; they stay in the journal`);
          },
          (err: unknown) => console.error('caja: the sale journal could not be read; its sales stay there for the next start', err),
        )
      : Promise.resolve();
    dispatch(terminalOpened({ storeCode: pairing.storeCode, terminalId: pairing.terminalId, name: pairing.name, relayUrl: pairing.relayUrl }));
    let opened = false;
    const sync = new TerminalSync(db, pairing, {
      bootstrapProgress: (p) => dispatch(firstSyncProgressed(p)),
      status: (s) => dispatch(syncStatusChanged(s)),
      refused: (r) => dispatch(documentRefused(r)),
      catalogReady: (copied) => {
        if (opened) return;
        opened = true;
        return LocalCatalog.open(db, { snapshots: catalogSnapshotStore(db.name), ...(copied ? { seed: copied } : {}) }).then((index) => {
          console.info(`caja: catalog index of ${index.size} products from the ${index.opening.from} in ${index.opening.ms} ms (${index.opening.caughtUp} changes caught up)`);
          services.index = index;
          dispatch(catalogLoaded(snapshot(index)));
          // A catalog update replicates in bursts of thousands of documents: refresh the screen at most 4x a second.
          let timer: ReturnType<typeof setTimeout> | null = null;
          index.subscribe(() => {
            timer ??= setTimeout(() => {
              timer = null;
              dispatch(catalogChanged(snapshot(index)));
            }, 250);
          });
          dispatch(catalogOpened());
          // Settled once the PIN screen has its users: replication waits for it (SyncEvents.catalogReady).
          return replayed.then(() => dispatch(loadUsers()));
        });
      },
    });
    services.sync = sync;
    sync.start();
    void dispatch(checkStorage());
  };

/** Reads the pairing kept on this device and opens the terminal, or shows the setup screen. */
export const startApp = (): AppThunk => (dispatch) => {
  const pairing = loadPairing();
  if (pairing) dispatch(openTerminal(pairing));
  else dispatch(foundUnpaired());
};

/** Pairs with the relay and starts the first sync. */
export const pairTerminal =
  (relayUrl: string, how: PairWith, name: string): AppThunk<Promise<void>> =>
  async (dispatch) => {
    dispatch(pairingStarted());
    const res = await pairWithRelay(relayUrl, how, name);
    if (!res.ok) {
      dispatch(pairingFailed(res.error));
      return;
    }
    savePairing(res.pairing);
    dispatch(openTerminal(res.pairing));
  };
