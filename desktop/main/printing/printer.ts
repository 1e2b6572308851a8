// Printing jobs over any transport, with one set of rules:
// - nothing here throws: every outcome is an IpcResult, so a printer problem reaches the cashier as a message and
//   never as an exception in the sale flow (the renderer commits the sale before it asks for the receipt);
// - the paper status is asked first (when the settings say so), so "out of paper" is reported instead of a
//   receipt silently lost;
// - a cash drawer opens even when the paper is out: the cashier still has to give change;
// - one job at a time: raw-TCP printers take one connection, USB interfaces one claimant.
import { hardwareError, type HardwareContext } from '../../shared/hardwareErrors';
import type {
  DiscoveredPrinter,
  DrawerReport,
  HardwareError,
  IpcResult,
  ListPrintersRequest,
  PaperStatus,
  PrinterConnection,
  PrinterList,
  PrinterSettings,
  PrintReceiptRequest,
  PrintReport,
} from '../../shared/ipc';
import { encodeDrawerKick, encodeReceipt, encodeTestPage } from './encode';
import { PrinterFailure } from './status';
import { DEFAULT_RAW_PORT, tcpTransport } from './tcp';
import type { PrinterLink, Transports } from './transport';
import { usbTransport } from './usb';
import { windowsTransport } from './windows';

export interface PrinterService {
  printReceipt(settings: PrinterSettings, req: PrintReceiptRequest): Promise<IpcResult<PrintReport>>;
  openDrawer(settings: PrinterSettings): Promise<IpcResult<DrawerReport>>;
  testPrint(settings: PrinterSettings, lang: 'en' | 'es'): Promise<IpcResult<PrintReport>>;
  listPrinters(settings: PrinterSettings, req: ListPrintersRequest): Promise<IpcResult<PrinterList>>;
}

/** The transports of a real till: raw TCP, USB (loaded on first use), Windows ports (on win32 only). */
export function defaultTransports(): Transports {
  return { network: tcpTransport, usb: usbTransport(), windows: windowsTransport() };
}

interface Job {
  bytes: Uint8Array;
  checkPaper: boolean;
  /** Sent alone when the paper is out: the drawer kick of a cash sale. */
  whenPaperOut: Uint8Array | null;
  drawerOpened: boolean;
  context: HardwareContext;
}

function failed(err: unknown, context: HardwareContext, drawerOpened?: boolean): { ok: false; error: HardwareError } {
  const f = err instanceof PrinterFailure ? err : new PrinterFailure('internal', err instanceof Error ? (err.stack ?? err.message) : String(err));
  const error = hardwareError(f.code, f.detail, context);
  if (drawerOpened !== undefined) error.drawerOpened = drawerOpened;
  return { ok: false, error };
}

export function createPrinterService(transports: Transports, now: () => Date = () => new Date()): PrinterService {
  let queue: Promise<unknown> = Promise.resolve();
  // Runs jobs one after another; a failed job does not stop the queue.
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const open = (conn: PrinterConnection, timeoutMs: number): Promise<PrinterLink> => {
    switch (conn.transport) {
      case 'network':
        return transports.network.open(conn, timeoutMs);
      case 'usb':
        return transports.usb.open(conn, timeoutMs);
      case 'windows':
        return transports.windows.open(conn, timeoutMs);
    }
  };

  const run = (settings: PrinterSettings, job: Job): Promise<IpcResult<PrintReport>> =>
    serial(async () => {
      const conn = settings.connection;
      if (!conn) return failed(new PrinterFailure('not_configured', 'no printer in the settings'), job.context);
      let link: PrinterLink | null = null;
      try {
        link = await open(conn, settings.timeoutMs);
        let paper: PaperStatus = 'unknown';
        if (job.checkPaper && settings.statusCheck) {
          paper = await link.paperStatus(settings.timeoutMs);
          if (paper === 'out') {
            let drawerOpened = false;
            if (job.whenPaperOut) {
              drawerOpened = await link.write(job.whenPaperOut, settings.timeoutMs).then(
                () => true,
                () => false,
              );
            }
            return failed(new PrinterFailure('paper_out', 'the printer reports paper end (DLE EOT 4)'), job.context, job.whenPaperOut ? drawerOpened : undefined);
          }
        }
        await link.write(job.bytes, settings.timeoutMs);
        return { ok: true as const, value: { paper, drawerOpened: job.drawerOpened } };
      } catch (err) {
        return failed(err, job.context, job.whenPaperOut ? false : undefined);
      } finally {
        await link?.close();
      }
    });

  return {
    printReceipt(settings, req) {
      try {
        const kick = req.openDrawer === true && settings.drawer.enabled;
        const bytes = encodeReceipt(req.receipt, settings, { qr: req.qr ?? null, drawerPin: kick ? settings.drawer.pin : null });
        return run(settings, { bytes, checkPaper: true, whenPaperOut: kick ? encodeDrawerKick(settings.drawer.pin) : null, drawerOpened: kick, context: 'receipt' });
      } catch (err) {
        // The encoder refuses some input (a barcode it cannot encode): a message, never an exception.
        return Promise.resolve(failed(new PrinterFailure('invalid_input', err instanceof Error ? err.message : String(err)), 'receipt'));
      }
    },

    async openDrawer(settings) {
      if (!settings.drawer.enabled) return failed(new PrinterFailure('not_configured', 'the cash drawer is turned off in the settings'), 'drawer');
      // No paper check: the drawer is wired to the printer and opens whatever the paper does.
      const r = await run(settings, { bytes: encodeDrawerKick(settings.drawer.pin), checkPaper: false, whenPaperOut: null, drawerOpened: true, context: 'drawer' });
      return r.ok ? { ok: true, value: { drawerOpened: true } } : r;
    },

    testPrint(settings, lang) {
      const when = now().toISOString().replace('T', ' ').slice(0, 19);
      return run(settings, { bytes: encodeTestPage(settings, lang, `${when} UTC`), checkPaper: true, whenPaperOut: null, drawerOpened: false, context: 'other' });
    },

    async listPrinters(settings, req) {
      const printers: DiscoveredPrinter[] = [];
      const problems: PrinterList['problems'] = [];
      for (const t of [transports.usb, transports.windows]) {
        try {
          printers.push(...(await t.discover()));
        } catch (err) {
          const f = failed(err, 'other');
          problems.push({ transport: t.kind, error: f.error });
        }
      }
      if (req.probe) {
        const conn = { transport: 'network' as const, host: req.probe.host, port: req.probe.port ?? DEFAULT_RAW_PORT };
        const probed = await serial(() => probe(transports, conn, settings.timeoutMs));
        if (probed.ok) printers.push(probed.value);
        else problems.push({ transport: 'network', error: probed.error });
      }
      return { ok: true, value: { printers, problems } };
    },
  };
}

// A host:port that accepts a connection is a printer candidate; its answer to DLE EOT 4, if any, is its paper.
async function probe(transports: Transports, conn: Extract<PrinterConnection, { transport: 'network' }>, timeoutMs: number): Promise<IpcResult<DiscoveredPrinter>> {
  let link: PrinterLink | null = null;
  try {
    link = await transports.network.open(conn, timeoutMs);
    const paper = await link.paperStatus(timeoutMs).catch(() => 'unknown' as const);
    return { ok: true, value: { connection: conn, label: `${conn.host}:${conn.port}`, paper } };
  } catch (err) {
    return failed(err, 'other');
  } finally {
    await link?.close();
  }
}
