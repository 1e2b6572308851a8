// A JSON request for the CLI's checks and benches and for tests: status and body, never a throw on a status.

const IDEMPOTENT = new Set(['GET', 'HEAD']);

function closedUnderUs(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}

/** JSON over HTTP, returning status and body without throwing (a non-JSON body comes back as `{raw}`). */
export async function jsonRequest<T = Record<string, unknown>>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const init: RequestInit = {
    method,
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  };
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    // A kept-alive connection the server closed just as this request went out (its idle timer and our send
    // raced, typically after a long synchronous stretch): browsers retry such idempotent requests once, so do we.
    if (!IDEMPOTENT.has(method.toUpperCase()) || !closedUnderUs(err)) throw err;
    res = await fetch(url, init);
  }
  const text = await res.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed as T };
}
