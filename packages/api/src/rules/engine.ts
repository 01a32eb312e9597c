/**
 * The challenge rule engine for one account in one phase (shared/design/rules.md).
 *
 * Pure and incremental: `createPhaseState` builds a state from the phase rules and the account,
 * `applyEvent` folds one parsed platform event into it and reports the transitions it caused.
 * No clock, no I/O: time comes in with the events. Each event costs O(1) amortised: per-day and
 * per-position aggregates are kept as they go, the next reset instant is kept in the state and
 * computed once per day, and the floors are recomputed only when their base moves.
 *
 * The state is a plain JSON value (no Map, Set, BigInt or Date), so it can be stored as a snapshot
 * and loaded back with `JSON.parse`; applying the rest of the journal to the loaded snapshot gives
 * exactly the state of an uninterrupted run.
 *
 * Money is integer minor units of the account's currency throughout; see money.ts.
 */
import { dayContaining, formatInstant, minuteOfDay, resetInstant } from './calendar';
import type { DealEvent, PhaseEvent, StaffAction, StaffEvent } from './events';
import {
  applyRatio,
  compareProducts,
  complement,
  formatMoney,
  MoneyError,
  minorUnitDigits,
  mulDiv,
  parseMoney,
  percent,
  type Ratio,
} from './money';
import { type DailyLossReference, type MaxLossMode, type PhaseRules, RuleConfigError } from './rules.schema';

export { EventParseError, parseEvent, STAFF_ACTIONS } from './events';
export type { BalanceEvent, ClockEvent, DealEvent, EquityEvent, PhaseEvent, StaffAction, StaffEvent } from './events';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export type PhaseStatus = 'ACTIVE' | 'BREACHED' | 'PASSED' | 'CLOSED';
export type BreachRule = 'DAILY_LOSS' | 'MAX_LOSS' | 'MAX_LOSS_PER_TRADE' | 'TIME_LIMIT' | 'INACTIVITY' | 'MANUAL';

export interface PhaseAccount {
  /** Decimal string (or number) in the account currency. */
  initialBalance: string | number;
  /** ISO 4217 code. */
  currency: string;
}

/** Equity went through a floor. Amounts are decimal strings; `at` is an ISO instant. */
export interface EquityFloorBreach {
  rule: 'DAILY_LOSS' | 'MAX_LOSS';
  event: number;
  at: string;
  floor: string;
  equity: string;
}

/** A closed position lost more than the per-trade allowance. */
export interface TradeLossBreach {
  rule: 'MAX_LOSS_PER_TRADE';
  event: number;
  at: string;
  position: string;
  result: string;
  /** −A, the lowest result allowed. */
  limit: string;
}

/** A reset ended the phase: `at` is the reset instant, `event` the event during which it was seen. */
export interface ResetBreach {
  rule: 'TIME_LIMIT' | 'INACTIVITY';
  event: number;
  at: string;
}

/** Staff failed the phase by hand. */
export interface ManualBreach {
  rule: 'MANUAL';
  event: number;
  at: string;
  /** The staff action's id. */
  id: string;
  reason: string | null;
}

export type BreachRecord = EquityFloorBreach | TradeLossBreach | ResetBreach | ManualBreach;

/** A staff action the engine applied. */
export interface StaffRecord {
  action: StaffAction;
  id: string;
  event: number;
  at: string;
  reason: string | null;
  /** EXTEND: the days added. */
  days?: number;
  /** REINSTATE: the breach withdrawn. */
  withdrawn?: BreachRecord;
}
export type SoftBreachRecord = (EquityFloorBreach & { rule: 'DAILY_LOSS' }) | TradeLossBreach;

export interface PassRecord {
  event: number;
  at: string;
  /** True for a `passAt: NEXT_RESET` pass: `at` is then the reset instant. */
  atReset: boolean;
  /** Passed by staff (a staff PASS action): its id and reason. */
  manual?: { id: string; reason: string | null };
}

export type Transition =
  | { type: 'SOFT_BREACH'; breach: SoftBreachRecord }
  | { type: 'BREACH'; breach: BreachRecord }
  | { type: 'PASS'; pass: PassRecord }
  | { type: 'EXTEND' | 'REINSTATE' | 'CLOSE'; staff: StaffRecord };

/** Constants derived once from the rules and the account; part of the state so a snapshot is self-contained. */
export interface PhaseLimits {
  currency: string;
  /** Minor-unit exponent of the currency. */
  digits: number;
  /** I, the initial balance. */
  initial: number;
  /** `breachComparison: AT_OR_BELOW`. */
  atOrBelow: boolean;
  timeZone: string;
  /** Reset local time in minutes after midnight. */
  resetMinute: number;
  dailyLoss: DailyLossLimit | null;
  maxLoss: MaxLossLimit | null;
  maxLossPerTrade: TradeLossLimit | null;
  profitTarget: ProfitTargetLimit | null;
  minTradingDays: number;
  maxTradingDays: number | null;
  maxDays: number | null;
  maxInactiveDays: number | null;
  /** `tradingDay: ANY_DEAL`: any deal makes a trading day, not only an `in`. */
  anyDealIsTradingDay: boolean;
  consistency: ConsistencyLimit | null;
  minProfitableDays: { count: number; threshold: number } | null;
  passAtReset: boolean;
}

export interface DailyLossLimit {
  reference: DailyLossReference;
  /**
   * floor = base − allowance. The allowance is pre-rounded half-down so that the floor comes out
   * rounded half-up (see money.ts, `Rounding`). Null when the floor scales the base instead.
   */
  allowance: number | null;
  /** floor = base · keep, rounded half-up (`pct` of `REFERENCE`: keep = 1 − pct). */
  keep: Ratio | null;
  soft: boolean;
}

