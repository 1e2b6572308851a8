// What the relay adds to the shared health answer (GET /api/v1/health, served by server-kit/http.ts's
// apiApp): its store, provisioning state and whether HQ still accepts its credential.
import type { Relay } from './context';

/** The relay's fields of the health answer. */
export function relayHealthExtra(relay: Relay): Record<string, unknown> {
  const refused = relay.hqRefusal();
  return {
    store: relay.identity?.storeCode ?? null,
    provision: relay.provision.state,
    // Provisioned but refused by HQ (revoked): the tills keep selling, but nothing reaches HQ until an
    // operator provisions the relay again (README "Operator recovery").
    hq: relay.identity ? { credential: refused ? 'refused' : 'ok', ...(refused ? { refusal: refused } : {}) } : null,
    // Where a till opened over plain http on the LAN finds the secure address it needs offline (server-kit/tls.ts).
    httpsPort: relay.httpsPort,
  };
}

/** Problems that make the relay `degraded`: HQ refusing its credential. */
export function relayHealthProblems(relay: Relay): string[] {
  return relay.hqRefusal() ? ['hq_credential_refused'] : [];
}
