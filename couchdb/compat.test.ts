// Compatibility of the embedded server with CouchDB 3.5 as Caja relies on it, over real HTTP on 127.0.0.1:
// JWT answers, closed admin party, _security, validate_doc_update, _changes feeds and filtered replication
// with a real PouchDB client, views, Mango, replication endpoints, limits, robustness and durability.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { adminToken, startEmbeddedCouch, type EmbeddedCouch } from './index';
import { countLevelGets } from '../tests/support/levelReads';

PouchDB.plugin(memoryAdapter);

const SECRET = 'compat-test-secret';
/** Signed when the file starts (first `before`), not when mocha loads it. */
let ADMIN = '';
const userToken = (sub: string, roles: string[], ttl = 300) => jwt.sign({ sub, '_couchdb.roles': roles }, SECRET, { algorithm: 'HS256', expiresIn: ttl });

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: string; reason?: string };
  text: string;
}

let dataDir: string;
let couch: EmbeddedCouch;

async function call(method: string, urlPath: string, opts: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...opts.headers };
  const token = opts.token === undefined ? ADMIN : opts.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(couch.url + urlPath, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const text = await res.text();
  let body: Answer['body'] = {};
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    // streaming feeds are checked through `text`
  }
  return { status: res.status, body, text };
}

let dbCounter = 0;
/** A fresh database with `_security` members = role `members`, admins = role `dbadmins`. */
async function freshDb(members: string[] = ['store-1']): Promise<string> {
  const name = `compat-${++dbCounter}`;
  expect((await call('PUT', `/${name}`)).status).to.equal(201);
  const sec = await call('PUT', `/${name}/_security`, { body: { admins: { names: [], roles: ['dbadmins'] }, members: { names: [], roles: members } } });
  expect(sec.status).to.equal(200);
  return name;
}

