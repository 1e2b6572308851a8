// Entry of the HQ console: restores this tab's session, picks the language, and renders the routes inside
// Mantine, Redux and i18next providers.
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './console.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { I18nextProvider } from 'react-i18next';
import { Provider } from 'react-redux';
import { RouterProvider } from 'react-router';
import { router } from './App';
import { LANG_KEY, SESSION_KEY, savedSession } from './app/listeners';
import { makeStore } from './app/store';
import { theme } from './app/theme';
import { initI18n, initialLang } from './i18n';
import { sessionRestored } from './features/session/sessionSlice';

const lang = initialLang(localStorage.getItem(LANG_KEY), navigator.languages);
const i18n = initI18n(lang);
document.documentElement.lang = lang;
const session = savedSession(sessionStorage.getItem(SESSION_KEY));
const store = makeStore({ session: { current: session, endedBecause: null }, prefs: { lang } });
// Starts the refresh timer for a session kept across a reload (it may be due at once).
if (session) store.dispatch(sessionRestored(session));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Provider store={store}>
      <I18nextProvider i18n={i18n}>
        <MantineProvider theme={theme} defaultColorScheme="light">
          {/* Bottom right: never over a dialog's or drawer's title and close button. */}
          <Notifications position="bottom-right" />
          <RouterProvider router={router} />
        </MantineProvider>
      </I18nextProvider>
    </Provider>
  </StrictMode>,
);
