import { Button, Center, MantineProvider, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { IntlProvider } from 'react-intl';
import type { AppLocale, Messages } from '../i18n/locales';
import { useT } from '../i18n/useT';

export type Status = { kind: 'notFound'; host: string } | { kind: 'loadFailed'; retry(): void };

function StatusBody({ status }: { status: Status }) {
  const t = useT();
  const notFound = status.kind === 'notFound';
  const title = t(notFound ? 'portal.notFound.title' : 'portal.loadFailed.title');
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <Center mih="100vh" p="md">
      <Stack
        align="center"
        ta="center"
        maw={480}
        gap="sm"
        data-testid={notFound ? 'brand-not-found' : 'load-failed'}
        role={notFound ? undefined : 'alert'}
      >
        <Title order={1}>{title}</Title>
        <Text c="dimmed">
          {notFound ? t('portal.notFound.body', { host: status.host }) : t('portal.loadFailed.body')}
        </Text>
        {!notFound && (
          <Button variant="light" onClick={status.retry}>
            {t('portal.retry')}
          </Button>
        )}
      </Stack>
    </Center>
  );
}

/** Pages shown without a brand (none matches, or the API is unreachable): neutral look, browser language. */
export function StatusPage({ status, locale, messages }: { status: Status; locale: AppLocale; messages: Messages }) {
  return (
    <MantineProvider>
      <IntlProvider locale={locale} messages={messages} defaultLocale="en">
        <StatusBody status={status} />
      </IntlProvider>
    </MantineProvider>
  );
}
