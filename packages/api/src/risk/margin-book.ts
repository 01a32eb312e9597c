/**
 * Margin per account, kept incrementally (rules.md, "CFD risk").
 *
 * The book mirrors what the platform reports — accounts, positions, balance changes, quotes — and
 * keeps, per account, the balance, the floating profit and the used margin as exact integer minor
 * units of the account currency, each position's figures cached. A quote re-prices only the
 * positions that depend on the symbol: those on the symbol itself, and those whose profit
 * currency converts to their account currency through it (DE40 in a USD account moves with
 * EURUSD). Then each touched account is checked once against its group's levels.
 *
 * ## Margin
 *
 * rules.md writes the margin as `lots · contractSize · price / leverage`, held in the *margin*
 * currency (the base currency, for FX), converted when that differs from the account's. The issue
 * writes it as the notional `lots · contractSize · price` in the *profit* currency, divided by the
 * leverage and converted to the account currency at the current rate. This book uses the second
 * reading, as the simulator does (platform/simulator/accounts.ts `positionMargin`):
 *
 *   margin = lots · contractSize · price / leverage · rate(profit currency → account currency)
 *
 * where `price` is the position's own side now (ask for a buy, bid for a sell: what it would open
 * at) and `rate` is the mid of the converting pair(s). Why: it holds for every kind of instrument
 * with one formula (an index or a share has no "base currency"; its margin currency is its profit
 * currency), and it needs only the profit-currency rate that floating profit needs anyway, so a
 * position depends on one conversion. For FX both readings agree whenever the account currency is
 * the quote currency (EURUSD 1 lot at 1.08500, 1:30, USD account: 100,000 · 1.085 / 30 = 3,616.67
 * USD). When the account currency is the base (USDJPY in a USD account) the conventional base-
 * currency figure is `100,000 / 30 = 3,333.33 USD` while ours is `100,000 · ask / mid / 30`:
 * higher by half the spread relative to the price (3,333.44 at 150.200/150.210 for a buy),
 * identical to the simulator's, and exactly equal to the conventional figure at a zero spread.
 *
 * Leverage is `effectiveLeverage(group, instrument, account leverage)`: the group's symbol
 * override or class maximum, lowered to the account's own leverage.
 *
 * ## Floating profit
 *
 * `(close − open) · lots · contractSize` in the profit currency, closing a buy at the bid and a
 * sell at the ask, converted at the mid rate; plus the swap the platform reports. Equity is the
 * balance plus the floating profit and swap of every position.
 *
 * ## Exactness
 *
 * Prices are integer points, volumes integer 10^-8 lots (rules/events.ts `VOLUME_DIGITS`), rates
 * exact fractions (rates.ts). Each position keeps its constant part `vol · contractSize · 10^acc /
 * (10^8 · 10^digits)` as a reduced fraction, so a re-price is two `a · b · c / (d · e)` integer
 * products (profit and margin), each rounded half-up once to the account's minor unit. Margin
 * levels are compared as cross products of integers (`compareProducts`), never as floats; the
 * level reported is `E · 100 / M` rounded half-up to hundredths of a percent.
 *
 * A position whose symbol has no quote yet is margined at its open price with no floating
 * profit; one whose conversion has no rate yet counts zero until the rate's pair quotes.
 *
 * ## Margin call and stop-out
 *
 * - At or under `marginCallLevel`: MARGIN_CALL, once per crossing; MARGIN_CALL_CLEARED when the
 *   level goes back above it (or no margin is used), which re-arms it. `checkNewPosition`
 *   refuses new positions meanwhile, and any position that would take the level there.
 * - Under `stopOutLevel`: a STOP_OUT decision, the ordered list of positions to close — largest
 *   loss first (ties: the older position), re-checking after each hypothetical close, which
 *   frees its margin and moves its profit and swap into the balance, until the level is no longer
 *   under the stop-out level or nothing is left. The book does not close them itself: it mirrors
 *   the platform, so the caller closes them there and reports each close (`closePosition`). No
 *   other STOP_OUT is raised for the account until those closes are in (or `cancelStopOut`).
 * - When the last of them is closed and the group has negative balance protection, a balance
 *   below zero raises NEGATIVE_BALANCE_CORRECTION with the amount that brings it back to zero
 *   (the STOP_OUT event already projects it); the caller books the correction deal and reports
 *   it (`applyBalance`). Without protection nothing is raised.
 *
 * Hedging policy: positions are margined one by one as the platform reports them (a NETTING
 * group's platform reports one per symbol); hedged positions get no margin relief.
 */
