// Test support: a receipt printer on 127.0.0.1 (a free port) that behaves like a raw-TCP ESC/POS printer.
// It records every byte each connection sent, answers DLE EOT 4 with a configurable status byte (or never), and
// closes its side when the client does, as printers on port 9100 do.
import net from 'node:net';
import { PAPER_STATUS_REQUEST } from './status';

export interface TestPrinter {
  readonly port: number;
  /** The bytes of each finished connection, in order. */
  readonly jobs: Uint8Array[];
  /** The most jobs that were ever in progress at once (accepted, and the client not yet finished sending). */
  maxOpen(): number;
  close(): Promise<void>;
}

export const STATUS_PAPER_OK = 0x12;
export const STATUS_PAPER_LOW = 0x1e; // bits 2-3: near end
export const STATUS_PAPER_OUT = 0x72; // bits 5-6: paper end

function countRequests(data: readonly number[]): number {
  const [a, b, c] = PAPER_STATUS_REQUEST;
  let n = 0;
  for (let i = 0; i + 2 < data.length; i++) if (data[i] === a && data[i + 1] === b && data[i + 2] === c) n++;
  return n;
}

/** Starts a printer; `status: 'never'` accepts connections and reads, but never answers a status request. */
export async function startTestPrinter(opts: { status?: number | 'never' } = {}): Promise<TestPrinter> {
  const status = opts.status ?? STATUS_PAPER_OK;
  const jobs: Uint8Array[] = [];
  const sockets = new Set<net.Socket>();
  let sending = 0;
  let maxOpen = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    sending++;
    maxOpen = Math.max(maxOpen, sending);
    let ended = false;
    const received: number[] = [];
    let answered = 0;
    socket.on('data', (chunk: Uint8Array) => {
      received.push(...chunk);
      if (status === 'never') return;
      // Real-time commands are answered as soon as they arrive, however many came.
      const asked = countRequests(received);
      for (; answered < asked; answered++) socket.write(Uint8Array.of(status));
    });
    socket.on('end', () => {
      // The client's FIN: its job is complete. Counted here, not on 'close', which may come after the client has
      // already moved on to its next job.
      ended = true;
      sending--;
      socket.end();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (!ended) sending--; // dropped without a FIN (a client that gave up)
      sockets.delete(socket);
      jobs.push(Uint8Array.from(received));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test printer has no TCP address');
  return {
    port: address.port,
    jobs,
    maxOpen: () => maxOpen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released), for "the printer is off". */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}
