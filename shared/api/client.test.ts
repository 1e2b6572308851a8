// The wire contracts checked without a server: every error code keeps one status wherever it is thrown, and the client builds
// requests from route keys and turns refusals into ApiErrors of the table.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createClient, fillPath, queryString } from './client';
import type { FetchLike } from './client';
import { ApiError, ERRORS } from './errors';
import type { HqApi, RelayApi } from './routes';
import { HQ_API, HQ_ROUTES, RELAY_API, RELAY_ROUTES } from './routes';

describe('API contracts', () => {
  it('lists every route of each map once, with a parser for every route that takes a body', () => {
    for (const [routes, table] of [
      [HQ_ROUTES, HQ_API],
      [RELAY_ROUTES, RELAY_API],
    ] as const) {
      const keys = routes.map((r) => `${r.method} ${r.path}`);
      expect(new Set(keys).size).to.equal(keys.length);
      expect(Object.keys(table.docs)).to.deep.equal(keys);
      // Every write route parses its body (GETs take none).
      const writes = routes.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
      expect(Object.keys(table.bodies).sort()).to.deep.equal(writes.sort());
    }
  });

  it('gives every error code one status: no call site throws a code with another status than the table', () => {
    // Helper names that fix a status (server-kit/errors.ts), and where they are called with a literal code.
    const fixed: Record<string, number> = { badRequest: 400, unauthorized: 401, forbidden: 403, notFound: 404, conflict: 409, gone: 410, tooMany: 429, unavailable: 503 };
    const files = execFileSync('git', ['ls-files', 'hq', 'store-relay', 'server-kit', 'shared'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    // Known: a malformed pairing code is a 400 (the six digits are checked before the throttled lookup,
    // whose unknown codes are 401), and a relay reports HQ's refusal of its token as its own 400.
    const known = new Set(['store-relay/services/terminals.ts badRequest invalid_pairing_code']);
    const mismatches: string[] = [];
    for (const file of files) {
      if (!existsSync(file)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(badRequest|unauthorized|forbidden|notFound|conflict|gone|tooMany|unavailable)\('(\w+)'/g)) {
        const [, helper = '', code = ''] = m;
        const entry = (ERRORS as Record<string, { status: number } | undefined>)[code];
        if (!entry) mismatches.push(`${file}: ${code} is not in the error table`);
        else if (entry.status !== fixed[helper] && !known.has(`${file} ${helper} ${code}`)) mismatches.push(`${file}: ${helper}('${code}') is ${fixed[helper]}, the table says ${entry.status}`);
      }
    }
    expect(mismatches).to.deep.equal([]);
  });

  it('has an English and a Spanish message for every error', () => {
    for (const e of Object.values(ERRORS)) {
      expect(e.message.en, e.code).to.be.a('string').and.not.equal('');
      expect(e.message.es, e.code).to.be.a('string').and.not.equal('');
    }
  });

  it('sends a route key as method, filled path, query, bearer and JSON body', async () => {
    const seen: Array<{ url: string; method: string; headers: Record<string, string>; body?: string }> = [];
    const fake: FetchLike = async (url, init) => {
      seen.push({ url, ...init });
      return { status: 201, ok: true, headers: { get: () => null }, text: async () => JSON.stringify({ token: 't', tokenId: 'i', expiresAt: 'x' }) };
    };
    const hq = createClient<HqApi>('http://hq.test/', { fetch: fake, token: 'abc' });
    const issued = await hq.send('POST /api/v1/stores/:id/provision', { params: { id: 'S 1' }, body: { ttlHours: 2 } });
    expect(issued).to.deep.include({ status: 201, body: { token: 't', tokenId: 'i', expiresAt: 'x' } });
    await hq.send('GET /api/v1/products', { query: { sku: 'A&B', limit: 5 } });
    expect(seen.map((s) => [s.method, s.url, s.headers.Authorization, s.body])).to.deep.equal([
      ['POST', 'http://hq.test/api/v1/stores/S%201/provision', 'Bearer abc', '{"ttlHours":2}'],
      ['GET', 'http://hq.test/api/v1/products?sku=A%26B&limit=5', 'Bearer abc', undefined],
    ]);
    expect(fillPath('/a/:x/b/:y', { x: '1', y: '/' })).to.equal('/a/1/b/%2F');
    expect(queryString({ a: undefined })).to.equal('');
  });

  it("throws an ApiError with the table's code (and the server's status and reason) on a refusal", async () => {
    const fake: FetchLike = async () => ({ status: 403, ok: false, headers: { get: () => null }, text: async () => '{"error":"setup_code_required","reason":"needs the code"}' });
    const relay = createClient<RelayApi>('http://relay.test', { fetch: fake });
    const err = await relay.send('POST /api/v1/provision', { body: { token: 'x' } }).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err).to.include({ status: 403, code: 'setup_code_required', message: 'needs the code' });
    const html: FetchLike = async () => ({ status: 502, ok: false, headers: { get: () => null }, text: async () => '<html>bad gateway</html>' });
    const e2 = await createClient<RelayApi>('http://relay.test', { fetch: html }).send('GET /api/v1/sync/status').then(() => null, (e: unknown) => e);
    expect(e2).to.include({ status: 502, code: 'internal' });
  });
});