import type { Side } from '../platform/platform';
import { VOLUME_DIGITS } from '../rules/events';
import { compareProducts, formatMoney, minorUnitDigits, mulDiv, parseMoney } from '../rules/money';
import { RiskConfigError, RiskError } from './errors';
import type { ExposureBook } from './exposure';
import { lots } from './exposure';
import { bigDivHalfUp, type Conversion, type MarketSymbol, POW10, type RateTable, reducedProduct } from './rates';
import {
  type Book,
  effectiveLeverage,
  groupLevels,
  type MarginChange,
  MAX_LEVERAGE,
  type RiskGroup,
  targetSymbols,
  withLeverageChange,
} from './risk-group';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const VOLUME_SCALE = POW10[VOLUME_DIGITS];

// ---------------------------------------------------------------------------------------------
// Public shapes
// ---------------------------------------------------------------------------------------------

export interface AccountSpec {
  login: string;
  /** Risk group id; the account's brand is the group's. */
  riskGroup: string;
  /** ISO 4217 deposit currency. */
  currency: string;
  /** The account's own leverage on the platform (1:100 is 100); the group's caps apply under it. */
  leverage: number;
  /** Decimal string in `currency`. */
  balance: string;
  /** For a BY_RULE group: the book the rule chose [B]. Ignored when the group says A or B. */
  book?: Book;
}

export interface PositionSpec {
  /** The platform's position ticket, unique within the account. */
  id: string;
  symbol: string;
  side: Side;
  /** Lots, decimal string ("1.00"). */
  volume: string;
  /** Decimal price in the symbol's digits ("1.08500"). */
  openPrice: string;
  /** Accrued swap in the account currency [0]. */
  swap?: string;
}

export interface PositionChange {
  volume?: string;
  openPrice?: string;
  swap?: string;
}

/** NO_MARGIN: nothing used. OK: above the margin-call level. MARGIN_CALL: at or under it. STOP_OUT: under the stop-out level. */
export type MarginStatus = 'NO_MARGIN' | 'OK' | 'MARGIN_CALL' | 'STOP_OUT';

export interface StopOutClose {
  position: string;
  symbol: string;
  side: Side;
  volume: string;
  /** Floating profit when decided, account currency. */
  profit: string;
}

export type RiskEvent =
  | { type: 'MARGIN_CALL'; login: string; equity: string; margin: string; marginLevel: string }
  | { type: 'MARGIN_CALL_CLEARED'; login: string; equity: string; margin: string; marginLevel: string | null }
  | {
      type: 'STOP_OUT';
      login: string;
      equity: string;
      margin: string;
      marginLevel: string;
      /** In this order. */
      close: StopOutClose[];
      /** After the closes at the prices of the decision. */
      balanceAfter: string;
      marginAfter: string;
      marginLevelAfter: string | null;
      /** What negative balance protection would book at those prices; null when none. */
      projectedCorrection: string | null;
    }
  | { type: 'NEGATIVE_BALANCE_CORRECTION'; login: string; amount: string };

export type PositionCheck =
  | { allowed: true; margin: string; marginLevelAfter: string | null }
  | { allowed: false; reason: 'MARGIN_CALL' | 'STOP_OUT_PENDING' | 'NOT_ENOUGH_MARGIN'; margin: string | null };

export interface PositionSnapshot {
  id: string;
  symbol: string;
  side: Side;
  volume: string;
  openPrice: string;
  leverage: number;
  profit: string;
  swap: string;
  margin: string;
}

export interface AccountSnapshot {
  login: string;
  brand: string;
  riskGroup: string;
  book: Book;
  currency: string;
  leverage: number;
  balance: string;
  equity: string;
  margin: string;
  freeMargin: string;
  marginLevel: string | null;
  status: MarginStatus;
  inMarginCall: boolean;
  /** Positions of an undone STOP_OUT decision, or null. */
  stopOutPending: string[] | null;
  positions: PositionSnapshot[];
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/** A group with its levels as integers: `level ≤ n/d` ⟺ `E · 100·d ≤ n · M`. */
export class GroupState {
  mcNum = 0;
  mcDen100 = 0;
  soNum = 0;
  soDen100 = 0;
  readonly accounts = new Set<AccountState>();
  constructor(public group: RiskGroup) {
    this.set(group);
  }
  set(group: RiskGroup): void {
    const { marginCall, stopOut } = groupLevels(group);
    this.group = group;
    this.mcNum = marginCall.num;
    this.mcDen100 = marginCall.den * 100;
    this.soNum = stopOut.num;
    this.soDen100 = stopOut.den * 100;
  }
}

export class AccountState {
  readonly scale: number;
  readonly digits: number;
  balance = 0;
  /** Σ (floating profit + swap) of the positions. */
  floating = 0;
  /** Σ margin of the positions. */
  margin = 0;
  readonly positions: PositionState[] = [];
  readonly byId = new Map<string, PositionState>();
  inMarginCall = false;
  stopOut: Set<PositionState> | null = null;
  /** Quote stamp, to check each touched account once per quote. */
  stamp = 0;
  /** Scratch of `previewMarginChange`. */
  previewStamp = 0;
  previewMargin = 0;
  book: Book;

