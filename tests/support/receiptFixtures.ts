// Test support: receipts built the way the till builds them — a cart priced by shared/pos, a Sale or Return
// document, then `buildReceipt` — from the shared/pos test fixtures, with fixed times so the bytes are stable.
import type { Product, Return, Sale } from '../../shared/model/types';
import { addItem, emptyCart, setLineDiscount } from '../../shared/pos/cart';
import type { Lang } from '../../shared/pos/i18n';
import { buildReceipt, type ReceiptModel } from '../../shared/pos/receipt';
import { buildReturn } from '../../shared/pos/returns';
import { buildSale } from '../../shared/pos/sale';
import { CARD, CASH, CASHIER, catalog, m, must, product, RED, storeConfig } from './posFixtures';

const config = storeConfig({ cashRounding: m(50) });
const SHIFT = 'shift:S001:T1:00000001';

// Names with the characters a Spanish receipt needs (ñ, á, é, í, ó, ú, ¿, ¡), in both languages.
function named(p: Product, en: string, es: string): Product {
  return { ...p, name: { en, es } };
}

/** A sale of three lines (one weighed, one discounted), paid by card and cash with change. */
export function fixtureSale(): Sale {
  let c = must(addItem(emptyCart(), named(product('PINA', 3450, { group: RED }), 'Pineapple, golden', 'Piña dorada ¿madura?'), 2));
  c = must(addItem(c, named(product('JAMON', 18990, { weighed: true }), 'Serrano ham', 'Jamón serrano reserva, corte a mano (¡oferta de temporada!)'), 0.245));
  c = must(addItem(c, named(product('CAFE', 12900), 'Coffee beans 1 kg', 'Café en grano 1 kg, tostado oscuro'), 1));
  c = must(setLineDiscount(c, 3, { kind: 'percent', percentBp: 1000 }, CASHIER));
  return must(
    buildSale({
      config, terminalId: 'T1', seq: 42, shiftId: SHIFT, cashierId: 'u-cashier', cart: c, catalog: catalog(),
      tenders: [{ tender: CARD, tendered: m(10000), reference: '4242' }, { tender: CASH, tendered: m(20000) }],
      now: '2025-03-14T18:00:00.000Z',
    }),
  );
}

/** A return of one of the sale's pineapples, restocked, refunded to the original tenders. */
export function fixtureReturn(sale: Sale): Return {
  return must(
    buildReturn({
      sale, previous: [], requests: [{ lineNo: 1, qty: 1, restock: true }], config, terminalId: 'T1', seq: 43, shiftId: SHIFT,
      cashier: CASHIER, refund: { to: 'original' }, now: '2025-03-15T16:30:00.000Z',
    }),
  );
}

/** The receipt of the fixture sale in a language, as the renderer would send it to printReceipt. */
export function fixtureSaleReceipt(lang: Lang): ReceiptModel {
  return buildReceipt(fixtureSale(), config, lang, { cashierName: 'María Núñez', tenderNames: { 'tender:card': { en: 'Visa', es: 'Visa' } } });
}

/** The receipt of the fixture return. */
export function fixtureReturnReceipt(lang: Lang): ReceiptModel {
  const sale = fixtureSale();
  return buildReceipt(fixtureReturn(sale), config, lang, { originalSale: sale, cashierName: 'María Núñez' });
}
