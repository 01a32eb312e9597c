/**
 * Exact money for the rule engine.
 *
 * Amounts cross the edges as decimal strings ("100000.00") and live inside the engine as integer
 * minor units (cents for USD, yen for JPY) held in plain `number`s: every amount a trading account
 * can hold is far below 2^53, so integer arithmetic on numbers is exact and fast. Percentages are
 * exact rationals (`Ratio`); a percentage of an amount is computed in integers and rounded
 * explicitly. BigInt is used only when an intermediate product could pass 2^53, which never happens
 * per event for realistic accounts. No floating point touches money.
 */

export class MoneyError extends Error {
  readonly code = 'MONEY_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** A plain decimal: optional sign, digits, optional fraction. No exponent, no thousands separators. */
export const DECIMAL_PATTERN = /^([+-])?(\d+)(?:\.(\d+))?$/;

const minorDigitsByCurrency = new Map<string, number>();

/**
 * The ISO 4217 minor-unit exponent of a currency (USD 2, JPY 0, BHD 3), from the platform's ICU data.
 * Cached: it is asked once per phase, not per event.
 */
export function minorUnitDigits(currency: string): number {
  const cached = minorDigitsByCurrency.get(currency);
  if (cached !== undefined) return cached;
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new MoneyError(`"${currency}" is not an ISO 4217 currency code (three capital letters)`);
  }
  let digits: number;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch {
    throw new MoneyError(`"${currency}" is not a currency known to this platform`);
  }
  minorDigitsByCurrency.set(currency, digits);
  return digits;
}

/** A number or a decimal string as it may arrive in JSON, as a trimmed decimal string. */
export function decimalText(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyError(`${value} is not a finite number`);
    const text = String(value);
    if (!DECIMAL_PATTERN.test(text)) {
      throw new MoneyError(`${text} cannot be written as a plain decimal; pass it as a string`);
    }
    return text;
  }
  return value.trim();
}

/**
 * A decimal amount as integer minor units: `parseMoney("1234.5", 2) === 123450`.
 * More decimal places than the currency has are accepted only when they are zeros ("100.000" USD);
 * anything else would silently lose money, so it is an error.
 */
export function parseMoney(value: string | number, digits: number): number {
  if (typeof value === 'string') {
    const minor = parsePlainMinor(value, digits);
    if (minor !== null) return minor;
  }
  return parseMoneyChecked(value, digits);
}

/**
 * The fast path of `parseMoney` for the plain wire form ("-1234.50"), reading digits straight into
 * an integer; null for anything else (spaces, too many places, too large), which the checked path
 * then accepts or rejects with a reason. The value only grows while digits are read, so when the
 * result is a safe integer every intermediate was exact.
 */
function parsePlainMinor(text: string, digits: number): number | null {
  const length = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */) {
    negative = true;
    i = 1;
  } else if (first === 43 /* + */) {
    i = 1;
  }
  let value = 0;
  const wholeStart = i;
  let code = 0;
  for (; i < length; i++) {
    code = text.charCodeAt(i);
    if (code < 48 || code > 57) break;
    value = value * 10 + (code - 48);
  }
  if (i === wholeStart) return null;
  let places = 0;
  if (i < length) {
    if (code !== 46 /* . */ || i + 1 === length) return null;
    for (i += 1; i < length; i++) {
      code = text.charCodeAt(i);
      if (code < 48 || code > 57) return null;
      if (places < digits) {
        value = value * 10 + (code - 48);
        places += 1;
      } else if (code !== 48) {
        return null; // a non-zero digit below the minor unit
      }
    }
  }
  for (; places < digits; places++) value *= 10;
  if (!Number.isSafeInteger(value)) return null;
  return negative && value !== 0 ? -value : value;
}

function parseMoneyChecked(value: string | number, digits: number): number {
  const text = decimalText(value);
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) throw new MoneyError(`"${text}" is not a decimal amount`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits && !/^0*$/.test(fraction.slice(digits))) {
    throw new MoneyError(`"${text}" has more than ${digits} decimal place(s)`);
  }
  const minor = Number(whole + fraction.slice(0, digits).padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`"${text}" is too large`);
  if (minor === 0) return 0; // never -0
  return sign === '-' ? -minor : minor;
}

