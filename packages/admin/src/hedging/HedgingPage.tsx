import { useQuery } from '@apollo/client/react';
import { Badge, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { HedgesDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import type { MessageId } from '../i18n/locales';
import { type BrandSection, BrandScopedPage, type ScopedBrand } from '../ui/brand-scope';
import { formatTimestamp } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { slippageTone, slippageTotals } from './hedging';

// The brand picker keeps this section when switching brands (`/brands/:brandId/hedging`).
const SECTION: BrandSection = 'hedging';
const TONE_COLOR = { cost: 'red', gain: 'green', flat: 'gray', none: 'gray' } as const;

/** `/brands/:brandId/hedging`: A-book hedge fills with their slippage against the client's fill. */
export function HedgingPage() {
  const t = useT();
  return (
    <BrandScopedPage section={SECTION} title={t('hedging.title')} subtitle={t('hedging.subtitle')}>
      {(brand) => <HedgeList key={brand.id} brand={brand} />}
    </BrandScopedPage>
  );
}

function HedgeList({ brand }: { brand: ScopedBrand }) {
  const t = useT();
  const { locale } = useLocale();
  const [login, setLogin] = useState('');
  const [symbol, setSymbol] = useState('');
  const { data, loading, error, refetch } = useQuery(HedgesDocument, {
    variables: {
      brandId: brand.id,
      login: login.trim() || null,
      symbol: symbol.trim().toUpperCase() || null,
      limit: 200,
    },
    fetchPolicy: 'cache-and-network',
    pollInterval: 5_000,
  });
  const hedges = data?.hedges;
  return (
    <Stack gap="md">
      <Group align="flex-end">
        <TextInput label={t('hedging.filter.login')} value={login} onChange={(e) => setLogin(e.currentTarget.value)} />
        <TextInput
          label={t('hedging.filter.symbol')}
          value={symbol}
          onChange={(e) => setSymbol(e.currentTarget.value)}
        />
      </Group>
      <Text size="sm" c="dimmed">
        {t('hedging.slippageHint')}
      </Text>
      {!hedges && loading && <LoadingState />}
      {!hedges && !loading && (
        <ErrorState title={t('hedging.loadFailed')} error={error} onRetry={() => void refetch()} />
      )}
      {hedges && hedges.length === 0 && <EmptyState title={t('hedging.empty')}>{t('hedging.emptyHint')}</EmptyState>}
      {hedges && hedges.length > 0 && (
        <>
          <Group gap="lg" data-testid="hedge-totals">
            {slippageTotals(hedges).map((s) => (
              <Text key={s.currency} size="sm">
                {t('hedging.totals', { currency: s.currency, total: s.total, number: s.fills, failed: s.rejected })}
              </Text>
            ))}
          </Group>
          <Table.ScrollContainer minWidth={1100}>
            <Table striped data-testid="hedges-table" aria-label={t('hedging.tableLabel')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('hedging.column.time')}</Table.Th>
                  <Table.Th>{t('hedging.column.account')}</Table.Th>
                  <Table.Th>{t('hedging.column.deal')}</Table.Th>
                  <Table.Th>{t('hedging.column.symbol')}</Table.Th>
                  <Table.Th>{t('hedging.column.side')}</Table.Th>
                  <Table.Th>{t('hedging.column.volume')}</Table.Th>
                  <Table.Th>{t('hedging.column.client')}</Table.Th>
                  <Table.Th>{t('hedging.column.hedge')}</Table.Th>
                  <Table.Th>{t('hedging.column.slippage')}</Table.Th>
                  <Table.Th>{t('hedging.column.value')}</Table.Th>
                  <Table.Th>{t('hedging.column.latency')}</Table.Th>
                  <Table.Th>{t('hedging.column.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {hedges.map((h) => {
                  const tone = slippageTone(h.slippage);
                  return (
                    <Table.Tr key={h.id}>
                      <Table.Td>{formatTimestamp(h.hedgedAt, locale, brand.timeZone)}</Table.Td>
                      <Table.Td>{h.login}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{h.dealId}</Text>
                        <Text size="xs" c="dimmed">
                          {t(`hedging.entry.${h.entry}` as MessageId, { position: h.position })}
                        </Text>
                      </Table.Td>
                      <Table.Td>{h.symbol}</Table.Td>
                      <Table.Td>{t(`hedging.side.${h.hedgeSide}` as MessageId)}</Table.Td>
                      <Table.Td dir="ltr">{h.volume}</Table.Td>
                      <Table.Td dir="ltr">{h.clientPrice}</Table.Td>
                      <Table.Td dir="ltr">{h.hedgePrice ?? '—'}</Table.Td>
                      <Table.Td>
                        {h.slippage == null ? (
                          '—'
                        ) : (
                          <Group gap={4} wrap="nowrap">
                            <Text size="sm" dir="ltr">
                              {h.slippage}
                            </Text>
                            {(tone === 'cost' || tone === 'gain') && (
                              <Badge size="xs" variant="light" color={TONE_COLOR[tone]}>
                                {t(`hedging.${tone}` as MessageId)}
                              </Badge>
                            )}
                          </Group>
                        )}
                      </Table.Td>
                      <Table.Td dir="ltr">
                        {h.slippageValue == null ? '—' : `${h.slippageValue} ${h.currency ?? ''}`}
                      </Table.Td>
                      <Table.Td>{h.latencyMs == null ? '—' : t('hedging.latency', { count: h.latencyMs })}</Table.Td>
                      <Table.Td>
                        <Badge
                          color={h.status === 'FILLED' ? 'green' : 'red'}
                          variant="light"
                          title={h.error ?? undefined}
                        >
                          {t(`hedging.status.${h.status}` as MessageId)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
