// Returns and voids at the till: find the sale by its receipt number (scanned from the receipt's barcode or
// typed; a sale of any terminal of the store within this terminal's history), choose what comes back, and
// commit a Return or a Void (commit.ts), with a manager's approval when the cashier may not do it alone.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { voidId } from '../../../../shared/model/ids';
import type { Approval, Return, Sale, Void } from '../../../../shared/model/types';
import { returnable } from '../../../../shared/pos/returns';
import type { AppThunk } from '../../app/store';
import { requireDb, requireIndex, requireTill } from '../../app/services';
import { uiError, unexpected, type UiError } from '../../app/uiError';
import { withStrictDurability } from '../../data/localDatabase';
import { approvalRequested } from '../approval/approvalSlice';
import { commitReturn, commitVoid, findSale, returnsOf } from '../checkout/commit';
import { getOrNull } from '../checkout/localDb';

export interface ReturnLineChoice {
  lineNo: number;
  /** Still returnable (sold minus earlier returns). */
  remaining: number;
  qty: number;
  restock: boolean;
}

export interface ReturnsState {
  receipt: string;
  sale: Sale | null;
  previous: Return[];
  voided: boolean;
  lines: ReturnLineChoice[];
  refundTo: 'original' | 'storecredit';
  busy: boolean;
  error: UiError | null;
  done: { kind: 'return'; doc: Return } | { kind: 'void'; doc: Void } | null;
}

const initialState: ReturnsState = { receipt: '', sale: null, previous: [], voided: false, lines: [], refundTo: 'original', busy: false, error: null, done: null };

export const returnsSlice = createSlice({
  name: 'returns',
  initialState,
  reducers: {
    returnsBusy(state) {
      state.busy = true;
      state.error = null;
    },
    /** A new lookup takes the last sale off the screen: its lines must not stay there to be refunded by mistake. */
    lookupStarted(state) {
      Object.assign(state, { sale: null, previous: [], voided: false, lines: [], done: null, error: null, busy: true });
    },
    returnsFailed(state, action: PayloadAction<UiError>) {
      state.busy = false;
      state.error = action.payload;
    },
    saleFound(state, action: PayloadAction<{ receipt: string; sale: Sale; previous: Return[]; voided: boolean }>) {
      const { sale, previous } = action.payload;
      Object.assign(state, action.payload);
      state.busy = false;
      state.done = null;
      state.lines = returnable(sale, previous).map((r) => ({ lineNo: r.lineNo, remaining: r.remaining, qty: 0, restock: true }));
    },
    returnQtyChosen(state, action: PayloadAction<{ lineNo: number; qty: number }>) {
      const l = state.lines.find((x) => x.lineNo === action.payload.lineNo);
      if (l) l.qty = Math.max(0, Math.min(l.remaining, action.payload.qty));
    },
    restockChosen(state, action: PayloadAction<{ lineNo: number; restock: boolean }>) {
      const l = state.lines.find((x) => x.lineNo === action.payload.lineNo);
      if (l) l.restock = action.payload.restock;
    },
    refundMethodChosen(state, action: PayloadAction<'original' | 'storecredit'>) {
      state.refundTo = action.payload;
    },
    returnCompleted(state, action: PayloadAction<Return>) {
      state.busy = false;
      state.done = { kind: 'return', doc: action.payload };
    },
    voidCompleted(state, action: PayloadAction<Void>) {
      state.busy = false;
      state.voided = true;
      state.done = { kind: 'void', doc: action.payload };
    },
    returnsReset() {
      return initialState;
    },
  },
});

const { lookupStarted } = returnsSlice.actions;
export const { returnsBusy, returnsFailed, saleFound, returnQtyChosen, restockChosen, refundMethodChosen, returnCompleted, voidCompleted, returnsReset } = returnsSlice.actions;

/**
 * Each lookup, return and void takes a new number; a lookup that answers after a newer one began is dropped.
 * Without it, Find pressed twice answered twice, and a late answer landing after the refund cleared the finished
 * return from the screen.
 */