export interface MaxLossLimit {
  mode: MaxLossMode;
  /** D, pre-rounded half-down so that P − D comes out rounded half-up. */
  allowance: number;
  /** I + lockAt, the highest the floor goes; null without lockAt. */
  lockFloor: number | null;
}

export interface TradeLossLimit {
  /** −A: a closed position's result under it (or at it, with AT_OR_BELOW) breaches. */
  limit: number;
  soft: boolean;
}

export interface ProfitTargetLimit {
  /** I·(1 + pct) rounded up to the minor unit: a balance or equity at or above it meets the target. */
  amount: number;
  onEquity: boolean;
  requireFlat: boolean;
}

export interface ConsistencyLimit {
  /** maxBestDayPct as a fraction. */
  maxBest: Ratio;
  /** `comparison: BELOW`. */
  strict: boolean;
  /** `denominator: POSITIVE_DAYS`. */
  positiveUnitsOnly: boolean;
  /** `basis: TRADE`. */
  byTrade: boolean;
}

/** A position still open: its open volume and its result so far. */
export interface OpenPosition {
  volume: number;
  result: number;
}

/**
 * Everything the engine knows about a phase. Plain JSON. Amounts in minor units, instants in epoch
 * milliseconds. Treat as opaque outside this module; read it through `outcome` and `metrics`.
 */
export interface PhaseState {
  version: 1;
  limits: PhaseLimits;
  status: PhaseStatus;
  breach: BreachRecord | null;
  pass: PassRecord | null;
  softBreaches: SoftBreachRecord[];
  /** Index of the last event applied; events at or under it are duplicates and ignored. */
  lastEventIndex: number;

  /** Day number within the phase: 0 before the first event, 1 for the day of the first event. */
  day: number;
  /** The reset that started the current day (epoch ms); 0 before the first event. */
  dayStart: number;
  /** The next reset (epoch ms); 0 before the first event. */
  nextReset: number;
  /** Local date of the next reset, as an epoch day. */
  nextResetDay: number;

  balance: number;
  equity: number;
  /** B(d): balance at the reset that started the day (moved by balance operations). */
  dayBalance: number;
  /** E(d): last known equity at that reset (moved by balance operations). */
  dayEquity: number;
  /** H: the day's high of B(d), E(d) and every B and E observed since the reset. */
  dayHigh: number;
  /** Daily loss floor in force; null when the rule is off. */
  dailyLossFloor: number | null;
  /** P: the max-loss peak of the configured mode (I for STATIC). */
  peak: number;
  /** Max loss floor in force; null when the rule is off. Never moves down. */
  maxLossFloor: number | null;
  /** False after a soft daily-loss breach, until the next reset. */
  dailyLossArmed: boolean;
  /** False after a soft per-trade breach, until the next reset. */
  tradeLossArmed: boolean;

  tradingDays: number;
  todayIsTradingDay: boolean;
  todayHasDeal: boolean;
  /** Day number of the last day with a deal; 0 when none. */
  lastDealDay: number;
  /** p_day of the current day. */
  dayProfit: number;
  /** Best p_day of the finished days that had a deal; null when none. */
  bestPastDay: number | null;
  /** Sum of the positive p_day of finished days. */
  positivePastDays: number;
  /** Finished days whose p_day met the minimum-profitable-day threshold. */
  profitablePastDays: number;
  /** Best result of the positions closed so far; null when none. */
  bestTrade: number | null;
  /** Sum of the positive results of the positions closed so far. */
  positiveTrades: number;

  openPositions: number;
  /** Open positions by id. */
  positions: Record<string, OpenPosition>;

  /** Set when staff closed the phase. Absent in snapshots older than staff actions. */
  closed?: StaffRecord | null;
  /** After a breach: what the platform still reports, for a reinstatement. Absent while active. */
  afterEnd?: AfterEnd | null;
}

/**
 * A breached phase keeps its outcome (balance and floors of the transition), but a reinstatement
 * must carry on from the account as the platform has it since: the breach's closing deals, balance
 * operations and equity. They are kept here, apart from the phase's own figures.
 */
export interface AfterEnd {
  /** Index of the last event seen while ended (duplicates at or under it are ignored). */
  lastIndex: number;
  /** Balance change since the end: deals and balance operations. */
  cash: number;
  equity: number;
  openPositions: number;
  positions: Record<string, OpenPosition>;
}

export interface ApplyResult {
  /** The same object that was passed in, updated in place. */
  state: PhaseState;
  /** Transitions caused by this event, in order; empty (and shared) when none. */
  transitions: readonly Transition[];
}

// ---------------------------------------------------------------------------------------------
// Creating a phase
// ---------------------------------------------------------------------------------------------

function configAmount(value: string | number, digits: number, path: string[], currency: string): number {
  try {
    return parseMoney(value, digits);
  } catch (error) {
    const reason = error instanceof MoneyError ? error.message : String(error);
    throw new RuleConfigError([{ path, message: `Not a valid ${currency} amount: ${reason}` }]);
  }
}

function accountCurrencyDigits(currency: string): number {
  try {
    return minorUnitDigits(currency);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RuleConfigError([{ path: ['account', 'currency'], message: reason }]);
  }
}

