/**
 * The seam between Brokerdeck and a trading platform (MetaTrader-style server, or the simulator).
 *
 * Everything the back office asks of a platform is a command here; everything the platform tells
 * us comes back as `PlatformEvent`s on one stream. Commands carry a client-supplied `commandId`
 * and are idempotent by it: sending the same command twice (a retry after a timeout) has one
 * effect and returns the same result, so callers may retry `PLATFORM_UNAVAILABLE` freely (see
 * retry.ts). Amounts cross this seam as decimal strings, as on the wire (shared/golden/README.md).
 */

// ---------------------------------------------------------------------------------------------
// Instruments
// ---------------------------------------------------------------------------------------------

/** The asset classes risk groups set leverage for (rules.md, CFD risk). */
export const ASSET_CLASSES = ['FX_MAJOR', 'FX_MINOR', 'METAL', 'INDEX', 'COMMODITY', 'EQUITY', 'CRYPTO'] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];

/**
 * One weekly trading window in UTC, the way platforms configure sessions per weekday.
 * `day` 0 is Sunday. `open`/`close` are "HH:MM"; `close` may be "24:00". Windows that touch
 * (Sunday 22:00–24:00 then Monday 00:00–24:00) form one continuous session.
 */
export interface SessionWindow {
  day: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  open: string;
  close: string;
}

export interface Instrument {
  symbol: string;
  assetClass: AssetClass;
  /** Units of the underlying in one lot (100 000 for FX, 100 oz for gold, 1 share). */
  contractSize: number;
  /** Decimal places of the price; one point is 10^-digits. */
  digits: number;
  /** Currency the margin is held in (the base currency for FX). */
  marginCurrency: string;
  /** Currency profit is made in (the quote currency for FX). */
  profitCurrency: string;
  sessions: readonly SessionWindow[];
}

// ---------------------------------------------------------------------------------------------
// Accounts and commands
// ---------------------------------------------------------------------------------------------

/** FULL: trade freely. CLOSE_ONLY: soft breaches and margin calls. DISABLED: hard breaches. */
export const TRADING_MODES = ['FULL', 'CLOSE_ONLY', 'DISABLED'] as const;
export type TradingMode = (typeof TRADING_MODES)[number];

export const BALANCE_OPERATION_KINDS = ['DEPOSIT', 'WITHDRAWAL', 'CORRECTION', 'PAYOUT'] as const;
export type BalanceOperationKind = (typeof BALANCE_OPERATION_KINDS)[number];

export type Side = 'buy' | 'sell';

/** Every command names itself; the same `commandId` twice is the same command (one effect). */
export interface Command {
  commandId: string;
}

export interface CreateAccountCommand extends Command {
  /** A login to use; absent: the platform picks the next free one. */
  login?: string;
  group: string;
  leverage: number;
  /** ISO 4217 deposit currency. */
  currency: string;
  /** Decimal string in `currency`, e.g. "100000.00". */
  startingBalance: string;
  name?: string;
}

export interface ResetPasswordCommand extends Command {
  login: string;
}

export interface SetTradingModeCommand extends Command {
  login: string;
  mode: TradingMode;
}

export interface ClosePositionCommand extends Command {
  login: string;
  position: string;
}

export interface CloseAllPositionsCommand extends Command {
  login: string;
}

export interface ChangeLeverageCommand extends Command {
  login: string;
  leverage: number;
}

export interface ChangeGroupCommand extends Command {
  login: string;
  group: string;
}

export interface BalanceOperationCommand extends Command {
  login: string;
  kind: BalanceOperationKind;
  /** Signed decimal string: a withdrawal or payout is negative. */
  amount: string;
  comment?: string;
}

/** What every command returns: our id echoed, and the platform's own id for what it did. */
export interface CommandReceipt {
  commandId: string;
  platformId: string;
}

/** What the trader is handed to log in with. */
export interface TradingCredentials {
  login: string;
  server: string;
  password: string;
  /** Read-only password, for a coach or an auditor. */
  investorPassword: string;
}

export interface CreatedAccount extends CommandReceipt, TradingCredentials {}
export interface PasswordReset extends CommandReceipt, TradingCredentials {}

export interface ClosedPositions extends CommandReceipt {
  /** Deal tickets of the `out` deals the close produced, in order. */
  deals: string[];
}

export interface PositionState {
  position: string;
  symbol: string;
  side: Side;
  volume: string;
  openPrice: string;
  currentPrice: string;
  /** Floating profit in the account currency. */
  profit: string;
  /** Swap accrued so far, in the account currency. */
  swap: string;
  openedAt: string;
}

