// Deterministic generator of a realistic chain catalog as Caja documents (design.md "Documents").
// Same options, same output, byte for byte: no clock, no Math.random. Used by `caja demo` (2,000 products)
// and by benchmarks (100,000 products), so it avoids anything slower than linear in the product count.
import { money, type Money } from '../../shared/money';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import type {
  CatalogDoc,
  Department,
  I18nText,
  Product,
  Role,
  Special,
  Supplier,
  TaxGroup,
  TaxRate,
  Tender,
} from '../../shared/model/types';
import { catalogId, ean13CheckDigit, productId } from '../../shared/model/ids';
import { defaultRoleDocs } from '../../shared/auth/permissions';
import { createRng, seedOf, shuffle, type Rng } from './prng';
import { DEPARTMENTS, SUPPLIERS, type DeptSpec, type Item, type LeafSpec, type TaxGroupCode, type Variant } from './vocabulary';

export interface CatalogOptions {
  /** Number of products (default 2000). */
  products?: number;
  /** PRNG seed (default 'caja'). */
  seed?: string | number;
  /** Timestamp written as `updatedAt` and the start of specials (default 2025-01-01T00:00:00.000Z). */
  asOf?: string;
}

export interface Catalog {
  taxRates: TaxRate[];
  taxGroups: TaxGroup[];
  departments: Department[];
  suppliers: Supplier[];
  tenders: Tender[];
  roles: Role[];
  products: Product[];
  specials: Special[];
  /** Every document above, dependencies first (rates before groups, departments before products). */
  docs: CatalogDoc[];
}

/** The chain's base currency: catalog prices are MXN centavos. */
export const BASE_CURRENCY = 'MXN';
export const DEFAULT_AS_OF = '2025-01-01T00:00:00.000Z';
/** Share of packaged products that carry a second barcode (an older packaging's code). */
const SECOND_BARCODE_RATE = 0.05;
/** Share of products that are discontinued (inactive), as in any real catalog. */
const INACTIVE_RATE = 0.01;

// ---------- taxes: Mexico. IVA is charged on the price plus IEPS (excise), hence IVA is compound. ----------

function taxDocs(): { rates: TaxRate[]; groups: TaxGroup[] } {
  const rate = (code: string, en: string, es: string, rateBp: number, compound: boolean): TaxRate => ({
    _id: catalogId('taxrate', code), type: 'taxrate', schema: CURRENT_SCHEMA, code, name: { en, es }, rateBp, compound,
  });
  const rates = [
    rate('ieps8', 'IEPS 8% (high-calorie food)', 'IEPS 8% (alimentos alta densidad calórica)', 800, false),
    rate('ieps265', 'IEPS 26.5% (beer and wine)', 'IEPS 26.5% (cerveza y vino)', 2650, false),
    rate('ieps53', 'IEPS 53% (spirits)', 'IEPS 53% (destilados)', 5300, false),
    // Compound: IVA's basis includes any IEPS listed before it in the group (Ley del IVA, art. 18).
    rate('iva16', 'VAT 16%', 'IVA 16%', 1600, true),
    rate('iva0', 'VAT 0%', 'IVA 0%', 0, false),
  ];
  const group = (code: TaxGroupCode, en: string, es: string, rateCodes: string[]): TaxGroup => ({
    _id: catalogId('taxgroup', code), type: 'taxgroup', schema: CURRENT_SCHEMA, code, name: { en, es },
    rateIds: rateCodes.map((c) => catalogId('taxrate', c)),
  });
  const groups = [
    group('std', 'Standard (VAT 16%)', 'General (IVA 16%)', ['iva16']),
    group('zero', 'Basic food (VAT 0%)', 'Canasta básica (IVA 0%)', ['iva0']),
    group('snack', 'Snacks (IEPS 8% + VAT 16%)', 'Botanas (IEPS 8% + IVA 16%)', ['ieps8', 'iva16']),
    group('alcohol', 'Beer and wine (IEPS 26.5% + VAT 16%)', 'Cerveza y vino (IEPS 26.5% + IVA 16%)', ['ieps265', 'iva16']),
    group('spirits', 'Spirits (IEPS 53% + VAT 16%)', 'Destilados (IEPS 53% + IVA 16%)', ['ieps53', 'iva16']),
  ];
  return { rates, groups };
}

