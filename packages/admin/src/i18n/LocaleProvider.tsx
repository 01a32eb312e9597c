import { DirectionProvider, useDirection } from '@mantine/core';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import {
  APP_LOCALES,
  type AppLocale,
  applyDocumentLocale,
  loadMessages,
  type MessageId,
  type Messages,
  saveLocale,
  textDirection,
} from './locales';

interface LocaleContextValue {
  locale: AppLocale;
  available: readonly AppLocale[];
  setLocale(locale: AppLocale): Promise<void>;
}

const LocaleContext = createContext<LocaleContextValue | null>(null);

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale outside LocaleProvider');
  return value;
}

/** Mantine's direction follows the language (DirectionProvider only takes an initial value). */
function DirectionSync({ locale }: { locale: string }) {
  const { setDirection } = useDirection();
  useEffect(() => setDirection(textDirection(locale)), [locale, setDirection]);
  return null;
}

/**
 * The UI language: its catalogue, `<html lang dir>` and Mantine's direction. Starts with a catalogue
 * already loaded (see main.tsx) so the first paint is never untranslated; later switches load the
 * next catalogue before changing anything.
 */
export function LocaleProvider({
  initialLocale,
  initialMessages,
  children,
}: {
  initialLocale: AppLocale;
  initialMessages: Messages;
  children: ReactNode;
}) {
  const [state, setState] = useState({ locale: initialLocale, messages: initialMessages });

  const setLocale = useCallback(async (locale: AppLocale) => {
    const messages = await loadMessages(locale);
    saveLocale(locale);
    applyDocumentLocale(locale);
    setState({ locale, messages });
  }, []);

  const value = useMemo(() => ({ locale: state.locale, available: APP_LOCALES, setLocale }), [state.locale, setLocale]);

  return (
    <LocaleContext.Provider value={value}>
      <DirectionProvider initialDirection={textDirection(state.locale)} detectDirection={false}>
        <DirectionSync locale={state.locale} />
        <IntlProvider locale={state.locale} messages={state.messages} defaultLocale="en">
          {children}
        </IntlProvider>
      </DirectionProvider>
    </LocaleContext.Provider>
  );
}

export type Translate = (id: MessageId, values?: Record<string, string | number | Date>) => string;

/** `t('editor.save')`, with message ids checked against the English catalogue at compile time. */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback((id, values) => intl.formatMessage({ id }, values), [intl]);
}
