import { useQuery } from '@apollo/client/react';
import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { IngestionMonitorDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatNumber, formatTimeOfDay, formatTimestamp } from '../ui/format';
import { ErrorState, LoadingState } from '../ui/states';

export const MONITOR_REFRESH_MS = 2_000;

/** What ingestion did for the platform since the API started, refreshed every two seconds. */
export function IngestionPanel({ platformId, timeZone }: { platformId: string; timeZone: string }) {
  const t = useT();
  const { locale } = useLocale();
  const { data, loading, error, refetch } = useQuery(IngestionMonitorDocument, {
    variables: { platformId },
    fetchPolicy: 'network-only',
    pollInterval: MONITOR_REFRESH_MS,
  });
  const [refreshedAt, setRefreshedAt] = useState<string | null>(null);
  useEffect(() => {
    if (data) setRefreshedAt(new Date().toISOString());
  }, [data]);

  if (!data && loading) return <LoadingState />;
  if (!data) return <ErrorState title={t('ingestion.loadFailed')} error={error} onRetry={() => void refetch()} />;
  const monitor = data.ingestionMonitor;
  const stats = [
    {
      id: 'eventsPerSecond',
      label: t('ingestion.eventsPerSecond'),
      value: formatNumber(monitor.eventsPerSecond, locale, 1),
    },
    { id: 'accepted', label: t('ingestion.accepted'), value: formatNumber(monitor.accepted, locale) },
    { id: 'duplicates', label: t('ingestion.duplicates'), value: formatNumber(monitor.duplicates, locale) },
    {
      id: 'rejected',
      label: t('ingestion.rejected'),
      value: formatNumber(monitor.rejected, locale),
      alert: monitor.rejected > 0,
    },
    { id: 'journalled', label: t('ingestion.journalled'), value: formatNumber(monitor.journalled, locale) },
  ];

  return (
    <Stack gap="lg" data-testid="ingestion-monitor">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('ingestion.hint')}
        </Text>
        <Text size="sm" c="dimmed" aria-live="off" data-testid="ingestion-refreshed">
          {t('ingestion.refreshed', { time: formatTimeOfDay(refreshedAt, locale) })}
        </Text>
      </Group>
      {error && <ErrorState title={t('ingestion.refreshFailed')} error={error} />}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
        {stats.map((s) => (
          <Paper key={s.id} withBorder p="md" radius="md" data-testid={`ingestion-${s.id}`}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              {s.label}
            </Text>
            <Text
              fz={26}
              fw={700}
              c={s.alert ? 'red.9' : undefined}
              data-value
              style={{ fontVariantNumeric: 'tabular-nums' }}
            >
              {s.value}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <section aria-labelledby="rejections-heading">
        <Title order={3} size="h4" id="rejections-heading" mb="xs">
          {t('ingestion.recentRejections')}
        </Title>
        {monitor.recentRejections.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="no-rejections">
            {t('ingestion.noRejections')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table striped verticalSpacing="xs" data-testid="rejections-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('ingestion.column.at')}</Table.Th>
                  <Table.Th>{t('ingestion.column.code')}</Table.Th>
                  <Table.Th>{t('ingestion.column.eventId')}</Table.Th>
                  <Table.Th>{t('ingestion.column.message')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {monitor.recentRejections.map((r) => (
                  <Table.Tr key={`${r.eventId ?? ''}:${r.at}:${r.code}`}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTimestamp(r.at, locale, timeZone)}</Table.Td>
                    <Table.Td>
                      <Badge color="red" variant="light" tt="none">
                        {r.code}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text ff="monospace" size="sm">
                        {r.eventId ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{r.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
    </Stack>
  );
}
