// The sale being rung: a Cart changed only by shared/pos/cart.ts (reducers call addItem and friends), the tenders
// taken at payment, and the sale once committed (shown as the receipt). Committing is one put of the complete
// Sale document (features/checkout/commit.ts), offline, with strict IndexedDB durability.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Money } from '../../../../shared/money';
import type { Approval, Customer, Product, Sale, StorePrice } from '../../../../shared/model/types';
import {
  addItem, changeQty, emptyCart, overridePrice, removeLine, setCartDiscount, setCustomer, setLineDiscount, type Cart, type CartResult,
} from '../../../../shared/pos/cart';
import type { ManualDiscount } from '../../../../shared/pos/pricing';
import type { TenderInput } from '../../../../shared/pos/tenders';
import type { AppThunk } from '../../app/store';
import { requireDb, requireIndex, requireTill, type Services } from '../../app/services';
import { uiError, unexpected, type UiError } from '../../app/uiError';
import { uuid } from '../../app/uuid';
import { screenChosen } from '../../app/uiSlice';
import { withStrictDurability } from '../../data/localDatabase';
import { approvalRequested } from '../approval/approvalSlice';
import { commitSale, holdShift, type HeldShift } from '../checkout/commit';
import { tillMark } from '../checkout/marks';
import { listParked, parkSale, recallParked } from '../checkout/parked';
import { printReceipt } from '../receipt/printing';

/** A tender as the cashier entered it (plain data; turned into a TenderInput with its Tender at commit). */
export interface TenderEntry {
  tenderId: string;
  /** Store-currency minor units handed over; for a foreign tender, minor units of that currency. */
  amount: Money;
  reference?: string;
}

export interface ParkedSummary {
  id: string;
  parkedAt: string;
  parkedBy: string;
  lines: number;
  label?: string;
}

export interface SaleState {
  cart: Cart;
  selectedLine: number | null;
  paying: boolean;
  tenders: TenderEntry[];
  committing: boolean;
  /** The sale just committed: the receipt screen shows it until the next sale starts. */
  completed: Sale | null;
  /** Why the shell could not print the completed sale's receipt (in the cashier's language). */
  printError: string | null;
  error: UiError | null;
  parked: ParkedSummary[];
  /** A weighed product picked by hand waits for its weight. */
  weighing: { product: Product; storePrice: StorePrice | null } | null;
  /** Bumped on every line added, so the screen can flash and scroll to it. */
  lastAddedLine: number | null;
}

const initialState: SaleState = {
  cart: emptyCart(),
  selectedLine: null,
  paying: false,
  tenders: [],
  committing: false,
  completed: null,
  printError: null,
  error: null,
  parked: [],
  weighing: null,
  lastAddedLine: null,
};

type User = { discountLimitBp: number; permissions: string[] };

function apply(state: SaleState, res: CartResult): boolean {
  if (!res.ok) {
    state.error = uiError(res.error);
    return false;
  }
  state.cart = res.value;
  state.error = null;
  return true;
}

