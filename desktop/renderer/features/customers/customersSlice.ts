// The customers the till knows (from its replica), for attaching one to the sale; loaded when the dialog opens
// and again whenever a customer reaches the replica while it is open.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Customer } from '../../../../shared/model/types';
import type { AppThunk } from '../../app/store';
import { requireDb } from '../../app/services';
import { uuid } from '../../app/uuid';
import { unexpected, type UiError } from '../../app/uiError';
import { customerChosen } from '../sale/saleSlice';
import { listCustomers, newCustomer, onCustomerChanges, saveCustomer } from './customers';

export interface CustomersState {
  list: Customer[];
  loaded: boolean;
  saving: boolean;
  error: UiError | null;
}

const initialState: CustomersState = { list: [], loaded: false, saving: false, error: null };

export const customersSlice = createSlice({
  name: 'customers',
  initialState,
  reducers: {
    customersLoaded(state, action: PayloadAction<Customer[]>) {
      state.list = action.payload;
      state.loaded = true;
    },
    customerSaving(state) {
      state.saving = true;
      state.error = null;
    },
    customerSaved(state, action: PayloadAction<Customer>) {
      state.saving = false;
      state.list = [...state.list.filter((c) => c._id !== action.payload._id), action.payload].sort((a, b) => a.name.localeCompare(b.name));
    },
    customerFailed(state, action: PayloadAction<UiError>) {
      state.saving = false;
      state.error = action.payload;
    },
  },
});

export const { customersLoaded, customerSaving, customerSaved, customerFailed } = customersSlice.actions;

export const loadCustomers = (): AppThunk<Promise<void>> => async (dispatch, _getState, services) => {
  dispatch(customersLoaded(await listCustomers(requireDb(services))));
};

/**
 * Reloads the list whenever a customer changes in the replica (a burst of them: one reload at a time, and one
 * more after it), so a customer another till just created shows without reopening the dialog. Returns the stop.
 */
export const followCustomers = (): AppThunk<() => void> => (dispatch, _getState, services) => {
  let loading = false;
  let again = false;
  const reload = (): void => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    dispatch(loadCustomers())
      .catch(() => undefined)
      .finally(() => {
        loading = false;
        if (again) {
          again = false;
          reload();
        }
      });
  };
  return onCustomerChanges(requireDb(services), reload);
};

/** Creates a customer in the replica and attaches it to the sale; true when it was created. */
export const createAndAttachCustomer =
  (input: { name: string; phone?: string; email?: string }): AppThunk<Promise<boolean>> =>
  async (dispatch, _getState, services) => {
    const built = newCustomer(input, new Date().toISOString(), uuid());
    if (!built.ok) {
      dispatch(customerFailed({ code: built.error.code }));
      return false;
    }
    dispatch(customerSaving());
    try {
      const saved = await saveCustomer(requireDb(services), built.value);
      dispatch(customerSaved(saved));
      dispatch(customerChosen(saved));
      return true;
    } catch (err) {
      dispatch(customerFailed(unexpected(err)));
      return false;
    }
  };