  constructor(
    readonly login: string,
    readonly currency: string,
    public group: GroupState,
    public leverage: number,
    /** The rule's choice, used while the group is BY_RULE. */
    public bookChoice: Book,
  ) {
    this.digits = minorUnitDigits(currency);
    this.scale = POW10[this.digits];
    this.book = resolveBook(group.group, bookChoice);
  }

  get equity(): number {
    return this.balance + this.floating;
  }
}

export class PositionState {
  /** +1 buy, −1 sell. */
  readonly dir: 1 | -1;
  /** `vol · contractSize · 10^acc / (10^8 · 10^digits)`, reduced; `fast` false when it does not fit numbers. */
  fNum = 0;
  fDen = 0;
  /** `fDen · leverage`. */
  mDen = 0;
  fast = true;
  leverage = 0;
  profit = 0;
  margin = 0;
  /** Slots in the book's lists (swap-remove). */
  accountSlot = -1;
  symbolSlot = -1;
  conversionSlot = -1;

  constructor(
    readonly id: string,
    readonly account: AccountState,
    readonly market: MarketSymbol,
    readonly conversion: Conversion,
    readonly side: Side,
    /** 10^-8 lots. */
    public volume: number,
    /** Integer points. */
    public openPrice: number,
    /** Minor units of the account currency. */
    public swap: number,
    /** Open order within the book: the stop-out tie-break. */
    readonly seq: number,
  ) {
    this.dir = side === 'buy' ? 1 : -1;
  }
}

function resolveBook(group: RiskGroup, choice: Book): Book {
  return group.book === 'BY_RULE' ? choice : group.book;
}

const NO_EVENTS: readonly RiskEvent[] = Object.freeze([]);

/** Appends to a list created on the first event: the quiet path allocates nothing. */
function withEvent(events: RiskEvent[] | null, event: RiskEvent): RiskEvent[] {
  if (events === null) return [event];
  events.push(event);
  return events;
}

function removeAt(list: PositionState[], index: number, slot: 'accountSlot' | 'symbolSlot' | 'conversionSlot'): void {
  const last = list.pop() as PositionState;
  if (index < list.length) {
    list[index] = last;
    last[slot] = index;
  }
}

// ---------------------------------------------------------------------------------------------
// Exact figures
// ---------------------------------------------------------------------------------------------

/** `a · b · c / (d · e)` half-up: in doubles while every product is exact, else BigInt. */
function figure(a: number, b: number, c: number, d: number, e: number): number {
  const ab = a * b;
  const de = d * e;
  if (ab <= MAX_SAFE && ab >= -MAX_SAFE && de <= MAX_SAFE) return mulDiv(ab, c, de, 'HALF_UP');
  return Number(bigDivHalfUp(BigInt(a) * BigInt(b) * BigInt(c), BigInt(d) * BigInt(e)));
}

/** The slow path of a position whose constant factor does not fit doubles (absurd sizes): all BigInt. */
function bigFigure(p: PositionState, priceDelta: number, withLeverage: number): number {
  const c = p.conversion;
  const n =
    BigInt(p.volume) *
    BigInt(p.market.instrument.contractSize) *
    BigInt(p.account.scale) *
    BigInt(priceDelta) *
    BigInt(c.num);
  const d = BigInt(VOLUME_SCALE) * BigInt(p.market.scale) * BigInt(withLeverage) * BigInt(c.den);
  return Number(bigDivHalfUp(n, d));
}

/** Margin of `p` at `leverage`, at current prices (0 while its rate is unknown). */
export function marginAt(p: PositionState, leverage: number): number {
  const c = p.conversion;
  if (c.den === 0) return 0;
  const m = p.market;
  const price = !m.quoted ? p.openPrice : p.dir === 1 ? m.ask : m.bid;
  if (p.fast && leverage === p.leverage) return figure(p.fNum, price, c.num, p.mDen, c.den);
  if (p.fast) {
    const d = p.fDen * leverage;
    if (d <= MAX_SAFE) return figure(p.fNum, price, c.num, d, c.den);
  }
  return bigFigure(p, price, leverage);
}

/** Re-prices a position and carries the change into its account's sums. */
function reprice(p: PositionState): void {
  const c = p.conversion;
  const m = p.market;
  let profit = 0;
  let margin = 0;
  if (c.den !== 0) {
    if (m.quoted) {
      const buy = p.dir === 1;
      const close = buy ? m.bid : m.ask;
      const open = buy ? m.ask : m.bid;
      if (p.fast) {
        profit = figure(p.fNum * p.dir, close - p.openPrice, c.num, p.fDen, c.den);
        margin = figure(p.fNum, open, c.num, p.mDen, c.den);
      } else {
        profit = bigFigure(p, p.dir * (close - p.openPrice), 1);
        margin = bigFigure(p, open, p.leverage);
      }
    } else {
      margin = marginAt(p, p.leverage);
    }
  }
  const a = p.account;
  a.floating += profit - p.profit;
  a.margin += margin - p.margin;
  p.profit = profit;
  p.margin = margin;
}

/** Sets a position's constant factor and leverage (after open, volume or leverage change). */
function setFactors(p: PositionState, leverage: number): void {
  const f = reducedProduct(
    [p.volume, p.market.instrument.contractSize, p.account.scale],
    [VOLUME_SCALE, p.market.scale],
  );
  p.leverage = leverage;
  if (f !== null && f.den * leverage <= MAX_SAFE) {
    p.fast = true;
    p.fNum = f.num;
    p.fDen = f.den;
    p.mDen = f.den * leverage;
  } else {
    p.fast = false;
  }
}

/** The level `E · 100 / M` in hundredths of a percent, rounded half-up; null with no margin. */
function levelText(equity: number, margin: number): string | null {
  return margin <= 0 ? null : formatMoney(mulDiv(equity, 10_000, margin, 'HALF_UP'), 2);
}

function statusOf(g: GroupState, equity: number, margin: number): MarginStatus {
  if (margin <= 0) return 'NO_MARGIN';
  if (compareProducts(equity, g.soDen100, g.soNum, margin) < 0) return 'STOP_OUT';
  if (compareProducts(equity, g.mcDen100, g.mcNum, margin) <= 0) return 'MARGIN_CALL';
  return 'OK';
}

// ---------------------------------------------------------------------------------------------
// The book
// ---------------------------------------------------------------------------------------------

export interface MarginBookOptions {
  /** Kept in step with every position change, keyed by the position's state object. */
  exposure?: ExposureBook<PositionState>;
}

export class MarginBook {
  private readonly groups = new Map<string, GroupState>();
  private readonly accountsByLogin = new Map<string, AccountState>();
  /** Positions by their own symbol (index of the market). */
  private readonly bySymbol: PositionState[][];
  /** Positions whose conversion goes through a pair other than their own symbol. */
  private readonly byConversion = new Map<Conversion, PositionState[]>();
  private readonly exposure: ExposureBook<PositionState> | undefined;
  private stamp = 0;
  private previewStamp = 0;
  private seq = 0;
  private positionCount = 0;
  private readonly touched: AccountState[] = [];