export const saleSlice = createSlice({
  name: 'sale',
  initialState,
  reducers: {
    itemAdded(state, action: PayloadAction<{ product: Product; qty: number; storePrice: StorePrice | null }>) {
      const { product, qty, storePrice } = action.payload;
      if (state.completed) {
        // Scanning the next customer's first item closes the last receipt.
        state.completed = null;
        state.cart = emptyCart();
        state.tenders = [];
      }
      if (apply(state, addItem(state.cart, product, qty, { storePrice }))) {
        const line = [...state.cart.lines].reverse().find((l) => l.productId === product._id);
        state.selectedLine = line?.lineNo ?? null;
        state.lastAddedLine = line?.lineNo ?? null;
      }
      state.weighing = null;
    },
    weighingAsked(state, action: PayloadAction<{ product: Product; storePrice: StorePrice | null }>) {
      state.weighing = action.payload;
    },
    weighingCancelled(state) {
      state.weighing = null;
    },
    lineSelected(state, action: PayloadAction<number | null>) {
      state.selectedLine = action.payload;
    },
    qtyChanged(state, action: PayloadAction<{ lineNo: number; qty: number }>) {
      apply(state, changeQty(state.cart, action.payload.lineNo, action.payload.qty));
    },
    lineRemoved(state, action: PayloadAction<number>) {
      if (apply(state, removeLine(state.cart, action.payload))) {
        state.selectedLine = state.cart.lines[state.cart.lines.length - 1]?.lineNo ?? null;
      }
    },
    lineDiscounted(state, action: PayloadAction<{ lineNo: number; discount: ManualDiscount | null; user: User; approval?: Approval }>) {
      const { lineNo, discount, user, approval } = action.payload;
      apply(state, setLineDiscount(state.cart, lineNo, discount, user, approval));
    },
    cartDiscounted(state, action: PayloadAction<{ discount: ManualDiscount | null; user: User; approval?: Approval }>) {
      const { discount, user, approval } = action.payload;
      apply(state, setCartDiscount(state.cart, discount, user, approval));
    },
    priceOverridden(state, action: PayloadAction<{ lineNo: number; unitPrice: Money; user: User; approval?: Approval }>) {
      const { lineNo, unitPrice, user, approval } = action.payload;
      apply(state, overridePrice(state.cart, lineNo, unitPrice, user, approval));
    },
    /** Attaches a customer to the sale (a tax-exempt one makes it tax-free), or with null takes it off. */
    customerChosen(state, action: PayloadAction<Pick<Customer, '_id' | 'taxExempt'> | null>) {
      state.cart = setCustomer(state.cart, action.payload);
    },
    saleCancelled(state) {
      state.cart = emptyCart();
      state.selectedLine = null;
      state.tenders = [];
      state.paying = false;
      state.error = null;
    },
    paymentOpened(state) {
      if (state.cart.lines.length === 0) return;
      state.paying = true;
      state.error = null;
    },
    paymentClosed(state) {
      state.paying = false;
      state.tenders = [];
      state.error = null;
    },
    tenderAdded(state, action: PayloadAction<TenderEntry>) {
      state.tenders.push(action.payload);
      state.error = null;
    },
    tenderRemoved(state, action: PayloadAction<number>) {
      state.tenders.splice(action.payload, 1);
    },
    saleCommitStarted(state) {
      state.committing = true;
      state.error = null;
    },
    saleCompleted(state, action: PayloadAction<Sale>) {
      state.committing = false;
      state.paying = false;
      state.completed = action.payload;
      state.printError = null;
      state.cart = emptyCart();
      state.tenders = [];
      state.selectedLine = null;
    },
    saleFailed(state, action: PayloadAction<UiError>) {
      state.committing = false;
      state.error = action.payload;
    },
    receiptClosed(state) {
      state.completed = null;
      state.printError = null;
    },
    receiptPrintFailed(state, action: PayloadAction<string>) {
      state.printError = action.payload;
    },
    errorShown(state, action: PayloadAction<UiError>) {
      state.error = action.payload;
    },
    errorCleared(state) {
      state.error = null;
    },
    parkedListed(state, action: PayloadAction<ParkedSummary[]>) {
      state.parked = action.payload;
    },
    saleParked(state) {
      state.cart = emptyCart();
      state.selectedLine = null;
      state.tenders = [];
    },
    saleRecalled(state, action: PayloadAction<Cart>) {
      state.cart = action.payload;
      state.selectedLine = action.payload.lines[action.payload.lines.length - 1]?.lineNo ?? null;
      state.completed = null;
      state.error = null;
    },
  },
});

export const {
  itemAdded, weighingAsked, weighingCancelled, lineSelected, qtyChanged, lineRemoved, lineDiscounted, cartDiscounted, priceOverridden,
  saleCancelled, paymentOpened, paymentClosed, tenderAdded, tenderRemoved, saleCommitStarted, saleCompleted, saleFailed, receiptClosed,
  receiptPrintFailed, errorShown, errorCleared, parkedListed, saleParked, saleRecalled, customerChosen,
} = saleSlice.actions;

// ---------- thunks ----------

/**
 * A scanned code: a product barcode (or a weighed-goods label carrying its weight) goes into the cart. The
 * scanner works on every screen: a product scanned elsewhere brings the sale screen forward.
 */
