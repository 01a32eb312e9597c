import { zodResolver } from '@hookform/resolvers/zod';
import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { apiProblems, mapFieldErrors } from '../api/errors';
import {
  type AssignmentMoveFieldsFragment,
  type AssignmentRuleFieldsFragment,
  AssignmentRulesDocument,
  CreateAssignmentRuleDocument,
  DeleteAssignmentRuleDocument,
  MeDocument,
  PreviewAssignmentRulesDocument,
  RunAssignmentRulesDocument,
  UpdateAssignmentRuleDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import type { MessageId } from '../i18n/locales';
import { notify } from '../plans/notify';
import { type BrandSection, BrandScopedPage, type ScopedBrand } from '../ui/brand-scope';
import { formatTimestamp } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import {
  byPriority,
  COMPARISON_SYMBOL,
  canWriteRules,
  emptyRuleForm,
  formOf,
  RULE_COMPARISONS,
  RULE_FIELDS,
  RULE_METRICS,
  type RuleFormValues,
  ruleSchema,
  toCreateInput,
  toUpdateInput,
} from './rules';

type Rule = AssignmentRuleFieldsFragment;
type Move = AssignmentMoveFieldsFragment;
type RiskGroupOption = { id: string; name: string };

// The brand picker keeps this section when switching brands (`/brands/:brandId/risk-rules`).
const SECTION: BrandSection = 'risk-rules';

/** `/brands/:brandId/risk-rules`: behaviour-based assignment rules, their editor and a preview of who would move. */
export function RiskRulesPage() {
  const t = useT();
  const me = useQuery(MeDocument, { fetchPolicy: 'cache-first' }).data?.me;
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  return (
    <BrandScopedPage
      section={SECTION}
      title={t('riskRules.title')}
      subtitle={t('riskRules.subtitle')}
      actions={(brand) =>
        me && canWriteRules(me.grants, brand.id) ? (
          <Button onClick={() => setEditing('new')} data-testid="create-rule">
            {t('riskRules.create')}
          </Button>
        ) : null
      }
    >
      {(brand) => (
        <RulesBody
          key={brand.id}
          brand={brand}
          canWrite={!!me && canWriteRules(me.grants, brand.id)}
          editing={editing}
          setEditing={setEditing}
        />
      )}
    </BrandScopedPage>
  );
}

function RulesBody({
  brand,
  canWrite,
  editing,
  setEditing,
}: {
  brand: ScopedBrand;
  canWrite: boolean;
  editing: Rule | 'new' | null;
  setEditing(rule: Rule | 'new' | null): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { data, loading, error, refetch } = useQuery(AssignmentRulesDocument, {
    variables: { brandId: brand.id },
    fetchPolicy: 'cache-and-network',
  });
  const [remove] = useMutation(DeleteAssignmentRuleDocument);
  if (!data && loading) return <LoadingState />;
  if (!data) return <ErrorState title={t('riskRules.loadFailed')} error={error} onRetry={() => void refetch()} />;
  const groups: RiskGroupOption[] = data.riskGroups;
  const groupName = (id: string | null | undefined) =>
    id ? (groups.find((g) => g.id === id)?.name ?? id) : t('riskRules.keepGroup');
  const rules = byPriority(data.assignmentRules);

  const onDelete = async (rule: Rule) => {
    try {
      await remove({ variables: { id: rule.id } });
      notify({ color: 'green', message: t('riskRules.deleted', { name: rule.name }) });
      await refetch();
    } catch (e) {
      notify({ color: 'red', message: apiProblems(e)[0]?.message ?? t('common.errorTitle') });
    }
  };

  return (
    <Stack gap="lg">
      {!canWrite && <Alert color="blue">{t('riskRules.readOnly')}</Alert>}
      {rules.length === 0 ? (
        <EmptyState title={t('riskRules.empty')}>{t('riskRules.emptyHint')}</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table striped data-testid="rules-table" aria-label={t('riskRules.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('riskRules.column.priority')}</Table.Th>
                <Table.Th>{t('riskRules.column.name')}</Table.Th>
                <Table.Th>{t('riskRules.column.condition')}</Table.Th>
                <Table.Th>{t('riskRules.column.target')}</Table.Th>
                <Table.Th>{t('riskRules.column.status')}</Table.Th>
                <Table.Th>{t('riskRules.column.lastRun')}</Table.Th>
                {canWrite && (
                  <Table.Th>
                    <VisuallyHidden>{t('riskRules.column.actions')}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.map((rule) => (
                <Table.Tr key={rule.id} data-testid={`rule-${rule.name}`}>
                  <Table.Td>{rule.priority}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {rule.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {t('riskRules.condition', {
                        what: t(`riskRules.metric.${rule.metric}` as MessageId),
                        level: `${COMPARISON_SYMBOL[rule.comparison]} ${rule.threshold}`,
                        days: rule.windowDays,
                        min: rule.minTrades,
                      })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {groupName(rule.targetRiskGroupId)} ·{' '}
                      {rule.targetBook ? t(`riskRules.book.${rule.targetBook}` as MessageId) : t('riskRules.keepBook')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={rule.enabled ? 'green' : 'gray'} variant="light">
                      {rule.enabled ? t('riskRules.enabled') : t('riskRules.disabled')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {rule.lastRunAt ? formatTimestamp(rule.lastRunAt, locale, brand.timeZone) : t('riskRules.never')}
                    </Text>
                    {rule.lastRunAt && (
                      <Text size="xs" c="dimmed">
                        {t('riskRules.lastMoved', { count: rule.lastMoved })}
                      </Text>
                    )}
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="compact-sm"
                          variant="light"
                          onClick={() => setEditing(rule)}
                          aria-label={t('riskRules.editAria', { name: rule.name })}
                        >
                          {t('riskRules.edit')}
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="light"
                          color="red"
                          onClick={() => void onDelete(rule)}
                          aria-label={t('riskRules.deleteAria', { name: rule.name })}
                        >
                          {t('riskRules.delete')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <PreviewPanel brand={brand} canWrite={canWrite} onRun={() => void refetch()} />
      {editing && (
        <RuleModal
          brand={brand}
          groups={groups}
          rule={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => void refetch()}
        />
      )}
    </Stack>
  );
}

function PreviewPanel({ brand, canWrite, onRun }: { brand: ScopedBrand; canWrite: boolean; onRun(): void }) {
  const t = useT();
  const [load, { data, loading, error }] = useLazyQuery(PreviewAssignmentRulesDocument, {
    fetchPolicy: 'network-only',
  });
  const [run, { loading: running }] = useMutation(RunAssignmentRulesDocument);
  const moves: Move[] | undefined = data?.previewAssignmentRules;
  const refresh = () => void load({ variables: { brandId: brand.id } });
  const runNow = async () => {
    try {
      const result = await run({ variables: { brandId: brand.id } });
      notify({
        color: 'green',
        message: t('riskRules.runDone', { count: result.data?.runAssignmentRules.length ?? 0 }),
      });
      refresh();
      onRun();
    } catch (e) {
      notify({ color: 'red', message: apiProblems(e)[0]?.message ?? t('common.errorTitle') });
    }
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="rules-preview-title">
      <Group justify="space-between">
        <Title order={3} id="rules-preview-title">
          {t('riskRules.preview.title')}
        </Title>
        <Group gap="xs">
          <Button variant="light" onClick={refresh} loading={loading} data-testid="preview-rules">
            {t('riskRules.preview.refresh')}
          </Button>
          {canWrite && (
            <Button onClick={() => void runNow()} loading={running} data-testid="run-rules">
              {t('riskRules.run')}
            </Button>
          )}
        </Group>
      </Group>
      {error && <ErrorState error={error} onRetry={refresh} />}
      {moves && moves.length === 0 && <Text c="dimmed">{t('riskRules.preview.empty')}</Text>}
      {moves && moves.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped data-testid="rules-preview" aria-label={t('riskRules.preview.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('riskRules.preview.column.account')}</Table.Th>
                <Table.Th>{t('riskRules.preview.column.rule')}</Table.Th>
                <Table.Th>{t('riskRules.preview.column.value')}</Table.Th>
                <Table.Th>{t('riskRules.preview.column.trades')}</Table.Th>
                <Table.Th>{t('riskRules.preview.column.from')}</Table.Th>
                <Table.Th>{t('riskRules.preview.column.to')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {moves.map((m) => (
                <Table.Tr key={m.platformAccountId}>
                  <Table.Td>{m.login}</Table.Td>
                  <Table.Td>{m.ruleName}</Table.Td>
                  <Table.Td>
                    {t('riskRules.preview.reason', {
                      what: t(`riskRules.metric.${m.metric}` as MessageId),
                      amount: m.value,
                      level: `${COMPARISON_SYMBOL[m.comparison]} ${m.threshold}`,
                    })}
                  </Table.Td>
                  <Table.Td>{t('riskRules.preview.trades', { count: m.trades, days: m.windowDays })}</Table.Td>
                  <Table.Td>
                    {m.fromRiskGroupName} · {t(`riskRules.book.${m.fromBook}` as MessageId)}
                  </Table.Td>
                  <Table.Td>
                    {m.toRiskGroupName} · {t(`riskRules.book.${m.toBook}` as MessageId)}
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

function RuleModal({
  brand,
  groups,
  rule,
  onClose,
  onSaved,
}: {
  brand: ScopedBrand;
  groups: RiskGroupOption[];
  rule: Rule | null;
  onClose(): void;
  onSaved(): void;
}) {
  const t = useT();
  const [create, { loading: creating }] = useMutation(CreateAssignmentRuleDocument);
  const [update, { loading: updating }] = useMutation(UpdateAssignmentRuleDocument);
  const [formError, setFormError] = useState<string | null>(null);
  const { control, handleSubmit, setError, formState } = useForm<RuleFormValues>({
    defaultValues: rule ? formOf(rule) : emptyRuleForm(),
    resolver: zodResolver(ruleSchema),
  });
  const message = (field: keyof RuleFormValues) => {
    const m = formState.errors[field]?.message;
    if (!m) return undefined;
    return m.startsWith('riskRules.') ? t(m as MessageId) : m;
  };
  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      if (rule) await update({ variables: { id: rule.id, input: toUpdateInput(values) } });
      else await create({ variables: { input: toCreateInput(brand.id, values) } });
      notify({ color: 'green', message: t('riskRules.saved', { name: values.name.trim() }) });
      onSaved();
      onClose();
    } catch (e) {
      const mapped = mapFieldErrors(apiProblems(e), RULE_FIELDS);
      for (const [field, text] of Object.entries(mapped.fieldErrors)) {
        setError(field as keyof RuleFormValues, { message: text as string });
      }
      setFormError(
        mapped.formErrors[0]?.message ?? (Object.keys(mapped.fieldErrors).length ? null : t('common.errorTitle')),
      );
    }
  });
  const field = (name: keyof RuleFormValues) => t(`riskRules.field.${name}` as MessageId);
  return (
    <Modal opened onClose={onClose} title={rule ? t('riskRules.edit') : t('riskRules.create')} size="lg">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          {formError && <Alert color="red">{formError}</Alert>}
          <Controller
            control={control}
            name="name"
            render={({ field: f }) => <TextInput {...f} label={field('name')} required error={message('name')} />}
          />
          <Group grow align="flex-start">
            <Controller
              control={control}
              name="metric"
              render={({ field: f }) => (
                <Select
                  {...f}
                  label={field('metric')}
                  allowDeselect={false}
                  data={RULE_METRICS.map((m) => ({ value: m, label: t(`riskRules.metric.${m}` as MessageId) }))}
                  onChange={(v) => v && f.onChange(v)}
                />
              )}
            />
            <Controller
              control={control}
              name="comparison"
              render={({ field: f }) => (
                <Select
                  {...f}
                  label={field('comparison')}
                  allowDeselect={false}
                  data={RULE_COMPARISONS.map((c) => ({ value: c, label: t(`riskRules.comparison.${c}` as MessageId) }))}
                  onChange={(v) => v && f.onChange(v)}
                />
              )}
            />
            <Controller
              control={control}
              name="threshold"
              render={({ field: f }) => (
                <TextInput {...f} label={field('threshold')} inputMode="decimal" error={message('threshold')} />
              )}
            />
          </Group>
          <Group grow align="flex-start">
            <Controller
              control={control}
              name="windowDays"
              render={({ field: f }) => (
                <NumberInput
                  {...f}
                  label={field('windowDays')}
                  min={1}
                  max={365}
                  allowDecimal={false}
                  onChange={(v) => f.onChange(Number(v))}
                  error={message('windowDays')}
                />
              )}
            />
            <Controller
              control={control}
              name="minTrades"
              render={({ field: f }) => (
                <NumberInput
                  {...f}
                  label={field('minTrades')}
                  min={0}
                  allowDecimal={false}
                  onChange={(v) => f.onChange(Number(v))}
                  error={message('minTrades')}
                />
              )}
            />
            <Controller
              control={control}
              name="priority"
              render={({ field: f }) => (
                <NumberInput
                  {...f}
                  label={field('priority')}
                  min={0}
                  allowDecimal={false}
                  onChange={(v) => f.onChange(Number(v))}
                  error={message('priority')}
                />
              )}
            />
          </Group>
          <Group grow align="flex-start">
            <Controller
              control={control}
              name="targetRiskGroupId"
              render={({ field: f }) => (
                <Select
                  {...f}
                  label={field('targetRiskGroupId')}
                  data={[
                    { value: '', label: t('riskRules.keepGroup') },
                    ...groups.map((g) => ({ value: g.id, label: g.name })),
                  ]}
                  allowDeselect={false}
                  onChange={(v) => f.onChange(v ?? '')}
                  error={message('targetRiskGroupId')}
                />
              )}
            />
            <Controller
              control={control}
              name="targetBook"
              render={({ field: f }) => (
                <Select
                  {...f}
                  label={field('targetBook')}
                  data={[
                    { value: '', label: t('riskRules.keepBook') },
                    { value: 'A', label: t('riskRules.book.A') },
                    { value: 'B', label: t('riskRules.book.B') },
                  ]}
                  allowDeselect={false}
                  onChange={(v) => f.onChange(v ?? '')}
                  error={message('targetBook')}
                />
              )}
            />
          </Group>
          <Controller
            control={control}
            name="enabled"
            render={({ field: f }) => (
              <Switch
                checked={f.value}
                onChange={(e) => f.onChange(e.currentTarget.checked)}
                label={field('enabled')}
              />
            )}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('riskRules.cancel')}
            </Button>
            <Button type="submit" loading={creating || updating} data-testid="save-rule">
              {t('riskRules.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
