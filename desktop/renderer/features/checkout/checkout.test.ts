// Issue #5: the terminal's checkout data layer on real PouchDB databases (memory, and LevelDB in a temp folder
// for the restart case): barcode index, receipt sequence, sales, voids, returns, exchanges, parked sales and
// the register's X report and close.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { PouchDB } from '../../../../server-kit/replication/pouch';
import { tempDir, waitFor } from '../../../../tests/support/testing';
import { money } from '../../../../shared/money';
import { ean13CheckDigit, priceId, saleId } from '../../../../shared/model/ids';
import type { Product, Sale, StorePrice } from '../../../../shared/model/types';
import { CURRENT_SCHEMA } from '../../../../shared/model/types';
import { addItem, emptyCart, type Cart } from '../../../../shared/pos/cart';
import { buildSale } from '../../../../shared/pos/sale';
import type { TenderInput } from '../../../../shared/pos/tenders';
import { CARD, CASH, GROUPS, MANAGER, RATES, RED, STD, USD, must, product, storeConfig, user } from '../../../../tests/support/posFixtures';
import { commitShiftClose, commitCashMovement, currentShift, commitShiftOpen, xReportOf } from '../register/register';
import { LocalCatalog, type IndexSnapshot } from './localCatalog';
import { bootstrapSnapshot } from '../../../../shared/sync/bootstrap';
import { commitExchange, commitReturn, commitSale, commitVoid, findSale, holdShift, type SaleInput } from './commit';
import { JOURNAL_DEADLINE_MS, openSaleJournal, replayJournal, type JournalWorker } from '../../data/saleJournal';
import type { LocalDb } from './localDb';
import { listParked, parkSale, recallParked } from './parked';
import { forgetSeq } from './seq';

const CONFIG = storeConfig(); // S001, America/Mexico_City, exclusive tax, no cash rounding
const NOW = '2025-03-14T18:00:00.000Z'; // 12:00 in Mexico City
const LATER = '2025-03-14T19:00:00.000Z';
const TOMORROW = '2025-03-15T18:00:00.000Z';
const CASHIER = user('u-cashier', ['sale.ring', 'register.open', 'register.close'], 1000);
const SUPERVISOR = user('u-sup', [...MANAGER.permissions, 'register.cash_in_out'], 2000);
const CATALOG = { rates: RATES, groups: GROUPS, specials: [] };

function withBarcode(p: Product, barcode: string): Product {
  return { ...p, barcodes: [barcode] };
}
const ean = (body12: string) => body12 + ean13CheckDigit(body12);
// A: 10.00 + VAT 21 % = 12.10; B: 5.00 + VAT 10 % = 5.50. Hand-checked totals below use these.
const A = withBarcode(product('A', 1000, { group: STD }), ean('750100000001'));
const B = withBarcode(product('B', 500, { group: RED }), ean('750100000002'));
const CHEESE = withBarcode(product('CHEESE', 20000, { group: STD, weighed: true }), ean('200001200000'));

let dbCount = 0;
function memoryDb(): PouchDB.Database {
  dbCount += 1;
  return new PouchDB(`checkout-${process.pid}-${dbCount}-${Date.now()}`, { adapter: 'memory' });
}

async function seed(db: LocalDb): Promise<void> {
  for (const doc of [CONFIG, ...Object.values(RATES), ...Object.values(GROUPS), CASH, CARD, USD, A, B, CHEESE]) {
    await db.put(doc as unknown as { _id: string } & Record<string, unknown>);
  }
}

function cartOf(items: Array<[Product, number]>): Cart {
  let cart = emptyCart();
  for (const [p, q] of items) cart = must(addItem(cart, p, q));
  return cart;
}

const till = (terminalId = 'T1') => ({ config: CONFIG, terminalId });

async function openShift(db: LocalDb, terminalId = 'T1', float = 10000, now = NOW) {
  return must(await commitShiftOpen(db, { ...till(terminalId), user: CASHIER, openingFloat: money(float), now }));
}

async function ring(db: LocalDb, shiftId: string, items: Array<[Product, number]>, tenders: TenderInput[] = [{ tender: CASH, tendered: money(100000) }], terminalId = 'T1', now: string = NOW) {
  return commitSale(db, { ...till(terminalId), shiftId, cashierId: CASHIER.userId, cart: cartOf(items), catalog: CATALOG, tenders, now });
}