/** Turns validated rules and the account into the integer constants the engine runs on. */
export function derivePhaseLimits(rules: PhaseRules, account: PhaseAccount): PhaseLimits {
  const { currency } = account;
  const digits = accountCurrencyDigits(currency);
  const amountOf = (value: string, path: string[]) => configAmount(value, digits, path, currency);
  const initial = amountOf(String(account.initialBalance), ['account', 'initialBalance']);
  if (initial <= 0) {
    throw new RuleConfigError([
      { path: ['account', 'initialBalance'], message: 'The initial balance must be above 0' },
    ]);
  }

  let dailyLoss: DailyLossLimit | null = null;
  if (rules.dailyLoss !== null) {
    const { pct, amount, reference, of, action } = rules.dailyLoss;
    const scalesBase = amount === null && of === 'REFERENCE' && pct !== null;
    dailyLoss = {
      reference,
      allowance:
        amount !== null
          ? amountOf(amount, ['dailyLoss', 'amount'])
          : scalesBase
            ? null
            : applyRatio(initial, percent(pct as string), 'HALF_DOWN'),
      keep: scalesBase ? complement(percent(pct as string)) : null,
      soft: action === 'SOFT',
    };
  }

  let maxLoss: MaxLossLimit | null = null;
  if (rules.maxLoss !== null) {
    const { pct, amount, mode, lockAt } = rules.maxLoss;
    maxLoss = {
      mode,
      allowance:
        amount !== null
          ? amountOf(amount, ['maxLoss', 'amount'])
          : applyRatio(initial, percent(pct as string), 'HALF_DOWN'),
      lockFloor: lockAt !== null && mode !== 'STATIC' ? initial + amountOf(lockAt, ['maxLoss', 'lockAt']) : null,
    };
  }

  let maxLossPerTrade: TradeLossLimit | null = null;
  if (rules.maxLossPerTrade !== null) {
    const { pct, amount, action } = rules.maxLossPerTrade;
    // rules.md: A = amount or pct·I, rounded half-up to the minor unit.
    const allowance =
      amount !== null
        ? amountOf(amount, ['maxLossPerTrade', 'amount'])
        : applyRatio(initial, percent(pct as string), 'HALF_UP');
    maxLossPerTrade = { limit: -allowance, soft: action === 'SOFT' };
  }

  const target = rules.profitTarget;
  const consistency = rules.consistency;
  const profitableDays = rules.minProfitableDays;
  return {
    currency,
    digits,
    initial,
    atOrBelow: rules.breachComparison === 'AT_OR_BELOW',
    timeZone: rules.dayReset.timeZone,
    resetMinute: minuteOfDay(rules.dayReset.localTime),
    dailyLoss,
    maxLoss,
    maxLossPerTrade,
    profitTarget:
      target === null
        ? null
        : {
            amount: initial + applyRatio(initial, percent(target.pct), 'CEIL'),
            onEquity: target.measure === 'EQUITY',
            requireFlat: target.requireFlat,
          },
    minTradingDays: rules.minTradingDays,
    maxTradingDays: rules.maxTradingDays,
    maxDays: rules.maxDays,
    maxInactiveDays: rules.maxInactiveDays,
    anyDealIsTradingDay: rules.tradingDay === 'ANY_DEAL',
    consistency:
      consistency === null
        ? null
        : {
            maxBest: percent(consistency.maxBestDayPct),
            strict: consistency.comparison === 'BELOW',
            positiveUnitsOnly: consistency.denominator === 'POSITIVE_DAYS',
            byTrade: consistency.basis === 'TRADE',
          },
    minProfitableDays:
      profitableDays === null
        ? null
        : {
            count: profitableDays.count,
            // A profitable day is positive and at least minPctOfInitial % of I.
            threshold: Math.max(1, applyRatio(initial, percent(profitableDays.minPctOfInitial), 'CEIL')),
          },
    passAtReset: rules.passAt === 'NEXT_RESET',
  };
}

/**
 * A fresh phase for an account: balance and equity at I, no days yet. The phase starts at its
 * first event. `rules` must come from `parsePhaseRules`.
 */
export function createPhaseState(rules: PhaseRules, account: PhaseAccount): PhaseState {
  const limits = derivePhaseLimits(rules, account);
  const { initial } = limits;
  const state: PhaseState = {
    version: 1,
    limits,
    status: 'ACTIVE',
    breach: null,
    pass: null,
    softBreaches: [],
    lastEventIndex: -1,
    day: 0,
    dayStart: 0,
    nextReset: 0,
    nextResetDay: 0,
    balance: initial,
    equity: initial,
    // Before the first reset of a phase, B(d) = E(d) = I.
    dayBalance: initial,
    dayEquity: initial,
    dayHigh: initial,
    dailyLossFloor: null,
    peak: initial,
    maxLossFloor: null,
    dailyLossArmed: true,
    tradeLossArmed: true,
    tradingDays: 0,
    todayIsTradingDay: false,
    todayHasDeal: false,
    lastDealDay: 0,
    dayProfit: 0,
    bestPastDay: null,
    positivePastDays: 0,
    profitablePastDays: 0,
    bestTrade: null,
    positiveTrades: 0,
    openPositions: 0,
    positions: {},
    closed: null,
    afterEnd: null,
  };
  if (limits.dailyLoss !== null) state.dailyLossFloor = dailyLossFloorFor(limits.dailyLoss, state);
  if (limits.maxLoss !== null) state.maxLossFloor = maxLossFloorFor(limits.maxLoss, initial);
  return state;
}

// ---------------------------------------------------------------------------------------------
// Floors
// ---------------------------------------------------------------------------------------------

function dailyLossBase(reference: DailyLossReference, state: PhaseState): number {
  switch (reference) {
    case 'BALANCE':
      return state.dayBalance;
    case 'MAX_BALANCE_EQUITY':
      return Math.max(state.dayBalance, state.dayEquity);
    case 'DAY_HIGH':
      return state.dayHigh;
  }
}

function dailyLossFloorFor(limit: DailyLossLimit, state: PhaseState): number {
  const base = dailyLossBase(limit.reference, state);
  if (limit.allowance !== null) return base - limit.allowance;
  const keep = limit.keep as Ratio;
  return mulDiv(base, keep.num, keep.den, 'HALF_UP');
}

function maxLossFloorFor(limit: MaxLossLimit, peak: number): number {
  const trailing = peak - limit.allowance;
  return limit.lockFloor !== null && trailing > limit.lockFloor ? limit.lockFloor : trailing;
}

