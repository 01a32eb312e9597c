import { useQuery } from '@apollo/client/react';
import { Badge, Button, Code, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { PlanVersionDiffDocument, type VersionSummaryFieldsFragment } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { formatDateTime } from './format';

export interface Comparison {
  from: string | null;
  to: string | null;
}

/** What to compare first: the draft with the published version, else the two newest versions. */
export function defaultComparison(plan: {
  draft?: { id: string } | null;
  published?: { id: string } | null;
  versions: readonly { id: string }[];
}): Comparison {
  if (plan.draft && plan.published) return { from: plan.published.id, to: plan.draft.id };
  return { from: plan.versions[1]?.id ?? null, to: plan.versions[0]?.id ?? null };
}

const STATUS_COLOR = { DRAFT: 'orange', PUBLISHED: 'green', RETIRED: 'gray' } as const;

/** Every version of the plan, newest first, and a field-by-field comparison of any two. */
export function VersionsPanel({
  versions,
  comparison,
  onCompare,
}: {
  versions: readonly VersionSummaryFieldsFragment[];
  comparison: Comparison;
  onCompare(next: Comparison): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const label = (v: VersionSummaryFieldsFragment) =>
    t('plan.versions.option', { number: v.number, status: t(`plan.versions.status.${v.status}`) });
  const options = versions.map((v) => ({ value: v.id, label: label(v) }));

  return (
    <Stack gap="lg">
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing="xs" striped data-testid="versions-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('plan.versions.number')}</Table.Th>
              <Table.Th>{t('plan.versions.status')}</Table.Th>
              <Table.Th>{t('plan.versions.created')}</Table.Th>
              <Table.Th>{t('plan.versions.published')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((v) => (
              <Table.Tr key={v.id} data-testid={`version-${v.number}`}>
                <Table.Td>{t('plan.versions.numbered', { number: v.number })}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[v.status]} variant="dot" tt="none">
                    {t(`plan.versions.status.${v.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDateTime(v.createdAt, locale)}</Table.Td>
                <Table.Td>{formatDateTime(v.publishedAt, locale)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('plan.versions.compareTitle')}
        </Title>
        <Group align="flex-end">
          <Select
            label={t('plan.versions.from')}
            data={options}
            value={comparison.from}
            onChange={(from) => onCompare({ ...comparison, from })}
            allowDeselect={false}
            w={240}
          />
          <Select
            label={t('plan.versions.to')}
            data={options}
            value={comparison.to}
            onChange={(to) => onCompare({ ...comparison, to })}
            allowDeselect={false}
            w={240}
          />
          <Button
            variant="default"
            onClick={() => onCompare({ from: comparison.to, to: comparison.from })}
            disabled={!comparison.from || !comparison.to}
          >
            {t('plan.versions.swap')}
          </Button>
        </Group>
        {comparison.from && comparison.to && comparison.from !== comparison.to ? (
          <Diff from={comparison.from} to={comparison.to} />
        ) : (
          <Text size="sm" c="dimmed">
            {t('plan.versions.pickTwo')}
          </Text>
        )}
      </Stack>
    </Stack>
  );
}

function Diff({ from, to }: { from: string; to: string }) {
  const t = useT();
  const { data, loading, error, refetch } = useQuery(PlanVersionDiffDocument, {
    variables: { fromVersionId: from, toVersionId: to },
    fetchPolicy: 'network-only',
  });
  if (!data && loading) return <LoadingState />;
  if (!data) return <ErrorState error={error} onRetry={() => void refetch()} />;
  const changes = data.planVersionDiff;
  if (changes.length === 0) return <EmptyState title={t('plan.versions.noChanges')} />;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" data-testid="version-diff" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('plan.versions.field')}</Table.Th>
            <Table.Th>{t('plan.versions.before')}</Table.Th>
            <Table.Th>{t('plan.versions.after')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {changes.map((c) => (
            <Table.Tr key={c.path}>
              <Table.Td>
                <Code>{c.path}</Code>
              </Table.Td>
              <Table.Td c={c.before === null ? 'dimmed' : 'red.9'}>{c.before ?? t('plan.versions.none')}</Table.Td>
              <Table.Td c={c.after === null ? 'dimmed' : 'green.9'}>{c.after ?? t('plan.versions.none')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
