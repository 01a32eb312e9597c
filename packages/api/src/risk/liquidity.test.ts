import { HedgeRejected, SimulatedLiquidityProvider, slippage } from './liquidity';

describe('simulated liquidity provider', () => {
  const waits: number[] = [];
  const provider = new SimulatedLiquidityProvider({
    spreadPoints: 10,
    latencyMs: 25,
    market: (_platform, symbol) => (symbol === 'EURUSD' ? { bid: 1.1, ask: 1.1002 } : null),
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const order = {
    clientOrderId: 'o1',
    platformId: 'p',
    symbol: 'EURUSD',
    side: 'buy' as const,
    volume: '1',
    digits: 5,
  };

  it('fills at mid ± half its spread after its latency, and an order id once', async () => {
    const fill = await provider.execute(order);
    expect(fill.price).toBe('1.10015');
    expect(waits).toEqual([25]);
    expect(fill.latencyMs).toBeGreaterThanOrEqual(25);
    expect((await provider.execute({ ...order, clientOrderId: 'o2', side: 'sell' })).price).toBe('1.10005');
    expect(await provider.execute(order)).toBe(fill);
    expect(waits).toHaveLength(2);
  });

  it('refuses a symbol without a market', async () => {
    await expect(provider.execute({ ...order, clientOrderId: 'o3', symbol: 'XYZ' })).rejects.toBeInstanceOf(
      HedgeRejected,
    );
  });

  it('signs slippage as a cost to the firm', () => {
    expect(slippage('buy', '1.10010', '1.10015', 5)).toBe('0.00005');
    expect(slippage('sell', '1.10010', '1.10015', 5)).toBe('-0.00005');
    expect(slippage('sell', '1.10010', '1.10010', 5)).toBe('0.00000');
  });
});
