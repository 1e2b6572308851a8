import { expect } from 'chai';
import path from 'node:path';
import { tempDir, waitFor } from '../../tests/support/testing';
import { createCajaApi, type Invoke } from '../preload/api';
import type { ApiName, PrinterSettings } from '../shared/ipc';
import { API_NAMES, DEFAULT_PRINTER_SETTINGS } from '../shared/ipc';
import { createConfigStore, DEFAULT_CONFIG, readConfigFile } from './config';
import { forbidden, handlers, invoke, type HandlerContext } from './ipc';
import { fixtureSaleReceipt } from '../../tests/support/receiptFixtures';
import { createPrinterService } from './printing/printer';
import { tcpTransport } from './printing/tcp';
import { startTestPrinter } from './printing/testPrinter';
import { usbTransport } from './printing/usb';
import { windowsTransport } from './printing/windows';

const transports = { network: tcpTransport, usb: usbTransport(() => Promise.resolve({ getDevices: () => Promise.resolve([]) })), windows: windowsTransport('linux') };

// What crosses IPC is structured-cloned; a JSON round trip is the same for these plain objects.
function overIpc<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

describe('desktop/main: the IPC handler map and the preload API (issue 11)', () => {
  let dir: { dir: string; cleanup: () => Promise<void> };
  let ctx: HandlerContext;
  let file: string;
  beforeEach(async () => {
    dir = await tempDir('caja-ipc-');
    file = path.join(dir.dir, 'caja-desktop.json');
    ctx = { config: createConfigStore(file, DEFAULT_CONFIG), printer: createPrinterService(transports), app: { version: '0.1.0', platform: 'linux', kiosk: false } };
  });
  afterEach(() => dir.cleanup());

  it('the handler map, the preload API and the shared list name the same methods', () => {
    expect(Object.keys(handlers).sort()).to.deep.equal([...API_NAMES].sort());
    const api = createCajaApi(() => Promise.reject(new Error('not called')));
    expect(Object.keys(api).sort()).to.deep.equal([...API_NAMES].sort());
    expect(Object.isFrozen(api)).to.equal(true);
  });

  it('each preload method sends its own channel with the input, and nothing else', async () => {
    const sent: [string, unknown][] = [];
    const fake: Invoke = (channel, input) => {
      sent.push([channel, input]);
      return Promise.resolve({ ok: true, value: DEFAULT_PRINTER_SETTINGS }) as never; // the fake answers one shape for every channel
    };
    const api = createCajaApi(fake);
    await api.getPrinterSettings();
    await api.openDrawer();
    await api.listPrinters({ probe: { host: '10.0.0.5' } });
    await api.setPrinterSettings(DEFAULT_PRINTER_SETTINGS);
    expect(sent).to.deep.equal([
      ['caja:getPrinterSettings', undefined],
      ['caja:openDrawer', undefined],
      ['caja:listPrinters', { probe: { host: '10.0.0.5' } }],
      ['caja:setPrinterSettings', DEFAULT_PRINTER_SETTINGS],
    ]);
  });

  it('printReceipt: a receipt sent over IPC is printed; the answer is a typed result', async () => {
    const printer = await startTestPrinter();
    try {
      ctx.config.setPrinter({ ...DEFAULT_PRINTER_SETTINGS, connection: { transport: 'network', host: '127.0.0.1', port: printer.port } });
      const r = await invoke('printReceipt', overIpc({ receipt: fixtureSaleReceipt('es'), openDrawer: true }), ctx);
      // Typed: r.value is PrintReport when ok.
      expect(r.ok && r.value.drawerOpened).to.equal(true);
      await waitFor(() => printer.jobs.length === 1);
    } finally {
      await printer.close();
    }
  });

  it('printReceipt refuses what is not a receipt, with invalid_input and the field at fault', async () => {
    const good = overIpc({ receipt: fixtureSaleReceipt('en') });
    const cases: [unknown, RegExp][] = [
      [undefined, /input: expected an object/],
      ['print this', /input: expected an object/],
      [{}, /receipt: expected an object/],
      [{ receipt: { ...good.receipt, barcode: '' } }, /receipt\.barcode/],
      [{ receipt: { ...good.receipt, barcode: 'Nº 42' } }, /receipt\.barcode/],
      [{ receipt: { ...good.receipt, barcode: 'S001{A\u0010' } }, /receipt\.barcode/], // '{' switches CODE128 code sets
      [{ receipt: { ...good.receipt, items: 'many' } }, /receipt\.items: expected a list/],
      [{ receipt: { ...good.receipt, items: Array.from({ length: 2001 }, () => ({ name: 'x', detail: null, amount: '1', notes: [] })) } }, /more than 2000/],
      [{ receipt: { ...good.receipt, title: 'x'.repeat(101) } }, /receipt\.title: longer than 100/],
      [{ receipt: { ...good.receipt, lang: 'fr' } }, /receipt\.lang: expected one of en, es/],
      [{ receipt: { ...good.receipt, totals: [{ label: 'TOTAL', amount: 10 }] } }, /receipt\.totals\[0\]\.amount: expected a string/],
      [{ ...good, openDrawer: 'yes' }, /openDrawer: expected true or false/],
    ];
    for (const [input, detail] of cases) {
      const r = await invoke('printReceipt', input, ctx);
      expect(r.ok, JSON.stringify(input)?.slice(0, 80)).to.equal(false);
      if (r.ok) continue;
      expect(r.error.code).to.equal('invalid_input');
      expect(r.error.detail).to.match(detail);
    }
  });

  it('control characters in printed text cannot become printer commands (no drawer kick injected by a product name)', async () => {
    const printer = await startTestPrinter();
    try {
      ctx.config.setPrinter({ ...DEFAULT_PRINTER_SETTINGS, connection: { transport: 'network', host: '127.0.0.1', port: printer.port } });
      const receipt = fixtureSaleReceipt('en');
      const first = receipt.items[0];
      if (!first) throw new Error('fixture has no items');
      first.name = 'Evil \u001bp\u0000\u0019\u00fa name \u001dV\u0001';
      const r = await invoke('printReceipt', overIpc({ receipt }), ctx);
      expect(r.ok).to.equal(true);
      const [job] = await waitFor(() => (printer.jobs.length === 1 ? printer.jobs : null));
      expect(Buffer.from(job ?? []).includes(Buffer.from([0x1b, 0x70])), 'ESC p').to.equal(false);
      expect(Buffer.from(job ?? []).includes(Buffer.from('Evil  p  ')), 'the name still prints').to.equal(true);
    } finally {
      await printer.close();
    }
  });

  it('printer settings: saved to the config file, read back, and refused when invalid', async () => {
    const wanted: PrinterSettings = {
      ...DEFAULT_PRINTER_SETTINGS,
      connection: { transport: 'network', host: 'printer-1.store.lan', port: 9100 },
      columns: 32,
      printerModel: 'epson-tm-t20iii',
      drawer: { enabled: true, pin: 5 },
    };
    const saved = await invoke('setPrinterSettings', overIpc({ ...wanted, extra: 'dropped' }), ctx);
    expect(saved).to.deep.equal({ ok: true, value: wanted });
    expect(await invoke('getPrinterSettings', undefined, ctx)).to.deep.equal({ ok: true, value: wanted });
    expect(readConfigFile(file).config.printer).to.deep.equal(wanted);

    const bad: [unknown, RegExp][] = [
      [{ ...wanted, connection: { transport: 'network', host: 'http://printer/', port: 9100 } }, /host name or an IP/],
      [{ ...wanted, connection: { transport: 'network', host: '10.0.0.9', port: 70000 } }, /port: expected an integer/],
      [{ ...wanted, connection: { transport: 'serial', path: 'COM1' } }, /transport: expected network, usb or windows/],
      [{ ...wanted, columns: 40 }, /columns: expected one of 32, 48/],
      [{ ...wanted, codepage: 'cp1251' }, /codepage/],
      [{ ...wanted, printerModel: 'acme-9000' }, /unknown printer model/],
      [{ ...wanted, timeoutMs: 10 }, /timeoutMs/],
      [{ ...wanted, drawer: { enabled: true, pin: 3 } }, /drawer\.pin/],
    ];
    for (const [input, detail] of bad) {
      const r = await invoke('setPrinterSettings', input, ctx);
      expect(!r.ok && r.error.code).to.equal('invalid_input');
      expect(!r.ok && r.error.detail).to.match(detail);
    }
    expect(readConfigFile(file).config.printer, 'a refused save changes nothing').to.deep.equal(wanted);
  });

  it('methods without input refuse input; listPrinters and testPrint validate theirs', async () => {
    const r1 = await invoke('openDrawer', { pin: 2 }, ctx);
    expect(!r1.ok && r1.error.code).to.equal('invalid_input');
    const r2 = await invoke('listPrinters', { probe: { host: 'a b' } }, ctx);
    expect(!r2.ok && r2.error.detail).to.match(/probe\.host/);
    const r3 = await invoke('testPrint', { lang: 'de' }, ctx);
    expect(!r3.ok && r3.error.detail).to.match(/lang/);
    const r4 = await invoke('listPrinters', undefined, ctx);
    expect(r4).to.deep.equal({ ok: true, value: { printers: [], problems: [] } });
    const r5 = await invoke('testPrint', undefined, ctx);
    expect(!r5.ok && r5.error.code, 'no printer configured yet').to.equal('not_configured');
    expect(await invoke('appInfo', undefined, ctx)).to.deep.equal({ ok: true, value: { version: '0.1.0', platform: 'linux', kiosk: false } });
    const r6 = await invoke('appInfo', 'please', ctx);
    expect(!r6.ok && r6.error.code).to.equal('invalid_input');
  });

  it('a handler that throws answers internal instead of rejecting into the renderer', async () => {
    const broken: HandlerContext = {
      ...ctx,
      printer: { ...ctx.printer, printReceipt: () => { throw new Error('bug in the printer service'); } },
    };
    const r = await invoke('printReceipt', overIpc({ receipt: fixtureSaleReceipt('en') }), broken);
    expect(!r.ok && r.error.code).to.equal('internal');
    expect(!r.ok && r.error.message.en).to.match(/sale|printer/);
  });

  it('a message from a page that is not the app gets forbidden', () => {
    const names: ApiName[] = [...API_NAMES];
    for (const n of names) expect(forbidden(n, 'https://evil.example/').ok).to.equal(false);
    const f = forbidden('printReceipt', 'https://evil.example/');
    expect(!f.ok && [f.error.code, f.error.detail]).to.deep.equal(['forbidden', 'printReceipt from https://evil.example/']);
  });
});
