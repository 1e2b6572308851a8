// Support for the security-review limit tests (hq/limits.test.ts, store-relay/limits.test.ts): JSON over HTTP
// from a chosen loopback address with its round-trip time, and the counts and medians their bursts and timing
// comparisons assert on.
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:http';

export interface Answer<T> {
  status: number;
  body: T;
  headers: IncomingHttpHeaders;
  /** Round-trip time seen by the client. */
  ms: number;
}

/** JSON over HTTP from a chosen local address, on a connection of its own (a burst is truly parallel). */
export function callFrom<T>(url: string, method: string, body?: unknown, opts: { from?: string; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const started = performance.now();
    const req = request(
      url,
      {
        method,
        agent: false,
        ...(opts.from ? { localAddress: opts.from } : {}),
        headers: { ...(data ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(data)) } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers, ms: performance.now() - started });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

export function countBy<T>(items: T[], key: (t: T) => string | number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[String(key(item))] = (out[String(key(item))] ?? 0) + 1;
  return out;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * A timed pair run back to back, `known` first when `knownFirst`, answered as [known, unknown]. Timing tests
 * alternate the order: the second request of a pair can pay for work the first one set off (the lockout
 * document it rewrote, and what that wakes), and that must not weigh on one side only.
 */
export async function timedPair<K, U>(knownFirst: boolean, known: () => Promise<K>, unknown: () => Promise<U>): Promise<[K, U]> {
  if (knownFirst) {
    const k = await known();
    return [k, await unknown()];
  }
  const u = await unknown();
  return [await known(), u];
}
