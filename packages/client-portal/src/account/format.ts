/** A moment in the trader's own zone and language: "3 Mar 2025, 09:00". */
export function formatDateTime(iso: string, locale: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
}

/** Whole minutes to wait, at least one: "try again in 15 minutes". */
export const minutesToWait = (seconds: number | null) => Math.max(1, Math.ceil((seconds ?? 60) / 60));

/** The status badge colour of a challenge account. */
export function statusColor(status: string): string {
  switch (status) {
    case 'ACTIVE':
      return 'blue';
    case 'FUNDED':
      return 'green';
    case 'PASSED':
      return 'teal';
    case 'BREACHED':
      return 'red';
    default:
      return 'gray';
  }
}
