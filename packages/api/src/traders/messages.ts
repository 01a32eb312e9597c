import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import { isSupportedLocale, type SupportedLocale } from '../common/locales';
import ar from './i18n/ar.json';
import en from './i18n/en.json';
import es from './i18n/es.json';

/** The emails a trader receives about their sign-in, in their language (small catalogues beside the code). */
export type TraderMessageKind = 'verify' | 'reset';

const catalogues: Record<SupportedLocale, Record<string, string>> = { en, es, ar };
const cache = createIntlCache();
const intls = new Map<SupportedLocale, IntlShape>();

/** A language we have words for: the trader's, else English. */
export const messageLocale = (locale: string): SupportedLocale => (isSupportedLocale(locale) ? locale : 'en');

function intlFor(locale: SupportedLocale): IntlShape {
  let intl = intls.get(locale);
  if (!intl) {
    intl = createIntl({ locale, messages: catalogues[locale], defaultLocale: 'en' }, cache);
    intls.set(locale, intl);
  }
  return intl;
}

export function traderMessage(
  kind: TraderMessageKind,
  locale: string,
  values: { brand: string; name: string; link: string },
): { locale: SupportedLocale; template: string; subject: string; body: string } {
  const lang = messageLocale(locale);
  const intl = intlFor(lang);
  return {
    locale: lang,
    template: kind === 'verify' ? 'trader.verify-email' : 'trader.reset-password',
    subject: intl.formatMessage({ id: `${kind}.subject` }, values),
    body: intl.formatMessage({ id: `${kind}.body` }, values),
  };
}
