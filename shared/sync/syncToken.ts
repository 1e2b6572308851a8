// The store provisioning ("sync") token of the design's provisioning contract: one string a person copies
// from the HQ console to the relay. It encodes the store, HQ's URL and a one-time secret; HQ keeps only a
// hash of the secret, so a leaked HQ database does not leak usable tokens.
import { isStoreCode } from '../model/ids';

export const SYNC_TOKEN_PREFIX = 'caja1.';

export interface SyncTokenPayload {
  store: string; // store code
  hq: string; // HQ API base URL
  id: string; // token id: regenerating replaces it, which revokes the previous token
  secret: string; // base64url, 32 random bytes
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Encodes a sync token. */
export function encodeSyncToken(payload: SyncTokenPayload): string {
  return SYNC_TOKEN_PREFIX + toBase64Url(JSON.stringify(payload));
}

/** Decodes a sync token, or returns null when it is not one (malformed, truncated, wrong prefix). */
export function decodeSyncToken(token: string): SyncTokenPayload | null {
  const trimmed = token.trim();
  if (!trimmed.startsWith(SYNC_TOKEN_PREFIX)) return null;
  try {
    const value = JSON.parse(fromBase64Url(trimmed.slice(SYNC_TOKEN_PREFIX.length))) as Record<string, unknown>;
    const { store, hq, id, secret } = value;
    if (typeof store !== 'string' || typeof hq !== 'string' || typeof id !== 'string' || typeof secret !== 'string') return null;
    if (!isStoreCode(store) || !/^https?:\/\//.test(hq) || secret.length < 20) return null;
    return { store, hq, id, secret };
  } catch {
    return null;
  }
}
