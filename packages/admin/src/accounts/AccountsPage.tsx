import { useQuery } from '@apollo/client/react';
import { Anchor, Button, Group, Select, Stack, Switch, Text } from '@mantine/core';
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ChallengeAccountsDocument, type ChallengeAccountFieldsFragment, IssuablePlansDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatMoney } from '../plans/format';
import { BrandScopedPage, type ScopedBrand } from '../ui/brand-scope';
import { DataTable, type DataColumns, dataColumns } from '../ui/DataTable';
import { formatPercent } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { AccountStatusBadge, UsageBar } from './AccountBadges';
import { changesStatus } from './feed';
import { IssueAccountModal } from './IssueAccountModal';
import { type FeedAccount, LiveFeed, useChallengeFeed } from './LiveFeed';
import { ACCOUNT_STATUSES } from './usage';
import './accounts.css';

type Account = ChallengeAccountFieldsFragment;

/** `/brands/:brandId/accounts`: the brand's challenge accounts, filters, a live feed and "Issue account". */
export function AccountsPage() {
  const t = useT();
  const navigate = useNavigate();
  const [issuing, setIssuing] = useState(false);
  return (
    <BrandScopedPage
      section="accounts"
      title={t('accounts.title')}
      subtitle={t('accounts.subtitle')}
      actions={(brand) => (
        <>
          <Button onClick={() => setIssuing(true)}>{t('issue.open')}</Button>
          <IssueAccountModal
            opened={issuing}
            onClose={() => setIssuing(false)}
            brand={brand}
            onIssued={(id) => navigate(`/accounts/${id}`)}
          />
        </>
      )}
    >
      {(brand) => <AccountsView key={brand.id} brand={brand} />}
    </BrandScopedPage>
  );
}

const ALL = 'all';

function AccountsView({ brand }: { brand: ScopedBrand }) {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const planId = params.get('plan');
  const nearBreach = params.get('near') === '1';
  const filtered = Boolean(status || planId || nearBreach);

  const setParam = (name: string, value: string | null) =>
    setParams(
      (p) => {
        if (value) p.set(name, value);
        else p.delete(name);
        return p;
      },
      { replace: true },
    );

  // Figures move all the time: the list refreshes while shown, and at once on a breach or pass.
  const list = useQuery(ChallengeAccountsDocument, {
    variables: { brandId: brand.id, status, planId, nearBreach: nearBreach || null },
    fetchPolicy: 'cache-and-network',
    pollInterval: 10_000,
  });
  // Every account of the brand, for the names in the feed (the same query when nothing is filtered).
  const all = useQuery(ChallengeAccountsDocument, {
    variables: { brandId: brand.id, status: null, planId: null, nearBreach: null },
    fetchPolicy: 'cache-first',
    skip: !filtered,
  });
  const plans = useQuery(IssuablePlansDocument, { variables: { brandId: brand.id }, fetchPolicy: 'cache-and-network' });

  const refetchSoon = useRef<number | undefined>(undefined);
  const feed = useChallengeFeed(brand.id, (kind) => {
    if (!changesStatus(kind)) return;
    window.clearTimeout(refetchSoon.current);
    refetchSoon.current = window.setTimeout(() => {
      void list.refetch();
      if (filtered) void all.refetch();
    }, 500);
  });

  const everyone = (filtered ? all.data : list.data)?.challengeAccounts;
  const byId = useMemo(() => {
    const map = new Map<string, FeedAccount>();
    for (const a of everyone ?? []) map.set(a.id, a);
    return map;
  }, [everyone]);

  const accounts = list.data?.challengeAccounts;
  const columns = useAccountColumns();

  let body: React.ReactNode;
  if (!accounts && list.loading) body = <LoadingState />;
  else if (!accounts)
    body = <ErrorState title={t('accounts.loadFailed')} error={list.error} onRetry={() => void list.refetch()} />;
  else if (accounts.length === 0)
    body = (
      <EmptyState title={filtered ? t('accounts.noMatch') : t('accounts.empty')}>
        {filtered ? t('accounts.noMatchHint') : t('accounts.emptyHint')}
      </EmptyState>
    );
  else
    body = (
      <DataTable
        data={accounts}
        columns={columns}
        getRowId={(a) => a.id}
        label={t('accounts.tableLabel', { count: accounts.length })}
        rowTestId={(a) => `account-row-${a.login}`}
        rowHeight={58}
        minWidth={1080}
        testId="accounts-table"
      />
    );

  return (
    <div className="bd-accounts-layout">
      <Stack gap="sm" miw={0}>
        <Group align="flex-end" gap="md">
          <Select
            label={t('accounts.filter.status')}
            data={[
              { value: ALL, label: t('accounts.filter.allStatuses') },
              ...ACCOUNT_STATUSES.map((s) => ({ value: s, label: t(`accounts.status.${s}`) })),
            ]}
            value={status ?? ALL}
            onChange={(next) => setParam('status', next === ALL ? null : next)}
            allowDeselect={false}
            w={180}
            data-testid="filter-status"
          />
          <Select
            label={t('accounts.filter.plan')}
            data={[
              { value: ALL, label: t('accounts.filter.allPlans') },
              ...(plans.data?.planCatalogue.plans ?? []).map((p) => ({ value: p.id, label: p.name })),
            ]}
            value={planId ?? ALL}
            onChange={(next) => setParam('plan', next === ALL ? null : next)}
            allowDeselect={false}
            w={240}
            data-testid="filter-plan"
          />
          <Switch
            label={t('accounts.filter.nearBreach')}
            description={t('accounts.filter.nearBreachHint')}
            checked={nearBreach}
            onChange={(e) => setParam('near', e.currentTarget.checked ? '1' : null)}
            data-testid="filter-near-breach"
          />
          {accounts && (
            <Text size="sm" c="dimmed" ms="auto" data-testid="accounts-count">
              {t('accounts.count', { count: accounts.length })}
            </Text>
          )}
        </Group>
        {body}
      </Stack>
      <div className="bd-accounts-feed">
        <LiveFeed
          items={feed.items}
          status={feed.status}
          accounts={byId}
          timeZone={brand.timeZone}
          currency={brand.currency}
        />
      </div>
    </div>
  );
}

