// The main process's side of the preload API: one handler per method of desktop/shared/ipc.ts, checked with
// `satisfies` against the shared map (actualbudget/actual's model), so the renderer's `window.caja` and these
// handlers cannot drift apart. Handlers receive `unknown` and validate it; they answer IpcResult and never throw
// (`invoke` turns a bug into an 'internal' result), so nothing a printer does can reach the sale as an exception.
import { hardwareError } from '../shared/hardwareErrors';
import type { ApiName, ApiOutput, AppInfo, HardwareError, IpcHandlers, IpcResult } from '../shared/ipc';
import type { ConfigStore } from './config';
import type { PrinterService } from './printing/printer';
import type { Parsed } from './validate';
import { parseListPrintersRequest, parseNoInput, parsePrinterSettings, parsePrintReceiptRequest, parseTestPrintRequest } from './validate';

export interface HandlerContext {
  config: ConfigStore;
  printer: PrinterService;
  app: AppInfo;
}

function invalid(parsed: { ok: false; error: string }, context: 'receipt' | 'drawer' | 'other' = 'other'): { ok: false; error: HardwareError } {
  return { ok: false, error: hardwareError('invalid_input', parsed.error, context) };
}

// Runs `then` with the parsed input, or answers invalid_input.
function withInput<I, O>(parsed: Parsed<I>, then: (input: I) => Promise<IpcResult<O>>, context?: 'receipt' | 'drawer' | 'other'): Promise<IpcResult<O>> {
  return parsed.ok ? then(parsed.value) : Promise.resolve(invalid(parsed, context));
}

const printReceipt = (input: unknown, ctx: HandlerContext) =>
  withInput(parsePrintReceiptRequest(input), (req) => ctx.printer.printReceipt(ctx.config.current().printer, req), 'receipt');

const openDrawer = (input: unknown, ctx: HandlerContext) => withInput(parseNoInput(input), () => ctx.printer.openDrawer(ctx.config.current().printer), 'drawer');

const listPrinters = (input: unknown, ctx: HandlerContext) =>
  withInput(parseListPrintersRequest(input), (req) => ctx.printer.listPrinters(ctx.config.current().printer, req));

const testPrint = (input: unknown, ctx: HandlerContext) =>
  withInput(parseTestPrintRequest(input), (req) => ctx.printer.testPrint(req.settings ?? ctx.config.current().printer, req.lang ?? 'en'));

const getPrinterSettings = (input: unknown, ctx: HandlerContext) =>
  withInput(parseNoInput(input), () => Promise.resolve({ ok: true as const, value: ctx.config.current().printer }));

const setPrinterSettings = (input: unknown, ctx: HandlerContext) =>
  withInput(parsePrinterSettings(input), (settings) => Promise.resolve({ ok: true as const, value: ctx.config.setPrinter(settings).printer }));

const appInfo = (input: unknown, ctx: HandlerContext) => withInput(parseNoInput(input), () => Promise.resolve({ ok: true as const, value: { ...ctx.app } }));

export const handlers = { printReceipt, openDrawer, listPrinters, testPrint, getPrinterSettings, setPrinterSettings, appInfo } satisfies IpcHandlers<HandlerContext>;

export type Handlers = typeof handlers;

/** Calls one handler by name with whatever the renderer sent; a handler that throws answers 'internal'. */
export async function invoke<K extends keyof Handlers>(name: K, input: unknown, ctx: HandlerContext): Promise<IpcResult<ApiOutput<K>>> {
  // Seen through the shared map type, handler K's result is IpcResult<ApiOutput<K>> for the generic K too.
  const table: IpcHandlers<HandlerContext> = handlers;
  try {
    return await table[name](input, ctx);
  } catch (err) {
    return { ok: false, error: hardwareError('internal', err instanceof Error ? (err.stack ?? err.message) : String(err)) };
  }
}

/** The answer to a message from a page that is not the app. */
export function forbidden(name: ApiName, senderUrl: string | null | undefined): IpcResult<never> {
  return { ok: false, error: hardwareError('forbidden', `${name} from ${senderUrl ?? 'an unknown frame'}`) };
}
