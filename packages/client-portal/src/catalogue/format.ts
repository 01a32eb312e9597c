/** An amount (a decimal string) with its currency in the page's language: "$10,000", "10.000 US$". */
export function formatMoney(amount: string, currency: string, locale: string): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      maximumFractionDigits: Number.isInteger(value) ? 0 : undefined,
    }).format(value);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** The visitor's IANA time zone, as the browser knows it; null when it does not. */
export function visitorTimeZone(): string | null {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zone && zone !== 'Etc/Unknown' ? zone : null;
  } catch {
    return null;
  }
}

/** The cheapest size's price, for "from $155". */
export function lowestPrice<T extends { price: string; currency: string }>(sizes: readonly T[]): T | null {
  return sizes.reduce<T | null>((best, s) => (best === null || Number(s.price) < Number(best.price) ? s : best), null);
}

/** Keeps `?brand=` (development) on links inside the portal. */
export function portalLink(pathname: string, search: string): { pathname: string; search: string } {
  const brand = new URLSearchParams(search).get('brand');
  return { pathname, search: brand ? `?brand=${encodeURIComponent(brand)}` : '' };
}