/** Integer minor units back to a decimal string with the currency's places: `formatMoney(-5, 2) === "-0.05"`. */
export function formatMoney(minor: number, digits: number): string {
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`${minor} is not an integer amount`);
  const negative = minor < 0;
  const magnitude = String(negative ? -minor : minor);
  if (digits === 0) return negative ? `-${magnitude}` : magnitude;
  const padded = magnitude.padStart(digits + 1, '0');
  const text = `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
  return negative ? `-${text}` : text;
}

/** An exact rational `num / den` with `den > 0`, reduced. */
export interface Ratio {
  readonly num: number;
  readonly den: number;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function reduced(num: number, den: number): Ratio {
  const divisor = gcd(num, den) || 1;
  return { num: num / divisor, den: den / divisor };
}

/** Fraction digits accepted in a percentage or any other non-money decimal. */
const MAX_RATIO_DECIMALS = 9;

/** A decimal string as an exact ratio: `parseDecimal("12.5")` is 25/2. */
export function parseDecimal(value: string | number): Ratio {
  const text = decimalText(value);
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) throw new MoneyError(`"${text}" is not a decimal number`);
  const [, sign, whole, rawFraction = ''] = match;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > MAX_RATIO_DECIMALS) {
    throw new MoneyError(`"${text}" has more than ${MAX_RATIO_DECIMALS} decimal places`);
  }
  const num = Number(whole + fraction);
  if (!Number.isSafeInteger(num)) throw new MoneyError(`"${text}" is too large`);
  const signed = sign === '-' && num !== 0 ? -num : num;
  return reduced(signed, 10 ** fraction.length);
}

/** A percentage string as the fraction it denotes: `percent("5")` is 1/20. */
export function percent(value: string | number): Ratio {
  const { num, den } = parseDecimal(value);
  return reduced(num, den * 100);
}

/** `1 − r`, exact. */
export function complement(r: Ratio): Ratio {
  return reduced(r.den - r.num, r.den);
}

/**
 * How to round a quotient to an integer. `HALF_UP` sends ties toward +∞ (x.5 → x+1), so that
 * `roundHalfUp(base − a) === base − roundHalfDown(a)` for every integer base: a floor defined as
 * "base − allowance, rounded half-up" can then subtract one precomputed integer per observation.
 * The two differ from "half away from zero" only on exact ties below zero, where no floor lives.
 */
export type Rounding = 'FLOOR' | 'CEIL' | 'HALF_UP' | 'HALF_DOWN';

function roundQuotient(quotient: number, remainder: number, divisor: number, mode: Rounding): number {
  // 0 <= remainder < divisor here, so the exact value is quotient + remainder / divisor.
  if (remainder === 0 || mode === 'FLOOR') return quotient;
  if (mode === 'CEIL') return quotient + 1;
  const twice = remainder * 2;
  if (mode === 'HALF_UP') return twice >= divisor ? quotient + 1 : quotient;
  return twice > divisor ? quotient + 1 : quotient;
}

function roundBigQuotient(product: bigint, divisor: number, mode: Rounding): number {
  const d = BigInt(divisor);
  let quotient = product / d;
  let remainder = product % d;
  if (remainder < 0n) {
    quotient -= 1n;
    remainder += d;
  }
  let result = quotient;
  if (remainder !== 0n && mode !== 'FLOOR') {
    if (mode === 'CEIL') result += 1n;
    else if (mode === 'HALF_UP' ? remainder * 2n >= d : remainder * 2n > d) result += 1n;
  }
  const value = Number(result);
  if (!Number.isSafeInteger(value)) throw new MoneyError('amount out of the exact integer range');
  return value;
}

/**
 * `a · b / divisor` for integers, rounded as asked, computed exactly. The product is formed in
 * doubles when it is a safe integer (then it is exact) and in BigInt otherwise.
 */
export function mulDiv(a: number, b: number, divisor: number, mode: Rounding): number {
  const product = a * b + 0; // + 0 turns -0 (a negative times 0) into 0
  if (!Number.isSafeInteger(product)) return roundBigQuotient(BigInt(a) * BigInt(b), divisor, mode);
  // The double quotient may be off by one near an integer; the exact remainder corrects it.
  let quotient = Math.floor(product / divisor);
  let remainder = product - quotient * divisor;
  if (remainder < 0) {
    quotient -= 1;
    remainder += divisor;
  } else if (remainder >= divisor) {
    quotient += 1;
    remainder -= divisor;
  }
  return roundQuotient(quotient, remainder, divisor, mode);
}

/** `amount · ratio` in minor units, rounded as asked. */
export function applyRatio(amountMinor: number, ratio: Ratio, mode: Rounding): number {
  return mulDiv(amountMinor, ratio.num, ratio.den, mode);
}

/** The sign of `a·b − c·d` for integers, exact (BigInt only when a product is not a safe integer). */
export function compareProducts(a: number, b: number, c: number, d: number): -1 | 0 | 1 {
  const left = a * b;
  const right = c * d;
  if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) {
    return left < right ? -1 : left > right ? 1 : 0;
  }
  const bigLeft = BigInt(a) * BigInt(b);
  const bigRight = BigInt(c) * BigInt(d);
  return bigLeft < bigRight ? -1 : bigLeft > bigRight ? 1 : 0;
}
