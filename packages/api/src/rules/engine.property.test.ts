/**
 * Properties of the engine over generated rule sets and event streams: deterministic replay,
 * snapshot-and-resume equals an uninterrupted run, exactly-once transitions under redelivery,
 * floors that rules.md says never move down, and terminal states that stay terminal.
 */
import fc from 'fast-check';
import {
  applyEvent,
  createPhaseState,
  outcome,
  type PhaseEvent,
  type PhaseState,
  parseEvent,
  type Transition,
} from './engine';
import { formatMoney } from './money';
import { parsePhaseRules } from './rules.schema';

const ACCOUNT = { initialBalance: '100000.00', currency: 'USD' };
const INITIAL = 10_000_000;

// ----- rule sets -----

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });
const action = fc.constantFrom('HARD', 'SOFT');

const dailyLossArb = fc.oneof(
  fc.record({
    pct: fc.constantFrom('3', '4.5', '5'),
    reference: fc.constantFrom('BALANCE', 'MAX_BALANCE_EQUITY', 'DAY_HIGH'),
    of: fc.constantFrom('INITIAL', 'REFERENCE'),
    action,
  }),
  fc.record({
    amount: fc.constantFrom('2500.00', '3333.33'),
    reference: fc.constantFrom('BALANCE', 'DAY_HIGH'),
    action,
  }),
);

const maxLossArb = fc.oneof(
  fc.record({ pct: fc.constantFrom('8', '10'), mode: fc.constant('STATIC') }),
  fc.record({
    amount: fc.constantFrom('6000.00', '8000.00'),
    mode: fc.constantFrom('TRAILING_EOD', 'TRAILING_INTRADAY', 'TRAILING_CLOSED_BALANCE'),
    lockAt: fc.constantFrom(null, '0.00', '100.00'),
  }),
);

const rulesArb = fc.record({
  dayReset: fc.constantFrom(
    { timeZone: 'Europe/Prague', localTime: '00:00' },
    { timeZone: 'America/New_York', localTime: '01:30' },
    { timeZone: 'America/Chicago', localTime: '17:00' },
    { timeZone: 'Australia/Lord_Howe', localTime: '02:15' },
  ),
  breachComparison: fc.constantFrom('BELOW', 'AT_OR_BELOW'),
  dailyLoss: maybe(dailyLossArb),
  maxLoss: maybe(maxLossArb),
  maxLossPerTrade: maybe(
    fc.oneof(fc.record({ pct: fc.constant('1'), action }), fc.record({ amount: fc.constant('800.00'), action })),
  ),
  profitTarget: maybe(
    fc.record({
      pct: fc.constantFrom('1', '2', '5'),
      requireFlat: fc.boolean(),
      measure: fc.constantFrom('BALANCE', 'EQUITY'),
    }),
  ),
  minTradingDays: fc.integer({ min: 0, max: 3 }),
  maxTradingDays: maybe(fc.integer({ min: 1, max: 6 })),
  maxDays: maybe(fc.integer({ min: 1, max: 12 })),
  maxInactiveDays: maybe(fc.integer({ min: 1, max: 4 })),
  tradingDay: fc.constantFrom('OPEN', 'ANY_DEAL'),
  consistency: maybe(
    fc.record({
      maxBestDayPct: fc.constantFrom('40', '50', '100'),
      denominator: fc.constantFrom('NET_PROFIT', 'POSITIVE_DAYS'),
      comparison: fc.constantFrom('AT_MOST', 'BELOW'),
      basis: fc.constantFrom('DAY', 'TRADE'),
    }),
  ),
  minProfitableDays: maybe(
    fc.record({ count: fc.integer({ min: 1, max: 3 }), minPctOfInitial: fc.constantFrom('0', '0.5') }),
  ),
  passAt: fc.constantFrom('EVENT', 'NEXT_RESET'),
});

// ----- event streams -----

