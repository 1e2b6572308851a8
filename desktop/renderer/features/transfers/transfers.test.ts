// Transfers at the till (issue 11, manager mode): a draft built by scans, the transfer written locally (which
// ships it), the outgoing and incoming lists from the replica, and the arrival with per-line variance —
// each document valid and writable by the terminal at its relay, each refused without its permission.
import { expect } from 'chai';
import { PouchDB } from '../../../../server-kit/replication/pouch';
import { config, transfer } from '../../../../scripts/seed/documents';
import { checkWrite } from '../../../../shared/model/access';
import { transferArrivalId, transferId, typePrefix } from '../../../../shared/model/ids';
import { RELAY_STORE_DB, terminalCouchRoles, terminalPrincipal } from '../../../../shared/model/names';
import type { AuditEntry, Transfer } from '../../../../shared/model/types';
import type { Till } from '../checkout/commit';
import { docsWithPrefix } from '../checkout/localDb';
import { addDraftLine, arrivalLines, commitArrival, commitTransfer, setDraftQty, transfersOf, varianceSummary, type DraftLine } from './transfers';

const S1: Till = { config: config('S001'), terminalId: 'T1' };
const S2: Till = { config: config('S002'), terminalId: 'T1' };
const manager = { userId: 'u-mgr', permissions: ['transfer.send', 'transfer.receive'] };
const ctx = (store: string) => ({ name: terminalPrincipal(store, 'T1'), roles: terminalCouchRoles(store, 'T1'), db: RELAY_STORE_DB });
const item = (sku: string, unit: 'each' | 'kg' = 'each'): Omit<DraftLine, 'qty'> => ({ productId: `product:${sku}`, sku, name: { en: sku, es: sku }, unit });

