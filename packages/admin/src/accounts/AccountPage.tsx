import { useQuery } from '@apollo/client/react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { hasCode } from '../api/errors';
import { useLiveSubscription } from '../api/useLiveSubscription';
import {
  AccountAuditEntriesDocument,
  AccountMetricsDocument,
  type AccountMetricsFieldsFragment,
  ChallengeAccountDocument,
  type ChallengeAccountFieldsFragment,
  type ChallengeAccountQuery,
  ChallengeStatusDocument,
  ChallengeTimelineDocument,
  EquitySeriesDocument,
  MeDocument,
  PlanBrandsDocument,
  type TransitionFieldsFragment,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { browserTimeZone, formatDateTime, formatMoney } from '../plans/format';
import { rememberBrand } from '../ui/brand-scope';
import { formatNumber, formatPercent, isolate } from '../ui/format';
import { LiveBadge } from '../ui/LiveBadge';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { AccountStatusBadge } from './AccountBadges';
import { chartModel, throttle } from './chart-model';
import { CorrectionReviewDialog } from './CorrectionReviewDialog';
import { canResolveCorrectionReview } from './correction-review';
import { EquityChart } from './EquityChart';
import { explainTransition } from './explain';
import { LimitGauges } from './LimitGauges';
import { ReviewPanel } from './ReviewPanel';
import { StaffActions } from './StaffActions';
import { canReadAudit, visibleStaffActions } from './staff-actions';
import { TimelineBullet } from './TimelineBullet';
import { describeEntry, timelineEntries } from './timeline';
import { awaitsReview, rejectionReason } from './usage';

const SERIES_POINTS = 1_000;

/** `/accounts/:accountId`: one challenge account, its live figures, equity against the floors and its history. */
export function AccountPage() {
  const t = useT();
  const { locale } = useLocale();
  const { accountId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(ChallengeAccountDocument, {
    // The API renders the explanation in the reader's language, with times also in their zone.
    variables: { id: accountId, locale, timeZone: browserTimeZone() },
    fetchPolicy: 'cache-and-network',
  });
  const account = data?.challengeAccount;

  if (!account && loading) return <LoadingState />;
  if (!account) {
    return hasCode(error, 'NOT_FOUND') ? (
      <EmptyState title={t('account.notFound')}>{t('account.notFoundBody')}</EmptyState>
    ) : (
      <ErrorState title={t('account.loadFailed')} error={error} onRetry={() => void refetch()} />
    );
  }
  return (
    <AccountView
      key={account.id}
      account={account}
      explanation={account.explanation ?? null}
      payoutShare={account.payoutShare ?? null}
      availableStaffActions={account.availableStaffActions}
      refetchAccount={() => void refetch()}
    />
  );
}

type AccountExtras = NonNullable<ChallengeAccountQuery['challengeAccount']>;

function AccountView({
  account,
  explanation,
  payoutShare,
  availableStaffActions,
  refetchAccount,
}: {
  account: ChallengeAccountFieldsFragment;
  explanation: AccountExtras['explanation'];
  payoutShare: AccountExtras['payoutShare'];
  availableStaffActions: readonly string[];
  refetchAccount(): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  // The buttons a member sees: the actions that apply now, for the roles they hold on this brand.
  const grants = useQuery(MeDocument, { fetchPolicy: 'cache-first' }).data?.me?.grants ?? [];
  const staffActions = visibleStaffActions(availableStaffActions, grants, account.brandId);
  const readsAudit = canReadAudit(grants, account.brandId);
  const resolvesReviews = canResolveCorrectionReview(grants, account.brandId);
  // The correction (its timeline entry's id) whose review dialog is open.
  const [reviewing, setReviewing] = useState<string | null>(null);
  const brands = useQuery(PlanBrandsDocument, { fetchPolicy: 'cache-first' });
  const brand = brands.data?.brands.find((b) => b.id === account.brandId);
  const timeZone = brand?.timeZone ?? browserTimeZone();
  useEffect(() => rememberBrand(account.brandId), [account.brandId]);

  const timeline = useQuery(ChallengeTimelineDocument, {
    variables: { accountId: account.id },
    fetchPolicy: 'cache-and-network',
  });
  // Who did each staff action and why, and what a correction changed, are in the account's audit entries.
  const auditEntries = useQuery(AccountAuditEntriesDocument, {
    variables: {
      filter: { brandId: account.brandId, targetType: 'ChallengeAccount', targetId: account.id, limit: 200 },
    },
    skip: !readsAudit,
    fetchPolicy: 'cache-and-network',
  });
  const series = useQuery(EquitySeriesDocument, {
    variables: { accountId: account.id, limit: SERIES_POINTS },
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'network-only',
  });

  // Live figures replace the loaded ones; the chart's series follows them (at most every 2 s).
  const [live, setLive] = useState<AccountMetricsFieldsFragment | null>(null);
  const refetchSeries = useMemo(() => throttle(() => void series.refetch(), 2_000), [series.refetch]);
  useEffect(() => () => refetchSeries.cancel(), [refetchSeries]);
  const ended = !['ACTIVE', 'FUNDED'].includes(account.status);

  const metricsFeed = useLiveSubscription(AccountMetricsDocument, {
    variables: { accountId: account.id },
    onData: (data) => {
      setLive(data.accountMetrics);
      refetchSeries();
    },
    onReconnect: () => {
      refetchAccount();
      void series.refetch();
    },
  });
  useLiveSubscription(ChallengeStatusDocument, {
    variables: { accountId: account.id },
    onData: () => {
      refetchAccount();
      void timeline.refetch();
      if (readsAudit) void auditEntries.refetch();
      void series.refetch();
    },
    onReconnect: () => void timeline.refetch(),
  });

  const metrics = live ?? account.metrics ?? null;
  const model = useMemo(
    () =>
      chartModel(series.data?.equitySeries ?? [], {
        dailyFloor: metrics?.dailyLoss?.floor,
        maxFloor: metrics?.maxLoss?.floor,
        target: metrics?.profitTarget,
        initial: account.initialBalance,
      }),
    [series.data, metrics, account.initialBalance],
  );

  const transitions = timeline.data?.challengeTimeline ?? [];
  const entries = useMemo(
    () => timelineEntries(transitions, readsAudit ? (auditEntries.data?.auditTrail ?? null) : null),
    [transitions, readsAudit, auditEntries.data],
  );
  const context = { locale, currency: account.currency, timeZone };
  const breach = breachOf(account, transitions);
  const rejected = rejectionReason(account);
  const money = (amount: string | null | undefined) =>
    amount ? formatMoney(amount, account.currency, locale, true) : '—';

  return (
    <Stack>
      <Anchor component={Link} to={`/brands/${account.brandId}/accounts`} size="sm">
        {brand ? t('account.back', { brand: brand.name }) : t('account.backAll')}
      </Anchor>

      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>{account.traderName}</Title>
            <AccountStatusBadge status={account.status} review={account.review} />
          </Group>
          <Text size="sm" c="dimmed">
            {t('account.subtitle', {
              email: isolate(account.traderEmail, locale),
              plan: isolate(account.planName, locale),
              phase: isolate(account.phaseName, locale),
              login: isolate(account.login, locale),
            })}
            {account.previousAccountId && (
              <>
                {' · '}
                <Anchor component={Link} to={`/accounts/${account.previousAccountId}`} size="sm" underline="always">
                  {t('account.previousPhase')}
                </Anchor>
              </>
            )}
          </Text>
        </Stack>
        {!ended && <LiveBadge status={metricsFeed.status} testId="account-live-state" />}
      </Group>

      {awaitsReview(account) && (
        <ReviewPanel
          accountId={account.id}
          traderName={account.traderName}
          onDone={() => {
            refetchAccount();
            void timeline.refetch();
          }}
        />
      )}

      <StaffActions
        account={account}
        actions={staffActions}
        onDone={(result) => {
          // A reset answers with the new attempt: the page follows it.
          if (result.id !== account.id) {
            void navigate(`/accounts/${result.id}`);
            return;
          }
          refetchAccount();
          void timeline.refetch();
          if (readsAudit) void auditEntries.refetch();
          void series.refetch();
        }}
      />

      {explanation ? (
        <Alert
          color={explanation.kind === 'PASS' ? 'teal' : explanation.kind === 'CLOSED' ? 'gray' : 'red'}
          variant="light"
          title={explanation.title}
          data-testid="breach-explanation"
        >
          <Text size="sm">{explanation.text}</Text>
        </Alert>
      ) : (
        breach && <BreachExplanation transition={breach} context={context} />
      )}

      {rejected !== null && (
        <Alert color="gray" title={t('account.rejectedTitle')} data-testid="rejection">
          <Text size="sm">{t('account.rejectedBody', { reason: isolate(rejected, locale) })}</Text>
        </Alert>
      )}

      {metrics ? (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} data-testid="account-figures">
            <Figure id="balance" label={t('account.figure.balance')} value={money(metrics.balance)} />
            <Figure id="equity" label={t('account.figure.equity')} value={money(metrics.equity)} strong />
            <Figure id="initial" label={t('account.figure.initial')} value={money(metrics.initialBalance)} />
            <Figure
              id="openPositions"
              label={t('account.figure.openPositions')}
              value={formatNumber(metrics.openPositions, locale)}
            />
            <Figure
              id="consistency"
              label={t('account.figure.consistency')}
              value={formatPercent(metrics.consistencyPct, locale)}
            />
            {payoutShare && (
              <Figure id="payoutShare" label={t('account.figure.payoutShare')} value={money(payoutShare.trader)} />
            )}
            <Figure
              id="nextReset"
              label={t('account.figure.nextReset')}
              value={ended ? '—' : formatDateTime(metrics.nextReset, locale, timeZone)}
              small
            />
          </SimpleGrid>
          <LimitGauges metrics={metrics} currency={account.currency} />
        </>
      ) : (
        <Alert color="gray" title={t('account.noFigures')}>
          {t('account.noFiguresHint')}
        </Alert>
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Paper withBorder radius="md" p="md" component="section" aria-labelledby="equity-heading">
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h4" id="equity-heading">
                {t('chart.title')}
              </Title>
              <Text size="xs" c="dimmed">
                {t('chart.zone', { zone: timeZone })}
              </Text>
            </Group>
            {!series.data && series.loading && <LoadingState />}
            {!series.data && series.error && <ErrorState error={series.error} onRetry={() => void series.refetch()} />}
            {series.data &&
              (model.points.length === 0 ? (
                <EmptyState title={t('chart.empty')}>{t('chart.emptyHint')}</EmptyState>
              ) : (
                <EquityChart model={model} currency={account.currency} timeZone={timeZone} />
              ))}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Paper withBorder radius="md" p="md" component="section" aria-labelledby="timeline-heading" h="100%">
            <Title order={3} size="h4" id="timeline-heading" mb="sm">
              {t('timeline.title')}
            </Title>
            {!timeline.data && timeline.loading && <LoadingState />}
            {!timeline.data && timeline.error && (
              <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />
            )}
            {timeline.data && (
              <Timeline active={entries.length} bulletSize={20} lineWidth={2} data-testid="timeline">
                <Timeline.Item title={t('timeline.issued')} data-testid="timeline-item">
                  <Text size="xs" c="dimmed">
                    {formatDateTime(account.createdAt, locale, timeZone)}
                  </Text>
                </Timeline.Item>
                {entries.map((entry) => {
                  const text = describeEntry(t, entry, context);
                  return (
                    <Timeline.Item
                      key={entry.key}
                      title={
                        text.needsReview ? (
                          <Group gap={6} wrap="wrap">
                            {text.title}
                            <Badge color="orange" variant="light" tt="none" data-testid="timeline-needs-review">
                              {t('timeline.correction.needsReview')}
                            </Badge>
                            {resolvesReviews && entry.transition.id && (
                              <Button
                                size="compact-xs"
                                variant="light"
                                color="orange.9"
                                onClick={() => setReviewing(entry.transition.id ?? null)}
                                data-testid="timeline-resolve-review"
                              >
                                {t('timeline.correction.resolve')}
                              </Button>
                            )}
                          </Group>
                        ) : (
                          text.title
                        )
                      }
                      color={text.color}
                      bullet={<TimelineBullet source={text.source} />}
                      data-testid="timeline-item"
                      data-kind={entry.transition.kind}
                      data-entry={entry.kind}
                      data-source={text.source}
                    >
                      <Text size="sm">{text.body}</Text>
                      {text.reviewed && (
                        <Text
                          size="sm"
                          fw={600}
                          mt={4}
                          data-testid="timeline-reviewed"
                          data-decision={text.reviewed.decision}
                        >
                          {text.reviewed.text}
                        </Text>
                      )}
                      {text.details.length > 0 && (
                        <List size="xs" c="dimmed" listStyleType="none" spacing={2} mt={4}>
                          {text.details.map((d) => (
                            <List.Item key={d.id} data-testid={`timeline-${d.id}`}>
                              {d.text}
                            </List.Item>
                          ))}
                        </List>
                      )}
                    </Timeline.Item>
                  );
                })}
              </Timeline>
            )}
            {reviewing && (
              <CorrectionReviewDialog
                key={reviewing}
                accountId={account.id}
                transitionId={reviewing}
                traderName={account.traderName}
                onClose={() => setReviewing(null)}
                onDone={() => {
                  setReviewing(null);
                  refetchAccount();
                  void timeline.refetch();
                  if (readsAudit) void auditEntries.refetch();
                }}
              />
            )}
            {timeline.data && transitions.length === 0 && (
              <Text size="sm" c="dimmed" mt="sm">
                {t('timeline.empty')}
              </Text>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** The breach that ended the account: its transition, or what the account itself records. */
function breachOf(
  account: ChallengeAccountFieldsFragment,
  transitions: readonly TransitionFieldsFragment[],
): TransitionFieldsFragment | null {
  if (account.status !== 'BREACHED') return null;
  const recorded = [...transitions].reverse().find((tr) => tr.kind === 'BREACH');
  if (recorded) return recorded;
  if (!account.endedAt) return null;
  return {
    accountId: account.id,
    kind: 'BREACH',
    rule: account.endedRule ?? null,
    at: account.endedAt,
    floor: null,
    equity: null,
    seq: 0,
    threshold: null,
  };
}

function BreachExplanation({
  transition,
  context,
}: {
  transition: TransitionFieldsFragment;
  context: { locale: string; currency: string; timeZone: string };
}) {
  const t = useT();
  const text = explainTransition(t, transition, context);
  return (
    <Alert color="red" variant="light" title={text.title} data-testid="breach-explanation">
      <Text size="sm">{text.body}</Text>
    </Alert>
  );
}

function Figure({
  id,
  label,
  value,
  strong,
  small,
}: {
  id: string;
  label: string;
  value: string;
  strong?: boolean;
  small?: boolean;
}) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text
        fz={small ? 'sm' : 'xl'}
        fw={strong ? 800 : 600}
        data-testid={`figure-${id}`}
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        <bdi>{value}</bdi>
      </Text>
    </Paper>
  );
}
