// GET /api/v1/sync/status: what an operator at the store looks at first — provisioning and the last
// refusal, the replication jobs in CouchDB's `_active_tasks` shape, the heartbeat, the tills, recent errors.
import { Router } from 'express';
import { mountRoutes } from '../../server-kit/apiRoutes';
import { activeTaskOf } from '../../server-kit/replication/job';
import { RELAY_API } from '../../shared/api/routes';
import type { Relay } from './context';

export function syncStatusRoutes(relay: Relay): Router {
  const r = Router();
  const on = mountRoutes(RELAY_API, r);
  on('GET /api/v1/sync/status', () => ({
    store: relay.identity?.storeCode ?? null,
    provision: relay.provision,
    lastProvisionError: relay.lastProvisionError,
    tokenError: relay.tokens?.lastError ?? null,
    jobs: relay.jobs.map((j) => activeTaskOf(j.snapshot(), j.pid)),
    heartbeat: { lastSentAt: relay.heartbeat?.lastSentAt ?? null, lastError: relay.heartbeat?.lastError ?? null, refused: relay.heartbeat?.refused ?? null, unacknowledgedErrors: relay.outbox?.size ?? 0 },
    terminals: [...relay.terminalHealth.values()],
    errors: relay.errors.slice(-50),
  }));
  return r;
}
