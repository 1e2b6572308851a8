// High-entropy secrets Caja issues (sync tokens, store and terminal credentials, refresh tokens) are stored
// as a SHA-256 hash only; PBKDF2 is for what people choose (passwords, PINs), not for 32 random bytes.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Hex SHA-256 of a secret, as stored. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether `secret` matches a stored hex SHA-256 hash, compared in constant time. */
export function matchesHash(secret: string, storedHex: string | undefined | null): boolean {
  const stored = Buffer.from(storedHex ?? '', 'hex');
  const given = Buffer.from(sha256(secret), 'hex');
  return stored.length === given.length && timingSafeEqual(new Uint8Array(stored), new Uint8Array(given));
}