  constructor(
    readonly rates: RateTable,
    options: MarginBookOptions = {},
  ) {
    this.bySymbol = rates.symbols.map(() => []);
    this.exposure = options.exposure;
  }

  get size(): { accounts: number; positions: number } {
    return { accounts: this.accountsByLogin.size, positions: this.positionCount };
  }

  // ----- groups -----

  /** Adds or replaces a risk group (validate it with `parseRiskGroup` first); re-margins its accounts. */
  setGroup(group: RiskGroup): readonly RiskEvent[] {
    const known = this.groups.get(group.id);
    if (known === undefined) {
      this.groups.set(group.id, new GroupState(group));
      return NO_EVENTS;
    }
    if (known.group.brand !== group.brand) {
      throw new RiskError('INVALID_INPUT', `risk group ${group.id} belongs to brand ${known.group.brand}`);
    }
    known.set(group);
    const touched = this.beginTouch();
    for (const account of known.accounts) {
      this.rebook(account);
      for (const p of account.positions) this.relever(p, touched);
      this.touch(account, touched);
    }
    return this.evaluateTouched(touched);
  }

  group(id: string): RiskGroup | undefined {
    return this.groups.get(id)?.group;
  }

  groupsOfBrand(brand: string): RiskGroup[] {
    return [...this.groups.values()].filter((g) => g.group.brand === brand).map((g) => g.group);
  }

  private groupState(id: string): GroupState {
    const g = this.groups.get(id);
    if (g === undefined) throw new RiskError('UNKNOWN_GROUP', `unknown risk group ${id}`);
    return g;
  }

