// Structured logs: one JSON line per event with time, level, component and event name, so a log
// shipper (or `grep`) can follow a store's story without parsing prose.
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

const stderrSink: LogSink = (line) => process.stderr.write(line + '\n');

function serialise(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}

/** Creates a logger writing JSON lines for events at or above `level`. */
export function createLogger(component: string, level: LogLevelName = 'info', sink: LogSink = stderrSink): Logger {
  const min = ORDER[level];
  const write = (lvl: LogLevelName, event: string, fields?: LogFields) => {
    if (ORDER[lvl] < min) return;
    sink(JSON.stringify({ time: new Date().toISOString(), level: lvl, component, event, ...serialise(fields) }));
  };
  return {
    debug: (e, f) => write('debug', e, f),
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
    child: (sub) => createLogger(`${component}.${sub}`, level, sink),
  };
}

/** A logger that keeps lines in memory: for tests that assert what was logged. */
export function memoryLogger(component = 'test'): Logger & { lines: LogFields[] } {
  const lines: LogFields[] = [];
  const logger = createLogger(component, 'debug', (line) => lines.push(JSON.parse(line) as LogFields));
  return Object.assign(logger, { lines });
}
