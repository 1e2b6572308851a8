// Admin verbs of the `caja` CLI. They go through the HQ API (so they are authorised and audited like the
// console): `--hq` (or HQ_URL, default http://127.0.0.1:HQ_PORT), signed in with --username/--password
// (or CAJA_USERNAME / CAJA_PASSWORD, falling back to admin / HQ_ADMIN_PASSWORD).
import { parseArgs } from 'node:util';
import type { CajaConfig } from '../common/config';
import { hqClient } from './demo';

const ADMIN_USAGE = `Admin verbs (through the HQ API):
  caja admin create-user --username U --password P [--pin 1234] [--name "Full Name"] [--role role:hq_admin] [--store S001 --store-role role:cashier]
  caja store create --code S003 --name "Store name" [--address A] [--tz America/Mexico_City] [--locale es|en] [--currency MXN]
  caja store token --code S003 [--ttl-hours 24]      prints a one-time sync token (shown once)
  caja store revoke --code S003                      suspends the store's credential
  caja store list
Common: --hq URL  --username U  --password P`;

const COMMON = {
  hq: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
} as const;

async function signedIn(cfg: CajaConfig, values: { hq?: string; username?: string; password?: string }) {
  const base = values.hq ?? cfg.hqUrl ?? `http://127.0.0.1:${cfg.hqPort}`;
  const username = values.username ?? process.env.CAJA_USERNAME ?? 'admin';
  const password = values.password ?? process.env.CAJA_PASSWORD ?? cfg.hqAdminPassword;
  if (!password) throw new Error('give --password (or CAJA_PASSWORD / HQ_ADMIN_PASSWORD)');
  const api = hqClient(base);
  await api.login(username, password);
  return api;
}

/** `caja admin ...` and `caja store ...`; returns the exit code. */
export async function runAdmin(group: 'admin' | 'store', args: string[], cfg: CajaConfig): Promise<number> {
  const [verb, ...rest] = args;
  if (group === 'admin' && verb === 'create-user') {
    const { values } = parseArgs({
      args: rest,
      options: { ...COMMON, 'new-username': { type: 'string' }, 'new-password': { type: 'string' }, pin: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', multiple: true }, store: { type: 'string' }, 'store-role': { type: 'string', multiple: true } },
    });
    const api = await signedIn(cfg, values);
    const user = await api.ok<{ id: string; username: string }>('POST', '/api/v1/users', {
      username: values['new-username'],
      password: values['new-password'],
      ...(values.pin ? { pin: values.pin } : {}),
      ...(values.name ? { displayName: values.name } : {}),
      roles: values.role ?? [],
    });
    if (values.store) await api.ok('PUT', `/api/v1/users/${user.id}/store-roles`, { [values.store]: values['store-role'] ?? ['role:cashier'] });
    console.log(JSON.stringify({ id: user.id, username: user.username }));
    return 0;
  }
  if (group === 'store' && verb) {
    const { values } = parseArgs({
      args: rest,
      options: { ...COMMON, code: { type: 'string' }, name: { type: 'string' }, address: { type: 'string' }, tz: { type: 'string' }, locale: { type: 'string' }, currency: { type: 'string' }, 'ttl-hours': { type: 'string' } },
    });
    const api = await signedIn(cfg, values);
    const code = values.code?.toUpperCase();
    if (verb === 'list') {
      for (const s of await api.ok<Array<{ code: string; name: string; status: string }>>('GET', '/api/v1/stores')) console.log(`${s.code}\t${s.status}\t${s.name}`);
      return 0;
    }
    if (!code) throw new Error('give --code');
    if (verb === 'create') {
      const s = await api.ok<{ code: string; status: string }>('POST', '/api/v1/stores', {
        code,
        name: values.name,
        address: values.address ?? '',
        ...(values.tz ? { timeZone: values.tz } : {}),
        ...(values.locale ? { locale: values.locale } : {}),
        ...(values.currency ? { currency: values.currency } : {}),
      });
      console.log(`store ${s.code} created (${s.status})`);
      return 0;
    }
    if (verb === 'token') {
      const t = await api.ok<{ token: string; expiresAt: string }>('POST', `/api/v1/stores/${code}/provision`, values['ttl-hours'] ? { ttlHours: Number(values['ttl-hours']) } : {});
      console.log(t.token);
      console.error(`one-time sync token for ${code}, expires ${t.expiresAt}; start the relay with SYNC_TOKEN=<token> caja relay`);
      return 0;
    }
    if (verb === 'revoke') {
      const s = await api.ok<{ code: string; status: string }>('POST', `/api/v1/stores/${code}/revoke`);
      console.log(`store ${s.code} ${s.status}`);
      return 0;
    }
  }
  console.error(ADMIN_USAGE);
  return 2;
}
