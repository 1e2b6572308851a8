// The typed client (shared/api/client.ts) against a real HQ and relay: the route maps are what the servers
// answer, refusals arrive as ApiErrors with the error table's code and status, every route of each map is
// mounted, and docs/api.md lists what the maps say (scripts/apiDocs.ts --check).
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { API_DOC, renderApiDoc } from '../../scripts/apiDocs';
import { createClient } from '../../shared/api/client';
import { ApiError, ERRORS } from '../../shared/api/errors';
import type { HqApi, RelayApi } from '../../shared/api/routes';
import { HQ_ROUTES, RELAY_ROUTES } from '../../shared/api/routes';
import type { Chain } from '../support/chain';
import { startChain } from '../support/chain';

const refusalOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe('API contract: the typed client against a real HQ and relay', function () {
  this.timeout(120_000);
  let chain: Chain;
  before(async () => {
    chain = await startChain({ stores: ['S001'], products: 20 });
  });
  after(async () => chain?.close());

  it('docs/api.md has the route and error tables the maps give (node --import tsx scripts/apiDocs.ts writes them)', async () => {
    const text = await readFile(API_DOC, 'utf8');
    expect(renderApiDoc(text) === text, 'docs/api.md is stale: run node --import tsx scripts/apiDocs.ts').to.equal(true);
  });

  it('signs in, reads and writes HQ through route keys, with typed answers', async () => {
    const hq = createClient<HqApi>(chain.hq.url, { fetch });
    const login = await hq.send('POST /api/v1/auth/login', { body: { username: 'admin', password: 'admin-password-1' } });
    expect(login.status).to.equal(200);
    hq.setToken(login.body.accessToken);
    const me = await hq.send('GET /api/v1/auth/me');
    expect(me.body.user.username).to.equal('admin');
    const created = await hq.send('POST /api/v1/stores', { body: { code: 'C900', name: 'Contract' } });
    expect([created.status, created.body.code, created.body.status]).to.deep.equal([201, 'C900', 'pending']);
    const issued = await hq.send('POST /api/v1/stores/:id/provision', { params: { id: 'C900' }, body: {} });
    expect(issued.status).to.equal(201);
    expect(issued.body.token).to.be.a('string');
    const page = await hq.send('GET /api/v1/products', { query: { limit: 5 } });
    expect(page.body).to.have.length(5);
    const first = page.body[0];
    if (!first) throw new Error('no product');
    const console = await hq.send('GET /api/v1/console/products', { query: { q: '', limit: 3 } });
    expect(console.body.items).to.have.length.of.at.most(3);
    const edited = await hq.send('PATCH /api/v1/products/:sku', { params: { sku: first.sku }, body: { price: first.price + 1 } });
    expect(edited.body.price).to.equal(first.price + 1);
  });

  it("refuses with an ApiError carrying the table's code and status", async () => {
    const hq = createClient<HqApi>(chain.hq.url, { fetch });
    const wrong = await refusalOf(hq.send('POST /api/v1/auth/login', { body: { username: 'admin', password: 'not-the-password' } }));
    expect(wrong).to.be.instanceOf(ApiError);
    expect(wrong).to.include({ code: 'invalid_credentials', status: ERRORS.invalid_credentials.status });
    const anonymous = await refusalOf(hq.send('GET /api/v1/stores'));
    expect(anonymous).to.include({ code: 'unauthenticated', status: 401 });
    const relay = createClient<RelayApi>(chain.relays.get('S001')?.url ?? '', { fetch });
    const pin = await refusalOf(relay.send('POST /api/v1/terminals/pair', { body: { code: '000000' } }));
    expect(pin).to.be.instanceOf(ApiError);
    expect((pin as ApiError).status).to.equal(ERRORS[(pin as ApiError).code].status);
  });

  it('pairs a terminal and reports its health through the relay map', async () => {
    const relay = createClient<RelayApi>(chain.relays.get('S001')?.url ?? '', { fetch });
    const session = await relay.send('POST /api/v1/auth/login', { body: { username: 'mgr.s001', pin: '9999' } });
    const code = await relay.send('POST /api/v1/terminals/pairing-code', { body: {}, token: session.body.token });
    expect(code.status).to.equal(201);
    const paired = await relay.send('POST /api/v1/terminals/pair', { body: { code: code.body.code, name: 'contract' } });
    expect([paired.status, paired.body.storeCode, paired.body.db]).to.deep.equal([201, 'S001', 'caja-store']);
    const tokens = await relay.send('POST /api/v1/terminals/token', { body: { terminalId: paired.body.terminalId, secret: paired.body.secret } });
    const health = await relay.send('POST /api/v1/terminals/health', { body: { pendingUp: 0, dbSizeBytes: null }, token: tokens.body.apiToken });
    expect(health.body).to.deep.equal({ ok: true });
    const status = await relay.send('GET /api/v1/sync/status');
    expect(status.body.terminals.map((t) => t.terminalId)).to.include(paired.body.terminalId);
  });

  it('mounts every route of both maps: none answers the API 404', async () => {
    const probe = async (base: string, method: string, path: string) => {
      const res = await fetch(base + path.replace(/:(\w+)/g, 'X1'), { method, headers: { 'Content-Type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      return `${method} ${path} -> ${res.status} ${body.error ?? ''}`;
    };
    const relayUrl = chain.relays.get('S001')?.url ?? '';
    const answers = [...(await Promise.all(HQ_ROUTES.map((r) => probe(chain.hq.url, r.method, r.path)))), ...(await Promise.all(RELAY_ROUTES.map((r) => probe(relayUrl, r.method, r.path))))];
    expect(answers.filter((a) => a.endsWith(' 404 not_found'))).to.deep.equal([]);
  });
});
