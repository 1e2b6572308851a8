// The console's Redux store: the session, preferences and RTK Query's cache. Everything in it is plain
// serializable data; storage, timers and i18next are touched only by listeners (listeners.ts).
import { combineReducers, configureStore } from '@reduxjs/toolkit';
import { setupListeners } from '@reduxjs/toolkit/query';
import { api } from '../api/api';
import { prefsSlice } from '../features/prefs/prefsSlice';
import type { PrefsState } from '../features/prefs/prefsSlice';
import { sessionSlice } from '../features/session/sessionSlice';
import type { SessionState } from '../features/session/sessionSlice';
import { listener } from './listeners';

const reducer = combineReducers({
  session: sessionSlice.reducer,
  prefs: prefsSlice.reducer,
  [api.reducerPath]: api.reducer,
});

export type RootState = ReturnType<typeof reducer>;

export function makeStore(preloaded: { session: SessionState; prefs: PrefsState }) {
  const store = configureStore({
    reducer,
    preloadedState: preloaded,
    middleware: (getDefault) => getDefault().prepend(listener.middleware).concat(api.middleware),
  });
  // Refetch on focus and on reconnect (RTK Query listens to the window's events).
  setupListeners(store.dispatch);
  return store;
}

export type AppStore = ReturnType<typeof makeStore>;
export type AppDispatch = AppStore['dispatch'];
