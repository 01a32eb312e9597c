import { useQuery } from '@apollo/client/react';
import { Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { PlatformsDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatDateTime } from '../plans/format';
import { BrandScopedPage, type ScopedBrand } from '../ui/brand-scope';
import { formatDuration, formatNumber, formatTimestamp } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { ConnectMt5Modal } from './ConnectMt5Modal';
import { PlatformKindBadge, PlatformStatusBadge } from './PlatformBadges';

/** `/brands/:brandId/platforms`: the brand's trading platforms, their connection state and lag. */
export function PlatformsPage() {
  const t = useT();
  return (
    <BrandScopedPage section="platforms" title={t('platforms.title')} subtitle={t('platforms.subtitle')}>
      {(brand) => <PlatformList key={brand.id} brand={brand} />}
    </BrandScopedPage>
  );
}

function PlatformList({ brand }: { brand: ScopedBrand }) {
  const t = useT();
  const { locale } = useLocale();
  // Lag and last events move by themselves: the list refreshes while it is shown.
  const { data, loading, error, refetch } = useQuery(PlatformsDocument, {
    variables: { brandId: brand.id },
    fetchPolicy: 'cache-and-network',
    pollInterval: 5_000,
  });
  const platforms = data?.platforms;
  const [connecting, setConnecting] = useState(false);

  if (!platforms && loading) return <LoadingState />;
  if (!platforms) return <ErrorState title={t('platforms.loadFailed')} error={error} onRetry={() => void refetch()} />;

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('platforms.timesIn', { zone: brand.timeZone })}
        </Text>
        <Button onClick={() => setConnecting(true)} data-testid="connect-mt5">
          {t('mt5.open')}
        </Button>
      </Group>
      <ConnectMt5Modal opened={connecting} onClose={() => setConnecting(false)} brand={brand} />
      {platforms.length === 0 && <EmptyState title={t('platforms.empty')}>{t('platforms.emptyHint')}</EmptyState>}
      {platforms.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="platforms-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('platforms.column.name')}</Table.Th>
                <Table.Th>{t('platforms.column.server')}</Table.Th>
                <Table.Th>{t('platforms.column.status')}</Table.Th>
                <Table.Th>{t('platforms.column.lastEvent')}</Table.Th>
                <Table.Th ta="end">{t('platforms.column.lag')}</Table.Th>
                <Table.Th>{t('platforms.column.lastReceived')}</Table.Th>
                <Table.Th ta="end">{t('platforms.column.accounts')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {platforms.map((p) => (
                <Table.Tr key={p.id} data-testid={`platform-row-${p.id}`}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor component={Link} to={`/platforms/${p.id}?brand=${brand.id}`} fw={600}>
                        {p.name}
                      </Anchor>
                      <PlatformKindBadge kind={p.kind} />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {p.server}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <PlatformStatusBadge status={p.status} testId={`platform-status-${p.id}`} />
                    {p.lastError && (
                      <Text size="xs" c="red.8" mt={4} maw={280}>
                        {t('platforms.lastError', { count: p.pollFailures ?? 0, reason: p.lastError })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(p.lastEventAt, locale, brand.timeZone)}</Text>
                  </Table.Td>
                  <Table.Td ta="end">
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDuration(p.lagSeconds, locale)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatTimestamp(p.lastReceivedAt, locale, brand.timeZone)}</Text>
                  </Table.Td>
                  <Table.Td ta="end">{formatNumber(p.accounts, locale)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
