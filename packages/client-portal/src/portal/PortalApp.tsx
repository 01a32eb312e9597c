import { useApolloClient, useSubscription } from '@apollo/client/react';
import { DirectionProvider, MantineProvider } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { IntlProvider } from 'react-intl';
import { BrowserRouter, Route, Routes } from 'react-router';
import { connection } from '../api/client';
import { BrandThemeChangedDocument, BrandThemeDocument, type BrandThemeFieldsFragment } from '../gql/graphql';
import {
  type AppLocale,
  applyDocumentLocale,
  brandLocales,
  loadMessages,
  type Messages,
  pickLocale,
  savedLocale,
  saveLocale,
  textDirection,
} from '../i18n/locales';
import { buildBrandTheme } from '../theme/brand-theme';
import { BrandHeader } from './BrandHeader';
import { DirectionSync } from './DirectionSync';
import { PlanPage } from '../catalogue/PlanPage';
import { HomePage, PortalFooter } from './HomePage';

interface Props {
  initialBrand: BrandThemeFieldsFragment;
  initialLocale: AppLocale;
  initialMessages: Messages;
}

/**
 * The portal for one brand. The brand arrived before the first paint (main.tsx); from then on
 * `brandThemeChanged` restyles the page in place when staff edit the brand, and after a dropped
 * socket comes back the brand is fetched again in case an update was missed.
 */
export function PortalApp({ initialBrand, initialLocale, initialMessages }: Props) {
  const client = useApolloClient();
  const [brand, setBrand] = useState(initialBrand);
  const [language, setLanguage] = useState({ locale: initialLocale, messages: initialMessages });
  const locale = language.locale;

  // Only a colour change needs a new theme (and new CSS variables).
  const { primary, accent } = brand.colors;
  const theme = useMemo(() => buildBrandTheme({ primary, accent }), [primary, accent]);

  const latestSwitch = useRef(0);
  const switchLocale = useCallback(
    async (next: AppLocale, remember: boolean) => {
      const ticket = ++latestSwitch.current;
      const messages = await loadMessages(next);
      if (ticket !== latestSwitch.current) return;
      if (remember) saveLocale(brand.slug, next);
      applyDocumentLocale(next);
      setLanguage({ locale: next, messages });
    },
    [brand.slug],
  );

  const { restart } = useSubscription(BrandThemeChangedDocument, {
    variables: { slug: brand.slug },
    onData: ({ data }) => {
      const next = data.data?.brandThemeChanged;
      if (next) setBrand(next);
    },
    // A subscription the server ended with an error is not retried by graphql-ws: try again later.
    onError: () => window.setTimeout(() => restart(), 5_000),
  });

  useEffect(
    () =>
      connection.onReconnected(() => {
        client
          .query({ query: BrandThemeDocument, variables: { slug: brand.slug }, fetchPolicy: 'network-only' })
          .then(({ data }) => data && setBrand(data.brandTheme))
          .catch(() => undefined);
      }),
    [client, brand.slug],
  );

  // Staff changed the brand's languages: keep the visitor's choice if still offered, else the new default.
  const localeKey = `${brand.locales.join(',')}|${brand.defaultLocale}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reacts to the brand's language settings only
  useEffect(() => {
    const wanted = pickLocale(brand, savedLocale(brand.slug));
    if (wanted !== locale) void switchLocale(wanted, false);
  }, [localeKey]);

  useEffect(() => {
    document.title = brand.name;
  }, [brand.name]);

  const dir = textDirection(locale);
  return (
    <DirectionProvider initialDirection={dir} detectDirection={false}>
      <DirectionSync dir={dir} />
      <MantineProvider theme={theme}>
        <IntlProvider locale={locale} messages={language.messages} defaultLocale="en">
          <BrandHeader
            brand={brand}
            locales={brandLocales(brand)}
            locale={locale}
            onLocaleChange={(next) => void switchLocale(next, true)}
          />
          <BrowserRouter>
            <Routes>
              <Route
                path="/plans/:planId"
                element={<PlanPage brandSlug={brand.slug} brandName={brand.name} locale={locale} />}
              />
              <Route path="*" element={<HomePage brand={brand} locale={locale} />} />
            </Routes>
          </BrowserRouter>
          <PortalFooter brand={brand} locale={locale} />
        </IntlProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
