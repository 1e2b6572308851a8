// A report page's filters in its URL (issue #13): presets are the store's business days with weeks from
// Monday, a custom range survives a reload, filters a report does not take are dropped, and the URL and the
// API query of the same filters agree.
import { expect } from 'chai';
import { apiQueryOf, filtersFrom, presetRange, searchOf } from './filters';

const today = '2026-11-04'; // a Wednesday

describe('console reports: filters in the URL (issue #13)', () => {
  it('resolves each preset against the store\'s today, weeks from Monday', () => {
    expect(presetRange('today', today)).to.deep.equal({ from: today, to: today });
    expect(presetRange('yesterday', today)).to.deep.equal({ from: '2026-11-03', to: '2026-11-03' });
    expect(presetRange('thisWeek', today)).to.deep.equal({ from: '2026-11-02', to: today });
    expect(presetRange('lastWeek', today)).to.deep.equal({ from: '2026-10-26', to: '2026-11-01' });
    expect(presetRange('thisMonth', today)).to.deep.equal({ from: '2026-11-01', to: today });
    expect(presetRange('lastMonth', today)).to.deep.equal({ from: '2026-10-01', to: '2026-10-31' });
    expect(presetRange('lastMonth', '2024-03-10')).to.deep.equal({ from: '2024-02-01', to: '2024-02-29' });
    expect(presetRange('thisYear', today)).to.deep.equal({ from: '2026-01-01', to: today });
    // A Sunday belongs to the week that began on Monday.
    expect(presetRange('thisWeek', '2026-11-08')).to.deep.equal({ from: '2026-11-02', to: '2026-11-08' });
  });

  it('reads a URL into filters, with the report\'s defaults and only the filters it takes', () => {
    const f = filtersFrom('product-performance', new URLSearchParams('store=s002,S001&from=2026-10-05&to=2026-11-01&group=week&department=department:FOOD&cashier=u1'), today);
    expect(f).to.deep.include({ stores: ['S001', 'S002'], preset: 'custom', from: '2026-10-05', to: '2026-11-01', group: 'week', department: 'department:FOOD', cashier: null });
    const fresh = filtersFrom('sales-summary', new URLSearchParams(''), today);
    expect(fresh).to.deep.include({ stores: [], preset: 'thisMonth', from: '2026-11-01', to: today, group: 'day' });
    // The Z is of one day (yesterday unless told), and does not group.
    expect(filtersFrom('z', new URLSearchParams('group=month'), today)).to.deep.include({ from: '2026-11-03', to: '2026-11-03', group: 'day' });
    expect(filtersFrom('z', new URLSearchParams('from=2026-10-25&to=2026-10-30'), today)).to.deep.include({ from: '2026-10-25', to: '2026-10-25' });
    // A preset wins over stale dates; nonsense is ignored.
    expect(filtersFrom('tax', new URLSearchParams('range=lastWeek&from=2020-01-01'), today)).to.deep.include({ preset: 'lastWeek', from: '2026-10-26', to: '2026-11-01' });
    expect(filtersFrom('tax', new URLSearchParams('from=2026-02-30&store=x,TOO-LONG-CODE-123'), today)).to.deep.include({ preset: 'thisMonth', stores: [] });
    // A range that ends before it starts is read as its first day.
    expect(filtersFrom('tax', new URLSearchParams('from=2026-10-10&to=2026-10-01'), today)).to.deep.include({ from: '2026-10-10', to: '2026-10-10' });
  });

  it('writes filters back to the same URL, and to the API query the page sends', () => {
    const url = new URLSearchParams('store=S001,S002&from=2026-10-05&to=2026-11-01&group=week&department=department:FOOD');
    const f = filtersFrom('product-performance', url, today);
    expect(searchOf('product-performance', f)).to.deep.equal(Object.fromEntries(url));
    expect(apiQueryOf('product-performance', f)).to.deep.equal({ store: 'S001,S002', from: '2026-10-05', to: '2026-11-01', group: 'week', department: 'department:FOOD' });
    // Defaults stay out of the URL; the API is always told the period and grouping.
    const fresh = filtersFrom('sales-summary', new URLSearchParams(''), today);
    expect(searchOf('sales-summary', fresh)).to.deep.equal({});
    expect(apiQueryOf('sales-summary', fresh)).to.deep.equal({ from: '2026-11-01', to: today, group: 'day' });
    expect(searchOf('sales-summary', { ...fresh, preset: 'lastMonth', ...presetRange('lastMonth', today) })).to.deep.equal({ range: 'lastMonth' });
    // The X takes no dates; the Z one day.
    expect(apiQueryOf('x', filtersFrom('x', new URLSearchParams('store=S001&shift=shift:S001:T1:3'), today))).to.deep.equal({ store: 'S001', shift: 'shift:S001:T1:3' });
    expect(apiQueryOf('z', filtersFrom('z', new URLSearchParams('store=S001&from=2026-10-25'), today))).to.deep.equal({ store: 'S001', from: '2026-10-25' });
  });
});
