import '@mantine/dates/styles.css';
import 'dayjs/locale/ar';
import 'dayjs/locale/es';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { Badge, Button, Code, Group, Select, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { apiProblems } from '../api/errors';
import { type AuditEntryFieldsFragment, AuditTrailCsvDocument, AuditTrailDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { notify } from '../plans/notify';
import { BrandScopedPage, type ScopedBrand } from '../ui/brand-scope';
import { DataTable, type DataColumns, dataColumns } from '../ui/DataTable';
import { formatTimestamp } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import {
  AUDIT_LIMIT,
  AUDIT_PARAMS,
  type AuditFilterValues,
  csvBlob,
  csvFileName,
  filterFromParams,
  KNOWN_OPERATIONS,
  KNOWN_TARGET_TYPES,
  toAuditFilter,
  withSeen,
} from './audit-filter';
import { AuditDiffDrawer } from './AuditDiffDrawer';

type Entry = AuditEntryFieldsFragment;

/** `/brands/:brandId/audit`: who changed what and when, with each change's fields before and after. */
export function AuditPage() {
  const t = useT();
  return (
    <BrandScopedPage section="audit" title={t('audit.title')} subtitle={t('audit.subtitle')}>
      {(brand) => <AuditView key={brand.id} brand={brand} />}
    </BrandScopedPage>
  );
}

const ALL = 'all';

function AuditView({ brand }: { brand: ScopedBrand }) {
  const t = useT();
  const { locale } = useLocale();
  const client = useApolloClient();
  const [params, setParams] = useSearchParams();
  const values = filterFromParams(params);
  // The filter changes with the search params only (not with each render's new URLSearchParams).
  const search = params.toString();
  const filter = useMemo(
    () => toAuditFilter(brand.id, filterFromParams(new URLSearchParams(search)), brand.timeZone),
    [brand.id, brand.timeZone, search],
  );
  const { data, loading, error, refetch } = useQuery(AuditTrailDocument, {
    variables: { filter },
    fetchPolicy: 'cache-and-network',
  });
  const [actor, setActor] = useState(values.actor);
  const [opened, setOpened] = useState<Entry | null>(null);
  const [exporting, setExporting] = useState(false);

  const update = (patch: Partial<AuditFilterValues>) =>
    setParams(
      (p) => {
        for (const [key, value] of Object.entries(patch)) {
          if (value) p.set(key, value);
          else p.delete(key);
        }
        return p;
      },
      { replace: true },
    );
  const updateActor = useDebouncedCallback((next: string) => update({ actor: next.trim() }), 400);
  const filtered = AUDIT_PARAMS.some((key) => params.get(key));

  const entries = data?.auditTrail;
  const operations = withSeen(KNOWN_OPERATIONS, entries?.map((e) => e.operation) ?? [], values.operation);
  const targetTypes = withSeen(KNOWN_TARGET_TYPES, entries?.map((e) => e.targetType) ?? [], values.targetType);
  const columns = useAuditColumns(brand.timeZone, setOpened);

  const exportCsv = async () => {
    setExporting(true);
    try {
      const { data: csv } = await client.query({
        query: AuditTrailCsvDocument,
        variables: { filter },
        fetchPolicy: 'network-only',
      });
      if (!csv) throw new Error('no answer');
      const url = URL.createObjectURL(csvBlob(csv.auditTrailCsv));
      const link = document.createElement('a');
      link.href = url;
      link.download = csvFileName(brand.slug, new Date(), brand.timeZone);
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (problem) {
      notify({ color: 'red', title: t('audit.exportFailed'), message: apiProblems(problem)[0]?.message });
    } finally {
      setExporting(false);
    }
  };

  let body: React.ReactNode;
  if (!entries && loading) body = <LoadingState />;
  else if (!entries) body = <ErrorState title={t('audit.loadFailed')} error={error} onRetry={() => void refetch()} />;
  else if (entries.length === 0)
    body = (
      <EmptyState title={filtered ? t('audit.noMatch') : t('audit.empty')}>
        {filtered ? t('audit.noMatchHint') : t('audit.emptyHint')}
      </EmptyState>
    );
  else
    body = (
      <DataTable
        data={entries}
        columns={columns}
        getRowId={(e) => e.id}
        label={t('audit.tableLabel', { count: entries.length })}
        rowTestId={(e) => `audit-row-${e.id}`}
        rowHeight={52}
        minWidth={1000}
        testId="audit-table"
      />
    );

  return (
    <DatesProvider settings={{ locale, firstDayOfWeek: locale === 'en' ? 0 : locale === 'ar' ? 6 : 1 }}>
      <Stack gap="sm">
        <Group align="flex-end" gap="md">
          <TextInput
            label={t('audit.filter.actor')}
            description={t('audit.filter.actorHint')}
            value={actor}
            onChange={(e) => {
              setActor(e.currentTarget.value);
              updateActor(e.currentTarget.value);
            }}
            w={240}
          />
          <Select
            label={t('audit.filter.targetType')}
            data={[{ value: ALL, label: t('audit.filter.all') }, ...targetTypes.map((v) => ({ value: v, label: v }))]}
            value={values.targetType || ALL}
            onChange={(next) => update({ targetType: next === ALL ? '' : (next ?? '') })}
            allowDeselect={false}
            w={180}
          />
          <Select
            label={t('audit.filter.operation')}
            data={[{ value: ALL, label: t('audit.filter.all') }, ...operations.map((v) => ({ value: v, label: v }))]}
            value={values.operation || ALL}
            onChange={(next) => update({ operation: next === ALL ? '' : (next ?? '') })}
            allowDeselect={false}
            searchable
            w={200}
            data-testid="filter-operation"
          />
          <DatePickerInput
            type="range"
            label={t('audit.filter.dates')}
            description={t('audit.filter.datesHint', { zone: brand.timeZone })}
            placeholder={t('audit.filter.anyDate')}
            // Mantine's placeholder grey is 2:1 on white; the dimmed text colour passes AA.
            styles={{ placeholder: { color: 'var(--mantine-color-dimmed)' } }}
            value={[values.from || null, values.to || null]}
            onChange={([from, to]) => {
              if (from && !to) return;
              update({ from: from ?? '', to: to ?? '' });
            }}
            clearable
            allowSingleDateInRange
            valueFormat="D MMM YYYY"
            w={250}
            maxDate={new Date()}
          />
          {filtered && (
            <Button
              variant="subtle"
              onClick={() => {
                setActor('');
                update({ actor: '', targetType: '', operation: '', from: '', to: '' });
              }}
            >
              {t('audit.filter.clear')}
            </Button>
          )}
          <Button
            ms="auto"
            variant="default"
            onClick={() => void exportCsv()}
            loading={exporting}
            disabled={!entries || entries.length === 0}
            data-testid="export-csv"
          >
            {t('audit.export')}
          </Button>
        </Group>
        {entries && (
          <Text size="sm" c="dimmed">
            {entries.length >= AUDIT_LIMIT
              ? t('audit.limited', { count: AUDIT_LIMIT })
              : t('audit.count', { count: entries.length })}
            {' · '}
            {t('audit.timesIn', { zone: brand.timeZone })}
          </Text>
        )}
        {body}
      </Stack>
      <AuditDiffDrawer entry={opened} onClose={() => setOpened(null)} timeZone={brand.timeZone} />
    </DatesProvider>
  );
}

const helper = dataColumns<Entry>();

function useAuditColumns(timeZone: string, open: (entry: Entry) => void): DataColumns<Entry> {
  const t = useT();
  const { locale } = useLocale();
  return useMemo(
    () =>
      helper.columns([
        helper.accessor('at', {
          header: t('audit.column.at'),
          sortFn: 'datetime',
          cell: ({ getValue }) => (
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {formatTimestamp(getValue(), locale, timeZone)}
            </Text>
          ),
        }),
        helper.accessor((e) => e.actor ?? '', {
          id: 'actor',
          header: t('audit.column.actor'),
          sortFn: 'alphanumeric',
          cell: ({ row }) => (
            <Group gap={6} wrap="nowrap">
              <Text size="sm" truncate maw={220}>
                {row.original.actor ?? '—'}
              </Text>
              <Badge size="xs" variant="light" color="gray" tt="none">
                {row.original.actorKind}
              </Badge>
            </Group>
          ),
        }),
        helper.accessor('operation', {
          header: t('audit.column.operation'),
          sortFn: 'alphanumeric',
          cell: ({ getValue }) => <Code>{getValue()}</Code>,
        }),
        helper.accessor((e) => `${e.targetType} ${e.targetId ?? ''}`, {
          id: 'target',
          header: t('audit.column.target'),
          sortFn: 'alphanumeric',
          cell: ({ row }) => (
            <Stack gap={0}>
              <Text size="sm">{row.original.targetType}</Text>
              <Text size="xs" c="dimmed" ff="monospace" truncate maw={200} title={row.original.targetId ?? undefined}>
                {row.original.targetId ?? '—'}
              </Text>
            </Stack>
          ),
        }),
        helper.accessor((e) => e.changes.length, {
          id: 'changes',
          header: t('audit.column.changes'),
          cell: ({ row }) => (
            <Text size="sm" truncate maw={260} title={row.original.changes.map((c) => c.field).join(', ')}>
              {row.original.changes.length === 0
                ? t('audit.noChanges')
                : row.original.changes.map((c) => c.field).join(', ')}
            </Text>
          ),
        }),
        helper.display({
          id: 'open',
          header: () => <VisuallyHidden>{t('audit.column.details')}</VisuallyHidden>,
          meta: { align: 'end' },
          cell: ({ row }) => (
            <Button
              size="compact-sm"
              variant="light"
              onClick={() => open(row.original)}
              aria-label={t('audit.viewAria', { operation: row.original.operation })}
              data-testid="audit-view"
            >
              {t('audit.view')}
            </Button>
          ),
        }),
      ]),
    [t, locale, timeZone, open],
  );
}
