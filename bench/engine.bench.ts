/**
 * Rule engine throughput: events per second on one core.
 *
 * Run from the repository root (tsx is a dependency of packages/api, so use that copy):
 *   packages/api/node_modules/.bin/tsx bench/engine.bench.ts [events]
 *
 * 1. A deterministic stream of 3,000,000 events (default) over ~250 days — equity ticks, deals that
 *    open, partly close and close positions, clock events across resets and DST changes, a few
 *    balance operations — is generated as wire JSON, parsed once (edge cost, reported apart), and
 *    replayed through two rule sets: FTMO defaults, and a DAY_HIGH daily loss with an intraday
 *    trailing, locking max loss, a per-trade limit and trade-based consistency (New York 17:00
 *    resets). The stream keeps the account ACTIVE to the end, so every event is really applied;
 *    the bench checks that.
 * 2. All golden scenarios replayed many times, a fresh phase each time (phase creation, the first
 *    day's time-zone lookup and every reset included).
 */
import { readdirSync } from 'node:fs';
import { cpus, platform, arch, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import {
  applyEvent,
  createPhaseState,
  outcome,
  type PhaseEvent,
  type PhaseState,
  parseEvent,
} from '../packages/api/src/rules/engine';
import { formatMoney } from '../packages/api/src/rules/money';
import { type PhaseRules, parsePhaseRules } from '../packages/api/src/rules/rules.schema';
import { prepareScenario, readScenario } from '../packages/api/src/rules/scenario';

const EVENT_COUNT = Number(process.argv[2] ?? 3_000_000);
const RUNS = 5;
const GOLDEN_DIR = resolve(__dirname, '../../shared/golden');
const ACCOUNT = { initialBalance: '100000.00', currency: 'USD' };
const INITIAL = 10_000_000; // cents

const RULE_SETS: Record<string, unknown> = {
  'FTMO defaults (BALANCE/INITIAL 5 %, STATIC 10 %, target 10 %, Prague)': {
    dayReset: { timeZone: 'Europe/Prague', localTime: '00:00' },
    dailyLoss: { pct: '5', reference: 'BALANCE', of: 'INITIAL' },
    maxLoss: { pct: '10', mode: 'STATIC' },
    profitTarget: { pct: '10', requireFlat: true },
    minTradingDays: 4,
  },
  'DAY_HIGH 4 % of REFERENCE, TRAILING_INTRADAY 6,000 lockAt 0, per-trade 1 %, consistency TRADE (New York 17:00)': {
    dayReset: { timeZone: 'America/New_York', localTime: '17:00' },
    breachComparison: 'AT_OR_BELOW',
    dailyLoss: { pct: '4', reference: 'DAY_HIGH', of: 'REFERENCE' },
    maxLoss: { amount: '6000.00', mode: 'TRAILING_INTRADAY', lockAt: '0.00' },
    maxLossPerTrade: { pct: '1' },
    profitTarget: { pct: '8', requireFlat: false },
    consistency: { maxBestDayPct: '40', basis: 'TRADE', denominator: 'POSITIVE_DAYS' },
    minTradingDays: 5,
  },
};

/** mulberry32: a small deterministic PRNG, so every run replays the same stream. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Wire events in batches. Balance and floating profit revert towards I, so the account trades for
 * months without reaching a floor or the target.
 */
function* wireBatches(total: number, batchSize: number): Generator<Record<string, unknown>[]> {
  const random = prng(20250303);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const money = (cents: number) => formatMoney(cents, 2);
  let at = Date.UTC(2025, 0, 6, 0, 0, 0); // spans both DST changes of 2025
  let balance = INITIAL;
  let floating = 0;
  let nextPosition = 0;
  const open: { id: string; lots: number }[] = [];
  let made = 0;
  while (made < total) {
    const batch: Record<string, unknown>[] = [];
    for (let i = 0; i < batchSize && made < total; i++, made++) {
      at += int(1, 13) * 1000;
      const iso = new Date(at).toISOString();
      const roll = random();
      if (open.length > 0) floating = Math.max(-60_000, Math.min(60_000, floating + int(-4_000, 4_000)));
      else floating = 0;
      if (roll < 0.7) {
        batch.push({ at: iso, type: 'equity', equity: money(balance + floating) });
      } else if (roll < 0.97) {
        const opening = open.length === 0 || (open.length < 3 && random() < 0.5);
        if (opening) {
          // Now and then a closed id opens again, which must start a new result.
          const reused = random() < 0.1 && nextPosition > 0 ? `p${int(0, nextPosition - 1)}` : null;
          const id = reused !== null && !open.some((p) => p.id === reused) ? reused : `p${nextPosition++}`;
          const lots = int(1, 3);
          open.push({ id, lots });
          const commission = -int(0, 700);
          balance += commission;
          batch.push({
            at: iso,
            type: 'deal',
            id: `d${made}`,
            position: id,
            entry: 'in',
            symbol: 'EURUSD',
            side: 'buy',
            volume: `${lots}.00`,
            price: '1.08500',
            profit: '0.00',
            commission: money(commission),
            swap: '0.00',
            equity: money(balance + floating),
          });
        } else {
          const k = int(0, open.length - 1);
          const position = open[k];
          const closing = position.lots > 1 && random() < 0.3 ? 1 : position.lots;
          position.lots -= closing;
          if (position.lots === 0) open.splice(k, 1);
          const profit = int(-15_000, 15_000) - Math.trunc((balance - INITIAL) / 20);
          const swap = -int(0, 50);
          balance += profit + swap;
          const event: Record<string, unknown> = {
            at: iso,
            type: 'deal',
            id: `d${made}`,
            position: position.id,
            entry: 'out',
            symbol: 'EURUSD',
            side: 'sell',
            volume: `${closing}.00`,
            price: '1.08600',
            profit: money(profit),
            commission: '0.00',
            swap: money(swap),
          };
          if (open.length > 0) event.equity = money(balance + floating);
          batch.push(event);
        }
      } else if (roll < 0.9995) {
        batch.push({ at: iso, type: 'clock' });
      } else {
        const amount = int(-5_000, 5_000) - Math.trunc((balance - INITIAL) / 10);
        balance += amount;
        batch.push({ at: iso, type: 'balance', amount: money(amount) });
      }
    }
    yield batch;
  }
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const rate = (events: number, secs: number) => `${(events / secs / 1e6).toFixed(2)} M events/s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function replayStream(rules: PhaseRules, events: PhaseEvent[]): PhaseState {
  const state = createPhaseState(rules, ACCOUNT);
  for (let index = 0; index < events.length; index++) applyEvent(state, events[index], index);
  return state;
}

function benchStream(): void {
  const events: PhaseEvent[] = [];
  let parseSeconds = 0;
  for (const batch of wireBatches(EVENT_COUNT, 100_000)) {
    const start = process.hrtime.bigint();
    for (const raw of batch) events.push(parseEvent(raw, 'USD'));
    parseSeconds += seconds(start);
  }
  const days = (events[events.length - 1].at - events[0].at) / 86_400_000;
  console.log(`Stream: ${events.length.toLocaleString('en')} events over ${days.toFixed(0)} days`);
  console.log(`  parseEvent (wire JSON -> minor units, once at the edge): ${rate(events.length, parseSeconds)}`);

  for (const [label, raw] of Object.entries(RULE_SETS)) {
    const rules = parsePhaseRules(raw);
    replayStream(rules, events.slice(0, 200_000)); // warm-up
    const times: number[] = [];
    let last: PhaseState | null = null;
    for (let run = 0; run < RUNS; run++) {
      const start = process.hrtime.bigint();
      last = replayStream(rules, events);
      times.push(seconds(start));
    }
    const state = last as PhaseState;
    const result = outcome(state);
    if (result.status !== 'ACTIVE' || state.lastEventIndex !== events.length - 1) {
      throw new Error(`the stream did not stay ACTIVE under "${label}": ${JSON.stringify(result)}`);
    }
    console.log(`  ${label}`);
    console.log(
      `    applyEvent: best ${rate(events.length, Math.min(...times))}, median ${rate(events.length, median(times))}` +
        ` (${RUNS} runs; ${state.day} days, ${state.tradingDays} trading days, ${state.softBreaches.length} soft breaches, still ACTIVE)`,
    );
  }
}

function benchGolden(): void {
  const files = readdirSync(GOLDEN_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const scenarios = files.map((name) => {
    const scenario = readScenario(join(GOLDEN_DIR, name));
    return {
      rules: parsePhaseRules(scenario.rules),
      account: scenario.account,
      events: prepareScenario(scenario).events,
    };
  });
  const perRound = scenarios.reduce((sum, s) => sum + s.events.length, 0);
  const rounds = Math.max(1, Math.round(500_000 / perRound));
  const round = () => {
    for (const { rules, account, events } of scenarios) {
      const state = createPhaseState(rules, account);
      for (let index = 0; index < events.length; index++) applyEvent(state, events[index], index);
    }
  };
  for (let i = 0; i < 200; i++) round(); // warm-up
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) round();
    times.push(seconds(start));
  }
  const events = perRound * rounds;
  const phases = scenarios.length * rounds;
  console.log(
    `Golden scenarios: ${scenarios.length} files, ${perRound} events per round, ${rounds.toLocaleString('en')} rounds` +
      ` (a fresh phase per scenario: creation, first-day zone lookup and resets included)`,
  );
  console.log(
    `  best ${rate(events, Math.min(...times))}, median ${rate(events, median(times))};` +
      ` ${(phases / Math.min(...times) / 1e3).toFixed(0)} k phases/s`,
  );
}

console.log(
  `Machine: ${cpus()[0].model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()}-${arch()}`,
);
console.log(`Node ${process.version}, one core (single-threaded loop)`);
benchStream();
benchGolden();
