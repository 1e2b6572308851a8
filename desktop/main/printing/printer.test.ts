import { expect } from 'chai';
import { waitFor } from '../../../tests/support/testing';
import type { PrinterSettings } from '../../shared/ipc';
import { DEFAULT_PRINTER_SETTINGS } from '../../shared/ipc';
import { encodeDrawerKick, encodeReceipt } from './encode';
import { fixtureSaleReceipt } from '../../../tests/support/receiptFixtures';
import { createPrinterService, type PrinterService } from './printer';
import { PAPER_STATUS_REQUEST } from './status';
import { tcpTransport } from './tcp';
import { closedPort, startTestPrinter, STATUS_PAPER_LOW, STATUS_PAPER_OUT, type TestPrinter } from './testPrinter';
import type { Transports } from './transport';
import { usbTransport } from './usb';
import { windowsTransport } from './windows';

// Only the network transport is real here; USB lists nothing and Windows is off, so results do not depend on the
// machine the tests run on.
const transports: Transports = { network: tcpTransport, usb: usbTransport(() => Promise.resolve({ getDevices: () => Promise.resolve([]) })), windows: windowsTransport('linux') };

function settingsFor(port: number, over: Partial<PrinterSettings> = {}): PrinterSettings {
  return { ...DEFAULT_PRINTER_SETTINGS, connection: { transport: 'network', host: '127.0.0.1', port }, timeoutMs: 1000, ...over };
}

function concat(...parts: Uint8Array[]): number[] {
  return parts.flatMap((p) => [...p]);
}

function contains(hay: Uint8Array, needle: readonly number[]): boolean {
  return Buffer.from(hay).includes(Buffer.from(needle));
}

