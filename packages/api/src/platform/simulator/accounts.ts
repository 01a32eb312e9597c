/**
 * Trading accounts on the simulated server and the money maths on them.
 *
 * Money is integer minor units of the account currency (cents; yen for a JPY account): each
 * figure a platform reports (a deal's profit, a position's floating profit, its margin) is
 * computed from exact integer prices and volumes, converted once at the current rate and rounded
 * to the minor unit; sums are then exact. Volume is integer hundredths of a lot.
 */
import type { AssetClass, TradingMode } from '../platform';
import type { InstrumentMarket, Market } from './market';

// Bound once: a hot loop then skips a global lookup per call, which costs ~0.4 µs under jest's vm sandbox.
const { round } = Math;
const INFINITY = Number.POSITIVE_INFINITY;

export interface GroupSettings {
  /** Margin level (%) at or under which new positions are refused [100]. */
  marginCallLevel: number;
  /** Margin level (%) under which positions are closed, largest loss first [50]. */
  stopOutLevel: number;
  /** Highest leverage per asset class; the account's own leverage applies under it. */
  leverageCaps: Partial<Record<AssetClass, number>>;
}

export const DEFAULT_GROUP: GroupSettings = { marginCallLevel: 100, stopOutLevel: 50, leverageCaps: {} };

/** ESMA retail caps (rules.md): a group a broker moves accounts to when it raises margins. */
export const ESMA_RETAIL_CAPS: Record<AssetClass, number> = {
  FX_MAJOR: 30,
  FX_MINOR: 20,
  METAL: 20,
  INDEX: 20,
  COMMODITY: 10,
  EQUITY: 5,
  CRYPTO: 2,
};

export interface SimPosition {
  ticket: string;
  market: InstrumentMarket;
  /** +1 buy, −1 sell. */
  direction: 1 | -1;
  /** Hundredths of a lot. */
  centilots: number;
  openPoints: number;
  openedAt: number;
  /** Swap accrued at rollovers, minor units of the account currency; paid out on the `out` deal. */
  swap: number;
}

export interface SimAccount {
  login: string;
  name: string;
  group: string;
  leverage: number;
  currency: string;
  /** Minor-unit exponent of the currency. */
  digits: number;
  /** Starting balance, minor units. */
  initialBalance: number;
  balance: number;
  mode: TradingMode;
  password: string;
  investorPassword: string;
  positions: SimPosition[];
  /** Figures of the last equity snapshot sent, to send one only when something changed. */
  lastSnapshot: AccountFigures | null;
}

/** Half away from zero, like a platform's money rounding. */
export function roundMinor(value: number): number {
  return value < 0 ? -round(-value) : round(value);
}

/** Points a position would close at now: a buy sells at the bid, a sell buys at the ask. */
export function closingPoints(position: SimPosition): number {
  return position.direction === 1 ? position.market.bidPoints : position.market.askPoints;
}

function rateOrThrow(market: Market, from: string, to: string): number {
  const rate = market.rate(from, to);
  if (rate === null) throw new Error(`no conversion from ${from} to ${to} in the simulated market`);
  return rate;
}

/** Profit of closing at `points`, in minor units of the account currency. */
export function profitAt(position: SimPosition, points: number, account: SimAccount, market: Market): number {
  const { spec } = position.market;
  // Integer until the one conversion: points · centilots · contract size stays far below 2^53.
  const raw = (points - position.openPoints) * position.direction * position.centilots * spec.contractSize;
  const inProfitCurrency = raw / (100 * 10 ** spec.digits);
  const rate = rateOrThrow(market, spec.profitCurrency, account.currency);
  return roundMinor(inProfitCurrency * rate * 10 ** account.digits);
}

export function floatingProfit(position: SimPosition, account: SimAccount, market: Market): number {
  return profitAt(position, closingPoints(position), account, market);
}

/** Leverage a position is margined at: the account's, capped by its group for the asset class. */
export function effectiveLeverage(account: SimAccount, group: GroupSettings, position: SimPosition): number {
  const cap = group.leverageCaps[position.market.spec.assetClass];
  return cap !== undefined && cap < account.leverage ? cap : account.leverage;
}

/**
 * Margin of a position in minor units of the account currency:
 * lots · contractSize · price / leverage (rules.md). The price is the current one on the
 * position's own side (ask for a buy, bid for a sell), in the profit currency; for FX, where the
 * margin currency is the base, that equals lots · contractSize / leverage in the base currency.
 */
export function positionMargin(
  position: SimPosition,
  account: SimAccount,
  group: GroupSettings,
  market: Market,
): number {
  const instrument = position.market;
  const price = position.direction === 1 ? instrument.ask : instrument.bid;
  const notional = (position.centilots / 100) * instrument.spec.contractSize * price;
  const rate = rateOrThrow(market, instrument.spec.profitCurrency, account.currency);
  return roundMinor((notional / effectiveLeverage(account, group, position)) * rate * 10 ** account.digits);
}

export interface AccountFigures {
  balance: number;
  equity: number;
  margin: number;
}

export function accountFigures(account: SimAccount, group: GroupSettings, market: Market): AccountFigures {
  let equity = account.balance;
  let margin = 0;
  for (const position of account.positions) {
    equity += floatingProfit(position, account, market) + position.swap;
    margin += positionMargin(position, account, group, market);
  }
  return { balance: account.balance, equity, margin };
}

/** Margin level in %, or +∞ with no margin in use. */
export function marginLevel(figures: AccountFigures): number {
  return figures.margin === 0 ? INFINITY : (figures.equity / figures.margin) * 100;
}

/** A USD amount (commission tables) in minor units of the account currency. */
export function usdToAccount(amountUsd: number, account: SimAccount, market: Market): number {
  return roundMinor(amountUsd * rateOrThrow(market, 'USD', account.currency) * 10 ** account.digits);
}

/** Commission of one deal: per lot, charged on the way in and on the way out. */
export function dealCommission(position: SimPosition, account: SimAccount, market: Market): number {
  const perLot = position.market.spec.commissionPerLotUsd;
  return perLot === 0 ? 0 : -usdToAccount((perLot * position.centilots) / 100, account, market);
}

/**
 * Nights of financing charged at a rollover on the UTC weekday `weekday` (0 = Sunday). FX and
 * metals settle two days ahead, so Wednesday's roll carries the weekend (×3); indices, oil and
 * shares charge the weekend on Friday; crypto trades and charges every day.
 */
export function rolloverNights(assetClass: AssetClass, weekday: number): number {
  if (assetClass === 'CRYPTO') return 1;
  if (weekday === 0 || weekday === 6) return 0;
  const tripleDay = assetClass === 'FX_MAJOR' || assetClass === 'FX_MINOR' || assetClass === 'METAL' ? 3 : 5;
  return weekday === tripleDay ? 3 : 1;
}

/** Swap for `nights` on a position, minor units (negative is a charge). */
export function swapFor(position: SimPosition, nights: number, account: SimAccount, market: Market): number {
  const { spec } = position.market;
  const pct = position.direction === 1 ? spec.swapLongPct : spec.swapShortPct;
  const notional = (position.centilots / 100) * spec.contractSize * position.market.price;
  const rate = rateOrThrow(market, spec.profitCurrency, account.currency);
  return roundMinor(((notional * pct) / 100 / 360) * nights * rate * 10 ** account.digits);
}
