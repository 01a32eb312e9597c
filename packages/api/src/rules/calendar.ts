/**
 * Trading-day boundaries: the instant of a phase's daily reset, a local wall-clock time in an IANA
 * zone. Luxon supplies the zone's UTC offsets; everything else is integer milliseconds.
 *
 * A local date is held as an epoch day (days since 1970-01-01 in local time), so "the next day" is
 * `day + 1` and no calendar object lives in the engine's state.
 */
import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

function zoneOf(timeZone: string): IANAZone {
  // IANAZone.create caches instances by name, so this is a map lookup after the first call.
  return IANAZone.create(timeZone);
}

/** Minutes after local midnight of an "HH:mm" reset time. */
export function minuteOfDay(localTime: string): number {
  const [hours, minutes] = localTime.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * The UTC instant of local time `minute` on local date `epochDay`, computed from the zone's rules.
 *
 * Daylight saving (rules.md): a local time that the clock skips takes the offset from before the
 * gap (02:30 on a spring-forward night is 02:30 in winter time, i.e. 03:30 summer time); a local
 * time that happens twice takes its first occurrence.
 */
function computeResetInstant(timeZone: string, epochDay: number, minute: number): number {
  const zone = zoneOf(timeZone);
  const local = epochDay * DAY_MS + minute * MINUTE_MS;
  // Offsets well before and well after the wall-clock time (offsets never exceed ±14 h, and zones
  // do not change offset twice within two days).
  const before = zone.offset(local - DAY_MS);
  const after = zone.offset(local + DAY_MS);
  const withBefore = local - before * MINUTE_MS;
  if (before === after) return withBefore;
  const withAfter = local - after * MINUTE_MS;
  const beforeHolds = zone.offset(withBefore) === before;
  const afterHolds = zone.offset(withAfter) === after;
  if (beforeHolds && afterHolds) return Math.min(withBefore, withAfter); // repeated: first occurrence
  if (afterHolds) return withAfter;
  return withBefore; // the usual case, or a skipped time: offset from before the gap
}

/**
 * Reset instants already computed. A zone offset costs ~13 µs through Intl, and every account of a
 * brand resets at the same instants, so each (zone, time, date) is worked out once per process.
 * Memoising a pure function changes no result; the size bound keeps a long-running process flat.
 */
const resetCache = new Map<string, number>();
const RESET_CACHE_LIMIT = 100_000;

/** The UTC instant of local time `minute` (after midnight) on local date `epochDay` in `timeZone`. */
export function resetInstant(timeZone: string, epochDay: number, minute: number): number {
  const key = `${timeZone}|${minute}|${epochDay}`;
  let instant = resetCache.get(key);
  if (instant === undefined) {
    instant = computeResetInstant(timeZone, epochDay, minute);
    if (resetCache.size >= RESET_CACHE_LIMIT) resetCache.clear();
    resetCache.set(key, instant);
  }
  return instant;
}

/** The reset that starts the day containing `at`, and the local date of that reset. */
export function dayContaining(timeZone: string, minute: number, at: number): { start: number; epochDay: number } {
  // The local date of a reset is within a day of the UTC date (offsets are under ±14 h), so search
  // down from the day after the UTC date to the latest reset at or before `at`.
  let epochDay = Math.floor(at / DAY_MS) + 1;
  let start = resetInstant(timeZone, epochDay, minute);
  while (start > at) {
    epochDay -= 1;
    start = resetInstant(timeZone, epochDay, minute);
  }
  return { start, epochDay };
}

/** An instant as ISO 8601 UTC, without milliseconds when they are zero ("2025-03-03T23:00:00Z"). */
export function formatInstant(at: number): string {
  const iso = new Date(at).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

const INSTANT_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2
    ? isLeapYear(year)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), integers only. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Epoch ms of a UTC date-time whose fields are checked (no 30 February, no 24:00), or null. */
function utcInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
) {
  // Written so that NaN (a non-digit in the fast path) fails every check.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return null;
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return null;
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/** Two ASCII digits at `i` as a number, or NaN. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

/** The common wire form "YYYY-MM-DDTHH:MM:SSZ" without a regular expression; null when not in it. */
function parseCompactUtc(text: string): number | null {
  if (
    text.length !== 20 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 90 // Z
  ) {
    return null;
  }
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (Number.isNaN(year)) return null;
  return utcInstant(year, month, day, hour, minute, second, 0);
}

/**
 * An ISO 8601 instant with an explicit zone ("Z" or "+01:00") as epoch milliseconds, or null.
 * Fractions finer than a millisecond are truncated. Impossible dates are refused rather than rolled
 * over (Date.parse turns 2025-02-30 into 2 March).
 */
export function parseInstant(text: string): number | null {
  const compact = parseCompactUtc(text);
  if (compact !== null) return compact;
  const match = INSTANT_PATTERN.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second = '0', fraction = '', sign, offsetHours, offsetMinutes] = match;
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const local = utcInstant(+year, +month, +day, +hour, +minute, +second, ms);
  if (local === null) return null;
  if (sign === undefined) return local;
  if (+offsetHours > 23 || +offsetMinutes > 59) return null;
  const offset = (+offsetHours * 60 + +offsetMinutes) * MINUTE_MS;
  return sign === '+' ? local - offset : local + offset;
}
