// The embedded CouchDB-compatible server that `caja hq` and `caja relay` start when COUCHDB_URL is unset:
// PouchDB 9 on LevelDB behind express-pouchdb, with a front layer that makes it answer like a CouchDB 3.5
// configured from couchdb/*/local.ini — JWTs (and Basic for configured admins), no admin party, per-database `_security`,
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
// Durability: as on CouchDB, a write is answered only once it is on disk: the answer to every write request
// waits for an fsync of the LevelDB logs it wrote, shared by concurrent requests (group commit, durable.ts);
// durability.test.ts checks the path and survival of SIGKILL. CAJA_COUCH_FSYNC=off is for measuring only.
import type { AddressInfo } from 'node:net';
import { createContext, getDb, type EmbeddedCouch, type EmbeddedCouchOptions } from './context';
import { createCouchServer, requestListener } from './front';
import { requestInProcess, takes } from './inProcess';
import { listen, logUnhandledRejections, shutdown } from './lifecycle';

export { adminToken } from './jwt';
export type { EmbeddedCouch, EmbeddedCouchOptions } from './context';

export async function startEmbeddedCouch(opts: EmbeddedCouchOptions): Promise<EmbeddedCouch> {
  const host = opts.host ?? '127.0.0.1';
  const ctx = await createContext(opts);
  const server = createCouchServer(ctx);
  const inProcess = requestListener(ctx);
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
    reader: (dbName) => {
      if (!ctx.dbNames.has(dbName)) throw new Error(`no database ${dbName} on this server`);
      return getDb(ctx, dbName);
    },
    takes,
    request: (call) => requestInProcess(inProcess, call),
    close: () => (closing ??= shutdown(ctx, server, port, stopGuard)),
  };
}