describe('checkout data layer (issue #5)', function () {
  const dbs: PouchDB.Database[] = [];
  const fresh = async () => {
    const db = memoryDb();
    dbs.push(db);
    await seed(db);
    return db;
  };
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.destroy().catch(() => undefined);
  });

  describe('LocalCatalog', () => {
    it('finds products by barcode and SKU, applies store prices, reads weighed labels, and follows changes', async () => {
      const db = await fresh();
      await db.put({ _id: priceId('B'), type: 'price', schema: CURRENT_SCHEMA, storeId: 'S001', sku: 'B', price: money(450), updatedAt: NOW } satisfies StorePrice);
      const index = await LocalCatalog.open(db);
      try {
        expect(index.size).to.equal(3);
        expect(index.lookup(A.barcodes[0] as string)?.product.sku).to.equal('A');
        expect(index.lookup(A.barcodes[0] as string)?.storePrice).to.equal(null);
        expect(index.lookup(B.barcodes[0] as string)?.storePrice?.price).to.equal(450);
        expect(index.lookupSku('A')?.product._id).to.equal('product:A');
        expect(index.lookup('0000000000000')).to.equal(null);
        // A scale label: PLU 00012, 0.735 kg.
        const label = ean('200001200735');
        const scan = index.lookup(label);
        expect(scan?.product.sku).to.equal('CHEESE');
        expect(scan?.qty).to.equal(0.735);
        expect(index.pricing().rates).to.have.property('taxrate:VAT21');
        expect(index.tender('tender:cash')?.kind).to.equal('cash');
        expect(index.config()?.storeId).to.equal('S001');

        // Live: a new barcode for A, a new product, a price override removed.
        const a = (await db.get('product:A')) as Product & { _rev: string };
        const newCode = ean('750100000099');
        await db.put({ ...a, barcodes: [newCode], price: money(1100) });
        await db.put(withBarcode(product('C', 300), ean('750100000003')));
        const p = await db.get(priceId('B'));
        await db.remove(p);
        await waitFor(() => index.changesApplied >= 3, { what: 'three changes applied' });
        expect(index.lookup(A.barcodes[0] as string)).to.equal(null); // the old code is gone
        expect(index.lookup(newCode)?.product.price).to.equal(1100);
        expect(index.lookup(ean('750100000003'))?.product.sku).to.equal('C');
        expect(index.lookup(B.barcodes[0] as string)?.storePrice).to.equal(null);
      } finally {
        index.close();
      }
    });
  });

  describe('LocalCatalog snapshot (issue #11: the PIN screen within 3 s on 100k products)', () => {
    /** An in-memory snapshot store (the till's is an IndexedDB database, data/catalogSnapshot.ts). */
    const memoryStore = () => {
      let saved: string | null = null;
      return {
        writes: 0,
        async read(): Promise<IndexSnapshot | null> {
          return saved === null ? null : (JSON.parse(saved) as IndexSnapshot);
        },
        async write(snapshot: IndexSnapshot): Promise<void> {
          this.writes += 1;
          saved = JSON.stringify(snapshot);
        },
        set(snapshot: IndexSnapshot): void {
          saved = JSON.stringify(snapshot);
        },
      };
    };
    /** PouchDB's instance id (`db.id()`, not in its type declarations). */
    const instanceId = (db: PouchDB.Database) => (db as unknown as { id(): Promise<string> }).id();
    /** What an index holds, comparable with deep equality. */
    const contents = (index: LocalCatalog) => ({
      products: [...index.products()].sort((a, b) => a._id.localeCompare(b._id)),
      prices: [...index.products()].map((p) => index.storePrice(p.sku)),
      pricing: index.pricing(),
      tenders: index.tenders().sort((a, b) => a._id.localeCompare(b._id)),
      config: index.config(),
    });

    it('starts from the snapshot plus the changes made since, holding what a full load holds', async () => {
      const db = await fresh();
      await db.put({ _id: priceId('B'), type: 'price', schema: CURRENT_SCHEMA, storeId: 'S001', sku: 'B', price: money(450), updatedAt: NOW } satisfies StorePrice);
      const store = memoryStore();
      const first = await LocalCatalog.open(db, { live: false, snapshots: store });
      expect(first.opening.from).to.equal('database');
      expect(await first.saveSnapshot()).to.equal(true);
      first.close();
      expect((await store.read())?.dbId).to.equal(await instanceId(db));

      // After the snapshot: A changes barcode and price, C arrives, B's store price and CHEESE go, a sale is rung.
      const a = (await db.get('product:A')) as Product & { _rev: string };
      const newCode = ean('750100000099');
      await db.put({ ...a, barcodes: [newCode], price: money(1100) });
      await db.put(withBarcode(product('C', 300), ean('750100000003')));
      await db.remove(await db.get(priceId('B')));
      await db.remove(await db.get('product:CHEESE'));
      const shift = await openShift(db);
      must(await ring(db, shift._id, [[B, 1]]));

      const index = await LocalCatalog.open(db, { snapshots: store });
      const full = await LocalCatalog.open(db, { live: false });
      try {
        expect(index.opening.from).to.equal('snapshot');
        expect(index.opening.caughtUp).to.be.at.least(6);
        expect(contents(index)).to.deep.equal(contents(full));
        expect(index.lookup(A.barcodes[0] as string)).to.equal(null);
        expect(index.lookup(newCode)?.product.price).to.equal(1100);
        expect(index.lookup(ean('750100000003'))?.product.sku).to.equal('C');
        expect(index.lookup(B.barcodes[0] as string)?.storePrice).to.equal(null);
        expect(index.lookupSku('CHEESE')).to.equal(null);
        // And it follows the database from where the catch-up ended.
        await db.put(withBarcode(product('D', 700), ean('750100000004')));
        await waitFor(() => index.changesApplied >= 1, { what: 'a change applied after a start from the snapshot' });
        expect(index.lookup(ean('750100000004'))?.product.sku).to.equal('D');
        // A new snapshot holds it, and the next start needs no catch-up of it.
        expect(await index.saveSnapshot()).to.equal(true);
        const again = await LocalCatalog.open(db, { live: false, snapshots: store });
        expect(again.opening).to.deep.include({ from: 'snapshot', caughtUp: 0 });
        expect(contents(again)).to.deep.equal(contents(index));
        again.close();
      } finally {
        index.close();
        full.close();
      }
    });

    it('starts from the documents a first sync copied (winning revisions), then follows the database', async () => {
      const source = await fresh();
      // A conflicted product at the source: the copy carries both revisions, the index must take the winner.
      const conflicted = withBarcode(product('K', 100), ean('750100000055'));
      await source.bulkDocs([{ ...conflicted, price: money(111), _rev: '1-aaaa' }, { ...conflicted, price: money(999), _rev: '1-ffff' }] as never, { new_edits: false });
      const target = memoryDb();
      dbs.push(target);
      const copied: Array<Record<string, unknown>> = [];
      const boot = await bootstrapSnapshot(source, target, { id: 'terminal-pull', onDocs: (docs) => copied.push(...docs) });
      expect(boot).to.include({ state: 'copied', fromStart: true });
      expect(copied.filter((d) => d._id === 'product:K')).to.have.length(2);
      const seq = (await target.info()).update_seq;
      await target.put(withBarcode(product('C', 300), ean('750100000003'))); // the live pull, just after
      const store = memoryStore();
      const index = await LocalCatalog.open(target, { seed: { docs: copied, seq }, snapshots: store });
      const full = await LocalCatalog.open(target, { live: false });
      try {
        expect(index.opening).to.deep.include({ from: 'copy', caughtUp: 1 });
        expect(contents(index)).to.deep.equal(contents(full));
        expect(index.lookupSku('K')?.product.price).to.equal(999); // CouchDB's winner: the higher revision id
        expect(await index.saveSnapshot()).to.equal(true); // and the next start reads the stored snapshot
        const next = await LocalCatalog.open(target, { live: false, snapshots: store });
        expect(next.opening).to.deep.include({ from: 'snapshot', caughtUp: 0 });
        expect(contents(next)).to.deep.equal(contents(full));
        next.close();
      } finally {
        index.close();
        full.close();
      }
    });

    it('does not use a snapshot of another database, or one ahead of this database', async () => {
      const db = await fresh();
      const other = await fresh();
      const store = memoryStore();
      const o = await LocalCatalog.open(other, { live: false, snapshots: store });
      await other.put(withBarcode(product('GHOST', 100), ean('750100000077')));
      expect(await o.saveSnapshot()).to.equal(true);
      o.close();
      const index = await LocalCatalog.open(db, { live: false, snapshots: store });
      expect(index.opening.from).to.equal('database');
      expect(index.lookupSku('GHOST')).to.equal(null);
      index.close();
      // The right instance id but a sequence this database never reached: a copy from before it was rebuilt.
      const info = await db.info();
      store.set({ dbId: await instanceId(db), seq: Number(info.update_seq) + 1000, docs: [withBarcode(product('GHOST', 100), ean('750100000077'))] });
      const ahead = await LocalCatalog.open(db, { live: false, snapshots: store });
      expect(ahead.opening.from).to.equal('database');
      expect(ahead.lookupSku('GHOST')).to.equal(null);
      expect(ahead.size).to.equal(3);
      ahead.close();
    });
  });

  describe('sales and the receipt sequence', () => {
    it('commits a sale in one put under its deterministic id, only on an open shift of this terminal', async () => {
      const db = await fresh();
      const none = await ring(db, 'shift:S001:T1:00000001', [[A, 1]]);
      expect(none).to.deep.equal({ ok: false, error: { code: 'no_open_shift', shiftId: 'shift:S001:T1:00000001', reason: 'missing' } });
      const shift = await openShift(db);
      const other = await openShift(db, 'T2');
      expect((await ring(db, other._id, [[A, 1]])).ok).to.equal(false); // T2's shift is not T1's to ring on
      const res = must(await ring(db, shift._id, [[A, 2], [B, 1]], [{ tender: CASH, tendered: money(5000) }]));
      // 2 x 10.00 + 21 % = 24.20; 5.00 + 10 % = 5.50; total 29.70; change 20.30.
      expect(res._id).to.equal('sale:S001:T1:00000001');
      expect(res.receiptNumber).to.equal('S001-T1-1');
      expect([res.subtotal, res.taxTotal, res.total, res.change]).to.deep.equal([2500, 470, 2970, 2030]);
      const stored = (await db.get(res._id)) as Sale;
      expect(stored._rev).to.equal(res._rev);
      expect(stored.total).to.equal(2970);
      // A failed settlement consumes no number.
      const short = await ring(db, shift._id, [[A, 1]], [{ tender: CASH, tendered: money(100) }]);
      expect(short.ok).to.equal(false);
      if (!short.ok) expect(short.error.code).to.equal('insufficient');
      expect(must(await ring(db, shift._id, [[B, 1]])).seq).to.equal(2);
      // After the close, no more sales on that shift.
      must(await commitShiftClose(db, { ...till(), shiftId: shift._id, counted: {}, user: CASHIER, now: LATER }));
      const closed = await ring(db, shift._id, [[A, 1]]);
      expect(closed.ok ? null : closed.error).to.deep.include({ code: 'no_open_shift', reason: 'closed' });
    });

    it('with the shift held from before Pay, reads nothing before its put; a close of the shift ends the hold', async () => {
      const db = await fresh();
      const reads: string[] = [];
      const counted: LocalDb = {
        get: (id) => (reads.push(`get ${id}`), db.get(id)),
        allDocs: (o) => (reads.push('allDocs'), db.allDocs(o)),
        put: (d) => db.put(d),
        info: () => db.info(),
        changes: db.changes.bind(db),
      };
      const shift = await openShift(counted);
      const held = must(await holdShift(counted, till(), shift._id)); // reads the shift, the sequence, the credit check
      reads.length = 0;
      const input = { ...till(), shiftId: shift._id, cashierId: CASHIER.userId, cart: cartOf([[B, 1]]), catalog: CATALOG, tenders: [{ tender: CASH, tendered: money(1000) }], now: NOW };
      expect(must(await commitSale(counted, input, held)).seq).to.equal(1);
      expect(reads).to.deep.equal([]);
      // Closed (here, or in another tab of this terminal): the hold lapses and the commit checks again.
      must(await commitShiftClose(db, { ...till(), shiftId: shift._id, counted: {}, user: CASHIER, now: LATER }));
      await waitFor(() => !held.valid, { what: 'the hold lapsed' });
      const refused = await commitSale(counted, input, held);
      expect(refused.ok ? null : refused.error).to.deep.include({ code: 'no_open_shift', reason: 'closed' });
      expect(reads.length).to.be.greaterThan(0);
      held.release();
    });

    it('numbers 100 sales gaplessly and continues after a restart over the same LevelDB folder', async () => {
      const tmp = await tempDir('caja-seq-');
      try {
        const path = `${tmp.dir}/terminal`;
        let db = new PouchDB(path);
        await seed(db);
        const shift = await openShift(db);
        const seqs: number[] = [];
        for (let i = 0; i < 100; i++) seqs.push(must(await ring(db, shift._id, [[i % 2 ? A : B, 1]])).seq);
        expect(seqs).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
        await db.close();
        forgetSeq(db);
        db = new PouchDB(path); // a new process: nothing cached, the ledger says where it stands
        const next = must(await ring(db, shift._id, [[A, 1]]));
        expect(next.receiptNumber).to.equal('S001-T1-101');
        await db.destroy();
      } finally {
        await tmp.cleanup();
      }
    });

    it('takes the next number when another tab took this one (409), and two tabs never collide', async () => {
      const name = `checkout-tabs-${Date.now()}`;
      const tab1 = new PouchDB(name, { adapter: 'memory' });
      const tab2 = new PouchDB(name, { adapter: 'memory' }); // same storage, separate handle and cache
      dbs.push(tab1);
      await seed(tab1);
      const shift = await openShift(tab1);
      expect(must(await ring(tab1, shift._id, [[A, 1]])).seq).to.equal(1);
      // Tab 2 rings number 2 while tab 1's cache still says 1 was the last.
      expect(must(await ring(tab2, shift._id, [[B, 1]])).seq).to.equal(2);
      expect(must(await ring(tab1, shift._id, [[A, 1]])).seq).to.equal(3); // 2 answered 409: next one
      // Concurrent rings from both tabs: every number used once, none skipped.
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ring(i % 2 ? tab1 : tab2, shift._id, [[A, 1]])));
      const seqs = results.map((r) => must(r).seq).sort((a, b) => a - b);
      expect(seqs).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 4));
      const all = await tab1.allDocs({ startkey: 'sale:', endkey: 'sale:\ufff0' });
      expect(all.rows).to.have.length(23);
    });
  });

  describe('voids, returns, exchanges', () => {
    it('voids a sale the same day only, once', async () => {
      const db = await fresh();
      const shift = await openShift(db);
      const sale = must(await ring(db, shift._id, [[A, 1]]));
      const denied = await commitVoid(db, { ...till(), shiftId: shift._id, cashier: CASHIER, receipt: sale.receiptNumber, reason: 'mistake', now: LATER });
      expect(denied.ok ? null : denied.error).to.deep.equal({ code: 'approval_required', action: 'sale.void' });
      const v = must(await commitVoid(db, { ...till(), shiftId: shift._id, cashier: MANAGER, receipt: sale.receiptNumber, reason: 'mistake', now: LATER }));
      expect(v._id).to.equal(`void:${sale._id}`);
      expect(v.total).to.equal(1210);
      const again = await commitVoid(db, { ...till(), shiftId: shift._id, cashier: MANAGER, receipt: sale._id, reason: 'again', now: LATER });
      expect(again.ok ? null : again.error).to.deep.equal({ code: 'already_voided', saleId: sale._id });
      const other = must(await ring(db, shift._id, [[B, 1]]));
      const nextDay = await commitVoid(db, { ...till(), shiftId: shift._id, cashier: MANAGER, receipt: other.receiptNumber, reason: 'late', now: TOMORROW });
      expect(nextDay.ok ? null : nextDay.error).to.deep.include({ code: 'different_day', saleDate: '2025-03-14', today: '2025-03-15' });
    });

    it('returns against a sale rung on another terminal and synced in; the return takes the shared sequence', async () => {
      const db = await fresh();
      // T2's sale, as replication brings it: 3 x A paid by card + cash.
      const t2sale = must(
        buildSale({ config: CONFIG, terminalId: 'T2', seq: 7, shiftId: 'shift:S001:T2:00000001', cashierId: 'u-other', cart: cartOf([[A, 3]]), catalog: CATALOG, tenders: [{ tender: CARD, tendered: money(2000), reference: '4242' }, { tender: CASH, tendered: money(2000) }], now: NOW }),
      );
      await db.put(t2sale as Sale & Record<string, unknown>);
      const shift = await openShift(db);
      expect(must(await ring(db, shift._id, [[B, 1]])).seq).to.equal(1);
      const found = must(await findSale(db, 's001-t2-7')); // typed in lower case, or scanned from the receipt
      expect(found._id).to.equal(saleId('S001', 'T2', 7));
      const cashier = user('u-sup', ['sale.ring', 'sale.refund'], 1000); // the registry's permission name
      const ret = must(await commitReturn(db, { ...till(), shiftId: shift._id, cashier, receipt: 'S001-T2-7', requests: [{ lineNo: 1, qty: 2, restock: true }], refund: { to: 'original' }, now: LATER }));
      // 2 of 3 x 12.10: 24.20, back to the card first (it paid 20.00), the rest 4.20 in cash.
      expect(ret._id).to.equal('return:S001:T1:00000002');
      expect(ret.receiptNumber).to.equal('S001-T1-2');
      expect(ret.total).to.equal(2420);
      expect(ret.refunds.map((r) => [r.kind, r.amount])).to.deep.equal([['card', 2000], ['cash', 420]]);
      // The next sale continues the same sequence, and the refund slip's number is not a sale.
      expect(must(await ring(db, shift._id, [[B, 1]])).seq).to.equal(3);
      const notSale = await findSale(db, 'S001-T1-2');
      expect(notSale.ok ? null : notSale.error.code).to.equal('not_a_sale');
      // More than what is left is refused; a voided sale cannot be returned.
      const over = await commitReturn(db, { ...till(), shiftId: shift._id, cashier, receipt: 'S001-T2-7', requests: [{ lineNo: 1, qty: 2, restock: true }], refund: { to: 'original' }, now: LATER });
      expect(over.ok ? null : over.error).to.deep.include({ code: 'exceeds_sold', remaining: 1 });
    });

    it('exchanges: a return and a new sale with consecutive numbers pointing at each other', async () => {
      const db = await fresh();
      const shift = await openShift(db);
      const sale = must(await ring(db, shift._id, [[B, 2]])); // 11.00
      const ex = must(
        await commitExchange(db, {
          ...till(), shiftId: shift._id, cashier: MANAGER, cashierId: MANAGER.userId, receipt: sale.receiptNumber,
          requests: [{ lineNo: 1, qty: 2, restock: true }], refund: { to: 'original' }, cart: cartOf([[A, 1]]), catalog: CATALOG,
          tenders: [{ tender: CASH, tendered: money(110) }], now: LATER,
        }),
      );
      expect([ex.ret.seq, ex.sale.seq]).to.deep.equal([2, 3]);
      expect(ex.ret.exchangeSaleId).to.equal(ex.sale._id);
      expect(ex.sale.total).to.equal(1210); // 11.00 credit + 1.10 cash
      expect(must(await ring(db, shift._id, [[B, 1]])).seq).to.equal(4);
    });
  });

  describe('parked sales', () => {
    it('parks carts on this terminal only and recalls each once', async () => {
      const db = await fresh();
      const id1 = randomUUID();
      const id2 = randomUUID();
      await parkSale(db, cartOf([[A, 2]]), { id: id1, storeId: 'S001', terminalId: 'T1', parkedBy: 'u-cashier', now: NOW, label: 'blue jacket' });
      await parkSale(db, cartOf([[B, 1]]), { id: id2, storeId: 'S001', terminalId: 'T1', parkedBy: 'u-cashier', now: LATER });
      const list = await listParked(db);
      expect(list.map((p) => [p.id, p.label ?? null])).to.deep.equal([[id1, 'blue jacket'], [id2, null]]);
      // _local documents never appear among replicated documents.
      const all = await db.allDocs();
      expect(all.rows.some((r) => r.id.includes('parked'))).to.equal(false);
      const cart = must(await recallParked(db, id1));
      expect(cart.lines.map((l) => [l.sku, l.qty])).to.deep.equal([['A', 2]]);
      expect((await listParked(db)).map((p) => p.id)).to.deep.equal([id2]);
      const again = await recallParked(db, id1);
      expect(again.ok ? null : again.error.code).to.equal('not_parked');
    });
  });

  describe('register', () => {
    it('computes the X report from the database and closes with a variance', async () => {
      const db = await fresh();
      const shift = await openShift(db, 'T1', 50000);
      expect((await currentShift(db, till()))?._id).to.equal(shift._id);
      const again = await commitShiftOpen(db, { ...till(), user: CASHIER, openingFloat: money(0), now: NOW });
      expect(again.ok ? null : again.error.code).to.equal('already_open');
      // Sales: 12.10 cash (tendered 20.00), 5.50 card, 2 x 12.10 = 24.20 split 10.00 card + 14.20 cash.
      const s1 = must(await ring(db, shift._id, [[A, 1]], [{ tender: CASH, tendered: money(2000) }]));
      must(await ring(db, shift._id, [[B, 1]], [{ tender: CARD, tendered: money(550), reference: '1111' }]));
      must(await ring(db, shift._id, [[A, 2]], [{ tender: CARD, tendered: money(1000), reference: '2222' }, { tender: CASH, tendered: money(1420) }]));
      // A fourth sale, voided: 5.50 cash.
      const s4 = must(await ring(db, shift._id, [[B, 1]], [{ tender: CASH, tendered: money(550) }]));
      must(await commitVoid(db, { ...till(), shiftId: shift._id, cashier: MANAGER, receipt: s4.receiptNumber, reason: 'x', now: LATER }));
      // Return of sale 1 in cash: 12.10 out of the drawer.
      must(await commitReturn(db, { ...till(), shiftId: shift._id, cashier: MANAGER, receipt: s1.receiptNumber, requests: [{ lineNo: 1, qty: 1, restock: true }], refund: { to: 'original' }, now: LATER }));
      const denied = await commitCashMovement(db, { ...till(), shiftId: shift._id, uuid: randomUUID(), direction: 'out', amount: money(20000), reason: 'safe drop', user: CASHIER, now: LATER });
      expect(denied.ok ? null : denied.error.code).to.equal('approval_required');
      must(await commitCashMovement(db, { ...till(), shiftId: shift._id, uuid: randomUUID(), direction: 'out', amount: money(20000), reason: 'safe drop', user: SUPERVISOR, now: LATER }));

      const x = await xReportOf(db, shift, LATER);
      const f = x.figures;
      expect(x.shiftIds).to.deep.equal([shift._id]);
      expect(f.openingFloat).to.equal(50000);
      expect([f.salesCount, f.grossSales, f.taxTotal, f.salesTotal]).to.deep.equal([3, 1000 + 500 + 2000, 210 + 50 + 420, 1210 + 550 + 2420]);
      expect([f.voidsCount, f.voidsTotal]).to.deep.equal([1, 550]);
      expect([f.returnsCount, f.returnsTotal, f.cashRefunds]).to.deep.equal([1, 1210, 1210]);
      expect(f.tenders.map((t) => [t.tenderId, t.count, t.amount])).to.deep.equal([['tender:card', 2, 1550], ['tender:cash', 2, 2630]]);
      expect([f.cashSales, f.changeGiven, f.cashOut]).to.deep.equal([2630, 790, 20000]);
      // 500.00 + 26.30 - 12.10 - 200.00 = 314.20
      expect(f.expectedCash).to.equal(31420);

      // Counted 314.00: 3 x 100.00 + 1 x 10.00 + 2 x 2.00 -> variance -0.20 (within the 5.00 alert threshold).
      const close = must(await commitShiftClose(db, { ...till(), shiftId: shift._id, counted: { '10000': 3, '1000': 1, '200': 2 }, user: CASHIER, now: LATER }));
      expect([close.countedCash, close.expectedCash, close.variance, close.alert]).to.deep.equal([31400, 31420, -20, false]);
      expect(await currentShift(db, till())).to.equal(null);
      const twice = await commitShiftClose(db, { ...till(), shiftId: shift._id, counted: {}, user: CASHIER, now: LATER });
      expect(twice.ok ? null : twice.error.code).to.equal('already_closed');
    });
  });

  describe('the sale journal (a sale on disk before the replica has it)', () => {
    type Doc = { _id: string } & Record<string, unknown>;
    /** The journal's contract in memory (the till's is an IndexedDB database written by a worker, data/saleJournal.ts). */
    const memoryJournal = (db: LocalDb, opts: { failPut?: boolean } = {}) => {
      const entries = new Map<string, Doc>();
      const inReplicaWhenJournaled: boolean[] = [];
      return {
        entries,
        inReplicaWhenJournaled,
        async put(doc: Doc) {
          if (opts.failPut) throw new Error('QuotaExceededError');
          inReplicaWhenJournaled.push(await db.get(doc._id).then(() => true, () => false));
          entries.set(doc._id, structuredClone(doc));
          return 1;
        },
        async remove(id: string) {
          entries.delete(id);
        },
        async list() {
          return [...entries.values()];
        },
      };
    };
    const input = (shiftId: string, journal: SaleInput['journal']): SaleInput => ({ ...till(), shiftId, cashierId: CASHIER.userId, cart: cartOf([[A, 1]]), catalog: CATALOG, tenders: [{ tender: CASH, tendered: money(100000) }], now: NOW, journal });

    it('journals a sale before its put, and takes it out once the replica has it', async () => {
      const db = await fresh();
      const shift = await openShift(db);
      const journal = memoryJournal(db);
      const sale = must(await commitSale(db, input(shift._id, journal)));
      expect(journal.inReplicaWhenJournaled).to.deep.equal([false]);
      expect((await db.get(sale._id))._rev).to.equal(sale._rev);
      await waitFor(() => journal.entries.size === 0, { what: 'the journal emptied' });
    });

    it('leaves nothing in the journal when the replica refuses the sale, and still sells when the journal fails', async () => {
      const db = await fresh();
      const shift = await openShift(db);
      const journal = memoryJournal(db);
      const refusing = new Proxy(db, {
        get: (target, prop, receiver) => (prop === 'put' ? () => Promise.reject(Object.assign(new Error('disk full'), { status: 500 })) : Reflect.get(target, prop, receiver)),
      });
      let thrown: unknown = null;
      await commitSale(refusing, input(shift._id, journal)).catch((err: unknown) => (thrown = err));
      expect(String(thrown)).to.include('disk full');
      expect(journal.inReplicaWhenJournaled).to.have.length(1);
      expect(journal.entries.size).to.equal(0);
      const sale = must(await commitSale(db, input(shift._id, memoryJournal(db, { failPut: true }))));
      expect((await db.get(sale._id))._id).to.equal(sale._id);
    });

    it('replays what a power cut left in the journal into the replica, once', async () => {
      const db = await fresh();
      const shift = await openShift(db);
      // Sale 1 reached the replica before the cut (its journal entry not yet removed); sale 2 did not.
      const { _rev: keptRev, ...kept } = must(await commitSale(db, input(shift._id, null)));
      const lost = must(buildSale({ ...input(shift._id, null), seq: kept.seq + 1, now: NOW }));
      const journal = memoryJournal(db);
      journal.entries.set(kept._id, kept);
      journal.entries.set(lost._id, lost as unknown as Doc);
      const puts: string[] = [];
      const put = (doc: Doc) => {
        puts.push(doc._id);
        return db.put(doc);
      };
      expect(await replayJournal(db, journal, put)).to.deep.equal({ listed: 2, written: 1, kept: 0 });
      expect(puts).to.deep.equal([lost._id]);
      expect((await db.get(kept._id))._rev).to.equal(keptRev);
      expect((await db.get(lost._id))._rev).to.match(/^1-/);
      expect(journal.entries.size).to.equal(0);
      expect(await replayJournal(db, journal, put)).to.deep.equal({ listed: 0, written: 0, kept: 0 });
    });

    it('never drops a journaled sale whose receipt number the replica holds for another sale', async () => {
      const db = await fresh();
      const shift = await openShift(db);
      // A start whose replay failed let the till sell number 1 again: the replica's sale 1 is not the journal's.
      const journaledFirst = must(buildSale({ ...input(shift._id, null), seq: 1, now: '2026-03-14T09:00:00.000Z' }));
      const soldAgain = must(await commitSale(db, { ...input(shift._id, null), now: '2026-03-14T10:30:00.000Z' }));
      expect(soldAgain._id).to.equal(journaledFirst._id);
      const journal = memoryJournal(db);
      journal.entries.set(journaledFirst._id, journaledFirst as unknown as Doc);
      expect(await replayJournal(db, journal, (doc) => db.put(doc))).to.deep.equal({ listed: 1, written: 0, kept: 1 });
      expect(journal.entries.get(journaledFirst._id)?.createdAt).to.equal('2026-03-14T09:00:00.000Z');
      expect((await db.get<Sale>(soldAgain._id)).createdAt).to.equal('2026-03-14T10:30:00.000Z');
    });

    it('keeps the journal when the replica cannot be read', async () => {
      const db = await fresh();
      const journal = memoryJournal(db);
      journal.entries.set('sale:S001-T1-000009', { _id: 'sale:S001-T1-000009' });
      const broken = new Proxy(db, {
        get: (target, prop, receiver) => (prop === 'get' ? () => Promise.reject(Object.assign(new Error('IndexedDB closed'), { status: 500 })) : Reflect.get(target, prop, receiver)),
      });
      let thrown: unknown = null;
      await replayJournal(broken, journal, (doc) => db.put(doc)).catch((err: unknown) => (thrown = err));
      expect(String(thrown)).to.include('IndexedDB closed');
      expect(journal.entries.size).to.equal(1);
    });

    /** A worker as the browser gives one, but that never answers (hung) or whose script failed to load. */
    const deadWorker = () => {
      const w = { posted: 0, terminated: 0, onmessage: null, onerror: null, onmessageerror: null } as JournalWorker & { posted: number; terminated: number };
      w.postMessage = () => void (w.posted += 1);
      w.terminate = () => void (w.terminated += 1);
      return w;
    };
    const quietly = async <T>(fn: () => Promise<T>): Promise<T> => {
      const error = console.error;
      console.error = () => undefined;
      try {
        return await fn();
      } finally {
        console.error = error;
      }
    };

    it("sells through the replica when the journal's worker never answers: one sale waits out the deadline, the next ones do not ask", async () => {
      const db = await fresh();
      const shift = await openShift(db);
      const worker = deadWorker();
      const journal = openSaleJournal(db.name, () => worker);
      const first = await quietly(async () => {
        const t0 = performance.now();
        const sale = must(await commitSale(db, input(shift._id, journal)));
        return { sale, ms: performance.now() - t0 };
      });
      expect(first.ms).to.be.at.least(JOURNAL_DEADLINE_MS.put - 50);
      expect((await db.get(first.sale._id))._rev).to.equal(first.sale._rev);
      expect(worker.terminated).to.equal(1);
      const posted = worker.posted;
      const second = must(await commitSale(db, input(shift._id, journal)));
      expect(second.seq).to.equal(first.sale.seq + 1);
      expect(worker.posted).to.equal(posted);
      let listed: unknown = null;
      await journal!.list().catch((err: unknown) => (listed = err));
      expect(String(listed)).to.include('no answer to put');
    });

    it('refuses at once, without waiting, once the worker reports an error (its script did not load)', async () => {
      const worker = deadWorker();
      const journal = openSaleJournal('replica', () => worker)!;
      await quietly(async () => worker.onerror!({ message: 'Failed to fetch a worker script' } as ErrorEvent));
      const t0 = performance.now();
      let thrown: unknown = null;
      await journal.put({ _id: 'sale:S001:T1:00000001' }).catch((err: unknown) => (thrown = err));
      expect(performance.now() - t0).to.be.below(100);
      expect(String(thrown)).to.include('Failed to fetch a worker script');
      expect(worker.posted).to.equal(0);
    });
  });
});
