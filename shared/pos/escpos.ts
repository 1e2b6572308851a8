// ESC/POS bytes of a receipt, through @point-of-sale/receipt-printer-encoder. Kept apart from receipt.ts so the
// text model has no third-party dependency; the encoder itself is pure JS and runs in Node and the browser
// (it touches canvas only for images, which receipts do not print).
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { renderSections, type ReceiptColumns, type ReceiptModel } from './receipt';

/** ESC/POS bytes: initialise, the receipt text, a CODE128 barcode of the receipt number, feed and cut. */
export function encodeEscPos(model: ReceiptModel, cols: ReceiptColumns): Uint8Array {
  const { top, bottom } = renderSections(model, cols);
  // 'auto' lets the encoder pick a code page per character, so Spanish accents and ñ print on any ESC/POS model.
  const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: cols }).initialize().codepage('auto');
  for (const l of top) enc.line(l);
  enc.align('center').barcode(model.barcode, 'code128', { height: 60, text: 'below' }).align('left');
  for (const l of bottom) enc.line(l);
  return enc.cut('partial').encode();
}
