import { expect } from 'chai';
import fc from 'fast-check';
import { validateDoc, validateSale, VALIDATORS, DOC_TYPES, validateEnvelope } from './validate';
import { authorizeWrite, checkWrite, principalOf, sameContent } from './access';
import type { UserCtx } from './access';
import * as fx from '../../scripts/seed/documents';
import type { CajaDoc } from './types';
import { CURRENT_SCHEMA } from './types';

type Loose = Record<string, unknown>;
const loose = (d: CajaDoc): Loose => JSON.parse(JSON.stringify(d)) as Loose;
const errorsOf = (d: unknown): string => validateDoc(d).join('\n');

const ADMIN: UserCtx = { name: 'hq', roles: ['_admin'], db: 'caja-store-s001' };
const storeCtx = (code: string, db = 'caja-store-' + code.toLowerCase()): UserCtx => ({ name: 'store:' + code, roles: ['caja-store', 'store:' + code], db });
const terminalCtx = (code: string, tid: string): UserCtx => ({
  name: 'terminal:' + code + ':' + tid, roles: ['caja-terminal', 'store:' + code, 'terminal:' + code + ':' + tid], db: 'caja-store',
});

describe('shared/model/validate', () => {
  it('has a validator for every document type', () => {
    expect(Object.keys(VALIDATORS).sort()).to.deep.equal([...DOC_TYPES].sort());
  });

  it('accepts one valid document of every type', () => {
    const docs = fx.allValid();
    expect(docs.map((d) => d.type).sort()).to.deep.equal([...DOC_TYPES].sort());
    for (const d of docs) expect(validateDoc(d), d._id).to.deep.equal([]);
  });

  it('refuses non-objects, unknown types and a bad schema', () => {
    expect(validateDoc(null)).to.deep.equal(['document: must be an object']);
    expect(errorsOf({ ...fx.product(), type: 'gadget' })).to.match(/^type: must be one of/);
    expect(errorsOf({ ...fx.product(), schema: 0 })).to.equal('schema: must be a positive integer');
    expect(errorsOf({ ...fx.product(), schema: 1.5 })).to.equal('schema: must be a positive integer');
    expect(errorsOf({ ...fx.product(), _id: 'department:A1' })).to.match(/_id: must start with product:/);
  });

  it('checks that an id matches the content', () => {
    expect(errorsOf({ ...fx.sale(), seq: 2 })).to.contain('_id: must be sale:S001:T1:00000002');
    expect(errorsOf({ ...fx.sale(), receiptNumber: 'S001-T1-2' })).to.equal('receiptNumber: must be S001-T1-1');
    expect(errorsOf({ ...fx.sale(), storeId: 'S002' })).to.contain('storeId: must be S001 (from the id)');
    expect(errorsOf({ ...fx.product(), sku: 'B2' })).to.equal('_id: must be product:B2 (derived from the content), got product:A1');
    expect(errorsOf({ ...fx.returnDoc(), receiptNumber: 'S001-T1-1' })).to.equal('receiptNumber: must be S001-T1-2');
    expect(errorsOf({ ...fx.voidOf(), receiptNumber: 'S001-T1-9' })).to.equal('receiptNumber: must be the sale receipt number S001-T1-1');
    expect(errorsOf({ ...fx.shiftClose(), shiftId: 'shift:S001:T1:00000002' })).to.contain('_id: must be shiftclose:shift:S001:T1:00000002');
    expect(errorsOf({ ...fx.zreport(), businessDate: '2024-05-02' })).to.contain('_id: must be zreport:S001:2024-05-02');
    expect(errorsOf({ ...fx.audit(), at: '2024-05-01T15:04:06.000Z' })).to.equal('at: must equal the timestamp in the id');
    expect(errorsOf({ ...fx.config(), code: 'S002' })).to.equal('code: must equal storeId');
  });

  it('refuses floats as money and quantities with more than 3 decimals', () => {
    const s = loose(fx.sale());
    s.total = 1100.5;
    expect(errorsOf(s)).to.equal('total: must be an integer amount of minor units');
    const p = loose(fx.product());
    p.price = 2.5;
    expect(errorsOf(p)).to.equal('price: must be an integer amount of minor units');
    const mv = loose(fx.move());
    (mv.lines as Loose[])[1]!.qty = 2.5001;
    expect(errorsOf(mv)).to.equal('lines[1].qty: must be a number with at most 3 decimals');
    (mv.lines as Loose[])[1]!.qty = 0;
    expect(errorsOf(mv)).to.equal('lines[1].qty: must not be zero');
  });

  it('checks the cheap sale totals', () => {
    const bump = (field: string, by: number): string => {
      const s = loose(fx.sale());
      s[field] = (s[field] as number) + by;
      return errorsOf(s);
    };
    expect(bump('subtotal', 1)).to.contain('subtotal: must equal the sum of line grossAmount (1000)');
    expect(bump('discountTotal', 1)).to.contain('discountTotal: must equal subtotal - sum of line netAmount (50)');
    expect(bump('taxTotal', 1)).to.contain('taxTotal: must equal the sum of taxes[].amount (152)');
    expect(bump('rounding', 1)).to.contain('total: must equal subtotal - discountTotal + taxTotal + rounding (1101)');
    expect(bump('change', 1)).to.equal('change: must equal the sum of tender change (900)');
    const gross = loose(fx.sale());
    (gross.lines as Loose[])[1]!.grossAmount = 499;
    expect(errorsOf(gross)).to.contain('lines[1].grossAmount: must be round(qty x unitPrice) = 500');
    const tender = loose(fx.sale());
    (tender.tenders as Loose[])[0]!.amount = 1000;
    expect(errorsOf(tender)).to.contain('tenders[0].amount: must equal tendered - change (1100)');
    const dup = loose(fx.sale());
    (dup.lines as Loose[])[1]!.lineNo = 1;
    expect(errorsOf(dup)).to.equal('lines[1].lineNo: duplicates line 1');
    const empty = loose(fx.sale());
    empty.lines = [];
    expect(errorsOf(empty)).to.contain('lines: must have at least 1 item');
  });

  it('inclusive tax mode leaves tax out of the total', () => {
    const s = loose(fx.sale());
    s.taxMode = 'inclusive';
    expect(errorsOf(s)).to.contain('total: must equal subtotal - discountTotal + rounding (948)');
  });

  it('property: a sale built from random lines with consistent totals validates, and any off-by-one total does not', () => {
    const lineArb = fc.record({
      qty: fc.integer({ min: 1, max: 100000 }).map((n) => n / 1000),
      unit: fc.integer({ min: 0, max: 100000 }),
      disc: fc.integer({ min: 0, max: 100 }),
      taxBp: fc.integer({ min: 0, max: 2500 }),
    });
    fc.assert(fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constantFrom('subtotal', 'total', 'taxTotal', 'discountTotal'), (ls, rounding, exclusive, broken) => {
      const s = loose(fx.sale());
      let subtotal = 0, discount = 0, tax = 0;
      s.lines = ls.map((l, i) => {
        const gross = Math.floor(l.qty * l.unit + 0.5 + 1e-9);
        const d = Math.min(l.disc, gross);
        const taxAmount = Math.round(((gross - d) * l.taxBp) / 10000);
        subtotal += gross; discount += d; tax += taxAmount;
        return {
          lineNo: i + 1, productId: 'product:P' + i, sku: 'P' + i, name: { en: 'p', es: 'p' }, qty: l.qty, unitPrice: l.unit,
          priceSource: 'base', grossAmount: gross, discounts: d ? [{ kind: 'amount', amount: d }] : [], netAmount: gross - d,
          taxGroupId: 'taxgroup:STD', taxes: [{ rateId: 'taxrate:VAT', code: 'VAT', basis: gross - d, amount: taxAmount }],
        };
      });
      const total = Math.max(0, subtotal - discount + (exclusive ? tax : 0) + rounding);
      Object.assign(s, {
        taxMode: exclusive ? 'exclusive' : 'inclusive', subtotal, discountTotal: discount, taxTotal: tax,
        taxes: [{ rateId: 'taxrate:VAT', code: 'VAT', name: { en: 'VAT', es: 'IVA' }, basis: subtotal - discount, amount: tax }],
        rounding: total - (subtotal - discount + (exclusive ? tax : 0)), total,
        tenders: [{ tenderId: 'tender:CASH', kind: 'cash', amount: total, tendered: total + 100, change: 100 }], change: 100,
      });
      expect(validateSale(s)).to.deep.equal([]);
      s[broken] = (s[broken] as number) + 1;
      expect(validateSale(s)).to.not.deep.equal([]);
    }), { numRuns: 200 });
  });

  it('checks returns, voids, shift closes, transfers and receipts', () => {
    const r = loose(fx.returnDoc());
    r.total = 813;
    expect(errorsOf(r)).to.equal('refunds: amounts must add up to total (812 != 813)');
    const v = loose(fx.voidOf());
    delete v.lines;
    expect(errorsOf(v)).to.equal('lines: must be a list');
    v.lines = [];
    expect(errorsOf(v)).to.equal('lines: must have at least 1 item');
    expect(errorsOf({ ...fx.voidOf(), saleId: 'sale:S002:T1:00000001' })).to.contain('saleId: must be a sale of store S001');
    expect(errorsOf({ ...fx.shiftClose(), variance: -99 })).to.equal('variance: must equal countedCash - expectedCash (-100)');
    expect(errorsOf({ ...fx.shiftClose(), counted: { '5000': 2 } })).to.equal('countedCash: must equal the counted denominations (10000)');
    expect(errorsOf({ ...fx.shiftClose(), counted: {}, countedCash: 0, variance: -11600 })).to.equal('');
    expect(errorsOf({ ...fx.cash(), shiftId: 'shift:S001:T2:00000001' })).to.equal('shiftId: must be a shift of the same store and terminal');
    expect(errorsOf({ ...fx.transfer(), toStoreId: 'S001' })).to.equal('toStoreId: must differ from the source store');
    expect(errorsOf({ ...fx.transfer(), fromStoreId: 'S002' })).to.contain('fromStoreId: must equal storeId');
    expect(errorsOf({ ...fx.transferReceipt(), storeId: 'S001' })).to.equal('storeId: must be the destination store, not the source');
  });

  it('checks catalog and store documents', () => {
    expect(errorsOf({ ...fx.product(), unit: 'litre' })).to.equal('unit: must be one of each, kg');
    expect(errorsOf({ ...fx.product(), departmentId: 'FRUIT' })).to.equal('departmentId: must be a department id (department:<key>)');
    expect(errorsOf({ ...fx.taxgroup(), rateIds: ['VAT'] })).to.equal('rateIds[0]: must be a taxrate id');
    expect(errorsOf({ ...fx.role(), discountLimitBp: 10001 })).to.equal('discountLimitBp: must be an integer from 0 to 10000');
    expect(errorsOf({ ...fx.special(), percentBp: undefined })).to.equal('percentBp: must be an integer from 0 to 10000');
    expect(errorsOf({ ...fx.special(), endsAt: '2024-04-01T00:00:00.000Z' })).to.equal('endsAt: must not be before startsAt');
    expect(errorsOf({ ...fx.user(), pin: { algorithm: 'MD5' } })).to.contain('pin.algorithm: must be one of PBKDF2-SHA256');
    expect(errorsOf({ ...fx.user(), pin: null })).to.equal('');
    expect(errorsOf({ ...fx.tender(), kind: 'foreign' })).to.equal('currency: must be an ISO 4217 code\nrateToBase: must be an integer >= 1');
    expect(errorsOf({ ...fx.customer(), updatedAt: 'yesterday' })).to.equal('updatedAt: must be an ISO-8601 UTC timestamp');
  });

  it('checks a sales rep, and `active` on departments, tax rates and tax groups (absent on older ones: active)', () => {
    expect(errorsOf({ ...fx.salesrep(), commissionBp: 10001 })).to.equal('commissionBp: must be an integer from 0 to 10000');
    expect(errorsOf({ ...fx.salesrep(), commissionBp: 2.5 })).to.equal('commissionBp: must be an integer from 0 to 10000');
    expect(errorsOf({ ...fx.salesrep(), active: undefined })).to.equal('active: must be true or false');
    expect(errorsOf({ ...fx.salesrep(), code: 'R02' })).to.equal('_id: must be salesrep:R02 (derived from the content), got salesrep:R01');
    for (const doc of [fx.department(), fx.taxrate(), fx.taxgroup()]) {
      expect(doc).not.to.have.property('active');
      expect(errorsOf({ ...doc, active: false }), doc._id).to.equal('');
      expect(errorsOf({ ...doc, active: 'no' }), doc._id).to.equal('active: must be true or false');
    }
  });

  it('treats a newer schema as opaque but still checks its envelope', () => {
    const future = { ...loose(fx.sale()), schema: CURRENT_SCHEMA + 1, lines: 'compressed' };
    expect(validateDoc(future)).to.deep.equal([]);
    expect(errorsOf({ ...future, storeId: 'S002' })).to.equal('storeId: must be S001 (from the id)');
    expect(validateEnvelope({ ...future, terminalId: 'T2' })).to.deep.equal(['terminalId: must be T1 (from the id)']);
  });

  it('does not validate deletion stubs (authorization decides)', () => {
    expect(validateDoc({ _id: 'sale:S001:T1:00000001', _rev: '1-a', _deleted: true })).to.deep.equal([]);
  });
});

