import { ActionIcon, Button, Collapse, Fieldset, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { type MessageId } from '../i18n/locales';
import { useT } from '../i18n/LocaleProvider';
import {
  FormCount,
  FormDecimal,
  FormSegmented,
  FormSelect,
  FormSwitch,
  FormText,
  FormThresholds,
  FormTimeZone,
  useFieldError,
} from './fields';
import {
  BREACH_ACTIONS,
  BREACH_COMPARISONS,
  CONSISTENCY_BASES,
  CONSISTENCY_COMPARISONS,
  CONSISTENCY_DENOMINATORS,
  DAILY_LOSS_OF,
  DAILY_LOSS_REFERENCES,
  MAX_LOSS_MODES,
  PASS_ADVANCES,
  PASS_AT,
  PHASE_KINDS,
  type PhaseForm,
  type PlanForm,
  PROFIT_TARGET_MEASURES,
  TRADING_DAY_KINDS,
} from './plan-form';

const TIME_ZONES = Intl.supportedValuesOf('timeZone');

/** Options of a select from an enum, labelled from the catalogue (`plan.enum.<Enum>.<VALUE>`). */
export function useEnumOptions() {
  const t = useT();
  return (enumName: string, values: readonly string[]) =>
    values.map((value) => ({ value, label: t(`plan.enum.${enumName}.${value}` as MessageId) }));
}

/** One optional rule: a switch, and its fields while it is on. */
function RuleBlock({
  name,
  label,
  hint,
  children,
}: {
  name: string;
  label: string;
  hint?: string;
  children: ReactNode;
}) {
  const { control } = useFormContext<PlanForm>();
  const enabled = useWatch({ control, name: `${name}.enabled` as never }) as unknown as boolean;
  return (
    <Stack gap="xs">
      <FormSwitch name={`${name}.enabled`} label={label} description={hint} />
      <Collapse expanded={enabled}>
        {enabled && (
          <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} pt={4} ps={{ base: 0, sm: 'xl' }}>
            {children}
          </SimpleGrid>
        )}
      </Collapse>
    </Stack>
  );
}

