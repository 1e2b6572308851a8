// Two CouchDB read endpoints HQ's dashboard and sales browser poll 200 store databases with (hq/services/
// dbSeqs.ts, monitoring.ts): `POST /_dbs_info` (many databases' update_seq in one request) and
// `POST /{db}/_local_docs` by keys with include_docs (many `_local` heartbeats in one request). Answered
// alike by the embedded server and, when ../shared/couchdb is there, Apache CouchDB 3.5.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminToken, startEmbeddedCouch } from './index';
import { signCouchToken } from '../server-kit/couch';
import { realCouchAvailable, startRealCouch } from '../tests/support/realCouch';

const SECRET = 'bulk-info-test-secret';

interface Server {
  url: string;
  admin: string;
  close(): Promise<void>;
}

const SERVERS: Array<{ name: string; start: () => Promise<Server> }> = [
  {
    name: 'the embedded server',
    start: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'caja-bulkinfo-'));
      const couch = await startEmbeddedCouch({ port: 0, dataDir: dir, jwtSecret: SECRET });
      return {
        url: couch.url,
        admin: 'Bearer ' + adminToken(SECRET),
        close: async () => {
          await couch.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
if (realCouchAvailable) {
  SERVERS.push({
    name: 'Apache CouchDB 3.5',
    start: async () => {
      const real = await startRealCouch(SECRET);
      return { url: real.url, admin: real.adminAuth, close: () => real.stop() };
    },
  });
}

for (const { name, start } of SERVERS) {
  describe(`_dbs_info and _local_docs by keys on ${name}`, function () {
    this.timeout(120_000);
    let server: Server;
    const call = async (path: string, method = 'GET', body?: unknown, auth = server.admin) => {
      const res = await fetch(server.url + path, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as unknown };
    };

    before(async () => {
      server = await start();
      for (const db of ['bulk-a', 'bulk-b']) expect((await call(`/${db}`, 'PUT')).status).to.equal(201);
      await call('/bulk-a/_security', 'PUT', { admins: { names: [], roles: [] }, members: { names: [], roles: ['reader'] } });
      expect((await call('/bulk-a/doc1', 'PUT', { n: 1 })).status).to.equal(201);
      expect((await call('/bulk-a/_local/beat:1', 'PUT', { at: 'one' })).status).to.equal(201);
      expect((await call('/bulk-a/_local/beat:2', 'PUT', { at: 'two' })).status).to.equal(201);
    });
    after(async () => {
      await server?.close();
    });

    it('answers several databases in one request, a missing one as not_found', async () => {
      const res = await call('/_dbs_info', 'POST', { keys: ['bulk-a', 'bulk-none', 'bulk-b'] });
      expect(res.status).to.equal(200);
      const rows = res.json as Array<{ key: string; info?: { db_name: string; doc_count: number; update_seq: unknown }; error?: string }>;
      expect(rows.map((r) => r.key)).to.deep.equal(['bulk-a', 'bulk-none', 'bulk-b']);
      expect(rows[0]?.info).to.include({ db_name: 'bulk-a', doc_count: 1 });
      expect(rows[1]).to.deep.equal({ key: 'bulk-none', error: 'not_found' });
      const seqA = String(rows[0]?.info?.update_seq);
      // A write moves the sequence; a `_local` write does not.
      await call('/bulk-a/_local/beat:1', 'PUT', { at: 'again', _rev: '0-1' });
      const again = (await call('/_dbs_info', 'POST', { keys: ['bulk-a'] })).json as Array<{ info: { update_seq: unknown } }>;
      expect(String(again[0]?.info.update_seq)).to.equal(seqA);
      await call('/bulk-a/doc2', 'PUT', { n: 2 });
      const moved = (await call('/_dbs_info', 'POST', { keys: ['bulk-a'] })).json as Array<{ info: { update_seq: unknown } }>;
      expect(String(moved[0]?.info.update_seq)).to.not.equal(seqA);
    });

    it('refuses more than 100 keys, and a caller that is not a server admin', async () => {
      const many = await call('/_dbs_info', 'POST', { keys: Array.from({ length: 101 }, (_, i) => `db-${i}`) });
      expect(many.status).to.equal(400);
      const member = 'Bearer ' + signCouchToken(SECRET, 'reader-1', ['reader'], 300);
      expect((await call('/_dbs_info', 'POST', { keys: ['bulk-a'] }, member)).status).to.be.oneOf([401, 403]);
    });

    it('reads several _local documents by keys, with their bodies', async () => {
      const res = await call('/bulk-a/_local_docs?include_docs=true', 'POST', { keys: ['_local/beat:2', '_local/none'] });
      expect(res.status).to.equal(200);
      const rows = (res.json as { rows: Array<Record<string, unknown>> }).rows;
      expect(rows[0]).to.deep.include({ id: '_local/beat:2', key: '_local/beat:2', value: { rev: '0-1' } });
      expect(rows[0]?.doc).to.deep.equal({ _id: '_local/beat:2', _rev: '0-1', at: 'two' });
      expect(rows[1]).to.deep.equal({ key: '_local/none', error: 'not_found' });
    });
  });
}
