// Every view, filter and validate_doc_update of every database kind, run as the server would run them:
// compiled from the folders, evaluated from source strings in a fresh `vm` context (no Node globals),
// with an emit collector. The same functions are loaded into the embedded server in deploy.test.ts.
import { expect } from 'chai';
import vm from 'node:vm';
import { compileDesignDocs, functionSource, KIND_FOLDERS } from './deploy';
import { MAP_TYPES } from './trusted';
import type { DbKind, DesignDoc } from './deploy';
import { terminalPullSelector, upstreamSelector, catalogPullSelector, storePullSelector } from '../shared/sync/selectors';
import { matchesSelector } from 'pouchdb-selector-core';
import * as fx from '../scripts/seed/documents';
import type { CajaDoc } from '../shared/model/types';

type Row = [unknown, unknown];
type Fn = (...args: unknown[]) => unknown;

/** Evaluates a function source in a sandbox whose only global is `emit`, as CouchDB's query server does. */
function load(source: string, rows: Row[] = []): Fn {
  const ctx = vm.createContext({ emit: (k: unknown, v: unknown) => rows.push([k, v]) });
  return vm.runInContext('(' + source + ')', ctx) as Fn;
}

const ddocs = new Map<DbKind, DesignDoc[]>();
async function ddocsOf(kind: DbKind): Promise<DesignDoc[]> {
  if (!ddocs.has(kind)) ddocs.set(kind, await compileDesignDocs(kind));
  return ddocs.get(kind)!;
}

async function view(kind: DbKind, name: string): Promise<{ map: string; reduce?: string }> {
  for (const d of await ddocsOf(kind)) if (d.views && d.views[name]) return d.views[name];
  throw new Error('no view ' + name + ' in ' + kind);
}

/** The rows a view's map emits over docs, each row as [key, value, docId], in document order. */
async function emitted(kind: DbKind, name: string, docs: unknown[]): Promise<[unknown, unknown, string][]> {
  const out: [unknown, unknown, string][] = [];
  const rows: Row[] = [];
  const map = load((await view(kind, name)).map, rows);
  for (const d of docs) {
    rows.length = 0;
    // CouchDB hands each map call a deep copy; so do we, to catch a map that mutates its input.
    map(JSON.parse(JSON.stringify(d)));
    for (const [k, v] of rows) out.push([k, v, (d as { _id: string })._id]);
  }
  return out;
}

/** `_sum` grouped by exact key (group=true), the way the report code reads these views. */
function sumByKey(rows: [unknown, unknown, string][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of rows) out[JSON.stringify(k)] = (out[JSON.stringify(k)] ?? 0) + (v as number);
  return out;
}

async function validator(kind: DbKind): Promise<Fn> {
  const d = (await ddocsOf(kind)).find((x) => x.validate_doc_update);
  if (!d) throw new Error('no validate_doc_update for ' + kind);
  return load(d.validate_doc_update!);
}

/** Runs validate_doc_update; returns the thrown object, or null when the write is accepted. */
function decide(fn: Fn, newDoc: unknown, oldDoc: unknown, userCtx: unknown): unknown {
  try {
    fn(JSON.parse(JSON.stringify(newDoc)), oldDoc ? JSON.parse(JSON.stringify(oldDoc)) : null, userCtx, {});
    return null;
  } catch (e) {
    return e;
  }
}

const ADMIN = { name: 'relay', roles: ['_admin'], db: 'caja-store' };
const store = (code: string, db: string) => ({ name: 'store:' + code, roles: ['caja-store', 'store:' + code], db });
const terminal = (code: string, tid: string) => ({ name: `terminal:${code}:${tid}`, roles: ['caja-terminal', 'store:' + code, `terminal:${code}:${tid}`], db: 'caja-store' });

