// Attacks that once succeeded against the embedded server, each with the variants of its class, run over raw
// HTTP (node:http, so no client normalises `..` or encoded slashes first) against a real server on 127.0.0.1
// with a store member's JWT signed with the server's secret. Every test asserts the attempt is refused AND
// that nothing was written; sandbox escapes also assert that no marker reached the host.
import { expect } from 'chai';
import http from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { adminToken, startEmbeddedCouch, type EmbeddedCouch } from './index';
import { Sandbox } from './sandbox';
import { KeyedMutex, ValidatorCache, writeDocs, type WriteContext } from './writes';
import { parseRequestPath } from './http';

PouchDB.plugin(memoryAdapter);

const SECRET = 'security-test-secret';
const token = (sub: string, roles: string[]) => jwt.sign({ sub, '_couchdb.roles': roles }, SECRET, { algorithm: 'HS256', expiresIn: 600 });
// Signed when the file starts, not when mocha loads it: in one process the suite runs long after loading.
let ADMIN = '';
let S001 = '';
let S002 = '';
/** Listed in `admins` of the store databases: a db admin, not a server admin. */
let DB_ADMIN = '';

interface Answer {
  status: number;
  body: unknown;
  json: Record<string, unknown> & { error?: string; reason?: string };
  headers: http.IncomingHttpHeaders;
  text: string;
}

let dataDir: string;
let couch: EmbeddedCouch;
const MARKER = path.join(tmpdir(), `caja-pwned-${process.pid}`);

