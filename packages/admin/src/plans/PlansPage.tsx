import { useApolloClient, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { Anchor, Badge, Button, Group, Paper, Select, Stack, Switch, Text, Title, VisuallyHidden } from '@mantine/core';
import { notify } from './notify';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { apiProblems, hasCode } from '../api/errors';
import {
  type PlanListFieldsFragment,
  PlanBrandsDocument,
  PlanCatalogueDocument,
  PhaseOrderChangedDocument,
  PlanOrderChangedDocument,
  ReorderPlansDocument,
  RestorePlanDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { textDirection } from '../i18n/locales';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { forgetCatalogues, lastPlansBrand, rememberPlansBrand, writeCatalogueOrder } from './cache';
import { formatMoney } from './format';
import { NewPlanModal } from './NewPlanModal';
import { initialOrder, moveId, orderReducer, sameMembers, shownOrder, sortByIds } from './reorder';
import { SortableList } from './SortableList';
import './plans.css';

/** `/plans`: the Plans entry of the navigation opens the last brand looked at, or the first. */
export function PlansIndexPage() {
  const t = useT();
  const { data, loading, error, refetch } = useQuery(PlanBrandsDocument, { fetchPolicy: 'cache-and-network' });
  if (!data && loading) return <LoadingState />;
  if (!data) return <ErrorState error={error} onRetry={() => void refetch()} />;
  const last = lastPlansBrand();
  const brand = data.brands.find((b) => b.id === last) ?? data.brands[0];
  if (!brand) return <EmptyState title={t('plans.noBrands')}>{t('plans.noBrandsHint')}</EmptyState>;
  return <Navigate to={`/brands/${brand.id}/plans`} replace />;
}

/** `/brands/:brandId/plans`: a brand's catalogue in the order its portal shows, reordered by dragging. */
export function PlansPage() {
  const t = useT();
  const { brandId = '' } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const includeArchived = params.get('archived') === '1';
  const [creating, setCreating] = useState(false);
  const brands = useQuery(PlanBrandsDocument, { fetchPolicy: 'cache-and-network' });
  const brand = brands.data?.brands.find((b) => b.id === brandId);

  useEffect(() => {
    if (brand) rememberPlansBrand(brand.id);
  }, [brand]);

  const toggleArchived = (checked: boolean) =>
    setParams(
      (p) => {
        if (checked) p.set('archived', '1');
        else p.delete('archived');
        return p;
      },
      { replace: true },
    );

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2}>{t('plans.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('plans.subtitle')}
          </Text>
        </Stack>
        <Group align="flex-end">
          <Select
            label={t('plans.brand')}
            data={(brands.data?.brands ?? []).map((b) => ({ value: b.id, label: b.name }))}
            value={brandId}
            onChange={(next) => next && navigate(`/brands/${next}/plans${includeArchived ? '?archived=1' : ''}`)}
            allowDeselect={false}
            w={220}
            data-testid="plans-brand-picker"
          />
          <Switch
            label={t('plans.showArchived')}
            checked={includeArchived}
            onChange={(e) => toggleArchived(e.currentTarget.checked)}
            mb={8}
          />
          <Button onClick={() => setCreating(true)} disabled={!brand}>
            {t('plans.newFromPreset')}
          </Button>
        </Group>
      </Group>
      {brands.error && !brands.data && <ErrorState error={brands.error} onRetry={() => void brands.refetch()} />}
      {brands.data && !brand && (
        <EmptyState title={t('plans.brandNotFound')}>{t('plans.brandNotFoundHint')}</EmptyState>
      )}
      {brand && <CatalogueList key={brand.id} brandId={brand.id} includeArchived={includeArchived} />}
      {brand && (
        <NewPlanModal
          opened={creating}
          onClose={() => setCreating(false)}
          brand={brand}
          onCreated={(planId) => navigate(`/plans/${planId}`)}
        />
      )}
    </Stack>
  );
}

function CatalogueList({ brandId, includeArchived }: { brandId: string; includeArchived: boolean }) {
  const t = useT();
  const client = useApolloClient();
  const { data, loading, error, refetch } = useQuery(PlanCatalogueDocument, {
    variables: { brandId, includeArchived },
    fetchPolicy: 'cache-and-network',
  });
  const [reorderPlans, reordering] = useMutation(ReorderPlansDocument);
  const [restorePlan] = useMutation(RestorePlanDocument, { update: forgetCatalogues });
  const catalogue = data?.planCatalogue;
  const active = useMemo(() => catalogue?.plans.filter((p) => p.status !== 'ARCHIVED') ?? [], [catalogue]);
  const archived = useMemo(() => catalogue?.plans.filter((p) => p.status === 'ARCHIVED') ?? [], [catalogue]);

  const [order, dispatch] = useReducer(orderReducer, undefined, () => initialOrder([], -1));
  const latest = useRef({ order, active });
  latest.current = { order, active };

  useEffect(() => {
    if (catalogue) dispatch({ type: 'loaded', ids: active.map((p) => p.id), revision: catalogue.revision });
  }, [catalogue, active]);

  // Another console (or this one) reordered, added, archived or published: follow without a reload.
  const { restart } = useSubscription(PlanOrderChangedDocument, {
    variables: { brandId },
    onData: ({ data: event }) => {
      const change = event.data?.planOrderChanged;
      if (!change || change.revision <= latest.current.order.revision) return;
      if (
        sameMembers(
          change.planIds,
          latest.current.active.map((p) => p.id),
        )
      ) {
        dispatch({ type: 'remote', ids: change.planIds, revision: change.revision });
        writeCatalogueOrder(client.cache, brandId, change.planIds, change.revision);
      } else {
        void refetch();
      }
    },
    onError: () => window.setTimeout(() => restart(), 5_000),
  });

  // A phase reorder on a published plan makes a draft: the row's badges change.
  const phaseOrders = useSubscription(PhaseOrderChangedDocument, {
    variables: { brandId },
    onData: () => void refetch(),
    onError: () => window.setTimeout(() => phaseOrders.restart(), 5_000),
  });

  const shown = sortByIds(active, shownOrder(order));

  const onMove = async (activeId: string, overId: string) => {
    const next = moveId(shownOrder(order), activeId, overId);
    if (!next) return;
    const revision = order.revision;
    dispatch({ type: 'moved', ids: next });
    try {
      const { data: saved } = await reorderPlans({ variables: { brandId, planIds: next, revision } });
      if (!saved) throw new Error('no answer');
      const { planIds, revision: newRevision } = saved.reorderPlans;
      dispatch({ type: 'saved', ids: planIds, revision: newRevision });
      writeCatalogueOrder(client.cache, brandId, planIds, newRevision);
    } catch (problem) {
      dispatch({ type: 'failed' });
      if (hasCode(problem, 'CONFLICT')) {
        notify({ color: 'yellow', message: t('plans.orderConflict'), 'data-testid': 'order-conflict' });
        void refetch();
      } else {
        notify({
          color: 'red',
          title: t('plans.reorderFailed'),
          message: apiProblems(problem)[0]?.message ?? '',
        });
      }
    }
  };

  const onRestore = async (planId: string) => {
    try {
      await restorePlan({ variables: { id: planId } });
      notify({ message: t('plan.restored') });
    } catch (problem) {
      notify({ color: 'red', title: t('common.errorTitle'), message: apiProblems(problem)[0]?.message });
    }
  };

  if (!catalogue && loading) return <LoadingState />;
  if (!catalogue) return <ErrorState title={t('plans.loadFailed')} error={error} onRetry={() => void refetch()} />;

  return (
    <Stack gap="lg">
      {active.length === 0 ? (
        <EmptyState title={t('plans.empty')}>{t('plans.emptyHint')}</EmptyState>
      ) : (
        <section aria-labelledby="catalogue-heading">
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h4" id="catalogue-heading">
              {t('plans.catalogue', { count: active.length })}
            </Title>
            <Text size="sm" c="dimmed">
              {t('plans.dragHint')}
            </Text>
          </Group>
          <SortableList
            items={shown.map((p) => ({ id: p.id, label: p.name, plan: p }))}
            disabled={reordering.loading}
            onMove={(a, b) => void onMove(a, b)}
            testId="plan-list"
            renderItem={({ plan }, handle, index) => <PlanRow plan={plan} handle={handle} position={index + 1} />}
          />
          <VisuallyHidden aria-live="polite">{reordering.loading ? t('plans.savingOrder') : ''}</VisuallyHidden>
        </section>
      )}
      {includeArchived && (
        <section aria-labelledby="archived-heading">
          <Title order={3} size="h4" id="archived-heading" mb="xs">
            {t('plans.archivedTitle', { count: archived.length })}
          </Title>
          {archived.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('plans.archivedEmpty')}
            </Text>
          ) : (
            <Stack gap="xs">
              {archived.map((plan) => (
                <Paper key={plan.id} withBorder p="sm" data-testid={`plan-row-${plan.id}`} bg="gray.0">
                  <Group justify="space-between">
                    <Anchor component={Link} to={`/plans/${plan.id}`} fw={600}>
                      {plan.name}
                    </Anchor>
                    <Button size="xs" variant="light" onClick={() => void onRestore(plan.id)}>
                      {t('plan.restore')}
                    </Button>
                  </Group>
                </Paper>
              ))}
            </Stack>
          )}
        </section>
      )}
    </Stack>
  );
}

