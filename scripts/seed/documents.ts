// Valid example documents of every type, with hand-checked totals, for tests of the validator, the access
// rules and the design documents. Each builder returns a fresh object, so a test may mutate it.
import type {
  CashMovement, CreditEntry, Customer, Department, Product, Return, Role, Sale, Shift, ShiftClose, Special, StockMovement,
  SalesRep, StoreConfig, StorePrice, StoreUser, Supplier, TaxGroup, TaxRate, Tender, Transfer, TransferArrival, Void,
  ZReport, AuditEntry, CajaDoc,
} from '../../shared/model/types';
import type { Money } from '../../shared/money';
import { auditId, cashId, catalogId, CONFIG_ID, creditId, creditLinkUnique, customerId, giftCardId, moveId, priceId, productId, receiptNumber, returnId, saleId, shiftCloseId, shiftId, transferId, transferArrivalId, userDocId, voidId, zreportId } from '../../shared/model/ids';

const m = (n: number): Money => n as Money;
const T0 = '2024-05-01T15:04:05.000Z';
const name = (en: string) => ({ en, es: en });

/** A valid product (EAN-13 barcode with a correct check digit). */
export function product(sku = 'A1', barcodes = ['7501234567893']): Product {
  return {
    _id: productId(sku), type: 'product', schema: 1, sku, name: name('Apple ' + sku), barcodes,
    departmentId: 'department:FRUIT', taxGroupId: 'taxgroup:STD', price: m(250), unit: 'each', weighed: false,
    active: true, updatedAt: T0,
  };
}

/**
 * A valid sale of S001/T1 (seq 1 unless given): 2 x 2.50 plus 0.333 kg at 15.00/kg (499.5 -> 500) less 0.50,
 * VAT 16 % per line (80 + 72), cash rounding -2: total 11.00, paid 20.00 cash, change 9.00.
 */
export function sale(seq = 1, storeId = 'S001', terminalId = 'T1'): Sale {
  return {
    _id: saleId(storeId, terminalId, seq), type: 'sale', schema: 1, storeId, terminalId, seq,
    receiptNumber: receiptNumber(storeId, terminalId, seq), businessDate: '2024-05-01', createdAt: T0,
    shiftId: shiftId(storeId, terminalId, 1), cashierId: 'u1', currency: 'MXN', taxMode: 'exclusive',
    lines: [
      {
        lineNo: 1, productId: 'product:A1', sku: 'A1', name: name('Apple'), qty: 2, unitPrice: m(250), priceSource: 'base',
        grossAmount: m(500), discounts: [], netAmount: m(500), taxGroupId: 'taxgroup:STD',
        taxes: [{ rateId: 'taxrate:VAT', code: 'VAT', basis: m(500), amount: m(80) }],
      },
      {
        lineNo: 2, productId: 'product:W1', sku: 'W1', name: name('Cheese'), qty: 0.333, unitPrice: m(1500), priceSource: 'base',
        grossAmount: m(500), discounts: [{ kind: 'amount', amount: m(50) }], netAmount: m(450), taxGroupId: 'taxgroup:STD',
        taxes: [{ rateId: 'taxrate:VAT', code: 'VAT', basis: m(450), amount: m(72) }],
      },
    ],
    cartDiscounts: [], subtotal: m(1000), discountTotal: m(50), taxTotal: m(152),
    taxes: [{ rateId: 'taxrate:VAT', code: 'VAT', name: name('VAT'), basis: m(950), amount: m(152) }],
    rounding: m(-2), total: m(1100),
    tenders: [{ tenderId: 'tender:CASH', kind: 'cash', amount: m(1100), tendered: m(2000), change: m(900) }],
    change: m(900), approvals: [],
  };
}

/** A void of `sale()` written at terminal T2 of the same store. */
export function voidOf(s: Sale = sale(), terminalId = 'T2'): Void {
  return {
    _id: voidId(s._id), type: 'void', schema: 1, storeId: s.storeId, terminalId, saleId: s._id,
    receiptNumber: s.receiptNumber, businessDate: s.businessDate, createdAt: T0, shiftId: shiftId(s.storeId, terminalId, 1),
    cashierId: 'u2', reason: 'customer changed mind', total: s.total,
    lines: s.lines.map((l) => ({ productId: l.productId, qty: l.qty })),
    approvals: [{ action: 'sale.void', approvedBy: 'mgr', approvedAt: T0 }],
  };
}

