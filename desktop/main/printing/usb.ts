/// <reference types="w3c-web-usb" />
// USB receipt printers through `usb` 3.x. Version 3 is a rewrite with a WebUSB-shaped API: the 2.x functions
// (`getDeviceList`, `findByIds`, `device.interface(n).endpoint(m).transfer`) are gone; devices come from
// `usb.getDevices()` and speak `open` / `claimInterface` / `transferOut` / `transferIn`. The adapter depends on
// the narrow structural types below (which the real devices satisfy, checked where the module is loaded), so it
// is tested in Node with a scripted device: this machine has no USB bus.
//
// The native binding is loaded on first use, never at start-up: a till whose binding is missing or refused
// still starts, sells and prints over the network.
import type { DiscoveredPrinter, PaperStatus } from '../../shared/ipc';
import { PAPER_STATUS_REQUEST, parsePaperStatus, PrinterFailure } from './status';
import type { ConnectionOf, PrinterLink, Transport } from './transport';
import { withTimeout } from './transport';

/** USB class code of printers (on the device or, usually, on an interface). */
export const USB_PRINTER_CLASS = 7;
// Chunks no larger than a printer's smallest common input buffer, each with its own timeout, so a printer that
// pauses to print (and NAKs meanwhile) is not mistaken for a dead one.
const CHUNK = 4096;

export interface UsbEndpointLike {
  endpointNumber: number;
  direction: 'in' | 'out';
  type: 'bulk' | 'interrupt' | 'isochronous';
}
export interface UsbAlternateLike {
  interfaceClass: number;
  endpoints: UsbEndpointLike[];
}
export interface UsbInterfaceLike {
  interfaceNumber: number;
  alternate: UsbAlternateLike;
  alternates: UsbAlternateLike[];
}
export interface UsbConfigurationLike {
  configurationValue: number;
  interfaces: UsbInterfaceLike[];
}
export interface UsbPrinterDevice {
  vendorId: number;
  productId: number;
  deviceClass: number;
  manufacturerName?: string | null | undefined;
  productName?: string | null | undefined;
  serialNumber?: string | null | undefined;
  configuration?: UsbConfigurationLike | null | undefined;
  configurations: UsbConfigurationLike[];
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  // usb 3 takes a third, non-WebUSB argument: the transfer timeout in ms (its default is 1000).
  transferOut(endpoint: number, data: Uint8Array<ArrayBuffer>, timeoutMs?: number): Promise<{ status?: string; bytesWritten: number }>;
  transferIn(endpoint: number, length: number, timeoutMs?: number): Promise<{ status?: string; data?: DataView | undefined }>;
  detachKernelDriver?(n: number): Promise<void>;
  attachKernelDriver?(n: number): Promise<void>;
}
export interface UsbBackend {
  getDevices(): Promise<UsbPrinterDevice[]>;
}