/** P rose: raise the max loss floor with it (a floor never moves down). */
function raisePeak(state: PhaseState, limit: MaxLossLimit, value: number): void {
  state.peak = value;
  const floor = maxLossFloorFor(limit, value);
  if (floor > (state.maxLossFloor as number)) state.maxLossFloor = floor;
}

/**
 * One observation of balance and/or equity: the day's high and an intraday trailing peak include
 * it before it is tested ("a trailing peak includes the observation being tested").
 */
function observe(state: PhaseState, value: number): void {
  const { dailyLoss, maxLoss } = state.limits;
  if (value > state.dayHigh) {
    state.dayHigh = value;
    if (dailyLoss !== null && dailyLoss.reference === 'DAY_HIGH') {
      state.dailyLossFloor = dailyLossFloorFor(dailyLoss, state);
    }
  }
  if (maxLoss !== null && maxLoss.mode === 'TRAILING_INTRADAY' && value > state.peak) {
    raisePeak(state, maxLoss, value);
  }
}

// ---------------------------------------------------------------------------------------------
// Applying events
// ---------------------------------------------------------------------------------------------

const NO_TRANSITIONS: readonly Transition[] = Object.freeze([]);
/** Transitions of the event being applied; emptied into the result (applyEvent is synchronous). */
const pending: Transition[] = [];

/**
 * Applies one event, the `index`-th of the phase's journal (0-based, increasing).
 *
 * For speed the state is updated in place and returned: keep a copy (`structuredClone` or a JSON
 * snapshot) if the previous state is still needed. An event whose index is not above the last
 * applied one is a duplicate delivery and changes nothing, so each transition happens once. A
 * phase that is BREACHED or PASSED ignores later events. Events are applied in the order given;
 * one stamped before the current day started counts in the current day (time never goes back).
 */
export function applyEvent(state: PhaseState, event: PhaseEvent, index: number): ApplyResult {
  if (index <= state.lastEventIndex) return { state, transitions: NO_TRANSITIONS };
  if (state.status !== 'ACTIVE') return applyAfterEnd(state, event, index);
  pending.length = 0;
  state.lastEventIndex = index;
  const { at } = event;
  if (event.type === 'staff') {
    // A staff action does not start a phase; time passes for it like for any event once started.
    if (state.day > 0 && at >= state.nextReset && passResets(state, at, index)) return finish(state);
    applyStaff(state, event, index);
    return finish(state);
  }
  if (state.day === 0) startPhase(state, at);
  else if (at >= state.nextReset && passResets(state, at, index)) return finish(state);

  switch (event.type) {
    case 'deal':
      applyDeal(state, event, index);
      break;
    case 'equity':
      state.equity = event.equity;
      observe(state, event.equity);
      if (!testFloors(state, index, at, null, 0)) checkPass(state, index, at);
      break;
    case 'balance':
      applyBalanceOperation(state, event.amount);
      if (!testFloors(state, index, at, null, 0)) checkPass(state, index, at);
      break;
    case 'clock':
      // Only resets happen; nothing observed, nothing tested.
      break;
  }
  return finish(state);
}

// ---------------------------------------------------------------------------------------------
// Staff actions
// ---------------------------------------------------------------------------------------------

/**
 * Why a staff action does not apply to the phase as it stands, or null when it does. The engine
 * ignores an action that does not apply (so a replay decides exactly as the first run did); the
 * service asks first and refuses it with this reason.
 */
export function staffActionProblem(state: PhaseState, action: StaffAction, at?: number): string | null {
  const { limits, status } = state;
  switch (action) {
    case 'EXTEND':
      if (limits.maxDays === null && limits.maxTradingDays === null) return 'This phase has no time limit to extend';
      if (status === 'ACTIVE' || (status === 'BREACHED' && state.breach?.rule === 'TIME_LIMIT')) return null;
      return 'Only an active account, or one that ran out of time, can have its time limit extended';
    case 'REINSTATE': {
      if (status !== 'BREACHED') return 'Only a breached account can be reinstated';
      if (state.breach?.rule === 'TIME_LIMIT' && timeLimitReached(state)) {
        return 'The time limit is still used up: extend it first, then reinstate';
      }
      const equity = (state.afterEnd ?? null)?.equity ?? state.equity;
      const { atOrBelow, digits } = limits;
      const daily = state.dailyLossFloor;
      // The day's floor holds until the next reset; after it the new day's floor is computed first.
      const sameDay = at === undefined || state.day === 0 || at < state.nextReset;
      if (daily !== null && sameDay && state.dailyLossArmed && crosses(atOrBelow, equity, daily)) {
        return `Equity ${formatMoney(equity, digits)} is still below the daily loss floor ${formatMoney(daily, digits)}: reinstating would breach again at once`;
      }
      const max = state.maxLossFloor;
      if (max !== null && crosses(atOrBelow, equity, max)) {
        return `Equity ${formatMoney(equity, digits)} is still below the maximum loss floor ${formatMoney(max, digits)}: reinstating would breach again at once`;
      }
      return null;
    }
    case 'PASS':
      if (status !== 'ACTIVE') return 'Only an active account can be passed';
      if (limits.profitTarget === null) return 'A funded account has no pass';
      return null;
    case 'FAIL':
      return status === 'ACTIVE' ? null : 'Only an active account can be failed';
    case 'CLOSE':
      return status === 'ACTIVE' || status === 'BREACHED' ? null : 'Only an active or breached account can be closed';
  }
}

function timeLimitReached(state: PhaseState): boolean {
  const { maxTradingDays, maxDays } = state.limits;
  return (maxTradingDays !== null && state.tradingDays >= maxTradingDays) || (maxDays !== null && state.day >= maxDays);
}

function staffRecord(event: StaffEvent, index: number): StaffRecord {
  return { action: event.action, id: event.id, event: index, at: formatInstant(event.at), reason: event.reason };
}

