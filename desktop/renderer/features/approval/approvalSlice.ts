// A manager's PIN approval at the till. An action that needs one (a discount beyond the cashier's limit, a void,
// a refund, cash in/out) is recorded as data (`PendingAction`), the approval dialog asks for a manager's PIN,
// and the action is resumed with the `Approval` the checkout code records on the document it approves.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Permission } from '../../../../shared/auth/permissions';
import type { Money } from '../../../../shared/money';
import type { Approval } from '../../../../shared/model/types';
import type { ManualDiscount } from '../../../../shared/pos/pricing';

/** What to do once approved (plain data, so it sits in the store). */
export type PendingAction =
  | { kind: 'lineDiscount'; lineNo: number; discount: ManualDiscount }
  | { kind: 'cartDiscount'; discount: ManualDiscount }
  | { kind: 'priceOverride'; lineNo: number; unitPrice: Money }
  | { kind: 'void'; receipt: string; reason: string }
  | { kind: 'return' }
  | { kind: 'cash'; direction: 'in' | 'out'; amount: Money; reason: string }
  | { kind: 'registerOpen'; openingFloat: Money }
  | { kind: 'registerClose'; counted: Record<string, number> };

export interface ApprovalRequest {
  action: Permission;
  lineNo?: number;
  requestedBp?: number;
  pending: PendingAction;
  /** Approvals already given for this action (a late return needs 'sale.refund' and 'return.late'). */
  approvals: Approval[];
}

export type ApprovalRefusal = 'denied' | 'unknown_user' | 'wrong_pin' | 'locked' | 'inactive';

export interface ApprovalState {
  request: ApprovalRequest | null;
  checking: boolean;
  error: ApprovalRefusal | null;
}

const initialState: ApprovalState = { request: null, checking: false, error: null };

export const approvalSlice = createSlice({
  name: 'approval',
  initialState,
  reducers: {
    approvalRequested(state, action: PayloadAction<ApprovalRequest>) {
      state.request = action.payload;
      state.checking = false;
      state.error = null;
    },
    approvalCheckStarted(state) {
      state.checking = true;
      state.error = null;
    },
    approvalRefused(state, action: PayloadAction<ApprovalRefusal>) {
      state.checking = false;
      state.error = action.payload;
    },
    approvalGranted(state) {
      state.request = null;
      state.checking = false;
    },
    approvalCancelled(state) {
      state.request = null;
      state.checking = false;
      state.error = null;
    },
  },
});

export const { approvalRequested, approvalCheckStarted, approvalRefused, approvalGranted, approvalCancelled } = approvalSlice.actions;
