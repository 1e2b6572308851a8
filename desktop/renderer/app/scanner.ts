// Barcode scanners are keyboard wedges: they type the code and press Enter, a character every 5-30 ms.
// A person cannot keep a key every 60 ms for six keys, so a burst of at least MIN_LENGTH characters, each within MAX_GAP_MS of the
// last, ended by Enter, is a scan — on any screen, whatever has the focus. The burst's characters are taken back
// out of the field they landed in, so a scan never leaves digits in a search box or a PIN field.
import { useEffect, useRef } from 'react';

export const MAX_GAP_MS = 60;
/** The gap after the first character may be longer: that keystroke is the one that starts work (a search). */
export const FIRST_GAP_MS = 150;
export const MIN_LENGTH = 6;

interface Burst {
  chars: string;
  last: number;
  /** The field the burst typed into and its value before the first character. */
  field: HTMLInputElement | HTMLTextAreaElement | null;
  before: string;
}

/** The keystroke-timing detector, apart from the DOM so its rules can be reasoned about (and tested) alone. */
export class ScanDetector {
  private burst: Burst | null = null;

  constructor(private readonly onScan: (code: string) => void) {}

  /** Feeds one keydown; returns true when it ended a scan (the caller then stops the Enter from acting). */
  key(e: { key: string; timeStamp: number; target: EventTarget | null; ctrlKey: boolean; altKey: boolean; metaKey: boolean }): boolean {
    if (e.ctrlKey || e.altKey || e.metaKey) {
      this.burst = null;
      return false;
    }
    if (e.key === 'Enter') {
      const b = this.burst;
      this.burst = null;
      if (b && b.chars.length >= MIN_LENGTH && e.timeStamp - b.last <= MAX_GAP_MS) {
        if (b.field && b.field.value.endsWith(b.chars)) setFieldValue(b.field, b.before);
        this.onScan(b.chars);
        return true;
      }
      return false;
    }
    if (e.key.length !== 1) {
      if (e.key !== 'Shift') this.burst = null;
      return false;
    }
    const field = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement ? e.target : null;
    const b = this.burst;
    if (b && e.timeStamp - b.last <= (b.chars.length === 1 ? FIRST_GAP_MS : MAX_GAP_MS) && b.field === field) {
      b.chars += e.key;
      b.last = e.timeStamp;
    } else {
      this.burst = { chars: e.key, last: e.timeStamp, field, before: field?.value ?? '' };
    }
    return false;
  }
}

/** Sets a field's value so React sees it (React tracks the value through the native setter and 'input' events). */
function setFieldValue(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const proto = field instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Listens for scans on the whole window while mounted. */
export function useBarcodeScanner(onScan: (code: string) => void): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  });
  useEffect(() => {
    const detector = new ScanDetector((code) => handler.current(code));
    const listener = (e: KeyboardEvent) => {
      if (detector.key(e)) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    };
    // Capture phase: the scan is seen before the focused field's own Enter handler (a form submit, a search).
    window.addEventListener('keydown', listener, true);
    return () => window.removeEventListener('keydown', listener, true);
  }, []);
}
