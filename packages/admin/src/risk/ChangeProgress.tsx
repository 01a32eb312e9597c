import { useQuery } from '@apollo/client/react';
import { Badge, Group, Progress, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useLiveSubscription } from '../api/useLiveSubscription';
import { MarginChangeDocument, type MarginChangeFieldsFragment, MarginChangeProgressDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { LiveBadge } from '../ui/LiveBadge';
import { ErrorState, LoadingState } from '../ui/states';
import { laterView, progressPct } from './margin-change';
import { Num } from './parts';

/** Follows a margin change's platform pushes live (the query first, then `marginChangeProgress`). */
export function useChangeProgress(changeId: string, initial?: MarginChangeFieldsFragment) {
  const query = useQuery(MarginChangeDocument, { variables: { id: changeId }, fetchPolicy: 'cache-and-network' });
  const [pushed, setPushed] = useState<MarginChangeFieldsFragment>();
  const live = useLiveSubscription(MarginChangeProgressDocument, {
    variables: { changeId },
    onData: (data) => setPushed(data.marginChangeProgress),
    onReconnect: () => void query.refetch(),
  });
  const view = laterView(laterView(initial, query.data?.marginChange), pushed);
  return { view, status: live.status, query };
}

/** Pushed / pending / retrying / failed counts, a progress bar, and the accounts the platform has not taken yet. */
export function ChangeProgress({ changeId, initial }: { changeId: string; initial?: MarginChangeFieldsFragment }) {
  const t = useT();
  const { locale } = useLocale();
  const { view, status, query } = useChangeProgress(changeId, initial);
  if (!view && query.loading) return <LoadingState />;
  if (!view) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const pct = progressPct(view);
  const n = (value: number) => new Intl.NumberFormat(locale).format(value);
  return (
    <Stack gap="sm" data-testid="change-progress" data-change-id={view.id} data-finished={String(view.finished)}>
      <Group justify="space-between">
        <Badge
          color={!view.finished ? 'blue' : view.failed > 0 ? 'red' : 'teal'}
          variant="dot"
          tt="none"
          size="lg"
          data-testid="change-state"
          data-state={!view.finished ? 'running' : view.failed > 0 ? 'failed' : 'done'}
        >
          {!view.finished
            ? t('risk.progress.running')
            : view.failed > 0
              ? t('risk.progress.finishedWithFailures', { count: view.failed })
              : t('risk.progress.done')}
        </Badge>
        {!view.finished && <LiveBadge status={status} testId="progress-live-state" />}
      </Group>
      <Progress
        value={pct}
        size="lg"
        color={view.failed > 0 ? 'red' : 'teal'}
        aria-label={t('risk.progress.label', { done: n(view.done + view.failed), total: n(view.total) })}
        data-testid="change-progress-bar"
      />
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        <Count label={t('risk.progress.total')} value={n(view.total)} testId="progress-total" />
        <Count label={t('risk.progress.pushed')} value={n(view.done)} testId="progress-done" />
        <Count label={t('risk.progress.pending')} value={n(view.pending)} testId="progress-pending" />
        <Count label={t('risk.progress.retrying')} value={n(view.retrying)} testId="progress-retrying" />
        <Count label={t('risk.progress.failed')} value={n(view.failed)} testId="progress-failed" />
      </SimpleGrid>
      {view.problems.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label={t('risk.progress.problems')} data-testid="progress-problems">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('risk.column.login')}</Table.Th>
                <Table.Th>{t('risk.column.status')}</Table.Th>
                <Table.Th ta="end">{t('risk.progress.attempts')}</Table.Th>
                <Table.Th>{t('risk.progress.error')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.problems.map((p) => (
                <Table.Tr key={p.login}>
                  <Table.Td ff="monospace">{p.login}</Table.Td>
                  <Table.Td>
                    <Badge color={p.status === 'FAILED' ? 'red' : 'orange'} variant="dot" tt="none">
                      {p.status === 'FAILED' ? t('risk.progress.failed') : t('risk.progress.retrying')}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="end">
                    <Num>{p.attempts}</Num>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{p.error ?? '—'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function Count({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={0} data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }} data-value={value}>
        {value}
      </Text>
    </Stack>
  );
}