/** A return of one apple (restocked) and the cheese (not restocked) from `sale()`. */
export function returnDoc(seq = 2, storeId = 'S001', terminalId = 'T1'): Return {
  return {
    _id: returnId(storeId, terminalId, seq), type: 'return', schema: 1, storeId, terminalId, seq,
    receiptNumber: receiptNumber(storeId, terminalId, seq), originalSaleId: saleId(storeId, terminalId, 1),
    businessDate: '2024-05-02', createdAt: T0, shiftId: shiftId(storeId, terminalId, 1), cashierId: 'u1',
    lines: [
      { lineNo: 1, productId: 'product:A1', sku: 'A1', qty: 1, amount: m(250), taxes: [{ rateId: 'taxrate:VAT', code: 'VAT', basis: m(250), amount: m(40) }], restock: true },
      { lineNo: 2, productId: 'product:W1', sku: 'W1', qty: 0.333, amount: m(450), taxes: [{ rateId: 'taxrate:VAT', code: 'VAT', basis: m(450), amount: m(72) }], restock: false },
    ],
    taxTotal: m(112), total: m(812),
    refunds: [{ tenderId: 'tender:CASH', kind: 'cash', amount: m(812), tendered: m(812), change: m(0) }],
    approvals: [{ action: 'sale.refund', approvedBy: 'mgr', approvedAt: T0 }],
  };
}

export function shift(n = 1, storeId = 'S001', terminalId = 'T1'): Shift {
  return {
    _id: shiftId(storeId, terminalId, n), type: 'shift', schema: 1, storeId, terminalId, n, openedAt: T0, openedBy: 'u1',
    openingFloat: m(10000), businessDate: '2024-05-01',
  };
}

/** Counted 2 x 50.00 + 3 x 5.00 = 115.00 against 116.00 expected. */
export function shiftClose(n = 1, storeId = 'S001', terminalId = 'T1'): ShiftClose {
  const sid = shiftId(storeId, terminalId, n);
  return {
    _id: shiftCloseId(sid), type: 'shiftclose', schema: 1, storeId, terminalId, shiftId: sid, closedAt: T0, closedBy: 'u1',
    counted: { '5000': 2, '500': 3 }, countedCash: m(11500), expectedCash: m(11600), variance: m(-100), alert: false,
  };
}

export function cash(storeId = 'S001', terminalId = 'T1'): CashMovement {
  return {
    _id: cashId(storeId, terminalId, 'c-1'), type: 'cash', schema: 1, storeId, terminalId, shiftId: shiftId(storeId, terminalId, 1),
    direction: 'out', amount: m(5000), reason: 'safe drop', createdAt: T0, userId: 'u1', approvals: [],
  };
}

export function zreport(storeId = 'S001'): ZReport {
  return {
    _id: zreportId(storeId, '2024-05-01'), type: 'zreport', schema: 1, storeId, businessDate: '2024-05-01', createdAt: T0,
    shiftIds: [shiftId(storeId, 'T1', 1)], totals: { sales: 1100 },
  };
}

export function move(storeId = 'S001'): StockMovement {
  return {
    _id: moveId(storeId, 'm-1'), type: 'move', schema: 1, storeId, reason: 'receive',
    lines: [{ productId: 'product:A1', qty: 10 }, { productId: 'product:W1', qty: 2.5 }], createdAt: T0, userId: 'u1',
  };
}

export function transfer(from = 'S001', to = 'S002'): Transfer {
  return {
    _id: transferId(from, 't-1'), type: 'transfer', schema: 1, storeId: from, fromStoreId: from, toStoreId: to,
    lines: [{ productId: 'product:A1', qty: 3 }], createdAt: T0, userId: 'u1',
  };
}

export function transferReceipt(from = 'S001', to = 'S002'): TransferArrival {
  const t = transferId(from, 't-1');
  return {
    _id: transferArrivalId(t), type: 'receipt', schema: 1, storeId: to, transferId: t,
    lines: [{ productId: 'product:A1', qty: 3 }], createdAt: T0, userId: 'u9',
  };
}

export function customer(): Customer {
  return { _id: customerId('cust-1'), type: 'customer', schema: 1, name: 'Ana', email: 'ana@example.com', taxExempt: null, updatedAt: T0 };
}

/** Ana's store credit paying 5.00 of tender 0 of sale `seq` of S001/T1 (written by that terminal with the sale). */
export function credit(seq = 1, storeId = 'S001', terminalId = 'T1'): CreditEntry {
  const holder = customerId('cust-1');
  return {
    _id: creditId(holder, storeId, terminalId, creditLinkUnique('sale', seq, 0)), type: 'credit', schema: 1, storeId, terminalId,
    customerId: holder, amount: m(-500), reason: 'redeem', saleId: saleId(storeId, terminalId, seq), createdAt: T0, userId: 'u1', approvals: [],
  };
}

