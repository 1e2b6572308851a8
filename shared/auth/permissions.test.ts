import { expect } from 'chai';
import {
  ALL_PERMISSIONS,
  DEFAULT_ROLES,
  PERMISSIONS,
  canApproveDiscount,
  defaultRoleDocs,
  hasPermission,
  isPermission,
  permissionLabel,
  resolvePermissions,
  withinDiscountLimit,
} from './permissions';

const role = (code: string) => {
  const r = defaultRoleDocs().find((d) => d.code === code);
  if (!r) throw new Error(`no role ${code}`);
  return r;
};

describe('shared/auth/permissions', () => {
  it('registers every permission of the brief with en and es labels', () => {
    const expected = [
      'sale.void', 'sale.refund', 'discount.over_limit', 'price.override', 'register.open', 'register.close',
      'register.cash_in_out', 'sale.ring', 'inventory.adjust', 'inventory.receive', 'transfer.send',
      'transfer.receive', 'catalog.edit', 'stores.provision', 'users.manage', 'reports.view',
      'terminals.manage', 'sync.admin', 'customers.edit', 'return.late',
    ];
    expect([...ALL_PERMISSIONS].sort()).to.deep.equal([...expected].sort());
    for (const p of ALL_PERMISSIONS) {
      expect(PERMISSIONS[p].label.en).to.match(/\S/);
      expect(PERMISSIONS[p].label.es).to.match(/\S/);
    }
    expect(permissionLabel('sale.void', 'es')).to.equal('Anular una venta');
    expect(isPermission('sale.void')).to.equal(true);
    expect(isPermission('toString')).to.equal(false);
  });

  it('resolves roles into the union of permissions and the largest discount limit', () => {
    const r = resolvePermissions([role('cashier'), { permissions: ['sale.void', 'future.thing'], discountLimitBp: 800 }]);
    expect(r.permissions).to.include.members(['sale.ring', 'sale.void']);
    expect(r.permissions).to.not.include('future.thing'); // unknown names never grant anything
    expect(new Set(r.permissions).size).to.equal(r.permissions.length);
    expect(r.discountLimitBp).to.equal(800);
    expect(resolvePermissions([])).to.deep.equal({ permissions: [], discountLimitBp: 0 });
  });

  it('gives the default roles a growing set of permissions and discount limits', () => {
    const codes = DEFAULT_ROLES.map((r) => r.code);
    expect(codes).to.deep.equal(['cashier', 'supervisor', 'store_manager', 'hq_admin']);
    for (let i = 1; i < DEFAULT_ROLES.length; i++) {
      const prev = DEFAULT_ROLES[i - 1]!;
      const cur = DEFAULT_ROLES[i]!;
      expect(cur.permissions).to.include.members(prev.permissions);
      expect(cur.discountLimitBp).to.be.greaterThan(prev.discountLimitBp);
    }
    expect(role('hq_admin').permissions).to.have.members(ALL_PERMISSIONS);
    expect(role('cashier').permissions).to.not.include('sale.void');
    expect(role('store_manager').permissions).to.not.include('catalog.edit');
    const doc = role('cashier');
    expect(doc).to.include({ _id: 'role:cashier', type: 'role', schema: 1 });
  });

  it('decides permissions for users, and an inactive user has none', () => {
    const cashier = { ...resolvePermissions([role('cashier')]), active: true };
    const manager = { ...resolvePermissions([role('store_manager')]), active: true };
    expect(hasPermission(cashier, 'sale.ring')).to.equal(true);
    expect(hasPermission(cashier, 'sale.void')).to.equal(false);
    expect(hasPermission(manager, 'sale.void')).to.equal(true);
    expect(hasPermission({ ...manager, active: false }, 'sale.void')).to.equal(false);
    expect(hasPermission(null, 'sale.ring')).to.equal(false);
  });

  it('decides discounts: within own limit, or approved by someone with a high enough limit', () => {
    const cashier = resolvePermissions([role('cashier')]);
    const supervisor = resolvePermissions([role('supervisor')]);
    expect(withinDiscountLimit(cashier, 500)).to.equal(true);
    expect(withinDiscountLimit(cashier, 501)).to.equal(false);
    expect(canApproveDiscount(cashier, 400)).to.equal(false);
    expect(canApproveDiscount(supervisor, 2000)).to.equal(true);
    expect(canApproveDiscount(supervisor, 2500)).to.equal(false);
  });
});
