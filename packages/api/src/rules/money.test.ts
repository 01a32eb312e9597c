import fc from 'fast-check';
import {
  applyRatio,
  compareProducts,
  complement,
  formatMoney,
  MoneyError,
  minorUnitDigits,
  mulDiv,
  parseDecimal,
  parseMoney,
  percent,
  type Rounding,
} from './money';

describe('minorUnitDigits', () => {
  it('follows ISO 4217', () => {
    expect(minorUnitDigits('USD')).toBe(2);
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('GBP')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('BHD')).toBe(3);
  });

  it('rejects what is not a currency code', () => {
    expect(() => minorUnitDigits('usd')).toThrow(MoneyError);
    expect(() => minorUnitDigits('DOLLAR')).toThrow(MoneyError);
  });
});

describe('parseMoney', () => {
  it.each([
    ['100000.00', 2, 10_000_000],
    ['1234.5', 2, 123_450],
    ['-0.05', 2, -5],
    ['+7', 2, 700],
    ['100.000', 2, 10_000], // extra places are fine when they are zeros
    ['12345', 0, 12_345],
    ['12345.00', 0, 12_345],
    ['0.001', 3, 1],
  ])('%s with %i places is %i minor units', (text, digits, minor) => {
    expect(parseMoney(text, digits)).toBe(minor);
  });

  it('takes JSON numbers by their shortest decimal form', () => {
    expect(parseMoney(94999.99, 2)).toBe(9_499_999);
    expect(() => parseMoney(0.1 + 0.2, 2)).toThrow(MoneyError); // 0.30000000000000004 is not a cent amount
  });

  it('never returns negative zero', () => {
    expect(Object.is(parseMoney('-0.00', 2), 0)).toBe(true);
  });

  it.each([
    ['1.005', 2, 'more than 2 decimal place'],
    ['1e3', 2, 'not a decimal'],
    ['12,50', 2, 'not a decimal'],
    ['', 2, 'not a decimal'],
    ['99999999999999999', 2, 'too large'],
  ])('rejects %j', (text, digits, message) => {
    expect(() => parseMoney(text, digits)).toThrow(message);
  });
});

describe('parseMoney against a BigInt reference', () => {
  it('reads every plain decimal exactly, or refuses it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', '-', '+'),
        fc.stringMatching(/^\d{1,18}$/),
        fc.option(fc.stringMatching(/^\d{1,6}$/), { nil: null }),
        fc.integer({ min: 0, max: 4 }),
        (sign, whole, fraction, digits) => {
          const text = `${sign}${whole}${fraction === null ? '' : `.${fraction}`}`;
          const places = fraction ?? '';
          const big = BigInt(whole + places.slice(0, digits).padEnd(digits, '0'));
          if (/[1-9]/.test(places.slice(digits)) || big > BigInt(Number.MAX_SAFE_INTEGER)) {
            expect(() => parseMoney(text, digits)).toThrow(MoneyError);
          } else {
            const minor = sign === '-' && big !== 0n ? -Number(big) : Number(big);
            expect(parseMoney(text, digits)).toBe(minor);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('formatMoney', () => {
  it.each([
    [123_450, 2, '1234.50'],
    [-5, 2, '-0.05'],
    [0, 2, '0.00'],
    [1000, 0, '1000'],
    [-1000, 0, '-1000'],
    [1, 3, '0.001'],
  ])('%i with %i places is %s', (minor, digits, text) => {
    expect(formatMoney(minor, digits)).toBe(text);
  });

  it('round-trips with parseMoney', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 4 }), (minor, digits) => {
        expect(parseMoney(formatMoney(minor, digits), digits)).toBe(minor);
      }),
    );
  });
});

describe('ratios', () => {
  it('parses decimals and percentages exactly, reduced', () => {
    expect(parseDecimal('12.50')).toEqual({ num: 25, den: 2 });
    expect(percent('5')).toEqual({ num: 1, den: 20 });
    expect(percent('0.5')).toEqual({ num: 1, den: 200 });
    expect(percent('4.999995')).toEqual({ num: 999_999, den: 20_000_000 });
    expect(complement(percent('4'))).toEqual({ num: 24, den: 25 });
  });

  it('takes a percentage of an amount', () => {
    expect(applyRatio(10_000_000, percent('5'), 'HALF_UP')).toBe(500_000);
    // 0.123456 % of 10,000,000 = 12,345.6
    expect(applyRatio(10_000_000, percent('0.123456'), 'HALF_UP')).toBe(12_346);
    expect(applyRatio(10_000_000, percent('0.123456'), 'FLOOR')).toBe(12_345);
  });
});

describe('mulDiv', () => {
  it.each<[number, Rounding, number]>([
    [5, 'FLOOR', 2],
    [5, 'CEIL', 3],
    [5, 'HALF_UP', 3],
    [5, 'HALF_DOWN', 2],
    [-5, 'FLOOR', -3],
    [-5, 'CEIL', -2],
    [-5, 'HALF_UP', -2],
    [-5, 'HALF_DOWN', -3],
    [7, 'HALF_UP', 4],
    [7, 'HALF_DOWN', 3],
  ])('%i / 2 rounded %s is %i', (a, mode, expected) => {
    expect(mulDiv(a, 1, 2, mode)).toBe(expected);
  });

  function reference(a: number, b: number, d: number, mode: Rounding): number {
    // floor((2ab + k) / 2d) forms, in BigInt, as an independent oracle.
    const p = BigInt(a) * BigInt(b);
    const D = BigInt(d);
    const floorDiv = (x: bigint, y: bigint) => (x >= 0n ? x / y : -((-x + y - 1n) / y));
    switch (mode) {
      case 'FLOOR':
        return Number(floorDiv(p, D));
      case 'CEIL':
        return Number(-floorDiv(-p, D));
      case 'HALF_UP':
        return Number(floorDiv(2n * p + D, 2n * D));
      case 'HALF_DOWN':
        return Number(-floorDiv(-2n * p + D, 2n * D));
    }
  }

  it('agrees with a BigInt oracle, also past 2^53', () => {
    const modes = fc.constantFrom<Rounding>('FLOOR', 'CEIL', 'HALF_UP', 'HALF_DOWN');
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 1e8 }),
        modes,
        (a, b, d, mode) => {
          const expected = reference(a, b, d, mode);
          fc.pre(Number.isSafeInteger(expected));
          expect(mulDiv(a, b, d, mode)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('compareProducts', () => {
  it('compares exactly, also past 2^53', () => {
    expect(compareProducts(7000, 2, 14000, 1)).toBe(0);
    expect(compareProducts(2 ** 52 + 1, 3, 2 ** 52, 3)).toBe(1);
    expect(compareProducts(3, 2 ** 52, 3, 2 ** 52 + 1)).toBe(-1);
  });
});
