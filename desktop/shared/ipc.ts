// The contract between the Electron main process and the renderer: one map of API methods, their inputs and
// outputs. Pure types and constants (no Node, no Electron, no DOM), so the renderer can import it as well as the
// main process and the preload. The main side satisfies `IpcHandlers`, the preload builds `CajaApi` from the same
// map (actualbudget/actual's model), so a method added here is a type error until both sides implement it.
import type { I18nText } from '../../shared/model/types';
import type { ReceiptModel } from '../../shared/pos/receipt';

// ---------- printers ----------

/** Where the receipt printer is: raw TCP (port 9100), a USB device by ids, or a Windows printer port. */
export type PrinterConnection =
  | { transport: 'network'; host: string; port: number }
  | { transport: 'usb'; vendorId: number; productId: number; serialNumber: string | null }
  | { transport: 'windows'; path: string; name: string };

export type PrinterTransportKind = PrinterConnection['transport'];

/**
 * Code pages the settings page offers. All carry ñ, á-ú, ü, ¿ and ¡; cp858 adds €. 'auto' lets the encoder switch
 * code page per character, for printers whose table numbering is unknown.
 */
export const RECEIPT_CODEPAGES = ['cp858', 'cp850', 'cp437', 'windows1252', 'auto'] as const;
export type ReceiptCodepage = (typeof RECEIPT_CODEPAGES)[number];

export interface PrinterSettings {
  /** null: no printer; receipts are shown on screen only. */
  connection: PrinterConnection | null;
  /** 48 columns for 80 mm paper, 32 for 58 mm. */
  columns: 32 | 48;
  codepage: ReceiptCodepage;
  /** A model id known to @point-of-sale/receipt-printer-encoder (its code-page numbering), or null for generic Epson. */
  printerModel: string | null;
  /** Ask the printer for its paper status (DLE EOT 4) before each receipt; turn off for models that never answer. */
  statusCheck: boolean;
  drawer: { enabled: boolean; pin: 2 | 5 };
  /** Bound on connecting, the status answer and sending a job, in milliseconds. */
  timeoutMs: number;
}

export const DEFAULT_PRINTER_SETTINGS: PrinterSettings = {
  connection: null,
  columns: 48,
  codepage: 'cp858',
  printerModel: null,
  statusCheck: true,
  drawer: { enabled: true, pin: 2 },
  timeoutMs: 3000,
};

export type PaperStatus = 'ok' | 'low' | 'out' | 'unknown';

export interface PrintReceiptRequest {
  /** The receipt built by shared/pos/receipt.ts `buildReceipt` from the committed Sale or Return document. */
  receipt: ReceiptModel;
  /** Content of a QR code printed under the barcode (e.g. an e-receipt link); omitted: no QR code. */
  qr?: string | null;
  /** Kick the cash drawer in the same job (a cash tender); the drawer opens even when the paper is out. */
  openDrawer?: boolean;
}

export interface PrintReport {
  paper: PaperStatus;
  drawerOpened: boolean;
}

export interface DrawerReport {
  drawerOpened: true;
}

export interface TestPrintRequest {
  /** Settings being edited, to test before saving; omitted: the saved settings. */
  settings?: PrinterSettings;
  lang?: 'en' | 'es';
}

export interface ListPrintersRequest {
  /** A network printer to probe (raw TCP cannot be enumerated); port defaults to 9100. */
  probe?: { host: string; port?: number };
}

export interface DiscoveredPrinter {
  connection: PrinterConnection;
  label: string;
  paper: PaperStatus;
}

export interface PrinterList {
  printers: DiscoveredPrinter[];
  /** A transport that could not be listed or probed, and why (no USB access, not on Windows, nothing at host:port). */
  problems: { transport: PrinterTransportKind; error: HardwareError }[];
}

/** The shell itself, for the about box and the terminal health report. */
export interface AppInfo {
  version: string;
  platform: string;
  kiosk: boolean;
}

// ---------- errors ----------

export type HardwareErrorCode =
  | 'not_configured' // no printer chosen in the settings
  | 'offline' // connection refused, host unreachable, USB device not present
  | 'timeout' // no answer within the settings' timeout
  | 'paper_out' // the printer answered DLE EOT 4 with "paper end"
  | 'no_permission' // the operating system refused access to the USB device
  | 'unsupported' // transport not available on this system (Windows printers elsewhere, no USB binding)
  | 'io_error' // the printer went away while the job was sent
  | 'invalid_input' // the renderer sent something that is not a valid request
  | 'forbidden' // the request came from a page that is not the app
  | 'internal'; // a bug: the handler threw

/** What the cashier reads (in their language) plus the technical detail for the settings page and logs. */
export interface HardwareError {
  code: HardwareErrorCode;
  message: I18nText;
  detail: string;
  /** On a receipt with a drawer kick: whether the drawer was opened anyway (paper out still opens it). */
  drawerOpened?: boolean;
}

/** Every method answers a result; none rejects, so a printer problem can never undo or block a sale. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: HardwareError };

// ---------- the API map ----------

/** One entry per method: what the renderer sends and what it gets back inside `IpcResult`. */
export interface CajaApiSpec {
  printReceipt: { input: PrintReceiptRequest; output: PrintReport };
  openDrawer: { input: void; output: DrawerReport };
  listPrinters: { input: ListPrintersRequest | void; output: PrinterList };
  testPrint: { input: TestPrintRequest | void; output: PrintReport };
  getPrinterSettings: { input: void; output: PrinterSettings };
  setPrinterSettings: { input: PrinterSettings; output: PrinterSettings };
  appInfo: { input: void; output: AppInfo };
}

export type ApiName = keyof CajaApiSpec;
export type ApiInput<K extends ApiName> = CajaApiSpec[K]['input'];
export type ApiOutput<K extends ApiName> = CajaApiSpec[K]['output'];

/** The object the preload exposes as `window.caja` (a `void` input may be omitted: `caja.openDrawer()`). */
export type CajaApi = { readonly [K in ApiName]: (input: ApiInput<K>) => Promise<IpcResult<ApiOutput<K>>> };

/** The main process's handler map: inputs arrive as `unknown` because a renderer may send anything. */
export type IpcHandlers<Ctx> = { readonly [K in ApiName]: (input: unknown, ctx: Ctx) => Promise<IpcResult<ApiOutput<K>>> };

/** The methods at run time, in one list (the preload and the main process register exactly these). */
export const API_NAMES = ['printReceipt', 'openDrawer', 'listPrinters', 'testPrint', 'getPrinterSettings', 'setPrinterSettings', 'appInfo'] as const satisfies readonly ApiName[];
// A method added to CajaApiSpec but missing from API_NAMES makes this line a type error.
const _everyMethodListed: [Exclude<ApiName, (typeof API_NAMES)[number]>] extends [never] ? true : never = true;
void _everyMethodListed;

/** The IPC channel of a method; prefixed so it cannot collide with channels Electron or libraries use. */
export function channelOf<K extends ApiName>(name: K): `caja:${K}` {
  return `caja:${name}`;
}

/** The name under which the preload exposes the API: `window.caja`. */
export const API_GLOBAL = 'caja';
