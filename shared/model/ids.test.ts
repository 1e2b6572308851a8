import { expect } from 'chai';
import fc from 'fast-check';
import {
  auditId, cashId, customerId, ean13CheckDigit, isValidEan13, moveId, ownerOf, parseAuditId, parseCashId,
  parseReceiptNumber, parseReturnId, parseSaleId, parseShiftCloseId, parseShiftId, parseTransferArrivalId, parseVoidId,
  parseZreportId, productId, receiptNumber, returnId, saleId, shiftCloseId, shiftId, transferId,
  transferArrivalId, userDocId, priceId, voidId, zreportId, catalogId, splitId, parseMoveId, parseTransferId, parseCustomerId,
} from './ids';
import { hqStoreDbName, storeCodeOfDbName } from './names';

const storeArb = fc.stringMatching(/^[A-Z0-9]{2,12}$/);
const terminalArb = fc.integer({ min: 0, max: 9999 }).map((n) => 'T' + n);
const seqArb = fc.integer({ min: 1, max: 99999999 });

describe('ids', () => {
  it('builds the documented ids', () => {
    expect(productId('A-1')).to.equal('product:A-1');
    expect(catalogId('department', 'FRUIT')).to.equal('department:FRUIT');
    expect(userDocId('u1')).to.equal('user:u1');
    expect(priceId('A1')).to.equal('price:A1');
    expect(saleId('S001', 'T1', 42)).to.equal('sale:S001:T1:00000042');
    expect(receiptNumber('S001', 'T1', 42)).to.equal('S001-T1-42');
    expect(voidId('sale:S001:T1:00000042')).to.equal('void:sale:S001:T1:00000042');
    expect(returnId('S001', 'T1', 43)).to.equal('return:S001:T1:00000043');
    expect(shiftId('S001', 'T1', 3)).to.equal('shift:S001:T1:00000003');
    expect(shiftCloseId('shift:S001:T1:00000003')).to.equal('shiftclose:shift:S001:T1:00000003');
    expect(cashId('S001', 'T1', 'abc')).to.equal('cash:S001:T1:abc');
    expect(zreportId('S001', '2024-05-01')).to.equal('zreport:S001:2024-05-01');
    expect(moveId('S001', 'u')).to.equal('move:S001:u');
    expect(transferId('S001', 'u')).to.equal('transfer:S001:u');
    expect(transferArrivalId('transfer:S001:u')).to.equal('receipt:transfer:S001:u');
    expect(customerId('9b2c')).to.equal('customer:9b2c');
    expect(auditId('hq', '2024-05-01T10:00:00.000Z', 'x')).to.equal('audit:hq:2024-05-01T10:00:00.000Z:x');
  });

  it('refuses malformed parts instead of building a wrong id', () => {
    expect(() => saleId('s001', 'T1', 1)).to.throw(RangeError);
    expect(() => saleId('S001', 'X1', 1)).to.throw(RangeError);
    expect(() => saleId('S001', 'T1', 0)).to.throw(RangeError);
    expect(() => saleId('S001', 'T1', 1.5)).to.throw(RangeError);
    expect(() => saleId('S001', 'T1', 100000000)).to.throw(RangeError);
    expect(() => voidId('sale:S001:T1:1')).to.throw(RangeError);
    expect(() => cashId('S001', 'T1', 'a:b')).to.throw(RangeError);
    expect(() => zreportId('S001', '2024-13-01')).to.throw(RangeError);
    expect(() => productId('_x')).to.throw(RangeError);
  });

  it('sale ids sort in ringing order', () => {
    fc.assert(fc.property(seqArb, seqArb, (a, b) => {
      const ia = saleId('S001', 'T1', a);
      const ib = saleId('S001', 'T1', b);
      expect(ia < ib).to.equal(a < b);
    }));
  });

  it('parsers invert the builders (property)', () => {
    fc.assert(fc.property(storeArb, terminalArb, seqArb, (s, t, n) => {
      expect(parseSaleId(saleId(s, t, n))).to.deep.equal({ storeId: s, terminalId: t, seq: n });
      expect(parseReturnId(returnId(s, t, n))).to.deep.equal({ storeId: s, terminalId: t, seq: n });
      expect(parseShiftId(shiftId(s, t, n))).to.deep.equal({ storeId: s, terminalId: t, seq: n });
      expect(parseReceiptNumber(receiptNumber(s, t, n))).to.deep.equal({ storeId: s, terminalId: t, seq: n });
      expect(parseVoidId(voidId(saleId(s, t, n)))).to.deep.equal({ storeId: s, terminalId: t, seq: n, saleId: saleId(s, t, n) });
      expect(parseShiftCloseId(shiftCloseId(shiftId(s, t, n)))?.shiftId).to.equal(shiftId(s, t, n));
      expect(ownerOf(saleId(s, t, n))).to.deep.equal({ storeId: s, terminalId: t });
      expect(storeCodeOfDbName(hqStoreDbName(s))).to.equal(s);
    }));
  });

  it('parses the other ids and rejects near misses', () => {
    expect(parseCashId('cash:S001:T2:abc')).to.deep.equal({ storeId: 'S001', terminalId: 'T2', uuid: 'abc' });
    expect(parseZreportId('zreport:S001:2024-05-01')).to.deep.equal({ storeId: 'S001', businessDate: '2024-05-01' });
    expect(parseMoveId('move:S001:u')).to.deep.equal({ storeId: 'S001', uuid: 'u' });
    expect(parseTransferId('transfer:S001:u')).to.deep.equal({ storeId: 'S001', uuid: 'u' });
    expect(parseTransferArrivalId('receipt:transfer:S001:u')).to.deep.equal({ transferId: 'transfer:S001:u', fromStoreId: 'S001' });
    expect(parseCustomerId('customer:x-1')).to.deep.equal({ uuid: 'x-1' });
    expect(parseAuditId('audit:S001:2024-05-01T10:00:00.000Z:x')).to.deep.equal({ owner: 'S001', storeId: 'S001', at: '2024-05-01T10:00:00.000Z', uuid: 'x' });
    expect(parseAuditId('audit:hq:2024-05-01T10:00:00Z:x')).to.deep.equal({ owner: 'hq', at: '2024-05-01T10:00:00Z', uuid: 'x' });
    expect(parseSaleId('sale:S001:T1:42')).to.equal(null); // unpadded: not the id of any sale
    expect(parseSaleId('sale:S001:T1:00000042:x')).to.equal(null);
    expect(parseReceiptNumber('S001-T1-042')).to.equal(null);
    expect(parseReceiptNumber('S001-T1')).to.equal(null);
    expect(parseAuditId('audit:hq:yesterday:x')).to.equal(null);
    expect(splitId('product:a:b')).to.deep.equal({ type: 'product', key: 'a:b' });
    expect(storeCodeOfDbName('caja-store')).to.equal(null);
    expect(storeCodeOfDbName('caja-catalog')).to.equal(null);
    expect(storeCodeOfDbName('caja-store-s001')).to.equal('S001');
  });

  it('ownerOf names the writer where the id carries one', () => {
    expect(ownerOf('void:sale:S001:T1:00000001')).to.deep.equal({ storeId: 'S001', terminalId: 'T1' });
    expect(ownerOf('shiftclose:shift:S001:T3:00000001')).to.deep.equal({ storeId: 'S001', terminalId: 'T3' });
    expect(ownerOf('cash:S001:T2:x')).to.deep.equal({ storeId: 'S001', terminalId: 'T2' });
    expect(ownerOf('zreport:S002:2024-05-01')).to.deep.equal({ storeId: 'S002' });
    expect(ownerOf('move:S002:x')).to.deep.equal({ storeId: 'S002' });
    expect(ownerOf('transfer:S002:x')).to.deep.equal({ storeId: 'S002' });
    expect(ownerOf('audit:S002:2024-05-01T10:00:00.000Z:x')).to.deep.equal({ storeId: 'S002' });
    expect(ownerOf('audit:hq:2024-05-01T10:00:00.000Z:x')).to.deep.equal({});
    // The receipt is written by the destination store, which its id does not name.
    expect(ownerOf('receipt:transfer:S001:x')).to.deep.equal({});
    expect(ownerOf('product:A1')).to.deep.equal({});
    expect(ownerOf('customer:x')).to.deep.equal({});
    expect(ownerOf('sale:garbage')).to.deep.equal({});
  });

  it('db names', () => {
    expect(hqStoreDbName('S001')).to.equal('caja-store-s001');
    expect(() => hqStoreDbName('s001')).to.throw(RangeError);
  });

  it('EAN-13 check digits', () => {
    expect(ean13CheckDigit('750123456789')).to.equal(3);
    expect(ean13CheckDigit('400638133393')).to.equal(1); // 4006381333931, a published example
    expect(isValidEan13('4006381333931')).to.equal(true);
    expect(isValidEan13('4006381333932')).to.equal(false);
    expect(isValidEan13('400638133393')).to.equal(false);
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{12}$/), fc.integer({ min: 1, max: 9 }), (body, delta) => {
      const d = ean13CheckDigit(body);
      expect(isValidEan13(body + d)).to.equal(true);
      expect(isValidEan13(body + ((d + delta) % 10))).to.equal(false);
    }));
  });
});