/** What happens next, before it is turned into a platform event. */
type Step =
  | { kind: 'open'; slot: number; lots: number; commission: number; reportEquity: boolean }
  | { kind: 'close'; slot: number; partial: boolean; profit: number; reportEquity: boolean }
  | { kind: 'equity'; float: number }
  | { kind: 'balance'; amount: number }
  | { kind: 'clock' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('open' as const),
      slot: fc.nat(4),
      lots: fc.integer({ min: 1, max: 4 }),
      commission: fc.integer({ min: -800, max: 0 }),
      reportEquity: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('close' as const),
      slot: fc.nat(5),
      partial: fc.boolean(),
      profit: fc.integer({ min: -350_000, max: 600_000 }),
      reportEquity: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('equity' as const), float: fc.integer({ min: -900_000, max: 700_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('balance' as const),
      amount: fc.integer({ min: -500_000, max: 300_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const) }) },
);

const STARTS = [
  Date.UTC(2025, 2, 27, 6), // before the EU spring-forward
  Date.UTC(2025, 9, 30, 6), // before the US fall-back
  Date.UTC(2025, 9, 2, 10), // before Lord Howe's spring-forward
  Date.UTC(2025, 6, 1, 0),
];

const streamArb = fc.record({
  start: fc.constantFrom(...STARTS),
  steps: fc.array(fc.tuple(fc.integer({ min: 0, max: 20 * 60 }), stepArb), { minLength: 1, maxLength: 80 }),
});

const money = (cents: number) => formatMoney(cents, 2);

/** Turns steps into wire events, keeping track of open positions so that closes are plausible. */
function buildEvents(start: number, steps: [number, Step][]): PhaseEvent[] {
  const open = new Map<string, number>(); // position id -> open lots
  let balance = INITIAL;
  let at = start;
  const wire: Record<string, unknown>[] = [];
  for (const [minutes, step] of steps) {
    at += minutes * 60_000;
    const iso = new Date(at).toISOString();
    const base = { at: iso, symbol: 'EURUSD', price: '1.10000', swap: '0.00' };
    switch (step.kind) {
      case 'open': {
        // Reopening a slot after it was closed reuses the position id: a new result must start.
        const id = `p${step.slot}`;
        open.set(id, (open.get(id) ?? 0) + step.lots);
        balance += step.commission;
        wire.push({
          ...base,
          type: 'deal',
          id: `d${wire.length}`,
          position: id,
          entry: 'in',
          side: 'buy',
          volume: `${step.lots}.00`,
          profit: '0.00',
          commission: money(step.commission),
          ...(step.reportEquity ? { equity: money(balance) } : {}),
        });
        break;
      }
      case 'close': {
        const id = `p${step.slot}`;
        const lots = open.get(id) ?? 1; // slot 5 is never opened: an `out` for an unknown position
        const closing = step.partial && lots > 1 ? 1 : lots;
        if (closing === lots) open.delete(id);
        else open.set(id, lots - closing);
        balance += step.profit;
        wire.push({
          ...base,
          type: 'deal',
          id: `d${wire.length}`,
          position: id,
          entry: 'out',
          side: 'sell',
          volume: `${closing}.00`,
          profit: money(step.profit),
          commission: '0.00',
          ...(step.reportEquity ? { equity: money(balance + (open.size > 0 ? -1234 : 0)) } : {}),
        });
        break;
      }
      case 'equity':
        wire.push({ at: iso, type: 'equity', equity: money(balance + (open.size > 0 ? step.float : 0)) });
        break;
      case 'balance':
        balance += step.amount;
        wire.push({ at: iso, type: 'balance', amount: money(step.amount) });
        break;
      case 'clock':
        wire.push({ at: iso, type: 'clock' });
        break;
    }
  }
  return wire.map((raw) => parseEvent(raw, 'USD'));
}

const scenarioArb = fc.record({ rules: rulesArb, stream: streamArb }).map(({ rules, stream }) => ({
  rules: parsePhaseRules(rules),
  events: buildEvents(stream.start, stream.steps),
}));

type Prepared = { rules: ReturnType<typeof parsePhaseRules>; events: PhaseEvent[] };

function replay({ rules, events }: Prepared, from?: PhaseState, startAt = 0) {
  const state = from ?? createPhaseState(rules, ACCOUNT);
  const transitions: Transition[] = [];
  for (let index = startAt; index < events.length; index++) {
    transitions.push(...applyEvent(state, events[index], index).transitions);
  }
  return { state, transitions };
}

const RUNS = { numRuns: 300 };

