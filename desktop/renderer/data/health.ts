// A terminal's health report to its relay, which forwards it to HQ with the next heartbeat, so HQ sees a
// till that stopped syncing: when it was last seen, how many documents wait to go up, how big its
// database is. Renderer code: the typed relay client (shared/api/client.ts) over fetch.
import type { Pairing } from './terminalSync';
import { createClient } from '../../../shared/api/client';
import type { RelayApi } from '../../../shared/api/routes';

export interface HealthSample {
  /** Documents written locally and not yet pushed (local update_seq minus the last pushed seq). */
  pendingUp: number | null;
  /** Bytes the local database uses (navigator.storage.estimate() in the browser; null where unknown). */
  dbSizeBytes: number | null;
}

/** Local documents not yet pushed, from the local update sequence and the push replication's last seq. */
export function pendingUp(localUpdateSeq: number | string, lastPushedSeq: number | string | null): number | null {
  const local = Number(localUpdateSeq);
  const pushed = lastPushedSeq === null ? 0 : Number(lastPushedSeq);
  return Number.isFinite(local) && Number.isFinite(pushed) ? Math.max(0, local - pushed) : null;
}

/** Sends one health report; returns false (never throws) when the relay cannot be reached. */
export async function reportHealth(pairing: Pairing, token: () => Promise<string>, sample: HealthSample, fetchImpl: typeof fetch = fetch): Promise<boolean> {
  try {
    await createClient<RelayApi>(pairing.relayUrl, { fetch: fetchImpl }).send('POST /api/v1/terminals/health', { body: sample, token: await token() });
    return true;
  } catch {
    return false;
  }
}
