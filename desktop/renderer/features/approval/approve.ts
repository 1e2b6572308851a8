// Checking a manager's PIN for a pending action and resuming it with the approval. Kept apart from the slice so
// the slices that ask for approvals do not import the thunks that resume them (no import cycle).
import type { Approval } from '../../../../shared/model/types';
import type { AppThunk } from '../../app/store';
import { requireDb } from '../../app/services';
import { approveOverride } from '../session/pinLogin';
import { closeShift, moveCash, openShift } from '../register/registerSlice';
import { submitReturn, submitVoid } from '../returns/returnsSlice';
import { discountCart, discountLine, overrideLinePrice } from '../sale/saleSlice';
import { approvalCheckStarted, approvalGranted, approvalRefused, type PendingAction } from './approvalSlice';

function resume(pending: PendingAction, approvals: Approval[]): AppThunk<Promise<void>> {
  return async (dispatch) => {
    const last = approvals[approvals.length - 1];
    switch (pending.kind) {
      case 'lineDiscount':
        dispatch(discountLine(pending.lineNo, pending.discount, last));
        return;
      case 'cartDiscount':
        dispatch(discountCart(pending.discount, last));
        return;
      case 'priceOverride':
        dispatch(overrideLinePrice(pending.lineNo, pending.unitPrice, last));
        return;
      case 'void':
        await dispatch(submitVoid(pending.reason, last));
        return;
      case 'return':
        await dispatch(submitReturn(approvals));
        return;
      case 'cash':
        await dispatch(moveCash(pending.direction, pending.amount, pending.reason, approvals));
        return;
      case 'registerOpen':
        await dispatch(openShift(pending.openingFloat, approvals));
        return;
      case 'registerClose':
        await dispatch(closeShift(pending.counted, approvals));
        return;
    }
  };
}

/** A manager approves the pending request with their PIN (offline, with the same lockout as the login). */
export const approveWithPin =
  (username: string, pin: string): AppThunk<Promise<boolean>> =>
  async (dispatch, getState, services) => {
    const request = getState().approval.request;
    if (!request) return false;
    dispatch(approvalCheckStarted());
    const res = await approveOverride(requireDb(services), username, pin, request.action, {
      ...(request.lineNo !== undefined ? { lineNo: request.lineNo } : {}),
      ...(request.requestedBp !== undefined ? { requestedBp: request.requestedBp } : {}),
    });
    if (!res.ok) {
      dispatch(approvalRefused(res.reason));
      return false;
    }
    dispatch(approvalGranted());
    await dispatch(resume(request.pending, [...request.approvals, res.approval]));
    return true;
  };
