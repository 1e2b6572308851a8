// What the till shows of the catalog besides the products themselves: whether it is in, the store's
// configuration, its tenders and departments (small, plain documents). Products (up to 100k) stay in the
// in-memory LocalCatalog outside Redux; `version` moves when it changes, so searches shown on screen re-run.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Department, StoreConfig, Tender } from '../../../../shared/model/types';
import { requireDb } from '../../app/services';
import type { AppThunk } from '../../app/store';
import { loadFavourites, toggleFavourite } from './favourites';

export interface CatalogState {
  ready: boolean;
  version: number;
  productCount: number;
  config: StoreConfig | null;
  tenders: Tender[];
  departments: Department[];
  /** This terminal's favourite SKUs, shown as tiles when nothing is searched. */
  favourites: string[];
}

const initialState: CatalogState = { ready: false, version: 0, productCount: 0, config: null, tenders: [], departments: [], favourites: [] };

export interface CatalogSnapshot {
  productCount: number;
  config: StoreConfig | null;
  tenders: Tender[];
  departments: Department[];
}

export const catalogSlice = createSlice({
  name: 'catalog',
  initialState,
  reducers: {
    catalogLoaded(state, action: PayloadAction<CatalogSnapshot>) {
      Object.assign(state, action.payload);
      state.ready = true;
      state.version += 1;
    },
    catalogChanged(state, action: PayloadAction<CatalogSnapshot>) {
      Object.assign(state, action.payload);
      state.version += 1;
    },
    favouritesLoaded(state, action: PayloadAction<string[]>) {
      state.favourites = action.payload;
    },
  },
});

export const { catalogLoaded, catalogChanged, favouritesLoaded } = catalogSlice.actions;

/** Reads this terminal's favourites. */
export const loadFavouriteTiles = (): AppThunk<Promise<void>> => async (dispatch, _getState, services) => {
  dispatch(favouritesLoaded(await loadFavourites(requireDb(services))));
};

/** Pins or unpins a product as a favourite tile; false when the list is full. */
export const toggleFavouriteTile =
  (sku: string): AppThunk<Promise<boolean>> =>
  async (dispatch, _getState, services) => {
    const res = await toggleFavourite(requireDb(services), sku);
    dispatch(favouritesLoaded(res.skus));
    return !res.full;
  };
