import { expect } from 'chai';
import { customerId, saleId, shiftId, transferId } from '../../../shared/model/ids';
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

describe('terminal push', () => {
  it('sends what this terminal wrote without asking the relay first, and asks about everything else', () => {
    const own = terminalSyncOptions('S001', '2026-12-05', 'T1').push.caja_skip_revs_diff;
    expect(own).to.be.a('function');
    const skip = own as (id: string) => boolean;
    expect(skip(saleId('S001', 'T1', 7))).to.equal(true);
    expect(skip(shiftId('S001', 'T1', 2))).to.equal(true);
    // Another terminal's or store's sale, a customer or transfer received from the relay: asked about.
    expect(skip(saleId('S001', 'T2', 7))).to.equal(false);
    expect(skip(saleId('S002', 'T1', 7))).to.equal(false);
    expect(skip(customerId('0f8a1b2c3d4e5f60718293a4b5c6d7e8'))).to.equal(false);
    expect(skip(transferId('S002', '0f8a1b2c3d4e5f60718293a4b5c6d7e8'))).to.equal(false);
    // Without its terminal id, the push asks about everything, as PouchDB does.
    expect(terminalSyncOptions('S001', '2026-12-05').push).not.to.have.property('caja_skip_revs_diff');
  });
});
