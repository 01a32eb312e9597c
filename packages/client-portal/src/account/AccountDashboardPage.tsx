import { useQuery, useSubscription } from '@apollo/client/react';
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Center,
  Container,
  Group,
  Loader,
  Paper,
  Progress,
  RingProgress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { connection } from '../api/client';
import {
  DashboardMetricsDocument,
  type DashboardMetricsFieldsFragment,
  type GaugeFieldsFragment,
  MyChallengeAccountDocument,
  type TraderFieldsFragment,
} from '../gql/graphql';
import type { MessageId } from '../i18n/locales';
import { useT } from '../i18n/useT';
import { barPercent, formatExact, formatInZone, roomLeft, TONE_COLOR, untilParts, usageTone } from './dashboard';
import { statusColor } from './format';

const LIVE = new Set(['ACTIVE', 'FUNDED']);

/**
 * `/accounts/:accountId`: one of the trader's accounts, live — a gauge per loss limit with the money
 * left before its floor, progress to the target, trading days, consistency and the next reset in
 * the trader's own time. Another trader's account is simply not found (the API decides).
 */
export function AccountDashboardPage({ trader, locale }: { trader: TraderFieldsFragment; locale: string }) {
  const t = useT();
  const { accountId = '' } = useParams();
  const query = useQuery(MyChallengeAccountDocument, {
    variables: { id: accountId, locale, timeZone: trader.timeZone },
    fetchPolicy: 'cache-and-network',
  });
  const { refetch } = query;
  const account = (query.data ?? query.previousData)?.challengeAccount;
  const [pushed, setPushed] = useState<{ of: unknown; metrics: DashboardMetricsFieldsFragment }>();
  const metrics = (pushed?.of === account ? pushed?.metrics : null) ?? account?.metrics ?? null;
  const status = metrics?.status ?? account?.status ?? '';

  useEffect(() => connection.onReconnected(() => void refetch()), [refetch]);
  useEffect(() => {
    if (account) document.title = `${account.planName} · ${account.login}`;
  }, [account]);
  useSubscription(DashboardMetricsDocument, {
    variables: { accountId },
    skip: !account || !LIVE.has(account.status),
    onData: ({ data }) => {
      const next = data.data?.accountMetrics;
      // A breach or pass changes more than the figures: read the account again.
      if (next && next.status !== account?.status) void refetch();
      else if (next) setPushed({ of: account, metrics: next });
    },
  });

  if (!account && query.loading) {
    return (
      <Center py="xl" role="status">
        <Loader size="sm" aria-label={t('account.accounts.loading')} />
      </Center>
    );
  }
  if (!account) {
    return (
      <Container size="sm" py="xl">
        <Alert color="red" role="alert" data-testid="dashboard-not-found">
          {t('dashboard.notFound')}
        </Alert>
      </Container>
    );
  }
  const money = (amount: string) => formatExact(amount, account.currency, locale);
  const until = untilParts(metrics?.nextReset, Date.now());

  return (
    <Box component="main" py={{ base: 32, sm: 48 }} data-testid="account-dashboard" data-status={status}>
      <Container size="lg">
        <Stack gap="lg">
          <Anchor component={Link} to="/accounts" size="sm">
            {t('dashboard.back')}
          </Anchor>
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={1}>{account.planName}</Title>
              <Text c="dimmed">
                {t('portal.catalogue.phase', { number: account.phaseIndex + 1, name: account.phaseName })} ·{' '}
                <span dir="ltr">{account.login}</span>
              </Text>
            </div>
            <Badge size="lg" color={statusColor(status)} variant="light" tt="none" data-testid="dashboard-status">
              {t(`account.status.${status}` as MessageId)}
            </Badge>
          </Group>

          {account.explanation && (
            <Alert
              color={
                account.explanation.kind === 'PASS' ? 'teal' : account.explanation.kind === 'BREACH' ? 'red' : 'gray'
              }
              title={account.explanation.title}
              role="status"
              data-testid="dashboard-explanation"
              data-kind={account.explanation.kind}
            >
              {account.explanation.text}
            </Alert>
          )}
          {account.payoutShare && (
            <Paper withBorder radius="md" p="md" data-testid="dashboard-payout">
              <Text fw={600}>{t('dashboard.payoutTitle')}</Text>
              <Text size="sm">
                {t('dashboard.payoutText', {
                  amount: money(account.payoutShare.trader),
                  profit: money(account.payoutShare.profit),
                })}
              </Text>
              {account.payoutShare.tiers.map((tier) => (
                <Text key={`${tier.pct}-${tier.profit}`} size="xs" c="dimmed">
                  {t('dashboard.payoutTier', {
                    percent: tier.pct,
                    profit: money(tier.profit),
                    amount: money(tier.trader),
                  })}
                </Text>
              ))}
            </Paper>
          )}

          {metrics ? (
            <>
              <SimpleGrid cols={{ base: 2, sm: 4 }}>
                <Figure
                  label={t('account.accounts.balance')}
                  value={money(metrics.balance)}
                  testId="dashboard-balance"
                />
                <Figure label={t('account.accounts.equity')} value={money(metrics.equity)} testId="dashboard-equity" />
                <Figure
                  label={t('dashboard.tradingDays')}
                  value={t('dashboard.daysOf', { days: metrics.tradingDays, min: metrics.minTradingDays })}
                  testId="dashboard-days"
                />
                <Figure
                  label={t('dashboard.nextReset')}
                  value={metrics.nextReset ? formatInZone(metrics.nextReset, locale, trader.timeZone) : '—'}
                  hint={until ? t('dashboard.inTime', { hours: until.hours, minutes: until.minutes }) : undefined}
                  testId="dashboard-reset"
                />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <LimitCard id="daily" title={t('dashboard.dailyLoss')} gauge={metrics.dailyLoss} money={money} />
                <LimitCard id="max" title={t('dashboard.maxLoss')} gauge={metrics.maxLoss} money={money} />
              </SimpleGrid>
              <TargetCard metrics={metrics} money={money} />
            </>
          ) : (
            <Text c="dimmed">{t('dashboard.noFigures')}</Text>
          )}
        </Stack>
      </Container>
    </Box>
  );
}