  // ----- accounts -----

  openAccount(spec: AccountSpec): void {
    if (this.accountsByLogin.has(spec.login)) throw new RiskError('ACCOUNT_EXISTS', `account ${spec.login} exists`);
    checkLeverage(spec.leverage);
    const group = this.groupState(spec.riskGroup);
    const account = new AccountState(spec.login, spec.currency, group, spec.leverage, spec.book ?? 'B');
    account.balance = parseMoney(spec.balance, account.digits);
    group.accounts.add(account);
    this.accountsByLogin.set(spec.login, account);
  }

  /** Forgets an account and its positions (archived on the platform). */
  removeAccount(login: string): void {
    const account = this.accountState(login);
    for (const p of [...account.positions]) this.detach(p);
    account.group.accounts.delete(account);
    this.accountsByLogin.delete(login);
  }

  accountState(login: string): AccountState {
    const account = this.accountsByLogin.get(login);
    if (account === undefined) throw new RiskError('UNKNOWN_ACCOUNT', `unknown account ${login}`);
    return account;
  }

  accountStates(): IterableIterator<AccountState> {
    return this.accountsByLogin.values();
  }

  /** Moves an account to another risk group of its brand: its positions are re-margined. */
  changeAccountGroup(login: string, riskGroup: string): readonly RiskEvent[] {
    const account = this.accountState(login);
    const next = this.groupState(riskGroup);
    if (next.group.brand !== account.group.group.brand) {
      throw new RiskError('INVALID_INPUT', `risk group ${riskGroup} is not of brand ${account.group.group.brand}`);
    }
    account.group.accounts.delete(account);
    account.group = next;
    next.accounts.add(account);
    return this.reaccount(account);
  }

  /** The account's own leverage changed on the platform. */
  changeAccountLeverage(login: string, leverage: number): readonly RiskEvent[] {
    checkLeverage(leverage);
    const account = this.accountState(login);
    account.leverage = leverage;
    return this.reaccount(account);
  }

  /** A BY_RULE group's rule moved the account to another book (no effect on margin). */
  setAccountBook(login: string, book: Book): void {
    const account = this.accountState(login);
    account.bookChoice = book;
    this.rebook(account);
  }

  private rebook(account: AccountState): void {
    const book = resolveBook(account.group.group, account.bookChoice);
    account.book = book;
    if (this.exposure === undefined) return;
    const to = { brand: account.group.group.brand, riskGroup: account.group.group.id, book };
    for (const p of account.positions) this.exposure.move(p, to);
  }

  private reaccount(account: AccountState): readonly RiskEvent[] {
    this.rebook(account);
    const touched = this.beginTouch();
    for (const p of account.positions) this.relever(p, touched);
    this.touch(account, touched);
    return this.evaluateTouched(touched);
  }

  /** A balance change that is not a position's close: deposit, withdrawal, correction, commission, a partial close's profit. */
  applyBalance(login: string, amount: string): readonly RiskEvent[] {
    const account = this.accountState(login);
    account.balance += parseMoney(amount, account.digits);
    return this.evaluateOne(account);
  }

  /** A stop-out decision the caller will not carry out (the market is closed, say): the next check may decide again. */
  cancelStopOut(login: string): void {
    this.accountState(login).stopOut = null;
  }

  // ----- positions -----

  /** Records a position the platform opened (see `checkNewPosition` for the pre-trade check). */
  openPosition(login: string, spec: PositionSpec): readonly RiskEvent[] {
    const account = this.accountState(login);
    if (account.byId.has(spec.id)) throw new RiskError('POSITION_EXISTS', `position ${spec.id} of ${login} exists`);
    const p = this.newPosition(account, spec);
    this.attach(p);
    return this.evaluateOne(account);
  }

  private newPosition(account: AccountState, spec: PositionSpec): PositionState {
    const market = this.rates.market(spec.symbol);
    const conversion = this.rates.conversion(market.instrument.profitCurrency, account.currency);
    if (spec.side !== 'buy' && spec.side !== 'sell') throw new RiskError('INVALID_INPUT', 'side must be buy or sell');
    const volume = parseMoney(spec.volume, VOLUME_DIGITS);
    const openPrice = parseMoney(spec.openPrice, market.instrument.digits);
    if (volume <= 0 || openPrice <= 0) throw new RiskError('INVALID_INPUT', 'volume and price must be positive');
    const swap = spec.swap === undefined ? 0 : parseMoney(spec.swap, account.digits);
    const p = new PositionState(spec.id, account, market, conversion, spec.side, volume, openPrice, swap, ++this.seq);
    setFactors(p, effectiveLeverage(account.group.group, market.instrument, account.leverage));
    return p;
  }

