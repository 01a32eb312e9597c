/**
 * MT5 values as they arrive in JSON (numbers are usually strings, mt5-webapi.md §3) and their
 * conversion to the wire format's decimal strings, exactly: bigint fixed point, no float arithmetic
 * on money, prices or volumes.
 */

/** One MT5 JSON object (a user, a deal, a position…), read field by field. */
export type Mt5Record = Readonly<Record<string, unknown>>;

export class Mt5DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Mt5DataError';
  }
}

export function isRecord(value: unknown): value is Mt5Record {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field as text ("" when absent): numbers are printed, strings kept as they are. */
export function text(record: Mt5Record, field: string): string {
  const value = record[field];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
}

/** True when the field is present with a value (not absent, null or ""). */
export function has(record: Mt5Record, field: string): boolean {
  return text(record, field).trim() !== '';
}

/** A 64-bit integer field (ticket, login, rights, TimeMsc) without precision loss. */
export function bigintField(record: Mt5Record, field: string): bigint {
  const value = text(record, field).trim();
  if (!/^-?\d+$/.test(value)) throw new Mt5DataError(`${field} is not an integer: "${value}"`);
  return BigInt(value);
}

export function bigintOr(record: Mt5Record, field: string, fallback: bigint): bigint {
  return has(record, field) ? bigintField(record, field) : fallback;
}

/** A small integer field (enums, digits, leverage). */
export function intField(record: Mt5Record, field: string): number {
  const value = bigintField(record, field);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new Mt5DataError(`${field} is out of range: ${value}`);
  }
  return Number(value);
}

export function intOr(record: Mt5Record, field: string, fallback: number): number {
  return has(record, field) ? intField(record, field) : fallback;
}

/** A ticket or login as a canonical decimal string ("007" → "7"). */
export function idField(record: Mt5Record, field: string): string {
  return bigintField(record, field).toString();
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * A decimal value (string or number) scaled to `digits` places, rounded half away from zero:
 * `scaled("1.085", 5) === 108500n`. Numbers are first printed with spare places, so a float that
 * lands just beside a decimal (1.08499999999) still rounds to it.
 */
export function scaled(value: unknown, digits: number, field = 'value'): bigint {
  let textValue: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Mt5DataError(`${field} is not finite`);
    textValue = value.toFixed(Math.min(100, digits + 8));
  } else if (typeof value === 'string') {
    textValue = value.trim();
  } else if (typeof value === 'bigint') {
    textValue = value.toString();
  } else {
    throw new Mt5DataError(`${field} is missing`);
  }
  const match = DECIMAL.exec(textValue);
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new Mt5DataError(`${field} is not a decimal: "${textValue}"`);
  }
  const negative = match[1] === '-';
  const whole = match[2] === '' ? '0' : match[2];
  const fraction = match[3] ?? '';
  const kept = fraction.slice(0, digits).padEnd(digits, '0');
  let magnitude = BigInt(whole + kept);
  const rest = fraction.slice(digits);
  if (rest.length > 0 && rest[0] >= '5') magnitude += 1n;
  return negative ? -magnitude : magnitude;
}

/** A scaled integer printed with `digits` places: `formatScaled(-12345n, 2) === "-123.45"`. */
export function formatScaled(value: bigint, digits: number): string {
  const negative = value < 0n;
  const magnitude = (negative ? -value : value).toString();
  if (digits === 0) return negative && magnitude !== '0' ? `-${magnitude}` : magnitude;
  const padded = magnitude.padStart(digits + 1, '0');
  const result = `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
  return negative && /[1-9]/.test(magnitude) ? `-${result}` : result;
}

/** A field rounded to `digits` places, as a decimal string. */
export function decimalField(record: Mt5Record, field: string, digits: number): string {
  return formatScaled(scaled(record[field], digits, field), digits);
}

export function decimalOr(record: Mt5Record, field: string, digits: number, fallback = '0'): string {
  return has(record, field) ? decimalField(record, field, digits) : formatScaled(scaled(fallback, digits), digits);
}

/** Lots in units of 10⁻⁸ (MT5's VolumeExt). `Volume` is 10⁻⁴ lot: ×10 000 (§3). */
export const VOLUME_EXT_PER_LOT = 100_000_000n;
export const VOLUME_EXT_PER_VOLUME = 10_000n;

/**
 * A volume in 10⁻⁸ lot: `extField` when present and not zero (preferred, §3), else `field` × 10 000
 * (as the SDK derives it; a zero VolumeExt beside a non-zero Volume comes from builds before it).
 */
export function volumeExt(record: Mt5Record, field = 'Volume', extField = `${field}Ext`): bigint {
  const ext = bigintOr(record, extField, 0n);
  return ext !== 0n ? ext : bigintOr(record, field, 0n) * VOLUME_EXT_PER_VOLUME;
}

/** 10⁻⁸ lot as lots, trailing zeros trimmed to at least two places: 150_000_000n → "1.50". */
export function formatLots(ext: bigint): string {
  const full = formatScaled(ext, 8);
  const trimmed = full.replace(/0+$/, '');
  const places = trimmed.length - trimmed.indexOf('.') - 1;
  return places >= 2 ? trimmed : full.slice(0, full.indexOf('.') + 3);
}

/** Lots (decimal string) as MT5's `Volume` (10⁻⁴ lot) and `VolumeExt` (10⁻⁸ lot). */
export function lotsToVolume(lots: string): { volume: bigint; volumeExt: bigint } {
  const ext = scaled(lots, 8, 'volume');
  return { volume: ext / VOLUME_EXT_PER_VOLUME, volumeExt: ext };
}

/** An instant as the wire's ISO text: whole seconds without ".000" (like the simulator). */
export function isoInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * MT5 timestamps are epoch numbers that may encode the server's wall clock (§3, UNCONFIRMED):
 * subtracting `offsetSeconds` gives UTC. Milliseconds from `msField` when present, else seconds.
 */
export function utcMs(record: Mt5Record, secondsField: string, msField: string, offsetSeconds: number): number {
  const ms = has(record, msField) ? intField(record, msField) : intField(record, secondsField) * 1000;
  return ms - offsetSeconds * 1000;
}

/** Splits `amount` (scaled) in proportion `part / whole`, rounding toward zero; the rest is `amount − share`. */
export function proportion(amount: bigint, part: bigint, whole: bigint): bigint {
  if (whole === 0n) return 0n;
  return (amount * part) / whole;
}