function Figure({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** One loss limit: how much of it is used, its floor, and the money left before the floor. */
function LimitCard({
  id,
  title,
  gauge,
  money,
}: {
  id: string;
  title: string;
  gauge: GaugeFieldsFragment | null | undefined;
  money: (amount: string) => string;
}) {
  const t = useT();
  if (!gauge) {
    return (
      <Paper withBorder radius="md" p="md" data-testid={`dashboard-gauge-${id}`}>
        <Text fw={600}>{title}</Text>
        <Text size="sm" c="dimmed">
          {t('dashboard.noLimit')}
        </Text>
      </Paper>
    );
  }
  const color = TONE_COLOR[usageTone(gauge.usedPct)];
  const used = Math.round(barPercent(gauge.usedPct));
  return (
    <Paper withBorder radius="md" p="md" data-testid={`dashboard-gauge-${id}`} data-used={gauge.usedPct}>
      <Group wrap="nowrap" gap="md">
        <RingProgress
          size={104}
          thickness={11}
          roundCaps
          sections={[{ value: barPercent(gauge.usedPct), color }]}
          label={
            <Text ta="center" fw={700} size="sm">
              {used} %
            </Text>
          }
          role="img"
          aria-label={t('dashboard.usedLabel', { name: title, percent: used })}
        />
        <Stack gap={2}>
          <Text fw={600}>{title}</Text>
          <Text size="sm">{t('dashboard.room', { amount: money(roomLeft(gauge.distance)) })}</Text>
          <Text size="sm" c="dimmed">
            {t('dashboard.floor', { floor: money(gauge.floor) })}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}

function TargetCard({
  metrics,
  money,
}: {
  metrics: DashboardMetricsFieldsFragment;
  money: (amount: string) => string;
}) {
  const t = useT();
  if (!metrics.profitTarget) {
    return (
      <Paper withBorder radius="md" p="md" data-testid="dashboard-target">
        <Text fw={600}>{t('dashboard.target')}</Text>
        <Text size="sm" c="dimmed">
          {t('dashboard.noTarget')}
        </Text>
      </Paper>
    );
  }
  const progress = Math.round(barPercent(metrics.progressPct));
  return (
    <Paper withBorder radius="md" p="md" data-testid="dashboard-target" data-progress={metrics.progressPct ?? 0}>
      <Group justify="space-between">
        <Text fw={600}>{t('dashboard.target')}</Text>
        <Text size="sm">{t('dashboard.targetOf', { amount: money(metrics.profitTarget) })}</Text>
      </Group>
      <Progress
        value={progress}
        size="lg"
        mt="sm"
        color="teal"
        aria-label={t('dashboard.progressLabel', { percent: progress })}
      />
      {metrics.consistencyPct !== null && metrics.consistencyPct !== undefined && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('dashboard.consistency', { percent: Math.round(metrics.consistencyPct) })}
        </Text>
      )}
    </Paper>
  );
}
