/**
 * Staff actions as journal events: extend, reinstate, pass, fail, close. Unit cases for each, and
 * properties over generated streams with staff actions mixed in: floors never move down at a staff
 * event, and a stream with reinstatements replays (and resumes from a JSON snapshot) to the same state.
 */
import fc from 'fast-check';
import {
  applyEvent,
  createPhaseState,
  EventParseError,
  outcome,
  type PhaseEvent,
  type PhaseState,
  parseEvent,
  STAFF_ACTIONS,
  staffActionProblem,
  type Transition,
} from './engine';
import { formatMoney } from './money';
import { parsePhaseRules } from './rules.schema';

const USD_100K = { initialBalance: '100000.00', currency: 'USD' };
const RULES = { dailyLoss: { pct: '5' }, maxLoss: { pct: '10' }, profitTarget: { pct: '10' }, maxDays: 5 };

const deal = (at: string, position: string, entry: 'in' | 'out', profit: string, equity?: string) => ({
  at,
  type: 'deal',
  id: `${position}-${entry}-${at}`,
  position,
  entry,
  volume: '1.00',
  profit,
  commission: '0.00',
  swap: '0.00',
  ...(equity ? { equity } : {}),
});
const staff = (at: string, id: string, action: string, extra: Record<string, unknown> = {}) => ({
  at,
  type: 'staff',
  id,
  action,
  ...extra,
});

function run(rules: object, wire: object[]) {
  const state = createPhaseState(parsePhaseRules(rules), USD_100K);
  const transitions: Transition[] = [];
  for (const [index, raw] of wire.entries()) {
    transitions.push(...applyEvent(state, parseEvent(raw, 'USD'), index).transitions);
  }
  return { state, transitions };
}

describe('parsing a staff event', () => {
  it('reads the action, its id, the days of an extension and the reason', () => {
    expect(parseEvent(staff('2025-03-03T10:00:00Z', 'a1', 'EXTEND', { days: 3, reason: 'Outage' }), 'USD')).toEqual({
      type: 'staff',
      at: Date.parse('2025-03-03T10:00:00Z'),
      id: 'a1',
      action: 'EXTEND',
      days: 3,
      reason: 'Outage',
    });
  });

  it.each<[object, string[]]>([
    [staff('2025-03-03T10:00:00Z', 'a1', 'UNDO'), ['action']],
    [staff('2025-03-03T10:00:00Z', 'a1', 'EXTEND'), ['days']],
    [staff('2025-03-03T10:00:00Z', 'a1', 'EXTEND', { days: 0 }), ['days']],
    [staff('2025-03-03T10:00:00Z', 'a1', 'EXTEND', { days: 1.5 }), ['days']],
    [staff('2025-03-03T10:00:00Z', '', 'PASS'), ['id']],
    [staff('2025-03-03T10:00:00Z', 'a1', 'FAIL', { reason: 7 }), ['reason']],
  ])('refuses %j at %j', (raw, path) => {
    expect(() => parseEvent(raw, 'USD')).toThrow(EventParseError);
    try {
      parseEvent(raw, 'USD');
    } catch (error) {
      expect((error as EventParseError).path).toEqual(path);
    }
  });
});

