/**
 * The simulated trade server: accounts, positions, deals, balance operations, rollover and
 * stop-out, and the wire events they produce. It knows nothing of time stepping or commands'
 * idempotency (simulator.ts) and nothing of why traders trade (traders.ts).
 *
 * Checks follow the trading mode: a trader's own request is refused in CLOSE_ONLY (opening) and
 * DISABLED (anything); the back office, like a platform's dealer, may close positions in any mode,
 * and at the last price when the market is closed (a hard breach on a Saturday still flattens).
 */
import { randomBytes } from 'node:crypto';
import { formatMoney, minorUnitDigits, parseMoney } from '../../rules/money';
import {
  type AccountState,
  BALANCE_OPERATION_KINDS,
  type BalanceOperationKind,
  type PlatformEvent,
  rejected,
  type Side,
  type TradingMode,
} from '../platform';
import {
  accountFigures,
  closingPoints,
  DEFAULT_GROUP,
  dealCommission,
  floatingProfit,
  type GroupSettings,
  marginLevel,
  positionMargin,
  profitAt,
  rolloverNights,
  type SimAccount,
  type SimPosition,
  swapFor,
} from './accounts';
import type { Market } from './market';

/** Largest single order, in hundredths of a lot. */
export const MAX_CENTILOTS = 10_000;

export interface NewAccount {
  login?: string;
  group: string;
  leverage: number;
  currency: string;
  startingBalance: string;
  name?: string;
}

/** Who asks: the trader's terminal is bound by the trading mode, the back office is not. */
export type Actor = 'TRADER' | 'BACK_OFFICE';

