// Durable small files (a relay's identity, a terminal registry): written to a temporary file, fsynced and
// renamed over the old one, so a crash or full disk leaves either the old or the new file, never half.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

/** Writes JSON atomically and durably. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(value, null, 2));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

/** Reads JSON, or null when the file does not exist. */
export async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