function tenderDocs(): Tender[] {
  const base = { type: 'tender', schema: CURRENT_SCHEMA, active: true } as const;
  return [
    { ...base, _id: catalogId('tender', 'cash'), code: 'cash', name: { en: 'Cash', es: 'Efectivo' }, kind: 'cash', allowChange: true, allowOverTender: true, opensDrawer: true },
    { ...base, _id: catalogId('tender', 'card'), code: 'card', name: { en: 'Card', es: 'Tarjeta' }, kind: 'card', allowChange: false, allowOverTender: false, opensDrawer: false },
    { ...base, _id: catalogId('tender', 'giftcard'), code: 'giftcard', name: { en: 'Gift card', es: 'Tarjeta de regalo' }, kind: 'giftcard', allowChange: false, allowOverTender: false, opensDrawer: false },
    { ...base, _id: catalogId('tender', 'storecredit'), code: 'storecredit', name: { en: 'Store credit', es: 'Saldo a favor' }, kind: 'storecredit', allowChange: false, allowOverTender: false, opensDrawer: false },
    // 1 US cent = 17.25 centavos; rateToBase is base minor units per foreign minor unit x 1e6. Change is given in pesos.
    { ...base, _id: catalogId('tender', 'usd'), code: 'usd', name: { en: 'US dollars', es: 'Dólares' }, kind: 'foreign', allowChange: true, allowOverTender: true, opensDrawer: true, currency: 'USD', rateToBase: 17_250_000 },
  ];
}

// Which suppliers carry which departments (longest code prefix wins); a brand sticks to one of them.
const SUPPLIER_POOLS: readonly [prefix: string, suppliers: readonly string[]][] = [
  ['GRO', ['abanorte', 'distcentral', 'importsur']],
  ['FRE-PRO', ['frutpacifico']],
  ['FRE-DAI', ['lacbajio', 'distcentral']],
  ['FRE-DEL', ['carnesgolfo', 'lacbajio']],
  ['FRE-MEA', ['carnesgolfo']],
  ['FRE-BAK', ['panificadora']],
  ['BEV', ['bebidasoc', 'distcentral']],
  ['BEV-ALC', ['vinosmx', 'importsur']],
  ['HOU', ['limpiahogar', 'abanorte']],
  ['PER', ['cuidadoper', 'importsur']],
  ['BAB', ['cuidadoper']],
  ['PET', ['mascotasmx']],
];

function supplierFor(deptCode: string, brand: string): string {
  let best: readonly string[] = ['distcentral'];
  let bestLen = 0;
  for (const [prefix, pool] of SUPPLIER_POOLS) {
    if ((deptCode === prefix || deptCode.startsWith(prefix + '-')) && prefix.length > bestLen) {
      best = pool;
      bestLen = prefix.length;
    }
  }
  return catalogId('supplier', best[seedOf(brand + deptCode.slice(0, 3)) % best.length] ?? 'distcentral');
}

interface Leaf {
  dept: Department;
  spec: LeafSpec;
  sizeFactors: number[];
  combos: number;
  stride: number;
  offset: number;
  count: number;
}

