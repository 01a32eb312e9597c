import { textDirection } from '../i18n/locales';

/** Number, percent, duration and time formats of the operations pages, in the UI language. */

export function formatNumber(value: number, locale: string, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value);
}

/** 36.86 → "36.9 %" (or "36,9 %"): a value already in percent. */
export function formatPercent(pct: number | null | undefined, locale: string, digits = 1): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '—';
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    // −0.1 % rounded to whole percent is 0 %, not −0 %.
    signDisplay: 'negative',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(pct / 100);
}

const UNITS = [
  { unit: 'day', seconds: 86_400 },
  { unit: 'hour', seconds: 3_600 },
  { unit: 'minute', seconds: 60 },
  { unit: 'second', seconds: 1 },
] as const;

/** 1654 → "27 min, 34 sec": the two largest units of a duration, for lags and ages. */
export function formatDuration(seconds: number | null | undefined, locale: string): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  let rest = Math.max(0, Math.round(Math.abs(seconds)));
  const parts: string[] = [];
  for (const { unit, seconds: size } of UNITS) {
    const count = Math.floor(rest / size);
    if (count === 0 && !(unit === 'second' && parts.length === 0)) continue;
    rest -= count * size;
    parts.push(new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(count));
    if (parts.length === 2) break;
  }
  const text = new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' }).format(parts);
  return seconds < 0 ? `−${text}` : text;
}

/** A time to the second with its zone: "14:03:07 GMT+4". */
export function formatTimeOfDay(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '—';
  try {
    return new Intl.DateTimeFormat(locale, {
      hour: 'numeric',
      minute: '2-digit',
      second: '2-digit',
      timeZone,
      timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/** A date and time to the second with its zone, for journals (audit, rejections). */
export function formatTimestamp(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '—';
  try {
    return new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      second: '2-digit',
      timeZone,
      timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/**
 * A value put into a sentence, kept in its own direction: in a right-to-left language an amount
 * like "US$ 94,939.36" or an email would otherwise be reordered by the surrounding text.
 */
export function isolate(text: string, locale: string): string {
  return textDirection(locale) === 'rtl' ? `\u2068${text}\u2069` : text;
}