/** O(1): limits, status and records change; no floor moves down. */
function applyStaff(state: PhaseState, event: StaffEvent, index: number): void {
  if (staffActionProblem(state, event.action, event.at) !== null) return;
  const limits = state.limits;
  switch (event.action) {
    case 'EXTEND': {
      const days = event.days ?? 0;
      if (limits.maxDays !== null) limits.maxDays += days;
      if (limits.maxTradingDays !== null) limits.maxTradingDays += days;
      pending.push({ type: 'EXTEND', staff: { ...staffRecord(event, index), days } });
      break;
    }
    case 'REINSTATE':
      reinstate(state, event, index);
      break;
    case 'PASS':
      markPassed(state, {
        event: index,
        at: formatInstant(event.at),
        atReset: false,
        manual: { id: event.id, reason: event.reason },
      });
      break;
    case 'FAIL':
      markBreached(state, {
        rule: 'MANUAL',
        event: index,
        at: formatInstant(event.at),
        id: event.id,
        reason: event.reason,
      });
      break;
    case 'CLOSE': {
      const record = staffRecord(event, index);
      state.status = 'CLOSED';
      state.closed = record;
      pending.push({ type: 'CLOSE', staff: record });
      break;
    }
  }
}

/**
 * Back to ACTIVE from a breach: the account carries on as the platform has it now (balance moved by
 * what happened since the breach, the equity last seen, the positions still open). Peaks may rise
 * with it; floors do not move down. No floor is tested here: the next observation tests them. A
 * day the breach interrupted counts as a day with activity, so inactivity counts from here.
 */
function reinstate(state: PhaseState, event: StaffEvent, index: number): void {
  const withdrawn = state.breach as BreachRecord;
  const after = state.afterEnd ?? null;
  if (after !== null) {
    state.balance += after.cash;
    state.equity = after.equity;
    state.positions = after.positions;
    state.openPositions = after.openPositions;
  }
  state.afterEnd = null;
  state.status = 'ACTIVE';
  state.breach = null;
  state.lastEventIndex = index;
  if (state.day > 0) state.lastDealDay = Math.max(state.lastDealDay, dayNumberAt(state, event.at));
  observe(state, state.balance);
  observe(state, state.equity);
  const maxLoss = state.limits.maxLoss;
  if (maxLoss !== null && maxLoss.mode === 'TRAILING_CLOSED_BALANCE' && state.balance > state.peak) {
    raisePeak(state, maxLoss, state.balance);
  }
  pending.push({ type: 'REINSTATE', staff: { ...staffRecord(event, index), withdrawn } });
}

/** The phase's day number of an instant (days not rolled over yet included). */
function dayNumberAt(state: PhaseState, at: number): number {
  if (at < state.nextReset) return state.day;
  const { timeZone, resetMinute } = state.limits;
  const { epochDay } = dayContaining(timeZone, resetMinute, at);
  return state.day + (epochDay - state.nextResetDay + 1);
}

/**
 * An ended phase ignores events for its outcome. A breached one keeps what the platform reports
 * since (for a reinstatement) and takes the staff actions that apply to it (reinstate, extend a
 * used-up time limit, close).
 */
function applyAfterEnd(state: PhaseState, event: PhaseEvent, index: number): ApplyResult {
  if (state.status !== 'BREACHED') return { state, transitions: NO_TRANSITIONS };
  let after = state.afterEnd ?? null;
  if (after === null) {
    after = {
      lastIndex: state.lastEventIndex,
      cash: 0,
      equity: state.equity,
      openPositions: state.openPositions,
      positions: structuredClone(state.positions),
    };
    state.afterEnd = after;
  }
  if (index <= after.lastIndex) return { state, transitions: NO_TRANSITIONS };
  after.lastIndex = index;
  pending.length = 0;
  switch (event.type) {
    case 'staff':
      applyStaff(state, event, index);
      return finish(state);
    case 'deal': {
      after.cash += event.cash;
      const key = positionKey(event.position);
      const position = Object.hasOwn(after.positions, key) ? after.positions[key] : undefined;
      if (event.entry === 'in') {
        if (position === undefined) {
          after.positions[key] = { volume: event.volume, result: event.cash };
          after.openPositions += 1;
        } else {
          position.volume += event.volume;
          position.result += event.cash;
        }
      } else if (position !== undefined) {
        position.volume -= event.volume;
        position.result += event.cash;
        if (position.volume <= 0) {
          delete after.positions[key];
          after.openPositions -= 1;
        }
      }
      after.equity =
        event.equity !== null
          ? event.equity
          : after.openPositions === 0
            ? state.balance + after.cash
            : after.equity + event.charges;
      break;
    }
    case 'equity':
      after.equity = event.equity;
      break;
    case 'balance':
      after.cash += event.amount;
      after.equity += event.amount;
      break;
    case 'clock':
      break;
  }
  return { state, transitions: NO_TRANSITIONS };
}

function finish(state: PhaseState): ApplyResult {
  if (pending.length === 0) return { state, transitions: NO_TRANSITIONS };
  return { state, transitions: pending.splice(0) };
}

/** The first event opens day 1: the day that contains it. */
function startPhase(state: PhaseState, at: number): void {
  const { timeZone, resetMinute } = state.limits;
  const { start, epochDay } = dayContaining(timeZone, resetMinute, at);
  state.day = 1;
  state.dayStart = start;
  state.nextResetDay = epochDay + 1;
  state.nextReset = resetInstant(timeZone, epochDay + 1, resetMinute);
}

/**
 * Runs every reset due by `at`, in order. Returns true when one of them ended the phase; that
 * transition is reported at the reset instant and the event itself is not applied.
 */
function passResets(state: PhaseState, at: number, index: number): boolean {
  while (at >= state.nextReset) {
    const resetAt = state.nextReset;
    if (endsAtReset(state, index, resetAt)) return true;
    rollOver(state, resetAt);
  }
  return false;
}