const operations = new WeakMap<object, number>();
const nextOperation = (services: object): number => {
  const n = (operations.get(services) ?? 0) + 1;
  operations.set(services, n);
  return n;
};

/** Finds the sale a receipt number (or scanned receipt barcode) names, with what was already returned. */
export const findReceipt =
  (receipt: string): AppThunk<Promise<void>> =>
  async (dispatch, _getState, services) => {
    const mine = nextOperation(services);
    const current = () => operations.get(services) === mine;
    dispatch(lookupStarted());
    try {
      const db = requireDb(services);
      const found = await findSale(db, receipt);
      if (!current()) return;
      if (!found.ok) {
        dispatch(returnsFailed(uiError(found.error)));
        return;
      }
      const [previous, v] = await Promise.all([returnsOf(db, found.value), getOrNull<Void>(db, voidId(found.value._id))]);
      if (current()) dispatch(saleFound({ receipt: receipt.trim(), sale: found.value, previous, voided: v !== null }));
    } catch (err) {
      if (current()) dispatch(returnsFailed(unexpected(err)));
    }
  };

/** Takes the return chosen on screen; asks for a manager when the cashier may not refund alone. */
export const submitReturn =
  (approvals: Approval[] = []): AppThunk<Promise<void>> =>
  async (dispatch, getState, services) => {
    const { returns, session, register } = getState();
    if (!returns.sale || !session.user) return;
    if (!register.shift) {
      dispatch(returnsFailed({ code: 'no_open_shift' }));
      return;
    }
    const requests = returns.lines.filter((l) => l.qty > 0).map((l) => ({ lineNo: l.lineNo, qty: l.qty, restock: l.restock }));
    nextOperation(services);
    dispatch(returnsBusy());
    try {
      const db = requireDb(services);
      const till = requireTill(services);
      const credit = requireIndex(services).tenders().find((t) => t.kind === 'storecredit');
      const refund = returns.refundTo === 'storecredit' && credit ? { to: 'storecredit' as const, tender: credit } : { to: 'original' as const };
      const res = await withStrictDurability(() =>
        commitReturn(db, { ...till, shiftId: register.shift?._id ?? '', cashier: session.user ?? { userId: '', permissions: [] }, receipt: returns.sale?._id ?? '', requests, refund, approvals }),
      );
      if (res.ok) {
        dispatch(returnCompleted(res.value));
        return;
      }
      if (res.error.code === 'approval_required' && (res.error.action === 'sale.refund' || res.error.action === 'return.late')) {
        dispatch(returnsFailed({ code: 'approval_pending' }));
        dispatch(approvalRequested({ action: res.error.action, pending: { kind: 'return' }, approvals }));
        return;
      }
      dispatch(returnsFailed(uiError(res.error)));
    } catch (err) {
      dispatch(returnsFailed(unexpected(err)));
    }
  };

/** Voids the sale on screen (same business day, before the Z); a manager approves when the cashier may not. */
export const submitVoid =
  (reason: string, approval?: Approval): AppThunk<Promise<void>> =>
  async (dispatch, getState, services) => {
    const { returns, session, register } = getState();
    if (!returns.sale || !session.user) return;
    if (!register.shift) {
      dispatch(returnsFailed({ code: 'no_open_shift' }));
      return;
    }
    nextOperation(services);
    dispatch(returnsBusy());
    try {
      const receipt = returns.sale._id;
      const res = await withStrictDurability(() =>
        commitVoid(requireDb(services), { ...requireTill(services), shiftId: register.shift?._id ?? '', cashier: session.user ?? { userId: '', permissions: [] }, receipt, reason, ...(approval ? { approval } : {}) }),
      );
      if (res.ok) {
        dispatch(voidCompleted(res.value));
        return;
      }
      if (res.error.code === 'approval_required') {
        dispatch(returnsFailed({ code: 'approval_pending' }));
        dispatch(approvalRequested({ action: 'sale.void', pending: { kind: 'void', receipt, reason }, approvals: [] }));
        return;
      }
      dispatch(returnsFailed(uiError(res.error)));
    } catch (err) {
      dispatch(returnsFailed(unexpected(err)));
    }
  };
