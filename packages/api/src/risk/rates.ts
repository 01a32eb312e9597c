/**
 * Live prices and currency conversion for the risk module, exact.
 *
 * Prices are integer points of their instrument (`1.08500` EURUSD is 108500 at 5 digits), as the
 * platform quotes them. A conversion rate is the *mid* of an FX pair, `(bid + ask) / (2 · 10^digits)`,
 * kept as an exact reduced fraction `num / den` of integers; its inverse (USDJPY for JPY → USD)
 * swaps them, and a cross through USD multiplies two of them. So no rate is ever rounded: the
 * only rounding in the module happens once, where an amount becomes minor units of its currency,
 * half-up (`HALF_UP` of rules/money.ts: ties toward +∞), the same helper the rule engine uses.
 *
 * Arithmetic is on integers held in `number`s while every intermediate is a safe integer (then it
 * is exact); an intermediate that would pass 2^53 is computed in BigInt instead (`mulMulDiv`).
 * The fractions are kept reduced, which keeps them small: the rate JPY → USD at 150.200/150.210
 * is 2000/300410 = 200/30041.
 */
import type { Instrument } from '../platform/platform';
import { minorUnitDigits, mulDiv, parseMoney, type Ratio } from '../rules/money';
import { RiskError } from './errors';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

// ---------------------------------------------------------------------------------------------
// Exact integer helpers
// ---------------------------------------------------------------------------------------------

export function gcd(a: number, b: number): number {
  let x = a < 0 ? -a : a;
  let y = b < 0 ? -b : b;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

function bigGcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** `n / d` rounded half-up (ties toward +∞), for BigInts with `d > 0`. */
export function bigDivHalfUp(n: bigint, d: bigint): bigint {
  let q = n / d;
  let r = n % d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  return r * 2n >= d ? q + 1n : q;
}

function toSafeNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RiskError('INVALID_INPUT', 'amount out of the exact integer range');
  return n;
}

/**
 * `a · b · c / (d · e)` rounded half-up to an integer, exactly, for integers with `d, e > 0`:
 * through `mulDiv` of rules/money.ts (doubles while exact) when `a · b` and `d · e` are safe
 * integers, in BigInt otherwise.
 */
export function mulMulDiv(a: number, b: number, c: number, d: number, e = 1): number {
  const ab = a * b;
  const de = d * e;
  if (ab <= MAX_SAFE && ab >= -MAX_SAFE && de <= MAX_SAFE) return mulDiv(ab, c, de, 'HALF_UP');
  return toSafeNumber(bigDivHalfUp(BigInt(a) * BigInt(b) * BigInt(c), BigInt(d) * BigInt(e)));
}

/**
 * The reduced fraction `Π nums / Π dens` of positive integers (the numerator may be negative), as
 * numbers when both fit a safe integer, else null (the caller then stays in BigInt).
 */
export function reducedProduct(nums: readonly number[], dens: readonly number[]): { num: number; den: number } | null {
  let num = 1n;
  let den = 1n;
  for (const n of nums) num *= BigInt(n);
  for (const d of dens) den *= BigInt(d);
  const g = bigGcd(num, den) || 1n;
  num /= g;
  den /= g;
  const n = Number(num);
  const d = Number(den);
  return Number.isSafeInteger(n) && Number.isSafeInteger(d) ? { num: n, den: d } : null;
}

/** Integer powers of ten up to 10^15, exact in doubles. */
export const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

// ---------------------------------------------------------------------------------------------
// Quotes and conversions
// ---------------------------------------------------------------------------------------------

/** One instrument's live quote. Read by the margin book and exposure; written only by `RateTable.setQuote`. */
export class MarketSymbol {
  readonly symbol: string;
  /** 10^digits: a price in points divided by this is the price. */
  readonly scale: number;
  /** Integer points; meaningful once `quoted`. */
  bid = 0;
  ask = 0;
  quoted = false;
  /** Conversions whose rate moves with this symbol's mid. */
  readonly conversions: Conversion[] = [];

  constructor(
    readonly instrument: Instrument,
    /** Dense index, for arrays keyed by symbol. */
    readonly index: number,
  ) {
    this.symbol = instrument.symbol;
    this.scale = POW10[instrument.digits];
  }
}

