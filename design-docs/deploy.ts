// Design documents as code: compiles the folders under design-docs/ into design document JSON and installs
// them over the plain CouchDB HTTP API, idempotently (a content hash in `caja_hash`; an unchanged ddoc gets
// no new revision, because any change to a design document rebuilds every view in it).
//
// Layout: `<folder>/<ddoc>/views/<view>/map.js` (+ `reduce.js`: `_sum`, `_count`, `_stats` or a function),
// `<folder>/<ddoc>/filters/<name>.js`, `<folder>/<ddoc>/validate_doc_update.js`. Each database kind gets the
// ddocs of the folders listed in KIND_FOLDERS; a JS file holds exactly one function expression (comments
// before it are stripped, because PouchDB evaluates `return <source>`, where a leading comment line would
// end the statement).
//
// Installing is warm (design "Reports": design documents are deployed warm): a new or changed view over a
// database that holds documents is built under a staging id first and switched to once built, so no user
// query waits for an index build (a 100k-product catalog takes over a minute per view on the embedded
// server). warmDatabase and warmInBackground build the views of databases whose documents arrived after their
// design documents, for a server's start.
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { DbKind } from '../shared/model/access';

export type { DbKind };

const ROOT = dirname(fileURLToPath(import.meta.url));
const REPO = dirname(ROOT);

/** Which folders make up the design documents of each database kind. */
export const KIND_FOLDERS: Record<DbKind, readonly string[]> = {
  catalog: ['common', 'catalog'],
  'hq-store': ['common', 'store', 'hq-store'],
  'relay-store': ['common', 'store', 'relay-store'],
  reports: ['reports'],
};

/** The placeholder in validate_doc_update.js replaced by the bundled validator expression. */
const VALIDATOR_PLACEHOLDER = 'CAJA_VALIDATOR';

export interface ViewDef {
  map: string;
  reduce?: string;
}

export interface DesignDoc {
  _id: string;
  _rev?: string;
  language: 'javascript';
  views?: Record<string, ViewDef>;
  filters?: Record<string, string>;
  validate_doc_update?: string;
  caja_kind: DbKind;
  caja_hash: string;
}

export interface DeployResult {
  db: string;
  created: string[];
  updated: string[];
  unchanged: string[];
}

/** Strips leading comments and whitespace and a trailing semicolon, leaving one function expression. */
export function functionSource(text: string, file: string): string {
  let s = text;
  for (;;) {
    s = s.replace(/^\s+/, '');
    if (s.startsWith('//')) {
      const nl = s.indexOf('\n');
      s = nl < 0 ? '' : s.slice(nl + 1);
    } else if (s.startsWith('/*')) {
      const end = s.indexOf('*/');
      s = end < 0 ? '' : s.slice(end + 2);
    } else break;
  }
  s = s.replace(/;?\s*$/, '');
  if (!s.startsWith('function')) throw new Error(file + ': must hold one function expression');
  return s;
}

function reduceSource(text: string, file: string): string {
  const t = text.trim();
  if (t === '_sum' || t === '_count' || t === '_stats' || t === '_approx_count_distinct') return t;
  return functionSource(text, file);
}

function dirs(path: string): string[] {
  if (!existsSync(path)) return [];
  return readdirSync(path)
    .filter((n) => statSync(join(path, n)).isDirectory())
    .sort();
}

let validatorPromise: Promise<string> | null = null;

