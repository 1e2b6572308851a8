// Parsers for what the renderer sends over IPC. A renderer is web content: a bug or injected script may send
// anything, so every input is rebuilt field by field from `unknown` (unknown keys dropped), sizes are bounded, and
// control characters are taken out of printed text — ESC/POS is in-band, and an ESC inside a product name would
// otherwise reach the printer as a command (a drawer kick, a cut, a code-page switch).
import type { Lang } from '../../shared/pos/i18n';
import type { ReceiptItem, ReceiptModel, ReceiptRow } from '../../shared/pos/receipt';
import type { ListPrintersRequest, PrinterConnection, PrinterSettings, PrintReceiptRequest, TestPrintRequest } from '../shared/ipc';
import { RECEIPT_CODEPAGES } from '../shared/ipc';
import { isPrinterModel } from './printing/encode';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

class Invalid extends Error {}

function fail(path: string, what: string): never {
  throw new Invalid(`${path}: ${what}`);
}

function parse<T>(read: () => T): Parsed<T> {
  try {
    return { ok: true, value: read() };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, error: err.message };
    throw err;
  }
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as Record<string, unknown>; // a non-null, non-array object: its fields are read one by one as unknown
}

// C0 and C1 control characters and DEL: each becomes a space, so the text still prints but carries no command.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function text(v: unknown, path: string, max = 500): string {
  if (typeof v !== 'string') fail(path, 'expected a string');
  if (v.length > max) fail(path, `longer than ${max} characters`);
  return v.replace(CONTROL, ' ');
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(path, `expected an integer from ${min} to ${max}`);
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'expected true or false');
  return v;
}

function oneOf<T extends string | number>(v: unknown, path: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === v);
  if (found === undefined) fail(path, `expected one of ${allowed.join(', ')}`);
  return found;
}

