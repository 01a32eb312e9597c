/**
 * The simulated traders do what their names say, judged by FTMO-like rules: 5 % daily loss from
 * the day's starting balance, 10 % static maximum loss on equity, a 10 % target on closed balance
 * with no position open, four trading days, and a 50 % best-day consistency rule. Days are UTC.
 * The checker below is deliberately tiny; the real engine (rules/engine.ts) is asked the same
 * question as a cross-check.
 */
import { applyEvent, createPhaseState, metrics, outcome, parseEvent } from '../../rules/engine';
import { parsePhaseRules } from '../../rules/rules.schema';
import type { PlatformEvent } from '../platform';
import { SimulatedPlatform } from './simulator';

const DAY = 86_400_000;
const INITIAL = 10_000_000; // cents
const cents = (amount: string) => Math.round(Number(amount) * 100);

interface Verdict {
  status: 'ACTIVE' | 'BREACHED' | 'PASSED';
  rule?: 'DAILY_LOSS' | 'MAX_LOSS';
  /** First instant the target was met, flat, but the best day was over half the profit. */
  heldBack?: { at: string; bestDay: number; net: number };
}

function ftmoCheck(events: readonly PlatformEvent[], login: string): Verdict {
  let balance = INITIAL;
  let equity = INITIAL;
  let dayStart = INITIAL;
  let day = -1;
  const open = new Set<string>();
  const dayProfit = new Map<number, number>();
  const tradingDays = new Set<number>();
  const verdict: Verdict = { status: 'ACTIVE' };
  for (const event of events) {
    if (event.type === 'quote' || event.type === 'position' || event.login !== login) continue;
    const today = Math.floor(Date.parse(event.at) / DAY);
    if (today !== day) [day, dayStart] = [today, balance];
    if (event.type === 'deal') {
      const cash = cents(event.profit) + cents(event.commission) + cents(event.swap);
      balance += cash;
      dayProfit.set(today, (dayProfit.get(today) ?? 0) + cash);
      if (event.entry === 'in') open.add(event.position);
      else open.delete(event.position);
      if (event.entry === 'in') tradingDays.add(today);
      if (event.equity !== undefined) equity = cents(event.equity);
    } else if (event.type === 'equity') {
      equity = cents(event.equity);
    } else if (event.type === 'balance') {
      const amount = cents(event.amount);
      [balance, equity, dayStart] = [balance + amount, equity + amount, dayStart + amount];
    }
    if (equity < dayStart - INITIAL * 0.05) return { ...verdict, status: 'BREACHED', rule: 'DAILY_LOSS' };
    if (equity < INITIAL * 0.9) return { ...verdict, status: 'BREACHED', rule: 'MAX_LOSS' };
    if (balance >= INITIAL * 1.1 && open.size === 0 && tradingDays.size >= 4) {
      const bestDay = Math.max(...dayProfit.values());
      const net = balance - INITIAL;
      if (bestDay / net <= 0.5) return { ...verdict, status: 'PASSED' };
      verdict.heldBack ??= { at: event.at, bestDay, net };
    }
  }
  return verdict;
}

/** The same events through the project's rule engine, with the same rules. */
function engineCheck(events: readonly PlatformEvent[], login: string) {
  const rules = parsePhaseRules({
    dayReset: { timeZone: 'UTC', localTime: '00:00' },
    dailyLoss: { pct: '5', reference: 'BALANCE', of: 'INITIAL' },
    maxLoss: { pct: '10', mode: 'STATIC' },
    profitTarget: { pct: '10', requireFlat: true },
    minTradingDays: 4,
    consistency: { maxBestDayPct: '50', denominator: 'NET_PROFIT', comparison: 'AT_MOST' },
  });
  const state = createPhaseState(rules, { initialBalance: '100000.00', currency: 'USD' });
  let index = 0;
  for (const event of events) {
    if (event.type === 'quote' || event.type === 'position' || event.login !== login) continue;
    applyEvent(state, parseEvent(event, 'USD'), index);
    index += 1;
  }
  return { outcome: outcome(state), metrics: metrics(state) };
}

describe('simulated traders under FTMO-like rules', () => {
  it('the gambler breaches and the lucky-day trader is held back by consistency within 30 days', () => {
    const sim = new SimulatedPlatform({ seed: 1 });
    const events: PlatformEvent[] = [];
    sim.subscribe((batch) => events.push(...batch));
    const [gambler, lucky] = sim.addTraders(2, { behaviours: ['GAMBLER', 'LUCKY_DAY'] });

    let days = 0;
    let gamblerVerdict = ftmoCheck(events, gambler);
    let luckyVerdict = ftmoCheck(events, lucky);
    while (days < 30 && (gamblerVerdict.status !== 'BREACHED' || luckyVerdict.heldBack === undefined)) {
      sim.runFor(DAY);
      days += 1;
      gamblerVerdict = ftmoCheck(events, gambler);
      luckyVerdict = ftmoCheck(events, lucky);
    }

    expect(gamblerVerdict.status).toBe('BREACHED');
    expect(luckyVerdict.status).toBe('ACTIVE');
    expect(luckyVerdict.heldBack).toBeDefined();
    const { bestDay, net } = luckyVerdict.heldBack ?? { bestDay: 0, net: 1 };
    expect(net).toBeGreaterThanOrEqual(INITIAL * 0.1);
    expect(bestDay / net).toBeGreaterThan(0.5);
    expect(days).toBeLessThanOrEqual(30);

    // The real engine agrees on both accounts.
    const gamblerEngine = engineCheck(events, gambler);
    expect(gamblerEngine.outcome).toMatchObject({ status: 'BREACHED', rule: gamblerVerdict.rule });
    const luckyEngine = engineCheck(events, lucky);
    expect(luckyEngine.outcome.status).toBe('ACTIVE');
    expect(luckyEngine.metrics.profitTarget?.met).toBe(true);
    expect(luckyEngine.metrics.consistency?.holds).toBe(false);
  });
});
