import { createIntl } from 'react-intl';
import ar from './ar.json';
import en from './en.json';
import es from './es.json';
import {
  APP_LOCALES,
  browserLocale,
  loadMessages,
  nativeLanguageName,
  pickLocale,
  savedLocale,
  saveLocale,
  textDirection,
} from './locales';

const catalogues: Record<string, Record<string, string>> = { en, es, ar };

const argumentNames = (message: string) =>
  [...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*[,}]/g)].map((m) => m[1]!).filter((n, i, all) => all.indexOf(n) === i);

describe('message catalogues', () => {
  it('has a catalogue for every portal locale', () => {
    expect(Object.keys(catalogues).sort()).toEqual([...APP_LOCALES].sort());
  });

  it.each(['es', 'ar'])('%s has exactly the same keys as English', (locale) => {
    const keys = Object.keys(catalogues[locale]!);
    const missing = Object.keys(en).filter((k) => !keys.includes(k));
    const extra = keys.filter((k) => !(k in en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(['es', 'ar'])('%s is translated, with the same ICU arguments as English', (locale) => {
    for (const [id, english] of Object.entries(en)) {
      const translated = catalogues[locale]![id]!;
      expect(translated.trim()).not.toBe('');
      if (!/^[©{}\s\w]*$/.test(english)) expect({ id, same: translated === english }).toEqual({ id, same: false });
      expect({ id, args: argumentNames(translated).sort() }).toEqual({ id, args: argumentNames(english).sort() });
    }
  });

  it.each(Object.keys(catalogues))('%s messages are valid ICU and format', (locale) => {
    const errors: unknown[] = [];
    const intl = createIntl({ locale, messages: catalogues[locale]!, onError: (e) => errors.push(e) });
    for (const id of Object.keys(catalogues[locale]!)) {
      intl.formatMessage(
        { id },
        {
          brand: 'Atlas',
          host: 'atlas.example',
          zone: 'Europe/Prague',
          year: 2025,
          balance: '$10,000',
          price: '$155',
          number: 1,
          name: 'Challenge',
          email: 'trader@example.test',
          minutes: 15,
          days: 2,
          min: 4,
          hours: 3,
          amount: '$1,250.40',
          floor: '$95,000.00',
          percent: 42,
          profit: '$5,000.00',
        },
      );
    }
    expect(errors).toEqual([]);
  });

  it('welcomes with the brand name in every language', () => {
    for (const locale of APP_LOCALES) {
      const intl = createIntl({ locale, messages: catalogues[locale]! });
      expect(intl.formatMessage({ id: 'portal.welcome' }, { brand: 'Atlas Funded' })).toContain('Atlas Funded');
    }
  });

  it('loads each catalogue lazily', async () => {
    for (const locale of APP_LOCALES) expect(await loadMessages(locale)).toEqual(catalogues[locale]);
  });
});

describe('choosing the language', () => {
  const atlas = { locales: ['en', 'es', 'ar'], defaultLocale: 'en' };
  const sahara = { locales: ['ar', 'en'], defaultLocale: 'ar' };

  it('uses the brand default without a saved choice', () => {
    expect(pickLocale(atlas, null)).toBe('en');
    expect(pickLocale(sahara, null)).toBe('ar');
  });

  it('uses the saved choice only if the brand offers it', () => {
    expect(pickLocale(atlas, 'es')).toBe('es');
    expect(pickLocale(sahara, 'es')).toBe('ar');
    expect(pickLocale(sahara, 'xx')).toBe('ar');
  });

  it('falls back when the brand names languages without a catalogue', () => {
    expect(pickLocale({ locales: ['fr', 'es'], defaultLocale: 'fr' }, null)).toBe('es');
    expect(pickLocale({ locales: ['fr'], defaultLocale: 'fr' }, null)).toBe('en');
  });

  it('matches the browser language for pages without a brand', () => {
    expect(browserLocale(['es-MX', 'en'])).toBe('es');
    expect(browserLocale(['fr-FR', 'ar-AE'])).toBe('ar');
    expect(browserLocale(['de'])).toBe('en');
  });

  it('names languages in themselves and knows Arabic is right to left', () => {
    expect(nativeLanguageName('en')).toBe('English');
    expect(nativeLanguageName('es')).toBe('Español');
    expect(nativeLanguageName('ar')).toBe('العربية');
    expect(textDirection('ar')).toBe('rtl');
    expect(textDirection('es')).toBe('ltr');
  });

  it('survives without storage', () => {
    expect(savedLocale('atlas')).toBeNull();
    expect(() => saveLocale('atlas', 'es')).not.toThrow();
  });
});
