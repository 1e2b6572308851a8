// POST /api/v1/auth/login at a relay: a manager's PIN (checked against the replicated hash, with the tills'
// lockout) for a 30-minute session of this relay.
import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { RELAY_API } from '../../shared/api/routes';
import { RELAY_STORE_DB } from '../../shared/model/names';
import { signManagerToken, verifyManager } from '../services/terminals';
import type { Relay } from './context';
import { requireIdentity } from './context';

export function authRoutes(relay: Relay): Router {
  const r = Router();
  const on = mountRoutes(RELAY_API, r);
  on('POST /api/v1/auth/login', async ({ body: parsed }) => {
    const identity = requireIdentity(relay);
    const body = parsed();
    const user = await verifyManager(relay.couch, RELAY_STORE_DB, body.username, body.pin, 'terminals.manage');
    return { token: signManagerToken(relay.secrets.api, identity.storeCode, user), user: { id: user.userId, username: user.username, permissions: user.permissions } };
  });
  return r;
}
