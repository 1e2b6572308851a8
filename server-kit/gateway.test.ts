// The replication gateway against the servers it fronts: the embedded CouchDB-compatible server and, where
// the shared build is installed, a real Apache CouchDB 3.5 (the same suite for both). Clients are real
// PouchDB replications and raw HTTP requests (raw, because fetch normalises `..` and `%2e` away before a
// request ever leaves, which would hide exactly the paths under test).
import { expect } from 'chai';
import express from 'express';
import http from 'node:http';
import { adminToken, startEmbeddedCouch } from '../couchdb/index';
import { deployDesignDocs } from '../design-docs/deploy';
import { product, sale } from '../scripts/seed/documents';
import { couchGateway, LEDGER_IMMUTABLE, namespacedLocalId, parseGatewayPath, principalKey } from './gateway';
import type { GatewayHandler, GatewayOptions, GatewayPrincipal, TamperEvent } from './gateway';
import { unauthorized } from './errors';
import { listen } from './http';
import { signCouchToken } from './couch';
import type { Listening } from './http';
import { isLedgerDoc } from './ledger';
import { PouchDB } from './replication/pouch';
import { realCouchAvailable, startRealCouch } from '../tests/support/realCouch';
import { tempDir, TEST_SECRET, testLogger, waitFor } from '../tests/support/testing';

const DB = 'caja-store';
type Json = Record<string, unknown>;

interface Upstream {
  url: string;
  adminAuth: string;
  stop(): Promise<void>;
  /** The embedded server's in-process door (couchdb/inProcess.ts), when the gateway is to use it; counts its calls. */
  inProcess?: NonNullable<GatewayOptions['inProcess']> & { calls: number };
}

async function startEmbedded(inProcess: boolean): Promise<Upstream> {
  const tmp = await tempDir('caja-gateway-');
  const couch = await startEmbeddedCouch({ port: 0, dataDir: tmp.dir, jwtSecret: TEST_SECRET });
  const door = {
    calls: 0,
    takes: couch.takes,
    request(call: Parameters<typeof couch.request>[0]) {
      door.calls += 1;
      return couch.request(call);
    },
  };
  return {
    url: couch.url,
    adminAuth: `Bearer ${adminToken(TEST_SECRET)}`,
    stop: async () => {
      await couch.close();
      await tmp.cleanup();
    },
    ...(inProcess ? { inProcess: door } : {}),
  };
}

// `real`: Apache CouchDB itself, where the attacks the gateway stops are known to work directly.
const SERVERS: Array<{ name: string; real: boolean; start(): Promise<Upstream> }> = [
  { name: 'the embedded server', real: false, start: () => startEmbedded(false) },
  // As HQ and the relay run it: in their own process, `_bulk_docs` handed over parsed.
  { name: 'the embedded server in this process', real: false, start: () => startEmbedded(true) },
];
if (realCouchAvailable) SERVERS.push({ name: 'Apache CouchDB 3.5', real: true, start: () => startRealCouch(TEST_SECRET) });

const terminal = (tid: string): GatewayPrincipal => ({
  id: `terminal:S001:${tid}`,
  couchRoles: ['caja-terminal', 'store:S001', `terminal:S001:${tid}`],
  dbs: { [DB]: 'write' },
});
const PRINCIPALS: Record<string, GatewayPrincipal> = {
  'token-T1': terminal('T1'),
  'token-T2': terminal('T2'),
  // A reader of the same database (a store credential on a read-only database, say).
  'token-R': { id: 'store:S001', couchRoles: ['caja-store', 'store:S001'], dbs: { [DB]: 'read' } },
};

