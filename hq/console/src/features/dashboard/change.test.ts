// The dashboard's reading of a change against last week and its store orders (issue #12): a store that sold
// nothing last week is "new", not +∞ %; colours follow whether more is good news; sorting is stable by code.
import { expect } from 'chai';
import { changeColor, changeOf, formatRatio, sortStores } from './change';
import type { StoreRow } from './dashboardApi';

const totals = (revenue: number, salesCount = 1) =>
  ({ salesCount, revenue, tax: 0, discounts: 0, voidsCount: 0, voidsAmount: 0, returnsCount: 0, returnsAmount: 0, averageTicket: salesCount ? Math.round(revenue / salesCount) : 0 }) as StoreRow['day'];
const row = (code: string, now: number, before: number, sales = 1): StoreRow => ({
  code, name: code, status: 'active', timeZone: 'America/Mexico_City', currency: 'MXN', businessDate: '2024-05-08', lastWeekDate: '2024-05-01',
  day: totals(now, sales), lastWeek: totals(before, before ? 1 : 0),
});

describe('console dashboard: changes against last week and store order (issue #12)', () => {
  it('reads a change as up, down, new or the same, and colours it by whether more is good news', () => {
    expect(changeOf(1500, 1000)).to.deep.equal({ kind: 'up', ratio: 0.5 });
    expect(changeOf(750, 1000)).to.deep.equal({ kind: 'down', ratio: -0.25 });
    expect(changeOf(10, 0)).to.deep.equal({ kind: 'new' });
    expect(changeOf(0, 0)).to.deep.equal({ kind: 'same' });
    expect(changeColor(changeOf(2, 1), 'more')).to.equal('teal');
    expect(changeColor(changeOf(2, 1), 'less')).to.equal('red');
    expect(changeColor(changeOf(1, 2), 'less')).to.equal('teal');
    expect(changeColor(changeOf(5, 0), 'less')).to.equal('red');
    expect(changeColor(changeOf(2, 1), 'neither')).to.equal('gray');
    expect(formatRatio(0.125, 'en')).to.equal('+12.5%');
    expect(formatRatio(-0.125, 'en', false)).to.equal('12.5%');
    expect(formatRatio(-0.03, 'es')).to.match(/^-3\s?%$/);
  });

  it('sorts by any column either way, ties by store code, a store new this week first by change', () => {
    const rows = [row('S003', 500, 1000), row('S001', 2000, 1000, 4), row('S002', 500, 0), row('S004', 500, 1000)];
    const codes = (key: Parameters<typeof sortStores>[1]['key'], desc: boolean) => sortStores(rows, { key, desc }).map((r) => r.code);
    expect(codes('revenue', true)).to.deep.equal(['S001', 'S002', 'S003', 'S004']);
    expect(codes('revenue', false)).to.deep.equal(['S002', 'S003', 'S004', 'S001']);
    expect(codes('change', true)).to.deep.equal(['S002', 'S001', 'S003', 'S004']);
    expect(codes('store', false)).to.deep.equal(['S001', 'S002', 'S003', 'S004']);
    expect(codes('sales', true)[0]).to.equal('S001');
    expect(codes('lastWeek', false)[0]).to.equal('S002');
  });
});