/** A gift card of 50.00 issued at a desk (no sale behind it in the fixture): a free-standing entry. */
export function giftCardIssue(storeId = 'S001', terminalId = 'T1', cardNumber = '6001002003', token = 'g-1'): CreditEntry {
  const holder = giftCardId(cardNumber);
  return {
    _id: creditId(holder, storeId, terminalId, token), type: 'credit', schema: 1, storeId, terminalId, giftCardId: holder,
    amount: m(5000), reason: 'issue', createdAt: T0, userId: 'u1', approvals: [],
  };
}

export function audit(storeId = 'S001'): AuditEntry {
  return {
    _id: auditId(storeId, T0, 'a-1'), type: 'audit', schema: 1, storeId, at: T0, actor: 'u1', action: 'drawer.open',
    target: 'T1', from: 'T1',
  };
}

export function department(): Department {
  return { _id: catalogId('department', 'FRUIT'), type: 'department', schema: 1, code: 'FRUIT', name: name('Fruit'), parentId: null };
}

export function taxrate(): TaxRate {
  return { _id: catalogId('taxrate', 'VAT'), type: 'taxrate', schema: 1, code: 'VAT', name: name('VAT'), rateBp: 1600, compound: false };
}

export function taxgroup(): TaxGroup {
  return { _id: catalogId('taxgroup', 'STD'), type: 'taxgroup', schema: 1, code: 'STD', name: name('Standard'), rateIds: ['taxrate:VAT'] };
}

export function tender(): Tender {
  return {
    _id: catalogId('tender', 'CASH'), type: 'tender', schema: 1, code: 'CASH', name: name('Cash'), kind: 'cash', allowChange: true,
    allowOverTender: true, opensDrawer: true, active: true,
  };
}

export function supplier(): Supplier {
  return { _id: catalogId('supplier', 'ACME'), type: 'supplier', schema: 1, code: 'ACME', name: 'Acme', active: true };
}

export function salesrep(): SalesRep {
  return { _id: catalogId('salesrep', 'R01'), type: 'salesrep', schema: 1, code: 'R01', name: 'Rosa Méndez', commissionBp: 250, active: true };
}

export function special(): Special {
  return {
    _id: catalogId('special', 'MAY'), type: 'special', schema: 1, code: 'MAY', name: name('May'), kind: 'percent_off',
    target: { departmentIds: ['department:FRUIT'] }, startsAt: T0, endsAt: '2024-05-31T23:59:59.000Z', percentBp: 1000, active: true,
  };
}

export function role(): Role {
  return { _id: catalogId('role', 'cashier'), type: 'role', schema: 1, code: 'cashier', name: name('Cashier'), permissions: ['sale.ring'], discountLimitBp: 500 };
}

export function user(storeId = 'S001'): StoreUser {
  return {
    _id: userDocId('u1'), type: 'user', schema: 1, userId: 'u1', username: 'ana', displayName: 'Ana', storeId, roles: ['role:cashier'],
    permissions: ['sale.ring'], discountLimitBp: 500,
    pin: { algorithm: 'PBKDF2-SHA256', iterations: 100000, salt: 'c2FsdA==', hash: 'aGFzaA==' }, active: true,
  };
}

export function price(storeId = 'S001'): StorePrice {
  return { _id: priceId('A1'), type: 'price', schema: 1, storeId, sku: 'A1', price: m(240), updatedAt: T0 };
}

export function config(storeId = 'S001'): StoreConfig {
  return {
    _id: CONFIG_ID, type: 'config', schema: 1, storeId, code: storeId, name: 'Centro', address: 'Calle 1', timeZone: 'America/Mexico_City',
    currency: 'MXN', locale: 'es', taxMode: 'exclusive', cashRounding: m(5), varianceAlert: m(500),
    receiptFooter: { en: 'Thanks', es: 'Gracias' }, returnDays: 30,
  };
}

/** One valid document of every type. */
export function allValid(): CajaDoc[] {
  return [
    department(), taxrate(), taxgroup(), tender(), supplier(), salesrep(), product(), special(), role(), user(), price(), config(),
    sale(), voidOf(), returnDoc(), shift(), shiftClose(), cash(), zreport(), move(), transfer(), transferReceipt(), credit(), customer(), audit(),
  ];
}
