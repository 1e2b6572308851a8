// A terminal's data path (the same in Electron and the browser build): its local PouchDB syncs live
// with the relay's `caja-store`, pulling the catalog, its store's documents and a bounded window of
// history, and pushing the transactions it writes. Tokens come from the relay with the terminal's
// credential and are refreshed before they expire, so a live sync survives token turnover.
import { terminalPullSelector } from '../../../shared/sync/selectors';
import type { MangoSelector } from '../../../shared/sync/selectors';
import { TERMINAL_TYPES } from '../../../shared/model/types';
import { ownerOf } from '../../../shared/model/ids';
import { bootstrapSnapshot, confirmLive } from '../../../shared/sync/bootstrap';
import { BACKGROUND_CHECKPOINTS, forgetCheckpoints } from '../../../shared/sync/checkpointCache';
import type { BootstrapResult } from '../../../shared/sync/bootstrap';

export interface Pairing {
  storeCode: string;
  terminalId: string;
  secret: string;
  relayUrl: string;
  couchdbUrl: string;
  db: string;
}

/** Default history kept on a terminal (design: bounded, so IndexedDB never grows without limit). */
export const HISTORY_DAYS = 35;

/**
 * The terminal's two tokens from its relay, fetched together and cached until half their lifetime: `sync`
 * for the relay's replication gateway, `api` for the relay's API (health reports).
 */
export function terminalTokens(pairing: Pairing, fetchImpl: typeof fetch = fetch): { sync: () => Promise<string>; api: () => Promise<string> } {
  let tokens = { sync: '', api: '' };
  let renewAt = 0;
  let inflight: Promise<typeof tokens> | null = null;
  const fetchTokens = async () => {
    const res = await fetchImpl(`${pairing.relayUrl}/api/v1/terminals/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ terminalId: pairing.terminalId, secret: pairing.secret }),
    });
    const body = (await res.json()) as { token?: string; apiToken?: string; expiresAt?: string; error?: string; reason?: string };
    // `code` is the relay's error code (shared/api/errors.ts), so the till can say it in its own language.
    if (!res.ok || !body.token || !body.apiToken || !body.expiresAt) throw Object.assign(new Error(body.reason ?? 'token refused'), { status: res.status, code: body.error });
    tokens = { sync: body.token, api: body.apiToken };
    renewAt = Date.now() + (Date.parse(body.expiresAt) - Date.now()) / 2;
    return tokens;
  };
  const current = async () => {
    if (tokens.sync && Date.now() < renewAt) return tokens;
    inflight ??= fetchTokens().finally(() => {
      inflight = null;
    });
    return inflight;
  };
  return { sync: async () => (await current()).sync, api: async () => (await current()).api };
}

/** The terminal's replication token source (for the relay's gateway). */
export function terminalTokenSource(pairing: Pairing, fetchImpl: typeof fetch = fetch): () => Promise<string> {
  return terminalTokens(pairing, fetchImpl).sync;
}

/**
 * The first business date the terminal pulls: the first day of the month that holds `today - days`
 * (YYYY-MM-DD). PouchDB identifies a replication by its options, selector included, so a start date moving
 * every day would make each day a new replication re-reading the relay's changes from sequence 0; moving it
 * once a month keeps between `days` and `days + 31` days of history.
 */
export function historySince(today: string, days = HISTORY_DAYS): string {
  const t = Date.parse(`${today}T00:00:00Z`) - days * 86400_000;
  return new Date(t).toISOString().slice(0, 8) + '01';
}

/**
 * The PouchDB options of the terminal's two live replications. With its `terminalId`, the push sends the
 * documents this terminal wrote without asking the relay first whether it has them (`_revs_diff`): it cannot
 * (a batch replayed after a crash is dropped by the relay's gateway, or written again as a no-op). What the
 * terminal received and may send back (customers, transfers to this store) is still asked about.
 */
export function terminalSyncOptions(storeCode: string, today: string, terminalId?: string, days = HISTORY_DAYS) {
  const common = { live: true, retry: true, ...BACKGROUND_CHECKPOINTS, back_off_function: (d: number) => (d === 0 ? 250 : Math.min(d * 2, 5000)) };
  const own = terminalId ? { caja_skip_revs_diff: (id: string) => isOwnDoc(id, storeCode, terminalId) } : {};
  return {
    pull: { ...common, batch_size: 1000, batches_limit: 4, selector: terminalPullSelector(storeCode, historySince(today, days)) },
    // Only transaction types go up: what the terminal received from the relay needs no revs_diff round trips.
    push: { ...common, ...own, batch_size: 100, selector: { type: { $in: [...TERMINAL_TYPES] } } },
  };
}

/** True for an id this terminal wrote (ids name their writer, shared/model/ids.ts ownerOf). */
function isOwnDoc(id: string, storeCode: string, terminalId: string): boolean {
  const owner = ownerOf(id);
  return owner.storeId === storeCode && owner.terminalId === terminalId;
}

/** The bootstrap marker of the terminal's pull (`_local/caja-bootstrap:terminal-pull` in its database). */
export const TERMINAL_BOOTSTRAP_ID = 'terminal-pull';

/**
 * First sync of a fresh terminal: copies the relay's current documents that `selector` selects (pages of
 * `_all_docs`, written with their revisions) into `local`, or resumes an interrupted copy. Start the live
 * pull with `since: result.since` when it is defined (see startTerminalPull). A terminal that already took
 * over gets `since: undefined` back at once, so calling this on every start is cheap.
 */
export function bootstrapTerminal(
  local: PouchDB.Database,
  remote: PouchDB.Database,
  selector: MangoSelector,
  opts: { pageSize?: number; signal?: AbortSignal; onDocs?: (docs: Array<Record<string, unknown>>) => void } = {},
): Promise<BootstrapResult> {
  // Pages of 2000: the write side is the terminal's own database (no HTTP body limit, no validation).
  return bootstrapSnapshot(remote, local, {
    id: TERMINAL_BOOTSTRAP_ID,
    selector,
    pageSize: opts.pageSize ?? 2000,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onDocs ? { onDocs: opts.onDocs } : {}),
  });
}

/**
 * Bootstraps if needed, then starts the live pull with `pullOptions` (terminalSyncOptions().pull) from the
 * snapshot's sequence; once it has caught up the first time its own checkpoint takes over.
 */
export async function startTerminalPull(
  local: PouchDB.Database,
  remote: PouchDB.Database,
  pullOptions: PouchDB.Replication.ReplicateOptions & { selector: MangoSelector },
  opts: { signal?: AbortSignal } = {},
): Promise<{ replication: PouchDB.Replication.Replication<object>; bootstrap: BootstrapResult }> {
  const boot = await bootstrapTerminal(local, remote, pullOptions.selector, opts);
  forgetCheckpoints(remote); // a start reads the relay's checkpoint, never a copy (checkpointCache.ts)
  const replication = local.replicate.from(remote, { ...pullOptions, ...(boot.since !== undefined ? { since: boot.since } : {}) });
  if (boot.since !== undefined) {
    const onPaused = (err: unknown) => {
      if (err) return; // a retry pause; wait for a real catch-up
      replication.removeListener('paused', onPaused);
      // If this write fails the next start passes `since` again: a short replay, never a gap.
      confirmLive(local, TERMINAL_BOOTSTRAP_ID).catch(() => undefined);
    };
    replication.on('paused', onPaused);
  }
  return { replication, bootstrap: boot };
}
