import { zodResolver } from '@hookform/resolvers/zod';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { type ApiProblem, showServerErrors } from '../api/errors';
import {
  ApplyMarginChangeDocument,
  type MarginChangeFieldsFragment,
  MarginChangesDocument,
  PlatformsDocument,
  PreviewMarginChangeDocument,
  RiskGroupsDocument,
  RiskInstrumentsDocument,
  RollbackMarginChangeDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import type { ScopedBrand } from '../ui/brand-scope';
import { DataTable, type DataColumns, dataColumns } from '../ui/DataTable';
import { ChangeProgress, useChangeProgress } from './ChangeProgress';
import { ASSET_CLASSES, formatLeverage, formatLevel, MAX_LEVERAGE } from './format';
import {
  CHANGE_FIELDS,
  type ChangeFormValues,
  canRollBack,
  changeSchema,
  emptyChangeForm,
  fallsIn,
  type Preview,
  type PreviewRow,
  previewRows,
  toMarginChangeInput,
} from './margin-change';
import { ConfirmModal, MarginStatusBadge, Money, Num } from './parts';

type Step = 0 | 1 | 2;

/**
 * "Change margin requirement": choose what and for whom → what-if preview → apply (confirmed) →
 * live push progress → roll back (confirmed), followed the same way.
 */
export function MarginChangeWizard({
  brand,
  opened,
  onClose,
}: {
  brand: ScopedBrand;
  opened: boolean;
  onClose(): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const client = useApolloClient();
  const [step, setStep] = useState<Step>(0);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [formErrors, setFormErrors] = useState<ApiProblem[]>([]);
  const [confirming, setConfirming] = useState<'apply' | 'rollback' | null>(null);
  const [change, setChange] = useState<MarginChangeFieldsFragment | null>(null);
  const [rollback, setRollback] = useState<MarginChangeFieldsFragment | null>(null);
  const groups = useQuery(RiskGroupsDocument, { variables: { brandId: brand.id }, skip: !opened });
  const history = { refetchQueries: [{ query: MarginChangesDocument, variables: { brandId: brand.id } }] };
  const [apply] = useMutation(ApplyMarginChangeDocument, history);
  const [undo] = useMutation(RollbackMarginChangeDocument, history);
  const schema = useMemo(() => changeSchema(t), [t]);
  const form = useForm<ChangeFormValues>({
    resolver: zodResolver(schema),
    defaultValues: emptyChangeForm(),
    mode: 'onTouched',
  });
  const { control, handleSubmit, setError, reset, getValues, formState } = form;
  const target = useWatch({ control, name: 'target' });
  const symbols = useBrandSymbols(brand.id, opened);
  const groupName = useMemo(() => {
    const names = new Map((groups.data?.riskGroups ?? []).map((g) => [g.id, g.name]));
    return (id: string) => names.get(id) ?? id;
  }, [groups.data]);

  const close = () => {
    reset(emptyChangeForm());
    setStep(0);
    setPreview(null);
    setFormErrors([]);
    setChange(null);
    setRollback(null);
    onClose();
  };

  const runPreview = handleSubmit(async (values) => {
    setFormErrors([]);
    setPreviewing(true);
    try {
      const { data } = await client.query({
        query: PreviewMarginChangeDocument,
        variables: { input: toMarginChangeInput(brand.id, values) },
        fetchPolicy: 'network-only',
      });
      if (data) {
        setPreview(data.previewMarginChange);
        setStep(1);
      }
    } catch (error) {
      setFormErrors(showServerErrors(error, CHANGE_FIELDS, setError));
    } finally {
      setPreviewing(false);
    }
  });

  const values = getValues();
  const what =
    values.target === 'assetClass' && values.assetClass
      ? t(`risk.assetClass.${values.assetClass}`)
      : values.symbols.join(', ');
  const whom =
    values.riskGroupIds.length === 0
      ? t('risk.change.allGroupsOf', { brand: brand.name })
      : values.riskGroupIds.map(groupName).join(', ');
  const leverageText = formatLeverage(values.leverage === '' ? null : values.leverage, locale);

  return (
    <Modal
      opened={opened}
      onClose={close}
      size="90rem"
      title={t('risk.change.title', { brand: brand.name })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid="margin-change-wizard"
    >
      <Stack>
        <Stepper active={step} size="sm" allowNextStepsSelect={false}>
          <Stepper.Step label={t('risk.change.step.choose')} />
          <Stepper.Step label={t('risk.change.step.preview')} />
          <Stepper.Step label={t('risk.change.step.apply')} />
        </Stepper>

        {step === 0 && (
          <form onSubmit={(e) => void runPreview(e)} noValidate>
            <Stack>
              <Controller
                control={control}
                name="target"
                render={({ field }) => (
                  <Radio.Group label={t('risk.change.target')} value={field.value} onChange={field.onChange}>
                    <Group mt={6}>
                      <Radio value="assetClass" label={t('risk.change.byAssetClass')} />
                      <Radio value="symbols" label={t('risk.change.bySymbols')} />
                    </Group>
                  </Radio.Group>
                )}
              />
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                {target === 'assetClass' ? (
                  <Controller
                    control={control}
                    name="assetClass"
                    render={({ field }) => (
                      <Select
                        label={t('risk.column.assetClass')}
                        required
                        data={ASSET_CLASSES.map((c) => ({ value: c, label: t(`risk.assetClass.${c}`) }))}
                        value={field.value || null}
                        onChange={(v) => field.onChange(v ?? '')}
                        onBlur={field.onBlur}
                        error={formState.errors.assetClass?.message}
                        data-testid="change-asset-class"
                      />
                    )}
                  />
                ) : (
                  <Controller
                    control={control}
                    name="symbols"
                    render={({ field }) => (
                      <MultiSelect
                        label={t('risk.change.symbols')}
                        required
                        searchable
                        data={symbols}
                        value={field.value}
                        onChange={field.onChange}
                        onBlur={field.onBlur}
                        error={formState.errors.symbols?.message}
                        data-testid="change-symbols"
                      />
                    )}
                  />
                )}
                <Controller
                  control={control}
                  name="leverage"
                  render={({ field }) => (
                    <NumberInput
                      label={t('risk.change.leverage')}
                      description={t('risk.change.leverageHint')}
                      required
                      leftSection={<Text size="sm">1:</Text>}
                      min={1}
                      max={MAX_LEVERAGE}
                      allowDecimal={false}
                      allowNegative={false}
                      value={field.value}
                      onChange={(v) => field.onChange(v === '' ? '' : Number(v))}
                      onBlur={field.onBlur}
                      error={formState.errors.leverage?.message}
                      data-testid="change-leverage"
                    />
                  )}
                />
                <Controller
                  control={control}
                  name="riskGroupIds"
                  render={({ field }) => (
                    <MultiSelect
                      label={t('risk.change.groups')}
                      description={t('risk.change.groupsHint')}
                      placeholder={field.value.length === 0 ? t('risk.exposure.allGroups') : undefined}
                      data={(groups.data?.riskGroups ?? []).map((g) => ({ value: g.id, label: g.name }))}
                      value={field.value}
                      onChange={field.onChange}
                      onBlur={field.onBlur}
                      error={formState.errors.riskGroupIds?.message}
                      data-testid="change-groups"
                    />
                  )}
                />
              </SimpleGrid>
              {formErrors.length > 0 && (
                <Alert color="red" role="alert" title={t('risk.change.previewFailed')}>
                  {formErrors.map((p) => p.message).join(' · ')}
                </Alert>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={previewing} data-testid="change-preview">
                  {t('risk.change.preview')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}

        {step === 1 && preview && (
          <Stack>
            <Text size="sm" data-testid="change-summary-line">
              {t('risk.change.summaryLine', { what, leverage: leverageText, groups: whom })}
            </Text>
            <PreviewView preview={preview} />
            <Group justify="space-between">
              <Button variant="default" onClick={() => setStep(0)}>
                {t('risk.change.back')}
              </Button>
              <Button color="red.9" onClick={() => setConfirming('apply')} data-testid="change-apply">
                {t('risk.change.apply')}
              </Button>
            </Group>
          </Stack>
        )}

        {step === 2 && change && (
          <Stack>
            <Text size="sm">{t('risk.change.summaryLine', { what, leverage: leverageText, groups: whom })}</Text>
            <Paper withBorder p="md">
              <Stack gap="xs">
                <Text fw={600}>{t('risk.change.applied')}</Text>
                <ChangeProgress changeId={change.id} initial={change} />
              </Stack>
            </Paper>
            {rollback && (
              <Paper withBorder p="md" data-testid="rollback-progress">
                <Stack gap="xs">
                  <Text fw={600}>{t('risk.change.rolledBack')}</Text>
                  <ChangeProgress changeId={rollback.id} initial={rollback} />
                </Stack>
              </Paper>
            )}
            <Group justify="space-between">
              <RollbackButton change={change} onClick={() => setConfirming('rollback')} hidden={Boolean(rollback)} />
              <Button onClick={close} data-testid="change-done">
                {t('common.close')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>

      <ConfirmModal
        opened={confirming === 'apply'}
        title={t('risk.change.confirmTitle')}
        body={t('risk.change.confirmBody', {
          count: preview?.accountsChanged ?? 0,
          what,
          leverage: leverageText,
          groups: whom,
        })}
        confirmLabel={t('risk.change.apply')}
        onClose={() => setConfirming(null)}
        onConfirm={async () => {
          const { data } = await apply({ variables: { input: toMarginChangeInput(brand.id, getValues()) } });
          if (data) {
            setChange(data.applyMarginChange);
            setStep(2);
          }
        }}
        testId="confirm-apply"
      />
      <ConfirmModal
        opened={confirming === 'rollback'}
        title={t('risk.change.rollbackTitle')}
        body={t('risk.change.rollbackBody')}
        confirmLabel={t('risk.change.rollback')}
        onClose={() => setConfirming(null)}
        onConfirm={async () => {
          if (!change) return;
          const { data } = await undo({ variables: { changeId: change.id } });
          if (data) setRollback(data.rollbackMarginChange);
        }}
        testId="confirm-rollback"
      />
    </Modal>
  );
}

/** "Roll back", offered once the change exists and has not been rolled back. */
function RollbackButton({
  change,
  onClick,
  hidden,
}: {
  change: MarginChangeFieldsFragment;
  onClick(): void;
  hidden: boolean;
}) {
  const t = useT();
  const { view } = useChangeProgress(change.id, change);
  if (hidden || !view || !canRollBack(view)) return <span />;
  return (
    <Button color="red.9" variant="outline" onClick={onClick} data-testid="change-rollback">
      {t('risk.change.rollback')}
    </Button>
  );
}

/** The symbols a brand's platforms trade, for choosing symbols. */
function useBrandSymbols(brandId: string, enabled: boolean): string[] {
  const client = useApolloClient();
  const [symbols, setSymbols] = useState<string[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    void (async () => {
      try {
        const { data } = await client.query({ query: PlatformsDocument, variables: { brandId } });
        const all = new Set<string>();
        for (const platform of data?.platforms ?? []) {
          const result = await client.query({ query: RiskInstrumentsDocument, variables: { platformId: platform.id } });
          for (const i of result.data?.instruments ?? []) all.add(i.symbol);
        }
        if (!cancelled) setSymbols([...all].sort());
      } catch {
        // No instruments to offer: the symbols list stays empty and the preview says what is wrong.
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client, brandId, enabled]);
  return symbols;
}

function PreviewView({ preview }: { preview: Preview }) {
  const t = useT();
  const { locale } = useLocale();
  const rows = useMemo(() => previewRows(preview.accounts), [preview.accounts]);
  const columns = usePreviewColumns();
  const n = (value: number) => new Intl.NumberFormat(locale).format(value);
  return (
    <Stack gap="sm" data-testid="change-preview-result">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label={t('risk.change.accountsChanged')} value={n(preview.accountsChanged)} testId="preview-accounts" />
        <Figure
          label={t('risk.change.positionsChanged')}
          value={n(preview.positionsChanged)}
          testId="preview-positions"
        />
        <Figure
          label={t('risk.change.marginCalls')}
          value={`${n(preview.marginCallBefore)} → ${n(preview.marginCallAfter)}`}
          testId="preview-margin-calls"
          alert={preview.newMarginCall.length > 0}
        />
        <Figure
          label={t('risk.change.stopOuts')}
          value={`${n(preview.stopOutBefore)} → ${n(preview.stopOutAfter)}`}
          testId="preview-stop-outs"
          alert={preview.newStopOut.length > 0}
        />
      </SimpleGrid>
      {(preview.newMarginCall.length > 0 || preview.newStopOut.length > 0) && (
        <Alert color="orange" role="alert" title={t('risk.change.fallIn')} data-testid="preview-fall-in">
          {preview.newStopOut.length > 0 && (
            <Text size="sm">
              {t('risk.change.newStopOut', { count: preview.newStopOut.length, logins: preview.newStopOut.join(', ') })}
            </Text>
          )}
          {preview.newMarginCall.length > 0 && (
            <Text size="sm">
              {t('risk.change.newMarginCall', {
                count: preview.newMarginCall.length,
                logins: preview.newMarginCall.join(', '),
              })}
            </Text>
          )}
        </Alert>
      )}
      {preview.totals.length > 0 && (
        <Table aria-label={t('risk.change.totals')} data-testid="preview-totals" maw={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('risk.column.currency')}</Table.Th>
              <Table.Th ta="end">{t('risk.change.usedBefore')}</Table.Th>
              <Table.Th ta="end">{t('risk.change.usedAfter')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.totals.map((total) => (
              <Table.Tr key={total.currency}>
                <Table.Td>{total.currency}</Table.Td>
                <Table.Td ta="end">
                  <Money value={total.usedMarginBefore} currency={total.currency} />
                </Table.Td>
                <Table.Td ta="end">
                  <Money value={total.usedMarginAfter} currency={total.currency} fw={600} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="preview-no-accounts">
          {t('risk.change.noAccounts')}
        </Text>
      ) : (
        <DataTable
          data={rows}
          columns={columns}
          getRowId={(r) => r.login}
          label={t('risk.change.accountsLabel', { count: rows.length })}
          rowTestId={(r) => `preview-row-${r.login}`}
          minWidth={1100}
          maxHeight={420}
          rowHeight={44}
          testId="preview-accounts-table"
        />
      )}
    </Stack>
  );
}

function Figure({ label, value, testId, alert }: { label: string; value: string; testId: string; alert?: boolean }) {
  return (
    <Paper withBorder p="sm" data-testid={testId} bg={alert ? 'orange.0' : undefined}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }} data-value={value}>
        <bdi>{value}</bdi>
      </Text>
    </Paper>
  );
}

const helper = dataColumns<PreviewRow>();

function usePreviewColumns(): DataColumns<PreviewRow> {
  const t = useT();
  const { locale } = useLocale();
  return useMemo(
    () =>
      helper.columns([
        helper.accessor('login', {
          header: t('risk.column.login'),
          sortFn: 'alphanumeric',
          cell: ({ row }) => (
            <Group gap={6} wrap="nowrap" data-falls-in={String(fallsIn(row.original))}>
              <Text ff="monospace" size="sm" fw={fallsIn(row.original) ? 700 : undefined}>
                {row.original.login}
              </Text>
              {fallsIn(row.original) && (
                <Text size="xs" c="red.9" fw={700}>
                  {t('risk.change.fallsIn')}
                </Text>
              )}
            </Group>
          ),
        }),
        helper.accessor((r) => Number(r.equity), {
          id: 'equity',
          header: t('risk.column.equity'),
          meta: { align: 'end' },
          cell: ({ row }) => <Money value={row.original.equity} currency={row.original.currency} />,
        }),
        helper.accessor((r) => Number(r.usedMarginAfter) - Number(r.usedMarginBefore), {
          id: 'margin',
          header: t('risk.change.usedMargin'),
          meta: { align: 'end' },
          cell: ({ row }) => (
            <Num>
              {formatMoneyPair(
                row.original.usedMarginBefore,
                row.original.usedMarginAfter,
                row.original.currency,
                locale,
              )}
            </Num>
          ),
        }),
        helper.accessor((r) => (r.marginLevelAfter === null ? undefined : Number(r.marginLevelAfter)), {
          id: 'level',
          header: t('risk.change.marginLevel'),
          sortUndefined: 'last',
          meta: { align: 'end' },
          cell: ({ row }) => (
            <Num>
              {formatLevel(row.original.marginLevelBefore, locale)} →{' '}
              {formatLevel(row.original.marginLevelAfter, locale)}
            </Num>
          ),
        }),
        helper.accessor('statusAfter', {
          header: t('risk.column.status'),
          sortFn: 'alphanumeric',
          cell: ({ row }) => (
            <Group gap={4} wrap="nowrap">
              <MarginStatusBadge status={row.original.statusBefore} />
              <Text size="sm" aria-hidden>
                →
              </Text>
              <MarginStatusBadge status={row.original.statusAfter} />
            </Group>
          ),
        }),
      ]),
    [t, locale],
  );
}

function formatMoneyPair(before: string, after: string, currency: string, locale: string) {
  const f = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return `${f.format(Number(before))} → ${f.format(Number(after))}`;
}