/** The reset transitions, judged on the state just before the reset, in rules.md's order. */
function endsAtReset(state: PhaseState, index: number, resetAt: number): boolean {
  const limits = state.limits;
  if (limits.passAtReset && meetsPassConditions(state)) {
    markPassed(state, { event: index, at: formatInstant(resetAt), atReset: true });
    return true;
  }
  const { maxTradingDays, maxDays, maxInactiveDays } = limits;
  if ((maxTradingDays !== null && state.tradingDays >= maxTradingDays) || (maxDays !== null && state.day >= maxDays)) {
    markBreached(state, { rule: 'TIME_LIMIT', event: index, at: formatInstant(resetAt) });
    return true;
  }
  // The reset ends day `state.day`; the days lastDealDay+1 … day had no deal.
  if (maxInactiveDays !== null && state.day - state.lastDealDay >= maxInactiveDays) {
    markBreached(state, { rule: 'INACTIVITY', event: index, at: formatInstant(resetAt) });
    return true;
  }
  return false;
}

/** Closes the books of the day that ends at `resetAt` and opens the next one. */
function rollOver(state: PhaseState, resetAt: number): void {
  const limits = state.limits;
  if (state.todayHasDeal) {
    const profit = state.dayProfit;
    if (state.bestPastDay === null || profit > state.bestPastDay) state.bestPastDay = profit;
    if (profit > 0) state.positivePastDays += profit;
    if (limits.minProfitableDays !== null && profit >= limits.minProfitableDays.threshold) {
      state.profitablePastDays += 1;
    }
  }
  state.dayProfit = 0;
  state.todayHasDeal = false;
  state.todayIsTradingDay = false;
  state.day += 1;
  state.dayStart = resetAt;

  // B(d), E(d) and H restart from the values known at the reset.
  state.dayBalance = state.balance;
  state.dayEquity = state.equity;
  state.dayHigh = Math.max(state.balance, state.equity);
  state.dailyLossArmed = true;
  state.tradeLossArmed = true;
  if (limits.dailyLoss !== null) state.dailyLossFloor = dailyLossFloorFor(limits.dailyLoss, state);
  const maxLoss = limits.maxLoss;
  if (maxLoss !== null && maxLoss.mode === 'TRAILING_EOD' && state.balance > state.peak) {
    raisePeak(state, maxLoss, state.balance);
  }

  state.nextResetDay += 1;
  state.nextReset = resetInstant(limits.timeZone, state.nextResetDay, limits.resetMinute);
}

/** Own-property key for a position id ("__proto__" must not reach the prototype setter). */
function positionKey(id: string): string {
  return id === '__proto__' ? '\u0000__proto__' : id;
}

function applyDeal(state: PhaseState, deal: DealEvent, index: number): void {
  const { entry, volume, cash, at } = deal;
  const positionId = deal.position;
  const limits = state.limits;
  state.balance += cash;

  // Trading day, inactivity and the day's closed profit.
  state.todayHasDeal = true;
  state.lastDealDay = state.day;
  state.dayProfit += cash;
  if (!state.todayIsTradingDay && (entry === 'in' || limits.anyDealIsTradingDay)) {
    state.todayIsTradingDay = true;
    state.tradingDays += 1;
  }

  // The position's result: every deal of it, `in` and `out`, until its open volume reaches zero.
  const positions = state.positions;
  const key = positionKey(positionId);
  let position: OpenPosition | undefined = positions[key];
  if (position !== undefined && !Object.hasOwn(positions, key)) position = undefined;
  let closedResult: number | null = null;
  if (entry === 'in') {
    if (position === undefined) {
      positions[key] = { volume, result: cash };
      state.openPositions += 1;
    } else {
      position.volume += volume;
      position.result += cash;
    }
  } else if (position === undefined) {
    // Closing a position this phase never saw open: its known result is this deal alone.
    closedResult = cash;
  } else {
    position.volume -= volume;
    position.result += cash;
    if (position.volume <= 0) {
      closedResult = position.result;
      delete positions[key];
      state.openPositions -= 1;
    }
  }
  if (closedResult !== null) {
    if (state.bestTrade === null || closedResult > state.bestTrade) state.bestTrade = closedResult;
    if (closedResult > 0) state.positiveTrades += closedResult;
  }

  // Equity after the deal (rules.md): reported, else B when flat, else the charges come off it
  // (the realised profit was already floating in equity).
  state.equity =
    deal.equity !== null ? deal.equity : state.openPositions === 0 ? state.balance : state.equity + deal.charges;

  observe(state, state.balance);
  observe(state, state.equity);
  const maxLoss = limits.maxLoss;
  if (maxLoss !== null && maxLoss.mode === 'TRAILING_CLOSED_BALANCE' && state.balance > state.peak) {
    raisePeak(state, maxLoss, state.balance);
  }

  if (!testFloors(state, index, at, closedResult === null ? null : positionId, closedResult ?? 0)) {
    checkPass(state, index, at);
  }
}

/**
 * A balance operation moves B and E, and the day's references with them, so that a payout does
 * not look like a daily loss. It moves no max-loss peak.
 */
function applyBalanceOperation(state: PhaseState, amount: number): void {
  state.balance += amount;
  state.equity += amount;
  state.dayBalance += amount;
  state.dayEquity += amount;
  state.dayHigh += amount;
  const dailyLoss = state.limits.dailyLoss;
  if (dailyLoss !== null) state.dailyLossFloor = dailyLossFloorFor(dailyLoss, state);
}

function crosses(atOrBelow: boolean, value: number, floor: number): boolean {
  return atOrBelow ? value <= floor : value < floor;
}

/**
 * The breach test after an observation. `closedPosition` is the position the deal closed (with its
 * result `closedResult`), or null. Records soft breaches (daily loss before per-trade) and breaches
 * on a HARD crossing: of two equity floors the higher is named, a tie names max loss, and an equity
 * floor wins over the per-trade limit. Returns true when the phase is breached.
 */