export interface AccountState {
  login: string;
  group: string;
  leverage: number;
  currency: string;
  mode: TradingMode;
  balance: string;
  equity: string;
  margin: string;
  freeMargin: string;
  /** E / margin · 100; null with no margin in use. */
  marginLevel: string | null;
  positions: PositionState[];
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/**
 * PLATFORM_UNAVAILABLE: we could not get an answer (network, timeout, server busy); the command
 * may or may not have been applied, which is safe to retry because commands are idempotent.
 * PLATFORM_REJECTED: the platform answered no; retrying the same command gets the same answer.
 */
export type PlatformErrorCode = 'PLATFORM_UNAVAILABLE' | 'PLATFORM_REJECTED';

/** Why a platform said no, in broker terms (the adapter maps its retcodes to these). */
export type RejectReason =
  | 'UNKNOWN_ACCOUNT'
  | 'ACCOUNT_EXISTS'
  | 'UNKNOWN_POSITION'
  | 'UNKNOWN_SYMBOL'
  | 'TRADING_DISABLED'
  | 'CLOSE_ONLY'
  | 'MARKET_CLOSED'
  | 'NOT_ENOUGH_MONEY'
  | 'INVALID_REQUEST'
  | 'COMMAND_ID_REUSED'
  | 'UNAVAILABLE';

export class PlatformError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: PlatformErrorCode,
    readonly reason: RejectReason,
    message: string,
    retryable = code === 'PLATFORM_UNAVAILABLE',
  ) {
    super(message);
    this.name = 'PlatformError';
    this.retryable = retryable;
  }
}

export const rejected = (reason: RejectReason, message: string) =>
  new PlatformError('PLATFORM_REJECTED', reason, message);
export const unavailable = (message: string) => new PlatformError('PLATFORM_UNAVAILABLE', 'UNAVAILABLE', message);

// ---------------------------------------------------------------------------------------------
// Events (the wire format: decimal strings, ISO instants; shared/golden/README.md)
// ---------------------------------------------------------------------------------------------

interface AccountEventBase {
  /** Unique per platform and stable across redelivery: ingestion deduplicates on it. */
  eventId: string;
  login: string;
  /** ISO 8601 UTC instant. */
  at: string;
}

export interface DealWireEvent extends AccountEventBase {
  type: 'deal';
  /** Deal ticket. */
  id: string;
  /** Position ticket. */
  position: string;
  entry: 'in' | 'out';
  symbol: string;
  side: Side;
  volume: string;
  price: string;
  profit: string;
  commission: string;
  swap: string;
  /** Equity right after the deal. */
  equity?: string;
}

export interface EquityWireEvent extends AccountEventBase {
  type: 'equity';
  equity: string;
  margin?: string;
  balance?: string;
}

export interface BalanceWireEvent extends AccountEventBase {
  type: 'balance';
  amount: string;
  kind: BalanceOperationKind;
}

export interface PositionWireEvent extends AccountEventBase {
  type: 'position';
  position: string;
  symbol: string;
  side: Side;
  volume: string;
  openPrice: string;
  currentPrice: string;
  /** Floating profit in the account currency. */
  profit: string;
}

export interface QuoteWireEvent {
  eventId: string;
  at: string;
  type: 'quote';
  symbol: string;
  bid: string;
  ask: string;
}

/** The platform corrected a deal it already reported (new amounts); the account is rebuilt from its journal. */
export interface DealCorrectionWireEvent extends AccountEventBase {
  type: 'dealCorrection';
  /** The deal ticket corrected. */
  dealId: string;
  profit: string;
  commission: string;
  swap: string;
  /** Equity right after the corrected deal, when known. */
  equity?: string;
}

/** The platform cancelled a deal it already reported; the account is rebuilt from its journal without it. */
export interface DealCancelWireEvent extends AccountEventBase {
  type: 'dealCancel';
  dealId: string;
}

export type PlatformEvent =
  | DealWireEvent
  | EquityWireEvent
  | BalanceWireEvent
  | PositionWireEvent
  | QuoteWireEvent
  | DealCorrectionWireEvent
  | DealCancelWireEvent;

export type PlatformListener = (events: readonly PlatformEvent[]) => void;
export type Unsubscribe = () => void;

// ---------------------------------------------------------------------------------------------
// The platform
// ---------------------------------------------------------------------------------------------

/**
 * The platform's own time. The simulator's runs fast in the demo, so the scheduler and the
 * "too far in the future" check ask the platform, never `Date.now()`.
 */
export interface PlatformClock {
  now(): Date;
}

export interface TradingPlatform {
  /** Short kind, e.g. "simulator" or "mt5". */
  readonly kind: string;
  /** The server name traders type into their terminal. */
  readonly server: string;
  readonly clock: PlatformClock;

  listInstruments(): Promise<Instrument[]>;
  createAccount(command: CreateAccountCommand): Promise<CreatedAccount>;
  resetPassword(command: ResetPasswordCommand): Promise<PasswordReset>;
  setTradingMode(command: SetTradingModeCommand): Promise<CommandReceipt>;
  closePosition(command: ClosePositionCommand): Promise<ClosedPositions>;
  closeAllPositions(command: CloseAllPositionsCommand): Promise<ClosedPositions>;
  changeLeverage(command: ChangeLeverageCommand): Promise<CommandReceipt>;
  changeGroup(command: ChangeGroupCommand): Promise<CommandReceipt>;
  balanceOperation(command: BalanceOperationCommand): Promise<CommandReceipt>;
  getAccount(login: string): Promise<AccountState>;

  /** Batches of events in platform order; returns a function that stops the delivery. */
  subscribe(listener: PlatformListener): Unsubscribe;
}
