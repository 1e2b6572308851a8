// Issue #11: a return's receipt printed a line twice. The store's default footer (hq/services/stores.ts) states
// the return policy word for word, and the receipt added its own policy line under it. This renders a return of
// a store with that footer the way the till does (receiptModel, then the text preview and the ESC/POS bytes) and
// checks that every returned item and every footer line appears once. Also: a return reprinted from today's
// journal printed SKUs where the first print had product names; without its original sale at hand the names
// come from the local catalog, and a SKU prints only for a product the catalog no longer has.
import { expect } from 'chai';
import type { Product, Return, Sale } from '../../../../shared/model/types';
import { encodeEscPos } from '../../../../shared/pos/escpos';
import { addItem, emptyCart } from '../../../../shared/pos/cart';
import { renderText } from '../../../../shared/pos/receipt';
import { buildReturn } from '../../../../shared/pos/returns';
import { buildSale } from '../../../../shared/pos/sale';
import { CASH, CASHIER, catalog, m, must, product, storeConfig } from '../../../../tests/support/posFixtures';
import { createServices, type Services } from '../../app/services';
import type { LocalCatalog } from '../checkout/localCatalog';
import { receiptModel } from './printing';

// The footer a new store gets (hq/services/stores.ts defaultConfig).
const CONFIG = storeConfig({
  receiptFooter: { en: 'Returns within 30 days with this receipt.', es: 'Devoluciones dentro de 30 días con este ticket.' },
});

const A = product('A', 18000, { name: 'Downy Spring Fresh Bleach 3 L' });
const B = product('B', 2500, { name: 'Bolillo' });

/** The till's services with a local catalog holding only `products` (what receiptModel reads of it). */
function servicesWith(products: Product[]): Services {
  const index = { tenders: () => [], lookupSku: (sku: string) => { const p = products.find((x) => x.sku === sku); return p ? { product: p, storePrice: null } : null; } };
  return { ...createServices(), index: index as unknown as LocalCatalog };
}

function saleAndReturn(): { sale: Sale; ret: Return } {
  let cart = must(addItem(emptyCart(), A, 2));
  cart = must(addItem(cart, B, 3));
  const sale = must(buildSale({ config: CONFIG, terminalId: 'T1', seq: 1, shiftId: 'shift:S001:T1:1', cashierId: 'u-cashier', cart, catalog: catalog(), tenders: [{ tender: CASH, tendered: m(100000) }], now: '2025-03-14T18:00:00Z' }));
  const ret = must(
    buildReturn({
      sale, previous: [], requests: [{ lineNo: 1, qty: 1, restock: true }, { lineNo: 2, qty: 2, restock: false }], config: CONFIG, terminalId: 'T1', seq: 2,
      shiftId: 'shift:S001:T1:1', cashier: CASHIER, refund: { to: 'original' }, now: '2025-03-15T16:00:00Z',
    }),
  );
  return { sale, ret };
}

function count(hay: string, needle: string): number {
  return hay.split(needle).length - 1;
}

describe('a return receipt prints each line once (issue #11)', () => {
  for (const lang of ['en', 'es'] as const) {
    it(`in ${lang}: each returned item and each footer line once, on screen and in the ESC/POS bytes`, () => {
      const { sale, ret } = saleAndReturn();
      const model = receiptModel(ret, CONFIG, lang, createServices(), { originalSale: sale });
      const policy = lang === 'en' ? 'Returns within 30 days with this receipt.' : 'Devoluciones dentro de 30 días con este ticket.';
      expect(model.footer).to.deep.equal([policy]);
      for (const cols of [32, 48] as const) {
        const text = renderText(model, cols);
        const bytes = Buffer.from(encodeEscPos(model, cols)).toString('latin1');
        for (const item of lang === 'en' ? ['Downy Spring', 'Bolillo'] : ['Artículo A', 'Artículo B']) {
          expect(count(text, item), `${item} in the text at ${cols}`).to.equal(1);
          expect(count(bytes, item.replace('Artículo', 'culo')), `${item} in the bytes at ${cols}`).to.equal(1);
        }
        const firstWords = policy.split(' ').slice(0, 3).join(' ');
        expect(count(text, firstWords), `the policy at ${cols}:\n${text}`).to.equal(1);
        expect(count(bytes, firstWords), `the policy in the bytes at ${cols}`).to.equal(1);
      }
    });
  }

  it('a store footer that differs from the policy still prints both', () => {
    const { sale, ret } = saleAndReturn();
    const model = receiptModel(ret, storeConfig(), 'en', createServices(), { originalSale: sale });
    expect(model.footer).to.deep.equal(['Thank you!', 'Returns within 30 days with this receipt.']);
  });

  for (const lang of ['en', 'es'] as const) {
    it(`in ${lang}: a reprint without the original sale names the products from the local catalog, the SKU only for one gone`, () => {
      const { sale, ret } = saleAndReturn();
      const first = renderText(receiptModel(ret, CONFIG, lang, servicesWith([A, B]), { originalSale: sale }), 48);
      const reprint = renderText(receiptModel(ret, CONFIG, lang, servicesWith([A, B])), 48);
      expect(reprint).to.equal(first);
      const items = receiptModel(ret, CONFIG, lang, servicesWith([A])).items.map((x) => x.name);
      expect(items).to.deep.equal([A.name[lang], 'B']);
    });
  }
});
