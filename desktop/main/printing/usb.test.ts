import { expect } from 'chai';
import type { PrinterSettings } from '../../shared/ipc';
import { DEFAULT_PRINTER_SETTINGS } from '../../shared/ipc';
import { encodeReceipt } from './encode';
import { fixtureSaleReceipt } from '../../../tests/support/receiptFixtures';
import { createPrinterService } from './printer';
import { PAPER_STATUS_REQUEST, PrinterFailure } from './status';
import { tcpTransport } from './tcp';
import { isUsbPrinter, usbTransport, type UsbConfigurationLike, type UsbPrinterDevice } from './usb';
import { windowsTransport, type EscposWin } from './windows';

// A scripted USB device: this machine has no USB bus, so the adapter is driven through the same calls `usb` 3's
// devices answer (open, claimInterface, transferOut, transferIn...), and every call is logged in order.
function fakeDevice(opts: { vendorId?: number; productId?: number; deviceClass?: number; interfaceClass?: number; withIn?: boolean; status?: number; serial?: string; product?: string }) {
  const calls: string[] = [];
  const written: number[] = [];
  let asked = false;
  const config: UsbConfigurationLike = {
    configurationValue: 1,
    interfaces: [
      {
        interfaceNumber: 0,
        alternate: {
          interfaceClass: opts.interfaceClass ?? 7,
          endpoints: [{ endpointNumber: 1, direction: 'out', type: 'bulk' }, ...(opts.withIn ? [{ endpointNumber: 2, direction: 'in' as const, type: 'bulk' as const }] : [])],
        },
        alternates: [],
      },
    ],
  };
  config.interfaces[0]!.alternates = [config.interfaces[0]!.alternate];
  let configured = false; // like a device fresh on the bus: no configuration selected until asked
  const device: UsbPrinterDevice = {
    vendorId: opts.vendorId ?? 0x04b8,
    productId: opts.productId ?? 0x0202,
    deviceClass: opts.deviceClass ?? 0,
    manufacturerName: 'EPSON',
    productName: opts.product ?? 'TM-T20III',
    serialNumber: opts.serial ?? 'X1',
    get configuration() {
      return configured ? config : null;
    },
    configurations: [config],
    open: async () => {
      calls.push('open');
    },
    close: async () => {
      calls.push('close');
    },
    selectConfiguration: async (v) => {
      calls.push(`selectConfiguration ${v}`);
      configured = true;
    },
    claimInterface: async (n) => {
      calls.push(`claim ${n}`);
    },
    releaseInterface: async (n) => {
      calls.push(`release ${n}`);
    },
    detachKernelDriver: async (n) => {
      calls.push(`detach ${n}`);
    },
    attachKernelDriver: async (n) => {
      calls.push(`attach ${n}`);
    },
    transferOut: async (ep, data) => {
      calls.push(`out ${ep} ${data.length}`);
      if (data.length === 3 && data.every((b, i) => b === PAPER_STATUS_REQUEST[i])) asked = true;
      else written.push(...data);
      return { status: 'ok', bytesWritten: data.length };
    },
    transferIn: async (ep, length) => {
      calls.push(`in ${ep} ${length}`);
      if (!asked || opts.status === undefined) throw new Error('LIBUSB_ERROR_TIMEOUT: transfer timed out');
      return { status: 'ok', data: new DataView(Uint8Array.of(opts.status).buffer) };
    },
  };
  return { device, calls, written };
}

/** The USB transport over a backend listing these devices. */
function usbWith(...devices: UsbPrinterDevice[]) {
  return usbTransport(() => Promise.resolve({ getDevices: () => Promise.resolve(devices) }));
}

/** A printer service whose only working transports are the given USB and Windows ones. */
function serviceWith(usb = usbWith(), windows = windowsTransport('linux')) {
  return createPrinterService({ network: tcpTransport, usb, windows });
}

const usbSettings = (over: Partial<PrinterSettings> = {}): PrinterSettings => ({
  ...DEFAULT_PRINTER_SETTINGS,
  connection: { transport: 'usb', vendorId: 0x04b8, productId: 0x0202, serialNumber: null },
  ...over,
});