function testFloors(
  state: PhaseState,
  index: number,
  at: number,
  closedPosition: string | null,
  closedResult: number,
): boolean {
  const limits = state.limits;
  const { atOrBelow } = limits;
  const equity = state.equity;
  const dailyFloor = state.dailyLossFloor;
  const maxFloor = state.maxLossFloor;
  const tradeLimit = limits.maxLossPerTrade;

  let dailyCrossed = dailyFloor !== null && state.dailyLossArmed && crosses(atOrBelow, equity, dailyFloor);
  const maxCrossed = maxFloor !== null && crosses(atOrBelow, equity, maxFloor);
  let tradeCrossed =
    closedPosition !== null &&
    tradeLimit !== null &&
    state.tradeLossArmed &&
    crosses(atOrBelow, closedResult, tradeLimit.limit);
  if (!dailyCrossed && !maxCrossed && !tradeCrossed) return false;

  const atText = formatInstant(at);
  const digits = limits.digits;
  if (dailyCrossed && (limits.dailyLoss as DailyLossLimit).soft) {
    recordSoftBreach(state, {
      rule: 'DAILY_LOSS',
      event: index,
      at: atText,
      floor: formatMoney(dailyFloor as number, digits),
      equity: formatMoney(equity, digits),
    });
    state.dailyLossArmed = false;
    dailyCrossed = false;
  }
  if (tradeCrossed && (tradeLimit as TradeLossLimit).soft) {
    recordSoftBreach(state, tradeLossRecord(state, index, atText, closedPosition as string, closedResult));
    state.tradeLossArmed = false;
    tradeCrossed = false;
  }

  if (dailyCrossed || maxCrossed) {
    const dailyNamed = dailyCrossed && (!maxCrossed || (dailyFloor as number) > (maxFloor as number));
    markBreached(state, {
      rule: dailyNamed ? 'DAILY_LOSS' : 'MAX_LOSS',
      event: index,
      at: atText,
      floor: formatMoney((dailyNamed ? dailyFloor : maxFloor) as number, digits),
      equity: formatMoney(equity, digits),
    });
    return true;
  }
  if (tradeCrossed) {
    markBreached(state, tradeLossRecord(state, index, atText, closedPosition as string, closedResult));
    return true;
  }
  return false;
}

function tradeLossRecord(
  state: PhaseState,
  index: number,
  at: string,
  position: string,
  result: number,
): TradeLossBreach {
  const digits = state.limits.digits;
  return {
    rule: 'MAX_LOSS_PER_TRADE',
    event: index,
    at,
    position,
    result: formatMoney(result, digits),
    limit: formatMoney((state.limits.maxLossPerTrade as TradeLossLimit).limit, digits),
  };
}

function recordSoftBreach(state: PhaseState, breach: SoftBreachRecord): void {
  state.softBreaches.push(breach);
  pending.push({ type: 'SOFT_BREACH', breach });
}

function markBreached(state: PhaseState, breach: BreachRecord): void {
  state.afterEnd = null;
  state.status = 'BREACHED';
  state.breach = breach;
  pending.push({ type: 'BREACH', breach });
}

function markPassed(state: PhaseState, pass: PassRecord): void {
  state.status = 'PASSED';
  state.pass = pass;
  pending.push({ type: 'PASS', pass });
}

/** `passAt: EVENT`: the pass happens at the first event at which every condition holds. */
function checkPass(state: PhaseState, index: number, at: number): void {
  if (!state.limits.passAtReset && meetsPassConditions(state)) {
    markPassed(state, { event: index, at: formatInstant(at), atReset: false });
  }
}

// ---------------------------------------------------------------------------------------------
// Pass conditions
// ---------------------------------------------------------------------------------------------

/** Best unit so far, today's and the current deal's included; 0 when there is none. */
function bestUnit(state: PhaseState, byTrade: boolean): number {
  if (byTrade) return state.bestTrade ?? 0;
  const past = state.bestPastDay;
  if (!state.todayHasDeal) return past ?? 0;
  return past === null || state.dayProfit > past ? state.dayProfit : past;
}

/** Sum of the positive units so far (POSITIVE_DAYS), today's included. */
function positiveUnits(state: PhaseState, byTrade: boolean): number {
  if (byTrade) return state.positiveTrades;
  return state.positivePastDays + Math.max(state.dayProfit, 0);
}

interface ConsistencyFigures {
  best: number;
  net: number;
  holds: boolean;
}

function consistencyFigures(state: PhaseState, limit: ConsistencyLimit): ConsistencyFigures {
  const best = bestUnit(state, limit.byTrade);
  const net = limit.positiveUnitsOnly ? positiveUnits(state, limit.byTrade) : state.balance - state.limits.initial;
  if (net <= 0) return { best, net, holds: false };
  // best / net ≤ num / den  ⇔  best · den ≤ net · num  (net > 0, den > 0)
  const order = compareProducts(best, limit.maxBest.den, net, limit.maxBest.num);
  return { best, net, holds: limit.strict ? order < 0 : order <= 0 };
}

function profitableDays(state: PhaseState): number {
  const rule = state.limits.minProfitableDays;
  if (rule === null) return 0;
  return state.profitablePastDays + (state.todayHasDeal && state.dayProfit >= rule.threshold ? 1 : 0);
}

