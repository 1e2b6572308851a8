// Issue #8, "Trust boundaries": every attack that once succeeded, and the classes around it, run as an
// adversary holding a credential would run them — a store's relay credential, a paired terminal's tokens,
// an HQ cashier's login, a manager of another store, a web page on the store LAN — against a whole chain
// (HQ and two relays, each with its own CouchDB): on the embedded server, and on genuine Apache CouchDB
// 3.5 from ../shared/couchdb when it is present. Each attempt must be refused and leave nothing behind;
// the suite prints "N attempts, 0 succeeded".
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Chain, Terminal } from '../support/chain';
import { startChain } from '../support/chain';
import { signCouchToken } from '../../server-kit/couch';
import type { CouchHandle } from '../../server-kit/couch';
import { http, waitFor } from '../support/testing';
import { encodeSyncToken } from '../../shared/sync/syncToken';
import { sale as saleFixture, voidOf, shift as shiftFixture, customer as customerFixture } from '../../scripts/seed/documents';
import { terminalTokens } from '../../desktop/renderer/data/terminalSync';
import { CATALOG_DB } from '../../shared/model/names';
import { rawRequest } from '../support/rawHttp';
import { realCouchAvailable, startRealCouch } from '../support/realCouch';
import type { RealCouch } from '../support/realCouch';

interface Tally {
  attempts: number;
  succeeded: string[];
}
const overall: Tally = { attempts: 0, succeeded: [] };

const SERVERS = ['embedded', ...(realCouchAvailable ? ['couchdb'] : [])] as const;

