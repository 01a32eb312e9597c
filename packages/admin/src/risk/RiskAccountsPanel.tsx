import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Checkbox, Group, Paper, Select, Stack, Text } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { apiProblems } from '../api/errors';
import {
  type AccountRiskFieldsFragment,
  AssignRiskGroupDocument,
  type Book,
  RiskAccountsDocument,
  RiskGroupsDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { notify } from '../plans/notify';
import type { ScopedBrand } from '../ui/brand-scope';
import { DataTable, type DataColumns, dataColumns } from '../ui/DataTable';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { formatLevel } from './format';
import { MarginStatusBadge, Money, Num } from './parts';

type AccountRisk = AccountRiskFieldsFragment;
const ALL = 'all';

/** A brand's accounts with their live margin figures; writers move the selected ones to another risk group. */
export function RiskAccountsPanel({ brand, canWrite }: { brand: ScopedBrand; canWrite: boolean }) {
  const t = useT();
  const [groupId, setGroupId] = useState(ALL);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const groups = useQuery(RiskGroupsDocument, { variables: { brandId: brand.id }, fetchPolicy: 'cache-and-network' });
  const list = useQuery(RiskAccountsDocument, {
    variables: { brandId: brand.id, riskGroupId: groupId === ALL ? null : groupId },
    fetchPolicy: 'cache-and-network',
    pollInterval: 5_000,
  });
  const accounts = list.data?.riskAccounts;
  const toggle = useCallback(
    (id: string, on: boolean) =>
      setSelected((current) => {
        const next = new Set(current);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );
  const columns = useColumns(canWrite, selected, toggle);

  let body: React.ReactNode;
  if (!accounts && list.loading) body = <LoadingState />;
  else if (!accounts)
    body = <ErrorState title={t('risk.accounts.loadFailed')} error={list.error} onRetry={() => void list.refetch()} />;
  else if (accounts.length === 0)
    body = <EmptyState title={t('risk.accounts.empty')}>{t('risk.accounts.emptyHint')}</EmptyState>;
  else
    body = (
      <DataTable
        data={accounts}
        columns={columns}
        getRowId={(a) => a.platformAccountId}
        label={t('risk.accounts.tableLabel', { count: accounts.length })}
        rowTestId={(a) => `risk-account-${a.login}`}
        minWidth={1100}
        testId="risk-accounts-table"
      />
    );

  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="md">
        <Select
          label={t('risk.exposure.group')}
          data={[
            { value: ALL, label: t('risk.exposure.allGroups') },
            ...(groups.data?.riskGroups ?? []).map((g) => ({ value: g.id, label: g.name })),
          ]}
          value={groupId}
          onChange={(next) => {
            setGroupId(next ?? ALL);
            setSelected(new Set());
          }}
          allowDeselect={false}
          w={240}
          data-testid="risk-accounts-group"
        />
        {accounts && (
          <Text size="sm" c="dimmed" ms="auto">
            {t('risk.accounts.count', { count: accounts.length })}
          </Text>
        )}
      </Group>
      {canWrite && accounts && accounts.length > 0 && (
        <AssignBar
          brand={brand}
          selected={[...selected].filter((id) => accounts.some((a) => a.platformAccountId === id))}
          groups={groups.data?.riskGroups ?? []}
          onAssigned={() => {
            setSelected(new Set());
            void list.refetch();
            void groups.refetch();
          }}
        />
      )}
      {body}
    </Stack>
  );
}

function AssignBar({
  brand,
  selected,
  groups,
  onAssigned,
}: {
  brand: ScopedBrand;
  selected: string[];
  groups: { id: string; name: string; book: string }[];
  onAssigned(): void;
}) {
  const t = useT();
  const [target, setTarget] = useState<string | null>(null);
  const [book, setBook] = useState<Book>('B');
  const [problem, setProblem] = useState<string | null>(null);
  const [assign, { loading }] = useMutation(AssignRiskGroupDocument);
  const group = groups.find((g) => g.id === target);
  const run = async () => {
    if (!group) return;
    setProblem(null);
    try {
      const { data } = await assign({
        variables: {
          input: {
            platformAccountIds: selected,
            riskGroupId: group.id,
            book: group.book === 'BY_RULE' ? book : null,
          },
        },
      });
      notify({
        color: 'green',
        message: t('risk.accounts.assigned', { count: data?.assignRiskGroup ?? 0, name: group.name }),
        'data-testid': 'risk-assigned',
      });
      onAssigned();
    } catch (error) {
      setProblem(
        apiProblems(error)
          .map((p) => p.message)
          .join(' · '),
      );
    }
  };
  return (
    <Paper withBorder p="sm" component="section" aria-label={t('risk.accounts.assignTitle')}>
      <Group align="flex-end" gap="md">
        <Text size="sm" fw={600} role="status" aria-live="polite">
          {t('risk.accounts.selected', { count: selected.length })}
        </Text>
        <Select
          label={t('risk.accounts.moveTo')}
          data={groups.map((g) => ({ value: g.id, label: g.name }))}
          value={target}
          onChange={setTarget}
          w={240}
          data-testid="assign-group"
        />
        {group?.book === 'BY_RULE' && (
          <Select
            label={t('risk.column.book')}
            data={(['A', 'B'] as const).map((b) => ({ value: b, label: t(`risk.book.${b}`) }))}
            value={book}
            onChange={(v) => v && setBook(v as Book)}
            allowDeselect={false}
            w={140}
          />
        )}
        <Button
          onClick={() => void run()}
          disabled={!group || selected.length === 0}
          loading={loading}
          data-testid="assign-submit"
        >
          {t('risk.accounts.assign', { count: selected.length })}
        </Button>
      </Group>
      {problem && (
        <Alert color="red" role="alert" mt="sm">
          {problem}
        </Alert>
      )}
      <Text size="xs" c="dimmed" mt={4}>
        {t('risk.accounts.assignHint', { brand: brand.name })}
      </Text>
    </Paper>
  );
}

const helper = dataColumns<AccountRisk>();
const num = (v: string | null | undefined) => (v === null || v === undefined ? undefined : Number(v));

function useColumns(
  canWrite: boolean,
  selected: Set<string>,
  toggle: (id: string, on: boolean) => void,
): DataColumns<AccountRisk> {
  const t = useT();
  const { locale } = useLocale();
  return useMemo(
    () =>
      helper.columns([
        ...(canWrite
          ? [
              helper.display({
                id: 'select',
                header: () => <Text size="sm">{t('risk.accounts.select')}</Text>,
                meta: { width: 60 },
                cell: ({ row }) => (
                  <Checkbox
                    aria-label={t('risk.accounts.selectNamed', { login: row.original.login })}
                    checked={selected.has(row.original.platformAccountId)}
                    onChange={(e) => toggle(row.original.platformAccountId, e.currentTarget.checked)}
                  />
                ),
              }),
            ]
          : []),
        helper.accessor('login', {
          header: t('risk.column.login'),
          sortFn: 'alphanumeric',
          cell: ({ getValue }) => (
            <Text ff="monospace" size="sm">
              {getValue()}
            </Text>
          ),
        }),
        helper.accessor('riskGroupName', { header: t('risk.column.group'), sortFn: 'alphanumeric' }),
        helper.accessor('book', {
          header: t('risk.column.book'),
          sortFn: 'alphanumeric',
          cell: ({ row }) => t(`risk.book.${row.original.book}`),
        }),
        helper.accessor((a) => num(a.equity), {
          id: 'equity',
          header: t('risk.column.equity'),
          meta: { align: 'end' },
          cell: ({ row }) => <Money value={row.original.equity} currency={row.original.currency} />,
        }),
        helper.accessor((a) => num(a.margin), {
          id: 'margin',
          header: t('risk.column.usedMargin'),
          meta: { align: 'end' },
          cell: ({ row }) => <Money value={row.original.margin} currency={row.original.currency} />,
        }),
        helper.accessor((a) => num(a.marginLevel), {
          id: 'marginLevel',
          header: t('risk.column.marginLevel'),
          sortUndefined: 'last',
          meta: { align: 'end' },
          cell: ({ row }) => <Num>{formatLevel(row.original.marginLevel, locale)}</Num>,
        }),
        helper.accessor((a) => num(a.floatingPnl), {
          id: 'pnl',
          header: t('risk.column.floatingPnl'),
          meta: { align: 'end' },
          cell: ({ row }) => <Money value={row.original.floatingPnl} currency={row.original.currency} signed />,
        }),
        helper.accessor('positions', {
          header: t('risk.column.positions'),
          meta: { align: 'end' },
          cell: ({ getValue }) => <Num>{getValue()}</Num>,
        }),
        helper.accessor('status', {
          header: t('risk.column.status'),
          sortFn: 'alphanumeric',
          cell: ({ row }) => <MarginStatusBadge status={row.original.status} />,
        }),
      ]),
    [t, locale, canWrite, selected, toggle],
  );
}
