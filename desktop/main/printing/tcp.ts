// Network receipt printers on raw TCP (port 9100, "JetDirect"): no driver, no protocol, the bytes are the job.
// The printer answers real-time status requests on the same socket, which is how "out of paper" is told apart
// from "printed". Raw TCP gives no acknowledgement of the job itself: a written job means the printer's TCP
// stack took it.
import net from 'node:net';
import type { PaperStatus } from '../../shared/ipc';
import { failureFromSocketError, PAPER_STATUS_REQUEST, parsePaperStatus, PrinterFailure } from './status';
import type { PrinterLink, Transport } from './transport';

export const DEFAULT_RAW_PORT = 9100;
// After our FIN, how long to wait for the printer to close its side before dropping the socket. Closing with
// unread bytes from the printer would send a reset, and a reset can discard job bytes still in flight.
const CLOSE_GRACE_MS = 1000;

/** Opens a raw TCP connection; refused or unreachable is 'offline', no connection within `timeoutMs` is 'timeout'. */
export function openTcp(host: string, port: number, timeoutMs: number): Promise<PrinterLink> {
  const where = `${host}:${port}`;
  return new Promise<PrinterLink>((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new PrinterFailure('timeout', `${where}: no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(failureFromSocketError(err, where));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true); // a 3-byte status request must leave at once
      resolve(tcpLink(socket, where));
    });
  });
}

function tcpLink(socket: net.Socket, where: string): PrinterLink {
  let received: number[] = [];
  let broken: PrinterFailure | null = null;
  let notify: (() => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    received.push(...chunk);
    notify?.();
  });
  socket.on('error', (err) => {
    broken = failureFromSocketError(err, where);
    notify?.();
  });
  socket.on('close', () => {
    broken ??= new PrinterFailure('io_error', `${where}: the printer closed the connection`);
    notify?.();
  });

  return {
    paperStatus(timeoutMs: number): Promise<PaperStatus> {
      if (broken) return Promise.reject(broken);
      received = []; // bytes from before the request (automatic status back) are not its answer
      return new Promise<PaperStatus>((resolve, reject) => {
        const done = (fn: () => void): void => {
          clearTimeout(timer);
          notify = null;
          fn();
        };
        const timer = setTimeout(
          () => done(() => reject(new PrinterFailure('timeout', `${where}: no answer to the paper status request within ${timeoutMs} ms`))),
          timeoutMs,
        );
        timer.unref();
        notify = () => {
          for (const b of received) {
            const status = parsePaperStatus(b);
            if (status) return done(() => resolve(status));
          }
          if (broken) {
            const failure = broken;
            done(() => reject(failure));
          }
        };
        socket.write(PAPER_STATUS_REQUEST);
      });
    },

    write(bytes: Uint8Array, timeoutMs: number): Promise<void> {
      if (broken) return Promise.reject(broken);
      return new Promise<void>((resolve, reject) => {
        // The callback fires once the bytes are handed to the OS; a printer that stops reading fills the
        // socket buffers and the callback never comes, hence the timer.
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new PrinterFailure('timeout', `${where}: the printer did not take the job within ${timeoutMs} ms`));
        }, timeoutMs);
        timer.unref();
        socket.write(bytes, (err) => {
          clearTimeout(timer);
          if (err) reject(failureFromSocketError(err, where));
          else resolve();
        });
      });
    },

    close(): Promise<void> {
      return new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        const timer = setTimeout(() => {
          socket.destroy();
          resolve();
        }, CLOSE_GRACE_MS);
        timer.unref();
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.end();
      });
    },
  };
}

/** The raw TCP transport. It cannot enumerate printers; the settings page probes a host:port instead. */
export const tcpTransport: Transport<'network'> = {
  kind: 'network',
  open: (conn, timeoutMs) => openTcp(conn.host, conn.port, timeoutMs),
  discover: () => Promise.resolve([]),
};