function flattenDepartments(): { departments: Department[]; leaves: { dept: Department; spec: LeafSpec }[] } {
  const departments: Department[] = [];
  const leaves: { dept: Department; spec: LeafSpec }[] = [];
  const walk = (spec: DeptSpec, parentId: string | null, tax: TaxGroupCode): void => {
    const effectiveTax = spec.tax ?? tax;
    const dept: Department = {
      _id: catalogId('department', spec.code), type: 'department', schema: CURRENT_SCHEMA, code: spec.code,
      name: { en: spec.en, es: spec.es }, parentId, taxGroupId: catalogId('taxgroup', effectiveTax),
    };
    departments.push(dept);
    if (spec.leaf) leaves.push({ dept, spec: spec.leaf });
    for (const child of spec.children ?? []) walk(child, dept._id, effectiveTax);
  };
  for (const top of DEPARTMENTS) walk(top, null, 'std');
  return { departments, leaves };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A step coprime to n near n/phi, so k -> (k*stride + offset) mod n visits every combination once, well mixed. */
function strideFor(n: number): number {
  let s = Math.max(1, Math.round(n * 0.618));
  while (gcd(s, n) !== 1) s++;
  return s;
}

/** Splits `total` products across leaves by weight; weighed leaves are capped at their distinct items. */
function allocate(leaves: Leaf[], total: number): void {
  let remaining = total;
  let open = leaves.slice();
  // Repeat: share what is left among uncapped leaves; cap weighed leaves that overflow and reshare.
  for (;;) {
    const weight = open.reduce((s, l) => s + l.spec.weight, 0);
    const capped = open.filter((l) => l.spec.weighed && (remaining * l.spec.weight) / weight > l.combos);
    if (capped.length === 0) break;
    for (const l of capped) {
      l.count = l.combos;
      remaining -= l.combos;
    }
    open = open.filter((l) => !capped.includes(l));
  }
  // Largest remainder, so the counts add up to exactly `total`.
  const weight = open.reduce((s, l) => s + l.spec.weight, 0);
  const shares = open.map((l) => (remaining * l.spec.weight) / weight);
  open.forEach((l, i) => (l.count = Math.floor(shares[i] ?? 0)));
  let left = remaining - open.reduce((s, l) => s + l.count, 0);
  const order = open.map((_, i) => i).sort((a, b) => ((shares[b] ?? 0) % 1) - ((shares[a] ?? 0) % 1) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    const leaf = open[i];
    if (leaf) leaf.count++;
    left--;
  }
}

/** The quantity a size label stands for, in g/ml (one family) or pieces, or null for no size. */
function sizeQuantity(size: string): { family: 'measure' | 'count'; q: number } | null {
  const m = /^(\d+(?:\.\d+)?) (g|kg|ml|L|pcs)$/.exec(size);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2];
  if (unit === 'pcs') return { family: 'count', q: n };
  return { family: 'measure', q: unit === 'kg' || unit === 'L' ? n * 1000 : n };
}

/**
 * How much more each size costs than the smallest: sub-linear in quantity, as bigger packs are cheaper
 * per unit (quantity ratio ^ 0.7). Sizes of mixed kinds fall back to a plain ladder.
 */
function sizeFactors(sizes: readonly string[]): number[] {
  const qs = sizes.map(sizeQuantity);
  const first = qs[0];
  if (!first || qs.some((q) => !q || q.family !== first.family)) return sizes.map((_, i) => 1 + i * 0.85);
  return qs.map((q) => ((q?.q ?? first.q) / first.q) ** 0.7);
}

function spanishSize(size: string): string {
  return size.replace(/ pcs$/, ' pzas');
}

function variantEs(v: Variant, item: Item): string {
  const es = v[1];
  return typeof es === 'string' ? es : item[2] === 'f' ? es[1] : es[0];
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' ');
}

/** A shelf price: rounded to whole pesos, mostly ending in .90 or .50 (2490, 2450, 2500). */
function shelfPrice(raw: number, rng: Rng): number {
  const pesos = Math.max(1, Math.round(raw / 100));
  const r = rng.next();
  if (r < 0.55) return pesos * 100 - 10;
  if (r < 0.8) return pesos * 100 - 50;
  return pesos * 100;
}

/** A stable fraction in [0, 1) for a combination, so one product line costs the same across its sizes. */
function stableFraction(seed: number, a: number, b: number, c: number, d: number): number {
  let h = seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77) ^ Math.imul(c + 1, 0xc2b2ae3d) ^ Math.imul(d + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
}

