/** Languages the product has message catalogues for (API, admin console and client portal). */
export const SUPPORTED_LOCALES = ['en', 'es', 'ar'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

const RTL_LOCALES = new Set(['ar', 'he', 'fa', 'ur']);
export const textDirection = (locale: string) => (RTL_LOCALES.has(locale.split('-')[0] ?? '') ? 'rtl' : 'ltr');

export const isSupportedLocale = (locale: string): locale is SupportedLocale =>
  (SUPPORTED_LOCALES as readonly string[]).includes(locale);

const timeZones = new Set(Intl.supportedValuesOf('timeZone'));
// Intl's list omits some canonical aliases (e.g. "UTC" on some ICU builds); the formatter is the final word.
export function isIanaTimeZone(zone: string): boolean {
  if (timeZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

const currencies = new Set(Intl.supportedValuesOf('currency'));
export const isIsoCurrency = (code: string) => /^[A-Z]{3}$/.test(code) && currencies.has(code);