  private attach(p: PositionState): void {
    const account = p.account;
    p.accountSlot = account.positions.length;
    account.positions.push(p);
    account.byId.set(p.id, p);
    const list = this.bySymbol[p.market.index];
    p.symbolSlot = list.length;
    list.push(p);
    if (p.conversion.legs.length > 0 && !p.conversion.uses(p.market.symbol)) {
      let convList = this.byConversion.get(p.conversion);
      if (convList === undefined) {
        convList = [];
        this.byConversion.set(p.conversion, convList);
      }
      p.conversionSlot = convList.length;
      convList.push(p);
    }
    this.positionCount += 1;
    account.floating += p.swap;
    reprice(p);
    this.exposure?.add(p, {
      brand: account.group.group.brand,
      riskGroup: account.group.group.id,
      book: account.book,
      symbol: p.market.symbol,
      side: p.side,
      volume: p.volume,
      openPrice: p.openPrice,
    });
  }

  private detach(p: PositionState): void {
    const account = p.account;
    removeAt(account.positions, p.accountSlot, 'accountSlot');
    account.byId.delete(p.id);
    removeAt(this.bySymbol[p.market.index], p.symbolSlot, 'symbolSlot');
    if (p.conversionSlot >= 0) {
      removeAt(this.byConversion.get(p.conversion) as PositionState[], p.conversionSlot, 'conversionSlot');
    }
    account.floating -= p.profit + p.swap;
    account.margin -= p.margin;
    this.positionCount -= 1;
    this.exposure?.remove(p);
  }

  private position(login: string, id: string): PositionState {
    const p = this.accountState(login).byId.get(id);
    if (p === undefined) throw new RiskError('UNKNOWN_POSITION', `unknown position ${id} of ${login}`);
    return p;
  }

  /** The platform changed a position: volume (partial close, netting), average open price, swap. */
  updatePosition(login: string, id: string, change: PositionChange): readonly RiskEvent[] {
    const p = this.position(login, id);
    const account = p.account;
    const volume = change.volume === undefined ? p.volume : parseMoney(change.volume, VOLUME_DIGITS);
    const openPrice =
      change.openPrice === undefined ? p.openPrice : parseMoney(change.openPrice, p.market.instrument.digits);
    if (volume <= 0 || openPrice <= 0) throw new RiskError('INVALID_INPUT', 'volume and price must be positive');
    if (change.swap !== undefined) {
      const swap = parseMoney(change.swap, account.digits);
      account.floating += swap - p.swap;
      p.swap = swap;
    }
    if (volume !== p.volume || openPrice !== p.openPrice) {
      p.volume = volume;
      p.openPrice = openPrice;
      setFactors(p, p.leverage);
      reprice(p);
      this.exposure?.update(p, { volume, openPrice });
    }
    return this.evaluateOne(account);
  }

  /**
   * The platform closed a position. `realized` is the balance change its `out` deal booked
   * (profit + swap + commission, account currency); absent, the position's floating profit and
   * swap at current prices.
   */
  closePosition(login: string, id: string, realized?: string): readonly RiskEvent[] {
    const p = this.position(login, id);
    const account = p.account;
    const cash = realized === undefined ? p.profit + p.swap : parseMoney(realized, account.digits);
    this.detach(p);
    account.balance += cash;
    let events: RiskEvent[] | null = null;
    if (account.stopOut?.delete(p) && account.stopOut.size === 0) {
      account.stopOut = null;
      if (account.group.group.negativeBalanceProtection && account.balance < 0) {
        events = [
          {
            type: 'NEGATIVE_BALANCE_CORRECTION',
            login: account.login,
            amount: formatMoney(-account.balance, account.digits),
          },
        ];
      }
    }
    const more = this.evaluateOne(account);
    if (events === null) return more;
    for (const e of more) events.push(e);
    return events;
  }

  /**
   * Would the platform accept this position? No while the account is in margin call or has a
   * stop-out under way, nor when its margin would take the level to the margin-call level or
   * under (equity unchanged, as the simulator checks).
   */
  checkNewPosition(login: string, spec: PositionSpec): PositionCheck {
    const account = this.accountState(login);
    if (account.stopOut !== null) return { allowed: false, reason: 'STOP_OUT_PENDING', margin: null };
    if (account.inMarginCall) return { allowed: false, reason: 'MARGIN_CALL', margin: null };
    const p = this.newPosition(account, spec);
    const margin = marginAt(p, p.leverage);
    const total = account.margin + margin;
    const text = formatMoney(margin, account.digits);
    if (total > 0 && compareProducts(account.equity, account.group.mcDen100, account.group.mcNum, total) <= 0) {
      return { allowed: false, reason: 'NOT_ENOUGH_MARGIN', margin: text };
    }
    return { allowed: true, margin: text, marginLevelAfter: levelText(account.equity, total) };
  }

