import { decide, matches, metricValue, parseAssignmentRule, type TradingFigures } from './assignment-rule';
import { RiskConfigError } from './errors';

const rule = (over: Record<string, unknown> = {}) =>
  parseAssignmentRule({
    id: 'r1',
    brand: 'b',
    name: 'Winners',
    metric: 'WIN_RATE',
    windowDays: 30,
    comparison: 'GTE',
    threshold: '70',
    minTrades: 50,
    targetBook: 'A',
    ...over,
  });
const figures = (over: Partial<TradingFigures> = {}): TradingFigures => ({
  trades: 60,
  wins: 42,
  gains: 840,
  losses: 180,
  avgHoldingSeconds: 3600,
  ...over,
});

describe('assignment rules (pure)', () => {
  it('lists every problem of an invalid rule with its field path', () => {
    try {
      parseAssignmentRule({
        id: 'r',
        brand: 'b',
        name: '',
        metric: 'WIN_RATE',
        windowDays: 400,
        comparison: 'GTE',
        threshold: '101',
      });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(RiskConfigError);
      expect((error as RiskConfigError).issues.map((i) => i.path.join('.')).sort()).toEqual(
        ['name', 'targetRiskGroupId', 'threshold', 'windowDays'].sort(),
      );
    }
  });

  it('computes the metrics from closing-deal figures', () => {
    expect(metricValue('WIN_RATE', figures())).toBe(70);
    expect(metricValue('PROFIT_FACTOR', figures())).toBeCloseTo(840 / 180);
    expect(metricValue('PROFIT_FACTOR', figures({ losses: 0 }))).toBe(Number.POSITIVE_INFINITY);
    expect(metricValue('WIN_RATE', figures({ trades: 0, wins: 0 }))).toBeNull();
  });

  it('needs the minimum trades and the comparison to hold (70 % ≥ 70 %, not > 70 %)', () => {
    expect(matches(rule(), figures())).toEqual({ value: 70, trades: 60 });
    expect(matches(rule({ comparison: 'GT' }), figures())).toBeNull();
    expect(matches(rule(), figures({ trades: 49, wins: 45 }))).toBeNull();
  });

  it('moves by the first rule by priority, and not at all when that rule already placed the account', () => {
    const a = rule({ id: 'a', name: 'A', priority: 1, targetBook: 'A' });
    const b = rule({ id: 'b', name: 'B', priority: 2, targetRiskGroupId: 'g2', targetBook: null });
    expect(decide([b, a], () => figures(), { riskGroupId: 'g1', book: 'B' })?.rule.id).toBe('a');
    expect(decide([b, a], () => figures(), { riskGroupId: 'g1', book: 'A' })).toBeNull();
    expect(decide([b], () => figures(), { riskGroupId: 'g1', book: 'B' })?.to).toEqual({
      riskGroupId: 'g2',
      book: 'B',
    });
  });
});
