// Barcode scanners are keyboard wedges: they type the code and press Enter, a character every 5-30 ms.
// A person cannot keep a key every 60 ms for six keys, so a burst of at least MIN_LENGTH characters, each within MAX_GAP_MS of the
// last, ended by Enter, is a scan — on any screen, whatever has the focus. The burst's first characters are taken
// back out of the field they landed in, and the rest never reach it (HOLD_AFTER), so a scan never leaves digits in
// a search box or a PIN field.
import { useEffect, useRef } from 'react';

export const MAX_GAP_MS = 60;
/** The gap after the first character may be longer: that keystroke is the one that starts work (a search). */
export const FIRST_GAP_MS = 150;
export const MIN_LENGTH = 6;
/**
 * After this many characters at a scanner's pace, the burst's further characters are held back from the field
 * (their keydown is cancelled): each one typed into a field costs the page a keypress, an input event and
 * React's handling of both, which a 13-digit scan would pay 9 more times before its Enter is even seen. Held
 * characters are typed into the field after all if the burst turns out not to be a scan (a pause, another key,
 * an Enter too early): a fast typist sees them a moment late, never lost.
 */
export const HOLD_AFTER = 4;
/** Held characters go into the field when no key of their burst came for this long (a person stopped typing). */
export const RELEASE_AFTER_MS = 250;

/** The text field a key event landed in, if any. */
export type Field = Pick<HTMLInputElement, 'value'>;

function domField(target: EventTarget | null): Field | null {
  return typeof HTMLInputElement !== 'undefined' && (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) ? target : null;
}

interface Burst {
  chars: string;
  last: number;
  /** The field the burst typed into and its value before the first character. */
  field: Field | null;
  before: string;
  /** How many of the last characters were held back from the field. */
  held: number;
}

/** What the listener does with a keydown: nothing, cancel it (a held character), or cancel it (a scan's Enter). */
export type KeyVerdict = 'pass' | 'hold' | 'scan';

/** The keystroke-timing detector, apart from the DOM's listeners so its rules can be tested alone. */
export class ScanDetector {
  private burst: Burst | null = null;
  private releaseTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly onScan: (code: string) => void,
    /** Sets a field's text so the app sees it (the DOM's setter and input event; a test's own). */
    private readonly typeInto: (field: Field, value: string) => void = setFieldValue,
    private readonly fieldOf: (target: EventTarget | null) => Field | null = domField,
  ) {}

  /** Feeds one keydown; 'hold' and 'scan' mean the caller cancels the key (and stops it reaching anyone else). */
  key(e: { key: string; timeStamp: number; target: EventTarget | null; ctrlKey: boolean; altKey: boolean; metaKey: boolean }): KeyVerdict {
    this.clearTimer();
    if (e.ctrlKey || e.altKey || e.metaKey) {
      this.end();
      return 'pass';
    }
    if (e.key === 'Enter') {
      const b = this.burst;
      if (b && b.chars.length >= MIN_LENGTH && e.timeStamp - b.last <= MAX_GAP_MS) {
        this.burst = null;
        const landed = b.chars.slice(0, b.chars.length - b.held);
        if (b.field && b.field.value === b.before + landed) this.typeInto(b.field, b.before);
        this.onScan(b.chars);
        return 'scan';
      }
      this.end();
      return 'pass';
    }
    if (e.key.length !== 1) {
      if (e.key !== 'Shift') this.end();
      return 'pass';
    }
    const field = this.fieldOf(e.target);
    const b = this.burst;
    if (b && e.timeStamp - b.last <= (b.chars.length === 1 ? FIRST_GAP_MS : MAX_GAP_MS) && b.field === field) {
      b.chars += e.key;
      b.last = e.timeStamp;
      if (b.chars.length > HOLD_AFTER) {
        b.held += 1;
        // A burst that stops here without an Enter was a person: its characters go into the field. The burst
        // itself goes on: this timer runs on the page's clock, and a busy page can run it before the next key of
        // a scan, queued with its own time stamp a few milliseconds after this one, is handled.
        this.releaseTimer = setTimeout(() => this.release(), RELEASE_AFTER_MS);
        return 'hold';
      }
      return 'pass';
    }
    this.end();
    this.burst = { chars: e.key, last: e.timeStamp, field, before: field?.value ?? '', held: 0 };
    return 'pass';
  }

  /** Ends the burst; characters held back from its field are typed into it after all. */
  private end(): void {
    this.clearTimer();
    this.release();
    this.burst = null;
  }

  /**
   * Types the burst's held characters into its field, and keeps the burst: if a next key comes within the gap
   * after all, it still goes on, and a scan's Enter takes every character it typed back out of the field.
   */
  private release(): void {
    const b = this.burst;
    if (!b || b.held === 0) return;
    if (b.field) this.typeInto(b.field, b.field.value + b.chars.slice(b.chars.length - b.held));
    b.held = 0;
  }

  private clearTimer(): void {
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
  }

  /** Stops listening: held characters are released. */
  dispose(): void {
    this.end();
  }
}

/** Sets a field's value so React sees it (React tracks the value through the native setter and 'input' events). */
function setFieldValue(target: Field, value: string): void {
  const field = target as HTMLInputElement | HTMLTextAreaElement;
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
      if (detector.key(e) !== 'pass') {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    };
    // Capture phase: the scan is seen before the focused field's own Enter handler (a form submit, a search).
    window.addEventListener('keydown', listener, true);
    return () => {
      window.removeEventListener('keydown', listener, true);
      detector.dispose();
    };
  }, []);
}
