// The register session on screen: the open shift, the X report, cash in/out and the close with its count.
// The documents and figures come from register.ts (shared/pos/register.ts underneath), written offline.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Money } from '../../../../shared/money';
import type { Approval, CashMovement, Shift, ShiftClose } from '../../../../shared/model/types';
import type { RegisterFigures } from '../../../../shared/pos/register';
import type { Permission } from '../../../../shared/auth/permissions';
import type { AppThunk } from '../../app/store';
import { requireDb, requireTill } from '../../app/services';
import { uiError, unexpected, type UiError } from '../../app/uiError';
import { uuid } from '../../app/uuid';
import { withStrictDurability } from '../../data/localDatabase';
import { approvalRequested, type PendingAction } from '../approval/approvalSlice';
import { commitCashMovement, commitShiftClose, commitShiftOpen, currentShift, xReportOf } from './register';

export interface XReport {
  at: string;
  shiftIds: string[];
  figures: RegisterFigures;
}

export interface RegisterState {
  loaded: boolean;
  shift: Shift | null;
  x: XReport | null;
  lastClose: ShiftClose | null;
  lastMovement: CashMovement | null;
  busy: boolean;
  error: UiError | null;
}

const initialState: RegisterState = { loaded: false, shift: null, x: null, lastClose: null, lastMovement: null, busy: false, error: null };

export const registerSlice = createSlice({
  name: 'register',
  initialState,
  reducers: {
    shiftLoaded(state, action: PayloadAction<Shift | null>) {
      state.loaded = true;
      state.shift = action.payload;
    },
    registerBusy(state) {
      state.busy = true;
      state.error = null;
    },
    registerFailed(state, action: PayloadAction<UiError>) {
      state.busy = false;
      state.error = action.payload;
    },
    shiftOpened(state, action: PayloadAction<Shift>) {
      state.busy = false;
      state.shift = action.payload;
      state.lastClose = null;
      state.x = null;
    },
    cashMoved(state, action: PayloadAction<CashMovement>) {
      state.busy = false;
      state.lastMovement = action.payload;
    },
    xReported(state, action: PayloadAction<XReport>) {
      state.busy = false;
      state.x = action.payload;
    },
    shiftClosed(state, action: PayloadAction<ShiftClose>) {
      state.busy = false;
      state.shift = null;
      state.x = null;
      state.lastClose = action.payload;
    },
    registerErrorCleared(state) {
      state.error = null;
    },
  },
});

export const { shiftLoaded, registerBusy, registerFailed, shiftOpened, cashMoved, xReported, shiftClosed, registerErrorCleared } = registerSlice.actions;

function needApproval(action: Permission, pending: PendingAction, approvals: Approval[]) {
  return approvalRequested({ action, pending, approvals });
}

/** Reads this terminal's open shift (after login and after every change). */
export const loadShift = (): AppThunk<Promise<void>> => async (dispatch, _getState, services) => {
  dispatch(shiftLoaded(await currentShift(requireDb(services), requireTill(services))));
};

export const openShift =
  (openingFloat: Money, approvals: Approval[] = []): AppThunk<Promise<void>> =>
  async (dispatch, getState, services) => {
    const user = getState().session.user;
    if (!user) return;
    dispatch(registerBusy());
    try {
      const res = await withStrictDurability(() => commitShiftOpen(requireDb(services), { ...requireTill(services), user, openingFloat, approvals }));
      if (res.ok) dispatch(shiftOpened(res.value));
      else if (res.error.code === 'approval_required') {
        dispatch(registerFailed({ code: 'approval_pending' }));
        dispatch(needApproval('register.open', { kind: 'registerOpen', openingFloat }, approvals));
      } else dispatch(registerFailed(uiError(res.error)));
    } catch (err) {
      dispatch(registerFailed(unexpected(err)));
    }
  };

export const moveCash =
  (direction: 'in' | 'out', amount: Money, reason: string, approvals: Approval[] = []): AppThunk<Promise<boolean>> =>
  async (dispatch, getState, services) => {
    const { session, register } = getState();
    if (!session.user || !register.shift) return false;
    dispatch(registerBusy());
    try {
      const res = await withStrictDurability(() =>
        commitCashMovement(requireDb(services), { ...requireTill(services), shiftId: register.shift?._id ?? '', uuid: uuid(), direction, amount, reason, user: session.user ?? { userId: '', permissions: [] }, approvals }),
      );
      if (res.ok) {
        dispatch(cashMoved(res.value));
        await dispatch(loadX());
        return true;
      }
      if (res.error.code === 'approval_required') {
        dispatch(registerFailed({ code: 'approval_pending' }));
        dispatch(needApproval('register.cash_in_out', { kind: 'cash', direction, amount, reason }, approvals));
      } else dispatch(registerFailed(uiError(res.error)));
    } catch (err) {
      dispatch(registerFailed(unexpected(err)));
    }
    return false;
  };

/** The X report: the open shift's figures now, changing nothing. */
export const loadX = (): AppThunk<Promise<void>> => async (dispatch, getState, services) => {
  const shift = getState().register.shift;
  if (!shift) return;
  try {
    dispatch(xReported(await xReportOf(requireDb(services), shift)));
  } catch (err) {
    dispatch(registerFailed(unexpected(err)));
  }
};

export const closeShift =
  (counted: Record<string, number>, approvals: Approval[] = []): AppThunk<Promise<void>> =>
  async (dispatch, getState, services) => {
    const { session, register } = getState();
    if (!session.user || !register.shift) return;
    dispatch(registerBusy());
    try {
      const res = await withStrictDurability(() =>
        commitShiftClose(requireDb(services), { ...requireTill(services), shiftId: register.shift?._id ?? '', counted, user: session.user ?? { userId: '', permissions: [] }, approvals }),
      );
      if (res.ok) dispatch(shiftClosed(res.value));
      else if (res.error.code === 'approval_required') {
        dispatch(registerFailed({ code: 'approval_pending' }));
        dispatch(needApproval('register.close', { kind: 'registerClose', counted }, approvals));
      } else dispatch(registerFailed(uiError(res.error)));
    } catch (err) {
      dispatch(registerFailed(unexpected(err)));
    }
  };