export interface ConversionLeg {
  market: MarketSymbol;
  /** true: the pair is quoted as `to/from` (USDJPY to go from JPY to USD), the rate is 1 / mid. */
  invert: boolean;
}

/**
 * The live rate from one currency to another, `num / den` units of `to` per unit of `from`
 * (reduced; `den === 0` while a leg has no quote yet). Identity conversions are 1/1 and have no legs.
 */
export class Conversion {
  num: number;
  den: number;
  /** 10^(minor digits) of each currency. */
  readonly fromScale: number;
  readonly toScale: number;

  constructor(
    readonly from: string,
    readonly to: string,
    readonly legs: readonly ConversionLeg[],
  ) {
    this.fromScale = POW10[minorUnitDigits(from)];
    this.toScale = POW10[minorUnitDigits(to)];
    this.num = legs.length === 0 ? 1 : 0;
    this.den = legs.length === 0 ? 1 : 0;
    this.refresh();
  }

  /** Recomputes the rate from the legs' mids. */
  refresh(): void {
    if (this.legs.length === 0) return;
    let num = 1;
    let den = 1;
    for (const leg of this.legs) {
      const m = leg.market;
      if (!m.quoted) {
        this.num = 0;
        this.den = 0;
        return;
      }
      // mid = (bid + ask) / (2 · scale), reduced
      let ln = m.bid + m.ask;
      let ld = 2 * m.scale;
      const g = gcd(ln, ld);
      ln /= g;
      ld /= g;
      if (leg.invert) [ln, ld] = [ld, ln];
      // num/den · ln/ld, cross-reduced so that the result stays reduced
      const g1 = gcd(num, ld);
      const g2 = gcd(ln, den);
      num = (num / g1) * (ln / g2);
      den = (den / g2) * (ld / g1);
    }
    if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den)) {
      throw new RiskError('INVALID_QUOTE', `the rate ${this.from} → ${this.to} does not fit exact integers`);
    }
    this.num = num;
    this.den = den;
  }
}

/** An FX pair that can convert: its base (margin) and quote (profit) currencies differ. */
function isConversionPair(instrument: Instrument): boolean {
  return (
    (instrument.assetClass === 'FX_MAJOR' || instrument.assetClass === 'FX_MINOR') &&
    instrument.marginCurrency !== instrument.profitCurrency
  );
}

/**
 * Every instrument's live quote, and the conversions between currencies they allow: direct
 * (EURUSD for EUR → USD), inverse (USDJPY for JPY → USD), or a cross through USD (EUR → JPY via
 * EURUSD and USDJPY), as the simulator's market converts.
 */
export class RateTable {
  private readonly bySymbol = new Map<string, MarketSymbol>();
  /** `BASE/QUOTE` → the pair quoting it. */
  private readonly pairs = new Map<string, MarketSymbol>();
  private readonly conversions = new Map<string, Conversion | null>();
  readonly symbols: readonly MarketSymbol[];

  constructor(instruments: readonly Instrument[]) {
    const symbols: MarketSymbol[] = [];
    for (const instrument of instruments) {
      if (this.bySymbol.has(instrument.symbol)) {
        throw new RiskError('INVALID_INPUT', `instrument ${instrument.symbol} is listed twice`);
      }
      if (!Number.isSafeInteger(instrument.contractSize) || instrument.contractSize <= 0) {
        throw new RiskError('INVALID_INPUT', `${instrument.symbol}: the contract size must be a positive whole number`);
      }
      if (!Number.isInteger(instrument.digits) || instrument.digits < 0 || instrument.digits > 10) {
        throw new RiskError('INVALID_INPUT', `${instrument.symbol}: digits must be a whole number from 0 to 10`);
      }
      minorUnitDigits(instrument.profitCurrency); // rejects an unknown currency now, not on the first position
      const market = new MarketSymbol(instrument, symbols.length);
      symbols.push(market);
      this.bySymbol.set(instrument.symbol, market);
      if (isConversionPair(instrument)) {
        const key = `${instrument.marginCurrency}/${instrument.profitCurrency}`;
        // Prefer the plainly named pair ("EURUSD" over "EURUSD.pro") when a broker lists both.
        const known = this.pairs.get(key);
        const plain = instrument.symbol === `${instrument.marginCurrency}${instrument.profitCurrency}`;
        if (known === undefined || plain) this.pairs.set(key, market);
      }
    }
    this.symbols = symbols;
  }

