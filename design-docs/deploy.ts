// Design documents as code: compiles the folders under design-docs/ into design document JSON and installs
// them over the plain CouchDB HTTP API, idempotently (a content hash in `caja_hash`; an unchanged ddoc gets
// no new revision, because any change to a design document rebuilds every view in it).
//
// Layout: `<folder>/<ddoc>/views/<view>/map.js` (+ `reduce.js`: `_sum`, `_count`, `_stats` or a function),
// `<folder>/<ddoc>/filters/<name>.js`, `<folder>/<ddoc>/validate_doc_update.js`. Each database kind gets the
// ddocs of the folders listed in KIND_FOLDERS; a JS file holds exactly one function expression (comments
// before it are stripped, because PouchDB evaluates `return <source>`, where a leading comment line would
// end the statement).
import { createHash } from 'node:crypto';
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

async function couch(url: string, authHeader: string, method: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: { Authorization: authHeader, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
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

/**
 * Installs or updates the design documents of `dbKind` in `dbName` (which must exist). A ddoc whose stored
 * `caja_hash` equals the compiled one is left alone, so repeated deploys write no revision. A concurrent
 * deploy (409) is resolved by re-reading once.
 */
export async function deployDesignDocs(couchUrl: string, dbName: string, dbKind: DbKind, authHeader: string): Promise<DeployResult> {
  const docs = await compileDesignDocs(dbKind);
  const result: DeployResult = { db: dbName, created: [], updated: [], unchanged: [] };
  const dbUrl = couchUrl.replace(/\/+$/, '') + '/' + encodeURIComponent(dbName);
  for (const ddoc of docs) {
    const docUrl = dbUrl + '/' + ddoc._id; // `_design/<name>`: the slash must stay unencoded
    for (let attempt = 0; ; attempt++) {
      const current = await couch(docUrl, authHeader, 'GET');
      if (current.status !== 200 && current.status !== 404) {
        throw new Error('reading ' + dbName + '/' + ddoc._id + ': ' + current.status + ' ' + JSON.stringify(current.json));
      }
      const exists = current.status === 200;
      if (exists && current.json.caja_hash === ddoc.caja_hash) {
        result.unchanged.push(ddoc._id);
        break;
      }
      const body: DesignDoc = exists ? { ...ddoc, _rev: String(current.json._rev) } : ddoc;
      const put = await couch(docUrl, authHeader, 'PUT', body);
      if (put.status === 201 || put.status === 202) {
        (exists ? result.updated : result.created).push(ddoc._id);
        break;
      }
      if (put.status === 409 && attempt === 0) continue;
      throw new Error('writing ' + dbName + '/' + ddoc._id + ': ' + put.status + ' ' + JSON.stringify(put.json));
    }
  }
  return result;
}