function list<T>(v: unknown, path: string, max: number, item: (x: unknown, p: string) => T): T[] {
  if (!Array.isArray(v)) fail(path, 'expected a list');
  if (v.length > max) fail(path, `more than ${max} entries`);
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

function row(v: unknown, path: string): ReceiptRow {
  const o = obj(v, path);
  const r: ReceiptRow = { label: text(o.label, `${path}.label`), amount: text(o.amount, `${path}.amount`, 40) };
  if (o.strong !== undefined) r.strong = bool(o.strong, `${path}.strong`);
  return r;
}

function item(v: unknown, path: string): ReceiptItem {
  const o = obj(v, path);
  return {
    name: text(o.name, `${path}.name`),
    detail: o.detail === null ? null : text(o.detail, `${path}.detail`),
    amount: text(o.amount, `${path}.amount`, 40),
    notes: list(o.notes, `${path}.notes`, 20, row),
  };
}

// A receipt number (S001-T1-42) and little else: CODE128 on ESC/POS treats '{' as the start of a code-set switch
// or function code, so only characters without such meaning are accepted.
const BARCODE = /^[A-Za-z0-9 .:/+_-]{1,64}$/;

/** A receipt model as built by shared/pos/receipt.ts `buildReceipt`. */
export function readReceiptModel(v: unknown, path = 'receipt'): ReceiptModel {
  const o = obj(v, path);
  if (typeof o.barcode !== 'string' || !BARCODE.test(o.barcode)) fail(`${path}.barcode`, 'expected 1 to 64 letters, digits, spaces or . : / + _ -');
  const lines = (x: unknown, p: string): string => text(x, p);
  return {
    lang: oneOf<Lang>(o.lang, `${path}.lang`, ['en', 'es']),
    kind: oneOf(o.kind, `${path}.kind`, ['sale', 'return'] as const),
    header: list(o.header, `${path}.header`, 20, lines),
    title: text(o.title, `${path}.title`, 100),
    meta: list(o.meta, `${path}.meta`, 20, row),
    items: list(o.items, `${path}.items`, 2000, item),
    totals: list(o.totals, `${path}.totals`, 50, row),
    payments: list(o.payments, `${path}.payments`, 50, row),
    barcode: o.barcode,
    footer: list(o.footer, `${path}.footer`, 20, lines),
  };
}

/** The printReceipt input. */
export function parsePrintReceiptRequest(v: unknown): Parsed<PrintReceiptRequest> {
  return parse(() => {
    const o = obj(v, 'input');
    const req: PrintReceiptRequest = { receipt: readReceiptModel(o.receipt) };
    if (o.qr !== undefined && o.qr !== null) req.qr = text(o.qr, 'qr', 512);
    if (o.openDrawer !== undefined) req.openDrawer = bool(o.openDrawer, 'openDrawer');
    return req;
  });
}

// A host name or an IP address; never a URL (a scheme, a path or credentials have no meaning on raw TCP).
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

function host(v: unknown, path: string): string {
  if (typeof v !== 'string' || !(HOSTNAME.test(v) || (v.includes(':') && IPV6.test(v)))) fail(path, 'expected a host name or an IP address');
  return v;
}

function connection(v: unknown, path: string): PrinterConnection {
  const o = obj(v, path);
  switch (o.transport) {
    case 'network':
      return { transport: 'network', host: host(o.host, `${path}.host`), port: int(o.port, `${path}.port`, 1, 65535) };
    case 'usb':
      return {
        transport: 'usb',
        vendorId: int(o.vendorId, `${path}.vendorId`, 0, 0xffff),
        productId: int(o.productId, `${path}.productId`, 0, 0xffff),
        serialNumber: o.serialNumber === null || o.serialNumber === undefined ? null : text(o.serialNumber, `${path}.serialNumber`, 128),
      };
    case 'windows': {
      const p = text(o.path, `${path}.path`, 512);
      if (p.trim() === '') fail(`${path}.path`, 'expected a device path');
      return { transport: 'windows', path: p, name: text(o.name ?? '', `${path}.name`, 200) };
    }
    default:
      return fail(`${path}.transport`, 'expected network, usb or windows');
  }
}

/** Printer settings, complete (the settings page sends the whole object). */
export function readPrinterSettings(v: unknown, path = 'settings'): PrinterSettings {
  const o = obj(v, path);
  const drawer = obj(o.drawer, `${path}.drawer`);
  const model = o.printerModel === null || o.printerModel === undefined ? null : text(o.printerModel, `${path}.printerModel`, 64);
  if (model !== null && !isPrinterModel(model)) fail(`${path}.printerModel`, 'unknown printer model');
  return {
    connection: o.connection === null ? null : connection(o.connection, `${path}.connection`),
    columns: oneOf(o.columns, `${path}.columns`, [32, 48] as const),
    codepage: oneOf(o.codepage, `${path}.codepage`, RECEIPT_CODEPAGES),
    printerModel: model,
    statusCheck: bool(o.statusCheck, `${path}.statusCheck`),
    drawer: { enabled: bool(drawer.enabled, `${path}.drawer.enabled`), pin: oneOf(drawer.pin, `${path}.drawer.pin`, [2, 5] as const) },
    timeoutMs: int(o.timeoutMs, `${path}.timeoutMs`, 250, 30_000),
  };
}

/** The setPrinterSettings input. */
export function parsePrinterSettings(v: unknown): Parsed<PrinterSettings> {
  return parse(() => readPrinterSettings(v));
}

/** The testPrint input: optional settings to try before saving, optional language. */
export function parseTestPrintRequest(v: unknown): Parsed<TestPrintRequest> {
  return parse(() => {
    if (v === undefined || v === null) return {};
    const o = obj(v, 'input');
    const req: TestPrintRequest = {};
    if (o.settings !== undefined) req.settings = readPrinterSettings(o.settings);
    if (o.lang !== undefined) req.lang = oneOf(o.lang, 'lang', ['en', 'es'] as const);
    return req;
  });
}

/** The listPrinters input: optionally a host (and port) to probe. */
export function parseListPrintersRequest(v: unknown): Parsed<ListPrintersRequest> {
  return parse(() => {
    if (v === undefined || v === null) return {};
    const o = obj(v, 'input');
    if (o.probe === undefined) return {};
    const p = obj(o.probe, 'probe');
    return { probe: { host: host(p.host, 'probe.host'), port: p.port === undefined ? 9100 : int(p.port, 'probe.port', 1, 65535) } };
  });
}

/** A method that takes no input accepts only none (undefined) — anything else is a renderer bug worth seeing. */
export function parseNoInput(v: unknown): Parsed<void> {
  return v === undefined || v === null ? { ok: true, value: undefined } : { ok: false, error: 'input: this method takes no input' };
}