/** Every field of a phase: its identity, the complete rule set, warnings and, when funded, the terms. */
export function PhaseEditor({ index, currency }: { index: number; currency: string }) {
  const t = useT();
  const options = useEnumOptions();
  const { control } = useFormContext<PlanForm>();
  const p = `phases.${index}`;
  const phase = useWatch({ control, name: `phases.${index}` }) as PhaseForm | undefined;
  if (!phase) return null;
  const unitOf = (basis: string) => (basis === 'amount' ? currency : '%');
  const basisOptions = [
    { value: 'pct', label: t('plan.rules.basis.pct') },
    { value: 'amount', label: t('plan.rules.basis.amount', { currency }) },
  ];

  return (
    <Stack gap="md" data-testid="phase-editor">
      <Fieldset legend={t('plan.phase.section.identity')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <FormText name={`${p}.name`} label={t('plan.phase.name')} />
          <FormSelect name={`${p}.kind`} label={t('plan.phase.kind')} data={options('PhaseKind', PHASE_KINDS)} />
          <FormSelect
            name={`${p}.advance`}
            label={t('plan.phase.advance')}
            data={options('PassAdvance', PASS_ADVANCES)}
          />
          <FormThresholds
            name={`${p}.warningThresholds`}
            label={t('plan.phase.warnings')}
            description={t('plan.phase.warningsHint')}
          />
        </SimpleGrid>
      </Fieldset>

      <Fieldset legend={t('plan.rules.section.day')}>
        <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }}>
          <FormTimeZone name={`${p}.rules.dayReset.timeZone`} label={t('plan.rules.resetZone')} zones={TIME_ZONES} />
          <FormText name={`${p}.rules.dayReset.localTime`} label={t('plan.rules.resetTime')} type="time" ltr />
          <FormSelect
            name={`${p}.rules.tradingDay`}
            label={t('plan.rules.tradingDay')}
            data={options('TradingDayKind', TRADING_DAY_KINDS)}
          />
          <FormSelect
            name={`${p}.rules.breachComparison`}
            label={t('plan.rules.breachComparison')}
            data={options('BreachComparison', BREACH_COMPARISONS)}
          />
          <FormSelect name={`${p}.rules.passAt`} label={t('plan.rules.passAt')} data={options('PassAt', PASS_AT)} />
        </SimpleGrid>
      </Fieldset>

      <Fieldset legend={t('plan.rules.section.losses')}>
        <Stack gap="lg">
          <RuleBlock
            name={`${p}.rules.dailyLoss`}
            label={t('plan.rules.dailyLoss')}
            hint={t('plan.rules.dailyLossHint')}
          >
            <FormSegmented
              name={`${p}.rules.dailyLoss.basis`}
              label={t('plan.rules.dailyLossBasis')}
              data={basisOptions}
            />
            <FormDecimal
              name={`${p}.rules.dailyLoss.value`}
              label={t('plan.rules.dailyLossValue')}
              unit={unitOf(phase.rules.dailyLoss.basis)}
            />
            <FormSelect
              name={`${p}.rules.dailyLoss.reference`}
              label={t('plan.rules.reference')}
              data={options('DailyLossReference', DAILY_LOSS_REFERENCES)}
            />
            {phase.rules.dailyLoss.basis === 'pct' && (
              <FormSelect
                name={`${p}.rules.dailyLoss.of`}
                label={t('plan.rules.of')}
                data={options('DailyLossOf', DAILY_LOSS_OF)}
              />
            )}
            <FormSelect
              name={`${p}.rules.dailyLoss.action`}
              label={t('plan.rules.dailyLossAction')}
              data={options('BreachAction', BREACH_ACTIONS)}
            />
          </RuleBlock>

          <RuleBlock name={`${p}.rules.maxLoss`} label={t('plan.rules.maxLoss')} hint={t('plan.rules.maxLossHint')}>
            <FormSegmented name={`${p}.rules.maxLoss.basis`} label={t('plan.rules.maxLossBasis')} data={basisOptions} />
            <FormDecimal
              name={`${p}.rules.maxLoss.value`}
              label={t('plan.rules.maxLossValue')}
              unit={unitOf(phase.rules.maxLoss.basis)}
            />
            <FormSelect
              name={`${p}.rules.maxLoss.mode`}
              label={t('plan.rules.mode')}
              data={options('MaxLossMode', MAX_LOSS_MODES)}
            />
            <Stack gap="xs">
              <FormSwitch name={`${p}.rules.maxLoss.lockAtEnabled`} label={t('plan.rules.lock')} />
              {phase.rules.maxLoss.lockAtEnabled && (
                <FormDecimal name={`${p}.rules.maxLoss.lockAt`} label={t('plan.rules.lockAt')} unit={currency} />
              )}
            </Stack>
          </RuleBlock>

          <RuleBlock
            name={`${p}.rules.maxLossPerTrade`}
            label={t('plan.rules.maxLossPerTrade')}
            hint={t('plan.rules.maxLossPerTradeHint')}
          >
            <FormSegmented
              name={`${p}.rules.maxLossPerTrade.basis`}
              label={t('plan.rules.perTradeBasis')}
              data={basisOptions}
            />
            <FormDecimal
              name={`${p}.rules.maxLossPerTrade.value`}
              label={t('plan.rules.perTradeValue')}
              unit={unitOf(phase.rules.maxLossPerTrade.basis)}
            />
            <FormSelect
              name={`${p}.rules.maxLossPerTrade.action`}
              label={t('plan.rules.perTradeAction')}
              data={options('BreachAction', BREACH_ACTIONS)}
            />
          </RuleBlock>
        </Stack>
      </Fieldset>

      <Fieldset legend={t('plan.rules.section.pass')}>
        <Stack gap="lg">
          <RuleBlock name={`${p}.rules.profitTarget`} label={t('plan.rules.profitTarget')}>
            <FormDecimal name={`${p}.rules.profitTarget.pct`} label={t('plan.rules.profitTargetPct')} unit="%" />
            <FormSelect
              name={`${p}.rules.profitTarget.measure`}
              label={t('plan.rules.measure')}
              data={options('ProfitTargetMeasure', PROFIT_TARGET_MEASURES)}
            />
            <Stack justify="flex-end" pb={6}>
              <FormSwitch name={`${p}.rules.profitTarget.requireFlat`} label={t('plan.rules.requireFlat')} />
            </Stack>
          </RuleBlock>
          <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }}>
            <FormCount name={`${p}.rules.minTradingDays`} label={t('plan.rules.minTradingDays')} />
          </SimpleGrid>
          <RuleBlock
            name={`${p}.rules.consistency`}
            label={t('plan.rules.consistency')}
            hint={t('plan.rules.consistencyHint')}
          >
            <FormDecimal name={`${p}.rules.consistency.maxBestDayPct`} label={t('plan.rules.maxBestDayPct')} unit="%" />
            <FormSelect
              name={`${p}.rules.consistency.denominator`}
              label={t('plan.rules.denominator')}
              data={options('ConsistencyDenominator', CONSISTENCY_DENOMINATORS)}
            />
            <FormSelect
              name={`${p}.rules.consistency.comparison`}
              label={t('plan.rules.comparison')}
              data={options('ConsistencyComparison', CONSISTENCY_COMPARISONS)}
            />
            <FormSelect
              name={`${p}.rules.consistency.basis`}
              label={t('plan.rules.consistencyBasis')}
              data={options('ConsistencyBasis', CONSISTENCY_BASES)}
            />
          </RuleBlock>
          <RuleBlock name={`${p}.rules.minProfitableDays`} label={t('plan.rules.minProfitableDays')}>
            <FormCount name={`${p}.rules.minProfitableDays.count`} label={t('plan.rules.profitableDaysCount')} />
            <FormDecimal
              name={`${p}.rules.minProfitableDays.minPctOfInitial`}
              label={t('plan.rules.minPctOfInitial')}
              unit="%"
            />
          </RuleBlock>
        </Stack>
      </Fieldset>

      <Fieldset legend={t('plan.rules.section.time')}>
        <Stack gap="lg">
          <RuleBlock name={`${p}.rules.maxTradingDays`} label={t('plan.rules.maxTradingDays')}>
            <FormCount name={`${p}.rules.maxTradingDays.value`} label={t('plan.rules.maxTradingDaysValue')} />
          </RuleBlock>
          <RuleBlock name={`${p}.rules.maxDays`} label={t('plan.rules.maxDays')}>
            <FormCount name={`${p}.rules.maxDays.value`} label={t('plan.rules.maxDaysValue')} />
          </RuleBlock>
          <RuleBlock name={`${p}.rules.maxInactiveDays`} label={t('plan.rules.maxInactiveDays')}>
            <FormCount name={`${p}.rules.maxInactiveDays.value`} label={t('plan.rules.maxInactiveDaysValue')} />
          </RuleBlock>
        </Stack>
      </Fieldset>

      {phase.kind === 'FUNDED' && <FundedTerms index={index} currency={currency} />}
    </Stack>
  );
}