/** A request with the path sent exactly as written (no URL normalisation), answering status and JSON. */
function raw(base: string, method: string, path: string, opts: { token?: string; body?: unknown; type?: string } = {}): Promise<{ status: number; body: Json; headers: http.IncomingHttpHeaders }> {
  const u = new URL(base);
  const payload = opts.body === undefined ? undefined : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (payload) {
    headers['Content-Type'] = opts.type ?? 'application/json';
    headers['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: u.hostname, port: u.port, method, path: u.pathname.replace(/\/$/, '') + path, headers, agent: false }, (res) => {
      const chunks: Uint8Array[] = [];
      res.on('data', (c: Uint8Array) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = {};
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          body = { raw: text };
        }
        resolve({ status: res.statusCode ?? 0, body: body as Json, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A PouchDB handle on the gateway as `token`, recording every URL it asks for. */
function gatewayDb(url: string, token: string, seen: string[] = []): PouchDB.Database {
  return new PouchDB(url, {
    skip_setup: true,
    fetch: (input: string | Request, init?: RequestInit) => {
      seen.push(typeof input === 'string' ? input : input.url);
      const headers = new Headers(init?.headers);
      headers.set('Authorization', `Bearer ${token}`);
      return PouchDB.fetch(input, { ...init, headers });
    },
  });
}

/**
 * The sale rewritten to a smaller, still self-consistent total (one line of two apples: 5.00 + VAT 0.80 =
 * 5.80), so validate_doc_update finds nothing wrong with its shape: only the gateway can stop it.
 */
function rewrittenTotal(s: Json): Json {
  const lines = s.lines as Json[];
  const taxes = s.taxes as Json[];
  const tenders = s.tenders as Json[];
  return {
    ...s, lines: [lines[0]], subtotal: 500, discountTotal: 0, taxTotal: 80, taxes: [{ ...taxes[0], basis: 500, amount: 80 }], rounding: 0,
    total: 580, tenders: [{ ...tenders[0], amount: 580, tendered: 2000, change: 1420 }], change: 1420,
  };
}

const forgedRoot = (doc: Json, rev: string, extra: Json = {}): Json => {
  const [gen, hash] = rev.split('-') as [string, string];
  return { ...doc, ...extra, _rev: rev, _revisions: { start: Number(gen), ids: [hash, 'b'.repeat(hash.length)].slice(0, Number(gen)) } };
};

describe('couch gateway: path parsing and namespacing', () => {
  it('keeps plain segments and the /db/ trailing slash, decoding each segment once', () => {
    expect(parseGatewayPath('/')).to.deep.equal({ segs: [], query: '' });
    expect(parseGatewayPath('/caja-store/')).to.deep.equal({ segs: ['caja-store'], query: '' });
    expect(parseGatewayPath('/caja-store/_local/abc?x=1')).to.deep.equal({ segs: ['caja-store', '_local', 'abc'], query: 'x=1' });
    expect(parseGatewayPath('/caja-store/sale%3AS001%3AT1%3A00000001?revs=true').segs).to.deep.equal(['caja-store', 'sale:S001:T1:00000001']);
    expect(parseGatewayPath('/db/50%25off').segs).to.deep.equal(['db', '50%off']);
  });

  it('refuses every spelling of a dot segment, backslash, NUL, encoded slash and empty segment', () => {
    const bad = [
      '/caja-store/../_users', '/caja-store/./x', '/caja-store/%2e%2e/x', '/caja-store/%2E%2E/x', '/caja-store/.%2e/x',
      '/caja-store/%2e./x', '/caja-store/%2e/x', '/caja-store/%252e%252e/x', '/caja-store/_local/..', '/caja-store/_local/%2e%2e',
      '/caja-store/a%2fb', '/caja-store/_design%2Fcaja_validate', '/caja-store/a%252fb', '/caja-store/a\\b', '/caja-store/a%5cb',
      '/caja-store/a%00b', '/caja-store//x', '/caja-store/x/', '/%2e%2e/', '/caja-store/%zz', 'http://evil/caja-store/', '/caja-store/\u00e9',
      '/caja-store/_all_docs?keys=%5B%22a%22%5D&keys=%5B%22_local%2Fx%22%5D',
    ];
    for (const p of bad) expect(() => parseGatewayPath(p), p).to.throw().with.property('status', 400);
  });

  it('namespaces _local ids injectively, without `~` in the principal key', () => {
    expect(principalKey('terminal:S001:T1')).to.equal('terminal:S001:T1');
    expect(principalKey('a~b%c d')).to.equal('a%7Eb%25c%20d');
    expect(namespacedLocalId('terminal:S001:T1', 'ckpt')).to.equal('_local/terminal:S001:T1~ckpt');
    expect(namespacedLocalId('a~b', 'c')).to.not.equal(namespacedLocalId('a', 'b~c'));
  });

  it('fails loudly when mounted after a body parser', async () => {
    const log = testLogger();
    const gw = couchGateway({ upstreamUrl: 'http://127.0.0.1:9', upstreamAuth: () => 'x', authenticate: () => PRINCIPALS['token-T1'] as GatewayPrincipal, isLedger: isLedgerDoc, log });
    const app = express();
    app.use(express.json());
    app.use('/couch', gw);
    const srv = await listen(app, 0);
    try {
      const res = await raw(srv.url, 'POST', `/couch/${DB}/_bulk_docs`, { token: 'token-T1', body: { docs: [] } });
      expect(res.status).to.equal(500);
      expect(log.lines.some((l) => l.event === 'gateway.body_consumed')).to.equal(true);
    } finally {
      gw.close();
      await srv.close();
    }
  });
});

for (const server of SERVERS) {
  describe(`couch gateway in front of ${server.name}`, function () {
    this.timeout(60_000);
    let upstream: Upstream;
    let api: Listening;
    let gw: GatewayHandler;
    let base: string;
    const tampers: TamperEvent[] = [];
    const log = testLogger();

    /** As CouchDB's server admin, straight to CouchDB (what the relay/HQ process itself does). */
    const adminReq = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(upstream.url + path, {
        method,
        headers: { Authorization: upstream.adminAuth, Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const asT1 = (method: string, path: string, body?: unknown, type?: string) => raw(base, method, path, { token: 'token-T1', body, ...(type ? { type } : {}) });

    before(async function () {
      this.timeout(180_000);
      upstream = await server.start();
      expect((await adminReq('PUT', `/${DB}`)).status).to.equal(201);
      const sec = await adminReq('PUT', `/${DB}/_security`, { admins: { names: [], roles: [] }, members: { names: [], roles: ['store:S001'] } });
      expect(sec.status).to.equal(200);
      await deployDesignDocs(upstream.url, DB, 'relay-store', upstream.adminAuth);
      gw = couchGateway({
        upstreamUrl: upstream.url,
        upstreamAuth: (p) => `Bearer ${signCouchToken(TEST_SECRET, p.id, p.couchRoles, 300)}`,
        authenticate: (header) => {
          const p = PRINCIPALS[header?.replace(/^Bearer /, '') ?? ''];
          if (!p) throw unauthorized('token_invalid', 'Send a valid replication token.');
          return p;
        },
        isLedger: isLedgerDoc,
        log,
        onTamper: (e) => tampers.push(e),
        ...(upstream.inProcess ? { inProcess: upstream.inProcess } : {}),
      });
      const small = couchGateway({ upstreamUrl: upstream.url, upstreamAuth: () => '', authenticate: () => PRINCIPALS['token-T1'] as GatewayPrincipal, isLedger: isLedgerDoc, log, maxBodyBytes: 4096, ...(upstream.inProcess ? { inProcess: upstream.inProcess } : {}) });
      const app = express();
      app.use('/couch', gw);
      app.use('/small', small);
      api = await listen(app, 0);
      base = `${api.url}/couch`;
    });

    after(async () => {
      gw?.close();
      await api?.close();
      await upstream?.stop();
    });

    it('refuses a request without a valid token, in CouchDB shape', async () => {
      const none = await raw(base, 'GET', `/${DB}/`);
      expect(none.status).to.equal(401);
      expect(none.body).to.deep.include({ error: 'unauthorized' });
      expect(none.body.reason).to.be.a('string');
      expect((await raw(base, 'GET', `/${DB}/`, { token: 'nope' })).status).to.equal(401);
    });

    it('answers the welcome, database info (GET and HEAD) through the gateway', async () => {
      const welcome = await asT1('GET', '/');
      expect(welcome.status).to.equal(200);
      expect(welcome.body.uuid ?? welcome.body.couchdb).to.not.equal(undefined);
      const info = await asT1('GET', `/${DB}/`);
      expect(info.status).to.equal(200);
      expect(info.body.db_name).to.equal(DB);
      expect((await asT1('HEAD', `/${DB}`)).status).to.equal(200);
    });

    it('replicates live both ways with a real PouchDB: pushes sales, pulls store documents, keeps checkpoints', async () => {
      const local = new PouchDB(`gw-t1-${Date.now()}`, { adapter: 'memory' });
      const seen: string[] = [];
      const remote = gatewayDb(`${base}/${DB}`, 'token-T1', seen);
      await local.bulkDocs([1, 2, 3, 4, 5].map((n) => sale(n, 'S001', 'T1')));
      const inProcessBefore = upstream.inProcess?.calls ?? 0;
      const problems: unknown[] = [];
      const sync = local.sync(remote, { live: true, retry: false });
      sync.on('error', (e) => problems.push(e));
      sync.on('denied', (e) => problems.push(e));
      try {
        await waitFor(async () => (await adminReq('GET', `/${DB}/${encodeURIComponent(sale(5)._id)}`)).status === 200, { what: 'sales pushed upstream' });
        // Written upstream by the relay (downstream copy), so it must reach the terminal live.
        expect((await adminReq('PUT', `/${DB}/product:A1`, product('A1'))).status).to.equal(201);
        await waitFor(() => local.get('product:A1').then(() => true, () => false), { what: 'product pulled live' });
        // A sale rung while the sync runs goes up live too.
        await local.put(sale(6, 'S001', 'T1'));
        await waitFor(async () => (await adminReq('GET', `/${DB}/${encodeURIComponent(sale(6)._id)}`)).status === 200, { what: 'live push' });
      } finally {
        sync.cancel();
      }
      expect(problems).to.deep.equal([]);
      const pushed = await adminReq('GET', `/${DB}/${encodeURIComponent(sale(3)._id)}`);
      expect(pushed.body.total).to.equal(1100);
      // In this process, the push went through the server's in-process door (`_revs_diff`, `_all_docs`, `_bulk_docs`,
      // `_local`); over HTTP otherwise.
      if (upstream.inProcess) expect(upstream.inProcess.calls - inProcessBefore, 'in-process requests').to.be.at.least(6);

      // Checkpoints went through the gateway, namespaced upstream and never under the plain id.
      const localIds = [...new Set(seen.map((u) => /\/_local\/([^?]+)/.exec(new URL(u).pathname)?.[1]).filter((x): x is string => !!x))].map(decodeURIComponent);
      expect(localIds.length).to.be.greaterThan(0);
      for (const id of localIds) {
        const ns = namespacedLocalId('terminal:S001:T1', id).slice('_local/'.length);
        expect((await adminReq('GET', `/${DB}/_local/${encodeURIComponent(ns)}`)).status, `namespaced ${id}`).to.equal(200);
        expect((await adminReq('GET', `/${DB}/_local/${encodeURIComponent(id)}`)).status, `plain ${id}`).to.equal(404);
      }
      // A new one-shot replication both ways resumes from those checkpoints: nothing is read again.
      const pull = await local.replicate.from(remote);
      const push = await local.replicate.to(remote);
      expect(pull.docs_read).to.equal(0);
      expect(push.docs_read).to.equal(0);
      await local.destroy();
    });

    it('streams a continuous _changes feed, and aborts upstream when the client goes away', async () => {
      const before = gw.stats.inFlight;
      const u = new URL(base);
      const received: string[] = [];
      const req = http.request({ hostname: u.hostname, port: u.port, path: `/couch/${DB}/_changes?feed=continuous&since=now&heartbeat=1000`, headers: { Authorization: 'Bearer token-T1' }, agent: false });
      const opened = new Promise<http.IncomingMessage>((resolve, reject) => {
        req.once('response', resolve);
        req.once('error', reject);
      });
      req.end();
      const res = await opened;
      expect(res.statusCode).to.equal(200);
      res.setEncoding('utf8');
      res.on('data', (c: string) => received.push(c));
      res.on('error', () => undefined);
      expect(gw.stats.inFlight).to.equal(before + 1);
      // The response is still open: a change written now must arrive through it (nothing is buffered).
      const doc = product('STREAM1');
      expect((await adminReq('PUT', `/${DB}/${doc._id}`, doc)).status).to.equal(201);
      await waitFor(() => received.join('').includes('product:STREAM1'), { what: 'change streamed through the open feed' });
      req.destroy();
      await waitFor(() => gw.stats.inFlight === before, { what: 'upstream feed aborted' });

      // Same for a long poll that never gets a change.
      const lp = http.request({ hostname: u.hostname, port: u.port, path: `/couch/${DB}/_changes?feed=longpoll&since=now&timeout=60000`, headers: { Authorization: 'Bearer token-T1' }, agent: false });
      lp.on('error', () => undefined);
      lp.end();
      await waitFor(() => gw.stats.inFlight === before + 1, { what: 'long poll open upstream' });
      lp.destroy();
      await waitFor(() => gw.stats.inFlight === before, { what: 'long poll aborted upstream' });
    });

    it('refuses a forged root revision of an existing sale; the original stays the winner with no _conflicts', async () => {
      const original = sale(11, 'S001', 'T1');
      const created = await asT1('POST', `/${DB}/_bulk_docs`, { docs: [original] });
      expect(created.status).to.equal(201);
      const rev = ((created.body as unknown as Json[])[0] as Json).rev as string;
      expect(rev).to.match(/^1-/);

      const fresh = forgedRoot(sale(13, 'S001', 'T1') as unknown as Json, '1-' + 'c'.repeat(32));
      const forged = forgedRoot(rewrittenTotal(original as unknown as Json), '9-aaaa');
      const deletion = { _id: original._id, _rev: '5-dddd', _revisions: { start: 5, ids: ['dddd'] }, _deleted: true };
      const tamperBefore = tampers.length;
      const res = await asT1('POST', `/${DB}/_bulk_docs`, { new_edits: false, docs: [forged, fresh, deletion] });
      expect(res.status).to.equal(201);
      // Only failures come back with new_edits:false, in request order; the fresh sale is written.
      expect(res.body).to.deep.equal([
        { id: original._id, rev: '9-aaaa', error: 'forbidden', reason: LEDGER_IMMUTABLE },
        { id: original._id, rev: '5-dddd', error: 'forbidden', reason: LEDGER_IMMUTABLE },
      ]);
      expect(tampers.slice(tamperBefore)).to.deep.equal([
        { principal: 'terminal:S001:T1', db: DB, id: original._id, rev: '9-aaaa', reason: LEDGER_IMMUTABLE },
        { principal: 'terminal:S001:T1', db: DB, id: original._id, rev: '5-dddd', reason: LEDGER_IMMUTABLE },
      ]);
      expect(log.lines.some((l) => l.event === 'gateway.ledger_tamper_refused' && l.level === 'warn' && l.rev === '9-aaaa')).to.equal(true);

      // Re-sending the stored revision (a replication replay) is a harmless no-op, even with another body.
      const replay = await asT1('POST', `/${DB}/_bulk_docs`, { new_edits: false, docs: [{ ...original, total: 2, _rev: rev, _revisions: { start: 1, ids: [rev.slice(2)] } }] });
      expect(replay.status).to.equal(201);
      expect(replay.body).to.deep.equal([]);

      // A PUT cannot smuggle new_edits=false in its query: it stays an edit, and the edit is refused.
      const put = await asT1('PUT', `/${DB}/${encodeURIComponent(original._id)}?new_edits=false`, forgedRoot(original as unknown as Json, '9-aaaa'));
      expect(put.status).to.equal(409);
      const edit = await asT1('PUT', `/${DB}/${encodeURIComponent(original._id)}`, { ...original, _rev: rev, total: 1 });
      expect(edit.status).to.equal(403);
      expect(edit.body.error).to.equal('forbidden');

      const stored = await adminReq('GET', `/${DB}/${encodeURIComponent(original._id)}?conflicts=true&deleted_conflicts=true`);
      expect(stored.body._rev).to.equal(rev);
      expect(stored.body.total).to.equal(1100);
      expect(stored.body).to.not.have.property('_conflicts');
      expect(stored.body).to.not.have.property('_deleted_conflicts');
      expect((await adminReq('GET', `/${DB}/${encodeURIComponent(fresh._id as string)}`)).body._rev).to.equal('1-' + 'c'.repeat(32));
    });

    it('control: the same forged root written straight to CouchDB as the terminal does win (why the gateway exists)', async function () {
      // The embedded server refuses new roots of existing documents itself (couchdb/writes.ts); the
      // control is about CouchDB, where validate_doc_update sees oldDoc = null and cannot.
      if (!server.real) this.skip();
      const original = sale(12, 'S001', 'T1');
      const t1Couch = `Bearer ${signCouchToken(TEST_SECRET, 'terminal:S001:T1', terminal('T1').couchRoles, 300)}`;
      const direct = (body: unknown) =>
        fetch(`${upstream.url}/${DB}/_bulk_docs`, { method: 'POST', headers: { Authorization: t1Couch, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect((await direct({ docs: [original] })).status).to.equal(201);
      const write = await direct({ new_edits: false, docs: [forgedRoot(rewrittenTotal(original as unknown as Json), '9-aaaa')] });
      expect(write.status).to.equal(201);
      expect(await write.json()).to.deep.equal([]);
      const stored = await adminReq('GET', `/${DB}/${encodeURIComponent(original._id)}?conflicts=true`);
      expect(stored.body._rev).to.equal('9-aaaa');
      expect(stored.body.total).to.equal(580);
      expect(stored.body._conflicts).to.have.length(1);
    });

    it('drops a re-sent stored revision with another ancestry and body instead of forwarding it', async () => {
      // A sale at generation 2 (an admin's correction, replicated): 1-aaaa -> 2-bbbb.
      const doc = sale(15, 'S001', 'T1') as unknown as Json;
      const stored = { ...doc, _rev: '2-' + 'b'.repeat(32), _revisions: { start: 2, ids: ['b'.repeat(32), 'a'.repeat(32)] } };
      expect((await adminReq('POST', `/${DB}/_bulk_docs`, { new_edits: false, docs: [stored] })).status).to.equal(201);
      // The same revision id over a made-up parent, with a rewritten body.
      const graft = { ...rewrittenTotal(doc), _rev: stored._rev, _revisions: { start: 2, ids: ['b'.repeat(32), 'f'.repeat(32)] } };
      const res = await asT1('POST', `/${DB}/_bulk_docs`, { new_edits: false, docs: [graft] });
      expect(res.status).to.equal(201);
      expect(res.body).to.deep.equal([]);
      const leaves = await fetch(`${upstream.url}/${DB}/${encodeURIComponent(doc._id as string)}?open_revs=all`, { headers: { Authorization: upstream.adminAuth, Accept: 'application/json' } }).then(
        (r) => r.json() as Promise<Array<{ ok?: Json }>>,
      );
      expect(leaves.map((l) => l.ok?.total)).to.deep.equal([1100]);
    });

    it('keeps _local documents per principal: T2 can neither read nor write T1\'s, nor the relay\'s own', async () => {
      const t1 = await asT1('PUT', `/${DB}/_local/ckpt`, { _id: '_local/ckpt', session: 'one', last_seq: 5 });
      expect(t1.status).to.equal(201);
      expect(t1.body).to.include({ ok: true, id: '_local/ckpt' });
      const read = await asT1('GET', `/${DB}/_local/ckpt`);
      expect(read.body).to.include({ _id: '_local/ckpt', last_seq: 5 });

      const asT2 = (method: string, path: string, body?: unknown) => raw(base, method, path, { token: 'token-T2', body });
      expect((await asT2('GET', `/${DB}/_local/ckpt`)).status).to.equal(404);
      expect((await asT2('GET', `/${DB}/_local/${encodeURIComponent('terminal:S001:T1~ckpt')}`)).status).to.equal(404);
      expect((await asT2('PUT', `/${DB}/_local/ckpt`, { last_seq: 0 })).status).to.equal(201);
      expect((await asT1('GET', `/${DB}/_local/ckpt`)).body.last_seq).to.equal(5);

      // Upstream: namespaced ids only.
      const up = (id: string) => adminReq('GET', `/${DB}/_local/${encodeURIComponent(id)}`);
      expect((await up('terminal:S001:T1~ckpt')).body.last_seq).to.equal(5);
      expect((await up('terminal:S001:T2~ckpt')).body.last_seq).to.equal(0);
      expect((await up('ckpt')).status).to.equal(404);

      // The relay's own checkpoint, written straight to CouchDB, is out of every principal's reach.
      expect((await adminReq('PUT', `/${DB}/_local/relay-ckpt`, { last_seq: 'relay' })).status).to.equal(201);
      expect((await asT1('GET', `/${DB}/_local/relay-ckpt`)).status).to.equal(404);
      expect((await asT1('PUT', `/${DB}/_local/relay-ckpt`, { last_seq: 'evil' })).status).to.equal(201);
      expect((await asT1('POST', `/${DB}/_all_docs?include_docs=true`, { keys: ['_local/relay-ckpt'] })).status).to.equal(403);
      expect((await asT1('GET', `/${DB}/_all_docs?include_docs=true&keys=${encodeURIComponent('["_local/relay-ckpt"]')}`)).status).to.equal(403);
      expect((await asT1('POST', `/${DB}/_bulk_get`, { docs: [{ id: '_local/relay-ckpt' }] })).status).to.equal(403);
      expect((await asT1('POST', `/${DB}/_revs_diff`, { '_local/relay-ckpt': ['0-1'] })).status).to.equal(403);
      const bulk = await asT1('POST', `/${DB}/_bulk_docs`, { docs: [{ _id: '_local/relay-ckpt', last_seq: 'evil' }] });
      expect((bulk.body as unknown as Json[])[0]).to.include({ id: '_local/relay-ckpt', error: 'forbidden' });
      expect((await up('relay-ckpt')).body.last_seq).to.equal('relay');

      const del = await asT1('DELETE', `/${DB}/_local/ckpt?rev=${encodeURIComponent(String(read.body._rev))}`);
      expect(del.status).to.equal(200);
      expect(del.body.id).to.equal('_local/ckpt');
      expect((await up('terminal:S001:T1~ckpt')).status).to.equal(404);
      expect((await up('terminal:S001:T2~ckpt')).status).to.equal(200);
    });

    it('refuses dot-segment, backslash, NUL and encoded-slash paths with 400 before reaching CouchDB', async () => {
      const before = gw.stats.upstreamRequests;
      const paths = [
        `/${DB}/../_users`, `/${DB}/%2e%2e/_all_dbs`, `/${DB}/%2E%2e/x`, `/${DB}/.%2e/x`, `/${DB}/./_security`, `/${DB}/%2e/x`,
        `/${DB}/%252e%252e/x`, `/${DB}/_local/..`, `/${DB}/_local/%2e%2e`, `/${DB}/_design%2Fcaja_validate`, `/${DB}/_local%2Fx`,
        `/${DB}/a%2fb`, `/${DB}/a\\b`, `/${DB}/a%5Cb`, `/${DB}/a%00b`, `/..%2f${DB}/`, `/%2e%2e/`,
      ];
      for (const p of paths) {
        const res = await asT1('GET', p);
        expect(res.status, p).to.equal(400);
        expect(res.body.error, p).to.equal('bad_request');
      }
      expect((await asT1('PUT', `/${DB}/_local/%2e%2e`, { x: 1 })).status).to.equal(400);
      expect(gw.stats.upstreamRequests).to.equal(before);
    });

    it('answers 403 for databases not granted, server endpoints and every route outside the allowlist', async () => {
      const cases: Array<[string, string, unknown?]> = [
        ['GET', '/caja-catalog/'], ['GET', '/constructor/'], ['GET', '/__proto__/'], ['GET', '/_all_dbs'], ['GET', '/_users/'],
        ['GET', '/_session'], ['POST', '/_replicate', {}], ['GET', '/_node/_local/_config'],
        ['GET', `/${DB}/_security`], ['PUT', `/${DB}/_security`, { members: { roles: [] } }],
        ['GET', `/${DB}/_design/caja_validate/_view/x`], ['POST', `/${DB}/_find`, { selector: {} }], ['GET', `/${DB}/_index`],
        ['POST', `/${DB}/_index`, { index: { fields: ['x'] } }], ['POST', `/${DB}/_compact`, {}], ['POST', `/${DB}/_purge`, {}],
        ['PUT', `/${DB}/`], ['DELETE', `/${DB}/`], ['POST', `/${DB}/`, { _id: 'x' }], ['DELETE', `/${DB}/${encodeURIComponent(sale(11)._id)}`],
        ['GET', `/${DB}/_local_docs`], ['POST', `/${DB}/_all_docs/queries`, { queries: [] }], ['GET', `/${DB}/_local`],
      ];
      for (const [method, path, body] of cases) {
        const res = await asT1(method, path, body);
        expect(res.status, `${method} ${path}`).to.equal(403);
        expect(res.body.error, `${method} ${path}`).to.equal('forbidden');
      }
      const sec = await adminReq('GET', `/${DB}/_security`);
      expect(sec.body).to.deep.equal({ admins: { names: [], roles: [] }, members: { names: [], roles: ['store:S001'] } });
    });

    it('refuses design document writes, and lets design documents be read', async () => {
      const ddoc = { _id: '_design/evil', validate_doc_update: 'function () {}' };
      expect((await asT1('PUT', `/${DB}/_design/evil`, ddoc)).status).to.equal(403);
      for (const newEdits of [true, false]) {
        const res = await asT1('POST', `/${DB}/_bulk_docs`, { new_edits: newEdits, docs: [{ ...ddoc, ...(newEdits ? {} : { _rev: '1-abc' }) }] });
        expect(res.status).to.equal(201);
        expect((res.body as unknown as Json[])[0]).to.include({ id: '_design/evil', error: 'forbidden' });
      }
      expect((await adminReq('GET', `/${DB}/_design/evil`)).status).to.equal(404);
      expect((await asT1('GET', `/${DB}/_design/caja_validate`)).status).to.equal(200);
    });

    it('refuses attachment writes in every form', async () => {
      const id = encodeURIComponent(sale(11)._id);
      expect((await asT1('PUT', `/${DB}/${id}/receipt.txt`, 'hello', 'text/plain')).status).to.equal(403);
      const withAtt = { ...sale(14, 'S001', 'T1'), _attachments: { 'a.txt': { content_type: 'text/plain', data: Buffer.from('x').toString('base64') } } };
      const bulk = await asT1('POST', `/${DB}/_bulk_docs`, { docs: [withAtt] });
      expect((bulk.body as unknown as Json[])[0]).to.include({ id: withAtt._id, error: 'forbidden' });
      expect((await asT1('PUT', `/${DB}/${encodeURIComponent(withAtt._id)}`, withAtt)).status).to.equal(403);
      const multipart = await asT1('PUT', `/${DB}/${encodeURIComponent(withAtt._id)}`, '--x\r\n\r\n{}\r\n--x--', 'multipart/related; boundary=x');
      expect(multipart.status).to.equal(415);
      expect((await adminReq('GET', `/${DB}/${encodeURIComponent(withAtt._id)}`)).status).to.equal(404);
    });

    it('lets a read-only principal read and keep checkpoints, never write documents', async () => {
      const asR = (method: string, path: string, body?: unknown) => raw(base, method, path, { token: 'token-R', body });
      expect((await asR('GET', `/${DB}/_all_docs?limit=1`)).status).to.equal(200);
      expect((await asR('POST', `/${DB}/_bulk_docs`, { docs: [product('R1')] })).status).to.equal(403);
      expect((await asR('PUT', `/${DB}/product:R1`, product('R1'))).status).to.equal(403);
      expect((await asR('PUT', `/${DB}/_local/ckpt`, { last_seq: 1 })).status).to.equal(201);
      expect((await adminReq('GET', `/${DB}/_local/${encodeURIComponent('store:S001~ckpt')}`)).status).to.equal(200);
    });

    it('refuses bodies above maxBodyBytes and batches above 10,000 documents with 413', async () => {
      const big = await raw(api.url, 'POST', `/small/${DB}/_bulk_docs`, { token: 'token-T1', body: { docs: [{ _id: 'x', pad: 'y'.repeat(8000) }] } });
      expect(big.status).to.equal(413);
      expect(big.body.error).to.equal('too_large');
      const many = await asT1('POST', `/${DB}/_bulk_docs`, { docs: Array.from({ length: 10_001 }, (_, i) => ({ _id: `customer:${i}` })) });
      expect(many.status).to.equal(413);
      const shapeless = await asT1('POST', `/${DB}/_bulk_docs`, { docs: [{ type: 'sale' }] });
      expect(shapeless.status).to.equal(400);
    });

    it('a race of 20 parallel pushes of two different roots of a NEW sale stores exactly one branch', async () => {
      const doc = sale(21, 'S001', 'T1') as unknown as Json;
      const a = forgedRoot(doc, '1-' + 'a'.repeat(32));
      const b = forgedRoot(doc, '1-' + 'b'.repeat(32), { cashierId: 'u2' });
      const tamperBefore = tampers.length;
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => asT1('POST', `/${DB}/_bulk_docs`, { new_edits: false, docs: [i % 2 ? b : a] })));
      expect(answers.every((r) => r.status === 201)).to.equal(true);
      const leaves = await fetch(`${upstream.url}/${DB}/${encodeURIComponent(doc._id as string)}?open_revs=all`, { headers: { Authorization: upstream.adminAuth, Accept: 'application/json' } }).then(
        (r) => r.json() as Promise<Array<{ ok?: Json }>>,
      );
      expect(leaves).to.have.length(1);
      const winner = leaves[0]?.ok?._rev;
      // Every push of the stored revision succeeded; every push of the other was refused as tampering.
      answers.forEach((r, i) => {
        const rev = (i % 2 ? b : a)._rev;
        expect(r.body, `push ${i}`).to.deep.equal(rev === winner ? [] : [{ id: doc._id, rev, error: 'forbidden', reason: LEDGER_IMMUTABLE }]);
      });
      expect(tampers.length - tamperBefore).to.equal(10);

      // Two roots of one new id inside a single request: the first goes, the second is refused.
      const doc2 = sale(22, 'S001', 'T1') as unknown as Json;
      const both = await asT1('POST', `/${DB}/_bulk_docs`, {
        new_edits: false,
        docs: [forgedRoot(doc2, '1-' + 'a'.repeat(32)), forgedRoot(doc2, '1-' + 'b'.repeat(32), { cashierId: 'u2' })],
      });
      expect(both.body).to.deep.equal([{ id: doc2._id, rev: '1-' + 'b'.repeat(32), error: 'forbidden', reason: LEDGER_IMMUTABLE }]);
      const stored2 = await adminReq('GET', `/${DB}/${encodeURIComponent(doc2._id as string)}?conflicts=true`);
      expect(stored2.body._rev).to.equal('1-' + 'a'.repeat(32));
      expect(stored2.body).to.not.have.property('_conflicts');
    });
  });
}