  // ----- quotes -----

  /**
   * A quote in integer points: re-prices the positions on the symbol and those converting through
   * it, then checks each touched account once. The hot path.
   */
  applyQuotePoints(symbol: string, bid: number, ask: number): readonly RiskEvent[] {
    const market = this.rates.setQuote(symbol, bid, ask);
    const touched = this.beginTouch();
    const stamp = this.stamp;
    const own = this.bySymbol[market.index];
    for (let i = 0; i < own.length; i++) {
      const p = own[i];
      reprice(p);
      const a = p.account;
      if (a.stamp !== stamp) {
        a.stamp = stamp;
        touched.push(a);
      }
    }
    const conversions = market.conversions;
    for (let j = 0; j < conversions.length; j++) {
      const list = this.byConversion.get(conversions[j]);
      if (list === undefined) continue;
      for (let i = 0; i < list.length; i++) {
        const p = list[i];
        reprice(p);
        const a = p.account;
        if (a.stamp !== stamp) {
          a.stamp = stamp;
          touched.push(a);
        }
      }
    }
    return this.evaluateTouched(touched);
  }

  /** `applyQuotePoints` with decimal prices as on the wire. */
  applyQuote(symbol: string, bid: string, ask: string): readonly RiskEvent[] {
    return this.applyQuotePoints(symbol, this.rates.points(symbol, bid), this.rates.points(symbol, ask));
  }

  // ----- change margin requirement -----

  /**
   * The groups a margin change selects, each with its group after the change. Throws when a named
   * group is unknown or of another brand.
   */
  selectGroups(change: MarginChange): Map<GroupState, RiskGroup> {
    checkLeverage(change.leverage);
    const selected = new Map<GroupState, RiskGroup>();
    const instruments = this.rates.instruments;
    const ids = change.riskGroups ?? [];
    const states =
      ids.length === 0
        ? [...this.groups.values()].filter((g) => g.group.brand === change.brand)
        : ids.map((id) => {
            const g = this.groups.get(id);
            if (g === undefined || g.group.brand !== change.brand) {
              throw new RiskConfigError(
                [{ path: ['riskGroups'], message: `${id} is not a risk group of brand ${change.brand}` }],
                'margin change',
              );
            }
            return g;
          });
    for (const g of states) selected.set(g, withLeverageChange(g.group, change.target, change.leverage, instruments));
    return selected;
  }

  /** The symbols a margin change re-margins. */
  changeSymbols(change: MarginChange): string[] {
    return targetSymbols(change.target, this.rates.instruments);
  }

  /**
   * Applies "change margin requirement": the selected groups get the new maximum leverage, and
   * only the positions of the targeted symbols in those groups are re-margined.
   */
  changeMarginRequirement(change: MarginChange): readonly RiskEvent[] {
    const selected = this.selectGroups(change);
    for (const [state, next] of selected) state.set(next);
    const touched = this.beginTouch();
    for (const symbol of this.changeSymbols(change)) {
      for (const p of this.bySymbol[this.rates.market(symbol).index]) {
        if (selected.has(p.account.group)) this.relever(p, touched);
      }
    }
    return this.evaluateTouched(touched);
  }

  /** Positions on a symbol (read only; for the what-if preview). */
  positionsOf(symbol: string): readonly PositionState[] {
    return this.bySymbol[this.rates.market(symbol).index];
  }

  /** @internal A fresh stamp for `AccountState.previewStamp`. */
  nextPreviewStamp(): number {
    return ++this.previewStamp;
  }

  private relever(p: PositionState, touched: AccountState[]): void {
    const account = p.account;
    const leverage = effectiveLeverage(account.group.group, p.market.instrument, account.leverage);
    if (leverage === p.leverage) return;
    setFactors(p, leverage);
    reprice(p);
    this.touch(account, touched);
  }

  // ----- checks -----

  private beginTouch(): AccountState[] {
    this.stamp += 1;
    this.touched.length = 0;
    return this.touched;
  }

  private touch(account: AccountState, touched: AccountState[]): void {
    if (account.stamp !== this.stamp) {
      account.stamp = this.stamp;
      touched.push(account);
    }
  }

  private evaluateOne(account: AccountState): readonly RiskEvent[] {
    const touched = this.beginTouch();
    this.touch(account, touched);
    return this.evaluateTouched(touched);
  }

