// The Stock screen's state: the store's stock levels as the store server (relay) reports them, searched through
// the manager's relay session (storeServerSlice), and the adjustments written at this till, which work offline
// (stock.ts). An adjustment shows in the relay's level once the till has synced it up.
import { createSlice, type Action, type PayloadAction, type ThunkAction, type ThunkDispatch } from '@reduxjs/toolkit';
import { useDispatch, useSelector } from 'react-redux';
import type { Wire } from '../../../../shared/api/client';
import type { StockPage, StockRow } from '../../../../shared/api/responses';
import { splitId } from '../../../../shared/model/ids';
import type { StockReason } from '../../../../shared/model/types';
import { requireDb, requireIndex, requireTill, type Services } from '../../app/services';
import type { RootState } from '../../app/store';
import { uuid } from '../../app/uuid';
import { loggedOut } from '../session/sessionSlice';
import { asError, relay, storeServerSlice, type StoreServerError } from '../manager/storeServerSlice';
import { adjustmentQty, commitAdjustment, type AdjustError, type AdjustMode } from './stock';

/** The product an adjustment is for, with the level the store server last gave for it (null: not known). */
export interface AdjustTarget {
  productId: string;
  sku: string;
  name: { en: string; es: string };
  unit: 'each' | 'kg';
  levelMilli: number | null;
}

/** An adjustment written at this till in this session. */
export interface RecentAdjustment {
  moveId: string;
  sku: string;
  name: { en: string; es: string };
  qty: number;
  reason: StockReason;
  createdAt: string;
}

export interface StockState {
  query: string;
  dept: string | null;
  items: Wire<StockRow>[];
  total: number;
  nextCursor: string | null;
  loading: boolean;
  error: StoreServerError | null;
  adjusting: AdjustTarget | null;
  saving: boolean;
  saveError: AdjustError | null;
  recent: RecentAdjustment[];
}

const initialState: StockState = {
  query: '', dept: null, items: [], total: 0, nextCursor: null, loading: false, error: null, adjusting: null, saving: false, saveError: null, recent: [],
};

// The app's RootState gains `stock` when this slice is registered in app/store.ts; until then (and after, when
// the two are the same type) thunks and hooks of this screen are typed against the state with it.
export type StockRootState = RootState & { stock: StockState };
type StockThunk<R = void> = ThunkAction<R, StockRootState, Services, Action>;
export const useStockDispatch = useDispatch.withTypes<ThunkDispatch<StockRootState, Services, Action>>();
export const useStockSelector = useSelector.withTypes<StockRootState>();

/** How many rows a page of the levels list holds. */
const PAGE = 50;
const NO_SESSION: StoreServerError = {
  code: 'no_session',
  message: { en: 'Confirm with your PIN to reach the store server.', es: 'Confirme con su PIN para acceder al servidor de la tienda.' },
};
const SESSION_ENDED = ['unauthenticated', 'token_expired', 'token_invalid', 'no_session'];

export const stockSlice = createSlice({
  name: 'stock',
  initialState,
  reducers: {
    searchStarted(state, action: PayloadAction<{ query: string; dept: string | null; more: boolean }>) {
      state.loading = true;
      state.error = null;
      state.query = action.payload.query;
      state.dept = action.payload.dept;
      if (!action.payload.more) {
        state.items = [];
        state.nextCursor = null;
      }
    },
    pageLoaded(state, action: PayloadAction<{ page: Wire<StockPage>; more: boolean }>) {
      const { page, more } = action.payload;
      state.loading = false;
      state.items = more ? [...state.items, ...page.items] : page.items;
      state.total = page.total;
      state.nextCursor = page.nextCursor;
    },
    searchFailed(state, action: PayloadAction<StoreServerError>) {
      state.loading = false;
      state.error = action.payload;
    },
    adjustOpened(state, action: PayloadAction<AdjustTarget>) {
      state.adjusting = action.payload;
      state.saveError = null;
    },
    adjustClosed(state) {
      state.adjusting = null;
      state.saveError = null;
      state.saving = false;
    },
    saveStarted(state) {
      state.saving = true;
      state.saveError = null;
    },
    saveRefused(state, action: PayloadAction<AdjustError>) {
      state.saving = false;
      state.saveError = action.payload;
    },
    adjusted(state, action: PayloadAction<RecentAdjustment>) {
      state.saving = false;
      state.adjusting = null;
      state.recent = [action.payload, ...state.recent].slice(0, 20);
    },
  },
  // What the last user searched and adjusted is theirs: the next one at the till starts clean.
  extraReducers: (b) => b.addCase(loggedOut, () => initialState),
});

