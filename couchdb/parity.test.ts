// The embedded server answers like Apache CouchDB 3.5.0 where PouchDB's own test suite and operators' tools
// found it did not: every case here runs, unchanged, against the embedded server AND a genuine CouchDB 3.5.0
// from ../shared/couchdb (tests/support/realCouch.ts; skipped when that folder is absent), asserting the same
// status, error and reason on both. Covered: `_local` attachments, document bodies PouchDB used to answer
// with 500 (`_zing`, bad base64, a non-string `_id`, an object `open_revs`), simultaneous database
// creations, a throwing filter, bad selectors, non-admin statuses on server-admin endpoints, and Basic auth
// for the server's admin.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { startEmbeddedCouch, type EmbeddedCouch } from './index';
import { toCouchError } from './errors';
import { realCouchAvailable, startRealCouch, type RealCouch } from '../tests/support/realCouch';

const SECRET = 'parity-test-secret';
const ADMIN_NAME = 'admin';
const ADMIN_PASSWORD = 'admin';
const token = (sub: string, roles: string[]) => jwt.sign({ sub, '_couchdb.roles': roles }, SECRET, { algorithm: 'HS256', expiresIn: 600 });
// Signed per request, not when mocha loads the file.
const ADMIN = () => `Bearer ${token('caja-admin', ['_admin'])}`;
const MEMBER = () => `Bearer ${token('till-1', ['store-1'])}`;
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: string; reason?: string };
  text: string;
}

interface Target {
  name: string;
  url: string;
}

async function call(target: Target, method: string, urlPath: string, opts: { auth?: string | null; body?: unknown; raw?: string; contentType?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': opts.contentType ?? 'application/json' };
  const auth = opts.auth === undefined ? ADMIN() : opts.auth;
  if (auth) headers.Authorization = auth;
  const res = await fetch(target.url + urlPath, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const text = await res.text();
  let body: Answer['body'] = {};
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    // a plain-text answer is checked through `text`
  }
  return { status: res.status, body, text };
}

/** Asserts CouchDB's `{error, reason}` answer (reason only when given). */
function expectError(res: Answer, status: number, error: string, reason?: string): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.body.error, res.text).to.equal(error);
  if (reason !== undefined) expect(res.body.reason, res.text).to.equal(reason);
}

let counter = 0;
/** A fresh database whose members are role `store-1`. */
async function freshDb(target: Target): Promise<string> {
  const name = `parity-${Date.now()}-${++counter}`;
  expect((await call(target, 'PUT', `/${name}`)).status).to.equal(201);
  const sec = await call(target, 'PUT', `/${name}/_security`, { body: { admins: { names: [], roles: [] }, members: { names: [], roles: ['store-1'] } } });
  expect(sec.status).to.equal(200);
  return name;
}

