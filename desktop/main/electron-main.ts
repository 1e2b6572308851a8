// The Electron main process, and the only file that loads 'electron' at run time. It wires the plain modules
// beside it (config, startup plan, security policy, app:// files, IPC handlers, printing) to Electron's events and
// holds no logic of its own, because the Electron binary cannot run in our tests: everything it calls is tested in
// Node. Bundled by desktop/main/build.ts to dist-electron/main.mjs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, protocol, session } from 'electron';
import { API_NAMES, channelOf } from '../shared/ipc';
import { serveAppFile } from './appProtocol';
import { CONFIG_FILE, createConfigStore, readConfigFile } from './config';
import { forbidden, invoke, type HandlerContext } from './ipc';
import { createPrinterService, defaultTransports } from './printing/printer';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, isAllowedNavigation, isPermissionAllowed, isTrustedSender, mainWindowOptions, PARTITION, withCsp } from './security';
import { planStartup } from './startup';

const here = path.dirname(fileURLToPath(import.meta.url));
// Laid out the same in the repository and in app.asar (electron-builder.yml keeps the paths).
const PRELOAD = path.join(here, 'preload.cjs');
const RENDERER_DIST = path.resolve(here, '..', 'desktop', 'renderer', 'dist');

// Must happen before 'ready': schemes are registered once, at start.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

// userData is per OS user: %APPDATA%\Caja, ~/.config/Caja, ~/Library/Application Support/Caja. The config file
// lives there and the renderer's IndexedDB (the till's PouchDB replica) under Partitions/caja/ (see README.md).
const configFile = path.join(app.getPath('userData'), CONFIG_FILE);
// Read synchronously: the command-line switch below must be set before Chromium starts, i.e. before 'ready'.
const { config, problems: configProblems } = readConfigFile(configFile);
const plan = planStartup(config, process.argv, { isPackaged: app.isPackaged });
for (const p of [...configProblems, ...plan.problems]) console.warn(`[caja] ${p}`);
if (plan.insecureOriginToTrust) app.commandLine.appendSwitch('unsafely-treat-insecure-origin-as-secure', plan.insecureOriginToTrust);

let mainWindow: BrowserWindow | null = null;

function createWindow(): void {
  const win = new BrowserWindow(mainWindowOptions({ preloadPath: PRELOAD, mode: plan.windowMode, devTools: plan.devTools }));
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  // A till must come back by itself if its page crashes; the sale in progress is in IndexedDB, not in memory.
  win.webContents.on('render-process-gone', (_e, details) => {
    console.error(`[caja] renderer gone (${details.reason}); reloading`);
    if (!win.isDestroyed()) void win.loadURL(plan.appUrl);
  });
  win.on('closed', () => {
    mainWindow = null;
  });
  void win.loadURL(plan.appUrl);
}

// One till app per machine: two would share (and fight over) the same IndexedDB and printer.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Every web contents (the window and anything it might create): no navigation away, no new windows, no webviews.
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.on('will-navigate', (e) => {
      if (!isAllowedNavigation(e.url, plan.appOrigin)) e.preventDefault();
    });
    contents.on('will-redirect', (e) => {
      if (!isAllowedNavigation(e.url, plan.appOrigin)) e.preventDefault();
    });
  });

  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    if (plan.windowMode !== 'windowed') Menu.setApplicationMenu(null);
    const ses = session.fromPartition(PARTITION);
    ses.protocol.handle(APP_SCHEME, (req) => serveAppFile(RENDERER_DIST, req.url, plan.csp));
    // The CSP is the shell's, whoever serves the app: serveAppFile sets it on app:// responses, and for a renderer
    // served by the relay it replaces whatever the relay sent (webRequest filters are given http(s) patterns only).
    if (plan.source === 'relay') {
      ses.webRequest.onHeadersReceived({ urls: [`${plan.appOrigin}/*`] }, (details, callback) => {
        callback({ responseHeaders: withCsp(details.responseHeaders, plan.csp) });
      });
    }
    ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(isPermissionAllowed(permission, details.requestingUrl, plan.appOrigin)));
    ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, plan.appOrigin));

    const ctx: HandlerContext = {
      config: createConfigStore(configFile, config),
      printer: createPrinterService(defaultTransports()),
      app: { version: app.getVersion(), platform: process.platform, kiosk: plan.windowMode === 'kiosk' },
    };
    for (const name of API_NAMES) {
      ipcMain.handle(channelOf(name), (event, input: unknown) => {
        const sender = event.senderFrame?.url;
        return isTrustedSender(sender, plan.appOrigin) ? invoke(name, input, ctx) : forbidden(name, sender);
      });
    }
    createWindow();
  });
}
