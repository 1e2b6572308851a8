// What the till shows: the current screen and the language. The language is a terminal preference, kept in
// localStorage by main.tsx so the next start (even offline) opens in it.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { loggedIn } from '../features/session/sessionSlice';

export type Screen = 'sale' | 'journal' | 'returns' | 'register' | 'dashboard' | 'staff' | 'stock' | 'transfers' | 'dayClose' | 'terminals' | 'printer' | 'reports';
export type Lang = 'en' | 'es';

export interface UiState {
  screen: Screen;
  lang: Lang;
}

const initialState: UiState = { screen: 'sale', lang: 'en' };

export const uiSlice = createSlice({
  name: 'ui',
  initialState,
  reducers: {
    screenChosen(state, action: PayloadAction<Screen>) {
      state.screen = action.payload;
    },
    languageChosen(state, action: PayloadAction<Lang>) {
      state.lang = action.payload;
    },
  },
  // Whoever logs in starts at the sale screen, not on the last user's (a manager's day close, say).
  extraReducers: (b) =>
    b.addCase(loggedIn, (state) => {
      state.screen = 'sale';
    }),
});

export const { screenChosen, languageChosen } = uiSlice.actions;
