// Structured logs: one event per line with time, level, component and event name. JSON lines when stderr
// goes to a file or a log shipper (so `grep` and jq can follow a store's story without parsing prose); a
// short human-readable line when a person watches a terminal. LOG_FORMAT=json|pretty forces one or the other.
import type { LogLevelName } from './config';

const ORDER: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(component: string): Logger;
}

export type LogSink = (line: string) => void;
export type LogFormat = 'json' | 'pretty';

const stderrSink: LogSink = (line) => process.stderr.write(line + '\n');

function serialise(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}

/**
 * The format for stderr: LOG_FORMAT when set (`json` or `pretty`), else pretty on a terminal and JSON lines
 * otherwise (a service manager, a pipe, a file).
 */
export function logFormatFor(env: NodeJS.ProcessEnv = process.env, isTty: boolean = Boolean(process.stderr.isTTY)): LogFormat {
  const wanted = (env.LOG_FORMAT ?? '').trim().toLowerCase();
  if (wanted === 'json' || wanted === 'pretty') return wanted;
  if (wanted && wanted !== 'auto') throw new Error(`LOG_FORMAT must be json, pretty or auto, got "${env.LOG_FORMAT}"`);
  return isTty ? 'pretty' : 'json';
}

const LEVEL_LABEL: Record<LogLevelName, string> = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR' };

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (value && typeof value === 'object' && 'message' in value && 'name' in value) return JSON.stringify(`${String(value.name)}: ${String(value.message)}`);
  return JSON.stringify(value) ?? String(value);
}

/** One event as a person reads it: `12:03:04.512 WARN  relay.S001 sync.error job=catalog-down type=…`. */
export function prettyLine(entry: { time: string; level: LogLevelName; component: string; event: string } & LogFields): string {
  const { time, level, component, event, stack, ...rest } = entry;
  const fields = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${prettyValue(v)}`)
    .join(' ');
  const head = `${time.slice(11, 23)} ${LEVEL_LABEL[level]} ${component} ${event}${fields ? ' ' + fields : ''}`;
  // A stack is only logged with an unexpected error: indented under its line so it reads as one event.
  return typeof stack === 'string' ? `${head}\n    ${stack.split('\n').slice(1).join('\n    ').trim()}` : head;
}

/**
 * Creates a logger for events at or above `level`. With the default sink (stderr) the format follows
 * LOG_FORMAT / the terminal; a given sink receives JSON lines unless a format is named.
 */
export function createLogger(component: string, level: LogLevelName = 'info', sink?: LogSink, format?: LogFormat): Logger {
  const min = ORDER[level];
  const out = sink ?? stderrSink;
  const fmt = format ?? (sink ? 'json' : logFormatFor());
  const write = (lvl: LogLevelName, event: string, fields?: LogFields) => {
    if (ORDER[lvl] < min) return;
    const entry = { time: new Date().toISOString(), level: lvl, component, event, ...serialise(fields) };
    out(fmt === 'pretty' ? prettyLine(entry) : JSON.stringify(entry));
  };
  return {
    debug: (e, f) => write('debug', e, f),
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
    child: (sub) => createLogger(`${component}.${sub}`, level, out, fmt),
  };
}

/** A logger that keeps lines in memory: for tests that assert what was logged. */
export function memoryLogger(component = 'test'): Logger & { lines: LogFields[] } {
  const lines: LogFields[] = [];
  const logger = createLogger(component, 'debug', (line) => lines.push(JSON.parse(line) as LogFields));
  return Object.assign(logger, { lines });
}
