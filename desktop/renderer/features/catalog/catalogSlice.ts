// What the till shows of the catalog besides the products themselves: whether it is in, the store's
// configuration, its tenders and departments (small, plain documents). Products (up to 100k) stay in the
// in-memory BarcodeIndex outside Redux; `version` moves when it changes, so searches shown on screen re-run.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Department, StoreConfig, TenderType } from '../../../../shared/model/types';

export interface CatalogState {
  ready: boolean;
  version: number;
  productCount: number;
  config: StoreConfig | null;
  tenders: TenderType[];
  departments: Department[];
}

const initialState: CatalogState = { ready: false, version: 0, productCount: 0, config: null, tenders: [], departments: [] };

export interface CatalogSnapshot {
  productCount: number;
  config: StoreConfig | null;
  tenders: TenderType[];
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
  },
});

export const { catalogLoaded, catalogChanged } = catalogSlice.actions;
