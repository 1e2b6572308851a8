// Pairing a terminal with its store's relay, and keeping the pairing on this device. The pairing (with the
// terminal's secret) is what lets the till start with no network: it is read before anything else, from
// localStorage, which every shell offers synchronously.
import type { Pairing } from './terminalSync';
import { createClient } from '../../../shared/api/client';
import { ApiError } from '../../../shared/api/errors';
import type { PairAnswer } from '../../../shared/api/responses';
import type { RelayApi } from '../../../shared/api/routes';

const KEY = 'caja.pairing.v1';

/** What the relay answers to POST /api/v1/terminals/pair (the relay's route map). */

export interface StoredPairing extends Pairing {
  name: string | null;
  pairedAt: string;
}

/** How the terminal is paired: a manager's username and PIN, or a six-digit code a manager generated. */
export type PairWith = { username: string; pin: string } | { code: string };

/** A refusal from the relay (its error table: `{error, reason}`), or `network` when it could not be reached. */
export interface PairError {
  code: string;
  reason: string;
  status: number | null;
}

function isStoredPairing(v: unknown): v is StoredPairing {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return ['storeCode', 'terminalId', 'secret', 'relayUrl', 'couchdbUrl', 'db'].every((k) => typeof p[k] === 'string');
}

/** The pairing kept on this device, or null when the terminal was never paired (or the record is damaged). */
export function loadPairing(storage: Storage = localStorage): StoredPairing | null {
  try {
    const raw = storage.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return isStoredPairing(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function savePairing(p: StoredPairing, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify(p));
}

/** A relay URL as typed: trimmed, no trailing slash, http(s) only; null when it is not one. */
export function normaliseRelayUrl(text: string): string | null {
  try {
    const u = new URL(text.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

/** Pairs this terminal with the relay; the answer is kept by the caller once the first sync can start. */
export async function pairWithRelay(
  relayUrl: string,
  how: PairWith,
  name: string,
  fetchImpl: typeof fetch = fetch,
): Promise<{ ok: true; pairing: StoredPairing } | { ok: false; error: PairError }> {
  let body: PairAnswer;
  try {
    const relay = createClient<RelayApi>(relayUrl, { fetch: fetchImpl });
    body = (await relay.send('POST /api/v1/terminals/pair', { body: { ...how, ...(name.trim() ? { name: name.trim() } : {}) } })).body;
  } catch (err) {
    // A refusal carries the relay's code from the error table; anything else is the network.
    if (err instanceof ApiError) return { ok: false, error: { code: err.code, reason: err.message, status: err.status } };
    return { ok: false, error: { code: 'network', reason: err instanceof Error ? err.message : String(err), status: null } };
  }
  return {
    ok: true,
    pairing: {
      storeCode: body.storeCode,
      terminalId: body.terminalId,
      secret: body.secret,
      couchdbUrl: body.couchdbUrl,
      db: body.db,
      relayUrl,
      name: body.name,
      pairedAt: new Date().toISOString(),
    },
  };
}
