import { payoutShare } from './payout-share';

const cents = (amount: number) => Math.round(amount * 100);

describe('payoutShare', () => {
  const tiers = [
    { upTo: '25000.00', pct: '100' },
    { upTo: null, pct: '90' },
  ];

  it('splits a profit across the tiers it spans', () => {
    expect(payoutShare(tiers, cents(30_000), 0, 'USD', 2)).toEqual({
      currency: 'USD',
      profit: '30000.00',
      paidBefore: '0.00',
      trader: '29500.00',
      firm: '500.00',
      tiers: [
        { upTo: '25000.00', pct: '100', profit: '25000.00', trader: '25000.00' },
        { upTo: null, pct: '90', profit: '5000.00', trader: '4500.00' },
      ],
    });
  });

  it('starts where the profit paid before ends', () => {
    const share = payoutShare(tiers, cents(10_000), cents(20_000), 'USD', 2);
    expect(share).toMatchObject({ trader: '9500.00', firm: '500.00' });
    expect(share.tiers.map((t) => t.profit)).toEqual(['5000.00', '5000.00']);
    expect(payoutShare(tiers, cents(1_000), cents(40_000), 'USD', 2).tiers).toEqual([
      { upTo: null, pct: '90', profit: '1000.00', trader: '900.00' },
    ]);
  });

  it('rounds each share down to the minor unit and gives the firm the rest; nothing on a loss', () => {
    expect(payoutShare([{ upTo: null, pct: '80' }], 1_001, 0, 'USD', 2)).toMatchObject({
      trader: '8.00',
      firm: '2.01',
    });
    expect(payoutShare([{ upTo: null, pct: '80' }], -5_000, 0, 'USD', 2)).toMatchObject({
      profit: '0.00',
      trader: '0.00',
      firm: '0.00',
      tiers: [],
    });
    expect(payoutShare([{ upTo: null, pct: '85' }], 12_345, 0, 'JPY', 0)).toMatchObject({
      trader: '10493',
      firm: '1852',
    });
  });
});
