// Which reads answer a report's needs. A need is "section X of these scopes over these dates, at least this
// fine"; it becomes a few reads: reduced key ranges of the report view (one per run of days, months or years:
// decompose() keeps them to a handful whatever the period) and, for a store's large sections on partial
// months, one direct read of its day documents. The server runs the reads (server-kit/reportReader.ts at HQ
// and at the relay) and hands back rows per read; `rowsOfNeeds` gives each need its rows. Pure.
import { CHAIN, FIRST_KEYED, LARGE_SECTIONS, type Derived, type FirstKeyed, type Level, type Section } from './layout';
import { decompose, addDays } from './periods';
import { rollupId } from './rollup';
import type { Row } from './rows';

/** One read: a reduced key range of the view, or roll-up documents by id. */
export type Fetch =
  | { kind: 'view'; section: Section | 'ct' | 'dt' | 'dp' | 'dka' | 'zv'; scope: string; level: Level; from: string; to: string }
  | { kind: 'ts'; level: Level; from: string; to: string }
  | { kind: 'first'; section: FirstKeyed; scope: string; id: string; level: Level; from: string; to: string }
  | { kind: 'docs'; ids: string[]; sections: Section[] };

/** What a report needs: a section's figures for some scopes over a period, at least `finest` apart. */
export interface Need {
  section: Section | Derived;
  scopes: readonly string[];
  from: string;
  to: string;
  finest?: Level;
  /** For a FIRST_KEYED section: the ids (one key range each). */
  ids?: readonly string[];
}

function isFirstKeyed(section: string): section is FirstKeyed {
  return (FIRST_KEYED as readonly string[]).includes(section);
}

/** What the view derives from a large section: not in the chain's blocks either. */
const FROM_LARGE: readonly string[] = [...LARGE_SECTIONS, 'pp', 'dd', 'ts'];

/** True when a section of this scope is read in blocks of days (the chain's small sections: layout.ts BlockLevel). */
export function inBlocks(section: Need['section'], scope: string): boolean {
  return scope === CHAIN && !FROM_LARGE.includes(section);
}

/** The reads of one need. */
export function fetchesOf(need: Need): Fetch[] {
  if (need.from > need.to) return [];
  const finest = need.finest ?? 'y';
  const pieces = decompose(need.from, need.to, finest);
  const out: Fetch[] = [];
  if (need.section === 'ts') {
    for (const p of pieces) out.push({ kind: 'ts', level: p.level, from: p.from, to: p.to });
    return out;
  }
  for (const scope of need.scopes) {
    const dayIds: string[] = [];
    for (const p of inBlocks(need.section, scope) ? decompose(need.from, need.to, finest, true) : pieces) {
      if (isFirstKeyed(need.section)) {
        for (const id of need.ids ?? []) out.push({ kind: 'first', section: need.section, scope, id, level: p.level, from: p.from, to: p.to });
      } else if (p.level === 'd' && scope !== CHAIN && (LARGE_SECTIONS as readonly string[]).includes(need.section)) {
        for (let d = p.from; d <= p.to; d = addDays(d, 1)) dayIds.push(rollupId(scope, d));
      } else {
        out.push({ kind: 'view', section: need.section, scope, level: p.level, from: p.from, to: p.to });
      }
    }
    if (dayIds.length) out.push({ kind: 'docs', ids: dayIds, sections: [need.section as Section] });
  }
  return out;
}

/** The reads of several needs, and how to give each need its rows back from the rows of every read. */
export function planNeeds(needs: readonly Need[]): { fetches: Fetch[]; split(rows: readonly Row[][]): Row[][] } {
  const fetches: Fetch[] = [];
  const ranges: Array<[number, number]> = [];
  for (const n of needs) {
    const f = fetchesOf(n);
    ranges.push([fetches.length, fetches.length + f.length]);
    fetches.push(...f);
  }
  return {
    fetches,
    split(rows) {
      return ranges.map(([a, b], i) => {
        const need = needs[i] as Need;
        const out: Row[] = [];
        for (let j = a; j < b; j++) for (const r of rows[j] ?? []) out.push(r);
        // Per-store totals come for every store: keep the ones asked for (all of them for the chain).
        return need.section === 'ts' && !need.scopes.includes(CHAIN) ? out.filter((r) => need.scopes.includes(r.scope)) : out;
      });
    },
  };
}