describe('design-docs: compiled design documents', () => {
  it('compiles every kind, each ddoc once, with a content hash', async () => {
    for (const kind of Object.keys(KIND_FOLDERS) as DbKind[]) {
      const docs = await ddocsOf(kind);
      expect(new Set(docs.map((d) => d._id)).size).to.equal(docs.length);
      for (const d of docs) expect(d.caja_hash).to.match(/^[0-9a-f]{32}$/);
      expect(docs.filter((d) => d.validate_doc_update)).to.have.length(1);
    }
    const names = (await ddocsOf('hq-store')).map((d) => d._id).sort();
    expect(names).to.deep.equal([
      '_design/caja_filters', '_design/caja_validate', '_design/conflicts', '_design/credit_balance', '_design/docs_by_type', '_design/ledger_by_date', '_design/open_shifts',
      '_design/receipts_by_number', '_design/returned_qty_milli', '_design/sales_by_date', '_design/sales_by_hour', '_design/sales_totals',
      '_design/stock_milli', '_design/voids_by_date',
    ]);
    expect(await compileDesignDocs('catalog')).to.equal(await compileDesignDocs('catalog')); // compiled once
  });

  it('strips comments before the function (PouchDB evaluates `return <source>`)', () => {
    expect(functionSource('// a\n/* b */\n  function (doc) { emit(1, 2); };\n', 'x')).to.equal('function (doc) { emit(1, 2); }');
    expect(() => functionSource('emit(1)', 'x.js')).to.throw(/x.js/);
  });

  it('the validator bundle uses no Node or DOM globals and no require', async () => {
    const src = (await ddocsOf('relay-store')).find((d) => d.validate_doc_update)!.validate_doc_update!;
    expect(src).to.not.match(/\brequire\(|\bprocess\.|\bBuffer\b|\bwindow\.|\bIntl\./);
    // a context with nothing but the language built-ins evaluates it
    expect(typeof vm.runInContext('(' + src + ')', vm.createContext({}))).to.equal('function');
  });
});

describe('design-docs: views', () => {
  it('products_by_barcode and products_by_department', async () => {
    const docs = [fx.product('A1', ['7501234567893', '123']), fx.product('B2', []), fx.department()];
    expect(await emitted('catalog', 'products_by_barcode', docs)).to.deep.equal([
      ['7501234567893', 'A1', 'product:A1'],
      ['123', 'A1', 'product:A1'],
    ]);
    expect(await emitted('catalog', 'products_by_department', docs)).to.deep.equal([
      [['department:FRUIT', 'A1'], null, 'product:A1'],
      [['department:FRUIT', 'B2'], null, 'product:B2'],
    ]);
    expect((await view('catalog', 'products_by_department')).reduce).to.equal('_count');
  });

  it('sales_by_date (_stats) and sales_totals (_sum of [count, total, tax, discount])', async () => {
    const docs = [fx.sale(1), fx.sale(2, 'S001', 'T2'), fx.returnDoc(), fx.voidOf()];
    expect(await emitted('hq-store', 'sales_by_date', docs)).to.deep.equal([
      [['S001', '2024-05-01'], 1100, 'sale:S001:T1:00000001'],
      [['S001', '2024-05-01'], 1100, 'sale:S001:T2:00000002'],
    ]);
    expect((await view('hq-store', 'sales_by_date')).reduce).to.equal('_stats');
    expect(await emitted('relay-store', 'sales_totals', docs)).to.deep.equal([
      [['S001', '2024-05-01', 'T1'], [1, 1100, 152, 50], 'sale:S001:T1:00000001'],
      [['S001', '2024-05-01', 'T2'], [1, 1100, 152, 50], 'sale:S001:T2:00000002'],
    ]);
    expect(await emitted('hq-store', 'voids_by_date', docs)).to.deep.equal([
      [['S001', '2024-05-01', 'T2'], [1, 1100], 'void:sale:S001:T1:00000001'],
    ]);
  });

  it('receipts_by_number and returned_qty_milli', async () => {
    const docs = [fx.sale(1), fx.returnDoc(2), fx.voidOf(), fx.shift()];
    expect(await emitted('hq-store', 'receipts_by_number', docs)).to.deep.equal([
      ['S001-T1-1', 'sale', 'sale:S001:T1:00000001'],
      ['S001-T1-2', 'return', 'return:S001:T1:00000002'],
      ['S001-T1-1', 'void', 'void:sale:S001:T1:00000001'],
    ]);
    const second = { ...fx.returnDoc(3), lines: [{ ...fx.returnDoc().lines[1]!, qty: 0.001 }] };
    const rows = await emitted('hq-store', 'returned_qty_milli', [fx.returnDoc(2), second]);
    expect(rows).to.deep.equal([
      [['sale:S001:T1:00000001', 1], 1000, 'return:S001:T1:00000002'],
      [['sale:S001:T1:00000001', 2], 333, 'return:S001:T1:00000002'],
      [['sale:S001:T1:00000001', 2], 1, 'return:S001:T1:00000003'],
    ]);
    expect(sumByKey(rows)).to.deep.equal({ '["sale:S001:T1:00000001",1]': 1000, '["sale:S001:T1:00000001",2]': 334 });
  });

  it('stock_milli adds up over moves, sales, voids, returns, transfers and receipts', async () => {
    const docs: CajaDoc[] = [
      fx.move(), // +10 A1, +2.5 W1
      fx.sale(1), // -2 A1, -0.333 W1
      fx.sale(2), // -2 A1, -0.333 W1
      fx.voidOf(fx.sale(2)), // +2 A1, +0.333 W1
      fx.returnDoc(3), // +1 A1 restocked; W1 not restocked
      fx.transfer('S001', 'S002'), // -3 A1 at S001
      fx.transferReceipt('S001', 'S002'), // +3 A1 at S002
      fx.customer(), fx.shift(),
    ];
    const rows = await emitted('hq-store', 'stock_milli', docs);
    expect(rows).to.have.length(11);
    expect(rows.slice(0, 4)).to.deep.equal([
      [['S001', 'product:A1'], 10000, 'move:S001:m-1'],
      [['S001', 'product:W1'], 2500, 'move:S001:m-1'],
      [['S001', 'product:A1'], -2000, 'sale:S001:T1:00000001'],
      [['S001', 'product:W1'], -333, 'sale:S001:T1:00000001'],
    ]);
    expect(sumByKey(rows)).to.deep.equal({
      '["S001","product:A1"]': 10000 - 2000 - 2000 + 2000 + 1000 - 3000,
      '["S001","product:W1"]': 2500 - 333 - 333 + 333,
      '["S002","product:A1"]': 3000,
    });
    expect((await view('relay-store', 'stock_milli')).reduce).to.equal('_sum');
  });

  it('open_shifts: a shift without its close sums to 1', async () => {
    const rows = await emitted('relay-store', 'open_shifts', [fx.shift(1), fx.shift(2), fx.shiftClose(1), fx.shift(1, 'S001', 'T2')]);
    expect(sumByKey(rows)).to.deep.equal({
      '["S001","T1","shift:S001:T1:00000001"]': 0,
      '["S001","T1","shift:S001:T1:00000002"]': 1,
      '["S001","T2","shift:S001:T2:00000001"]': 1,
    });
  });

  it('credit_balance: _sum of signed entries per holder, and nothing from an old customer\'s storeCredit field', async () => {
    const ana = 'customer:cust-1';
    const card = 'giftcard:6001002003';
    const refund = { ...fx.credit(), _id: 'credit:customer:cust-1:S001:T1:return-00000002-0', amount: 1200, reason: 'refund', returnId: 'return:S001:T1:00000002' };
    delete (refund as { saleId?: string }).saleId;
    const docs: unknown[] = [
      refund, // +12.00 to Ana (a return to store credit)
      fx.credit(3), // -5.00 (sale 3 paid with it)
      { ...fx.credit(4, 'S002', 'T2') }, // -5.00 at another store, routed in
      fx.giftCardIssue(), // +50.00 on a gift card
      { ...fx.customer(), storeCredit: 999999 }, // an old customer: its field is not money any more
      fx.sale(), fx.returnDoc(),
    ];
    const rows = await emitted('hq-store', 'credit_balance', docs);
    expect(rows).to.deep.equal([
      [ana, 1200, 'credit:customer:cust-1:S001:T1:return-00000002-0'],
      [ana, -500, 'credit:customer:cust-1:S001:T1:sale-00000003-0'],
      [ana, -500, 'credit:customer:cust-1:S002:T2:sale-00000004-0'],
      [card, 5000, 'credit:giftcard:6001002003:S001:T1:g-1'],
    ]);
    expect(sumByKey(rows)).to.deep.equal({ [JSON.stringify(ana)]: 200, [JSON.stringify(card)]: 5000 });
    for (const kind of ['hq-store', 'relay-store'] as const) expect((await view(kind, 'credit_balance')).reduce).to.equal('_sum');
  });

  it('docs_by_type and conflicts', async () => {
    expect(await emitted('catalog', 'docs_by_type', [fx.product(), { _id: 'x' }, fx.department()])).to.deep.equal([
      ['product', null, 'product:A1'],
      ['department', null, 'department:FRUIT'],
    ]);
    expect((await view('catalog', 'docs_by_type')).reduce).to.equal('_count');
    expect(await emitted('hq-store', 'conflicts', [fx.customer(), { ...fx.customer(), _id: 'customer:c2', _conflicts: ['2-b'] }])).to.deep.equal([
      ['customer:c2', ['2-b'], 'customer:c2'],
    ]);
  });
});

describe('design-docs: filters and selectors', () => {
  it('by_type JS filter', async () => {
    const f = load((await ddocsOf('relay-store')).find((d) => d.filters)!.filters!.by_type!);
    const req = { query: { type: 'sale,void' } };
    expect(f(fx.sale(), req)).to.equal(true);
    expect(f(fx.voidOf(), req)).to.equal(true);
    expect(f(fx.product(), req)).to.equal(false);
    expect(f({ _id: 'x', _deleted: true }, req)).to.equal(false);
    expect(f(fx.sale(), { query: {} })).to.equal(false);
  });

  it('selectors name types, so design documents never replicate', () => {
    const upstream = ['sale', 'void', 'return', 'shift', 'shiftclose', 'cash', 'zreport', 'move', 'transfer', 'receipt', 'credit', 'customer', 'audit'];
    // The `_id` condition restates the types (ids start with their type) so a server can skip other ids unread.
    expect(upstreamSelector()).to.deep.equal({ _id: { $regex: `^(${upstream.join('|')}):` }, type: { $in: upstream } });
    expect(matchesSelector(fx.sale(), upstreamSelector())).to.equal(true);
    expect(matchesSelector(fx.product(), upstreamSelector())).to.equal(false);
    expect(matchesSelector(fx.sale(), catalogPullSelector())).to.equal(false);
    // Every catalog type comes down to every store and its terminals, sales reps included (issue #12).
    for (const doc of [fx.salesrep(), fx.supplier(), fx.department()]) {
      expect(matchesSelector(doc, catalogPullSelector()), doc._id).to.equal(true);
      expect(matchesSelector(doc, terminalPullSelector('S001', '2024-04-01')), doc._id).to.equal(true);
    }
    // Store-down: HQ's documents for the store and what was routed in, never the store's own sales back.
    const down = storePullSelector('S001');
    const pick = (doc: object) => matchesSelector(doc, down);
    expect(pick({ _id: 'price:A1', type: 'price', storeId: 'S001' })).to.equal(true);
    expect(pick({ _id: 'user:u1', type: 'user', storeId: 'S001', _deleted: true })).to.equal(true); // a tombstone that keeps its type
    expect(pick({ _id: 'config:hq', type: 'config', storeId: 'S001' })).to.equal(true);
    expect(pick(fx.transfer('S002', 'S001'))).to.equal(true);
    expect(pick(fx.transfer('S001', 'S002'))).to.equal(false);
    expect(pick(fx.transferReceipt('S001', 'S002'))).to.equal(true); // S002's receipt for S001's transfer
    expect(pick(fx.transferReceipt('S002', 'S001'))).to.equal(false); // S001's own receipt
    expect(pick(fx.sale(1, 'S001'))).to.equal(false);
    expect(pick({ _id: '_design/x', views: {} })).to.equal(false);
    // A user document (it carries a PIN hash) comes down only to the store it names, tombstones included.
    expect(pick({ ...fx.user('S002') })).to.equal(false);
    expect(pick({ _id: 'user:u1', type: 'user', storeId: 'S002', _deleted: true })).to.equal(false);
    expect(pick(fx.user('S001'))).to.equal(true);
    expect(pick(fx.customer())).to.equal(true);
    // Credit entries written at another store (routed by HQ) come down; the store's own do not come back.
    expect(pick(fx.credit(1, 'S002', 'T1'))).to.equal(true);
    expect(pick(fx.credit(1, 'S001', 'T1'))).to.equal(false);
    const t = terminalPullSelector('S001', '2024-04-01');
    expect(JSON.stringify(t)).to.contain('{"businessDate":{"$gte":"2024-04-01"}}'.slice(1, -1));
    // A balance is the sum of every entry: credit comes to the terminal whatever its age or store.
    expect(matchesSelector(fx.credit(1, 'S002', 'T1'), t)).to.equal(true);
    expect(matchesSelector({ ...fx.giftCardIssue(), createdAt: '2019-01-01T00:00:00.000Z' }, t)).to.equal(true);
    expect(matchesSelector({ ...fx.sale(), businessDate: '2024-03-31' }, t)).to.equal(false);
    expect(matchesSelector(fx.user('S002'), t)).to.equal(false);
    expect(() => terminalPullSelector('s1', '2024-04-01')).to.throw(RangeError);
  });
});

describe('design-docs: validate_doc_update', () => {
  it('refuses a store writing another store\'s sale (hq-store)', async () => {
    const v = await validator('hq-store');
    expect(decide(v, fx.sale(), null, store('S001', 'caja-store-s001'))).to.equal(null);
    expect(decide(v, fx.sale(1, 'S002'), null, store('S001', 'caja-store-s001'))).to.deep.equal({
      forbidden: 'store S001 may not write sale sale:S002:T1:00000001 (storeId "S002")',
    });
    expect(decide(v, fx.sale(1, 'S002'), null, store('S001', 'caja-store-s002'))).to.deep.equal({
      forbidden: 'store S001 may not write the database of store S002',
    });
    expect(decide(v, fx.price(), null, store('S001', 'caja-store-s001'))).to.deep.equal({
      forbidden: 'a store may not write price documents (HQ writes them)',
    });
    expect(decide(v, fx.price(), null, { name: 'hq', roles: ['_admin'], db: 'caja-store-s001' })).to.equal(null);
  });

  it('refuses editing a sale, even by _admin, but lets replication re-deliver it', async () => {
    const v = await validator('hq-store');
    const old = { ...fx.sale(), _rev: '1-a', _revisions: { start: 1, ids: ['a'] } };
    const edited = { ...fx.sale(), _rev: '1-a', total: 1 };
    const reason = { forbidden: 'sale sale:S001:T1:00000001 is immutable: ledger documents are never edited (write a new document)' };
    expect(decide(v, edited, old, store('S001', 'caja-store-s001'))).to.deep.equal(reason);
    expect(decide(v, edited, old, { roles: ['_admin'], db: 'caja-store-s001' })).to.deep.equal(reason);
    expect(decide(v, { ...fx.sale(), _rev: '2-b' }, old, { roles: ['_admin'], db: 'caja-store-s001' })).to.equal(null);
    expect(decide(v, { _id: old._id, _rev: '1-a', _deleted: true }, old, store('S001', 'caja-store-s001'))).to.deep.equal({
      forbidden: 'sale sale:S001:T1:00000001 is a ledger document and cannot be deleted',
    });
  });

  it('refuses a terminal writing another terminal\'s sale (relay-store)', async () => {
    const v = await validator('relay-store');
    expect(decide(v, fx.sale(1, 'S001', 'T1'), null, terminal('S001', 'T1'))).to.equal(null);
    expect(decide(v, fx.sale(1, 'S001', 'T2'), null, terminal('S001', 'T1'))).to.deep.equal({
      forbidden: 'terminal S001:T1 may not write sale sale:S001:T2:00000001 of terminal T2',
    });
    expect(decide(v, fx.zreport(), null, terminal('S001', 'T1'))).to.deep.equal({ forbidden: 'a terminal may not write zreport documents' });
    // the relay process itself writes downstream copies and the day close
    for (const d of [fx.product(), fx.config(), fx.zreport(), fx.transfer('S002', 'S001')]) expect(decide(v, d, null, ADMIN), d._id).to.equal(null);
  });

  it('refuses a member writing the catalog, and allows the relay\'s admin copies', async () => {
    const v = await validator('catalog');
    expect(decide(v, fx.product(), null, store('S001', 'caja-catalog'))).to.deep.equal({ forbidden: 'only HQ writes the catalog' });
    expect(decide(v, fx.product(), null, terminal('S001', 'T1'))).to.deep.equal({ forbidden: 'only HQ writes the catalog' });
    expect(decide(v, fx.product(), null, { name: 'hq', roles: ['_admin'], db: 'caja-catalog' })).to.equal(null);
    expect(decide(v, fx.product(), { ...fx.product(), price: 1, _rev: '1-a' }, ADMIN)).to.equal(null); // catalog docs are editable
  });

  it('credit entries: a terminal writes only its own, nobody edits or deletes one', async () => {
    const relay = await validator('relay-store');
    const hqStore = await validator('hq-store');
    expect(decide(relay, fx.credit(), null, terminal('S001', 'T1'))).to.equal(null);
    expect(decide(relay, fx.credit(), null, terminal('S001', 'T2'))).to.deep.equal({
      forbidden: 'terminal S001:T2 may not write credit credit:customer:cust-1:S001:T1:sale-00000001-0 of terminal T1',
    });
    expect(decide(hqStore, fx.credit(1, 'S002', 'T1'), null, store('S001', 'caja-store-s001'))).to.deep.equal({
      forbidden: 'store S001 may not write credit credit:customer:cust-1:S002:T1:sale-00000001-0 (storeId "S002")',
    });
    const old = { ...fx.credit(), _rev: '1-a' };
    expect(decide(relay, { ...old, amount: -1 }, old, terminal('S001', 'T1'))).to.deep.equal({
      forbidden: 'credit credit:customer:cust-1:S001:T1:sale-00000001-0 is immutable: ledger documents are never edited (write a new document)',
    });
    expect(decide(hqStore, { _id: old._id, _rev: '1-a', _deleted: true }, old, store('S001', 'caja-store-s001'))).to.deep.equal({
      forbidden: 'credit credit:customer:cust-1:S001:T1:sale-00000001-0 is a ledger document and cannot be deleted',
    });
  });

  it('customers: storeCredit is refused from a till, an old document carrying it still replicates in', async () => {
    const relay = await validator('relay-store');
    const old = { ...fx.customer(), storeCredit: 5000 };
    expect(decide(relay, old, null, terminal('S001', 'T1'))).to.deep.equal({
      forbidden: 'invalid customer customer:cust-1: storeCredit: is no longer a customer field: store credit is the credit ledger (credit documents)',
    });
    expect(decide(relay, old, null, ADMIN)).to.equal(null);
    expect(decide(relay, { ...old, _rev: '2-b', phone: '1' }, { ...old, _rev: '1-a' }, terminal('S001', 'T1'))).to.equal(null);
  });

  it('refuses malformed documents with the validator\'s message', async () => {
    const v = await validator('relay-store');
    expect(decide(v, { ...fx.sale(), total: 1099 }, null, terminal('S001', 'T1'))).to.deep.equal({
      forbidden: 'invalid sale sale:S001:T1:00000001: total: must equal subtotal - discountTotal + taxTotal + rounding (1100); tenders: amounts must add up to total (1100 != 1099)',
    });
    expect(decide(v, { ...fx.cash(), amount: 12.5 }, null, terminal('S001', 'T1'))).to.deep.equal({
      forbidden: 'invalid cash cash:S001:T1:c-1: amount: must be an integer amount of minor units',
    });
  });
});

describe('MAP_TYPES: the types each map emits for (the embedded indexer reads no other ids)', () => {
  it('names maps this build deploys and types that exist, and every map emits for no document of another type', async () => {
    const maps = new Map<string, string>();
    for (const kind of Object.keys(KIND_FOLDERS) as DbKind[]) {
      for (const ddoc of await ddocsOf(kind)) {
        for (const [name, view] of Object.entries((ddoc.views ?? {}) as Record<string, { map?: string }>)) if (view.map) maps.set(name, view.map);
      }
    }
    // Every valid document of every type, each also with the fields any map tests filled in.
    const docs = fx.allValid().flatMap((d) => [d, { ...d, businessDate: '2024-05-01', createdAt: '2024-05-01T12:00:00Z', closedAt: '2024-05-01T20:00:00Z', shiftId: 'shift:S001:T1:1', receiptNumber: 'R-1', amount: 100, customerId: 'customer:C1', barcodes: ['750'], lines: [{ productId: 'product:A1', qty: 1 }] }]);
    const types = new Set(docs.map((d) => d.type));
    for (const [name, listed] of Object.entries(MAP_TYPES)) {
      const source = maps.get(name);
      expect(source, `${name} is deployed`).to.be.a('string');
      for (const t of listed) expect(types.has(t as CajaDoc['type']), `${name}: ${t} is a document type`).to.equal(true);
      const emitting = new Set<string>();
      for (const doc of docs) {
        const rows: Row[] = [];
        load(source as string, rows)(structuredClone(doc));
        if (rows.length) emitting.add(doc.type);
      }
      expect([...emitting].filter((t) => !listed.includes(t)), `${name} emits for unlisted types`).to.deep.equal([]);
      expect(emitting.size, `${name} emits for some listed type`).to.be.greaterThan(0);
    }
  });
});
