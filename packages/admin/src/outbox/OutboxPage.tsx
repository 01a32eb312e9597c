import { useQuery } from '@apollo/client/react';
import { Badge, Card, Code, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { OutboxBrandsDocument, OutboxDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatTimestamp } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';

const NO_BRAND = 'none';

/**
 * `/outbox` (development): the messages the product queued, per brand or without one (staff
 * invites and password resets). There is no mail server here: links are read from this page.
 */
export function OutboxPage() {
  const t = useT();
  const { locale } = useLocale();
  const [params, setParams] = useSearchParams();
  const brands = useQuery(OutboxBrandsDocument);
  const selected = params.get('brand') ?? NO_BRAND;
  const brandId = selected === NO_BRAND ? null : selected;
  const { data, loading, error, refetch } = useQuery(OutboxDocument, {
    variables: { brandId, limit: 100 },
    fetchPolicy: 'cache-and-network',
  });
  const options = [
    { value: NO_BRAND, label: t('outbox.noBrand') },
    ...(brands.data?.brands ?? []).map((b) => ({ value: b.id, label: b.name })),
  ];
  return (
    <Stack maw={960}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('outbox.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('outbox.subtitle')}
          </Text>
        </div>
        <Select
          label={t('outbox.brand')}
          data={options}
          value={selected}
          allowDeselect={false}
          onChange={(value) => setParams(value && value !== NO_BRAND ? { brand: value } : {})}
          w={240}
        />
      </Group>
      {loading && !data ? (
        <LoadingState />
      ) : error && !data ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : data?.outbox.length === 0 ? (
        <EmptyState title={t('outbox.empty')} />
      ) : (
        (data?.outbox ?? []).map((m) => (
          <Card withBorder key={m.id} data-testid="outbox-message">
            <Stack gap={6}>
              <Group justify="space-between" wrap="wrap">
                <Text fw={600}>{m.subject}</Text>
                <Text size="xs" c="dimmed">
                  {formatTimestamp(m.createdAt, locale)}
                </Text>
              </Group>
              <Group gap="xs">
                <Badge variant="light">{m.channel}</Badge>
                <Badge variant="outline">{m.template}</Badge>
                <Text size="sm">{t('outbox.to', { email: m.recipient })}</Text>
              </Group>
              <Code block style={{ whiteSpace: 'pre-wrap' }}>
                {m.body}
              </Code>
            </Stack>
          </Card>
        ))
      )}
    </Stack>
  );
}
