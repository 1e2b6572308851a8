// Runs the reads of a report (shared/reports/plan.ts) against the roll-up databases, at HQ and at a relay:
// reduced key ranges of the one report view (`_design/reports/_view/rollup`, `_sum`, group=true; the chain's
// ranges from the chain's own roll-up database at HQ, REPORTS_CHAIN_DB, everything else from `caja-reports`) and roll-up
// documents by id (a store's partial months, whose day documents leave their large sections out of the view).
// Reads run a few at a time; every row comes back as shared/reports Row. `couchReportIO` is every read the
// reports make (catalog facts, names, the Z and shift documents), so HQ and a relay differ only in which
// databases they name.
import type { Request, RequestHandler } from 'express';
import type { CouchHandle } from './couch';
import { parse } from '../shared/api/parse';
import { ReportQuery, type ReportAnswer, type ReportName, type ReportQueryInput } from '../shared/api/reports';
import { toCsv } from '../shared/reports/csv';
import { voidId, zreportId } from '../shared/model/ids';
import type { CashMovement, Department, I18nText, Product, Return, Sale, SalesRep, Shift, ShiftClose, TaxRate, Void, ZReport } from '../shared/model/types';
import type { ProductInfo, ReportIO } from '../shared/reports/engine';
import type { Fetch } from '../shared/reports/plan';
import type { DeptInfo } from '../shared/reports/tree';
import type { RollupDoc } from '../shared/reports/rollup';
import { docRows, viewRow, type Row } from '../shared/reports/rows';
import { CHAIN, REPORT_VIEW } from '../shared/reports/layout';

/** Reads in flight at once per report. */
const PARALLEL = 6;

function range(f: Fetch): { startkey: unknown[]; endkey: unknown[] } | null {
  switch (f.kind) {
    case 'view':
      return { startkey: [f.section, f.scope, f.level, f.from], endkey: [f.section, f.scope, f.level, f.to, {}] };
    case 'ts':
      return { startkey: ['ts', f.level, f.from], endkey: ['ts', f.level, f.to, {}] };
    case 'first':
      return { startkey: [f.section, f.scope, f.id, f.level, f.from], endkey: [f.section, f.scope, f.id, f.level, f.to, {}] };
    case 'docs':
      return null;
  }
}

/** Where a report's roll-ups are: the stores' database, and the chain's (HQ: REPORTS_CHAIN_DB). */
interface RollupDbs {
  stores: string;
  chain: string;
}

/** The database a read goes to: the chain's ranges to the chain's roll-ups, the rest to the stores'. */
function dbOfFetch(dbs: RollupDbs, f: Fetch): string {
  return (f.kind === 'view' || f.kind === 'first') && f.scope === CHAIN ? dbs.chain : dbs.stores;
}

async function readOne(couch: CouchHandle, dbs: RollupDbs, f: Fetch): Promise<Row[]> {
  const r = range(f);
  const db = dbOfFetch(dbs, f);
  if (r) {
    const q = new URLSearchParams({ group: 'true', startkey: JSON.stringify(r.startkey), endkey: JSON.stringify(r.endkey) });
    const res = await couch.request<{ rows: Array<{ key: unknown; value: unknown }> }>(`/${encodeURIComponent(db)}/${REPORT_VIEW}?${q.toString()}`);
    return res.rows.flatMap((x) => {
      const row = viewRow(x.key, x.value);
      return row ? [row] : [];
    });
  }
  if (f.kind !== 'docs' || f.ids.length === 0) return [];
  const res = await couch.request<{ rows: Array<{ doc?: RollupDoc | null }> }>(`/${encodeURIComponent(db)}/_all_docs?include_docs=true`, { method: 'POST', body: { keys: f.ids } });
  const sections = new Set<string>(f.sections);
  return res.rows.flatMap((x) => (x.doc && x.doc.type === 'rollup' ? docRows(x.doc, sections) : []));
}

