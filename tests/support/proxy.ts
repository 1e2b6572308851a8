// Test support: a TCP proxy on 127.0.0.1 standing for the WAN between a store relay and HQ. Cutting it
// resets every open connection and every new one (what a dropped uplink looks like to a client once the
// kernel gives up), restoring lets connections through again, and flapping alternates the two on a seeded,
// reproducible schedule. The upstream may be down (HQ killed): the client connection is then reset too.
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

export interface FlapOptions {
  /** How long the flapping lasts; the proxy is left up afterwards. */
  durationMs: number;
  /** Range of each up period, ms. */
  upMs: [number, number];
  /** Range of each down period, ms. */
  downMs: [number, number];
  /** Seed of the schedule, so a failing run can be replayed exactly. */
  seed: number;
}

/** mulberry32: a tiny deterministic PRNG (the schedule must be reproducible from the seed). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function reset(socket: Socket): void {
  // RST rather than FIN: an abrupt loss, so the client sees an error, not a clean end of response.
  if (!socket.destroyed) socket.resetAndDestroy();
}

export class TcpProxy {
  private up = true;
  private readonly pairs = new Set<[Socket, Socket]>();
  /** Connections accepted, and connections reset by a cut or a dead upstream. */
  readonly stats = { accepted: 0, reset: 0, cuts: 0 };

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** Starts a proxy on 127.0.0.1:`listenPort` (0 = free port) forwarding to 127.0.0.1:`targetPort`. */
  static start(targetPort: number, listenPort = 0): Promise<TcpProxy> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(listenPort, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve(new TcpProxy(server, port, { host: '127.0.0.1', port: targetPort }));
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Open proxied connections. */
  get open(): number {
    return this.pairs.size;
  }

  private accept(client: Socket): void {
    this.stats.accepted += 1;
    if (!this.up) {
      this.stats.reset += 1;
      return reset(client);
    }
    client.setNoDelay(true);
    const upstream = createConnection({ host: this.target.host, port: this.target.port });
    upstream.setNoDelay(true);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const drop = () => {
      if (!this.pairs.delete(pair)) return;
      this.stats.reset += 1;
      reset(client);
      reset(upstream);
    };
    // Errors on either side end both: a half-open pair would hang the client until its own timeout.
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Cuts the link: every open connection is reset, and new ones are reset on arrival. */
  cut(): void {
    if (this.up) this.stats.cuts += 1;
    this.up = false;
    for (const pair of [...this.pairs]) {
      this.pairs.delete(pair);
      this.stats.reset += 1;
      reset(pair[0]);
      reset(pair[1]);
    }
  }

  /** Restores the link for new connections. */
  restore(): void {
    this.up = true;
  }

  /**
   * Alternates cut and restore on a seeded schedule for `durationMs`, then leaves the link up. Resolves with
   * the number of cuts. The loop is bounded by the duration and by the minimum period (>= 1 ms each way).
   */
  async flap(opts: FlapOptions, also: TcpProxy[] = []): Promise<{ cuts: number }> {
    const rand = seededRandom(opts.seed);
    const span = ([lo, hi]: [number, number]) => Math.max(1, Math.round(lo + rand() * (hi - lo)));
    const all = [this, ...also];
    const end = Date.now() + opts.durationMs;
    let cuts = 0;
    // Bounded: each iteration takes at least 2 ms, and the loop stops at the deadline.
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, Math.min(span(opts.upMs), Math.max(1, end - Date.now()))));
      if (Date.now() >= end) break;
      for (const p of all) p.cut();
      cuts += 1;
      await new Promise((r) => setTimeout(r, span(opts.downMs)));
      for (const p of all) p.restore();
    }
    for (const p of all) p.restore();
    return { cuts };
  }

  /** Stops listening and resets every open connection. */
  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
