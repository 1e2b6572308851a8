// The one typed API between the renderer and the Electron shell. The renderer never imports Electron or Node:
// in Electron, desktop/preload exposes an object of this shape as `window.caja` (contextBridge), checked there
// with `satisfies CajaPreload`; in the browser build `window.caja` is absent and the renderer falls back to web
// APIs (the print dialog with an 80 mm stylesheet, no cash drawer).

/** The answer of a hardware call: never throws across the bridge, says what went wrong instead. */
export interface HardwareResult {
  ok: boolean;
  /** A stable code the till turns into a message in the cashier's language (e.g. 'offline', 'paper_out'). */
  error?: string;
  /** Detail for the log / support (not shown as is). */
  message?: string;
}

/** A receipt printer as the shell knows it (for the printer settings page). */
export interface PrinterInfo {
  id: string;
  name: string;
  transport: 'network' | 'usb' | 'windows';
  /** host:port for network printers, vendor:product for USB, the queue name on Windows. */
  address: string;
}

export interface PrinterSettings {
  printerId: string | null;
  /** 48 columns on 80 mm paper, 32 on 58 mm. */
  columns: 32 | 48;
  /** Open the drawer when a sale is paid with a tender that opens it (cash). */
  drawerOnCash: boolean;
}

/**
 * What the Electron preload exposes to the renderer as `window.caja`. A handler map: every member is a function
 * returning a promise of plain data (structured-clone safe), so the preload forwards each to the main process
 * with one `ipcRenderer.invoke(name, ...args)` and the main process implements the same map.
 */
export interface CajaPreload {
  /** Prints ESC/POS bytes (shared/pos/escpos.ts encodeEscPos) on the configured receipt printer. */
  printReceipt(bytes: Uint8Array): Promise<HardwareResult>;
  /** Kicks the cash drawer (through the receipt printer's drawer port). */
  openDrawer(): Promise<HardwareResult>;
  /** Printers the shell can find (network scan where the transport allows, USB devices, Windows queues). */
  listPrinters(): Promise<PrinterInfo[]>;
  getPrinterSettings(): Promise<PrinterSettings>;
  setPrinterSettings(settings: PrinterSettings): Promise<HardwareResult>;
  /** Prints a short test page on the given (or configured) printer. */
  testPrint(printerId?: string): Promise<HardwareResult>;
  /** The shell's version and platform, for the about box and health reports. */
  appInfo(): Promise<{ version: string; platform: string; kiosk: boolean }>;
}

/** The names of the preload API's calls (the IPC channel names). */
export type CajaPreloadCall = keyof CajaPreload;

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
