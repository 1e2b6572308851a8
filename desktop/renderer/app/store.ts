// The till's Redux store. State is plain serializable data (carts, documents as JSON, statuses); the database,
// the catalog index and the sync run outside it and reach thunks as the middleware's extra argument.
import { combineReducers, configureStore, type Action, type ThunkAction } from '@reduxjs/toolkit';
import { useDispatch, useSelector, useStore } from 'react-redux';
import { approvalSlice, type ApprovalState } from '../features/approval/approvalSlice';
import { catalogSlice, type CatalogState } from '../features/catalog/catalogSlice';
import { customersSlice, type CustomersState } from '../features/customers/customersSlice';
import { journalSlice, type JournalState } from '../features/journal/journalSlice';
import { managerSlice, type ManagerState } from '../features/manager/managerSlice';
import { storeServerSlice, type StoreServerState } from '../features/manager/storeServerSlice';
import { stockSlice, type StockState } from '../features/stock/stockSlice';
import { transfersSlice, type TransfersState } from '../features/transfers/transfersSlice';
import { registerSlice, type RegisterState } from '../features/register/registerSlice';
import { returnsSlice, type ReturnsState } from '../features/returns/returnsSlice';
import { saleSlice, type SaleState } from '../features/sale/saleSlice';
import { sessionSlice, type SessionState } from '../features/session/sessionSlice';
import { setupSlice, type SetupState } from '../features/setup/setupSlice';
import { syncSlice, type SyncSliceState } from '../features/sync/syncSlice';
import type { Services } from './services';
import { uiSlice, type UiState } from './uiSlice';

/** Spelled out rather than inferred, so slices and thunks can name it without a circular inference. */
export interface RootState {
  ui: UiState;
  setup: SetupState;
  catalog: CatalogState;
  sync: SyncSliceState;
  session: SessionState;
  sale: SaleState;
  approval: ApprovalState;
  register: RegisterState;
  journal: JournalState;
  returns: ReturnsState;
  manager: ManagerState;
  customers: CustomersState;
  storeServer: StoreServerState;
  stock: StockState;
  transfers: TransfersState;
}

const rootReducer = combineReducers({
  ui: uiSlice.reducer,
  setup: setupSlice.reducer,
  catalog: catalogSlice.reducer,
  sync: syncSlice.reducer,
  session: sessionSlice.reducer,
  sale: saleSlice.reducer,
  approval: approvalSlice.reducer,
  register: registerSlice.reducer,
  journal: journalSlice.reducer,
  returns: returnsSlice.reducer,
  manager: managerSlice.reducer,
  customers: customersSlice.reducer,
  storeServer: storeServerSlice.reducer,
  stock: stockSlice.reducer,
  transfers: transfersSlice.reducer,
});

// The spelled-out RootState and the combined reducers' state must stay the same type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _sameState: Same<RootState, ReturnType<typeof rootReducer>> = true;

export function createStore(services: Services, preloadedState?: Partial<RootState>) {
  return configureStore({
    reducer: rootReducer,
    preloadedState,
    middleware: (getDefault) => getDefault({ thunk: { extraArgument: services } }),
  });
}

export type AppStore = ReturnType<typeof createStore>;
export type AppDispatch = AppStore['dispatch'];
/** A thunk of the till: gets the services (database, index, sync) as its third argument. */
export type AppThunk<R = void> = ThunkAction<R, RootState, Services, Action>;

export const useAppDispatch = useDispatch.withTypes<AppDispatch>();
/** The store itself, for handlers that read the state when they run rather than re-render on every change. */
export const useAppStore = useStore.withTypes<AppStore>();
export const useAppSelector = useSelector.withTypes<RootState>();
