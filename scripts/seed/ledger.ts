// Generated store days for the report tests and the reports bench (issue #13): several stores in different zones and tax modes,
// several terminals and cashiers, every sale built by shared/pos from a seeded catalog (compound IEPS + IVA,
// specials, weighed goods), with line and cart discounts (some over the limit, approved), split, cash, card
// and US-dollar tenders, voids, returns (one of a sale from an earlier month), cash drops, register closes with
// variances (and registers left for the Z to close), stock receipts and damages, transfers with their
// arrivals, a Z for every day but the last few, a sale rung after midnight in the previous day's register,
// and a late terminal whose day reaches the store after that day's Z. Deterministic for a seed.
import { money } from '../../shared/money';
import { moveId, transferArrivalId, transferId } from '../../shared/model/ids';
import type {
  Approval, CashMovement, Product, Return, Sale, SalesRep, Shift, ShiftClose, StockMovement, StoreConfig, TaxGroup, TaxRate, Tender,
  Transfer, TransferArrival, Void, ZReport,
} from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { addItem, emptyCart, setCartDiscount, setLineDiscount, type Cart } from '../../shared/pos/cart';
import { cashMovement, closeShift, openShift, registerFigures } from '../../shared/pos/register';
import { buildReturn, buildVoid } from '../../shared/pos/returns';
import { buildSale, type PricingCatalog } from '../../shared/pos/sale';
import type { TenderInput } from '../../shared/pos/tenders';
import { buildZReport } from '../../shared/pos/zreport';
import { addDays } from '../../shared/reports/periods';
import { generateCatalog } from './catalog';
import { createRng, type Rng } from './prng';

export type LedgerDoc = Sale | Void | Return | Shift | ShiftClose | CashMovement | StockMovement | Transfer | TransferArrival | ZReport;

export interface StoreSpec {
  storeId: string;
  timeZone: string;
  taxMode: 'exclusive' | 'inclusive';
  terminals: string[];
}

export interface ChainData {
  /** Every document in the order a chain would write them (a day's Z after that day). */
  docs: LedgerDoc[];
  /** Written after everything else: a terminal that was offline for a closed day. */
  late: LedgerDoc[];
  /** The catalog the sales were priced from (write it where the roll-ups read product facts). */
  catalog: ReturnType<typeof generateCatalog> & { salesReps: SalesRep[] };
  configs: Record<string, StoreConfig>;
  /** Days the generator made special: the late day, the month-old return, the after-midnight sale. */
  marks: { lateDay: string; lateStore: string; oldReturnDay: string; afterMidnightDay: string };
}

const MANAGER_ID = 'mgr-1';

/** The UTC instant of a local wall-clock time in a zone (zones without DST gaps at these hours). */
export function utcOf(date: string, hour: number, minute: number, timeZone: string): string {
  const guess = Date.parse(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`);
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(new Date(guess))) p[x.type] = x.value;
  const shown = Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:00.000Z`);
  return new Date(guess - (shown - guess)).toISOString();
}

