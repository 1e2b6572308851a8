import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PRINTER_SETTINGS } from '../../shared/ipc';
import { encodeDrawerKick, encodeReceipt, encodeTestPage, type EncodeSettings } from './encode';
import { fixtureReturnReceipt, fixtureSaleReceipt } from '../../../tests/support/receiptFixtures';

const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__');
// UPDATE_GOLDEN=1 rewrites the files (see __golden__/README.md); otherwise a missing file is a failure, so a golden
// is never silently created by a test run.
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function hexAround(bytes: Uint8Array, at: number): string {
  return Buffer.from(bytes.subarray(Math.max(0, at - 8), at + 8)).toString('hex');
}

function matchesGolden(name: string, actual: Uint8Array): void {
  const file = path.join(GOLDEN_DIR, name);
  if (UPDATE) writeFileSync(file, actual);
  expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npx mocha desktop/main/printing/encode.test.ts`).to.equal(true);
  const golden = new Uint8Array(readFileSync(file));
  const n = Math.min(golden.length, actual.length);
  let first = -1;
  for (let i = 0; i < n && first === -1; i++) if (golden[i] !== actual[i]) first = i;
  if (first === -1 && golden.length !== actual.length) first = n;
  expect(first, first === -1 ? '' : `${name} differs at byte ${first}: golden ${hexAround(golden, first)} / actual ${hexAround(actual, first)}`).to.equal(-1);
}

function includes(hay: Uint8Array, needle: readonly number[]): boolean {
  return Buffer.from(hay).includes(Buffer.from(needle));
}

const S48: EncodeSettings = { columns: 48, codepage: 'cp858', printerModel: null };
const S32: EncodeSettings = { columns: 32, codepage: 'cp858', printerModel: 'pos-5890' };

describe('desktop/printing: ESC/POS encoding (issue 11)', () => {
  it('the Spanish sale receipt at 80 mm (QR code, drawer kick) matches its golden file', () => {
    matchesGolden('sale-es-48.bin', encodeReceipt(fixtureSaleReceipt('es'), S48, { qr: 'https://caja.invalid/r/S001-T1-42', drawerPin: 2 }));
  });

  it('the English return receipt at 58 mm matches its golden file', () => {
    matchesGolden('return-en-32.bin', encodeReceipt(fixtureReturnReceipt('en'), S32));
  });

  it('the test page matches its golden file', () => {
    matchesGolden('testpage-es-48.bin', encodeTestPage(S48, 'es', '2025-03-14 18:00:00 UTC'));
  });

  it('uses every feature the receipt needs: code page, Spanish characters, bold, double size, CODE128, QR, cut, pulse', () => {
    const bytes = encodeReceipt(fixtureSaleReceipt('es'), S48, { qr: 'https://caja.invalid/r/S001-T1-42', drawerPin: 2 });
    expect(includes(bytes, [0x1b, 0x40]), 'ESC @ initialise').to.equal(true);
    expect(includes(bytes, [0x1b, 0x74, 19]), 'ESC t 19: code page 858 on Epson numbering').to.equal(true);
    // In cp858: ñ = A4, á = A0, ¿ = A8, í = A1, ¡ = AD — "Piña" and "¿madura?" as the printer receives them.
    expect(includes(bytes, [0x50, 0x69, 0xa4, 0x61]), 'Piña').to.equal(true);
    expect(includes(bytes, [0xa8, ...Buffer.from('madura?')]), '¿madura?').to.equal(true);
    expect(includes(bytes, [0x4a, 0x75, 0xa0, 0x72, 0x65, 0x7a]), 'Juárez').to.equal(true);
    expect(includes(bytes, [0xad, ...Buffer.from('Gracias')]), '¡Gracias').to.equal(true);
    expect(includes(bytes, [0x1b, 0x45, 0x01]), 'ESC E 1 bold').to.equal(true);
    expect(includes(bytes, [0x1d, 0x21, 0x11]), 'GS ! 0x11 double width and height').to.equal(true);
    expect(includes(bytes, [0x1d, 0x21, 0x01]), 'GS ! 0x01 double height (the total)').to.equal(true);
    expect(includes(bytes, [0x1d, 0x6b, 0x49]), 'GS k 73: CODE128').to.equal(true);
    expect(includes(bytes, [...Buffer.from('S001-T1-42')]), 'the receipt number in the barcode').to.equal(true);
    expect(includes(bytes, [0x1d, 0x28, 0x6b]), 'GS ( k: QR code').to.equal(true);
    expect(includes(bytes, [0x1d, 0x56, 0x01]), 'GS V 1: partial cut').to.equal(true);
    expect(includes(bytes, [0x1b, 0x70, 0x00]), 'ESC p 0: drawer kick on pin 2').to.equal(true);
    // The kick comes before the text, so the drawer opens while the receipt prints.
    expect(Buffer.from(bytes).indexOf(Buffer.from([0x1b, 0x70]))).to.be.lessThan(Buffer.from(bytes).indexOf(Buffer.from('Caja Centro')));
  });

  it('without a cash tender there is no drawer kick, and without QR content no QR code', () => {
    const bytes = encodeReceipt(fixtureSaleReceipt('en'), S48);
    expect(includes(bytes, [0x1b, 0x70])).to.equal(false);
    expect(includes(bytes, [0x1d, 0x28, 0x6b])).to.equal(false);
  });

  it('the drawer kick alone is ESC p with the pin of the settings', () => {
    expect([...encodeDrawerKick(2)].slice(0, 3)).to.deep.equal([0x1b, 0x70, 0x00]);
    expect([...encodeDrawerKick(5)].slice(0, 3)).to.deep.equal([0x1b, 0x70, 0x01]);
    expect(DEFAULT_PRINTER_SETTINGS.drawer.pin).to.equal(2);
  });
});
