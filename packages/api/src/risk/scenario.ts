/**
 * Risk scenarios (./scenarios/*.json): risk groups, accounts and a list of steps — quotes,
 * position opens, updates and closes, balance changes, margin changes — each with the events it
 * must raise, and checks of accounts, pre-trade checks, exposure and margin-change previews.
 * Expected values are worked by hand in each file's "about". Replayed by scenarios.test.ts.
 *
 * Matching: an expected object checks only the fields it names; an expected array must have the
 * same length and match element by element. A mutating step without "events" must raise none.
 */
import { z } from 'zod';
import { publicInstrument, SIM_INSTRUMENTS } from '../platform/instruments';
import type { Instrument } from '../platform/platform';
import { ExposureBook, type ExposureQuery } from './exposure';
import { type AccountSpec, MarginBook, type PositionSpec, type PositionState, type RiskEvent } from './margin-book';
import { previewMarginChange } from './margin-change';
import { RateTable } from './rates';
import { type Book, parseMarginChange, parseRiskGroup } from './risk-group';

const events = z.array(z.record(z.unknown())).optional();
const login = z.string();

const stepSchema = z.discriminatedUnion('do', [
  z.object({ do: z.literal('quote'), symbol: z.string(), bid: z.string(), ask: z.string(), events }),
  z.object({
    do: z.literal('open'),
    login,
    id: z.string(),
    symbol: z.string(),
    side: z.enum(['buy', 'sell']),
    volume: z.string(),
    openPrice: z.string(),
    swap: z.string().optional(),
    events,
  }),
  z.object({
    do: z.literal('update'),
    login,
    id: z.string(),
    volume: z.string().optional(),
    openPrice: z.string().optional(),
    swap: z.string().optional(),
    events,
  }),
  z.object({ do: z.literal('close'), login, id: z.string(), realized: z.string().optional(), events }),
  z.object({ do: z.literal('balance'), login, amount: z.string(), events }),
  z.object({ do: z.literal('changeGroup'), login, riskGroup: z.string(), events }),
  z.object({ do: z.literal('changeLeverage'), login, leverage: z.number(), events }),
  z.object({ do: z.literal('setBook'), login, book: z.enum(['A', 'B']) }),
  z.object({ do: z.literal('marginChange'), change: z.unknown(), events }),
  z.object({
    do: z.literal('check'),
    login,
    position: z.object({
      id: z.string(),
      symbol: z.string(),
      side: z.enum(['buy', 'sell']),
      volume: z.string(),
      openPrice: z.string(),
    }),
    expect: z.record(z.unknown()),
  }),
  z.object({ do: z.literal('account'), login, expect: z.record(z.unknown()) }),
  z.object({ do: z.literal('preview'), change: z.unknown(), expect: z.record(z.unknown()) }),
  z.object({ do: z.literal('exposure'), query: z.record(z.unknown()), expect: z.record(z.unknown()) }),
]);

const scenarioSchema = z.object({
  name: z.string(),
  about: z.string(),
  groups: z.array(z.unknown()),
  accounts: z.array(
    z.object({
      login: z.string(),
      riskGroup: z.string(),
      currency: z.string(),
      leverage: z.number(),
      balance: z.string(),
      book: z.enum(['A', 'B']).optional(),
    }),
  ),
  steps: z.array(stepSchema),
});

export type RiskScenario = z.infer<typeof scenarioSchema>;
export type RiskStep = z.infer<typeof stepSchema>;

/** Validates a parsed scenario file (the caller reads it: this module does no I/O). */
export function parseRiskScenario(json: unknown): RiskScenario {
  return scenarioSchema.parse(json);
}

/** The path and values of the first difference between `expected` and `actual`, or null. */
export function firstMismatch(expected: unknown, actual: unknown, path = '$'): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${JSON.stringify(actual)}`;
    if (actual.length !== expected.length) {
      return `${path}: expected ${expected.length} item(s), got ${actual.length}: ${JSON.stringify(actual)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const m = firstMismatch(expected[i], actual[i], `${path}[${i}]`);
      if (m !== null) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') {
      return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    }
    for (const [key, value] of Object.entries(expected)) {
      const m = firstMismatch(value, (actual as Record<string, unknown>)[key], `${path}.${key}`);
      if (m !== null) return m;
    }
    return null;
  }
  return Object.is(expected, actual)
    ? null
    : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** Applies a mutating step; returns the events it raised (none for read-only steps). */
function runStep(book: MarginBook, step: RiskStep): readonly RiskEvent[] | undefined {
  switch (step.do) {
    case 'quote':
      return book.applyQuote(step.symbol, step.bid, step.ask);
    case 'open': {
      const { do: _do, login: who, events: _events, ...spec } = step;
      return book.openPosition(who, spec as PositionSpec);
    }
    case 'update': {
      const { volume, openPrice, swap } = step;
      return book.updatePosition(step.login, step.id, { volume, openPrice, swap });
    }
    case 'close':
      return book.closePosition(step.login, step.id, step.realized);
    case 'balance':
      return book.applyBalance(step.login, step.amount);
    case 'changeGroup':
      return book.changeAccountGroup(step.login, step.riskGroup);
    case 'changeLeverage':
      return book.changeAccountLeverage(step.login, step.leverage);
    case 'setBook':
      book.setAccountBook(step.login, step.book as Book);
      return undefined;
    case 'marginChange':
      return book.changeMarginRequirement(parseMarginChange(step.change));
    default:
      return undefined;
  }
}

/** What a checking step looks at. */
function observe(book: MarginBook, exposure: ExposureBook<PositionState>, step: RiskStep): unknown {
  switch (step.do) {
    case 'check':
      return book.checkNewPosition(step.login, step.position);
    case 'account':
      return book.account(step.login);
    case 'preview':
      return previewMarginChange(book, parseMarginChange(step.change));
    case 'exposure':
      return exposure.snapshot(step.query as unknown as ExposureQuery);
    default:
      return undefined;
  }
}

export interface ScenarioRun {
  book: MarginBook;
  exposure: ExposureBook<PositionState>;
  /** One entry per failed expectation, naming the step. */
  failures: string[];
}

/** Replays a scenario over the simulator's instruments (or `instruments`), collecting every mismatch. */
export function runRiskScenario(
  scenario: RiskScenario,
  instruments: readonly Instrument[] = SIM_INSTRUMENTS.map(publicInstrument),
): ScenarioRun {
  const rates = new RateTable(instruments);
  const exposure = new ExposureBook<PositionState>(rates);
  const book = new MarginBook(rates, { exposure });
  for (const group of scenario.groups) book.setGroup(parseRiskGroup(group));
  for (const account of scenario.accounts) book.openAccount(account as AccountSpec);
  const failures: string[] = [];
  for (const [index, step] of scenario.steps.entries()) {
    const where = `step ${index + 1} (${step.do}${'login' in step ? ` ${step.login}` : ''})`;
    const check = (expected: unknown, actual: unknown) => {
      const m = firstMismatch(expected, actual);
      if (m !== null) failures.push(`${where}: ${m}`);
    };
    const raised = runStep(book, step);
    // A mutating step raises exactly the events it lists (none when it lists none).
    if (raised !== undefined) check('events' in step && step.events !== undefined ? step.events : [], raised);
    if ('expect' in step) check(step.expect, observe(book, exposure, step));
  }
  return { book, exposure, failures };
}
