// ESC/POS bytes of receipts, test pages and drawer kicks, all through @point-of-sale/receipt-printer-encoder: code
// pages, barcodes, QR codes and size commands differ between printer families and the encoder knows them; bytes
// written by hand would work on the printer they were tried on and nowhere else.
//
// The layout follows shared/pos/receipt.ts `renderSections` (same parts, same order) but keeps the structure the
// text renderer flattens: the store name and the title print large, the total bold and double height.
import ReceiptPrinterEncoder, { type ReceiptPrinterEncoderOptions } from '@point-of-sale/receipt-printer-encoder';
import type { ReceiptModel, ReceiptRow } from '../../../shared/pos/receipt';
import { width } from '../../../shared/pos/receipt';
import type { PrinterSettings } from '../../shared/ipc';

export type EncodeSettings = Pick<PrinterSettings, 'columns' | 'codepage' | 'printerModel'>;

type PrinterModel = NonNullable<ReceiptPrinterEncoderOptions['printerModel']>;

/** The encoder's printer model ids, for validating settings. */
export const PRINTER_MODEL_IDS: ReadonlySet<string> = new Set(ReceiptPrinterEncoder.printerModels.map((m) => m.id));

/** Whether the encoder knows this printer model id. */
export function isPrinterModel(id: string): id is PrinterModel {
  return PRINTER_MODEL_IDS.has(id);
}

function encoder(s: EncodeSettings): ReceiptPrinterEncoder {
  // The model only chooses the code-page numbering and capabilities; columns always come from the settings,
  // because the paper width (58 or 80 mm) is the shop's choice, not the model's default.
  const enc = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: s.columns,
    ...(s.printerModel && isPrinterModel(s.printerModel) ? { printerModel: s.printerModel } : {}),
  });
  return enc.initialize().codepage(s.codepage);
}

/** Two columns: the label wraps on the left, the amount sits right-aligned on the label's last line. */
function rows(enc: ReceiptPrinterEncoder, list: readonly ReceiptRow[], cols: number, indent = 0): void {
  for (const r of list) {
    // Each row's amount column is as wide as its amount: right-aligned amounts line up at the margin anyway, and
    // the label keeps every column left (as receipt.ts's text layout does).
    const right = Math.min(Math.max(1, width(r.amount)), cols - indent - 9);
    const columns = [
      { width: cols - indent - right - 1, marginLeft: indent, align: 'left' as const },
      { width: right, marginLeft: 1, align: 'right' as const, verticalAlign: 'bottom' as const },
    ];
    if (r.strong) enc.bold(true).size(1, 2);
    enc.table(columns, [[r.label, r.amount]]);
    if (r.strong) enc.size(1, 1).bold(false);
  }
}

// CODE128 set B: 11 modules per character plus start and check characters, 13 for stop, and a quiet zone of 10
// modules each side. Printers have 12 dots per column of font A (384 dots on 58 mm, 576 on 80 mm).
function barcodeModuleWidth(value: string, cols: number): 1 | 2 | 3 {
  const modules = 11 * (value.length + 2) + 13 + 20;
  // The encoder's width w prints w + 1 dots per module; the widest that fits the paper, at least 1.
  for (const w of [3, 2] as const) if ((w + 1) * modules <= cols * 12) return w;
  return 1;
}

export interface ReceiptJob {
  qr?: string | null;
  /** Kick this drawer pin first, so the drawer opens while the receipt prints. */
  drawerPin?: 2 | 5 | null;
}

/** ESC/POS bytes of a receipt model: header, title, meta, items, totals, payments, CODE128 number, QR, footer, cut. */
export function encodeReceipt(model: ReceiptModel, s: EncodeSettings, job: ReceiptJob = {}): Uint8Array {
  const cols = s.columns;
  const enc = encoder(s);
  if (job.drawerPin) enc.pulse(drawerDevice(job.drawerPin));

  const [name, ...address] = model.header;
  enc.align('center');
  if (name !== undefined) enc.bold(true).size(2, 2).line(name).size(1, 1).bold(false);
  for (const l of address) enc.line(l);
  enc.align('left').rule();
  enc.align('center').bold(true).size(2, 2).line(model.title).size(1, 1).bold(false).align('left');
  rows(enc, model.meta.map((m) => ({ label: `${m.label}:`, amount: m.amount })), cols);
  enc.rule();
  for (const item of model.items) {
    if (item.detail === null) rows(enc, [{ label: item.name, amount: item.amount }], cols);
    else {
      enc.line(item.name);
      rows(enc, [{ label: item.detail, amount: item.amount }], cols, 2);
    }
    rows(enc, item.notes, cols, 2);
  }
  enc.rule();
  rows(enc, model.totals, cols);
  if (model.payments.length > 0) {
    enc.rule();
    rows(enc, model.payments, cols);
  }
  enc.rule();
  enc.align('center');
  enc.barcode(model.barcode, 'code128', { height: 60, width: barcodeModuleWidth(model.barcode, cols), text: 'below' });
  if (job.qr) enc.newline().qrcode(job.qr, { model: 2, size: cols === 32 ? 4 : 6, errorlevel: 'm' });
  for (const f of model.footer) enc.line(f);
  enc.align('left');
  return enc.cut('partial').encode();
}

// ESC p m: m = 0 is connector pin 2, m = 1 pin 5 (drawers are wired to one or the other).
function drawerDevice(pin: 2 | 5): number {
  return pin === 2 ? 0 : 1;
}

/** ESC/POS bytes that kick the cash drawer and nothing else (no initialise: a job in progress is left alone). */
export function encodeDrawerKick(pin: 2 | 5): Uint8Array {
  return new ReceiptPrinterEncoder({ language: 'esc-pos' }).pulse(drawerDevice(pin)).encode();
}

const TEST_TEXT = {
  en: { title: 'TEST PRINT', ok: 'If you can read this, the printer works.', chars: 'Spanish characters:', cols: 'columns' },
  es: { title: 'PRUEBA', ok: 'Si puede leer esto, la impresora funciona.', chars: 'Caracteres en español:', cols: 'columnas' },
} as const;

/** A test page: every feature a receipt uses (sizes, bold, alignment, code page, CODE128, QR, cut). */
export function encodeTestPage(s: EncodeSettings, lang: 'en' | 'es', when: string): Uint8Array {
  const t = TEST_TEXT[lang];
  const enc = encoder(s);
  enc.align('center').bold(true).size(2, 2).line('Caja').size(1, 1).line(t.title).bold(false).line(when).align('left').rule();
  enc.line(t.ok).line(t.chars).line('¿Añadió más piñas? ¡Sí! áéíóú ÁÉÍÓÚ ñÑ üÜ');
  enc.line(`${s.columns} ${t.cols}: ${'1234567890'.repeat(5).slice(0, s.columns)}`);
  enc.align('right').line(`${s.codepage}${s.printerModel ? ` ${s.printerModel}` : ''}`).align('left').rule();
  enc.align('center').barcode('CAJA-TEST-01', 'code128', { height: 60, width: barcodeModuleWidth('CAJA-TEST-01', s.columns), text: 'below' }).newline();
  enc.qrcode('https://example.invalid/caja/test', { model: 2, size: s.columns === 32 ? 4 : 6, errorlevel: 'm' }).align('left');
  return enc.cut('partial').encode();
}