export const scanCode =
  (code: string): AppThunk<boolean> =>
  (dispatch, getState, services) => {
    const index = services.index;
    const state = getState();
    tillMark('caja:scan'); // when the till took the code (checkout/marks.ts)
    // Not while taking payment or waiting for a manager: the cart on screen must be the one being paid/approved.
    if (!index || !state.session.user || state.sale.paying || state.approval.request) return false;
    const hit = index.lookup(code) ?? index.lookupSku(code);
    if (!hit) {
      dispatch(errorShown({ code: 'unknown_barcode', params: { barcode: code } }));
      return false;
    }
    if (getState().ui.screen !== 'sale') dispatch(screenChosen('sale'));
    if (hit.product.weighed && hit.qty === undefined) dispatch(weighingAsked({ product: hit.product, storePrice: hit.storePrice }));
    else dispatch(itemAdded({ product: hit.product, qty: hit.qty ?? 1, storePrice: hit.storePrice }));
    return true;
  };

/** A product picked on screen (search result or department): weighed goods ask for their weight first. */
export const pickProduct =
  (productId: string): AppThunk =>
  (dispatch, _getState, services) => {
    const index = requireIndex(services);
    const sku = productId.replace(/^product:/, '');
    const hit = index.lookupSku(sku);
    if (!hit) return;
    if (hit.product.weighed) dispatch(weighingAsked({ product: hit.product, storePrice: hit.storePrice }));
    else dispatch(itemAdded({ product: hit.product, qty: 1, storePrice: hit.storePrice }));
  };

function sessionUserOf(getState: () => { session: { user: User | null } }): User {
  const u = getState().session.user;
  return u ?? { discountLimitBp: 0, permissions: [] };
}

/** A line discount; beyond the cashier's limit a manager approves it first. */
export const discountLine =
  (lineNo: number, discount: ManualDiscount | null, approval?: Approval): AppThunk =>
  (dispatch, getState) => {
    const user = sessionUserOf(getState);
    const res = setLineDiscount(getState().sale.cart, lineNo, discount, user, approval);
    if (!res.ok && res.error.code === 'approval_required' && discount) {
      dispatch(approvalRequested({ action: 'discount.over_limit', lineNo, ...(res.error.requestedBp !== undefined ? { requestedBp: res.error.requestedBp } : {}), pending: { kind: 'lineDiscount', lineNo, discount }, approvals: [] }));
      return;
    }
    dispatch(lineDiscounted({ lineNo, discount, user, ...(approval ? { approval } : {}) }));
  };

/** A discount on the whole cart; beyond the cashier's limit a manager approves it first. */
export const discountCart =
  (discount: ManualDiscount | null, approval?: Approval): AppThunk =>
  (dispatch, getState) => {
    const user = sessionUserOf(getState);
    const res = setCartDiscount(getState().sale.cart, discount, user, approval);
    if (!res.ok && res.error.code === 'approval_required' && discount) {
      dispatch(approvalRequested({ action: 'discount.over_limit', ...(res.error.requestedBp !== undefined ? { requestedBp: res.error.requestedBp } : {}), pending: { kind: 'cartDiscount', discount }, approvals: [] }));
      return;
    }
    dispatch(cartDiscounted({ discount, user, ...(approval ? { approval } : {}) }));
  };

/** A price changed at the till: 'price.override' or a manager's approval. */
export const overrideLinePrice =
  (lineNo: number, unitPrice: Money, approval?: Approval): AppThunk =>
  (dispatch, getState) => {
    const user = sessionUserOf(getState);
    const res = overridePrice(getState().sale.cart, lineNo, unitPrice, user, approval);
    if (!res.ok && res.error.code === 'approval_required') {
      dispatch(approvalRequested({ action: 'price.override', lineNo, pending: { kind: 'priceOverride', lineNo, unitPrice }, approvals: [] }));
      return;
    }
    dispatch(priceOverridden({ lineNo, unitPrice, user, ...(approval ? { approval } : {}) }));
  };

/** Commits being written, one per till: a second press of Pay while the first is written does nothing. */
const committing = new WeakSet<Services>();
/** The shift checked open when the payment screen opened (commit.ts holdShift), per till. */
const heldShifts = new WeakMap<Services, Promise<HeldShift | null>>();

function releaseHeldShift(services: Services): void {
  const held = heldShifts.get(services);
  heldShifts.delete(services);
  void held?.then((h) => h?.release());
}

/**
 * Opens the payment screen and reads ahead what the commit needs (commit.ts holdShift), so that Pay only builds
 * the sale and writes it.
 */
export const openPayment = (): AppThunk => (dispatch, getState, services) => {
  const { sale, register } = getState();
  if (sale.cart.lines.length === 0) return;
  dispatch(paymentOpened());
  releaseHeldShift(services);
  const shift = register.shift;
  if (!shift || !services.db || !services.index?.config() || !services.pairing) return;
  const held = holdShift(services.db, requireTill(services), shift._id).then(
    (res) => (res.ok ? res.value : null),
    () => null, // the commit checks for itself
  );
  heldShifts.set(services, held);
};

