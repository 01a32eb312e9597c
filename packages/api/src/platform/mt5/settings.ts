/**
 * Every point of the MT5 Web API that mt5-webapi.md marks UNCONFIRMED (or that only third-party
 * code shows) is a setting here, with the default the document gives. A brand that learns how its
 * server really behaves changes the setting, not the code. Section numbers refer to mt5-webapi.md.
 */
import type { BalanceOperationKind, TradingMode } from '../platform';

/** MTEnUsersRights (§2.1). */
export const RIGHTS = {
  ENABLED: 0x1,
  PASSWORD: 0x2,
  TRADE_DISABLED: 0x4,
  INVESTOR: 0x8,
  CONFIRMED: 0x10,
  TRAILING: 0x20,
  EXPERT: 0x40,
  REPORTS: 0x100,
  READONLY: 0x200,
  RESET_PASS: 0x400,
  OTP_ENABLED: 0x800,
  API_ENABLED: 0x4000,
  DEFAULT: 0x163,
} as const;

/** How a non-trade deal (Action ≥ 2) reaches the wire: a balance event of a kind, by sign, or not at all. */
export type BalanceActionMapping = 'SIGN' | BalanceOperationKind | 'IGNORE';

export interface Mt5Settings {
  /** §1.3: `version` sent to auth/start; the server requires ≥ 484 [484]. */
  clientVersion: number;
  /** §1.3: `agent` sent to auth/start; not empty, no spaces [Brokerdeck]. */
  agentName: string;
  /** §1.2 UNCONFIRMED whether the server sets a cookie: echo Set-Cookie back within a session [true]. */
  keepCookies: boolean;
  /**
   * §1.6/§6 UNCONFIRMED how the server answers a command on an unauthenticated connection. These
   * HTTP statuses mean "session lost": authenticate again and send the command once more (the
   * server did not act on it) [401, 403].
   */
  sessionLostStatuses: number[];
  /** The same for retcodes (§6: "HTTP 403 or retcode 8") [8]. */
  sessionLostRetcodes: number[];
  /** §1.2: keep-alive ping (`/api/test/access`) after this much silence; 0: none [20 000 ms]. */
  pingIntervalMs: number;
  /** Longest wait for one HTTP answer [10 000 ms]. */
  requestTimeoutMs: number;
  /**
   * §3 UNCONFIRMED time zone: how many seconds the server's epoch timestamps run ahead of UTC
   * (several clients treat them as the server's wall clock). Subtracted from every MT5 time [0].
   */
  serverTimeOffsetSeconds: number;
  /** §2.2 UNCONFIRMED retcode of user/account/get for an account without trade state [13]; falls back to user/get. */
  accountStateMissingRetcodes: number[];
  /** §2.3 UNCONFIRMED name of the group's deposit-currency field [Currency]. */
  groupCurrencyField: string;
  /** Currency assumed when a group has no such field [USD]. */
  defaultCurrency: string;
  /** §2.1 UNCONFIRMED parameters of user/get_batch: true uses `login=<list>`, false asks user/get one by one [true]. */
  userGetBatch: boolean;
  /** Not in the document (third-party clients only): the password-change command [/api/user/change_password]. */
  passwordChangePath: string;
  /** Its `type` values for the main and the investor password [main, investor]. */
  passwordChangeTypes: { main: string; investor: string };
  /** Where the new password goes: a JSON body `{Login, Type, Password}` or the query [BODY]. */
  passwordIn: 'BODY' | 'QUERY';
  /** §2.5 UNCONFIRMED position `Action` values (third-party clients: 0 buy, 1 sell). */
  positionActions: { buy: number; sell: number };
  /** §2.7 UNCONFIRMED `TypeFill` of a closing dealer request [0, as in the documented example]. */
  closeTypeFill: number;
  /** §2.7 UNCONFIRMED: some clients send `SourceLogin` (the manager) with dealer requests [false]. */
  closeSendSourceLogin: boolean;
  /** §2.7 UNCONFIRMED close recipe: extra fields merged into the dealer request body [{}]. */
  closeExtraFields: Record<string, string>;
  /** §2.7 UNCONFIRMED field holding a dealer request's final retcode [ResultRetcode, Retcode]. */
  requestResultRetcodeFields: string[];
  /** Field holding the deal a dealer request made [ResultDeal, Deal]. */
  requestResultDealFields: string[];
  /** Dealer request retcodes that are final successes [10009 done, 10010 done partially]. */
  requestDoneRetcodes: number[];
  /** Dealer request retcodes that are not final yet [0, 10001, 10008 placed]. */
  requestPendingRetcodes: number[];
  /** How often and how long to ask dealer/get_request_result [250 ms, 30 000 ms]. */
  requestPollIntervalMs: number;
  requestResultTimeoutMs: number;
  /** §2.6: trade/balance `type` per operation kind [balance 2; correction 5]. */
  balanceTypes: Record<BalanceOperationKind, number>;
  /** §2.6: `check_margin` per kind [withdrawals and payouts check the free margin; the others do not]. */
  balanceCheckMargin: Record<BalanceOperationKind, boolean>;
  /** §3: longest balance-operation comment (32 with the terminator) [31]. */
  balanceCommentMax: number;
  /** §3: longest user comment (64 with the terminator) [63]. */
  userCommentMax: number;
  /** §2.4: how each non-trade deal `Action` reaches the wire; unlisted actions are skipped with a warning. */
  balanceActions: Record<number, BalanceActionMapping>;
  /**
   * §2.4 UNCONFIRMED position id after a netting reversal (Entry INOUT): the `in` leg keeps the
   * deal's PositionID (SAME), or takes the deal's Order (ORDER) [SAME].
   */
  reversalPositionId: 'SAME' | 'ORDER';
  /** §3 UNCONFIRMED get_batch limits: logins per request [100]. */
  loginsPerRequest: number;
  /** Rights for a new account [DEFAULT 0x163]. */
  newAccountRights: number;
  /**
   * MT5 has no per-account close-only switch (§2.1 rights): each mode sets and clears rights bits.
   * Defaults: FULL enables the account and trading; CLOSE_ONLY keeps it enabled with trading
   * disabled (the back office still closes; the trader cannot close either); DISABLED also
   * refuses connections.
   */
  modeRights: Record<TradingMode, { set: number; clear: number }>;
  /**
   * Unsafe commands (balance, create, close) whose outcome is unknown are re-sent only after the
   * journal finds no trace of them and at least this long after the first attempt [30 000 ms].
   */
  reconcileSettleMs: number;
  /** How far before a command's start its traces are searched for in the deal history [600 s]. */
  reconcileLookbackSeconds: number;
}