describe('desktop/printing: USB printers through usb 3 (issue 11)', () => {
  it('discovery lists printer-class devices only (class 7 on the device or on an interface)', async () => {
    const printer = fakeDevice({});
    const deviceLevel = fakeDevice({ vendorId: 0x0519, productId: 0x0001, deviceClass: 7, interfaceClass: 0xff, product: 'TSP100' });
    const keyboard = fakeDevice({ vendorId: 0x046d, productId: 0xc31c, interfaceClass: 3, product: 'Keyboard' });
    expect([printer, deviceLevel, keyboard].map((d) => isUsbPrinter(d.device))).to.deep.equal([true, true, false]);
    const t = usbWith(printer.device, deviceLevel.device, keyboard.device);
    expect(await t.discover()).to.deep.equal([
      { connection: { transport: 'usb', vendorId: 0x04b8, productId: 0x0202, serialNumber: 'X1' }, label: 'EPSON TM-T20III', paper: 'unknown' },
      { connection: { transport: 'usb', vendorId: 0x0519, productId: 0x0001, serialNumber: 'X1' }, label: 'EPSON TSP100', paper: 'unknown' },
    ]);
    expect(printer.calls, 'listing opens no device').to.deep.equal([]);
  });

  it('prints: configuration, kernel driver detached, interface claimed, the job in chunks, everything given back', async () => {
    const fake = fakeDevice({ withIn: true, status: 0x12 });
    const service = serviceWith(usbWith(fake.device));
    const receipt = fixtureSaleReceipt('es');
    const r = await service.printReceipt(usbSettings(), { receipt });
    expect(r).to.deep.equal({ ok: true, value: { paper: 'ok', drawerOpened: false } });
    const bytes = encodeReceipt(receipt, DEFAULT_PRINTER_SETTINGS);
    expect(fake.written).to.deep.equal([...bytes]);
    expect(fake.calls.slice(0, 6)).to.deep.equal(['open', 'selectConfiguration 1', 'detach 0', 'claim 0', 'out 1 3', 'in 2 64']);
    expect(fake.calls.slice(-3)).to.deep.equal(['release 0', 'attach 0', 'close']);
  });

  it('a large job goes in chunks of at most 4096 bytes', async () => {
    const fake = fakeDevice({});
    const t = usbWith(fake.device);
    const link = await t.open({ transport: 'usb', vendorId: 0x04b8, productId: 0x0202, serialNumber: null }, 1000);
    await link.write(new Uint8Array(10_000).fill(0x41), 1000);
    await link.close();
    expect(fake.calls.filter((c) => c.startsWith('out'))).to.deep.equal(['out 1 4096', 'out 1 4096', 'out 1 1808']);
  });

  it('paper out over the IN endpoint: paper_out; a printer without an IN endpoint: status unknown, the job is sent', async () => {
    const out = fakeDevice({ withIn: true, status: 0x72 });
    const s1 = serviceWith(usbWith(out.device));
    const r1 = await s1.printReceipt(usbSettings(), { receipt: fixtureSaleReceipt('en') });
    expect(!r1.ok && r1.error.code).to.equal('paper_out');
    expect(out.written).to.deep.equal([]);

    const oneWay = fakeDevice({ withIn: false });
    const s2 = serviceWith(usbWith(oneWay.device));
    const r2 = await s2.printReceipt(usbSettings(), { receipt: fixtureSaleReceipt('en') });
    expect(r2).to.deep.equal({ ok: true, value: { paper: 'unknown', drawerOpened: false } });
  });

  it('an unplugged printer is offline; a refused device is no_permission; both with the cashier message', async () => {
    const none = serviceWith();
    const r1 = await none.printReceipt(usbSettings(), { receipt: fixtureSaleReceipt('en') });
    expect(!r1.ok && [r1.error.code, r1.error.detail]).to.deep.equal(['offline', 'USB 04b8:0202: not connected']);

    const refused = fakeDevice({});
    refused.device.open = () => Promise.reject(new Error('LIBUSB_ERROR_ACCESS: Permission denied'));
    const s = serviceWith(usbWith(refused.device));
    const r2 = await s.printReceipt(usbSettings(), { receipt: fixtureSaleReceipt('es') });
    expect(!r2.ok && r2.error.code).to.equal('no_permission');
    expect(!r2.ok && r2.error.message.es).to.match(/impresora USB/);
  });

  it('the real usb 3 module loads and lists through its 3.x API (or fails with a typed reason on a machine without USB)', async () => {
    const listed = await usbTransport()
      .discover()
      .then(
        (printers) => ({ printers, code: null }),
        (err: unknown) => ({ printers: null, code: err instanceof PrinterFailure ? err.code : String(err) }),
      );
    // A 2.x call (usb.getDeviceList) would fail with a TypeError, i.e. 'io_error', and fail this test.
    if (listed.printers) expect(listed.printers).to.be.an('array');
    else expect(listed.code).to.be.oneOf(['unsupported', 'no_permission']);
  });
});

