/** Pure helpers of the trader's account dashboard. */

/** Money to the cent, as limits are enforced: "$94,999.99" (never rounded to whole units). */
export function formatExact(amount: string, currency: string, locale: string): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** A share in percent for a bar: within 0–100 whatever the engine reports (a breach overshoots). */
export const barPercent = (pct: number | null | undefined) => Math.min(100, Math.max(0, pct ?? 0));

/** How close a limit is: calm below half, a warning from 80 %, danger from 95 % (the default warning thresholds). */
export function usageTone(usedPct: number): 'calm' | 'watch' | 'warning' | 'danger' {
  if (usedPct >= 95) return 'danger';
  if (usedPct >= 80) return 'warning';
  if (usedPct >= 50) return 'watch';
  return 'calm';
}

export const TONE_COLOR = { calm: 'teal', watch: 'yellow', warning: 'orange', danger: 'red' } as const;

/** The money still to lose before a floor; zero once below it. */
export function roomLeft(distance: string): string {
  const value = Number(distance);
  return Number.isFinite(value) && value > 0 ? distance : '0.00';
}

/** "in 3 h 20 min" style parts until an instant, for the next reset; null once passed. */
export function untilParts(iso: string | null | undefined, now: number): { hours: number; minutes: number } | null {
  if (!iso) return null;
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms) || ms <= 0) return null;
  const minutes = Math.ceil(ms / 60_000);
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

/** A moment in a zone, with the zone's short name: "26 Nov 2026, 00:00 CET". */
export function formatInZone(iso: string, locale: string, timeZone: string): string {
  const date = new Date(iso);
  try {
    // dateStyle cannot be combined with timeZoneName, so the fields are spelled out.
    return new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date);
  }
}
