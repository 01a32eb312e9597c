import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './accessibility.css';
import { ApolloProvider } from '@apollo/client/react';
import { Combobox, createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { client } from './api/client';
import { App } from './App';
import { LocaleProvider } from './i18n/LocaleProvider';
import { applyDocumentLocale, loadMessages, savedLocale } from './i18n/locales';

const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 7 keeps white button text above WCAG AA's 4.5:1 (shade 6 is 4.3:1).
  primaryShade: 7,
  defaultRadius: 'sm',
  components: {
    // A closed select keeps no hidden listbox in the page, so each label names exactly one control.
    Combobox: Combobox.extend({ defaultProps: { keepMounted: false } }),
  },
});

async function start() {
  // The catalogue (and <html lang dir>) are in place before the first paint.
  const locale = savedLocale();
  const messages = await loadMessages(locale);
  applyDocumentLocale(locale);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <MantineProvider theme={theme}>
        <LocaleProvider initialLocale={locale} initialMessages={messages}>
          <Notifications position="top-right" />
          <ApolloProvider client={client}>
            <BrowserRouter basename="/admin">
              <App />
            </BrowserRouter>
          </ApolloProvider>
        </LocaleProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

void start();