function paritySuite(name: string, start: () => Promise<{ target: Target; dataDir?: string; stop: () => Promise<void> }>): void {
  describe(`CouchDB 3.5 parity: ${name}`, function () {
    this.timeout(30_000);
    let t: Target;
    let dataDir: string | undefined;
    let stop: () => Promise<void> = async () => undefined;
    before(async function () {
      this.timeout(120_000);
      ({ target: t, dataDir, stop } = await start());
    });
    after(async () => stop());

    it('drops inline attachments of a _local document and refuses its attachment paths with 400', async () => {
      const db = await freshDb(t);
      const put = await call(t, 'PUT', `/${db}/_local/cp`, { body: { seq: 1, _attachments: { 'a.txt': { content_type: 'text/plain', data: 'aGVsbG8=' } } } });
      expect(put.status, put.text).to.equal(201);
      const got = await call(t, 'GET', `/${db}/_local/cp`);
      expect(got.body).to.deep.equal({ _id: '_local/cp', _rev: '0-1', seq: 1 });
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const att = await call(t, method, `/${db}/_local/cp/a.txt`, { raw: method === 'PUT' ? 'hi' : undefined, contentType: 'text/plain' });
        expectError(att, 400, 'bad_request', '_local documents do not accept attachments.');
      }
    });

    it('refuses an unknown underscore field with 400 doc_validation, failing the whole _bulk_docs', async () => {
      const db = await freshDb(t);
      expectError(await call(t, 'PUT', `/${db}/z1`, { body: { _zing: 1 } }), 400, 'doc_validation', 'Bad special document member: _zing');
      expectError(await call(t, 'POST', `/${db}`, { body: { _zing: 1 } }), 400, 'doc_validation', 'Bad special document member: _zing');
      expectError(await call(t, 'PUT', `/${db}/_local/z`, { body: { _zing: 1 } }), 400, 'doc_validation', 'Bad special document member: _zing');
      const bulk = await call(t, 'POST', `/${db}/_bulk_docs`, { body: { docs: [{ _id: 'good' }, { _id: 'bad', _removed: true }] } });
      expectError(bulk, 400, 'doc_validation', 'Bad special document member: _removed');
      expect((await call(t, 'GET', `/${db}/good`)).status).to.equal(404);
      const replicated = await call(t, 'POST', `/${db}/_bulk_docs`, { body: { new_edits: false, docs: [{ _id: 'r', _rev: '1-a', _zing: 1 }] } });
      expectError(replicated, 400, 'doc_validation', 'Bad special document member: _zing');
      // The special fields CouchDB does accept: replicator-document fields and `_access`.
      const special = { _replication_id: 'x', _replication_state: 'triggered', _replication_state_time: 1, _replication_state_reason: 'r', _replication_stats: {}, _access: ['alice'] };
      const accepted = await call(t, 'PUT', `/${db}/special`, { body: special });
      expect(accepted.status, accepted.text).to.equal(201);
      expect((await call(t, 'GET', `/${db}/special`)).body).to.include({ _replication_id: 'x', _replication_state_time: 1 });
    });

    it('refuses bad inline attachment data with 400 and accepts base64 with whitespace', async () => {
      const db = await freshDb(t);
      for (const data of ['notbase64!!', 'aGVsbG8', 5, null]) {
        const res = await call(t, 'PUT', `/${db}/att`, { body: { _attachments: { 'x.txt': { content_type: 'text/plain', data } } } });
        expectError(res, 400, 'bad_request', 'Invalid attachment data for x.txt');
      }
      const bulk = await call(t, 'POST', `/${db}/_bulk_docs`, { body: { docs: [{ _id: 'att', _attachments: { 'x.txt': { content_type: 'text/plain', data: '!!' } } }] } });
      expectError(bulk, 400, 'bad_request', 'Invalid attachment data for x.txt');
      const spaced = await call(t, 'PUT', `/${db}/att`, { body: { _attachments: { 'x.txt': { content_type: 'text/plain', data: 'aGVs bG8=\n' } } } });
      expect(spaced.status, spaced.text).to.equal(201);
      expect((await call(t, 'GET', `/${db}/att/x.txt`)).text).to.equal('hello');
    });

    it('refuses a non-string or reserved _id with 400 illegal_docid, on every write route', async () => {
      const db = await freshDb(t);
      const notString = 'Document id must be a string';
      expectError(await call(t, 'POST', `/${db}`, { body: { _id: 5 } }), 400, 'illegal_docid', notString);
      expectError(await call(t, 'PUT', `/${db}/five`, { body: { _id: 5 } }), 400, 'illegal_docid', notString);
      expectError(await call(t, 'POST', `/${db}/_bulk_docs`, { body: { docs: [{ _id: 'fine' }, { _id: { a: 1 } }] } }), 400, 'illegal_docid', notString);
      expect((await call(t, 'GET', `/${db}/fine`)).status).to.equal(404);
      const reserved = await call(t, 'POST', `/${db}/_bulk_docs`, { body: { docs: [{ _id: '_reserved' }] } });
      expectError(reserved, 400, 'illegal_docid', 'Only reserved document ids may start with underscore.');
      expectError(await call(t, 'POST', `/${db}/_bulk_docs`, { body: { docs: [5] } }), 400, 'bad_request', 'Document must be a JSON object');
    });

    it('refuses a replicated document without _rev or _revisions with 400, accepts a bare `1-` rev', async () => {
      const db = await freshDb(t);
      const bare = await call(t, 'POST', `/${db}/_bulk_docs`, { body: { new_edits: false, docs: [{ _id: 'foo', integer: 1 }] } });
      expectError(bare, 400, 'bad_request', 'When `new_edits: false`, the document needs `_rev` or `_revisions` specified');
      const empty = await call(t, 'POST', `/${db}/_bulk_docs`, { body: { new_edits: false, docs: [{ _id: 'foo', _rev: '1-', integer: 1 }] } });
      expect(empty.status, empty.text).to.equal(201);
      expect(empty.body).to.deep.equal([]);
      expect((await call(t, 'GET', `/${db}/foo`)).body).to.include({ _rev: '1-', integer: 1 });
    });

    it('refuses an open_revs that is not a list with 400', async () => {
      const db = await freshDb(t);
      expect((await call(t, 'PUT', `/${db}/doc`, { body: { a: 1 } })).status).to.equal(201);
      for (const value of ['{"a":1}', '5', 'null', '"1-a"']) {
        expectError(await call(t, 'GET', `/${db}/doc?open_revs=${encodeURIComponent(value)}`), 400, 'bad_request', 'Invalid list of revisions');
      }
      expectError(await call(t, 'GET', `/${db}/doc?open_revs=garbage`), 400, 'bad_request', 'invalid UTF-8 JSON');
      expect((await call(t, 'GET', `/${db}/doc?open_revs=all`)).status).to.equal(200);
    });

    it('answers simultaneous creations of one database with one 201 and 412 file_exists, never a path', async () => {
      for (let round = 0; round < 3; round++) {
        const name = `parity-race-${Date.now()}-${round}`;
        const answers = await Promise.all(Array.from({ length: 4 }, () => call(t, 'PUT', `/${name}`)));
        const statuses = answers.map((a) => a.status).sort();
        // The embedded server: exactly one creation wins. Apache CouchDB under load may answer 412 to all four
        // (its shards were created by the racing requests): the database exists either way (checked below).
        if (dataDir) expect(statuses).to.deep.equal([201, 412, 412, 412]);
        else expect([[201, 412, 412, 412], [412, 412, 412, 412]].map(String), JSON.stringify(statuses)).to.include(String(statuses));
        expect((await call(t, 'GET', `/${name}`)).status).to.equal(200);
        for (const a of answers.filter((x) => x.status === 412)) {
          expectError(a, 412, 'file_exists', 'The database could not be created, the file already exists.');
        }
        // A deletion racing a creation: either order is CouchDB's, a 500 or a hang is not.
        const [del, put] = await Promise.all([call(t, 'DELETE', `/${name}`), call(t, 'PUT', `/${name}`)]);
        expect(del.status, del.text).to.equal(200);
        expect([201, 412], put.text).to.include(put.status);
        // Apache CouchDB may answer 500 for a moment while its shards catch up with the race
        // (seen about one run in four); it settles. The embedded server never answers 500 here.
        let after = await call(t, 'GET', `/${name}`);
        for (const deadline = Date.now() + 5000; !dataDir && after.status === 500 && Date.now() < deadline; ) {
          await new Promise((r) => setTimeout(r, 50));
          after = await call(t, 'GET', `/${name}`);
        }
        expect(after.status, after.text).to.equal(put.status === 201 ? 200 : 404);
        for (const a of [...answers, del, put, after]) if (dataDir) expect(a.text).not.to.include(dataDir);
      }
    });

    it('fails _changes with 500 when a filter function throws, instead of hiding documents', async () => {
      const db = await freshDb(t);
      const filter = 'function (doc) { if (doc.boom) throw new Error("kaboom"); return true; }';
      expect((await call(t, 'PUT', `/${db}/_design/f`, { body: { filters: { boom: filter } } })).status).to.equal(201);
      await call(t, 'POST', `/${db}/_bulk_docs`, { body: { docs: [{ _id: 'a' }, { _id: 'b', boom: true }, { _id: 'c' }] } });
      for (const feed of ['normal', 'longpoll']) {
        const res = await call(t, 'GET', `/${db}/_changes?filter=f/boom&feed=${feed}&since=0`, { auth: MEMBER() });
        // CouchDB names the error "Error" or "error" (with an Erlang stack) depending on the path taken.
        expect(res.status, res.text).to.equal(500);
        expect(res.body.error?.toLowerCase(), res.text).to.equal('error');
        expect(res.body).not.to.have.property('results');
      }
    });

    it('words bad _changes selectors as CouchDB does', async () => {
      const db = await freshDb(t);
      const cases: Array<[unknown, string]> = [
        [{ selector: 'foo' }, 'Selector error: expected a JSON object'],
        [{}, 'Selector error: expected a JSON object'],
        [{ selector: { type: { $bogus: 1 } } }, 'Invalid operator: $bogus'],
        [{ selector: { $and: 5 } }, 'Bad argument for operator $and: 5'],
        [{ selector: { n: { $regex: '(' } } }, 'Bad argument for operator $regex: <<40>>'],
        [{ selector: { n: { $in: { a: 'b' } } } }, 'Bad argument for operator $in: {[{<<97>>,<<98>>}]}'],
      ];
      for (const [body, reason] of cases) {
        expectError(await call(t, 'POST', `/${db}/_changes?filter=_selector`, { body }), 400, 'bad_request', reason);
      }
      expectError(await call(t, 'GET', `/${db}/_changes?filter=_selector`), 400, 'bad_request', 'Selector must be specified in POST payload');
    });

    it('refuses a plain member on server-admin endpoints with CouchDB statuses and errors', async () => {
      const db = await freshDb(t);
      const notAdmin = 'You are not a server admin.';
      const cases: Array<[string, string, number, string, string]> = [
        ['GET', '/_all_dbs', 401, 'unauthorized', notAdmin],
        ['POST', '/_all_dbs', 401, 'unauthorized', notAdmin],
        ['GET', '/_active_tasks', 401, 'unauthorized', notAdmin],
        ['GET', '/_scheduler/jobs', 401, 'unauthorized', notAdmin],
        ['GET', '/_scheduler/docs', 401, 'unauthorized', notAdmin],
        ['GET', '/_config', 401, 'unauthorized', notAdmin],
        ['GET', '/_membership', 401, 'unauthorized', notAdmin],
        ['POST', '/_dbs_info', 401, 'unauthorized', notAdmin],
        ['GET', '/_node/_local/_config', 401, 'unauthorized', notAdmin],
        ['GET', '/_node/_local', 401, 'unauthorized', notAdmin],
        ['GET', '/_node/_local/_stats', 401, 'unauthorized', 'You are not a server admin or read-only metrics user'],
        ['GET', '/_node/_local/_system', 401, 'unauthorized', 'You are not a server admin or read-only metrics user'],
        ['GET', '/_users', 403, 'forbidden', 'You are not allowed to access this db.'],
        ['GET', '/_replicator', 403, 'forbidden', 'You are not allowed to access this db.'],
        ['GET', '/_stats', 404, 'not_found', 'Database does not exist.'],
        ['PUT', '/parity-not-mine', 401, 'unauthorized', notAdmin],
        ['DELETE', `/${db}`, 401, 'unauthorized', notAdmin],
        ['POST', `/${db}/_compact`, 401, 'unauthorized', 'You are not a server or db admin.'],
        ['POST', `/${db}/_purge`, 401, 'unauthorized', notAdmin],
        ['PUT', `/${db}/_design/x`, 403, 'forbidden', 'You are not a db or server admin.'],
      ];
      for (const [method, url, status, error, reason] of cases) {
        const res = await call(t, method, url, { auth: MEMBER(), body: method === 'GET' ? undefined : {} });
        expect({ url, method, status: res.status, error: res.body.error, reason: res.body.reason }).to.deep.equal({ url, method, status, error, reason });
      }
      const bulk = await call(t, 'POST', `/${db}/_bulk_docs`, { auth: MEMBER(), body: { docs: [{ _id: '_design/q' }] } });
      expect(bulk.body).to.deep.equal([{ id: '_design/q', error: 'forbidden', reason: 'You are not a db or server admin.' }]);
      // And what an admin may not do by method: 405, as on CouchDB.
      expectError(await call(t, 'POST', '/_all_dbs', { body: {} }), 405, 'method_not_allowed', 'Only GET,HEAD allowed');
    });

    it("accepts the server admin's Basic credentials as admin and answers wrong ones with 401", async () => {
      const admin = basic(`${ADMIN_NAME}:${ADMIN_PASSWORD}`);
      const session = await call(t, 'GET', '/_session', { auth: admin });
      expect(session.body.userCtx).to.deep.equal({ name: ADMIN_NAME, roles: ['_admin'] });
      expect(session.body.info).to.include({ authenticated: 'default' });
      expect((await call(t, 'GET', '/_all_dbs', { auth: admin })).status).to.equal(200);
      const db = `parity-basic-${Date.now()}`;
      expect((await call(t, 'PUT', `/${db}`, { auth: admin })).status).to.equal(201);
      expect((await call(t, 'PUT', `/${db}/doc`, { auth: admin, body: { v: 1 } })).status).to.equal(201);
      expect((await call(t, 'GET', `/${db}/doc`, { auth: MEMBER() })).status).to.equal(403);
      const wrong = basic(`${ADMIN_NAME}:not-the-password`);
      for (const url of ['/_all_dbs', `/${db}/doc`, '/_session', '/_up', '/']) {
        expectError(await call(t, 'GET', url, { auth: wrong }), 401, 'unauthorized', 'Name or password is incorrect.');
      }
      expectError(await call(t, 'GET', '/_all_dbs', { auth: basic('nobody:x') }), 401, 'unauthorized', 'Name or password is incorrect.');
      // JWTs are unchanged.
      expect((await call(t, 'GET', `/${db}/doc`)).body.v).to.equal(1);
    });
  });
}