/** Generates tax rates and groups, a department tree, suppliers, tenders, roles, products and specials. */
export function generateCatalog(options: CatalogOptions = {}): Catalog {
  const total = options.products ?? 2000;
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`products must be a non-negative integer, got ${total}`);
  const seed = options.seed ?? 'caja';
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const rng = createRng(seed);
  const seedNum = seedOf(seed);

  const { rates: taxRates, groups: taxGroups } = taxDocs();
  const { departments, leaves: rawLeaves } = flattenDepartments();
  const suppliers: Supplier[] = SUPPLIERS.map((s, i) => ({
    _id: catalogId('supplier', s.code), type: 'supplier', schema: CURRENT_SCHEMA, code: s.code, name: s.name,
    contact: { email: `pedidos@${s.code}.example.mx`, phone: `+52 55 ${String(5100_0000 + i * 7919).replace(/(\d{4})(\d{4})/, '$1 $2')}` },
    active: true,
  }));
  const tenders = tenderDocs();
  const roles = defaultRoleDocs();

  const leaves: Leaf[] = rawLeaves.map(({ dept, spec }) => {
    const combos = spec.brands.length * spec.items.length * spec.variants.length * spec.sizes.length;
    return { dept, spec, sizeFactors: sizeFactors(spec.sizes), combos, stride: strideFor(combos), offset: rng.int(0, combos - 1), count: 0 };
  });
  allocate(leaves, total);

  // One slot per product naming its leaf, shuffled so SKU order does not follow the department tree.
  const slots = new Uint16Array(total);
  {
    let p = 0;
    leaves.forEach((l, i) => {
      slots.fill(i, p, p + l.count);
      p += l.count;
    });
    shuffle(slots, rng);
  }

  // Barcodes: GS1 Mexico prefix 750 + a 4-digit company code per brand + a 5-digit item reference.
  // Weighed goods get in-store variable-measure codes: 20 + 5-digit PLU + 00000 (the price/weight field,
  // filled in by the scale's label) + check digit. Counters make every code unique by construction.
  const companies = new Map<string, { company: number; next: number }>();
  let nextCompany = 1000;
  let nextPlu = 1;
  const brandCode = (brand: string): string => {
    let c = companies.get(brand);
    if (!c || c.next > 99_999) {
      if (nextCompany > 9999) throw new RangeError('ran out of company prefixes');
      c = { company: nextCompany++, next: 1 };
      companies.set(brand, c);
    }
    const body = `750${c.company}${String(c.next++).padStart(5, '0')}`;
    return body + ean13CheckDigit(body);
  };
  const pluCode = (): string => {
    if (nextPlu > 99_999) throw new RangeError('ran out of PLUs');
    const body = `20${String(nextPlu++).padStart(5, '0')}00000`;
    return body + ean13CheckDigit(body);
  };

  const products: Product[] = new Array<Product>(total);
  const counters = new Array<number>(leaves.length).fill(0);
  for (let i = 0; i < total; i++) {
    const li = slots[i] ?? 0;
    const leaf = leaves[li] as Leaf; // slots only hold indexes of `leaves`
    const { spec, dept } = leaf;
    const k = counters[li] ?? 0;
    counters[li] = k + 1;
    const pack = Math.floor(k / leaf.combos) + 1; // 1 until every combination is used, then 2-Pack, 3-Pack...
    let c = (k * leaf.stride + leaf.offset) % leaf.combos;
    const si = c % spec.sizes.length;
    c = Math.floor(c / spec.sizes.length);
    const vi = c % spec.variants.length;
    c = Math.floor(c / spec.variants.length);
    const ii = c % spec.items.length;
    const bi = Math.floor(c / spec.items.length);
    const brand = spec.brands[bi] ?? '';
    const item = spec.items[ii] as Item;
    const variant = spec.variants[vi] as Variant;
    const size = spec.sizes[si] ?? '';

    const packEn = pack > 1 ? `${pack}-Pack` : '';
    const packEs = pack > 1 ? `Paq. ${pack}` : '';
    const name: I18nText = {
      // "in Water", "in Oil": lower-case English modifiers read after the noun ("Tuna in Water").
      en: /^[a-z]/.test(variant[0]) ? join(brand, item[0], variant[0], size, packEn) : join(brand, variant[0], item[0], size, packEn),
      es: join(item[1], variantEs(variant, item), brand, spanishSize(size), packEs),
    };

    const [lo, hi] = spec.price;
    const line = stableFraction(seedNum, li, bi, ii, vi);
    const raw = (lo + line * (hi - lo)) * (leaf.sizeFactors[si] ?? 1) * (pack > 1 ? pack * 0.93 : 1) * (0.96 + rng.next() * 0.08);
    const price = shelfPrice(raw, rng);
    const cost = Math.max(1, Math.min(price - 1, Math.floor(price * (0.55 + rng.next() * 0.23))));

    const barcodes = spec.weighed ? [pluCode()] : [brandCode(brand)];
    if (!spec.weighed && rng.chance(SECOND_BARCODE_RATE)) barcodes.push(brandCode(brand));

    const sku = String(100_001 + i);
    products[i] = {
      _id: productId(sku),
      type: 'product',
      schema: CURRENT_SCHEMA,
      sku,
      name,
      barcodes,
      departmentId: dept._id,
      taxGroupId: dept.taxGroupId ?? catalogId('taxgroup', 'std'),
      supplierId: supplierFor(dept.code, brand),
      price: money(price),
      cost: money(cost),
      unit: spec.weighed ? 'kg' : 'each',
      weighed: spec.weighed === true,
      active: !rng.chance(INACTIVE_RATE),
      updatedAt: asOf,
    };
  }

  const specials = specialDocs(products, asOf);
  const docs: CatalogDoc[] = [
    ...taxRates, ...taxGroups, ...departments, ...suppliers, ...tenders, ...roles, ...products, ...specials,
  ];
  return { taxRates, taxGroups, departments, suppliers, tenders, roles, products, specials, docs };
}

