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
 * products (profit and margin), each rounded half-up once to the account's minor unit (by one
 * double division while every value is below 2^51, see `FAST_LIMIT`; `mulDiv` or BigInt beyond). Margin
 * levels are compared as cross products of integers (`compareProducts`), never as floats; the
 * level reported is `E · 100 / M` rounded half-up to hundredths of a percent.
 *
 * A position whose symbol has no quote yet is margined at its open price with no floating
 * profit; one whose conversion has no rate yet counts zero until the rate's pair quotes.
 *
 * ## Layout (why a quote is cheap)
 *
 * Positions live in blocks, one per (symbol, side, conversion): EURUSD buys in USD accounts,
 * DE40 sells in USD accounts (converting through EURUSD), and so on, each a set of typed-array
 * columns (factor, leverage, open price, profit, margin, account index). Within a block the
 * quote, the side and the rate are the same for every row, so a quote runs a branch-free loop over
 * flat memory for its own blocks and for the blocks whose conversion goes through it. Accounts'
 * money and levels are columns too (integer minor units in Float64Arrays, exact below 2^53),
 * indexed by the account; each touched account is stamped once and checked after the loop. A
 * position object (`PositionState`) is the handle the caller's operations find by login and id.
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

// Bound once: an imported function is a property read per call in CommonJS output.
const mulDivExact = mulDiv;
const compare = compareProducts;
const { floor } = Math;

/**
 * The hot loop rounds `x / d` half-up as `floor((2x + d) / (2d))` — one double division and no
 * branch, 2–3× faster than the general `mulDiv` — but only while |x| and d are at most 2^51:
 * `2x + d` and `2d` are then integers below 2^53 − 1, and for integers |a| < 2^53 − 1, b > 0 the
 * double quotient never rounds across an integer (a/b = k − j/b, j ≥ 1, is within half an ulp of
 * k only if j · 2^53 ≤ |a| + j), so `floor` of it is the exact floor. Anything larger goes through
 * `mulDiv` or BigInt (`figure`); the property tests check both paths agree.
 */
const FAST_LIMIT = 2 ** 51;

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

/**
 * An account's identity and settings. Its money (balance, floating, margin) lives in the book's
 * typed arrays at `index`, so that a quote's loop touches flat memory only; read it through the
 * book (`figures`).
 */
export class AccountState {
  readonly scale: number;
  readonly digits: number;
  readonly positions: PositionState[] = [];
  readonly byId = new Map<string, PositionState>();
  /** Positions of an undone STOP_OUT decision, or null. */
  stopOut: Set<PositionState> | null = null;
  book: Book;
  /** Scratch of `previewMarginChange`. */
  previewStamp = 0;
  previewMargin = 0;

  constructor(
    readonly index: number,
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
}

/** A position's identity; its figures live in its block (`block.profit[slot]`, `block.margin[slot]`). */
export class PositionState {
  /** +1 buy, −1 sell. */
  readonly dir: 1 | -1;
  readonly block: Block;
  slot = -1;
  accountSlot = -1;

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
    block: Block,
  ) {
    this.dir = side === 'buy' ? 1 : -1;
    this.block = block;
  }

  get profit(): number {
    return this.block.profit[this.slot];
  }

  get margin(): number {
    return this.block.margin[this.slot];
  }

  get leverage(): number {
    return this.block.lev[this.slot];
  }
}

/**
 * The positions of one symbol and side held in accounts of one currency conversion (EURUSD buys
 * in USD accounts; DE40 sells in USD accounts, converting through EURUSD), as columns. Within a
 * block the quote, the rate and the side are the same for every row, so a re-price is a tight,
 * branch-free loop over flat arrays:
 *
 * - `num`: `dir · vol · contractSize · 10^acc / (10^8 · 10^digits)` reduced, its denominator `den`;
 *   profit = num · (close − open) · rate / den, margin = |num| · price · rate / (den · leverage).
 */
