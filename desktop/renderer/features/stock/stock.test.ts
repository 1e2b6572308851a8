// Stock adjustments at the till (issue 11, manager mode): the quantity a person types or counts becomes a
// signed move, written to the local replica with its audit entry, valid for the relay's validator, refused
// without 'inventory.adjust'.
import { expect } from 'chai';
import { PouchDB } from '../../../../server-kit/replication/pouch';
import { config } from '../../../../scripts/seed/documents';
import { checkWrite } from '../../../../shared/model/access';
import { parseAuditId, parseMoveId, typePrefix } from '../../../../shared/model/ids';
import { RELAY_STORE_DB, terminalCouchRoles, terminalPrincipal } from '../../../../shared/model/names';
import type { AuditEntry } from '../../../../shared/model/types';
import { validateDoc } from '../../../../shared/model/validate';
import type { Till } from '../checkout/commit';
import { docsWithPrefix } from '../checkout/localDb';
import { adjustmentQty, commitAdjustment, parseQty } from './stock';

const till: Till = { config: config('S001'), terminalId: 'T1' };
const manager = { userId: 'u-mgr', permissions: ['inventory.adjust', 'reports.view'] };
const NOW = '2025-06-02T15:00:00.000Z';
/** This terminal as the relay's CouchDB sees it (through the gateway). */
const T1_CTX = { name: terminalPrincipal('S001', 'T1'), roles: terminalCouchRoles('S001', 'T1'), db: RELAY_STORE_DB };

describe('stock adjustments at the till (issue 11)', () => {
  let db: PouchDB.Database;
  beforeEach(() => {
    db = new PouchDB(`stock-${Math.random()}`, { adapter: 'memory' });
  });
  afterEach(() => db.destroy());

  it('reads typed quantities, signed, with a decimal point or comma, at most 3 decimals', () => {
    expect(parseQty('3')).to.equal(3);
    expect(parseQty(' -2 ')).to.equal(-2);
    expect(parseQty('+1.5')).to.equal(1.5);
    expect(parseQty('2,25')).to.equal(2.25);
    expect(parseQty('.5')).to.equal(0.5);
    for (const bad of ['', 'abc', '1.2345', '1e3', '--1', '1,2,3']) expect(parseQty(bad), bad).to.equal(null);
  });

  it('turns a change or a count into the signed quantity of the move', () => {
    expect(adjustmentQty('delta', -3, null, 'each')).to.deep.equal({ ok: true, value: -3 });
    // Counted 7 where the store server says 10: three are gone.
    expect(adjustmentQty('count', 7, 10_000, 'each')).to.deep.equal({ ok: true, value: -3 });
    expect(adjustmentQty('count', 2.75, 1_500, 'kg')).to.deep.equal({ ok: true, value: 1.25 });
    expect(adjustmentQty('count', 5, null, 'each')).to.deep.equal({ ok: false, error: { code: 'count_needs_level' } });
    expect(adjustmentQty('count', 10, 10_000, 'each')).to.deep.equal({ ok: false, error: { code: 'no_change' } });
    expect(adjustmentQty('delta', 0, null, 'each')).to.deep.equal({ ok: false, error: { code: 'no_change' } });
    expect(adjustmentQty('delta', 1.5, null, 'each')).to.deep.equal({ ok: false, error: { code: 'whole_units' } });
    expect(adjustmentQty('count', -1, 0, 'kg')).to.deep.equal({ ok: false, error: { code: 'invalid_qty' } });
  });

  it('writes a valid move and its audit entry locally, both writable by this terminal at the relay', async () => {
    const res = await commitAdjustment(db, { ...till, user: manager, productId: 'product:A1', qty: -2, reason: 'damage', note: ' broken in the aisle ', uuid: 'u-1', auditUuid: 'a-1', now: NOW });
    expect(res.ok, JSON.stringify(res)).to.equal(true);
    if (!res.ok) return;
    expect(parseMoveId(res.value._id)).to.deep.equal({ storeId: 'S001', uuid: 'u-1' });
    const stored = await db.get(res.value._id);
    expect(stored).to.include({ type: 'move', storeId: 'S001', reason: 'damage', userId: 'u-mgr', note: 'broken in the aisle', createdAt: NOW });
    expect(stored).to.deep.include({ lines: [{ productId: 'product:A1', qty: -2 }] });
    const [audit] = await docsWithPrefix<AuditEntry>(db, typePrefix('audit'));
    expect(audit).to.include({ actor: 'user:u-mgr', action: 'stock.adjust', target: res.value._id, from: 'T1', storeId: 'S001', at: NOW });
    expect(parseAuditId(audit?._id ?? '')?.storeId).to.equal('S001');
    for (const doc of [stored, audit]) {
      expect(validateDoc(doc)).to.deep.equal([]);
      // What the relay's validate_doc_update runs for a write through this terminal's credential.
      expect(checkWrite('relay-store', { ...(doc as object), _rev: undefined }, null, T1_CTX)).to.equal(null);
    }
  });

  it('refuses without inventory.adjust and with a zero quantity, writing nothing', async () => {
    const cashier = { userId: 'u-c', permissions: ['sale.ring'] };
    expect(await commitAdjustment(db, { ...till, user: cashier, productId: 'product:A1', qty: 1, reason: 'count', uuid: 'u-2', auditUuid: 'a-2' })).to.deep.equal({
      ok: false, error: { code: 'permission_denied', permission: 'inventory.adjust' },
    });
    expect((await commitAdjustment(db, { ...till, user: manager, productId: 'product:A1', qty: 0, reason: 'count', uuid: 'u-3', auditUuid: 'a-3' })).ok).to.equal(false);
    expect((await db.allDocs()).rows).to.have.length(0);
  });
});