/** Polls `check` until it returns true or the deadline passes. */
async function waitFor(check: () => Promise<boolean> | boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function clientDb(dbName: string, token: string): PouchDB.Database {
  const authFetch = (url: string | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  };
  // `fetch` is a documented PouchDB http option that @types/pouchdb does not list.
  return new PouchDB(`${couch.url}/${dbName}`, { fetch: authFetch });
}

describe('embedded CouchDB compatibility', function () {
  this.timeout(20_000);

  before(async () => {
    ADMIN = adminToken(SECRET);
    dataDir = mkdtempSync(path.join(tmpdir(), 'caja-couch-'));
    couch = await startEmbeddedCouch({ port: 0, dataDir, jwtSecret: SECRET, corsOrigins: ['http://till.local'] });
  });
  after(async () => {
    await couch?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('authentication (CouchDB 3.5 jwt_authentication_handler)', () => {
    it('answers / and /_up without credentials and 401 everything else', async () => {
      expect((await call('GET', '/', { token: null })).body.couchdb).to.equal('Welcome');
      expect((await call('GET', '/_up', { token: null })).body).to.include({ status: 'ok' });
      const anon = await call('GET', '/_all_dbs', { token: null });
      expect(anon.status).to.equal(401);
      expect(anon.body).to.deep.equal({ error: 'unauthorized', reason: 'Authentication required.' });
    });

    it('accepts a valid token and reports it in /_session', async () => {
      const res = await call('GET', '/_session', { token: userToken('till-7', ['store-1']) });
      expect(res.status).to.equal(200);
      expect(res.body.userCtx).to.deep.equal({ name: 'till-7', roles: ['store-1'] });
      expect(res.body.info).to.include({ authenticated: 'jwt' });
    });

    it('refuses a forged token with 400 Bad HMAC', async () => {
      const forged = jwt.sign({ sub: 'x', '_couchdb.roles': ['_admin'] }, 'other-secret', { expiresIn: 60 });
      const res = await call('GET', '/_session', { token: forged });
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ error: 'bad_request', reason: 'Bad HMAC' });
    });

    it('refuses an expired token with 401 exp not in future', async () => {
      const expired = jwt.sign({ sub: 'x', exp: Math.floor(Date.now() / 1000) - 10 }, SECRET);
      const res = await call('GET', '/_session', { token: expired });
      expect(res.status).to.equal(401);
      expect(res.body).to.deep.equal({ error: 'unauthorized', reason: 'exp not in future' });
    });

    it('refuses a token without exp with 400 Missing exp claim', async () => {
      const res = await call('GET', '/_session', { token: jwt.sign({ sub: 'x' }, SECRET) });
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ error: 'bad_request', reason: 'Missing exp claim' });
    });

    it('refuses an unknown kid and a malformed token with 400', async () => {
      const withKid = jwt.sign({ sub: 'x' }, SECRET, { expiresIn: 60, keyid: 'other' });
      expect((await call('GET', '/_session', { token: withKid })).body).to.deep.equal({ error: 'bad_request', reason: 'Unknown kid' });
      expect((await call('GET', '/_session', { token: 'not.a-token' })).status).to.equal(400);
    });

    it('gives no roles for a nested {"_couchdb":{"roles"}} claim, so a members db is 403', async () => {
      const db = await freshDb(['store-1']);
      const nested = jwt.sign({ sub: 'till-7', _couchdb: { roles: ['store-1'] } }, SECRET, { expiresIn: 60 });
      expect((await call('GET', '/_session', { token: nested })).body.userCtx).to.deep.equal({ name: 'till-7', roles: [] });
      const res = await call('GET', `/${db}/_all_docs`, { token: nested });
      expect(res.status).to.equal(403);
      expect(res.body).to.deep.equal({ error: 'forbidden', reason: 'You are not allowed to access this db.' });
    });
  });

  describe('authorization (_security, server admin)', () => {
    it('keeps a new database admin-only, then opens it to listed members only, on every route', async () => {
      expect((await call('PUT', '/compat-fresh')).status).to.equal(201);
      expect((await call('GET', '/compat-fresh/_security')).body).to.deep.equal({
        admins: { names: [], roles: ['_admin'] },
        members: { names: [], roles: ['_admin'] },
      });
      expect((await call('GET', '/compat-fresh', { token: userToken('u', ['store-1']) })).status).to.equal(403);

      const db = await freshDb(['store-1']);
      const member = userToken('till-1', ['store-1']);
      const stranger = userToken('till-9', ['store-2']);
      expect((await call('PUT', `/${db}/sale-1`, { token: member, body: { type: 'sale' } })).status).to.equal(201);
      const routes: Array<[string, string, unknown?]> = [
        ['GET', `/${db}`],
        ['GET', `/${db}/sale-1`],
        ['PUT', `/${db}/sale-2`, { type: 'sale' }],
        ['POST', `/${db}/_bulk_docs`, { docs: [{ _id: 'sale-3' }] }],
        ['POST', `/${db}/_bulk_get`, { docs: [{ id: 'sale-1' }] }],
        ['GET', `/${db}/_all_docs`],
        ['GET', `/${db}/_changes`],
        ['POST', `/${db}/_find`, { selector: { type: 'sale' } }],
        ['POST', `/${db}/_revs_diff`, { 'sale-1': ['1-abc'] }],
        ['PUT', `/${db}/_local/checkpoint`, { seq: 1 }],
        ['GET', `/${db}/_security`],
      ];
      for (const [method, url, body] of routes) {
        const res = await call(method, url, { token: stranger, body });
        expect(res.status, `${method} ${url}`).to.equal(403);
        expect(res.body.error).to.equal('forbidden');
      }
      expect((await call('GET', `/${db}/_all_docs`, { token: member })).status).to.equal(200);
      expect((await call('PUT', `/${db}/_local/checkpoint`, { token: member, body: { seq: 1 } })).status).to.equal(201);
    });

    it('refuses design documents and _security to members and db admins, allows them to server admins (Caja rule)', async () => {
      const db = await freshDb(['store-1']);
      const member = userToken('till-1', ['store-1']);
      const dbAdmin = userToken('boss', ['dbadmins']);
      const ddoc = await call('PUT', `/${db}/_design/x`, { token: member, body: { views: {} } });
      expect(ddoc.status).to.equal(403);
      expect(ddoc.body).to.deep.equal({ error: 'forbidden', reason: 'You are not a db or server admin.' });
      const bulk = await call('POST', `/${db}/_bulk_docs`, { token: member, body: { docs: [{ _id: '_design/y' }, { _id: 'ok' }] } });
      expect(bulk.body).to.deep.equal([
        { id: '_design/y', error: 'forbidden', reason: 'You are not a db or server admin.' },
        bulk.body[1 as unknown as string],
      ]);
      expect((bulk.body as unknown as Array<{ ok?: boolean }>)[1]?.ok).to.equal(true);
      expect((await call('PUT', `/${db}/_security`, { token: member, body: {} })).status).to.equal(403);
      // CouchDB would let a db admin do both; Caja keeps design documents and _security to server admins.
      expect((await call('PUT', `/${db}/_design/x`, { token: dbAdmin, body: { views: {} } })).status).to.equal(403);
      expect((await call('PUT', `/${db}/_security`, { token: dbAdmin, body: {} })).status).to.equal(403);
      expect((await call('PUT', `/${db}/_design/x`, { body: { views: {} } })).status).to.equal(201);
    });

    it('requires a server admin for _all_dbs, database creation and _active_tasks, and lists registered tasks', async () => {
      const member = userToken('till-1', ['store-1']);
      for (const [method, url] of [['GET', '/_all_dbs'], ['PUT', '/compat-nope'], ['GET', '/_active_tasks'], ['GET', '/_scheduler/jobs']] as const) {
        const res = await call(method, url, { token: member });
        expect(res.status, url).to.equal(401); // CouchDB 3.5's status (parity.test.ts checks it against one)
        expect(res.body.error).to.equal('unauthorized');
      }
      const now = Math.floor(Date.now() / 1000);
      couch.tasks.register('rep-1', () => ({
        type: 'replication', replication_id: 'abc+continuous', source: 'http://hq/caja-catalog', target: 'http://relay/caja-store',
        continuous: true, docs_read: 5, docs_written: 5, doc_write_failures: 0, changes_pending: 0, checkpointed_source_seq: 5,
        started_on: now, updated_on: now, pid: '<0.1.0>', node: 'caja@127.0.0.1',
      }));
      const tasks = await call('GET', '/_active_tasks');
      expect(tasks.body).to.be.an('array').with.lengthOf(1);
      expect((tasks.body as unknown as Array<Record<string, unknown>>)[0]).to.include({ type: 'replication', docs_written: 5 });
      const jobs = await call('GET', '/_scheduler/jobs');
      expect(jobs.body.total_rows).to.equal(1);
      couch.tasks.unregister('rep-1');
      expect((await call('GET', '/_active_tasks')).body).to.deep.equal([]);
    });
  });

  describe('validate_doc_update', () => {
    const vdu = `function (newDoc, oldDoc, userCtx, secObj) {
      var rules = require('lib/rules');
      if (newDoc.type === 'sale' && !rules.positive(newDoc.total)) throw({ forbidden: 'total must be positive (' + userCtx.name + '@' + userCtx.db + ')' });
      if (newDoc.type === 'locked' && userCtx.roles.indexOf('manager') === -1) throw({ unauthorized: 'managers only' });
    }`;
    let db: string;
    before(async () => {
      db = await freshDb(['store-1']);
      const res = await call('PUT', `/${db}/_design/validate`, { body: { validate_doc_update: vdu, lib: { rules: 'exports.positive = function (n) { return n > 0; };' } } });
      expect(res.status).to.equal(201);
    });

    it('rejects a bad single write with 403 and its message, 401 for {unauthorized}', async () => {
      const member = userToken('till-1', ['store-1']);
      const bad = await call('PUT', `/${db}/sale-bad`, { token: member, body: { type: 'sale', total: -5 } });
      expect(bad.status).to.equal(403);
      expect(bad.body).to.deep.equal({ error: 'forbidden', reason: `total must be positive (till-1@${db})` });
      expect((await call('PUT', `/${db}/sale-ok`, { token: member, body: { type: 'sale', total: 5 } })).status).to.equal(201);
      const locked = await call('POST', `/${db}`, { token: member, body: { type: 'locked' } });
      expect(locked.status).to.equal(401);
      expect(locked.body).to.deep.equal({ error: 'unauthorized', reason: 'managers only' });
      // server admins are validated too
      expect((await call('PUT', `/${db}/sale-admin`, { body: { type: 'sale', total: 0 } })).status).to.equal(403);
    });

    it('answers per document in _bulk_docs, also for replicated (new_edits:false) writes', async () => {
      const member = userToken('till-1', ['store-1']);
      const res = await call('POST', `/${db}/_bulk_docs`, { token: member, body: { docs: [{ _id: 'b1', type: 'sale', total: 1 }, { _id: 'b2', type: 'sale', total: -1 }, { _id: 'b3', type: 'sale', total: 3 }] } });
      const rows = res.body as unknown as Array<Record<string, unknown>>;
      expect(res.status).to.equal(201);
      expect(rows[0]).to.include({ ok: true, id: 'b1' });
      expect(rows[1]).to.deep.equal({ id: 'b2', error: 'forbidden', reason: `total must be positive (till-1@${db})` });
      expect(rows[2]).to.include({ ok: true, id: 'b3' });
      expect((await call('GET', `/${db}/b2`)).status).to.equal(404);

      const replicated = await call('POST', `/${db}/_bulk_docs`, {
        token: member,
        body: { new_edits: false, docs: [{ _id: 'r1', _rev: '1-aaa', type: 'sale', total: -2 }, { _id: 'r2', _rev: '1-bbb', type: 'sale', total: 2 }] },
      });
      expect(replicated.body).to.deep.equal([{ id: 'r1', error: 'forbidden', reason: `total must be positive (till-1@${db})` }]);
      expect((await call('GET', `/${db}/r2`)).body._rev).to.equal('1-bbb');
      expect((await call('GET', `/${db}/r1`)).status).to.equal(404);
    });
  });

  describe('_changes', () => {
    let db: string;
    before(async () => {
      db = await freshDb(['store-1']);
      await call('POST', `/${db}/_bulk_docs`, { body: { docs: [{ _id: 'a', type: 'product' }, { _id: 'b', type: 'sale' }] } });
    });

    it('answers a normal feed', async () => {
      const res = await call('GET', `/${db}/_changes?since=0&include_docs=true`);
      expect(res.status).to.equal(200);
      const results = res.body.results as Array<{ id: string; doc: { type: string } }>;
      expect(results.map((r) => r.id)).to.deep.equal(['a', 'b']);
      expect(results[1]?.doc.type).to.equal('sale');
      expect(res.body.last_seq).to.equal(2);
    });

    it('holds a longpoll until the next change', async () => {
      // Start from the current sequence (not `now`) so the result is the same whether the write lands
      // before or after the server starts waiting.
      const since = (await call('GET', `/${db}/_changes?since=0`)).body.last_seq as number;
      const pending = call('GET', `/${db}/_changes?feed=longpoll&since=${since}&heartbeat=10000`);
      await call('PUT', `/${db}/lp-1`, { body: { type: 'sale' } });
      const res = await pending;
      expect(res.status).to.equal(200);
      const ids = (res.body.results as Array<{ id: string }>).map((r) => r.id);
      expect(ids).to.deep.equal(['lp-1']);
    });

    it('answers a filtered longpoll by its timeout with the position scanned, so a long scan makes progress (issue #4)', async () => {
      const big = await freshDb();
      const docs = Array.from({ length: 5000 }, (_, i) => ({ _id: `p${String(i).padStart(5, '0')}`, type: 'product' }));
      expect((await call('POST', `/${big}/_bulk_docs`, { body: { docs } })).status).to.equal(201);
      await call('PUT', `/${big}/zz-sale`, { body: { type: 'sale' } });
      const selector = { selector: { type: 'sale' } };
      // A 1 ms timeout ends the scan after its first chunk: an empty answer with a position inside the range.
      const first = await call('POST', `/${big}/_changes?feed=longpoll&filter=_selector&since=0&timeout=1`, { body: selector });
      expect(first.status).to.equal(200);
      expect(first.body.results).to.deep.equal([]);
      const seq = first.body.last_seq as number;
      expect(seq).to.be.greaterThan(0).and.lessThan(5001);
      // Following from there reaches the match; the scan never restarts from 0.
      let since = seq;
      let found: string[] = [];
      for (let i = 0; i < 10 && found.length === 0; i++) {
        const next = await call('POST', `/${big}/_changes?feed=longpoll&filter=_selector&since=${since}&timeout=1`, { body: selector });
        expect(next.body.last_seq).to.be.at.least(since);
        since = next.body.last_seq as number;
        found = (next.body.results as Array<{ id: string }>).map((r) => r.id);
      }
      expect(found).to.deep.equal(['zz-sale']);
    });

    it("passes over the ids a selector's `_id` condition refuses, without reading them", async () => {
      const big = await freshDb();
      const products = (from: number) => Array.from({ length: 1000 }, (_, i) => ({ _id: `product:${from + i}`, type: 'product' }));
      const sales = Array.from({ length: 10 }, (_, i) => ({ _id: `sale:${i}`, type: 'sale' }));
      expect((await call('POST', `/${big}/_bulk_docs`, { body: { docs: [...products(0), ...sales, ...products(1000)] } })).status).to.equal(201);
      const all = (await call('GET', `/${big}/_changes`)).body;
      const expected = (all.results as Array<{ id: string }>).filter((r) => r.id.startsWith('sale:'));
      const read = async (query: string, selector: object) => {
        const gets = countLevelGets(big);
        try {
          const res = await call('POST', `/${big}/_changes?filter=_selector${query}`, { body: { selector } });
          expect(res.status).to.equal(200);
          return { body: res.body, gets: gets.count() };
        } finally {
          gets.stop();
        }
      };
      for (const query of ['', '&feed=longpoll&since=0']) {
        const byId = await read(query, { _id: { $regex: '^sale:' }, type: 'sale' });
        expect(byId.body.results, query).to.deep.equal(expected);
        expect(byId.body.last_seq, query).to.equal(all.last_seq); // past the products it passed over
        expect(byId.gets, query).to.be.at.most(20); // the sales' metadata; none of the 2000 products'
        // A selector of `_id` alone: its id test decides, and the documents it keeps are not parsed (patches/).
        const idOnly = await read(query, { _id: { $regex: '^sale:' } });
        expect(idOnly.body.results, query).to.deep.equal(expected);
        expect(idOnly.body.last_seq, query).to.equal(all.last_seq);
        expect(idOnly.gets, query).to.be.at.most(20);
        const withDocs = await read(`${query}&include_docs=true`, { _id: { $regex: '^sale:' } });
        expect((withDocs.body.results as Array<{ doc: { _id: string; type: string } }>).map((r) => [r.doc._id, r.doc.type]), query).to.deep.equal(expected.map((r) => [r.id, 'sale']));
        const byType = await read(query, { type: 'sale' });
        expect(byType.body.results, query).to.deep.equal(expected);
        expect(byType.gets, query).to.be.at.least(2000);
      }
    });

    it('streams a continuous feed', async () => {
      const controller = new AbortController();
      const res = await fetch(`${couch.url}/${db}/_changes?feed=continuous&since=0&heartbeat=10000`, { headers: { Authorization: `Bearer ${ADMIN}` }, signal: controller.signal });
      expect(res.status).to.equal(200);
      const reader = res.body!.getReader();
      let text = '';
      await call('PUT', `/${db}/cont-1`, { body: { type: 'sale' } });
      await waitFor(async () => {
        const chunk = await reader.read();
        text += new TextDecoder().decode(chunk.value);
        return text.includes('"cont-1"');
      }, 'cont-1 on the continuous feed');
      controller.abort();
      const lines = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { id: string });
      expect(lines.map((l) => l.id)).to.include.members(['a', 'b', 'cont-1']);
    });

    it('refuses a garbage selector with 400 and keeps serving', async () => {
      for (const selector of [{ type: { $bogus: 1 } }, 'nope', { $and: 5 }, { n: { $regex: '(' } }]) {
        const res = await call('POST', `/${db}/_changes?filter=_selector`, { body: { selector } });
        expect(res.status, JSON.stringify(selector)).to.equal(400);
        expect(res.body.error).to.equal('bad_request');
      }
      expect((await call('POST', `/${db}/_changes?filter=_selector&feed=longpoll`, { body: {} })).status).to.equal(400);
      expect((await call('POST', `/${db}/_changes`, { raw: '{not json' })).status).to.equal(400);
      expect((await call('GET', '/_up')).status).to.equal(200);
    });
  });

  describe('filtered replication with a PouchDB client', () => {
    let db: string;
    const member = userToken('till-1', ['store-1']);
    before(async () => {
      db = await freshDb(['store-1']);
      const docs = [];
      for (let i = 0; i < 30; i++) docs.push({ _id: `doc-${String(i).padStart(2, '0')}`, type: i % 3 === 0 ? 'sale' : 'product', store: i % 2 ? 's1' : 's2' });
      expect((await call('POST', `/${db}/_bulk_docs`, { body: { docs } })).status).to.equal(201);
      await call('PUT', `/${db}/_design/sync`, {
        body: { filters: { byStore: 'function (doc, req) { return doc.type === "sale" && doc.store === req.query.store; }' } },
      });
    });

    it('pulls exactly the docs a design-document filter passes, with query params', async () => {
      const local = new PouchDB(`local-ddoc-${Date.now()}`, { adapter: 'memory' });
      await local.replicate.from(clientDb(db, member), { filter: 'sync/byStore', query_params: { store: 's1' } });
      const ids = (await local.allDocs()).rows.map((r) => r.id);
      expect(ids).to.deep.equal(['doc-03', 'doc-09', 'doc-15', 'doc-21', 'doc-27']);
      await local.destroy();
    });

    it('pulls exactly the docs a Mango selector matches', async () => {
      const local = new PouchDB(`local-sel-${Date.now()}`, { adapter: 'memory' });
      await local.replicate.from(clientDb(db, member), { selector: { type: 'sale', store: 's2' } });
      const ids = (await local.allDocs()).rows.map((r) => r.id);
      expect(ids).to.deep.equal(['doc-00', 'doc-06', 'doc-12', 'doc-18', 'doc-24']);
      await local.destroy();
    });

    it('pushes through validation and checkpoints in _local', async () => {
      const local = new PouchDB(`local-push-${Date.now()}`, { adapter: 'memory' });
      await local.bulkDocs([{ _id: 'push-1', type: 'sale' }, { _id: 'push-2', type: 'sale' }]);
      const result = await local.replicate.to(clientDb(db, member));
      expect(result.docs_written).to.equal(2);
      expect((await call('GET', `/${db}/push-2`, { token: member })).status).to.equal(200);
      await local.destroy();
    });
  });

  describe('views, Mango and replication endpoints', () => {
    let db: string;
    before(async () => {
      db = await freshDb(['store-1']);
      const docs = [
        { _id: 's1', type: 'sale', day: '2025-01-01', total: 100 },
        { _id: 's2', type: 'sale', day: '2025-01-01', total: 250 },
        { _id: 's3', type: 'sale', day: '2025-01-02', total: 50 },
        { _id: 'p1', type: 'product', barcode: '7501' },
      ];
      await call('POST', `/${db}/_bulk_docs`, { body: { docs } });
      await call('PUT', `/${db}/_design/reports`, {
        body: {
          views: {
            stats: { map: 'function (doc) { if (doc.type === "sale") emit(doc.day, doc.total); }', reduce: '_stats' },
            sum: { map: 'function (doc) { if (doc.type === "sale") emit(doc.day, doc.total); }', reduce: '_sum' },
            count: { map: 'function (doc) { if (doc.type === "sale") emit(doc.day, null); }', reduce: '_count' },
          },
        },
      });
    });

    it('reduces with _stats, _sum and _count', async () => {
      const stats = await call('GET', `/${db}/_design/reports/_view/stats`);
      expect((stats.body.rows as Array<{ value: unknown }>)[0]?.value).to.deep.equal({ sum: 400, count: 3, min: 50, max: 250, sumsqr: 100 * 100 + 250 * 250 + 50 * 50 });
      const sum = await call('GET', `/${db}/_design/reports/_view/sum?group=true`);
      expect(sum.body.rows).to.deep.equal([{ key: '2025-01-01', value: 350 }, { key: '2025-01-02', value: 50 }]);
      const count = await call('GET', `/${db}/_design/reports/_view/count?key="2025-01-01"`);
      expect((count.body.rows as Array<{ value: unknown }>)[0]?.value).to.equal(2);
    });

    it('creates an index and finds with it', async () => {
      const index = await call('POST', `/${db}/_index`, { body: { index: { fields: ['barcode'] }, ddoc: 'by-barcode', name: 'by-barcode' } });
      expect(index.status).to.equal(200);
      const found = await call('POST', `/${db}/_find`, { body: { selector: { barcode: '7501' }, use_index: 'by-barcode' } });
      expect((found.body.docs as Array<{ _id: string }>).map((d) => d._id)).to.deep.equal(['p1']);
      const member = userToken('till-1', ['store-1']);
      expect((await call('POST', `/${db}/_index`, { token: member, body: { index: { fields: ['type'] } } })).status).to.equal(403);
    });

    it('answers _bulk_get, _revs_diff, _all_docs with keys and _local', async () => {
      const rev = (await call('GET', `/${db}/s1`)).body._rev as string;
      const bulkGet = await call('POST', `/${db}/_bulk_get?revs=true`, { body: { docs: [{ id: 's1', rev }, { id: 'missing' }] } });
      const results = bulkGet.body.results as Array<{ id: string; docs: Array<{ ok?: { _revisions?: unknown }; error?: unknown }> }>;
      expect(results[0]?.docs[0]?.ok?._revisions).to.be.an('object');
      expect(results[1]?.docs[0]?.error).to.include({ error: 'not_found' });
      const diff = await call('POST', `/${db}/_revs_diff`, { body: { s1: [rev, '2-zzz'] } });
      expect(diff.body).to.deep.equal({ s1: { missing: ['2-zzz'] } });
      const keys = await call('POST', `/${db}/_all_docs`, { body: { keys: ['s3', 'nope'] } });
      expect((keys.body.rows as Array<{ id?: string; error?: string }>).map((r) => r.id ?? r.error)).to.deep.equal(['s3', 'not_found']);
      expect((await call('PUT', `/${db}/_local/cp`, { body: { last_seq: 4 } })).status).to.equal(201);
      expect((await call('GET', `/${db}/_local/cp`)).body.last_seq).to.equal(4);
      expect((await call('GET', '/_uuids?count=3')).body.uuids).to.have.lengthOf(3);
    });

    it('answers _all_docs with plain keys (a range read, then point reads) exactly as PouchDB does: live, deleted, design, attachment, missing', async () => {
      const fresh = await freshDb();
      const put = await call('PUT', `/${fresh}/gone`, { body: { type: 'x' } });
      expect((await call('DELETE', `/${fresh}/gone?rev=${String(put.body.rev)}`)).status).to.be.oneOf([200, 201]);
      await call('PUT', `/${fresh}/live`, { body: { type: 'x', n: 1 } });
      await call('PUT', `/${fresh}/with-att`, { body: { _attachments: { 'a.txt': { content_type: 'text/plain', data: Buffer.from('hi').toString('base64') } } } });
      await call('PUT', `/${fresh}/_design/d`, { body: { views: {} } });
      const keys = ['live', 'gone', 'nope', '_design/d', 'with-att', 'live'];
      // Not document ids: PouchDB's own answer (not found), never a 500 from a point read.
      const odd = await call('POST', `/${fresh}/_all_docs`, { body: { keys: ['live', '_reserved', '_local/x'] } });
      expect(odd.status).to.equal(200);
      expect((odd.body.rows as Array<{ id?: string; error?: string }>).map((r) => r.id ?? r.error)).to.deep.equal(['live', 'not_found', 'not_found']);
      for (const includeDocs of [false, true]) {
        const fast = await call('POST', `/${fresh}/_all_docs`, { body: { keys, include_docs: includeDocs } });
        // Any other option goes to express-pouchdb's own answer; descending:false changes nothing.
        const pouch = await call('POST', `/${fresh}/_all_docs`, { body: { keys, include_docs: includeDocs, descending: false } });
        expect(fast.status).to.equal(200);
        expect(fast.body).to.deep.equal(pouch.body);
        expect((fast.body.rows as Array<{ value?: { deleted?: boolean } }>)[1]?.value?.deleted).to.equal(true);
      }
      // Keys spread over more stored documents than one range read lists (ids + 16): the rest by point reads.
      await call('POST', `/${fresh}/_bulk_docs`, { body: { docs: Array.from({ length: 30 }, (_, i) => ({ _id: `k${String(i).padStart(2, '0')}`, n: i })) } });
      const spread = ['k00', 'k29', 'knope', 'gone', 'k15'];
      for (const includeDocs of [false, true]) {
        const fast = await call('POST', `/${fresh}/_all_docs`, { body: { keys: spread, include_docs: includeDocs } });
        const pouch = await call('POST', `/${fresh}/_all_docs`, { body: { keys: spread, include_docs: includeDocs, descending: false } });
        expect(fast.body).to.deep.equal(pouch.body);
        expect((fast.body.rows as Array<{ id?: string; error?: string }>).map((r) => r.id ?? r.error)).to.deep.equal(['k00', 'k29', 'not_found', 'gone', 'k15']);
      }
      const viaQuery = await call('POST', `/${fresh}/_all_docs?include_docs=true`, { body: { keys: ['live'] } });
      expect((viaQuery.body.rows as Array<{ doc?: { n?: number } }>)[0]?.doc?.n).to.equal(1);
    });

    it('answers _revs_diff of many ids (missing ones by one range read) as PouchDB answers each id alone', async () => {
      const fresh = await freshDb();
      const live = await call('PUT', `/${fresh}/r-live`, { body: { n: 1 } });
      const gone = await call('PUT', `/${fresh}/r-gone`, { body: { n: 1 } });
      expect((await call('DELETE', `/${fresh}/r-gone?rev=${String(gone.body.rev)}`)).status).to.be.oneOf([200, 201]);
      const ask: Record<string, string[]> = {
        'r-live': [String(live.body.rev), '2-abc'],
        'r-gone': [String(gone.body.rev), '3-def'],
        'r-new1': ['1-aaa'],
        'r-new2': ['1-bbb', '2-ccc'],
      };
      const together = await call('POST', `/${fresh}/_revs_diff`, { body: ask });
      expect(together.status).to.equal(200);
      const alone: Record<string, unknown> = {};
      for (const [id, revs] of Object.entries(ask)) Object.assign(alone, (await call('POST', `/${fresh}/_revs_diff`, { body: { [id]: revs } })).body);
      expect(together.body).to.deep.equal(alone);
      expect(together.body['r-new2']).to.deep.equal({ missing: ['1-bbb', '2-ccc'] });
      expect(together.body['r-live']).to.deep.include({ missing: ['2-abc'] });
    });

    it('stores and serves an attachment through validation', async () => {
      const rev = (await call('GET', `/${db}/p1`)).body._rev as string;
      const put = await call('PUT', `/${db}/p1/photo.txt?rev=${rev}`, { raw: 'hello', headers: { 'Content-Type': 'text/plain' } });
      expect(put.status).to.equal(201);
      expect((await call('GET', `/${db}/p1/photo.txt`)).text).to.equal('hello');
    });
  });

  describe('limits, CORS and robustness', () => {
    it('refuses an oversize body with 413 too_large', async () => {
      const small = await startEmbeddedCouch({ port: 0, dataDir: path.join(dataDir, 'small'), jwtSecret: SECRET, maxRequestBytes: 10_000 });
      try {
        const res = await fetch(`${small.url}/anything/_bulk_docs`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ docs: [{ blob: 'x'.repeat(20_000) }] }),
        });
        expect(res.status).to.equal(413);
        expect(await res.json()).to.deep.equal({ error: 'too_large', reason: 'the request entity is too large' });
      } finally {
        await small.close();
      }
    });

    it('answers CORS preflight and echoes an allowed origin with credentials', async () => {
      const pre = await fetch(`${couch.url}/_session`, { method: 'OPTIONS', headers: { Origin: 'http://till.local', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });
      expect(pre.status).to.equal(204);
      expect(pre.headers.get('access-control-allow-origin')).to.equal('http://till.local');
      expect(pre.headers.get('access-control-allow-credentials')).to.equal('true');
      expect(pre.headers.get('access-control-allow-headers')).to.include('authorization');
      const other = await fetch(`${couch.url}/_up`, { headers: { Origin: 'http://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    });
  });

  describe('durability', () => {
    it('keeps data across close() and a restart on the same dataDir', async () => {
      const db = await freshDb(['store-1']);
      await call('PUT', `/${db}/keep`, { body: { v: 1 } });
      await call('PUT', `/${db}/_design/v`, { body: { views: { all: { map: 'function (d) { emit(d._id); }' } } } });
      expect((await call('GET', `/${db}/_design/v/_view/all`)).status).to.equal(200);
      await couch.close();
      couch = await startEmbeddedCouch({ port: 0, dataDir, jwtSecret: SECRET });
      expect((await call('GET', `/${db}/keep`)).body.v).to.equal(1);
      expect((await call('GET', `/${db}/_design/v/_view/all`)).body.total_rows).to.equal(1);
      expect((await call('GET', `/${db}/keep`, { token: userToken('x', ['store-2']) })).status).to.equal(403);
    });

    it('keeps acknowledged writes when the server process is killed with SIGKILL', async () => {
      const dir = path.join(dataDir, 'killed');
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '..', 'tests', 'tools', 'serveCouch.ts'), dir, SECRET], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((r) => child.once('exit', r));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const line = out.split('\n').find((l) => l.startsWith('{'));
            if (line) resolve((JSON.parse(line) as { url: string }).url);
          });
          child.once('exit', () => reject(new Error('server process exited early')));
        });
        const headers = { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' };
        expect((await fetch(`${url}/till`, { method: 'PUT', headers })).status).to.equal(201);
        const docs = Array.from({ length: 50 }, (_, i) => ({ _id: `sale-${i}`, total: i }));
        expect((await fetch(`${url}/till/_bulk_docs`, { method: 'POST', headers, body: JSON.stringify({ docs }) })).status).to.equal(201);
        expect((await fetch(`${url}/till/last`, { method: 'PUT', headers, body: '{"ack":true}' })).status).to.equal(201);
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
      const reopened = await startEmbeddedCouch({ port: 0, dataDir: dir, jwtSecret: SECRET });
      try {
        const res = await fetch(`${reopened.url}/till/_all_docs`, { headers: { Authorization: `Bearer ${ADMIN}` } });
        expect(((await res.json()) as { total_rows: number }).total_rows).to.equal(51);
      } finally {
        await reopened.close();
      }
    });
  });
});