function FundedTerms({ index, currency }: { index: number; currency: string }) {
  const t = useT();
  const { control } = useFormContext<PlanForm>();
  const p = `phases.${index}.funded`;
  const tiers = useFieldArray({ control, name: `phases.${index}.funded.profitSplit` });
  const fundedError = useFieldError(`${p}.error`);
  const splitError = useFieldError(`${p}.profitSplitError`);
  return (
    <Fieldset legend={t('plan.funded.section')} data-testid="funded-terms">
      <Stack>
        {fundedError && (
          <Text c="red" size="sm" role="alert">
            {fundedError}
          </Text>
        )}
        <Text fw={500} size="sm">
          {t('plan.funded.split')}
        </Text>
        <Text size="xs" c="dimmed" mt={-12}>
          {t('plan.funded.splitHint')}
        </Text>
        {tiers.fields.map((tier, i) => (
          <Group key={tier.id} align="flex-end" wrap="nowrap">
            <FormDecimal
              name={`${p}.profitSplit.${i}.upTo`}
              label={t('plan.funded.upTo', { number: i + 1 })}
              placeholder={t('plan.funded.rest')}
              unit={currency}
              style={{ flex: 1 }}
            />
            <FormDecimal
              name={`${p}.profitSplit.${i}.pct`}
              label={t('plan.funded.share', { number: i + 1 })}
              unit="%"
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              mb={2}
              onClick={() => tiers.remove(i)}
              disabled={tiers.fields.length === 1}
              aria-label={t('plan.funded.removeTier', { number: i + 1 })}
            >
              <span aria-hidden>×</span>
            </ActionIcon>
          </Group>
        ))}
        {splitError && (
          <Text c="red" size="sm" role="alert">
            {splitError}
          </Text>
        )}
        <Group>
          <Button variant="light" size="xs" onClick={() => tiers.append({ upTo: '', pct: '' })}>
            {t('plan.funded.addTier')}
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <FormCount name={`${p}.payout.firstAfterDays`} label={t('plan.funded.firstAfterDays')} />
          <FormCount name={`${p}.payout.everyDays`} label={t('plan.funded.everyDays')} />
          <FormDecimal name={`${p}.payout.minAmount`} label={t('plan.funded.minAmount')} unit={currency} />
        </SimpleGrid>
      </Stack>
    </Fieldset>
  );
}
