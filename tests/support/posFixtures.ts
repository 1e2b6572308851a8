// Catalog, store and users shared by the shared/pos tests. Plain documents as they replicate to a terminal.
import { money, type Money } from '../../shared/money';
import type { Product, Special, StoreConfig, StoreUser, TaxGroup, TaxRate, Tender } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import type { PricingCatalog } from '../../shared/pos/sale';
import type { TotalsContext } from '../../shared/pos/cart';

/** A tax rate document. */
export function rate(code: string, rateBp: number, compound = false, name?: string): TaxRate {
  const n = name ?? `${code} ${rateBp / 100}%`;
  return { _id: `taxrate:${code}`, type: 'taxrate', schema: CURRENT_SCHEMA, code, name: { en: n, es: n }, rateBp, compound };
}

/** A tax group document. */
export function group(code: string, rates: TaxRate[]): TaxGroup {
  return { _id: `taxgroup:${code}`, type: 'taxgroup', schema: CURRENT_SCHEMA, code, name: { en: code, es: code }, rateIds: rates.map((r) => r._id) };
}

export const VAT21 = rate('VAT21', 2100, false, 'VAT 21%');
export const VAT10 = rate('VAT10', 1000, false, 'VAT 10%');
// Quebec 2012: GST 5 %, then QST 9.5 % charged on the price plus GST (a compound tax).
export const GST = rate('GST', 500, false, 'GST 5%');
export const QST = rate('QST', 950, true, 'QST 9.5%');
export const STD = group('STD', [VAT21]);
export const RED = group('RED', [VAT10]);
export const QC = group('QC', [GST, QST]);
export const NONE = group('NONE', []);

export const RATES: Record<string, TaxRate> = Object.fromEntries([VAT21, VAT10, GST, QST].map((r) => [r._id, r]));
export const GROUPS: Record<string, TaxGroup> = Object.fromEntries([STD, RED, QC, NONE].map((g) => [g._id, g]));

/** A product document. */
export function product(sku: string, price: number, opts: { group?: TaxGroup; dept?: string; weighed?: boolean; name?: string } = {}): Product {
  const name = opts.name ?? `Item ${sku}`;
  return {
    _id: `product:${sku}`,
    type: 'product',
    schema: CURRENT_SCHEMA,
    sku,
    name: { en: name, es: `Artículo ${sku}` },
    barcodes: [],
    departmentId: opts.dept ?? 'department:GEN',
    taxGroupId: (opts.group ?? STD)._id,
    price: money(price),
    unit: opts.weighed ? 'kg' : 'each',
    weighed: opts.weighed ?? false,
    active: true,
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
}

/** A tender type document. */
export function tender(code: string, kind: Tender['kind'], extra: Partial<Tender> = {}): Tender {
  const changeable = kind === 'cash' || kind === 'foreign';
  return {
    _id: `tender:${code}`,
    type: 'tender',
    schema: CURRENT_SCHEMA,
    code,
    name: { en: code, es: code },
    kind,
    allowChange: changeable,
    allowOverTender: changeable,
    opensDrawer: changeable,
    active: true,
    ...extra,
  };
}

export const CASH = tender('cash', 'cash', { name: { en: 'Cash', es: 'Efectivo' } });
export const CARD = tender('card', 'card', { name: { en: 'Card', es: 'Tarjeta' } });
export const GIFT = tender('gift', 'giftcard');
export const CREDIT = tender('credit', 'storecredit');
// 1 USD = 20.00 MXN: one US cent is 20 MXN centavos, x 1e6.
export const USD = tender('usd', 'foreign', { currency: 'USD', rateToBase: 20_000_000 });

/** The store of the tests: Mexico City, pesos, tax exclusive unless overridden. */
export function storeConfig(over: Partial<StoreConfig> = {}): StoreConfig {
  return {
    _id: 'config:hq',
    type: 'config',
    schema: CURRENT_SCHEMA,
    storeId: 'S001',
    code: 'S001',
    name: 'Caja Centro',
    address: 'Av. Juárez 10\nCiudad de México',
    timeZone: 'America/Mexico_City',
    currency: 'MXN',
    locale: 'es',
    taxMode: 'exclusive',
    cashRounding: money(0),
    varianceAlert: money(500),
    receiptFooter: { en: 'Thank you!', es: '¡Gracias por su compra!' },
    returnDays: 30,
    ...over,
  };
}

/** A store user with the given permissions and discount limit. */
export function user(userId: string, permissions: string[], discountLimitBp: number): StoreUser {
  return {
    _id: `user:${userId}`,
    type: 'user',
    schema: CURRENT_SCHEMA,
    userId,
    username: userId,
    displayName: userId,
    storeId: 'S001',
    roles: [],
    permissions,
    discountLimitBp,
    pin: null,
    active: true,
  };
}

export const CASHIER = user('u-cashier', ['sale.refund'], 1000);
export const MANAGER = user('u-manager', ['sale.void', 'sale.refund', 'price.override', 'discount.over_limit'], 5000);

/** A special document active all of 2025 in every store unless overridden. */
export function special(code: string, kind: Special['kind'], over: Partial<Special> = {}): Special {
  return {
    _id: `special:${code}`,
    type: 'special',
    schema: CURRENT_SCHEMA,
    code,
    name: { en: code, es: code },
    kind,
    target: {},
    startsAt: '2025-01-01T00:00:00.000Z',
    endsAt: '2026-01-01T00:00:00.000Z',
    active: true,
    ...over,
  };
}

export const NOW = '2025-03-14T18:00:00.000Z'; // 12:00 in Mexico City

/** The pricing catalog of the tests, with the given specials. */
export function catalog(specials: Special[] = []): PricingCatalog {
  return { rates: RATES, groups: GROUPS, specials };
}

/** A totals context for the test store in the given tax mode. */
export function ctx(taxMode: 'exclusive' | 'inclusive' = 'exclusive', specials: Special[] = [], now = NOW): TotalsContext {
  return { taxMode, rates: RATES, groups: GROUPS, specials, storeId: 'S001', now };
}

/** Money from a number of minor units (tests read better with m(1099) than money(1099)). */
export function m(n: number): Money {
  return money(n);
}

/** The value of a successful Result; fails the test with the error otherwise. */
export function must<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`);
  return r.value;
}