describe('desktop/printing: printing over raw TCP to a test printer (issue 11)', () => {
  let printer: TestPrinter | null = null;
  let service: PrinterService;
  beforeEach(() => {
    service = createPrinterService(transports);
  });
  afterEach(async () => {
    await printer?.close();
    printer = null;
  });

  it('a cash sale: asks the paper status, then sends the drawer kick and the receipt in one job', async () => {
    printer = await startTestPrinter();
    const receipt = fixtureSaleReceipt('es');
    const r = await service.printReceipt(settingsFor(printer.port), { receipt, qr: 'https://caja.invalid/r/S001-T1-42', openDrawer: true });
    expect(r).to.deep.equal({ ok: true, value: { paper: 'ok', drawerOpened: true } });
    const jobs = await waitFor(() => (printer?.jobs.length === 1 ? printer.jobs : null), { what: 'the job at the printer' });
    const expected = encodeReceipt(receipt, DEFAULT_PRINTER_SETTINGS, { qr: 'https://caja.invalid/r/S001-T1-42', drawerPin: 2 });
    expect([...(jobs[0] ?? [])]).to.deep.equal(concat(PAPER_STATUS_REQUEST, expected));
    expect(contains(jobs[0] ?? new Uint8Array(), [0x1b, 0x70, 0x00, 0x32, 0xfa]), 'ESC p: the drawer kick').to.equal(true);
  });

  it('openDrawer sends only the drawer kick, without asking for paper', async () => {
    printer = await startTestPrinter();
    const r = await service.openDrawer(settingsFor(printer.port, { drawer: { enabled: true, pin: 5 } }));
    expect(r).to.deep.equal({ ok: true, value: { drawerOpened: true } });
    const jobs = await waitFor(() => (printer?.jobs.length === 1 ? printer.jobs : null));
    expect([...(jobs[0] ?? [])]).to.deep.equal([...encodeDrawerKick(5)]);
  });

  it('a printer that is off (connection refused): offline, with a message saying what to do and that the sale is saved', async () => {
    const port = await closedPort();
    const r = await service.printReceipt(settingsFor(port), { receipt: fixtureSaleReceipt('es') });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.error.code).to.equal('offline');
    expect(r.error.message.en).to.match(/off or disconnected/).and.match(/sale is saved/);
    expect(r.error.message.es).to.match(/apagada o desconectada/).and.match(/venta está guardada/);
    expect(r.error.detail).to.contain(`127.0.0.1:${port}`).and.contain('ECONNREFUSED');
  });

  it('a printer that never answers: timeout within the settings, and the receipt is not sent blind', async () => {
    printer = await startTestPrinter({ status: 'never' });
    const started = Date.now();
    const r = await service.printReceipt(settingsFor(printer.port, { timeoutMs: 300 }), { receipt: fixtureSaleReceipt('en') });
    expect(Date.now() - started).to.be.lessThan(3000);
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.error.code).to.equal('timeout');
    expect(r.error.message.en).to.match(/did not answer/).and.match(/sale is saved/);
    const jobs = await waitFor(() => (printer?.jobs.length === 1 ? printer.jobs : null));
    expect([...(jobs[0] ?? [])]).to.deep.equal([...PAPER_STATUS_REQUEST]);
  });

  it('paper out (DLE EOT 4 answers paper end): paper_out, nothing printed, but the cash drawer still opens', async () => {
    printer = await startTestPrinter({ status: STATUS_PAPER_OUT });
    const r = await service.printReceipt(settingsFor(printer.port), { receipt: fixtureSaleReceipt('es'), openDrawer: true });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.error.code).to.equal('paper_out');
    expect(r.error.drawerOpened).to.equal(true);
    expect(r.error.message.es).to.match(/no tiene papel/).and.match(/rollo nuevo/).and.match(/venta está guardada/);
    const jobs = await waitFor(() => (printer?.jobs.length === 1 ? printer.jobs : null));
    expect([...(jobs[0] ?? [])]).to.deep.equal(concat(PAPER_STATUS_REQUEST, encodeDrawerKick(2)));
  });

  it('paper near its end: prints and reports it, so the till can warn before it runs out', async () => {
    printer = await startTestPrinter({ status: STATUS_PAPER_LOW });
    const r = await service.printReceipt(settingsFor(printer.port), { receipt: fixtureSaleReceipt('en') });
    expect(r).to.deep.equal({ ok: true, value: { paper: 'low', drawerOpened: false } });
  });

  it('with the status check off, a printer that never answers still gets the job', async () => {
    printer = await startTestPrinter({ status: 'never' });
    const receipt = fixtureSaleReceipt('en');
    const r = await service.printReceipt(settingsFor(printer.port, { statusCheck: false }), { receipt });
    expect(r).to.deep.equal({ ok: true, value: { paper: 'unknown', drawerOpened: false } });
    const jobs = await waitFor(() => (printer?.jobs.length === 1 ? printer.jobs : null));
    expect([...(jobs[0] ?? [])]).to.deep.equal([...encodeReceipt(receipt, DEFAULT_PRINTER_SETTINGS)]);
  });

  it('jobs run one at a time (a raw-TCP printer takes one connection)', async () => {
    printer = await startTestPrinter();
    const s = settingsFor(printer.port);
    const results = await Promise.all([1, 2, 3].map(() => service.printReceipt(s, { receipt: fixtureSaleReceipt('en') })));
    expect(results.every((r) => r.ok)).to.equal(true);
    await waitFor(() => printer?.jobs.length === 3);
    expect(printer.maxOpen()).to.equal(1);
  });

  it('no printer configured, or the drawer turned off: a message, not an exception', async () => {
    const none = await service.printReceipt(DEFAULT_PRINTER_SETTINGS, { receipt: fixtureSaleReceipt('en') });
    expect(!none.ok && none.error.code).to.equal('not_configured');
    const drawer = await service.openDrawer({ ...DEFAULT_PRINTER_SETTINGS, drawer: { enabled: false, pin: 2 } });
    expect(!drawer.ok && drawer.error.code).to.equal('not_configured');
    expect(!drawer.ok && drawer.error.message.en).to.match(/Open the drawer with its key/);
  });

  it('a transport that throws something unexpected still answers a result (the sale flow never sees an exception)', async () => {
    const broken: Transports = { ...transports, network: { kind: 'network', discover: () => Promise.resolve([]), open: () => Promise.reject(new TypeError('bug')) } };
    const r = await createPrinterService(broken).printReceipt(settingsFor(9), { receipt: fixtureSaleReceipt('en') });
    expect(!r.ok && r.error.code).to.equal('internal');
  });

  it('test print: the test page reaches the printer', async () => {
    printer = await startTestPrinter();
    const r = await service.testPrint(settingsFor(printer.port), 'es');
    expect(r.ok).to.equal(true);
    const jobs = await waitFor(() => (printer?.jobs.length === 1 ? printer.jobs : null));
    expect(contains(jobs[0] ?? new Uint8Array(), [...Buffer.from('PRUEBA')])).to.equal(true);
  });

  it('discovery probes a given host:port: a printer with its paper status, or why nothing is there', async () => {
    printer = await startTestPrinter({ status: STATUS_PAPER_LOW });
    const found = await service.listPrinters(DEFAULT_PRINTER_SETTINGS, { probe: { host: '127.0.0.1', port: printer.port } });
    expect(found).to.deep.equal({
      ok: true,
      value: { printers: [{ connection: { transport: 'network', host: '127.0.0.1', port: printer.port }, label: `127.0.0.1:${printer.port}`, paper: 'low' }], problems: [] },
    });
    const port = await closedPort();
    const missing = await service.listPrinters(DEFAULT_PRINTER_SETTINGS, { probe: { host: '127.0.0.1', port } });
    expect(missing.ok && missing.value.printers).to.deep.equal([]);
    expect(missing.ok && missing.value.problems.map((p) => [p.transport, p.error.code])).to.deep.equal([['network', 'offline']]);
  });
});
