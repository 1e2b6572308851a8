// POST /api/v1/provision: presenting a sync token to the relay. A fresh relay is provisioned from its own
// machine or with its setup code; a provisioned one only with the setup code (an operator's action), never
// by whoever reaches the API on the LAN.
import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { forbidden } from '../../server-kit/errors';
import { RELAY_API } from '../../shared/api/routes';
import { isLoopback, setupCodeMatches } from '../services/setupCode';
import type { Relay } from './context';

export function provisioningRoutes(relay: Relay): Router {
  const r = Router();
  const on = mountRoutes(RELAY_API, r);
  on('POST /api/v1/provision', async ({ req, body: parsed }) => {
    const body = parsed();
    const local = !relay.identity && isLoopback(req.socket.remoteAddress);
    if (!local && !setupCodeMatches(relay.setupCode, body.setupCode)) {
      relay.log.warn('relay.provision_refused', { from: req.socket.remoteAddress, provisioned: relay.identity !== null });
      throw forbidden('setup_code_required', `Provisioning ${relay.identity ? 'a provisioned relay' : 'from another machine'} needs this relay's setup code (printed at start, and in ${relay.cfg.dataDir}/setup-code).`);
    }
    await relay.provisionWith(body.token, { changeHq: body.changeHq === true });
    return { store: relay.identity?.storeCode, provision: relay.provision };
  });
  return r;
}
