// Today's journal of this terminal: its sales and returns of the store's business day, newest first, with voids
// marked. Read by id range (a terminal's ids are numbered, newest last), never by a secondary index: the
// terminal keeps no views (PouchDB map/reduce is slow to build on the client). A return comes with the sale it
// refunds, when this till still has it, so its reprint names the products as the first print did.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { terminalTypePrefix, voidId } from '../../../../shared/model/ids';
import type { Return, Sale, Void } from '../../../../shared/model/types';
import { businessDate } from '../../../../shared/pos/clock';
import type { AppThunk } from '../../app/store';
import { requireDb, requireTill } from '../../app/services';
import { docsByIds, type LocalDb } from '../checkout/localDb';

export interface JournalEntry {
  doc: Sale | Return;
  voided: boolean;
  /** For a return: the sale it refunds, when it is in the local replica (its lines carry the product names). */
  originalSale?: Sale;
}

export interface JournalState {
  loading: boolean;
  businessDate: string | null;
  entries: JournalEntry[];
  selectedId: string | null;
}

const initialState: JournalState = { loading: false, businessDate: null, entries: [], selectedId: null };

export const journalSlice = createSlice({
  name: 'journal',
  initialState,
  reducers: {
    journalLoading(state) {
      state.loading = true;
    },
    journalLoaded(state, action: PayloadAction<{ businessDate: string; entries: JournalEntry[] }>) {
      state.loading = false;
      state.businessDate = action.payload.businessDate;
      state.entries = action.payload.entries;
      if (state.selectedId && !state.entries.some((e) => e.doc._id === state.selectedId)) state.selectedId = null;
    },
    journalEntrySelected(state, action: PayloadAction<string | null>) {
      state.selectedId = action.payload;
    },
  },
});

export const { journalLoading, journalLoaded, journalEntrySelected } = journalSlice.actions;

const PAGE = 100;

/** This terminal's documents under `prefix` of `date`, newest first (stops at the first older one). */
async function ofDay<T extends { businessDate: string }>(db: LocalDb, prefix: string, date: string): Promise<T[]> {
  const out: T[] = [];
  let startkey = prefix + '\ufff0';
  let skip = 0;
  for (;;) {
    const res = await db.allDocs({ startkey, endkey: prefix, descending: true, limit: PAGE, skip, include_docs: true });
    for (const row of res.rows) {
      const d = row.doc as T | undefined;
      if (!d) continue;
      // Numbers grow with time on one terminal: once a document is of an earlier day, all before it are.
      if (d.businessDate < date) return out;
      if (d.businessDate === date) out.push(d);
    }
    if (res.rows.length < PAGE) return out;
    startkey = res.rows[res.rows.length - 1]?.id ?? prefix;
    skip = 1;
  }
}

export const loadJournal = (): AppThunk<Promise<void>> => async (dispatch, _getState, services) => {
  dispatch(journalLoading());
  const db = requireDb(services);
  const till = requireTill(services);
  const date = businessDate(new Date(), till.config.timeZone);
  const [sales, returns] = await Promise.all([
    ofDay<Sale>(db, terminalTypePrefix('sale', till.config.storeId, till.terminalId), date),
    ofDay<Return>(db, terminalTypePrefix('return', till.config.storeId, till.terminalId), date),
  ]);
  const [voidDocs, originals] = await Promise.all([
    docsByIds<Void>(db, sales.map((s) => voidId(s._id))),
    docsByIds<Sale>(db, [...new Set(returns.map((r) => r.originalSaleId))]),
  ]);
  const voids = new Set(voidDocs.map((v) => v.saleId));
  const originalById = new Map(originals.map((s) => [s._id, s]));
  const entries: JournalEntry[] = [...sales, ...returns]
    .sort((a, b) => b.seq - a.seq)
    .map((doc) => {
      const originalSale = doc.type === 'return' ? originalById.get(doc.originalSaleId) : undefined;
      return { doc, voided: doc.type === 'sale' && voids.has(doc._id), ...(originalSale ? { originalSale } : {}) };
    });
  dispatch(journalLoaded({ businessDate: date, entries }));
};