export const DEFAULT_SETTINGS: Mt5Settings = {
  clientVersion: 484,
  agentName: 'Brokerdeck',
  keepCookies: true,
  sessionLostStatuses: [401, 403],
  sessionLostRetcodes: [8],
  pingIntervalMs: 20_000,
  requestTimeoutMs: 10_000,
  serverTimeOffsetSeconds: 0,
  accountStateMissingRetcodes: [13],
  groupCurrencyField: 'Currency',
  defaultCurrency: 'USD',
  userGetBatch: true,
  passwordChangePath: '/api/user/change_password',
  passwordChangeTypes: { main: 'main', investor: 'investor' },
  passwordIn: 'BODY',
  positionActions: { buy: 0, sell: 1 },
  closeTypeFill: 0,
  closeSendSourceLogin: false,
  closeExtraFields: {},
  requestResultRetcodeFields: ['ResultRetcode', 'Retcode'],
  requestResultDealFields: ['ResultDeal', 'Deal'],
  requestDoneRetcodes: [10009, 10010],
  requestPendingRetcodes: [0, 10001, 10008],
  requestPollIntervalMs: 250,
  requestResultTimeoutMs: 30_000,
  balanceTypes: { DEPOSIT: 2, WITHDRAWAL: 2, PAYOUT: 2, CORRECTION: 5 },
  balanceCheckMargin: { DEPOSIT: false, WITHDRAWAL: true, PAYOUT: true, CORRECTION: false },
  balanceCommentMax: 31,
  userCommentMax: 63,
  balanceActions: {
    2: 'SIGN', // BALANCE: deposit or withdrawal by sign (or by our tag's kind)
    3: 'IGNORE', // CREDIT: not balance; equity snapshots carry it
    4: 'CORRECTION', // CHARGE
    5: 'CORRECTION', // CORRECTION
    6: 'CORRECTION', // BONUS
    7: 'CORRECTION', // COMMISSION
    8: 'CORRECTION', // COMMISSION_DAILY
    9: 'CORRECTION', // COMMISSION_MONTHLY
    10: 'CORRECTION', // AGENT_DAILY
    11: 'CORRECTION', // AGENT_MONTHLY
    12: 'CORRECTION', // INTERESTRATE
    13: 'IGNORE', // BUY_CANCELED
    14: 'IGNORE', // SELL_CANCELED
    15: 'CORRECTION', // DIVIDEND
    16: 'CORRECTION', // DIVIDEND_FRANKED
    17: 'CORRECTION', // TAX
    18: 'CORRECTION', // AGENT
    19: 'CORRECTION', // SO_COMPENSATION
  },
  reversalPositionId: 'SAME',
  loginsPerRequest: 100,
  newAccountRights: RIGHTS.DEFAULT,
  modeRights: {
    FULL: { set: RIGHTS.ENABLED, clear: RIGHTS.TRADE_DISABLED },
    CLOSE_ONLY: { set: RIGHTS.ENABLED | RIGHTS.TRADE_DISABLED, clear: 0 },
    DISABLED: { set: RIGHTS.TRADE_DISABLED, clear: RIGHTS.ENABLED },
  },
  reconcileSettleMs: 30_000,
  reconcileLookbackSeconds: 600,
};

