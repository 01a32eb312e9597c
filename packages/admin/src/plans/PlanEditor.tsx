import { useMutation, useSubscription } from '@apollo/client/react';
import { zodResolver } from '@hookform/resolvers/zod';
import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  Grid,
  Group,
  Menu,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notify } from './notify';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { type FieldErrors, FormProvider, type Resolver, useFieldArray, useForm, useWatch } from 'react-hook-form';
import { apiProblems, hasCode } from '../api/errors';
import {
  ArchivePlanDocument,
  type BrandFieldsFragment,
  type PhaseKind,
  PhaseOrderChangedDocument,
  type PlanDetailFieldsFragment,
  PublishPlanDocument,
  ReorderPhasesDocument,
  RestorePlanDocument,
  UpdatePlanDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { languageName, textDirection } from '../i18n/locales';
import { forgetCatalogues } from './cache';
import { FormSelect, FormText, FormTextarea, useFieldError } from './fields';
import { PhaseEditor, useEnumOptions } from './PhaseEditor';
import {
  formToInput,
  newPhase,
  PHASE_KINDS,
  PLAN_KINDS,
  PLATFORM_KINDS,
  type PlanForm,
  phaseIndexOf,
  placePlanErrors,
  planLocales,
  planSchema,
  tabOf,
  versionToForm,
} from './plan-form';
import { initialOrder, moveId, orderReducer, sameMembers, sortByIds } from './reorder';
import { RulePreview } from './RulePreview';
import { SizesSection } from './SizesSection';
import { SortableList } from './SortableList';
import { type Comparison, defaultComparison, VersionsPanel } from './VersionsPanel';
import './plans.css';

type Tab = 'details' | 'sizes' | 'phases' | 'preview' | 'versions';

/** The first field name (dotted) that has a message in a react-hook-form errors tree. */
export function firstErrorName(errors: FieldErrors, prefix = ''): string | null {
  for (const [key, value] of Object.entries(errors ?? {})) {
    if (!value || typeof value !== 'object' || key === 'ref') continue;
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof (value as { message?: unknown }).message === 'string' && (value as { message: string }).message) {
      return name;
    }
    const inner = firstErrorName(value as FieldErrors, name);
    if (inner) return inner;
  }
  return null;
}

