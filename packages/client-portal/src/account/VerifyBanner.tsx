import { useApolloClient } from '@apollo/client/react';
import { Alert, Button, Container, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { problemOf } from '../api/problems';
import { ResendTraderVerificationDocument, type TraderFieldsFragment } from '../gql/graphql';
import { useT } from '../i18n/useT';

/** Shown to a signed-in trader who has not confirmed their email yet, with a way to get a new link. */
export function VerifyBanner({ trader }: { trader: TraderFieldsFragment }) {
  const t = useT();
  const client = useApolloClient();
  const [result, setResult] = useState<'sent' | 'wait' | 'failed' | null>(null);
  const [busy, setBusy] = useState(false);

  const resend = async () => {
    setBusy(true);
    try {
      await client.mutate({ mutation: ResendTraderVerificationDocument });
      setResult('sent');
    } catch (error) {
      setResult(problemOf(error).code === 'RATE_LIMITED' ? 'wait' : 'failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Container size="lg" pt="md">
      <Alert
        color="yellow"
        title={t('account.banner.title')}
        data-testid="verify-banner"
        // Mantine's yellow title on the light yellow ground is too faint to read (WCAG AA).
        styles={{ title: { color: 'var(--mantine-color-dark-8)' } }}
      >
        <Group justify="space-between" gap="sm">
          <Text size="sm">{t('account.banner.body', { email: trader.email })}</Text>
          <Button size="xs" variant="white" color="dark" loading={busy} onClick={() => void resend()}>
            {t('account.banner.resend')}
          </Button>
        </Group>
        {result && (
          <Text size="sm" mt="xs" role="status" data-testid="verify-resent">
            {t(result === 'sent' ? 'account.banner.sent' : result === 'wait' ? 'account.banner.wait' : 'account.error')}
          </Text>
        )}
      </Alert>
    </Container>
  );
}
