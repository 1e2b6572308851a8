import { expect } from 'chai';
import { historySince, terminalSyncOptions } from './terminalSync';

describe('terminal history window', () => {
  it('starts on the first day of the month holding today - 35 days, so the pull selector changes once a month', () => {
    expect(historySince('2026-11-21')).to.equal('2026-10-01');
    expect(historySince('2026-12-05')).to.equal('2026-10-01'); // 65 days back: about the widest it gets
    expect(historySince('2026-12-06')).to.equal('2026-11-01');
    expect(historySince('2026-02-10')).to.equal('2026-01-01');
    const a = JSON.stringify(terminalSyncOptions('S001', '2026-11-05').pull.selector);
    const b = JSON.stringify(terminalSyncOptions('S001', '2026-12-05').pull.selector);
    expect(a).to.equal(b);
  });
});
