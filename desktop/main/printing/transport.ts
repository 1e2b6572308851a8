// What a printer connection must offer: open, ask for the paper status, write bytes, close. The job logic (status
// first, drawer kick even when the paper is out, one job at a time) lives once in printer.ts on top of this, so
// the TCP, USB and Windows transports stay small and each failure maps to the same cashier message.
import type { DiscoveredPrinter, PaperStatus, PrinterConnection } from '../../shared/ipc';

export type ConnectionOf<K extends PrinterConnection['transport']> = Extract<PrinterConnection, { transport: K }>;

/** An open connection to one printer. Methods throw PrinterFailure; close never throws. */
export interface PrinterLink {
  /** DLE EOT 4 answer; 'unknown' when this link cannot read answers (a write-only port). */
  paperStatus(timeoutMs: number): Promise<PaperStatus>;
  write(bytes: Uint8Array, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface Transport<K extends PrinterConnection['transport']> {
  readonly kind: K;
  open(conn: ConnectionOf<K>, timeoutMs: number): Promise<PrinterLink>;
  /** Printers this transport can list; [] where it cannot list (it throws PrinterFailure when listing failed). */
  discover(): Promise<DiscoveredPrinter[]>;
}

export interface Transports {
  network: Transport<'network'>;
  usb: Transport<'usb'>;
  windows: Transport<'windows'>;
}

/** Rejects with `onTimeout()` unless `work` settles within `ms`; the timer never keeps the process alive. */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
