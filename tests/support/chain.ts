// A whole chain for integration tests, started the real way: HQ on an embedded CouchDB, stores created
// and provisioned through HQ's API, relays presenting their sync tokens, terminals paired through the
// relay API and syncing as PouchDB replicas. Everything on 127.0.0.1 with free ports.
import { expect } from 'chai';
import type { Pairing } from '../../desktop/renderer/data/terminalSync';
import { terminalSyncOptions, terminalTokenSource } from '../../desktop/renderer/data/terminalSync';
import { startHq } from '../../hq/server';
import type { HqServer } from '../../hq/server';
import { CATALOG_DB } from '../../shared/model/names';
import { generateCatalog } from '../../scripts/seed';
import { startRelay } from '../../store-relay/server';
import type { RelayServer } from '../../store-relay/server';
import type { CajaConfig } from '../../server-kit/config';
import { PouchDB, remoteDb } from '../../server-kit/replication/pouch';
import { http, tempDir, testConfig, testLogger } from './testing';

export interface Terminal {
  pairing: Pairing;
  local: PouchDB.Database;
  /** Starts live sync with the relay (pull + push); returns a stop function. */
  startSync(today?: string): () => void;
  close(): Promise<void>;
}

export interface Chain {
  hq: HqServer;
  relays: Map<string, RelayServer>;
  dataDir: string;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  startRelayFor(code: string, overrides?: Partial<CajaConfig>): Promise<RelayServer>;
  pairTerminal(code: string, manager?: { username: string; pin: string }): Promise<Terminal>;
  close(): Promise<void>;
}

export interface ChainOptions {
  stores?: string[];
  products?: number;
  relay?: Partial<CajaConfig>;
  /**
   * A CouchDB for each process ('hq', 'relay-S001', ...): a real one's URL and JWT secret, or null for the
   * embedded server (the default).
   */
  couchFor?: (processName: string) => Promise<{ url: string; secret: string } | null>;
}

async function couchConfig(opts: ChainOptions, name: string): Promise<Partial<CajaConfig>> {
  const real = opts.couchFor ? await opts.couchFor(name) : null;
  return real ? { couchdbUrl: real.url, couchJwtSecret: real.secret } : {};
}

/** Starts HQ, creates and provisions the stores (each with a manager `mgr.<code>` PIN 9999 and cashier `cash.<code>` PIN 1234). */
export async function startChain(opts: ChainOptions = {}): Promise<Chain> {
  const tmp = await tempDir('caja-chain-');
  const hq = await startHq(testConfig(`${tmp.dir}/hq`, await couchConfig(opts, 'hq')), testLogger());
  const relays = new Map<string, RelayServer>();
  const terminals: Terminal[] = [];
  const catalog = generateCatalog({ products: opts.products ?? 100 });
  await hq.couch.nano.use(CATALOG_DB).bulk({ docs: catalog.docs });
  const login = await http<{ accessToken: string }>('POST', `${hq.url}/api/v1/auth/login`, { username: 'admin', password: 'admin-password-1' });
  const auth = { Authorization: `Bearer ${login.body.accessToken}` };
  const api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => http<T>(method, hq.url + path, body, auth);
  const tokens = new Map<string, string>();

  for (const code of opts.stores ?? ['S001']) {
    expect((await api('POST', '/api/v1/stores', { code, name: `Store ${code}`, timeZone: 'America/Mexico_City' })).status).to.equal(201);
    for (const [who, pin, role] of [['mgr', '9999', 'role:store_manager'], ['cash', '1234', 'role:cashier']] as const) {
      const user = await api<{ id: string }>('POST', '/api/v1/users', { username: `${who}.${code.toLowerCase()}`, password: `${who}-password-${code}`, pin });
      expect(user.status).to.equal(201);
      expect((await api('PUT', `/api/v1/users/${user.body.id}/store-roles`, { [code]: [role] })).status).to.equal(200);
    }
    tokens.set(code, (await api<{ token: string }>('POST', `/api/v1/stores/${code}/provision`, {})).body.token);
  }

  const startRelayFor = async (code: string, overrides: Partial<CajaConfig> = {}) => {
    const relay = await startRelay(testConfig(`${tmp.dir}/relay-${code}`, { syncToken: tokens.get(code) ?? null, ...(await couchConfig(opts, `relay-${code}`)), ...opts.relay, ...overrides }), testLogger());
    relays.set(code, relay);
    return relay;
  };
  for (const code of opts.stores ?? ['S001']) await startRelayFor(code);

  const pairTerminal = async (code: string, manager = { username: `mgr.${code.toLowerCase()}`, pin: '9999' }): Promise<Terminal> => {
    const relay = relays.get(code);
    if (!relay) throw new Error(`no relay for ${code}`);
    const res = await http<Omit<Pairing, 'relayUrl'>>('POST', `${relay.url}/api/v1/terminals/pair`, manager);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const pairing: Pairing = { ...res.body, relayUrl: relay.url };
    const local = new PouchDB(`terminal-${code}-${pairing.terminalId}-${Date.now()}`, { adapter: 'memory' });
    const remote = remoteDb(`${pairing.couchdbUrl}/${pairing.db}`, terminalTokenSource(pairing));
    const terminal: Terminal = {
      pairing,
      local,
      startSync(today = new Date().toISOString().slice(0, 10)) {
        const o = terminalSyncOptions(code, today, pairing.terminalId);
        const pull = local.replicate.from(remote, o.pull);
        const push = local.replicate.to(remote, o.push);
        return () => {
          pull.cancel();
          push.cancel();
        };
      },
      close: () => local.destroy().then(() => undefined),
    };
    terminals.push(terminal);
    return terminal;
  };

  return {
    hq,
    relays,
    dataDir: tmp.dir,
    api,
    startRelayFor,
    pairTerminal,
    async close() {
      for (const t of terminals) await t.close().catch(() => undefined);
      for (const r of relays.values()) await r.close().catch(() => undefined);
      await hq.close();
      await tmp.cleanup();
    },
  };
}
