import { useQuery } from '@apollo/client/react';
import { Badge, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useLiveSubscription } from '../api/useLiveSubscription';
import { InstrumentsDocument, type InstrumentsQuery, PlatformQuotesDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatDateTime } from '../plans/format';
import { formatNumber } from '../ui/format';
import { LiveBadge } from '../ui/LiveBadge';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { applyQuotes, bookFromInstruments, type LiveQuote, type QuoteBook, spreadPoints } from './quotes';
import { isAssetClass } from './status';
import './platforms.css';

type Instrument = InstrumentsQuery['instruments'][number];

/** The platform's instruments; bid and ask follow the `platformQuotes` subscription. */
export function InstrumentsPanel({ platformId, timeZone }: { platformId: string; timeZone: string }) {
  const t = useT();
  const { data, loading, error, refetch } = useQuery(InstrumentsDocument, {
    variables: { platformId },
    fetchPolicy: 'cache-and-network',
  });
  const [book, setBook] = useState<QuoteBook>({});
  const [filter, setFilter] = useState('');

  // The query's quotes are the starting point (and the catch-up after a reconnection).
  useEffect(() => {
    if (!data) return;
    setBook((held) =>
      Object.keys(held).length ? applyQuotes(held, toQuotes(data.instruments)) : bookFromInstruments(data.instruments),
    );
  }, [data]);

  const { status } = useLiveSubscription(PlatformQuotesDocument, {
    variables: { platformId },
    onData: (update) => setBook((held) => applyQuotes(held, update.platformQuotes.quotes)),
    onReconnect: () => void refetch(),
  });

  const instruments = useMemo(() => {
    const all = data?.instruments ?? [];
    const q = filter.trim().toUpperCase();
    return q ? all.filter((i) => i.symbol.includes(q) || i.assetClass.includes(q)) : all;
  }, [data, filter]);

  if (!data && loading) return <LoadingState />;
  if (!data) return <ErrorState title={t('instruments.loadFailed')} error={error} onRetry={() => void refetch()} />;
  if (data.instruments.length === 0) return <EmptyState title={t('instruments.empty')} />;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <TextInput
          label={t('instruments.filter')}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          w={240}
        />
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t('instruments.liveHint')}
          </Text>
          <LiveBadge status={status} testId="quotes-live-state" />
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={980}>
        <Table striped highlightOnHover verticalSpacing="xs" data-testid="instruments-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('instruments.column.symbol')}</Table.Th>
              <Table.Th>{t('instruments.column.assetClass')}</Table.Th>
              <Table.Th ta="end">{t('instruments.column.contractSize')}</Table.Th>
              <Table.Th>{t('instruments.column.currencies')}</Table.Th>
              <Table.Th ta="end">{t('instruments.column.bid')}</Table.Th>
              <Table.Th ta="end">{t('instruments.column.ask')}</Table.Th>
              <Table.Th ta="end">{t('instruments.column.spread')}</Table.Th>
              <Table.Th>{t('instruments.column.quotedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {instruments.map((instrument) => (
              <InstrumentRow
                key={instrument.symbol}
                instrument={instrument}
                quote={book[instrument.symbol]}
                timeZone={timeZone}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {instruments.length === 0 && <EmptyState title={t('instruments.noMatch')} />}
    </Stack>
  );
}

function toQuotes(instruments: readonly Instrument[]) {
  return instruments.flatMap((i) =>
    i.bid && i.ask && i.quotedAt ? [{ symbol: i.symbol, bid: i.bid, ask: i.ask, at: i.quotedAt }] : [],
  );
}

function InstrumentRow({
  instrument,
  quote,
  timeZone,
}: {
  instrument: Instrument;
  quote: LiveQuote | undefined;
  timeZone: string;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { symbol } = instrument;
  const spread = quote ? spreadPoints(quote.bid, quote.ask, instrument.digits) : null;
  return (
    <Table.Tr data-testid={`instrument-row-${symbol}`}>
      <Table.Td>
        <Text fw={700} ff="monospace" size="sm">
          {symbol}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color="gray" tt="none" size="sm">
          {isAssetClass(instrument.assetClass)
            ? t(`instruments.assetClass.${instrument.assetClass}`)
            : instrument.assetClass}
        </Badge>
      </Table.Td>
      <Table.Td ta="end">{formatNumber(instrument.contractSize, locale, 2)}</Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace" title={t('instruments.currenciesTitle')}>
          <bdi>
            {instrument.marginCurrency} / {instrument.profitCurrency}
          </bdi>
        </Text>
      </Table.Td>
      <Table.Td ta="end">
        <Price value={quote?.bid} tick={quote?.tick} version={quote?.version} testId={`quote-bid-${symbol}`} />
      </Table.Td>
      <Table.Td ta="end">
        <Price value={quote?.ask} tick={quote?.tick} version={quote?.version} testId={`quote-ask-${symbol}`} />
      </Table.Td>
      <Table.Td ta="end">
        <Text size="sm" c="dimmed">
          {spread === null ? '—' : formatNumber(spread, locale)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(quote?.at, locale, timeZone)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** A price as the platform sent it (its digits), lit up in the direction of the last move. */
function Price({
  value,
  tick,
  version,
  testId,
}: {
  value: string | undefined;
  tick: LiveQuote['tick'] | undefined;
  version: number | undefined;
  testId: string;
}) {
  const t = useT();
  const arrow = tick === 'up' ? '▲' : tick === 'down' ? '▼' : '';
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      <span
        key={version}
        className="bd-quote"
        data-tick={version ? (tick ?? undefined) : undefined}
        data-testid={testId}
        dir="ltr"
        style={{ fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-sm)' }}
      >
        {value ?? '—'}
      </span>
      <Text
        component="span"
        size="xs"
        c={tick === 'up' ? 'teal.9' : 'red.9'}
        w={10}
        aria-label={tick ? t(`instruments.tick.${tick}`) : undefined}
        role={tick ? 'img' : undefined}
      >
        {arrow}
      </Text>
    </Group>
  );
}