export function formatInstant(at: number): string {
  const iso = new Date(at).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

const sideOf = (direction: 1 | -1): Side => (direction === 1 ? 'buy' : 'sell');
const lots = (centilots: number) => formatMoney(centilots, 2);

/** Meets MT5's rule: lower, upper, digit and special character, 8–16 long. Not part of the stream. */
function newPassword(): string {
  const sets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '#$%&*+-=?@'];
  const all = sets.join('');
  const bytes = randomBytes(12);
  // One of each kind, then any; the modulo bias of a byte over these small sets does not matter here.
  const chars = [...bytes].map((byte, i) =>
    i < sets.length ? sets[i][byte % sets[i].length] : all[byte % all.length],
  );
  const shuffle = randomBytes(chars.length);
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = shuffle[i] % (i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export interface TradeServerOptions {
  market: Market;
  groups: Readonly<Record<string, GroupSettings>>;
  firstLogin: number;
  /** The next event id of the whole stream (quotes included), so ids follow stream order. */
  eventId: () => string;
  /** The simulated now, in epoch ms. */
  now: () => number;
  emit: (event: PlatformEvent) => void;
}

export class TradeServer {
  readonly accounts: SimAccount[] = [];
  private readonly byLogin = new Map<string, SimAccount>();
  private nextLogin: number;
  private dealSeq = 0;
  /** The ISO text of the current instant: every event of a tick shares it. */
  private atMs = Number.NaN;
  private atText = '';
  private positionSeq = 0;

  constructor(private readonly options: TradeServerOptions) {
    this.nextLogin = options.firstLogin;
  }

  private get market(): Market {
    return this.options.market;
  }

  group(account: SimAccount): GroupSettings {
    return this.options.groups[account.group] ?? DEFAULT_GROUP;
  }

  account(login: string): SimAccount {
    const account = this.byLogin.get(login);
    if (account === undefined) throw rejected('UNKNOWN_ACCOUNT', `no account ${login}`);
    return account;
  }

  private eventId(): string {
    return this.options.eventId();
  }

  private at(): string {
    const now = this.options.now();
    if (now !== this.atMs) [this.atMs, this.atText] = [now, formatInstant(now)];
    return this.atText;
  }

  createAccount(request: NewAccount): SimAccount {
    if (!Number.isInteger(request.leverage) || request.leverage < 1 || request.leverage > 1000) {
      throw rejected('INVALID_REQUEST', 'leverage must be a whole number from 1 to 1000');
    }
    if (this.market.rate(request.currency, 'USD') === null) {
      throw rejected('INVALID_REQUEST', `the simulator cannot convert ${request.currency}`);
    }
    const digits = minorUnitDigits(request.currency);
    const balance = this.amount(request.startingBalance, digits);
    if (balance < 0) throw rejected('INVALID_REQUEST', 'the starting balance cannot be negative');
    let login = request.login;
    if (login !== undefined && this.byLogin.has(login)) throw rejected('ACCOUNT_EXISTS', `account ${login} exists`);
    while (login === undefined || this.byLogin.has(login)) login = String(this.nextLogin++);
    const account: SimAccount = {
      login,
      name: request.name ?? `Trader ${login}`,
      group: request.group,
      leverage: request.leverage,
      currency: request.currency,
      digits,
      initialBalance: balance,
      balance,
      mode: 'FULL',
      password: newPassword(),
      investorPassword: newPassword(),
      positions: [],
      lastSnapshot: null,
    };
    this.accounts.push(account);
    this.byLogin.set(login, account);
    // The starting balance is the phase's initial balance, not a deposit: report it as equity.
    this.emitEquity(account);
    return account;
  }

  resetPassword(account: SimAccount): void {
    account.password = newPassword();
    account.investorPassword = newPassword();
  }

  setMode(account: SimAccount, mode: TradingMode): void {
    account.mode = mode;
  }

  amount(text: string, digits: number): number {
    try {
      return parseMoney(text, digits);
    } catch (error) {
      throw rejected('INVALID_REQUEST', `not an amount: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Opens a position at market (buy at the ask, sell at the bid). */
  open(account: SimAccount, symbol: string, direction: 1 | -1, centilots: number, actor: Actor): SimPosition {
    if (actor === 'TRADER' && account.mode === 'DISABLED') throw rejected('TRADING_DISABLED', 'trading is disabled');
    if (actor === 'TRADER' && account.mode === 'CLOSE_ONLY') throw rejected('CLOSE_ONLY', 'the account is close-only');
    const instrument = this.market.get(symbol);
    if (instrument === undefined) throw rejected('UNKNOWN_SYMBOL', `no symbol ${symbol}`);
    if (!instrument.open) throw rejected('MARKET_CLOSED', `${symbol} is closed`);
    if (!Number.isInteger(centilots) || centilots < 1 || centilots > MAX_CENTILOTS) {
      throw rejected('INVALID_REQUEST', 'volume must be from 0.01 to 100 lots');
    }
    const position: SimPosition = {
      ticket: '',
      market: instrument,
      direction,
      centilots,
      openPoints: direction === 1 ? instrument.askPoints : instrument.bidPoints,
      openedAt: this.options.now(),
      swap: 0,
    };
    const group = this.group(account);
    const commission = dealCommission(position, account, this.market);
    const before = accountFigures(account, group, this.market);
    const margin = before.margin + positionMargin(position, account, group, this.market);
    if (((before.equity + commission) / margin) * 100 <= group.marginCallLevel) {
      throw rejected('NOT_ENOUGH_MONEY', 'not enough free margin');
    }
    this.positionSeq += 1;
    position.ticket = String(this.positionSeq);
    account.positions.push(position);
    account.balance += commission;
    this.emitDeal(account, position, 'in', position.openPoints, 0, commission, 0);
    return position;
  }

  /** Closes a whole position at market; returns the `out` deal's ticket. */
  close(account: SimAccount, position: SimPosition, actor: Actor): string {
    if (actor === 'TRADER' && account.mode === 'DISABLED') throw rejected('TRADING_DISABLED', 'trading is disabled');
    if (actor === 'TRADER' && !position.market.open) {
      throw rejected('MARKET_CLOSED', `${position.market.spec.symbol} is closed`);
    }
    const index = account.positions.indexOf(position);
    if (index < 0) throw rejected('UNKNOWN_POSITION', `position ${position.ticket} is not open`);
    const points = closingPoints(position);
    const profit = profitAt(position, points, account, this.market);
    const commission = dealCommission(position, account, this.market);
    account.positions.splice(index, 1);
    account.balance += profit + commission + position.swap;
    return this.emitDeal(account, position, 'out', points, profit, commission, position.swap);
  }

  closeAll(account: SimAccount, actor: Actor): string[] {
    const deals: string[] = [];
    for (const position of [...account.positions]) deals.push(this.close(account, position, actor));
    return deals;
  }

  findPosition(account: SimAccount, ticket: string): SimPosition {
    const position = account.positions.find((p) => p.ticket === ticket);
    if (position === undefined)
      throw rejected('UNKNOWN_POSITION', `position ${ticket} is not open on ${account.login}`);
    return position;
  }

  balanceOperation(account: SimAccount, kind: BalanceOperationKind, amount: number): string {
    if (!BALANCE_OPERATION_KINDS.includes(kind)) throw rejected('INVALID_REQUEST', `unknown kind ${kind}`);
    if (amount === 0) throw rejected('INVALID_REQUEST', 'the amount cannot be zero');
    if (kind === 'DEPOSIT' && amount < 0) throw rejected('INVALID_REQUEST', 'a deposit is positive');
    if ((kind === 'WITHDRAWAL' || kind === 'PAYOUT') && amount > 0) {
      throw rejected('INVALID_REQUEST', `a ${kind.toLowerCase()} is negative`);
    }
    if (kind !== 'CORRECTION' && amount < 0) {
      const figures = accountFigures(account, this.group(account), this.market);
      if (figures.equity - figures.margin + amount < 0 || account.balance + amount < 0) {
        throw rejected('NOT_ENOUGH_MONEY', 'the amount exceeds the free margin');
      }
    }
    account.balance += amount;
    this.dealSeq += 1;
    this.options.emit({
      eventId: this.eventId(),
      login: account.login,
      at: this.at(),
      type: 'balance',
      amount: formatMoney(amount, account.digits),
      kind,
    });
    return String(this.dealSeq);
  }

  /** Daily financing: accrues on each open position, paid on its `out` deal. */
  rollover(at: number): void {
    const weekday = (Math.floor(at / 86_400_000) + 4) % 7;
    for (const account of this.accounts) {
      for (const position of account.positions) {
        const nights = rolloverNights(position.market.spec.assetClass, weekday);
        if (nights > 0) position.swap += swapFor(position, nights, account, this.market);
      }
    }
  }

  /**
   * Periodic work per account with open positions: stop-out (largest loss first, re-checking
   * after each close), negative balance protection, then an equity snapshot when something
   * changed and, when asked, one snapshot per open position.
   */
  snapshots(withPositions: boolean): void {
    for (const account of this.accounts) {
      if (account.positions.length === 0) continue;
      const group = this.group(account);
      let figures = accountFigures(account, group, this.market);
      if (marginLevel(figures) < group.stopOutLevel) {
        this.stopOut(account, group);
        figures = accountFigures(account, group, this.market);
      }
      this.emitEquity(account, figures);
      if (withPositions) for (const position of account.positions) this.emitPosition(account, position);
    }
  }

  private stopOut(account: SimAccount, group: GroupSettings): void {
    while (account.positions.length > 0) {
      if (marginLevel(accountFigures(account, group, this.market)) >= group.stopOutLevel) break;
      let worst = account.positions[0];
      let worstProfit = floatingProfit(worst, account, this.market);
      for (const position of account.positions) {
        const profit = floatingProfit(position, account, this.market);
        if (profit < worstProfit) [worst, worstProfit] = [position, profit];
      }
      this.close(account, worst, 'BACK_OFFICE');
    }
    // Negative balance protection: the client never owes more than the deposit.
    if (account.balance < 0) this.balanceOperation(account, 'CORRECTION', -account.balance);
  }

  state(account: SimAccount): AccountState {
    const figures = accountFigures(account, this.group(account), this.market);
    const money = (minor: number) => formatMoney(minor, account.digits);
    return {
      login: account.login,
      group: account.group,
      leverage: account.leverage,
      currency: account.currency,
      mode: account.mode,
      balance: money(figures.balance),
      equity: money(figures.equity),
      margin: money(figures.margin),
      freeMargin: money(figures.equity - figures.margin),
      marginLevel: figures.margin === 0 ? null : ((figures.equity / figures.margin) * 100).toFixed(2),
      positions: account.positions.map((p) => ({
        position: p.ticket,
        symbol: p.market.spec.symbol,
        side: sideOf(p.direction),
        volume: lots(p.centilots),
        openPrice: formatMoney(p.openPoints, p.market.spec.digits),
        currentPrice: formatMoney(closingPoints(p), p.market.spec.digits),
        profit: money(floatingProfit(p, account, this.market)),
        swap: money(p.swap),
        openedAt: formatInstant(p.openedAt),
      })),
    };
  }

  private emitDeal(
    account: SimAccount,
    position: SimPosition,
    entry: 'in' | 'out',
    points: number,
    profit: number,
    commission: number,
    swap: number,
  ): string {
    this.dealSeq += 1;
    const money = (minor: number) => formatMoney(minor, account.digits);
    const equity = accountFigures(account, this.group(account), this.market).equity;
    this.options.emit({
      eventId: this.eventId(),
      login: account.login,
      at: this.at(),
      type: 'deal',
      id: String(this.dealSeq),
      position: position.ticket,
      entry,
      symbol: position.market.spec.symbol,
      // An `out` deal trades the other way: a buy is closed by selling.
      side: sideOf(entry === 'in' ? position.direction : position.direction === 1 ? -1 : 1),
      volume: lots(position.centilots),
      price: formatMoney(points, position.market.spec.digits),
      profit: money(profit),
      commission: money(commission),
      swap: money(swap),
      equity: money(equity),
    });
    return String(this.dealSeq);
  }

  /** An equity snapshot, unless balance, equity and margin are all as last reported. */
  private emitEquity(account: SimAccount, figures = accountFigures(account, this.group(account), this.market)): void {
    const { balance, equity, margin } = figures;
    const last = account.lastSnapshot;
    if (last !== null && last.balance === balance && last.equity === equity && last.margin === margin) return;
    account.lastSnapshot = figures;
    this.options.emit({
      eventId: this.eventId(),
      login: account.login,
      at: this.at(),
      type: 'equity',
      equity: formatMoney(equity, account.digits),
      margin: formatMoney(margin, account.digits),
      balance: formatMoney(balance, account.digits),
    });
  }

  private emitPosition(account: SimAccount, position: SimPosition): void {
    const { digits } = position.market.spec;
    this.options.emit({
      eventId: this.eventId(),
      login: account.login,
      at: this.at(),
      type: 'position',
      position: position.ticket,
      symbol: position.market.spec.symbol,
      side: sideOf(position.direction),
      volume: lots(position.centilots),
      openPrice: formatMoney(position.openPoints, digits),
      currentPrice: formatMoney(closingPoints(position), digits),
      profit: formatMoney(floatingProfit(position, account, this.market), account.digits),
    });
  }
}