describe('staff actions', () => {
  it('extends maxDays and maxTradingDays by the days given and reports it', () => {
    const { state, transitions } = run({ ...RULES, maxTradingDays: 3 }, [
      deal('2025-03-03T08:00:00Z', 'p1', 'in', '0.00'),
      staff('2025-03-03T09:00:00Z', 'a1', 'EXTEND', { days: 2, reason: 'Outage' }),
    ]);
    expect(state.limits.maxDays).toBe(7);
    expect(state.limits.maxTradingDays).toBe(5);
    expect(transitions).toEqual([
      {
        type: 'EXTEND',
        staff: { action: 'EXTEND', id: 'a1', event: 1, at: '2025-03-03T09:00:00Z', reason: 'Outage', days: 2 },
      },
    ]);
  });

  it('fails by hand with rule MANUAL and passes by hand with the reason kept', () => {
    const failed = run(RULES, [
      deal('2025-03-03T08:00:00Z', 'p1', 'in', '0.00'),
      staff('2025-03-03T09:00:00Z', 'a1', 'FAIL', { reason: 'Prohibited strategy' }),
    ]);
    expect(failed.transitions).toEqual([
      {
        type: 'BREACH',
        breach: { rule: 'MANUAL', event: 1, at: '2025-03-03T09:00:00Z', id: 'a1', reason: 'Prohibited strategy' },
      },
    ]);
    const passed = run(RULES, [staff('2025-03-03T09:00:00Z', 'a2', 'PASS', { reason: 'Reviewed' })]);
    expect(passed.transitions).toEqual([
      {
        type: 'PASS',
        pass: { event: 0, at: '2025-03-03T09:00:00Z', atReset: false, manual: { id: 'a2', reason: 'Reviewed' } },
      },
    ]);
    // A staff action does not start the phase: the first trade still opens day 1.
    expect(passed.state.day).toBe(0);
  });

  it('reinstates a breach with the withdrawn breach in the record and trading figures from after the breach', () => {
    const { state, transitions } = run(RULES, [
      deal('2025-03-03T08:00:00Z', 'p1', 'in', '0.00'),
      { at: '2025-03-03T09:00:00Z', type: 'equity', equity: '89000.00' },
      // The platform closes the position after the breach, at a smaller loss than the spike.
      deal('2025-03-03T09:01:00Z', 'p1', 'out', '-1500.00'),
      staff('2025-03-03T10:00:00Z', 'a1', 'REINSTATE', { reason: 'Bad tick' }),
    ]);
    expect(transitions.map((t) => t.type)).toEqual(['BREACH', 'REINSTATE']);
    const reinstated = transitions[1] as { staff: { withdrawn?: object } };
    expect(reinstated.staff.withdrawn).toMatchObject({ rule: 'DAILY_LOSS', floor: '95000.00', equity: '89000.00' });
    expect(outcome(state)).toMatchObject({ status: 'ACTIVE', balance: '98500.00', rule: null });
    expect(state.equity).toBe(9_850_000);
    expect(state.openPositions).toBe(0);
  });

  it('explains why an action does not apply, and the engine leaves the phase as it was', () => {
    const { state } = run(RULES, [
      deal('2025-03-03T08:00:00Z', 'p1', 'in', '0.00'),
      { at: '2025-03-03T09:00:00Z', type: 'equity', equity: '94000.00' },
    ]);
    expect(staffActionProblem(state, 'PASS')).toBe('Only an active account can be passed');
    expect(staffActionProblem(state, 'FAIL')).toBe('Only an active account can be failed');
    expect(staffActionProblem(state, 'EXTEND')).toMatch(/active account, or one that ran out of time/);
    // Still under the day's floor the same day; the next day's floor is computed afresh.
    expect(staffActionProblem(state, 'REINSTATE', Date.parse('2025-03-03T10:00:00Z'))).toBe(
      'Equity 94000.00 is still below the daily loss floor 95000.00: reinstating would breach again at once',
    );
    expect(staffActionProblem(state, 'REINSTATE', Date.parse('2025-03-04T10:00:00Z'))).toBeNull();
    const before = JSON.stringify(state);
    applyEvent(state, parseEvent(staff('2025-03-03T10:00:00Z', 'a1', 'PASS'), 'USD'), 5);
    expect(outcome(state).status).toBe('BREACHED');
    expect(JSON.parse(JSON.stringify(state)).breach).toEqual(JSON.parse(before).breach);
    const funded = createPhaseState(parsePhaseRules({ maxLoss: { pct: '10' } }), USD_100K);
    expect(staffActionProblem(funded, 'PASS')).toBe('A funded account has no pass');
    expect(staffActionProblem(funded, 'EXTEND')).toBe('This phase has no time limit to extend');
  });

  it('does an action delivered twice once', () => {
    const once = run(RULES, [staff('2025-03-03T09:00:00Z', 'a1', 'EXTEND', { days: 2 })]);
    const state = createPhaseState(parsePhaseRules(RULES), USD_100K);
    const event = parseEvent(staff('2025-03-03T09:00:00Z', 'a1', 'EXTEND', { days: 2 }), 'USD');
    expect(applyEvent(state, event, 0).transitions).toHaveLength(1);
    expect(applyEvent(state, event, 0).transitions).toHaveLength(0);
    expect(state).toEqual(once.state);
  });

  it('closes an active or breached phase and nothing applies after it', () => {
    const { state, transitions } = run(RULES, [
      deal('2025-03-03T08:00:00Z', 'p1', 'in', '0.00'),
      { at: '2025-03-03T09:00:00Z', type: 'equity', equity: '89000.00' },
      staff('2025-03-03T10:00:00Z', 'a1', 'CLOSE', { reason: 'Closed on request' }),
      staff('2025-03-03T11:00:00Z', 'a2', 'REINSTATE'),
    ]);
    expect(transitions.map((t) => t.type)).toEqual(['BREACH', 'CLOSE']);
    expect(outcome(state).status).toBe('CLOSED');
    expect(staffActionProblem(state, 'CLOSE')).toBe('Only an active or breached account can be closed');
  });
});

// ----- properties -----