paritySuite('embedded server', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'caja-parity-'));
  const couch: EmbeddedCouch = await startEmbeddedCouch({ port: 0, dataDir, jwtSecret: SECRET, admins: { [ADMIN_NAME]: ADMIN_PASSWORD } });
  return {
    target: { name: 'embedded', url: couch.url },
    dataDir,
    stop: async () => {
      await couch.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

if (realCouchAvailable) {
  paritySuite('Apache CouchDB 3.5.0', async () => {
    const real: RealCouch = await startRealCouch(SECRET);
    return { target: { name: 'real', url: real.url }, stop: () => real.stop() };
  });
}

describe('embedded server: Basic auth without configured admins, and error bodies', function () {
  this.timeout(20_000);
  it('answers any Basic credential with 401 when no admin is configured', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'caja-parity-'));
    const couch = await startEmbeddedCouch({ port: 0, dataDir, jwtSecret: SECRET });
    try {
      const t = { name: 'embedded', url: couch.url };
      expectError(await call(t, 'GET', '/_all_dbs', { auth: basic('admin:admin') }), 401, 'unauthorized', 'Name or password is incorrect.');
      expectError(await call(t, 'GET', '/_all_dbs', { auth: basic('no-colon') }), 401, 'unauthorized', 'Authentication required.');
      expect((await call(t, 'GET', '/_all_dbs')).status).to.equal(200);
    } finally {
      await couch.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('never names a file in an error answer, whatever its status', () => {
    const dataDir = '/srv/caja/data/couch';
    const lock = Object.assign(new Error(`IO error: lock ${dataDir}/caja-store/LOCK: already held by process`), { status: 500 });
    expect(toCouchError(lock, dataDir).reason).to.equal('IO error: lock <data><path>: already held by process');
    const four = { status: 412, name: 'file_exists', message: `open ${dataDir}/x failed at /var/lib/other/file.ldb` };
    const mapped = toCouchError(four, dataDir);
    expect(mapped.status).to.equal(412);
    expect(mapped.reason).not.to.include(dataDir);
    expect(mapped.reason).not.to.include('/var/lib');
  });
});
