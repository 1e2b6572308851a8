import { expect } from 'chai';
import { isValidEan13 } from '../../shared/model/ids';
import type { CatalogDoc } from '../../shared/model/types';
import { generateCatalog } from './catalog';

describe('scripts/seed: generateCatalog', () => {
  const catalog = generateCatalog({ products: 2000, seed: 42 });
  const ids = new Set(catalog.docs.map((d) => d._id));

  it('generates 2000 products with unique ids and SKUs', () => {
    expect(catalog.products).to.have.length(2000);
    expect(new Set(catalog.products.map((p) => p.sku)).size).to.equal(2000);
    expect(ids.size).to.equal(catalog.docs.length);
    for (const p of catalog.products) expect(p._id).to.equal(`product:${p.sku}`);
  });

  it('gives every product valid, unique EAN-13 barcodes, some products two', () => {
    const seen = new Set<string>();
    let withTwo = 0;
    for (const p of catalog.products) {
      expect(p.barcodes.length).to.be.within(1, 2);
      if (p.barcodes.length === 2) withTwo++;
      for (const b of p.barcodes) {
        expect(isValidEan13(b), `${p.sku} ${b}`).to.equal(true);
        expect(seen.has(b), `duplicate barcode ${b}`).to.equal(false);
        seen.add(b);
      }
    }
    expect(withTwo).to.be.greaterThan(20);
  });

  it('builds a 30+ department tree, 2-3 levels deep, with every parent present', () => {
    const depts = catalog.departments;
    expect(depts.length).to.be.at.least(30);
    const byId = new Map(depts.map((d) => [d._id, d]));
    let maxDepth = 0;
    for (const d of depts) {
      expect(d._id).to.equal(`department:${d.code}`);
      let depth = 1;
      let parent = d.parentId;
      while (parent !== null) {
        const p = byId.get(parent);
        expect(p, `parent ${parent} of ${d.code}`).to.not.equal(undefined);
        parent = p?.parentId ?? null;
        depth++;
      }
      maxDepth = Math.max(maxDepth, depth);
      if (d.taxGroupId) expect(ids.has(d.taxGroupId)).to.equal(true);
    }
    expect(maxDepth).to.equal(3);
    expect(depts.filter((d) => d.parentId === null).length).to.be.at.least(5);
  });

  it('points every product at an existing department, tax group and supplier', () => {
    for (const p of catalog.products) {
      expect(ids.has(p.departmentId), p.departmentId).to.equal(true);
      expect(ids.has(p.taxGroupId), p.taxGroupId).to.equal(true);
      if (p.supplierId) expect(ids.has(p.supplierId), p.supplierId).to.equal(true);
    }
    for (const g of catalog.taxGroups) for (const r of g.rateIds) expect(ids.has(r)).to.equal(true);
    for (const s of catalog.specials) {
      for (const t of [...(s.target.productIds ?? []), ...(s.target.departmentIds ?? [])]) expect(ids.has(t), t).to.equal(true);
    }
  });

  it('names everything in English and Spanish', () => {
    const named = catalog.docs.filter((d): d is Extract<CatalogDoc, { name: { en: string } }> => typeof d.name === 'object');
    expect(named.length).to.equal(catalog.docs.length - catalog.suppliers.length); // supplier names are legal names
    for (const d of named) {
      expect(d.name.en.trim(), d._id).to.not.equal('');
      expect(d.name.es.trim(), d._id).to.not.equal('');
      expect(d.name.en).to.not.match(/ {2}|^ | $/);
      expect(d.name.es).to.not.match(/ {2}|^ | $/);
    }
    // Most product names differ between languages (a few, like "Mezcal Reposado", legitimately do not).
    const same = catalog.products.filter((p) => p.name.en === p.name.es).length;
    expect(same).to.be.lessThan(catalog.products.length / 10);
  });

  it('prices in integer minor units that look like shelf prices, costs below price', () => {
    for (const p of catalog.products) {
      expect(Number.isSafeInteger(p.price) && p.price > 0, `${p.sku} price ${p.price}`).to.equal(true);
      expect(p.price % 10).to.equal(0);
      expect(p.cost).to.be.a('number');
      expect(Number.isSafeInteger(p.cost)).to.equal(true);
      expect(p.cost ?? 0).to.be.within(1, p.price - 1);
      expect(p.schema).to.equal(1);
    }
  });

  it('includes weighed products sold per kg (produce, deli, meat)', () => {
    const weighed = catalog.products.filter((p) => p.weighed);
    expect(weighed.length).to.be.greaterThan(10);
    for (const p of weighed) {
      expect(p.unit).to.equal('kg');
      expect(p.barcodes[0]?.startsWith('20')).to.equal(true);
      expect(p.departmentId).to.match(/^department:FRE-(PRO|DEL|MEA)/);
    }
    expect(catalog.products.filter((p) => !p.weighed).every((p) => p.unit === 'each')).to.equal(true);
  });

  it('has a compound tax group, the tenders, suppliers, roles and specials asked for', () => {
    const compound = new Set(catalog.taxRates.filter((r) => r.compound).map((r) => r._id));
    const hasCompoundGroup = catalog.taxGroups.some((g) => g.rateIds.length > 1 && g.rateIds.slice(1).some((r) => compound.has(r)));
    expect(hasCompoundGroup).to.equal(true);
    for (const r of catalog.taxRates) expect(Number.isInteger(r.rateBp)).to.equal(true);
    expect(catalog.tenders.map((t) => t.kind)).to.include.members(['cash', 'card', 'giftcard', 'storecredit', 'foreign']);
    const usd = catalog.tenders.find((t) => t.kind === 'foreign');
    expect(usd).to.include({ currency: 'USD' });
    expect(Number.isInteger(usd?.rateToBase)).to.equal(true);
    expect(catalog.suppliers.length).to.be.at.least(10);
    expect(catalog.roles.map((r) => r._id)).to.include('role:cashier');
    expect(catalog.specials.map((s) => s.kind)).to.include.members(['percent_off', 'buy_x_get_y', 'qty_break']);
    for (const s of catalog.specials) expect(s.endsAt > s.startsAt).to.equal(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateCatalog({ products: 2000, seed: 42 });
    expect(JSON.stringify(again.docs)).to.equal(JSON.stringify(catalog.docs));
    const other = generateCatalog({ products: 2000, seed: 43 });
    expect(JSON.stringify(other.products)).to.not.equal(JSON.stringify(catalog.products));
  });

  it('handles tiny catalogs', () => {
    expect(generateCatalog({ products: 0 }).products).to.have.length(0);
    expect(generateCatalog({ products: 7 }).products).to.have.length(7);
  });

  it('generates 100k products quickly (time printed, not asserted) with unique barcodes', function () {
    this.timeout(60_000);
    const t0 = performance.now();
    const big = generateCatalog({ products: 100_000, seed: 'bench' });
    const ms = performance.now() - t0;
    console.log(`      generateCatalog({ products: 100000 }): ${ms.toFixed(0)} ms, ${big.docs.length} docs`);
    expect(big.products).to.have.length(100_000);
    const barcodes = new Set<string>();
    let count = 0;
    for (const p of big.products) {
      for (const b of p.barcodes) barcodes.add(b);
      count += p.barcodes.length;
    }
    expect(barcodes.size).to.equal(count);
    expect(new Set(big.products.map((p) => p.name.en)).size).to.equal(100_000);
  });
});
