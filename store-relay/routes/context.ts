// What the relay's route modules share: the running relay (store-relay/server.ts) and the check that it is
// provisioned before anything store-specific is answered.
import { badRequest } from '../../server-kit/errors';
import type { RelayIdentity } from '../services/identity';
import type { Relay } from '../server';

export type { Relay };

/** The relay's identity, or a 400 `not_provisioned` while it has none. */
export function requireIdentity(relay: Pick<Relay, 'identity'>): RelayIdentity {
  if (!relay.identity) throw badRequest('not_provisioned', 'This relay is not provisioned yet: start it with a sync token from HQ.');
  return relay.identity;
}
