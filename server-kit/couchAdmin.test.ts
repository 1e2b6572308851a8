// COUCHDB_ADMIN: an operator's Basic login to the embedded CouchDB a Caja process starts (README
// "Configuration"), read from the environment, checked, and accepted by the server as its admin.
import { expect } from 'chai';
import { loadConfig } from './config';
import { openCouch } from './couch';
import { tempDir, TEST_SECRET, testLogger } from '../tests/support/testing';

describe('COUCHDB_ADMIN (issue #14: the usual CouchDB tools work against the embedded server)', () => {
  it('is read as name:password, a password may hold colons, and a weak or malformed one is refused', () => {
    expect(loadConfig({}, {}).couchAdmin).to.equal(null);
    expect(loadConfig({}, { COUCHDB_ADMIN: 'ops:long:password-1' }).couchAdmin).to.deep.equal({ name: 'ops', password: 'long:password-1' });
    for (const bad of ['ops', ':password-long-1', 'ops:short', 'o p:password-long-1']) {
      expect(() => loadConfig({}, { COUCHDB_ADMIN: bad }), bad).to.throw(/COUCHDB_ADMIN must be name:password/);
    }
  });

  it('lets the operator in by Basic auth as server admin; a wrong password gets 401; without it, Basic is refused', async () => {
    const basic = (user: string, pass: string) => ({ Authorization: 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64') });
    const tmp = await tempDir();
    const withAdmin = await openCouch(loadConfig({ dataDir: tmp.dir, couchdbPort: 0 }, { COUCHDB_ADMIN: 'ops:operator-pass-1' }), TEST_SECRET, 'test', 'couch-a', testLogger());
    const without = await openCouch(loadConfig({ dataDir: tmp.dir, couchdbPort: 0 }, {}), TEST_SECRET, 'test', 'couch-b', testLogger());
    try {
      const ok = await fetch(`${withAdmin.url}/_all_dbs`, { headers: basic('ops', 'operator-pass-1') });
      expect(ok.status).to.equal(200);
      expect(await ok.json()).to.be.an('array');
      expect((await fetch(`${withAdmin.url}/_all_dbs`, { headers: basic('ops', 'wrong-password') })).status).to.equal(401);
      expect((await fetch(`${without.url}/_all_dbs`, { headers: basic('ops', 'operator-pass-1') })).status).to.equal(401);
    } finally {
      await withAdmin.close();
      await without.close();
      await tmp.cleanup();
    }
  });
});
