import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import {
  type MarginChangeFieldsFragment,
  MarginChangesDocument,
  RiskGroupsDocument,
  RollbackMarginChangeDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import type { ScopedBrand } from '../ui/brand-scope';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { ChangeProgress } from './ChangeProgress';
import { formatLeverage } from './format';
import { canRollBack, progressPct } from './margin-change';
import { ConfirmModal, Num } from './parts';

type Change = MarginChangeFieldsFragment;

/** The brand's latest margin changes with their push progress; each can be followed live or rolled back once. */
export function MarginChangesPanel({ brand, canWrite }: { brand: ScopedBrand; canWrite: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const { data, loading, error, refetch } = useQuery(MarginChangesDocument, {
    variables: { brandId: brand.id },
    fetchPolicy: 'cache-and-network',
    pollInterval: 5_000,
  });
  const groups = useQuery(RiskGroupsDocument, { variables: { brandId: brand.id }, fetchPolicy: 'cache-first' });
  const [viewing, setViewing] = useState<Change | null>(null);
  const [rollingBack, setRollingBack] = useState<Change | null>(null);
  const [undo] = useMutation(RollbackMarginChangeDocument, {
    refetchQueries: [{ query: MarginChangesDocument, variables: { brandId: brand.id } }],
  });
  const names = new Map((groups.data?.riskGroups ?? []).map((g) => [g.id, g.name]));

  const changes = data?.marginChanges;
  if (!changes && loading) return <LoadingState />;
  if (!changes) return <ErrorState title={t('risk.changes.loadFailed')} error={error} onRetry={() => void refetch()} />;
  if (changes.length === 0)
    return <EmptyState title={t('risk.changes.empty')}>{t('risk.changes.emptyHint')}</EmptyState>;

  const what = (c: Change) => (c.assetClass ? t(`risk.assetClass.${c.assetClass}`) : (c.symbols ?? []).join(', '));
  const whom = (c: Change) =>
    c.riskGroupIds.length === 0
      ? t('risk.exposure.allGroups')
      : c.riskGroupIds.map((id) => names.get(id) ?? id).join(', ');

  return (
    <>
      <Table.ScrollContainer minWidth={1000}>
        <Table striped aria-label={t('risk.changes.tableLabel')} data-testid="margin-changes-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('risk.changes.who')}</Table.Th>
              <Table.Th>{t('risk.changes.what')}</Table.Th>
              <Table.Th ta="end">{t('risk.change.leverage')}</Table.Th>
              <Table.Th>{t('risk.change.groups')}</Table.Th>
              <Table.Th>{t('risk.changes.progress')}</Table.Th>
              <Table.Th>{t('risk.column.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changes.map((c) => (
              <Table.Tr key={c.id} data-testid={`margin-change-${c.id}`}>
                <Table.Td>
                  <Text size="sm">{c.actor ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Text size="sm">{what(c)}</Text>
                    {c.rollbackOf && (
                      <Badge size="sm" variant="dot" color="orange" tt="none">
                        {t('risk.changes.isRollback')}
                      </Badge>
                    )}
                    {c.rolledBackBy && (
                      <Badge size="sm" variant="dot" color="gray" tt="none" data-testid="rolled-back">
                        {t('risk.changes.wasRolledBack')}
                      </Badge>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td ta="end">
                  <Num>{c.rollbackOf ? t('risk.changes.previousValues') : formatLeverage(c.leverage, locale)}</Num>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{whom(c)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {t('risk.changes.progressText', {
                      done: c.done,
                      total: c.total,
                      failed: c.failed,
                      pct: progressPct(c),
                    })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="compact-sm" variant="default" onClick={() => setViewing(c)}>
                      {t('risk.changes.view')}
                    </Button>
                    {canWrite && canRollBack(c) && (
                      <Button size="compact-sm" variant="outline" color="red.9" onClick={() => setRollingBack(c)}>
                        {t('risk.change.rollback')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal
        opened={viewing !== null}
        onClose={() => setViewing(null)}
        size="xl"
        title={viewing ? t('risk.changes.viewTitle', { what: what(viewing) }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {viewing && <ChangeProgress key={viewing.id} changeId={viewing.id} initial={viewing} />}
      </Modal>
      <ConfirmModal
        opened={rollingBack !== null}
        title={t('risk.change.rollbackTitle')}
        body={t('risk.change.rollbackBody')}
        confirmLabel={t('risk.change.rollback')}
        onClose={() => setRollingBack(null)}
        onConfirm={async () => {
          if (!rollingBack) return;
          const { data } = await undo({ variables: { changeId: rollingBack.id } });
          if (data) setViewing(data.rollbackMarginChange);
        }}
        testId="confirm-rollback-history"
      />
    </>
  );
}
