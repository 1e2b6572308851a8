// Entry of the terminal renderer (browser and Electron): language, Redux store with the services as the thunk
// extra argument, Mantine, then the app. In the browser build a service worker keeps the app itself available
// with the relay unreachable; Electron loads the files from disk and needs none.
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/app.css';
import './app/print.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { App } from './app/App';
import { createServices } from './app/services';
import { ServicesContext } from './app/servicesContext';
import { createStore } from './app/store';
import { theme } from './app/theme';
import { uiSlice } from './app/uiSlice';
import { startApp } from './features/setup/setupSlice';
import { initI18n, initialLanguage } from './i18n';

async function main(): Promise<void> {
  const lang = initialLanguage();
  await initI18n(lang);
  const services = createServices();
  const store = createStore(services, { ui: { ...uiSlice.getInitialState(), lang } });
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <Provider store={store}>
        <ServicesContext.Provider value={services}>
          <MantineProvider theme={theme}>
            <App />
          </MantineProvider>
        </ServicesContext.Provider>
      </Provider>
    </StrictMode>,
  );
  store.dispatch(startApp());
  if (!services.preload && 'serviceWorker' in navigator && (location.protocol === 'https:' || location.hostname === 'localhost' || location.hostname === '127.0.0.1')) {
    // A failed registration (e.g. plain http on a LAN address) leaves a till that works while the relay serves it.
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((err: unknown) => console.warn('caja: service worker not registered', err));
  }
}

void main();
