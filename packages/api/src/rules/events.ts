/**
 * Platform events as the engine consumes them. `parseEvent` converts the wire shape (decimal
 * strings, ISO instants) once, at the edge, into integer minor units and epoch milliseconds, so
 * that the engine's hot loop does integer arithmetic only.
 */
import { parseInstant } from './calendar';
import { MoneyError, minorUnitDigits, parseMoney } from './money';

/** Volumes are held in units of 10^-8 lot: exact for every lot size platforms report. */
export const VOLUME_DIGITS = 8;

export type DealEntry = 'in' | 'out';

export interface DealEvent {
  type: 'deal';
  /** Epoch milliseconds. */
  at: number;
  id: string;
  position: string;
  entry: DealEntry;
  /** Lots in units of 10^-8. */
  volume: number;
  /** profit + commission + swap: the change of the balance. */
  cash: number;
  /** commission + swap: the part of `cash` that was not already floating in equity. */
  charges: number;
  /** The platform's equity right after the deal, when it reported one. */
  equity: number | null;
}

export interface EquityEvent {
  type: 'equity';
  at: number;
  equity: number;
}

/** A balance operation (payout, deposit, withdrawal, correction): not a deal. */
export interface BalanceEvent {
  type: 'balance';
  at: number;
  amount: number;
}

/** Time passes; resets due by `at` happen. */
export interface ClockEvent {
  type: 'clock';
  at: number;
}

/** What staff may do to a phase through its journal (see `applyEvent`). */
export const STAFF_ACTIONS = ['EXTEND', 'REINSTATE', 'PASS', 'FAIL', 'CLOSE'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

/**
 * A staff action on the account, entered into the same journal as the platform's events so that a
 * replay sees it at the same place: extend the time limit by `days`, reinstate after a breach,
 * pass or fail by hand, close. `id` names the action (one id, one action).
 */
export interface StaffEvent {
  type: 'staff';
  at: number;
  id: string;
  action: StaffAction;
  /** EXTEND: how many days the time limits (maxDays, maxTradingDays) grow by. */
  days: number | null;
  reason: string | null;
}

export type PhaseEvent = DealEvent | EquityEvent | BalanceEvent | ClockEvent | StaffEvent;

/** A wire event the engine cannot read; `path` names the offending field. */
export class EventParseError extends Error {
  readonly code = 'EVENT_INVALID';
  readonly path: string[];
  constructor(path: string[], message: string) {
    super(path.length > 0 ? `${path.join('.')}: ${message}` : message);
    this.name = 'EventParseError';
    this.path = path;
  }
}

type WireObject = Record<string, unknown>;

function field(raw: WireObject, name: string): unknown {
  return Object.hasOwn(raw, name) ? raw[name] : undefined;
}

function text(raw: WireObject, name: string): string {
  const value = field(raw, name);
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new EventParseError([name], 'must be a non-empty string');
}

function amount(raw: WireObject, name: string, digits: number): number {
  const value = field(raw, name);
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new EventParseError([name], 'must be a decimal amount');
  }
  try {
    return parseMoney(value, digits);
  } catch (error) {
    throw new EventParseError([name], error instanceof MoneyError ? error.message : String(error));
  }
}

function optionalAmount(raw: WireObject, name: string, digits: number): number | null {
  const value = field(raw, name);
  return value === undefined || value === null ? null : amount(raw, name, digits);
}

function instant(raw: WireObject): number {
  const value = field(raw, 'at');
  const at = typeof value === 'string' ? parseInstant(value) : null;
  if (at === null) {
    throw new EventParseError(['at'], 'must be an ISO 8601 instant with a zone, e.g. "2025-03-03T08:00:00Z"');
  }
  return at;
}

function parseDeal(raw: WireObject, at: number, digits: number): DealEvent {
  const entry = field(raw, 'entry');
  if (entry !== 'in' && entry !== 'out') throw new EventParseError(['entry'], 'must be "in" or "out"');
  const volume = amount(raw, 'volume', VOLUME_DIGITS);
  if (volume < 0) throw new EventParseError(['volume'], 'must not be negative');
  const profit = amount(raw, 'profit', digits);
  const commission = amount(raw, 'commission', digits);
  const swap = amount(raw, 'swap', digits);
  return {
    type: 'deal',
    at,
    id: text(raw, 'id'),
    position: text(raw, 'position'),
    entry,
    volume,
    cash: profit + commission + swap,
    charges: commission + swap,
    equity: optionalAmount(raw, 'equity', digits),
  };
}

function parseStaff(raw: WireObject, at: number): StaffEvent {
  const action = field(raw, 'action');
  if (!(STAFF_ACTIONS as readonly unknown[]).includes(action)) {
    throw new EventParseError(['action'], `must be one of ${STAFF_ACTIONS.join(', ')}`);
  }
  const days = field(raw, 'days');
  let extension: number | null = null;
  if (action === 'EXTEND') {
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365) {
      throw new EventParseError(['days'], 'must be a whole number of days from 1 to 365');
    }
    extension = days;
  }
  const reason = field(raw, 'reason');
  if (reason !== undefined && reason !== null && typeof reason !== 'string') {
    throw new EventParseError(['reason'], 'must be text');
  }
  return {
    type: 'staff',
    at,
    id: text(raw, 'id'),
    action: action as StaffAction,
    days: extension,
    reason: typeof reason === 'string' && reason.length > 0 ? reason : null,
  };
}

/**
 * A wire event (golden-scenario shape) for an account in `currency`. Throws `EventParseError`.
 * Fields the rules do not use (symbol, side, price) are not required and not kept.
 */
export function parseEvent(raw: unknown, currency: string): PhaseEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new EventParseError([], 'an event must be an object');
  }
  const wire = raw as WireObject;
  const digits = minorUnitDigits(currency);
  const at = instant(wire);
  const type = field(wire, 'type');
  switch (type) {
    case 'deal':
      return parseDeal(wire, at, digits);
    case 'equity':
      return { type, at, equity: amount(wire, 'equity', digits) };
    case 'balance':
      return { type, at, amount: amount(wire, 'amount', digits) };
    case 'clock':
      return { type, at };
    case 'staff':
      return parseStaff(wire, at);
    default:
      throw new EventParseError(['type'], 'must be "deal", "equity", "balance", "clock" or "staff"');
  }
}
