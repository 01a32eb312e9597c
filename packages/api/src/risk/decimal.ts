/** Exact sums of decimal strings at the edges (figures from several books, amounts on the wire). */
const SCALE = 8;

export function scaled(value: string): bigint {
  const match = /^([+-])?(\d*)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`not a decimal: ${value}`);
  const [, sign, whole = '', fraction = ''] = match;
  const digits = BigInt((whole || '0') + fraction.slice(0, SCALE).padEnd(SCALE, '0'));
  return sign === '-' ? -digits : digits;
}

/** A scaled value as a decimal with at least `minDigits` places. */
export function unscaled(value: bigint, minDigits = 0): string {
  const negative = value < 0n;
  const text = (negative ? -value : value).toString().padStart(SCALE + 1, '0');
  const whole = text.slice(0, -SCALE);
  let fraction = text.slice(-SCALE);
  while (fraction.length > minDigits && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const out = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

export function decimalSum(values: readonly (string | null | undefined)[], minDigits = 0): string {
  let total = 0n;
  for (const v of values) if (v !== null && v !== undefined && v !== '') total += scaled(v);
  return unscaled(total, minDigits);
}

export function negate(value: string): string {
  return unscaled(-scaled(value));
}
