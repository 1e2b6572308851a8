// Issue #11: in the Electron shell the till prints through the preload API (desktop/shared/ipc.ts printReceipt):
// the receipt model in the cashier's language, the drawer kicked in the same job for a cash sale, and a printer
// fault reported in the cashier's language without touching the sale. A fake `window.caja` stands in for the
// shell; the catalog index is a real LocalCatalog over a real (memory) PouchDB.
import { expect } from 'chai';
import type { ApiInput, IpcResult, PrintReport } from '../../../shared/ipc';
import { PouchDB } from '../../../../server-kit/replication/pouch';
import { money } from '../../../../shared/money';
import { addItem, emptyCart } from '../../../../shared/pos/cart';
import { buildSale } from '../../../../shared/pos/sale';
import { CARD, CASH, GROUPS, RATES, STD, must, product, storeConfig } from '../../../../tests/support/posFixtures';
import { createServices } from '../../app/services';
import type { AppDispatch, RootState } from '../../app/store';
import { LocalCatalog } from '../checkout/localCatalog';
import { printReceipt } from './printing';

const CONFIG = storeConfig();
const A = product('A', 1000, { group: STD });

function saleWith(tender: typeof CASH, tendered: number) {
  const cart = must(addItem(emptyCart(), A, 2));
  return must(buildSale({ config: CONFIG, terminalId: 'T1', seq: 7, shiftId: 'shift:S001:T1:1', cashierId: 'u-cashier', cart, catalog: { rates: RATES, groups: GROUPS, specials: [] }, tenders: [{ tender, tendered: money(tendered), reference: '4242' }], now: '2025-03-14T18:00:00.000Z' }));
}

describe('receipts through the Electron preload API (issue #11)', () => {
  let db: PouchDB.Database;
  before(async () => {
    db = new PouchDB(`printing-${process.pid}-${Date.now()}`, { adapter: 'memory' });
    for (const doc of [CONFIG, CASH, CARD]) await db.put(doc as unknown as { _id: string } & Record<string, unknown>);
  });
  after(() => db.destroy());

  it('sends the receipt model in the till language, kicks the drawer for cash only, and reports a fault in that language', async () => {
    const calls: Array<ApiInput<'printReceipt'>> = [];
    let answer: IpcResult<PrintReport> = { ok: true, value: { paper: 'ok', drawerOpened: true } };
    const services = createServices();
    const fake = {
      printReceipt: async (input: ApiInput<'printReceipt'>) => {
        calls.push(input);
        return answer;
      },
    };
    // Only printReceipt is exercised; the rest of the shell's API is not reached by this thunk.
    services.preload = fake as unknown as NonNullable<typeof services.preload>;
    services.index = await LocalCatalog.open(db, { live: false });
    // The thunk reads only these parts of the state; the full store (with the IndexedDB PouchDB build) cannot
    // load in Node.
    const state = { ui: { screen: 'sale', lang: 'es' }, catalog: { config: CONFIG }, session: { users: [] } } as unknown as RootState;
    const noDispatch = (() => undefined) as unknown as AppDispatch; // printReceipt dispatches nothing
    const print = (...args: Parameters<typeof printReceipt>) => printReceipt(...args)(noDispatch, () => state, services);

    expect(await print(saleWith(CASH, 5000), { kickDrawer: true })).to.equal(null);
    expect(calls[0]?.openDrawer).to.equal(true);
    expect(calls[0]?.receipt.lang).to.equal('es');
    expect(calls[0]?.receipt.title).to.equal('VENTA');
    expect(calls[0]?.receipt.barcode).to.equal('S001-T1-7');

    await print(saleWith(CARD, 2420), { kickDrawer: true });
    expect(calls[1]?.openDrawer).to.equal(false); // a card sale never opens the drawer

    answer = { ok: false, error: { code: 'paper_out', message: { en: 'Out of paper.', es: 'Sin papel.' }, detail: 'DLE EOT 4: paper end', drawerOpened: true } };
    expect(await print(saleWith(CASH, 5000), { kickDrawer: true })).to.equal('Sin papel.');
    services.index.close();
  });
});
