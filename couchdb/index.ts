// The embedded CouchDB-compatible server that `caja hq` and `caja relay` start when COUCHDB_URL is unset:
// PouchDB 9 on LevelDB behind express-pouchdb, with a front layer that makes it answer like a CouchDB 3.5
// configured from couchdb/*/local.ini — JWT only, no admin party, per-database `_security`,
// validate_doc_update on every write, a complete `_changes` — so Caja's one code path works on both.
//
// Split of work: front.ts parses the raw request path once (http.ts parseRequestPath), authenticates,
// enforces the body limit and CORS, and routes; serverRoutes.ts, dbRoutes.ts and docRoutes.ts authorize
// every route from those segments and answer themselves whatever writes documents or follows changes
// (writes.ts, changes.ts), `_local` documents, plus the server endpoints CouchDB has and express-pouchdb
// lacks (`_up`, `_session`, `_active_tasks`, `_scheduler/jobs`, `_security`). Reads (`_all_docs`, views,
// `_find`, `_bulk_get`, `_revs_diff`, attachments) go to express-pouchdb (context.ts) in its
// `minimumForPouchDB` mode plus `routes/find`, which writes no config or log files anywhere, always with
// `req.url` rewritten to the canonical form of the path that was authorized. lifecycle.ts starts and stops.
//
// Document ids come from the path on every route that names one (PUT, DELETE, attachments, `_local`); a
// body `_id` that differs is a 400. Only POST /{db} and _bulk_docs take ids from the body, and writeDocs
// applies the same rules there (design documents: server admins only).
//
// Durability: an acknowledged write has been handed to LevelDB, whose default (non-sync) write has
// written the log record into the OS page cache with write(2) before the callback returns. That survives
// kill -9 of this process (the kernel still flushes the page cache), which compat.test.ts checks; it does
// not survive power loss or a kernel crash the way CouchDB's fsync per commit does. PouchDB exposes no
// per-write sync option, and a till's data also lives on the terminal, so we accept that.
import type { AddressInfo } from 'node:net';
import { createContext, type EmbeddedCouch, type EmbeddedCouchOptions } from './context';
import { createCouchServer } from './front';
import { listen, logUnhandledRejections, shutdown } from './lifecycle';

export { adminToken } from './jwt';
export type { EmbeddedCouch, EmbeddedCouchOptions } from './context';

export async function startEmbeddedCouch(opts: EmbeddedCouchOptions): Promise<EmbeddedCouch> {
  const host = opts.host ?? '127.0.0.1';
  const ctx = await createContext(opts);
  const server = createCouchServer(ctx);
  const stopGuard = logUnhandledRejections(ctx.log);
  await listen(server, opts.port, host);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  ctx.log('info', 'couchdb.started', { port, dataDir: ctx.dataDir });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    tasks: ctx.tasks,
    close: () => (closing ??= shutdown(ctx, server, port, stopGuard)),
  };
}
