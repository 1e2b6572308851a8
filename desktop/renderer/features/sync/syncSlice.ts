// The sync indicator's data: the live sync's status, documents the relay refused, and whether the browser keeps
// the local database for good (navigator.storage.persist) and how full its quota is.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Refusal, SyncStatus } from '../../data/syncService';
import type { AppThunk } from '../../app/store';

export interface StorageState {
  /** true: the browser will not evict the database; false: it refused (shown as a warning); null: unknown. */
  persisted: boolean | null;
  usage: number | null;
  quota: number | null;
}

export interface SyncSliceState {
  status: SyncStatus;
  refused: Refusal[];
  storage: StorageState;
}

const initialState: SyncSliceState = {
  status: { state: 'connecting', pendingUp: null, lastSyncAt: null, error: null, errorCode: null },
  refused: [],
  storage: { persisted: null, usage: null, quota: null },
};

const MAX_REFUSALS = 50;

export const syncSlice = createSlice({
  name: 'sync',
  initialState,
  reducers: {
    syncStatusChanged(state, action: PayloadAction<SyncStatus>) {
      state.status = action.payload;
    },
    documentRefused(state, action: PayloadAction<Refusal>) {
      state.refused = [action.payload, ...state.refused.filter((r) => r.id !== action.payload.id)].slice(0, MAX_REFUSALS);
    },
    storageChecked(state, action: PayloadAction<StorageState>) {
      state.storage = action.payload;
    },
  },
});

export const { syncStatusChanged, documentRefused, storageChecked } = syncSlice.actions;

/** Quota share beyond which the till warns that the device is running out of room for its database. */
export const QUOTA_WARNING = 0.8;

/** Asks the browser to keep the database for good (it may refuse: then the indicator says so), and reads the quota. */
export const checkStorage = (): AppThunk<Promise<void>> => async (dispatch) => {
  const storage = navigator.storage as StorageManager | undefined;
  if (!storage?.persist) {
    dispatch(storageChecked({ persisted: null, usage: null, quota: null }));
    return;
  }
  const persisted = (await storage.persisted().catch(() => false)) || (await storage.persist().catch(() => false));
  const estimate = await storage.estimate().catch(() => null);
  dispatch(storageChecked({ persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null }));
};