/** The shared validator (shared/model/access.ts and what it imports) bundled as one ES2017 IIFE expression. */
export function bundledValidator(): Promise<string> {
  if (!validatorPromise) {
    validatorPromise = build({
      entryPoints: [join(REPO, 'shared/model/access.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: '__caja',
      target: 'es2017',
      platform: 'neutral',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    }).then((out) => {
      const code = out.outputFiles[0]?.text;
      if (!code) throw new Error('esbuild produced no validator bundle');
      // The IIFE declares `var __caja = ...`; wrapping it makes an expression usable inside a function body.
      return '(function(){' + code + ';return __caja;})()';
    });
    validatorPromise.catch(() => {
      validatorPromise = null; // a failed build is retried on the next call instead of being cached
    });
  }
  return validatorPromise;
}

function hashOf(doc: Omit<DesignDoc, 'caja_hash' | '_rev'>): string {
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex').slice(0, 32);
}

async function compileDdoc(kind: DbKind, folder: string, name: string): Promise<DesignDoc> {
  const base = join(ROOT, folder, name);
  const body: Omit<DesignDoc, 'caja_hash' | '_rev'> = { _id: '_design/' + name, language: 'javascript', caja_kind: kind };
  const viewNames = dirs(join(base, 'views'));
  if (viewNames.length > 0) {
    body.views = {};
    for (const v of viewNames) {
      const mapFile = join(base, 'views', v, 'map.js');
      const reduceFile = join(base, 'views', v, 'reduce.js');
      const def: ViewDef = { map: functionSource(readFileSync(mapFile, 'utf8'), mapFile) };
      if (existsSync(reduceFile)) def.reduce = reduceSource(readFileSync(reduceFile, 'utf8'), reduceFile);
      body.views[v] = def;
    }
  }
  const filterDir = join(base, 'filters');
  if (existsSync(filterDir)) {
    body.filters = {};
    for (const f of readdirSync(filterDir).filter((n) => n.endsWith('.js')).sort()) {
      body.filters[f.slice(0, -3)] = functionSource(readFileSync(join(filterDir, f), 'utf8'), join(filterDir, f));
    }
  }
  const vdu = join(base, 'validate_doc_update.js');
  if (existsSync(vdu)) {
    const src = functionSource(readFileSync(vdu, 'utf8'), vdu);
    if (src.indexOf(VALIDATOR_PLACEHOLDER) < 0) throw new Error(vdu + ': missing ' + VALIDATOR_PLACEHOLDER);
    const bundle = await bundledValidator();
    // A function replacement, so `$` sequences in the bundle are not read as replacement patterns.
    body.validate_doc_update = src.replace(VALIDATOR_PLACEHOLDER, () => bundle);
  }
  return { ...body, caja_hash: hashOf(body) };
}

const compiled = new Map<DbKind, Promise<DesignDoc[]>>();

/** The design documents of a database kind, compiled once per process. */
export function compileDesignDocs(kind: DbKind): Promise<DesignDoc[]> {
  let p = compiled.get(kind);
  if (!p) {
    p = (async () => {
      const docs: DesignDoc[] = [];
      const seen = new Set<string>();
      for (const folder of KIND_FOLDERS[kind]) {
        for (const name of dirs(join(ROOT, folder))) {
          if (seen.has(name)) throw new Error('design document ' + name + ' defined twice for ' + kind);
          seen.add(name);
          docs.push(await compileDdoc(kind, folder, name));
        }
      }
      return docs;
    })();
    p.catch(() => compiled.delete(kind));
    compiled.set(kind, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------------------
// Installing: warm switches and background warming.
// ---------------------------------------------------------------------------------------------------------

/** An `Authorization` header value, or a function giving a current one (a token may expire during a build). */
export type AuthHeader = string | (() => string);

/** Where deploys and warming report progress and problems (HQ passes its logger). */
export type DeployLog = (level: 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown>) => void;

export interface DeployOptions {
  log?: DeployLog;
  /** Longest wait for one design document's views to build (default one hour). */
  buildTimeoutMs?: number;
  /** Stops waiting (the server may go on building what it started). */
  signal?: AbortSignal;
  /** Called once a new version's views are built under `staging`, before the switch (for tests and tools). */
  beforeSwitch?: (ddocId: string, staging: string) => Promise<void> | void;
}

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

/** Separates a design document's name from the hash of the views its staging copy builds. */
const STAGING_SEPARATOR = '__';
const STAGING_ID = /^_design\/.+__[0-9a-f]{8}$/;
/** Deploys racing each other over one design document re-read it at most this many times. */
const MAX_ATTEMPTS = 5;
const DEFAULT_BUILD_TIMEOUT_MS = 3_600_000;
/** Pause before asking again about a view whose request failed (a dropped connection, a timeout). */
const RETRY_PAUSE_MS = 1000;

async function couch(url: string, auth: AuthHeader, method: string, body?: unknown, signal?: AbortSignal): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: typeof auth === 'function' ? auth() : auth,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { error: 'not_json', reason: text.slice(0, 200) };
  }
  return { status: res.status, json };
}

/** JSON with object keys sorted, so two copies of a definition compare equal whatever key order a server kept. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** What a view index is built from: on CouchDB the index signature, on PouchDB each view's map + reduce. */
function viewsKey(doc: { language?: unknown; views?: unknown }): string {
  return canonical({ language: doc.language ?? 'javascript', views: doc.views ?? {} });
}

/** The id a version of `ddoc`'s views is built under before the switch: `_design/<name>__<hash of the views>`. */
export function stagingId(ddoc: Pick<DesignDoc, '_id' | 'language' | 'views'>): string {
  return ddoc._id + STAGING_SEPARATOR + createHash('sha256').update(viewsKey(ddoc)).digest('hex').slice(0, 8);
}

/** Whether a design document id is a staging copy (never queried by the application). */
export function isStagingId(id: string): boolean {
  return STAGING_ID.test(id);
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Queries every view of the design document `ddocId` with limit=0 until each answers, which is when its index
 * is up to date (CouchDB and PouchDB both bring a view up to date before answering; reduce views are read
 * with reduce=false, or PouchDB would reduce every row). A request that fails (a timeout during a long
 * build) is asked again: the server keeps building. Returns false when the design document or a view of it
 * is not there (404), e.g. removed by a concurrent deploy.
 */
async function buildViews(dbUrl: string, auth: AuthHeader, ddocId: string, views: Record<string, ViewDef>, opts: DeployOptions): Promise<boolean> {
  const deadline = Date.now() + (opts.buildTimeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS);
  for (const [name, def] of Object.entries(views)) {
    const url = `${dbUrl}/${ddocId}/_view/${encodeURIComponent(name)}?limit=0${def.reduce ? '&reduce=false' : ''}`;
    for (;;) {
      opts.signal?.throwIfAborted();
      let res: Answer | null = null;
      try {
        res = await couch(url, auth, 'GET', undefined, opts.signal);
      } catch (err) {
        opts.signal?.throwIfAborted();
        if (Date.now() > deadline) throw new Error(`building ${ddocId}/${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (res?.status === 200) break;
      if (res?.status === 404) return false;
      if (res) throw new Error(`building ${ddocId}/${name}: ${res.status} ${JSON.stringify(res.json)}`);
      await pause(RETRY_PAUSE_MS, opts.signal);
    }
  }
  return true;
}

/** The database's design document ids and revisions, and whether it holds any other document. */
async function designState(dbUrl: string, auth: AuthHeader, signal?: AbortSignal): Promise<{ revs: Map<string, string>; hasDocs: boolean }> {
  const info = await couch(dbUrl, auth, 'GET', undefined, signal);
  if (info.status !== 200) throw new Error(`reading ${dbUrl.slice(dbUrl.lastIndexOf('/') + 1)}: ${info.status} ${JSON.stringify(info.json)}`);
  const params = new URLSearchParams({ startkey: JSON.stringify('_design/'), endkey: JSON.stringify('_design0') });
  const list = await couch(`${dbUrl}/_all_docs?${params.toString()}`, auth, 'GET', undefined, signal);
  const rows = (list.json.rows ?? []) as Array<{ id: string; value: { rev: string } }>;
  return { revs: new Map(rows.map((r) => [r.id, r.value.rev])), hasDocs: Number(info.json.doc_count ?? 0) > rows.length };
}

/** Deletes a design document if it is still there (another deploy may have deleted it first). */
async function removeDoc(dbUrl: string, auth: AuthHeader, id: string, rev: string | undefined, signal?: AbortSignal): Promise<void> {
  let current = rev;
  if (!current) {
    const got = await couch(`${dbUrl}/${id}`, auth, 'GET', undefined, signal);
    if (got.status !== 200) return;
    current = String(got.json._rev);
  }
  await couch(`${dbUrl}/${id}?rev=${encodeURIComponent(current)}`, auth, 'DELETE', undefined, signal);
}

/**
 * Builds `ddoc`'s views under its staging id: a design document with the same views (no validate function,
 * no filters), queried until built. Returns its id, or null when it vanished meanwhile (a concurrent deploy
 * finished the switch and removed it): the caller looks again.
 */
async function stage(dbUrl: string, db: string, ddoc: DesignDoc, auth: AuthHeader, opts: DeployOptions): Promise<string | null> {
  const id = stagingId(ddoc);
  const body = { _id: id, language: ddoc.language, views: ddoc.views, caja_staging_for: ddoc._id, caja_hash: ddoc.caja_hash };
  const put = await couch(`${dbUrl}/${id}`, auth, 'PUT', body, opts.signal);
  // 409: a concurrent deploy staged the same views (the id is their hash) and is building them too.
  if (put.status !== 201 && put.status !== 202 && put.status !== 409) throw new Error(`staging ${db}/${id}: ${put.status} ${JSON.stringify(put.json)}`);
  const t0 = Date.now();
  opts.log?.('info', 'designdocs.building', { db, ddoc: ddoc._id, staging: id });
  if (!(await buildViews(dbUrl, auth, id, ddoc.views ?? {}, opts))) return null;
  opts.log?.('info', 'designdocs.built', { db, ddoc: ddoc._id, staging: id, ms: Date.now() - t0 });
  return id;
}

/**
 * After the switch: the real design document's views are queried once (instant: the index is the staging
 * copy's, shared by signature on CouchDB and by map/reduce source on PouchDB, which also records it under the
 * real name, so a later `_view_cleanup` keeps it), then the staging copy is deleted. The old version's index
 * stays on disk until an operator runs `_view_cleanup` (CouchDB; the embedded server does not answer it).
 * Failures here are logged: the switch is done.
 */
async function retire(dbUrl: string, db: string, ddoc: DesignDoc, staging: string, auth: AuthHeader, opts: DeployOptions): Promise<void> {
  try {
    await buildViews(dbUrl, auth, ddoc._id, ddoc.views ?? {}, opts);
    await removeDoc(dbUrl, auth, staging, undefined, opts.signal);
  } catch (err) {
    opts.log?.('warn', 'designdocs.retire_failed', { db, ddoc: ddoc._id, staging, error: err instanceof Error ? err.message : String(err) });
  }
}

/** The stored design document `id` of the database at `dbUrl` (named `db` in errors), or null when there is none. */
async function readDesignDoc(dbUrl: string, db: string, id: string, auth: AuthHeader, signal?: AbortSignal): Promise<Record<string, unknown> | null> {
  const current = await couch(dbUrl + '/' + id, auth, 'GET', undefined, signal); // `_design/<name>`: the slash stays unencoded
  if (current.status === 404) return null;
  if (current.status !== 200) throw new Error('reading ' + db + '/' + id + ': ' + current.status + ' ' + JSON.stringify(current.json));
  return current.json;
}

/**
 * Whether installing `ddoc` over `current` (null: not there) builds views first: new or changed views over
 * existing documents. A ddoc already installed (same `caja_hash`) builds nothing; a change of the validate
 * function or the filters only, or any change in an empty database, switches at once.
 */
function buildsViews(ddoc: DesignDoc, current: Record<string, unknown> | null, hasDocs: boolean): boolean {
  if (current && current.caja_hash === ddoc.caja_hash) return false;
  return ddoc.views !== undefined && hasDocs && (!current || viewsKey(current) !== viewsKey(ddoc));
}

/** Installs one design document (see deployDesignDocs); says which list of the result it belongs in. */
async function deployOne(dbUrl: string, db: string, ddoc: DesignDoc, auth: AuthHeader, hasDocs: boolean, opts: DeployOptions): Promise<'created' | 'updated' | 'unchanged'> {
  const docUrl = dbUrl + '/' + ddoc._id; // `_design/<name>`: the slash must stay unencoded
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await readDesignDoc(dbUrl, db, ddoc._id, auth, opts.signal);
    if (current && current.caja_hash === ddoc.caja_hash) return 'unchanged';
    const warm = buildsViews(ddoc, current, hasDocs);
    const staging = warm ? await stage(dbUrl, db, ddoc, auth, opts) : null;
    if (warm && !staging) continue;
    if (staging) await opts.beforeSwitch?.(ddoc._id, staging);
    const put = await couch(docUrl, auth, 'PUT', current ? { ...ddoc, _rev: String(current._rev) } : ddoc, opts.signal);
    if (put.status === 201 || put.status === 202) {
      if (staging) await retire(dbUrl, db, ddoc, staging, auth, opts);
      return current ? 'updated' : 'created';
    }
    if (put.status !== 409) throw new Error('writing ' + db + '/' + ddoc._id + ': ' + put.status + ' ' + JSON.stringify(put.json));
    // 409: another deploy wrote it meanwhile; look again.
  }
  throw new Error(`writing ${db}/${ddoc._id}: still changing after ${MAX_ATTEMPTS} attempts`);
}

/**
 * Installs or updates the design documents of `dbKind` in `dbName` (which must exist). A ddoc whose stored
 * `caja_hash` equals the compiled one is left alone, so repeated deploys write no revision. A ddoc whose
 * views are new or changed, in a database that holds documents, is deployed warm (design "Reports"): its
 * views are built under a staging id (`_design/<name>__<hash8>`) while the old version keeps answering, then
 * the real `_design/<name>` is written with the same view definitions, which reuses that index at once
 * (CouchDB shares an index between design documents with the same signature; the embedded server's PouchDB
 * keys an index by its map and reduce source), and the staging copy is deleted. So the call returns only
 * once every view it installed is built. Concurrent deploys are safe: they share the staging copy and its
 * build, and a 409 on the real document is resolved by re-reading it. Staging copies a crashed deploy left
 * behind are removed.
 */
export async function deployDesignDocs(couchUrl: string, dbName: string, dbKind: DbKind, authHeader: AuthHeader, opts: DeployOptions = {}): Promise<DeployResult> {
  const docs = await compileDesignDocs(dbKind);
  const result: DeployResult = { db: dbName, created: [], updated: [], unchanged: [] };
  const dbUrl = couchUrl.replace(/\/+$/, '') + '/' + encodeURIComponent(dbName);
  const { revs, hasDocs } = await designState(dbUrl, authHeader, opts.signal);
  const current = new Set(docs.map((d) => stagingId(d)));
  for (const [id, rev] of revs) {
    if (isStagingId(id) && !current.has(id) && docs.some((d) => id.startsWith(d._id + STAGING_SEPARATOR))) {
      opts.log?.('info', 'designdocs.staging_removed', { db: dbName, staging: id });
      await removeDoc(dbUrl, authHeader, id, rev, opts.signal);
    }
  }
  for (const ddoc of docs) result[await deployOne(dbUrl, dbName, ddoc, authHeader, hasDocs, opts)].push(ddoc._id);
  return result;
}

/**
 * Whether deploying `dbKind`'s design documents in `dbName` would build views first (a new or changed view over
 * existing documents: an upgrade), which takes as long as reading every document; false when the deploy only
 * writes (nothing changed, an empty database, a validator or filter change). A server deploys at once what is
 * quick and builds the rest while it answers (hq/jobs/reportViews.ts).
 */
export async function needsBuild(couchUrl: string, dbName: string, dbKind: DbKind, authHeader: AuthHeader): Promise<boolean> {
  const dbUrl = couchUrl.replace(/\/+$/, '') + '/' + encodeURIComponent(dbName);
  const { hasDocs } = await designState(dbUrl, authHeader);
  if (!hasDocs) return false;
  for (const ddoc of await compileDesignDocs(dbKind)) {
    if (ddoc.views === undefined) continue;
    if (buildsViews(ddoc, await readDesignDoc(dbUrl, dbName, ddoc._id, authHeader), hasDocs)) return true;
  }
  return false;
}

/**
 * Brings every view of `dbKind`'s design documents in `dbName` up to date (see buildViews), so no user query
 * builds one. For a database whose documents arrived after its design documents (a bulk load, a restore,
 * replication while nobody looked). Returns how many views answered and how long it took.
 */
export async function warmDatabase(
  couchUrl: string,
  dbName: string,
  dbKind: DbKind,
  authHeader: AuthHeader,
  opts: DeployOptions & { /** Only these design documents (names without `_design/`); default all. */ only?: readonly string[] } = {},
): Promise<{ db: string; views: number; ms: number }> {
  const t0 = Date.now();
  const dbUrl = couchUrl.replace(/\/+$/, '') + '/' + encodeURIComponent(dbName);
  let views = 0;
  for (const ddoc of await compileDesignDocs(dbKind)) {
    if (!ddoc.views || (opts.only && !opts.only.includes(ddoc._id.slice('_design/'.length)))) continue;
    if (await buildViews(dbUrl, authHeader, ddoc._id, ddoc.views, opts)) views += Object.keys(ddoc.views).length;
    else opts.log?.('warn', 'designdocs.warm_missing', { db: dbName, ddoc: ddoc._id });
  }
  return { db: dbName, views, ms: Date.now() - t0 };
}

/** A database to warm, and whether to deploy its kind's design documents (warm) first. */
export interface WarmTarget {
  db: string;
  kind: DbKind;
  deploy?: boolean;
}

export interface Warming {
  /** Settles when every target is done (or stopping ended it); never rejects. */
  done: Promise<void>;
  /** Stops after the request in flight (a server shutting down). */
  stop(): void;
}

/**
 * Deploys (when asked) and warms the targets one database after another, in the background: for a server's
 * start, so it listens at once and its views are built before users ask for them. Progress and failures are
 * logged, never thrown; one database failing does not stop the others.
 */
export function warmInBackground(couchUrl: string, authHeader: AuthHeader, targets: () => Promise<WarmTarget[]> | WarmTarget[], log: DeployLog, opts: Omit<DeployOptions, 'log' | 'signal'> = {}): Warming {
  const controller = new AbortController();
  const signal = controller.signal;
  // Every request of a warm-up (thousands over a chain's databases) listens on this one signal; fetch lets go of
  // its listener only when the request is collected, so Node's leak warning (at 1,500) would be a false alarm.
  setMaxListeners(0, signal);
  const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
  const done = (async () => {
    const t0 = Date.now();
    let list: WarmTarget[];
    try {
      list = await targets();
    } catch (err) {
      log('error', 'designdocs.warm_failed', { error: message(err) });
      return;
    }
    let views = 0;
    let failed = 0;
    for (const target of list) {
      if (signal.aborted) break;
      try {
        if (target.deploy) {
          const deployed = await deployDesignDocs(couchUrl, target.db, target.kind, authHeader, { ...opts, log, signal });
          if (deployed.created.length || deployed.updated.length) log('info', 'designdocs.deployed', { ...deployed });
        }
        views += (await warmDatabase(couchUrl, target.db, target.kind, authHeader, { ...opts, log, signal })).views;
      } catch (err) {
        if (signal.aborted) break;
        failed += 1;
        log('error', 'designdocs.warm_failed', { db: target.db, error: message(err) });
      }
    }
    log('info', signal.aborted ? 'designdocs.warming_stopped' : 'designdocs.warmed', { dbs: list.length, views, failed, ms: Date.now() - t0 });
  })();
  return { done, stop: () => controller.abort() };
}
