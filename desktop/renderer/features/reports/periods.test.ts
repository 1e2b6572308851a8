// The report screens' date presets and change percent (periods.ts).
import { expect } from 'chai';
import { changePercent, presetRange } from './periods';

describe('report date presets (till manager mode)', () => {
  // 2025-03-05 is a Wednesday.
  const today = '2025-03-05';

  it('gives each preset its business days, weeks from Monday', () => {
    expect(presetRange('today', today)).to.deep.equal({ from: today, to: today });
    expect(presetRange('yesterday', today)).to.deep.equal({ from: '2025-03-04', to: '2025-03-04' });
    expect(presetRange('thisWeek', today)).to.deep.equal({ from: '2025-03-03', to: today });
    expect(presetRange('lastWeek', today)).to.deep.equal({ from: '2025-02-24', to: '2025-03-02' });
    expect(presetRange('thisMonth', today)).to.deep.equal({ from: '2025-03-01', to: today });
    expect(presetRange('lastMonth', today)).to.deep.equal({ from: '2025-02-01', to: '2025-02-28' });
    expect(presetRange('custom', today, { from: '2024-12-01', to: '2024-12-31' })).to.deep.equal({ from: '2024-12-01', to: '2024-12-31' });
  });

  it('crosses the year at its edges (Sunday, January)', () => {
    expect(presetRange('thisWeek', '2023-01-01')).to.deep.equal({ from: '2022-12-26', to: '2023-01-01' });
    expect(presetRange('lastMonth', '2024-01-15')).to.deep.equal({ from: '2023-12-01', to: '2023-12-31' });
    expect(presetRange('lastMonth', '2024-03-31')).to.deep.equal({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('says the change in percent, none against nothing', () => {
    expect(changePercent(150, 100)).to.equal(50);
    expect(changePercent(50, 100)).to.equal(-50);
    expect(changePercent(-50, -100)).to.equal(50);
    expect(changePercent(1001, 1000)).to.equal(0.1);
    expect(changePercent(10, 0)).to.equal(null);
  });
});