/**
 * The payment screen shows "saving" only when a write takes longer than this. Nothing is dispatched before the
 * write: a dispatch re-renders the screen first (tens of ms), and the sale would wait for it.
 */
const SHOW_SAVING_AFTER_MS = 150;

/**
 * Pays the sale with the tenders taken (and `added`, the tender that covers it, not yet in the state): one put of
 * the complete Sale, then the receipt (and drawer).
 */
export const completeSale =
  (added?: TenderEntry): AppThunk<Promise<void>> =>
  async (dispatch, getState, services) => {
    const state = getState();
    const user = state.session.user;
    const shift = state.register.shift;
    if (!user || committing.has(services)) return;
    tillMark('caja:commit:start');
    const fail = (error: UiError) => {
      if (added) dispatch(tenderAdded(added));
      dispatch(saleFailed(error));
    };
    if (!shift) {
      fail({ code: 'no_open_shift' });
      return;
    }
    committing.add(services);
    const saving = setTimeout(() => dispatch(saleCommitStarted()), SHOW_SAVING_AFTER_MS);
    try {
      const db = requireDb(services);
      const index = requireIndex(services);
      const till = requireTill(services);
      const tenders: TenderInput[] = [];
      for (const t of added ? [...state.sale.tenders, added] : state.sale.tenders) {
        const tender = index.tender(t.tenderId);
        if (!tender) {
          fail({ code: 'unknown_tender', params: { tender: t.tenderId } });
          return;
        }
        tenders.push(tender.kind === 'foreign' ? { tender, foreignAmount: t.amount } : { tender, tendered: t.amount, ...(t.reference ? { reference: t.reference } : {}) });
      }
      const held = (await heldShifts.get(services)) ?? undefined;
      const res = await withStrictDurability(() =>
        commitSale(db, { ...till, shiftId: shift._id, cashierId: user.userId, cart: state.sale.cart, catalog: index.pricing(), tenders, journal: services.journal }, held),
      );
      if (!res.ok) {
        fail(uiError(res.error));
        return;
      }
      dispatch(saleCompleted(res.value));
      // In the shell the receipt prints and the drawer opens on its own, after the sale is kept: a jammed printer
      // never loses it, and says so on the receipt screen. The browser prints when the cashier asks.
      if (services.preload) {
        void dispatch(printReceipt(res.value, { kickDrawer: true })).then((problem) => {
          if (problem) dispatch(receiptPrintFailed(problem));
        });
      }
    } catch (err) {
      fail(unexpected(err));
    } finally {
      clearTimeout(saving);
      committing.delete(services);
      releaseHeldShift(services);
    }
  };

/** Lists the sales parked on this terminal. */
export const loadParked = (): AppThunk<Promise<void>> => async (dispatch, _getState, services) => {
  const parked = await listParked(requireDb(services));
  dispatch(parkedListed(parked.map((p) => ({ id: p.id, parkedAt: p.parkedAt, parkedBy: p.parkedBy, lines: p.cart.lines.length, ...(p.label ? { label: p.label } : {}) }))));
};

/** Parks the current cart on this terminal (never replicated) and starts an empty one. */
export const parkCurrentSale = (): AppThunk<Promise<void>> => async (dispatch, getState, services) => {
  const { sale, session } = getState();
  if (sale.cart.lines.length === 0 || !session.user) return;
  const till = requireTill(services);
  await parkSale(requireDb(services), sale.cart, { id: uuid(), storeId: till.config.storeId, terminalId: till.terminalId, parkedBy: session.user.displayName });
  dispatch(saleParked());
  await dispatch(loadParked());
};

/** Recalls a parked sale as the current cart (the current cart must be empty: park it first). */
export const recallSale =
  (id: string): AppThunk<Promise<void>> =>
  async (dispatch, getState, services) => {
    if (getState().sale.cart.lines.length > 0) {
      dispatch(errorShown({ code: 'cart_not_empty' }));
      return;
    }
    const res = await recallParked(requireDb(services), id);
    if (res.ok) dispatch(saleRecalled(res.value));
    else dispatch(errorShown(uiError(res.error)));
    await dispatch(loadParked());
  };
