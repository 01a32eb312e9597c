import { useQuery } from '@apollo/client/react';
import { Alert, Group, List, Paper, Select, Stack, Tabs, Text, ThemeIcon, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { type PlanVersionFieldsFragment, PlanRuleSummariesDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { languageName, textDirection } from '../i18n/locales';
import { ErrorState, LoadingState } from '../ui/states';
import { browserTimeZone, formatMoney } from './format';

const TIME_ZONES = Intl.supportedValuesOf('timeZone');

/**
 * The saved draft's rules in the trader's words, as the API writes them for the portal, in each of
 * the brand's languages, for one account size, with times also shown in a chosen viewer's zone.
 */
export function RulePreview({
  planId,
  version,
  locales,
  unsaved,
}: {
  planId: string;
  version: PlanVersionFieldsFragment;
  locales: readonly string[];
  unsaved: boolean;
}) {
  const t = useT();
  const { locale: uiLocale } = useLocale();
  const [tab, setTab] = useState<string>(locales[0] ?? 'en');
  const [sizeId, setSizeId] = useState<string | null>(version.sizes[0]?.id ?? null);
  const [timeZone, setTimeZone] = useState<string>(browserTimeZone);
  const sizeOptions = useMemo(
    () =>
      version.sizes.map((s) => ({
        value: s.id,
        label: `${formatMoney(s.balance, s.currency, uiLocale)} · ${formatMoney(s.price, s.currency, uiLocale, true)}`,
      })),
    [version.sizes, uiLocale],
  );
  const zones = useMemo(() => (TIME_ZONES.includes(timeZone) ? TIME_ZONES : [timeZone, ...TIME_ZONES]), [timeZone]);
  const size = version.sizes.some((s) => s.id === sizeId) ? sizeId : (version.sizes[0]?.id ?? null);

  return (
    <Stack data-testid="rule-preview">
      <Text size="sm" c="dimmed">
        {t('plan.preview.hint', { number: version.number })}
      </Text>
      {unsaved && (
        <Alert color="yellow" variant="light" data-testid="preview-unsaved">
          {t('plan.preview.unsaved')}
        </Alert>
      )}
      <Group align="flex-end">
        <Select
          label={t('plan.preview.size')}
          data={sizeOptions}
          value={size}
          onChange={setSizeId}
          allowDeselect={false}
          w={260}
        />
        <Select
          label={t('plan.preview.timeZone')}
          data={zones}
          value={timeZone}
          onChange={(z) => z && setTimeZone(z)}
          searchable
          allowDeselect={false}
          w={260}
        />
      </Group>
      <Tabs value={tab} onChange={(v) => v && setTab(v)} keepMounted={false}>
        <Tabs.List>
          {locales.map((code) => (
            <Tabs.Tab key={code} value={code}>
              {languageName(code, uiLocale)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {locales.map((code) => (
          <Tabs.Panel key={code} value={code} pt="md">
            <Summaries planId={planId} locale={code} sizeId={size} timeZone={timeZone} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

function Summaries({
  planId,
  locale,
  sizeId,
  timeZone,
}: {
  planId: string;
  locale: string;
  sizeId: string | null;
  timeZone: string;
}) {
  const t = useT();
  const { data, loading, error, refetch } = useQuery(PlanRuleSummariesDocument, {
    variables: { id: planId, locale, sizeId, timeZone },
    fetchPolicy: 'cache-and-network',
  });
  const summaries = data?.plan.current.ruleSummaries;
  if (!summaries && loading) return <LoadingState label={t('plan.preview.loading')} />;
  if (!summaries) return <ErrorState error={error} onRetry={() => void refetch()} />;
  return (
    <Stack lang={locale} dir={textDirection(locale)} data-testid={`preview-${locale}`}>
      {summaries.map((phase, i) => (
        <Paper key={phase.phaseId} withBorder p="md" radius="md">
          <Group gap="xs" mb="xs" wrap="nowrap">
            <ThemeIcon variant="light" radius="xl" size="sm" aria-hidden>
              <Text size="xs" fw={700}>
                {new Intl.NumberFormat(locale).format(i + 1)}
              </Text>
            </ThemeIcon>
            <Title order={4} size="h5">
              {phase.name}
            </Title>
          </Group>
          <List spacing={6} size="sm">
            {phase.lines.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        </Paper>
      ))}
    </Stack>
  );
}
