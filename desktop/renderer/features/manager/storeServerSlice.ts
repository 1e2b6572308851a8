// Manager mode's work that only the store server (the relay) can do: the day close (Z) and the period close
// (ZZ), the paired terminals and pairing codes. Each needs a manager session at the relay, opened with the
// manager's PIN (the till keeps no PIN), kept in memory only and dropped at the 30-minute mark or on logout.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { createClient, type Client, type Wire } from '../../../../shared/api/client';
import { ApiError, ERRORS, type ErrorCode } from '../../../../shared/api/errors';
import type { DayAnswer, DayClosed, PairingCode, PublicTerminal, ZZAnswer } from '../../../../shared/api/responses';
import type { RelayApi } from '../../../../shared/api/routes';
import type { AppThunk } from '../../app/store';
import { loggedOut } from '../session/sessionSlice';
import type { Services } from '../../app/services';

/** A refusal of the relay in its error table's terms, or `network` when it could not be reached. */
export interface StoreServerError {
  code: ErrorCode | 'network' | 'no_session';
  message: { en: string; es: string };
}

export interface StoreServerState {
  /** The relay session: its bearer token and when it ends (ms since the epoch). */
  session: { token: string; username: string; until: number } | null;
  busy: boolean;
  error: StoreServerError | null;
  day: Wire<DayAnswer> | null;
  closed: Wire<DayClosed> | null;
  zz: Wire<ZZAnswer> | null;
  terminals: Wire<PublicTerminal>[];
  pairingCode: Wire<PairingCode> | null;
}

const initialState: StoreServerState = { session: null, busy: false, error: null, day: null, closed: null, zz: null, terminals: [], pairingCode: null };

/** The relay grants 30 minutes; a little less here, so a call never starts on a session about to end. */
const SESSION_MS = 29 * 60_000;

export const storeServerSlice = createSlice({
  name: 'storeServer',
  initialState,
  reducers: {
    started(state) {
      state.busy = true;
      state.error = null;
    },
    failed(state, action: PayloadAction<StoreServerError>) {
      state.busy = false;
      state.error = action.payload;
      if (['unauthenticated', 'token_expired', 'token_invalid', 'no_session'].includes(action.payload.code)) state.session = null;
    },
    signedIn(state, action: PayloadAction<{ token: string; username: string; until: number }>) {
      state.busy = false;
      state.session = action.payload;
    },
    dayLoaded(state, action: PayloadAction<Wire<DayAnswer>>) {
      state.busy = false;
      state.day = action.payload;
    },
    dayClosed(state, action: PayloadAction<Wire<DayClosed>>) {
      state.busy = false;
      state.closed = action.payload;
      state.day = { businessDate: action.payload.zreport.businessDate, closed: true, zreport: action.payload.zreport };
    },
    zzLoaded(state, action: PayloadAction<Wire<ZZAnswer>>) {
      state.busy = false;
      state.zz = action.payload;
    },
    terminalsLoaded(state, action: PayloadAction<Wire<PublicTerminal>[]>) {
      state.busy = false;
      state.terminals = action.payload;
    },
    pairingCodeIssued(state, action: PayloadAction<Wire<PairingCode> | null>) {
      state.busy = false;
      state.pairingCode = action.payload;
    },
  },
  // The relay session belongs to the manager at the till: it ends when they lock or log out.
  extraReducers: (b) => b.addCase(loggedOut, () => initialState),
});

const { started, failed, signedIn, dayLoaded, dayClosed, zzLoaded, terminalsLoaded, pairingCodeIssued } = storeServerSlice.actions;

export function relay(services: Services, token?: string): Client<RelayApi> {
  const url = services.pairing?.relayUrl;
  if (!url) throw new Error('the terminal is not paired');
  return createClient<RelayApi>(url, { fetch: (u, init) => fetch(u, init), ...(token ? { token } : {}) });
}

export function asError(err: unknown): StoreServerError {
  if (err instanceof ApiError) return { code: err.code, message: ERRORS[err.code].message };
  return {
    code: 'network',
    message: {
      en: 'The store server cannot be reached. Sales go on; this needs the store server, try again when it is back.',
      es: 'No se puede contactar al servidor de la tienda. Las ventas siguen; esto lo necesita, inténtelo cuando vuelva.',
    },
  };
}

/** Runs one relay call with the current session; a missing or expired one asks for the PIN again. */
function withSession<T>(call: (client: Client<RelayApi>) => Promise<T>, done: (value: T) => PayloadAction<unknown>): AppThunk<Promise<boolean>> {
  return async (dispatch, getState, services) => {
    const session = getState().storeServer.session;
    if (!session || session.until < Date.now()) {
      dispatch(failed({ code: 'no_session', message: { en: 'Confirm with your PIN to reach the store server.', es: 'Confirme con su PIN para acceder al servidor de la tienda.' } }));
      return false;
    }
    dispatch(started());
    try {
      dispatch(done(await call(relay(services, session.token))));
      return true;
    } catch (err) {
      dispatch(failed(asError(err)));
      return false;
    }
  };
}

/** Opens a manager session at the relay with the logged-in manager's PIN. */
export const signInToStoreServer =
  (pin: string): AppThunk<Promise<boolean>> =>
  async (dispatch, getState, services) => {
    const username = getState().session.user?.username;
    if (!username) return false;
    dispatch(started());
    try {
      const res = await relay(services).send('POST /api/v1/auth/login', { body: { username, pin } });
      dispatch(signedIn({ token: res.body.token, username, until: Date.now() + SESSION_MS }));
      return true;
    } catch (err) {
      dispatch(failed(asError(err)));
      return false;
    }
  };

/** The day's Z, or its preview while it is open. */
export const loadDay = (date: string) =>
  withSession(
    (c) => c.send('GET /api/v1/day-close/:date', { params: { date } }),
    (r) => dayLoaded(r.body),
  );

/** Closes the store's business day: writes its Z (closing the registers still open). */
export const closeDay = (date: string) =>
  withSession(
    (c) => c.send('POST /api/v1/day-close', { body: { businessDate: date } }),
    (r) => dayClosed(r.body),
  );

/** The Z reports of a period summed (the ZZ). */
export const loadZZ = (from: string, to: string) =>
  withSession(
    (c) => c.send('GET /api/v1/zz', { query: { from, to } }),
    (r) => zzLoaded(r.body),
  );

export const loadTerminals = () =>
  withSession(
    (c) => c.send('GET /api/v1/terminals'),
    (r) => terminalsLoaded(r.body),
  );

/** Unpairs a terminal (its credential stops working at once), then reloads the list. */
export const unpairTerminal =
  (terminalId: string): AppThunk<Promise<boolean>> =>
  async (dispatch) =>
    (await dispatch(
      withSession(
        (c) => c.send('DELETE /api/v1/terminals/:id', { params: { id: terminalId }, body: {} }),
        () => pairingCodeIssued(null),
      ),
    )) && dispatch(loadTerminals());

/** A six-digit code another terminal pairs with. */
export const issuePairingCode = () =>
  withSession(
    (c) => c.send('POST /api/v1/terminals/pairing-code', { body: {} }),
    (r) => pairingCodeIssued(r.body),
  );
