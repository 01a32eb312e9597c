/**
 * Typed failures of the MT5 adapter. Every failure is a `PlatformError`:
 * PLATFORM_UNAVAILABLE (no answer, timeout, 5xx, busy server, lost session) or PLATFORM_REJECTED
 * (MT5 answered with an error retcode, which the error carries). Messages name the command and the
 * retcode; they never contain a password, a password hash or a request body.
 */
import { PlatformError, type PlatformErrorCode, type RejectReason } from '../platform';

export class Mt5Error extends PlatformError {
  constructor(
    code: PlatformErrorCode,
    reason: RejectReason,
    message: string,
    /** MT5's numeric retcode when MT5 answered (`"10019 Not enough money"` → 10019), else null. */
    readonly retcode: number | null = null,
    /** The MT5 command, e.g. "trade/balance". */
    readonly command: string | null = null,
    /** The HTTP status when the failure was one. */
    readonly httpStatus: number | null = null,
    retryable?: boolean,
  ) {
    super(code, reason, message, retryable);
    this.name = 'Mt5Error';
  }

  /**
   * True when MT5 certainly did not act on the command: it was never sent (no session could be
   * had) or MT5 answered it with a transient retcode. False: it may have been applied.
   */
  unsent = false;
}

/** Success: `0` (Done) and `1` (OK, no data). */
export const SUCCESS_RETCODES: ReadonlySet<number> = new Set([0, 1]);

/**
 * Retcodes that mean "not now" rather than "no": network error, timeout, no connection, service
 * unavailable, too frequent requests, shutdown, server busy, too many trade requests (§1.6).
 * MT5 did not act on the command, so it is safe to send again later.
 */
export const TRANSIENT_RETCODES: ReadonlySet<number> = new Set([7, 9, 10, 11, 12, 15, 1018, 10024]);

/** MTRetCode (§1.6) → the broker's reason. `notFound` is what 13 means in context. */
export function reasonOf(retcode: number, notFound: RejectReason = 'UNKNOWN_ACCOUNT'): RejectReason {
  switch (retcode) {
    case 13:
      return notFound;
    case 1001:
    case 1020:
      return 'UNKNOWN_ACCOUNT';
    case 3004:
      return 'ACCOUNT_EXISTS';
    case 10017:
    case 1002:
      return 'TRADING_DISABLED';
    case 10018:
    case 10021:
      return 'MARKET_CLOSED';
    case 10019:
      return 'NOT_ENOUGH_MONEY';
    default:
      return 'INVALID_REQUEST';
  }
}

/** The leading integer of a retcode string (`"0 Done"` → 0); null when there is none (§1.6). */
export function parseRetcode(value: unknown): { code: number; text: string } | null {
  const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
  if (raw === null) return null;
  const match = /^(-?\d+)\s*(.*)$/.exec(raw);
  if (match === null) return null;
  return { code: Number(match[1]), text: match[2] };
}

export function retcodeError(command: string, retcode: number, description: string, notFound?: RejectReason): Mt5Error {
  const label = description.length > 0 ? `${retcode} ${description}` : String(retcode);
  const message = `MT5 ${command} answered retcode ${label}`;
  if (TRANSIENT_RETCODES.has(retcode)) {
    const error = new Mt5Error('PLATFORM_UNAVAILABLE', 'UNAVAILABLE', message, retcode, command);
    error.unsent = true;
    return error;
  }
  return new Mt5Error('PLATFORM_REJECTED', reasonOf(retcode, notFound), message, retcode, command);
}

export function unavailableError(
  command: string | null,
  message: string,
  options: { httpStatus?: number; retryable?: boolean; retcode?: number } = {},
): Mt5Error {
  return new Mt5Error(
    'PLATFORM_UNAVAILABLE',
    'UNAVAILABLE',
    message,
    options.retcode ?? null,
    command,
    options.httpStatus ?? null,
    options.retryable ?? true,
  );
}

export function rejectedError(reason: RejectReason, message: string, command: string | null = null): Mt5Error {
  return new Mt5Error('PLATFORM_REJECTED', reason, message, null, command);
}
