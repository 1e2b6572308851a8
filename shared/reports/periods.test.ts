// How a date range splits into roll-up periods (decompose): the pieces cover every day of the range exactly
// once, in order, each a run of periods of one level; with blocks (the chain's small sections) a range's
// partial months are at most five periods at each end. Pure, property-checked (fast-check).
import { expect } from 'chai';
import fc from 'fast-check';
import { addDays, blockHalves, blocksOf, dayCount, decompose, levelOf, periodAt, periodDays, type Piece } from './periods';
import type { Level } from './layout';

/** Every period of a piece, in order (periods of one level between `from` and `to`). */
function periodsOf(p: Piece): string[] {
  const out: string[] = [];
  for (let d = periodDays(p.from).from; d <= periodDays(p.to).to; ) {
    const period =
      periodAt(p.level, d);
    out.push(period);
    d = addDays(periodDays(period).to, 1);
  }
  return out;
}

const dateArb = fc.integer({ min: 0, max: 3 * 366 }).map((n) => addDays('2023-11-20', n));
const rangeArb = fc.tuple(dateArb, fc.integer({ min: 0, max: 800 })).map(([from, len]) => ({ from, to: addDays(from, len) }));

describe('report periods: decompose', () => {
  for (const [finest, blocks] of [['y', false], ['m', false], ['d', false], ['y', true], ['m', true], ['d', true]] as Array<[Level, boolean]>) {
    it(`covers every day once, in order (finest ${finest}${blocks ? ', blocks' : ''})`, () => {
      fc.assert(
        fc.property(rangeArb, ({ from, to }) => {
          const pieces = decompose(from, to, finest, blocks);
          let next = from;
          for (const p of pieces) {
            for (const period of periodsOf(p)) {
              expect(levelOf(period)).to.equal(p.level);
              const days = periodDays(period);
              expect(days.from, `${period} in ${from}..${to}`).to.equal(next);
              next = addDays(days.to, 1);
            }
          }
          expect(next).to.equal(addDays(to, 1));
          if (finest === 'd') expect(pieces.every((p) => p.level === 'd')).to.equal(true);
          if (finest === 'm') expect(pieces.some((p) => p.level === 'y')).to.equal(false);
          if (!blocks) expect(pieces.some((p) => p.level.includes('b'))).to.equal(false);
          if (finest !== 'y') expect(pieces.some((p) => p.level.startsWith('mb'))).to.equal(false);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('with blocks, a partial month at either end of a range is at most five periods', () => {
    fc.assert(
      fc.property(rangeArb, ({ from, to }) => {
        const periods = decompose(from, to, 'y', true).flatMap(periodsOf);
        const small = periods.filter((p) => ['d', 'b2', 'b4', 'b8', 'b16'].includes(levelOf(p)));
        // Whole months of a partial year: at most three periods at either end (8 + 2 + 1 months, 4 + ...).
        const monthly = periods.filter((p) => levelOf(p) === 'm' || levelOf(p).startsWith('mb'));
        for (const year of new Set(monthly.map((p) => p.slice(0, 4)))) expect(monthly.filter((p) => p.startsWith(year)).length).to.be.at.most(6);
        const inMonth = (m: string) => small.filter((p) => p.slice(0, 7) === m).length;
        if (from.slice(0, 7) !== to.slice(0, 7)) {
          expect(inMonth(from.slice(0, 7))).to.be.at.most(5);
          expect(inMonth(to.slice(0, 7))).to.be.at.most(5);
        } else {
          expect(inMonth(from.slice(0, 7))).to.be.at.most(9);
        }
        expect(small.length).to.be.at.most(dayCount(from, to));
      }),
      { numRuns: 500 },
    );
  });

  it('a year ending on the 2nd reads 8 periods with blocks instead of 42 days and months (16 by month)', () => {
    const plain = decompose('2025-12-03', '2026-12-02').flatMap(periodsOf);
    expect(plain).to.have.length(42);
    const days = ['2025-12-03~2', '2025-12-05~4', '2025-12-09~8', '2025-12-17~16'];
    expect(decompose('2025-12-03', '2026-12-02', 'y', true).flatMap(periodsOf)).to.deep.equal([...days, '2026-01~m8', '2026-09~m2', '2026-11', '2026-12-01~2']);
    expect(decompose('2025-12-03', '2026-12-02', 'm', true).flatMap(periodsOf)).to.deep.equal([...days, ...plain.slice(29, 40), '2026-12-01~2']);
  });

  it('a block is the sum of its halves; every block of a day holds it', () => {
    expect(blockHalves('2024-02-17~16')).to.deep.equal(['2024-02-17~8', '2024-02-25~8']);
    expect(blockHalves('2023-02-25~8')).to.deep.equal(['2023-02-25~4']); // February has no 29th that year
    expect(blockHalves('2025-01-31~2')).to.deep.equal(['2025-01-31']);
    expect(periodDays('2025-01-17~16')).to.deep.equal({ from: '2025-01-17', to: '2025-01-31' });
    expect(blocksOf(['2025-01-31'])).to.deep.equal([['2025-01-31~2'], ['2025-01-29~4'], ['2025-01-25~8'], ['2025-01-17~16']]);
    expect(blocksOf(['2025-11'])).to.deep.equal([['2025-11~m2'], ['2025-09~m4'], ['2025-09~m8']]);
    expect(blockHalves('2025-09~m8')).to.deep.equal(['2025-09~m4']); // September to December
    expect(blockHalves('2025-01~m8')).to.deep.equal(['2025-01~m4', '2025-05~m4']);
    expect(blockHalves('2025-11~m2')).to.deep.equal(['2025-11', '2025-12']);
    expect(periodDays('2025-09~m8')).to.deep.equal({ from: '2025-09-01', to: '2025-12-31' });
  });
});