  private evaluateTouched(touched: AccountState[]): readonly RiskEvent[] {
    let events: RiskEvent[] | null = null;
    for (let i = 0; i < touched.length; i++) {
      const a = touched[i];
      const g = a.group;
      const margin = a.margin;
      const equity = a.balance + a.floating;
      if (margin <= 0) {
        if (a.inMarginCall) {
          a.inMarginCall = false;
          events = withEvent(events, this.cleared(a));
        }
        continue;
      }
      const underCall = compareProducts(equity, g.mcDen100, g.mcNum, margin) <= 0;
      if (underCall !== a.inMarginCall) {
        a.inMarginCall = underCall;
        events = withEvent(
          events,
          underCall
            ? {
                type: 'MARGIN_CALL',
                login: a.login,
                equity: formatMoney(equity, a.digits),
                margin: formatMoney(margin, a.digits),
                marginLevel: levelText(equity, margin) as string,
              }
            : this.cleared(a),
        );
      }
      if (underCall && a.stopOut === null && compareProducts(equity, g.soDen100, g.soNum, margin) < 0) {
        events = withEvent(events, this.planStopOut(a));
      }
    }
    return events ?? NO_EVENTS;
  }

  private cleared(a: AccountState): RiskEvent {
    return {
      type: 'MARGIN_CALL_CLEARED',
      login: a.login,
      equity: formatMoney(a.equity, a.digits),
      margin: formatMoney(a.margin, a.digits),
      marginLevel: levelText(a.equity, a.margin),
    };
  }

  /** Largest loss first, re-checking after each hypothetical close (see the module comment). */
  private planStopOut(a: AccountState): RiskEvent {
    const g = a.group;
    const equity = a.equity;
    const order = a.positions.slice().sort((x, y) => x.profit - y.profit || x.seq - y.seq);
    let margin = a.margin;
    let balance = a.balance;
    const closing = new Set<PositionState>();
    const close: StopOutClose[] = [];
    for (const p of order) {
      if (margin <= 0 || compareProducts(equity, g.soDen100, g.soNum, margin) >= 0) break;
      closing.add(p);
      close.push({
        position: p.id,
        symbol: p.market.symbol,
        side: p.side,
        volume: lots(p.volume),
        profit: formatMoney(p.profit, a.digits),
      });
      margin -= p.margin;
      balance += p.profit + p.swap;
    }
    a.stopOut = closing;
    return {
      type: 'STOP_OUT',
      login: a.login,
      equity: formatMoney(equity, a.digits),
      margin: formatMoney(a.margin, a.digits),
      marginLevel: levelText(equity, a.margin) as string,
      close,
      balanceAfter: formatMoney(balance, a.digits),
      marginAfter: formatMoney(margin, a.digits),
      marginLevelAfter: levelText(equity, margin),
      projectedCorrection: g.group.negativeBalanceProtection && balance < 0 ? formatMoney(-balance, a.digits) : null,
    };
  }

  // ----- queries -----

  status(login: string): MarginStatus {
    const a = this.accountState(login);
    return statusOf(a.group, a.equity, a.margin);
  }

  account(login: string): AccountSnapshot {
    const a = this.accountState(login);
    const money = (v: number) => formatMoney(v, a.digits);
    return {
      login: a.login,
      brand: a.group.group.brand,
      riskGroup: a.group.group.id,
      book: a.book,
      currency: a.currency,
      leverage: a.leverage,
      balance: money(a.balance),
      equity: money(a.equity),
      margin: money(a.margin),
      freeMargin: money(a.equity - a.margin),
      marginLevel: levelText(a.equity, a.margin),
      status: statusOf(a.group, a.equity, a.margin),
      inMarginCall: a.inMarginCall,
      stopOutPending: a.stopOut === null ? null : [...a.stopOut].map((p) => p.id),
      positions: [...a.positions]
        .sort((x, y) => x.seq - y.seq)
        .map((p) => ({
          id: p.id,
          symbol: p.market.symbol,
          side: p.side,
          volume: lots(p.volume),
          openPrice: formatMoney(p.openPrice, p.market.instrument.digits),
          leverage: p.leverage,
          profit: money(p.profit),
          swap: money(p.swap),
          margin: money(p.margin),
        })),
    };
  }
}

function checkLeverage(leverage: number): void {
  if (!Number.isInteger(leverage) || leverage < 1 || leverage > MAX_LEVERAGE) {
    throw new RiskError('INVALID_INPUT', `leverage must be a whole number from 1 to ${MAX_LEVERAGE}`);
  }
}

export { levelText as marginLevelText, statusOf as marginStatus };
