// Issue #12: the HQ catalog modules (departments as a tree, tax rates and compound tax groups, tenders,
// suppliers, sales reps, specials, product creation, a store's prices listed and checked) on a real HQ over
// its embedded CouchDB: create (a taken code named as such), read, update with a revision (a stale one is 409
// with the current document), deactivate (and what a deactivated department, group or rate may no longer be
// chosen for), permissions and the audit trail.
import { expect } from 'chai';
import { http, tempDir, testConfig, testLogger } from '../tests/support/testing';
import { generateCatalog } from '../scripts/seed';
import type { CatalogPage, DepartmentNode, DepartmentRow, PriceCheckAnswer, StorePriceRow, TaxPreview } from '../shared/api/catalogAdmin';
import type { BulkPriceAnswer } from '../shared/api/hqRecords';
import { ean13CheckDigit } from '../shared/model/ids';
import { CATALOG_DB, hqStoreDbName } from '../shared/model/names';
import type { AuditEntry, Department, Product, SalesRep, Special, Supplier, TaxGroup, TaxRate, Tender } from '../shared/model/types';
import { money } from '../shared/money';
import { groupRates, taxExclusive, taxInclusive } from '../shared/pos/tax';
import { startHq } from './server';
import type { HqServer } from './server';

type Refusal = { error: string; reason: string; field?: string; details?: { current?: { _rev: string } } };

const ean = (body12: string) => body12 + ean13CheckDigit(body12);

