// The renderer's side of the one typed API between it and the Electron shell. The renderer never imports Electron
// or Node: in Electron, desktop/preload exposes `window.caja` (contextBridge), built from the handler map in
// desktop/shared/ipc.ts that the main process implements (`IpcHandlers`) and the preload builds (`CajaApi`); in the
// browser build `window.caja` is absent and the renderer falls back to web APIs (the print dialog with an 80 mm
// stylesheet, no cash drawer). desktop/shared/ipc.ts is pure types and constants, so importing it is safe here.
import type { CajaApi } from '../shared/ipc';

/**
 * What the preload exposes as `window.caja`: printReceipt (a shared/pos receipt model, with the drawer kick in the
 * same job), openDrawer, listPrinters, testPrint, get/setPrinterSettings, appInfo. Every call resolves to an
 * `IpcResult` and never rejects, so a printer fault can never undo or block a sale.
 */
export type CajaPreload = CajaApi;

declare global {
  interface Window {
    /** Present only inside the Electron shell. */
    caja?: CajaPreload;
  }
}

/** The Electron preload API, or null in the browser build. */
export function preload(): CajaPreload | null {
  return typeof window !== 'undefined' && window.caja ? window.caja : null;
}