describe('desktop/printing: Windows printers through node-escpos-win (issue 11)', () => {
  function fakeAddon(printResult: { success: boolean | number; err: number }) {
    const printed: { path: string; bytes: number[] }[] = [];
    const addon: EscposWin = {
      GetDeviceList: () => ({
        list: [
          { name: 'EPSON TM-T20III', service: 'usbprint', manufacturer: 'EPSON', location: 'Port_#0001', path: '\\\\?\\usb#vid_04b8&pid_0e28#x1#{28d78fad}' },
          { name: 'USB Input Device', service: 'HidUsb', manufacturer: 'Logitech', location: 'Port_#0002', path: '\\\\?\\hid#x' },
        ],
        number: 2,
      }),
      Print: (path, content) => {
        printed.push({ path, bytes: [...content] });
        return printResult;
      },
      Disconnect: () => true,
    };
    return { addon, printed };
  }

  it('elsewhere than win32 the addon is never loaded: nothing listed, printing is unsupported', async () => {
    let loads = 0;
    const t = windowsTransport('linux', () => {
      loads++;
      return Promise.reject(new Error('must not load'));
    });
    expect(await t.discover()).to.deep.equal([]);
    const err = await t.open({ transport: 'windows', path: 'x', name: 'x' }, 1000).catch((e: unknown) => e);
    expect(err instanceof PrinterFailure && err.code).to.equal('unsupported');
    expect(loads).to.equal(0);
  });

  it('on win32: lists usbprint devices and prints the job bytes to the device path', async () => {
    const { addon, printed } = fakeAddon({ success: 1, err: 0 });
    const t = windowsTransport('win32', () => Promise.resolve(addon));
    const found = await t.discover();
    expect(found.map((p) => p.label)).to.deep.equal(['EPSON TM-T20III']);
    const first = found[0];
    if (!first) throw new Error('nothing found');
    const service = serviceWith(usbWith(), t);
    const receipt = fixtureSaleReceipt('en');
    const r = await service.printReceipt({ ...DEFAULT_PRINTER_SETTINGS, connection: first.connection }, { receipt });
    expect(r).to.deep.equal({ ok: true, value: { paper: 'unknown', drawerOpened: false } });
    expect(printed.map((p) => p.path)).to.deep.equal(['\\\\?\\usb#vid_04b8&pid_0e28#x1#{28d78fad}']);
    expect(printed[0]?.bytes).to.deep.equal([...encodeReceipt(receipt, DEFAULT_PRINTER_SETTINGS)]);
  });

  it('on win32: a Win32 "device not connected" is offline, and a missing addon is unsupported', async () => {
    const { addon } = fakeAddon({ success: 0, err: 1167 });
    const conn = { transport: 'windows' as const, path: 'p', name: 'EPSON' };
    const s1 = serviceWith(usbWith(), windowsTransport('win32', () => Promise.resolve(addon)));
    const r1 = await s1.printReceipt({ ...DEFAULT_PRINTER_SETTINGS, connection: conn }, { receipt: fixtureSaleReceipt('en') });
    expect(!r1.ok && r1.error.code).to.equal('offline');
    const s2 = serviceWith(usbWith(), windowsTransport('win32', () => Promise.reject(new Error("Cannot find module 'node-escpos-win'"))));
    const r2 = await s2.printReceipt({ ...DEFAULT_PRINTER_SETTINGS, connection: conn }, { receipt: fixtureSaleReceipt('en') });
    expect(!r2.ok && r2.error.code).to.equal('unsupported');
  });
});
