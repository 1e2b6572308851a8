// Windows printers through node-escpos-win: raw bytes to a printer port (the `usbprint` device path or LPTn)
// without the spooler. It is a C++ addon with no prebuilt binaries and only builds on Windows, so it is an
// optionalDependency, imported dynamically and only when process.platform is 'win32': elsewhere the module is
// never loaded and the transport answers 'unsupported'.
//
// The addon's calls are synchronous: a printer that blocks holds the main process for as long as Windows' own
// write timeout. It is the fallback for USB printers held by the Windows printer driver; network printers and
// WinUSB devices are better served by the other transports.
import type { EscposWin } from 'node-escpos-win';
import type { DiscoveredPrinter } from '../../shared/ipc';
import { PrinterFailure } from './status';
import type { PrinterLink, Transport } from './transport';

export type { EscposWin };

/** The real addon, loaded on first use on Windows only. */
export async function loadEscposWin(): Promise<EscposWin> {
  const mod = await import('node-escpos-win');
  return mod.default;
}

// Win32 error numbers the addon reports: what each means at the till.
const WIN32: Record<number, 'offline' | 'no_permission' | 'timeout'> = {
  2: 'offline', // ERROR_FILE_NOT_FOUND: the device path is gone (unplugged)
  3: 'offline', // ERROR_PATH_NOT_FOUND
  5: 'no_permission', // ERROR_ACCESS_DENIED
  21: 'offline', // ERROR_NOT_READY
  121: 'timeout', // ERROR_SEM_TIMEOUT
  1167: 'offline', // ERROR_DEVICE_NOT_CONNECTED
  1460: 'timeout', // ERROR_TIMEOUT
};

/** The Windows transport; `platform` and `load` are parameters so the gate is tested on any system. */
export function windowsTransport(platform: NodeJS.Platform = process.platform, load: () => Promise<EscposWin> = loadEscposWin): Transport<'windows'> {
  let addon: EscposWin | null = null;
  const get = async (): Promise<EscposWin> => {
    if (platform !== 'win32') throw new PrinterFailure('unsupported', 'Windows printer ports exist only on Windows');
    try {
      addon ??= await load();
      return addon;
    } catch (err) {
      throw new PrinterFailure('unsupported', `node-escpos-win is not installed or did not build: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return {
    kind: 'windows',
    async discover(): Promise<DiscoveredPrinter[]> {
      if (platform !== 'win32') return []; // nothing to list, and nothing the settings page should warn about
      const found = (await get()).GetDeviceList('USB');
      return found.list
        .filter((d) => d.service.toLowerCase() === 'usbprint')
        .map((d) => ({ connection: { transport: 'windows', path: d.path, name: d.name }, label: d.name || d.path, paper: 'unknown' }));
    },
    async open(conn): Promise<PrinterLink> {
      const escpos = await get();
      const where = `Windows ${conn.name || conn.path}`;
      return {
        paperStatus: () => Promise.resolve('unknown'), // the addon writes only; it cannot read an answer
        write(bytes: Uint8Array): Promise<void> {
          const r = escpos.Print(conn.path, Buffer.from(bytes));
          if (r.success) return Promise.resolve();
          const code = typeof r.err === 'number' ? r.err : Number.parseInt(String(r.err), 10);
          return Promise.reject(new PrinterFailure(WIN32[code] ?? 'io_error', `${where}: Win32 error ${String(r.err)}`));
        },
        close(): Promise<void> {
          try {
            escpos.Disconnect(conn.path);
          } catch {
            // the port is released when the process exits anyway
          }
          return Promise.resolve();
        },
      };
    },
  };
}