export const { adjustOpened, adjustClosed } = stockSlice.actions;
const { searchStarted, pageLoaded, searchFailed, saveStarted, saveRefused, adjusted } = stockSlice.actions;

/** A page of stock levels from the store server (the first, or the next with `more`). */
export const searchStock =
  (query: string, dept: string | null, more = false): StockThunk<Promise<boolean>> =>
  async (dispatch, getState, services) => {
    const session = getState().storeServer.session;
    if (!session || session.until < Date.now()) {
      // The relay session ended: the screen's gate asks for the PIN again.
      dispatch(storeServerSlice.actions.failed(NO_SESSION));
      return false;
    }
    const cursor = more ? getState().stock.nextCursor : null;
    dispatch(searchStarted({ query, dept, more }));
    try {
      const q = query.trim();
      const res = await relay(services, session.token).send('GET /api/v1/stock', {
        query: { limit: PAGE, ...(q ? { q } : {}), ...(dept ? { dept } : {}), ...(cursor ? { cursor } : {}) },
      });
      dispatch(pageLoaded({ page: res.body, more }));
      return true;
    } catch (err) {
      const error = asError(err);
      dispatch(searchFailed(error));
      if (SESSION_ENDED.includes(error.code)) dispatch(storeServerSlice.actions.failed(error));
      return false;
    }
  };

/** A scan on the Stock screen opens the adjustment of that product (with its level when it is listed). */
export const scanForStock =
  (code: string): StockThunk<boolean> =>
  (dispatch, getState, services) => {
    const hit = services.index?.lookup(code) ?? services.index?.lookupSku(code) ?? null;
    if (!hit) return false;
    dispatch(openAdjustment(hit.product._id));
    return true;
  };

/** Opens the adjustment dialog for a product of the local catalog. */
export const openAdjustment =
  (productId: string): StockThunk<boolean> =>
  (dispatch, getState, services) => {
    const listed = getState().stock.items.find((i) => i.productId === productId);
    const sku = splitId(productId)?.key;
    const p = sku ? (requireIndex(services).lookupSku(sku)?.product ?? null) : null;
    if (!listed && !p) return false;
    dispatch(
      adjustOpened({
        productId,
        sku: listed?.sku ?? p?.sku ?? '',
        name: listed?.name ?? p?.name ?? { en: '', es: '' },
        unit: listed?.unit ?? p?.unit ?? 'each',
        levelMilli: listed ? listed.qtyMilli : null,
      }),
    );
    return true;
  };

export interface AdjustForm {
  mode: AdjustMode;
  typed: number;
  reason: StockReason;
  note: string;
}

/** Writes the adjustment of the open dialog to the local database (offline too). */
export const saveAdjustment =
  (form: AdjustForm): StockThunk<Promise<boolean>> =>
  async (dispatch, getState, services) => {
    const target = getState().stock.adjusting;
    const user = getState().session.user;
    if (!target || !user) return false;
    const qty = adjustmentQty(form.mode, form.typed, target.levelMilli, target.unit);
    if (!qty.ok) {
      dispatch(saveRefused(qty.error));
      return false;
    }
    dispatch(saveStarted());
    const res = await commitAdjustment(requireDb(services), {
      ...requireTill(services),
      user,
      productId: target.productId,
      qty: qty.value,
      // A count is recorded as one, whatever reason was left selected: the difference came from counting.
      reason: form.mode === 'count' ? 'count' : form.reason,
      note: form.note,
      uuid: uuid(),
      auditUuid: uuid(),
    });
    if (!res.ok) {
      dispatch(saveRefused(res.error));
      return false;
    }
    dispatch(adjusted({ moveId: res.value._id, sku: target.sku, name: target.name, qty: qty.value, reason: res.value.reason, createdAt: res.value.createdAt }));
    return true;
  };