type Step =
  | { kind: 'open'; slot: number }
  | { kind: 'close'; slot: number; profit: number }
  | { kind: 'equity'; float: number }
  | { kind: 'clock' }
  | { kind: 'staff'; action: (typeof STAFF_ACTIONS)[number]; days: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('open' as const), slot: fc.nat(3) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('close' as const),
      slot: fc.nat(3),
      profit: fc.integer({ min: -700_000, max: 700_000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('equity' as const),
      float: fc.integer({ min: -1_200_000, max: 900_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('staff' as const),
      action: fc.constantFrom(...STAFF_ACTIONS, 'REINSTATE', 'REINSTATE'),
      days: fc.integer({ min: 1, max: 5 }),
    }),
  },
);

const rulesArb = fc.record({
  dailyLoss: fc.constantFrom(
    null,
    { pct: '5' },
    { pct: '4', reference: 'DAY_HIGH' },
    { amount: '3000.00', action: 'SOFT' },
  ),
  maxLoss: fc.constantFrom(
    null,
    { pct: '10' },
    { amount: '6000.00', mode: 'TRAILING_INTRADAY', lockAt: '0.00' },
    { amount: '6000.00', mode: 'TRAILING_EOD' },
  ),
  profitTarget: fc.constantFrom(null, { pct: '5' }),
  maxDays: fc.constantFrom(null, 2, 4),
  maxTradingDays: fc.constantFrom(null, 2),
  maxInactiveDays: fc.constantFrom(null, 2),
});

const money = (cents: number) => formatMoney(cents, 2);

function buildEvents(steps: [number, Step][]): PhaseEvent[] {
  let at = Date.UTC(2025, 2, 27, 6);
  let balance = 10_000_000;
  const open = new Set<string>();
  return steps.map(([minutes, step], index) => {
    at += minutes * 60_000;
    const iso = new Date(at).toISOString();
    let raw: object;
    switch (step.kind) {
      case 'open':
        open.add(`p${step.slot}`);
        raw = deal(iso, `p${step.slot}`, 'in', '0.00');
        break;
      case 'close':
        open.delete(`p${step.slot}`);
        balance += step.profit;
        raw = deal(iso, `p${step.slot}`, 'out', money(step.profit));
        break;
      case 'equity':
        raw = { at: iso, type: 'equity', equity: money(balance + (open.size > 0 ? step.float : 0)) };
        break;
      case 'clock':
        raw = { at: iso, type: 'clock' };
        break;
      case 'staff':
        raw = staff(iso, `a${index}`, step.action, { days: step.days, reason: 'generated' });
        break;
    }
    return parseEvent(raw, 'USD');
  });
}

const scenarioArb = fc
  .record({
    rules: rulesArb,
    steps: fc.array(fc.tuple(fc.integer({ min: 0, max: 16 * 60 }), stepArb), { minLength: 1, maxLength: 60 }),
  })
  .map(({ rules, steps }) => ({ rules: parsePhaseRules(rules), events: buildEvents(steps) }));

function replay(
  scenario: { rules: ReturnType<typeof parsePhaseRules>; events: PhaseEvent[] },
  from?: PhaseState,
  startAt = 0,
) {
  const state = from ?? createPhaseState(scenario.rules, USD_100K);
  const transitions: Transition[] = [];
  for (let i = startAt; i < scenario.events.length; i++) {
    transitions.push(...applyEvent(state, scenario.events[i], i).transitions);
  }
  return { state, transitions };
}

describe('staff action properties', () => {
  it('a staff event never makes a floor move down', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const state = createPhaseState(scenario.rules, USD_100K);
        scenario.events.forEach((event, index) => {
          const day = state.day;
          const daily = state.dailyLossFloor;
          const max = state.maxLossFloor;
          applyEvent(state, event, index);
          if (event.type !== 'staff') return;
          if (max !== null) expect(state.maxLossFloor as number).toBeGreaterThanOrEqual(max);
          // A staff event lets time pass like any event: a new day's daily floor is the reset's business.
          if (daily !== null && state.day === day) expect(state.dailyLossFloor as number).toBeGreaterThanOrEqual(daily);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a stream with reinstatements replays, and resumes from a JSON snapshot, to the same state', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, cut) => {
        const straight = replay(scenario);
        expect(replay(scenario).state).toEqual(straight.state);
        const split = cut % (scenario.events.length + 1);
        const head = replay({ ...scenario, events: scenario.events.slice(0, split) });
        const snapshot = JSON.parse(JSON.stringify(head.state)) as PhaseState;
        const tail = replay(scenario, snapshot, split);
        expect(JSON.stringify(tail.state)).toBe(JSON.stringify(straight.state));
        expect([...head.transitions, ...tail.transitions]).toEqual(straight.transitions);
      }),
      { numRuns: 300 },
    );
  });

  it('after a reinstatement the phase is active with no breach, and a pass never follows a breach unreinstated', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { transitions, state } = replay(scenario);
        let ended: string | null = null;
        for (const t of transitions) {
          if (t.type === 'REINSTATE') {
            expect(ended).toBe('BREACH');
            ended = null;
          } else if (t.type === 'BREACH' || t.type === 'PASS' || t.type === 'CLOSE') {
            // Only a close follows a breach; nothing follows a pass or a close.
            if (ended !== null) expect([ended, t.type]).toEqual(['BREACH', 'CLOSE']);
            ended = t.type;
          }
        }
        if (state.status === 'ACTIVE') expect(state.breach).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
