// Manager mode's state: the store's day as the dashboard shows it, computed from the local replica (so it works
// offline), with the names of the cashiers in it.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { StoreUser } from '../../../../shared/model/types';
import { typePrefix } from '../../../../shared/model/ids';
import { businessDate } from '../../../../shared/pos/clock';
import type { AppThunk } from '../../app/store';
import { requireDb, requireTill } from '../../app/services';
import { docsWithPrefix } from '../checkout/localDb';
import { storeDay, storeDayDocs, type StoreDay } from './storeDay';

export interface ManagerState {
  day: StoreDay | null;
  /** userId -> display name, for the per-cashier table. */
  names: Record<string, string>;
  loading: boolean;
}

const initialState: ManagerState = { day: null, names: {}, loading: false };

export const managerSlice = createSlice({
  name: 'manager',
  initialState,
  reducers: {
    dayLoading(state) {
      state.loading = true;
    },
    dayLoaded(state, action: PayloadAction<{ day: StoreDay; names: Record<string, string> }>) {
      state.day = action.payload.day;
      state.names = action.payload.names;
      state.loading = false;
    },
  },
});

export const { dayLoading, dayLoaded } = managerSlice.actions;

/** Today's store figures from the local replica. */
export const loadStoreDay = (): AppThunk<Promise<void>> => async (dispatch, _getState, services) => {
  dispatch(dayLoading());
  const db = requireDb(services);
  const till = requireTill(services);
  const date = businessDate(new Date(), till.config.timeZone);
  const [docs, users] = await Promise.all([storeDayDocs(db, till.config.storeId, date), docsWithPrefix<StoreUser>(db, typePrefix('user'))]);
  const names = Object.fromEntries(users.filter((u) => u.type === 'user').map((u) => [u.userId, u.displayName]));
  dispatch(dayLoaded({ day: storeDay(date, docs, till.config.timeZone), names }));
};