/** One request with the path sent byte for byte as given. */
function raw(method: string, target: string, opts: { token?: string | null; body?: unknown; text?: string; headers?: Record<string, string>; server?: EmbeddedCouch } = {}): Promise<Answer> {
  const payload = opts.text ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...opts.headers };
  const bearer = opts.token === undefined ? ADMIN : opts.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: (opts.server ?? couch).port, method, path: target, headers, agent: false }, (res) => {
      const chunks: Uint8Array[] = [];
      res.on('data', (c: Buffer) => chunks.push(new Uint8Array(c.buffer, c.byteOffset, c.length)));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (attachments, streams)
        }
        const json = (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Answer['json'];
        resolve({ status: res.statusCode ?? 0, body, json, headers: res.headers, text });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

const exists = async (db: string, id: string) => (await raw('GET', `/${db}/${id.startsWith('_design/') || id.startsWith('_local/') ? id : encodeURIComponent(id)}`)).status === 200;
const designIds = async (db: string) =>
  ((await raw('GET', `/${db}/_all_docs?startkey=${encodeURIComponent('"_design/"')}&endkey=${encodeURIComponent('"_design0"')}`)).json.rows as Array<{ id: string }>).map((r) => r.id);
const docCount = async (db: string) => (await raw('GET', `/${db}`)).json.doc_count as number;

let dbCounter = 0;
/** A store database open to role `store:<code>`, with `store-admin:S001` as db admin. */
async function storeDb(code = 'S001', name = `sec-store-${code.toLowerCase()}-${++dbCounter}`): Promise<string> {
  expect((await raw('PUT', `/${name}`)).status).to.equal(201);
  const sec = { admins: { names: [], roles: ['store-admin:S001'] }, members: { names: [], roles: [`store:${code}`] } };
  expect((await raw('PUT', `/${name}/_security`, { body: sec })).status).to.equal(200);
  return name;
}

async function putDdoc(db: string, name: string, body: Record<string, unknown>): Promise<string> {
  const res = await raw('PUT', `/${db}/_design/${name}`, { body });
  expect(res.status, JSON.stringify(res.json)).to.equal(201);
  return res.json.rev as string;
}

function expectNoHostMarker(): void {
  const g = globalThis as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  expect(g.__pwned, 'globalThis.__pwned').to.equal(undefined);
  expect((process as unknown as Record<string, unknown>).__pwned, 'process.__pwned').to.equal(undefined);
  expect(plain.__pwned, 'Object.prototype.__pwned').to.equal(undefined);
  expect(plain.forbidden, 'Object.prototype.forbidden').to.equal(undefined);
  expect([1, 2].indexOf(3), 'Array.prototype.indexOf').to.equal(-1);
  expect(JSON.parse('[1]'), 'JSON.parse').to.deep.equal([1]);
  expect(existsSync(MARKER), MARKER).to.equal(false);
}

describe('embedded CouchDB security', function () {
  this.timeout(30_000);

  before(async () => {
    ADMIN = adminToken(SECRET);
    S001 = token('store:S001', ['caja-store', 'store:S001']);
    S002 = token('store:S002', ['caja-store', 'store:S002']);
    DB_ADMIN = token('manager:S001', ['caja-store', 'store:S001', 'store-admin:S001']);
    dataDir = mkdtempSync(path.join(tmpdir(), 'caja-couch-sec-'));
    couch = await startEmbeddedCouch({ port: 0, dataDir, jwtSecret: SECRET, sandboxLimits: { timeoutMs: 500, memoryBytes: 32 * 1024 * 1024, totalMemoryBytes: 96 * 1024 * 1024 } });
  });
  after(async () => {
    await couch?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(MARKER, { force: true });
  });

  describe('1. design documents and ids: ids come from the path, design documents need a server admin', () => {
    const evil = { _id: '_design/evil', validate_doc_update: 'function () {}', language: 'javascript' };

    it('PUT /_local/x with a body _id (design, other _local, ordinary, non-string) is 400 and writes nothing', async () => {
      const db = await storeDb();
      for (const [target, body] of [
        ['/_local/x', evil],
        ['/_local/x', { _id: '_local/other', a: 1 }],
        ['/_local/x', { _id: 'sale-1', type: 'sale' }],
        ['/_local/x', { _id: 'x', a: 1 }],
        ['/_local/x', { _id: 42 }],
        ['/_local%2Fx', evil],
        ['/_local%2fx', { _id: '_design%2Fevil' }],
      ] as const) {
        const res = await raw('PUT', `/${db}${target}`, { token: S001, body });
        expect(res.status, `${target} ${JSON.stringify(body)}`).to.equal(400);
        // A non-string id is refused as CouchDB refuses it, before it is compared with the path.
        const expected = typeof body._id === 'string' ? { error: 'bad_request', reason: 'Document id must match' } : { error: 'illegal_docid', reason: 'Document id must be a string' };
        expect(res.json).to.deep.equal(expected);
      }
      expect(await designIds(db)).to.deep.equal([]);
      for (const id of ['_local/x', '_local/other', 'sale-1', 'x']) expect(await exists(db, id), id).to.equal(false);
      // The path id still works, with or without a matching body id.
      expect((await raw('PUT', `/${db}/_local/x`, { token: S001, body: { _id: '_local/x', seq: 1 } })).status).to.equal(201);
      expect((await raw('GET', `/${db}/_local/x`, { token: S001 })).json).to.include({ _id: '_local/x', seq: 1 });
    });

    it('a member cannot write a design document by PUT, PUT _design%2F, POST /db or a PUT body id', async () => {
      const db = await storeDb();
      const tries: Array<[string, string, unknown, number]> = [
        ['PUT', `/${db}/_design/evil`, evil, 403],
        ['PUT', `/${db}/_design%2Fevil`, evil, 403],
        ['PUT', `/${db}/_design%2fevil`, evil, 403],
        ['PUT', `/${db}/%5Fdesign/evil`, evil, 403],
        ['POST', `/${db}`, evil, 403],
        ['POST', `/${db}`, { ...evil, _id: '_design/evil2' }, 403],
        ['PUT', `/${db}/innocent`, evil, 400],
        ['PUT', `/${db}/innocent?new_edits=false`, { ...evil, _rev: '1-abc' }, 400],
      ];
      for (const [method, target, body, status] of tries) {
        const res = await raw(method, target, { token: S001, body });
        expect(res.status, `${method} ${target}`).to.equal(status);
      }
      expect(await designIds(db)).to.deep.equal([]);
      expect(await exists(db, 'innocent')).to.equal(false);
      expect(await docCount(db)).to.equal(0);
    });

    it('a member cannot write a design document through _bulk_docs, with or without new_edits', async () => {
      const db = await storeDb();
      for (const body of [
        { docs: [evil, { _id: 'fine-1' }] },
        { new_edits: false, docs: [{ ...evil, _rev: '1-abc' }] },
        { new_edits: false, docs: [{ ...evil, _rev: '2-abc', _revisions: { start: 2, ids: ['abc', 'def'] } }] },
        { docs: [{ ...evil, _deleted: true }] },
      ]) {
        const res = await raw('POST', `/${db}/_bulk_docs`, { token: S001, body });
        expect(res.status).to.equal(201);
        const rows = res.body as Array<{ id: string; error?: string; ok?: boolean }>;
        expect(rows.find((r) => r.id === '_design/evil'), JSON.stringify(rows)).to.include({ error: 'forbidden' });
      }
      expect(await designIds(db)).to.deep.equal([]);
      expect(await exists(db, 'fine-1')).to.equal(true); // the ordinary document of the batch still went in
    });

    it('a member cannot write a design document through an attachment PUT or DELETE one, nor create an index', async () => {
      const db = await storeDb();
      const rev = await putDdoc(db, 'real', { views: { all: { map: 'function (d) { emit(d._id); }' } } });
      for (const [method, target, status] of [
        ['PUT', `/${db}/_design/evil/att.txt`, 403],
        ['PUT', `/${db}/_design%2Fevil/att.txt`, 403],
        ['PUT', `/${db}/_design/real/att.txt?rev=${rev}`, 403],
        ['DELETE', `/${db}/_design/real?rev=${rev}`, 403],
        ['POST', `/${db}/_index`, 403],
        ['POST', `/${db}/_purge`, 401], // CouchDB's status for a server-admin endpoint
        ['POST', `/${db}/_temp_view`, 410],
      ] as const) {
        const body = target.endsWith('_index') ? { index: { fields: ['type'] }, ddoc: 'evil' } : target.endsWith('_purge') ? { '_design/real': [rev] } : undefined;
        const res = await raw(method, target, { token: S001, text: body ? JSON.stringify(body) : 'payload', headers: { 'Content-Type': body ? 'application/json' : 'text/plain' } });
        expect(res.status, `${method} ${target} ${res.text}`).to.equal(status);
      }
      expect(await designIds(db)).to.deep.equal(['_design/real']);
      const real = (await raw('GET', `/${db}/_design/real`)).json;
      expect(real._rev).to.equal(rev);
      expect(real._attachments).to.equal(undefined);
    });

    it('a db admin (listed in _security admins) is refused design documents and _security too', async () => {
      const db = await storeDb();
      expect((await raw('PUT', `/${db}/_design/evil`, { token: DB_ADMIN, body: evil })).status).to.equal(403);
      expect((await raw('POST', `/${db}/_bulk_docs`, { token: DB_ADMIN, body: { docs: [evil] } })).body).to.deep.equal([
        { id: '_design/evil', error: 'forbidden', reason: 'You are not a server admin.' },
      ]);
      const open = { admins: { names: [], roles: [] }, members: { names: [], roles: ['caja-store'] } };
      expect((await raw('PUT', `/${db}/_security`, { token: DB_ADMIN, body: open })).status).to.equal(403);
      expect((await raw('PUT', `/${db}/_security`, { token: S001, body: open })).status).to.equal(403);
      expect(await designIds(db)).to.deep.equal([]);
      expect(((await raw('GET', `/${db}/_security`)).json.members as { roles: string[] }).roles).to.deep.equal(['store:S001']);
      // A server admin may.
      expect((await raw('PUT', `/${db}/_design/ok`, { body: { views: {} } })).status).to.equal(201);
    });

    it('ids come from the path on PUT, DELETE and attachments; a different body id is 400; COPY is refused', async () => {
      const db = await storeDb();
      const put = await raw('PUT', `/${db}/doc-a`, { token: S001, body: { v: 1 } });
      expect(put.status).to.equal(201);
      const rev = put.json.rev as string;
      expect((await raw('PUT', `/${db}/doc-a`, { token: S001, body: { _id: 'doc-b', _rev: rev, v: 2 } })).status).to.equal(400);
      expect((await raw('PUT', `/${db}/doc-a`, { token: S001, body: { _id: '_local/doc-a', _rev: rev, v: 2 } })).status).to.equal(400);
      expect((await raw('PUT', `/${db}/doc-a`, { token: S001, body: { _id: 42, _rev: rev, v: 2 } })).status).to.equal(400);
      for (const [target, dest] of [
        [`/${db}/doc-a`, '_design/evil'],
        [`/${db}/doc-a`, 'doc-c'],
        [`/${db}/_local/x`, '_design/evil'],
        [`/${db}/_design/x`, '_design/evil'],
      ]) {
        const res = await raw('COPY', target as string, { token: S001, headers: { Destination: dest as string } });
        expect(res.status, `COPY ${target}`).to.equal(405);
      }
      expect(await exists(db, 'doc-b')).to.equal(false);
      expect(await exists(db, 'doc-c')).to.equal(false);
      expect(await designIds(db)).to.deep.equal([]);
      expect((await raw('GET', `/${db}/doc-a`)).json).to.include({ _rev: rev, v: 1 });
      // The matching body id, DELETE by path and an attachment by path still work.
      const again = await raw('PUT', `/${db}/doc-a`, { token: S001, body: { _id: 'doc-a', _rev: rev, v: 2 } });
      expect(again.status).to.equal(201);
      const att = await raw('PUT', `/${db}/doc-a/note.txt?rev=${again.json.rev as string}`, { token: S001, text: 'hi', headers: { 'Content-Type': 'text/plain' } });
      expect(att.json).to.include({ ok: true, id: 'doc-a' });
      expect((await raw('DELETE', `/${db}/doc-a?rev=${att.json.rev as string}`, { token: S001 })).json).to.include({ ok: true, id: 'doc-a' });
    });

    it('only a successful design-document write empties the validator cache', async () => {
      const db = new PouchDB(`sec-unit-${Date.now()}`, { adapter: 'memory' });
      const sandbox = await Sandbox.create();
      class CountingCache extends ValidatorCache {
        invalidations = 0;
        override invalidate(dbName: string): void {
          this.invalidations++;
          super.invalidate(dbName);
        }
      }
      const validators = new CountingCache();
      const base = { db, dbName: 'unit', sec: { admins: { names: [], roles: [] }, members: { names: [], roles: ['m'] } }, sandbox, validators, locks: new KeyedMutex() };
      const member: WriteContext = { ...base, user: { name: 'm', roles: ['m'] }, serverAdmin: false };
      const admin: WriteContext = { ...base, user: { name: 'a', roles: ['_admin'] }, serverAdmin: true };
      try {
        const refused = await writeDocs(member, [{ _id: '_design/x', views: {} }, { _id: 'plain' }], true);
        expect(refused[0]).to.include({ error: 'forbidden' });
        await writeDocs(member, [{ _id: '_design/x', _rev: '1-a' }], false);
        expect(validators.invalidations).to.equal(0);
        const conflict = await writeDocs(admin, [{ _id: '_design/x', _rev: '3-nope' }], true);
        expect(conflict[0]).to.include({ error: 'conflict' });
        expect(validators.invalidations).to.equal(0);
        const ok = await writeDocs(admin, [{ _id: '_design/x', views: {} }], true);
        expect(ok[0]).to.include({ ok: true });
        expect(validators.invalidations).to.equal(1);
        expect(base.locks.size).to.equal(0);
      } finally {
        sandbox.close();
        await db.destroy();
      }
    });
  });

  describe('2. design-document code (validators, filters, views) runs in QuickJS and cannot reach the host', () => {
    const escapes: Array<[string, string]> = [
      ['constructor.constructor', "(function () {}).constructor.constructor('return process')()"],
      ['Function', "Function('return process')()"],
      ['Function returning the global', "Function('return this')().process"],
      ['Reflect.construct(Function)', "Reflect.construct(Function, ['return process'])()"],
      ['AsyncFunction constructor', "Object.getPrototypeOf(async function () {}).constructor('return process')()"],
      ['globalThis.process', 'globalThis.process'],
      ['this.constructor', "this.constructor.constructor('return process')()"],
      ['an argument’s constructor', "newDoc.constructor.constructor('return process')()"],
      ['a helper’s constructor', "isArray.constructor('return process')()"],
      ['require of a Node module', "require('fs')"],
      ['require.constructor', "require.constructor('return process')()"],
      ['arguments.callee.caller', "(function probe() { var c = arguments.callee.caller, last = null; for (var i = 0; c && i < 20; i++) { last = c; c = c.caller; } return last && last.constructor('return process')(); })()"],
      ['Error.prepareStackTrace', '(function () { Error.prepareStackTrace = function (e, frames) { return frames; }; var f = new Error().stack; return f && f[0] && f[0].getThis ? f[0].getThis() : f; })()'],
      ['import()', "(function () { var p = import('node:fs'); p.then(function (fs) { fs.writeFileSync(MARKER, 'x'); }, function () {}); return p; })()"],
    ];

    for (const [label, expr] of escapes) {
      it(`refuses and contains an escape through ${label}`, async () => {
        const db = await storeDb();
        const vdu = `function (newDoc, oldDoc, userCtx, secObj) {
          var MARKER = ${JSON.stringify(MARKER)};
          var got;
          try { got = ${expr}; } catch (e) { got = 'threw ' + (e && e.name); }
          try {
            if (got && (typeof got === 'object' || typeof got === 'function')) {
              got.__pwned = 1;
              if (got.mainModule) got.mainModule.require('fs').writeFileSync(MARKER, 'x');
              if (got.getBuiltinModule) got.getBuiltinModule('fs').writeFileSync(MARKER, 'x');
              if (got.writeFileSync) got.writeFileSync(MARKER, 'x');
            }
          } catch (e) {}
          globalThis.__pwned = 1;
          throw { forbidden: 'contained: ' + (got && typeof got.pid === 'number' ? 'HOST PROCESS' : typeof got === 'string' ? got : typeof got) };
        }`;
        await putDdoc(db, 'escape', { validate_doc_update: vdu });
        const res = await raw('PUT', `/${db}/victim`, { token: S001, body: { a: 1 } });
        expect(res.status, res.text).to.equal(403);
        expect(res.json.reason).to.match(/^contained: /);
        expect(res.json.reason).to.not.include('HOST');
        expect(await exists(db, 'victim')).to.equal(false);
        // The same code as a _changes filter reaches nothing either.
        await putDdoc(db, 'escape-filter', { filters: { f: vdu } });
        const changes = await raw('GET', `/${db}/_changes?filter=escape-filter/f`, { token: S001 });
        expect(changes.status).to.be.at.least(400);
        // And as a view's map, indexed when a member queries it (PouchDB's own way ran it in node:vm).
        const vdb = await storeDb();
        expect((await raw('PUT', `/${vdb}/victim`, { body: { a: 1 } })).status).to.equal(201);
        const map = vdu.replace('function (newDoc, oldDoc, userCtx, secObj) {', 'function (newDoc) {').replace(/throw \{ forbidden: (.*) \};/, 'emit(newDoc._id, $1);');
        await putDdoc(vdb, 'escape-view', { views: { v: { map } } });
        const view = await raw('GET', `/${vdb}/_design/escape-view/_view/v`, { token: S001 });
        expect(view.status, view.text).to.equal(200);
        const rows = (view.json as { rows: Array<{ key: string; value: string }> }).rows;
        expect(rows.map((r) => r.key)).to.deep.equal(['victim']);
        expect(rows[0]?.value).to.match(/^contained: /).and.not.include('HOST');
        expectNoHostMarker();
      });
    }

    it('a design document sorting first cannot weaken a later validator by polluting prototypes or globals', async () => {
      const db = await storeDb();
      await putDdoc(db, 'aaa', {
        validate_doc_update: `function (newDoc, oldDoc, userCtx) {
          Object.prototype.__pwned = 1;
          Object.prototype.roles = ['manager'];
          Array.prototype.indexOf = function () { return 0; };
          Object.defineProperty(Object.prototype, 'forbidden', { get: function () { return undefined; }, set: function () {}, configurable: true });
          JSON.parse = function () { return [{ ok: true }]; };
          JSON.stringify = function () { return '[{"ok":true}]'; };
          globalThis.isArray = function () { return true; };
          globalThis.__pwned = 1;
        }`,
      });
      await putDdoc(db, 'caja_validate', {
        validate_doc_update: `function (newDoc, oldDoc, userCtx) {
          if (newDoc.type === 'bad' && userCtx.roles.indexOf('manager') === -1) throw { forbidden: 'managers only' };
        }`,
      });
      // The polluter runs first on every write, then the real validator, which still refuses.
      expect((await raw('PUT', `/${db}/good-1`, { token: S001, body: { type: 'good' } })).status).to.equal(201);
      const bad = await raw('PUT', `/${db}/bad-1`, { token: S001, body: { type: 'bad' } });
      expect(bad.status).to.equal(403);
      expect(bad.json).to.deep.equal({ error: 'forbidden', reason: 'managers only' });
      const bulk = await raw('POST', `/${db}/_bulk_docs`, { token: S001, body: { docs: [{ _id: 'bad-2', type: 'bad' }, { _id: 'good-2', type: 'good' }] } });
      expect((bulk.body as Array<{ error?: string }>).map((r) => r.error ?? 'ok')).to.deep.equal(['forbidden', 'ok']);
      const replicated = await raw('POST', `/${db}/_bulk_docs`, { token: S001, body: { new_edits: false, docs: [{ _id: 'bad-3', _rev: '1-abc', type: 'bad' }] } });
      expect(replicated.body).to.deep.equal([{ id: 'bad-3', error: 'forbidden', reason: 'managers only' }]);
      for (const id of ['bad-1', 'bad-2', 'bad-3']) expect(await exists(db, id), id).to.equal(false);
      expectNoHostMarker();
    });

    it('an infinite loop times out (500) and the next request is served', async () => {
      const db = await storeDb();
      await putDdoc(db, 'loop', {
        validate_doc_update: 'function (newDoc) { if (newDoc.loop) { while (true) {} } }',
        filters: { spin: 'function (doc) { while (true) {} }' },
      });
      const looped = await raw('PUT', `/${db}/spin-1`, { token: S001, body: { loop: true } });
      expect(looped.status).to.equal(500);
      expect(looped.json.reason).to.match(/timed out/);
      expect(await exists(db, 'spin-1')).to.equal(false);
      expect((await raw('PUT', `/${db}/fine-1`, { token: S001, body: { loop: false } })).status).to.equal(201);
      const spun = await raw('GET', `/${db}/_changes?filter=loop/spin`, { token: S001 });
      expect(spun.status).to.equal(500);
      expect(spun.json.reason).to.match(/timed out/);
      expect((await raw('GET', `/${db}/fine-1`, { token: S001 })).status).to.equal(200);
    });

    it('a huge allocation or a deep recursion fails that write only (memory and stack limits)', async () => {
      const db = await storeDb();
      await putDdoc(db, 'greedy', {
        validate_doc_update: `function (newDoc) {
          if (newDoc.grow) { var a = []; for (;;) a.push('x'.repeat(1 << 20) + a.length); }
          if (newDoc.big) { return 'x'.repeat(1 << 28).length; }
          if (newDoc.deep) { var f = function (n) { return f(n + 1) + 1; }; f(0); }
        }`,
      });
      for (const body of [{ grow: 1 }, { big: true }, { deep: true }]) {
        const res = await raw('PUT', `/${db}/greedy-${Object.keys(body)[0]}`, { token: S001, body });
        expect(res.status, res.text).to.equal(500);
        expect(res.json.reason).to.match(/out of memory|stack overflow/);
      }
      expect(((await raw('GET', `/${db}/_all_docs`)).json.rows as Array<{ id: string }>).map((r) => r.id)).to.deep.equal(['_design/greedy']);
      expect((await raw('PUT', `/${db}/after`, { token: S001, body: { ok: true } })).status).to.equal(201);
      expectNoHostMarker();
    });

    it('renews the deadline for every call: a runtime older than the timeout still validates (regression)', async () => {
      const sandbox = await Sandbox.create({ timeoutMs: 200 });
      const ddoc = { _id: '_design/v', _rev: '1-a', validate_doc_update: 'function (doc) { if (doc.bad) throw { forbidden: "bad" }; }' };
      const validate = (doc: unknown) => sandbox.callEach(ddoc, 'validate_doc_update', ddoc.validate_doc_update, [[doc, null, {}, {}]]);
      try {
        const createdAt = Date.now();
        expect(validate({ bad: false })[0]).to.deep.equal({ ok: true });
        // The runtime's first deadline passes; later calls must get deadlines of their own.
        await new Promise<void>((resolve) => {
          const check = () => (Date.now() > createdAt + 400 ? resolve() : setImmediate(check));
          check();
        });
        expect(validate({ bad: false })[0]).to.deep.equal({ ok: true });
        expect(validate({ bad: true })[0]).to.include({ ok: false, forbidden: 'bad' });
      } finally {
        sandbox.close();
      }
    });

    it('drops a WebAssembly module that failed as a whole and carries on with its spare', async () => {
      const sandbox = await Sandbox.create({ timeoutMs: 500 });
      const ddoc = { _id: '_design/v', _rev: '1-a', validate_doc_update: 'function (doc) { if (doc.bad) throw { forbidden: "bad" }; }' };
      const validate = (doc: unknown) => sandbox.callEach(ddoc, 'validate_doc_update', ddoc.validate_doc_update, [[doc, null, {}, {}]]);
      try {
        expect(validate({ bad: true })[0]).to.include({ ok: false, forbidden: 'bad' });
        // Exhaust Node's own stack, then call in: whatever breaks is a host error, not a JavaScript one.
        const atStackEnd = (): unknown => {
          try {
            return atStackEnd();
          } catch {
            return validate({ bad: false });
          }
        };
        try {
          atStackEnd();
        } catch {
          // refused at the stack's end: what matters is what happens next
        }
        // Whichever calls broke a module replaced it; once a module is loaded again the answers are right.
        await sandbox.ready();
        expect(validate({ bad: true })[0]).to.include({ ok: false, forbidden: 'bad' });
        expect(validate({ bad: false })[0]).to.deep.equal({ ok: true });
      } finally {
        sandbox.close();
      }
    });
  });

  describe('3. dot segments and encoded slashes never reach another database', () => {
    const dotSpellings = ['..', '%2e%2e', '%2E%2E', '%2e%2E', '%2E%2e', '.%2e', '.%2E', '%2e.', '%2E.', '.', '%2e', '%2E'];

    it('refuses every spelling of a dot segment with 400 and writes nothing anywhere', async () => {
      const own = await storeDb('S002', 'caja-store-s002');
      const victim = await storeDb('S001', 'caja-store-s001');
      for (const d of dotSpellings) {
        for (const target of [
          `/${own}/_local/x/${d}/${d}/${d}/${victim}/_local/x`,
          `/${own}/${d}/${victim}/_local/x`,
          `/${own}/_local/${d}`,
          `/${own}/doc/${d}/${d}/${victim}/doc`,
        ]) {
          const put = await raw('PUT', target, { token: S002, body: { a: 1 } });
          expect(put.status, `PUT ${target}`).to.equal(400);
          const get = await raw('GET', target, { token: S002 });
          expect(get.status, `GET ${target}`).to.equal(400);
        }
      }
      expect(await exists(victim, '_local/x')).to.equal(false);
      expect(await exists(own, '_local/x')).to.equal(false);
      expect(await docCount(victim)).to.equal(0);
      expect(await docCount(own)).to.equal(0);
    });

    it('refuses encoded slashes, backslashes and NUL except _design%2Fname and _local%2Fname', async () => {
      const own = 'caja-store-s002';
      const victim = 'caja-store-s001';
      for (const target of [
        `/${own}%2f..%2f${victim}/_local/x`,
        `/${own}%2F..%2F${victim}/_local/x`,
        `/${own}/_local%2f..%2f..%2f${victim}%2f_local%2fx`,
        `/${own}/_local/x%2F..%2F..%2F${victim}`,
        `/${own}/doc%2Fother`,
        `/${own}/_design%2Fa%2Fb`,
        `/${own}/_design/a%2Fb`,
        `/${own}/..%5c..%5c${victim}/_local/x`,
        `/${own}/..\\..\\${victim}/_local/x`,
        `/${own}/_local/x%00`,
        `/${own}/_local/x%5C..`,
        `/${own}/_local/%2e%2e%2f${victim}`,
        `/${own}/bad%zzencoding`,
      ]) {
        const res = await raw('PUT', target, { token: S002, body: { a: 1 } });
        expect(res.status, `PUT ${target} ${res.text}`).to.equal(400);
        expect(res.json.error).to.equal('bad_request');
      }
      expect(await exists(victim, '_local/x')).to.equal(false);
      expect(await docCount(own)).to.equal(0);
      // The documented spellings keep working and mean exactly `_design/name` / `_local/name`.
      expect((await raw('PUT', `/${own}/_local%2Fcp`, { token: S002, body: { seq: 7 } })).status).to.equal(201);
      expect((await raw('GET', `/${own}/_local/cp`, { token: S002 })).json.seq).to.equal(7);
      await putDdoc(own, 'v', { views: {} });
      expect((await raw('GET', `/${own}/_design%2Fv`, { token: S002 })).json._id).to.equal('_design/v');
    });

    it('parses the raw path once into the canonical form that is executed', () => {
      expect(parseRequestPath('/db/_design%2Fx/att%20name?rev=1-a')).to.deep.equal({
        segs: ['db', '_design', 'x', 'att name'],
        query: { rev: '1-a' },
        canonicalUrl: '/db/_design/x/att%20name?rev=1-a',
      });
      expect(parseRequestPath('//db//doc%3A1/').canonicalUrl).to.equal('/db/doc%3A1');
      for (const bad of ['db/x', '/db/x#frag', '/db/%2e%2E/x', '/db/a%2fb', '/db/a\\b', '/db/%00']) {
        expect(() => parseRequestPath(bad), bad).to.throw();
      }
    });
  });

  describe('4. replicated writes (new_edits:false) extend history, never graft a new root', () => {
    const immutable = `function (newDoc, oldDoc) {
      if (newDoc.type === 'sale' && oldDoc !== null) throw { forbidden: 'sales are immutable' };
      if (newDoc.type === 'sale' && newDoc.total < 0) throw { forbidden: 'negative total' };
    }`;
    let db: string;
    let saleRev: string;
    before(async () => {
      db = await storeDb();
      await putDdoc(db, 'caja_validate', { validate_doc_update: immutable });
      const put = await raw('PUT', `/${db}/sale-1`, { token: S001, body: { type: 'sale', total: 100 } });
      expect(put.status).to.equal(201);
      saleRev = put.json.rev as string;
    });

    const stored = async () => (await raw('GET', `/${db}/sale-1?conflicts=true&revs_info=true`)).json;

    it('refuses a new root of an existing document, in every form, by _bulk_docs and by single PUT', async () => {
      const [gen, hash] = saleRev.split('-') as [string, string];
      const forgeries: Array<[string, Record<string, unknown>]> = [
        ['a higher generation sharing no ancestor', { type: 'sale', total: 1, _rev: '9-aaaa', _revisions: { start: 9, ids: ['aaaa', 'bbbb'] } }],
        ['another first revision', { type: 'sale', total: 1, _rev: '1-ffff' }],
        ['another first revision with _revisions', { type: 'sale', total: 1, _rev: '1-ffff', _revisions: { start: 1, ids: ['ffff'] } }],
        ['a tombstone branch', { _deleted: true, _rev: '5-dddd', _revisions: { start: 5, ids: ['dddd'] } }],
        ['a stored _rev with a foreign _revisions path', { type: 'sale', total: 1, _rev: saleRev, _revisions: { start: 9, ids: ['eeee', 'cccc'] } }],
        ['a path that only repeats the stored hash at another position', { type: 'sale', total: 1, _rev: `7-x`, _revisions: { start: 7, ids: ['x', hash] } }],
      ];
      expect(gen).to.equal('1');
      for (const [label, forged] of forgeries) {
        const doc = { _id: 'sale-1', ...forged };
        const bulk = await raw('POST', `/${db}/_bulk_docs`, { token: S001, body: { new_edits: false, docs: [doc] } });
        expect(bulk.body, label).to.have.lengthOf(1);
        expect((bulk.body as Array<{ error?: string }>)[0], label).to.include({ error: 'forbidden' });
        const single = await raw('PUT', `/${db}/sale-1?new_edits=false`, { token: S001, body: doc });
        expect(single.status, label).to.equal(403);
      }
      const now = await stored();
      expect([now._rev, now.total, now._conflicts ?? []]).to.deep.equal([saleRev, 100, []]);
      expect(now._revs_info).to.have.lengthOf(1);
    });

    it('validates a branch from a stored ancestor against that ancestor, so an immutable sale stays put', async () => {
      const hash = saleRev.split('-')[1] as string;
      const branch = { _id: 'sale-1', type: 'sale', total: 1, _rev: '9-evil', _revisions: { start: 9, ids: ['evil', 'h8', 'h7', 'h6', 'h5', 'h4', 'h3', 'h2', hash] } };
      const res = await raw('POST', `/${db}/_bulk_docs`, { token: S001, body: { new_edits: false, docs: [branch] } });
      expect(res.body).to.deep.equal([{ id: 'sale-1', error: 'forbidden', reason: 'sales are immutable' }]);
      const now = await stored();
      expect([now._rev, now._conflicts ?? []]).to.deep.equal([saleRev, []]);
    });

    it('refuses two unrelated roots of a new id in one batch, an edit within the batch, and a revision extending a refused one', async () => {
      const res = await raw('POST', `/${db}/_bulk_docs`, {
        token: S001,
        body: {
          new_edits: false,
          docs: [
            { _id: 'twin', _rev: '1-aaaa', type: 'note' },
            { _id: 'twin', _rev: '3-zzzz', _revisions: { start: 3, ids: ['zzzz', 'yyyy'] }, type: 'note' },
            { _id: 'chain', _rev: '1-aaaa', type: 'sale', total: 5 },
            { _id: 'chain', _rev: '2-bbbb', _revisions: { start: 2, ids: ['bbbb', 'aaaa'] }, type: 'sale', total: 1 },
            { _id: 'orphan', _rev: '1-cccc', type: 'sale', total: -1 },
            { _id: 'orphan', _rev: '2-dddd', _revisions: { start: 2, ids: ['dddd', 'cccc'] }, type: 'note' },
          ],
        },
      });
      expect((res.body as Array<{ id: string; reason?: string }>).map((r) => `${r.id}: ${r.reason}`)).to.deep.equal([
        'twin: A replicated revision must extend the stored history of an existing document, not start a new one.',
        'chain: sales are immutable',
        'orphan: negative total',
        'orphan: A replicated revision must extend the stored history of an existing document, not start a new one.',
      ]);
      const twin = (await raw('GET', `/${db}/twin?conflicts=true`)).json;
      expect([twin._rev, twin._conflicts ?? []]).to.deep.equal(['1-aaaa', []]);
      const chain = (await raw('GET', `/${db}/chain?conflicts=true`)).json;
      expect([chain._rev, chain.total, chain._conflicts ?? []]).to.deep.equal(['1-aaaa', 5, []]);
      expect(await exists(db, 'orphan')).to.equal(false);
    });

    it('tells missing, deleted and live ids of a batch apart, with the range read and past its limit', async () => {
      const notes = Array.from({ length: 40 }, (_, i) => ({ _id: `range-${String(i).padStart(2, '0')}`, type: 'note' }));
      const made = await raw('POST', `/${db}/_bulk_docs`, { token: S001, body: { docs: notes } });
      expect(made.status).to.equal(201);
      const live39 = (await raw('GET', `/${db}/range-39`)).json._rev;
      const gone = (await raw('GET', `/${db}/range-05`)).json._rev as string;
      expect((await raw('DELETE', `/${db}/range-05?rev=${gone}`, { token: S001 })).status).to.be.oneOf([200, 201]);
      // Four ids span 38 live documents: the range read stops at its limit (4 + 16) before range-39, read on its own.
      const res = await raw('POST', `/${db}/_bulk_docs`, {
        token: S001,
        body: {
          new_edits: false,
          docs: [
            { _id: 'range-05', _rev: '1-ffff', type: 'note' }, // a new root on a tombstone
            { _id: 'range-39', _rev: '1-eeee', type: 'note' }, // a new root on a live document
            { _id: 'range-07a', _rev: '1-aaaa', type: 'note' }, // new
            { _id: 'range-000', _rev: '1-bbbb', type: 'note' }, // new
          ],
        },
      });
      expect((res.body as Array<{ id: string; error?: string }>).map((r) => `${r.id} ${r.error}`)).to.deep.equal(['range-05 forbidden', 'range-39 forbidden']);
      expect((await raw('GET', `/${db}/range-07a`)).json._rev).to.equal('1-aaaa');
      expect((await raw('GET', `/${db}/range-000`)).json._rev).to.equal('1-bbbb');
      expect((await raw('GET', `/${db}/range-39`)).json._rev).to.equal(live39);
      expect((await raw('GET', `/${db}/range-05`)).status).to.equal(404);
      // Ids outside printable ASCII are read one by one (their byte order need not be their string order).
      const wide = await raw('POST', `/${db}/_bulk_docs`, {
        token: S001,
        body: { new_edits: false, docs: [{ _id: 'range-06', _rev: '1-cccc', type: 'note' }, { _id: 'rangé-new', _rev: '1-dddd', type: 'note' }] },
      });
      expect((wide.body as Array<{ id: string; error?: string }>).map((r) => `${r.id} ${r.error}`)).to.deep.equal(['range-06 forbidden']);
      expect((await raw('GET', `/${db}/${encodeURIComponent('rangé-new')}`)).json._rev).to.equal('1-dddd');
    });

    it('lets two parallel requests create at most one root of a new id', async () => {
      for (let i = 0; i < 6; i++) {
        const id = `race-${i}`;
        const send = (hash: string) => raw('POST', `/${db}/_bulk_docs`, { token: S001, body: { new_edits: false, docs: [{ _id: id, _rev: `1-${hash}`, type: 'note' }] } });
        const answers = await Promise.all([send('aaaa'), send('bbbb')]);
        const refused = answers.filter((a) => Array.isArray(a.body) && (a.body as unknown[]).length === 1).length;
        expect(refused, id).to.equal(1);
        const doc = (await raw('GET', `/${db}/${id}?conflicts=true`)).json;
        expect(doc._conflicts ?? [], id).to.deep.equal([]);
      }
    });

    it('keeps replication of new documents, re-sent revisions, genuine edits and concurrent edits working (PouchDB)', async () => {
      const remote = new PouchDB(`http://127.0.0.1:${couch.port}/${db}`, {
        fetch: (url: string | Request, init?: RequestInit) => {
          const headers = new Headers(init?.headers);
          headers.set('Authorization', `Bearer ${S001}`);
          return fetch(url, { ...init, headers });
        },
      });
      const a = new PouchDB(`sec-till-a-${Date.now()}`, { adapter: 'memory' });
      const b = new PouchDB(`sec-till-b-${Date.now()}`, { adapter: 'memory' });
      try {
        await a.bulkDocs([{ _id: 'note-1', type: 'note', v: 1 }, { _id: 'sale-9', type: 'sale', total: 9 }]);
        expect((await a.replicate.to(remote)).docs_written).to.equal(2);
        // A genuine edit on one till.
        const n1 = await a.get<{ v: number }>('note-1');
        await a.put({ ...n1, v: 2 });
        expect((await a.replicate.to(remote)).doc_write_failures).to.equal(0);
        expect((await raw('GET', `/${db}/note-1`)).json.v).to.equal(2);
        // Re-sending known revisions writes nothing and fails nothing.
        const resend = await raw('POST', `/${db}/_bulk_docs`, { token: S001, body: { new_edits: false, docs: [{ ...(await a.get('note-1', { revs: true })) }] } });
        expect(resend.body).to.deep.equal([]);
        // Two tills edit the same revision offline: the second branch arrives as a conflict, as on CouchDB.
        await b.replicate.from(remote);
        const fromA = await a.get<{ v: number }>('note-1');
        const fromB = await b.get<{ v: number }>('note-1');
        await a.put({ ...fromA, v: 3 });
        await b.put({ ...fromB, v: 30 });
        expect((await a.replicate.to(remote)).doc_write_failures).to.equal(0);
        expect((await b.replicate.to(remote)).doc_write_failures).to.equal(0);
        const merged = (await raw('GET', `/${db}/note-1?conflicts=true`)).json;
        expect((merged._conflicts as string[] | undefined) ?? []).to.have.lengthOf(1);
      } finally {
        await a.destroy();
        await b.destroy();
      }
    });
  });

  describe('5. CORS', () => {
    it("answers '*' without credentials and echoes only a listed origin with credentials", async () => {
      const open = await startEmbeddedCouch({ port: 0, dataDir: path.join(dataDir, 'cors-open'), jwtSecret: SECRET, corsOrigins: '*' });
      const listed = await startEmbeddedCouch({ port: 0, dataDir: path.join(dataDir, 'cors-listed'), jwtSecret: SECRET, corsOrigins: ['http://till.local'] });
      try {
        const preflight = { 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' };
        const pre = await raw('OPTIONS', '/_session', { server: open, token: null, headers: { Origin: 'http://evil.example', ...preflight } });
        const get = await raw('GET', '/_session', { server: open, headers: { Origin: 'http://evil.example' } });
        for (const res of [pre, get]) {
          expect(res.headers['access-control-allow-origin']).to.equal('*');
          expect(res.headers['access-control-allow-credentials']).to.equal(undefined);
        }
        expect(pre.status).to.equal(204);
        expect(pre.headers['access-control-allow-headers']).to.include('authorization');
        expect(get.status).to.equal(200);
        const echoed = await raw('GET', '/_session', { server: listed, headers: { Origin: 'http://till.local' } });
        expect(echoed.headers['access-control-allow-origin']).to.equal('http://till.local');
        expect(echoed.headers['access-control-allow-credentials']).to.equal('true');
        const other = await raw('GET', '/_session', { server: listed, headers: { Origin: 'http://evil.example' } });
        expect(other.headers['access-control-allow-origin']).to.equal(undefined);
        expect(other.headers['access-control-allow-credentials']).to.equal(undefined);
      } finally {
        await open.close();
        await listed.close();
      }
    });
  });

  describe('6. CouchDB 3.5 details', () => {
    it('answers 400 for a non-string or empty _id instead of inventing one', async () => {
      const db = await storeDb();
      for (const id of [42, { a: 1 }, ['x'], true, '']) {
        const post = await raw('POST', `/${db}`, { token: S001, body: { _id: id, a: 1 } });
        expect(post.status, JSON.stringify(id)).to.equal(400);
        expect(post.json.error).to.equal('illegal_docid');
      }
      // As on CouchDB, one bad id fails the whole _bulk_docs request.
      const bulk = await raw('POST', `/${db}/_bulk_docs`, { token: S001, body: { docs: [{ _id: 'named' }, { _id: 7 }] } });
      expect(bulk.status).to.equal(400);
      expect(bulk.json).to.deep.equal({ error: 'illegal_docid', reason: 'Document id must be a string' });
      expect(await docCount(db)).to.equal(0);
    });

    it('keeps no attachments on _local documents: attachment paths are 400, inline ones dropped (CouchDB 3.5)', async () => {
      const db = await storeDb();
      const att = { 'a.txt': { content_type: 'text/plain', data: Buffer.from('hi').toString('base64') } };
      expect((await raw('PUT', `/${db}/_local/cp/a.txt`, { token: S001, text: 'hi', headers: { 'Content-Type': 'text/plain' } })).status).to.equal(400);
      for (const [method, url, body] of [
        ['PUT', `/${db}/_local/cp`, { _attachments: att }],
        ['POST', `/${db}`, { _id: '_local/cp2', _attachments: att }],
        ['POST', `/${db}/_bulk_docs`, { docs: [{ _id: '_local/cp3', _attachments: att }] }],
      ] as const) {
        expect((await raw(method, url, { token: S001, body })).status, url).to.equal(201);
      }
      for (const id of ['cp', 'cp2', 'cp3']) {
        const got = await raw('GET', `/${db}/_local/${id}`, { token: S001 });
        expect(got.json, id).to.deep.equal({ _id: `_local/${id}`, _rev: '0-1' });
      }
    });

    it('answers one 201 and one 412 to two simultaneous creations of a database, never a 500 or a path', async () => {
      for (let i = 0; i < 5; i++) {
        const name = `sec-parallel-${i}`;
        const answers = await Promise.all([raw('PUT', `/${name}`), raw('PUT', `/${name}`), raw('PUT', `/${name}`)]);
        expect(answers.map((a) => a.status).sort(), name).to.deep.equal([201, 412, 412]);
        for (const a of answers) expect(a.text).to.not.include(dataDir);
        expect((await raw('GET', `/${name}`)).status).to.equal(200);
      }
    });

    it('answers 500 when a filter or a view map used as a filter throws, instead of hiding documents', async () => {
      const db = await storeDb();
      await raw('POST', `/${db}/_bulk_docs`, { body: { docs: [{ _id: 'a', type: 'sale' }, { _id: 'b', type: 'boom' }] } });
      await putDdoc(db, 'f', {
        filters: { boom: 'function (doc) { if (doc.type === "boom") throw new TypeError("cannot filter " + doc._id); return true; }' },
        views: { boom: { map: 'function (doc) { if (doc.type === "boom") throw new Error("no map"); emit(doc._id); }' } },
      });
      for (const target of [`/${db}/_changes?filter=f/boom`, `/${db}/_changes?filter=f/boom&feed=longpoll`, `/${db}/_changes?filter=_view&view=f/boom`]) {
        const res = await raw('GET', target, { token: S001 });
        expect(res.status, target).to.equal(500);
        expect(res.json.reason, target).to.match(/cannot filter b|no map/);
      }
      expect((await raw('GET', `/${db}/_changes`, { token: S001 })).status).to.equal(200);
    });
  });
});