/** A few promotions of each kind, on products picked deterministically from the generated catalog. */
function specialDocs(products: readonly Product[], asOf: string): Special[] {
  const start = asOf;
  // Ten years: long enough that demo and test data never see the promotions expire.
  const endDate = new Date(asOf);
  endDate.setUTCFullYear(endDate.getUTCFullYear() + 10);
  const end = endDate.toISOString();
  const inDept = (code: string, n: number): Product[] => {
    const out: Product[] = [];
    for (const p of products) {
      if (p.active && !p.weighed && p.departmentId === catalogId('department', code)) out.push(p);
      if (out.length >= n) break;
    }
    return out;
  };
  const base = { type: 'special', schema: CURRENT_SCHEMA, startsAt: start, endsAt: end, active: true } as const;
  const specials: Special[] = [
    {
      ...base, _id: catalogId('special', 'bakery-10'), code: 'bakery-10',
      name: { en: '10% off all bakery', es: '10% de descuento en panadería' },
      kind: 'percent_off', target: { departmentIds: [catalogId('department', 'FRE-BAK')] }, percentBp: 1000,
    },
    {
      ...base, _id: catalogId('special', 'cleaning-15'), code: 'cleaning-15',
      name: { en: '15% off cleaning supplies', es: '15% de descuento en limpieza' },
      kind: 'percent_off', target: { departmentIds: [catalogId('department', 'HOU-CLE')] }, percentBp: 1500,
    },
  ];
  const chips = inDept('GRO-SNK-CHP', 5);
  if (chips.length > 0) {
    specials.push({
      ...base, _id: catalogId('special', 'chips-3x2'), code: 'chips-3x2',
      name: { en: 'Chips: buy 2, get 1 free', es: 'Botanas: 3x2' },
      kind: 'buy_x_get_y', target: { productIds: chips.map((p) => p._id) }, buyQty: 2, getQty: 1,
    });
  }
  const waters = inDept('BEV-WAT', 2);
  for (const p of waters) {
    specials.push({
      ...base, _id: catalogId('special', `qty-${p.sku}`), code: `qty-${p.sku}`,
      name: { en: `Volume price: ${p.name.en}`, es: `Precio por volumen: ${p.name.es}` },
      kind: 'qty_break', target: { productIds: [p._id] },
      breaks: [
        { minQty: 3, unitPrice: discounted(p.price, 0.93) },
        { minQty: 6, unitPrice: discounted(p.price, 0.88) },
      ],
    });
  }
  const milk = inDept('FRE-DAI-MLK', 1)[0];
  if (milk) {
    specials.push({
      ...base, _id: catalogId('special', `fixed-${milk.sku}`), code: `fixed-${milk.sku}`,
      name: { en: `Weekly deal: ${milk.name.en}`, es: `Oferta de la semana: ${milk.name.es}` },
      kind: 'fixed_price', target: { productIds: [milk._id] }, amount: discounted(milk.price, 0.85),
    });
  }
  const soap = inDept('PER-BOD', 1)[0];
  if (soap) {
    specials.push({
      ...base, _id: catalogId('special', `off-${soap.sku}`), code: `off-${soap.sku}`,
      name: { en: `$10 off ${soap.name.en}`, es: `$10 de descuento en ${soap.name.es}` },
      kind: 'amount_off', target: { productIds: [soap._id] }, amount: money(Math.max(10, Math.min(1000, soap.price - 100))),
    });
  }
  return specials;
}

/** A price times a factor, rounded down to 10 centavos so promotional prices look like prices. */
function discounted(price: Money, factor: number): Money {
  return money(Math.max(10, Math.floor((price * factor) / 10) * 10));
}
