import { expect } from 'chai';
import { cashDue, foreignToBase, settle } from './tenders';
import { CARD, CASH, CREDIT, GIFT, m, must, tender, USD } from '../../tests/support/posFixtures';

const due = (n: number) => ({ total: m(n) });

describe('pos/tenders', () => {
  it('cash with change', () => {
    const s = must(settle(due(1234), [{ tender: CASH, tendered: m(2000) }]));
    expect(s.tenders).to.deep.equal([{ tenderId: 'tender:cash', kind: 'cash', amount: 1234, tendered: 2000, change: 766 }]);
    expect(s.change).to.equal(766);
    expect(s.rounding).to.equal(0);
  });

  it('cash rounding to 0.05 applies to the final due settled in cash, recorded as its own rounding', () => {
    // 10.03 -> 10.05 (+0.02); paid with 20.00, change 9.95.
    const up = must(settle(due(1003), [{ tender: CASH, tendered: m(2000) }], { cashRounding: 5 }));
    expect([up.rounding, up.total, up.change]).to.deep.equal([2, 1005, 995]);
    // 10.02 -> 10.00 (-0.02); paid with exactly 10.00.
    const down = must(settle(due(1002), [{ tender: CASH, tendered: m(1000) }], { cashRounding: 5 }));
    expect([down.rounding, down.total, down.change]).to.deep.equal([-2, 1000, 0]);
    expect(cashDue(m(1003), 5)).to.equal(1005);
    expect(cashDue(m(1007), 5)).to.equal(1005);
    expect(cashDue(m(1008), 5)).to.equal(1010);
    // By card the customer pays the exact cents: no rounding.
    const card = must(settle(due(1003), [{ tender: CARD, tendered: m(1003), reference: '4242', authCode: 'A1' }], { cashRounding: 5 }));
    expect([card.rounding, card.total]).to.deep.equal([0, 1003]);
    expect(card.tenders[0]).to.include({ reference: '4242', authCode: 'A1' });
    // Card 5.00 first, then cash settles the remaining 5.03 -> 5.05 (+0.02), change from 10.00 is 4.95.
    const split = must(settle(due(1003), [{ tender: CARD, tendered: m(500), reference: '4242' }, { tender: CASH, tendered: m(1000) }], { cashRounding: 5 }));
    expect([split.rounding, split.total, split.change]).to.deep.equal([2, 1005, 495]);
    // Cash 5.00 first (it does not settle the sale), then card for the exact rest: no rounding.
    const cashFirst = must(settle(due(1003), [{ tender: CASH, tendered: m(500) }, { tender: CARD, tendered: m(503), reference: '4242' }], { cashRounding: 5 }));
    expect([cashFirst.rounding, cashFirst.total]).to.deep.equal([0, 1003]);
  });

  it('split tender with foreign currency: rate recorded, change in base cash', () => {
    // 1 USD = 17.2345 MXN: rateToBase = 17.2345 x 1e6 per US cent -> MXN centavos.
    const usd = tender('usd2', 'foreign', { currency: 'USD', rateToBase: 17_234_500 });
    expect(foreignToBase(m(1000), 17_234_500)).to.equal(17235); // 1000 x 17.2345 = 17234.5 -> 172.35 MXN
    expect(foreignToBase(m(200), 17_234_500)).to.equal(3447); // 200 x 17.2345 = 3446.9 -> 34.47 MXN
    // Due 500.00: USD 10.00 (172.35) + card 300.00 leaves 27.65; USD 2.00 (34.47) covers it, change 6.82 MXN.
    const s = must(
      settle(due(50000), [
        { tender: usd, foreignAmount: m(1000) },
        { tender: CARD, tendered: m(30000), reference: '1111', authCode: 'OK' },
        { tender: usd, foreignAmount: m(200) },
      ]),
    );
    expect(s.tenders.map((t) => [t.kind, t.amount, t.tendered, t.change])).to.deep.equal([
      ['foreign', 17235, 17235, 0],
      ['card', 30000, 30000, 0],
      ['foreign', 2765, 3447, 682],
    ]);
    expect(s.tenders[0]?.foreign).to.deep.equal({ currency: 'USD', amount: 1000, rateToBase: 17_234_500 });
    expect(s.change).to.equal(682);
    expect(s.tenders.reduce((a, t) => a + t.amount, 0)).to.equal(50000);
    expect(s.tenders.reduce((a, t) => a + t.tendered, 0) - s.change).to.equal(50000);
  });

  it('gift card and store credit: balance checked, never over the due', () => {
    const ok = must(settle(due(3000), [{ tender: GIFT, tendered: m(2000), balance: m(2500), reference: 'GC-1' }, { tender: CREDIT, tendered: m(1000), balance: m(1000) }]));
    expect(ok.tenders.map((t) => t.amount)).to.deep.equal([2000, 1000]);
    const low = settle(due(3000), [{ tender: GIFT, tendered: m(3000), balance: m(2500), reference: 'GC-1' }]);
    expect(!low.ok && low.error).to.deep.equal({ code: 'insufficient_balance', index: 0, balance: 2500 });
    const over = settle(due(1000), [{ tender: GIFT, tendered: m(2000), balance: m(2500), reference: 'GC-1' }]);
    expect(!over.ok && over.error.code).to.equal('over_tender');
  });

  it('typed errors: card over-tender, insufficient, nothing due, missing reference, missing rate', () => {
    const cases: [ReturnType<typeof settle>, string][] = [
      [settle(due(1000), [{ tender: CARD, tendered: m(1500), reference: 'x' }]), 'over_tender'],
      [settle(due(1000), [{ tender: CASH, tendered: m(500) }]), 'insufficient'],
      [settle(due(1000), [{ tender: CASH, tendered: m(1000) }, { tender: CASH, tendered: m(100) }]), 'nothing_due'],
      [settle(due(1000), [{ tender: CARD, tendered: m(1000) }]), 'missing_reference'],
      [settle(due(1000), [{ tender: tender('eur', 'foreign'), foreignAmount: m(100) }]), 'missing_rate'],
      [settle(due(1000), [{ tender: CASH, tendered: m(0) }]), 'invalid_amount'],
      [settle(due(1000), [{ tender: tender('tip', 'other', { allowOverTender: true }), tendered: m(1500) }]), 'change_not_allowed'],
      [settle(due(1000), [{ tender: { ...CASH, active: false }, tendered: m(1000) }]), 'inactive_tender'],
    ];
    for (const [r, code] of cases) {
      expect(r.ok, code).to.equal(false);
      if (!r.ok) expect(r.error.code).to.equal(code);
    }
    const rest = settle(due(1000), [{ tender: CASH, tendered: m(400) }]);
    expect(!rest.ok && rest.error).to.deep.equal({ code: 'insufficient', due: 1000, paid: 400, remaining: 600 });
    expect(must(settle(due(0), [])).total).to.equal(0); // a fully discounted sale needs no tender
    expect(must(settle(due(4000), [{ tender: USD, foreignAmount: m(300) }])).change).to.equal(2000); // 3.00 USD = 60.00
  });
});
