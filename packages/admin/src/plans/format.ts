/** "$10,000" / "10.000 US$": an amount (a decimal string) with its currency, in the UI language. */
export function formatMoney(amount: string, currency: string, locale: string, exact = false): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      maximumFractionDigits: exact || !Number.isInteger(value) ? undefined : 0,
    }).format(value);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** A date and time in the viewer's zone, with the zone named. */
export function formatDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '—';
  try {
    // dateStyle/timeStyle cannot be combined with timeZoneName: spell the parts out.
    return new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/** The browser's IANA zone (UTC when it has none). */
export function browserTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && zone !== 'Etc/Unknown' ? zone : 'UTC';
}