for (const server of SERVERS) {
  describe(`trust boundaries (#8) on ${server === 'embedded' ? 'the embedded server' : 'Apache CouchDB 3.5'}`, function () {
    this.timeout(240_000);
    const tally: Tally = { attempts: 0, succeeded: [] };
    /** Records one attack attempt; `refused` must be true. */
    const attempt = (label: string, refused: boolean, detail: unknown = '') => {
      tally.attempts++;
      overall.attempts++;
      if (!refused) {
        tally.succeeded.push(label);
        overall.succeeded.push(`${server}: ${label}`);
      }
      expect(refused, `${label} succeeded ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`).to.equal(true);
    };

    let chain: Chain;
    const couches: Array<RealCouch & { label: string }> = [];
    let tA: Terminal;
    let tA2: Terminal;
    let tB: Terminal;
    let hqUrl: string;
    const relayUrl = (code: string) => chain.relays.get(code)?.url ?? '';
    const relayCouch = (code: string): CouchHandle => {
      const r = chain.relays.get(code);
      if (!r) throw new Error(`no relay ${code}`);
      return r.couch;
    };
    const secrets = async (proc: string) => JSON.parse(await readFile(path.join(chain.dataDir, proc, 'secrets.json'), 'utf8')) as { api?: string; couch?: string };
    const couchSecret = async (proc: string) => couches.find((c) => c.label === proc)?.secret ?? (await secrets(proc)).couch ?? '';
    let storeTokenA = { token: '', apiToken: '' };
    let storeTokenB = { token: '', apiToken: '' };
    const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

    async function storeTokens(code: string) {
      const identity = chain.relays.get(code)?.state().identity;
      if (!identity) throw new Error(`relay ${code} not provisioned`);
      const res = await http<{ token: string; apiToken: string }>('POST', `${hqUrl}/api/v1/sync/token`, { storeCode: code, credentialId: identity.credentialId, secret: identity.secret });
      expect(res.status).to.equal(200);
      return res.body;
    }

    before(async () => {
      chain = await startChain({
        stores: ['S001', 'S002'],
        products: 20,
        couchFor:
          server === 'couchdb'
            ? async (label) => {
                const c = Object.assign(await startRealCouch(), { label });
                couches.push(c);
                return { url: c.adminUrl, secret: c.secret };
              }
            : undefined,
      });
      hqUrl = chain.hq.url;
      tA = await chain.pairTerminal('S001');
      tA2 = await chain.pairTerminal('S001');
      tB = await chain.pairTerminal('S002');
      storeTokenA = await storeTokens('S001');
      storeTokenB = await storeTokens('S002');
    });

    after(async () => {
      await chain?.close();
      for (const c of couches) await c.stop();
      console.log(`      ${server}: ${tally.attempts} attempts, ${tally.succeeded.length} succeeded${tally.succeeded.length ? ': ' + tally.succeeded.join('; ') : ''}`);
    });

    const designDocIds = async (couch: CouchHandle, db: string) =>
      (await couch.request<{ rows: Array<{ id: string }> }>(`/${db}/_all_docs?startkey=${encodeURIComponent('"_design/"')}&endkey=${encodeURIComponent('"_design0"')}`)).rows.map((r) => r.id);

    it('1. no member writes a design document, by any route (ids come from the path)', async () => {
      const ddoc = { _id: '_design/evil', validate_doc_update: 'function(){}', language: 'javascript' };
      const tSync = await terminalTokens(tA.pairing).sync();
      const targets = [
        { name: 'terminal at the relay', base: `${relayUrl('S001')}/couch`, db: 'caja-store', token: tSync },
        { name: 'store at HQ (own db)', base: `${hqUrl}/couch`, db: 'caja-store-s001', token: storeTokenA.token },
        { name: 'store at HQ (catalog)', base: `${hqUrl}/couch`, db: CATALOG_DB, token: storeTokenA.token },
      ];
      for (const t of targets) {
        const h = bearer(t.token);
        const tries: Array<[string, string, string, unknown]> = [
          ['_local with a body _id', 'PUT', `/${t.db}/_local/x`, ddoc],
          ['_local with another _local body id', 'PUT', `/${t.db}/_local/x`, { _id: '_local/other', a: 1 }],
          ['POST /db', 'POST', `/${t.db}`, ddoc],
          ['PUT _design/', 'PUT', `/${t.db}/_design/evil`, ddoc],
          ['PUT _design%2F', 'PUT', `/${t.db}/_design%2Fevil`, ddoc],
          ['_bulk_docs', 'POST', `/${t.db}/_bulk_docs`, { docs: [ddoc] }],
          ['_bulk_docs new_edits:false', 'POST', `/${t.db}/_bulk_docs`, { new_edits: false, docs: [{ ...ddoc, _rev: '1-abc' }] }],
          ['attachment on a design doc', 'PUT', `/${t.db}/_design/evil/att.txt`, 'x'],
          ['_security', 'PUT', `/${t.db}/_security`, { admins: { names: [], roles: [] }, members: { names: [], roles: [] } }],
          ['a doc id given in the body of a PUT', 'PUT', `/${t.db}/product:A1`, { _id: '_design/evil', type: 'product' }],
        ];
        for (const [label, method, p, body] of tries) {
          const res = await rawRequest(method, t.base, t.base.replace(/^https?:\/\/[^/]+/, '') + p, body, h);
          const perDoc = Array.isArray(res.body) ? (res.body as Array<{ error?: string }>).every((r) => r.error) : true;
          attempt(`${t.name}: ${label}`, res.status >= 400 || (res.status < 300 && perDoc && Array.isArray(res.body)), res);
        }
      }
      expect(await designDocIds(relayCouch('S001'), 'caja-store')).to.not.include('_design/evil');
      expect(await designDocIds(chain.hq.couch, 'caja-store-s001')).to.not.include('_design/evil');
      expect(await designDocIds(chain.hq.couch, CATALOG_DB)).to.not.include('_design/evil');

      // Directly on the CouchDB too, with a member's CouchDB token (as if one had leaked): members never
      // write design documents there either, by any route.
      const member = signCouchToken(await couchSecret('relay-S001'), 'terminal:S001:T1', ['caja-terminal', 'store:S001', 'terminal:S001:T1'], 300);
      const couchUrl = relayCouch('S001').url;
      for (const [label, method, p, body] of [
        ['_local with a body _id', 'PUT', '/caja-store/_local/x', ddoc],
        ['POST /db', 'POST', '/caja-store', ddoc],
        ['_bulk_docs', 'POST', '/caja-store/_bulk_docs', { docs: [ddoc] }],
        ['PUT _design%2F', 'PUT', '/caja-store/_design%2Fevil', ddoc],
      ] as Array<[string, string, string, unknown]>) {
        // CouchDB lets members write `_local` documents (the id always comes from the path): what must never
        // happen is a design document appearing.
        const res = await rawRequest(method, couchUrl, p, body, bearer(member));
        attempt(`member token on the relay CouchDB: ${label}`, !(await designDocIds(relayCouch('S001'), 'caja-store')).includes('_design/evil'), res);
      }
      expect(await designDocIds(relayCouch('S001'), 'caja-store')).to.not.include('_design/evil');
    });

    if (server === 'embedded') {
      it('2. design-document code cannot reach the host, even when an admin deploys it', async () => {
        const g = globalThis as Record<string, unknown>;
        const escapes = [
          "function(){ var p = (function(){}).constructor.constructor('return process')(); p.__cajaPwned = 1; }",
          "function(){ var p = Function('return this')(); p.__cajaPwned = 1; }",
          "function(){ var p = this.constructor.constructor('return process')(); p.__cajaPwned = 1; }",
          "function(newDoc){ var p = newDoc.constructor.constructor('return process')(); p.__cajaPwned = 1; }",
          "function(){ var p = isArray.constructor('return process')(); p.__cajaPwned = 1; }",
          "function(){ var p = require.constructor('return globalThis')(); p.__cajaPwned = 1; }",
          "function(){ Object.prototype.__cajaPwned = 1; }",
          "function(){ try { import('node:fs').then(function(fs){ fs.writeFileSync('/tmp/caja-pwned', 'x'); }); } catch (e) {} }",
        ];
        const couch = chain.hq.couch;
        await couch.request('/caja-sandbox-probe', { method: 'PUT' });
        try {
          for (const [i, fn] of escapes.entries()) {
            await couch.request(`/caja-sandbox-probe/_design/escape${i}`, { method: 'PUT', body: { validate_doc_update: fn } });
            await couch.request(`/caja-sandbox-probe/doc${i}`, { method: 'PUT', body: { a: i } }).catch(() => undefined);
            await couch.request(`/caja-sandbox-probe/_design/escape${i}`, { method: 'GET' }).then((d) =>
              couch.request(`/caja-sandbox-probe/_design/escape${i}?rev=${(d as { _rev: string })._rev}`, { method: 'DELETE' }),
            );
            const plain: Record<string, unknown> = {};
            attempt(`sandbox escape ${i}`, g.__cajaPwned === undefined && process.env.__cajaPwned === undefined && plain.__cajaPwned === undefined, fn);
          }
        } finally {
          await couch.request('/caja-sandbox-probe', { method: 'DELETE' });
        }
      });
    }

    it('3. dot segments and encoded slashes never reach another database', async () => {
      const tSync = await terminalTokens(tA.pairing).sync();
      const before = await relayCouch('S001').request<{ _rev?: string }>('/caja-relay/_local/pin-lockout').catch(() => null);
      const spellings = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2E.'];
      for (const dots of spellings) {
        for (const [who, base, own, victim, token] of [
          ['terminal via the relay gateway', `${relayUrl('S001')}/couch`, 'caja-store', 'caja-relay/_local/pin-lockout', tSync],
          ['store B via the HQ gateway', `${hqUrl}/couch`, 'caja-store-s002', 'caja-store-s001/_local/x', storeTokenB.token],
          ['store B via the HQ gateway', `${hqUrl}/couch`, 'caja-store-s002', 'caja-hq/_local/x', storeTokenB.token],
        ] as const) {
          const prefix = base.replace(/^https?:\/\/[^/]+/, '');
          const p = `${prefix}/${own}/_local/x/${dots}/${dots}/${dots}/${victim}`;
          const res = await rawRequest('PUT', base, p, { state: {} }, bearer(token));
          attempt(`${who}: ${dots} to ${victim}`, res.status >= 400, res);
        }
      }
      for (const p of ['/caja-store%2f..%2fcaja-relay/_local/x', '/caja-store/_local%2f..%2f..%2fcaja-relay%2f_local%2fx', '/caja-store/..%5c..%5ccaja-relay/_local/x']) {
        const res = await rawRequest('PUT', relayUrl('S001'), `/couch${p}`, { a: 1 }, bearer(tSync));
        attempt(`terminal via the relay gateway: ${p}`, res.status >= 400, res);
      }
      // Directly on the CouchDB with a member token of store S002.
      const member = signCouchToken(await couchSecret('hq'), 'store:S002', ['caja-store', 'store:S002'], 300);
      for (const dots of spellings) {
        const res = await rawRequest('PUT', chain.hq.couch.url, `/caja-store-s002/_local/x/${dots}/${dots}/${dots}/caja-store-s001/_local/x`, { a: 1 }, bearer(member));
        attempt(`member token on HQ CouchDB: ${dots}`, res.status >= 400 || !(await chain.hq.couch.request('/caja-store-s001/_local/x').then(() => true, () => false)), res);
      }
      const afterLock = await relayCouch('S001').request<{ _rev?: string }>('/caja-relay/_local/pin-lockout').catch(() => null);
      expect(afterLock?._rev ?? null).to.equal(before?._rev ?? null);
      expect(await chain.hq.couch.request('/caja-store-s001/_local/x').then(() => true, () => false)).to.equal(false);
      expect(await chain.hq.couch.request('/caja-hq/_local/x').then(() => true, () => false)).to.equal(false);
    });

    it('4. a ledger document cannot be replaced by a new branch, at the relay or at HQ', async () => {
      const tSync = await terminalTokens(tA.pairing).sync();
      const gw = `${relayUrl('S001')}/couch/caja-store`;
      const tid = tA.pairing.terminalId;
      const sale = saleFixture(901, 'S001', tid);
      const put = await http<{ rev: string }>('PUT', `${gw}/${encodeURIComponent(sale._id)}`, sale, bearer(tSync));
      expect(put.status, JSON.stringify(put.body)).to.equal(201);
      const forgeries: Array<[string, Record<string, unknown>]> = [
        ['a higher generation with no shared ancestor', { ...sale, total: 1, _rev: '9-aaaa', _revisions: { start: 9, ids: ['aaaa', 'bbbb'] } }],
        ['another first revision', { ...sale, total: 1, _rev: '1-ffffffffffffffffffffffffffffffff', _revisions: { start: 1, ids: ['ffffffffffffffffffffffffffffffff'] } }],
        ['a tombstone branch', { _id: sale._id, _deleted: true, _rev: '5-dddd', _revisions: { start: 5, ids: ['dddd'] } }],
      ];
      for (const [label, doc] of forgeries) {
        const res = await http<Array<{ error?: string }>>('POST', `${gw}/_bulk_docs`, { new_edits: false, docs: [doc] }, bearer(tSync));
        const refused = res.status >= 400 || (Array.isArray(res.body) && res.body.length === 1 && Boolean(res.body[0]?.error));
        attempt(`terminal at the relay: ${label}`, refused, res.body);
        const single = await http('PUT', `${gw}/${encodeURIComponent(sale._id)}?new_edits=false`, doc, bearer(tSync));
        attempt(`terminal at the relay, single PUT: ${label}`, single.status >= 400, single.body);
      }
      const stored = await relayCouch('S001').request<{ total: number; _rev: string; _conflicts?: string[] }>(`/caja-store/${encodeURIComponent(sale._id)}?conflicts=true`);
      expect([stored.total, stored._rev, stored._conflicts ?? []]).to.deep.equal([sale.total, put.body.rev, []]);

      // At HQ, with the store's own credential: its sales, voids and shifts are immutable there too.
      const atHq = await waitFor(() => chain.hq.couch.request<{ _rev: string }>(`/caja-store-s001/${encodeURIComponent(sale._id)}`).catch(() => null), { what: 'the sale at HQ' });
      const hqGw = `${hqUrl}/couch/caja-store-s001`;
      const v = voidOf(saleFixture(902, 'S001', tid), tid);
      const sh = shiftFixture(77, 'S001', tid);
      for (const doc of [v, sh]) {
        const r = await http<Array<{ ok?: boolean; error?: string }>>('POST', `${hqGw}/_bulk_docs`, { docs: [doc] }, bearer(storeTokenA.token));
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
      }
      for (const doc of [sale, v, sh] as unknown as Array<Record<string, unknown> & { _id: string }>) {
        const forged = { ...doc, total: 1, _rev: '9-aaaa', _revisions: { start: 9, ids: ['aaaa', 'bbbb'] } };
        const res = await http<Array<{ error?: string }>>('POST', `${hqGw}/_bulk_docs`, { new_edits: false, docs: [forged] }, bearer(storeTokenA.token));
        attempt(`store at HQ: new branch of ${doc._id}`, res.status >= 400 || Boolean(res.body[0]?.error), res.body);
      }
      const hqStored = await chain.hq.couch.request<{ total: number; _rev: string; _conflicts?: string[] }>(`/caja-store-s001/${encodeURIComponent(sale._id)}?conflicts=true`);
      expect([hqStored.total, hqStored._rev, hqStored._conflicts ?? []]).to.deep.equal([sale.total, atHq._rev, []]);
    });

    it('5. replication checkpoints stay where only their replication writes them', async () => {
      const tSync = await terminalTokens(tA.pairing).sync();
      const t2Sync = await terminalTokens(tA2.pairing).sync();
      // Every `_local` a principal writes is its own: another terminal or store never sees or overwrites it,
      // and the relay's and HQ's own checkpoints (written without the gateway) are out of reach.
      const w = await http('PUT', `${relayUrl('S001')}/couch/caja-store/_local/ckpt`, { last_seq: '999999', session_id: 'x' }, bearer(tSync));
      expect(w.status, JSON.stringify(w.body)).to.be.oneOf([200, 201]);
      const seenByOther = await http('GET', `${relayUrl('S001')}/couch/caja-store/_local/ckpt`, undefined, bearer(t2Sync));
      attempt('terminal reads another terminal’s _local', seenByOther.status === 404, seenByOther.body);
      const over = await http('PUT', `${relayUrl('S001')}/couch/caja-store/_local/ckpt`, { last_seq: '0' }, bearer(t2Sync));
      const mine = await http<{ last_seq: string }>('GET', `${relayUrl('S001')}/couch/caja-store/_local/ckpt`, undefined, bearer(tSync));
      attempt('terminal overwrites another terminal’s _local', mine.body.last_seq === '999999', { over: over.status, mine: mine.body });
      attempt('a terminal’s _local is not the relay’s _local of that id', !(await relayCouch('S001').request('/caja-store/_local/ckpt').then(() => true, () => false)));
      const s = await http('PUT', `${hqUrl}/couch/${CATALOG_DB}/_local/ckpt`, { last_seq: '999999' }, bearer(storeTokenA.token));
      expect(s.status).to.be.oneOf([200, 201]);
      const sB = await http('GET', `${hqUrl}/couch/${CATALOG_DB}/_local/ckpt`, undefined, bearer(storeTokenB.token));
      attempt('store A’s catalog _local is invisible to store B', sB.status === 404, sB.body);
      attempt('store A’s catalog _local is not HQ’s _local of that id', !(await chain.hq.couch.request(`/${CATALOG_DB}/_local/ckpt`).then(() => true, () => false)));

      // And replication still works end to end: a price change reaches store B, a sale at A reaches HQ.
      const product = await chain.hq.couch.request<Record<string, unknown> & { _rev: string; price: number }>(`/${CATALOG_DB}/product:100001`);
      await chain.hq.couch.request(`/${CATALOG_DB}/product:100001`, { method: 'PUT', body: { ...product, price: product.price + 1 } });
      await waitFor(() => relayCouch('S002').request<{ price: number }>('/caja-store/product:100001').then((p) => p.price === product.price + 1), { what: 'price at relay B' });
      const sale = saleFixture(903, 'S001', tA.pairing.terminalId);
      expect((await http('PUT', `${relayUrl('S001')}/couch/caja-store/${encodeURIComponent(sale._id)}`, sale, bearer(tSync))).status).to.equal(201);
      await waitFor(() => chain.hq.couch.request(`/caja-store-s001/${encodeURIComponent(sale._id)}`).then(() => true, () => false), { what: 'sale at HQ' });
    });

    it('6. a relay changes its HQ only by an operator, and its API serves only its own origins', async () => {
      const relay = chain.relays.get('S002');
      if (!relay) throw new Error('no relay');
      const hqBefore = relay.state().identity?.hqUrl;
      const attacker = encodeSyncToken({ store: 'S002', hq: 'http://127.0.0.1:9', id: 'cred-evil', secret: 'x'.repeat(32) });
      const noCode = await http('POST', `${relay.url}/api/v1/provision`, { token: attacker });
      attempt('re-provisioning a provisioned relay without the setup code', noCode.status === 403, noCode.body);
      const setupCode = JSON.parse(await readFile(path.join(chain.dataDir, 'relay-S002', 'setup-code'), 'utf8')) as string;
      const otherHq = await http('POST', `${relay.url}/api/v1/provision`, { token: attacker, setupCode });
      attempt('moving a relay to another HQ without saying so', otherHq.status === 400, otherHq.body);
      const guessed = await http('POST', `${relay.url}/api/v1/provision`, { token: attacker, setupCode: 'AAAA-BBBB-CCCC-DDDD', changeHq: true });
      attempt('re-provisioning with a guessed setup code', guessed.status === 403, guessed.body);
      expect(relay.state().identity?.hqUrl).to.equal(hqBefore);
      for (const [label, url] of [
        ['relay API', `${relay.url}/api/v1/terminals`],
        ['relay gateway', `${relay.url}/couch/caja-store`],
        ['HQ API', `${hqUrl}/api/v1/stores`],
      ]) {
        const res = await fetch(url as string, { headers: { Origin: 'http://evil.example' } });
        attempt(`${label} allows a foreign origin`, res.headers.get('access-control-allow-origin') === null, res.headers.get('access-control-allow-origin'));
        const pre = await fetch(url as string, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' } });
        attempt(`${label} preflight for a foreign origin`, pre.headers.get('access-control-allow-origin') === null, pre.status);
      }
      if (server === 'embedded') {
        const res = await fetch(`${relayCouch('S002').url}/_up`, { headers: { Origin: 'http://evil.example' } });
        attempt('embedded CouchDB echoes a foreign origin with credentials', res.headers.get('access-control-allow-credentials') !== 'true', res.headers.get('access-control-allow-origin'));
      }
    });

    it('7. a token works only at the one service and store it was made for', async () => {
      const mgrA = await http<{ token: string }>('POST', `${relayUrl('S001')}/api/v1/auth/login`, { username: 'mgr.s001', pin: '9999' });
      expect(mgrA.status).to.equal(200);
      const aTokens = terminalTokens(tA.pairing);
      const tries: Array<[string, string, string, string]> = [
        ['manager of A lists terminals at B', 'GET', `${relayUrl('S002')}/api/v1/terminals`, mgrA.body.token],
        ['manager of A closes the day at B', 'POST', `${relayUrl('S002')}/api/v1/day-close`, mgrA.body.token],
        ['manager of A reads B through B’s gateway', 'GET', `${relayUrl('S002')}/couch/caja-store`, mgrA.body.token],
        ['terminal of A at B’s gateway', 'GET', `${relayUrl('S002')}/couch/caja-store`, await aTokens.sync()],
        ['terminal of A at HQ’s gateway', 'GET', `${hqUrl}/couch/caja-store-s001`, await aTokens.sync()],
        ['terminal API token at its own gateway', 'GET', `${relayUrl('S001')}/couch/caja-store`, await aTokens.api()],
        ['terminal replication token at its relay API', 'POST', `${relayUrl('S001')}/api/v1/terminals/health`, await aTokens.sync()],
        ['store A at store B’s database', 'GET', `${hqUrl}/couch/caja-store-s002`, storeTokenA.token],
        ['store A writes the catalog', 'PUT', `${hqUrl}/couch/${CATALOG_DB}/product:EVIL`, storeTokenA.token],
        ['store API token at HQ’s gateway', 'GET', `${hqUrl}/couch/caja-store-s001`, storeTokenA.apiToken],
        ['store replication token at HQ’s API', 'POST', `${hqUrl}/api/v1/sync/heartbeat`, storeTokenA.token],
        ['store token at the HQ staff API', 'GET', `${hqUrl}/api/v1/stores`, storeTokenA.apiToken],
        ['manager token at HQ', 'GET', `${hqUrl}/api/v1/stores`, mgrA.body.token],
        ['store replication token on HQ’s CouchDB', 'GET', `${chain.hq.couch.url}/caja-store-s001`, storeTokenA.token],
        ['terminal replication token on the relay’s CouchDB', 'GET', `${relayCouch('S001').url}/caja-store`, await aTokens.sync()],
      ];
      for (const [label, method, url, token] of tries) {
        const res = await http(method, url, method === 'GET' ? undefined : { type: 'product' }, bearer(token));
        attempt(label, res.status === 401 || res.status === 403 || res.status === 400, res);
      }
    });

    it('8. HQ staff and store staff hold no CouchDB access beyond what their work needs', async () => {
      const cashier = await http<{ id: string }>('POST', `${hqUrl}/api/v1/users`, { username: `sec.cashier.${server}`, password: 'cashier-password-1', pin: '4321' }, bearer(await adminToken()));
      expect(cashier.status).to.equal(201);
      await http('PUT', `${hqUrl}/api/v1/users/${cashier.body.id}/store-roles`, { S001: ['role:cashier'] }, bearer(await adminToken()));
      const login = await http<{ accessToken: string }>('POST', `${hqUrl}/api/v1/auth/login`, { username: `sec.cashier.${server}`, password: 'cashier-password-1' });
      expect(login.status).to.equal(200);
      const access = login.body.accessToken;
      for (const [label, url] of [
        ['HQ login reads store B’s users on HQ’s CouchDB', `${chain.hq.couch.url}/caja-store-s002/_all_docs?include_docs=true`],
        ['HQ login reads the catalog on HQ’s CouchDB', `${chain.hq.couch.url}/${CATALOG_DB}`],
        ['HQ login through HQ’s gateway', `${hqUrl}/couch/caja-store-s002`],
        ['HQ login at a relay’s gateway', `${relayUrl('S002')}/couch/caja-store`],
      ] as const) {
        const res = await http('GET', url, undefined, bearer(access));
        attempt(label, res.status >= 400, res.status);
      }
      // PIN hashes reach only the stores a user works at.
      const tBSync = await terminalTokens(tB.pairing).sync();
      const users = await http<{ rows: Array<{ id: string; doc?: { username?: string } }> }>('GET', `${relayUrl('S002')}/couch/caja-store/_all_docs?include_docs=true&startkey=%22user%3A%22&endkey=%22user%3A%EF%BF%B0%22`, undefined, bearer(tBSync));
      expect(users.status).to.equal(200);
      attempt('store B’s terminal sees a user of store A only', !users.body.rows.some((r) => r.doc?.username === 'mgr.s001' || r.doc?.username === `sec.cashier.${server}`), users.body.rows.map((r) => r.doc?.username));
      // Money a customer holds is not a field a terminal can set.
      const c = { ...customerFixture(), storeCredit: 100000 };
      const put = await http('PUT', `${relayUrl('S001')}/couch/caja-store/${encodeURIComponent(c._id)}`, c, bearer(await terminalTokens(tA.pairing).sync()));
      attempt('terminal sets a customer’s store credit', put.status >= 400, put.body);
    });
    let admin = '';
    async function adminToken(): Promise<string> {
      if (admin) return admin;
      const res = await http<{ accessToken: string }>('POST', `${hqUrl}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
      admin = res.body.accessToken;
      return admin;
    }

    it('9. parallel bursts count one by one', async () => {
      const burst = await Promise.all(Array.from({ length: 40 }, () => http('POST', `${hqUrl}/api/v1/auth/login`, { username: 'mgr.s002', password: 'wrong-password' })));
      expect(burst.every((r) => r.status === 401 || r.status === 429)).to.equal(true);
      const right = await http('POST', `${hqUrl}/api/v1/auth/login`, { username: 'mgr.s002', password: 'mgr-password-S002' });
      attempt('the right password after 40 parallel wrong ones', right.status === 429, right.status);
      const spoofed = await Promise.all(Array.from({ length: 12 }, (_, i) => http('POST', `${hqUrl}/api/v1/auth/login`, { username: 'cash.s002', password: 'wrong' }, { 'X-Forwarded-For': `10.0.0.${i}` })));
      const rightAfterSpoof = await http('POST', `${hqUrl}/api/v1/auth/login`, { username: 'cash.s002', password: 'cash-password-S002' });
      attempt('X-Forwarded-For from loopback resets the limiter', rightAfterSpoof.status === 429, { statuses: spoofed.map((r) => r.status), after: rightAfterSpoof.status });
      const pins = await Promise.all(Array.from({ length: 21 }, () => http('POST', `${relayUrl('S002')}/api/v1/auth/login`, { username: 'mgr.s002', pin: '0000' })));
      expect(pins.every((r) => r.status === 401 || r.status === 429)).to.equal(true);
      const rightPin = await http('POST', `${relayUrl('S002')}/api/v1/auth/login`, { username: 'mgr.s002', pin: '9999' });
      attempt('the right PIN after 21 parallel wrong ones', rightPin.status === 429, rightPin.status);
      const codes = await Promise.all(Array.from({ length: 30 }, (_, i) => http('POST', `${relayUrl('S002')}/api/v1/terminals/pair`, { code: String(100000 + i) })));
      attempt('30 guessed pairing codes never throttled', codes.some((r) => r.status === 429), codes.map((r) => r.status));
    });

    it('10. a token without exp is refused everywhere', async () => {
      const hqApi = (await secrets('hq')).api ?? '';
      const relayApi = (await secrets('relay-S001')).api ?? '';
      const noExp = (secret: string, payload: Record<string, unknown>, aud: string) => jwt.sign(payload, secret, { algorithm: 'HS256', audience: aud });
      const tries: Array<[string, string, string, string]> = [
        ['HQ API access token', 'GET', `${hqUrl}/api/v1/stores`, noExp(hqApi, { sub: 'hq:admin', typ: 'access' }, 'caja:hq-api')],
        ['HQ gateway store token', 'GET', `${hqUrl}/couch/caja-store-s001`, noExp(hqApi, { sub: 'store:S001', typ: 'store-sync', store: 'S001' }, 'caja:hq-couch')],
        ['relay manager token', 'GET', `${relayUrl('S001')}/api/v1/terminals`, noExp(relayApi, { sub: 'relayuser:x', typ: 'relay-manager', store: 'S001', permissions: ['terminals.manage'] }, 'caja:relay-api:S001')],
        ['relay gateway terminal token', 'GET', `${relayUrl('S001')}/couch/caja-store`, noExp(relayApi, { sub: 'terminal:S001:T1', typ: 'terminal-sync', store: 'S001' }, 'caja:relay-couch:S001')],
        ['HQ CouchDB', 'GET', `${chain.hq.couch.url}/caja-store-s001`, jwt.sign({ sub: 'x', '_couchdb.roles': ['_admin'] }, await couchSecret('hq'))],
      ];
      for (const [label, m, url, token] of tries) {
        const res = await http(m, url, undefined, bearer(token));
        attempt(`${label} without exp`, res.status === 401 || res.status === 400, res);
      }
    });
  });
}

describe('trust boundaries (#8): summary', () => {
  it('prints the total and finds no attempt that succeeded', () => {
    console.log(`      ${overall.attempts} attempts, ${overall.succeeded.length} succeeded`);
    expect(overall.succeeded).to.deep.equal([]);
  });
});
