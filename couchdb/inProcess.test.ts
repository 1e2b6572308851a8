// The embedded server's doors for the process that runs it (inProcess.ts, EmbeddedCouch.request and .reader):
// a `_bulk_docs` asked in process is judged exactly as one over HTTP (credentials, `_security`,
// validate_doc_update, the body limit), answers the same, and is answered only after its fsync; the reader
// reads, and writes nothing but `_local` documents.
import { expect } from 'chai';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { tempDir } from '../tests/support/testing';
import { adminToken, startEmbeddedCouch, type EmbeddedCouch } from './index';
import { durabilityStats } from './durable';

const SECRET = 'in-process-test-secret';
const bearer = (sub: string, roles: string[]) => `Bearer ${jwt.sign({ sub, '_couchdb.roles': roles }, SECRET, { algorithm: 'HS256', expiresIn: 600 })}`;
const LIMIT = 64 * 1024;
const VALIDATE = 'function (doc) { if (doc.total < 0) throw({ forbidden: "a total is never negative" }); }';

describe('embedded CouchDB in-process requests (inProcess.ts)', function () {
  this.timeout(30_000);
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let couch: EmbeddedCouch;
  const admin = () => `Bearer ${adminToken(SECRET)}`;
  const member = () => bearer('store:S001', ['store:S001']);

  async function http(method: string, urlPath: string, body?: unknown, authorization = admin()) {
    const res = await fetch(couch.url + urlPath, { method, headers: { Authorization: authorization, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as unknown };
  }
  const inProcess = async (db: string, body: unknown, authorization = member(), bodyBytes = JSON.stringify(body).length) => {
    const answer = await couch.request({ method: 'POST', path: `/${db}/_bulk_docs`, authorization, body, bodyBytes });
    return { status: answer.status, body: JSON.parse(answer.text) as unknown };
  };
  const stored = async (db: string) => ((await http('POST', `/${db}/_all_docs`, { include_docs: true })).body as { rows: Array<{ id: string; doc: Record<string, unknown> }> }).rows;

  before(async () => {
    dir = await tempDir('caja-in-process-');
    couch = await startEmbeddedCouch({ port: 0, dataDir: path.join(dir.dir, 'couch'), jwtSecret: SECRET, fsync: true, maxRequestBytes: LIMIT });
    for (const db of ['over-http', 'in-process', 'other-store']) {
      expect((await http('PUT', `/${db}`)).status).to.equal(201);
      expect((await http('PUT', `/${db}/_design/rules`, { validate_doc_update: VALIDATE })).status).to.equal(201);
      const store = db === 'other-store' ? 'store:S002' : 'store:S001';
      expect((await http('PUT', `/${db}/_security`, { admins: { names: [], roles: [] }, members: { names: [], roles: [store] } })).status).to.equal(200);
    }
  });

  after(async () => {
    await couch?.close();
    await dir?.cleanup();
  });

  it('answers a _bulk_docs as over HTTP, stores the same documents, and answers only after their fsync', async () => {
    const docs = () => [
      { _id: 'sale:1', total: 1250 },
      { _id: 'sale:2', total: -5 },
      { _id: 'sale:3', _rev: '1-abc', total: 300 },
    ];
    const overHttp = await http('POST', '/over-http/_bulk_docs', { docs: docs() }, member());
    const before = { ...durabilityStats };
    const asked = await inProcess('in-process', { docs: docs() });
    expect(durabilityStats.roundsDone - before.roundsDone, 'fsync rounds finished before the answer').to.be.at.least(1);
    expect(asked.status).to.equal(overHttp.status).and.to.equal(201);
    const shape = (rows: unknown) => (rows as Array<Record<string, unknown>>).map(({ rev: _rev, ...rest }) => rest);
    expect(shape(asked.body)).to.deep.equal(shape(overHttp.body));
    expect(shape(asked.body)).to.deep.equal([
      { ok: true, id: 'sale:1' },
      { id: 'sale:2', error: 'forbidden', reason: 'a total is never negative' },
      { id: 'sale:3', error: 'conflict', reason: 'Document update conflict' },
    ]);
    const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).filter((id) => !id.startsWith('_design/'));
    expect(ids(await stored('in-process'))).to.deep.equal(ids(await stored('over-http'))).and.to.deep.equal(['sale:1']);
    // Replicated revisions (new_edits: false) answer only failures, as over HTTP.
    const replicated = await inProcess('in-process', { docs: [{ _id: 'sale:4', _rev: '1-aaa', total: 10 }], new_edits: false });
    expect(replicated).to.include({ status: 201 });
    expect(replicated.body).to.deep.equal([]);
  });

  it('judges the caller as over HTTP: no or forged credentials, another store, a missing database, a body over the limit; nothing written', async () => {
    const body = () => ({ docs: [{ _id: 'sale:refused', total: 1 }] });
    const forged = `Bearer ${jwt.sign({ sub: 'store:S001', '_couchdb.roles': ['_admin'] }, 'not-the-secret', { algorithm: 'HS256' })}`;
    const cases: Array<[string, string, number]> = [
      ['in-process', '', 401],
      ['in-process', forged, 400],
      ['other-store', member(), 403],
      ['no-such-db', member(), 404],
    ];
    for (const [db, authorization, status] of cases) {
      const asked = await inProcess(db, body(), authorization);
      const overHttp = await http('POST', `/${db}/_bulk_docs`, body(), authorization);
      expect([asked.status, overHttp.status], `${db} ${authorization.slice(0, 12)}`).to.deep.equal([status, status]);
      expect(asked.body).to.deep.equal(overHttp.body);
    }
    const tooLarge = await inProcess('in-process', body(), member(), LIMIT + 1);
    expect(tooLarge.status).to.equal(413);
    expect(tooLarge.body).to.deep.include({ error: 'too_large' });
    for (const db of ['in-process', 'other-store']) expect((await stored(db)).map((r) => r.id)).not.to.include('sale:refused');
  });

  it('answers _revs_diff, _all_docs by keys, _bulk_get and _local documents as over HTTP', async () => {
    // A `_local` document is written in process and over HTTP under two ids (the second PUT of one id would conflict).
    const ask = async (method: string, urlPath: string, body?: unknown) => {
      const local = await couch.request({ method, path: urlPath, authorization: member(), ...(body === undefined ? {} : { body }), bodyBytes: body === undefined ? 0 : JSON.stringify(body).length });
      const remote = await http(method, urlPath.replace('/cp-1', '/cp-2'), body, member());
      return { local: { status: local.status, body: JSON.parse(local.text) as unknown }, remote };
    };
    const cases: Array<[string, string, unknown?]> = [
      ['POST', '/in-process/_revs_diff', { 'sale:1': ['1-abc', '9-zzz'], 'sale:none': ['1-x'] }],
      ['POST', '/in-process/_all_docs', { keys: ['sale:1', 'sale:none', 'sale:4'] }],
      ['POST', '/in-process/_bulk_get?revs=true', { docs: [{ id: 'sale:1' }, { id: 'sale:none' }] }],
      ['PUT', '/in-process/_local/cp-1', { last_seq: 7 }],
      ['GET', '/in-process/_local/cp-1'],
      ['DELETE', '/in-process/_local/cp-1?rev=0-1'],
      ['GET', '/in-process/_local/cp-1'],
      ['GET', '/in-process/_local/none'],
    ];
    for (const [method, urlPath, body] of cases) {
      const { local, remote } = await ask(method, urlPath, body);
      expect(local.status, `${method} ${urlPath}`).to.equal(remote.status);
      expect(JSON.stringify(local.body).replaceAll('cp-1', 'cp-2'), `${method} ${urlPath}`).to.equal(JSON.stringify(remote.body));
    }
  });

  it('takes only what the server answers itself, whole: express-pouchdb\'s reads and streams are refused before the server sees them', async () => {
    const taken: Array<[string, string, unknown?]> = [
      ['POST', '/db/_bulk_docs', { docs: [] }], ['POST', '/db/_bulk_get?revs=true', { docs: [] }], ['POST', '/db/_revs_diff', {}],
      ['POST', '/db/_all_docs', { keys: ['a'] }], ['GET', '/db/_local/x'], ['PUT', '/db/_local/x', {}], ['DELETE', '/db/_local/x?rev=0-1'],
    ];
    const refused: Array<[string, string, unknown?]> = [
      ['POST', '/db/_all_docs', { keys: ['a'], startkey: 'a' }], ['POST', '/db/_all_docs?include_docs=true', { keys: ['a'] }], ['POST', '/db/_all_docs', {}],
      ['POST', '/db/_revs_diff?x=1', {}], ['POST', '/db/_bulk_docs', []], ['POST', '/db/_changes', {}], ['GET', '/db/_changes'], ['POST', '/db/_find', { selector: {} }],
      ['GET', '/db/sale:1'], ['PUT', '/db/sale:1', {}], ['POST', '/_replicate', {}], ['GET', '/db/_local/x/y'], ['PUT', '/db/_local/x'], ['GET', '/db/_local/x', {}],
      ['POST', '/_users/_bulk_docs', { docs: [] }], ['POST', '/_replicator/_all_docs', { keys: ['a'] }], ['GET', '/_users/_local/x'],
    ];
    for (const [method, path, body] of taken) expect(couch.takes({ method, path, body }), `${method} ${path}`).to.equal(true);
    for (const [method, path, body] of refused) {
      expect(couch.takes({ method, path, body }), `${method} ${path}`).to.equal(false);
      const err = await couch.request({ method, path, authorization: admin(), body, bodyBytes: 2 }).then(() => null, (e: unknown) => e);
      expect(String(err), path).to.match(/cannot be asked in process/);
    }
  });

  it('gives a reader of a database that reads it, and writes nothing but _local documents through it', async () => {
    const reader = couch.reader('in-process');
    expect(await reader.get('sale:1')).to.include({ _id: 'sale:1', total: 1250 });
    const refused = await reader.put({ _id: 'sale:written-directly', total: 1 }).then(() => null, (e: unknown) => e);
    expect(refused).to.include({ status: 500 });
    expect((await stored('in-process')).map((r) => r.id)).not.to.include('sale:written-directly');
    await reader.put({ _id: '_local/checkpoint', last_seq: 3 });
    expect(await reader.get('_local/checkpoint')).to.include({ last_seq: 3 });
    expect(() => couch.reader('no-such-db')).to.throw(/no database no-such-db/);
  });
});