export class Block {
  length = 0;
  num: Float64Array;
  den: Float64Array;
  lev: Float64Array;
  open: Float64Array;
  profit: Float64Array;
  margin: Float64Array;
  acct: Int32Array;
  readonly pos: PositionState[] = [];

  constructor(
    readonly market: MarketSymbol,
    readonly conversion: Conversion,
    /** Every row is a buy (true) or every row a sell: the loop then has no branch on the side. */
    readonly buy: boolean,
    capacity = 8,
  ) {
    this.num = new Float64Array(capacity);
    this.den = new Float64Array(capacity);
    this.lev = new Float64Array(capacity);
    this.open = new Float64Array(capacity);
    this.profit = new Float64Array(capacity);
    this.margin = new Float64Array(capacity);
    this.acct = new Int32Array(capacity);
  }

  private grow(): void {
    const capacity = this.num.length * 2;
    const widen = (from: Float64Array) => {
      const to = new Float64Array(capacity);
      to.set(from);
      return to;
    };
    this.num = widen(this.num);
    this.den = widen(this.den);
    this.lev = widen(this.lev);
    this.open = widen(this.open);
    this.profit = widen(this.profit);
    this.margin = widen(this.margin);
    const acct = new Int32Array(capacity);
    acct.set(this.acct);
    this.acct = acct;
  }

  /** Appends a row with no figures yet; returns its slot. */
  add(p: PositionState, accountIndex: number): number {
    if (this.length === this.num.length) this.grow();
    const i = this.length++;
    this.pos[i] = p;
    this.acct[i] = accountIndex;
    this.profit[i] = 0;
    this.margin[i] = 0;
    p.slot = i;
    return i;
  }

