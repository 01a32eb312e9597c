import { type Hedge, slippageTone, slippageTotals } from './hedging';

const hedge = (over: Partial<Hedge>): Hedge =>
  ({ status: 'FILLED', currency: 'USD', slippage: '0.00001', slippageValue: '1.00', ...over }) as Hedge;

describe('hedge fills', () => {
  it('reads slippage as a cost or a gain to the firm', () => {
    expect(slippageTone('0.00002')).toBe('cost');
    expect(slippageTone('-0.00002')).toBe('gain');
    expect(slippageTone('0.00000')).toBe('flat');
    expect(slippageTone(null)).toBe('none');
  });

  it('totals slippage per currency exactly, rejected orders apart', () => {
    const totals = slippageTotals([
      hedge({ slippageValue: '0.10' }),
      hedge({ slippageValue: '0.20' }),
      hedge({ slippageValue: '-2.05' }),
      hedge({ currency: 'JPY', slippageValue: '150.00' }),
      hedge({ status: 'REJECTED' as Hedge['status'], slippage: null, slippageValue: null }),
    ]);
    expect(totals).toEqual([
      { currency: 'JPY', total: '150.00', fills: 1, rejected: 0 },
      { currency: 'USD', total: '-1.75', fills: 3, rejected: 1 },
    ]);
  });
});