describe('shared/model/access', () => {
  it('reads principals from roles', () => {
    expect(principalOf(ADMIN)).to.deep.equal({ kind: 'admin' });
    expect(principalOf(storeCtx('S001'))).to.deep.equal({ kind: 'store', storeId: 'S001' });
    expect(principalOf(terminalCtx('S001', 'T2'))).to.deep.equal({ kind: 'terminal', storeId: 'S001', terminalId: 'T2' });
    expect(principalOf({ roles: ['caja-hq'] })).to.deep.equal({ kind: 'hq' });
    expect(principalOf({ roles: ['caja-store', 'store:S001', 'store:S002'] }).kind).to.equal('unknown');
    expect(principalOf({ roles: ['caja-terminal', 'store:S001', 'terminal:S002:T1'] }).kind).to.equal('unknown');
    expect(principalOf(null).kind).to.equal('unknown');
  });

  it('catalog: only _admin writes', () => {
    expect(checkWrite('catalog', fx.product(), null, ADMIN)).to.equal(null);
    expect(checkWrite('catalog', fx.product(), null, storeCtx('S001', 'caja-catalog'))).to.equal('only HQ writes the catalog');
    expect(checkWrite('catalog', fx.product(), null, { roles: ['caja-hq'] })).to.equal('only HQ writes the catalog');
    expect(checkWrite('catalog', { _id: '_design/x' }, null, storeCtx('S001'))).to.equal('only admins write design documents');
    // an admin still cannot store a malformed document
    expect(checkWrite('catalog', { ...fx.product(), price: -1 }, null, ADMIN)).to.equal('invalid product product:A1: price: must not be negative');
  });

  it('hq-store: a store writes its own upstream documents only', () => {
    const me = storeCtx('S001');
    for (const d of [fx.sale(), fx.voidOf(), fx.returnDoc(), fx.shift(), fx.shiftClose(), fx.cash(), fx.zreport(), fx.move(), fx.transfer(), fx.transferReceipt('S002', 'S001'), fx.customer(), fx.audit()]) {
      expect(checkWrite('hq-store', d, null, me), d._id).to.equal(null);
    }
    expect(checkWrite('hq-store', fx.sale(1, 'S002'), null, me)).to.equal('store S001 may not write sale sale:S002:T1:00000001 (storeId "S002")');
    expect(checkWrite('hq-store', fx.sale(), null, storeCtx('S002', 'caja-store-s001'))).to.equal('store S002 may not write the database of store S001');
    expect(checkWrite('hq-store', fx.price(), null, me)).to.equal('a store may not write price documents (HQ writes them)');
    expect(checkWrite('hq-store', fx.product(), null, me)).to.equal('a store may not write product documents (HQ writes them)');
    expect(checkWrite('hq-store', fx.sale(), null, terminalCtx('S001', 'T1'))).to.match(/^only HQ and this store write/);
    expect(checkWrite('hq-store', fx.sale(), null, { name: 'x', roles: ['caja-store'], db: 'caja-store-s001' })).to.match(/^not a Caja writer/);
    // HQ routes another store's transfer into this database
    expect(checkWrite('hq-store', fx.transfer('S002', 'S001'), null, ADMIN)).to.equal(null);
    expect(authorizeWrite('hq-store', fx.sale(), null, storeCtx('S001', 'somewhere'))).to.equal('cannot tell which store this database belongs to');
    expect(authorizeWrite('hq-store', fx.sale(), null, storeCtx('S001', 'somewhere'), 'S001')).to.equal(null);
  });

  it('relay-store: a terminal writes its own terminal documents only', () => {
    const t1 = terminalCtx('S001', 'T1');
    for (const d of [fx.sale(), fx.returnDoc(), fx.shift(), fx.shiftClose(), fx.cash(), fx.move(), fx.transfer(), fx.customer(), fx.audit()]) {
      expect(checkWrite('relay-store', d, null, t1), d._id).to.equal(null);
    }
    expect(checkWrite('relay-store', fx.sale(1, 'S001', 'T2'), null, t1)).to.equal('terminal S001:T1 may not write sale sale:S001:T2:00000001 of terminal T2');
    expect(checkWrite('relay-store', fx.sale(1, 'S002', 'T1'), null, t1)).to.match(/^store S001 may not write sale/);
    expect(checkWrite('relay-store', fx.zreport(), null, t1)).to.equal('a terminal may not write zreport documents');
    expect(checkWrite('relay-store', fx.config(), null, t1)).to.equal('a terminal may not write config documents');
    // a void of T1's sale rung up at T2: the void belongs to T2, which wrote it
    expect(checkWrite('relay-store', fx.voidOf(fx.sale(), 'T2'), null, terminalCtx('S001', 'T2'))).to.equal(null);
    expect(checkWrite('relay-store', fx.voidOf(fx.sale(), 'T2'), null, t1)).to.match(/^terminal S001:T1 may not write void/);
    expect(checkWrite('relay-store', fx.zreport(), null, ADMIN)).to.equal(null);
    expect(checkWrite('relay-store', fx.sale(), null, storeCtx('S001'))).to.match(/^only the relay and paired terminals/);
  });

  it('ledger documents are immutable; _admin may only re-write identical content', () => {
    const old = { ...fx.sale(), _rev: '1-a' };
    const edited = { ...fx.sale(), _rev: '1-a', total: 1 };
    const msg = 'sale sale:S001:T1:00000001 is immutable: ledger documents are never edited (write a new document)';
    expect(authorizeWrite('hq-store', edited, old, storeCtx('S001'))).to.equal(msg);
    expect(authorizeWrite('relay-store', edited, old, terminalCtx('S001', 'T1'))).to.equal(msg);
    expect(authorizeWrite('hq-store', edited, old, ADMIN)).to.equal(msg);
    expect(authorizeWrite('hq-store', { ...fx.sale(), _rev: '1-a', _revisions: { start: 1, ids: ['a'] } }, old, ADMIN)).to.equal(null);
    expect(authorizeWrite('hq-store', { ...fx.sale(), _rev: '1-a' }, old, storeCtx('S001'))).to.equal(msg);
    const del = { _id: old._id, _rev: '1-a', _deleted: true };
    expect(authorizeWrite('hq-store', del, old, storeCtx('S001'))).to.equal('sale sale:S001:T1:00000001 is a ledger document and cannot be deleted');
    expect(authorizeWrite('relay-store', del, null, terminalCtx('S001', 'T1'))).to.equal('sale sale:S001:T1:00000001 is a ledger document and cannot be deleted');
    expect(authorizeWrite('hq-store', del, old, ADMIN)).to.equal(null);
    // a deleted ledger doc may be written again (its id is deterministic)
    expect(authorizeWrite('hq-store', fx.sale(), { ...del, _deleted: true }, storeCtx('S001'))).to.equal(null);
  });

  it('customers are the one multi-writer type: edits and deletions allowed', () => {
    const old = { ...fx.customer(), _rev: '1-a' };
    expect(checkWrite('relay-store', { ...old, name: 'Ana B.' }, old, terminalCtx('S001', 'T3'))).to.equal(null);
    expect(checkWrite('hq-store', { ...old, name: 'Ana C.' }, old, storeCtx('S002'))).to.equal(null);
    expect(checkWrite('hq-store', { _id: old._id, _rev: '1-a', _deleted: true }, old, storeCtx('S002'))).to.equal(null);
  });

  it('sameContent ignores CouchDB bookkeeping only', () => {
    expect(sameContent({ _id: 'a', _rev: '1-x', b: { c: 1, d: 2 } }, { b: { d: 2, c: 1 }, _id: 'a', _rev: '2-y', _revisions: {} })).to.equal(true);
    expect(sameContent({ _id: 'a', b: 1 }, { _id: 'b', b: 1 })).to.equal(false);
    expect(sameContent({ _id: 'a', b: [1, 2] }, { _id: 'a', b: [2, 1] })).to.equal(false);
    expect(sameContent({ _id: 'a', n: { _x: 1 } }, { _id: 'a', n: {} })).to.equal(false);
  });
});
