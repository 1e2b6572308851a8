// Issue #11: a document the relay refused showed the relay's English reason in a Spanish till. Every reason here
// is produced by the relay's own validator (shared/model/access.ts checkWrite, as validate_doc_update runs it)
// or is the replication gateway's, so a changed wording fails this test instead of reaching a cashier in English;
// each known cause has its message in both languages, and an unknown one keeps the relay's text.
import { expect } from 'chai';
import { LEDGER_IMMUTABLE } from '../../../server-kit/gateway';
import { ERRORS, isErrorCode } from '../../../shared/api/errors';
import { checkWrite } from '../../../shared/model/access';
import { storeCouchRoles, terminalCouchRoles } from '../../../shared/model/names';
import type { Sale } from '../../../shared/model/types';
import { addItem, emptyCart } from '../../../shared/pos/cart';
import { buildSale } from '../../../shared/pos/sale';
import { CASH, catalog, m, must, product, storeConfig } from '../../../tests/support/posFixtures';
import { en } from '../i18n/en';
import { es } from '../i18n/es';
import { REFUSAL_CODES, refusalCause, type RefusalCode } from './refusals';
import { terminalTokens } from './terminalSync';

const T1 = { name: 'terminal:S001:T1', roles: terminalCouchRoles('S001', 'T1') };

function ownSale(): Sale {
  const config = storeConfig();
  const cart = must(addItem(emptyCart(), product('A', 18000, { name: 'Bolillo' }), 1));
  return must(buildSale({ config, terminalId: 'T1', seq: 1, shiftId: 'shift:S001:T1:1', cashierId: 'u-cashier', cart, catalog: catalog(), tenders: [{ tender: CASH, tendered: m(50000) }], now: '2025-03-14T18:00:00Z' }));
}

/** The validator's reason for a write by terminal T1 of store S001 (null would mean it was allowed). */
function reasonOf(newDoc: object, oldDoc: object | null = null, userCtx: object = T1): string {
  const reason = checkWrite('relay-store', newDoc, oldDoc, userCtx);
  if (reason === null) throw new Error(`the validator allowed ${JSON.stringify(newDoc).slice(0, 80)}`);
  return reason;
}

describe('a refused document in the till’s language (issue #11)', () => {
  const sale = ownSale();
  const stored = { ...sale, _rev: '1-abc' };
  const otherId = 'sale:S001:T77:00000001';
  const cases: Array<{ what: string; id: string; reason: string; code: RefusalCode; params?: Record<string, string> }> = [
    { what: 'another terminal’s sale', id: otherId, reason: reasonOf({ ...sale, _id: otherId, terminalId: 'T77', receiptNumber: 'S001-T77-1' }), code: 'other_terminal', params: { terminal: 'T77' } },
    { what: 'a document whose id only names another terminal', id: otherId, reason: reasonOf({ ...sale, _id: otherId, terminalId: undefined }), code: 'other_terminal', params: { terminal: 'T77' } },
    { what: 'another store’s sale', id: 'sale:S002:T1:00000001', reason: reasonOf({ ...sale, _id: 'sale:S002:T1:00000001', storeId: 'S002' }), code: 'other_store' },
    { what: 'an edited sale', id: sale._id, reason: reasonOf({ ...stored, total: sale.total + 1 }, stored), code: 'ledger_immutable' },
    { what: 'an edit refused by the gateway', id: sale._id, reason: LEDGER_IMMUTABLE, code: 'ledger_immutable' },
    { what: 'a deleted sale', id: sale._id, reason: reasonOf({ _id: sale._id, _rev: '2-def', _deleted: true }, stored), code: 'ledger_delete' },
    { what: 'a product written at a till', id: 'product:A', reason: reasonOf({ _id: 'product:A', type: 'product', storeId: 'S001' }), code: 'type_not_allowed' },
    { what: 'a damaged sale', id: sale._id, reason: reasonOf({ ...sale, total: 'twelve' }), code: 'invalid_document' },
    { what: 'a store credential', id: sale._id, reason: reasonOf(sale, null, { name: 'store:S001', roles: storeCouchRoles('S001') }), code: 'not_terminal' },
    { what: 'no Caja role', id: sale._id, reason: reasonOf(sale, null, { name: 'x', roles: [] }), code: 'not_terminal' },
    { what: 'an attachment', id: sale._id, reason: 'attachments are not accepted through the replication gateway', code: 'not_accepted' },
  ];

  for (const c of cases) {
    it(`${c.what}: ${c.code}`, () => {
      expect(refusalCause(c.id, 'forbidden', c.reason), c.reason).to.deep.equal({ code: c.code, params: c.params ?? {} });
    });
  }

  it('covers every code, each with an English and a different Spanish message naming the same values', () => {
    expect(new Set(cases.map((c) => c.code))).to.deep.equal(new Set(REFUSAL_CODES));
    for (const code of REFUSAL_CODES) {
      const key = `sync.refusal.${code}` as const;
      expect(en[key], key).to.be.a('string').and.not.equal('');
      expect(es[key], key).to.be.a('string').and.not.equal(en[key]);
      expect(es[key].match(/\{\{\w+\}\}/g), key).to.deep.equal(en[key].match(/\{\{\w+\}\}/g));
    }
  });

  it('keeps the relay’s text for a reason or an error it does not know', () => {
    expect(refusalCause(otherId, 'forbidden', 'a brand new rule')).to.deep.equal({ code: null, params: {} });
    expect(refusalCause(otherId, 'conflict', 'terminal S001:T1 may not write sale:S001:T77:00000001')).to.deep.equal({ code: null, params: {} });
  });

  it('the relay refusing the terminal itself: its API error code comes with the error, for the table’s Spanish', async () => {
    const answer = { error: 'terminal_credential_invalid', reason: 'terminal S001:T9 is not paired' };
    const fetchImpl = (async () => new Response(JSON.stringify(answer), { status: 401, headers: { 'Content-Type': 'application/json' } })) as typeof fetch;
    const pairing = { storeCode: 'S001', terminalId: 'T9', secret: 'x', relayUrl: 'http://127.0.0.1:1', couchdbUrl: '', db: 'caja-store' };
    const err = (await terminalTokens(pairing, fetchImpl).sync().then(() => null, (e: unknown) => e)) as { status?: number; code?: string; message?: string } | null;
    expect(err).to.include({ status: 401, code: 'terminal_credential_invalid', message: answer.reason });
    expect(isErrorCode(err?.code)).to.equal(true);
    expect(ERRORS.terminal_credential_invalid.message.es).to.match(/terminal/);
  });
});