function PlanRow({
  plan,
  handle,
  position,
}: {
  plan: PlanListFieldsFragment;
  handle: React.ReactNode;
  position: number;
}) {
  const t = useT();
  const { locale } = useLocale();
  const version = plan.current;
  return (
    <Paper withBorder p="sm" radius="md" data-testid={`plan-row-${plan.id}`} className="bd-row">
      <Group wrap="nowrap" gap="sm" align="center">
        {handle}
        <Text c="dimmed" size="sm" w={20} ta="center" aria-hidden>
          {new Intl.NumberFormat(locale).format(position)}
        </Text>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap">
            <Anchor component={Link} to={`/plans/${plan.id}`} fw={600} truncate data-testid="plan-name">
              {plan.name}
            </Anchor>
            <Badge variant="light" color="gray" tt="none" size="sm">
              {t(`plan.enum.PlanKind.${version.kind}`)}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed" truncate>
            {version.phases.map((p) => p.name).join(textDirection(locale) === 'rtl' ? ' ← ' : ' → ')}
          </Text>
        </Stack>
        <Group gap={4} visibleFrom="md" wrap="nowrap">
          {version.sizes.slice(0, 4).map((size) => (
            <Badge key={size.id} variant="outline" color="gray" tt="none" size="sm">
              <bdi>{formatMoney(size.balance, size.currency, locale)}</bdi>
            </Badge>
          ))}
        </Group>
        <Group gap={4} wrap="nowrap">
          {plan.published ? (
            <Badge color="green" variant="dot" tt="none">
              {t('plans.publishedVersion', { number: plan.published.number })}
            </Badge>
          ) : null}
          {plan.draft ? (
            <Badge color="orange" variant="dot" tt="none">
              {plan.published ? t('plans.unpublishedChanges') : t('plans.draftOnly')}
            </Badge>
          ) : null}
        </Group>
      </Group>
    </Paper>
  );
}
