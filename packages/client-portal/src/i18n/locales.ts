import type en from './en.json';

export type MessageId = keyof typeof en;
export type Messages = Record<MessageId, string>;

/** Languages the portal has catalogues for; a brand offers some of them. */
export const APP_LOCALES = ['en', 'es', 'ar'] as const;
export type AppLocale = (typeof APP_LOCALES)[number];
export const FALLBACK_LOCALE: AppLocale = 'en';

// One chunk per catalogue. Typed as `Messages`: a catalogue missing a key does not compile.
const loaders: Record<AppLocale, () => Promise<{ default: Messages }>> = {
  en: () => import('./en.json'),
  es: () => import('./es.json'),
  ar: () => import('./ar.json'),
};

export const isAppLocale = (value: unknown): value is AppLocale =>
  typeof value === 'string' && (APP_LOCALES as readonly string[]).includes(value);

export async function loadMessages(locale: AppLocale): Promise<Messages> {
  return (await loaders[locale]()).default;
}

const RTL = new Set(['ar', 'he', 'fa', 'ur']);
export const textDirection = (locale: string): 'ltr' | 'rtl' => (RTL.has(locale.split('-')[0]!) ? 'rtl' : 'ltr');

/** The languages of a brand that the portal can actually show. */
export function brandLocales(brand: { locales: readonly string[] }): AppLocale[] {
  return brand.locales.filter(isAppLocale);
}

/**
 * The language to render: the visitor's saved choice if this brand offers it, else the brand's
 * default, else the first brand language we have, else English.
 */
export function pickLocale(
  brand: { locales: readonly string[]; defaultLocale: string },
  saved: string | null,
): AppLocale {
  const offered = brandLocales(brand);
  if (saved && isAppLocale(saved) && offered.includes(saved)) return saved;
  if (isAppLocale(brand.defaultLocale) && offered.includes(brand.defaultLocale)) return brand.defaultLocale;
  return offered[0] ?? FALLBACK_LOCALE;
}

/** For pages without a brand (not found): the browser's language if we have it. */
export function browserLocale(languages: readonly string[]): AppLocale {
  for (const tag of languages) {
    const base = tag.split('-')[0]!.toLowerCase();
    if (isAppLocale(base)) return base;
  }
  return FALLBACK_LOCALE;
}

/** A language named in itself ("Español", "العربية"), as language switchers should. */
export function nativeLanguageName(code: string): string {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(code) + name.slice(1) : code;
  } catch {
    return code;
  }
}

const storageKey = (slug: string) => `brokerdeck.portal.locale.${slug}`;

export function savedLocale(slug: string): string | null {
  try {
    return globalThis.localStorage?.getItem(storageKey(slug)) ?? null;
  } catch {
    return null;
  }
}

export function saveLocale(slug: string, locale: string) {
  try {
    globalThis.localStorage?.setItem(storageKey(slug), locale);
  } catch {
    // Storage disabled: the choice lasts for this visit.
  }
}

export function applyDocumentLocale(locale: string) {
  document.documentElement.lang = locale;
  document.documentElement.dir = textDirection(locale);
}