/** Every pass condition of rules.md, on the current state. A phase without a target never passes. */
function meetsPassConditions(state: PhaseState): boolean {
  const limits = state.limits;
  const target = limits.profitTarget;
  if (target === null) return false;
  if ((target.onEquity ? state.equity : state.balance) < target.amount) return false;
  if (target.requireFlat && state.openPositions > 0) return false;
  if (state.tradingDays < limits.minTradingDays) return false;
  const profitable = limits.minProfitableDays;
  if (profitable !== null && profitableDays(state) < profitable.count) return false;
  const consistency = limits.consistency;
  if (consistency !== null && !consistencyFigures(state, consistency).holds) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Reading the state
// ---------------------------------------------------------------------------------------------

/** The outcome in the golden `expect` shape. */
export interface PhaseOutcome {
  status: PhaseStatus;
  rule: BreachRule | null;
  event: number | null;
  at: string | null;
  balance: string;
  tradingDays: number;
  floors: { dailyLoss?: string; maxLoss?: string };
  /** Present when some limit has `action: SOFT`. */
  softBreaches?: { rule: SoftBreachRecord['rule']; event: number; at: string }[];
}

/**
 * Status, the transition that ended the phase, balance, trading days and the floors in force after
 * the last applied event. A reset transition ends the phase before the day rolls over, so its
 * balance and floors are those of the phase's last day.
 */
export function outcome(state: PhaseState): PhaseOutcome {
  const { limits } = state;
  const ending = state.breach ?? state.pass ?? state.closed ?? null;
  const floors: PhaseOutcome['floors'] = {};
  if (state.dailyLossFloor !== null) floors.dailyLoss = formatMoney(state.dailyLossFloor, limits.digits);
  if (state.maxLossFloor !== null) floors.maxLoss = formatMoney(state.maxLossFloor, limits.digits);
  const result: PhaseOutcome = {
    status: state.status,
    rule: state.breach?.rule ?? null,
    event: ending?.event ?? null,
    at: ending?.at ?? null,
    balance: formatMoney(state.balance, limits.digits),
    tradingDays: state.tradingDays,
    floors,
  };
  if (limits.dailyLoss?.soft || limits.maxLossPerTrade?.soft) {
    result.softBreaches = state.softBreaches.map(({ rule, event, at }) => ({ rule, event, at }));
  }
  return result;
}

/** Live figures for views and near-breach alerts. Amounts are decimal strings. */
export interface PhaseMetrics {
  status: PhaseStatus;
  currency: string;
  initialBalance: string;
  balance: string;
  equity: string;
  openPositions: number;
  /** Day number within the phase (0 before the first event). */
  day: number;
  dayStart: string | null;
  nextReset: string | null;
  dailyLoss: null | {
    floor: string;
    /** The base the floor is taken from: B(d), max(B(d), E(d)) or H. */
    base: string;
    reference: DailyLossReference;
    dayBalance: string;
    dayEquity: string;
    dayHigh: string;
    /** False after a soft breach until the next reset. */
    armed: boolean;
  };
  maxLoss: null | {
    floor: string;
    /** P for a trailing mode, I for STATIC. */
    base: string;
    mode: MaxLossMode;
    /** The floor has reached I + lockAt and stays there. */
    locked: boolean;
  };
  profitTarget: null | {
    target: string;
    measure: 'BALANCE' | 'EQUITY';
    current: string;
    /** Share of the way from I to the target, in percent (display only; may pass 100 or go negative). */
    progressPct: number;
    met: boolean;
  };
  tradingDays: number;
  minTradingDays: number;
  dayProfit: string;
  profitableDays: number | null;
  consistency: null | {
    best: string;
    net: string;
    /** best / net in percent, null while net ≤ 0 (display only). */
    ratioPct: number | null;
    holds: boolean;
  };
  /** All pass conditions hold right now (with NEXT_RESET the pass waits for the reset). */
  passConditionsMet: boolean;
}

export function metrics(state: PhaseState): PhaseMetrics {
  const { limits } = state;
  const money = (minor: number) => formatMoney(minor, limits.digits);
  const started = state.day > 0;
  const { dailyLoss, maxLoss, profitTarget, consistency } = limits;
  const measured = profitTarget?.onEquity ? state.equity : state.balance;
  const figures = consistency === null ? null : consistencyFigures(state, consistency);
  return {
    status: state.status,
    currency: limits.currency,
    initialBalance: money(limits.initial),
    balance: money(state.balance),
    equity: money(state.equity),
    openPositions: state.openPositions,
    day: state.day,
    dayStart: started ? formatInstant(state.dayStart) : null,
    nextReset: started ? formatInstant(state.nextReset) : null,
    dailyLoss:
      dailyLoss === null
        ? null
        : {
            floor: money(state.dailyLossFloor as number),
            base: money(dailyLossBase(dailyLoss.reference, state)),
            reference: dailyLoss.reference,
            dayBalance: money(state.dayBalance),
            dayEquity: money(state.dayEquity),
            dayHigh: money(state.dayHigh),
            armed: state.dailyLossArmed,
          },
    maxLoss:
      maxLoss === null
        ? null
        : {
            floor: money(state.maxLossFloor as number),
            base: money(maxLoss.mode === 'STATIC' ? limits.initial : state.peak),
            mode: maxLoss.mode,
            locked: maxLoss.lockFloor !== null && state.maxLossFloor === maxLoss.lockFloor,
          },
    profitTarget:
      profitTarget === null
        ? null
        : {
            target: money(profitTarget.amount),
            measure: profitTarget.onEquity ? 'EQUITY' : 'BALANCE',
            current: money(measured),
            progressPct: ((measured - limits.initial) / (profitTarget.amount - limits.initial)) * 100,
            met: measured >= profitTarget.amount,
          },
    tradingDays: state.tradingDays,
    minTradingDays: limits.minTradingDays,
    dayProfit: money(state.dayProfit),
    profitableDays: limits.minProfitableDays === null ? null : profitableDays(state),
    consistency:
      figures === null
        ? null
        : {
            best: money(figures.best),
            net: money(figures.net),
            ratioPct: figures.net > 0 ? (figures.best / figures.net) * 100 : null,
            holds: figures.holds,
          },
    passConditionsMet: meetsPassConditions(state),
  };
}
