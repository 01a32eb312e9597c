import type en from './en.json';

/** Every message id of the admin console; English is the reference catalogue. */
export type MessageId = keyof typeof en;
export type Messages = Record<MessageId, string>;

/** Languages the admin console has catalogues for. */
export const APP_LOCALES = ['en', 'es', 'ar'] as const;
export type AppLocale = (typeof APP_LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'en';

// One chunk per catalogue: only the chosen language is downloaded. Typed as `Messages`, so a
// catalogue that lacks a key fails to compile (and the catalogue test says which key).
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

/** A language's name, in `inLocale` (the UI language) or else in itself: "Spanish" / "español". */
export function languageName(code: string, inLocale: string = code): string {
  try {
    const name = new Intl.DisplayNames([inLocale], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(inLocale) + name.slice(1) : code;
  } catch {
    return code;
  }
}

const STORAGE_KEY = 'brokerdeck.admin.locale';

export function savedLocale(): AppLocale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isAppLocale(saved) ? saved : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function saveLocale(locale: AppLocale) {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode or storage disabled: the choice lasts for this visit only.
  }
}

/** `<html lang dir>`: screen readers, fonts and the browser's own RTL layout follow it. */
export function applyDocumentLocale(locale: string) {
  document.documentElement.lang = locale;
  document.documentElement.dir = textDirection(locale);
}
