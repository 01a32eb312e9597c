/**
 * Golden scenarios (shared/golden/README.md): one account in one phase, its rules, a stream of
 * platform events and the expected outcome. Shared by the replay CLI and the tests.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { parseInstant } from './calendar';
import {
  applyEvent,
  createPhaseState,
  EventParseError,
  outcome,
  type PhaseEvent,
  type PhaseOutcome,
  type PhaseState,
  parseEvent,
} from './engine';
import { parsePhaseRules, RuleConfigError } from './rules.schema';

const scenarioSchema = z.object({
  name: z.string(),
  about: z.string().optional(),
  account: z.object({
    initialBalance: z.union([z.string(), z.number()]),
    currency: z.string(),
  }),
  rules: z.unknown(),
  events: z.array(z.unknown()),
  expect: z.record(z.unknown()),
});

export type Scenario = z.infer<typeof scenarioSchema>;

/** A scenario that cannot be run, with a one-line reason. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export function readScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(`cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`not JSON (${(error as Error).message})`);
  }
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScenarioError(`not a scenario: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The scenario's rules and account as a fresh phase, and its events parsed. */
export function prepareScenario(scenario: Scenario): { state: PhaseState; events: PhaseEvent[] } {
  let state: PhaseState;
  try {
    state = createPhaseState(parsePhaseRules(scenario.rules), scenario.account);
  } catch (error) {
    if (error instanceof RuleConfigError) throw new ScenarioError(error.message);
    throw error;
  }
  const events = scenario.events.map((raw, index) => {
    try {
      return parseEvent(raw, scenario.account.currency);
    } catch (error) {
      if (error instanceof EventParseError) throw new ScenarioError(`event ${index}: ${error.message}`);
      throw error;
    }
  });
  return { state, events };
}

/** Runs a scenario's events through a fresh phase. */
export function runScenario(scenario: Scenario): { state: PhaseState; outcome: PhaseOutcome } {
  const { state, events } = prepareScenario(scenario);
  for (let index = 0; index < events.length; index++) applyEvent(state, events[index], index);
  return { state, outcome: outcome(state) };
}

export interface Mismatch {
  /** Field path, e.g. "floors.dailyLoss" or "softBreaches[1].event". */
  field: string;
  expected: unknown;
  actual: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(field: string, expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  // Instants are compared as instants: "…T23:00:00Z" and "…T23:00:00.000Z" are the same time.
  if ((field === 'at' || field.endsWith('.at')) && typeof expected === 'string' && typeof actual === 'string') {
    const a = parseInstant(expected);
    return a !== null && a === parseInstant(actual);
  }
  return false;
}

/**
 * The first field where `actual` differs from `expected`, comparing only the fields `expected` has
 * (arrays element by element, and their lengths). Null when they agree.
 */
export function firstMismatch(expected: unknown, actual: unknown, field = ''): Mismatch | null {
  if (isRecord(expected)) {
    if (!isRecord(actual)) return { field, expected, actual };
    for (const key of Object.keys(expected)) {
      const found = firstMismatch(expected[key], actual[key], field === '' ? key : `${field}.${key}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return { field, expected, actual };
    const length = Math.max(expected.length, actual.length);
    for (let i = 0; i < length; i++) {
      const found = firstMismatch(expected[i], actual[i], `${field}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  return sameValue(field, expected, actual) ? null : { field, expected, actual };
}

export interface ScenarioCheck {
  /** The file's name without `.json`. */
  name: string;
  file: string;
  passed: boolean;
  /** Why it failed: the first differing field, or why it could not run. */
  reason?: string;
}

function show(value: unknown): string {
  return value === undefined ? '(missing)' : JSON.stringify(value);
}

/** Reads, runs and checks one scenario file; never throws for a bad file. */
export function checkScenarioFile(file: string): ScenarioCheck {
  const name = basename(file).replace(/\.json$/i, '');
  try {
    const scenario = readScenario(file);
    const result = runScenario(scenario);
    const mismatch = firstMismatch(scenario.expect, result.outcome);
    if (mismatch === null) return { name, file, passed: true };
    return {
      name,
      file,
      passed: false,
      reason: `${mismatch.field} expected ${show(mismatch.expected)} got ${show(mismatch.actual)}`,
    };
  } catch (error) {
    const reason = error instanceof ScenarioError ? error.message : `crashed: ${String(error)}`;
    return { name, file, passed: false, reason };
  }
}