describe('transfers at the till (issue 11)', () => {
  let db: PouchDB.Database;
  beforeEach(() => {
    db = new PouchDB(`transfers-${Math.random()}`, { adapter: 'memory' });
  });
  afterEach(() => db.destroy());

  it('builds a draft: one line per product, scans add up, zero removes', () => {
    let lines = addDraftLine([], item('A1'));
    lines = addDraftLine(lines, item('W1', 'kg'), 1.25);
    lines = addDraftLine(lines, item('A1'), 2);
    expect(lines.map((l) => [l.sku, l.qty])).to.deep.equal([['W1', 1.25], ['A1', 3]]);
    expect(setDraftQty(lines, 'product:A1', 5).map((l) => l.qty)).to.deep.equal([1.25, 5]);
    expect(setDraftQty(lines, 'product:W1', 0).map((l) => l.sku)).to.deep.equal(['A1']);
  });

  it('sends a transfer: written locally, valid, audited, writable by the terminal', async () => {
    const lines = [{ ...item('A1'), qty: 3 }, { ...item('W1', 'kg'), qty: 2.5 }];
    const res = await commitTransfer(db, { ...S1, user: manager, toStoreId: ' s002', lines, uuid: 'x-1', auditUuid: 'a-1', now: '2025-06-02T15:00:00.000Z' });
    expect(res.ok, JSON.stringify(res)).to.equal(true);
    if (!res.ok) return;
    expect(res.value).to.include({ _id: transferId('S001', 'x-1'), storeId: 'S001', fromStoreId: 'S001', toStoreId: 'S002', userId: 'u-mgr' });
    expect(res.value.lines).to.deep.equal([{ productId: 'product:A1', qty: 3 }, { productId: 'product:W1', qty: 2.5 }]);
    const [audit] = await docsWithPrefix<AuditEntry>(db, typePrefix('audit'));
    expect(audit).to.include({ action: 'transfer.send', target: res.value._id, actor: 'user:u-mgr', from: 'T1' });
    for (const doc of [await db.get(res.value._id), audit]) expect(checkWrite('relay-store', { ...(doc as object), _rev: undefined }, null, ctx('S001'))).to.equal(null);
  });

  it('refuses a transfer without the permission, to itself, to a bad code, empty, or with a bad quantity', async () => {
    const one = [{ ...item('A1'), qty: 1 }];
    const base = { ...S1, user: manager, uuid: 'x-2', auditUuid: 'a-2' };
    const refusal = async (input: Partial<Parameters<typeof commitTransfer>[1]>) => {
      const r = await commitTransfer(db, { ...base, toStoreId: 'S002', lines: one, ...input });
      return r.ok ? null : r.error.code;
    };
    expect(await refusal({ user: { userId: 'u-c', permissions: ['sale.ring'] } })).to.equal('permission_denied');
    expect(await refusal({ toStoreId: 's001' })).to.equal('same_store');
    expect(await refusal({ toStoreId: 'no such store!' })).to.equal('invalid_store');
    expect(await refusal({ lines: [] })).to.equal('no_lines');
    expect(await refusal({ lines: [{ ...item('A1'), qty: 1.5 }] })).to.equal('invalid_qty');
    expect(await refusal({ lines: [{ ...item('A1'), qty: -1 }] })).to.equal('invalid_qty');
    expect((await db.allDocs()).rows).to.have.length(0);
  });

  it('lists outgoing and incoming transfers of the window, newest first, with their arrivals', async () => {
    const old: Transfer = { ...transfer('S001', 'S002'), _id: transferId('S001', 'old'), createdAt: '2025-05-01T10:00:00.000Z' };
    const out1: Transfer = { ...transfer('S001', 'S002'), _id: transferId('S001', 'o1'), createdAt: '2025-06-01T10:00:00.000Z' };
    const out2: Transfer = { ...transfer('S001', 'S003'), _id: transferId('S001', 'o2'), createdAt: '2025-06-02T10:00:00.000Z' };
    const in1: Transfer = { ...transfer('S003', 'S001'), _id: transferId('S003', 'i1'), createdAt: '2025-06-01T12:00:00.000Z' };
    const in2: Transfer = { ...transfer('S002', 'S001'), _id: transferId('S002', 'i2'), createdAt: '2025-06-02T12:00:00.000Z' };
    const elsewhere: Transfer = { ...transfer('S002', 'S003'), _id: transferId('S002', 'e1'), createdAt: '2025-06-02T12:00:00.000Z' };
    await db.bulkDocs([old, out1, out2, in1, in2, elsewhere]);
    const r = await commitArrival(db, { ...S1, user: manager, transfer: in1, received: [null], auditUuid: 'a-3' });
    expect(r.ok).to.equal(true);
    const lists = await transfersOf(db, 'S001', '2025-05-20');
    expect(lists.outgoing.map((t) => t.transfer._id)).to.deep.equal([out2._id, out1._id]);
    expect(lists.incoming.map((t) => [t.transfer._id, t.arrival?._id ?? null])).to.deep.equal([
      [in2._id, null],
      [in1._id, transferArrivalId(in1._id)],
    ]);
  });

  it('receives with per-line variance, once, only at the destination, with transfer.receive', async () => {
    const sent: Transfer = { ...transfer('S002', 'S001'), _id: transferId('S002', 'r1'), lines: [{ productId: 'product:A1', qty: 5 }, { productId: 'product:B1', qty: 2 }, { productId: 'product:W1', qty: 1.5 }] };
    await db.put(sent);
    const lines = arrivalLines(sent, [4, null, 1.75]);
    expect(lines.map((l) => [l.sent, l.received, l.variance])).to.deep.equal([[5, 4, -1], [2, 2, 0], [1.5, 1.75, 0.25]]);
    expect(varianceSummary(lines)).to.deep.equal({ short: 1, over: 1, exact: false });

    const noPerm = await commitArrival(db, { ...S1, user: { userId: 'u-c', permissions: [] }, transfer: sent, received: [4, null, 1.75], auditUuid: 'a-4' });
    expect(noPerm).to.deep.equal({ ok: false, error: { code: 'permission_denied', permission: 'transfer.receive' } });
    const wrongStore = await commitArrival(db, { ...S2, user: manager, transfer: sent, received: [], auditUuid: 'a-5' });
    expect(wrongStore.ok ? null : wrongStore.error.code).to.equal('not_for_this_store');

    const res = await commitArrival(db, { ...S1, user: manager, transfer: sent, received: [4, 0, 1.75], auditUuid: 'a-6', now: '2025-06-03T09:00:00.000Z' });
    expect(res.ok, JSON.stringify(res)).to.equal(true);
    if (!res.ok) return;
    expect(res.value).to.include({ _id: transferArrivalId(sent._id), type: 'receipt', storeId: 'S001', transferId: sent._id });
    expect(res.value.lines.map((l) => l.qty)).to.deep.equal([4, 0, 1.75]);
    const audits = await docsWithPrefix<AuditEntry>(db, typePrefix('audit'));
    expect(audits.map((a) => [a.action, a.detail])).to.deep.equal([['transfer.receive', { transferId: sent._id, short: 2, over: 1 }]]);
    for (const doc of [await db.get(res.value._id), audits[0]]) expect(checkWrite('relay-store', { ...(doc as object), _rev: undefined }, null, ctx('S001'))).to.equal(null);

    const again = await commitArrival(db, { ...S1, user: manager, transfer: sent, received: [5, 2, 1.5], auditUuid: 'a-7' });
    expect(again).to.deep.equal({ ok: false, error: { code: 'already_received', transferId: sent._id } });
  });
});
