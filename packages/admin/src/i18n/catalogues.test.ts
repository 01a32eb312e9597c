import { createIntl } from 'react-intl';
import ar from './ar.json';
import en from './en.json';
import es from './es.json';
import { APP_LOCALES, languageName, loadMessages, textDirection } from './locales';

const catalogues: Record<string, Record<string, string>> = { en, es, ar };

/** Names of the ICU arguments a message uses: `{brand}`, `{count, plural, …}`. */
const argumentNames = (message: string) =>
  [...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*[,}]/g)].map((m) => m[1]!).filter((n, i, all) => all.indexOf(n) === i);

describe('message catalogues', () => {
  it('has a catalogue for every app locale', () => {
    expect(Object.keys(catalogues).sort()).toEqual([...APP_LOCALES].sort());
  });

  it.each(['es', 'ar'])('%s has exactly the same keys as English', (locale) => {
    const keys = Object.keys(catalogues[locale]!);
    const missing = Object.keys(en).filter((k) => !keys.includes(k));
    const extra = keys.filter((k) => !(k in en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(['es', 'ar'])('%s translations are not empty and use the same ICU arguments as English', (locale) => {
    for (const [id, english] of Object.entries(en)) {
      const translated = catalogues[locale]![id]!;
      expect(translated.trim()).not.toBe('');
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
          count: 2,
          name: 'Atlas',
          language: 'English',
          file: 'logo.png',
          max: 80,
          position: 1,
          total: 3,
          number: 2,
          brand: 'Atlas',
          currency: 'USD',
          status: 'Draft',
          // The operations pages.
          email: 'ada@example.com',
          plan: 'Classic 2-Step',
          phase: 'Challenge',
          login: '7010001',
          rule: 'Daily loss limit',
          operation: 'updateBrand',
          zone: 'Europe/Prague',
          equity: '$94,707.93',
          floor: '$95,000.00',
          base: '$100,000.00',
          amount: '$292.07',
          lines: 'Daily loss floor $95,000.00',
          time: 'Mar 3, 2025, 4:04 AM GMT+1',
          used: '80%',
          progress: '20%',
          days: 2,
          min: 4,
          server: 'Brokerdeck-Sim',
          reason: 'One trade made most of the profit',
          // The risk pages.
          symbols: 'EURUSD, XAUUSD',
          what: 'FX majors',
          leverage: '1:10',
          groups: 'every group of Atlas',
          logins: '7010001, 7010002',
          done: 3,
          failed: 0,
          pct: 75,
          level: '100',
          // Staff actions and deal corrections in the account timeline.
          deal: '1042',
          before: '$100,000.00',
          after: '$99,750.00',
        },
      );
    }
    expect(errors).toEqual([]);
  });

  it('loads each catalogue lazily', async () => {
    for (const locale of APP_LOCALES) expect(await loadMessages(locale)).toEqual(catalogues[locale]);
  });
});

describe('locale helpers', () => {
  it('knows which languages are right to left', () => {
    expect(textDirection('ar')).toBe('rtl');
    expect(textDirection('ar-AE')).toBe('rtl');
    expect(textDirection('en')).toBe('ltr');
    expect(textDirection('es')).toBe('ltr');
  });

  it('names languages with Intl.DisplayNames', () => {
    expect(languageName('es', 'en')).toBe('Spanish');
    expect(languageName('es')).toBe('Español');
    expect(languageName('ar')).toBe('العربية');
  });
});
