import { Group, Paper, RingProgress, SimpleGrid, Stack, Text } from '@mantine/core';
import type { AccountMetricsFieldsFragment, LimitGaugeFieldsFragment } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatMoney } from '../plans/format';
import { formatPercent, isolate } from '../ui/format';
import { barValue, usageColor } from './usage';

/** One gauge per limit (how much is used, the floor, and the money left before it), then the target. */
export function LimitGauges({ metrics, currency }: { metrics: AccountMetricsFieldsFragment; currency: string }) {
  const t = useT();
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <Gauge id="dailyLoss" title={t('accounts.rule.DAILY_LOSS')} gauge={metrics.dailyLoss} currency={currency} />
      <Gauge id="maxLoss" title={t('accounts.rule.MAX_LOSS')} gauge={metrics.maxLoss} currency={currency} />
      <TargetGauge metrics={metrics} currency={currency} />
    </SimpleGrid>
  );
}

function Gauge({
  id,
  title,
  gauge,
  currency,
}: {
  id: string;
  title: string;
  gauge: LimitGaugeFieldsFragment | null | undefined;
  currency: string;
}) {
  const t = useT();
  const { locale } = useLocale();
  const money = (amount: string) => isolate(formatMoney(amount, currency, locale, true), locale);
  if (!gauge) {
    return (
      <Paper withBorder radius="md" p="md" data-testid={`gauge-${id}`}>
        <Text fw={600}>{title}</Text>
        <Text size="sm" c="dimmed">
          {t('gauge.noLimit')}
        </Text>
      </Paper>
    );
  }
  const color = usageColor(gauge.usedPct);
  const below = Number(gauge.distance) < 0;
  return (
    <Paper withBorder radius="md" p="md" data-testid={`gauge-${id}`} data-used={gauge.usedPct}>
      <Group wrap="nowrap" gap="md" align="center">
        <RingProgress
          size={96}
          thickness={10}
          roundCaps
          sections={[{ value: barValue(gauge.usedPct), color }]}
          label={
            <Text ta="center" fw={700} size="sm" c={color === 'red' ? 'red.9' : undefined}>
              {formatPercent(Math.max(0, gauge.usedPct), locale, 0)}
            </Text>
          }
          aria-hidden
        />
        <Stack gap={2} miw={0}>
          <Text fw={600}>{title}</Text>
          <Text size="sm" fw={600} c={below ? 'red.9' : undefined} data-testid={`gauge-${id}-distance`}>
            {below
              ? t('gauge.below', { amount: money(String(-Number(gauge.distance))) })
              : t('gauge.left', { amount: money(gauge.distance) })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('gauge.used', { used: isolate(formatPercent(Math.max(0, gauge.usedPct), locale), locale) })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('gauge.floor', { floor: money(gauge.floor), base: money(gauge.base) })}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}

function TargetGauge({ metrics, currency }: { metrics: AccountMetricsFieldsFragment; currency: string }) {
  const t = useT();
  const { locale } = useLocale();
  const progress = metrics.progressPct;
  return (
    <Paper withBorder radius="md" p="md" data-testid="gauge-profitTarget">
      <Group wrap="nowrap" gap="md" align="center">
        <RingProgress
          size={96}
          thickness={10}
          roundCaps
          sections={[{ value: barValue(progress), color: 'green' }]}
          label={
            <Text ta="center" fw={700} size="sm">
              {formatPercent(progress, locale, 0)}
            </Text>
          }
          aria-hidden
        />
        <Stack gap={2} miw={0}>
          <Text fw={600}>{t('gauge.target')}</Text>
          {metrics.profitTarget ? (
            <>
              <Text size="sm" fw={600}>
                <bdi>{formatMoney(metrics.profitTarget, currency, locale, true)}</bdi>
              </Text>
              <Text size="xs" c="dimmed">
                {t('gauge.progress', { progress: isolate(formatPercent(progress, locale), locale) })}
              </Text>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {t('gauge.noTarget')}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {t('gauge.tradingDays', { days: metrics.tradingDays, min: metrics.minTradingDays })}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