/** The real backend: `usb` 3's default WebUSB instance (it allows every device, as a native app may). */
export async function loadUsbBackend(): Promise<UsbBackend> {
  const mod = await import('usb');
  const backend: UsbBackend = mod.usb; // the structural check that the adapter's types match usb 3's devices
  return backend;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function interfaces(d: UsbPrinterDevice): UsbInterfaceLike[] {
  const configs = d.configuration ? [d.configuration] : d.configurations;
  return configs.flatMap((c) => c.interfaces);
}

/** Whether a device is a printer: class 7 on the device, or (as most printers declare it) on an interface. */
export function isUsbPrinter(d: UsbPrinterDevice): boolean {
  return d.deviceClass === USB_PRINTER_CLASS || interfaces(d).some((i) => i.alternates.some((a) => a.interfaceClass === USB_PRINTER_CLASS));
}

/** What the operating system's refusal means to the cashier: no access, no USB here, or the device went away. */
function usbFailure(err: unknown, where: string): PrinterFailure {
  if (err instanceof PrinterFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/access|permission|denied|EACCES|LIBUSB_ERROR_ACCESS/i.test(message)) return new PrinterFailure('no_permission', `${where}: ${message}`);
  if (/\/sys\/bus\/usb|not supported|cannot find module|no native build/i.test(message)) return new PrinterFailure('unsupported', `${where}: ${message}`);
  if (/timed? ?out|timeout/i.test(message)) return new PrinterFailure('timeout', `${where}: ${message}`);
  if (/no device|not found|disconnected|NO_DEVICE/i.test(message)) return new PrinterFailure('offline', `${where}: ${message}`);
  return new PrinterFailure('io_error', `${where}: ${message}`);
}

/** The USB transport over a backend (the real one loads `usb` on first use). */
export function usbTransport(load: () => Promise<UsbBackend> = loadUsbBackend): Transport<'usb'> {
  let backend: UsbBackend | null = null;
  const devices = async (): Promise<UsbPrinterDevice[]> => {
    try {
      // A failed load leaves `backend` null and is tried again next time (a driver may have been installed since).
      backend ??= await load();
      return await backend.getDevices();
    } catch (err) {
      throw usbFailure(err, 'USB');
    }
  };

  return {
    kind: 'usb',
    async discover(): Promise<DiscoveredPrinter[]> {
      return (await devices()).filter(isUsbPrinter).map((d) => ({
        connection: { transport: 'usb', vendorId: d.vendorId, productId: d.productId, serialNumber: d.serialNumber ?? null },
        label: [d.manufacturerName, d.productName].filter(Boolean).join(' ') || `USB ${hex4(d.vendorId)}:${hex4(d.productId)}`,
        paper: 'unknown', // listing does not open devices: opening one can take it from the system's driver
      }));
    },
    async open(conn: ConnectionOf<'usb'>, timeoutMs: number): Promise<PrinterLink> {
      const where = `USB ${hex4(conn.vendorId)}:${hex4(conn.productId)}`;
      const device = (await devices()).find(
        (d) => d.vendorId === conn.vendorId && d.productId === conn.productId && (conn.serialNumber === null || d.serialNumber === conn.serialNumber),
      );
      // An unplugged or switched-off USB printer is simply absent from the bus.
      if (!device) throw new PrinterFailure('offline', `${where}: not connected`);
      return withTimeout(openDevice(device, where), timeoutMs, () => new PrinterFailure('timeout', `${where}: no answer while opening within ${timeoutMs} ms`));
    },
  };
}

async function openDevice(device: UsbPrinterDevice, where: string): Promise<PrinterLink> {
  try {
    await device.open();
    if (!device.configuration) {
      const first = device.configurations[0];
      if (!first) throw new PrinterFailure('io_error', `${where}: the device has no configuration`);
      await device.selectConfiguration(first.configurationValue);
    }
  } catch (err) {
    await device.close().catch(() => undefined);
    throw usbFailure(err, where);
  }
  const candidates = interfaces(device);
  const bulkOut = (i: UsbInterfaceLike): UsbEndpointLike | undefined => i.alternate.endpoints.find((e) => e.direction === 'out' && e.type === 'bulk');
  const iface = candidates.find((i) => i.alternate.interfaceClass === USB_PRINTER_CLASS && bulkOut(i)) ?? candidates.find((i) => bulkOut(i));
  const out = iface && bulkOut(iface);
  if (!iface || !out) {
    await device.close().catch(() => undefined);
    throw new PrinterFailure('unsupported', `${where}: no bulk OUT endpoint (not a receipt printer?)`);
  }
  const inEp = iface.alternate.endpoints.find((e) => e.direction === 'in' && e.type === 'bulk');
  // On Linux the usblp driver holds printer interfaces; it is detached for the job and given back after.
  let detached = false;
  try {
    if (device.detachKernelDriver) {
      await device.detachKernelDriver(iface.interfaceNumber).then(
        () => (detached = true),
        () => undefined, // no driver attached, or not Linux
      );
    }
    await device.claimInterface(iface.interfaceNumber);
  } catch (err) {
    await device.close().catch(() => undefined);
    throw usbFailure(err, where);
  }

  const send = async (bytes: Uint8Array, timeoutMs: number): Promise<void> => {
    for (let at = 0; at < bytes.length; at += CHUNK) {
      const chunk = bytes.slice(at, at + CHUNK); // a copy: WebUSB takes only ArrayBuffer-backed views
      const r = await device.transferOut(out.endpointNumber, chunk, timeoutMs).catch((err: unknown) => {
        throw usbFailure(err, where);
      });
      if ((r.status !== undefined && r.status !== 'ok') || r.bytesWritten < chunk.length) {
        throw new PrinterFailure('io_error', `${where}: transfer ${r.status ?? 'short'} (${r.bytesWritten}/${chunk.length} bytes)`);
      }
    }
  };

  return {
    async paperStatus(timeoutMs: number): Promise<PaperStatus> {
      if (!inEp) return 'unknown'; // a unidirectional printer cannot answer
      await send(PAPER_STATUS_REQUEST, timeoutMs);
      const r = await device.transferIn(inEp.endpointNumber, 64, timeoutMs).catch((err: unknown) => {
        throw usbFailure(err, where);
      });
      const data = r.data;
      if (data) {
        for (let i = 0; i < data.byteLength; i++) {
          const status = parsePaperStatus(data.getUint8(i));
          if (status) return status;
        }
      }
      throw new PrinterFailure('timeout', `${where}: no answer to the paper status request`);
    },
    write: send,
    async close(): Promise<void> {
      await device.releaseInterface(iface.interfaceNumber).catch(() => undefined);
      if (detached && device.attachKernelDriver) await device.attachKernelDriver(iface.interfaceNumber).catch(() => undefined);
      await device.close().catch(() => undefined);
    },
  };
}