  get instruments(): Instrument[] {
    return this.symbols.map((s) => s.instrument);
  }

  find(symbol: string): MarketSymbol | undefined {
    return this.bySymbol.get(symbol);
  }

  market(symbol: string): MarketSymbol {
    const market = this.bySymbol.get(symbol);
    if (market === undefined) throw new RiskError('UNKNOWN_SYMBOL', `unknown symbol ${symbol}`);
    return market;
  }

  /** A decimal price ("1.08500") as integer points of the symbol. */
  points(symbol: string, price: string): number {
    return parseMoney(price, this.market(symbol).instrument.digits);
  }

  /**
   * Sets a quote (integer points) and refreshes the rates that use it. Returns the symbol. The
   * caller (the margin book) then re-prices the positions that depend on it.
   */
  setQuote(symbol: string, bid: number, ask: number): MarketSymbol {
    const market = this.market(symbol);
    if (!Number.isSafeInteger(bid) || !Number.isSafeInteger(ask) || bid <= 0 || ask < bid) {
      throw new RiskError('INVALID_QUOTE', `${symbol}: a quote needs whole points with 0 < bid <= ask`);
    }
    market.bid = bid;
    market.ask = ask;
    market.quoted = true;
    const conversions = market.conversions;
    for (let i = 0; i < conversions.length; i++) conversions[i].refresh();
    return market;
  }

  /** `setQuote` with decimal prices as on the wire. */
  setQuoteText(symbol: string, bid: string, ask: string): MarketSymbol {
    return this.setQuote(symbol, this.points(symbol, bid), this.points(symbol, ask));
  }

  private leg(from: string, to: string): ConversionLeg | null {
    const direct = this.pairs.get(`${from}/${to}`);
    if (direct !== undefined) return { market: direct, invert: false };
    const inverse = this.pairs.get(`${to}/${from}`);
    if (inverse !== undefined) return { market: inverse, invert: true };
    return null;
  }

  /** The live conversion `from → to`, or null when no pair (or pair of pairs through USD) links them. */
  findConversion(from: string, to: string): Conversion | null {
    const key = `${from}/${to}`;
    const known = this.conversions.get(key);
    if (known !== undefined) return known;
    let legs: ConversionLeg[] | null = null;
    if (from === to) legs = [];
    else {
      const direct = this.leg(from, to);
      if (direct !== null) legs = [direct];
      else if (from !== 'USD' && to !== 'USD') {
        const first = this.leg(from, 'USD');
        const second = this.leg('USD', to);
        if (first !== null && second !== null) legs = [first, second];
      }
    }
    const conversion = legs === null ? null : new Conversion(from, to, legs);
    if (conversion !== null) {
      for (const leg of conversion.legs) {
        if (!leg.market.conversions.includes(conversion)) leg.market.conversions.push(conversion);
      }
    }
    this.conversions.set(key, conversion);
    return conversion;
  }

  conversion(from: string, to: string): Conversion {
    const conversion = this.findConversion(from, to);
    if (conversion === null) throw new RiskError('NO_RATE', `no pair converts ${from} to ${to}`);
    return conversion;
  }

  /** The current rate as an exact ratio, or null while it is unknown. */
  rate(from: string, to: string): Ratio | null {
    const c = this.findConversion(from, to);
    return c === null || c.den === 0 ? null : { num: c.num, den: c.den };
  }

  /**
   * An amount in minor units of `from` as minor units of `to` at the current mid rate, rounded
   * half-up once; null while the rate is unknown.
   */
  convert(amountMinor: number, from: string, to: string): number | null {
    const c = this.findConversion(from, to);
    if (c === null || c.den === 0) return null;
    if (c.legs.length === 0) return amountMinor;
    return mulMulDiv(amountMinor, c.num, c.toScale, c.fromScale, c.den);
  }
}

/** Whole and fractional parts of a non-negative BigInt over 10^digits, as a decimal string. */
export function formatScaled(value: bigint, digits: number, minDigits = digits): string {
  const negative = value < 0n;
  const magnitude = (negative ? -value : value).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? magnitude : magnitude.slice(0, -digits);
  let fraction = digits === 0 ? '' : magnitude.slice(-digits);
  while (fraction.length > minDigits && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const text = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}