export function resolveSettings(overrides: Partial<Mt5Settings> = {}): Mt5Settings {
  const settings: Mt5Settings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(overrides) as (keyof Mt5Settings)[]) {
    const value = overrides[key];
    if (value !== undefined) (settings as unknown as Record<string, unknown>)[key] = value;
  }
  if (!Number.isInteger(settings.clientVersion) || settings.clientVersion < 484) {
    throw new Error('clientVersion must be a whole number of at least 484 (mt5-webapi.md §1.3)');
  }
  if (settings.agentName.length === 0 || /\s/.test(settings.agentName)) {
    throw new Error('agentName must be non-empty and without spaces (mt5-webapi.md §1.3)');
  }
  return settings;
}

/**
 * The trading mode the rights bits show: the mode whose bits differ least from them (none, when
 * the account was set by this adapter), ties going to the stricter mode.
 */
export function modeOfRights(rights: bigint, settings: Mt5Settings): TradingMode {
  let best: TradingMode = 'FULL';
  let bestMismatch = Number.POSITIVE_INFINITY;
  for (const mode of ['DISABLED', 'CLOSE_ONLY', 'FULL'] as const) {
    const { set, clear } = settings.modeRights[mode];
    const mismatch = bitCount(BigInt(set) & ~rights) + bitCount(BigInt(clear) & rights);
    if (mismatch < bestMismatch) [best, bestMismatch] = [mode, mismatch];
  }
  return best;
}

function bitCount(value: bigint): number {
  let count = 0;
  for (let v = value; v > 0n; v >>= 1n) count += Number(v & 1n);
  return count;
}

export function applyMode(rights: bigint, mode: TradingMode, settings: Mt5Settings): bigint {
  const { set, clear } = settings.modeRights[mode];
  return (rights & ~BigInt(clear)) | BigInt(set);
}
