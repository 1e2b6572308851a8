// The Transfers screen's state: the transfer being put together (destination and lines, by scan or search in
// the local catalog), this store's outgoing and incoming transfers from the local replica, and the transfer
// being received. Everything is local: it works with the network down, and replicates up when it can.
import { createSlice, type Action, type PayloadAction, type ThunkAction, type ThunkDispatch } from '@reduxjs/toolkit';
import { useDispatch, useSelector } from 'react-redux';
import { splitId } from '../../../../shared/model/ids';
import type { Product, Transfer } from '../../../../shared/model/types';
import { requireDb, requireTill, type Services } from '../../app/services';
import type { RootState } from '../../app/store';
import { uuid } from '../../app/uuid';
import { loggedOut } from '../session/sessionSlice';
import { addDraftLine, commitArrival, commitTransfer, setDraftQty, transfersOf, type DraftLine, type TransferError, type TransferWithArrival } from './transfers';

/** How far back the lists go (the replica may hold less: it keeps a window of days). */
export const LIST_DAYS = 14;

export interface TransfersState {
  destination: string;
  lines: DraftLine[];
  outgoing: TransferWithArrival[];
  incoming: TransferWithArrival[];
  loading: boolean;
  busy: boolean;
  error: TransferError | null;
  /** The transfer just sent (the screen confirms it left). */
  sent: { transferId: string; toStoreId: string; lines: number } | null;
  /** The incoming transfer whose arrival is being counted. */
  receiving: string | null;
  /** A scan or code that matched no product. */
  unknownCode: string | null;
}

const initialState: TransfersState = {
  destination: '', lines: [], outgoing: [], incoming: [], loading: false, busy: false, error: null, sent: null, receiving: null, unknownCode: null,
};

// The app's RootState gains `transfers` when this slice is registered in app/store.ts; until then (and after, when
// the two are the same type) thunks and hooks of this screen are typed against the state with it.
export type TransfersRootState = RootState & { transfers: TransfersState };
type TransfersThunk<R = void> = ThunkAction<R, TransfersRootState, Services, Action>;
export const useTransfersDispatch = useDispatch.withTypes<ThunkDispatch<TransfersRootState, Services, Action>>();
export const useTransfersSelector = useSelector.withTypes<TransfersRootState>();

export const transfersSlice = createSlice({
  name: 'transfers',
  initialState,
  reducers: {
    destinationSet(state, action: PayloadAction<string>) {
      state.destination = action.payload;
      state.error = null;
    },
    lineAdded(state, action: PayloadAction<{ line: Omit<DraftLine, 'qty'>; qty: number }>) {
      state.lines = addDraftLine(state.lines, action.payload.line, action.payload.qty);
      state.sent = null;
      state.error = null;
      state.unknownCode = null;
    },
    lineQtySet(state, action: PayloadAction<{ productId: string; qty: number }>) {
      state.lines = setDraftQty(state.lines, action.payload.productId, action.payload.qty);
    },
    draftCleared(state) {
      state.lines = [];
      state.error = null;
    },
    codeUnknown(state, action: PayloadAction<string>) {
      state.unknownCode = action.payload;
    },
    listLoading(state) {
      state.loading = true;
    },
    listLoaded(state, action: PayloadAction<{ outgoing: TransferWithArrival[]; incoming: TransferWithArrival[] }>) {
      state.loading = false;
      state.outgoing = action.payload.outgoing;
      state.incoming = action.payload.incoming;
    },
    busyStarted(state) {
      state.busy = true;
      state.error = null;
    },
    refused(state, action: PayloadAction<TransferError>) {
      state.busy = false;
      state.error = action.payload;
    },
    sent(state, action: PayloadAction<Transfer>) {
      state.busy = false;
      state.lines = [];
      state.sent = { transferId: action.payload._id, toStoreId: action.payload.toStoreId, lines: action.payload.lines.length };
    },
    receiveOpened(state, action: PayloadAction<string | null>) {
      state.receiving = action.payload;
      state.error = null;
    },
    received(state) {
      state.busy = false;
      state.receiving = null;
    },
  },
  extraReducers: (b) => b.addCase(loggedOut, () => initialState),
});

export const { destinationSet, lineQtySet, draftCleared, receiveOpened } = transfersSlice.actions;
const { lineAdded, codeUnknown, listLoading, listLoaded, busyStarted, refused, sent, received } = transfersSlice.actions;

const draftOf = (p: Product): Omit<DraftLine, 'qty'> => ({ productId: p._id, sku: p.sku, name: { en: p.name.en, es: p.name.es }, unit: p.unit });

/** Adds a product of the local catalog to the transfer being put together. */
export const addToTransfer =
  (product: Product, qty = 1): TransfersThunk =>
  (dispatch) => {
    dispatch(lineAdded({ line: draftOf(product), qty }));
  };

/** A scan (or a typed code) on the Transfers screen: the product goes on the transfer, a weighed label with its weight. */
export const scanForTransfer =
  (code: string): TransfersThunk<boolean> =>
  (dispatch, _getState, services) => {
    const hit = services.index?.lookup(code) ?? services.index?.lookupSku(code) ?? services.index?.lookupSku(code.toUpperCase()) ?? null;
    if (!hit) {
      dispatch(codeUnknown(code));
      return false;
    }
    dispatch(lineAdded({ line: draftOf(hit.product), qty: hit.qty ?? 1 }));
    return true;
  };

/** The product a line names, from the local catalog (for names on incoming transfers). */
export function productOf(services: { index: { lookupSku(sku: string): { product: Product } | null } | null }, productId: string): Product | null {
  const sku = splitId(productId)?.key;
  return sku ? (services.index?.lookupSku(sku)?.product ?? null) : null;
}

/** Reads this store's outgoing and incoming transfers of the last LIST_DAYS days from the replica. */
export const loadTransfers = (): TransfersThunk<Promise<void>> => async (dispatch, _getState, services) => {
  dispatch(listLoading());
  const since = new Date(Date.now() - LIST_DAYS * 86_400_000).toISOString();
  dispatch(listLoaded(await transfersOf(requireDb(services), requireTill(services).config.storeId, since)));
};

/** Writes the transfer being put together: this ships it. */
export const sendTransfer = (): TransfersThunk<Promise<boolean>> => async (dispatch, getState, services) => {
  const { destination, lines } = getState().transfers;
  const user = getState().session.user;
  if (!user) return false;
  dispatch(busyStarted());
  const res = await commitTransfer(requireDb(services), { ...requireTill(services), user, toStoreId: destination, lines, uuid: uuid(), auditUuid: uuid() });
  if (!res.ok) {
    dispatch(refused(res.error));
    return false;
  }
  dispatch(sent(res.value));
  await dispatch(loadTransfers());
  return true;
};

/** Records what arrived of an incoming transfer (per line; null: as sent). */
export const receiveTransfer =
  (transferId: string, quantities: ReadonlyArray<number | null>): TransfersThunk<Promise<boolean>> =>
  async (dispatch, getState, services) => {
    const transfer = getState().transfers.incoming.find((t) => t.transfer._id === transferId)?.transfer;
    const user = getState().session.user;
    if (!transfer || !user) return false;
    dispatch(busyStarted());
    const res = await commitArrival(requireDb(services), { ...requireTill(services), user, transfer, received: quantities, auditUuid: uuid() });
    if (!res.ok) {
      dispatch(refused(res.error));
      if (res.error.code === 'already_received') await dispatch(loadTransfers());
      return false;
    }
    dispatch(received());
    await dispatch(loadTransfers());
    return true;
  };
