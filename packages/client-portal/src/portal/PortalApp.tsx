import { useApolloClient, useSubscription } from '@apollo/client/react';
import { DirectionProvider, MantineProvider } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { IntlProvider } from 'react-intl';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { connection } from '../api/client';
import { ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage, VerifyEmailPage } from '../account/AuthPages';
import { useTo } from '../account/layout';
import { MyAccountsPage } from '../account/MyAccountsPage';
import { AccountDashboardPage } from '../account/AccountDashboardPage';
import { ProfilePage } from '../account/ProfilePage';
import { TraderSessionProvider, useTraderSession } from '../account/session';
import { VerifyBanner } from '../account/VerifyBanner';
import {
  BrandThemeChangedDocument,
  BrandThemeDocument,
  type BrandThemeFieldsFragment,
  type TraderFieldsFragment,
  UpdateMyProfileDocument,
} from '../gql/graphql';
import {
  type AppLocale,
  isAppLocale,
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
          <BrowserRouter>
            <TraderSessionProvider brandSlug={brand.slug}>
              <PortalBody brand={brand} locale={locale} onLocaleChange={switchLocale} />
            </TraderSessionProvider>
          </BrowserRouter>
        </IntlProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}

/**
 * Everything inside the router and the trader session: the header, the banner for an unverified
 * email, the pages, and the footer. A signed-in trader sees the portal in their own language and
 * times in their own zone; choosing a language in the header changes their profile too.
 */
function PortalBody({
  brand,
  locale,
  onLocaleChange,
}: {
  brand: BrandThemeFieldsFragment;
  locale: AppLocale;
  onLocaleChange(locale: AppLocale, remember: boolean): Promise<void>;
}) {
  const client = useApolloClient();
  const { trader, updated } = useTraderSession();
  const locales = brandLocales(brand);

  // Signing in (or a profile change) brings the trader's language.
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the trader's saved language only
  useEffect(() => {
    if (trader && isAppLocale(trader.locale) && locales.includes(trader.locale) && trader.locale !== locale) {
      void onLocaleChange(trader.locale, true);
    }
  }, [trader?.id, trader?.locale]);

  const changeLocale = (next: AppLocale) => {
    void onLocaleChange(next, true);
    if (trader && trader.locale !== next) {
      client
        .mutate({ mutation: UpdateMyProfileDocument, variables: { input: { locale: next } } })
        .then(({ data }) => data && updated(data.updateMyProfile))
        .catch(() => undefined);
    }
  };

  return (
    <>
      <BrandHeader brand={brand} locales={locales} locale={locale} onLocaleChange={changeLocale} />
      {trader && !trader.emailVerified && <VerifyBanner trader={trader} />}
      <Routes>
        <Route
          path="/plans/:planId"
          element={<PlanPage brandSlug={brand.slug} brandName={brand.name} locale={locale} />}
        />
        <Route path="/sign-in" element={<SignInPage brandSlug={brand.slug} brandName={brand.name} />} />
        <Route path="/sign-up" element={<SignUpPage brandSlug={brand.slug} brandName={brand.name} locale={locale} />} />
        <Route path="/verify/:token" element={<VerifyEmailPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage brandSlug={brand.slug} />} />
        <Route path="/reset/:token" element={<ResetPasswordPage />} />
        <Route
          path="/accounts"
          element={<SignedIn>{(me) => <MyAccountsPage trader={me} locale={locale} />}</SignedIn>}
        />
        <Route
          path="/accounts/:accountId"
          element={<SignedIn>{(me) => <AccountDashboardPage trader={me} locale={locale} />}</SignedIn>}
        />
        <Route
          path="/profile"
          element={<SignedIn>{(me) => <ProfilePage key={me.id} trader={me} locales={locales} />}</SignedIn>}
        />
        <Route path="*" element={<HomePage brand={brand} locale={locale} />} />
      </Routes>
      <PortalFooter brand={brand} locale={locale} timeZone={trader?.timeZone} />
    </>
  );
}

/** A page for signed-in traders only; anyone else is sent to sign in. */
function SignedIn({ children }: { children: (trader: TraderFieldsFragment) => ReactNode }) {
  const { trader, loading } = useTraderSession();
  const to = useTo();
  if (trader) return <>{children(trader)}</>;
  if (loading) {
    return (
      <Center py="xl" role="status">
        <Loader size="sm" />
      </Center>
    );
  }
  return <Navigate to={to('/sign-in')} replace />;
}
