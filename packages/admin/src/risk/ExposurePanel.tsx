import { useQuery } from '@apollo/client/react';
import { Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { type ReactNode, useMemo, useState } from 'react';
import { useLiveSubscription } from '../api/useLiveSubscription';
import {
  type AccountRiskFieldsFragment,
  type Book,
  ExposureChangedDocument,
  ExposureDocument,
  type ExposureFieldsFragment,
  RiskGroupsDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import type { ScopedBrand } from '../ui/brand-scope';
import { formatTimeOfDay } from '../ui/format';
import { LiveBadge } from '../ui/LiveBadge';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { ExposureChart } from './ExposureChart';
import { type ChartBy, exposureBars, symbolRows } from './exposure-model';
import { formatDecimal, formatLevel } from './format';
import { MarginStatusBadge, Money, Num } from './parts';

const ALL = 'all';

/** The brand's live exposure, by risk group and book; each filter has its own subscription. */
export function ExposurePanel({ brand }: { brand: ScopedBrand }) {
  const t = useT();
  const [groupId, setGroupId] = useState<string>(ALL);
  const [book, setBook] = useState<string>(ALL);
  const groups = useQuery(RiskGroupsDocument, { variables: { brandId: brand.id }, fetchPolicy: 'cache-and-network' });
  const filter = {
    brandId: brand.id,
    riskGroupId: groupId === ALL ? null : groupId,
    book: book === ALL ? null : (book as Book),
  };
  return (
    <Stack gap="md">
      <Group align="flex-end" gap="md">
        <Select
          label={t('risk.exposure.group')}
          data={[
            { value: ALL, label: t('risk.exposure.allGroups') },
            ...(groups.data?.riskGroups ?? []).map((g) => ({ value: g.id, label: g.name })),
          ]}
          value={groupId}
          onChange={(next) => setGroupId(next ?? ALL)}
          allowDeselect={false}
          w={240}
          data-testid="exposure-filter-group"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="exposure-book-label">
            {t('risk.exposure.book')}
          </Text>
          <SegmentedControl
            aria-labelledby="exposure-book-label"
            data={[
              { value: ALL, label: t('risk.exposure.allBooks') },
              { value: 'A', label: t('risk.book.A') },
              { value: 'B', label: t('risk.book.B') },
            ]}
            value={book}
            onChange={setBook}
            data-testid="exposure-filter-book"
          />
        </Stack>
      </Group>
      <LiveExposure key={`${filter.riskGroupId}:${filter.book}`} filter={filter} />
    </Stack>
  );
}

type Filter = { brandId: string; riskGroupId: string | null; book: Book | null };

/** The latest of two exposure snapshots (the query's and the subscription's). */
const latest = (a?: ExposureFieldsFragment, b?: ExposureFieldsFragment) =>
  !a ? b : !b ? a : Date.parse(b.asOf) >= Date.parse(a.asOf) ? b : a;

function LiveExposure({ filter }: { filter: Filter }) {
  const t = useT();
  const query = useQuery(ExposureDocument, { variables: { filter }, fetchPolicy: 'cache-and-network' });
  const [pushed, setPushed] = useState<ExposureFieldsFragment>();
  const live = useLiveSubscription(ExposureChangedDocument, {
    variables: { filter },
    onData: (data) => setPushed(data.exposureChanged),
    // Messages may have been missed while the socket was down: the query catches up.
    onReconnect: () => void query.refetch(),
  });
  const exposure = latest(query.data?.exposure, pushed);

  if (!exposure && query.loading) return <LoadingState />;
  if (!exposure) {
    return (
      <ErrorState title={t('risk.exposure.loadFailed')} error={query.error} onRetry={() => void query.refetch()} />
    );
  }
  return <ExposureView exposure={exposure} status={live.status} />;
}

function ExposureView({
  exposure,
  status,
}: {
  exposure: ExposureFieldsFragment;
  status: ReturnType<typeof useLiveSubscription>['status'];
}) {
  const t = useT();
  const { locale } = useLocale();
  const [by, setBy] = useState<ChartBy>('symbol');
  const currency = exposure.reportingCurrency;
  const bars = useMemo(() => exposureBars(exposure, by), [exposure, by]);
  const symbols = useMemo(() => symbolRows(exposure.symbols), [exposure.symbols]);

  return (
    <Stack gap="md" data-testid="exposure" data-as-of={exposure.asOf}>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="exposure-as-of">
          {t('risk.exposure.asOf', { time: formatTimeOfDay(exposure.asOf, locale), currency })}
        </Text>
        <LiveBadge status={status} testId="exposure-live-state" />
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label={t('risk.exposure.accounts')} testId="exposure-accounts">
          <Num>{formatDecimal(String(exposure.accounts), locale, 0)}</Num>
        </Stat>
        <Stat label={t('risk.exposure.positions')} testId="exposure-positions">
          <Num>{formatDecimal(String(exposure.positions), locale, 0)}</Num>
        </Stat>
        <Stat label={t('risk.exposure.clientPnl')} testId="exposure-floating-pnl">
          <Money value={exposure.floatingPnl} currency={currency} signed fw={700} />
        </Stat>
        <Stat label={t('risk.exposure.firmPnl')} testId="exposure-firm-pnl">
          <Money value={exposure.firmFloatingPnl} currency={currency} signed fw={700} />
        </Stat>
      </SimpleGrid>
      {exposure.unpriced.length > 0 && (
        <Text size="sm" c="red.9" role="note">
          {t('risk.exposure.unpriced', { symbols: exposure.unpriced.join(', ') })}
        </Text>
      )}

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={3} size="h4">
              {t('risk.chart.title')}
            </Title>
            <SegmentedControl
              aria-label={t('risk.chart.by')}
              data={[
                { value: 'symbol', label: t('risk.chart.bySymbol') },
                { value: 'assetClass', label: t('risk.chart.byAssetClass') },
              ]}
              value={by}
              onChange={(v) => setBy(v as ChartBy)}
              data-testid="exposure-chart-by"
            />
          </Group>
          {bars.length === 0 ? (
            <EmptyState title={t('risk.exposure.empty')}>{t('risk.exposure.emptyHint')}</EmptyState>
          ) : (
            <ExposureChart bars={bars} by={by} currency={currency} />
          )}
        </Stack>
      </Paper>

      <Section title={t('risk.exposure.bySymbol')}>
        {symbols.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('risk.exposure.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table striped aria-label={t('risk.exposure.bySymbol')} data-testid="exposure-symbols">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('risk.column.symbol')}</Table.Th>
                  <Table.Th>{t('risk.column.assetClass')}</Table.Th>
                  <Th end>{t('risk.column.buyLots')}</Th>
                  <Th end>{t('risk.column.sellLots')}</Th>
                  <Th end>{t('risk.column.netLots')}</Th>
                  <Th end>{t('risk.column.netUnits')}</Th>
                  <Th end>{t('risk.column.value', { currency })}</Th>
                  <Th end>{t('risk.column.floatingPnl')}</Th>
                  <Th end>{t('risk.column.positions')}</Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {symbols.map((s) => (
                  <Table.Tr key={s.symbol} data-testid={`exposure-symbol-${s.symbol}`}>
                    <Table.Td>
                      <Text size="sm" fw={600} ff="monospace">
                        {s.symbol}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t(`risk.assetClass.${s.assetClass}`)}</Table.Td>
                    <Td>{formatDecimal(s.buyLots, locale)}</Td>
                    <Td>{formatDecimal(s.sellLots, locale)}</Td>
                    <Td testId="net-lots">{formatDecimal(s.netLots, locale)}</Td>
                    <Td>{formatDecimal(s.netUnits, locale, 0)}</Td>
                    <Table.Td ta="end">
                      <Money value={s.value} currency={currency} testId="net-value" />
                    </Table.Td>
                    <Table.Td ta="end">
                      <Money value={s.floatingPnl} currency={currency} signed />
                    </Table.Td>
                    <Td>{formatDecimal(String(s.positions), locale, 0)}</Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Section title={t('risk.exposure.byAssetClass')}>
          <Table striped aria-label={t('risk.exposure.byAssetClass')} data-testid="exposure-asset-classes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('risk.column.assetClass')}</Table.Th>
                <Th end>{t('risk.column.netValue')}</Th>
                <Th end>{t('risk.column.grossValue')}</Th>
                <Th end>{t('risk.column.floatingPnl')}</Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {exposure.assetClasses.map((c) => (
                <Table.Tr key={c.assetClass}>
                  <Table.Td>{t(`risk.assetClass.${c.assetClass}`)}</Table.Td>
                  <Table.Td ta="end">
                    <Money value={c.netValue} currency={currency} />
                  </Table.Td>
                  <Table.Td ta="end">
                    <Money value={c.grossValue} currency={currency} />
                  </Table.Td>
                  <Table.Td ta="end">
                    <Money value={c.floatingPnl} currency={currency} signed />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title={t('risk.exposure.firmBBook')} hint={t('risk.exposure.firmBBookHint')}>
          {exposure.firmBBook.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('risk.exposure.noBBook')}
            </Text>
          ) : (
            <Table striped aria-label={t('risk.exposure.firmBBook')} data-testid="exposure-firm-bbook">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('risk.column.symbol')}</Table.Th>
                  <Th end>{t('risk.column.netLots')}</Th>
                  <Th end>{t('risk.column.value', { currency })}</Th>
                  <Th end>{t('risk.column.floatingPnl')}</Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {exposure.firmBBook.map((s) => (
                  <Table.Tr key={s.symbol}>
                    <Table.Td ff="monospace">{s.symbol}</Table.Td>
                    <Td>{formatDecimal(s.netLots, locale)}</Td>
                    <Table.Td ta="end">
                      <Money value={s.value} currency={currency} />
                    </Table.Td>
                    <Table.Td ta="end">
                      <Money value={s.floatingPnl} currency={currency} signed />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Section>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Section title={t('risk.exposure.topByExposure')}>
          <AccountList
            accounts={exposure.topByExposure}
            currency={currency}
            metric="exposure"
            testId="top-by-exposure"
          />
        </Section>
        <Section title={t('risk.exposure.topByPnl')}>
          <AccountList accounts={exposure.topByPnl} currency={currency} metric="pnl" testId="top-by-pnl" />
        </Section>
      </SimpleGrid>
      <Section title={t('risk.exposure.marginCalls', { count: exposure.marginCalls.length })}>
        {exposure.marginCalls.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="margin-calls-empty">
            {t('risk.exposure.noMarginCalls')}
          </Text>
        ) : (
          <AccountList accounts={exposure.marginCalls} currency={currency} metric="level" testId="margin-calls" />
        )}
      </Section>
    </Stack>
  );
}

function Stat({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" component="div">
        {children}
      </Text>
    </Paper>
  );
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack gap="xs">
        <Title order={3} size="h4">
          {title}
        </Title>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
        {children}
      </Stack>
    </Paper>
  );
}

const Th = ({ children, end }: { children: ReactNode; end?: boolean }) => (
  <Table.Th ta={end ? 'end' : undefined} style={{ whiteSpace: 'nowrap' }}>
    {children}
  </Table.Th>
);

const Td = ({ children, testId }: { children: ReactNode; testId?: string }) => (
  <Table.Td ta="end">
    <Num testId={testId}>{children}</Num>
  </Table.Td>
);

function AccountList({
  accounts,
  currency,
  metric,
  testId,
}: {
  accounts: AccountRiskFieldsFragment[];
  currency: string;
  metric: 'exposure' | 'pnl' | 'level';
  testId: string;
}) {
  const t = useT();
  const { locale } = useLocale();
  if (accounts.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('risk.exposure.noAccounts')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('risk.column.login')}</Table.Th>
            <Table.Th>{t('risk.column.group')}</Table.Th>
            <Th end>{t('risk.column.equity')}</Th>
            <Th end>
              {metric === 'exposure'
                ? t('risk.column.exposure', { currency })
                : metric === 'pnl'
                  ? t('risk.column.floatingPnl')
                  : t('risk.column.marginLevel')}
            </Th>
            <Table.Th>{t('risk.column.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accounts.map((a) => (
            <Table.Tr key={a.platformAccountId} data-testid={`${testId}-${a.login}`}>
              <Table.Td ff="monospace">{a.login}</Table.Td>
              <Table.Td>{a.riskGroupName}</Table.Td>
              <Table.Td ta="end">
                <Money value={a.equity} currency={a.currency} />
              </Table.Td>
              <Table.Td ta="end">
                {metric === 'exposure' ? (
                  <Money value={a.exposure} currency={currency} />
                ) : metric === 'pnl' ? (
                  <Money value={a.floatingPnl} currency={a.currency} signed />
                ) : (
                  <Num>{formatLevel(a.marginLevel, locale)}</Num>
                )}
              </Table.Td>
              <Table.Td>
                <MarginStatusBadge status={a.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