  /** Removes a row by moving the last one into it. */
  remove(i: number): void {
    const last = --this.length;
    if (i !== last) {
      const moved = this.pos[last];
      this.pos[i] = moved;
      moved.slot = i;
      this.num[i] = this.num[last];
      this.den[i] = this.den[last];
      this.lev[i] = this.lev[last];
      this.open[i] = this.open[last];
      this.profit[i] = this.profit[last];
      this.margin[i] = this.margin[last];
      this.acct[i] = this.acct[last];
    }
    this.pos.length = last;
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

// ---------------------------------------------------------------------------------------------
// Exact figures
// ---------------------------------------------------------------------------------------------

/** `a · b · c / (d · e)` half-up, for safe integers `a`, `c`, `d`, `e` and `b`: doubles while exact, else BigInt. */
function figure(a: number, b: number, c: number, d: number, e: number): number {
  const ab = a * b;
  const de = d * e;
  if (ab <= MAX_SAFE && ab >= -MAX_SAFE && de <= MAX_SAFE) return mulDivExact(ab, c, de, 'HALF_UP');
  return Number(bigDivHalfUp(BigInt(a) * BigInt(b) * BigInt(c), BigInt(d) * BigInt(e)));
}

/** The margin of row `i` of `b` at `leverage` and current prices (0 while the rate is unknown). */
function rowMargin(b: Block, i: number, leverage: number): number {
  const c = b.conversion;
  if (c.den === 0) return 0;
  const m = b.market;
  const num = b.num[i];
  const price = !m.quoted ? b.open[i] : b.buy ? m.ask : m.bid;
  return figure(b.buy ? num : -num, price, c.num, b.den[i] * leverage, c.den);
}

/**
 * Re-prices rows `[from, to)` of a block at its symbol's quote and its conversion's rate, carries
 * the changes into the accounts' sums and stamps the accounts touched. Returns the new touched count.
 */
function priceRows(
  b: Block,
  from: number,
  to: number,
  floating: Float64Array,
  used: Float64Array,
  stamps: Int32Array,
  stamp: number,
  touched: Int32Array,
  count: number,
): number {
  const c = b.conversion;
  const m = b.market;
  const rn = c.num;
  const rd = c.den;
  const nums = b.num;
  const dens = b.den;
  const levs = b.lev;
  const opens = b.open;
  const profits = b.profit;
  const margins = b.margin;
  const accts = b.acct;
  const buy = b.buy;
  // A buy closes at the bid and is margined at the ask; a sell the other way round.
  const close = buy ? m.bid : m.ask;
  const price = buy ? m.ask : m.bid;
  const quoted = m.quoted && rd !== 0;
  for (let i = from; i < to; i++) {
    const num = nums[i];
    const den = dens[i];
    let profit = 0;
    let margin = 0;
    if (quoted) {
      // profit = num · (close − open) · rn / (den · rd); num carries the side's sign
      const px = num * (close - opens[i]) * rn;
      const pd = den * rd;
      profit =
        px <= FAST_LIMIT && px >= -FAST_LIMIT && pd <= FAST_LIMIT
          ? floor((2 * px + pd) / (2 * pd))
          : figure(num, close - opens[i], rn, den, rd);
      // margin = |num| · price · rn / (den · lev · rd)
      const mx = (buy ? num : -num) * price * rn;
      const md = den * levs[i] * rd;
      margin =
        mx <= FAST_LIMIT && md <= FAST_LIMIT
          ? floor((2 * mx + md) / (2 * md))
          : figure(buy ? num : -num, price, rn, den * levs[i], rd);
    } else if (rd !== 0) {
      margin = rowMargin(b, i, levs[i]);
    }
    const a = accts[i];
    floating[a] += profit - profits[i];
    used[a] += margin - margins[i];
    profits[i] = profit;
    margins[i] = margin;
    if (stamps[a] !== stamp) {
      stamps[a] = stamp;
      touched[count++] = a;
    }
  }
  return count;
}

interface Factor {
  num: number;
  den: number;
}

/** `vol · contractSize · 10^acc / (10^8 · 10^digits)`, reduced; throws for a volume too large to margin exactly. */
function factorOf(volume: number, market: MarketSymbol, account: AccountState): Factor {
  const f = reducedProduct([volume, market.instrument.contractSize, account.scale], [VOLUME_SCALE, market.scale]);
  if (f === null) throw new RiskError('INVALID_INPUT', 'the volume is too large to margin exactly');
  return f;
}

/** The level `E · 100 / M` in hundredths of a percent, rounded half-up; null with no margin. */
function levelText(equity: number, margin: number): string | null {
  return margin <= 0 ? null : formatMoney(mulDiv(equity, 10_000, margin, 'HALF_UP'), 2);
}

function statusOf(g: GroupState, equity: number, margin: number): MarginStatus {
  if (margin <= 0) return 'NO_MARGIN';
  if (compare(equity, g.soDen100, g.soNum, margin) < 0) return 'STOP_OUT';
  if (compare(equity, g.mcDen100, g.mcNum, margin) <= 0) return 'MARGIN_CALL';
  return 'OK';
}

// ---------------------------------------------------------------------------------------------
// The book
// ---------------------------------------------------------------------------------------------

export interface MarginBookOptions {
  /** Kept in step with every position change, keyed by the position's state object. */
  exposure?: ExposureBook<PositionState>;
}

/** An account's money, minor units of its currency. */
export interface AccountFigures {
  balance: number;
  equity: number;
  margin: number;
}

export class MarginBook {
  private readonly groups = new Map<string, GroupState>();
  private readonly accountsByLogin = new Map<string, AccountState>();
  private readonly accountsByIndex: (AccountState | undefined)[] = [];
  private readonly freeIndices: number[] = [];
  /** Per account index: money and the group's levels, as flat columns. */
  private balance = new Float64Array(0);
  private floating = new Float64Array(0);
  private used = new Float64Array(0);
  private mcNum = new Float64Array(0);
  private mcDen = new Float64Array(0);
  private soNum = new Float64Array(0);
  private soDen = new Float64Array(0);
  private inCall = new Uint8Array(0);
  private stamps = new Int32Array(0);
  private touched = new Int32Array(0);
  private touchedCount = 0;
  private stamp = 0;
  /** Blocks by own symbol (market index), and blocks to re-price when one of their conversion's legs quotes. */
  private readonly blocksBySymbol: Block[][];
  private readonly blocksByConversion = new Map<Conversion, Block[]>();
  private readonly exposure: ExposureBook<PositionState> | undefined;
  private previewStamp = 0;
  private seq = 0;
  private positionCount = 0;

  constructor(
    readonly rates: RateTable,
    options: MarginBookOptions = {},
  ) {
    this.blocksBySymbol = rates.symbols.map(() => []);
    this.exposure = options.exposure;
    this.growAccounts(1024);
  }

  private growAccounts(capacity: number): void {
    const widen = <T extends Float64Array | Uint8Array | Int32Array>(from: T, make: (n: number) => T): T => {
      const to = make(capacity);
      to.set(from);
      return to;
    };
    const f64 = (n: number) => new Float64Array(n);
    this.balance = widen(this.balance, f64);
    this.floating = widen(this.floating, f64);
    this.used = widen(this.used, f64);
    this.mcNum = widen(this.mcNum, f64);
    this.mcDen = widen(this.mcDen, f64);
    this.soNum = widen(this.soNum, f64);
    this.soDen = widen(this.soDen, f64);
    this.inCall = widen(this.inCall, (n) => new Uint8Array(n));
    this.stamps = widen(this.stamps, (n) => new Int32Array(n));
    this.touched = new Int32Array(capacity);
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
    this.beginTouch();
    for (const account of known.accounts) {
      this.setLevels(account);
      this.rebook(account);
      for (const p of account.positions) this.relever(p);
      this.touch(account.index);
    }
    return this.evaluateTouched();
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
    let index = this.freeIndices.pop();
    if (index === undefined) {
      index = this.accountsByIndex.length;
      if (index >= this.balance.length) this.growAccounts(this.balance.length * 2);
    }
    const account = new AccountState(index, spec.login, spec.currency, group, spec.leverage, spec.book ?? 'B');
    this.balance[index] = parseMoney(spec.balance, account.digits);
    this.floating[index] = 0;
    this.used[index] = 0;
    this.inCall[index] = 0;
    this.stamps[index] = 0;
    this.setLevels(account);
    this.accountsByIndex[index] = account;
    group.accounts.add(account);
    this.accountsByLogin.set(spec.login, account);
  }

  private setLevels(account: AccountState): void {
    const g = account.group;
    this.mcNum[account.index] = g.mcNum;
    this.mcDen[account.index] = g.mcDen100;
    this.soNum[account.index] = g.soNum;
    this.soDen[account.index] = g.soDen100;
  }

  /** Forgets an account and its positions (archived on the platform). */
  removeAccount(login: string): void {
    const account = this.accountState(login);
    for (const p of [...account.positions]) this.detach(p);
    account.group.accounts.delete(account);
    this.accountsByLogin.delete(login);
    this.accountsByIndex[account.index] = undefined;
    this.freeIndices.push(account.index);
  }

  accountState(login: string): AccountState {
    const account = this.accountsByLogin.get(login);
    if (account === undefined) throw new RiskError('UNKNOWN_ACCOUNT', `unknown account ${login}`);
    return account;
  }

  accountStates(): IterableIterator<AccountState> {
    return this.accountsByLogin.values();
  }

  /** An account's balance, equity and used margin in minor units. */
  figures(account: AccountState): AccountFigures {
    const i = account.index;
    return { balance: this.balance[i], equity: this.balance[i] + this.floating[i], margin: this.used[i] };
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
    this.setLevels(account);
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
    this.beginTouch();
    for (const p of account.positions) this.relever(p);
    this.touch(account.index);
    return this.evaluateTouched();
  }

  /** A balance change that is not a position's close: deposit, withdrawal, correction, commission, a partial close's profit. */
  applyBalance(login: string, amount: string): readonly RiskEvent[] {
    const account = this.accountState(login);
    this.balance[account.index] += parseMoney(amount, account.digits);
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
    const { market, conversion, volume, openPrice, swap, factor } = this.parsePosition(account, spec);
    const p = new PositionState(
      spec.id,
      account,
      market,
      conversion,
      spec.side,
      volume,
      openPrice,
      swap,
      ++this.seq,
      this.block(market, conversion, spec.side === 'buy'),
    );
    p.block.add(p, account.index);
    this.setRow(p, factor, effectiveLeverage(account.group.group, market.instrument, account.leverage));
    p.accountSlot = account.positions.length;
    account.positions.push(p);
    account.byId.set(p.id, p);
    this.positionCount += 1;
    this.floating[account.index] += swap;
    this.priceOne(p);
    this.exposure?.add(p, {
      brand: account.group.group.brand,
      riskGroup: account.group.group.id,
      book: account.book,
      symbol: market.symbol,
      side: p.side,
      volume,
      openPrice,
    });
    return this.evaluateOne(account);
  }

  private parsePosition(account: AccountState, spec: PositionSpec) {
    const market = this.rates.market(spec.symbol);
    const conversion = this.rates.conversion(market.instrument.profitCurrency, account.currency);
    if (spec.side !== 'buy' && spec.side !== 'sell') throw new RiskError('INVALID_INPUT', 'side must be buy or sell');
    const volume = parseMoney(spec.volume, VOLUME_DIGITS);
    const openPrice = parseMoney(spec.openPrice, market.instrument.digits);
    if (volume <= 0 || openPrice <= 0) throw new RiskError('INVALID_INPUT', 'volume and price must be positive');
    const swap = spec.swap === undefined ? 0 : parseMoney(spec.swap, account.digits);
    return { market, conversion, volume, openPrice, swap, factor: factorOf(volume, market, account) };
  }

  /** The block of (symbol, conversion), created on first use. */
  private block(market: MarketSymbol, conversion: Conversion, buy: boolean): Block {
    const own = this.blocksBySymbol[market.index];
    for (const b of own) if (b.conversion === conversion && b.buy === buy) return b;
    const b = new Block(market, conversion, buy);
    own.push(b);
    if (conversion.legs.length > 0) {
      let list = this.blocksByConversion.get(conversion);
      if (list === undefined) {
        list = [];
        this.blocksByConversion.set(conversion, list);
      }
      list.push(b);
    }
    return b;
  }

  /** Writes a row's constant factor, open price and leverage (after open or a volume change). */
  private setRow(p: PositionState, f: Factor, leverage: number): void {
    const b = p.block;
    b.num[p.slot] = p.dir * f.num;
    b.den[p.slot] = f.den;
    b.lev[p.slot] = leverage;
    b.open[p.slot] = p.openPrice;
  }

  /** Re-prices one position, carries the change into its account and marks the account touched. */
  private priceOne(p: PositionState): void {
    this.touchedCount = priceRows(
      p.block,
      p.slot,
      p.slot + 1,
      this.floating,
      this.used,
      this.stamps,
      this.stamp,
      this.touched,
      this.touchedCount,
    );
  }

  private detach(p: PositionState): void {
    const account = p.account;
    const last = account.positions.pop() as PositionState;
    if (p.accountSlot < account.positions.length) {
      account.positions[p.accountSlot] = last;
      last.accountSlot = p.accountSlot;
    }
    account.byId.delete(p.id);
    this.floating[account.index] -= p.profit + p.swap;
    this.used[account.index] -= p.margin;
    p.block.remove(p.slot);
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
    // Everything that can throw is parsed before anything changes.
    const swap = change.swap === undefined ? p.swap : parseMoney(change.swap, account.digits);
    const factor = volume !== p.volume ? factorOf(volume, p.market, account) : null;
    this.floating[account.index] += swap - p.swap;
    p.swap = swap;
    if (volume !== p.volume || openPrice !== p.openPrice) {
      p.volume = volume;
      p.openPrice = openPrice;
      if (factor !== null) this.setRow(p, factor, p.leverage);
      else p.block.open[p.slot] = openPrice;
      this.priceOne(p);
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
    this.balance[account.index] += cash;
    let events: RiskEvent[] | null = null;
    if (account.stopOut?.delete(p) && account.stopOut.size === 0) {
      account.stopOut = null;
      const balance = this.balance[account.index];
      if (account.group.group.negativeBalanceProtection && balance < 0) {
        events = [
          { type: 'NEGATIVE_BALANCE_CORRECTION', login: account.login, amount: formatMoney(-balance, account.digits) },
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
    if (this.inCall[account.index] === 1) return { allowed: false, reason: 'MARGIN_CALL', margin: null };
    const { market, conversion, openPrice, factor: f } = this.parsePosition(account, spec);
    const leverage = effectiveLeverage(account.group.group, market.instrument, account.leverage);
    const price = !market.quoted ? openPrice : spec.side === 'buy' ? market.ask : market.bid;
    const margin = conversion.den === 0 ? 0 : figure(f.num, price, conversion.num, f.den * leverage, conversion.den);
    const { equity, margin: used } = this.figures(account);
    const total = used + margin;
    const text = formatMoney(margin, account.digits);
    if (total > 0 && compare(equity, account.group.mcDen100, account.group.mcNum, total) <= 0) {
      return { allowed: false, reason: 'NOT_ENOUGH_MARGIN', margin: text };
    }
    return { allowed: true, margin: text, marginLevelAfter: levelText(equity, total) };
  }

  // ----- quotes -----

  /**
   * A quote in integer points: re-prices the blocks of the symbol and the blocks converting
   * through it, then checks each touched account once. The hot path.
   */
  applyQuotePoints(symbol: string, bid: number, ask: number): readonly RiskEvent[] {
    const market = this.rates.setQuote(symbol, bid, ask);
    this.beginTouch();
    const floating = this.floating;
    const used = this.used;
    const stamps = this.stamps;
    const stamp = this.stamp;
    const touched = this.touched;
    let count = 0;
    for (const b of this.blocksBySymbol[market.index]) {
      count = priceRows(b, 0, b.length, floating, used, stamps, stamp, touched, count);
    }
    for (const c of market.conversions) {
      const blocks = this.blocksByConversion.get(c);
      if (blocks === undefined) continue;
      for (const b of blocks) {
        // A block on this very symbol (USDCHF in a JPY account, through USDCHF and USDJPY) is done above.
        if (b.market !== market) count = priceRows(b, 0, b.length, floating, used, stamps, stamp, touched, count);
      }
    }
    this.touchedCount = count;
    return this.evaluateTouched();
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
    this.beginTouch();
    for (const symbol of this.changeSymbols(change)) {
      for (const b of this.blocksBySymbol[this.rates.market(symbol).index]) {
        // re-levering rewrites a row in place: the rows do not move
        for (let i = 0; i < b.length; i++) if (selected.has(b.pos[i].account.group)) this.relever(b.pos[i]);
      }
    }
    return this.evaluateTouched();
  }

  /** The blocks of a symbol's positions (read only; for the what-if preview). */
  blocksOf(symbol: string): readonly Block[] {
    return this.blocksBySymbol[this.rates.market(symbol).index];
  }

  /** How many positions a quote of `symbol` re-prices (its own, and those converting through it). */
  repricedBy(symbol: string): number {
    const market = this.rates.market(symbol);
    let n = 0;
    for (const b of this.blocksBySymbol[market.index]) n += b.length;
    for (const c of market.conversions) {
      for (const b of this.blocksByConversion.get(c) ?? []) if (b.market !== market) n += b.length;
    }
    return n;
  }

  /** The account at an index of the columns. */
  accountAt(index: number): AccountState {
    return this.accountsByIndex[index] as AccountState;
  }

  /** @internal A fresh stamp for `AccountState.previewStamp`. */
  nextPreviewStamp(): number {
    return ++this.previewStamp;
  }

  private relever(p: PositionState): void {
    const account = p.account;
    const leverage = effectiveLeverage(account.group.group, p.market.instrument, account.leverage);
    if (leverage === p.leverage) return;
    p.block.lev[p.slot] = leverage;
    this.priceOne(p);
  }

  // ----- checks -----

  private beginTouch(): void {
    if (this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 0;
    }
    this.stamp += 1;
    this.touchedCount = 0;
  }

  private touch(index: number): void {
    if (this.stamps[index] !== this.stamp) {
      this.stamps[index] = this.stamp;
      this.touched[this.touchedCount++] = index;
    }
  }

  private evaluateOne(account: AccountState): readonly RiskEvent[] {
    this.beginTouch();
    this.touch(account.index);
    return this.evaluateTouched();
  }

  private evaluateTouched(): readonly RiskEvent[] {
    let events: RiskEvent[] | null = null;
    const { touched, balance, floating, used, inCall, mcNum, mcDen, soNum, soDen } = this;
    for (let k = 0; k < this.touchedCount; k++) {
      const i = touched[k];
      const margin = used[i];
      if (margin <= 0) {
        if (inCall[i] === 1) {
          inCall[i] = 0;
          events = withEvent(events, this.cleared(this.accountAt(i)));
        }
        continue;
      }
      const equity = balance[i] + floating[i];
      // E · 100·d ≤ n · M, compared directly while both products are exact (the usual case)
      const left = equity * mcDen[i];
      const right = mcNum[i] * margin;
      const underCall =
        left <= MAX_SAFE && left >= -MAX_SAFE && right <= MAX_SAFE
          ? left <= right
          : compare(equity, mcDen[i], mcNum[i], margin) <= 0;
      if (underCall !== (inCall[i] === 1)) {
        inCall[i] = underCall ? 1 : 0;
        const a = this.accountAt(i);
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
      if (underCall && compare(equity, soDen[i], soNum[i], margin) < 0) {
        const a = this.accountAt(i);
        if (a.stopOut === null) events = withEvent(events, this.planStopOut(a));
      }
    }
    return events ?? NO_EVENTS;
  }

  private cleared(a: AccountState): RiskEvent {
    const { equity, margin } = this.figures(a);
    return {
      type: 'MARGIN_CALL_CLEARED',
      login: a.login,
      equity: formatMoney(equity, a.digits),
      margin: formatMoney(margin, a.digits),
      marginLevel: levelText(equity, margin),
    };
  }

  /** Largest loss first, re-checking after each hypothetical close (see the module comment). */
  private planStopOut(a: AccountState): RiskEvent {
    const g = a.group;
    const figures = this.figures(a);
    const equity = figures.equity;
    const order = a.positions.slice().sort((x, y) => x.profit - y.profit || x.seq - y.seq);
    let margin = figures.margin;
    let balance = figures.balance;
    const closing = new Set<PositionState>();
    const close: StopOutClose[] = [];
    for (const p of order) {
      if (margin <= 0 || compare(equity, g.soDen100, g.soNum, margin) >= 0) break;
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
      margin: formatMoney(figures.margin, a.digits),
      marginLevel: levelText(equity, figures.margin) as string,
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
    const { equity, margin } = this.figures(a);
    return statusOf(a.group, equity, margin);
  }

  account(login: string): AccountSnapshot {
    const a = this.accountState(login);
    const { balance, equity, margin } = this.figures(a);
    const money = (v: number) => formatMoney(v, a.digits);
    return {
      login: a.login,
      brand: a.group.group.brand,
      riskGroup: a.group.group.id,
      book: a.book,
      currency: a.currency,
      leverage: a.leverage,
      balance: money(balance),
      equity: money(equity),
      margin: money(margin),
      freeMargin: money(equity - margin),
      marginLevel: levelText(equity, margin),
      status: statusOf(a.group, equity, margin),
      inMarginCall: this.inCall[a.index] === 1,
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

export { levelText as marginLevelText, rowMargin as marginOfRow, statusOf as marginStatus };
