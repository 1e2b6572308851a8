// Issue #12: the text pasted or uploaded for a store's prices in bulk, read line by line: separators of
// different spreadsheets, a header, quotes, currency signs, removal by an empty price, and every line that
// cannot be read named with its number (never guessed at).
import { expect } from 'chai';
import { parsePriceCsv } from './priceCsv';
import { MAX_BULK_PRICES } from './hqRecords';

describe('shared/api/priceCsv: store prices pasted as sku,price (issue #12)', () => {
  it('reads comma, semicolon (decimal comma) and tab separated lines, skipping a header and blank lines', () => {
    const text = 'sku,price\n7501000000017,24.50\r\n\nA-1;24,5\nB.2\t1999\n"C_3", "$7.05"\nD4,MX$ 12.00 MXN\n';
    expect(parsePriceCsv(text, 2)).to.deep.equal({
      lines: [
        { line: 2, sku: '7501000000017', price: 2450 },
        { line: 4, sku: 'A-1', price: 2450 },
        { line: 5, sku: 'B.2', price: 199900 },
        { line: 6, sku: 'C_3', price: 705 },
        { line: 7, sku: 'D4', price: 1200 },
      ],
      problems: [],
      tooMany: false,
    });
    // A currency without minor units takes whole amounts only.
    expect(parsePriceCsv('A,120', 0).lines[0]?.price).to.equal(120);
    expect(parsePriceCsv('A,1.5', 0).problems.map((p) => p.problem)).to.deep.equal(['bad_price']);
  });

  it('takes an empty price as removing the store price, and a header only on the first line', () => {
    expect(parsePriceCsv('A,\nB;', 2).lines).to.deep.equal([
      { line: 1, sku: 'A', price: null },
      { line: 2, sku: 'B', price: null },
    ]);
    expect(parsePriceCsv('A,1\nsku,price', 2).problems).to.deep.equal([{ line: 2, text: 'sku,price', problem: 'bad_price' }]);
  });

  it('names every line it cannot read, with its number', () => {
    const text = ',12\n_x,1\na b,1\nA,-1\nA,12.345\nA,abc\nA,1,2\nA,10000000.01\nok,1';
    const read = parsePriceCsv(text, 2);
    expect(read.problems.map((p) => [p.line, p.problem])).to.deep.equal([
      [1, 'no_sku'],
      [2, 'bad_sku'],
      [3, 'bad_sku'],
      [4, 'bad_price'],
      [5, 'bad_price'],
      [6, 'bad_price'],
      [7, 'columns'],
      [8, 'bad_price'],
    ]);
    expect(read.lines).to.deep.equal([{ line: 9, sku: 'ok', price: 100 }]);
  });

  it('says when there are more lines than one request may carry', () => {
    const many = Array.from({ length: MAX_BULK_PRICES + 1 }, (_, i) => `S${i},1`).join('\n');
    expect(parsePriceCsv(many, 2).tooMany).to.equal(true);
    expect(parsePriceCsv(many.split('\n').slice(1).join('\n'), 2).tooMany).to.equal(false);
  });
});