export function PlanEditor({
  plan,
  brand,
  refetch,
}: {
  plan: PlanDetailFieldsFragment;
  brand: BrandFieldsFragment;
  refetch(): Promise<PlanDetailFieldsFragment | undefined>;
}) {
  const t = useT();
  const { locale: uiLocale } = useLocale();
  const options = useEnumOptions();
  const locales = useMemo(() => planLocales(brand, plan.current), [brand, plan.current]);
  const schema = useMemo(() => planSchema(t), [t]);
  const methods = useForm<PlanForm>({
    // The schema checks a subset of the fields and passes the rest through unchanged.
    resolver: zodResolver(schema) as unknown as Resolver<PlanForm>,
    defaultValues: versionToForm(plan.current, brand),
    mode: 'onTouched',
  });
  const { control, handleSubmit, setError, setFocus, reset, getValues, formState } = methods;
  const phasesArray = useFieldArray({ control, name: 'phases', keyName: 'key' });
  const phases = useWatch({ control, name: 'phases' });

  const [tab, setTab] = useState<Tab>('details');
  const [selectedPhase, setSelectedPhase] = useState<string | null>(plan.current.phases[0]?.id ?? null);
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const [comparison, setComparison] = useState<Comparison>(() => defaultComparison(plan));
  // A save, publish or phase reorder that made or published a draft: compare what is new.
  const versionsKey = `${plan.draft?.id}|${plan.published?.id}|${plan.versions.length}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the plan's versions only
  useEffect(() => setComparison(defaultComparison(plan)), [versionsKey]);

  const [updatePlan] = useMutation(UpdatePlanDocument, {
    update: (cache, { data }) => {
      const id = data?.updatePlan.current.id;
      if (id) cache.evict({ id: cache.identify({ __typename: 'PlanVersion', id }), fieldName: 'ruleSummaries' });
      forgetCatalogues(cache);
    },
  });
  const [publishPlan, publishing] = useMutation(PublishPlanDocument, { update: forgetCatalogues });
  const [archivePlan, archiving] = useMutation(ArchivePlanDocument, { update: forgetCatalogues });
  const [restorePlan, restoring] = useMutation(RestorePlanDocument, { update: forgetCatalogues });
  const [reorderPhases, reordering] = useMutation(ReorderPhasesDocument, { update: forgetCatalogues });

  // ----- the phase order as the server has it (its revision goes with each reorder) -----
  const serverPhaseIds = useMemo(() => plan.current.phases.map((p) => p.id), [plan.current.phases]);
  const [phaseOrder, dispatch] = useReducer(orderReducer, undefined, () =>
    initialOrder(serverPhaseIds, plan.phaseOrderRevision),
  );
  const latest = useRef(phaseOrder);
  latest.current = phaseOrder;
  useEffect(() => {
    dispatch({ type: 'loaded', ids: serverPhaseIds, revision: plan.phaseOrderRevision });
  }, [serverPhaseIds, plan.phaseOrderRevision]);

  // The selected phase stays selected by id; if it went away, the first one is.
  const selectedIndex = Math.max(
    0,
    (phases ?? []).findIndex((p) => p.id === selectedPhase),
  );

  useEffect(() => {
    if (!focusTarget) return;
    setFocus(focusTarget as never);
    setFocusTarget(null);
  }, [focusTarget, setFocus]);

  /** Opens the tab (and phase) a field is on, and focuses it. */
  const reveal = (name: string) => {
    setTab(tabOf(name));
    const index = phaseIndexOf(name);
    if (index !== null) {
      const id = getValues(`phases.${index}.id`);
      if (id) setSelectedPhase(id);
    }
    setFocusTarget(name);
  };

  /** Puts each API problem on its field (the first one revealed); the rest go above the form. */
  const showServerErrors = (error: unknown, input: ReturnType<typeof formToInput>) => {
    const placed = placePlanErrors(apiProblems(error), input);
    const names = Object.keys(placed.fields);
    for (const name of names) setError(name as never, { type: 'server', message: placed.fields[name] });
    setFormErrors(placed.form);
    if (names[0]) reveal(names[0]);
  };

  const save = async (values: PlanForm): Promise<boolean> => {
    setFormErrors([]);
    const input = formToInput(values, locales);
    try {
      const { data } = await updatePlan({ variables: { id: plan.id, input } });
      if (!data) return false;
      reset(versionToForm(data.updatePlan.current, brand));
      notify({ color: 'green', message: t('plan.saved', { number: data.updatePlan.current.number }) });
      return true;
    } catch (error) {
      showServerErrors(error, input);
      return false;
    }
  };

  const onInvalid = (errors: FieldErrors<PlanForm>) => {
    const name = firstErrorName(errors);
    if (name) reveal(name);
  };

  const onSubmit = handleSubmit(async (values) => {
    await save(values);
  }, onInvalid);

  const publish = async () => {
    if (formState.isDirty) {
      let saved = false;
      await handleSubmit(async (values) => {
        saved = await save(values);
      }, onInvalid)();
      if (!saved) return;
    }
    try {
      const { data } = await publishPlan({ variables: { id: plan.id } });
      if (data) {
        const published = data.publishPlan.published;
        notify({ color: 'green', message: t('plan.published', { number: published?.number ?? 0 }) });
      }
    } catch (error) {
      notify({
        color: hasCode(error, 'CONFLICT') ? 'yellow' : 'red',
        title: t('plan.publishFailed'),
        message: apiProblems(error)[0]?.message,
      });
    }
  };

  const setArchived = async (archived: boolean) => {
    try {
      if (archived) await archivePlan({ variables: { id: plan.id } });
      else await restorePlan({ variables: { id: plan.id } });
      notify({ message: t(archived ? 'plan.archived' : 'plan.restored') });
    } catch (error) {
      notify({ color: 'red', title: t('common.errorTitle'), message: apiProblems(error)[0]?.message });
    }
  };

  // ----- phases -----

  /** Puts the form's phases in `ids` order, keeping their unsaved edits. */
  const arrangePhases = (ids: readonly string[]) => {
    const wasClean = !methods.formState.isDirty;
    phasesArray.replace(sortByIds(getValues('phases'), ids));
    if (wasClean) reset(getValues());
  };

  const onMovePhase = async (activeId: string, overId: string) => {
    const before = getValues('phases').map((p) => p.id);
    const next = moveId(before, activeId, overId);
    if (!next) return;
    const wasClean = !formState.isDirty;
    phasesArray.move(before.indexOf(activeId), before.indexOf(overId));
    // Phases added or removed here are not on the server yet: the new order is saved with the plan.
    if (!sameMembers(next, phaseOrder.ids)) {
      notify({ message: t('plan.phaseOrderLocal') });
      return;
    }
    const revision = phaseOrder.revision;
    dispatch({ type: 'moved', ids: next });
    try {
      const { data } = await reorderPhases({ variables: { planId: plan.id, phaseIds: next, revision } });
      if (!data) throw new Error('no answer');
      dispatch({ type: 'saved', ids: data.reorderPhases.phaseIds, revision: data.reorderPhases.revision });
      if (wasClean) reset(getValues());
      // On a published plan the new order is a new draft version.
      await refetch();
    } catch (error) {
      dispatch({ type: 'failed' });
      arrangePhases(before);
      if (hasCode(error, 'CONFLICT')) {
        notify({ color: 'yellow', message: t('plan.phaseOrderConflict') });
        const fresh = await refetch().catch(() => undefined);
        const ids = fresh?.current.phases.map((p) => p.id);
        if (ids && sameMembers(ids, before)) arrangePhases(ids);
      } else {
        notify({
          color: 'red',
          title: t('plan.phaseOrderFailed'),
          message: apiProblems(error)[0]?.message,
        });
      }
    }
  };

  const { restart } = useSubscription(PhaseOrderChangedDocument, {
    variables: { brandId: plan.brandId },
    onData: ({ data }) => {
      const change = data.data?.phaseOrderChanged;
      const state = latest.current;
      if (!change || change.planId !== plan.id || change.revision <= state.revision) return;
      const ours =
        state.pending?.length === change.phaseIds.length && state.pending.every((id, i) => id === change.phaseIds[i]);
      dispatch({ type: 'remote', ids: change.phaseIds, revision: change.revision });
      if (ours) return;
      if (
        sameMembers(
          change.phaseIds,
          getValues('phases').map((p) => p.id),
        )
      )
        arrangePhases(change.phaseIds);
      notify({ message: t('plan.phaseOrderRemote') });
      void refetch();
    },
    onError: () => window.setTimeout(() => restart(), 5_000),
  });

  const addPhase = (kind: PhaseKind) => {
    const list = getValues('phases');
    const phase = newPhase(brand, kind, t('plan.phase.newName', { number: list.length + 1 }));
    // A funded phase stays last.
    const fundedAt = list.findIndex((p) => p.kind === 'FUNDED');
    if (kind !== 'FUNDED' && fundedAt >= 0) phasesArray.insert(fundedAt, phase);
    else phasesArray.append(phase);
    setSelectedPhase(phase.id);
  };

  const removePhase = (index: number) => {
    const list = getValues('phases');
    const removed = list[index];
    phasesArray.remove(index);
    if (removed?.id === selectedPhase) setSelectedPhase(list[index + 1]?.id ?? list[index - 1]?.id ?? null);
  };

  const archived = plan.status === 'ARCHIVED';
  const canCompare = Boolean(plan.draft && plan.published);
  // Amounts in the rules are in the account currency: the first size's, else the brand's.
  const firstCurrency = useWatch({ control, name: 'sizes.0.currency' });
  const currency = (firstCurrency ?? '').trim().toUpperCase() || brand.currency;
  const phasesError = useFieldError('phasesError', control);
  const namesError = useFieldError('namesError', control);
  const descriptionsError = useFieldError('descriptionsError', control);

  return (
    <FormProvider {...methods}>
      <form onSubmit={onSubmit} noValidate data-testid="plan-form">
        <Stack>
          <Group justify="space-between" align="flex-start">
            <Stack gap={6}>
              <Title order={2}>{plan.name}</Title>
              <Group gap="xs">
                {(archived || !plan.published) && (
                  <Badge color={archived ? 'gray' : 'orange'} variant="dot" tt="none" data-testid="plan-status">
                    {t(`plans.status.${plan.status}`)}
                  </Badge>
                )}
                {plan.published && (
                  <Badge color="green" variant="dot" tt="none">
                    {t('plans.publishedVersion', { number: plan.published.number })}
                  </Badge>
                )}
                {plan.draft && (
                  <Badge color="orange" variant="dot" tt="none" data-testid="plan-draft">
                    {t('plans.draftVersion', { number: plan.draft.number })}
                  </Badge>
                )}
                {formState.isDirty && (
                  <Text size="sm" c="dimmed" data-testid="unsaved">
                    {t('plan.unsaved')}
                  </Text>
                )}
              </Group>
            </Stack>
            <Group gap="xs">
              {canCompare && (
                <Button
                  variant="default"
                  onClick={() => {
                    setComparison({ from: plan.published!.id, to: plan.draft!.id });
                    setTab('versions');
                  }}
                >
                  {t('plan.compare')}
                </Button>
              )}
              {archived ? (
                <Button variant="light" onClick={() => void setArchived(false)} loading={restoring.loading}>
                  {t('plan.restore')}
                </Button>
              ) : (
                <Button variant="light" color="red" onClick={() => void setArchived(true)} loading={archiving.loading}>
                  {t('plan.archive')}
                </Button>
              )}
              <Button
                variant="light"
                onClick={() => void publish()}
                loading={publishing.loading}
                disabled={!plan.draft && !formState.isDirty}
              >
                {t('plan.publish')}
              </Button>
              <Button type="submit" loading={formState.isSubmitting}>
                {t('plan.save')}
              </Button>
            </Group>
          </Group>

          {archived && (
            <Alert color="gray" data-testid="plan-archived">
              {t('plan.archivedNotice')}
            </Alert>
          )}
          {formErrors.length > 0 && (
            <Alert color="red" title={t('plan.saveFailed')} role="alert" data-testid="form-error">
              {formErrors.map((message) => (
                <Text key={message} size="sm">
                  {message}
                </Text>
              ))}
            </Alert>
          )}

          <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="details">{t('plan.tab.details')}</Tabs.Tab>
              <Tabs.Tab value="sizes">{t('plan.tab.sizes')}</Tabs.Tab>
              <Tabs.Tab value="phases">{t('plan.tab.phases')}</Tabs.Tab>
              <Tabs.Tab value="preview">{t('plan.tab.preview')}</Tabs.Tab>
              <Tabs.Tab value="versions">{t('plan.tab.versions')}</Tabs.Tab>
            </Tabs.List>

            <Tabs.Panel value="details" pt="md">
              <Stack>
                {(namesError || descriptionsError) && (
                  <Text c="red" size="sm" role="alert">
                    {[namesError, descriptionsError].filter(Boolean).join(' · ')}
                  </Text>
                )}
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  {locales.map((code) => (
                    <Paper key={code} withBorder p="md" radius="md">
                      <Stack gap="sm">
                        <FormText
                          name={`names.${code}`}
                          label={t('plan.field.name', { language: languageName(code, uiLocale) })}
                          lang={code}
                          dir={textDirection(code)}
                        />
                        <FormTextarea
                          name={`descriptions.${code}`}
                          label={t('plan.field.description', { language: languageName(code, uiLocale) })}
                          lang={code}
                          dir={textDirection(code)}
                        />
                      </Stack>
                    </Paper>
                  ))}
                </SimpleGrid>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <FormSelect name="kind" label={t('plan.field.kind')} data={options('PlanKind', PLAN_KINDS)} />
                  <FormSelect
                    name="platform"
                    label={t('plan.field.platform')}
                    data={options('PlatformKind', PLATFORM_KINDS)}
                  />
                  <FormSelect
                    name="riskGroupId"
                    label={t('plan.field.riskGroup')}
                    description={t('plan.field.riskGroupHint')}
                    placeholder={t('plan.field.noRiskGroup')}
                    data={
                      plan.current.riskGroupId
                        ? [{ value: plan.current.riskGroupId, label: plan.current.riskGroupId }]
                        : []
                    }
                    disabled
                  />
                </SimpleGrid>
              </Stack>
            </Tabs.Panel>

            <Tabs.Panel value="sizes" pt="md">
              <SizesSection brand={brand} />
            </Tabs.Panel>

            <Tabs.Panel value="phases" pt="md">
              <Grid gap="lg">
                <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
                  <Stack gap="xs">
                    <Text size="sm" c="dimmed">
                      {t('plan.phases.hint')}
                    </Text>
                    {phasesError && (
                      <Text c="red" size="sm" role="alert">
                        {phasesError}
                      </Text>
                    )}
                    <SortableList
                      items={(phases ?? []).map((p) => ({
                        id: p.id,
                        label: p.name || t('plan.phase.unnamed'),
                        kind: p.kind,
                      }))}
                      disabled={reordering.loading}
                      onMove={(a, b) => void onMovePhase(a, b)}
                      testId="phase-list"
                      renderItem={(item, handle, index) => (
                        <PhaseRow
                          id={item.id}
                          name={item.label}
                          kind={t(`plan.enum.PhaseKind.${item.kind}`)}
                          position={index + 1}
                          handle={handle}
                          selected={index === selectedIndex}
                          onSelect={() => setSelectedPhase(item.id)}
                          onRemove={(phases?.length ?? 0) > 1 ? () => removePhase(index) : undefined}
                          removeLabel={t('plan.phase.remove', { name: item.label })}
                          hasErrors={Boolean(formState.errors.phases?.[index])}
                          errorsLabel={t('plan.phase.hasErrors')}
                        />
                      )}
                    />
                    <Menu position="bottom-start" withinPortal>
                      <Menu.Target>
                        <Button variant="light" size="sm">
                          {t('plan.phase.add')}
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        {PHASE_KINDS.map((kind) => (
                          <Menu.Item key={kind} onClick={() => addPhase(kind)}>
                            {t(`plan.enum.PhaseKind.${kind}`)}
                          </Menu.Item>
                        ))}
                      </Menu.Dropdown>
                    </Menu>
                  </Stack>
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
                  {phases?.length ? (
                    <PhaseEditor key={phases[selectedIndex]?.id} index={selectedIndex} currency={currency} />
                  ) : null}
                </Grid.Col>
              </Grid>
            </Tabs.Panel>

            <Tabs.Panel value="preview" pt="md">
              <RulePreview
                planId={plan.id}
                version={plan.current}
                locales={brand.locales}
                unsaved={formState.isDirty}
              />
            </Tabs.Panel>

            <Tabs.Panel value="versions" pt="md">
              <VersionsPanel versions={plan.versions} comparison={comparison} onCompare={setComparison} />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      </form>
    </FormProvider>
  );
}

function PhaseRow({
  id,
  name,
  kind,
  position,
  handle,
  selected,
  onSelect,
  onRemove,
  removeLabel,
  hasErrors,
  errorsLabel,
}: {
  hasErrors: boolean;
  errorsLabel: string;
  id: string;
  name: string;
  kind: string;
  position: number;
  handle: React.ReactNode;
  selected: boolean;
  onSelect(): void;
  onRemove?: () => void;
  removeLabel: string;
}) {
  const { locale } = useLocale();
  return (
    <Paper
      withBorder
      p={6}
      radius="md"
      data-testid={`phase-row-${id}`}
      className="bd-row"
      data-selected={selected || undefined}
      data-error={hasErrors || undefined}
    >
      <Group wrap="nowrap" gap={6}>
        {handle}
        <UnstyledButton
          onClick={onSelect}
          aria-current={selected ? 'true' : undefined}
          style={{ flex: 1, minWidth: 0 }}
          py={4}
        >
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" c="dimmed" w={16} ta="center" aria-hidden>
              {new Intl.NumberFormat(locale).format(position)}
            </Text>
            <Box style={{ minWidth: 0 }}>
              <Text fw={600} size="sm" truncate>
                {name}
              </Text>
              <Text size="xs" c={hasErrors ? 'red.9' : 'dimmed'}>
                {hasErrors ? `${kind} · ${errorsLabel}` : kind}
              </Text>
            </Box>
          </Group>
        </UnstyledButton>
        {onRemove && (
          <ActionIcon variant="subtle" color="gray" onClick={onRemove} aria-label={removeLabel} title={removeLabel}>
            <span aria-hidden>×</span>
          </ActionIcon>
        )}
      </Group>
    </Paper>
  );
}