const helper = dataColumns<Account>();
const num = (value: string | null | undefined) => (value === null || value === undefined ? undefined : Number(value));

function useAccountColumns(): DataColumns<Account> {
  const t = useT();
  const { locale } = useLocale();
  return useMemo(
    () =>
      helper.columns([
        helper.accessor('traderName', {
          header: t('accounts.column.trader'),
          sortFn: 'alphanumeric',
          cell: ({ row }) => (
            <Stack gap={0} miw={0}>
              <Anchor
                component={Link}
                to={`/accounts/${row.original.id}`}
                fw={600}
                size="sm"
                data-testid="account-link"
              >
                {row.original.traderName}
              </Anchor>
              <Text size="xs" c="dimmed" truncate maw={190} title={row.original.traderEmail}>
                {row.original.traderEmail}
              </Text>
            </Stack>
          ),
        }),
        helper.accessor((a) => `${a.planName} ${a.phaseName}`, {
          id: 'plan',
          header: t('accounts.column.plan'),
          sortFn: 'alphanumeric',
          cell: ({ row }) => (
            <Stack gap={0}>
              <Text size="sm" truncate maw={170} title={row.original.planName}>
                {row.original.planName}
              </Text>
              <Text size="xs" c="dimmed">
                {row.original.phaseName}
              </Text>
            </Stack>
          ),
        }),
        helper.accessor('login', {
          header: t('accounts.column.login'),
          sortFn: 'alphanumeric',
          cell: ({ getValue }) => (
            <Text ff="monospace" size="sm">
              {getValue()}
            </Text>
          ),
        }),
        helper.accessor('status', {
          header: t('accounts.column.status'),
          meta: { width: 140 },
          sortFn: 'alphanumeric',
          cell: ({ row }) => <AccountStatusBadge status={row.original.status} review={row.original.review} />,
        }),
        helper.accessor((a) => num(a.metrics?.balance ?? a.initialBalance), {
          id: 'balance',
          header: t('accounts.column.balance'),
          sortUndefined: 'last',
          meta: { align: 'end' },
          cell: ({ row }) => (
            <Text size="sm" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
              <bdi>
                {formatMoney(
                  row.original.metrics?.balance ?? row.original.initialBalance,
                  row.original.currency,
                  locale,
                  true,
                )}
              </bdi>
            </Text>
          ),
        }),
        helper.accessor((a) => num(a.metrics?.equity), {
          id: 'equity',
          header: t('accounts.column.equity'),
          sortUndefined: 'last',
          meta: { align: 'end' },
          cell: ({ row }) => (
            <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
              <bdi>
                {row.original.metrics
                  ? formatMoney(row.original.metrics.equity, row.original.currency, locale, true)
                  : '—'}
              </bdi>
            </Text>
          ),
        }),
        helper.accessor((a) => a.metrics?.dailyLoss?.usedPct, {
          id: 'dailyLoss',
          header: t('accounts.column.dailyLoss'),
          sortUndefined: 'last',
          meta: { align: 'end' },
          cell: ({ row }) => (
            <UsageBar
              usedPct={row.original.metrics?.dailyLoss?.usedPct}
              label={t('accounts.usedOf', { name: row.original.traderName, rule: t('accounts.rule.DAILY_LOSS') })}
            />
          ),
        }),
        helper.accessor((a) => a.metrics?.maxLoss?.usedPct, {
          id: 'maxLoss',
          header: t('accounts.column.maxLoss'),
          sortUndefined: 'last',
          meta: { align: 'end' },
          cell: ({ row }) => (
            <UsageBar
              usedPct={row.original.metrics?.maxLoss?.usedPct}
              label={t('accounts.usedOf', { name: row.original.traderName, rule: t('accounts.rule.MAX_LOSS') })}
            />
          ),
        }),
        helper.accessor((a) => a.metrics?.progressPct ?? undefined, {
          id: 'progress',
          header: t('accounts.column.progress'),
          sortUndefined: 'last',
          meta: { align: 'end' },
          cell: ({ row }) => (
            <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatPercent(row.original.metrics?.progressPct, locale)}
            </Text>
          ),
        }),
      ]),
    [t, locale],
  );
}
