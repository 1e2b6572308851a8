// The console's language, chosen by the person at run time. Applying it (i18next, <html lang>, keeping it
// for the next visit) is a side effect done by a listener (app/listeners.ts).
import { createSlice } from '@reduxjs/toolkit';
import type { PayloadAction } from '@reduxjs/toolkit';
import type { Lang } from '../../i18n';

export interface PrefsState {
  lang: Lang;
}

const initialState: PrefsState = { lang: 'en' };

export const prefsSlice = createSlice({
  name: 'prefs',
  initialState,
  reducers: {
    languageChosen(state, action: PayloadAction<Lang>) {
      state.lang = action.payload;
    },
  },
});

export const { languageChosen } = prefsSlice.actions;
