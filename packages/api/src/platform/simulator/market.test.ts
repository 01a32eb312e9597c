import type { PlatformEvent, QuoteWireEvent } from '../platform';
import { Random } from './random';
import { SimulatedPlatform } from './simulator';

const quotes = (events: PlatformEvent[], symbol: string) =>
  events.filter((e): e is QuoteWireEvent => e.type === 'quote' && e.symbol === symbol);

/** Standard deviation of log returns between consecutive quote mids. */
function realisedVolatility(series: QuoteWireEvent[]): number {
  const mids = series.map((q) => (Number(q.bid) + Number(q.ask)) / 2);
  const returns = mids.slice(1).map((mid, i) => Math.log(mid / mids[i]));
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  return Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / returns.length);
}

describe('random streams', () => {
  it('repeat for the same seed and label and differ across labels', () => {
    const draw = (seed: number, label: string) => {
      const rng = new Random(seed, label);
      return Array.from({ length: 5 }, () => rng.nextUint32());
    };
    expect(draw(1, 'walk:EURUSD')).toEqual(draw(1, 'walk:EURUSD'));
    expect(draw(1, 'walk:EURUSD')).not.toEqual(draw(1, 'walk:GBPUSD'));
    expect(draw(1, 'walk:EURUSD')).not.toEqual(draw(2, 'walk:EURUSD'));
  });

  it('draws standard normals', () => {
    const rng = new Random(3, 'normal');
    const sample = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = sample.reduce((a, b) => a + b, 0) / sample.length;
    const variance = sample.reduce((a, x) => a + (x - mean) ** 2, 0) / sample.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
  });
});

describe('simulated market', () => {
  it('quotes no FX on a Saturday while BTCUSD trades, and FX again from Sunday 22:00', () => {
    const sim = new SimulatedPlatform({ seed: 5, start: '2025-03-08T00:00:00Z', shocks: null });
    const saturday = sim.advanceTo('2025-03-09T00:00:00Z');
    expect(quotes(saturday, 'EURUSD')).toHaveLength(0);
    expect(quotes(saturday, 'XAUUSD')).toHaveLength(0);
    expect(quotes(saturday, 'BTCUSD')).toHaveLength(1_440);
    const sunday = sim.advanceTo('2025-03-09T23:00:00Z');
    expect(quotes(sunday, 'EURUSD')[0]?.at).toBe('2025-03-09T22:00:00Z');
  });

  it('keeps the spread in points and the price on the instrument digits', () => {
    const sim = new SimulatedPlatform({ seed: 5 });
    const [quote] = quotes(sim.runFor(60_000), 'EURUSD');
    expect(quote.bid).toMatch(/^\d\.\d{5}$/);
    expect(Math.round((Number(quote.ask) - Number(quote.bid)) * 1e5)).toBe(8);
  });

  it('moves prices with about the configured volatility', () => {
    const sim = new SimulatedPlatform({ seed: 9, shocks: null, trend: { strengthPerHour: 0 } });
    const week = sim.advanceTo('2025-03-08T00:00:00Z');
    // BTCUSD: 60 % a year, open all the time; per minute that is 0.6 / sqrt(525 600).
    const perMinute = realisedVolatility(quotes(week, 'BTCUSD'));
    expect(perMinute / (0.6 / Math.sqrt(525_600))).toBeCloseTo(1, 1);
  });

  it('raises realised volatility during a volatility shock and reports the shock', () => {
    const sim = new SimulatedPlatform({
      seed: 11,
      shocks: null,
      scheduledShocks: [{ symbol: 'XAUUSD', at: '2025-03-04T10:00:00Z', factor: 4, durationMs: 4 * 3_600_000 }],
    });
    const before = quotes(sim.advanceTo('2025-03-04T09:59:59Z'), 'XAUUSD').filter((q) => q.at >= '2025-03-04T06');
    expect(sim.shocks()).toEqual([]);
    const during = quotes(sim.advanceTo('2025-03-04T13:59:59Z'), 'XAUUSD');
    expect(sim.shocks()).toEqual([{ symbol: 'XAUUSD', factor: 4, until: '2025-03-04T14:00:00Z' }]);
    expect(realisedVolatility(during) / realisedVolatility(before)).toBeGreaterThan(3);
    sim.advanceTo('2025-03-04T14:00:00Z');
    expect(sim.shocks()).toEqual([]);
  });
});