describe('engine properties', () => {
  it('replaying the same events twice gives the same state, outcome and transitions', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const first = replay(scenario);
        const second = replay(scenario);
        expect(second.state).toEqual(first.state);
        expect(outcome(second.state)).toEqual(outcome(first.state));
        expect(second.transitions).toEqual(first.transitions);
      }),
      RUNS,
    );
  });

  it('a JSON snapshot taken at any point and resumed ends exactly like an uninterrupted run', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, cut) => {
        const straight = replay(scenario);
        const split = cut % (scenario.events.length + 1);
        const head = replay({ ...scenario, events: scenario.events.slice(0, split) });
        const snapshot = JSON.parse(JSON.stringify(head.state)) as PhaseState;
        const tail = replay(scenario, snapshot, split);
        expect(JSON.stringify(tail.state)).toBe(JSON.stringify(straight.state));
        expect(outcome(tail.state)).toEqual(outcome(straight.state));
        expect([...head.transitions, ...tail.transitions]).toEqual(straight.transitions);
      }),
      RUNS,
    );
  });

  it('delivering every event twice changes nothing: each transition happens once', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const once = replay(scenario);
        const state = createPhaseState(scenario.rules, ACCOUNT);
        const transitions: Transition[] = [];
        scenario.events.forEach((event, index) => {
          transitions.push(...applyEvent(state, event, index).transitions);
          transitions.push(...applyEvent(state, event, index).transitions);
        });
        expect(state).toEqual(once.state);
        expect(transitions).toEqual(once.transitions);
      }),
      RUNS,
    );
  });

  it('the max loss floor never moves down', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const state = createPhaseState(scenario.rules, ACCOUNT);
        let previous = state.maxLossFloor;
        scenario.events.forEach((event, index) => {
          applyEvent(state, event, index);
          if (previous !== null) expect(state.maxLossFloor as number).toBeGreaterThanOrEqual(previous);
          previous = state.maxLossFloor;
        });
      }),
      RUNS,
    );
  });

  it('a DAY_HIGH daily floor only rises within a day, except when a balance operation moves it', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        fc.pre(scenario.rules.dailyLoss?.reference === 'DAY_HIGH');
        const state = createPhaseState(scenario.rules, ACCOUNT);
        scenario.events.forEach((event, index) => {
          const day = state.day;
          const floor = state.dailyLossFloor as number;
          applyEvent(state, event, index);
          if (state.status === 'ACTIVE' && state.day === day && event.type !== 'balance') {
            expect(state.dailyLossFloor as number).toBeGreaterThanOrEqual(floor);
          }
        });
      }),
      RUNS,
    );
  });

  it('a phase ends at most once: a breached phase never passes and nothing follows the end', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { state, transitions } = replay(scenario);
        const endings = transitions.filter((t) => t.type !== 'SOFT_BREACH');
        expect(endings.length).toBeLessThanOrEqual(1);
        if (endings.length === 1) expect(transitions[transitions.length - 1]).toBe(endings[0]);
        const result = outcome(state);
        if (result.status === 'BREACHED') expect(state.pass).toBeNull();
        if (result.status === 'PASSED') expect(state.breach).toBeNull();
        if (result.status === 'ACTIVE') expect(endings).toHaveLength(0);
      }),
      RUNS,
    );
  });

  it('the balance is I plus every applied deal and balance operation', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const state = createPhaseState(scenario.rules, ACCOUNT);
        let expected = INITIAL;
        scenario.events.forEach((event, index) => {
          const { transitions } = applyEvent(state, event, index);
          // A transition at a reset ends the phase before the event is applied.
          const resetEnded = transitions.some(
            (t) =>
              (t.type === 'PASS' && t.pass.atReset) ||
              (t.type === 'BREACH' && (t.breach.rule === 'TIME_LIMIT' || t.breach.rule === 'INACTIVITY')),
          );
          if (state.lastEventIndex === index && !resetEnded) {
            if (event.type === 'deal') expected += event.cash;
            if (event.type === 'balance') expected += event.amount;
          }
          expect(state.balance).toBe(expected);
          expect(state.tradingDays).toBeLessThanOrEqual(Math.max(state.day, 0));
        });
      }),
      RUNS,
    );
  });
});