/** The rows of each read, in order. */
export async function readReportRows(couch: CouchHandle, dbs: RollupDbs, fetches: readonly Fetch[]): Promise<Row[][]> {
  const out: Row[][] = new Array<Row[]>(fetches.length);
  let next = 0;
  const worker = async () => {
    while (next < fetches.length) {
      const i = next++;
      out[i] = await readOne(couch, dbs, fetches[i] as Fetch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, fetches.length) }, worker));
  return out;
}

/** Where a server's report reads go. */
export interface ReportSources {
  couch: CouchHandle;
  /** The stores' roll-ups: `caja-reports`. */
  reportsDb: string;
  /** The chain's roll-ups (HQ: REPORTS_CHAIN_DB; a relay has none: its reports are its store's). */
  chainDb?: string;
  /** The catalog: HQ's `caja-catalog`, a relay's `caja-store` (its copy). */
  catalogDb: string;
  /** A store's own database (HQ: `caja-store-<code>`; a relay: `caja-store`). */
  storeDb(storeId: string): string;
  /** Where staff names are, and the id of a person's record there. */
  people: { db: string; idOf(userId: string): string };
}

async function byIds<T>(couch: CouchHandle, db: string, ids: readonly string[]): Promise<T[]> {
  if (ids.length === 0) return [];
  const res = await couch.request<{ rows: Array<{ doc?: T | null }> }>(`/${encodeURIComponent(db)}/_all_docs?include_docs=true`, {
    method: 'POST',
    body: { keys: [...new Set(ids)] },
  });
  return res.rows.flatMap((r) => (r.doc ? [r.doc] : []));
}

async function byPrefix<T>(couch: CouchHandle, db: string, prefix: string): Promise<T[]> {
  const q = new URLSearchParams({ include_docs: 'true', startkey: JSON.stringify(prefix), endkey: JSON.stringify(prefix + '\ufff0') });
  const res = await couch.request<{ rows: Array<{ doc?: T | null }> }>(`/${encodeURIComponent(db)}/_all_docs?${q.toString()}`);
  return res.rows.flatMap((r) => (r.doc ? [r.doc] : []));
}