function approval(action: string, at: string, lineNo?: number): Approval {
  return { action, approvedBy: MANAGER_ID, approvedAt: at, ...(lineNo !== undefined ? { lineNo } : {}) };
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: unknown }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.error)}`);
  return r.value;
}

function storeConfig(s: StoreSpec): StoreConfig {
  return {
    _id: 'config:hq', type: 'config', schema: CURRENT_SCHEMA, storeId: s.storeId, code: s.storeId, name: s.storeId, address: '', timeZone: s.timeZone,
    currency: 'MXN', locale: 'es', taxMode: s.taxMode, cashRounding: money(0), varianceAlert: money(500), receiptFooter: { en: '', es: '' }, returnDays: 30,
  };
}

interface StoreState {
  spec: StoreSpec;
  config: StoreConfig;
  seq: Map<string, number>;
  shiftN: Map<string, number>;
  sales: Sale[];
  returns: Return[];
  voided: Set<string>;
}

/** A whole chain's documents over `days` days from `from`. */
export function generateChainDocs(opts: {
  seed: string | number;
  stores: StoreSpec[];
  from: string;
  days: number;
  products?: number;
  catalogSeed?: string | number;
  /** Sales per register session, fewest and most (default 2 to 5). */
  salesPerShift?: readonly [number, number];
}): ChainData {
  const [fewest, most] = opts.salesPerShift ?? [2, 5];
  const rng = createRng(opts.seed);
  const base = generateCatalog({ products: opts.products ?? 40, seed: 'reports-' + String(opts.catalogSeed ?? opts.seed) });
  // One product without a cost: it sells, but counts at zero cost (and apart in inventory value).
  const products: Product[] = base.products.filter((p) => p.active).map((p, i) => (i === 3 ? (({ cost: _c, ...rest }) => rest)(p) : p));
  const salesReps: SalesRep[] = [1, 2, 3].map((n) => ({ _id: `salesrep:R${n}`, type: 'salesrep', schema: CURRENT_SCHEMA, code: `R${n}`, name: `Rep ${n}`, commissionBp: 150 * n, active: true }));
  const catalog = { ...base, products: base.products.map((p) => products.find((q) => q._id === p._id) ?? p), salesReps, docs: base.docs.map((d) => products.find((q) => q._id === d._id) ?? d) };
  const pricing: PricingCatalog = {
    rates: Object.fromEntries(base.taxRates.map((r: TaxRate) => [r._id, r])),
    groups: Object.fromEntries(base.taxGroups.map((g: TaxGroup) => [g._id, g])),
    specials: base.specials,
  };
  const tender = (code: string) => base.tenders.find((t: Tender) => t.code === code) as Tender;
  const [CASH, CARD, USD] = [tender('cash'), tender('card'), tender('usd')];
  const states: StoreState[] = opts.stores.map((spec) => ({ spec, config: storeConfig(spec), seq: new Map(), shiftN: new Map(), sales: [], returns: [], voided: new Set() }));
  const docs: LedgerDoc[] = [];
  const late: LedgerDoc[] = [];
  const lateIdx = Math.max(1, opts.days - 8);
  const lateStore = opts.stores[0]!.storeId;
  const lateDay = addDays(opts.from, lateIdx);
  const oldReturnIdx = Math.min(opts.days - 2, 40);
  const afterMidnightIdx = Math.min(opts.days - 5, 10);
  let uuid = 0;
  const next = (st: StoreState, t: string) => {
    const n = (st.seq.get(t) ?? 0) + 1;
    st.seq.set(t, n);
    return n;
  };

  const ring = (st: StoreState, rng: Rng, terminalId: string, shift: Shift, cashierId: string, now: string): Sale => {
    let cart: Cart = emptyCart();
    const lines = rng.int(1, 3);
    for (let l = 0; l < lines; l++) {
      const p = rng.pick(products);
      const qty = p.weighed ? rng.int(250, 2000) / 1000 : rng.int(1, 3);
      const rep = rng.chance(0.3) ? rng.pick(salesReps)._id : undefined;
      cart = must(addItem(cart, p, qty, { merge: false, ...(rep ? { salesRepId: rep } : {}) }), 'addItem');
    }
    const last = cart.lines[cart.lines.length - 1]!;
    const clerk = { discountLimitBp: 1000 };
    if (rng.chance(0.15)) cart = must(setLineDiscount(cart, last.lineNo, { kind: 'percent', percentBp: 500 }, clerk), 'discount');
    else if (rng.chance(0.06)) cart = must(setLineDiscount(cart, last.lineNo, { kind: 'percent', percentBp: 2000 }, clerk, approval('discount.over_limit', now, last.lineNo)), 'approved discount');
    if (rng.chance(0.1)) cart = must(setCartDiscount(cart, { kind: 'percent', percentBp: 300 }, clerk), 'cart discount');
    else if (rng.chance(0.04)) cart = must(setCartDiscount(cart, { kind: 'percent', percentBp: 1500 }, clerk, approval('discount.over_limit', now)), 'approved cart discount');
    else if (rng.chance(0.05)) cart = must(setCartDiscount(cart, { kind: 'amount', amount: money(1) }, clerk), 'cart discount');
    const probe = must(buildSale({ config: st.config, terminalId, seq: 1, shiftId: shift._id, cashierId, cart, catalog: pricing, tenders: [{ tender: CASH, tendered: money(10 ** 9) }], now }), 'probe').total;
    const pick = rng.int(0, 3);
    const tenders: TenderInput[] =
      pick === 0
        ? [{ tender: CASH, tendered: money(Math.ceil(probe / 5000) * 5000) }]
        : pick === 1
          ? [{ tender: CARD, tendered: probe, reference: '4242' }]
          : pick === 2 && probe > 500
            ? [{ tender: CARD, tendered: money(500), reference: '1111' }, { tender: CASH, tendered: money(Math.ceil((probe - 500) / 1000) * 1000) }]
            : [{ tender: USD, foreignAmount: money(Math.ceil((probe * 1_000_000) / (USD.rateToBase ?? 1))) }];
    const sale = must(buildSale({ config: st.config, terminalId, seq: next(st, terminalId), shiftId: shift._id, cashierId, cart, catalog: pricing, tenders, now }), 'sale');
    st.sales.push(sale);
    return sale;
  };

  const returnOf = (st: StoreState, sale: Sale, terminalId: string, shift: Shift, cashierId: string, now: string): Return | null => {
    const previous = st.returns.filter((r) => r.originalSaleId === sale._id);
    const line = sale.lines[0]!;
    const returned = previous.flatMap((r) => r.lines).filter((l) => l.lineNo === line.lineNo).reduce((s, l) => s + Math.round(l.qty * 1000), 0);
    const left = Math.round(line.qty * 1000) - returned;
    if (left <= 0) return null;
    const qty = Math.min(left, Number.isInteger(line.qty) ? 1000 : 100) / 1000;
    const r = buildReturn({
      sale, previous, requests: [{ lineNo: line.lineNo, qty, restock: rng.chance(0.7) }], config: st.config, terminalId, seq: next(st, terminalId), shiftId: shift._id,
      cashier: { userId: cashierId, permissions: ['sale.refund'] }, refund: { to: 'original' }, now, approvals: [approval('return.late', now)],
    });
    if (!r.ok) return null;
    st.returns.push(r.value);
    return r.value;
  };

  for (let d = 0; d < opts.days; d++) {
    const day = addDays(opts.from, d);
    for (const st of states) {
      const { storeId, timeZone, terminals } = st.spec;
      const at = (h: number, m: number, onDay = day) => utcOf(onDay, h, m, timeZone);
      const todays: LedgerDoc[] = [];
      if (d === 0) {
        todays.push({ _id: moveId(storeId, `rcv-${uuid++}`), type: 'move', schema: CURRENT_SCHEMA, storeId, reason: 'receive', lines: products.map((p) => ({ productId: p._id, qty: 50 })), createdAt: at(7, 0), userId: MANAGER_ID });
      }
      const shifts: Shift[] = [];
      const cashiers: string[] = [];
      terminals.forEach((terminalId, ti) => {
        const n = (st.shiftN.get(terminalId) ?? 0) + 1;
        st.shiftN.set(terminalId, n);
        const cashierId = `cash-${storeId.toLowerCase()}-${(d + ti) % 3}`;
        cashiers.push(cashierId);
        const shift = openShift({ config: st.config, terminalId, n, openedBy: cashierId, openingFloat: money(100000), now: at(8, ti) });
        shifts.push(shift);
        todays.push(shift);
        const count = rng.int(fewest, most);
        for (let k = 0; k < count; k++) todays.push(ring(st, rng, terminalId, shift, cashierId, at(9 + k, 7 * ti + k)));
        if (rng.chance(0.12)) {
          const victim = st.sales.filter((s) => s.shiftId === shift._id && !st.voided.has(s._id)).pop();
          if (victim) {
            const v = must(buildVoid(victim, { config: st.config, now: at(16, ti), zReportExists: false, user: { permissions: ['sale.void'] }, terminalId, shiftId: shift._id, cashierId, reason: 'mistake' }), 'void');
            st.voided.add(victim._id);
            todays.push(v);
          }
        }
        if (rng.chance(0.2)) todays.push(must(cashMovement({ shift, uuid: `drop-${uuid++}`, direction: 'out', amount: money(5000), reason: 'safe drop', userId: cashierId, now: at(17, ti) }), 'cash'));
      });
      // A return of an older sale of the store; on one day, of a sale from an earlier month.
      const older = st.sales.filter((s) => s.businessDate < day && !st.voided.has(s._id));
      const wantsOld = d === oldReturnIdx;
      if (older.length && (wantsOld || rng.chance(0.2))) {
        const sale = wantsOld ? older.find((s) => s.businessDate.slice(0, 7) < day.slice(0, 7)) ?? older[0]! : rng.pick(older);
        const r = returnOf(st, sale, terminals[0]!, shifts[0]!, cashiers[0]!, at(15, 30));
        if (r) todays.push(r);
      }
      // A sale after midnight in the first register (its business date is the next day; it belongs to this Z).
      if (d === afterMidnightIdx) todays.push(ring(st, rng, terminals[0]!, shifts[0]!, cashiers[0]!, at(0, 30, addDays(day, 1))));
      if (rng.chance(0.15)) {
        const p = rng.pick(products);
        todays.push({ _id: moveId(storeId, `dmg-${uuid++}`), type: 'move', schema: CURRENT_SCHEMA, storeId, reason: 'damage', lines: [{ productId: p._id, qty: -1 }], createdAt: at(18, 0), userId: MANAGER_ID });
      }
      const dest = states[(states.indexOf(st) + 1) % states.length]!;
      if (dest !== st && rng.chance(0.1)) {
        const p = rng.pick(products);
        const tr: Transfer = { _id: transferId(storeId, `tr-${uuid++}`), type: 'transfer', schema: CURRENT_SCHEMA, storeId, fromStoreId: storeId, toStoreId: dest.spec.storeId, lines: [{ productId: p._id, qty: 2 }], createdAt: at(12, 0), userId: MANAGER_ID };
        const arrival: TransferArrival = { _id: transferArrivalId(tr._id), type: 'receipt', schema: CURRENT_SCHEMA, storeId: dest.spec.storeId, transferId: tr._id, lines: [{ productId: p._id, qty: 2 }], createdAt: utcOf(addDays(day, 1), 10, 0, dest.spec.timeZone), userId: MANAGER_ID };
        todays.push(tr, arrival);
      }
      // Register closes: the last register is left open two days in three, for the Z to close.
      const closes: ShiftClose[] = [];
      shifts.forEach((shift, ti) => {
        if (ti === shifts.length - 1 && d % 3 !== 0) return;
        const mine = todays.filter((x) => 'shiftId' in x && x.shiftId === shift._id);
        const figures = registerFigures({
          shifts: [shift],
          sales: mine.filter((x): x is Sale => x.type === 'sale'),
          voids: todays.filter((x): x is Void => x.type === 'void'),
          returns: mine.filter((x): x is Return => x.type === 'return'),
          cashMovements: mine.filter((x): x is CashMovement => x.type === 'cash'),
        });
        const counted = Math.max(0, figures.expectedCash + rng.int(-300, 300));
        closes.push(must(closeShift({ shift, figures, counted: counted > 0 ? { '1': counted } : {}, closedBy: shift.openedBy, now: at(21, ti), varianceAlert: money(500) }), 'close'));
      });
      todays.push(...closes);
      // The day close, after midnight (so a sale rung after midnight in the day's register is in it).
      if (d < opts.days - 3) {
        const z = must(
          buildZReport({
            config: st.config,
            businessDate: day,
            now: at(2, 0, addDays(day, 1)),
            closes,
            shifts,
            sales: todays.filter((x): x is Sale => x.type === 'sale' && shifts.some((s) => s._id === x.shiftId)),
            voids: todays.filter((x): x is Void => x.type === 'void'),
            returns: todays.filter((x): x is Return => x.type === 'return'),
            cashMovements: todays.filter((x): x is CashMovement => x.type === 'cash'),
            existing: null,
          }),
          'z',
        );
        todays.push(...z.closes, z.zreport);
      }
      docs.push(...todays);
      // The late terminal: its register and two sales of a closed day, reaching the store only now.
      if (d === lateIdx && storeId === lateStore) {
        const shift = openShift({ config: st.config, terminalId: 'T9', n: 1, openedBy: 'cash-late', openingFloat: money(0), now: at(10, 0) });
        late.push(shift, ring(st, rng, 'T9', shift, 'cash-late', at(11, 0)), ring(st, rng, 'T9', shift, 'cash-late', at(11, 30)));
        // Nothing returns these before they arrive: the store could not have seen them.
        st.sales.splice(st.sales.length - 2, 2);
      }
    }
  }
  return {
    docs,
    late,
    catalog,
    configs: Object.fromEntries(states.map((s) => [s.spec.storeId, s.config])),
    marks: { lateDay, lateStore, oldReturnDay: addDays(opts.from, oldReturnIdx), afterMidnightDay: addDays(opts.from, afterMidnightIdx) },
  };
}
