import { resolve } from 'node:path';
import {
  applyEvent,
  createPhaseState,
  EventParseError,
  metrics,
  outcome,
  type PhaseState,
  parseEvent,
  type Transition,
} from './engine';
import { parsePhaseRules } from './rules.schema';
import { prepareScenario, readScenario } from './scenario';

const GOLDEN_DIR = resolve(__dirname, '../../../../../shared/golden');
const USD_100K = { initialBalance: '100000.00', currency: 'USD' };

/** Applies a golden scenario's events and collects every transition with its event index. */
function transitionsOf(file: string): Transition[] {
  const { state, events } = prepareScenario(readScenario(resolve(GOLDEN_DIR, file)));
  return events.flatMap((event, index) => [...applyEvent(state, event, index).transitions]);
}

const deal = (at: string, position: string, entry: 'in' | 'out', profit: string, extra: object = {}) => ({
  at,
  type: 'deal',
  id: `${position}-${entry}-${at}`,
  position,
  entry,
  volume: '1.00',
  profit,
  commission: '0.00',
  swap: '0.00',
  ...extra,
});

function run(rules: unknown, raw: unknown[]): { state: PhaseState; transitions: Transition[] } {
  const state = createPhaseState(parsePhaseRules(rules), USD_100K);
  const transitions = raw.flatMap((event, index) => [
    ...applyEvent(state, parseEvent(event, 'USD'), index).transitions,
  ]);
  return { state, transitions };
}

describe('transitions', () => {
  it('reports a breach with its floor and the equity that crossed it', () => {
    expect(transitionsOf('02-dl-breach-one-cent.json')).toEqual([
      {
        type: 'BREACH',
        breach: { rule: 'DAILY_LOSS', event: 2, at: '2025-03-04T09:30:00Z', floor: '95000.00', equity: '94999.99' },
      },
    ]);
  });

  it('reports a per-trade breach with the position, its result and −A', () => {
    expect(transitionsOf('33-max-loss-per-trade-hard.json')).toEqual([
      {
        type: 'BREACH',
        breach: {
          rule: 'MAX_LOSS_PER_TRADE',
          event: 4,
          at: '2025-11-03T12:00:00Z',
          position: 'p2',
          result: '-1000.01',
          limit: '-1000.00',
        },
      },
    ]);
  });

  it('reports soft breaches in order and a breach on the same event after them', () => {
    expect(transitionsOf('32-dl-soft-and-maxloss-same-event.json').map((t) => t.type)).toEqual([
      'SOFT_BREACH',
      'BREACH',
    ]);
    expect(transitionsOf('31-dl-soft-breach-locks-until-reset.json')).toEqual([
      {
        type: 'SOFT_BREACH',
        breach: { rule: 'DAILY_LOSS', event: 1, at: '2025-11-03T10:00:00Z', floor: '97000.00', equity: '96900.00' },
      },
      {
        type: 'SOFT_BREACH',
        breach: { rule: 'DAILY_LOSS', event: 6, at: '2025-11-04T09:00:00Z', floor: '93500.00', equity: '93400.00' },
      },
    ]);
  });

  it('reports passes at an event and at a reset', () => {
    expect(transitionsOf('17-target-before-min-trading-days.json')).toEqual([
      { type: 'PASS', pass: { event: 8, at: '2025-03-14T10:00:00Z', atReset: false } },
    ]);
    expect(transitionsOf('25-pass-at-next-reset.json')).toEqual([
      { type: 'PASS', pass: { event: 8, at: '2025-11-13T23:00:00Z', atReset: true } },
    ]);
  });

  it('reports reset failures at the reset instant', () => {
    expect(transitionsOf('24-max-trading-days-time-limit.json')).toEqual([
      { type: 'BREACH', breach: { rule: 'TIME_LIMIT', event: 7, at: '2025-11-06T23:00:00Z' } },
    ]);
  });
});

