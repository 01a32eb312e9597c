import '@mantine/core/styles.css';
import './accessibility.css';
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { client } from './api/client';
import { errorCode } from './api/errors';
import { brandLookup } from './brand/lookup';
import { BrandThemeDocument, type BrandThemeFieldsFragment } from './gql/graphql';
import { applyDocumentLocale, browserLocale, loadMessages, pickLocale, savedLocale } from './i18n/locales';
import { PortalApp } from './portal/PortalApp';
import { type Status, StatusPage } from './portal/StatusPage';

async function showStatus(root: Root, status: Status) {
  const locale = browserLocale(navigator.languages ?? [navigator.language]);
  const messages = await loadMessages(locale);
  applyDocumentLocale(locale);
  root.render(<StatusPage status={status} locale={locale} messages={messages} />);
}

/**
 * Nothing is painted until the brand is known: its colours, logo, name and language come from the
 * API (by host name, or `?brand=slug` in development), then the theme is built and the app rendered.
 */
async function boot(root: Root) {
  const lookup = brandLookup(new URL(window.location.href));
  let brand: BrandThemeFieldsFragment | undefined;
  try {
    const result = await client.query({ query: BrandThemeDocument, variables: lookup, fetchPolicy: 'network-only' });
    if (result.error) throw result.error;
    brand = result.data?.brandTheme;
  } catch (error) {
    if (errorCode(error) === 'NOT_FOUND') {
      await showStatus(root, { kind: 'notFound', host: lookup.slug ?? lookup.host ?? window.location.hostname });
    } else {
      await showStatus(root, { kind: 'loadFailed', retry: () => void boot(root) });
    }
    return;
  }
  if (!brand) return;
  const locale = pickLocale(brand, savedLocale(brand.slug));
  const messages = await loadMessages(locale);
  applyDocumentLocale(locale);
  root.render(
    <StrictMode>
      <ApolloProvider client={client}>
        <PortalApp initialBrand={brand} initialLocale={locale} initialMessages={messages} />
      </ApolloProvider>
    </StrictMode>,
  );
}

void boot(createRoot(document.getElementById('root')!));
