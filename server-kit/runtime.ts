// Where a running HQ or relay can be reached on this machine, kept in its data folder while it runs
// (`DATA_DIR/runtime.json`): the embedded CouchDB listens on a free loopback port chosen at each start, so the
// operator's tools (`caja couch-url`, `caja admin reset-password`, `caja relay unlock-pin`) read it here
// instead of asking the operator to copy it from a log. Holds no secret.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { readJson, writeJsonAtomic } from './files';

export interface RuntimeInfo {
  component: 'hq' | 'relay';
  pid: number;
  /** The API's listening URL. */
  apiUrl: string;
  /** The CouchDB this process uses (embedded on 127.0.0.1, or COUCHDB_URL without credentials). */
  couchdbUrl: string;
  embedded: boolean;
  startedAt: string;
}

export const runtimeFile = (dataDir: string) => path.join(dataDir, 'runtime.json');

/** Records where this process listens; returns a function that removes the record at shutdown. */
export async function writeRuntime(dataDir: string, info: Omit<RuntimeInfo, 'pid' | 'startedAt'>): Promise<() => Promise<void>> {
  const record: RuntimeInfo = { ...info, pid: process.pid, startedAt: new Date().toISOString() };
  await writeJsonAtomic(runtimeFile(dataDir), record);
  return async () => {
    const current = await readJson<RuntimeInfo>(runtimeFile(dataDir)).catch(() => null);
    // Only our own record: a newer process on the same folder may have replaced it.
    if (current?.pid === process.pid && current.startedAt === record.startedAt) await rm(runtimeFile(dataDir), { force: true });
  };
}

/** The record of the process running on `dataDir`, or null when none runs (a stale record is ignored). */
export async function readRuntime(dataDir: string): Promise<RuntimeInfo | null> {
  const info = await readJson<RuntimeInfo>(runtimeFile(dataDir)).catch(() => null);
  if (!info || typeof info.pid !== 'number') return null;
  try {
    // Signal 0 checks that the process exists without touching it.
    process.kill(info.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return null;
  }
  return info;
}
