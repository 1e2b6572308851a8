// The desktop shell's own settings, in one JSON file in Electron's userData folder (next to the renderer's
// IndexedDB, see README.md): where the renderer comes from, the window mode, the receipt printer. Plain Node, no
// Electron, so it is tested in Node; the path comes from the caller (`app.getPath('userData')` in the shell).
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { PrinterSettings } from '../shared/ipc';
import { DEFAULT_PRINTER_SETTINGS } from '../shared/ipc';
import { readPrinterSettings } from './validate';

export const CONFIG_FILE = 'caja-desktop.json';

export type WindowMode = 'windowed' | 'fullscreen' | 'kiosk';

export interface DesktopConfig {
  /** The store relay, e.g. http://192.168.1.10:5900/ (http or https). */
  relayUrl: string | null;
  /** Load the renderer from the relay instead of the copy packaged with the app. */
  loadFromRelay: boolean;
  windowMode: WindowMode;
  printer: PrinterSettings;
}

export const DEFAULT_CONFIG: DesktopConfig = { relayUrl: null, loadFromRelay: false, windowMode: 'windowed', printer: DEFAULT_PRINTER_SETTINGS };

/** An http(s) URL without credentials, normalised; null for anything else. */
export function parseRelayUrl(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return null;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username !== '' || u.password !== '') return null;
  u.hash = '';
  return u.href;
}

/**
 * Reads a config object section by section: a hand-edited file with one bad field keeps the rest, and the bad
 * field falls back to its default with a problem reported — a till must start even with a typo in its settings.
 */
export function parseDesktopConfig(raw: unknown): { config: DesktopConfig; problems: string[] } {
  const problems: string[] = [];
  const o = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {}; // fields are read as unknown below
  if (o !== raw) problems.push('the file is not a JSON object');
  const config: DesktopConfig = { ...DEFAULT_CONFIG };
  if (o.relayUrl !== undefined && o.relayUrl !== null) {
    const url = parseRelayUrl(o.relayUrl);
    if (url) config.relayUrl = url;
    else problems.push('relayUrl: expected an http or https URL without credentials');
  }
  if (o.loadFromRelay !== undefined) {
    if (typeof o.loadFromRelay === 'boolean') config.loadFromRelay = o.loadFromRelay;
    else problems.push('loadFromRelay: expected true or false');
  }
  if (o.windowMode !== undefined) {
    if (o.windowMode === 'windowed' || o.windowMode === 'fullscreen' || o.windowMode === 'kiosk') config.windowMode = o.windowMode;
    else problems.push('windowMode: expected windowed, fullscreen or kiosk');
  }
  if (o.printer !== undefined) {
    try {
      config.printer = readPrinterSettings(o.printer, 'printer');
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  return { config, problems };
}

/** Reads the config file; a missing file is the defaults, an unreadable one the defaults with a problem. */
export function readConfigFile(file: string): { config: DesktopConfig; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT') return { config: { ...DEFAULT_CONFIG }, problems: [] };
    return { config: { ...DEFAULT_CONFIG }, problems: [`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`] };
  }
  try {
    return parseDesktopConfig(JSON.parse(text));
  } catch (err) {
    return { config: { ...DEFAULT_CONFIG }, problems: [`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`] };
  }
}

// Write to a sibling, flush, rename: a power cut mid-write leaves the old file or the new one, never half of one.
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export interface ConfigStore {
  current(): DesktopConfig;
  setPrinter(settings: PrinterSettings): DesktopConfig;
}

/** The config held in memory and written through to `file` on every change. */
export function createConfigStore(file: string, initial: DesktopConfig): ConfigStore {
  let config = initial;
  return {
    current: () => config,
    setPrinter(settings) {
      const next = { ...config, printer: settings };
      // Synchronous on purpose: a settings save is rare and small, and the file is written before the answer,
      // so "saved" on the settings page means on disk.
      writeAtomically(file, `${JSON.stringify(next, null, 2)}\n`);
      config = next;
      return config;
    },
  };
}
