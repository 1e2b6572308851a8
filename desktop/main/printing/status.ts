// Real-time paper status (ESC/POS `DLE EOT 4`) and the typed failure the transports throw. The status request is
// a query, not receipt content, and the encoder has no command for it: the three bytes are the documented
// request, and the answer is parsed here.
import type { HardwareErrorCode, PaperStatus } from '../../shared/ipc';

/** DLE EOT 4: "transmit roll paper sensor status", answered at once even while the printer is busy or offline. */
export const PAPER_STATUS_REQUEST = Uint8Array.of(0x10, 0x04, 0x04);

/**
 * Reads one DLE EOT 4 answer byte. Bits 1 and 4 are always set and bits 0 and 7 clear, which tells an answer
 * apart from other bytes a printer may send (automatic status back); null for such a byte.
 * Bits 2-3 set: paper near its end; bits 5-6 set: paper end.
 */
export function parsePaperStatus(byte: number): Exclude<PaperStatus, 'unknown'> | null {
  if ((byte & 0x93) !== 0x12) return null;
  if ((byte & 0x60) !== 0) return 'out';
  if ((byte & 0x0c) !== 0) return 'low';
  return 'ok';
}

/** A printer problem with the code the cashier's message is chosen by, and the technical detail. */
export class PrinterFailure extends Error {
  constructor(
    readonly code: HardwareErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'PrinterFailure';
  }
}

const OFFLINE_ERRNO = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
const BROKEN_ERRNO = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** A Node socket error as a PrinterFailure: refused or unreachable is "off", a reset mid-job is an I/O error. */
export function failureFromSocketError(err: unknown, where: string): PrinterFailure {
  if (err instanceof PrinterFailure) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : '';
  const message = err instanceof Error ? err.message : String(err);
  if (OFFLINE_ERRNO.has(code)) return new PrinterFailure('offline', `${where}: ${message}`);
  if (code === 'ETIMEDOUT') return new PrinterFailure('timeout', `${where}: ${message}`);
  if (BROKEN_ERRNO.has(code)) return new PrinterFailure('io_error', `${where}: ${message}`);
  return new PrinterFailure('io_error', `${where}: ${message}`);
}
