import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { DeleteRiskGroupDocument, type RiskGroupFieldsFragment, RiskGroupsDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { notify } from '../plans/notify';
import type { ScopedBrand } from '../ui/brand-scope';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { ASSET_CLASSES, formatLeverage, formatLevel } from './format';
import { ConfirmModal, Num } from './parts';
import { RiskGroupModal } from './RiskGroupModal';

type RiskGroup = RiskGroupFieldsFragment;

/** A brand's risk groups: leverage per asset class, levels, hedging, book; edit and delete for writers. */
export function RiskGroupsPanel({ brand, canWrite }: { brand: ScopedBrand; canWrite: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const { data, loading, error, refetch } = useQuery(RiskGroupsDocument, {
    variables: { brandId: brand.id },
    fetchPolicy: 'cache-and-network',
  });
  const [editing, setEditing] = useState<RiskGroup | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RiskGroup | null>(null);
  const [remove] = useMutation(DeleteRiskGroupDocument, {
    refetchQueries: [{ query: RiskGroupsDocument, variables: { brandId: brand.id } }],
    awaitRefetchQueries: true,
  });

  const groups = data?.riskGroups;
  let body: React.ReactNode;
  if (!groups && loading) body = <LoadingState />;
  else if (!groups)
    body = <ErrorState title={t('risk.groups.loadFailed')} error={error} onRetry={() => void refetch()} />;
  else if (groups.length === 0)
    body = <EmptyState title={t('risk.groups.empty')}>{t('risk.groups.emptyHint')}</EmptyState>;
  else
    body = (
      <Table.ScrollContainer minWidth={1200}>
        <Table striped highlightOnHover aria-label={t('risk.groups.tableLabel')} data-testid="risk-groups-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('risk.column.name')}</Table.Th>
              <Table.Th ta="end">{t('risk.column.accounts')}</Table.Th>
              {ASSET_CLASSES.map((c) => (
                <Table.Th key={c} ta="end" style={{ whiteSpace: 'nowrap' }}>
                  {t(`risk.assetClassShort.${c}`)}
                </Table.Th>
              ))}
              <Table.Th>{t('risk.column.overrides')}</Table.Th>
              <Table.Th ta="end">{t('risk.column.levels')}</Table.Th>
              <Table.Th>{t('risk.column.hedging')}</Table.Th>
              <Table.Th>{t('risk.column.book')}</Table.Th>
              <Table.Th>{t('risk.column.protection')}</Table.Th>
              {canWrite && <Table.Th>{t('risk.column.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((g) => (
              <Table.Tr key={g.id} data-testid={`risk-group-${g.name}`}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={600}>
                      {g.name}
                    </Text>
                    {g.isDefault && (
                      <Badge size="sm" variant="dot" tt="none">
                        {t('risk.groups.default')}
                      </Badge>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {g.platformGroup}
                  </Text>
                </Table.Td>
                <Table.Td ta="end">
                  <Num>{g.accounts}</Num>
                </Table.Td>
                {ASSET_CLASSES.map((c) => (
                  <Table.Td key={c} ta="end" data-testid={`leverage-${c}`}>
                    <Num>{formatLeverage(g.leverage[c], locale)}</Num>
                  </Table.Td>
                ))}
                <Table.Td>
                  <Text size="xs">
                    {g.symbolLeverage.length === 0
                      ? '—'
                      : g.symbolLeverage.map((s) => `${s.symbol} ${formatLeverage(s.leverage, locale)}`).join(', ')}
                  </Text>
                </Table.Td>
                <Table.Td ta="end">
                  <Num>
                    {formatLevel(g.marginCallLevel, locale)} / {formatLevel(g.stopOutLevel, locale)}
                  </Num>
                </Table.Td>
                <Table.Td>{t(`risk.hedging.${g.hedging}`)}</Table.Td>
                <Table.Td>{t(`risk.bookPolicy.${g.book}`)}</Table.Td>
                <Table.Td>{g.negativeBalanceProtection ? t('risk.groups.on') : t('risk.groups.off')}</Table.Td>
                {canWrite && (
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant="default"
                        onClick={() => setEditing(g)}
                        aria-label={t('risk.groups.editNamed', { name: g.name })}
                      >
                        {t('risk.groups.edit')}
                      </Button>
                      <DeleteButton group={g} onClick={() => setDeleting(g)} />
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  return (
    <Stack gap="sm">
      {canWrite && (
        <Group justify="flex-end">
          <Button onClick={() => setEditing('new')} data-testid="new-risk-group">
            {t('risk.groups.new')}
          </Button>
        </Group>
      )}
      {body}
      <RiskGroupModal
        key={editing === null ? 'closed' : editing === 'new' ? 'new' : editing.id}
        brand={brand}
        group={editing === 'new' ? null : editing}
        opened={editing !== null}
        onClose={() => setEditing(null)}
      />
      <ConfirmModal
        opened={deleting !== null}
        title={t('risk.groups.deleteTitle', { name: deleting?.name ?? '' })}
        body={t('risk.groups.deleteBody')}
        confirmLabel={t('risk.groups.delete')}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await remove({ variables: { id: deleting.id } });
          notify({ color: 'green', message: t('risk.groups.deleted', { name: deleting.name }) });
        }}
        testId="delete-risk-group"
      />
    </Stack>
  );
}

/** Only an empty group that is not the brand's default can go; the button says why otherwise. */
function DeleteButton({ group, onClick }: { group: RiskGroup; onClick(): void }) {
  const t = useT();
  const reason = group.isDefault
    ? t('risk.groups.cannotDeleteDefault')
    : group.accounts > 0
      ? t('risk.groups.cannotDeleteUsed')
      : null;
  const button = (
    <Button
      size="compact-sm"
      variant="outline"
      color="red.9"
      disabled={reason !== null}
      onClick={onClick}
      aria-label={t('risk.groups.deleteNamed', { name: group.name })}
    >
      {t('risk.groups.delete')}
    </Button>
  );
  return reason ? (
    <Tooltip label={reason}>
      <span>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}
