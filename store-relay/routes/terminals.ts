// The relay's terminal endpoints: pairing (a manager's code or PIN), the terminal's tokens, its health
// reports (sent on to HQ with the next heartbeat), and the manager's list and unpairing.
import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { notFound } from '../../server-kit/errors';
import { RELAY_API } from '../../shared/api/routes';
import { RELAY_STORE_DB, relayTerminalRecordId, storeUserActor } from '../../shared/model/names';
import {
  consumePairingCode,
  createPairingCode,
  listTerminals,
  pairTerminal,
  publicTerminal,
  terminalToken,
  unpairTerminal,
  verifyManager,
  verifyManagerToken,
  verifyTerminalToken,
} from '../services/terminals';
import type { Relay } from './context';
import { requireIdentity } from './context';

export function terminalRoutes(relay: Relay): Router {
  const r = Router();
  const on = mountRoutes(RELAY_API, r);
  const { couch, log } = relay;
  const apiSecret = relay.secrets.api;
  const store = () => requireIdentity(relay).storeCode;

  on('POST /api/v1/terminals/pairing-code', async ({ req, body: parsed }) => {
    requireIdentity(relay);
    const body = parsed();
    const by = req.get('authorization')
      ? verifyManagerToken(apiSecret, store(), req.get('authorization'), 'terminals.manage').userId
      : (await verifyManager(couch, RELAY_STORE_DB, body.username, body.pin, 'terminals.manage')).userId;
    const created = await createPairingCode(couch, by);
    await relay.audit('terminal.pairing_code', storeUserActor(by), 'pairing-code', req.ip, { expiresAt: created.expiresAt });
    return created;
  });
  on('POST /api/v1/terminals/pair', async ({ req, body: parsed }) => {
    const identity = requireIdentity(relay);
    const body = parsed();
    const pairedBy = body.code !== undefined ? await consumePairingCode(couch, body.code, req.ip ?? 'unknown') : (await verifyManager(couch, RELAY_STORE_DB, body.username, body.pin, 'terminals.manage')).userId;
    const { terminal, secret } = await pairTerminal(couch, pairedBy, body.name);
    log.info('terminal.paired', { terminal: terminal.terminalId, by: pairedBy });
    await relay.audit('terminal.pair', storeUserActor(pairedBy), relayTerminalRecordId(terminal.terminalId), req.ip, { name: terminal.name });
    return {
      storeCode: identity.storeCode,
      terminalId: terminal.terminalId,
      name: terminal.name,
      secret,
      // The gateway on this very server, at the address the terminal reached it by.
      couchdbUrl: `${req.protocol}://${req.get('host') ?? `127.0.0.1:${String(req.socket.localPort)}`}/couch`,
      db: RELAY_STORE_DB,
    };
  });
  on('POST /api/v1/terminals/token', async ({ body: parsed }) => {
    const identity = requireIdentity(relay);
    const body = parsed();
    return terminalToken(couch, apiSecret, identity.storeCode, body.terminalId, body.secret);
  });
  on('POST /api/v1/terminals/health', ({ req, body: parsed }) => {
    const identity = requireIdentity(relay);
    const { terminalId } = verifyTerminalToken(apiSecret, identity.storeCode, req.get('authorization'));
    // Non-negative whole numbers (or null where the terminal cannot measure): they are shown at HQ.
    const body = parsed();
    relay.terminalHealth.set(terminalId, { terminalId, lastSeenAt: new Date().toISOString(), pendingUp: body.pendingUp ?? null, dbSizeBytes: body.dbSizeBytes ?? null });
    return { ok: true as const };
  });
  on('GET /api/v1/terminals', async ({ req }) => {
    verifyManagerToken(apiSecret, store(), req.get('authorization'), 'terminals.manage');
    return (await listTerminals(couch)).map(publicTerminal);
  });
  on('DELETE /api/v1/terminals/:id', async ({ req, params, body }) => {
    const { userId } = verifyManagerToken(apiSecret, store(), req.get('authorization'), 'terminals.manage');
    body();
    const terminalId = params.id;
    // Terminal ids are T1, T2, ...: anything else is not found, and never reaches CouchDB as an odd id.
    if (!/^T[0-9]{1,4}$/.test(terminalId)) throw notFound('terminal_not_found', `No terminal ${terminalId.slice(0, 20)}.`);
    const t = await unpairTerminal(couch, terminalId, userId);
    log.info('terminal.unpaired', { terminal: t.terminalId, by: userId });
    await relay.audit('terminal.unpair', storeUserActor(userId), relayTerminalRecordId(t.terminalId), req.ip);
    return publicTerminal(t);
  });
  return r;
}