describe('delivery', () => {
  const rules = { dailyLoss: { pct: '5' }, maxLoss: { pct: '10' } };

  it('ignores an event delivered twice, so a transition happens once', () => {
    const state = createPhaseState(parsePhaseRules(rules), USD_100K);
    const open = parseEvent(deal('2025-11-03T08:00:00Z', 'p1', 'in', '0.00'), 'USD');
    const dip = parseEvent({ at: '2025-11-03T09:00:00Z', type: 'equity', equity: '94000.00' }, 'USD');
    applyEvent(state, open, 0);
    expect(applyEvent(state, dip, 1).transitions).toHaveLength(1);
    const before = JSON.stringify(state);
    expect(applyEvent(state, dip, 1).transitions).toHaveLength(0);
    expect(applyEvent(state, open, 0).transitions).toHaveLength(0);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('ignores everything after the phase ended, and keeps the balance of the transition', () => {
    const { state } = run(rules, [
      deal('2025-11-03T08:00:00Z', 'p1', 'in', '0.00'),
      { at: '2025-11-03T09:00:00Z', type: 'equity', equity: '94000.00' },
      deal('2025-11-03T09:01:00Z', 'p1', 'out', '-6000.00'),
    ]);
    expect(outcome(state)).toMatchObject({ status: 'BREACHED', event: 1, balance: '100000.00' });
  });

  it('counts an event stamped before the current day in the current day', () => {
    const { state } = run(rules, [
      deal('2025-11-04T08:00:00Z', 'p1', 'in', '0.00'),
      deal('2025-11-03T08:00:00Z', 'p2', 'in', '0.00'),
    ]);
    expect(state.tradingDays).toBe(1);
    expect(state.day).toBe(1);
  });
});

describe('state', () => {
  it('is plain JSON', () => {
    const { state } = run({ dailyLoss: { pct: '5', reference: 'DAY_HIGH' }, maxLossPerTrade: { pct: '1' } }, [
      deal('2025-11-03T08:00:00Z', 'p1', 'in', '0.00'),
      { at: '2025-11-03T09:00:00Z', type: 'equity', equity: '101000.00' },
    ]);
    expect(JSON.parse(JSON.stringify(state))).toStrictEqual(state);
  });

  it('keeps position ids that look like object properties apart from the prototype', () => {
    const { state } = run({ maxLossPerTrade: { amount: '100.00' } }, [
      deal('2025-11-03T08:00:00Z', '__proto__', 'in', '0.00'),
      deal('2025-11-03T08:01:00Z', 'toString', 'in', '0.00'),
      deal('2025-11-03T08:02:00Z', 'constructor', 'out', '-50.00'),
      deal('2025-11-03T08:03:00Z', '__proto__', 'out', '-150.00'),
    ]);
    expect(state.openPositions).toBe(1);
    expect(Object.getPrototypeOf(state.positions)).toBe(Object.prototype);
    expect(outcome(state)).toMatchObject({ status: 'BREACHED', rule: 'MAX_LOSS_PER_TRADE', event: 3 });
  });
});

describe('metrics', () => {
  it('shows the bases, floors, progress and the next reset', () => {
    const { state } = run(
      {
        dailyLoss: { pct: '5', reference: 'DAY_HIGH' },
        maxLoss: { amount: '6000.00', mode: 'TRAILING_INTRADAY', lockAt: '0' },
        profitTarget: { pct: '10' },
        minTradingDays: 2,
        consistency: { maxBestDayPct: '50' },
      },
      [
        deal('2025-11-03T08:00:00Z', 'p1', 'in', '0.00', { equity: '100000.00' }),
        deal('2025-11-03T09:00:00Z', 'p1', 'out', '2000.00'),
        deal('2025-11-03T10:00:00Z', 'p2', 'in', '0.00', { equity: '102000.00' }),
        { at: '2025-11-03T11:00:00Z', type: 'equity', equity: '103500.00' },
        { at: '2025-11-03T12:00:00Z', type: 'equity', equity: '101000.00' },
      ],
    );
    expect(metrics(state)).toEqual({
      status: 'ACTIVE',
      currency: 'USD',
      initialBalance: '100000.00',
      balance: '102000.00',
      equity: '101000.00',
      openPositions: 1,
      day: 1,
      dayStart: '2025-11-02T23:00:00Z',
      nextReset: '2025-11-03T23:00:00Z',
      dailyLoss: {
        floor: '98500.00',
        base: '103500.00',
        reference: 'DAY_HIGH',
        dayBalance: '100000.00',
        dayEquity: '100000.00',
        dayHigh: '103500.00',
        armed: true,
      },
      maxLoss: { floor: '97500.00', base: '103500.00', mode: 'TRAILING_INTRADAY', locked: false },
      profitTarget: { target: '110000.00', measure: 'BALANCE', current: '102000.00', progressPct: 20, met: false },
      tradingDays: 1,
      minTradingDays: 2,
      dayProfit: '2000.00',
      profitableDays: null,
      consistency: { best: '2000.00', net: '2000.00', ratioPct: 100, holds: false },
      passConditionsMet: false,
    });
  });

  it('has no day before the first event', () => {
    const state = createPhaseState(parsePhaseRules({}), USD_100K);
    expect(metrics(state)).toMatchObject({ day: 0, dayStart: null, nextReset: null, dailyLoss: null, maxLoss: null });
    expect(outcome(state)).toEqual({
      status: 'ACTIVE',
      rule: null,
      event: null,
      at: null,
      balance: '100000.00',
      tradingDays: 0,
      floors: {},
    });
  });
});

describe('parseEvent', () => {
  it('converts amounts to minor units once', () => {
    expect(
      parseEvent(deal('2025-11-03T08:00:00Z', 'p1', 'out', '-990.00', { commission: '-5.00', swap: '-0.01' }), 'USD'),
    ).toEqual({
      type: 'deal',
      at: Date.UTC(2025, 10, 3, 8),
      id: 'p1-out-2025-11-03T08:00:00Z',
      position: 'p1',
      entry: 'out',
      volume: 100_000_000,
      cash: -99_501,
      charges: -501,
      equity: null,
    });
    expect(parseEvent({ at: '2025-11-03T08:00:00Z', type: 'balance', amount: '-6000.00' }, 'USD')).toEqual({
      type: 'balance',
      at: Date.UTC(2025, 10, 3, 8),
      amount: -600_000,
    });
  });

  it.each<[string, unknown, string[]]>([
    ['no zone on the instant', { at: '2025-11-03T08:00:00', type: 'clock' }, ['at']],
    ['an unknown type', { at: '2025-11-03T08:00:00Z', type: 'tick' }, ['type']],
    ['an unknown entry', deal('2025-11-03T08:00:00Z', 'p1', 'in', '0', { entry: 'inout' }), ['entry']],
    ['sub-cent profit', deal('2025-11-03T08:00:00Z', 'p1', 'out', '1.005'), ['profit']],
    ['a missing equity', { at: '2025-11-03T08:00:00Z', type: 'equity' }, ['equity']],
    ['a negative volume', deal('2025-11-03T08:00:00Z', 'p1', 'in', '0', { volume: '-1' }), ['volume']],
    ['no position', deal('2025-11-03T08:00:00Z', '', 'in', '0'), ['position']],
  ])('rejects %s, naming the field', (_case, raw, path) => {
    expect(() => parseEvent(raw, 'USD')).toThrow(EventParseError);
    try {
      parseEvent(raw, 'USD');
    } catch (error) {
      expect((error as EventParseError).path).toEqual(path);
    }
  });
});
