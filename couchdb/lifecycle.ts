// Starting and stopping the embedded server: listening, guarding the process against express-pouchdb's
// stray promise rejections while it runs, and a shutdown that always returns and leaves no LevelDB open.
import type http from 'node:http';
import { isPlainObject } from './http';
import type { Log, ServerContext } from './context';

/**
 * express-pouchdb's callback-era code has promise chains without a catch; Node 20 would end the process
 * on such a rejection. While the server runs, log them instead: one client request must never take a
 * relay down. Returns the function that stops doing so.
 */
export function logUnhandledRejections(log: Log): () => void {
  const onRejection = (reason: unknown) => log('error', 'couchdb.unhandled_rejection', { error: reason instanceof Error ? reason.stack : String(reason) });
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}

export function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops the HTTP side: live feeds end, idle connections close, busy ones get two seconds. */
async function stopServing(ctx: ServerContext, server: http.Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const stop of [...ctx.feeds]) stop();
  server.closeIdleConnections();
  // In-flight requests get a moment to finish; then connections are cut so close() always returns.
  const deadline = setTimeout(() => server.closeAllConnections(), 2_000);
  await closed;
  clearTimeout(deadline);
}

/**
 * Closes every open database and its view-index databases (listed in each database's
 * _local/_pouch_dependentDbs): a LevelDB left open keeps its LOCK, and the next process on this dataDir
 * could not open it.
 */
async function closeDatabases(ctx: ServerContext): Promise<void> {
  const closeOne = (name: string, db: PouchDB.Database) => db.close().catch((err: unknown) => ctx.log('warn', 'couchdb.close_failed', { db: name, error: String(err) }));
  for (const [name, db] of ctx.dbCache) {
    const deps = (await db.get('_local/_pouch_dependentDbs').catch(() => null)) as { dependentDbs?: unknown } | null;
    const depNames = deps && isPlainObject(deps.dependentDbs) ? Object.keys(deps.dependentDbs) : [];
    for (const depName of depNames) await closeOne(depName, new ctx.Pouch(depName));
    await closeOne(name, db);
  }
  ctx.dbCache.clear();
}

/** The whole shutdown, in order: HTTP, databases, sandbox, the rejection guard. */
export async function shutdown(ctx: ServerContext, server: http.Server, port: number, stopGuard: () => void): Promise<void> {
  await stopServing(ctx, server);
  await closeDatabases(ctx);
  ctx.sandbox.close();
  stopGuard();
  ctx.log('info', 'couchdb.stopped', { port });
}
