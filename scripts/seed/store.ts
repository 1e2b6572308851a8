// Per-store seed documents: the store's configuration, some store price overrides and demo staff.
// Deterministic like the catalog: PIN hashes use a salt derived from the seed, which is acceptable only
// because the demo PINs are public anyway. Real users get random salts (shared/auth/secrets.ts).
import { money } from '../../shared/money';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import type { Product, StoreConfig, StoreDownDoc, StorePrice, StoreUser } from '../../shared/model/types';
import { CONFIG_ID, catalogId, isStoreCode, priceId, userDocId } from '../../shared/model/ids';
import { PIN_ITERATIONS, hashPin } from '../../shared/auth/secrets';
import { DEFAULT_ROLES, resolvePermissions } from '../../shared/auth/permissions';
import { DEFAULT_AS_OF, generateCatalog } from './catalog';
import { createRng } from './prng';
import { FIRST_NAMES, LAST_NAMES } from './vocabulary';

/** The demo PINs, printed by `caja demo`: every store's cashier uses 1234 and its manager 9999. */
export const DEMO_PINS = { cashier: '1234', manager: '9999' } as const;

export interface StoreOptions {
  timeZone: string;
  currency: string;
  locale: 'en' | 'es';
  name?: string;
  address?: string;
  taxMode?: 'exclusive' | 'inclusive';
  /** Cash rounding step in minor units (0 = none, 50 = to 0.50). */
  cashRounding?: number;
  /** Catalog products to draw price overrides from; defaults to the default generated catalog. */
  products?: readonly Product[];
  /** How many store price overrides to generate (default 25). */
  priceOverrides?: number;
  seed?: string | number;
  /** PBKDF2 iterations for the demo PIN hashes (default PIN_ITERATIONS; tests may lower it). */
  pinIterations?: number;
  asOf?: string;
}

export interface DemoLogin {
  userId: string;
  username: string;
  displayName: string;
  role: string;
  pin: string;
}

export interface StoreDocs {
  config: StoreConfig;
  prices: StorePrice[];
  users: StoreUser[];
  /** config, prices and users: everything HQ puts in this store's database. */
  docs: StoreDownDoc[];
  /** The demo logins in clear, for the demo banner and the README. */
  logins: DemoLogin[];
}

/** Generates a store's StoreConfig, StorePrice overrides and demo StoreUsers (cashier PIN 1234, manager PIN 9999). */
export async function generateStoreDocs(code: string, options: StoreOptions): Promise<StoreDocs> {
  if (!isStoreCode(code)) throw new RangeError(`invalid store code ${JSON.stringify(code)} (2-12 of A-Z, 0-9)`);
  const seed = options.seed ?? 'caja';
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const rng = createRng(`${seed}:store:${code}`);

  const config: StoreConfig = {
    _id: CONFIG_ID,
    type: 'config',
    schema: CURRENT_SCHEMA,
    storeId: code,
    code,
    name: options.name ?? `Caja ${code}`,
    address: options.address ?? `Av. Reforma ${rng.int(10, 999)}, Local ${rng.int(1, 40)}`,
    timeZone: options.timeZone,
    currency: options.currency,
    locale: options.locale,
    // Mexican shelf prices include IVA, so the demo chain defaults to tax-inclusive pricing.
    taxMode: options.taxMode ?? 'inclusive',
    cashRounding: money(options.cashRounding ?? 0),
    varianceAlert: money(5000),
    receiptFooter: { en: 'Thank you for shopping with us!', es: '¡Gracias por su compra!' },
    returnDays: 30,
  };

  const products = options.products ?? generateCatalog({ seed }).products;
  const wanted = options.priceOverrides ?? 25;
  const candidates = products.filter((p) => p.active);
  const chosen = new Set<number>();
  // Bounded attempts: a tiny catalog simply gets fewer overrides instead of looping forever.
  for (let tries = 0; chosen.size < Math.min(wanted, candidates.length) && tries < wanted * 20; tries++) {
    chosen.add(rng.int(0, candidates.length - 1));
  }
  const prices: StorePrice[] = [...chosen]
    .sort((a, b) => a - b)
    .map((i) => {
      const p = candidates[i] as Product; // i was drawn from candidates' index range
      // A local price within -8 % .. +8 % of the chain price, still ending in 0 like a shelf price.
      const factor = 0.92 + rng.next() * 0.16;
      const local = Math.max(10, Math.round((p.price * factor) / 10) * 10);
      return {
        _id: priceId(p.sku), type: 'price', schema: CURRENT_SCHEMA, storeId: code, sku: p.sku,
        price: money(local), updatedAt: asOf,
      };
    });

  const people = [
    { key: 'cashier', role: 'cashier', pin: DEMO_PINS.cashier },
    { key: 'manager', role: 'store_manager', pin: DEMO_PINS.manager },
  ];
  const users: StoreUser[] = [];
  const logins: DemoLogin[] = [];
  for (const person of people) {
    const userId = `${code.toLowerCase()}-${person.key}`;
    const role = DEFAULT_ROLES.find((r) => r.code === person.role);
    if (!role) throw new Error(`default role ${person.role} is missing`); // guards a rename in permissions.ts
    const resolved = resolvePermissions([role]);
    const displayName = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    const saltRng = createRng(`${seed}:salt:${userId}`);
    const salt = Uint8Array.from({ length: 16 }, () => saltRng.int(0, 255));
    users.push({
      _id: userDocId(userId),
      type: 'user',
      schema: CURRENT_SCHEMA,
      userId,
      username: userId,
      displayName,
      storeId: code,
      roles: [catalogId('role', role.code)],
      permissions: resolved.permissions,
      discountLimitBp: resolved.discountLimitBp,
      pin: await hashPin(person.pin, { iterations: options.pinIterations ?? PIN_ITERATIONS, salt }),
      active: true,
    });
    logins.push({ userId, username: userId, displayName, role: role.code, pin: person.pin });
  }

  return { config, prices, users, docs: [config, ...prices, ...users], logins };
}