describe('HQ catalog modules: departments, taxes, tenders, suppliers, sales reps, specials, products, store prices (issue #12)', function () {
  this.timeout(60_000);
  let hq: HqServer;
  let cleanup: () => Promise<void>;
  let auth: Record<string, string>;

  const api = <T>(method: string, path: string, body?: unknown, headers = auth) => http<T>(method, `${hq.url}/api/v1${path}`, body, headers);
  const ok = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await api<T>(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).to.be.oneOf([200, 201]);
    return res.body;
  };
  const refused = async (method: string, path: string, body: unknown, status: number, error: string) => {
    const res = await api<Refusal>(method, path, body);
    expect([res.status, res.body.error], `${method} ${path}: ${JSON.stringify(res.body)}`).to.deep.equal([status, error]);
    return res.body;
  };
  const revOf = async (id: string) => (await hq.couch.nano.use(CATALOG_DB).get(id))._rev;
  const name = (en: string, es = en) => ({ en, es });

  before(async () => {
    const tmp = await tempDir('caja-catalog-admin-');
    cleanup = tmp.cleanup;
    hq = await startHq(testConfig(tmp.dir), testLogger());
    await hq.couch.nano.use(CATALOG_DB).bulk({ docs: generateCatalog({ products: 20 }).docs });
    const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
    auth = { Authorization: `Bearer ${login.body.accessToken}` };
    expect((await api('POST', '/stores', { code: 'S001', name: 'Centro' })).status).to.equal(201);
    expect((await api('POST', '/stores', { code: 'S002', name: 'Norte' })).status).to.equal(201);
  });
  after(async () => {
    await hq?.close();
    await cleanup?.();
  });

  it('answers a SKU no URL can address (backslash, NUL) as not found on every product path, never a 500', async () => {
    // Found by the HQ input fuzz (seed 1677220148): nano refuses such a path, which used to surface as a 500.
    for (const sku of ['%5C!', 'a%5Cb', 'a%00b']) {
      for (const [method, path, body] of [
        ['GET', `/products/${sku}`, undefined],
        ['PATCH', `/products/${sku}`, { price: 100 }],
        ['DELETE', `/products/${sku}`, { _rev: '1-a' }],
        ['PUT', `/store-prices/S001/${sku}`, { price: 555 }],
      ] as const) {
        const res = await api<{ error: string }>(method, path, body);
        expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).to.equal(404);
        expect(res.body.error).to.equal('product_not_found');
      }
    }
  });

  describe('departments', () => {
    it('creates a tree, reads it as a tree and as a flat list with depth, and pages and searches the list', async () => {
      const top = await ok<Department>('POST', '/departments', { code: 'ZTOP', name: name('Zeta top', 'Zeta arriba') });
      expect(top).to.include({ _id: 'department:ZTOP', parentId: null });
      expect(top._rev).to.be.a('string');
      await ok('POST', '/departments', { code: 'ZMID', name: name('Zeta middle', 'Zeta en medio'), parentId: 'department:ZTOP', taxGroupId: 'taxgroup:std' });
      await ok('POST', '/departments', { code: 'ZLOW', name: name('Zeta low', 'Panadería zeta'), parentId: 'department:ZMID' });
      expect(await ok<Department>('GET', '/departments/ZLOW')).to.include({ parentId: 'department:ZMID' });

      const tree = await ok<DepartmentNode[]>('GET', '/department-tree');
      const ztop = tree.find((n) => n.code === 'ZTOP');
      expect(ztop?.children.map((c) => c.code)).to.deep.equal(['ZMID']);
      expect(ztop?.children[0]?.children.map((c) => c.code)).to.deep.equal(['ZLOW']);

      const rows: DepartmentRow[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page: CatalogPage<DepartmentRow> = await ok('GET', `/departments?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).to.be.at.most(10);
        rows.push(...page.items);
        cursor = page.nextCursor;
      }
      // Every department once (54 seeded and 3 new), each after its parent, with its depth and ancestors.
      expect(rows).to.have.length(57);
      const at = new Map(rows.map((r, i) => [r._id, i]));
      for (const r of rows) if (r.parentId) expect(at.get(r.parentId)).to.be.below(at.get(r._id) ?? -1);
      expect(rows.find((r) => r.code === 'ZLOW')).to.deep.include({ depth: 2, path: ['department:ZTOP', 'department:ZMID'] });
      // Found by either language, accents ignored.
      const found = await ok<CatalogPage<DepartmentRow>>('GET', '/departments?q=panaderia%20zeta');
      expect(found.items.map((r) => r.code)).to.deep.equal(['ZLOW']);
      // Seeded departments predate `active` (absent: active); the new ones are written active.
      expect(top.active).to.equal(true);
      expect((await ok<CatalogPage<DepartmentRow>>('GET', '/departments?active=true&limit=1')).total).to.equal(57);
      expect((await ok<CatalogPage<DepartmentRow>>('GET', '/departments?active=false')).total).to.equal(0);
    });

    it('edits on the current revision, refuses a stale one with the current document, and refuses a loop', async () => {
      const low = await ok<Department>('GET', '/departments/ZLOW');
      const saved = await ok<Department>('PATCH', '/departments/ZLOW', { _rev: low._rev, name: { en: 'Zeta bottom' }, parentId: 'department:ZTOP' });
      expect(saved.name).to.deep.equal({ en: 'Zeta bottom', es: 'Panadería zeta' });
      expect(saved.parentId).to.equal('department:ZTOP');
      const stale = await refused('PATCH', '/departments/ZLOW', { _rev: low._rev, name: { en: 'Lost' } }, 409, 'stale_edit');
      expect(stale.details?.current?._rev).to.equal(saved._rev);
      await refused('PATCH', '/departments/ZLOW', { name: { en: 'No rev' } }, 400, 'rev_required');

      // ZTOP -> ZMID: ZTOP under its own child is a loop, and so is a department under itself.
      const top = await ok<Department>('GET', '/departments/ZTOP');
      const loop = await refused('PATCH', '/departments/ZTOP', { _rev: top._rev, parentId: 'department:ZMID' }, 400, 'invalid_document');
      expect(loop.reason).to.contain('department:ZTOP -> department:ZMID -> department:ZTOP');
      await refused('PATCH', '/departments/ZTOP', { _rev: top._rev, parentId: 'department:ZTOP' }, 400, 'invalid_document');
      expect(await revOf('department:ZTOP')).to.equal(top._rev);
      // Moving a department to the top is no loop.
      const mid = await ok<Department>('GET', '/departments/ZMID');
      expect((await ok<Department>('PATCH', '/departments/ZMID', { _rev: mid._rev, parentId: null, taxGroupId: null })).parentId).to.equal(null);
      expect(await ok<Department>('GET', '/departments/ZMID')).not.to.have.property('taxGroupId');
    });

    it('refuses an unknown parent, a taken code, bad input and an unknown department', async () => {
      await refused('POST', '/departments', { code: 'ZNEW', name: name('New'), parentId: 'department:NOPE' }, 400, 'unknown_reference');
      const taken = await refused('POST', '/departments', { code: 'ZTOP', name: name('Again') }, 409, 'code_taken');
      expect(taken.reason).to.contain('department:ZTOP');
      await refused('POST', '/departments', { code: 'a/b', name: name('Slash') }, 400, 'invalid_input');
      await refused('POST', '/departments', { code: 'ZX', name: { en: 'Only English' } }, 400, 'invalid_input');
      await refused('GET', '/departments/NOPE', undefined, 404, 'not_found');
      await refused('GET', '/departments?limit=0', undefined, 400, 'invalid_input');
    });
  });

  describe('tax rates and tax groups', () => {
    it('round-trips a compound group and computes it through shared/pos/tax.ts, exclusive and inclusive', async () => {
      const ieps = await ok<TaxRate>('POST', '/tax-rates', { code: 't-ieps8', name: name('IEPS 8%'), rateBp: 800 });
      expect(ieps.compound).to.equal(false);
      const iva = await ok<TaxRate>('POST', '/tax-rates', { code: 't-iva16', name: name('VAT 16%', 'IVA 16%'), rateBp: 1600, compound: true });
      const created = await ok<TaxGroup>('POST', '/tax-groups', { code: 't-snack', name: name('Snacks', 'Botanas'), rateIds: [ieps._id, iva._id] });
      const read = await ok<TaxGroup>('GET', '/tax-groups/t-snack');
      expect(read).to.deep.equal(created);
      expect(read.rateIds).to.deep.equal(['taxrate:t-ieps8', 'taxrate:t-iva16']);

      // IEPS on the price, then VAT on the price plus the IEPS: 100.00 -> 8.00 + 17.28.
      const rates = (await ok<CatalogPage<TaxRate>>('GET', '/tax-rates?q=t-')).items;
      const ctx = { taxMode: 'exclusive' as const, rates: Object.fromEntries(rates.map((r) => [r._id, r])), groups: { [read._id]: read } };
      const local = taxExclusive(money(10_000), groupRates(ctx, read._id));
      expect(local.taxes.map((t) => t.amount)).to.deep.equal([800, 1728]);
      const exclusive = await ok<TaxPreview>('GET', '/tax-groups/t-snack/preview?amount=10000');
      expect(exclusive).to.deep.include({ mode: 'exclusive', amount: 10_000, gross: 12_528, net: 10_000, taxTotal: 2528 });
      expect(exclusive.taxes).to.deep.equal(local.taxes);
      const inclusive = await ok<TaxPreview>('GET', '/tax-groups/t-snack/preview?amount=12528&mode=inclusive');
      expect(inclusive).to.deep.include({ gross: 12_528, net: 10_000, taxTotal: 2528 });
      expect(inclusive.taxes).to.deep.equal(taxInclusive(money(12_528), groupRates(ctx, read._id)).taxes);

      // The order is the group's: VAT first has nothing before it to compound on.
      const reordered = await ok<TaxGroup>('PATCH', '/tax-groups/t-snack', { _rev: read._rev, rateIds: [iva._id, ieps._id] });
      expect((await ok<TaxPreview>('GET', '/tax-groups/t-snack/preview?amount=10000')).taxes.map((t) => t.amount)).to.deep.equal([1600, 800]);
      const stale = await refused('PATCH', '/tax-groups/t-snack', { _rev: read._rev, rateIds: [ieps._id] }, 409, 'stale_edit');
      expect(stale.details?.current?._rev).to.equal(reordered._rev);

      // A rate change reaches the computation; the rate's own stale edit is refused the same way.
      const raised = await ok<TaxRate>('PATCH', '/tax-rates/t-ieps8', { _rev: ieps._rev, rateBp: 900, name: { es: 'IEPS 9%' } });
      expect(raised).to.deep.include({ rateBp: 900, name: { en: 'IEPS 8%', es: 'IEPS 9%' } });
      await refused('PATCH', '/tax-rates/t-ieps8', { _rev: ieps._rev, rateBp: 1 }, 409, 'stale_edit');
      expect((await ok<TaxPreview>('GET', '/tax-groups/t-snack/preview?amount=10000')).taxes.map((t) => t.amount)).to.deep.equal([1600, 900]);
    });

    it('refuses an unknown rate, a repeated one, a rate out of range and a fractional amount', async () => {
      await refused('POST', '/tax-groups', { code: 't-bad', name: name('Bad'), rateIds: ['taxrate:nope'] }, 400, 'unknown_reference');
      await refused('POST', '/tax-groups', { code: 't-bad', name: name('Bad'), rateIds: ['taxrate:t-iva16', 'taxrate:t-iva16'] }, 400, 'invalid_input');
      await refused('POST', '/tax-rates', { code: 't-huge', name: name('Huge'), rateBp: 2_000_000 }, 400, 'invalid_input');
      await refused('POST', '/tax-rates', { code: 't-frac', name: name('Frac'), rateBp: 16.5 }, 400, 'invalid_input');
      await refused('GET', '/tax-groups/t-snack/preview?amount=1.5', undefined, 400, 'invalid_price');
    });
  });

  describe('tenders and suppliers', () => {
    it('creates, edits and deactivates a tender; tender:cash cannot be deactivated', async () => {
      const voucher = await ok<Tender>('POST', '/tenders', { code: 'voucher', name: name('Voucher', 'Vale'), kind: 'other' });
      expect(voucher).to.include({ allowChange: false, allowOverTender: false, opensDrawer: false, active: true });
      await refused('POST', '/tenders', { code: 'eur', name: name('Euro'), kind: 'foreign' }, 400, 'invalid_document');
      expect(await ok<Tender>('POST', '/tenders', { code: 'eur', name: name('Euro'), kind: 'foreign', currency: 'EUR', rateToBase: 19_000_000 })).to.include({ allowChange: true, opensDrawer: true });
      await refused('POST', '/tenders', { code: 'cardx', name: name('Card'), kind: 'card', currency: 'EUR' }, 400, 'invalid_input');
      await refused('PATCH', '/tenders/voucher', { _rev: voucher._rev, kind: 'cash' }, 400, 'unknown_field');

      const edited = await ok<Tender>('PATCH', '/tenders/voucher', { _rev: voucher._rev, opensDrawer: true });
      expect(edited.opensDrawer).to.equal(true);
      const stale = await refused('DELETE', '/tenders/voucher', { _rev: voucher._rev }, 409, 'stale_edit');
      expect(stale.details?.current?._rev).to.equal(edited._rev);
      const off = await ok<Tender>('DELETE', '/tenders/voucher', { _rev: edited._rev });
      expect(off.active).to.equal(false);
      // Kept, not deleted: still read, and listed among the inactive ones.
      expect((await ok<Tender>('GET', '/tenders/voucher')).active).to.equal(false);
      expect((await ok<CatalogPage<Tender>>('GET', '/tenders?active=false')).items.map((t) => t.code)).to.deep.equal(['voucher']);
      expect((await ok<CatalogPage<Tender>>('GET', '/tenders?active=true')).items.map((t) => t.code)).to.include.members(['cash', 'eur']);

      const cash = await ok<Tender>('GET', '/tenders/cash');
      await refused('DELETE', '/tenders/cash', { _rev: cash._rev }, 400, 'invalid_input');
      await refused('PATCH', '/tenders/cash', { _rev: cash._rev, active: false }, 400, 'invalid_input');
      expect(await revOf('tender:cash')).to.equal(cash._rev);
    });

    it('creates, searches, edits and deactivates a supplier, and reactivates it by an edit', async () => {
      const s = await ok<Supplier>('POST', '/suppliers', { code: 'zsup', name: 'Zeta Distribución S.A.', contact: { email: 'ventas@zeta.example', phone: '+52 1' } });
      expect(s.active).to.equal(true);
      expect((await ok<CatalogPage<Supplier>>('GET', '/suppliers?q=distribucion')).items.map((x) => x.code)).to.include('zsup');
      const edited = await ok<Supplier>('PATCH', '/suppliers/zsup', { _rev: s._rev, contact: null, name: 'Zeta Distribución' });
      expect(edited).not.to.have.property('contact');
      const off = await ok<Supplier>('DELETE', '/suppliers/zsup', { _rev: edited._rev });
      expect(off.active).to.equal(false);
      expect((await ok<Supplier>('PATCH', '/suppliers/zsup', { _rev: off._rev, active: true })).active).to.equal(true);
    });
  });

  describe('sales reps', () => {
    it('creates, reads, searches, edits by revision and deactivates a sales rep; a taken code and bad input are refused', async () => {
      const rep = await ok<SalesRep>('POST', '/sales-reps', { code: 'R-ANA', name: 'Ana Núñez', commissionBp: 250 });
      expect(rep).to.deep.include({ _id: 'salesrep:R-ANA', type: 'salesrep', commissionBp: 250, active: true });
      expect(await ok<SalesRep>('GET', '/sales-reps/R-ANA')).to.deep.equal(rep);
      await ok('POST', '/sales-reps', { code: 'R-LUIS', name: 'Luis Pérez', commissionBp: 0, active: false });
      expect((await ok<CatalogPage<SalesRep>>('GET', '/sales-reps?q=nunez')).items.map((r) => r.code)).to.deep.equal(['R-ANA']);
      expect((await ok<CatalogPage<SalesRep>>('GET', '/sales-reps?active=false')).items.map((r) => r.code)).to.deep.equal(['R-LUIS']);
      const page = await ok<CatalogPage<SalesRep>>('GET', '/sales-reps?limit=1');
      expect([page.items.map((r) => r.code), page.total, page.nextCursor]).to.deep.equal([['R-ANA'], 2, 'R-ANA']);

      const raised = await ok<SalesRep>('PATCH', '/sales-reps/R-ANA', { _rev: rep._rev, commissionBp: 300, name: 'Ana Núñez G.' });
      expect(raised).to.deep.include({ commissionBp: 300, name: 'Ana Núñez G.' });
      const stale = await refused('PATCH', '/sales-reps/R-ANA', { _rev: rep._rev, commissionBp: 1 }, 409, 'stale_edit');
      expect(stale.details?.current?._rev).to.equal(raised._rev);
      await refused('DELETE', '/sales-reps/R-ANA', { _rev: rep._rev }, 409, 'stale_edit');
      await refused('PATCH', '/sales-reps/R-ANA', { commissionBp: 1 }, 400, 'rev_required');
      const off = await ok<SalesRep>('DELETE', '/sales-reps/R-ANA', { _rev: raised._rev });
      expect(off.active).to.equal(false);
      // Kept (sale lines name it) and reactivated by an edit.
      expect((await ok<SalesRep>('PATCH', '/sales-reps/R-ANA', { _rev: off._rev, active: true })).active).to.equal(true);

      await refused('POST', '/sales-reps', { code: 'R-ANA', name: 'Again', commissionBp: 1 }, 409, 'code_taken');
      await refused('POST', '/sales-reps', { code: 'R-X', name: 'Too much', commissionBp: 10_001 }, 400, 'invalid_input');
      await refused('POST', '/sales-reps', { code: 'R-X', name: 'Fraction', commissionBp: 2.5 }, 400, 'invalid_input');
      await refused('POST', '/sales-reps', { code: 'R-X', commissionBp: 1 }, 400, 'invalid_input');
      await refused('GET', '/sales-reps/R-NOPE', undefined, 404, 'not_found');
      expect((await api('GET', '/sales-reps/R-X')).status).to.equal(404);
    });
  });

  describe('deactivating departments, tax rates and tax groups', () => {
    it('keeps them (read and listed as inactive), refuses them for a new product, group or department, and takes them back by an edit', async () => {
      const dept = await ok<Department>('POST', '/departments', { code: 'ZOFF', name: name('Zeta off', 'Zeta fuera') });
      const rate = await ok<TaxRate>('POST', '/tax-rates', { code: 't-off', name: name('Old rate', 'Tasa vieja'), rateBp: 500 });
      const group = await ok<TaxGroup>('POST', '/tax-groups', { code: 't-offg', name: name('Old group', 'Grupo viejo'), rateIds: [rate._id] });
      expect([dept.active, rate.active, group.active]).to.deep.equal([true, true, true]);

      // A stale revision is refused, the current one deactivates.
      const renamed = await ok<Department>('PATCH', '/departments/ZOFF', { _rev: dept._rev, name: { en: 'Zeta gone' } });
      expect((await refused('DELETE', '/departments/ZOFF', { _rev: dept._rev }, 409, 'stale_edit')).details?.current?._rev).to.equal(renamed._rev);
      const deptOff = await ok<Department>('DELETE', '/departments/ZOFF', { _rev: renamed._rev });
      const rateOff = await ok<TaxRate>('DELETE', '/tax-rates/t-off', { _rev: rate._rev });
      const groupOff = await ok<TaxGroup>('DELETE', '/tax-groups/t-offg', { _rev: group._rev });
      expect([deptOff.active, rateOff.active, groupOff.active]).to.deep.equal([false, false, false]);
      await refused('DELETE', '/tax-groups/t-offg', { _rev: group._rev }, 409, 'stale_edit');
      expect((await ok<Department>('GET', '/departments/ZOFF')).active).to.equal(false);
      expect((await ok<CatalogPage<DepartmentRow>>('GET', '/departments?active=false')).items.map((d) => d.code)).to.deep.equal(['ZOFF']);
      expect((await ok<CatalogPage<TaxGroup>>('GET', '/tax-groups?active=false')).items.map((g) => g.code)).to.deep.equal(['t-offg']);
      expect((await ok<CatalogPage<TaxRate>>('GET', '/tax-rates?active=true')).items.map((r) => r.code)).not.to.include('t-off');
      // The group keeps its rate, and still computes with it (products in it keep their taxes).
      expect((await ok<TaxPreview>('GET', '/tax-groups/t-offg/preview?amount=10000')).taxTotal).to.equal(500);

      const fresh = { name: name('Zeta gum', 'Chicle zeta'), departmentId: 'department:ZTOP', taxGroupId: 'taxgroup:t-snack', price: 900 };
      const inDept = await refused('POST', '/products', { ...fresh, sku: 'Z-OFF1', departmentId: 'department:ZOFF' }, 400, 'inactive_reference');
      expect(inDept.reason).to.contain('departmentId: department:ZOFF is deactivated');
      await refused('POST', '/products', { ...fresh, sku: 'Z-OFF1', taxGroupId: 'taxgroup:t-offg' }, 400, 'inactive_reference');
      await refused('POST', '/departments', { code: 'ZUNDER', name: name('Under'), parentId: 'department:ZOFF' }, 400, 'inactive_reference');
      await refused('POST', '/departments', { code: 'ZUNDER', name: name('Under'), taxGroupId: 'taxgroup:t-offg' }, 400, 'inactive_reference');
      await refused('POST', '/tax-groups', { code: 't-new', name: name('New'), rateIds: ['taxrate:t-iva16', rate._id] }, 400, 'inactive_reference');
      const snack = await ok<TaxGroup>('GET', '/tax-groups/t-snack');
      await refused('PATCH', '/tax-groups/t-snack', { _rev: snack._rev, rateIds: [...snack.rateIds, rate._id] }, 400, 'inactive_reference');
      // What already names it keeps it: the group is renamed with its deactivated rate still in it.
      expect((await ok<TaxGroup>('PATCH', '/tax-groups/t-offg', { _rev: groupOff._rev, name: { en: 'Older group' } })).rateIds).to.deep.equal([rate._id]);
      expect((await api('GET', '/products/Z-OFF1')).status).to.equal(404);
      // Editing a product refuses them as creating one does, and changes nothing.
      const other = await ok<Product>('POST', '/products', { ...fresh, sku: 'Z-OFF2' });
      const moved = await refused('PATCH', '/products/Z-OFF2', { departmentId: 'department:ZOFF', price: 950 }, 400, 'inactive_reference');
      expect(moved.reason).to.contain('departmentId: department:ZOFF is deactivated');
      await refused('PATCH', '/products/Z-OFF2', { taxGroupId: 'taxgroup:t-offg' }, 400, 'inactive_reference');
      expect(await ok<Product>('GET', '/products/Z-OFF2')).to.deep.equal(other);

      // Reactivated by an edit, it may be chosen again.
      const deptOn = await ok<Department>('PATCH', '/departments/ZOFF', { _rev: deptOff._rev, active: true });
      expect((await ok<Product>('POST', '/products', { ...fresh, sku: 'Z-OFF1', departmentId: 'department:ZOFF' })).departmentId).to.equal('department:ZOFF');
      // Deactivated again, a product already in it keeps it through an edit that names it or not.
      await ok('DELETE', '/departments/ZOFF', { _rev: deptOn._rev });
      expect((await ok<Product>('PATCH', '/products/Z-OFF1', { price: 950 })).departmentId).to.equal('department:ZOFF');
      expect((await ok<Product>('PATCH', '/products/Z-OFF1', { departmentId: 'department:ZOFF', price: 900 })).price).to.equal(900);
    });
  });

  describe('specials', () => {
    const base = { name: name('Zeta 10% off', 'Zeta 10% de descuento'), kind: 'percent_off', percentBp: 1000, target: { departmentIds: ['department:ZTOP'] }, startsAt: '2030-01-01T00:00:00.000Z', endsAt: '2030-02-01T00:00:00.000Z' };

    it('creates a special for some stores and dates, lists it by store, edits and deactivates it', async () => {
      const s = await ok<Special>('POST', '/specials', { ...base, code: 'z10', storeIds: ['S001'] });
      expect(s).to.deep.include({ kind: 'percent_off', storeIds: ['S001'], active: true });
      const atS001 = (await ok<CatalogPage<Special>>('GET', '/specials?store=S001')).items.map((x) => x.code);
      const atS002 = (await ok<CatalogPage<Special>>('GET', '/specials?store=S002')).items.map((x) => x.code);
      expect(atS001).to.include('z10');
      expect(atS002).not.to.include('z10');
      // The seeded specials apply at every store.
      expect(atS002.length).to.be.above(0);

      const edited = await ok<Special>('PATCH', '/specials/z10', { _rev: s._rev, storeIds: null, endsAt: '2030-03-01T00:00:00.000Z', percentBp: 1500 });
      expect(edited).not.to.have.property('storeIds');
      expect(edited).to.deep.include({ endsAt: '2030-03-01T00:00:00.000Z', percentBp: 1500 });
      await refused('PATCH', '/specials/z10', { _rev: s._rev, percentBp: 1 }, 409, 'stale_edit');
      await refused('PATCH', '/specials/z10', { _rev: edited._rev, endsAt: '2029-01-01T00:00:00.000Z' }, 400, 'invalid_document');
      expect((await ok<Special>('DELETE', '/specials/z10', { _rev: edited._rev })).active).to.equal(false);
    });

    it("refuses another kind's terms, a missing term, an empty or unknown target, an unknown store and bad dates", async () => {
      await refused('POST', '/specials', { ...base, code: 'zbad', amount: 500 }, 400, 'invalid_input');
      const { percentBp: _p, ...noTerm } = base;
      await refused('POST', '/specials', { ...noTerm, code: 'zbad' }, 400, 'invalid_document');
      await refused('POST', '/specials', { ...base, code: 'zbad', target: {} }, 400, 'invalid_input');
      await refused('POST', '/specials', { ...base, code: 'zbad', target: { productIds: ['product:NOPE'] } }, 400, 'unknown_reference');
      await refused('POST', '/specials', { ...base, code: 'zbad', storeIds: ['S999'] }, 400, 'unknown_store');
      await refused('POST', '/specials', { ...base, code: 'zbad', startsAt: '2030-01-01' }, 400, 'invalid_input');
      await refused('POST', '/specials', { ...base, code: 'zbad', kind: 'qty_break', percentBp: undefined, breaks: [{ minQty: 3, unitPrice: 1.5 }] }, 400, 'invalid_price');
      expect((await api('GET', '/specials/zbad')).status).to.equal(404);
    });
  });

  describe('products', () => {
    const product = { sku: 'Z-0001', name: name('Zeta bread', 'Pan zeta'), barcodes: [ean('750999900001')], departmentId: 'department:ZTOP', taxGroupId: 'taxgroup:t-snack', supplierId: 'supplier:zsup', price: 2590, cost: 1200 };

    it('creates a product with barcodes, department, tax group, supplier, cost and price, and deactivates it by revision', async () => {
      const p = await ok<Product>('POST', '/products', product);
      expect(p).to.deep.include({ _id: 'product:Z-0001', unit: 'each', weighed: false, active: true, price: 2590, cost: 1200 });
      expect(await ok<Product>('GET', '/products/Z-0001')).to.deep.equal(p);
      expect((await ok<Product[]>('GET', `/products?barcode=${product.barcodes[0]}`)).map((x) => x.sku)).to.deep.equal(['Z-0001']);

      const priced = await ok<Product>('PATCH', '/products/Z-0001', { price: 2690 });
      const stale = await refused('DELETE', '/products/Z-0001', { _rev: p._rev }, 409, 'stale_edit');
      expect(stale.details?.current?._rev).to.equal(priced._rev);
      const off = await ok<Product>('DELETE', '/products/Z-0001', { _rev: priced._rev });
      expect(off).to.deep.include({ active: false, price: 2690 });
      expect(off.updatedAt >= priced.updatedAt).to.equal(true);
      // A SKU no document can have is not found (nano refuses a backslash in a path: no 500).
      await refused('DELETE', '/products/a%5Cb', { _rev: off._rev }, 404, 'product_not_found');
    });

    it('refuses a taken SKU or barcode, unknown references and bad fields; a kg product is weighed by default', async () => {
      const sku = await refused('POST', '/products', product, 409, 'sku_taken');
      expect(sku.reason).to.contain('product:Z-0001');
      await refused('POST', '/tenders', { code: 'cash', name: name('Cash'), kind: 'cash' }, 409, 'code_taken');
      await refused('POST', '/suppliers', { code: 'zsup', name: 'Again' }, 409, 'code_taken');
      await refused('POST', '/tax-rates', { code: 't-iva16', name: name('Again'), rateBp: 1 }, 409, 'code_taken');
      const taken = await refused('POST', '/products', { ...product, sku: 'Z-0002' }, 409, 'barcode_taken');
      expect(taken.reason).to.contain('Z-0001');
      await refused('POST', '/products', { ...product, sku: 'Z-0002', barcodes: [], departmentId: 'department:NOPE' }, 400, 'unknown_reference');
      await refused('POST', '/products', { ...product, sku: 'Z-0002', barcodes: [], taxGroupId: 'taxgroup:nope' }, 400, 'unknown_reference');
      await refused('POST', '/products', { ...product, sku: 'Z-0002', barcodes: ['7509999000010'] }, 400, 'invalid_barcode');
      await refused('POST', '/products', { ...product, sku: 'Z-0002', barcodes: [], unit: 'lb' }, 400, 'invalid_input');
      await refused('POST', '/products', { ...product, sku: 'Z-0002', barcodes: [], price: -1 }, 400, 'invalid_price');
      const kg = await ok<Product>('POST', '/products', { ...product, sku: 'Z-0002', barcodes: [], unit: 'kg' });
      expect(kg).to.include({ weighed: true, unit: 'kg' });
    });
  });

  describe("a store's prices: listed and checked", () => {
    it('lists the overrides with names and chain prices, by SKU prefix or name, paged', async () => {
      const skus = ['Z-0001', 'Z-0002', 'Z-OFF1'];
      const set = await ok<BulkPriceAnswer>('PUT', '/store-prices/S001', { prices: skus.map((sku, i) => ({ sku, price: 1000 + i })) });
      expect(set.counts.set).to.equal(3);
      const all = await ok<CatalogPage<StorePriceRow>>('GET', '/store-prices/S001');
      expect(all.items.map((r) => [r.sku, r.price, r.basePrice])).to.deep.equal([['Z-0001', 1000, 2690], ['Z-0002', 1001, 2590], ['Z-OFF1', 1002, 900]]);
      expect(all.items[0]?.name).to.deep.equal(name('Zeta bread', 'Pan zeta'));
      expect((await ok<CatalogPage<StorePriceRow>>('GET', '/store-prices/S001?q=chicle')).items.map((r) => r.sku)).to.deep.equal(['Z-OFF1']);
      expect((await ok<CatalogPage<StorePriceRow>>('GET', '/store-prices/S001?q=z-00')).items.map((r) => r.sku)).to.deep.equal(['Z-0001', 'Z-0002']);
      const first = await ok<CatalogPage<StorePriceRow>>('GET', '/store-prices/S001?limit=2');
      expect([first.items.length, first.total, first.nextCursor]).to.deep.equal([2, 3, 'Z-0002']);
      const next = await ok<CatalogPage<StorePriceRow>>('GET', '/store-prices/S001?limit=2&cursor=Z-0002');
      expect([next.items.map((r) => r.sku), next.nextCursor]).to.deep.equal([['Z-OFF1'], null]);
      expect((await ok<CatalogPage<StorePriceRow>>('GET', '/store-prices/S002')).total).to.equal(0);
      await refused('GET', '/store-prices/S999', undefined, 404, 'store_not_found');
    });

    it('checks a bulk request line by line, naming unknown and repeated SKUs, and writes nothing', async () => {
      const db = hqStoreDbName('S001');
      const before = (await hq.couch.request<{ update_seq: unknown }>(`/${db}`)).update_seq;
      const check = await ok<PriceCheckAnswer>('POST', '/store-prices/S001/check', {
        prices: [
          { sku: 'Z-0001', price: 1000 },
          { sku: 'Z-0002', price: 1500 },
          { sku: 'Z-OFF1', price: null },
          { sku: 'NOPE-1', price: 100 },
          { sku: 'Z-0002', price: 1600 },
          { sku: 'Z-0001-X', price: null },
        ],
      });
      expect(check.lines.map((l) => [l.sku, l.result, l.error ?? null, l.current])).to.deep.equal([
        ['Z-0001', 'unchanged', null, 1000],
        ['Z-0002', 'set', null, 1001],
        ['Z-OFF1', 'removed', null, 1002],
        ['NOPE-1', 'error', 'unknown_sku', null],
        ['Z-0002', 'error', 'repeated_sku', 1001],
        ['Z-0001-X', 'error', 'unknown_sku', null],
      ]);
      expect(check.counts).to.deep.equal({ set: 1, removed: 1, unchanged: 1, error: 3 });
      expect(check.lines[1]).to.deep.include({ basePrice: 2590, name: name('Zeta bread', 'Pan zeta') });
      expect((await hq.couch.request<{ update_seq: unknown }>(`/${db}`)).update_seq).to.deep.equal(before);
      // The PUT refuses the same lines whole, as the check said it would.
      await refused('PUT', '/store-prices/S001', { prices: [{ sku: 'Z-0001', price: 1 }, { sku: 'NOPE-1', price: 1 }] }, 400, 'invalid_lines');
      await refused('POST', '/store-prices/S001/check', { prices: [] }, 400, 'too_many_lines');
      await refused('POST', '/store-prices/S999/check', { prices: [{ sku: 'Z-0001', price: 1 }] }, 404, 'store_not_found');
    });
  });

  describe('permissions and audit', () => {
    it('lets a signed-in user without catalog.edit read but not write, and nobody in without a session', async () => {
      expect((await api('POST', '/users', { username: 'carla.cajera', password: 'carla-password-1', roles: ['role:cashier'] })).status).to.equal(201);
      const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'carla.cajera', password: 'carla-password-1' });
      const cashier = { Authorization: `Bearer ${login.body.accessToken}` };
      expect((await api('GET', '/departments', undefined, cashier)).status).to.equal(200);
      expect((await api('GET', '/tenders/cash', undefined, cashier)).status).to.equal(200);
      expect((await api('GET', '/sales-reps', undefined, cashier)).status).to.equal(200);
      expect((await api('GET', '/store-prices/S001', undefined, cashier)).status).to.equal(200);
      const writes: Array<[string, string, unknown]> = [
        ['POST', '/departments', { code: 'ZC', name: name('C') }],
        ['PATCH', '/departments/ZTOP', { _rev: await revOf('department:ZTOP'), name: { en: 'C' } }],
        ['POST', '/tax-rates', { code: 'c1', name: name('C'), rateBp: 1 }],
        ['POST', '/tax-groups', { code: 'c1', name: name('C'), rateIds: [] }],
        ['POST', '/tenders', { code: 'c1', name: name('C'), kind: 'other' }],
        ['DELETE', '/suppliers/zsup', { _rev: await revOf('supplier:zsup') }],
        ['POST', '/specials', { code: 'c1' }],
        ['POST', '/products', { sku: 'C1' }],
        ['POST', '/sales-reps', { code: 'c1', name: 'C', commissionBp: 1 }],
        ['PATCH', '/sales-reps/R-ANA', { _rev: await revOf('salesrep:R-ANA'), commissionBp: 1 }],
        ['DELETE', '/sales-reps/R-ANA', { _rev: await revOf('salesrep:R-ANA') }],
        ['DELETE', '/departments/ZTOP', { _rev: await revOf('department:ZTOP') }],
        ['DELETE', '/tax-rates/t-iva16', { _rev: await revOf('taxrate:t-iva16') }],
        ['DELETE', '/tax-groups/t-snack', { _rev: await revOf('taxgroup:t-snack') }],
        ['POST', '/store-prices/S001/check', { prices: [{ sku: 'Z-0001', price: 1 }] }],
      ];
      for (const [method, path, body] of writes) {
        const res = await api<Refusal>(method, path, body, cashier);
        expect([res.status, res.body.error], `${method} ${path}`).to.deep.equal([403, 'permission_denied']);
      }
      expect((await api('GET', '/departments', undefined, {})).status).to.equal(401);
      expect((await api('GET', '/department-tree', undefined, {})).status).to.equal(401);
    });

    it('audits every write that changed something, and writes no revision nor entry for an edit to the same values', async () => {
      const entries = await ok<AuditEntry[]>('GET', '/audit?limit=1000');
      const actions = new Set(entries.map((e) => `${e.action} ${e.target}`));
      for (const expected of [
        'department.create department:ZLOW',
        'department.update department:ZMID',
        'taxrate.create taxrate:t-iva16',
        'taxrate.update taxrate:t-ieps8',
        'taxgroup.create taxgroup:t-snack',
        'taxgroup.update taxgroup:t-snack',
        'tender.create tender:voucher',
        'tender.update tender:voucher',
        'tender.deactivate tender:voucher',
        'supplier.deactivate supplier:zsup',
        'special.create special:z10',
        'special.update special:z10',
        'special.deactivate special:z10',
        'product.create product:Z-0001',
        'product.deactivate product:Z-0001',
        'salesrep.create salesrep:R-ANA',
        'salesrep.update salesrep:R-ANA',
        'salesrep.deactivate salesrep:R-ANA',
        'department.deactivate department:ZOFF',
        'taxrate.deactivate taxrate:t-off',
        'taxgroup.deactivate taxgroup:t-offg',
      ]) {
        expect(actions, expected).to.include(expected);
      }
      const update = entries.find((e) => e.action === 'department.update' && e.target === 'department:ZLOW');
      expect(update?.actor).to.match(/^hq:/);
      expect(update?.detail?.fields).to.deep.equal(['name', 'parentId']);

      const rate = await ok<TaxRate>('GET', '/tax-rates/t-iva16');
      const same = await ok<TaxRate>('PATCH', '/tax-rates/t-iva16', { _rev: rate._rev, rateBp: rate.rateBp });
      expect(same._rev).to.equal(rate._rev);
      const after = await ok<AuditEntry[]>('GET', '/audit?limit=5');
      expect(after.some((e) => e.action === 'taxrate.update' && e.target === 'taxrate:t-iva16')).to.equal(false);
    });
  });
});