/** The reads of the reports (shared/reports/engine.ts ReportIO) over a server's CouchDB. */
export function couchReportIO(src: ReportSources): ReportIO {
  const { couch } = src;
  return {
    rows: (fetches) => readReportRows(couch, { stores: src.reportsDb, chain: src.chainDb ?? src.reportsDb }, fetches),
    async products(ids) {
      const out: Record<string, ProductInfo> = {};
      // In chunks: a chain's inventory may name every product of the catalog.
      for (let i = 0; i < ids.length; i += 2000) {
        for (const p of await byIds<Product>(couch, src.catalogDb, ids.slice(i, i + 2000))) {
          if (p.type !== 'product') continue;
          out[p._id] = { sku: p.sku, name: p.name, departmentId: p.departmentId, cost: typeof p.cost === 'number' ? p.cost : null, price: p.price };
        }
      }
      return out;
    },
    async departments() {
      const out: Record<string, DeptInfo> = {};
      for (const d of await byPrefix<Department>(couch, src.catalogDb, 'department:')) out[d._id] = { name: d.name, parentId: d.parentId };
      return out;
    },
    async taxRates() {
      const out: Record<string, { code: string; name: I18nText }> = {};
      for (const r of await byPrefix<TaxRate>(couch, src.catalogDb, 'taxrate:')) out[r._id] = { code: r.code, name: r.name };
      return out;
    },
    async salesReps() {
      const out: Record<string, { name: string; commissionBp: number }> = {};
      for (const r of await byPrefix<SalesRep>(couch, src.catalogDb, 'salesrep:')) out[r._id] = { name: r.name, commissionBp: r.commissionBp };
      return out;
    },
    async people(ids) {
      const out: Record<string, string> = {};
      const docs = await byIds<{ _id: string; displayName?: string }>(couch, src.people.db, ids.map((id) => src.people.idOf(id)));
      const byDoc = new Map(docs.map((d) => [d._id, d.displayName]));
      for (const id of ids) {
        const name = byDoc.get(src.people.idOf(id));
        if (name) out[id] = name;
      }
      return out;
    },
    async zreport(storeId, date) {
      const z = (await byIds<ZReport>(couch, src.storeDb(storeId), [zreportId(storeId, date)]))[0];
      if (!z) return null;
      // The document as written: CouchDB's revision is bookkeeping of one database, not part of the Z.
      const { _rev: _r, ...doc } = z;
      return doc;
    },
    async shiftDocs(storeId, shiftIds) {
      const db = src.storeDb(storeId);
      const openShifts = `/${encodeURIComponent(db)}/_design/open_shifts/_view/open_shifts?group=true`;
      type OpenRows = { rows: Array<{ key: [string, string, string]; value: number }> };
      const openOf = (res: OpenRows) => res.rows.filter((r) => r.value > 0).map((r) => r.key[2]);
      let open: string[];
      let shifts: Shift[];
      if (shiftIds) {
        // Named shifts: whether each is open is one key of the view each (the whole store's range is every
        // register session it ever had).
        shifts = (await byIds<Shift>(couch, db, shiftIds)).filter((s) => s.type === 'shift' && s.storeId === storeId);
        if (shifts.length !== shiftIds.length) return null;
        open = openOf(await couch.request<OpenRows>(openShifts, { method: 'POST', body: { keys: shifts.map((s) => [storeId, s.terminalId, s._id]) } }));
      } else {
        const range = new URLSearchParams({ startkey: JSON.stringify([storeId]), endkey: JSON.stringify([storeId, {}]) });
        open = openOf(await couch.request<OpenRows>(`${openShifts}&${range.toString()}`));
        shifts = (await byIds<Shift>(couch, db, open)).filter((s) => s.type === 'shift' && s.storeId === storeId);
      }
      const res = await couch.request<{ rows: Array<{ doc?: Record<string, unknown> | null }> }>(`/${encodeURIComponent(db)}/_design/ledger_by_date/_view/ledger_by_date?include_docs=true`, {
        method: 'POST',
        body: { keys: shifts.map((s) => ['s', s._id]) },
      });
      const docs = res.rows.flatMap((r) => (r.doc ? [r.doc] : []));
      const of = <T>(type: string) => docs.filter((d) => d.type === type) as unknown as T[];
      const sales = of<Sale>('sale');
      return {
        shifts,
        sales,
        returns: of<Return>('return'),
        cashMovements: of<CashMovement>('cash'),
        closes: of<ShiftClose>('shiftclose'),
        voids: await byIds<Void>(couch, db, sales.map((s) => voidId(s._id))),
        openShiftIds: shifts.filter((s) => open.includes(s._id)).map((s) => s._id),
      };
    },
  };
}

/** The report query of a request (query-string values; repeated keys are refused). */
export function reportQueryOf(req: Request): ReportQueryInput {
  return parse(ReportQuery, { ...(req.query as Record<string, unknown>) });
}

/**
 * Answers `format=csv` itself, as an attachment named after the report and its period (shared/reports/csv.ts);
 * any other request goes on to the JSON route. Mount it after the route's authorization.
 */
export function csvAnswer(name: ReportName, answer: (query: ReportQueryInput) => Promise<ReportAnswer>): RequestHandler {
  return (req, res, next) => {
    if (req.query.format !== 'csv') return next();
    let query: ReportQueryInput;
    try {
      query = reportQueryOf(req);
    } catch (err) {
      return next(err);
    }
    answer(query)
      .then((a) => {
        const period = 'from' in a ? `-${a.from}-${a.to}` : '';
        res.status(200).type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${name}${period}.csv"`).send(toCsv(a, query.lang ?? 'en'));
      })
      .catch(next);
  };
}
