import { expect } from 'chai';
import { verifySecret } from '../../shared/auth/secrets';
import { hasPermission } from '../../shared/auth/permissions';
import { generateCatalog } from './catalog';
import { DEMO_PINS, generateStoreDocs } from './store';

describe('scripts/seed: generateStoreDocs', () => {
  const catalog = generateCatalog({ products: 500, seed: 1 });
  const opts = { timeZone: 'America/Mexico_City', currency: 'MXN', locale: 'es', products: catalog.products, seed: 1, pinIterations: 1000 } as const;

  it('writes the store config, price overrides and demo users with the documented ids', async () => {
    const s = await generateStoreDocs('S001', opts);
    expect(s.config).to.include({ _id: 'config:hq', type: 'config', storeId: 'S001', code: 'S001', timeZone: 'America/Mexico_City', currency: 'MXN', locale: 'es', schema: 1 });
    expect(s.prices).to.have.length(25);
    const skus = new Map(catalog.products.map((p) => [p.sku, p]));
    for (const p of s.prices) {
      expect(p._id).to.equal(`price:${p.sku}`);
      expect(p.storeId).to.equal('S001');
      const base = skus.get(p.sku);
      expect(base, p.sku).to.not.equal(undefined);
      expect(Number.isSafeInteger(p.price)).to.equal(true);
      expect(Math.abs(p.price - (base?.price ?? 0))).to.be.at.most(Math.ceil((base?.price ?? 0) * 0.09));
    }
    expect(s.users.map((u) => u._id)).to.deep.equal(['user:s001-cashier', 'user:s001-manager']);
    expect(s.docs).to.have.length(1 + 25 + 2);
  });

  it('gives the cashier PIN 1234 and the manager PIN 9999, with the role permissions resolved', async () => {
    const s = await generateStoreDocs('S002', opts);
    const [cashier, manager] = s.users;
    expect(await verifySecret(DEMO_PINS.cashier, cashier?.pin)).to.equal(true);
    expect(await verifySecret(DEMO_PINS.manager, cashier?.pin)).to.equal(false);
    expect(await verifySecret('9999', manager?.pin)).to.equal(true);
    expect(cashier?.roles).to.deep.equal(['role:cashier']);
    expect(hasPermission(cashier, 'sale.ring')).to.equal(true);
    expect(hasPermission(cashier, 'sale.void')).to.equal(false);
    expect(hasPermission(manager, 'sale.void')).to.equal(true);
    expect(manager?.discountLimitBp).to.be.greaterThan(cashier?.discountLimitBp ?? 0);
    expect(s.logins.map((l) => l.pin)).to.deep.equal(['1234', '9999']);
  });

  it('is deterministic (salts derived from the seed) and differs per store', async () => {
    const a = await generateStoreDocs('S003', opts);
    const b = await generateStoreDocs('S003', opts);
    expect(JSON.stringify(a.docs)).to.equal(JSON.stringify(b.docs));
    const c = await generateStoreDocs('S004', opts);
    expect(c.users[0]?.pin?.salt).to.not.equal(a.users[0]?.pin?.salt);
  });

  it('refuses an invalid store code', async () => {
    let error: unknown = null;
    await generateStoreDocs('s-1', opts).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(RangeError);
  });
});
